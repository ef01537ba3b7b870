package evidencepath

import (
	"context"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/lockcheck/lockcheck/policies"
)

// TestRegoMissingPath runs the same table through lib.missing_path, the
// Rego side of the grammar: Go and Rego must name the same missing paths.
func TestRegoMissingPath(t *testing.T) {
	modules := map[string]string{}
	err := fs.WalkDir(policies.FS, "lib", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".rego" || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		b, err := fs.ReadFile(policies.FS, p)
		modules[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tb := readTable(t)
	opts := []func(*rego.Rego){rego.Query("x := data.lockcheck.lib.missing_path(input.path)"), rego.SetRegoVersion(ast.RegoV1)}
	for name, src := range modules {
		opts = append(opts, rego.Module(name, src))
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
			t.Errorf("lib.missing_path(%q) = %q, want %q (testdata/cases.json)", c.Path, got, want)
		}
	}
}
