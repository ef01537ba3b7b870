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
	"github.com/lockcheck/lockcheck/engine/internal/jsontree"
	"github.com/lockcheck/lockcheck/engine/policytest"
)

var fixtureNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// TestFailClosedGeneric: for every control and every evidence path its
// METADATA declares, deleting that field from a fixture where the control
// passes must make the control stop passing. It runs over the whole
// catalogue, so a new control is covered without writing anything here.
// Each deletion is evaluated by an engine of the control alone (the other
// controls' findings are not looked at), the controls in parallel, each over
// the fixtures in order, stopping at the first fixture that shows the field
// matters.
func TestFailClosedGeneric(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eng := fixtureEngine(t)
	docs, links := fixturetest.Load(t)
	// the findings of the whole catalogue on each fixture, and its links
	rels := make([]engine.Related, len(docs))
	base := make([]map[string]engine.Finding, len(docs))
	for i, d := range docs {
		rels[i], _ = links.Resolve(d)
		fs, err := eng.Evaluate(ctx, d, rels[i])
		if err != nil {
			t.Fatal(err)
		}
		base[i] = map[string]engine.Finding{}
		for _, f := range fs {
			base[i][f.ControlID] = f
		}
	}
	// -short checks every third control of the catalogue, all otherwise.
	var checked []*engine.Control
	one := map[string]*engine.Engine{}
	for i, c := range eng.Controls() {
		if !testing.Short() || i%3 == 0 {
			checked = append(checked, c)
			one[c.ID] = controlEngine(t, c.ID, false)
		}
	}
	type key struct{ kind, path string }
	// problems lists, per checked control, what it found
	problems := make([][]string, len(checked))
	fallbacks := make([][]string, len(checked))
	var failed error
	var mu sync.Mutex
	// check runs one control over every fixture
	check := func(ci int) {
		c := checked[ci]
		tried := map[key]int{}
		witnessed := map[key]bool{}
		// changed records fields whose deletion changes a failing finding
		// (its status, severity or missing list): the fallback for fields
		// that only matter once the control already fails (e.g. COMM-009's
		// severity).
		changed := map[key]bool{}
		eval := func(d *document.Document, rel engine.Related) (engine.Finding, bool) {
			got, err := one[c.ID].Evaluate(ctx, d, rel)
			if err == nil && len(got) != 1 {
				err = fmt.Errorf("%s on %s: %d findings", c.ID, d.Name, len(got))
			}
			if err != nil {
				mu.Lock()
				failed = err
				mu.Unlock()
				return engine.Finding{}, false
			}
			return got[0], true
		}
		for i, d := range docs {
			f, ok := base[i][c.ID]
			if !ok || (f.Status != engine.StatusPass && f.Status != engine.StatusFail) {
				continue
			}
			for _, p := range c.Evidence[d.Kind] {
				k := key{d.Kind, p}
				if witnessed[k] || (f.Status == engine.StatusFail && changed[k]) {
					continue
				}
				md, mrel, ok := policytest.Without(d, rels[i], p)
				if !ok {
					continue // the field is not in this document
				}
				if f.Status == engine.StatusPass {
					tried[k]++
				}
				g, ok := eval(md, mrel)
				switch {
				case !ok:
				case f.Status == engine.StatusPass && g.Status != engine.StatusPass:
					witnessed[k] = true
				case f.Status == engine.StatusFail && (g.Status != f.Status || g.Severity != f.Severity || len(g.Missing) != len(f.Missing)):
					changed[k] = true
				}
			}
		}
		for _, kind := range c.AppliesTo {
			for _, p := range c.Evidence[kind] {
				k := key{kind, p}
				switch {
				case witnessed[k]:
				case changed[k]:
					fallbacks[ci] = append(fallbacks[ci], c.ID+" "+kind+" "+p)
				case tried[k] == 0:
					problems[ci] = append(problems[ci], c.ID+" "+kind+" "+p+": no fixture where the control passes holds this field")
				default:
					problems[ci] = append(problems[ci], c.ID+" "+kind+" "+p+": deleting it from a passing fixture still passes (tried "+strconv.Itoa(tried[k])+")")
				}
			}
		}
	}
	// The engines are safe for concurrent use: one worker per CPU.
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for ci := range next {
				check(ci)
			}
		})
	}
	for ci := range checked {
		next <- ci
	}
	close(next)
	wg.Wait()
	if failed != nil {
		t.Fatal(failed)
	}
	all := slices.Concat(problems...)
	sort.Strings(all)
	if fallback := slices.Concat(fallbacks...); len(fallback) > 0 {
		t.Logf("%d evidence fields are shown to matter only on failing fixtures (no passing fixture exercises their guard): %s", len(fallback), strings.Join(fallback, "; "))
	}
	for _, p := range all {
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
// It asks, for every fixture and every control that applies to it, which of
// the fixture's fields (and its linked plan's and product's) the control does
// not declare, and deletes them all at once, evaluating that control alone.
// Fields that are ancestors of a declared path are declared (deleting them
// deletes declared evidence: covers), so the group never touches what the
// control may read. If the status is unchanged, no field of the group is
// read; if it changed, the group is halved until single fields are named
// (group testing: about 2·log2(n) evaluations per culprit instead of one per
// field), and a change that no half reproduces is narrowed field by field.
//
// What this can miss in theory: a field whose deletion alone changes the
// status while deleting the rest of its group restores it (two undeclared
// reads cancelling out, e.g. "if undeclared A then require undeclared B").
// Such a control reads two undeclared fields, and a fixture that lacks A or
// holds B differently shows it; one deletion at a time, as this test did
// before (4,328 evaluations of the whole catalogue), would. Checked against
// that one with declarations removed (COMM-003's spec.cloud.tls_min_version,
// CRED-005's spec.credentials[].revoked_at, CRED-006's
// plan:spec.occupancy.current_tenancy_start), this names every (control,
// path, fixture) it named, and more. In exchange it catches reads only a
// joint deletion shows ("undeclared A or undeclared B"), which one deletion
// at a time cannot, and it deletes the linked plan's and product's fields
// under every snapshot, not under the first that links them only.
//
// With -short, a fixture is checked only when it holds a (kind, path) no
// earlier fixture of its kind held, and linked documents are left alone.
func TestFailClosedUndeclared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eng := fixtureEngine(t)
	docs, links := fixturetest.Load(t)
	one := map[string]*engine.Engine{}
	for _, c := range eng.Controls() {
		one[c.ID] = controlEngine(t, c.ID, false)
	}
	// a job: one control on one fixture, with the fields it does not declare
	type job struct {
		d      *document.Document
		rel    engine.Related
		c      *engine.Control
		paths  []string
		status engine.Status
	}
	var jobs []job
	seen := map[string]bool{} // kind + path (-short)
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		paths := fieldPaths("", d.Raw)
		if testing.Short() {
			fresh := false
			for _, p := range paths {
				if !seen[d.Kind+" "+p] {
					seen[d.Kind+" "+p] = true
					fresh = true
				}
			}
			if !fresh {
				continue
			}
		} else {
			for _, l := range []*document.Document{rel.Plan, rel.Product} {
				if l != nil {
					prefix := map[string]string{"InstallPlan": "plan:", "ProductSpec": "product:"}[l.Kind]
					paths = append(paths, fieldPaths(prefix, l.Raw)...)
				}
			}
		}
		paths = slices.DeleteFunc(paths, func(p string) bool { return covers(ambientPaths, p) })
		base, err := eng.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range base {
			c, _ := eng.Control(f.ControlID)
			var undeclared []string
			for _, p := range paths {
				if !covers(c.Evidence[d.Kind], p) {
					undeclared = append(undeclared, p)
				}
			}
			if len(undeclared) > 0 {
				jobs = append(jobs, job{d, rel, c, undeclared, f.Status})
			}
		}
	}
	var (
		mu        sync.Mutex
		problems  = map[string]bool{}
		evaluated int
		failed    error
	)
	check := func(j job) {
		evals := 0
		// status evaluates j.c alone with the paths deleted
		status := func(paths []string) engine.Status {
			evals++
			md, mrel := withoutAll(j.d, j.rel, paths)
			got, err := one[j.c.ID].Evaluate(ctx, md, mrel)
			if err != nil || len(got) != 1 {
				mu.Lock()
				failed = fmt.Errorf("%s on %s: %d findings, %v", j.c.ID, j.d.Name, len(got), err)
				mu.Unlock()
				return j.status
			}
			return got[0].Status
		}
		report := func(c culprit) {
			what := c.paths[0]
			if len(c.paths) > 1 {
				what = strings.Join(c.paths, ", ") + " together (no one of them alone)"
			}
			mu.Lock()
			problems[fmt.Sprintf("%s %s: deleting %s (not in its declared evidence) changes %s from %s to %s",
				j.c.ID, j.d.Kind, what, j.d.Name, j.status, c.got)] = true
			mu.Unlock()
		}
		if got := status(j.paths); got != j.status {
			// the control alone must agree with the catalogue's evaluation
			// before a change is put down to a deletion
			if st := status(nil); st != j.status {
				mu.Lock()
				failed = fmt.Errorf("%s on %s: %s evaluated alone, %s in the catalogue", j.c.ID, j.d.Name, st, j.status)
				mu.Unlock()
			} else {
				for _, c := range narrow(j.paths, got, func(paths []string) (engine.Status, bool) {
					st := status(paths)
					return st, st != j.status
				}) {
					report(c)
				}
			}
		}
		mu.Lock()
		evaluated += evals
		mu.Unlock()
	}
	// The engines are safe for concurrent use: one worker per CPU.
	next := make(chan job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				check(j)
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	if failed != nil {
		t.Fatal(failed)
	}
	t.Logf("%d evaluations of one control (%d control × fixture groups) over %d documents", evaluated, len(jobs), len(docs))
	for _, p := range slices.Sorted(maps.Keys(problems)) {
		t.Error(p)
	}
}

// culprit is a set of deleted fields that changes a control's status to got.
type culprit struct {
	paths []string
	got   engine.Status
}

// narrow names the culprits among paths, whose deletion all at once changes
// the status to got. probe deletes a subset and says what the status becomes
// and whether it changed. narrow halves the group while a half still changes
// the status, down to single fields; when neither half does on its own, it
// tries each field alone, and when none does either, the culprit is the
// smallest set it can shrink the group to (a criterion that reads undeclared
// fields jointly, "A or B").
func narrow(paths []string, got engine.Status, probe func([]string) (engine.Status, bool)) []culprit {
	if len(paths) == 1 {
		return []culprit{{paths, got}}
	}
	var out []culprit
	for _, h := range [][]string{paths[:len(paths)/2], paths[len(paths)/2:]} {
		if st, changed := probe(h); changed {
			out = append(out, narrow(h, st, probe)...)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, p := range paths {
		if st, changed := probe([]string{p}); changed {
			out = append(out, culprit{[]string{p}, st})
		}
	}
	if len(out) > 0 {
		return out
	}
	// drop every field the change does not need: what is left is a set
	// from which no field can be taken away
	keep := slices.Clone(paths)
	for i := 0; i < len(keep) && len(keep) > 1; {
		rest := slices.Delete(slices.Clone(keep), i, i+1)
		if st, changed := probe(rest); changed {
			keep, got = rest, st
		} else {
			i++
		}
	}
	return []culprit{{keep, got}}
}

// withoutAll returns copies of a document and its links with the fields at
// the given evidence paths deleted (see policytest.Without); a path already
// gone with an ancestor is skipped. Documents no path names are shared.
func withoutAll(d *document.Document, rel engine.Related, paths []string) (*document.Document, engine.Related) {
	targets := map[string]*document.Document{"": d, evidencepath.RootPlan: rel.Plan, evidencepath.RootProduct: rel.Product}
	copies := map[string]*document.Document{}
	for _, p := range paths {
		root, rest, ok := evidencepath.Split(p)
		if !ok || targets[root] == nil {
			continue
		}
		cp := copies[root]
		if cp == nil {
			c := *targets[root]
			c.Raw = jsontree.Clone(c.Raw).(map[string]any)
			cp = &c
			copies[root] = cp
		}
		evidencepath.Delete(cp.Raw, rest)
	}
	if cp := copies[""]; cp != nil {
		d = cp
	}
	if cp := copies[evidencepath.RootPlan]; cp != nil {
		rel.Plan = cp
	}
	if cp := copies[evidencepath.RootProduct]; cp != nil {
		rel.Product = cp
	}
	return d, rel
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

// TestNarrow holds the group testing of TestFailClosedUndeclared to its
// promise: every field whose deletion alone changes the status is named,
// and a change only a joint deletion makes is named by a minimal set.
func TestNarrow(t *testing.T) {
	t.Parallel()
	paths := []string{"spec.a", "spec.b", "spec.c", "spec.d", "spec.e", "spec.f", "spec.g", "spec.h", "spec.i", "spec.j", "spec.k"}
	tests := []struct {
		name string
		// read reports whether deleting the paths changes the status
		read func(deleted map[string]bool) bool
		want []string
	}{
		{"one field", func(d map[string]bool) bool { return d["spec.c"] }, []string{"spec.c"}},
		{"two fields", func(d map[string]bool) bool { return d["spec.a"] || d["spec.k"] }, []string{"spec.a", "spec.k"}},
		{"every field", func(d map[string]bool) bool { return len(d) > 0 }, paths},
		{"only jointly", func(d map[string]bool) bool { return d["spec.b"] && d["spec.i"] }, []string{"spec.b, spec.i"}},
		{"jointly within a half", func(d map[string]bool) bool { return d["spec.a"] && d["spec.b"] }, []string{"spec.a, spec.b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probes := 0
			probe := func(ps []string) (engine.Status, bool) {
				probes++
				d := map[string]bool{}
				for _, p := range ps {
					d[p] = true
				}
				if tt.read(d) {
					return engine.StatusInsufficientEvidence, true
				}
				return engine.StatusPass, false
			}
			var got []string
			for _, c := range narrow(paths, engine.StatusInsufficientEvidence, probe) {
				if c.got != engine.StatusInsufficientEvidence {
					t.Errorf("%v: status %s", c.paths, c.got)
				}
				got = append(got, strings.Join(c.paths, ", "))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("narrow = %q, want %q (%d probes)", got, tt.want, probes)
			}
			t.Logf("%d probes", probes)
		})
	}
}
