package repotest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoUpwardImports: no library package under engine/ imports engine, the
// public API above it. The shared types live in the leaf engine/finding; a
// layer that needs the engine declares the small interface it uses
// (scan.Engine, report.Engine, waiver.Engine, catalogue.Source). Programs
// (package main, e.g. engine/internal/bench) and the drivers listed in
// drivers build engines and are exempt. A source package may import the
// framework it plugs into (engine/importer/matter imports engine/importer).
func TestNoUpwardImports(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go toolchain not on PATH")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "list", "-f", `{{.ImportPath}} {{.Name}} {{join .Imports " "}}`, "./engine/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if bad := upwardImports(string(out)); len(bad) > 0 {
		t.Errorf("packages under engine/ import an ancestor (move the shared type to engine/finding or declare an interface at the consumer):\n%s", strings.Join(bad, "\n"))
	}
}

// drivers are the packages above the engine though under engine/: each
// builds engines (engine.New) to do its job, and engine imports none of them.
var drivers = map[string]bool{
	"engine/merge":                        true, // re-evaluates the fleet controls of merged shards
	"engine/policytest":                   true, // runs custom controls' tests on engines of their own
	"engine/importer/internal/importtest": true, // a test helper: imports, then scans
}

// upwardImports reads `go list -f '{{.ImportPath}} {{.Name}} {{join .Imports " "}}'`
// lines and returns "pkg imports ancestor" for each upward import.
func upwardImports(list string) []string {
	var bad []string
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[1] == "main" {
			continue
		}
		pkg := f[0]
		root, rel, ok := strings.Cut(pkg, "/engine/")
		if !ok || drivers["engine/"+rel] {
			continue
		}
		for _, imp := range f[2:] {
			if imp == root+"/engine" {
				bad = append(bad, pkg+" imports "+imp)
			}
		}
	}
	return bad
}

func TestUpwardImportsDetects(t *testing.T) {
	list := "m/engine engine fmt m/engine/document\n" +
		"m/engine/scan scan fmt m/engine m/engine/finding\n" +
		"m/engine/finding finding m/engine/document\n" +
		"m/engine/report/html html m/engine/report m/engine/finding\n" +
		"m/engine/waiver/deep deep m/engine/waiver m/engine\n" +
		"m/engine/merge merge m/engine\n" +
		"m/engine/internal/bench main m/engine\n"
	got := strings.Join(upwardImports(list), "; ")
	want := "m/engine/scan imports m/engine; m/engine/waiver/deep imports m/engine"
	if got != want {
		t.Errorf("upwardImports = %q, want %q", got, want)
	}
}
