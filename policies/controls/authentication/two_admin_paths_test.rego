package lockcheck.controls.authentication.two_admin_paths_test

import data.lockcheck.controls.authentication.two_admin_paths as control
import data.lockcheck.test

_params := {"min_admin_access_kinds": 2, "min_backup_admin_count": 1}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good_snapshot := {"credentials": [
	{"credential_id": "c-1", "holder_id": "h-owner", "role": "owner", "kind": "app_key", "cloud_status": "active"},
	{"credential_id": "c-2", "holder_id": "h-owner", "role": "owner", "kind": "fob", "cloud_status": "active"},
	{"credential_id": "c-3", "holder_id": "h-guest", "role": "guest", "kind": "keypad_pin", "cloud_status": "active"},
	{"credential_id": "c-4", "holder_id": "h-admin", "role": "admin", "kind": "nfc_card", "cloud_status": "revoked"},
]}

_plan_for_snapshot := {
	"access_plan": {"backup_admin_count": 1},
	"mechanical": {"override_present": true, "key_holders": []},
}

_snap(ops) := test.linked(test.snapshot(json.patch(_good_snapshot, ops)), {"plan": _plan_for_snapshot})

_snap_with_plan(plan_spec) := test.linked(test.snapshot(_good_snapshot), {"plan": plan_spec})

# --- LockSnapshot ---

test_pass_snapshot_phone_and_fob_with_backup_admin if {
	f := _eval(_snap([]))
	f.status == "pass"
	f.severity == "medium"
	contains(f.rationale, "give 2 independent means of access (fob, phone)")
	contains(f.rationale, "plan:spec.access_plan.backup_admin_count is 1")
}

test_fail_snapshot_phone_borne_kinds_count_once if {
	f := _eval(_snap([
		{"op": "replace", "path": "/credentials/1/kind", "value": "ble_key"},
		{"op": "add", "path": "/credentials/-", "value": {"credential_id": "c-5", "holder_id": "h-owner", "role": "admin", "kind": "remote_cloud", "cloud_status": "active"}},
	]))
	f.status == "fail"
	contains(f.rationale, "give 1 independent means of access (app_key c-1, ble_key c-2, remote_cloud c-5; phone-borne kinds count once)")
}

test_fail_snapshot_revoked_and_guest_credentials_do_not_count if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/1"}]))
	f.status == "fail"
	contains(f.rationale, "give 1 independent means of access (app_key c-1")
}

test_fail_snapshot_no_admin_credentials if {
	f := _eval(test.linked(test.snapshot({"credentials": []}), {"plan": _plan_for_snapshot}))
	f.status == "fail"
	contains(f.rationale, "give 0 independent means of access (none")
}

test_fail_snapshot_no_backup_admin_no_key_holder if {
	f := _eval(_snap_with_plan(json.patch(_plan_for_snapshot, [{"op": "replace", "path": "/access_plan/backup_admin_count", "value": 0}])))
	f.status == "fail"
	contains(f.rationale, "plan:spec.access_plan.backup_admin_count is 0 and plan:spec.mechanical.key_holders is empty")
}

test_pass_snapshot_mechanical_key_holder_instead_of_backup_admin if {
	f := _eval(_snap_with_plan({"access_plan": {"backup_admin_count": 0}, "mechanical": {"key_holders": ["h-owner"]}}))
	f.status == "pass"
	contains(f.rationale, "plan:spec.access_plan.backup_admin_count is 0 but plan:spec.mechanical.key_holders lists 1 mechanical key holder(s)")
}

test_pass_snapshot_key_holders_not_needed_with_backup_admin if {
	f := _eval(_snap_with_plan({"access_plan": {"backup_admin_count": 2}}))
	f.status == "pass"
}

# the first arm of the OR is always read
test_fail_evidence_missing_backup_admin_count_with_key_holder if {
	f := _eval(_snap_with_plan({"mechanical": {"key_holders": ["h-1"]}}))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.access_plan.backup_admin_count"]
}

test_fail_evidence_missing_plan if {
	f := _eval(test.snapshot(_good_snapshot))
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_fail_evidence_missing_backup_admin_count if {
	f := _eval(_snap_with_plan({"mechanical": {"key_holders": []}}))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.access_plan.backup_admin_count"]
}

test_fail_evidence_missing_key_holders if {
	f := _eval(_snap_with_plan({"access_plan": {"backup_admin_count": 0}}))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.mechanical.key_holders"]
}

test_fail_evidence_missing_credentials if {
	f := _eval(test.linked(test.snapshot({}), {"plan": _plan_for_snapshot}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

# role and kind are needed only where they could supply the second means
# (catalogue §1.1, 2026-12-04)
test_pass_role_not_needed_with_two_means if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/2/role"}]))
	f.status == "pass"
	f.missing == []
}

test_pass_kind_not_needed_on_inactive_or_non_admin if {
	f := _eval(_snap([
		{"op": "remove", "path": "/credentials/3/kind"},
		{"op": "remove", "path": "/credentials/2/kind"},
	]))
	f.status == "pass"
	f.missing == []
}

# one means shown; the credential without a role could be an admin with a
# second kind
test_fail_evidence_missing_role if {
	f := _eval(_snap([
		{"op": "remove", "path": "/credentials/1"},
		{"op": "remove", "path": "/credentials/1/role"},
	]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].role"]
}

# a role-less credential of a kind already counted cannot supply the second means
test_fail_snapshot_missing_role_same_kind_cannot_help if {
	f := _eval(_snap([
		{"op": "remove", "path": "/credentials/1"},
		{"op": "replace", "path": "/credentials/1/kind", "value": "ble_key"},
		{"op": "remove", "path": "/credentials/1/role"},
	]))
	f.status == "fail"
	f.missing == []
	contains(f.rationale, "give 1 independent means of access (app_key c-1")
}

test_fail_evidence_missing_kind if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/1/kind"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].kind"]
}

test_fail_evidence_missing_role_and_kind if {
	f := _eval(_snap([
		{"op": "remove", "path": "/credentials/1"},
		{"op": "remove", "path": "/credentials/1/role"},
		{"op": "remove", "path": "/credentials/1/kind"},
	]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].kind", "spec.credentials[1].role"]
}

# an unknown status on an owner credential of a new kind: not a fail either
test_fail_evidence_missing_cloud_status_could_supply if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/1/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].cloud_status"]
}

test_fail_evidence_missing_cloud_status if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/3/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[3].cloud_status"]
}

# --- InstallPlan ---

_good_plan := {
	"access_plan": {
		"credentials": [
			{"holder_id": "h-owner", "role": "owner", "kind": "app_key"},
			{"holder_id": "h-owner", "role": "owner", "kind": "keypad_pin"},
			{"holder_id": "h-guest", "role": "guest", "kind": "fob"},
		],
		"backup_admin_count": 0,
	},
	"mechanical": {"override_present": true, "key_holders": ["h-owner"]},
}

_plan(ops) := test.plan(json.patch(_good_plan, ops))

# a plan is judged on its second path only (catalogue §1.1, 2026-12-04)
test_pass_plan if {
	f := _eval(test.plan(_good_plan))
	f.status == "pass"
	not contains(f.rationale, "independent means")
	contains(f.rationale, "spec.access_plan.backup_admin_count is 0 but spec.mechanical.key_holders lists 1")
}

test_pass_plan_one_kind_is_not_judged if {
	f := _eval(_plan([{"op": "replace", "path": "/access_plan/credentials/1/kind", "value": "ble_key"}]))
	f.status == "pass"
}

test_fail_plan_no_second_path if {
	f := _eval(_plan([{"op": "replace", "path": "/mechanical/key_holders", "value": []}]))
	f.status == "fail"
	contains(f.rationale, "spec.access_plan.backup_admin_count is 0 and spec.mechanical.key_holders is empty")
}

test_pass_plan_credentials_not_needed if {
	f := _eval(_plan([{"op": "remove", "path": "/access_plan/credentials"}]))
	f.status == "pass"
	f.missing == []
}

test_fail_plan_evidence_missing_key_holders if {
	f := _eval(_plan([{"op": "remove", "path": "/mechanical/key_holders"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.mechanical.key_holders"]
}

test_fail_plan_evidence_missing_backup_admin_count if {
	f := _eval(test.plan({"access_plan": {"credentials": _good_plan.access_plan.credentials}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.backup_admin_count"]
}

test_not_produced_for_products if {
	not _eval(test.product(_good_plan))
}
