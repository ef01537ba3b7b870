package lockcheck.controls.enrollment.pairing_closed_test

import data.lockcheck.controls.enrollment.default_credentials
import data.lockcheck.controls.enrollment.pairing_closed as control
import data.lockcheck.test

# the catalogue's threshold, pinned so the tests do not depend on which data
# files the test run loads
_params := {"max_pairing_window_s": 600}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

# --- LockSnapshot ---

_good_snapshot := {
	"captured_at": "2026-11-20T10:00:00Z",
	"enrollment": {"default_credential_active": false, "pairing_mode_open": false, "pairing_window_expires_at": null},
	"credentials": [],
	"interfaces": [
		{"type": "ble", "enabled": true, "unauthenticated_pairing_allowed": false},
		{"type": "wifi", "enabled": true, "unauthenticated_pairing_allowed": false},
	],
}

_open_until(expires) := json.patch(_good_snapshot, [
	{"op": "replace", "path": "/enrollment/pairing_mode_open", "value": true},
	{"op": "replace", "path": "/enrollment/pairing_window_expires_at", "value": expires},
])

test_pass_snapshot_pairing_closed if {
	f := _eval(test.snapshot(_good_snapshot))
	f.status == "pass"
	contains(f.rationale, "pairing_mode_open is false")
	contains(f.rationale, "none of the 2 spec.interfaces allows unauthenticated pairing")
}

test_pass_snapshot_closed_needs_no_window if {
	spec := json.patch(_good_snapshot, [{"op": "remove", "path": "/enrollment/pairing_window_expires_at"}, {"op": "remove", "path": "/captured_at"}])
	f := _eval(test.snapshot(spec))
	f.status == "pass"
}

test_pass_snapshot_short_window if {
	f := _eval(test.snapshot(_open_until("2026-11-20T10:05:00Z")))
	f.status == "pass"
	contains(f.rationale, "300 s after captured_at (at most 600 s)")
}

test_pass_snapshot_window_at_limit_with_offset if {
	f := _eval(test.snapshot(_open_until("2026-11-20T11:10:00+01:00")))
	f.status == "pass"
	contains(f.rationale, "600 s after captured_at")
}

test_pass_snapshot_no_interfaces if {
	spec := json.patch(_good_snapshot, [{"op": "replace", "path": "/interfaces", "value": []}])
	f := _eval(test.snapshot(spec))
	f.status == "pass"
}

test_fail_snapshot_long_window if {
	f := _eval(test.snapshot(_open_until("2026-11-20T10:10:01Z")))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "601 s after captured_at")
}

test_fail_snapshot_open_without_end if {
	f := _eval(test.snapshot(_open_until(null)))
	f.status == "fail"
	contains(f.rationale, "pairing_window_expires_at is null")
}

test_fail_snapshot_unauthenticated_pairing_interface if {
	spec := json.patch(_good_snapshot, [{"op": "replace", "path": "/interfaces/1/unauthenticated_pairing_allowed", "value": true}])
	f := _eval(test.snapshot(spec))
	f.status == "fail"
	contains(f.rationale, "interface wifi has unauthenticated_pairing_allowed: true")
	f.evidence[0].path == "spec.interfaces[1].unauthenticated_pairing_allowed"
}

test_fail_snapshot_unauthenticated_pairing_interface_without_type if {
	spec := json.patch(_good_snapshot, [
		{"op": "remove", "path": "/interfaces/1/type"},
		{"op": "replace", "path": "/interfaces/1/unauthenticated_pairing_allowed", "value": true},
	])
	f := _eval(test.snapshot(spec))
	f.status == "fail"
	contains(f.rationale, "interface #1 has")
}

test_fail_evidence_missing_pairing_mode_open if {
	spec := json.patch(_good_snapshot, [{"op": "remove", "path": "/enrollment/pairing_mode_open"}])
	f := _eval(test.snapshot(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.pairing_mode_open"]
}

test_fail_evidence_missing_pairing_window_expires_at if {
	spec := json.patch(_open_until("2026-11-20T10:05:00Z"), [{"op": "remove", "path": "/enrollment/pairing_window_expires_at"}])
	f := _eval(test.snapshot(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.pairing_window_expires_at"]
}

test_fail_evidence_missing_captured_at if {
	spec := json.patch(_open_until("2026-11-20T10:05:00Z"), [{"op": "remove", "path": "/captured_at"}])
	f := _eval(test.snapshot(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_fail_evidence_missing_unauthenticated_pairing_allowed if {
	spec := json.patch(_good_snapshot, [{"op": "remove", "path": "/interfaces/0/unauthenticated_pairing_allowed"}])
	f := _eval(test.snapshot(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].unauthenticated_pairing_allowed"]
}

test_fail_evidence_missing_interfaces if {
	spec := object.remove(_good_snapshot, ["interfaces"])
	f := _eval(test.snapshot(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces"]
}

test_pass_snapshot_window_from_plan_override if {
	inp := test.linked(test.snapshot(_open_until("2026-11-20T10:15:00Z")), {"plan": {"policy_overrides": {"max_pairing_window_s": 900}}})
	f := _eval(inp)
	f.status == "pass"
}

# edge case 9: a BLE link that pairs with a fixed PIN 000000 is unauthenticated
# pairing; ENR-004 fails (critical) while ENR-001 (no default password) passes.
_fixed_pin_snapshot := json.patch(_good_snapshot, [{"op": "replace", "path": "/interfaces/0/unauthenticated_pairing_allowed", "value": true}])

test_edge_case_9_fixed_ble_pairing_pin_interface if {
	f := _eval(test.snapshot(_fixed_pin_snapshot))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "interface ble has unauthenticated_pairing_allowed: true")
	not contains(f.rationale, "000000")
	enr1 := default_credentials.finding with input as test.snapshot(_fixed_pin_snapshot)
	enr1.status == "pass"
}

test_edge_case_9_fixed_ble_pairing_pin_mode_open if {
	f := _eval(test.snapshot(_open_until(null)))
	f.status == "fail"
	f.severity == "critical"
	enr1 := default_credentials.finding with input as test.snapshot(_open_until(null))
	enr1.status == "pass"
}

# --- ProductSpec ---

test_pass_product_physical_button if {
	f := _eval(test.product({"enrollment": {"pairing_mode_trigger": "physical_button"}}))
	f.status == "pass"
	contains(f.rationale, "pairing_mode_trigger is \"physical_button\"")
	f.warnings == []
}

test_pass_product_admin_app_only if {
	f := _eval(test.product({"enrollment": {"pairing_mode_trigger": "admin_app_only"}}))
	f.status == "pass"
}

test_pass_product_declared_unauthenticated_pairing_warns if {
	spec := {
		"enrollment": {"pairing_mode_trigger": "physical_button"},
		"interfaces": [
			{"type": "ble", "unauthenticated_pairing_allowed": true},
			{"type": "zigbee", "enabled": false, "unauthenticated_pairing_allowed": true},
		],
	}
	f := _eval(test.product(spec))
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.warnings[0], "spec.interfaces[0] (ble)")
}

test_fail_product_always_on if {
	f := _eval(test.product({"enrollment": {"pairing_mode_trigger": "always_on"}}))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "pairing_mode_trigger is \"always_on\"")
}

test_fail_evidence_missing_pairing_mode_trigger if {
	f := _eval(test.product({"enrollment": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.pairing_mode_trigger"]
}

test_not_produced_for_plans if {
	not _eval(test.plan({}))
}

test_fail_evidence_missing_params if {
	f := control.finding with input as test.snapshot(_open_until("2026-11-20T10:05:00Z")) with data.params as {}
	f.status == "insufficient_evidence"
	f.missing == ["params.max_pairing_window_s"]
}

test_pass_closed_pairing_needs_no_params if {
	f := control.finding with input as test.snapshot(_good_snapshot) with data.params as {}
	f.status == "pass"
}
