// Package scan runs lockcheck over a set of inputs: it reads and validates
// documents, resolves the links between them, evaluates each one on a pool of
// workers against the engine's single prepared query, and hands the results
// to a sink in input order (file, then document index), whatever the number
// of workers. Memory is bounded by the documents in flight, not by the fleet.
package scan

import (
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// DocResult is everything known about one input document.
type DocResult struct {
	// Seq is the document's position in the run (0-based, input order).
	Seq int
	// Doc identifies the document; Kind and Name may be empty when it could
	// not be decoded.
	Doc finding.DocRef
	// Labels are the document's metadata.labels.
	Labels map[string]string
	// Findings are the controls' outcomes, in catalogue order; empty when the
	// document was not evaluated (an input error).
	Findings []finding.Finding
	// Errors are input errors: the document was not evaluated.
	Errors []*document.InputError
	// Warnings do not stop evaluation (unknown fields, unresolved links).
	Warnings []document.Warning
	// CapturedAt is a snapshot's spec.captured_at (for fleet aggregates).
	CapturedAt string
	// Source is the decoded document; only set when Options.KeepDocuments.
	Source *document.Document
}

// Failing reports whether any finding of the result fails at or above min
// (insufficient evidence and errors count at every severity).
func (r *DocResult) Failing(min finding.Severity) bool {
	for i := range r.Findings {
		if failsAt(&r.Findings[i], min) {
			return true
		}
	}
	return false
}

func failsAt(f *finding.Finding, min finding.Severity) bool {
	switch f.Status {
	case finding.StatusInsufficientEvidence, finding.StatusError:
		return true
	case finding.StatusFail:
		return f.Severity.Rank() >= min.Rank()
	}
	return false
}

// FailsAt reports whether a finding counts as failing at threshold min.
func FailsAt(f *finding.Finding, min finding.Severity) bool { return failsAt(f, min) }
