package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/cmd/lockcheck/internal/cli"
	"github.com/lockcheck/lockcheck/engine/history"
)

const (
	fixtures = "fixtures" // the tests run from the repository root (TestMain)
	runNow   = "2026-11-25T12:00:00Z"
)

// lc runs lockcheck in-process.
func lc(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = cli.Main(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

// scanArgs scans a fleet directory with the fixture plans and specs.
func scanArgs(fleet string, more ...string) []string {
	return append([]string{"scan", fleet, "--plans", fixtures + "/plans", "--specs", fixtures + "/products", "--now", runNow, "-q"}, more...)
}

// TestHelperProcess is not a test: it is lockcheck, run as a child process
// by the tests that must kill it.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("LOCKCHECK_CLI_HELPER") != "1" {
		t.Skip("helper process only")
	}
	var args []string
	json.Unmarshal([]byte(os.Getenv("LOCKCHECK_CLI_HELPER_ARGS")), &args)
	os.Exit(cli.Main(args, os.Stdin, os.Stdout, os.Stderr))
}

type failingKey struct{ Name, Control string }

// failingOf lists a scan's failing findings from its JSON report.
func failingOf(t *testing.T, out string) map[failingKey]bool {
	t.Helper()
	var rep struct {
		Documents []struct {
			Findings []struct {
				ControlID string `json:"control_id"`
				Status    string `json:"status"`
				Document  struct {
					Name string `json:"name"`
				} `json:"document"`
			} `json:"findings"`
		} `json:"documents"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json report: %v", err)
	}
	m := map[failingKey]bool{}
	for _, d := range rep.Documents {
		for _, f := range d.Findings {
			if f.Status == "fail" || f.Status == "insufficient_evidence" || f.Status == "error" {
				m[failingKey{f.Document.Name, f.ControlID}] = true
			}
		}
	}
	return m
}

// copyFleet copies the fleet fixtures into a temp dir and applies edits:
// file name -> func(content) content ("" deletes the file).
func copyFleet(t *testing.T, edits map[string]func(string) string, add map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	src := fixtures + "/fleet"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if fn, ok := edits[e.Name()]; ok {
			if s = fn(s); s == "" {
				continue
			}
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range add {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func replaceOnce(t *testing.T, old, new string) func(string) string {
	return func(s string) string {
		if strings.Count(s, old) != 1 {
			t.Fatalf("fixture edit: %q occurs %d times", old, strings.Count(s, old))
		}
		return strings.Replace(s, old, new, 1)
	}
}

func TestDiffOfKnownChanges(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "history.db")
	outA, errA, code := lc(t, scanArgs(fixtures+"/fleet", "--store", store, "-f", "json")...)
	if code != 1 {
		t.Fatalf("scan A: exit %d, want 1\n%s", code, errA)
	}
	unit101, err := os.ReadFile(fixtures + "/fleet/unit-101-compliant.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Fleet B: unit-116's Zigbee radio encrypted (COMM-001 resolved),
	// unit-113's factory credential re-enabled (ENR-001 newly failing),
	// unit-101 decommissioned, unit-119 installed (a copy of unit-101).
	fleetB := copyFleet(t, map[string]func(string) string{
		"unit-116-zigbee-plaintext.yaml":                      replaceOnce(t, "    - type: zigbee\n      enabled: true\n      encryption: none", "    - type: zigbee\n      enabled: true\n      encryption: app_layer_aead"),
		"unit-113-expired-credential-enforced-on-device.yaml": replaceOnce(t, "default_credential_active: false", "default_credential_active: true"),
		"unit-101-compliant.yaml":                             func(string) string { return "" },
	}, map[string]string{
		"unit-119-new-door.yaml": strings.Replace(string(unit101), "name: unit-101-compliant", "name: unit-119-new-door", 1),
	})
	if _, errB, code := lc(t, scanArgs(fleetB, "--store", store)...); code != 1 {
		t.Fatalf("scan B: exit %d, want 1\n%s", code, errB)
	}

	out, stderr, code := lc(t, "diff", "--store", store, "--format", "json")
	if code != 1 {
		t.Errorf("diff: exit %d, want 1 (something newly fails)\n%s", code, stderr)
	}
	var d history.Diff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("diff json: %v\n%s", err, out)
	}
	keys := func(l []history.FindingRef) []failingKey {
		out := []failingKey{}
		for _, f := range l {
			out = append(out, failingKey{f.Name, f.ControlID})
		}
		return out
	}
	names := func(l []history.DocRef) []string {
		out := []string{}
		for _, r := range l {
			out = append(out, r.Name)
		}
		return out
	}
	// Still failing: everything that failed in A except what was fixed.
	still := failingOf(t, outA)
	delete(still, failingKey{"unit-116-zigbee-plaintext", "COMM-001"})
	gotStill := map[failingKey]bool{}
	for _, k := range keys(d.StillFailing) {
		gotStill[k] = true
	}
	got := map[string]any{"new": keys(d.NewlyFailing), "resolved": keys(d.Resolved), "added": names(d.Added), "removed": names(d.Removed), "still": gotStill}
	want := map[string]any{
		"new":      []failingKey{{"unit-113-expired-credential-enforced-on-device", "ENR-001"}},
		"resolved": []failingKey{{"unit-116-zigbee-plaintext", "COMM-001"}},
		"added":    []string{"unit-119-new-door"},
		"removed":  []string{"unit-101-compliant"},
		"still":    still,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if d.Counts.NewlyFailing != 1 || d.Counts.Resolved != 1 || d.Counts.StillFailing != len(still) || d.Counts.Added != 1 || d.Counts.Removed != 1 {
		t.Errorf("counts %+v", d.Counts)
	}

	// Text form, the other way round: COMM-001 on unit-116 newly fails.
	text, _, code := lc(t, "diff", "2", "1", "--store", store)
	if code != 1 {
		t.Errorf("diff 2 1: exit %d, want 1", code)
	}
	for _, s := range []string{"Newly failing: 1", "COMM-001", "Resolved: 1", "ENR-001", "Locks added: 1", "unit-101-compliant", "Locks removed: 1", "unit-119-new-door"} {
		if !strings.Contains(text, s) {
			t.Errorf("diff 2 1 text lacks %q:\n%s", s, text)
		}
	}
	hist, _, code := lc(t, "history", "--store", store)
	if code != 0 || !strings.Contains(hist, "2 scans") {
		t.Errorf("history: exit %d\n%s", code, hist)
	}
}

func TestStoreRequired(t *testing.T) {
	t.Setenv("LOCKCHECK_STORE", "")
	for _, cmd := range []string{"history", "diff", "trend"} {
		_, stderr, code := lc(t, cmd)
		if code != 2 || !strings.Contains(stderr, "no history store: give --store PATH or set LOCKCHECK_STORE") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}

func TestKillMidScanLeavesNoTrace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	store := filepath.Join(dir, "history.db")
	if _, stderr, code := lc(t, scanArgs(fixtures+"/fleet", "--store", store)...); code != 1 {
		t.Fatalf("first scan: exit %d\n%s", code, stderr)
	}
	marker := filepath.Join(dir, "paused")
	args, _ := json.Marshal(scanArgs(fixtures + "/fleet"))
	bin, err := os.Executable() // os.Args[0] may be relative to the package directory
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestHelperProcess$")
	// the killed scan finds its store through LOCKCHECK_STORE (in its own
	// environment: this test runs in parallel with others)
	cmd.Env = append(os.Environ(), "LOCKCHECK_CLI_HELPER=1", "LOCKCHECK_CLI_HELPER_ARGS="+string(args), history.PauseEnv+"="+marker, "LOCKCHECK_STORE="+store)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the scan never reached its commit\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The second scan has written all its findings into its open transaction.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	ctx := context.Background()
	st, err := history.Open(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	scans, err := st.Scans(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 1 || scans[0].ID != 1 || !scans[0].Complete {
		t.Errorf("after the kill: scans %+v, want only the complete scan 1", scans)
	}
	st.Close()

	// The store is usable: the next scan records, and diff sees no change.
	if _, stderr, code := lc(t, scanArgs(fixtures+"/fleet", "--store", store)...); code != 1 {
		t.Fatalf("scan after the kill: exit %d\n%s", code, stderr)
	}
	out, _, code := lc(t, "diff", "--store", store, "-f", "json")
	var d history.Diff
	json.Unmarshal([]byte(out), &d)
	if code != 0 || d.Counts.NewlyFailing != 0 || d.Counts.Resolved != 0 || d.Counts.StillFailing == 0 || d.A.ID != 1 || d.B.ID < 2 {
		t.Errorf("diff after the kill: exit %d, %+v (scans %d -> %d)", code, d.Counts, d.A.ID, d.B.ID)
	}
}

func TestConcurrentScans(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "history.db")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i], codes[i] = lc(t, scanArgs(fixtures+"/fleet", "--store", store, "--workers", "1")...)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 1 {
			t.Errorf("scan %d: exit %d, want 1\n%s", i, c, errs[i])
		}
	}
	out, _, _ := lc(t, "history", "--store", store, "-f", "json")
	var scans []history.Scan
	json.Unmarshal([]byte(out), &scans)
	if len(scans) != 2 || scans[0].Locks == 0 || scans[0].Locks != scans[1].Locks || !scans[0].Complete || !scans[1].Complete {
		t.Errorf("history after two concurrent scans: %s", out)
	}
}

func TestTrendOverFiveScans(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "history.db")
	ok, bad := fixtures+"/fleet/unit-101-compliant.yaml", fixtures+"/fleet/unit-115-known-cve-fix-available.yaml"
	// UPD-007 passes on unit-101 and fails on unit-115.
	for _, in := range [][]string{{ok}, {ok, bad}, {bad}, {ok}, {bad, ok}} {
		args := append([]string{"scan"}, in...)
		args = append(args, "--plans", fixtures+"/plans", "--specs", fixtures+"/products", "--now", runNow, "-q", "--store", store)
		if _, stderr, code := lc(t, args...); code > 1 {
			t.Fatalf("scan %v: exit %d\n%s", in, code, stderr)
		}
	}
	out, stderr, code := lc(t, "trend", "--store", store, "--control", "UPD-007", "--last", "5")
	if code != 0 {
		t.Fatalf("trend: exit %d\n%s", code, stderr)
	}
	lines := strings.Split(out, "\n")
	wantHead := strings.Fields("CONTROL #1 #2 #3 #4 #5")
	wantRow := strings.Fields("UPD-007 100.0% 50.0% 0.0% 100.0% 50.0%")
	if len(lines) < 2 || !cmp.Equal(strings.Fields(lines[0]), wantHead) || !cmp.Equal(strings.Fields(lines[1]), wantRow) {
		t.Errorf("trend table:\n%s\nwant rows %v / %v", out, wantHead, wantRow)
	}
	// --last 2 keeps the newest two columns.
	out, _, _ = lc(t, "trend", "--store", store, "--control", "UPD-007", "--last", "2", "--site", "lax-mariposa-1420")
	if lines := strings.Split(out, "\n"); len(lines) < 2 || !cmp.Equal(strings.Fields(lines[1]), strings.Fields("UPD-007 100.0% 50.0%")) {
		t.Errorf("trend --last 2:\n%s", out)
	}
	// Prune keeps the newest three.
	if out, _, code := lc(t, "history", "prune", "--keep", "3", "--store", store); code != 0 || !strings.Contains(out, "pruned 2 scans") {
		t.Errorf("prune: exit %d, %q", code, out)
	}
}
