// Package report writes a run's results in one output format per
// implementation. Every writer receives the results in input order, one
// document at a time (streaming formats write as they go), then the summary.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

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

// Verdict is the outcome of `approve` for one plan.
type Verdict struct {
	Plan       finding.DocRef `json:"plan"`
	Product    string         `json:"product"`
	Decision   string         `json:"decision"` // APPROVED, APPROVED WITH CONDITIONS, REJECTED
	Reasons    []string       `json:"reasons"`
	Conditions []string       `json:"conditions"`
	// ToApprove says what would change the verdict.
	ToApprove []string `json:"to_approve"`
}

// The approve decisions.
const (
	Approved               = "APPROVED"
	ApprovedWithConditions = "APPROVED WITH CONDITIONS"
	Rejected               = "REJECTED"
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
