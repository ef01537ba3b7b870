package lockcheck.controls.enrollment.device_identity_test

import data.lockcheck.controls.enrollment.device_identity as control
import data.lockcheck.test

_replace(doc, path, value) := json.patch(doc, [{"op": "replace", "path": path, "value": value}])

_remove(doc, path) := json.patch(doc, [{"op": "remove", "path": path}])

# --- LockSnapshot ---

_snapshot := {"device": {"serial_number": "SN-0001", "model": "L-200", "hardware_revision": "B", "door_id": "d-1"}}

_plan := {"devices": [
	{"door_id": "d-0", "planned_model": "L-100", "serial_number": null},
	{"door_id": "d-1", "planned_model": "L-200", "serial_number": "SN-0001"},
]}

_with_plan(snap, plan) := test.linked(test.snapshot(snap), {"plan": plan})

test_pass_snapshot_matches_plan if {
	f := control.finding with input as _with_plan(_snapshot, _plan)
	f.status == "pass"
	contains(f.rationale, "serial \"SN-0001\" and model \"L-200\" (hardware revision \"B\")")
	contains(f.rationale, "model the plan foresaw for door d-1")
	contains(f.rationale, "is the serial the plan names for door d-1")
}

test_pass_snapshot_plan_names_no_serial if {
	plan := _replace(_plan, "/devices/1/serial_number", null)
	f := control.finding with input as _with_plan(_snapshot, plan)
	f.status == "pass"
	contains(f.rationale, "plan names no serial number for door d-1")
}

test_pass_snapshot_hardware_revision_is_context if {
	snap := _remove(_snapshot, "/device/hardware_revision")
	f := control.finding with input as _with_plan(snap, _plan)
	f.status == "pass"
	contains(f.rationale, "model \"L-200\".")
}

test_pass_snapshot_other_doors_need_no_model if {
	plan := _remove(_remove(_plan, "/devices/0/planned_model"), "/devices/0/serial_number")
	f := control.finding with input as _with_plan(_snapshot, plan)
	f.status == "pass"
}

test_fail_snapshot_serial_empty if {
	snap := _replace(_snapshot, "/device/serial_number", "")
	f := control.finding with input as _with_plan(snap, _replace(_plan, "/devices/1/serial_number", null))
	f.status == "fail"
	f.severity == "low"
	contains(f.rationale, "spec.device.serial_number is empty")
}

test_fail_snapshot_model_empty if {
	snap := _replace(_snapshot, "/device/model", " ")
	f := control.finding with input as _with_plan(snap, _plan)
	f.status == "fail"
	contains(f.rationale, "spec.device.model is empty")
}

test_fail_snapshot_model_differs_from_plan if {
	snap := _replace(_snapshot, "/device/model", "L-150")
	f := control.finding with input as _with_plan(snap, _plan)
	f.status == "fail"
	contains(f.rationale, "spec.device.model is \"L-150\" but the plan foresaw model \"L-200\" for door d-1")
}

test_fail_snapshot_serial_differs_from_plan if {
	snap := _replace(_snapshot, "/device/serial_number", "SN-0999")
	f := control.finding with input as _with_plan(snap, _plan)
	f.status == "fail"
	contains(f.rationale, "serial_number is \"SN-0999\" but the plan names serial \"SN-0001\"")
}

test_fail_snapshot_door_not_in_plan if {
	snap := _replace(_snapshot, "/device/door_id", "d-9")
	f := control.finding with input as _with_plan(snap, _plan)
	f.status == "fail"
	contains(f.rationale, "door_id is \"d-9\" but none of the 2 devices in the plan")
}

test_fail_evidence_missing_serial_number if {
	f := control.finding with input as _with_plan(_remove(_snapshot, "/device/serial_number"), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.serial_number"]
}

test_fail_evidence_missing_model if {
	f := control.finding with input as _with_plan(_remove(_snapshot, "/device/model"), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.model"]
}

test_fail_evidence_missing_door_id if {
	f := control.finding with input as _with_plan(_remove(_snapshot, "/device/door_id"), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.door_id"]
}

test_fail_evidence_missing_plan_door_id if {
	f := control.finding with input as _with_plan(_snapshot, _remove(_plan, "/devices/0/door_id"))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.devices[0].door_id"]
}

test_fail_evidence_missing_plan_devices if {
	f := control.finding with input as _with_plan(_snapshot, {})
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.devices"]
}

test_fail_evidence_missing_planned_model if {
	f := control.finding with input as _with_plan(_snapshot, _remove(_plan, "/devices/1/planned_model"))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.devices[1].planned_model"]
}

test_fail_evidence_missing_plan_serial_number if {
	f := control.finding with input as _with_plan(_snapshot, _remove(_plan, "/devices/1/serial_number"))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.devices[1].serial_number"]
}

test_fail_evidence_missing_related_plan if {
	f := control.finding with input as test.snapshot(_snapshot)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_fail_evidence_missing_related_plan_still_shows_empty_serial if {
	f := control.finding with input as test.snapshot(_replace(_snapshot, "/device/serial_number", ""))
	f.status == "fail"
	f.missing == ["related.plan"]
}

# --- ProductSpec ---

test_pass_product_label_on_device if {
	f := control.finding with input as test.product({"product": {"model": "L-200", "model_label_location": "device_label"}})
	f.status == "pass"
	contains(f.rationale, "model_label_location is \"device_label\": the model designation \"L-200\" is recognisable")
}

test_pass_product_physical_interface_without_model_field if {
	f := control.finding with input as test.product({"product": {"model_label_location": "physical_interface"}})
	f.status == "pass"
}

test_fail_product_no_label if {
	f := control.finding with input as test.product({"product": {"model": "L-200", "model_label_location": "none"}})
	f.status == "fail"
	f.severity == "low"
	contains(f.rationale, "model_label_location is \"none\"")
}

test_fail_evidence_missing_model_label_location if {
	f := control.finding with input as test.product({"product": {"model": "L-200"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.product.model_label_location"]
}

# --- InstallPlan ---

_product := {"product": {"model": "L-200", "model_label_location": "device_label"}}

_plan_devices := {"devices": [
	{"door_id": "d-1", "planned_model": "L-200", "serial_number": null},
	{"door_id": "d-2", "planned_model": "L-200", "serial_number": "SN-2"},
]}

_with_product(plan, product) := test.linked(test.plan(plan), {"product": product})

test_pass_plan_models_match_product if {
	f := control.finding with input as _with_product(_plan_devices, _product)
	f.status == "pass"
	contains(f.rationale, "all 2 spec.devices[].planned_model are \"L-200\"")
}

test_fail_plan_model_differs_from_product if {
	plan := _replace(_plan_devices, "/devices/1/planned_model", "L-300")
	f := control.finding with input as _with_product(plan, _product)
	f.status == "fail"
	contains(f.rationale, "door d-2 plans model \"L-300\"")
	f.evidence == [{"path": "spec.devices[1].planned_model", "observed": "L-300", "expected": "L-200"}]
}

test_fail_plan_model_differs_device_without_door if {
	plan := json.patch(_plan_devices, [
		{"op": "replace", "path": "/devices/1/planned_model", "value": "L-300"},
		{"op": "remove", "path": "/devices/1/door_id"},
	])
	f := control.finding with input as _with_product(plan, _product)
	f.status == "fail"
	contains(f.rationale, "spec.devices[1] plans model \"L-300\"")
}

test_fail_evidence_missing_plan_planned_model if {
	f := control.finding with input as _with_product(_remove(_plan_devices, "/devices/0/planned_model"), _product)
	f.status == "insufficient_evidence"
	f.missing == ["spec.devices[0].planned_model"]
}

test_fail_evidence_missing_product_model if {
	f := control.finding with input as _with_product(_plan_devices, {"product": {}})
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.product.model"]
}

test_fail_evidence_missing_related_product if {
	f := control.finding with input as test.plan(_plan_devices)
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}
