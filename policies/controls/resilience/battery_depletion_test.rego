package lockcheck.controls.resilience.battery_depletion_test

import data.lockcheck.controls.resilience.battery_depletion as control
import data.lockcheck.test

_params := {"min_low_battery_warning_lead_days": 14}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good_product := {
	"power": {"low_battery_warning_lead_days": 30, "emergency_power_input": "usb_c"},
	"mechanical": {"override": "none"},
}

_prod(ops) := test.product(json.patch(_good_product, ops))

test_pass_product_usb_c if {
	f := _eval(test.product(_good_product))
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "spec.power.emergency_power_input is usb_c: the lock can be powered from outside")
	contains(f.rationale, "low_battery_warning_lead_days is 30")
}

test_pass_product_keyed_cylinder_without_power_input if {
	f := _eval(_prod([
		{"op": "replace", "path": "/power/emergency_power_input", "value": "none"},
		{"op": "replace", "path": "/mechanical/override", "value": "keyed_cylinder"},
	]))
	f.status == "pass"
	contains(f.rationale, "spec.power.emergency_power_input is none but spec.mechanical.override is keyed_cylinder")
}

test_pass_product_override_not_needed_with_power_input if {
	f := _eval(test.product(object.remove(_good_product, ["mechanical"])))
	f.status == "pass"
}

# the first arm of the OR is always read
test_fail_evidence_missing_power_input_with_override if {
	f := _eval(test.product({"power": {"low_battery_warning_lead_days": 14}, "mechanical": {"override": "keyed_cylinder"}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.emergency_power_input"]
}

test_fail_product_short_warning if {
	f := _eval(_prod([{"op": "replace", "path": "/power/low_battery_warning_lead_days", "value": 7}]))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.power.low_battery_warning_lead_days is 7")
}

test_fail_product_no_entry_with_dead_battery if {
	f := _eval(_prod([{"op": "replace", "path": "/power/emergency_power_input", "value": "none"}]))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "emergency_power_input is none and spec.mechanical.override is none")
}

test_fail_evidence_missing_low_battery_warning_lead_days if {
	f := _eval(_prod([{"op": "remove", "path": "/power/low_battery_warning_lead_days"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.low_battery_warning_lead_days"]
}

test_fail_evidence_missing_emergency_power_input if {
	f := _eval(_prod([{"op": "remove", "path": "/power/emergency_power_input"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.emergency_power_input"]
}

test_fail_evidence_missing_override if {
	f := _eval(test.product({"power": {"low_battery_warning_lead_days": 30, "emergency_power_input": "none"}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.override"]
}

test_fail_evidence_missing_both_entry_paths if {
	f := _eval(test.product({"power": {"low_battery_warning_lead_days": 30}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.emergency_power_input"]
}

test_pass_product_threshold_from_params if {
	inp := _prod([{"op": "replace", "path": "/power/low_battery_warning_lead_days", "value": 7}])
	f := control.finding with input as inp with data.params as {"min_low_battery_warning_lead_days": 7}
	f.status == "pass"
}

# --- LockSnapshot ---

_good_snapshot := {"power": {"battery_percent": 60, "low_battery_threshold_percent": 20}}

test_pass_snapshot_battery_above_threshold if {
	f := _eval(test.snapshot(_good_snapshot))
	f.status == "pass"
	contains(f.rationale, "spec.power.battery_percent is 60%, above the low-battery threshold of 20%")
}

test_fail_snapshot_low_battery_is_medium if {
	f := _eval(test.snapshot({"power": {"battery_percent": 20, "low_battery_threshold_percent": 20}}))
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "spec.power.battery_percent is 20%, at or below spec.power.low_battery_threshold_percent (20%)")
	f.evidence == [{"path": "spec.power.battery_percent", "observed": 20, "expected": "> 20"}]
}

test_fail_evidence_missing_battery_percent if {
	f := _eval(test.snapshot({"power": {"low_battery_threshold_percent": 20}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.battery_percent"]
}

test_fail_evidence_missing_low_battery_threshold_percent if {
	f := _eval(test.snapshot({"power": {"battery_percent": 60}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.low_battery_threshold_percent"]
}

test_not_produced_for_plans if {
	not _eval(test.plan(_good_product))
}
