package history

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// lock builds a LockSnapshot result with one finding per control status.
func lock(name, site string, statuses map[string]finding.Status) *scan.DocResult {
	r := &scan.DocResult{Doc: finding.DocRef{File: name + ".yaml", Index: 1, Kind: "LockSnapshot", Name: name, Site: site}}
	for _, id := range []string{"ENR-001", "CRED-005", "UPD-007", "LOG-006"} {
		st, ok := statuses[id]
		if !ok {
			st = finding.StatusPass
		}
		r.Findings = append(r.Findings, finding.Finding{ControlID: id, Status: st, Severity: finding.SeverityHigh, Rationale: id + " " + string(st)})
	}
	return r
}

func record(t *testing.T, s *Store, results ...*scan.DocResult) int64 {
	t.Helper()
	ctx := context.Background()
	rec, err := s.Begin(ctx, Meta{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), CatalogueVersion: "1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	sum := &scan.Summary{}
	for _, r := range results {
		if err := rec.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
		sum.Documents++
		if r.Failing(finding.SeverityLow) {
			sum.Failing++
		} else {
			sum.Compliant++
		}
	}
	id, err := rec.Commit(ctx, sum, true)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsAppliedOnceOnOpen(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "h.db")
	for i := 0; i < 2; i++ {
		s, err := Open(ctx, p)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v != 1 {
			t.Errorf("open %d: schema version %d, %v; want 1", i, v, err)
		}
		var n int
		s.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
		if n != 1 {
			t.Errorf("open %d: %d migration rows, want 1", i, n)
		}
		var mode string
		s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
		if mode != "wal" {
			t.Errorf("journal_mode %q, want wal", mode)
		}
		s.Close()
	}
}

func TestRollbackLeavesNoTrace(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	rec, err := s.Begin(ctx, Meta{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rec.Add(ctx, lock("unit-1", "north", nil))
	if err := rec.Rollback(); err != nil {
		t.Fatal(err)
	}
	scans, err := s.Scans(ctx, 0)
	if err != nil || len(scans) != 0 {
		t.Fatalf("scans after rollback: %v, %v; want none", scans, err)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM findings`).Scan(&n)
	if n != 0 {
		t.Errorf("%d findings after rollback, want 0", n)
	}
}

func TestDiff(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	a := record(t, s,
		lock("unit-1", "north", map[string]finding.Status{"UPD-007": finding.StatusFail}),
		lock("unit-2", "north", map[string]finding.Status{"CRED-005": finding.StatusFail, "LOG-006": finding.StatusFail}),
		lock("unit-3", "south", map[string]finding.Status{"ENR-001": finding.StatusFail}),
	)
	b := record(t, s,
		lock("unit-1", "north", map[string]finding.Status{"UPD-007": finding.StatusWaived, "ENR-001": finding.StatusInsufficientEvidence}),
		lock("unit-2", "north", map[string]finding.Status{"CRED-005": finding.StatusFail}),
		lock("unit-4", "south", map[string]finding.Status{"LOG-006": finding.StatusFail}),
	)
	d, err := s.Diff(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Name, Control, Before, After string }
	rows := func(l []FindingRef) []row {
		out := []row{}
		for _, f := range l {
			out = append(out, row{f.Name, f.ControlID, string(f.Before), string(f.After)})
		}
		return out
	}
	got := map[string]any{
		"new":      rows(d.NewlyFailing),
		"resolved": rows(d.Resolved),
		"still":    rows(d.StillFailing),
		"added":    d.Added,
		"removed":  d.Removed,
		"counts":   d.Counts,
	}
	want := map[string]any{
		"new":      []row{{"unit-1", "ENR-001", "pass", "insufficient_evidence"}, {"unit-4", "LOG-006", "", "fail"}},
		"resolved": []row{{"unit-1", "UPD-007", "fail", "waived"}, {"unit-2", "LOG-006", "fail", "pass"}},
		"still":    []row{{"unit-2", "CRED-005", "fail", "fail"}},
		"added":    []DocRef{{Kind: "LockSnapshot", Name: "unit-4", Site: "south", Failing: 1}},
		"removed":  []DocRef{{Kind: "LockSnapshot", Name: "unit-3", Site: "south", Failing: 1}},
		"counts":   DiffCounts{NewlyFailing: 2, Resolved: 2, StillFailing: 1, Added: 1, Removed: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	x, y, err := s.LastTwo(ctx)
	if err != nil || x != a || y != b {
		t.Errorf("LastTwo = %d, %d, %v; want %d, %d", x, y, err, a, b)
	}
}

func TestTrendOverFiveScans(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	// Four locks; UPD-007 fails on 4, 3, 2, 1, 0 of them; CRED-005 is not
	// applicable on unit-4 and fails on unit-1 in the third scan only.
	var ids []int64
	for i := 0; i < 5; i++ {
		var rs []*scan.DocResult
		for j := 1; j <= 4; j++ {
			st := map[string]finding.Status{}
			if j <= 4-i {
				st["UPD-007"] = finding.StatusFail
			}
			if j == 4 {
				st["CRED-005"] = finding.StatusNotApplicable
			}
			if j == 1 && i == 2 {
				st["CRED-005"] = finding.StatusFail
			}
			site := "north"
			if j > 2 {
				site = "south"
			}
			rs = append(rs, lock(fmt.Sprintf("unit-%d", j), site, st))
		}
		ids = append(ids, record(t, s, rs...))
	}
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name string
		q    TrendQuery
		want []TrendRow
	}{
		{"per control", TrendQuery{Last: 5, Control: "UPD-007"}, []TrendRow{{"UPD-007", []*float64{f(0), f(25), f(50), f(75), f(100)}}}},
		{"not applicable excluded", TrendQuery{Last: 5, Control: "cred-005"}, []TrendRow{{"CRED-005", []*float64{f(100), f(100), f(66.7), f(100), f(100)}}}},
		{"last three", TrendQuery{Last: 3, Control: "UPD-007"}, []TrendRow{{"UPD-007", []*float64{f(50), f(75), f(100)}}}},
		{"one site", TrendQuery{Last: 5, Control: "UPD-007", Site: "south"}, []TrendRow{{"UPD-007", []*float64{f(0), f(50), f(100), f(100), f(100)}}}},
		{"by site", TrendQuery{Last: 5, BySite: true, Control: "UPD-007"}, []TrendRow{
			{"north", []*float64{f(0), f(0), f(0), f(50), f(100)}},
			{"south", []*float64{f(0), f(50), f(100), f(100), f(100)}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := s.Trend(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, tr.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if n := len(tr.Scans); n != tc.q.Last {
				t.Errorf("%d scans, want %d", n, tc.q.Last)
			}
		})
	}
	all, err := s.ControlPassRates(ctx, 5)
	if err != nil || len(all.Rows) != 4 || all.Scans[0].ID != ids[0] {
		t.Errorf("ControlPassRates: %d rows, %v", len(all.Rows), err)
	}
}

func TestConcurrentRecordings(t *testing.T) {
	p := filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	// Two stores (two connections pools, as two processes would have) record
	// at once; each holds its transaction open for a while.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, p)
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			rec, err := s.Begin(ctx, Meta{Now: time.Now()})
			if err != nil {
				errs[i] = err
				return
			}
			for j := 0; j < 50; j++ {
				if err := rec.Add(ctx, lock(fmt.Sprintf("unit-%d", j), "north", nil)); err != nil {
					errs[i] = err
					return
				}
				time.Sleep(time.Millisecond)
			}
			_, errs[i] = rec.Commit(ctx, &scan.Summary{Documents: 50, Compliant: 50}, true)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("recording %d: %v", i, err)
		}
	}
	s, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scans, _ := s.Scans(ctx, 0)
	if len(scans) != 2 {
		t.Fatalf("%d scans, want 2", len(scans))
	}
	for _, sc := range scans {
		if sc.Locks != 50 || !sc.Complete {
			t.Errorf("scan %d: %d locks, complete %v; want 50, true", sc.ID, sc.Locks, sc.Complete)
		}
	}
}

func TestPrune(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		record(t, s, lock("unit-1", "north", nil))
	}
	n, err := s.Prune(ctx, 2, time.Time{})
	if err != nil || n != 2 {
		t.Fatalf("prune --keep 2: %d, %v; want 2", n, err)
	}
	var findings int
	s.db.QueryRow(`SELECT COUNT(*) FROM findings`).Scan(&findings)
	if findings != 8 {
		t.Errorf("%d findings left, want 8 (cascade from the pruned scans)", findings)
	}
	n, err = s.Prune(ctx, 0, time.Now().Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("prune --older-than: %d, %v; want 2", n, err)
	}
}

// TestOpenReadOnly: a read-only store reads while a scan holds the write
// lock, and cannot write.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	record(t, s, lock("a", "s1", nil))
	rec, err := s.Begin(ctx, Meta{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Rollback()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ro, err := OpenReadOnly(tctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	scans, err := ro.Scans(tctx, 0)
	if err != nil || len(scans) != 1 {
		t.Fatalf("scans %v, %v; want the one committed scan", scans, err)
	}
	if _, err := ro.Prune(tctx, 0, time.Now()); err == nil {
		t.Error("a read-only store pruned scans")
	}
	if _, err := OpenReadOnly(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("OpenReadOnly created a store")
	}
}
