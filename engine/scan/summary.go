package scan

import (
	"sort"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// MaxKeptProblems bounds how many input errors and warnings a summary keeps
// (the count is always exact).
const MaxKeptProblems = 1000

// Summary aggregates a run. It holds counts, not findings, except for the
// product comparison matrix (product specs are few).
type Summary struct {
	Now              string `json:"now"`
	CatalogueVersion string `json:"catalogue_version"`
	CatalogueDigest  string `json:"catalogue_digest"`
	ParamsDigest     string `json:"params_digest"`
	FailOn           string `json:"fail_on"`
	// Incomplete is set when the run was interrupted.
	Incomplete bool `json:"incomplete,omitempty"`

	Documents int            `json:"documents"`
	ByKind    map[string]int `json:"by_kind"`
	Evaluated int            `json:"evaluated"`
	Invalid   int            `json:"invalid"`
	// Compliant and Failing count evaluated documents.
	Compliant int `json:"compliant"`
	Failing   int `json:"failing"`

	Statuses          map[finding.Status]int   `json:"statuses"`
	FailingBySeverity map[finding.Severity]int `json:"failing_by_severity"`
	Controls          []ControlCount           `json:"controls"`
	Sites             []SiteCount              `json:"sites,omitempty"`
	Products          []ProductScore           `json:"products,omitempty"`

	InputErrors int                     `json:"input_errors"`
	PolicyErrs  int                     `json:"policy_errors"`
	Errors      []*document.InputError  `json:"errors,omitempty"`
	Warnings    []document.Warning      `json:"warnings,omitempty"`
	WarningsN   int                     `json:"warnings_count"`
	Areas       map[string]*StatusCount `json:"areas"`
}

// StatusCount counts findings by status.
type StatusCount struct {
	Pass         int `json:"pass"`
	Fail         int `json:"fail"`
	Insufficient int `json:"insufficient_evidence"`
	NA           int `json:"not_applicable"`
	Waived       int `json:"waived"`
	Error        int `json:"error"`
}

func (c *StatusCount) add(s finding.Status) {
	switch s {
	case finding.StatusPass:
		c.Pass++
	case finding.StatusFail:
		c.Fail++
	case finding.StatusInsufficientEvidence:
		c.Insufficient++
	case finding.StatusNotApplicable:
		c.NA++
	case finding.StatusWaived:
		c.Waived++
	case finding.StatusError:
		c.Error++
	}
}

// Failing is the number of failing findings (fail, insufficient, error).
func (c StatusCount) Failing() int { return c.Fail + c.Insufficient + c.Error }

// Score is the share of passing findings among those that apply (0–100).
func (c StatusCount) Score() float64 {
	n := c.Pass + c.Fail + c.Insufficient + c.Error + c.Waived
	if n == 0 {
		return 0
	}
	return float64(c.Pass) * 100 / float64(n)
}

// ControlCount is one control's outcomes across the run.
type ControlCount struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Area     string           `json:"area"`
	Severity finding.Severity `json:"severity"`
	StatusCount
}

// SiteCount is one site's documents.
type SiteCount struct {
	Site      string `json:"site"`
	Documents int    `json:"documents"`
	Compliant int    `json:"compliant"`
	Failing   int    `json:"failing"`
	// Newest is the most recent snapshot capture time seen for the site.
	Newest string `json:"newest_captured_at,omitempty"`
}

// ProductScore is one ProductSpec's column of the comparison matrix.
type ProductScore struct {
	Name     string                    `json:"name"`
	File     string                    `json:"file"`
	Score    float64                   `json:"score"`
	Counts   StatusCount               `json:"counts"`
	ByArea   map[string]StatusCount    `json:"by_area"`
	Statuses map[string]finding.Status `json:"statuses"`
	// MissingFields are the distinct evidence fields the sheet omits that
	// controls need ("not evidenced").
	MissingFields []string `json:"missing_fields"`
}

// Aggregator builds a Summary from results added in order.
type Aggregator struct {
	s        Summary
	failOn   finding.Severity
	controls map[string]*ControlCount
	sites    map[string]*SiteCount
	fleet    *fleetAgg
}

// NewAggregator starts a summary for an engine's selected controls.
func NewAggregator(e Engine, failOn finding.Severity) *Aggregator {
	a := &Aggregator{
		failOn:   failOn,
		controls: map[string]*ControlCount{},
		sites:    map[string]*SiteCount{},
		fleet:    newFleetAgg(e),
	}
	a.s = Summary{
		Now:               e.Now().Format("2006-01-02T15:04:05Z07:00"),
		CatalogueVersion:  e.Version(),
		CatalogueDigest:   e.Digest(),
		ParamsDigest:      e.ParamsDigest(),
		FailOn:            string(failOn),
		ByKind:            map[string]int{},
		Statuses:          map[finding.Status]int{},
		FailingBySeverity: map[finding.Severity]int{},
		Areas:             map[string]*StatusCount{},
	}
	for _, c := range e.Selected() {
		cc := &ControlCount{ID: c.ID, Title: c.Title, Area: c.Area, Severity: c.Severity}
		a.controls[c.ID] = cc
		a.s.Controls = append(a.s.Controls, *cc)
	}
	return a
}

// Add folds one document's result into the summary.
func (a *Aggregator) Add(r *DocResult) {
	s := &a.s
	s.Documents++
	// Kinds count valid documents only: an invalid one may name no kind, or
	// one that does not exist.
	if r.Doc.Kind != "" && len(r.Errors) == 0 {
		s.ByKind[r.Doc.Kind]++
	}
	for _, e := range r.Errors {
		s.InputErrors++
		if len(s.Errors) < MaxKeptProblems {
			s.Errors = append(s.Errors, e)
		}
	}
	for _, w := range r.Warnings {
		s.WarningsN++
		if len(s.Warnings) < MaxKeptProblems {
			s.Warnings = append(s.Warnings, w)
		}
	}
	if len(r.Errors) > 0 {
		s.Invalid++
		return
	}
	if len(r.Findings) == 0 {
		return
	}
	s.Evaluated++
	failing := r.Failing(a.failOn)
	if failing {
		s.Failing++
	} else {
		s.Compliant++
	}
	var prod *ProductScore
	if r.Doc.Kind == document.KindProductSpec {
		s.Products = append(s.Products, ProductScore{Name: r.Doc.Name, File: r.Doc.File, ByArea: map[string]StatusCount{}, Statuses: map[string]finding.Status{}})
		prod = &s.Products[len(s.Products)-1]
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		s.Statuses[f.Status]++
		if f.Status == finding.StatusError {
			s.PolicyErrs++
		}
		if f.Status.Failing() {
			s.FailingBySeverity[f.Severity]++
		}
		if cc := a.controls[f.ControlID]; cc != nil {
			cc.add(f.Status)
		}
		ar := s.Areas[f.Area]
		if ar == nil {
			ar = &StatusCount{}
			s.Areas[f.Area] = ar
		}
		ar.add(f.Status)
		if prod != nil {
			prod.Counts.add(f.Status)
			ba := prod.ByArea[f.Area]
			ba.add(f.Status)
			prod.ByArea[f.Area] = ba
			prod.Statuses[f.ControlID] = f.Status
			prod.MissingFields = append(prod.MissingFields, f.Missing...)
		}
	}
	if prod != nil {
		prod.Score = round1(prod.Counts.Score())
		prod.MissingFields = distinct(prod.MissingFields)
	}
	if r.Doc.Kind == document.KindLockSnapshot {
		site := r.Doc.Site
		if site == "" {
			site = "(no site)"
		}
		sc := a.sites[site]
		if sc == nil {
			sc = &SiteCount{Site: site}
			a.sites[site] = sc
		}
		sc.Documents++
		if failing {
			sc.Failing++
		} else {
			sc.Compliant++
		}
		if laterCapture(r.CapturedAt, sc.Newest) {
			sc.Newest = r.CapturedAt
		}
		a.fleet.add(site, r)
	}
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// MarkIncomplete records that the run was interrupted.
func (a *Aggregator) MarkIncomplete() { a.s.Incomplete = true }

// Summary returns the aggregate so far (sorted, deterministic).
func (a *Aggregator) Summary() *Summary {
	s := a.s
	s.Controls = make([]ControlCount, len(a.s.Controls))
	for i, c := range a.s.Controls {
		s.Controls[i] = *a.controls[c.ID]
	}
	s.Sites = s.Sites[:0:0]
	for _, sc := range a.sites {
		s.Sites = append(s.Sites, *sc)
	}
	sort.Slice(s.Sites, func(i, j int) bool { return s.Sites[i].Site < s.Sites[j].Site })
	return &s
}

// TopFailing returns up to n controls with the most failing findings.
func (s *Summary) TopFailing(n int) []ControlCount {
	var out []ControlCount
	for _, c := range s.Controls {
		if c.Failing() > 0 {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Failing() != out[j].Failing() {
			return out[i].Failing() > out[j].Failing()
		}
		return finding.ControlLess(out[i].ID, out[j].ID)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// ExitCode maps the summary to the process exit code: 2 for input or policy
// errors, 1 for failing findings at or above the threshold, 0 otherwise.
func (s *Summary) ExitCode() int {
	switch {
	case s.InputErrors > 0 || s.PolicyErrs > 0:
		return 2
	case s.Failing > 0:
		return 1
	}
	return 0
}

func distinct(xs []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
