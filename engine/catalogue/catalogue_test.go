package catalogue_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/catalogue"
	"github.com/lockcheck/lockcheck/engine/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite docs/controls.md")

const docsPath = "../../docs/controls.md"

// TestDocsFresh fails when docs/controls.md differs from what the policies'
// METADATA generates (fix: make docs, or go test ./engine/catalogue -update).
func TestDocsFresh(t *testing.T) {
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := catalogue.Markdown(eng)
	if *update {
		if err := os.WriteFile(docsPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("read %s: %v (generate it with: make docs)", docsPath, err)
	}
	if string(got) != want {
		t.Errorf("docs/controls.md is stale: regenerate with `make docs` (or go test ./engine/catalogue -update)")
	}
}

// TestConformance compares the catalogue with ../shared/catalogue.md using
// the shared conformance tool (ids, severities, applies-to, references).
func TestConformance(t *testing.T) {
	tool, err := filepath.Abs("../../../shared/tools/catalogue-conformance")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tool); err != nil {
		testenv.Missing(t, "conformance tool not found at %s (it ships in ../shared beside the repository)", tool)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		testenv.Missing(t, "python3 not found; the conformance tool needs it")
	}
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(catalogue.JSON(eng, eng.Controls()))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, tool)
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", strings.TrimSpace(string(out)))
	if err != nil {
		t.Errorf("catalogue-conformance: %v\n%s", err, out)
	}
}

// TestTitlesAndReferences: every control has a title, a description, a
// remediation and at least one reference.
func TestTitlesAndReferences(t *testing.T) {
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(eng.Controls()) == 0 {
		t.Fatal("no controls")
	}
	for _, c := range eng.Controls() {
		if c.Title == "" || c.Description == "" || c.Remediation == "" || len(c.References) == 0 {
			t.Errorf("%s: title, description, remediation and references are all required", c.ID)
		}
		if len(c.Evidence) == 0 {
			t.Errorf("%s: custom.evidence is empty", c.ID)
		}
		for k := range c.Evidence {
			if !c.Applies(k) {
				t.Errorf("%s: evidence for %s, which it does not apply to", c.ID, k)
			}
		}
	}
}
