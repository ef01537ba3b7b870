package engine

import (
	"encoding/json"
	"errors"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/policies"
)

// TestParamsSchemaCoversDefaults: every default parameter has a schema entry
// and its default lies within it (a new parameter needs its range).
func TestParamsSchemaCoversDefaults(t *testing.T) {
	b, err := fs.ReadFile(policies.FS, "params.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Params map[string]any `json:"params"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	ps, err := paramsSchema()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range doc.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, ok := ps.compiled[n]; !ok {
			t.Errorf("parameter %s has no entry in engine/schemas/params.json", n)
			continue
		}
		if err := checkParam(n, doc.Params[n]); err != nil {
			t.Errorf("default: %v", err)
		}
	}
	for n := range ps.compiled {
		if _, ok := doc.Params[n]; !ok {
			t.Errorf("engine/schemas/params.json describes %s, which policies/params.json does not define", n)
		}
	}
}

// TestParamsOutOfRangeRefused: negative or out-of-range thresholds used to be
// accepted (clock_drift_max_s: -5 made every drift a violation, or none).
func TestParamsOutOfRangeRefused(t *testing.T) {
	tests := []struct {
		name, value string
		want        string // "" = accepted
	}{
		{"clock_drift_max_s", "-5", `parameter "clock_drift_max_s": -5 is not allowed: expected a whole number from 0 to 86400 (seconds)`},
		{"clock_drift_max_s", "0", ""},
		{"clock_drift_max_s", "86401", `expected a whole number from 0 to 86400 (seconds)`},
		{"clock_drift_max_s", "2.5", `parameter "clock_drift_max_s": 2.5 is not allowed`},
		{"max_biometric_fmr", "0.00002", ""},
		{"max_biometric_fmr", "1.5", `parameter "max_biometric_fmr": 1.5 is not allowed: expected a number from 0 to 1 (false-match rate)`},
		{"max_site_critical_fail_ratio", "-0.1", `expected a number from 0 to 1`},
		{"max_critical_waiver_days", "0", `parameter "max_critical_waiver_days": 0 is not allowed: expected a whole number from 1 to 3650 (days)`},
		{"min_pin_length_digits", "8", ""},
		{"min_tls_version", `"1.3"`, ""},
		{"min_tls_version", `"1.4"`, `parameter "min_tls_version": "1.4" is not allowed: expected one of "1.0", "1.1", "1.2", "1.3"`},
	}
	defaults := map[string]any{}
	for _, tc := range tests {
		defaults[tc.name] = json.Number("1")
	}
	defaults["min_tls_version"] = "1.2"
	for _, tc := range tests {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			var v any
			dec := json.NewDecoder(strings.NewReader(tc.value))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			_, err := mergeParams(defaults, map[string]any{tc.name: v})
			if tc.want == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tc.want) {
				t.Errorf("got %v, want a usage error containing %q", err, tc.want)
			}
		})
	}
}
