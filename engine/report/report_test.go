package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/internal/golden"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// testNow is the fixed run time of every golden run.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var (
	engineOnce sync.Once
	testEngine *engine.Engine
	engineErr  error
)

// newTestEngine compiles the embedded catalogue once per test binary.
func newTestEngine(t *testing.T) *engine.Engine {
	t.Helper()
	engineOnce.Do(func() {
		testEngine, engineErr = engine.New(context.Background(), engine.Options{Now: testNow})
	})
	if engineErr != nil {
		t.Fatalf("engine.New: %v", engineErr)
	}
	return testEngine
}

// fixtureRun is the real pipeline's output over a set of fixtures.
type fixtureRun struct {
	Results []*scan.DocResult
	Summary *scan.Summary
}

// fixtureCase is a golden run: inputs and link-only inputs, relative to the
// repository root (document paths in the outputs are relative to it, as in
// a CLI run from the root).
type fixtureCase struct {
	Name  string
	Paths []string
	Links []string
}

// fixtureCases are the golden runs every format is tested on.
var fixtureCases = []fixtureCase{
	// A fleet scan with plans and specs as link targets, plus the invalid
	// documents.
	{Name: "fleet", Paths: []string{"fixtures/fleet", "fixtures/bad"}, Links: []string{"fixtures/plans", "fixtures/products"}},
	// Procurement: the product specs side by side, and the plans.
	{Name: "procurement", Paths: []string{"fixtures/products", "fixtures/plans"}},
}

var (
	runMu    sync.Mutex
	runCache = map[string]*fixtureRun{}
)

// repoRoot is the repository root, from the package directory.
const repoRoot = "../.."

// runFixtures runs scan.Runner over a fixture case from the repository root
// (cached per test binary).
func runFixtures(t *testing.T, c fixtureCase) *fixtureRun {
	t.Helper()
	runMu.Lock()
	defer runMu.Unlock()
	if r, ok := runCache[c.Name]; ok {
		return r
	}
	eng := newTestEngine(t)
	v, err := document.NewValidator()
	if err != nil {
		t.Fatalf("NewValidator: %v", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(repoRoot); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	for _, p := range append(append([]string(nil), c.Paths...), c.Links...) {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("fixture %s is missing: %v", p, err)
		}
	}
	agg := scan.NewAggregator(eng, engine.SeverityLow)
	run := &fixtureRun{}
	runner := &scan.Runner{Engine: eng, Validator: v}
	err = runner.Run(context.Background(), scan.Options{Paths: c.Paths, LinkPaths: c.Links, Workers: 2}, scan.SinkFunc(func(r *scan.DocResult) error {
		agg.Add(r)
		run.Results = append(run.Results, r)
		return nil
	}))
	if err != nil {
		t.Fatalf("run %s: %v", c.Name, err)
	}
	run.Summary = agg.Summary()
	runCache[c.Name] = run
	return run
}

// testOptions are the writer options of the golden runs.
func testOptions(t *testing.T) Options {
	return Options{Engine: newTestEngine(t), ToolVersion: "0.0.0-test", Verb: "scan", FailOn: engine.SeverityLow}
}

// render runs a format over results the way the CLI does.
func render(t *testing.T, format string, o Options, results []*scan.DocResult, s *scan.Summary) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if err := w.Result(r); err != nil {
			t.Fatalf("%s: Result: %v", format, err)
		}
	}
	if err := w.Close(&Final{Summary: s}); err != nil {
		t.Fatalf("%s: Close: %v", format, err)
	}
	return buf.Bytes()
}

// digestRE matches the catalogue and parameter digests (full or shortened),
// which change with every policy edit: golden files hold a placeholder.
var digestRE = regexp.MustCompile(`sha256:[0-9a-f]{6,64}`)

// checkGolden compares got, digests masked, with testdata/<name>, or
// rewrites it with -update (go test ./engine/report/ -update).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), digestRE.ReplaceAll(got, []byte("sha256:<digest>")))
}

// goldenExt is the file extension of each format's golden files.
var goldenExt = map[string]string{"sarif": "sarif", "junit": "xml", "markdown": "md", "html": "html", "oscal": "json"}

// TestGolden renders every fixture case in every format and compares it with
// its golden file.
func TestGolden(t *testing.T) {
	for _, c := range fixtureCases {
		for _, format := range []string{"sarif", "junit", "markdown", "html", "oscal"} {
			t.Run(c.Name+"/"+format, func(t *testing.T) {
				run := runFixtures(t, c)
				got := render(t, format, testOptions(t), run.Results, run.Summary)
				checkGolden(t, format+"/"+c.Name+"."+goldenExt[format], got)
			})
		}
	}
}

// TestDeterministic renders twice and expects the same bytes.
func TestDeterministic(t *testing.T) {
	run := runFixtures(t, fixtureCases[0])
	for _, format := range []string{"sarif", "junit", "markdown", "html", "oscal"} {
		t.Run(format, func(t *testing.T) {
			a := render(t, format, testOptions(t), run.Results, run.Summary)
			b := render(t, format, testOptions(t), run.Results, run.Summary)
			if !bytes.Equal(a, b) {
				t.Errorf("two renderings differ:\n%s", cmp.Diff(string(a), string(b)))
			}
		})
	}
}

// handMade is a small run with one finding of every status, a waived one
// among them, and an invalid document: what the waiver tests and the schema
// tests need whatever the fixtures hold.
func handMade(t *testing.T) ([]*scan.DocResult, *scan.Summary) {
	t.Helper()
	eng := newTestEngine(t)
	doc := engine.DocRef{File: "fleet/unit 9|01.yaml", Index: 1, Kind: document.KindLockSnapshot, Name: "unit-901", Site: "site-a"}
	ctl := func(id string) *engine.Control {
		c, ok := eng.Control(id)
		if !ok {
			t.Fatalf("control %s is not in the catalogue", id)
		}
		return c
	}
	finding := func(id string, st engine.Status, why string) engine.Finding {
		c := ctl(id)
		return engine.Finding{ControlID: c.ID, Title: c.Title, Area: c.Area, Severity: c.Severity, Status: st, Document: doc,
			Rationale: why, Evidence: []engine.Evidence{{Path: "spec.x", Observed: true, Expected: false, Line: 7}},
			Missing: []string{}, Remediation: c.Remediation, References: c.References, Line: 7}
	}
	waived := finding("ENR-004", engine.StatusWaived, "interface ble allows unauthenticated pairing | while the retrofit is under way.")
	waived.Waiver = &engine.Waiver{Name: "retrofit-ble-pairing", ApprovedBy: "j.doe@example.com", Reason: "Pairing stays open until the hub replacement on 2026-12-15; the door is staffed.",
		Ticket: "SEC-142", Expires: "2026-12-31", Original: engine.StatusFail}
	insufficient := finding("CRED-003", engine.StatusInsufficientEvidence, "the guest credentials carry no valid_until.")
	insufficient.Missing = []string{"spec.credentials[0].valid_until"}
	insufficient.Evidence = nil
	insufficient.Line = 0
	errored := finding("LOG-002", engine.StatusError, "policy error: the control produced no outcome.")
	results := []*scan.DocResult{
		{Seq: 0, Doc: doc, Labels: map[string]string{"site": "site-a"}, Findings: []engine.Finding{
			finding("ENR-001", engine.StatusFail, "credential c-1 is an active factory default <admin>."),
			waived,
			insufficient,
			errored,
			finding("AUTH-001", engine.StatusPass, "every admin path needs two factors."),
			finding("COMM-001", engine.StatusNotApplicable, "the lock has no radio."),
		}},
		{Seq: 1, Doc: engine.DocRef{File: "fleet/broken.yaml", Index: 1}, Errors: []*document.InputError{
			{File: "fleet/broken.yaml", Index: 1, Path: "spec.power.battery_percent", Pos: document.Pos{Line: 12, Col: 5}, Msg: `expected an integer, got string "full"`},
		}},
	}
	agg := scan.NewAggregator(eng, engine.SeverityLow)
	for _, r := range results {
		agg.Add(r)
	}
	return results, agg.Summary()
}

// TestWaivedFindingInEveryFormat checks that a waived finding is reported,
// with its waiver, in every format.
func TestWaivedFindingInEveryFormat(t *testing.T) {
	results, sum := handMade(t)
	tests := []struct {
		format string
		want   []string
	}{
		{"sarif", []string{`"kind": "external"`, `"status": "accepted"`, `"justification": "Pairing stays open until the hub replacement`, `"waiver": "retrofit-ble-pairing"`}},
		{"junit", []string{`<skipped message="waived: retrofit-ble-pairing approved by j.doe@example.com until 2026-12-31`}},
		{"markdown", []string{"retrofit-ble-pairing", "j.doe@example.com", "Pairing stays open until the hub replacement"}},
		{"html", []string{"retrofit-ble-pairing", "j.doe@example.com", "Pairing stays open until the hub replacement"}},
		{"oscal", []string{`"name": "waived"`, `"value": "retrofit-ble-pairing"`, "Risk accepted: retrofit-ble-pairing approved by j.doe@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			got := string(render(t, tt.format, testOptions(t), results, sum))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, clip(got, 20000))
				}
			}
		})
	}
}

// TestEveryFormatRegistered checks the registry knows the five formats.
func TestEveryFormatRegistered(t *testing.T) {
	have := strings.Join(Formats(), ",")
	for _, f := range []string{"sarif", "junit", "markdown", "html", "oscal"} {
		if !strings.Contains(","+have+",", ","+f+",") {
			t.Errorf("format %s is not registered (have %s)", f, have)
		}
	}
}

// TestNoJSONEscapes: a reader sees ">= 30", never "\u003e= 30", in every
// format (the fleet fixtures' evidence holds ">=" and "<=").
func TestNoJSONEscapes(t *testing.T) {
	run := runFixtures(t, fixtureCases[0])
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, testOptions(t), run.Results, run.Summary)
			for _, esc := range []string{`\u003e`, `\u003c`, `\u0026`} {
				if bytes.Contains(got, []byte(esc)) {
					t.Errorf("%s output holds the JSON escape %s", format, esc)
				}
			}
		})
	}
}
