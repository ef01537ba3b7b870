package engine_test

import (
	"context"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
	"github.com/lockcheck/lockcheck/engine/policytest"
)

// TestVerdictMatchesRego holds the engine's fast path (parts from OPA, the
// finding decided in Go: engine/verdict.go) equal to the reference, every
// control's finding rule built by data.lockcheck.lib.finding in Rego. It
// compares every finding on every fixture, and on every fixture with each
// declared evidence field deleted in turn (the missing-evidence branches).
func TestVerdictMatchesRego(t *testing.T) {
	ctx := context.Background()
	fast, err := engine.New(ctx, engine.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := engine.NewReference(ctx, engine.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	ids := fast.FastControls()
	sort.Strings(ids)
	if len(ids) < len(fast.Controls()) {
		in := map[string]bool{}
		for _, id := range ids {
			in[id] = true
		}
		var slow []string
		for _, c := range fast.Controls() {
			if !in[c.ID] {
				slow = append(slow, c.ID)
			}
		}
		t.Errorf("decided in Go: %d of %d controls; through their (slower) finding rule: %v", len(ids), len(fast.Controls()), slow)
	}
	if len(ids) == 0 {
		t.Fatal("no control is on the fast path: the catalogue's finding rules are not recognised")
	}

	docs, links := fixturetest.Load(t)
	compared, statuses := 0, map[engine.Status]int{}
	check := func(name string, d *document.Document, rel engine.Related) {
		t.Helper()
		want, err := ref.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fast.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: fast path differs from lib.finding (-rego +go):\n%s", name, diff)
		}
		for _, f := range got {
			statuses[f.Status]++
		}
		compared += len(got)
	}
	deleted := map[string]int{}
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		check(d.Ref(), d, rel)
		check(d.Ref()+" unlinked", d, engine.Related{})
		for _, c := range fast.Controls() {
			for _, p := range c.Evidence[d.Kind] {
				// each field deleted from two documents of its kind
				if k := d.Kind + " " + p; deleted[k] < 2 {
					deleted[k]++
				} else {
					continue
				}
				if md, mrel, ok := policytest.Without(d, rel, p); ok {
					check(d.Ref()+" without "+p, md, mrel)
				}
			}
		}
	}
	t.Logf("compared %d findings: %v", compared, statuses)
	for _, s := range []engine.Status{engine.StatusPass, engine.StatusFail, engine.StatusInsufficientEvidence, engine.StatusNotApplicable} {
		if statuses[s] == 0 {
			t.Errorf("no %s finding compared: the test does not cover that branch", s)
		}
	}
}
