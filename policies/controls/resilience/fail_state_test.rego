package lockcheck.controls.resilience.fail_state_test

import data.lockcheck.controls.resilience.fail_state as control
import data.lockcheck.test

_good_product := {"power": {"fail_state": "fail_secure", "retains_credentials_on_power_loss": true, "clock_resync_after_power_loss": true}}

_prod(ops) := test.product(json.patch(_good_product, ops))

# --- ProductSpec ---

test_pass_product if {
	f := control.finding with input as test.product(_good_product)
	f.status == "pass"
	f.severity == "medium"
	contains(f.rationale, "spec.power.fail_state is fail_secure")
}

test_pass_product_any_declared_fail_state if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/power/fail_state", "value": "retains_last_state"}])
	f.status == "pass"
}

test_fail_product_loses_credentials if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/power/retains_credentials_on_power_loss", "value": false}])
	f.status == "fail"
	contains(f.rationale, "spec.power.retains_credentials_on_power_loss is false")
}

test_fail_product_no_clock_resync if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/power/clock_resync_after_power_loss", "value": false}])
	f.status == "fail"
	contains(f.rationale, "spec.power.clock_resync_after_power_loss is false")
}

test_fail_evidence_missing_fail_state if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/power/fail_state"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.fail_state"]
}

test_fail_evidence_missing_retains_credentials_on_power_loss if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/power/retains_credentials_on_power_loss"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.retains_credentials_on_power_loss"]
}

test_fail_evidence_missing_clock_resync_after_power_loss if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/power/clock_resync_after_power_loss"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.power.clock_resync_after_power_loss"]
}

# --- InstallPlan ---

_good_plan := {"devices": [
	{"door_id": "front", "planned_model": "L1", "egress_door": true, "free_egress_inside": true},
	{"door_id": "store", "planned_model": "L1", "egress_door": false},
]}

_plan(ops) := test.plan(json.patch(_good_plan, ops))

test_pass_plan_egress_door_free_inside if {
	f := control.finding with input as test.plan(_good_plan)
	f.status == "pass"
	contains(f.rationale, "door front (spec.devices[0]) is an egress door with free_egress_inside true")
}

test_pass_plan_no_egress_doors if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/devices/0"}])
	f.status == "pass"
	contains(f.rationale, "none of the 1 doors in spec.devices is an egress door")
}

test_fail_plan_egress_door_without_free_egress if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/devices/0/free_egress_inside", "value": false}])
	f.status == "fail"
	contains(f.rationale, "door front (spec.devices[0]) is an egress door but free_egress_inside is false")
	f.evidence == [{"path": "spec.devices[0].free_egress_inside", "observed": false, "expected": true}]
}

test_fail_evidence_missing_devices if {
	f := control.finding with input as test.plan({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.devices"]
}

test_fail_evidence_missing_egress_door if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/devices/1/egress_door"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.devices[1].egress_door"]
}

test_fail_evidence_missing_free_egress_inside if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/devices/0/free_egress_inside"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.devices[0].free_egress_inside"]
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good_product)
}
