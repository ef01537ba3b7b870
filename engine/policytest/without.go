package policytest

import (
	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/evidencepath"
)

// Without returns copies of a document and its links with the field at an
// evidence path deleted ("spec.a.b", "spec.list[].f" from every item, or
// "plan:spec.x" / "product:spec.x" in a linked document); ok is false when
// the field is not there.
func Without(d *document.Document, rel engine.Related, p string) (*document.Document, engine.Related, bool) {
	target := d
	root, rest, ok := evidencepath.Split(p)
	if !ok {
		return nil, rel, false
	}
	switch root {
	case evidencepath.RootPlan:
		target = rel.Plan
	case evidencepath.RootProduct:
		target = rel.Product
	}
	if target == nil {
		return nil, rel, false
	}
	raw := deepCopy(target.Raw).(map[string]any)
	if !evidencepath.Delete(raw, rest) {
		return nil, rel, false
	}
	cp := *target
	cp.Raw = raw
	if root == "" {
		return &cp, rel, true
	}
	r2 := rel
	if root == evidencepath.RootPlan {
		r2.Plan = &cp
	} else {
		r2.Product = &cp
	}
	return d, r2, true
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}
