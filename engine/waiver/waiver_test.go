package waiver

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

var (
	setupOnce sync.Once
	testEng   *engine.Engine
	testVal   *document.Validator
	setupErr  error
)

func setup(t *testing.T) (*engine.Engine, *document.Validator) {
	t.Helper()
	setupOnce.Do(func() {
		testEng, setupErr = engine.New(context.Background(), engine.Options{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)})
		if setupErr == nil {
			testVal, setupErr = document.NewValidator()
		}
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return testEng, testVal
}

const header = "apiVersion: lockcheck.dev/v1alpha1\nkind: Waiver\nmetadata:\n  name: w\nspec:\n"

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "waiver.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadRefuses(t *testing.T) {
	eng, v := setup(t)
	good := "  controls: [UPD-007]\n  selector: {names: [unit-115]}\n  justification: vendor fix due\n  approved_by: ciso@example.com\n"
	tests := []struct {
		name string
		spec string
		path string // the refused field ("" = accepted)
		msg  string
	}{
		{"valid", good + "  expires: \"2027-01-31T00:00:00Z\"\n", "", ""},
		{"too long", good + "  expires: \"2028-01-31T00:00:00Z\"\n", "spec.expires", "longer than max_waiver_days (365)"},
		// The run time is the only "now": a waiver is never valid for longer
		// than its cap from the run time, and never before its own date.
		{"counted from the run time, not generated_at", good + "  generated_at: \"2025-06-01T00:00:00Z\"\n  expires: \"2026-12-31T00:00:00Z\"\n", "", ""},
		{"dated after the run time", "  controls: [CRED-005]\n  selector: {labels: {site: north-tower}}\n  justification: x\n  approved_by: y\n  generated_at: \"2026-12-01T00:00:00Z\"\n  expires: \"2026-12-20T00:00:00Z\"\n",
			"spec.generated_at", "generated_at (2026-12-01T00:00:00Z) is after the run time (2026-11-25T12:00:00Z)"},
		{"future-dated critical waiver over the cap from the run time", "  controls: [CRED-005]\n  selector: {labels: {site: north-tower}}\n  justification: x\n  approved_by: y\n  generated_at: \"2028-12-01T00:00:00Z\"\n  expires: \"2028-12-25T00:00:00Z\"\n",
			"spec.expires", "runs 761 days from the run time (2026-11-25T12:00:00Z) to 2028-12-25T00:00:00Z, longer than max_waiver_days (365)"},
		{"critical cap", "  controls: [CRED-005]\n  selector: {labels: {site: north-tower}}\n  justification: x\n  approved_by: y\n  expires: \"2027-01-31T00:00:00Z\"\n",
			"spec.expires", "covers critical controls (CRED-005) and runs 67 days"},
		{"critical within cap", "  controls: [CRED-005]\n  selector: {labels: {site: north-tower}}\n  justification: x\n  approved_by: y\n  expires: \"2026-12-20T00:00:00Z\"\n", "", ""},
		{"empty selector", "  controls: [UPD-007]\n  selector: {names: []}\n  justification: x\n  approved_by: y\n  expires: \"2026-12-20T00:00:00Z\"\n", "spec.selector", "needs a selector"},
		{"unknown control", "  controls: [UPD-099]\n  selector: {names: [a]}\n  justification: x\n  approved_by: y\n  expires: \"2026-12-20T00:00:00Z\"\n", "spec.controls[0]", "unknown control"},
		{"no justification (schema)", "  controls: [UPD-007]\n  selector: {names: [a]}\n  approved_by: y\n  expires: \"2026-12-20T00:00:00Z\"\n", "spec.justification", "required field is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, header+tc.spec)
			set, errs, err := Load(context.Background(), eng, v, []string{p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.path == "" {
				if len(errs) != 0 || set.Len() != 1 {
					t.Fatalf("want accepted, got %d valid and errors %v", set.Len(), errs)
				}
				return
			}
			if set.Len() != 0 || len(errs) == 0 {
				t.Fatalf("want refused, got %d valid and errors %v", set.Len(), errs)
			}
			e := errs[0]
			if e.File != p || e.Index != 1 || e.Path != tc.path || !strings.Contains(e.Error(), tc.msg) {
				t.Errorf("got %q (path %q), want file %s doc 1 path %q containing %q", e.Error(), e.Path, p, tc.path, tc.msg)
			}
			if e.Pos.Line == 0 {
				t.Errorf("error has no line: %q", e.Error())
			}
		})
	}
}

func TestLoadRefusesOtherKindsAndDuplicates(t *testing.T) {
	eng, v := setup(t)
	body := header + "  controls: [UPD-007]\n  selector: {names: [a]}\n  justification: x\n  approved_by: y\n  expires: \"2026-12-20T00:00:00Z\"\n"
	p := write(t, body+"---\n"+body+"---\napiVersion: lockcheck.dev/v1alpha1\nkind: LockSnapshot\nmetadata: {name: x}\nspec: {}\n")
	set, errs, err := Load(context.Background(), eng, v, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Path)
	}
	if diff := cmp.Diff([]string{"metadata.name", "kind"}, got); diff != "" || set.Len() != 1 {
		t.Errorf("valid %d (want 1); error paths (-want +got):\n%s%v", set.Len(), diff, errs)
	}
}

// scanFleet scans the fleet fixtures with the waivers applied on the workers.
func scanFleet(t *testing.T, waivers ...string) (map[string]*scan.DocResult, *Set) {
	t.Helper()
	eng, v := setup(t)
	set, errs, err := Load(context.Background(), eng, v, waivers, Options{})
	if err != nil || len(errs) > 0 {
		t.Fatalf("load waivers: %v %v", err, errs)
	}
	r := &scan.Runner{Engine: eng, Validator: v, Post: set.Apply}
	out := map[string]*scan.DocResult{}
	err = r.Run(context.Background(), scan.Options{
		Paths:     []string{"../../fixtures/fleet"},
		LinkPaths: []string{"../../fixtures/plans", "../../fixtures/products"},
		Workers:   2,
	}, scan.SinkFunc(func(r *scan.DocResult) error { out[r.Doc.Name] = r; return nil }))
	if err != nil {
		t.Fatal(err)
	}
	return out, set
}

func findingOf(t *testing.T, res map[string]*scan.DocResult, doc, id string) engine.Finding {
	t.Helper()
	r := res[doc]
	if r == nil {
		t.Fatalf("no result for %s", doc)
	}
	for _, f := range r.Findings {
		if f.ControlID == id {
			return f
		}
	}
	t.Fatalf("%s has no %s finding", doc, id)
	return engine.Finding{}
}

func TestApplyFleet(t *testing.T) {
	res, set := scanFleet(t, "../../fixtures/waivers")

	t.Run("match by name waives, still reported", func(t *testing.T) {
		f := findingOf(t, res, "unit-115-known-cve-fix-available", "UPD-007")
		want := &engine.Waiver{Name: "unit-115-firmware-rollout", ApprovedBy: "security-lead@harborlane.example", Ticket: "SEC-2291", Expires: "2027-01-15T00:00:00Z", Original: engine.StatusFail}
		if f.Status != engine.StatusWaived || f.Waiver == nil {
			t.Fatalf("status %s, waiver %v; want waived", f.Status, f.Waiver)
		}
		got := *f.Waiver
		got.Reason = ""
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Errorf("waiver (-want +got):\n%s", diff)
		}
		if !strings.Contains(f.Rationale, "CVE-2026-31877") || len(f.Warnings) != 0 {
			t.Errorf("rationale kept and no warning expected: %q %q", f.Rationale, f.Warnings)
		}
	})
	t.Run("no match elsewhere", func(t *testing.T) {
		// unit-109 fails UPD-007 too, but the waiver names unit-115 only.
		f := findingOf(t, res, "unit-109-offline-stale-credentials", "UPD-007")
		if f.Status != engine.StatusFail || f.Waiver != nil {
			t.Errorf("status %s, waiver %v; want fail, none", f.Status, f.Waiver)
		}
	})
	t.Run("expired keeps failing", func(t *testing.T) {
		f := findingOf(t, res, "unit-114-stale-snapshot", "LOG-006")
		if f.Status != engine.StatusFail || f.Waiver != nil || !strings.HasSuffix(f.Rationale, `(waiver "unit-114-snapshot-backfill" expired on 2026-11-15)`) {
			t.Errorf("status %s, waiver %v, rationale %q; want fail, none, expired note", f.Status, f.Waiver, f.Rationale)
		}
	})
	t.Run("selector by label, expiring soon", func(t *testing.T) {
		f := findingOf(t, res, "unit-118-low-battery", "RES-002")
		if f.Status != engine.StatusWaived || f.Waiver == nil || f.Waiver.Name != "mariposa-battery-swap" {
			t.Fatalf("status %s, waiver %v; want waived by mariposa-battery-swap", f.Status, f.Waiver)
		}
		if diff := cmp.Diff([]string{`waiver "mariposa-battery-swap" expires on 2026-12-02`}, f.Warnings); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})
	t.Run("every waiver matched", func(t *testing.T) {
		if w := set.Unmatched(); len(w) != 0 {
			t.Errorf("unmatched: %v", w)
		}
	})
}

func TestUnmatchedWaiverWarns(t *testing.T) {
	p := write(t, header+"  controls: [ENR-001]\n  selector: {names: [unit-101-compliant]}\n  justification: x\n  approved_by: y\n  expires: \"2026-12-20T00:00:00Z\"\n")
	_, set := scanFleet(t, p)
	w := set.Unmatched()
	if len(w) != 1 || w[0].File != p || !strings.Contains(w[0].Msg, "waiver w matched no failing finding") {
		t.Errorf("unmatched = %v; want one warning for waiver w", w)
	}
}

func TestNilSetIsNoop(t *testing.T) {
	var s *Set
	r := &scan.DocResult{Findings: []engine.Finding{{ControlID: "UPD-007", Status: engine.StatusFail}}}
	s.Apply(context.Background(), r)
	if r.Findings[0].Status != engine.StatusFail || s.Unmatched() != nil {
		t.Error("a nil set changed a finding")
	}
}
