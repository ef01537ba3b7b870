package scan

import (
	"encoding/json"
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
	// Shard is set on the output of one shard of a run (scan --shard K/N).
	Shard *ShardInfo `json:"shard,omitempty"`

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

// ShardInfo says which part of a run a result covers and, in the NDJSON
// format, seals the lines written before the summary line, so that `merge`
// can refuse a shard whose findings were changed, removed or added.
type ShardInfo struct {
	// Index is K, 0-based; Of is N.
	Index int `json:"index"`
	Of    int `json:"of"`
	// Lines is the number of lines before the summary line (findings,
	// errors, warnings) and Digest the sha256 of those lines, each with its
	// newline ("sha256:<hex>"). Only the NDJSON format sets them.
	Lines  int    `json:"lines,omitempty"`
	Digest string `json:"lines_digest,omitempty"`
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

// The review recommendations.
const (
	Recommended                 = "recommended"
	RecommendedWithReservations = "recommended with reservations"
	NotRecommended              = "not recommended"
)

// ProductScore is one ProductSpec's column of the comparison matrix.
type ProductScore struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Vendor string `json:"vendor,omitempty"`
	Model  string `json:"model,omitempty"`
	// Recommendation is "not recommended" when any critical control fails
	// or is not evidenced (whatever the score), "recommended with
	// reservations" when a high one does, "recommended" otherwise.
	Recommendation string `json:"recommendation"`
	// Blocking are the critical controls failing or not evidenced.
	Blocking []string `json:"blocking"`
	// Score is the severity-weighted share of passing findings (0–100):
	// each applicable finding weighs the review_weight_<severity> param.
	Score float64 `json:"score"`
	// PassRate is the plain share of passing findings (0–100).
	PassRate float64                   `json:"pass_rate"`
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
	weights  map[finding.Severity]float64
}

// NewAggregator starts a summary for an engine's selected controls.
func NewAggregator(e Engine, failOn finding.Severity) *Aggregator {
	a := &Aggregator{
		failOn:   failOn,
		controls: map[string]*ControlCount{},
		sites:    map[string]*SiteCount{},
		fleet:    newFleetAgg(e),
		weights:  Weights(e.Params()),
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

// Add folds one document's result into the summary: its problems, its
// outcome, its findings' counts, a product's score and a snapshot's site.
func (a *Aggregator) Add(r *DocResult) {
	a.countDocument(r)
	if len(r.Errors) > 0 {
		a.s.Invalid++
		return
	}
	if len(r.Findings) == 0 {
		return
	}
	failing := r.Failing(a.failOn)
	a.countOutcome(failing)
	a.countFindings(r.Findings)
	if r.Doc.Kind == document.KindProductSpec {
		a.s.Products = append(a.s.Products, a.scoreProduct(r))
	}
	if r.Doc.Kind == document.KindLockSnapshot {
		site := siteOf(r)
		a.countSite(site, r.CapturedAt, failing)
		a.fleet.add(site, r)
	}
}

// countDocument counts a document, its kind when it is valid, and its input
// errors and warnings (keeping the first MaxKeptProblems of each).
func (a *Aggregator) countDocument(r *DocResult) {
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
}

// countOutcome counts an evaluated document as failing or compliant.
func (a *Aggregator) countOutcome(failing bool) {
	a.s.Evaluated++
	if failing {
		a.s.Failing++
	} else {
		a.s.Compliant++
	}
}

// countFindings counts one document's findings by status, failing
// severity, control and area.
func (a *Aggregator) countFindings(findings []finding.Finding) {
	s := &a.s
	for i := range findings {
		f := &findings[i]
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
	}
}

// scoreProduct builds a ProductSpec's column of the comparison matrix: its
// counts, the severity-weighted score, the blocking controls, the missing
// evidence and the recommendation.
func (a *Aggregator) scoreProduct(r *DocResult) ProductScore {
	prod := ProductScore{Name: r.Doc.Name, File: r.Doc.File, Blocking: []string{}, ByArea: map[string]StatusCount{}, Statuses: map[string]finding.Status{}}
	if r.Source != nil {
		if p, ok := r.Source.Spec()["product"].(map[string]any); ok {
			prod.Vendor, _ = p["manufacturer"].(string)
			prod.Model, _ = p["model"].(string)
		}
	}
	var weighed, passed float64
	for i := range r.Findings {
		f := &r.Findings[i]
		prod.Counts.add(f.Status)
		ba := prod.ByArea[f.Area]
		ba.add(f.Status)
		prod.ByArea[f.Area] = ba
		prod.Statuses[f.ControlID] = f.Status
		prod.MissingFields = append(prod.MissingFields, f.Missing...)
		if f.Status != finding.StatusNotApplicable {
			wt := a.weights[f.Severity]
			weighed += wt
			if f.Status == finding.StatusPass {
				passed += wt
			}
		}
		if f.Status.Failing() && f.Severity == finding.SeverityCritical {
			prod.Blocking = append(prod.Blocking, f.ControlID)
		}
	}
	prod.PassRate = round1(prod.Counts.Score())
	if weighed > 0 {
		prod.Score = round1(passed * 100 / weighed)
	}
	prod.Recommendation = recommendation(r)
	prod.MissingFields = distinct(prod.MissingFields)
	return prod
}

// siteOf names a snapshot's site, "(no site)" when it has none.
func siteOf(r *DocResult) string {
	if r.Doc.Site == "" {
		return "(no site)"
	}
	return r.Doc.Site
}

// countSite counts a snapshot under its site and keeps the site's newest
// capture time.
func (a *Aggregator) countSite(site, capturedAt string, failing bool) {
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
	if laterCapture(capturedAt, sc.Newest) {
		sc.Newest = capturedAt
	}
}

// recommendation: any critical failing or not evidenced control makes a
// product "not recommended", whatever its score.
func recommendation(r *DocResult) string {
	high := false
	for i := range r.Findings {
		f := &r.Findings[i]
		if !f.Status.Failing() {
			continue
		}
		switch f.Severity {
		case finding.SeverityCritical:
			return NotRecommended
		case finding.SeverityHigh:
			high = true
		}
	}
	if high {
		return RecommendedWithReservations
	}
	return Recommended
}

// Weights are the review score's weight per severity, from the params
// review_weight_<severity> (defaults in policies/params.json).
func Weights(params map[string]any) map[finding.Severity]float64 {
	w := map[finding.Severity]float64{}
	for _, sev := range finding.Severities {
		w[sev] = 1
		switch v := params["review_weight_"+string(sev)].(type) {
		case json.Number:
			if f, err := v.Float64(); err == nil {
				w[sev] = f
			}
		case float64:
			w[sev] = v
		case int:
			w[sev] = float64(v)
		}
	}
	return w
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// MarkShard records that the run covers shard index of n.
func (a *Aggregator) MarkShard(index, n int) { a.s.Shard = &ShardInfo{Index: index, Of: n} }

// MarkIncomplete records that the run was interrupted.
func (a *Aggregator) MarkIncomplete() { a.s.Incomplete = true }

// Summary returns the aggregate so far (sorted, deterministic).
func (a *Aggregator) Summary() *Summary {
	s := a.s
	if a.s.Shard != nil {
		sh := *a.s.Shard
		s.Shard = &sh
	}
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
