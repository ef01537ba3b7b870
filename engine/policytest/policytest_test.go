package policytest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/policy"
	"github.com/lockcheck/lockcheck/engine/policy/scaffold"
	"github.com/lockcheck/lockcheck/engine/policytest"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// control is a custom control in the catalogue's form; meta replaces lines
// of its METADATA block and body is appended.
func control(id, pkg string, meta map[string]string, body string) string {
	lines := []string{
		"# METADATA",
		"# title: Test control " + id,
		"# custom:",
		"#   id: " + id,
		"#   area: updates",
		"#   severity: high",
		"#   applies_to: [LockSnapshot]",
		"#   evidence:",
		"#     LockSnapshot: [spec.firmware.secure_boot]",
		"#   remediation: Fix it.",
		"#   references:",
		"#     - {standard: ETSI EN 303 645, clause: \"5.3-1\"}",
	}
	for i, l := range lines {
		for k, v := range meta {
			if strings.HasPrefix(l, k) {
				lines[i] = v
			}
		}
	}
	return strings.Join(lines, "\n") + "\npackage " + pkg + `

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

required contains "spec.firmware.secure_boot" if lib.is_snapshot

violation contains "secure_boot is off" if lib.spec.firmware.secure_boot == false

ok contains "secure_boot is on" if lib.spec.firmware.secure_boot == true
` + body
}

// tree writes files into a new directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dirs ...string) []*policy.Source {
	t.Helper()
	var out []*policy.Source
	for _, d := range dirs {
		s, err := policy.Load(d, policy.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// newEngine is what lockcheck passes as policytest.Options.NewEngine.
func newEngine(ctx context.Context, sources []*policy.Source, now time.Time, builtin bool) (policytest.Engine, error) {
	return engine.New(ctx, engine.Options{Sources: sources, Now: now, NoBuiltin: !builtin})
}

// TestContractViolations: every breach of the control contract by an added
// policy is refused with a message naming its file and line.
func TestContractViolations(t *testing.T) {
	t.Parallel()
	const pkg = "lockcheck.controls.updates.acme_secure_boot"
	ok := control("ACME-100", pkg, nil, "")
	// builtin: the case is about the built-in catalogue, which is loaded
	// (and compiled, a quarter of a second) only for those cases.
	builtin := map[string]bool{"duplicate id with a built-in": true, "package of a built-in control": true, "param redefined": true}
	for _, tc := range []struct {
		name  string
		files map[string]string
		other map[string]string // a second --policy
		want  []string          // substrings, each with file:line
	}{
		{"duplicate id with a built-in", map[string]string{"c.rego": control("CRED-003", pkg, nil, "")},
			nil, []string{"c.rego:1: control id CRED-003 is already used by the built-in control in policies/controls/credentials/guest_expiry.rego"}},
		{"duplicate id with another bundle", map[string]string{"c.rego": ok},
			map[string]string{"d.rego": control("ACME-100", "lockcheck.controls.updates.other", nil, "")},
			[]string{"d.rego:1: control id ACME-100 is already used by "}},
		{"unknown severity", map[string]string{"c.rego": control("ACME-100", pkg, map[string]string{"#   severity:": "#   severity: urgent"}, "")},
			nil, []string{`c.rego:1: ACME-100: METADATA custom.severity "urgent" is not critical, high, medium or low`}},
		{"missing applies_to", map[string]string{"c.rego": control("ACME-100", pkg, map[string]string{"#   applies_to:": "#   params: []"}, "")},
			nil, []string{"c.rego:1: ACME-100: METADATA custom.applies_to is missing"}},
		{"threshold with no default", map[string]string{"c.rego": control("ACME-100", pkg, nil, "\nwarning_level := lib.param(\"acme_level\")\n")},
			nil, []string{`c.rego:32: threshold "acme_level" has no default`}},
		{"package outside lockcheck.controls", map[string]string{"c.rego": control("ACME-100", "acme.rules", nil, "")},
			nil, []string{"c.rego:13: package acme.rules is outside lockcheck.controls.*"}},
		{"package of a built-in control", map[string]string{"c.rego": control("ACME-100", "lockcheck.controls.credentials.guest_expiry", nil, "")},
			nil, []string{"c.rego:13: package lockcheck.controls.credentials.guest_expiry is already defined by the built-in control in"}},
		{"no METADATA", map[string]string{"c.rego": "package " + pkg + "\n\nx := 1\n"},
			nil, []string{"c.rego:1: no package METADATA block"}},
		{"param redefined", map[string]string{"c.rego": ok, "data.json": `{"params": {"max_guest_validity_days": 31}}`},
			nil, []string{"data.params.max_guest_validity_days is already defined by the built-in catalogue"}},
		{"several at once", map[string]string{"c.rego": control("ACME-100", pkg, map[string]string{"#   severity:": "#   severity: urgent", "#     LockSnapshot:": "#     ProductSpec: [spec.x]"}, "")},
			nil, []string{`c.rego:1: ACME-100: METADATA custom.severity "urgent"`, "c.rego:1: ACME-100: METADATA custom.evidence.LockSnapshot is missing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dirs := []string{tree(t, tc.files)}
			if tc.other != nil {
				dirs = append(dirs, tree(t, tc.other))
			}
			_, err := engine.New(context.Background(), engine.Options{Sources: load(t, dirs...), Now: now, NoBuiltin: !builtin[tc.name]})
			if err == nil {
				t.Fatal("loaded")
			}
			if _, isContract := err.(*policy.ContractError); !isContract {
				t.Errorf("error %T, want *policy.ContractError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
	// the well-formed control loads, on the fast path
	eng, err := engine.New(context.Background(), engine.Options{Sources: load(t, tree(t, map[string]string{"c.rego": ok})), Now: now, NoBuiltin: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(eng.Controls()) != 1 || eng.Controls()[0].Source == "" {
		t.Errorf("controls %+v", eng.Controls())
	}
}

// TestExamplePolicy runs `lockcheck test` on the repository's example custom
// policy, fail-closed test on the fleet fixtures included, so CI covers it.
func TestExamplePolicy(t *testing.T) {
	t.Parallel()
	rep, err := policytest.Run(context.Background(), policytest.Options{
		Sources:   load(t, "../../fixtures/custom-policy"),
		Fixtures:  []string{"../../fixtures/fleet"},
		Now:       now,
		NewEngine: newEngine,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := rep.WriteText(&out, 90); err != nil {
		t.Fatal(err)
	}
	if !rep.OK(90) {
		t.Errorf("lockcheck test fixtures/custom-policy fails:\n%s", out.String())
	}
	if pass, _, _ := rep.Counts(); pass < 6 || len(rep.Controls) != 2 || len(rep.FailClosed) != 2 {
		t.Errorf("ran %d tests, %d controls, %d fail-closed fields:\n%s", pass, len(rep.Controls), len(rep.FailClosed), out.String())
	}
}

// TestRunFails: a failing Rego test, coverage under the minimum, a contract
// violation and an evidence field a control does not require each make the
// run not OK.
func TestRunFails(t *testing.T) {
	t.Parallel()
	const pkg = "lockcheck.controls.updates.acme_secure_boot"
	test := func(body string) string {
		return "package " + pkg + "_test\n\nimport data." + pkg + " as control\nimport data.lockcheck.test\n\n" + body
	}
	passing := `test_pass if {
	f := control.finding with input as test.snapshot({"firmware": {"secure_boot": true}})
	f.status == "pass"
}
`
	for _, tc := range []struct {
		name     string
		files    map[string]string
		min      float64
		fixtures bool
		want     string
	}{
		{"failing test", map[string]string{"c.rego": control("ACME-100", pkg, nil, ""), "c_test.rego": test(passing + `
test_fail_expected if {
	f := control.finding with input as test.snapshot({"firmware": {"secure_boot": true}})
	f.status == "fail"
}
`)}, 0, false, "FAIL: 1/2"},
		{"below coverage", map[string]string{"c.rego": control("ACME-100", pkg, nil, ""), "c_test.rego": test(passing)}, 99, false, "below --coverage-min 99"},
		{"contract", map[string]string{"c.rego": control("ACME-100", pkg, map[string]string{"#   severity:": "#   severity: urgent"}, ""), "c_test.rego": test(passing)}, 0, false, "Contract: 1 violations"},
		{"threshold with no default", map[string]string{"c.rego": control("ACME-100", pkg, nil, "\nwarning_level := lib.param(\"acme_level\")\n"), "c_test.rego": test(passing)}, 0, false, `c.rego:32: threshold "acme_level" has no default`},
		{"evidence not required", map[string]string{"c.rego": control("ACME-100", pkg, map[string]string{"#     LockSnapshot:": "#     LockSnapshot: [spec.firmware.secure_boot, spec.firmware.version]"}, ""), "c_test.rego": test(passing)}, 0, true,
			"FAIL ACME-100 LockSnapshot spec.firmware.version: deleting it from a passing fixture still passes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := policytest.Options{Sources: load(t, tree(t, tc.files)), Now: now, NewEngine: newEngine}
			if tc.fixtures {
				opts.Fixtures = []string{"../../fixtures/fleet"}
			}
			rep, err := policytest.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := rep.WriteText(&out, tc.min); err != nil {
				t.Fatal(err)
			}
			if rep.OK(tc.min) {
				t.Errorf("run OK:\n%s", out.String())
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("output:\n%s\nwant %q", out.String(), tc.want)
			}
		})
	}
}

// TestRunStopsOnCompileErrors: a policy or a test file that does not
// compile stops the run with the compiler's message naming the file and
// line, whichever of the two compiles it (the engine or OPA's tester).
func TestRunStopsOnCompileErrors(t *testing.T) {
	t.Parallel()
	const pkg = "lockcheck.controls.updates.acme_secure_boot"
	test := "package " + pkg + "_test\n\nimport data." + pkg + " as control\nimport data.lockcheck.test\n\n" +
		"test_pass if {\n\tf := control.finding with input as test.snapshot({\"firmware\": {\"secure_boot\": true}})\n\tf.status == \"pass\"\n}\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"policy", map[string]string{"c.rego": control("ACME-100", pkg, nil, "\nbad := 1 + \"a\"\n"), "c_test.rego": test}, "c.rego:32: rego_type_error: plus"},
		{"test", map[string]string{"c.rego": control("ACME-100", pkg, nil, ""), "c_test.rego": test + "\ntest_bad if {\n\t1 + \"a\" == 2\n}\n"}, "c_test.rego:12: rego_type_error: plus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := policytest.Run(context.Background(), policytest.Options{Sources: load(t, tree(t, tc.files)), Now: now, NewEngine: newEngine})
			if err == nil || !strings.HasPrefix(err.Error(), "compile policies: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want compile policies: … %s", err, tc.want)
			}
		})
	}
}

// TestScaffold: the control `lockcheck new control` writes passes `lockcheck
// test` with full coverage, and shows each of the six parts.
func TestScaffold(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files, err := scaffold.Write(dir, scaffold.Options{ID: "ACME-001", Area: "credentials", AppliesTo: []string{"LockSnapshot", "ProductSpec", "InstallPlan"}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"required", "missing", "violation", "not_applicable", "ok", "warning"} {
		if !strings.Contains(string(src), "\n"+part+" ") {
			t.Errorf("the template does not show the %s part", part)
		}
	}
	rep, err := policytest.Run(context.Background(), policytest.Options{Sources: load(t, dir), Now: now, NewEngine: newEngine})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := rep.WriteText(&out, 100); err != nil {
		t.Fatal(err)
	}
	if !rep.OK(100) || len(rep.Tests) != 15 {
		t.Errorf("the scaffold does not pass lockcheck test at 100%% coverage:\n%s", out.String())
	}
	if _, err := scaffold.Write(dir, scaffold.Options{ID: "ACME-001", Area: "credentials", AppliesTo: []string{"LockSnapshot"}}); err == nil {
		t.Error("overwrote an existing control")
	}
}

// TestRunNeedsNewEngine: without a way to build engines Run refuses to run
// rather than skip the contract and fail-closed checks.
func TestRunNeedsNewEngine(t *testing.T) {
	if _, err := policytest.Run(context.Background(), policytest.Options{Now: now}); err == nil || !strings.Contains(err.Error(), "NewEngine") {
		t.Errorf("Run without NewEngine: %v", err)
	}
}
