package scan

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// The fleet-level controls are judged on one synthetic document built from
// the run's aggregates after the last input document.
const (
	// KindFleet is the kind of that document (the fleet controls' applies_to).
	KindFleet = "Fleet"
	// FleetFile is the file name its findings report.
	FleetFile = "(fleet)"
	// FleetName is its metadata.name.
	FleetName = "fleet"
)

// FleetSite is one site's aggregate for the fleet-level controls, over the
// evaluated LockSnapshots of the site.
type FleetSite struct {
	Site string
	// Locks is the number of evaluated lock snapshots.
	Locks int
	// UpdSupported counts the locks passing (or not applicable to) every
	// control a fleet control aggregates (METADATA custom.aggregates of the
	// fleet controls: UPD-006 and UPD-007 in the built-in catalogue).
	UpdSupported int
	// CriticalFailing counts the locks with a failing critical finding
	// (fail, insufficient evidence or error at severity critical).
	CriticalFailing int
	// Newest is the most recent captured_at (by instant, not by string).
	Newest string
	newest time.Time
}

// fleetAgg holds the per-site aggregates; a few integers per site.
type fleetAgg struct {
	sites map[string]*FleetSite
	// aggregated are the controls the catalogue's fleet controls aggregate
	// (their METADATA custom.aggregates).
	aggregated map[string]bool
	// upd is true when every aggregated control is selected, so that
	// UpdSupported means something.
	upd bool
}

func newFleetAgg(e Engine) *fleetAgg {
	f := &fleetAgg{sites: map[string]*FleetSite{}, aggregated: aggregatedControls(e.Controls())}
	n := 0
	for _, c := range e.Selected() {
		if f.aggregated[c.ID] {
			n++
		}
	}
	f.upd = len(f.aggregated) > 0 && n == len(f.aggregated)
	return f
}

// aggregatedControls collects the ids the fleet controls of the catalogue
// declare in custom.aggregates.
func aggregatedControls(all []*finding.Control) map[string]bool {
	ids := map[string]bool{}
	for _, c := range all {
		if !c.Applies(KindFleet) {
			continue
		}
		for _, id := range c.Aggregates {
			ids[id] = true
		}
	}
	return ids
}

func (f *fleetAgg) site(name string) *FleetSite {
	s := f.sites[name]
	if s == nil {
		s = &FleetSite{Site: name}
		f.sites[name] = s
	}
	return s
}

// add folds one evaluated LockSnapshot of a site.
func (f *fleetAgg) add(site string, r *DocResult) {
	s := f.site(site)
	s.Locks++
	supported, critical := 0, false
	for i := range r.Findings {
		fd := &r.Findings[i]
		if f.aggregated[fd.ControlID] &&
			(fd.Status == finding.StatusPass || fd.Status == finding.StatusNotApplicable) {
			supported++
		}
		if fd.Status.Failing() && fd.Severity == finding.SeverityCritical {
			critical = true
		}
	}
	if len(f.aggregated) > 0 && supported == len(f.aggregated) {
		s.UpdSupported++
	}
	if critical {
		s.CriticalFailing++
	}
	s.observe(r.CapturedAt)
}

// observe keeps the newest capture time; unparsable times are ignored.
func (s *FleetSite) observe(capturedAt string) {
	t, err := time.Parse(time.RFC3339, capturedAt)
	if err != nil {
		return
	}
	if s.Newest == "" || t.After(s.newest) {
		s.Newest, s.newest = capturedAt, t
	}
}

// laterCapture reports whether RFC 3339 time a is after b (an empty or
// unparsable b is earlier than any valid a).
func laterCapture(a, b string) bool {
	ta, err := time.Parse(time.RFC3339, a)
	if err != nil {
		return false
	}
	tb, err := time.Parse(time.RFC3339, b)
	return err != nil || ta.After(tb)
}

// FleetSites returns the per-site fleet aggregates, sorted by site.
func (a *Aggregator) FleetSites() []FleetSite {
	out := make([]FleetSite, 0, len(a.fleet.sites))
	for _, s := range a.fleet.sites {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Site < out[j].Site })
	return out
}

// ObserveCapture records a capture time seen for a site outside Add (when
// results are rebuilt from reports that do not carry captured_at, as
// `lockcheck merge` does from the shards' summaries). Unknown sites are
// ignored: a site exists once one of its snapshots was added.
func (a *Aggregator) ObserveCapture(site, capturedAt string) {
	if s := a.fleet.sites[site]; s != nil {
		s.observe(capturedAt)
	}
	if sc := a.sites[site]; sc != nil && laterCapture(capturedAt, sc.Newest) {
		sc.Newest = capturedAt
	}
}

// FleetDocument builds the Fleet document the fleet-level controls read:
//
//	{kind: Fleet, metadata: {name: fleet}, spec: {sites: [{site, locks,
//	 upd_supported, critical_failing, newest_captured_at}]}}
//
// upd_supported is left out when withUPD is false (a control the fleet
// controls aggregate, UPD-006 or UPD-007, was not evaluated), so FLEET-001
// reports it as not evidenced instead of guessing.
func FleetDocument(sites []FleetSite, withUPD bool) *document.Document {
	list := make([]any, 0, len(sites))
	for _, s := range sites {
		m := map[string]any{
			"site":             s.Site,
			"locks":            s.Locks,
			"critical_failing": s.CriticalFailing,
		}
		if withUPD {
			m["upd_supported"] = s.UpdSupported
		}
		if s.Newest != "" {
			m["newest_captured_at"] = s.Newest
		}
		list = append(list, m)
	}
	return &document.Document{
		File:       FleetFile,
		Index:      1,
		APIVersion: document.APIVersion,
		Kind:       KindFleet,
		Name:       FleetName,
		Raw: map[string]any{
			"apiVersion": document.APIVersion,
			"kind":       KindFleet,
			"metadata":   map[string]any{"name": FleetName},
			"spec":       map[string]any{"sites": list},
		},
	}
}

// EvaluateFleet evaluates the selected fleet-level controls on the
// aggregates so far and returns their result as one more document, or nil
// when no lock snapshot was evaluated or no fleet control is selected. The
// caller adds it to the aggregator and the writers like any other result.
func (a *Aggregator) EvaluateFleet(ctx context.Context, e Engine) (*DocResult, error) {
	if len(a.fleet.sites) == 0 {
		return nil, nil
	}
	doc := FleetDocument(a.FleetSites(), a.fleet.upd)
	findings, err := e.Evaluate(ctx, doc, finding.Related{})
	if err != nil {
		return nil, fmt.Errorf("evaluate fleet controls: %w", err)
	}
	if len(findings) == 0 {
		return nil, nil
	}
	return &DocResult{Seq: a.s.Documents, Doc: finding.RefOf(doc), Findings: findings}, nil
}

// AddFleet is the fleet step of a run, once the documents are done: it
// evaluates the fleet-level controls on the aggregates (EvaluateFleet),
// counts their result in the summary and hands it to sink (the store, the
// writers). It returns the result, nil when there is none; on an error
// from sink the result is already counted.
func (a *Aggregator) AddFleet(ctx context.Context, e Engine, sink Sink) (*DocResult, error) {
	r, err := a.EvaluateFleet(ctx, e)
	if err != nil || r == nil {
		return nil, err
	}
	a.Add(r)
	if err := sink.Result(r); err != nil {
		return r, err
	}
	return r, nil
}
