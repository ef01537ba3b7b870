// Package policytest tests custom controls, as `lockcheck test` does: it runs
// their Rego unit tests (OPA's tester, with lockcheck's lib and test helpers
// loaded) and measures their coverage, checks each control against the
// catalogue's contract, and runs the generic fail-closed test on fixtures:
// deleting any evidence field a control declares from a document on which it
// passes must stop it passing.
package policytest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/policy"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/policies"
)

// helpers is the embedded Rego test helper package (data.lockcheck.test:
// snapshot, product, plan, linked, at), available to custom tests.
const helpers = "lib/helpers_test.rego"

// Options configure Run.
type Options struct {
	// Sources are the loaded policy directories or bundles under test.
	Sources []*policy.Source
	// Fixtures are files or directories of documents for the fail-closed
	// test; none skips it.
	Fixtures []string
	// Now is the run time for the fail-closed test (zero: the clock).
	Now time.Time
	// Timeout bounds each Rego test (zero: 5 s).
	Timeout time.Duration
	// NewEngine builds an engine over sources evaluating at now; builtin
	// loads the built-in catalogue beside them. Run builds one with it to
	// check the contract (ids and packages unique against the built-in
	// controls; a breach is a *policy.ContractError) and, with Fixtures, one
	// without it for the fail-closed test. lockcheck passes engine.New.
	NewEngine func(ctx context.Context, sources []*policy.Source, now time.Time, builtin bool) (Engine, error)
}

// Engine is what Run needs of an engine (an *engine.Engine): its controls
// and the evaluation of one document.
type Engine interface {
	Controls() []*finding.Control
	Control(id string) (*finding.Control, bool)
	Evaluate(ctx context.Context, d *document.Document, rel finding.Related) ([]finding.Finding, error)
}

// Test is the outcome of one Rego test.
type Test struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	// Status is pass, fail, error or skip.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// FailClosed is the outcome of the fail-closed test for one evidence field
// of one control and kind.
type FailClosed struct {
	Control string `json:"control"`
	Kind    string `json:"kind"`
	Path    string `json:"path"`
	// Tried is the number of passing documents the field was deleted from.
	Tried int `json:"tried"`
	// OK: deleting the field stopped the pass (at least once, never kept it).
	OK  bool   `json:"ok"`
	Msg string `json:"message"`
}

// Report is the outcome of Run.
type Report struct {
	Sources []*policy.Source `json:"sources"`
	Tests   []Test           `json:"tests"`
	// Coverage is the line coverage of the sources' policy files (tests
	// excluded), in percent.
	Coverage     float64            `json:"coverage"`
	CoveredLines int                `json:"covered_lines"`
	TotalLines   int                `json:"total_lines"`
	Files        map[string]float64 `json:"files"`
	// Violations break the control contract (empty: every control keeps it).
	Violations []policy.Violation `json:"violations"`
	// Controls are the ids of the sources' controls.
	Controls   []string     `json:"controls"`
	FailClosed []FailClosed `json:"fail_closed,omitempty"`
	// InputErrors are fixture documents that could not be read.
	InputErrors []string `json:"input_errors,omitempty"`
}

// Counts returns the number of tests passed, failed and errored.
func (r *Report) Counts() (pass, fail, errs int) {
	for _, t := range r.Tests {
		switch t.Status {
		case "pass":
			pass++
		case "fail":
			fail++
		case "error":
			errs++
		}
	}
	return
}

// OK reports whether everything passed: at least one test and every test,
// the contract, the fail-closed test, and coverage at least min.
func (r *Report) OK(minCoverage float64) bool {
	_, fail, errs := r.Counts()
	ok := len(r.Tests) > 0 && fail == 0 && errs == 0 && len(r.Violations) == 0 && r.Coverage >= minCoverage && len(r.InputErrors) == 0
	for _, f := range r.FailClosed {
		ok = ok && f.OK
	}
	return ok
}

// Run tests the sources. The error is reserved for what stops the run (a
// policy that does not compile); contract violations are in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.NewEngine == nil {
		return nil, fmt.Errorf("policytest: Options.NewEngine is nil")
	}
	rep := &Report{Sources: opts.Sources, Files: map[string]float64{}}
	helper, err := helperModule()
	if err != nil {
		return nil, err
	}
	// The tests tree is only assembled here: OPA's tester compiles it (with
	// stages of its own), so compiling it first would do that work twice.
	tree, err := policy.Assemble(policy.Tree{Sources: opts.Sources, Tests: true, Extra: map[string]*ast.Module{"policies/" + helpers: helper}})
	if ce, ok := err.(*policy.ContractError); ok {
		rep.Violations = ce.Violations
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	// the contract, ids unique against the built-in catalogue included; it
	// compiles the policies (tests excluded), so a policy that does not
	// compile stops the run here
	full, err := opts.NewEngine(ctx, opts.Sources, opts.Now, true)
	if ce, ok := err.(*policy.ContractError); ok {
		rep.Violations = ce.Violations
		if ce.InTree { // a threshold without a default: as a broken package
			return rep, nil
		}
		full = nil
	} else if err != nil {
		return nil, err
	}
	if err := rep.runTests(ctx, tree, opts); err != nil {
		return nil, err
	}
	if full == nil {
		return rep, nil
	}
	for _, c := range full.Controls() {
		if c.Source != "" {
			rep.Controls = append(rep.Controls, c.ID)
		}
	}
	if len(opts.Fixtures) > 0 {
		eng, err := opts.NewEngine(ctx, opts.Sources, opts.Now, false)
		if err != nil {
			return nil, err
		}
		if err := rep.failClosed(ctx, eng, opts.Fixtures); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func helperModule() (*ast.Module, error) {
	b, err := fs.ReadFile(policies.FS, helpers)
	if err != nil {
		return nil, fmt.Errorf("read test helpers: %w", err)
	}
	return ast.ParseModuleWithOpts("policies/"+helpers, string(b), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
}

// runTests runs every test_ rule of the sources' test files with OPA's
// tester and measures the coverage of their policy files.
func (r *Report) runTests(ctx context.Context, tree *policy.Compiled, opts Options) error {
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	cov := cover.New()
	ch, err := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		SetStore(inmem.NewFromObject(tree.Data)).
		SetCoverageQueryTracer(cov).
		// Only the line coverage is reported: OPA's supplementary passes
		// (which explain uncovered lines) would run every test twice more.
		SetCoverageRuns([]cover.Kind{}).
		SetTimeout(timeout).
		Run(ctx, tree.Modules)
	var compileErrs ast.Errors
	if errors.As(err, &compileErrs) { // a test file that does not compile
		return fmt.Errorf("compile policies: %w", err)
	}
	if err != nil {
		return fmt.Errorf("run tests: %w", err)
	}
	for res := range ch {
		t := Test{Package: res.Package, Name: res.Name, Status: "pass"}
		if res.Location != nil {
			t.File, t.Line = res.Location.File, res.Location.Row
		}
		switch {
		case res.Error != nil:
			t.Status, t.Error = "error", res.Error.Error()
		case res.Fail:
			t.Status = "fail"
		case res.Skip:
			t.Status = "skip"
		}
		r.Tests = append(r.Tests, t)
	}
	sort.Slice(r.Tests, func(i, j int) bool {
		a, b := r.Tests[i], r.Tests[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	report := cov.Report(tree.Modules)
	for name, f := range report.Files {
		if tree.SourceOf(name) == nil || strings.HasSuffix(name, "_test.rego") {
			continue
		}
		c, nc := f.CoveredLines, f.NotCoveredLines
		r.CoveredLines += c
		r.TotalLines += c + nc
		if c+nc > 0 {
			r.Files[name] = 100 * float64(c) / float64(c+nc)
		}
	}
	if r.TotalLines > 0 {
		r.Coverage = 100 * float64(r.CoveredLines) / float64(r.TotalLines)
	}
	return nil
}

// failClosed deletes, from every fixture on which a source's control passes,
// each evidence field the control declares for the document's kind, and
// records whether the control stopped passing.
func (r *Report) failClosed(ctx context.Context, eng Engine, paths []string) error {
	v, err := document.NewValidator()
	if err != nil {
		return err
	}
	files, ierrs := document.Expand(paths)
	for _, e := range ierrs {
		r.InputErrors = append(r.InputErrors, e.Error())
	}
	var docs []*document.Document
	for _, f := range files {
		document.DecodeFile(f, nil, func(d *document.Document, ierr *document.InputError) bool {
			if ierr != nil {
				r.InputErrors = append(r.InputErrors, ierr.Error())
				return true
			}
			if errs, _ := v.Validate(d); len(errs) > 0 {
				for _, e := range errs {
					r.InputErrors = append(r.InputErrors, e.Error())
				}
				return true
			}
			docs = append(docs, d)
			return true
		})
	}
	links := scan.NewLinks()
	for _, d := range docs {
		links.Add(d)
	}
	type key struct{ id, kind, path string }
	tried := map[key]int{}
	kept := map[key]bool{}
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		base, err := eng.Evaluate(ctx, d, rel)
		if err != nil {
			return err
		}
		for _, f := range base {
			if f.Status != finding.StatusPass {
				continue
			}
			c, _ := eng.Control(f.ControlID)
			for _, p := range c.Evidence[d.Kind] {
				md, mrel, ok := Without(d, rel, p)
				if !ok {
					continue
				}
				k := key{c.ID, d.Kind, p}
				tried[k]++
				got, err := eng.Evaluate(ctx, md, mrel)
				if err != nil {
					return err
				}
				for _, g := range got {
					if g.ControlID == c.ID && g.Status == finding.StatusPass {
						kept[k] = true
					}
				}
			}
		}
	}
	for _, c := range eng.Controls() {
		for _, kind := range c.AppliesTo {
			for _, p := range c.Evidence[kind] {
				k := key{c.ID, kind, p}
				fc := FailClosed{Control: c.ID, Kind: kind, Path: p, Tried: tried[k]}
				switch {
				case tried[k] == 0:
					fc.Msg = "no fixture on which the control passes holds this field"
				case kept[k]:
					fc.Msg = "deleting it from a passing fixture still passes: the control does not require it"
				default:
					fc.OK = true
					fc.Msg = fmt.Sprintf("deleting it stops the pass on %d fixture(s)", tried[k])
				}
				r.FailClosed = append(r.FailClosed, fc)
			}
		}
	}
	return nil
}
