package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunFlagsRefused: a run-time or worker flag that cannot be honoured is a
// clear error on stderr and exit 2, never a silent fallback (an empty --now
// used the clock; --now 9999-… ended every control in error with nothing on
// stderr; --workers 0 or less was accepted).
func TestRunFlagsRefused(t *testing.T) {
	t.Parallel()
	doc := fixtures + "/fleet/unit-101-compliant.yaml"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty now", []string{"--now", ""}, `lockcheck scan: --now is empty: give an RFC 3339 time`},
		{"empty now (=)", []string{"--now="}, `lockcheck scan: --now is empty`},
		{"now out of range", []string{"--now", "9999-12-31T23:59:59Z"}, `lockcheck scan: --now "9999-12-31T23:59:59Z": the run time 9999-12-31T23:59:59Z is out of range: it must lie between 1700-01-01T00:00:00Z and 2200-12-31T23:59:59Z`},
		{"now before range", []string{"--now", "0001-01-01T00:00:00Z"}, `is out of range`},
		{"now unparsable", []string{"--now", "9999-99-99"}, `lockcheck scan: --now "9999-99-99": expected an RFC 3339 time with an offset`},
		{"zero workers", []string{"--now", runNow, "--workers", "0"}, `lockcheck scan: --workers 0: expected at least 1`},
		{"negative workers", []string{"--now", runNow, "--workers=-2"}, `lockcheck scan: --workers -2: expected at least 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := lc(t, append([]string{"scan", doc, "-q"}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Errorf("exit %d, want 2 with %q on stderr and nothing on stdout:\nstderr: %s\nstdout: %.300s", code, tc.want, stderr, stdout)
			}
		})
	}
}

// writeParams writes a --params file and returns its path.
func writeParams(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "params.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParamsRefused: --params is checked against the parameters' schema: an
// unknown name or a value out of its range is refused, naming both.
func TestParamsRefused(t *testing.T) {
	t.Parallel()
	doc := fixtures + "/fleet/unit-101-compliant.yaml"
	tests := []struct {
		body, want string
	}{
		{"clock_drift_max_s: -5\n", `lockcheck scan: parameter "clock_drift_max_s": -5 is not allowed: expected a whole number from 0 to 86400 (seconds)`},
		{"params:\n  max_waiver_days: 100000\n", `parameter "max_waiver_days": 100000 is not allowed: expected a whole number from 1 to 3650 (days)`},
		{`{"min_site_supported_firmware_ratio": 95}`, `parameter "min_site_supported_firmware_ratio": 95 is not allowed: expected a number from 0 to 1`},
		{"clock_drift_maxs: 5\n", `unknown parameter "clock_drift_maxs"`},
	}
	for _, tc := range tests {
		stdout, stderr, code := lc(t, "scan", doc, "-q", "--now", runNow, "--params", writeParams(t, tc.body))
		if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("--params %q: exit %d, want 2 with %q on stderr:\n%s", tc.body, code, tc.want, stderr)
		}
	}
	if _, stderr, code := lc(t, "scan", doc, "-q", "--now", runNow, "--params", writeParams(t, "clock_drift_max_s: 60\n")); code > 1 {
		t.Errorf("a valid --params: exit %d\n%s", code, stderr)
	}
}
