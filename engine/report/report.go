// Package report writes a run's results in one output format per
// implementation. Every writer receives the results in input order, one
// document at a time (streaming formats write as they go), then the summary.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine/approval"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// Writer is one output format.
type Writer interface {
	// Result is called for each document, in input order.
	Result(r *scan.DocResult) error
	// Close writes what comes after the documents (the summary) and flushes.
	Close(s *Final) error
}

// Final is what a writer receives at the end of a run.
type Final struct {
	Summary *scan.Summary
	// Verdicts are set by `approve`.
	Verdicts []Verdict
	// Trend, when the scan is recorded in a history store, holds the pass
	// rates per control across the newest recorded scans (this one last).
	Trend *Trend
}

// Trend is a table of pass rates: one row per control, one column per scan.
type Trend struct {
	// Scans label the columns, oldest first (e.g. "#12 2026-11-25").
	Scans []string   `json:"scans"`
	Rows  []TrendRow `json:"rows"`
}

// TrendRow is one control's pass rates (0–100) across the scans; nil where
// the control had no applicable finding.
type TrendRow struct {
	Key   string     `json:"key"`
	Rates []*float64 `json:"rates"`
}

// Verdict is the outcome of `approve` for one plan (see engine/approval).
type Verdict = approval.Approval

// The approve decisions.
const (
	Approved               = approval.Approved
	ApprovedWithConditions = approval.ApprovedWithConditions
	Rejected               = approval.Rejected
)

// Options shared by the writers.
type Options struct {
	// Engine gives the catalogue (rules, versions) to formats that need it.
	Engine Engine
	// ToolVersion is lockcheck's version.
	ToolVersion string
	// Verb is the command that ran (review, scan, approve).
	Verb string
	// OnlyFailures hides passing and not-applicable findings (text, markdown).
	OnlyFailures bool
	// Color enables ANSI colour (text only).
	Color bool
	// IncludePass adds passing results to SARIF.
	IncludePass bool
	// FailOn is the severity threshold for the exit code.
	FailOn finding.Severity
	// SealLines makes the ndjson format count and digest the lines it writes
	// before the summary and record them in the summary's shard
	// (scan --shard K/N), which `merge` checks.
	SealLines bool
	// MarkdownMaxChars caps the markdown report (0: no cap): the summary
	// and the most severe failures are kept, whole tables only.
	MarkdownMaxChars int
	// Display chooses which findings the human formats (text, markdown,
	// html) show; it never changes what is evaluated, the exit code or the
	// machine formats.
	Display Display
}

// Display is what the human formats show.
type Display struct {
	// All lists every document and finding in input order (--show all);
	// otherwise the failing documents come first, worst first, with their
	// failing findings, and passing documents take one line each.
	All bool
	// MinSeverity hides findings below this severity ("" shows all).
	MinSeverity finding.Severity
	// Statuses, when set, are the only statuses shown (--status).
	Statuses []finding.Status
	// Differences shows only the comparison rows where products differ.
	Differences bool
}

// Shows reports whether a finding is displayed under the options.
func (o Options) Shows(f *finding.Finding) bool {
	if o.Display.MinSeverity != "" && f.Severity.Rank() < o.Display.MinSeverity.Rank() {
		return false
	}
	if len(o.Display.Statuses) > 0 {
		for _, s := range o.Display.Statuses {
			if f.Status == s {
				return true
			}
		}
		return false
	}
	if o.OnlyFailures {
		return f.Status.Failing() || f.Status == finding.StatusWaived
	}
	return o.Display.All || f.Status.Failing()
}

// ParseShow validates a --show value.
func ParseShow(s string) (all bool, ok bool) {
	switch s {
	case "failing":
		return false, true
	case "all":
		return true, true
	}
	return false, false
}

// ParseStatuses validates --status values (status names or their labels,
// e.g. fail, insufficient_evidence, not_evidenced, pass).
func ParseStatuses(vals []string) ([]finding.Status, error) {
	var out []finding.Status
	for _, v := range vals {
		want := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(v)), "-", "_")
		if want == "not_evidenced" {
			want = string(finding.StatusInsufficientEvidence)
		}
		found := false
		for _, s := range finding.Statuses {
			if string(s) == want {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			names := make([]string, len(finding.Statuses))
			for i, s := range finding.Statuses {
				names[i] = string(s)
			}
			return nil, fmt.Errorf("unknown status %q (statuses: %s)", v, strings.Join(names, ", "))
		}
	}
	return out, nil
}

// Factory makes a writer for one format.
type Factory func(w io.Writer, o Options) Writer

var formats = map[string]Factory{}

// Register adds a format; called from each format's init.
func Register(name string, f Factory) { formats[name] = f }

// New returns the writer for a format name.
func New(name string, w io.Writer, o Options) (Writer, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (formats: %s)", name, strings.Join(Formats(), ", "))
	}
	return f(w, o), nil
}

// Formats lists the registered format names.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// statusOrder puts failures first within a document.
var statusOrder = map[finding.Status]int{
	finding.StatusError: 0, finding.StatusFail: 1, finding.StatusInsufficientEvidence: 2,
	finding.StatusWaived: 3, finding.StatusPass: 4, finding.StatusNotApplicable: 5,
}

// failuresFirst returns the findings ordered by status (failing first), then
// severity (highest first), then control id.
func failuresFirst(fs []finding.Finding) []finding.Finding {
	out := append([]finding.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if statusOrder[a.Status] != statusOrder[b.Status] {
			return statusOrder[a.Status] < statusOrder[b.Status]
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		return finding.ControlLess(a.ControlID, b.ControlID)
	})
	return out
}

// docStatus is a document's overall status: invalid, fail or pass.
func docStatus(r *scan.DocResult, min finding.Severity) string {
	switch {
	case len(r.Errors) > 0:
		return "invalid"
	case len(r.Findings) == 0:
		return "not_evaluated"
	case r.Failing(min):
		return "fail"
	}
	return "pass"
}

// statusLabel is the human word for a status.
func statusLabel(s finding.Status) string {
	switch s {
	case finding.StatusInsufficientEvidence:
		return "NOT EVIDENCED"
	case finding.StatusNotApplicable:
		return "n/a"
	}
	return strings.ToUpper(string(s))
}
