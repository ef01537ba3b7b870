// Package evidencepath is the grammar of the evidence paths controls declare
// in METADATA custom.evidence and report in a finding's missing list:
//
//	spec.a.b          a field of the document under evaluation, by dotted keys
//	spec.list[].f     field f of every item of the list spec.list (one level)
//	plan:spec.x       a field of the linked InstallPlan
//	product:spec.x    a field of the linked ProductSpec
//
// Missing paths, errors and positions name concrete fields instead:
// "spec.list[2].f", or "spec.list[key=value]" for an item that should exist
// and does not (AUTH-002's "spec.interfaces[type=keypad]": pins are held but
// no keypad interface is declared). Parent walks up either form.
//
// A field that is present with the value null is present. It is the Go twin
// of lib.missing_path in policies/lib/evidence.rego; the cases both must
// agree on are in testdata/cases.json (policies/missingpath_test.go runs
// them through the Rego side).
package evidencepath

import (
	"fmt"
	"strings"
)

// The roots of a linked path ("plan:…", "product:…").
const (
	RootPlan    = "plan"
	RootProduct = "product"
)

// Split separates a path into its root (empty for the document under
// evaluation, else RootPlan or RootProduct) and the path inside that
// document. ok is false for an unknown root or more than one colon.
func Split(p string) (root, rel string, ok bool) {
	root, rel, linked := strings.Cut(p, ":")
	if !linked {
		return "", p, true
	}
	if strings.Contains(rel, ":") || (root != RootPlan && root != RootProduct) {
		return root, rel, false
	}
	return root, rel, true
}

// Lookup follows dotted keys through objects; a present null is present.
func Lookup(doc map[string]any, dotted string) (any, bool) {
	var cur any = doc
	for key := range strings.SplitSeq(dotted, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Missing lists the concrete paths of rel that doc lacks: rel itself for a
// dotted path, the list for "list[].f" when the list is absent or not a
// list, else "list[i].f" for each item without f (an item that is not an
// object lacks every field). A path with more than one "[]." level, or a
// "[]" not followed by ".", is outside the grammar and yields nothing, as
// lib.missing_path does.
func Missing(doc map[string]any, rel string) []string {
	if !strings.Contains(rel, "[]") {
		if _, ok := Lookup(doc, rel); ok {
			return nil
		}
		return []string{rel}
	}
	parts := strings.Split(rel, "[].")
	if len(parts) != 2 {
		return nil
	}
	list, ok := Lookup(doc, parts[0])
	arr, isArr := list.([]any)
	if !ok || !isArr {
		return []string{parts[0]}
	}
	var out []string
	for i, item := range arr {
		m, _ := item.(map[string]any)
		if _, ok := Lookup(m, parts[1]); !ok {
			out = append(out, fmt.Sprintf("%s[%d].%s", parts[0], i, parts[1]))
		}
	}
	return out
}

// Delete removes the field at rel from doc in place ("a.b", or "list[].f"
// from every item, nesting allowed) and reports whether anything was
// deleted.
func Delete(doc map[string]any, rel string) bool {
	if head, tail, ok := strings.Cut(rel, "[]."); ok {
		list, _ := value(doc, head).([]any)
		hit := false
		for _, it := range list {
			if im, ok := it.(map[string]any); ok && Delete(im, tail) {
				hit = true
			}
		}
		return hit
	}
	parent := doc
	keys := strings.Split(rel, ".")
	if len(keys) > 1 {
		p, ok := value(doc, strings.Join(keys[:len(keys)-1], ".")).(map[string]any)
		if !ok {
			return false
		}
		parent = p
	}
	last := keys[len(keys)-1]
	if _, has := parent[last]; !has {
		return false
	}
	delete(parent, last)
	return true
}

// Parent strips the last step of a concrete path (the form Missing returns
// and errors name): "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
func Parent(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// Steps splits a declared path into its steps, a list and its items being
// one step: "plan:spec.list[].f" -> ["plan:spec", "list", "f"]. One path
// lies inside another when its steps extend the other's.
func Steps(p string) []string {
	return strings.Split(strings.ReplaceAll(p, "[]", ""), ".")
}

func value(doc map[string]any, dotted string) any {
	v, _ := Lookup(doc, dotted)
	return v
}
