package engine_test

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
)

var fixtureNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// TestFailClosedGeneric: for every control and every evidence path its
// METADATA declares, deleting that field from a fixture where the control
// passes must make the control stop passing. It runs over the whole
// catalogue, so a new control is covered without writing anything here.
func TestFailClosedGeneric(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	// -short checks every third control of the catalogue, all otherwise.
	checked := map[string]bool{}
	for i, c := range eng.Controls() {
		checked[c.ID] = !testing.Short() || i%3 == 0
	}
	docs, links := fixturetest.Load(t)
	type key struct{ id, kind, path string }
	tried := map[key]int{}
	witnessed := map[key]bool{}
	// changed records fields whose deletion changes a failing finding (its
	// status, severity or missing list): the fallback for fields that only
	// matter once the control already fails (e.g. COMM-009's severity).
	changed := map[key]bool{}
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		base, err := eng.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range base {
			c, _ := eng.Control(f.ControlID)
			if !checked[c.ID] {
				continue
			}
			if f.Status == engine.StatusFail {
				for _, p := range c.Evidence[d.Kind] {
					k := key{c.ID, d.Kind, p}
					if changed[k] || witnessed[k] {
						continue
					}
					md, mrel, ok := without(d, rel, p)
					if !ok {
						continue
					}
					got, err := eng.Evaluate(ctx, md, mrel)
					if err != nil {
						t.Fatal(err)
					}
					for _, g := range got {
						if g.ControlID == c.ID && (g.Status != f.Status || g.Severity != f.Severity || len(g.Missing) != len(f.Missing)) {
							changed[k] = true
						}
					}
				}
				continue
			}
			if f.Status != engine.StatusPass {
				continue
			}
			for _, p := range c.Evidence[d.Kind] {
				k := key{c.ID, d.Kind, p}
				if witnessed[k] {
					continue
				}
				md, mrel, ok := without(d, rel, p)
				if !ok {
					continue // the field is not in this document
				}
				tried[k]++
				got, err := eng.Evaluate(ctx, md, mrel)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range got {
					if g.ControlID == c.ID && g.Status != engine.StatusPass {
						witnessed[k] = true
					}
				}
			}
		}
	}
	var problems, fallback []string
	for _, c := range eng.Controls() {
		if !checked[c.ID] {
			continue
		}
		for _, kind := range c.AppliesTo {
			for _, p := range c.Evidence[kind] {
				k := key{c.ID, kind, p}
				switch {
				case witnessed[k]:
				case changed[k]:
					fallback = append(fallback, c.ID+" "+kind+" "+p)
				case tried[k] == 0:
					problems = append(problems, c.ID+" "+kind+" "+p+": no fixture where the control passes holds this field")
				default:
					problems = append(problems, c.ID+" "+kind+" "+p+": deleting it from a passing fixture still passes (tried "+strconv.Itoa(tried[k])+")")
				}
			}
		}
	}
	sort.Strings(problems)
	if len(fallback) > 0 {
		t.Logf("%d evidence fields are shown to matter only on failing fixtures (no passing fixture exercises their guard): %s", len(fallback), strings.Join(fallback, "; "))
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// without returns copies of the document and its links with the field at an
// evidence path deleted; ok is false when the field is not there.
func without(d *document.Document, rel engine.Related, p string) (*document.Document, engine.Related, bool) {
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
