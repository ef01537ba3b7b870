package gen

import (
	"encoding/json"
	"fmt"
)

// Status names a control outcome as the engine reports it.
type Status string

// The outcomes counted in expected.json.
const (
	Pass                 Status = "pass"
	Fail                 Status = "fail"
	InsufficientEvidence Status = "insufficient_evidence"
	NotApplicable        Status = "not_applicable"
)

// Fault is one deviation from the compliant template. Each is copied from
// the bundled fixture that demonstrates it (fixtures/fleet/unit-1NN-*.yaml)
// and changes exactly the outcomes listed in Outcomes; every other
// LockSnapshot control keeps the template's pass.
type Fault struct {
	// Name identifies the fault (and its fixture).
	Name string
	// Rate is the probability that a lock carries the fault.
	Rate float64
	// Outcomes are the controls whose outcome the fault changes.
	Outcomes map[string]Status
	// apply edits a copy of the template; it runs before timestamps are
	// shifted, so it writes times as the template does.
	apply func(doc map[string]any) error
	// shiftNovember, when non-zero, moves every November datetime back by
	// this many days (the stale-snapshot fixture does the same).
	shiftNovember int
}

// Faults is the catalogue of faults the generator can inject, in a fixed
// order (the order the random draws are made in).
var Faults = []Fault{
	{
		Name: "default-credential-active", Rate: 0.02, // unit-102
		Outcomes: map[string]Status{"ENR-001": Fail},
		apply: func(d map[string]any) error {
			return set(d, true, "spec", "enrollment", "default_credential_active")
		},
	},
	{
		Name: "guest-schedule-no-expiry", Rate: 0.04, // unit-105
		Outcomes: map[string]Status{"CRED-003": Fail},
		apply: func(d map[string]any) error {
			c, err := credential(d, "c-101-guest-pin")
			if err != nil {
				return err
			}
			c["valid_until"] = nil
			c["schedule"] = map[string]any{
				"days": []any{"wed", "sun"}, "start_time": "14:00", "end_time": "17:00",
				"timezone": "America/Los_Angeles",
			}
			return nil
		},
	},
	{
		Name: "revoked-still-on-lock", Rate: 0.03, // unit-106
		Outcomes: map[string]Status{"CRED-005": Fail},
		apply: func(d map[string]any) error {
			c, err := credential(d, "c-101-svc-clean")
			if err != nil {
				return err
			}
			c["cloud_status"] = "revoked"
			c["revoked_at"] = "2026-11-22T09:00:00-08:00"
			return nil
		},
	},
	{
		Name: "stale-snapshot", Rate: 0.03, // unit-114
		Outcomes:      map[string]Status{"LOG-006": Fail},
		apply:         func(map[string]any) error { return nil },
		shiftNovember: 10,
	},
	{
		Name: "known-cve-fix-available", Rate: 0.05, // unit-115
		Outcomes: map[string]Status{"UPD-007": Fail},
		apply: func(d map[string]any) error {
			fw, err := object(d, "spec", "firmware")
			if err != nil {
				return err
			}
			fw["version"] = "4.12.3"
			fw["security_version"] = json.Number("12")
			fw["min_allowed_security_version"] = json.Number("12")
			fw["release_date"] = "2026-06-11"
			fw["known_vulnerabilities"] = []any{map[string]any{
				"cve_id": "CVE-2026-31877", "fixed_in_version": "4.13.1", "fix_available": true,
			}}
			return set(d, "2026-06-18T10:02:00Z", "spec", "update", "last_update_at")
		},
	},
	{
		Name: "zigbee-plaintext", Rate: 0.02, // unit-116
		Outcomes: map[string]Status{"COMM-001": Fail},
		apply: func(d map[string]any) error {
			i, err := listItem(d, "type", "zigbee", "spec", "interfaces")
			if err != nil {
				return err
			}
			i["encryption"] = "none"
			return nil
		},
	},
	{
		Name: "low-battery", Rate: 0.06, // unit-118
		Outcomes: map[string]Status{"RES-002": Fail},
		apply: func(d map[string]any) error {
			return set(d, json.Number("11"), "spec", "power", "battery_percent")
		},
	},
	{
		Name: "ble-pairing-open", Rate: 0.01, // unit-111
		Outcomes: map[string]Status{"ENR-004": Fail},
		apply: func(d map[string]any) error {
			if err := set(d, true, "spec", "enrollment", "pairing_mode_open"); err != nil {
				return err
			}
			i, err := listItem(d, "type", "ble", "spec", "interfaces")
			if err != nil {
				return err
			}
			i["unauthenticated_pairing_allowed"] = true
			return nil
		},
	},
	{
		Name: "unattributed-unlock", Rate: 0.03, // unit-117
		Outcomes: map[string]Status{"LOG-002": Fail},
		apply: func(d map[string]any) error {
			e, err := listItem(d, "event_id", "ev-101-90341", "spec", "events")
			if err != nil {
				return err
			}
			e["channel"] = "unknown"
			e["credential_id"] = nil
			e["holder_id"] = nil
			return nil
		},
	},
}

// object walks a path of keys to a mapping.
func object(d map[string]any, path ...string) (map[string]any, error) {
	cur := d
	for _, k := range path {
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("template has no mapping at %v", path)
		}
		cur = next
	}
	return cur, nil
}

// set writes v at a path of keys whose parent mapping exists.
func set(d map[string]any, v any, path ...string) error {
	parent, err := object(d, path[:len(path)-1]...)
	if err != nil {
		return err
	}
	if _, ok := parent[path[len(path)-1]]; !ok {
		return fmt.Errorf("template has no field %v", path)
	}
	parent[path[len(path)-1]] = v
	return nil
}

// listItem finds the item of the list at path whose key equals value.
func listItem(d map[string]any, key, value string, path ...string) (map[string]any, error) {
	parent, err := object(d, path[:len(path)-1]...)
	if err != nil {
		return nil, err
	}
	list, _ := parent[path[len(path)-1]].([]any)
	for _, it := range list {
		if m, ok := it.(map[string]any); ok && m[key] == value {
			return m, nil
		}
	}
	return nil, fmt.Errorf("template has no %v item with %s %q", path, key, value)
}

func credential(d map[string]any, id string) (map[string]any, error) {
	return listItem(d, "credential_id", id, "spec", "credentials")
}
