package policytest

import (
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/evidencepath"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/internal/jsontree"
)

// Without returns copies of a document and its links with the field at an
// evidence path deleted ("spec.a.b", "spec.list[].f" from every item, or
// "plan:spec.x" / "product:spec.x" in a linked document); ok is false when
// the field is not there.
func Without(d *document.Document, rel finding.Related, p string) (*document.Document, finding.Related, bool) {
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
	raw := jsontree.Clone(target.Raw).(map[string]any)
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
