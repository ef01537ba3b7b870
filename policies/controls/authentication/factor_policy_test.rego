package lockcheck.controls.authentication.factor_policy_test

import data.lockcheck.controls.authentication.factor_policy as control
import data.lockcheck.test

_params := {"min_auth_factors_sensitive_actions": 2}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good := {"auth": {"factor_policy": [
	{"action": "unlock_local", "required_factors": ["possession_phone"], "min_factors": 1},
	{"action": "unlock_remote", "required_factors": ["possession_phone", "biometric"], "min_factors": 2},
	{"action": "add_credential", "required_factors": ["possession_phone", "knowledge_pin"], "min_factors": 2},
	{"action": "change_admin", "required_factors": ["possession_phone", "knowledge_pin"], "min_factors": 2},
	{"action": "change_settings", "required_factors": ["possession_phone"], "min_factors": 1},
	{"action": "firmware_update", "required_factors": ["possession_phone"], "min_factors": 1},
	{"action": "factory_reset", "required_factors": ["physical_presence"], "min_factors": 1},
]}}

_patch(ops) := json.patch(_good, ops)

test_pass_all_actions_defined if {
	f := _eval(test.product(_good))
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "defines factors for all 7 actions")
	contains(f.rationale, "(action unlock_remote) requires min_factors 2")
	contains(f.rationale, "(action factory_reset) requires physical_presence")
}

test_fail_action_missing if {
	f := _eval(test.product(_patch([{"op": "remove", "path": "/auth/factor_policy/5"}])))
	f.status == "fail"
	contains(f.rationale, "no entry for action firmware_update")
}

test_fail_empty_policy if {
	f := _eval(test.product({"auth": {"factor_policy": []}}))
	f.status == "fail"
	contains(f.rationale, "no entry for action unlock_local")
	contains(f.rationale, "no entry for action factory_reset")
}

test_fail_single_factor_remote_unlock if {
	f := _eval(test.product(_patch([{"op": "replace", "path": "/auth/factor_policy/1/min_factors", "value": 1}])))
	f.status == "fail"
	contains(f.rationale, "spec.auth.factor_policy[1] (action unlock_remote) has min_factors 1")
	f.evidence == [{"path": "spec.auth.factor_policy[1].min_factors", "observed": 1, "expected": ">= 2"}]
}

test_fail_single_factor_change_admin if {
	f := _eval(test.product(_patch([{"op": "replace", "path": "/auth/factor_policy/3/min_factors", "value": 1}])))
	f.status == "fail"
	contains(f.rationale, "(action change_admin) has min_factors 1")
}

test_fail_factory_reset_without_physical_presence if {
	f := _eval(test.product(_patch([{"op": "replace", "path": "/auth/factor_policy/6/required_factors", "value": ["possession_phone"]}])))
	f.status == "fail"
	contains(f.rationale, "(action factory_reset) requires [\"possession_phone\"], without physical_presence")
}

test_pass_threshold_from_params if {
	spec := _patch([{"op": "replace", "path": "/auth/factor_policy/1/min_factors", "value": 1}])
	f := control.finding with input as test.product(spec) with data.params as {"min_auth_factors_sensitive_actions": 1}
	f.status == "pass"
}

test_fail_evidence_missing_factor_policy if {
	f := _eval(test.product({"auth": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.factor_policy"]
}

test_fail_evidence_missing_action if {
	f := _eval(test.product(_patch([{"op": "remove", "path": "/auth/factor_policy/4/action"}])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.factor_policy[4].action"]
}

# an entry without its action could be the one that seems missing: not a fail
test_fail_evidence_missing_action_hides_coverage if {
	f := _eval(test.product(_patch([
		{"op": "remove", "path": "/auth/factor_policy/5"},
		{"op": "remove", "path": "/auth/factor_policy/4/action"},
	])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.factor_policy[4].action"]
}

test_fail_evidence_missing_min_factors if {
	f := _eval(test.product(_patch([{"op": "remove", "path": "/auth/factor_policy/2/min_factors"}])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.factor_policy[2].min_factors"]
}

test_pass_min_factors_not_needed_on_other_actions if {
	f := _eval(test.product(_patch([{"op": "remove", "path": "/auth/factor_policy/0/min_factors"}])))
	f.status == "pass"
}

test_fail_evidence_missing_required_factors if {
	f := _eval(test.product(_patch([{"op": "remove", "path": "/auth/factor_policy/6/required_factors"}])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.factor_policy[6].required_factors"]
}

test_fail_shown_violation_wins_over_missing if {
	f := _eval(test.product(_patch([
		{"op": "replace", "path": "/auth/factor_policy/1/min_factors", "value": 1},
		{"op": "remove", "path": "/auth/factor_policy/6/required_factors"},
	])))
	f.status == "fail"
	f.missing == ["spec.auth.factor_policy[6].required_factors"]
}

test_claims_do_not_satisfy if {
	f := _eval(test.product({"claims": {"etsi_en_303_645": true}}))
	f.status == "insufficient_evidence"
}

test_not_produced_for_snapshots_or_plans if {
	not _eval(test.snapshot(_good))
	not _eval(test.plan(_good))
}
