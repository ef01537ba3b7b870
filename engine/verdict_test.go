package engine_test

import (
	"context"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
	"github.com/lockcheck/lockcheck/engine/policytest"
)

// listItem matches a concrete list step of a field path ("[2]", "[type=keypad]").
var listItem = regexp.MustCompile(`\[[^]]*\]`)

// TestVerdictMatchesRego holds the engine's fast path (parts from OPA, the
// finding decided in Go: engine/verdict.go) equal to the reference, every
// control's finding rule built by data.lockcheck.lib.finding in Rego. It
// compares every finding on every fixture (linked, and unlinked when it has
// links), and, with each declared evidence field deleted from two documents
// of its kind in turn (the missing-evidence branches), the findings of the
// controls that declare that field or name it in their finding on the
// intact fixture, each control evaluated alone by both engines. The other
// controls do not read the field: deleting it leaves their status as it was
// (TestFailClosedUndeclared) and, since they neither declare nor show it,
// their parts too, so their finding takes the branch the intact fixture
// already compares. Under -short each field is deleted from one document of
// its kind, not two.
func TestVerdictMatchesRego(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fast := fixtureEngine(t)
	ref := sharedEngine(t, engineKey{reference: true})
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
	// The cases, listed first, in fixture order, so the choice is the same
	// whatever the evaluation order.
	type variant struct {
		name     string
		d        *document.Document
		rel      engine.Related
		controls []string // nil: the whole catalogue
	}
	budget := 2
	if testing.Short() {
		budget = 1
	}
	var cases []variant
	deleted := map[string]int{}
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		cases = append(cases, variant{name: d.Ref(), d: d, rel: rel})
		if rel != (engine.Related{}) {
			cases = append(cases, variant{name: d.Ref() + " unlinked", d: d})
		}
		base, err := fast.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		named := map[string][]string{} // control -> the paths its finding names
		for _, f := range base {
			for _, e := range f.Evidence {
				named[f.ControlID] = append(named[f.ControlID], listItem.ReplaceAllString(e.Path, "[]"))
			}
			for _, m := range f.Missing {
				named[f.ControlID] = append(named[f.ControlID], listItem.ReplaceAllString(m, "[]"))
			}
		}
		here := map[string]bool{} // several controls declare some paths
		for _, c := range fast.Controls() {
			for _, p := range c.Evidence[d.Kind] {
				if k := d.Kind + " " + p; deleted[k] < budget && !here[p] {
					deleted[k]++
					here[p] = true
				} else {
					continue
				}
				md, mrel, ok := policytest.Without(d, rel, p)
				if !ok {
					continue
				}
				var ids []string
				for _, f := range base {
					fc, _ := fast.Control(f.ControlID)
					if covers(fc.Evidence[d.Kind], p) || slices.ContainsFunc(named[f.ControlID], func(n string) bool { return covers([]string{p}, n) }) {
						ids = append(ids, f.ControlID)
					}
				}
				cases = append(cases, variant{d.Ref() + " without " + p, md, mrel, ids})
			}
		}
	}
	// the engines of one control each, built before the workers start
	alone := map[string][2]*engine.Engine{}
	for _, c := range cases {
		for _, id := range c.controls {
			if _, ok := alone[id]; !ok {
				alone[id] = [2]*engine.Engine{controlEngine(t, id, true), controlEngine(t, id, false)}
			}
		}
	}
	// The engines are safe for concurrent use: evaluate on every CPU,
	// compare in case order.
	type outcome struct {
		want, got []engine.Finding
		err       error
	}
	out := make([]outcome, len(cases))
	evaluate := func(ref, fast *engine.Engine, c variant, o *outcome) {
		want, err := ref.Evaluate(ctx, c.d, c.rel)
		if err == nil {
			var got []engine.Finding
			got, err = fast.Evaluate(ctx, c.d, c.rel)
			o.want, o.got = append(o.want, want...), append(o.got, got...)
		}
		if err != nil {
			o.err = err
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				if cases[i].controls == nil {
					evaluate(ref, fast, cases[i], &out[i])
				}
				for _, id := range cases[i].controls {
					evaluate(alone[id][0], alone[id][1], cases[i], &out[i])
				}
			}
		})
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	compared, alone1, statuses := 0, 0, map[engine.Status]int{}
	for i, o := range out {
		if o.err != nil {
			t.Fatalf("%s: %v", cases[i].name, o.err)
		}
		if diff := cmp.Diff(o.want, o.got); diff != "" {
			t.Errorf("%s: fast path differs from lib.finding (-rego +go):\n%s", cases[i].name, diff)
		}
		for _, f := range o.got {
			statuses[f.Status]++
		}
		compared += len(o.got)
		alone1 += len(cases[i].controls)
	}
	t.Logf("compared %d findings (%d of them on one control's engine) in %d cases: %v", compared, alone1, len(cases), statuses)
	for _, s := range []engine.Status{engine.StatusPass, engine.StatusFail, engine.StatusInsufficientEvidence, engine.StatusNotApplicable} {
		if statuses[s] == 0 {
			t.Errorf("no %s finding compared: the test does not cover that branch", s)
		}
	}
}
