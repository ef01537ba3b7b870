package engine_test

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
	"github.com/lockcheck/lockcheck/engine/policytest"
)

var fixtureNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// TestFailClosedGeneric: for every control and every evidence path its
// METADATA declares, deleting that field from a fixture where the control
// passes must make the control stop passing. It runs over the whole
// catalogue, so a new control is covered without writing anything here.
func TestFailClosedGeneric(t *testing.T) {
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
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
			if f.Status == engine.StatusFail {
				for _, p := range c.Evidence[d.Kind] {
					k := key{c.ID, d.Kind, p}
					if changed[k] || witnessed[k] {
						continue
					}
					md, mrel, ok := policytest.Without(d, rel, p)
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
				md, mrel, ok := policytest.Without(d, rel, p)
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
