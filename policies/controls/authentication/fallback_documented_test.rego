package lockcheck.controls.authentication.fallback_documented_test

import data.lockcheck.controls.authentication.fallback_documented as control
import data.lockcheck.test

_scenarios := ["phone_lost", "battery_depleted", "factory_reset", "account_locked_out", "device_replaced", "cloud_outage", "network_outage"]

_good_product := {"auth": {"fallback": [{"scenario": s, "method": "see manual", "documented": true, "requires_on_site": false} | some s in _scenarios]}}

_prod(ops) := test.product(json.patch(_good_product, ops))

test_pass_product_all_documented if {
	f := control.finding with input as test.product(_good_product)
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "documents all 7 scenarios")
	contains(f.rationale, "spec.auth.fallback[0] (scenario phone_lost) is documented")
}

test_fail_product_scenario_missing if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/auth/fallback/6"}])
	f.status == "fail"
	contains(f.rationale, "no entry for scenario network_outage")
}

test_fail_product_scenario_undocumented if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/auth/fallback/1/documented", "value": false}])
	f.status == "fail"
	contains(f.rationale, "spec.auth.fallback[1] (scenario battery_depleted) has documented: false")
}

test_fail_product_empty_list if {
	f := control.finding with input as test.product({"auth": {"fallback": []}})
	f.status == "fail"
	contains(f.rationale, "no entry for scenario cloud_outage")
}

test_fail_evidence_missing_fallback if {
	f := control.finding with input as test.product({"auth": {}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.fallback"]
}

test_fail_evidence_missing_scenario if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/auth/fallback/2/scenario"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.fallback[2].scenario"]
}

test_fail_evidence_missing_documented if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/auth/fallback/3/documented"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.fallback[3].documented"]
}

# --- InstallPlan ---

_good_plan := {"fallback_plan": {s: {"procedure_ref": concat("", ["SOP-", s]), "responsible_role": "facilities"} | some s in _scenarios}}

_plan(ops) := test.plan(json.patch(_good_plan, ops))

test_pass_plan_every_scenario_mapped if {
	f := control.finding with input as test.plan(_good_plan)
	f.status == "pass"
	contains(f.rationale, "spec.fallback_plan.phone_lost has procedure \"SOP-phone_lost\", responsible role facilities")
}

# an absent scenario key is missing evidence, not a fail (catalogue §1.1, 2026-12-04)
test_fail_evidence_missing_scenario if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/fallback_plan/cloud_outage"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.fallback_plan.cloud_outage"]
	contains(f.rationale, "Not evidenced: spec.fallback_plan.cloud_outage is absent")
}

# an unmapped scenario does not hide a violation shown by another
test_fail_plan_scenario_unmapped_and_another_empty if {
	f := control.finding with input as _plan([
		{"op": "remove", "path": "/fallback_plan/cloud_outage"},
		{"op": "replace", "path": "/fallback_plan/phone_lost/procedure_ref", "value": ""},
	])
	f.status == "fail"
	f.missing == ["spec.fallback_plan.cloud_outage"]
	contains(f.rationale, "spec.fallback_plan.phone_lost.procedure_ref is empty")
}

test_fail_plan_empty_procedure if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/fallback_plan/phone_lost/procedure_ref", "value": " "}])
	f.status == "fail"
	contains(f.rationale, "spec.fallback_plan.phone_lost.procedure_ref is empty")
}

test_fail_evidence_empty_map if {
	f := control.finding with input as test.plan({"fallback_plan": {}})
	f.status == "insufficient_evidence"
	count(f.missing) == 7
	"spec.fallback_plan.factory_reset" in f.missing
}

test_fail_evidence_missing_fallback_plan if {
	f := control.finding with input as test.plan({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.fallback_plan"]
}

test_fail_evidence_missing_procedure_ref if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/fallback_plan/device_replaced/procedure_ref"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.fallback_plan.device_replaced.procedure_ref"]
}

test_fail_evidence_missing_responsible_role if {
	f := control.finding with input as _plan([{"op": "remove", "path": "/fallback_plan/network_outage/responsible_role"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.fallback_plan.network_outage.responsible_role"]
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good_plan)
}

test_fail_plan_null_responsible_role if {
	f := control.finding with input as _plan([{"op": "replace", "path": "/fallback_plan/factory_reset/responsible_role", "value": null}])
	f.status == "fail"
	contains(f.rationale, "spec.fallback_plan.factory_reset.responsible_role is empty: the scenario has no responsible role")
}
