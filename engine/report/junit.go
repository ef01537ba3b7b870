package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("junit", func(w io.Writer, o Options) Writer { return &junitWriter{w: bufio.NewWriter(w), o: o} })
}

// JUnitSuites is the root of the junit format: one suite per document.
type JUnitSuites struct {
	XMLName   xml.Name     `xml:"testsuites"`
	Name      string       `xml:"name,attr"`
	Tests     int          `xml:"tests,attr"`
	Failures  int          `xml:"failures,attr"`
	Errors    int          `xml:"errors,attr"`
	Skipped   int          `xml:"skipped,attr"`
	Time      string       `xml:"time,attr"`
	Timestamp string       `xml:"timestamp,attr,omitempty"`
	Suites    []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one document.
type JUnitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	File       string          `xml:"file,attr,omitempty"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Cases      []JUnitCase     `xml:"testcase"`
}

// JUnitProperty is a name/value pair of a suite.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one finding (or one input error of an invalid document).
type JUnitCase struct {
	ClassName string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	Time      string `xml:"time,attr"`
	File      string `xml:"file,attr,omitempty"`
	Line      int    `xml:"line,attr,omitempty"`
	// Properties carry the control's severity and area.
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Failure    *JUnitProblem   `xml:"failure,omitempty"`
	Error      *JUnitProblem   `xml:"error,omitempty"`
	Skipped    *JUnitSkipped   `xml:"skipped,omitempty"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

// JUnitProblem is a <failure> or an <error>.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnitSkipped is a <skipped>.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// junitWriter writes each document's suite as it comes into a spool (the
// totals on <testsuites> are only known at the end), then the root element
// with the totals and the spooled suites. Memory stays flat.
type junitWriter struct {
	w      *bufio.Writer
	o      Options
	spool  spool
	totals JUnitSuites
}

// suiteName is "Kind name", or the file for a document that could not be
// decoded.
func suiteName(d finding.DocRef) string {
	switch {
	case d.Kind != "" && d.Name != "":
		return d.Kind + " " + d.Name
	case d.Name != "":
		return d.Name
	case d.Index > 0:
		return fmt.Sprintf("%s (doc %d)", d.File, d.Index)
	}
	return d.File
}

func junitDetail(f *finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s, %s): %s\n", f.ControlID, f.Title, f.Severity, statusLabel(f.Status), f.Document.File)
	if f.Rationale != "" {
		fmt.Fprintf(&b, "why: %s\n", f.Rationale)
	}
	if len(f.Missing) > 0 {
		fmt.Fprintf(&b, "missing: %s\n", strings.Join(f.Missing, ", "))
	}
	for _, e := range f.Evidence {
		fmt.Fprintf(&b, "evidence: %s observed %s expected %s\n", e.Path, compactJSON(e.Observed), compactJSON(e.Expected))
	}
	if f.Remediation != "" {
		fmt.Fprintf(&b, "fix: %s\n", oneParagraph(f.Remediation))
	}
	return b.String()
}

func junitCase(f *finding.Finding) JUnitCase {
	// classname is the document (kind and name) so CI test tabs keep one
	// row per lock and control instead of merging the locks; name is the
	// control. time stays 0: a measured time would break byte-identical
	// reports for the same inputs and --now.
	c := JUnitCase{ClassName: suiteName(f.Document), Name: f.ControlID + " " + f.Title, Time: "0", File: f.Document.File, Line: f.Line,
		Properties: []JUnitProperty{{Name: "severity", Value: string(f.Severity)}, {Name: "area", Value: f.Area}, {Name: "status", Value: string(f.Status)}}}
	msg := resultText(f)
	switch f.Status {
	case finding.StatusFail, finding.StatusInsufficientEvidence:
		c.Failure = &JUnitProblem{Message: msg, Type: string(f.Status), Text: junitDetail(f)}
	case finding.StatusError:
		c.Error = &JUnitProblem{Message: msg, Type: "policy_error", Text: junitDetail(f)}
	case finding.StatusNotApplicable:
		c.Skipped = &JUnitSkipped{Message: "not applicable: " + msg}
	case finding.StatusWaived:
		c.Skipped = &JUnitSkipped{Message: "waived: " + waiverText(f.Waiver) + " (" + msg + ")"}
	default:
		c.SystemOut = msg
	}
	return c
}

// waiverText describes a waiver in one line.
func waiverText(w *finding.Waiver) string {
	if w == nil {
		return "risk accepted by a waiver"
	}
	s := fmt.Sprintf("%s approved by %s until %s: %s", w.Name, w.ApprovedBy, w.Expires, w.Reason)
	if w.Ticket != "" {
		s += " [" + w.Ticket + "]"
	}
	return s
}

func (j *junitWriter) Result(r *scan.DocResult) error {
	s := JUnitSuite{Name: suiteName(r.Doc), Time: "0", File: r.Doc.File}
	if r.Doc.Kind != "" {
		s.Properties = append(s.Properties, JUnitProperty{Name: "kind", Value: r.Doc.Kind})
	}
	if r.Doc.Site != "" {
		s.Properties = append(s.Properties, JUnitProperty{Name: "site", Value: r.Doc.Site})
	}
	s.Properties = append(s.Properties, JUnitProperty{Name: "status", Value: docStatus(r, j.o.FailOn)})
	if j.o.Engine != nil && len(j.o.Engine.Sources()) > 0 {
		// custom controls ran: name the policies and their revisions
		s.Properties = append(s.Properties, JUnitProperty{Name: "catalogue", Value: j.o.Engine.Version()})
	}
	for _, e := range r.Errors {
		name := e.Path
		if name == "" {
			name = "document"
		}
		s.Cases = append(s.Cases, JUnitCase{ClassName: "input", Name: name, Time: "0", File: e.File, Line: e.Pos.Line,
			Error: &JUnitProblem{Message: e.Msg, Type: "input_error", Text: e.Error()}})
	}
	for i := range r.Findings {
		s.Cases = append(s.Cases, junitCase(&r.Findings[i]))
	}
	for _, c := range s.Cases {
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
	}
	s.Tests = len(s.Cases)
	t := &j.totals
	t.Tests += s.Tests
	t.Failures += s.Failures
	t.Errors += s.Errors
	t.Skipped += s.Skipped
	b, err := xml.MarshalIndent(s, "  ", "  ")
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	j.spool.Write(b)
	_, err = j.spool.WriteString("\n")
	return err
}

func (j *junitWriter) Close(fin *Final) error {
	t := j.totals
	w := j.w
	w.WriteString(xml.Header)
	fmt.Fprintf(w, `<testsuites name="lockcheck" tests="%d" failures="%d" errors="%d" skipped="%d" time="0"`, t.Tests, t.Failures, t.Errors, t.Skipped)
	if fin != nil && fin.Summary != nil && fin.Summary.Now != "" {
		fmt.Fprintf(w, ` timestamp="%s"`, xmlAttr(fin.Summary.Now))
	}
	w.WriteString(">\n")
	if err := j.spool.copyTo(w); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	w.WriteString("</testsuites>\n")
	return w.Flush()
}

func xmlAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}
