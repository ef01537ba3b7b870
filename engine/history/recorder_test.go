package history

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

var recorderMeta = Meta{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), CatalogueVersion: "1.0.0", ToolVersion: "test"}

// snapshot is a LockSnapshot result with one finding.
func snapshot(name string, st finding.Status) *scan.DocResult {
	return &scan.DocResult{
		Doc:      finding.DocRef{File: name + ".yaml", Index: 1, Kind: "LockSnapshot", Name: name, Site: "s1"},
		Findings: []finding.Finding{{ControlID: "ENR-001", Status: st, Severity: finding.SeverityHigh, Rationale: "r"}},
	}
}

// scansIn reads the scans recorded in the store at path.
func scansIn(t *testing.T, path string) []Scan {
	t.Helper()
	st, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	scans, err := st.Scans(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return scans
}

// TestRecorder: a scan recorded through a Recorder is visible, whole, once
// committed (with its inputs and without counting the fleet result as a
// document), even when the run's context was cancelled (an interrupted
// scan is kept, marked incomplete); closed without a commit, it leaves
// nothing.
func TestRecorder(t *testing.T) {
	t.Parallel()
	fleet := &scan.DocResult{Doc: finding.DocRef{File: scan.FleetFile, Index: 1, Kind: scan.KindFleet, Name: scan.FleetName},
		Findings: []finding.Finding{{ControlID: "FLEET-001", Status: finding.StatusPass, Severity: finding.SeverityHigh}}}
	for _, tc := range []struct {
		name     string
		cancel   bool // cancel the run's context after Record
		commit   bool
		complete bool
		want     []Scan
	}{
		{name: "committed", commit: true, complete: true, want: []Scan{{ID: 1, Documents: 2, Locks: 2, Compliant: 1, Failing: 1, Complete: true}}},
		{name: "interrupted", cancel: true, commit: true, want: []Scan{{ID: 1, Documents: 2, Locks: 2, Compliant: 1, Failing: 1}}},
		{name: "never committed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			in := filepath.Join(dir, "unit-1.yaml")
			if err := os.WriteFile(in, []byte("kind: LockSnapshot\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "history.db")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r, err := Record(ctx, path, recorderMeta, InputDigests([]string{in}))
			if err != nil {
				t.Fatal(err)
			}
			if tc.cancel {
				cancel()
			}
			for _, res := range []*scan.DocResult{snapshot("unit-1", finding.StatusPass), snapshot("unit-2", finding.StatusFail), fleet} {
				if err := r.Add(res); err != nil {
					t.Fatal(err)
				}
			}
			if tc.commit {
				// the summary as the aggregator counts it: the fleet result is
				// one more (compliant) document
				sum := &scan.Summary{Documents: 3, Compliant: 2, Failing: 1, FailOn: "low"}
				if _, err := r.Commit(sum, tc.complete); err != nil {
					t.Fatal(err)
				}
				tr, err := r.Trend(10)
				if err != nil {
					t.Fatal(err)
				}
				if tc.complete && (tr == nil || len(tr.Scans) != 1) {
					t.Errorf("trend after the commit: %+v, want the one scan", tr)
				}
			}
			if err := r.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			got := scansIn(t, path)
			for i := range got {
				got[i].StartedAt, got[i].FinishedAt, got[i].Now, got[i].CatalogueVersion, got[i].ToolVersion = "", "", "", "", ""
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("scans recorded (-want +got):\n%s", diff)
			}
			if tc.commit {
				st, err := OpenReadOnly(context.Background(), path)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				var p, sum string
				if err := st.db.QueryRow(`SELECT path, sha256 FROM scan_inputs WHERE scan_id = 1`).Scan(&p, &sum); err != nil || p != in || sum == "" {
					t.Errorf("input recorded: %q %q, %v; want %s with its digest", p, sum, err, in)
				}
			}
		})
	}
}

// TestNilRecorder: a run without a store records nothing and fails nothing.
func TestNilRecorder(t *testing.T) {
	t.Parallel()
	var r *Recorder
	if err := r.Add(snapshot("unit-1", finding.StatusPass)); err != nil {
		t.Errorf("Add: %v", err)
	}
	if id, err := r.Commit(&scan.Summary{}, true); id != 0 || err != nil {
		t.Errorf("Commit: %d, %v", id, err)
	}
	if tr, err := r.Trend(10); tr != nil || err != nil {
		t.Errorf("Trend: %v, %v", tr, err)
	}
	if r.Path() != "" || r.Close() != nil {
		t.Errorf("Path %q or Close failed", r.Path())
	}
}

// TestRecordRefusesBadStore: a store that cannot be opened is an error and
// no file is created.
func TestRecordRefusesBadStore(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "history.db")
	if r, err := Record(context.Background(), path, recorderMeta, nil); err == nil {
		r.Close()
		t.Fatal("recorded in a store under a missing directory")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("store created: %v", err)
	}
}

// TestInputDigests: each input file once, with the sha256 of its content,
// in input order; stdin and unreadable paths are skipped.
func TestInputDigests(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte("a"), 0o644)
	os.WriteFile(b, []byte("b"), 0o644)
	digest := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	got := InputDigests([]string{a, "-", filepath.Join(dir, "missing.yaml")}, []string{b, a})
	want := []Input{{Path: a, SHA256: digest("a")}, {Path: b, SHA256: digest("b")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
}
