package lockcheck.controls.communications.auto_unlock_relay_test

import data.lockcheck.controls.communications.auto_unlock_relay as control
import data.lockcheck.test

_on := {"auto_unlock": {"enabled": true, "relay_mitigation": "uwb_distance_bounding"}}

_allows := {"requirements": {"auto_unlock_allowed": true}}

_forbids := {"requirements": {"auto_unlock_allowed": false}}

_snap(spec, plan) := test.linked(test.snapshot(spec), {"plan": plan})

test_pass_enabled_allowed_and_mitigated if {
	f := control.finding with input as _snap(_on, _allows)
	f.status == "pass"
	contains(f.rationale, "spec.auto_unlock.relay_mitigation is \"uwb_distance_bounding\"")
}

test_pass_user_confirmation if {
	f := control.finding with input as _snap({"auto_unlock": {"enabled": true, "relay_mitigation": "user_confirmation"}}, _allows)
	f.status == "pass"
}

test_pass_disabled_needs_no_plan if {
	f := control.finding with input as test.snapshot({"auto_unlock": {"enabled": false, "relay_mitigation": "none"}})
	f.status == "pass"
	contains(f.rationale, "spec.auto_unlock.enabled is false")
}

test_fail_enabled_but_plan_does_not_allow_it if {
	f := control.finding with input as _snap(_on, _forbids)
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "plan requirements.auto_unlock_allowed is false")
}

test_fail_no_relay_mitigation if {
	f := control.finding with input as _snap({"auto_unlock": {"enabled": true, "relay_mitigation": "none"}}, _allows)
	f.status == "fail"
	contains(f.rationale, "spec.auto_unlock.relay_mitigation is \"none\"")
	f.evidence == [{"path": "spec.auto_unlock.relay_mitigation", "observed": "none", "expected": ["user_confirmation", "uwb_distance_bounding"]}]
}

test_fail_evidence_missing_enabled if {
	f := control.finding with input as _snap({"auto_unlock": {"relay_mitigation": "none"}}, _allows)
	f.status == "insufficient_evidence"
	f.missing == ["spec.auto_unlock.enabled"]
}

test_fail_evidence_missing_relay_mitigation if {
	f := control.finding with input as _snap({"auto_unlock": {"enabled": true}}, _allows)
	f.status == "insufficient_evidence"
	f.missing == ["spec.auto_unlock.relay_mitigation"]
}

test_fail_evidence_missing_auto_unlock_allowed if {
	f := control.finding with input as _snap(_on, {"requirements": {}})
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.requirements.auto_unlock_allowed"]
}

test_fail_evidence_missing_plan_unresolved if {
	f := control.finding with input as test.snapshot(_on)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_not_produced_for_specs_or_plans if {
	not control.finding with input as test.product(_on)
	not control.finding with input as test.plan(_allows)
}
