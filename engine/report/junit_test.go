package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// checkJUnit parses a junit report back and checks the JUnit schema's rules
// on counts: each suite's tests, failures, errors and skipped equal its
// children, each case has at most one outcome, and the root's totals are
// the sums. It returns the parsed report.
func checkJUnit(t *testing.T, out []byte) JUnitSuites {
	t.Helper()
	var got JUnitSuites
	if err := xml.Unmarshal(out, &got); err != nil {
		t.Fatalf("not JUnit XML: %v", err)
	}
	var tot [4]int
	for _, s := range got.Suites {
		var n [4]int
		for _, c := range s.Cases {
			outcomes := 0
			if c.Failure != nil {
				n[1]++
				outcomes++
				if c.Failure.Message == "" || c.Failure.Type == "" {
					t.Errorf("%s / %s: <failure> needs a message and a type", s.Name, c.Name)
				}
			}
			if c.Error != nil {
				n[2]++
				outcomes++
				if c.Error.Message == "" || c.Error.Type == "" {
					t.Errorf("%s / %s: <error> needs a message and a type", s.Name, c.Name)
				}
			}
			if c.Skipped != nil {
				n[3]++
				outcomes++
			}
			if outcomes > 1 {
				t.Errorf("%s / %s: %d outcomes, want at most one", s.Name, c.Name, outcomes)
			}
			if c.Name == "" || c.ClassName == "" {
				t.Errorf("%s: a testcase without name or classname: %+v", s.Name, c)
			}
		}
		n[0] = len(s.Cases)
		if have := [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}; have != n {
			t.Errorf("suite %s: tests/failures/errors/skipped attributes %v, children %v", s.Name, have, n)
		}
		for i := range tot {
			tot[i] += n[i]
		}
	}
	if have := [4]int{got.Tests, got.Failures, got.Errors, got.Skipped}; have != tot {
		t.Errorf("testsuites totals %v, sum of the suites %v", have, tot)
	}
	return got
}

// TestJUnitCounts checks the counting rules on every fixture run.
func TestJUnitCounts(t *testing.T) {
	for _, c := range fixtureCases {
		t.Run(c.Name, func(t *testing.T) {
			run := runFixtures(t, c)
			got := checkJUnit(t, render(t, "junit", testOptions(t), run.Results, run.Summary))
			if len(got.Suites) != len(run.Results) {
				t.Errorf("%d suites for %d documents", len(got.Suites), len(run.Results))
			}
			failing := 0
			for _, r := range run.Results {
				for _, f := range r.Findings {
					if f.Status == "fail" || f.Status == "insufficient_evidence" {
						failing++
					}
				}
			}
			if got.Failures != failing {
				t.Errorf("failures = %d, want %d (fail + insufficient_evidence findings)", got.Failures, failing)
			}
		})
	}
}

// TestJUnitOutcomes checks each status's element on the hand-made run.
func TestJUnitOutcomes(t *testing.T) {
	results, sum := handMade(t)
	got := checkJUnit(t, render(t, "junit", testOptions(t), results, sum))
	if len(got.Suites) != 2 {
		t.Fatalf("got %d suites, want 2", len(got.Suites))
	}
	if s := got.Suites[0]; s.Name != "LockSnapshot unit-901" {
		t.Errorf("suite name %q, want %q", s.Name, "LockSnapshot unit-901")
	}
	outcome := map[string]string{}
	for _, c := range got.Suites[0].Cases {
		id, _, _ := strings.Cut(c.Name, " ")
		switch {
		case c.Failure != nil:
			outcome[id] = "failure:" + c.Failure.Type
		case c.Error != nil:
			outcome[id] = "error:" + c.Error.Type
		case c.Skipped != nil:
			outcome[id] = "skipped"
		default:
			outcome[id] = "pass"
		}
	}
	want := map[string]string{"ENR-001": "failure:fail", "ENR-004": "skipped", "CRED-003": "failure:insufficient_evidence",
		"LOG-002": "error:policy_error", "AUTH-001": "pass", "COMM-001": "skipped"}
	if d := cmpDiff(want, outcome); d != "" {
		t.Errorf("outcomes (-want +got):\n%s", d)
	}
	inv := got.Suites[1]
	if inv.Errors != 1 || len(inv.Cases) != 1 || inv.Cases[0].Error == nil || inv.Cases[0].Error.Type != "input_error" {
		t.Errorf("invalid document: want one <error type=input_error> case, got %+v", inv)
	}
	if c := got.Suites[0].Cases[0]; c.ClassName != "LockSnapshot unit-901" || !strings.HasPrefix(c.Name, "ENR-001 ") {
		t.Errorf("first case: classname %q name %q", c.ClassName, c.Name)
	}
}

// TestSiteLevelSARIFHasNoFakeFile: a fleet-level finding points at the
// sites it names (logical locations), not at a file "(fleet)".
func TestSiteLevelSARIFHasNoFakeFile(t *testing.T) {
	doc := engine.DocRef{File: scan.FleetFile, Index: 1, Kind: scan.KindFleet, Name: scan.FleetName}
	f := engine.Finding{ControlID: "FLEET-002", Title: "No site concentrates locks failing critical controls", Area: "fleet", Severity: engine.SeverityCritical,
		Status: engine.StatusFail, Document: doc, Rationale: "site lax-mariposa-1420: 10 of 18 locks fail. site ldn-kentish-town-27: 1 of 1 locks fail."}
	out := string(render(t, "sarif", testOptions(t), []*scan.DocResult{{Doc: doc, Findings: []engine.Finding{f}}}, &scan.Summary{}))
	if strings.Contains(out, `"uri": "(fleet)"`) {
		t.Errorf("SARIF points at the fake file (fleet):\n%s", out)
	}
	for _, want := range []string{`"fullyQualifiedName": "site/lax-mariposa-1420"`, `"fullyQualifiedName": "site/ldn-kentish-town-27"`, `"security"`} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s", want)
		}
	}
}

// TestJUnitCaseNamesDocumentAndControl: classname is the document, name the
// control, with the severity as a property, so CI tabs keep locks apart.
func TestJUnitCaseNamesDocumentAndControl(t *testing.T) {
	doc := engine.DocRef{File: "a.yaml", Index: 1, Kind: "LockSnapshot", Name: "unit-1"}
	f := engine.Finding{ControlID: "ENR-001", Title: "No default credential", Area: "enrollment", Severity: engine.SeverityCritical, Status: engine.StatusFail, Document: doc}
	out := string(render(t, "junit", testOptions(t), []*scan.DocResult{{Doc: doc, Findings: []engine.Finding{f}}}, &scan.Summary{}))
	for _, want := range []string{`classname="LockSnapshot unit-1" name="ENR-001 No default credential"`, `<property name="severity" value="critical">`} {
		if !strings.Contains(out, want) {
			t.Errorf("junit lacks %s:\n%s", want, out)
		}
	}
}
