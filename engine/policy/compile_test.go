package policy

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestAssembleSharesOnlyParsedModules: the embedded base tree is parsed once
// per process, but each assembled tree owns its module map and data, so a
// caller changing them (as add does) cannot reach the next tree.
func TestAssembleSharesOnlyParsedModules(t *testing.T) {
	for _, noBuiltin := range []bool{false, true} {
		a, err := Assemble(Tree{NoBuiltin: noBuiltin})
		if err != nil {
			t.Fatal(err)
		}
		n, digest := len(a.Modules), a.Digest
		params, _ := a.Data["params"].(map[string]any)
		if n == 0 || len(params) == 0 {
			t.Fatalf("NoBuiltin=%v: %d modules, params %v", noBuiltin, n, a.Data["params"])
		}
		a.Modules["extra.rego"] = &ast.Module{}
		for k := range params {
			params[k] = "changed"
		}
		a.Data["added"] = true

		b, err := Assemble(Tree{NoBuiltin: noBuiltin})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Modules) != n || b.Modules["extra.rego"] != nil || b.Data["added"] != nil || b.Digest != digest {
			t.Errorf("NoBuiltin=%v: the second tree sees the first's changes: %d modules (want %d), data added %v", noBuiltin, len(b.Modules), n, b.Data["added"])
		}
		for k, v := range b.Data["params"].(map[string]any) {
			if v == "changed" {
				t.Errorf("NoBuiltin=%v: param %s changed through another tree", noBuiltin, k)
			}
		}
	}
	withControls, _ := Assemble(Tree{})
	without, _ := Assemble(Tree{NoBuiltin: true})
	if len(withControls.Modules) <= len(without.Modules) || withControls.Digest == without.Digest {
		t.Errorf("the trees with and without the built-in controls are not told apart: %d and %d modules", len(withControls.Modules), len(without.Modules))
	}
}
