package repotest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoUpwardImports: no library package under engine/ imports engine or
// another of its ancestors. The shared types live in the leaf engine/finding;
// a layer that needs the engine declares the small interface it uses
// (scan.Engine, report.Engine, waiver.Engine, catalogue.Source). Programs
// (package main, e.g. engine/internal/bench) drive the engine and are exempt.
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
		for _, imp := range f[2:] {
			if strings.HasPrefix(pkg, imp+"/") {
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
		"m/engine/internal/bench main m/engine\n"
	got := strings.Join(upwardImports(list), "; ")
	want := "m/engine/scan imports m/engine; m/engine/report/html imports m/engine/report"
	if got != want {
		t.Errorf("upwardImports = %q, want %q", got, want)
	}
}
