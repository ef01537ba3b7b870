package lockcheck.controls.enrollment.ownership_binding_test

import data.lockcheck.controls.enrollment.default_credentials
import data.lockcheck.controls.enrollment.ownership_binding as control
import data.lockcheck.test

# the catalogue's thresholds, pinned so the tests do not depend on which data
# files the test run loads
_params := {"max_setup_code_validity_s": 600, "min_setup_code_entropy_bits": 40}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

# --- ProductSpec ---

_good_product := {"enrollment": {
	"binding_requires_physical_presence": true,
	"setup_code_validity_s": 300,
	"setup_code_single_use": true,
	"setup_code_entropy_bits": 64,
}}

_patch(spec, path, value) := json.patch(spec, [{"op": "replace", "path": path, "value": value}])

test_pass_product_physical_single_use_short_lived if {
	f := _eval(test.product(_good_product))
	f.status == "pass"
	contains(f.rationale, "setup_code_validity_s is 300 (at most 600)")
	contains(f.rationale, "setup_code_entropy_bits is 64 (at least 40)")
}

test_pass_product_at_thresholds if {
	spec := json.patch(_good_product, [
		{"op": "replace", "path": "/enrollment/setup_code_validity_s", "value": 600},
		{"op": "replace", "path": "/enrollment/setup_code_entropy_bits", "value": 40},
	])
	f := _eval(test.product(spec))
	f.status == "pass"
}

test_fail_product_no_physical_presence if {
	f := _eval(test.product(_patch(_good_product, "/enrollment/binding_requires_physical_presence", false)))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "binding_requires_physical_presence is false")
}

test_fail_product_code_reusable if {
	f := _eval(test.product(_patch(_good_product, "/enrollment/setup_code_single_use", false)))
	f.status == "fail"
	contains(f.rationale, "setup_code_single_use is false")
}

test_fail_product_code_long_lived if {
	f := _eval(test.product(_patch(_good_product, "/enrollment/setup_code_validity_s", 601)))
	f.status == "fail"
	contains(f.rationale, "setup_code_validity_s is 601")
}

test_fail_product_code_without_lifetime if {
	f := _eval(test.product(_patch(_good_product, "/enrollment/setup_code_validity_s", 0)))
	f.status == "fail"
	contains(f.rationale, "setup_code_validity_s is 0: that is no bounded lifetime")
}

test_fail_product_code_low_entropy if {
	f := _eval(test.product(_patch(_good_product, "/enrollment/setup_code_entropy_bits", 39)))
	f.status == "fail"
	contains(f.rationale, "setup_code_entropy_bits is 39")
}

test_fail_evidence_missing_binding_requires_physical_presence if {
	spec := json.patch(_good_product, [{"op": "remove", "path": "/enrollment/binding_requires_physical_presence"}])
	f := _eval(test.product(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.binding_requires_physical_presence"]
}

test_fail_evidence_missing_setup_code_validity_s if {
	spec := json.patch(_good_product, [{"op": "remove", "path": "/enrollment/setup_code_validity_s"}])
	f := _eval(test.product(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.setup_code_validity_s"]
}

test_fail_evidence_missing_setup_code_single_use if {
	spec := json.patch(_good_product, [{"op": "remove", "path": "/enrollment/setup_code_single_use"}])
	f := _eval(test.product(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.setup_code_single_use"]
}

test_fail_evidence_missing_setup_code_entropy_bits if {
	spec := json.patch(_good_product, [{"op": "remove", "path": "/enrollment/setup_code_entropy_bits"}])
	f := _eval(test.product(spec))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.setup_code_entropy_bits"]
}

test_fail_shown_violation_wins_over_missing_field if {
	spec := json.patch(_good_product, [
		{"op": "remove", "path": "/enrollment/setup_code_entropy_bits"},
		{"op": "replace", "path": "/enrollment/setup_code_single_use", "value": false},
	])
	f := _eval(test.product(spec))
	f.status == "fail"
	f.missing == ["spec.enrollment.setup_code_entropy_bits"]
}

# edge case 9: a BLE pairing PIN fixed at 000000 is outside PSTI's "password",
# so ENR-001 passes, but as a binding code it is reusable, never expires and
# has no entropy: ENR-003 fails (critical).
_fixed_pin_product := {
	"security": {"default_password_policy": "user_defined_at_setup"},
	"enrollment": {
		"binding_requires_physical_presence": true,
		"setup_code_validity_s": 0,
		"setup_code_single_use": false,
		"setup_code_entropy_bits": 0,
	},
}

test_edge_case_9_fixed_ble_pairing_pin if {
	f := _eval(test.product(_fixed_pin_product))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "setup_code_single_use is false")
	contains(f.rationale, "setup_code_entropy_bits is 0")
	contains(f.rationale, "setup_code_validity_s is 0")
	not contains(f.rationale, "000000")
	enr1 := default_credentials.finding with input as test.product(_fixed_pin_product)
	enr1.status == "pass"
}

test_edge_case_9_fixed_pin_with_long_validity if {
	spec := _patch(_fixed_pin_product, "/enrollment/setup_code_validity_s", 31536000)
	f := _eval(test.product(spec))
	f.status == "fail"
	contains(f.rationale, "setup_code_validity_s is 31536000")
}

test_pass_product_threshold_from_params if {
	spec := _patch(_good_product, "/enrollment/setup_code_validity_s", 900)
	f := control.finding with input as test.product(spec) with data.params as object.union(_params, {"max_setup_code_validity_s": 900})
	f.status == "pass"
}

# --- LockSnapshot ---

test_pass_snapshot_bound_on_device if {
	f := _eval(test.snapshot({"ownership": {"bound_via": "on_device_action"}}))
	f.status == "pass"
	contains(f.rationale, "bound_via is \"on_device_action\"")
}

test_pass_snapshot_bound_by_ble_proximity if {
	f := _eval(test.snapshot({"ownership": {"bound_via": "ble_proximity"}}))
	f.status == "pass"
}

test_fail_snapshot_bound_remotely if {
	f := _eval(test.snapshot({"ownership": {"bound_via": "remote_only"}}))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "bound_via is \"remote_only\"")
}

test_fail_evidence_missing_bound_via if {
	f := _eval(test.snapshot({"ownership": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership.bound_via"]
}

test_not_produced_for_plans if {
	not _eval(test.plan({}))
}

test_fail_evidence_missing_params if {
	f := control.finding with input as test.product(_good_product) with data.params as {}
	f.status == "insufficient_evidence"
	f.missing == ["params.max_setup_code_validity_s", "params.min_setup_code_entropy_bits"]
}
