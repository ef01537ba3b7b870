package lockcheck.controls.credentials.attributable_holders_test

import data.lockcheck.controls.credentials.attributable_holders as control
import data.lockcheck.test

_good_snapshot := {"credentials": [
	{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "kind": "app_key", "cloud_status": "active"},
	{"credential_id": "c-guest", "holder_id": "h-2", "role": "guest", "kind": "keypad_pin", "cloud_status": "active"},
	{"credential_id": "c-old", "holder_id": "", "role": "guest", "kind": "keypad_pin", "cloud_status": "revoked"},
]}

_plan := {"access_plan": {"shared_holder_ids": ["household"], "credentials": []}}

_snap(spec) := test.linked(test.snapshot(spec), {"plan": _plan})

test_pass_snapshot_all_active_named if {
	f := control.finding with input as _snap(_good_snapshot)
	f.status == "pass"
	contains(f.rationale, "credential c-owner (holder h-1) is active with holder_id h-1 and role owner")
	contains(f.rationale, "shared_holder_ids")
}

test_pass_snapshot_revoked_without_holder_is_not_judged if {
	f := control.finding with input as _snap(_good_snapshot)
	f.status == "pass"
	not contains(f.rationale, "c-old")
}

test_pass_snapshot_no_active_credentials if {
	f := control.finding with input as test.snapshot({"credentials": [{"credential_id": "c-1", "cloud_status": "revoked"}]})
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials")
}

test_fail_snapshot_empty_holder if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "replace", "path": "/credentials/1/holder_id", "value": ""}]))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "credential c-guest (holder unknown) is active but spec.credentials[1].holder_id is empty")
}

# the criterion reads holder_id and role only (catalogue §1.1, 2026-12-04)
test_pass_snapshot_empty_credential_id_not_judged if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "replace", "path": "/credentials/1/credential_id", "value": ""}]))
	f.status == "pass"
	contains(f.rationale, "credential spec.credentials[1] (holder h-2) is active with holder_id h-2 and role guest")
}

test_fail_snapshot_shared_holder_is_admin if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "replace", "path": "/credentials/0/holder_id", "value": "household"}]))
	f.status == "fail"
	contains(f.rationale, "has role owner but holder household is a shared holder")
	f.evidence[0].path == "spec.credentials[0].holder_id"
}

test_pass_snapshot_shared_holder_as_resident if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "replace", "path": "/credentials/1/holder_id", "value": "household"}]))
	f.status == "pass"
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as _snap({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "remove", "path": "/credentials/2/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].cloud_status"]
}

# credential_id is not needed: its absence is no missing evidence
test_pass_snapshot_credential_id_absent if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "remove", "path": "/credentials/1/credential_id"}]))
	f.status == "pass"
	f.missing == []
}

test_fail_snapshot_credential_id_absent_holder_empty if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [
		{"op": "remove", "path": "/credentials/1/credential_id"},
		{"op": "replace", "path": "/credentials/1/holder_id", "value": ""},
	]))
	f.status == "fail"
	f.missing == []
}

test_fail_evidence_missing_holder_id if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "remove", "path": "/credentials/1/holder_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].holder_id"]
}

test_fail_evidence_missing_role if {
	f := control.finding with input as _snap(json.patch(_good_snapshot, [{"op": "remove", "path": "/credentials/1/role"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].role"]
}

test_fail_evidence_missing_shared_holder_ids if {
	inp := test.linked(test.snapshot(_good_snapshot), {"plan": {"access_plan": {}}})
	f := control.finding with input as inp
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.access_plan.shared_holder_ids"]
}

test_fail_evidence_unresolved_plan if {
	f := control.finding with input as test.snapshot(_good_snapshot)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_pass_snapshot_no_admin_needs_no_plan if {
	f := control.finding with input as test.snapshot({"credentials": [_good_snapshot.credentials[1]]})
	f.status == "pass"
}

# --- InstallPlan ---

_good_plan := {"access_plan": {
	"shared_holder_ids": ["household"],
	"credentials": [
		{"holder_id": "h-1", "role": "owner", "kind": "app_key"},
		{"holder_id": "household", "role": "resident", "kind": "keypad_pin"},
	],
}}

test_pass_plan_all_named if {
	f := control.finding with input as test.plan(_good_plan)
	f.status == "pass"
	contains(f.rationale, "spec.access_plan.credentials[0] names holder_id h-1 with role owner")
}

test_pass_plan_no_credentials if {
	f := control.finding with input as test.plan({"access_plan": {"credentials": []}})
	f.status == "pass"
	contains(f.rationale, "issues no credential")
}

test_fail_plan_empty_holder if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "replace", "path": "/access_plan/credentials/1/holder_id", "value": ""}]))
	f.status == "fail"
	contains(f.rationale, "spec.access_plan.credentials[1] (role resident) has an empty holder_id")
}

test_fail_plan_shared_holder_is_admin if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "replace", "path": "/access_plan/credentials/1/role", "value": "admin"}]))
	f.status == "fail"
	contains(f.rationale, "gives role admin to holder household")
}

test_fail_evidence_missing_plan_credentials if {
	f := control.finding with input as test.plan({"access_plan": {"shared_holder_ids": []}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials"]
}

test_fail_evidence_missing_plan_holder_id if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/access_plan/credentials/0/holder_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials[0].holder_id"]
}

test_fail_evidence_missing_plan_role if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/access_plan/credentials/1/role"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials[1].role"]
}

test_fail_evidence_missing_plan_shared_holder_ids if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/access_plan/shared_holder_ids"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.shared_holder_ids"]
}

test_not_produced_for_products if {
	not control.finding with input as test.product({})
}
