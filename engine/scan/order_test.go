package scan_test

import (
	"context"
	"flag"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// orderCopies is how many copies of the fixture snapshots the generated
// input of TestWorkersOrder holds (21 snapshots each).
var orderCopies = flag.Int("order-copies", 100, "TestWorkersOrder: copies of the fixture snapshots in the generated input (-short: 10)")

// TestWorkersOrder: the output is byte-identical whatever the number of
// workers, in input order, on the fixtures (whole catalogue) and on a
// generated fleet (fleetControls), even when the workers finish the
// documents out of input order.
func TestWorkersOrder(t *testing.T) {
	t.Parallel()
	copies := *orderCopies
	if testing.Short() {
		copies = 10
	}
	for _, tc := range []struct {
		name  string
		r     *scan.Runner
		paths []string
	}{
		{"fixtures", newRunner(t), fixtureInputs},
		{"generated", fleetRunner(t), []string{generatedFleet(t, copies)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			one := collect(t, tc.r, scan.Options{Paths: tc.paths, LinkPaths: fixtureLinks, Workers: 1})
			held, wasHeld := holdFirst(t, tc.r)
			four := collect(t, held, scan.Options{Paths: tc.paths, LinkPaths: fixtureLinks, Workers: 4})
			if !wasHeld() {
				t.Fatal("the first document was not evaluated: the test cannot make the workers finish out of order")
			}
			for i, res := range four {
				if res.Seq != i {
					t.Fatalf("4 workers: result %d has seq %d: not delivered in input order", i, res.Seq)
				}
			}
			for _, format := range []string{"json", "text", "ndjson"} {
				a, b := render(t, tc.r, format, one), render(t, tc.r, format, four)
				if a != b {
					t.Errorf("%s output differs between 1 and 4 workers (-1 +4):\n%s", format, cmp.Diff(a, b))
				}
			}
		})
	}
}

// holdFirst returns a copy of r whose workers hold the first document
// (Seq 0) until a later one has been evaluated, so that at least one
// document finishes before an earlier one whatever the machine's load;
// wasHeld reports whether the first document was held.
func holdFirst(t *testing.T, r *scan.Runner) (held *scan.Runner, wasHeld func() bool) {
	later := make(chan struct{})
	var laterOnce sync.Once
	var mu sync.Mutex
	first := false
	c := *r
	c.Post = func(ctx context.Context, res *scan.DocResult) {
		if res.Seq != 0 {
			laterOnce.Do(func() { close(later) })
			return
		}
		mu.Lock()
		first = true
		mu.Unlock()
		select {
		case <-later:
		case <-time.After(time.Minute):
			t.Error("no later document was evaluated while the first was held")
		}
	}
	return &c, func() bool { mu.Lock(); defer mu.Unlock(); return first }
}
