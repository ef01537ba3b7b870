package engine_test

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/evidencepath"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
	"github.com/lockcheck/lockcheck/engine/policytest"
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

// ambientPaths are read by controls without being evidence of any one of
// them: thresholds (a plan's policy_overrides; params are listed apart) and
// the site's timezone, whose absence falls back to UTC (catalogue §1.1), so
// no control can declare them as needed. Deleting them may change a verdict.
var ambientPaths = []string{
	"spec.policy_overrides",
	"plan:spec.policy_overrides",
	"spec.device.timezone",
	"spec.site.timezone",
	"plan:spec.site.timezone",
}

// TestFailClosedUndeclared is the reverse of TestFailClosedGeneric: deleting
// a field that a control does not declare as evidence for the document's kind
// must leave that control's status unchanged on every fixture. A control that
// reacts is either missing a declaration or reading a field its criterion
// does not (catalogue §1.1, "which fields a control needs"). Fields of the
// linked plan and product count as "plan:…" / "product:…" paths.
//
// Every field of every fixture is deleted in turn (one evaluation each), and
// every field of each linked plan and product on the first fixture of each
// kind that links it (the snapshots share a few plans and products: deleting
// their fields under every snapshot would cost most of the run). With
// -short, each (kind, path) is deleted on the first fixture that holds it
// only, and linked documents are left alone.
func TestFailClosedUndeclared(t *testing.T) {
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	docs, links := fixturetest.Load(t)
	type job struct {
		d      *document.Document
		rel    engine.Related
		p      string
		status map[string]engine.Status
	}
	var jobs []job
	done := map[string]bool{} // kind + path (-short), kind + linked document + path
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		base, err := eng.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		status := make(map[string]engine.Status, len(base))
		for _, f := range base {
			status[f.ControlID] = f.Status
		}
		paths := fieldPaths("", d.Raw)
		if !testing.Short() {
			for _, l := range []*document.Document{rel.Plan, rel.Product} {
				if l == nil {
					continue
				}
				prefix := map[string]string{"InstallPlan": "plan:", "ProductSpec": "product:"}[l.Kind]
				for _, p := range fieldPaths(prefix, l.Raw) {
					if k := d.Kind + " " + l.Name + " " + p; !done[k] {
						done[k] = true
						paths = append(paths, p)
					}
				}
			}
		}
		for _, p := range paths {
			if testing.Short() {
				if done[d.Kind+" "+p] {
					continue
				}
				done[d.Kind+" "+p] = true
			}
			if !covers(ambientPaths, p) {
				jobs = append(jobs, job{d, rel, p, status})
			}
		}
	}
	// The engine is safe for concurrent use: one worker per CPU.
	var (
		mu        sync.Mutex
		problems  = map[string]bool{}
		evaluated int
		next      = make(chan job)
		wg        sync.WaitGroup
		failed    error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				md, mrel, ok := policytest.Without(j.d, j.rel, j.p)
				if !ok {
					continue
				}
				got, err := eng.Evaluate(ctx, md, mrel)
				mu.Lock()
				if err != nil {
					failed = err
				}
				evaluated++
				for _, g := range got {
					if g.Status == j.status[g.ControlID] {
						continue
					}
					c, _ := eng.Control(g.ControlID)
					if covers(c.Evidence[j.d.Kind], j.p) {
						continue
					}
					problems[fmt.Sprintf("%s %s: deleting %s (not in its declared evidence) changes %s from %s to %s",
						c.ID, j.d.Kind, j.p, j.d.Name, j.status[g.ControlID], g.Status)] = true
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	if failed != nil {
		t.Fatal(failed)
	}
	t.Logf("%d deletions evaluated over %d documents", evaluated, len(docs))
	for _, p := range slices.Sorted(maps.Keys(problems)) {
		t.Error(p)
	}
}

// fieldPaths lists every field under a document's spec in the evidence path
// syntax ("spec.a.b", "spec.list[].f"), with prefix ("plan:") in front: the
// union of the fields of a list's items, each path once, in sorted order.
func fieldPaths(prefix string, raw map[string]any) []string {
	set := map[string]bool{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := path + "." + k
				set[p] = true
				walk(p, e)
			}
		case []any:
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					for k, f := range m {
						p := path + "[]." + k
						set[p] = true
						walk(p, f)
					}
				}
			}
		}
	}
	walk("spec", raw["spec"])
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, prefix+p)
	}
	sort.Strings(out)
	return out
}

// covers reports whether deleting p deletes or changes a declared path: p is
// a declared path or its ancestor, or lies inside a declared path that has no
// declared path below it (a declared object or list taken whole).
func covers(declared []string, p string) bool {
	ps := evidencepath.Steps(p)
	for _, q := range declared {
		qs := evidencepath.Steps(q)
		if isPrefix(ps, qs) {
			return true
		}
		if isPrefix(qs, ps) && !hasDeclaredBelow(declared, qs) {
			return true
		}
	}
	return false
}

func hasDeclaredBelow(declared []string, qs []string) bool {
	for _, r := range declared {
		rs := evidencepath.Steps(r)
		if len(rs) > len(qs) && isPrefix(qs, rs) {
			return true
		}
	}
	return false
}

func isPrefix(a, b []string) bool {
	return len(a) <= len(b) && slices.Equal(a, b[:len(a)])
}
