package repotest

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// programs are the packages under engine/ that may depend on engine. Each
// must be a program (package main), which no package can import, so the
// engine stays out of every library's dependencies; the test fails if one
// stops being a program. _test files are not checked (go list's Imports
// leaves them out): a test may build an engine.
var programs = map[string]string{
	"engine/internal/bench": "the benchmark program: builds engines to time them",
}

// TestNoUpwardImports: no library package under engine/ depends on engine,
// the public API above it, directly or through any other package. The
// shared types live in the leaf engine/finding; a layer that needs the
// engine declares the small interface it uses at home (scan.Engine,
// report.Engine, waiver.Engine, catalogue.Source, merge.Engine,
// policytest.Engine, importtest.Engine) and its caller passes an
// *engine.Engine or a constructor. A source package may import the framework
// it plugs into (engine/importer/matter imports engine/importer).
func TestNoUpwardImports(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go toolchain not on PATH")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	watchSources(t, root)
	module := strings.TrimSpace(run("list", "-m"))
	// -deps: every package the engine tree builds from, inside the module
	// or not, so that a path back to engine through a package outside
	// engine/ is seen too
	list := run("list", "-deps", "-f", `{{.ImportPath}} {{.Name}} {{join .Imports " "}}`, "./engine/...")
	if bad := upwardImports(module, list); len(bad) > 0 {
		t.Errorf("packages under engine/ depend on engine (move the shared type to engine/finding, or declare the interface the package uses and let its caller pass the engine):\n%s", strings.Join(bad, "\n"))
	}
	if bad := opaImports(module, list); len(bad) > 0 {
		t.Errorf("packages under engine/ that are not listed in opaUsers depend on OPA (keep policy types behind an interface or in engine/finding, or list the package with the reason):\n%s", strings.Join(bad, "\n"))
	}
}

// opa is the import path prefix of OPA's packages.
const opa = "github.com/open-policy-agent/opa/"

// opaUsers are the packages under engine/ that may depend on OPA: those that
// read, compile or evaluate policies. Every other one (decoding, findings,
// the scan, approval, history, reports, catalogue views, importers, outputs)
// works on documents, findings and controls alone (a policy source is named
// by a finding.PolicySource), which keeps OPA out of their builds and test
// binaries.
var opaUsers = map[string]string{
	"engine":                "evaluates the policies",
	"engine/policy":         "loads and compiles the policy tree",
	"engine/policytest":     "runs the policies' Rego tests",
	"engine/waiver":         "evaluates the waiver policy",
	"engine/internal/bench": "the benchmark program: builds engines",
}

// opaImports reads the same lines as upwardImports and returns, for each
// package under module/engine/ outside opaUsers that depends on OPA, the
// import path that leads there.
func opaImports(module, list string) []string {
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			imports[f[0]] = f[2:]
		}
	}
	var bad []string
	for _, pkg := range slices.Sorted(maps.Keys(imports)) {
		rel, under := strings.CutPrefix(pkg, module+"/")
		if !under || (rel != "engine" && !strings.HasPrefix(rel, "engine/")) {
			continue
		}
		if _, ok := opaUsers[rel]; ok {
			continue
		}
		if path := pathWhere(pkg, func(p string) bool { return strings.HasPrefix(p, opa) }, imports); path != nil {
			bad = append(bad, strings.Join(path, " -> "))
		}
	}
	return bad
}

// watchSources stats every Go file and go.mod of the module, so that go
// test's cache, which records the files a test reads but not those the go
// command it runs reads, reruns the test when an import changes.
func watchSources(t *testing.T, root string) {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules"):
			return filepath.SkipDir
		case d.IsDir() || strings.HasSuffix(p, ".go") || d.Name() == "go.mod":
			_, err := os.Stat(p)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// upwardImports reads `go list -deps -f '{{.ImportPath}} {{.Name}} {{join
// .Imports " "}}'` lines and returns, for each library package under
// module/engine/ that depends on module/engine, the import path that leads
// there ("a -> b -> engine"); and each listed program that is not package
// main.
func upwardImports(module, list string) []string {
	eng := module + "/engine"
	imports := map[string][]string{}
	names := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		names[f[0]], imports[f[0]] = f[1], f[2:]
	}
	pkgs := make([]string, 0, len(names))
	for p := range names {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	var bad []string
	for _, pkg := range pkgs {
		rel, under := strings.CutPrefix(pkg, module+"/")
		if !under || !strings.HasPrefix(rel, "engine/") {
			continue
		}
		if _, ok := programs[rel]; ok {
			if names[pkg] != "main" {
				bad = append(bad, fmt.Sprintf("%s is listed as a program but is package %s: it may no longer import engine", pkg, names[pkg]))
			}
			continue
		}
		if path := pathTo(pkg, eng, imports); path != nil {
			bad = append(bad, strings.Join(path, " -> "))
		}
	}
	return bad
}

// pathTo returns an import path from pkg to target (nil when there is none),
// the first found in import order.
func pathTo(pkg, target string, imports map[string][]string) []string {
	return pathWhere(pkg, func(p string) bool { return p == target }, imports)
}

// pathWhere returns an import path from pkg to the first package found (in
// import order) for which is holds; nil when there is none.
func pathWhere(pkg string, is func(string) bool, imports map[string][]string) []string {
	seen := map[string]bool{}
	var walk func(p string) []string
	walk = func(p string) []string {
		if is(p) {
			return []string{p}
		}
		if seen[p] {
			return nil
		}
		seen[p] = true
		for _, imp := range imports[p] {
			if rest := walk(imp); rest != nil {
				return append([]string{p}, rest...)
			}
		}
		return nil
	}
	return walk(pkg)
}

func TestUpwardImportsDetects(t *testing.T) {
	list := "m/engine engine fmt m/engine/document m/engine/finding\n" +
		"m/engine/finding finding m/engine/document\n" +
		"m/engine/document document fmt\n" +
		"m/engine/scan scan fmt m/engine m/engine/finding\n" +
		"m/engine/report/html html m/engine/report m/engine/finding\n" +
		"m/engine/report report m/engine/finding\n" +
		"m/engine/waiver/deep deep m/engine/waiver m/engine\n" +
		"m/engine/waiver waiver m/engine/finding\n" +
		// through a package outside engine/
		"m/engine/merge merge m/cmd/helper\n" +
		"m/cmd/helper helper m/engine\n" +
		// a listed program; a program that is not listed; a listed one that is not a program
		"m/engine/internal/bench main m/engine\n" +
		"m/engine/internal/tool main m/engine\n"
	got := upwardImports("m", list)
	want := []string{
		"m/engine/internal/tool -> m/engine",
		"m/engine/merge -> m/cmd/helper -> m/engine",
		"m/engine/scan -> m/engine",
		"m/engine/waiver/deep -> m/engine",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("upwardImports =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got = upwardImports("m", strings.Replace(list, "m/engine/internal/bench main", "m/engine/internal/bench bench", 1))
	if len(got) == 0 || !strings.Contains(got[0], "m/engine/internal/bench is listed as a program but is package bench") {
		t.Errorf("a listed program that is a library: %q", got)
	}
}

func TestOPAImportsDetects(t *testing.T) {
	list := "m/engine engine " + opa + "v1/rego\n" +
		"m/engine/policy policy " + opa + "v1/ast\n" +
		"m/engine/scan scan m/engine/finding m/engine/policy\n" +
		"m/engine/finding finding fmt\n" +
		"m/engine/importer/x x m/engine/importer\n" +
		"m/engine/importer importer " + opa + "v1/util\n" +
		"m/cmd/tool main " + opa + "v1/ast\n"
	got := opaImports("m", list)
	want := []string{
		"m/engine/importer -> " + opa + "v1/util",
		"m/engine/importer/x -> m/engine/importer -> " + opa + "v1/util",
		"m/engine/scan -> m/engine/policy -> " + opa + "v1/ast",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("opaImports =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
