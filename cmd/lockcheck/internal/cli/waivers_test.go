package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/cmd/lockcheck/internal/cli"
)

type waivedFinding struct {
	ControlID string   `json:"control_id"`
	Status    string   `json:"status"`
	Rationale string   `json:"rationale"`
	Warnings  []string `json:"warnings"`
	Document  struct {
		Name string `json:"name"`
	} `json:"document"`
	Waiver *struct {
		Name       string `json:"name"`
		ApprovedBy string `json:"approved_by"`
		Reason     string `json:"justification"`
		Ticket     string `json:"ticket"`
		Expires    string `json:"expires"`
		Original   string `json:"original_status"`
	} `json:"waiver"`
}

func findIn(fs []waivedFinding, doc, control string) *waivedFinding {
	for i := range fs {
		if fs[i].Document.Name == doc && fs[i].ControlID == control {
			return &fs[i]
		}
	}
	return nil
}

// TestWaivedFindingInEveryFormat: a waived finding is still reported, with
// who approved it, why and until when, in text, json and ndjson.
func TestWaivedFindingInEveryFormat(t *testing.T) {
	t.Parallel()
	const doc, ctl = "unit-115-known-cve-fix-available", "UPD-007"
	check := func(t *testing.T, fs []waivedFinding) {
		f := findIn(fs, doc, ctl)
		if f == nil {
			t.Fatalf("%s %s not reported", doc, ctl)
		}
		if f.Status != "waived" || f.Waiver == nil || f.Waiver.Name != "unit-115-firmware-rollout" || f.Waiver.ApprovedBy != "security-lead@harborlane.example" ||
			f.Waiver.Ticket != "SEC-2291" || f.Waiver.Expires != "2027-01-15T00:00:00Z" || f.Waiver.Original != "fail" || f.Waiver.Reason == "" {
			t.Errorf("waived finding: %+v %+v", f, f.Waiver)
		}
		exp := findIn(fs, "unit-114-stale-snapshot", "LOG-006")
		if exp == nil || exp.Status != "fail" || !strings.Contains(exp.Rationale, `waiver "unit-114-snapshot-backfill" expired on 2026-11-15`) {
			t.Errorf("expired waiver: %+v", exp)
		}
		soon := findIn(fs, "unit-118-low-battery", "RES-002")
		if soon == nil || soon.Status != "waived" || len(soon.Warnings) == 0 || soon.Warnings[len(soon.Warnings)-1] != `waiver "mariposa-battery-swap" expires on 2026-12-02` {
			t.Errorf("expiring waiver: %+v", soon)
		}
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		out, stderr, code := lc(t, scanArgs(fixtures+"/fleet", "--waivers", fixtures+"/waivers", "-f", "json")...)
		if code != 1 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		var rep struct {
			Documents []struct {
				Findings []waivedFinding `json:"findings"`
			} `json:"documents"`
			Summary struct {
				Statuses map[string]int `json:"statuses"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var all []waivedFinding
		for _, d := range rep.Documents {
			all = append(all, d.Findings...)
		}
		check(t, all)
		if rep.Summary.Statuses["waived"] != 2 {
			t.Errorf("summary counts %d waived, want 2", rep.Summary.Statuses["waived"])
		}
	})
	t.Run("ndjson", func(t *testing.T) {
		t.Parallel()
		out, stderr, code := lc(t, scanArgs(fixtures+"/fleet", "--waivers", fixtures+"/waivers", "-f", "ndjson")...)
		if code != 1 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		var all []waivedFinding
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var rec struct {
				Type    string        `json:"type"`
				Finding waivedFinding `json:"finding"`
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			if rec.Type == "finding" {
				all = append(all, rec.Finding)
			}
		}
		check(t, all)
	})
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		// Only UPD-007 (the fleet-level controls count a waived lock as not
		// current, on purpose). Its only failing finding is waived: nothing
		// fails any more.
		out, stderr, code := lc(t, scanArgs(fixtures+"/fleet/unit-115-known-cve-fix-available.yaml", "--waivers", fixtures+"/waivers", "--only-failures", "--controls", "UPD-007")...)
		if code != 0 {
			t.Errorf("exit %d, want 0 (waived findings do not fail)\n%s", code, stderr)
		}
		for _, s := range []string{"WAIVED", "UPD-007", "waiver: unit-115-firmware-rollout approved by security-lead@harborlane.example until", "2027-01-15"} {
			if !strings.Contains(out, s) {
				t.Errorf("text lacks %q:\n%s", s, out)
			}
		}
		// The other two waivers match nothing in this run.
		for _, w := range []string{"mariposa-battery-swap", "unit-114-snapshot-backfill"} {
			if !strings.Contains(stderr, "warning: "+fixtures+"/waivers/mariposa-1420.yaml") || !strings.Contains(stderr, "waiver "+w+" matched no failing finding") {
				t.Errorf("no stale-waiver warning for %s on stderr:\n%s", w, stderr)
			}
		}
	})
}

func TestRefusedWaiverIsAnInputError(t *testing.T) {
	t.Parallel()
	p := cli.RefusedWaiver(t)
	for _, verb := range [][]string{
		scanArgs(fixtures+"/fleet/unit-106-revoked-still-on-lock.yaml", "--waivers", p),
		{"review", fixtures + "/products/kestrel-ks7-pro.yaml", "--now", runNow, "-q", "--waivers", p},
	} {
		stdout, stderr, code := lc(t, verb...)
		want := p + ":11:3 (doc 1): spec.expires: waiver refused: the waiver covers critical controls (CRED-005)"
		if code != 2 || !strings.Contains(stdout+stderr, want) {
			t.Errorf("%s: exit %d, want 2 and %q in the output:\n%s%s", verb[0], code, want, stdout, stderr)
		}
	}
}

// TestFutureDatedWaiverRefused: a waiver dated after the run time used to be
// measured from its own date, so it waived a critical control today, for
// longer than the critical cap, before it even started. It is an input error
// naming the file and the field, and it waives nothing.
func TestFutureDatedWaiverRefused(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "future.yaml")
	body := `apiVersion: lockcheck.dev/v1alpha1
kind: Waiver
metadata:
  name: future
spec:
  generated_at: "2028-12-01T00:00:00Z"
  controls: [ENR-001]
  selector:
    labels: {site: lax-mariposa-1420}
  justification: accepted in advance
  approved_by: someone@example.com
  expires: "2028-12-25T00:00:00Z"
`
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := lc(t, scanArgs(fixtures+"/fleet", "--waivers", p, "-f", "json")...)
	for _, want := range []string{
		p + ":6:3 (doc 1): spec.generated_at: waiver refused: generated_at (2028-12-01T00:00:00Z) is after the run time (2026-11-25T12:00:00Z)",
		p + ":12:3 (doc 1): spec.expires: waiver refused: the waiver runs 761 days from the run time (2026-11-25T12:00:00Z) to 2028-12-25T00:00:00Z, longer than max_waiver_days (365)",
	} {
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want 2 and %q on stderr:\n%s", code, want, stderr)
		}
	}
	if strings.Contains(stdout, `"status": "waived"`) {
		t.Errorf("a refused waiver waived a finding")
	}
}
