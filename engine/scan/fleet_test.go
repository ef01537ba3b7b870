package scan_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestFleetAggregates recomputes each site's counts from the per-document
// findings and compares them with the aggregator's, then checks the fleet
// controls' outcome on the fixture fleet.
func TestFleetAggregates(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	results := collect(t, r, scan.Options{Paths: fixtureInputs, LinkPaths: fixtureLinks})
	agg := scan.NewAggregator(r.Engine, engine.SeverityLow)
	want := map[string]*scan.FleetSite{}
	for _, res := range results {
		agg.Add(res)
		if res.Doc.Kind != document.KindLockSnapshot || len(res.Errors) > 0 || len(res.Findings) == 0 {
			continue
		}
		s := want[res.Doc.Site]
		if s == nil {
			s = &scan.FleetSite{Site: res.Doc.Site}
			want[res.Doc.Site] = s
		}
		s.Locks++
		ok, critical := map[string]bool{}, false
		for _, f := range res.Findings {
			ok[f.ControlID] = f.Status == engine.StatusPass || f.Status == engine.StatusNotApplicable
			critical = critical || (f.Status.Failing() && f.Severity == engine.SeverityCritical)
		}
		if ok["UPD-006"] && ok["UPD-007"] {
			s.UpdSupported++
		}
		if critical {
			s.CriticalFailing++
		}
	}
	got := agg.FleetSites()
	if len(got) != len(want) {
		t.Fatalf("%d sites aggregated, want %d: %+v", len(got), len(want), got)
	}
	for _, g := range got {
		w := want[g.Site]
		if w == nil || g.Locks != w.Locks || g.UpdSupported != w.UpdSupported || g.CriticalFailing != w.CriticalFailing {
			t.Errorf("site %s: got %+v, want %+v", g.Site, g, w)
		}
		if g.Newest == "" {
			t.Errorf("site %s: no newest captured_at", g.Site)
		}
	}

	fleet, err := agg.EvaluateFleet(context.Background(), r.Engine)
	if err != nil {
		t.Fatal(err)
	}
	if fleet == nil {
		t.Fatal("no fleet result")
	}
	wantDoc := engine.DocRef{File: scan.FleetFile, Index: 1, Kind: scan.KindFleet, Name: scan.FleetName}
	if diff := cmp.Diff(wantDoc, fleet.Doc); diff != "" {
		t.Errorf("fleet document (-want +got):\n%s", diff)
	}
	statuses := map[string]engine.Status{}
	for _, f := range fleet.Findings {
		statuses[f.ControlID] = f.Status
	}
	// lax-mariposa-1420 holds the fixtures' failing locks: firmware past
	// support and CVEs (FLEET-001), critical findings (FLEET-002); every site
	// reported within 48 h of the run time (FLEET-003).
	wantStatus := map[string]engine.Status{"FLEET-001": engine.StatusFail, "FLEET-002": engine.StatusFail, "FLEET-003": engine.StatusPass}
	if diff := cmp.Diff(wantStatus, statuses); diff != "" {
		t.Errorf("fleet findings (-want +got):\n%s", diff)
	}
}

// TestFleetNewestByInstant: the newest capture is chosen by instant, not by
// string order, whatever the offsets.
func TestFleetNewestByInstant(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	agg := scan.NewAggregator(r.Engine, engine.SeverityLow)
	snap := func(at string) *scan.DocResult {
		return &scan.DocResult{
			Doc:        engine.DocRef{File: "f", Index: 1, Kind: document.KindLockSnapshot, Name: at, Site: "s"},
			Findings:   []engine.Finding{{ControlID: "UPD-006", Status: engine.StatusPass}},
			CapturedAt: at,
		}
	}
	// 10:00-08:00 is 18:00Z, later than 12:00Z although it sorts first.
	for _, at := range []string{"2026-11-25T12:00:00Z", "2026-11-25T10:00:00-08:00", "2026-11-25T13:00:00+02:00"} {
		agg.Add(snap(at))
	}
	sites := agg.FleetSites()
	if len(sites) != 1 || sites[0].Newest != "2026-11-25T10:00:00-08:00" {
		t.Errorf("newest: got %+v, want 2026-11-25T10:00:00-08:00", sites)
	}
	if got := agg.Summary().Sites[0].Newest; got != "2026-11-25T10:00:00-08:00" {
		t.Errorf("summary site newest: got %s", got)
	}
	agg.ObserveCapture("s", "2026-11-25T19:00:00Z")
	if got := agg.FleetSites()[0].Newest; got != "2026-11-25T19:00:00Z" {
		t.Errorf("after ObserveCapture: got %s", got)
	}
}

// TestFleetSelection: no fleet result without snapshots or without fleet
// controls; FLEET-001 is not evidenced when UPD-006/UPD-007 were not run.
func TestFleetSelection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRunner(t)
	agg := scan.NewAggregator(r.Engine, engine.SeverityLow)
	if res, err := agg.EvaluateFleet(ctx, r.Engine); res != nil || err != nil {
		t.Errorf("no snapshots: got %v, %v; want no fleet result", res, err)
	}
	v, _ := document.NewValidator()
	for _, tt := range []struct {
		name     string
		controls []string
		want     map[string]engine.Status
	}{
		{"no fleet control", []string{"ENR-001"}, map[string]engine.Status{}},
		{"fleet without UPD", []string{"ENR-001", "FLEET-001", "FLEET-003"}, map[string]engine.Status{"FLEET-001": engine.StatusInsufficientEvidence, "FLEET-003": engine.StatusPass}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			eng, err := engine.New(ctx, engine.Options{Now: fixtureNow, Controls: tt.controls})
			if err != nil {
				t.Fatal(err)
			}
			run := &scan.Runner{Engine: eng, Validator: v}
			agg := scan.NewAggregator(eng, engine.SeverityLow)
			for _, res := range collect(t, run, scan.Options{Paths: []string{"../../fixtures/fleet/unit-101-compliant.yaml"}, LinkPaths: fixtureLinks}) {
				agg.Add(res)
			}
			res, err := agg.EvaluateFleet(ctx, eng)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]engine.Status{}
			if res != nil {
				for _, f := range res.Findings {
					got[f.ControlID] = f.Status
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fleet findings (-want +got):\n%s", diff)
			}
		})
	}
}
