package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputs: every bad input gets a clear message naming the file (and
// document and field where there is one) and exit code 2, and the other
// documents' findings are still printed.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want string // a fragment of the message
		code int
	}{
		{"truncated.yaml", "truncated.yaml:242 (doc 1): invalid YAML", 2},
		{"wrong-type.yaml", "spec.power.battery_percent: expected an integer between 0 and 100, got string \"full\"", 2},
		{"bad-date.yaml", "spec.support.support_end_date: expected a date (YYYY-MM-DD)", 2},
		{"naive-datetime.yaml", "valid_until: expected an RFC 3339 date-time with a UTC offset", 2},
		{"duplicate-keys.yaml", "duplicate key \"battery_percent\"", 2},
		{"unknown-kind.yaml", "kind: unknown kind \"LockStatus\"", 2},
		{"missing-name.yaml", "metadata.name: required field is missing", 2},
		{"duplicate-names.yaml", "duplicate name: LockSnapshot \"unit-150-dup\"", 2},
		{"empty.yaml", "empty.yaml: file contains no documents", 2},
		{"garbage.bin", "garbage.bin: not a text file", 2},
		{"mixed.yaml", "mixed.yaml:439:5 (doc 2): spec.device.clock_drift_s: expected an integer", 2},
		// An unknown field is a warning with a suggestion; evidence it would
		// have carried is then missing, which fails closed (exit 1).
		{"typo-field.yaml", "did you mean \"pairing_mode_open\"?", 1},
		// In a scan an unresolved link is a warning plus insufficient evidence.
		{"plan-missing-product.yaml", "product \"ghostlock-gl9\" was not found", 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", "scan", "fixtures/bad/"+tt.file, "fixtures/fleet/unit-101-compliant.yaml",
				"--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--only-failures")
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if !strings.Contains(out+errOut, tt.want) {
				t.Errorf("output lacks %q:\n%s\n%s", tt.want, out, errOut)
			}
			if !strings.Contains(out, "unit-101-compliant  PASS") {
				t.Errorf("the good document was not evaluated and reported:\n%s", out)
			}
			if strings.Contains(out+errOut, "goroutine ") || strings.Contains(out+errOut, "panic") {
				t.Errorf("a Go panic reached the user:\n%s%s", out, errOut)
			}
			golden(t, "bad_"+strings.TrimSuffix(tt.file, filepath.Ext(tt.file)), "exit: "+itoa(code)+"\n--- stdout\n"+out+"--- stderr\n"+errOut)
		})
	}
}

func TestBadPaths(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // a 50 MB file
		t.Fatal(err)
	}
	f.Close()
	tests := []struct {
		name string
		args []string
		want string
		code int
	}{
		{"nonexistent", args("scan", "fixtures/no-such-dir", "fixtures/fleet/unit-101-compliant.yaml"), "fixtures/no-such-dir: no such file or directory", 2},
		{"fifty megabytes", args("scan", big, "fixtures/fleet/unit-101-compliant.yaml"), "a YAML or JSON file may be at most 32 MiB", 2},
		{"approve without the product", args("approve", "fixtures/bad/plan-missing-product.yaml", "--specs", "fixtures/products"), "approve cannot form a verdict without the product", 2},
		{"unknown control", args("scan", "fixtures/fleet", "--controls", "XYZ-001"), "unknown control \"XYZ-001\"", 2},
		{"bad --now", args("scan", "fixtures/fleet", "--now", "yesterday"), "--now \"yesterday\": expected an RFC 3339 time", 2},
		{"unknown format", args("scan", "fixtures/fleet", "--format", "pdf"), "unknown format \"pdf\"", 2},
		{"no inputs", args("scan"), "no inputs", 2},
		{"unknown command", args("frobnicate"), "unknown command \"frobnicate\"", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\n%s\n%s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tt.want) {
				t.Errorf("output lacks %q:\n%s\n%s", tt.want, out, errOut)
			}
		})
	}
}

func TestEmptyDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a document"), 0o644)
	out, errOut, code := run(t, "", "scan", dir, "--now", now)
	if code != 2 || !strings.Contains(out+errOut, "directory contains no documents") {
		t.Errorf("exit %d, output %q %q", code, out, errOut)
	}
}

func TestStdin(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("fixtures/fleet/unit-102-default-credential-active.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, string(b), "scan", "-", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--only-failures")
	if code != 1 || !strings.Contains(out, "- (doc 1)") || !strings.Contains(out, "ENR-001") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestSecretsNeverEchoed: a PIN value smuggled into a snapshot (as an
// unknown field) never appears in any output.
func TestSecretsNeverEchoed(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("fixtures/fleet/unit-101-compliant.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(b), "credentials:\n", "credentials:\n", 1)
	doc = strings.Replace(doc, "    - credential_id:", "    - pin_code: \"93817462\"\n      credential_id:", 1)
	if !strings.Contains(doc, "93817462") {
		t.Fatal("could not plant the secret in the fixture")
	}
	for _, format := range []string{"text", "json", "ndjson"} {
		out, errOut, _ := run(t, doc, "scan", "-", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--format", format)
		if strings.Contains(out+errOut, "93817462") {
			t.Errorf("%s output echoes the PIN value", format)
		}
		if !strings.Contains(out+errOut, "pin_code") {
			t.Errorf("%s output does not warn about the unknown field pin_code", format)
		}
	}
}

// TestDeletedEvidenceIsInsufficient: deleting an evidence field from a
// passing fixture turns that control into insufficient_evidence, never pass.
func TestDeletedEvidenceIsInsufficient(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("fixtures/fleet/unit-101-compliant.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ control, line string }{
		{"UPD-001", "signature_verification:"},
		{"ENR-001", "default_credential_active:"},
		{"LOG-004", "clock_source:"},
	}
	for _, tt := range tests {
		t.Run(tt.control, func(t *testing.T) {
			t.Parallel()
			var kept []string
			removed := 0
			for _, l := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), tt.line) {
					removed++
					continue
				}
				kept = append(kept, l)
			}
			if removed != 1 {
				t.Fatalf("expected exactly one %q line in the fixture, found %d", tt.line, removed)
			}
			out, errOut, _ := run(t, strings.Join(kept, "\n"), "scan", "-", "--plans", "fixtures/plans", "--specs", "fixtures/products",
				"--now", now, "--format", "json", "--controls", tt.control)
			var rep struct {
				Documents []struct {
					Findings []struct {
						ControlID string   `json:"control_id"`
						Status    string   `json:"status"`
						Missing   []string `json:"missing"`
					} `json:"findings"`
				} `json:"documents"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("decode: %v\n%s", err, errOut)
			}
			found := false
			for _, d := range rep.Documents {
				for _, f := range d.Findings {
					if f.ControlID == tt.control {
						found = true
						if f.Status != "insufficient_evidence" || len(f.Missing) == 0 {
							t.Errorf("%s: status %s, missing %v; want insufficient_evidence with the missing field", tt.control, f.Status, f.Missing)
						}
					}
				}
			}
			if !found {
				t.Errorf("%s: no finding\n%s", tt.control, out)
			}
		})
	}
}
