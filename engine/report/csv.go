package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("csv", func(w io.Writer, o Options) Writer { return &csvWriter{w: csv.NewWriter(w), o: o} })
}

// csvHeader names the columns of the csv format: one row per finding.
var csvHeader = []string{"file", "doc_index", "kind", "name", "site", "control_id", "title", "area", "severity", "status", "line", "rationale", "missing", "remediation", "waiver"}

// csvWriter writes one row per finding (and one per input error, status
// "input_error"), for spreadsheets: RFC 4180 quoting through encoding/csv,
// streamed as the documents come.
type csvWriter struct {
	w      *csv.Writer
	o      Options
	header bool
}

func (c *csvWriter) begin() error {
	if c.header {
		return nil
	}
	c.header = true
	return c.w.Write(csvHeader)
}

func (c *csvWriter) Result(r *scan.DocResult) error {
	if err := c.begin(); err != nil {
		return err
	}
	d := r.Doc
	for _, e := range r.Errors {
		if err := c.w.Write([]string{d.File, strconv.Itoa(d.Index), d.Kind, d.Name, d.Site, "", "", "", "", "input_error", strconv.Itoa(e.Pos.Line), e.Path + ": " + e.Msg, "", "", ""}); err != nil {
			return err
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		line := ""
		if f.Line > 0 {
			line = strconv.Itoa(f.Line)
		}
		waiver := ""
		if f.Waiver != nil {
			waiver = waiverText(f.Waiver)
		}
		row := []string{d.File, strconv.Itoa(d.Index), d.Kind, d.Name, d.Site, f.ControlID, f.Title, f.Area, string(f.Severity), string(f.Status), line,
			oneParagraph(f.Rationale), strings.Join(f.Missing, " "), oneParagraph(f.Remediation), waiver}
		if err := c.w.Write(row); err != nil {
			return err
		}
	}
	return c.w.Error()
}

func (c *csvWriter) Close(*Final) error {
	if err := c.begin(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}
