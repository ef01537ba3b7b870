package engine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestThresholdsInForce: the thresholds a control reads are found in its
// Rego (lib.param calls, data.params refs), so explain and the docs list them.
func TestThresholdsInForce(t *testing.T) {
	t.Parallel()
	eng := fixtureEngine(t)
	tests := []struct {
		id   string
		want []string
	}{
		{"CRED-005", []string{"max_revocation_latency_h"}},
		{"UPD-006", []string{"required_support_months", "snapshot_support_warning_months", "spec_min_support_runway_months"}},
		{"COMM-003", []string{"min_tls_version"}},
		{"FLEET-002", []string{"max_site_critical_fail_ratio"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, ok := eng.Control(tt.id)
			if !ok {
				t.Fatalf("%s not in the catalogue", tt.id)
			}
			if diff := cmp.Diff(tt.want, c.Params); diff != "" {
				t.Errorf("params (-want +got):\n%s", diff)
			}
			for _, p := range c.Params {
				if _, ok := eng.Params()[p]; !ok {
					t.Errorf("%s reads %s, which has no default in policies/params.json", tt.id, p)
				}
			}
		})
	}
	// Every threshold any control reads has a default.
	for _, c := range eng.Controls() {
		for _, p := range c.Params {
			if _, ok := eng.Params()[p]; !ok {
				t.Errorf("%s reads params.%s, which has no default in policies/params.json", c.ID, p)
			}
		}
	}
}
