package scan_test

import (
	"flag"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// orderCopies is how many copies of the fixture snapshots the generated
// input of TestWorkersOrder holds (21 snapshots each).
var orderCopies = flag.Int("order-copies", 100, "TestWorkersOrder: copies of the fixture snapshots in the generated input (-short: 10)")

// TestWorkersOrder: the output is byte-identical whatever the number of
// workers, in input order, on the fixtures and on a generated fleet.
func TestWorkersOrder(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	copies := *orderCopies
	if testing.Short() {
		copies = 10
	}
	inputs := map[string][]string{
		"fixtures":  fixtureInputs,
		"generated": {generatedFleet(t, copies)},
	}
	for name, paths := range inputs {
		t.Run(name, func(t *testing.T) {
			one := collect(t, r, scan.Options{Paths: paths, LinkPaths: fixtureLinks, Workers: 1})
			four := collect(t, r, scan.Options{Paths: paths, LinkPaths: fixtureLinks, Workers: 4})
			for i, res := range four {
				if res.Seq != i {
					t.Fatalf("4 workers: result %d has seq %d: not delivered in input order", i, res.Seq)
				}
			}
			for _, format := range []string{"json", "text", "ndjson"} {
				a, b := render(t, r, format, one), render(t, r, format, four)
				if a != b {
					t.Errorf("%s output differs between 1 and 4 workers (-1 +4):\n%s", format, cmp.Diff(a, b))
				}
			}
		})
	}
}
