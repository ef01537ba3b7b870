package scan

import (
	"reflect"
	"slices"
	"testing"

	"github.com/lockcheck/lockcheck/engine/finding"
)

// The controls behind a site's upd_supported come from the fleet controls'
// METADATA (custom.aggregates), not from ids written in Go.
func TestAggregatedControls(t *testing.T) {
	all := []*finding.Control{
		{ID: "UPD-006", AppliesTo: []string{"LockSnapshot"}, Aggregates: []string{"X-1"}},
		{ID: "FLEET-001", AppliesTo: []string{KindFleet}, Aggregates: []string{"UPD-006", "UPD-007"}},
		{ID: "FLEET-009", AppliesTo: []string{KindFleet}, Aggregates: []string{"UPD-007", "LOG-001"}},
		{ID: "FLEET-002", AppliesTo: []string{KindFleet}},
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for id := range aggregatedControls(all) {
			if !yield(id) {
				return
			}
		}
	})
	if want := []string{"LOG-001", "UPD-006", "UPD-007"}; !reflect.DeepEqual(got, want) {
		t.Errorf("aggregatedControls = %v, want %v (only Fleet controls' custom.aggregates)", got, want)
	}
}
