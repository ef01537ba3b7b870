// Package finding holds the types every layer of lockcheck shares: a
// control of the catalogue, a document reference, a finding with its status,
// severity, evidence and waiver. It is the leaf of the engine's package
// graph: it imports only engine/document and policies (for the catalogue's
// area order), and engine, scan, report, waiver,
// history and catalogue import it. Package engine re-exports these types
// under their old names (engine.Finding = finding.Finding).
package finding

import (
	"strings"
	"sync"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/policies"
)

// Status is the outcome of one control on one document.
type Status string

// The statuses. Only StatusPass and StatusNotApplicable count as passing;
// StatusInsufficientEvidence fails closed.
const (
	StatusPass                 Status = "pass"
	StatusFail                 Status = "fail"
	StatusNotApplicable        Status = "not_applicable"
	StatusInsufficientEvidence Status = "insufficient_evidence"
	StatusWaived               Status = "waived"
	StatusError                Status = "error"
)

// Statuses lists every status in report order.
var Statuses = []Status{StatusFail, StatusInsufficientEvidence, StatusError, StatusWaived, StatusPass, StatusNotApplicable}

// Failing reports whether the status counts as failing for exit codes and
// verdicts: fail, insufficient_evidence and error do.
func (s Status) Failing() bool {
	return s == StatusFail || s == StatusInsufficientEvidence || s == StatusError
}

// Severity is a control's (or a finding's) severity.
type Severity string

// The severities, lowest first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists the severities, highest first.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// Rank orders severities: low 1 … critical 4; 0 for an unknown value.
func (s Severity) Rank() int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// ParseSeverity validates a severity name.
func ParseSeverity(s string) (Severity, bool) {
	v := Severity(s)
	return v, v.Rank() > 0
}

// Reference is a clause of a standard behind a control.
type Reference struct {
	Standard string `json:"standard"`
	Clause   string `json:"clause"`
}

// DocRef identifies the document a finding is about.
type DocRef struct {
	File  string `json:"file"`
	Index int    `json:"index"`
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Site  string `json:"site,omitempty"`
}

// RefOf returns the DocRef of a decoded document.
func RefOf(d *document.Document) DocRef {
	r := DocRef{File: d.File, Index: d.Index, Kind: d.Kind, Name: d.Name}
	if d.Labels != nil {
		r.Site = d.Labels["site"]
	}
	if r.Site == "" {
		if s, ok := d.Spec()["device"].(map[string]any); ok {
			r.Site, _ = s["site_id"].(string)
		}
	}
	if r.Site == "" {
		if s, ok := d.Spec()["site"].(map[string]any); ok {
			r.Site, _ = s["site_id"].(string)
		}
	}
	return r
}

// Evidence is one field the control looked at.
type Evidence struct {
	Path     string `json:"path"`
	Observed any    `json:"observed"`
	Expected any    `json:"expected"`
	// Line is the line of the field in the document's file, when known.
	Line int `json:"line,omitempty"`
	// Source is where an imported document's field came from (its
	// lockcheck.dev/provenance annotation), e.g. "matter:1/257/48".
	Source string `json:"source,omitempty"`
}

// Waiver records the accepted risk that turned a failing finding into
// StatusWaived (or that expired and no longer does).
type Waiver struct {
	Name       string `json:"name"`
	ApprovedBy string `json:"approved_by"`
	Reason     string `json:"justification"`
	Ticket     string `json:"ticket,omitempty"`
	Expires    string `json:"expires"`
	// Original is the status the waiver covers (fail or insufficient_evidence).
	Original Status `json:"original_status"`
}

// Finding is the outcome of one control on one document.
type Finding struct {
	ControlID   string      `json:"control_id"`
	Title       string      `json:"title"`
	Area        string      `json:"area"`
	Severity    Severity    `json:"severity"`
	Status      Status      `json:"status"`
	Document    DocRef      `json:"document"`
	Rationale   string      `json:"rationale"`
	Evidence    []Evidence  `json:"evidence"`
	Missing     []string    `json:"missing"`
	Warnings    []string    `json:"warnings,omitempty"`
	Remediation string      `json:"remediation"`
	References  []Reference `json:"references"`
	Waiver      *Waiver     `json:"waiver,omitempty"`
	// Line is where the finding points in the document's file: the first
	// evidence field's line, else the document's first line.
	Line int `json:"line,omitempty"`
}

// Control is one entry of the catalogue, read from its Rego package's
// METADATA block.
type Control struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Description string              `json:"description"`
	Area        string              `json:"area"`
	Severity    Severity            `json:"severity"`
	AppliesTo   []string            `json:"applies_to"`
	Evidence    map[string][]string `json:"evidence"`
	Params      []string            `json:"params,omitempty"`
	// Aggregates names the controls whose per-lock outcomes a fleet control
	// judges (METADATA custom.aggregates): the scan counts, per site, the
	// locks passing all of them. Not part of the listing's JSON.
	Aggregates  []string    `json:"-"`
	Remediation string      `json:"remediation"`
	References  []Reference `json:"references"`
	// Package is the control's Rego package path (data.lockcheck.controls.<area>.<slug>).
	Package string `json:"package"`
	// File is the policy file that defines it.
	File string `json:"file"`
	// Source names the --policy directory or bundle that added the control
	// (empty for the built-in catalogue).
	Source string `json:"source,omitempty"`
}

// Applies reports whether the control yields a finding for a document kind.
func (c *Control) Applies(kind string) bool {
	for _, k := range c.AppliesTo {
		if k == kind {
			return true
		}
	}
	return false
}

// Related are the documents linked to the one under evaluation: a
// snapshot's plan and product, a plan's product. Either may be nil.
type Related struct {
	Plan    *document.Document
	Product *document.Document
}

// areaOrder ranks the id prefixes of the catalogue's areas (1 for the
// first) in the order policies/catalogue.json lists them, for sorting
// control ids.
var areaOrder = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, a := range policies.Areas() {
		m[a.Prefix] = i + 1
	}
	return m
})

// ControlLess orders control ids as the catalogue does: by area, then number.
func ControlLess(a, b string) bool {
	pa, na, _ := strings.Cut(a, "-")
	pb, nb, _ := strings.Cut(b, "-")
	if pa != pb {
		order := areaOrder()
		oa, ob := order[pa], order[pb]
		if oa != ob {
			if oa == 0 || ob == 0 {
				return oa != 0
			}
			return oa < ob
		}
		return pa < pb
	}
	return na < nb
}

// PolicySource names a policy directory or bundle added to the catalogue
// (--policy), as reports and catalogue views show it: what it is, not its
// modules (engine/policy.Source holds those).
type PolicySource struct {
	// Path is the path as given on the command line.
	Path string
	// Name is the source's name in reports (a control's Source).
	Name string
	// Kind is "directory" or "bundle".
	Kind string
	// Revision is the bundle's revision, or the start of the digest.
	Revision string
	// Signed is true when the bundle's signature was verified.
	Signed bool
}
