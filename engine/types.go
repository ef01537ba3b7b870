package engine

import (
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// The shared types live in the leaf package engine/finding; these aliases
// keep engine's public API.
type (
	Status       = finding.Status
	Severity     = finding.Severity
	Reference    = finding.Reference
	DocRef       = finding.DocRef
	Evidence     = finding.Evidence
	Waiver       = finding.Waiver
	Finding      = finding.Finding
	Control      = finding.Control
	Related      = finding.Related
	PolicySource = finding.PolicySource
)

// The statuses (see finding.Status).
const (
	StatusPass                 = finding.StatusPass
	StatusFail                 = finding.StatusFail
	StatusNotApplicable        = finding.StatusNotApplicable
	StatusInsufficientEvidence = finding.StatusInsufficientEvidence
	StatusWaived               = finding.StatusWaived
	StatusError                = finding.StatusError
)

// The severities (see finding.Severity).
const (
	SeverityLow      = finding.SeverityLow
	SeverityMedium   = finding.SeverityMedium
	SeverityHigh     = finding.SeverityHigh
	SeverityCritical = finding.SeverityCritical
)

var (
	// Statuses lists every status in report order.
	Statuses = finding.Statuses
	// Severities lists the severities, highest first.
	Severities = finding.Severities
)

// ParseSeverity validates a severity name.
func ParseSeverity(s string) (Severity, bool) { return finding.ParseSeverity(s) }

// RefOf returns the DocRef of a decoded document.
func RefOf(d *document.Document) DocRef { return finding.RefOf(d) }

// ControlLess orders control ids as the catalogue does: by area, then number.
func ControlLess(a, b string) bool { return finding.ControlLess(a, b) }

func controlLess(a, b string) bool { return finding.ControlLess(a, b) }
