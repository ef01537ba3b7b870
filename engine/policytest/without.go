package policytest

import (
	"strings"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
)

// Without returns copies of a document and its links with the field at an
// evidence path deleted ("spec.a.b", "spec.list[].f" from every item, or
// "plan:spec.x" / "product:spec.x" in a linked document); ok is false when
// the field is not there.
func Without(d *document.Document, rel engine.Related, p string) (*document.Document, engine.Related, bool) {
	target := d
	root, rest, linked := strings.Cut(p, ":")
	if !linked {
		rest = p
	} else {
		switch root {
		case "plan":
			target = rel.Plan
		case "product":
			target = rel.Product
		default:
			return nil, rel, false
		}
	}
	if target == nil {
		return nil, rel, false
	}
	raw := deepCopy(target.Raw).(map[string]any)
	if !deletePath(raw, rest) {
		return nil, rel, false
	}
	cp := *target
	cp.Raw = raw
	if !linked {
		return &cp, rel, true
	}
	r2 := rel
	if root == "plan" {
		r2.Plan = &cp
	} else {
		r2.Product = &cp
	}
	return d, r2, true
}

// deletePath deletes "a.b", or "list[].f" from every item; it reports
// whether anything was deleted.
func deletePath(m map[string]any, p string) bool {
	if head, tail, ok := strings.Cut(p, "[]."); ok {
		list, ok := lookup(m, head).([]any)
		if !ok {
			return false
		}
		hit := false
		for _, it := range list {
			if im, ok := it.(map[string]any); ok && deletePath(im, tail) {
				hit = true
			}
		}
		return hit
	}
	parts := strings.Split(p, ".")
	parent, ok := lookup(m, strings.Join(parts[:len(parts)-1], ".")).(map[string]any)
	if len(parts) == 1 {
		parent, ok = m, true
	}
	if !ok {
		return false
	}
	last := parts[len(parts)-1]
	if _, has := parent[last]; !has {
		return false
	}
	delete(parent, last)
	return true
}

func lookup(m map[string]any, p string) any {
	var cur any = m
	for _, s := range strings.Split(p, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[s]
	}
	return cur
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
