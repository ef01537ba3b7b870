package engine_test

import (
	"context"
	"runtime"
	"sort"
	"sync"
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
// Under -short each field is deleted from one document of its kind, not two.
func TestVerdictMatchesRego(t *testing.T) {
	t.Parallel()
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
	// The cases: every fixture linked and unlinked, and each declared
	// evidence field deleted from two documents of its kind (one under
	// -short); listed first, in fixture order, so the choice is the same
	// whatever the evaluation order.
	type variant struct {
		name string
		d    *document.Document
		rel  engine.Related
	}
	budget := 2
	if testing.Short() {
		budget = 1
	}
	var cases []variant
	deleted := map[string]int{}
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		cases = append(cases, variant{d.Ref(), d, rel}, variant{d.Ref() + " unlinked", d, engine.Related{}})
		for _, c := range fast.Controls() {
			for _, p := range c.Evidence[d.Kind] {
				if k := d.Kind + " " + p; deleted[k] < budget {
					deleted[k]++
				} else {
					continue
				}
				if md, mrel, ok := policytest.Without(d, rel, p); ok {
					cases = append(cases, variant{d.Ref() + " without " + p, md, mrel})
				}
			}
		}
	}
	// Both engines are safe for concurrent use: evaluate on every CPU,
	// compare in case order.
	type outcome struct {
		want, got []engine.Finding
		err       error
	}
	out := make([]outcome, len(cases))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o := &out[i]
				if o.want, o.err = ref.Evaluate(ctx, cases[i].d, cases[i].rel); o.err == nil {
					o.got, o.err = fast.Evaluate(ctx, cases[i].d, cases[i].rel)
				}
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	compared, statuses := 0, map[engine.Status]int{}
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
	}
	t.Logf("compared %d findings: %v", compared, statuses)
	for _, s := range []engine.Status{engine.StatusPass, engine.StatusFail, engine.StatusInsufficientEvidence, engine.StatusNotApplicable} {
		if statuses[s] == 0 {
			t.Errorf("no %s finding compared: the test does not cover that branch", s)
		}
	}
}
