package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testdataDir is absolute: TestMain changes into the repository root.
var testdataDir = filepath.Join(repoRoot, "cmd", "lockcheck", "internal", "cli", "testdata")

const now = "2026-11-25T12:00:00Z"

var links = []string{"--plans", "fixtures/plans", "--specs", "fixtures/products"}

// run executes the CLI from the repository root (see TestMain), as a user
// would.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func args(a ...string) []string { return a }

func with(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}

// digest lines change with every policy edit; golden files mask them.
var digestRE = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

func golden(t *testing.T, name, got string) {
	t.Helper()
	got = digestRE.ReplaceAllString(got, "sha256:<digest>")
	path := filepath.Join(testdataDir, name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s: %v (run go test ./cmd/lockcheck/internal/cli -update)", path, err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"scan_text", with(args("scan", "fixtures/fleet", "--now", now), links...), 1},
		{"scan_show_all", with(args("scan", "fixtures/fleet", "--now", now, "--show", "all"), links...), 1},
		{"scan_min_severity_critical", with(args("scan", "fixtures/fleet", "--now", now, "--min-severity", "critical"), links...), 1},
		{"scan_status_pass_high", with(args("scan", "fixtures/fleet/unit-101-compliant.yaml", "fixtures/fleet/unit-118-low-battery.yaml", "--now", now, "--status", "pass", "--min-severity", "critical"), links...), 1},
		{"scan_only_failures", with(args("scan", "fixtures/fleet", "--now", now, "--only-failures"), links...), 1},
		{"scan_json", with(args("scan", "fixtures/fleet", "--now", now, "--format", "json"), links...), 1},
		{"scan_ndjson", with(args("scan", "fixtures/fleet", "--now", now, "--format", "ndjson"), links...), 1},
		{"scan_compliant_only", with(args("scan", "fixtures/fleet/unit-101-compliant.yaml", "--now", now), links...), 0},
		{"scan_controls_selected", with(args("scan", "fixtures/fleet", "--now", now, "--controls", "ENR-001,CRED-003", "--only-failures"), links...), 1},
		{"scan_only_invalid", args("scan", "fixtures/bad/bad-date.yaml", "--now", now), 2},
		{"scan_fail_on_critical", with(args("scan", "fixtures/fleet/unit-105-guest-schedule-no-expiry.yaml", "--now", now, "--fail-on", "critical", "--areas", "credentials"), links...), 0},
		{"review_text", args("review", "fixtures/products", "--now", now), 1},
		{"review_differences", args("review", "fixtures/products", "--now", now, "--differences"), 1},
		{"review_json", args("review", "fixtures/products", "--now", now, "--format", "json"), 1},
		{"approve_plans", args("approve", "fixtures/plans", "--specs", "fixtures/products", "--now", now), 1},
		{"approve_json", args("approve", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--format", "json"), 1},
		{"validate_fixtures", args("validate", "fixtures/products", "fixtures/plans", "fixtures/fleet"), 0},
		{"controls", args("controls"), 0},
		{"controls_json", args("controls", "--format", "json"), 0},
		{"explain_cred_005", args("explain", "CRED-005"), 0},
		{"explain_upd_001_json", args("explain", "UPD-001", "--format", "json"), 0},
		{"explain_typo", args("explain", "CRED-05"), 2},
		{"explain_unknown_in_area", args("explain", "ENR-999"), 2},
		{"version", args("version"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			golden(t, tt.name, "exit: "+itoa(code)+"\n--- stdout\n"+out+"--- stderr\n"+errOut)
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestDisplayFiltersOnlyDisplay proves that --show, --min-severity and
// --status change what the text shows, never the exit code nor the machine
// formats' content.
func TestDisplayFiltersOnlyDisplay(t *testing.T) {
	t.Parallel()
	base := with(args("scan", "fixtures/fleet", "--now", now), links...)
	filters := [][]string{
		{"--show", "all"},
		{"--min-severity", "critical"},
		{"--status", "pass"},
		{"--status", "insufficient_evidence", "--min-severity", "low", "--show", "failing"},
	}
	// One scan per filter writes every format: one on stdout (each machine
	// format in turn), the others with --report (the same writers, built
	// with the same options).
	formats := []string{"text", "json", "ndjson", "sarif"}
	scan := func(stdoutFormat string, fl []string) (out map[string]string, code int) {
		t.Helper()
		dir := t.TempDir()
		a := with(base, "--format", stdoutFormat)
		for _, f := range formats {
			if f != stdoutFormat {
				a = append(a, "--report", f+"="+filepath.Join(dir, f))
			}
		}
		stdout, stderr, code := run(t, "", with(a, fl...)...)
		out = map[string]string{stdoutFormat: stdout}
		for _, f := range formats {
			if f != stdoutFormat {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatalf("%v: %v\n%s", fl, err, stderr)
				}
				out[f] = string(b)
			}
		}
		return out, code
	}
	want, wantCode := scan("text", nil)
	for i, fl := range filters {
		got, code := scan(formats[1+i%3], fl)
		if code != wantCode {
			t.Errorf("%v: exit code %d, want %d", fl, code, wantCode)
		}
		for _, format := range formats[1:] {
			if got[format] != want[format] {
				t.Errorf("%s %v: output differs from the unfiltered run", format, fl)
			}
		}
		if got["text"] == want["text"] && fl[0] != "--show" {
			t.Errorf("text %v: the filter changed nothing on screen", fl)
		}
		// A filter that hides every failure still exits 1.
		if fl[0] == "--status" && fl[1] == "pass" && code != ExitFailing {
			t.Errorf("--status pass: exit %d, want %d", code, ExitFailing)
		}
	}
}
