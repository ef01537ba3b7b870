package cli

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "fixtures/custom-policy"

// failing/passing fixtures for ACME-001 (security_version below / at 14)
const (
	acmeFail = "fixtures/fleet/unit-115-known-cve-fix-available.yaml"
	acmePass = "fixtures/fleet/unit-101-compliant.yaml"
)

// statuses runs a JSON scan and returns ACME-001's status per document name.
func statuses(t *testing.T, extra ...string) (map[string]string, int) {
	t.Helper()
	out, errOut, code := run(t, "", with(args("scan", "--now", now, "-q", "--policy", example, "--controls", "ACME-001", "-f", "json"), extra...)...)
	var rep struct {
		Documents []struct {
			Document struct{ Name string }
			Findings []struct {
				ControlID string `json:"control_id"`
				Status    string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s\nstderr: %s", err, out, errOut)
	}
	got := map[string]string{}
	for _, d := range rep.Documents {
		for _, f := range d.Findings {
			if f.ControlID == "ACME-001" {
				got[d.Document.Name] = f.Status
			}
		}
	}
	return got, code
}

// TestCustomControlOutcomes: a --policy control passes, fails, is not
// evidenced and can be waived like a built-in one.
func TestCustomControlOutcomes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(repoRoot, acmePass))
	if err != nil {
		t.Fatal(err)
	}
	noEvidence := filepath.Join(dir, "no-evidence.yaml")
	src := strings.Replace(string(b), "name: unit-101-compliant", "name: unit-101-no-security-version", 1)
	src = strings.Replace(src, "    security_version: 14\n", "", 1)
	if err := os.WriteFile(noEvidence, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, code := statuses(t, acmePass, acmeFail, noEvidence)
	want := map[string]string{"unit-101-compliant": "pass", "unit-115-known-cve-fix-available": "fail", "unit-101-no-security-version": "insufficient_evidence"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: ACME-001 %q, want %q", k, got[k], v)
		}
	}
	if code != ExitFailing {
		t.Errorf("exit %d, want 1", code)
	}

	waivers := filepath.Join(dir, "waivers.yaml")
	if err := os.WriteFile(waivers, []byte(`apiVersion: lockcheck.dev/v1alpha1
kind: Waiver
metadata:
  name: acme-firmware-rollout
spec:
  generated_at: "2026-11-20T09:00:00Z"
  controls: [ACME-001]
  selector:
    names: [unit-115-known-cve-fix-available]
  justification: The 4.14 rollout reaches this door in January.
  approved_by: security-lead@acme.example
  ticket: SEC-1
  expires: "2027-01-15T00:00:00Z"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, code = statuses(t, acmeFail, "--waivers", waivers)
	if got["unit-115-known-cve-fix-available"] != "waived" || code != ExitOK {
		t.Errorf("waived: %v, exit %d", got, code)
	}
}

// TestCustomControlEveryFormat: the control and the policy's name and
// revision appear in every report format (one run, every format a --report).
func TestCustomControlEveryFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	formats := []string{"json", "ndjson", "markdown", "html", "sarif", "junit", "oscal"}
	a := args("scan", acmeFail, "--now", now, "-q", "--policy", example, "--controls", "ACME-001")
	for _, f := range formats {
		a = append(a, "--report", f+"="+filepath.Join(dir, f))
	}
	out, errOut, code := run(t, "", a...)
	if code != ExitFailing {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	reports := map[string]string{"text": out}
	for _, f := range formats {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		reports[f] = string(b)
	}
	for f, r := range reports {
		if !strings.Contains(r, "ACME-001") {
			t.Errorf("%s report does not name ACME-001", f)
		}
		if !strings.Contains(r, "custom-policy@") {
			t.Errorf("%s report does not name the policy and its revision", f)
		}
	}
}

// TestCustomControlCatalogue: controls and explain show --policy controls;
// --no-builtin lists only them; the digest covers them.
func TestCustomControlCatalogue(t *testing.T) {
	t.Parallel()
	out, _, code := run(t, "", "controls", "--policy", example, "--no-builtin")
	if code != 0 || !strings.Contains(out, "ACME-001") || !strings.Contains(out, "ACME-002") || strings.Contains(out, "CRED-003") || !strings.Contains(out, "2 controls, catalogue 1.0.0+custom-policy@") {
		t.Errorf("controls --no-builtin (exit %d):\n%s", code, out)
	}
	base, _, _ := run(t, "", "controls", "--format", "json")
	with, _, _ := run(t, "", "controls", "--format", "json", "--policy", example)
	digest := func(s string) string {
		var l struct {
			Digest string `json:"catalogue_digest"`
		}
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatal(err)
		}
		return l.Digest
	}
	if digest(base) == digest(with) || digest(with) == "" {
		t.Errorf("the catalogue digest does not cover the added policy: %s / %s", digest(base), digest(with))
	}
	out, _, code = run(t, "", "explain", "ACME-002", "--policy", example)
	for _, w := range []string{"Audit logs kept at least ACME's retention period", "Added by:    --policy fixtures/custom-policy (directory, revision", "acme_log_retention_days = 365", "spec.logging.retention_days"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("explain ACME-002 (exit %d) lacks %q:\n%s", code, w, out)
		}
	}
}

// TestCustomControlError: a control that fails at evaluation is an error,
// never a pass.
func TestCustomControlError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(repoRoot, example, "updates/min_security_version.rego"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b) + "\n_conflict := \"a\" if lib.is_snapshot\n\n_conflict := \"b\" if lib.is_snapshot\n\nok contains _conflict\n"
	if err := os.MkdirAll(filepath.Join(dir, "updates"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"updates/c.rego": src, "data.json": `{"params": {"acme_min_security_version": 14}}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code := run(t, "", "scan", acmePass, "--now", now, "-q", "--policy", dir, "--no-builtin", "-f", "json")
	if !strings.Contains(out, `"status": "error"`) || strings.Contains(out, `"status": "pass"`) {
		t.Errorf("a control that errors at evaluation:\n%s", out)
	}
	if code == ExitOK {
		t.Error("exit 0 on a control error")
	}
}

// TestSignedBundleCLI: bundle build signs, --verification-key verifies, a
// tampered or unsigned bundle is refused with exit 2 naming the file.
func TestSignedBundleCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	pubDer, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	key, pub := filepath.Join(dir, "key.pem"), filepath.Join(dir, "pub.pem")
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
	os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDer}), 0o644)
	signed, unsigned := filepath.Join(dir, "acme.tar.gz"), filepath.Join(dir, "plain.tar.gz")
	if out, errOut, code := run(t, "", "bundle", "build", example, "-o", signed, "--signing-key", key, "--signing-alg", "ES256", "--revision", "r7"); code != 0 || !strings.Contains(out, "revision r7, signed") {
		t.Fatalf("bundle build (exit %d): %s%s", code, out, errOut)
	}
	if _, errOut, code := run(t, "", "bundle", "build", example, "-o", unsigned); code != 0 {
		t.Fatalf("bundle build unsigned: %s", errOut)
	}
	out, errOut, code := run(t, "", "scan", acmeFail, "--now", now, "-q", "--policy", signed, "--verification-key", pub, "--verification-alg", "ES256", "--no-builtin", "-f", "markdown")
	if code != ExitFailing || !strings.Contains(out, "1.0.0+acme@r7") {
		t.Errorf("signed bundle scan (exit %d): %s\n%s", code, out, errOut)
	}
	b, _ := os.ReadFile(signed)
	tampered := filepath.Join(dir, "tampered.tar.gz")
	c := bytes.Clone(b)
	c[len(c)/2] ^= 0xff // inside the compressed stream: a broken or changed file
	os.WriteFile(tampered, c, 0o644)
	for _, bad := range []string{unsigned, tampered} {
		_, errOut, code := run(t, "", "scan", acmeFail, "--now", now, "-q", "--policy", bad, "--verification-key", pub, "--verification-alg", "ES256")
		if code != ExitInput || !strings.Contains(errOut, bad) {
			t.Errorf("%s: exit %d, stderr %q (want 2, naming the file)", bad, code, errOut)
		}
	}
}

// TestLockcheckTest: lockcheck test passes on the example policy (CI runs
// it), and exits 1 on a failing Rego test and below --coverage-min.
func TestLockcheckTest(t *testing.T) {
	t.Parallel()
	// Each run compiles the policy tree: the runs are subtests so that
	// they spread over the CPUs.
	t.Run("fixtures and coverage", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", "test", example, "--fixtures", "fixtures/fleet", "--now", now, "--coverage-min", "90")
		if code != ExitOK || !strings.Contains(out, "PASS: 6/6") || !strings.Contains(out, "Coverage: 100.00%") {
			t.Errorf("lockcheck test %s (exit %d):\n%s%s", example, code, out, errOut)
		}
	})
	// each format once; the json run is also below --coverage-min
	for _, tc := range []struct {
		format string
		args   []string
		code   int
	}{
		{"json", []string{"--coverage-min", "100.5"}, ExitFailing},
		{"junit", nil, ExitOK},
	} {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			out, _, code := run(t, "", append([]string{"test", example, "-f", tc.format}, tc.args...)...)
			if code != tc.code || !strings.Contains(out, "test_fail_below_minimum") {
				t.Errorf("--format %s %v: exit %d, want %d:\n%s", tc.format, tc.args, code, tc.code, out)
			}
		})
	}
	t.Run("new control", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if _, errOut, code := run(t, "", "new", "control", "--id", "ACME-009", "--area", "credentials", "--applies-to", "LockSnapshot", dir); code != 0 {
			t.Fatalf("new control: %s", errOut)
		}
		if out, _, code := run(t, "", "test", dir); code != ExitOK {
			t.Errorf("the new control fails lockcheck test:\n%s", out)
		}
		test := filepath.Join(dir, "credentials", "acme_009_test.rego")
		b, _ := os.ReadFile(test)
		os.WriteFile(test, []byte(strings.Replace(string(b), `f.status == "pass"`, `f.status == "fail"`, 1)), 0o644)
		if out, _, code := run(t, "", "test", dir); code != ExitFailing || !strings.Contains(out, "FAIL: 1/5") {
			t.Errorf("a failing Rego test: exit %d\n%s", code, out)
		}
	})
}
