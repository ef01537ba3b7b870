package lockcheck.controls.resilience.mechanical_override_test

import data.lockcheck.controls.resilience.mechanical_override as control
import data.lockcheck.test

_good_plan := {
	"planned_install_date": "2026-12-01",
	"site": {"site_id": "s-1", "timezone": "Europe/London"},
	"mechanical": {"override_present": true, "key_holders": ["h-owner", "h-facilities"], "rekey_on_turnover": true, "last_rekeyed_at": "2026-11-02"},
	"occupancy": {"current_tenancy_id": "t-2", "current_tenancy_start": "2026-11-15T00:00:00Z", "previous_tenancy_end": "2026-11-01T12:00:00Z"},
}

_plan(ops) := test.plan(json.patch(_good_plan, ops))

# --- InstallPlan ---

test_pass_plan_override_controlled if {
	f := control.finding with input as test.plan(_good_plan)
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "spec.mechanical.key_holders lists 2 holder(s): h-owner, h-facilities")
	contains(f.rationale, "spec.mechanical.last_rekeyed_at is 2026-11-02, on or after the end of the previous tenancy (2026-11-01)")
}

test_pass_plan_rekeyed_on_the_day_the_tenancy_ended if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/mechanical/last_rekeyed_at", "value": "2026-11-01"}])
	f.status == "pass"
}

test_pass_plan_no_previous_tenancy if {
	f := control.finding with input as _plan([
		{"op": "replace", "path": "/occupancy/previous_tenancy_end", "value": null},
		{"op": "replace", "path": "/mechanical/last_rekeyed_at", "value": null},
	])
	f.status == "pass"
	contains(f.rationale, "previous_tenancy_end is null")
}

test_pass_plan_rekey_date_not_needed_without_previous_tenancy if {
	f := control.finding with input as _plan([
		{"op": "replace", "path": "/occupancy/previous_tenancy_end", "value": null},
		{"op": "remove", "path": "/mechanical/last_rekeyed_at"},
	])
	f.status == "pass"
}

test_fail_plan_no_key_holders if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/mechanical/key_holders", "value": []}])
	f.status == "fail"
	contains(f.rationale, "spec.mechanical.key_holders is empty")
}

test_fail_plan_no_rekey_on_turnover if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/mechanical/rekey_on_turnover", "value": false}])
	f.status == "fail"
	contains(f.rationale, "spec.mechanical.rekey_on_turnover is false")
}

test_fail_plan_rekeyed_before_tenancy_end if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/mechanical/last_rekeyed_at", "value": "2026-10-15"}])
	f.status == "fail"
	contains(f.rationale, "spec.mechanical.last_rekeyed_at is 2026-10-15, before the previous tenancy ended on 2026-11-01")
	f.evidence == [{"path": "spec.mechanical.last_rekeyed_at", "observed": "2026-10-15", "expected": ">= 2026-11-01"}]
}

test_fail_plan_never_rekeyed if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/mechanical/last_rekeyed_at", "value": null}])
	f.status == "fail"
	contains(f.rationale, "spec.mechanical.last_rekeyed_at is null but the previous tenancy ended 2026-11-01")
}

# the tenancy end is read as a date in the site's zone: 23:30Z on 31 March
# is already 1 April in London (BST)
test_fail_plan_tenancy_end_date_in_site_zone if {
	f := control.finding with input as _plan([
		{"op": "replace", "path": "/occupancy/previous_tenancy_end", "value": "2026-03-31T23:30:00Z"},
		{"op": "replace", "path": "/mechanical/last_rekeyed_at", "value": "2026-03-31"},
	])
	f.status == "fail"
	contains(f.rationale, "before the previous tenancy ended on 2026-04-01")
}

test_pass_plan_no_override_product_has_emergency_power if {
	inp := test.linked(test.plan({"mechanical": {"override_present": false}}), {"product": {"power": {"emergency_power_input": "terminal_9v"}}})
	f := control.finding with input as inp
	f.status == "pass"
	contains(f.rationale, "the product's power.emergency_power_input is terminal_9v")
}

test_fail_plan_no_override_no_emergency_power if {
	inp := test.linked(test.plan({"mechanical": {"override_present": false}}), {"product": {"power": {"emergency_power_input": "none"}}})
	f := control.finding with input as inp
	f.status == "fail"
	contains(f.rationale, "override_present is false and the product's power.emergency_power_input is none")
}

test_fail_evidence_missing_product if {
	f := control.finding with input as test.plan({"mechanical": {"override_present": false}})
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}

test_fail_evidence_missing_emergency_power_input if {
	inp := test.linked(test.plan({"mechanical": {"override_present": false}}), {"product": {"power": {}}})
	f := control.finding with input as inp
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.power.emergency_power_input"]
}

test_fail_evidence_missing_override_present if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/mechanical/override_present"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.override_present"]
}

test_fail_evidence_missing_key_holders if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/mechanical/key_holders"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.key_holders"]
}

test_fail_evidence_missing_rekey_on_turnover if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/mechanical/rekey_on_turnover"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.rekey_on_turnover"]
}

test_fail_evidence_missing_last_rekeyed_at if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/mechanical/last_rekeyed_at"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.last_rekeyed_at"]
}

test_fail_evidence_missing_previous_tenancy_end if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/occupancy/previous_tenancy_end"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.occupancy.previous_tenancy_end"]
}

# --- ProductSpec ---

test_pass_product_rekeyable_cylinder if {
	f := control.finding with input as test.product({"mechanical": {"override": "keyed_cylinder", "cylinder_rekeyable": true}})
	f.status == "pass"
	contains(f.rationale, "cylinder_rekeyable is true")
}

# catalogue §1.1: with no override the control passes (RES-002 covers a dead battery)
test_pass_product_no_override if {
	f := control.finding with input as test.product({"mechanical": {"override": "none"}})
	f.status == "pass"
	contains(f.rationale, "spec.mechanical.override is none")
}

test_fail_product_cylinder_not_rekeyable if {
	f := control.finding with input as test.product({"mechanical": {"override": "keyed_cylinder", "cylinder_rekeyable": false}})
	f.status == "fail"
	contains(f.rationale, "cylinder_rekeyable is false")
}

test_fail_evidence_missing_override if {
	f := control.finding with input as test.product({"mechanical": {}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.override"]
}

test_fail_evidence_missing_cylinder_rekeyable if {
	f := control.finding with input as test.product({"mechanical": {"override": "keyed_cylinder"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.cylinder_rekeyable"]
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good_plan)
}
