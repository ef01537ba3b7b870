package policies_test

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/lockcheck/lockcheck/policies"
)

// minCoverage is the lowest acceptable Rego line coverage of policies/.
const minCoverage = 90.0

func load(t *testing.T) *loader.Result {
	t.Helper()
	res, err := loader.NewFileLoader().WithFS(policies.FS).WithProcessAnnotation(true).WithRegoVersion(ast.RegoV1).All([]string{"."})
	if err != nil {
		t.Fatalf("load policies: %v", err)
	}
	return res
}

// TestRego runs every Rego unit test, one subtest each, and reports the
// policies' coverage (which must stay above minCoverage).
func TestRego(t *testing.T) {
	t.Parallel()
	res := load(t)
	modules := res.ParsedModules()
	cov := cover.New()
	ch, err := tester.NewRunner().
		SetStore(inmem.NewFromObject(res.Documents)).
		SetCoverageQueryTracer(cov).
		// OPA re-runs every test twice more by default (rule indexing off,
		// early exit off) only to tag why lines are not covered; the line
		// counts read below do not depend on those passes.
		SetCoverageRuns([]cover.Kind{}).
		SetModules(modules).
		Run(context.Background(), modules)
	if err != nil {
		t.Fatalf("run rego tests: %v", err)
	}
	n := 0
	for r := range ch {
		n++
		r := r
		t.Run(strings.TrimPrefix(r.Package, "data.")+"."+r.Name, func(t *testing.T) {
			if r.Error != nil {
				t.Fatalf("%s: error: %v", r.Location, r.Error)
			}
			if r.Fail {
				t.Fatalf("%s: failed", r.Location)
			}
		})
	}
	if n == 0 {
		t.Fatal("no Rego tests found")
	}
	// Coverage of the policies themselves (tests excluded).
	rep := cov.Report(modules)
	covered, total := 0, 0
	var worst []string
	for name, f := range rep.Files {
		if strings.HasSuffix(name, "_test.rego") {
			continue
		}
		c, nc := f.CoveredLines, f.NotCoveredLines
		covered += c
		total += c + nc
		if c+nc > 0 && float64(c)/float64(c+nc) < 0.8 {
			worst = append(worst, fmt.Sprintf("%s %.0f%%", name, 100*float64(c)/float64(c+nc)))
		}
	}
	pct := 100 * float64(covered) / float64(total)
	sort.Strings(worst)
	t.Logf("Rego tests: %d; policy coverage: %.2f%% (%d of %d lines)", n, pct, covered, total)
	if pct < minCoverage {
		t.Errorf("policy coverage %.2f%% is below %.0f%%; least covered: %v", pct, minCoverage, worst)
	}
}

// TestControlLayout checks that folder, file and package agree, that every
// control has its test file, and that the tests cover pass, fail and
// missing evidence.
func TestControlLayout(t *testing.T) {
	t.Parallel()
	res := load(t)
	tests := map[string][]string{} // control package -> test names
	for _, m := range res.Modules {
		pkg := m.Parsed.Package.Path.String()
		if ctl, ok := strings.CutSuffix(pkg, "_test"); ok && strings.HasPrefix(pkg, "data.lockcheck.controls.") {
			for _, r := range m.Parsed.Rules {
				if n := r.Head.Name.String(); strings.HasPrefix(n, "test_") {
					tests[ctl] = append(tests[ctl], n)
				}
			}
		}
	}
	ids := map[string]string{}
	count := 0
	prefixOf := map[string]string{} // area name -> id prefix, from catalogue.json
	for _, a := range policies.Areas() {
		prefixOf[a.Name] = a.Prefix
	}
	err := fs.WalkDir(policies.FS, "controls", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		count++
		m := res.Modules["/"+p]
		if m == nil {
			m = res.Modules[p]
		}
		if m == nil {
			t.Errorf("%s: not loaded", p)
			return nil
		}
		area, file := path.Base(path.Dir(p)), strings.TrimSuffix(path.Base(p), ".rego")
		want := "data.lockcheck.controls." + area + "." + file
		got := m.Parsed.Package.Path.String()
		if got != want {
			t.Errorf("%s: package %s, want %s (folder, file and package must agree)", p, got, want)
		}
		var id string
		for _, a := range m.Parsed.Annotations {
			if a.Scope == "package" {
				id, _ = a.Custom["id"].(string)
				if ar, _ := a.Custom["area"].(string); ar != area {
					t.Errorf("%s: custom.area %q, want the folder name %q", p, ar, area)
				}
			}
		}
		if id == "" {
			t.Errorf("%s: no package METADATA with custom.id", p)
		} else if prev, dup := ids[id]; dup {
			t.Errorf("%s: id %s already used by %s", p, id, prev)
		}
		ids[id] = p
		if pre, ok := prefixOf[area]; !ok {
			t.Errorf("%s: area %q is not listed in catalogue.json catalogue.areas", p, area)
		} else if id != "" && !strings.HasPrefix(id, pre+"-") {
			t.Errorf("%s: id %s does not start with its area's prefix %s- (catalogue.json)", p, id, pre)
		}
		names := tests[want]
		if len(names) == 0 {
			t.Errorf("%s: no %s_test.rego tests", p, file)
		}
		for _, prefix := range []string{"test_pass", "test_fail", "test_fail_evidence_missing"} {
			found := false
			for _, n := range names {
				if strings.HasPrefix(n, prefix) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no test named %s_* (every control needs pass, fail and missing-evidence tests)", p, prefix)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count == 0 {
		t.Fatal("no controls found")
	}
}
