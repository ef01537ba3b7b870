package lockcheck.controls.communications.remote_unlock_test

import data.lockcheck.controls.communications.remote_unlock as control
import data.lockcheck.test

_on := {"remote_unlock": {"enabled": true, "requires_step_up": true, "notifies_owner": true}}

_plan_requires := {"requirements": {"remote_unlock_required": true}}

_plan_forbids := {"requirements": {"remote_unlock_required": false}}

_snap(spec, plan) := test.linked(test.snapshot(spec), {"plan": plan})

_with(field, value) := json.patch(_on, [{"op": "replace", "path": concat("/", ["", "remote_unlock", field]), "value": value}])

_without(field) := json.patch(_on, [{"op": "remove", "path": concat("/", ["", "remote_unlock", field])}])

test_pass_snapshot_enabled_required_with_step_up_and_notification if {
	f := control.finding with input as _snap(_on, _plan_requires)
	f.status == "pass"
	contains(f.rationale, "the installation plan requires it")
	count(f.evidence) == 3
}

test_pass_snapshot_disabled if {
	f := control.finding with input as _snap({"remote_unlock": {"enabled": false}}, _plan_forbids)
	f.status == "pass"
	contains(f.rationale, "spec.remote_unlock.enabled is false")
}

test_pass_snapshot_disabled_needs_no_plan if {
	f := control.finding with input as test.snapshot({"remote_unlock": {"enabled": false}})
	f.status == "pass"
	f.missing == []
}

test_fail_snapshot_enabled_but_plan_does_not_require_it if {
	f := control.finding with input as _snap(_on, _plan_forbids)
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.remote_unlock.enabled is true but the installation plan does not require remote unlock")
}

test_fail_snapshot_no_step_up if {
	f := control.finding with input as _snap(_with("requires_step_up", false), _plan_requires)
	f.status == "fail"
	contains(f.rationale, "spec.remote_unlock.requires_step_up is false")
}

test_fail_snapshot_owner_not_notified if {
	f := control.finding with input as _snap(_with("notifies_owner", false), _plan_requires)
	f.status == "fail"
	contains(f.rationale, "spec.remote_unlock.notifies_owner is false")
}

test_fail_evidence_missing_enabled if {
	f := control.finding with input as _snap({"remote_unlock": {"requires_step_up": true, "notifies_owner": true}}, _plan_requires)
	f.status == "insufficient_evidence"
	f.missing == ["spec.remote_unlock.enabled"]
}

test_fail_evidence_missing_requires_step_up if {
	f := control.finding with input as _snap(_without("requires_step_up"), _plan_requires)
	f.status == "insufficient_evidence"
	f.missing == ["spec.remote_unlock.requires_step_up"]
}

test_fail_evidence_missing_notifies_owner if {
	f := control.finding with input as _snap(_without("notifies_owner"), _plan_requires)
	f.status == "insufficient_evidence"
	f.missing == ["spec.remote_unlock.notifies_owner"]
}

test_fail_evidence_missing_remote_unlock_required if {
	f := control.finding with input as _snap(_on, {"requirements": {}})
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.requirements.remote_unlock_required"]
}

test_fail_evidence_missing_plan_unresolved if {
	f := control.finding with input as test.snapshot(_on)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_fail_unresolved_plan_does_not_hide_a_violation if {
	f := control.finding with input as test.snapshot(_with("notifies_owner", false))
	f.status == "fail"
	f.missing == ["related.plan"]
}

# --- ProductSpec ---

test_pass_product_can_be_disabled if {
	f := control.finding with input as test.product({"remote_unlock": {"supported": true, "can_be_disabled": true}})
	f.status == "pass"
	contains(f.rationale, "spec.remote_unlock.can_be_disabled is true")
}

test_fail_product_cannot_be_disabled if {
	f := control.finding with input as test.product({"remote_unlock": {"supported": true, "can_be_disabled": false}})
	f.status == "fail"
	contains(f.rationale, "spec.remote_unlock.can_be_disabled is false")
}

test_na_product_without_remote_unlock if {
	f := control.finding with input as test.product({"remote_unlock": {"supported": false}})
	f.status == "not_applicable"
	contains(f.rationale, "spec.remote_unlock.supported is false")
}

test_fail_evidence_missing_can_be_disabled if {
	f := control.finding with input as test.product({"remote_unlock": {"supported": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.remote_unlock.can_be_disabled"]
}

test_fail_evidence_missing_product_remote_unlock if {
	f := control.finding with input as test.product({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.remote_unlock.can_be_disabled"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan(_plan_requires)
}
