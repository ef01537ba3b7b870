package lockcheck.controls.enrollment.owner_of_record_test

import data.lockcheck.controls.enrollment.owner_of_record as control
import data.lockcheck.test

_snapshot := {"ownership": {"cloud_owner_account_id": "acct-A", "local_admin_ids": ["acct-A", "acct-PM"]}}

_plan := {"ownership": {"owner_of_record_id": "acct-A", "authorized_admin_ids": ["acct-PM"]}}

_linked(snap, plan) := test.linked(test.snapshot(snap), {"plan": plan})

test_pass_owner_and_admins_match_plan if {
	f := control.finding with input as _linked(_snapshot, _plan)
	f.status == "pass"
	contains(f.rationale, "cloud_owner_account_id is \"acct-A\", the owner of record in plan plan-1")
	contains(f.rationale, "every one of the 2 spec.ownership.local_admin_ids")
}

test_pass_no_local_admins if {
	snap := json.patch(_snapshot, [{"op": "replace", "path": "/ownership/local_admin_ids", "value": []}])
	f := control.finding with input as _linked(snap, _plan)
	f.status == "pass"
}

test_fail_cloud_owner_differs if {
	snap := json.patch(_snapshot, [{"op": "replace", "path": "/ownership/cloud_owner_account_id", "value": "acct-installer"}])
	f := control.finding with input as _linked(snap, _plan)
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "cloud_owner_account_id is \"acct-installer\" but the owner of record in plan plan-1 is \"acct-A\"")
}

test_fail_unauthorized_local_admin if {
	snap := json.patch(_snapshot, [{"op": "add", "path": "/ownership/local_admin_ids/-", "value": "acct-old-owner"}])
	f := control.finding with input as _linked(snap, _plan)
	f.status == "fail"
	contains(f.rationale, "local admin \"acct-old-owner\"")
	f.evidence == [{"path": "spec.ownership.local_admin_ids[2]", "observed": "acct-old-owner", "expected": ["acct-A", "acct-PM"]}]
}

test_fail_plan_without_owner_of_record if {
	snap := json.patch(_snapshot, [
		{"op": "replace", "path": "/ownership/cloud_owner_account_id", "value": ""},
		{"op": "replace", "path": "/ownership/local_admin_ids", "value": []},
	])
	plan := json.patch(_plan, [{"op": "replace", "path": "/ownership/owner_of_record_id", "value": ""}])
	f := control.finding with input as _linked(snap, plan)
	f.status == "fail"
	contains(f.rationale, "names no owner of record")
}

# edge case 6: each principal is valid on its own, but the local admin is not
# the cloud owner / owner of record -> fail (critical)
test_edge_case_6_conflicting_local_admin_and_cloud_owner if {
	snap := {"ownership": {"cloud_owner_account_id": "acct-A", "local_admin_ids": ["acct-B"]}}
	plan := {"ownership": {"owner_of_record_id": "acct-A", "authorized_admin_ids": []}}
	f := control.finding with input as _linked(snap, plan)
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "local admin \"acct-B\"")
}

test_fail_evidence_missing_cloud_owner_account_id if {
	snap := json.patch(_snapshot, [{"op": "remove", "path": "/ownership/cloud_owner_account_id"}])
	f := control.finding with input as _linked(snap, _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership.cloud_owner_account_id"]
}

test_fail_evidence_missing_local_admin_ids if {
	snap := json.patch(_snapshot, [{"op": "remove", "path": "/ownership/local_admin_ids"}])
	f := control.finding with input as _linked(snap, _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership.local_admin_ids"]
}

test_fail_evidence_missing_owner_of_record_id if {
	plan := json.patch(_plan, [{"op": "remove", "path": "/ownership/owner_of_record_id"}])
	f := control.finding with input as _linked(_snapshot, plan)
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.ownership.owner_of_record_id"]
}

# without the authorized list an unknown local admin is not shown to be unauthorized
test_fail_evidence_missing_authorized_admin_ids if {
	plan := json.patch(_plan, [{"op": "remove", "path": "/ownership/authorized_admin_ids"}])
	f := control.finding with input as _linked(_snapshot, plan)
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.ownership.authorized_admin_ids"]
}

test_fail_evidence_missing_related_plan if {
	f := control.finding with input as test.snapshot(_snapshot)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_fail_evidence_missing_related_plan_with_unknown_admin if {
	snap := {"ownership": {"cloud_owner_account_id": "acct-A", "local_admin_ids": ["acct-B"]}}
	f := control.finding with input as test.snapshot(snap)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_not_produced_for_specs_and_plans if {
	not control.finding with input as test.product({})
	not control.finding with input as test.plan(_plan)
}
