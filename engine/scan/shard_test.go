package scan_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestShardUnion: the shards of a scan cover every document exactly once,
// and the union of their findings is the unsharded scan's, on the fixtures
// (whole catalogue) and on a generated fleet (fleetControls).
func TestShardUnion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		r     *scan.Runner
		paths []string
	}{
		{"fixtures", newRunner(t), fixtureInputs},
		{"generated", fleetRunner(t), []string{generatedFleet(t, 5)}},
	} {
		r, paths := tc.r, tc.paths
		t.Run(tc.name, func(t *testing.T) {
			opts := scan.Options{Paths: paths, LinkPaths: fixtureLinks, Workers: 2}
			full := collect(t, r, opts)
			counts := []int{1, 3, 4}
			if testing.Short() {
				counts = []int{3}
			}
			for _, n := range counts {
				t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
					var union []*scan.DocResult
					sizes := make([]int, n)
					for k := 0; k < n; k++ {
						o := opts
						o.Shard = scan.Shard{Index: k, Of: n}
						part := collect(t, r, o)
						sizes[k] = len(part)
						union = append(union, part...)
					}
					if len(union) != len(full) {
						t.Errorf("shards hold %d documents (%v), the unsharded scan %d", len(union), sizes, len(full))
					}
					for k, s := range sizes {
						if n > 1 && s == 0 {
							t.Errorf("shard %d/%d is empty: the partition does not spread the documents", k, n)
						}
					}
					if diff := cmp.Diff(outcomes(full), outcomes(union), cmp.AllowUnexported(outcome{})); diff != "" {
						t.Errorf("union of the %d shards differs from the unsharded scan (-unsharded +union):\n%s", n, diff)
					}
				})
			}
		})
	}
}
