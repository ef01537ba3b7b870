package policies_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/lockcheck/lockcheck/policies"
)

// grammarCases is the table of evidence-path cases the Go grammar
// (engine/evidencepath) is tested on; lib.missing_path must agree with it.
const grammarCases = "../engine/evidencepath/testdata/cases.json"

// TestRegoMissingPath runs the evidence-path grammar's table through
// lib.missing_path, the Rego side of the grammar: Go and Rego must name the
// same missing paths. (It lives here, with the other tests that evaluate
// Rego, so that engine/evidencepath and its test stay free of OPA.)
func TestRegoMissingPath(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(grammarCases)
	if err != nil {
		t.Fatal(err)
	}
	var tb struct {
		Doc   map[string]any `json:"doc"`
		Cases []struct {
			Path    string   `json:"path"`
			Missing []string `json:"missing"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &tb); err != nil {
		t.Fatalf("%s: %v", grammarCases, err)
	}
	if len(tb.Cases) == 0 {
		t.Fatalf("%s: no cases", grammarCases)
	}
	opts := []func(*rego.Rego){rego.Query("x := data.lockcheck.lib.missing_path(input.path)"), rego.SetRegoVersion(ast.RegoV1)}
	err = fs.WalkDir(policies.FS, "lib", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".rego" || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		b, err := fs.ReadFile(policies.FS, p)
		opts = append(opts, rego.Module(p, string(b)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pq, err := rego.New(opts...).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tb.Cases {
		if strings.Count(c.Path, "[]") > 1 {
			continue // outside the grammar: undefined in Rego, nothing in Go
		}
		rs, err := pq.Eval(context.Background(), rego.EvalInput(map[string]any{"document": tb.Doc, "path": c.Path}))
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		got := []string{}
		if len(rs) == 1 {
			for _, v := range rs[0].Bindings["x"].([]any) {
				got = append(got, v.(string))
			}
		}
		sort.Strings(got)
		want := append([]string{}, c.Missing...)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("lib.missing_path(%q) = %q, want %q (%s)", c.Path, got, want, grammarCases)
		}
	}
}
