package report

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("json", func(w io.Writer, o Options) Writer { return &jsonWriter{w: bufio.NewWriter(w), o: o} })
	Register("ndjson", func(w io.Writer, o Options) Writer { return &ndjsonWriter{w: bufio.NewWriter(w), o: o} })
}

// DocumentJSON is one document in the json format.
type DocumentJSON struct {
	Document finding.DocRef         `json:"document"`
	Labels   map[string]string      `json:"labels,omitempty"`
	Status   string                 `json:"status"`
	Findings []finding.Finding      `json:"findings"`
	Errors   []*document.InputError `json:"errors,omitempty"`
	Warnings []document.Warning     `json:"warnings,omitempty"`
}

func documentJSON(r *scan.DocResult, min finding.Severity) DocumentJSON {
	f := r.Findings
	if f == nil {
		f = []finding.Finding{}
	}
	return DocumentJSON{Document: r.Doc, Labels: r.Labels, Status: docStatus(r, min), Findings: f, Errors: r.Errors, Warnings: r.Warnings}
}

// jsonWriter streams one JSON object: tool, documents (as they come), summary.
type jsonWriter struct {
	w     *bufio.Writer
	o     Options
	begun bool
	n     int
}

func (j *jsonWriter) begin() {
	if j.begun {
		return
	}
	j.begun = true
	tool, _ := marshalJSON(toolInfo(j.o), "", "")
	j.w.WriteString("{\n  \"tool\": ")
	j.w.Write(tool)
	j.w.WriteString(",\n  \"documents\": [")
}

func (j *jsonWriter) Result(r *scan.DocResult) error {
	j.begin()
	b, err := marshalJSON(documentJSON(r, j.o.FailOn), "    ", "  ")
	if err != nil {
		return err
	}
	return writeElement(j.w, &j.n, "\n    ", b)
}

// writeElement writes the next element of a JSON array that is streamed
// out: a comma after the previous one, the indent, the element.
func writeElement(w interface {
	io.Writer
	io.StringWriter
}, n *int, indent string, b []byte) error {
	if *n > 0 {
		w.WriteString(",")
	}
	*n++
	w.WriteString(indent)
	_, err := w.Write(b)
	return err
}

func (j *jsonWriter) Close(f *Final) error {
	j.begin()
	if j.n > 0 {
		j.w.WriteString("\n  ")
	}
	j.w.WriteString("],\n  \"summary\": ")
	b, err := marshalJSON(f.Summary, "  ", "  ")
	if err != nil {
		return err
	}
	j.w.Write(b)
	if f.Verdicts != nil {
		j.w.WriteString(",\n  \"verdicts\": ")
		b, err = marshalJSON(f.Verdicts, "  ", "  ")
		if err != nil {
			return err
		}
		j.w.Write(b)
	}
	j.w.WriteString("\n}\n")
	return j.w.Flush()
}

// ToolInfo names the tool and the catalogue that produced a report.
type ToolInfo struct {
	Name             string `json:"name"`
	Version          string `json:"version"`
	Command          string `json:"command,omitempty"`
	CatalogueVersion string `json:"catalogue_version"`
	CatalogueDigest  string `json:"catalogue_digest"`
	Now              string `json:"now"`
}

func toolInfo(o Options) ToolInfo {
	t := ToolInfo{Name: "lockcheck", Version: o.ToolVersion, Command: o.Verb}
	if o.Engine != nil {
		t.CatalogueVersion = o.Engine.Version()
		t.CatalogueDigest = o.Engine.Digest()
		t.Now = o.Engine.Now().Format("2006-01-02T15:04:05Z07:00")
	}
	return t
}

// ndjsonWriter writes one line per finding (and per input error), then one
// summary line: {"type":"finding",...}, {"type":"error",...}, {"type":"summary",...}.
type ndjsonWriter struct {
	w *bufio.Writer
	o Options
	// seal digests the lines written so far (Options.SealLines).
	seal  hash.Hash
	lines int
}

// NDJSONLine is one line of the ndjson format.
type NDJSONLine struct {
	Type     string               `json:"type"` // finding, error, warning, summary, verdict
	Finding  *finding.Finding     `json:"finding,omitempty"`
	Error    *document.InputError `json:"error,omitempty"`
	Warning  *document.Warning    `json:"warning,omitempty"`
	Labels   map[string]string    `json:"labels,omitempty"`
	Summary  *scan.Summary        `json:"summary,omitempty"`
	Verdict  *Verdict             `json:"verdict,omitempty"`
	Document *finding.DocRef      `json:"document,omitempty"`
}

func (n *ndjsonWriter) line(l NDJSONLine) error {
	b, err := marshalJSON(l, "", "")
	if err != nil {
		return err
	}
	n.w.Write(b)
	if err := n.w.WriteByte('\n'); err != nil {
		return err
	}
	if n.o.SealLines && l.Type != "summary" {
		if n.seal == nil {
			n.seal = sha256.New()
		}
		n.seal.Write(b)
		n.seal.Write([]byte{'\n'})
		n.lines++
	}
	return nil
}

func (n *ndjsonWriter) Result(r *scan.DocResult) error {
	for _, e := range r.Errors {
		if err := n.line(NDJSONLine{Type: "error", Error: e, Document: &r.Doc}); err != nil {
			return err
		}
	}
	for i := range r.Warnings {
		if err := n.line(NDJSONLine{Type: "warning", Warning: &r.Warnings[i], Document: &r.Doc}); err != nil {
			return err
		}
	}
	for i := range r.Findings {
		if err := n.line(NDJSONLine{Type: "finding", Finding: &r.Findings[i], Labels: r.Labels}); err != nil {
			return err
		}
	}
	return nil
}

func (n *ndjsonWriter) Close(f *Final) error {
	for i := range f.Verdicts {
		if err := n.line(NDJSONLine{Type: "verdict", Verdict: &f.Verdicts[i]}); err != nil {
			return err
		}
	}
	sum := f.Summary
	if n.o.SealLines && sum != nil && sum.Shard != nil {
		if n.seal == nil {
			n.seal = sha256.New()
		}
		s, sh := *sum, *sum.Shard
		sh.Lines, sh.Digest = n.lines, "sha256:"+hex.EncodeToString(n.seal.Sum(nil))
		s.Shard = &sh
		sum = &s
	}
	if err := n.line(NDJSONLine{Type: "summary", Summary: sum}); err != nil {
		return err
	}
	return n.w.Flush()
}
