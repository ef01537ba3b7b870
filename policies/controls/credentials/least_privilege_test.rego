package lockcheck.controls.credentials.least_privilege_test

import data.lockcheck.controls.credentials.least_privilege as control
import data.lockcheck.test

_good_snapshot := {"credentials": [
	{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "cloud_status": "active", "permissions": ["unlock", "lock", "manage_users", "manage_settings", "firmware_update", "view_logs"]},
	{"credential_id": "c-guest", "holder_id": "h-2", "role": "guest", "cloud_status": "active", "permissions": ["unlock", "lock"]},
	{"credential_id": "c-inst", "holder_id": "h-3", "role": "installer", "cloud_status": "active", "permissions": ["unlock", "lock", "view_logs"]},
	{"credential_id": "c-res", "holder_id": "h-4", "role": "resident", "cloud_status": "active", "permissions": ["unlock", "lock", "remote_unlock", "view_logs"]},
	{"credential_id": "c-old", "holder_id": "h-5", "role": "service", "cloud_status": "revoked", "permissions": ["manage_settings"]},
]}

_with(patch) := test.snapshot(json.patch(_good_snapshot, patch))

test_pass_snapshot_restricted_roles_limited if {
	f := control.finding with input as test.snapshot(_good_snapshot)
	f.status == "pass"
	contains(f.rationale, "credential c-guest (holder h-2) has role guest and permissions [\"lock\", \"unlock\"]")
	not contains(f.rationale, "c-owner")
}

test_pass_snapshot_no_restricted_credentials if {
	f := control.finding with input as test.snapshot({"credentials": [_good_snapshot.credentials[0]]})
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials")
}

test_fail_snapshot_guest_manages_users if {
	f := control.finding with input as _with([{"op": "add", "path": "/credentials/1/permissions/-", "value": "manage_users"}])
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "credential c-guest (holder h-2) has role guest but spec.credentials[1].permissions includes [\"manage_users\"]")
}

test_fail_snapshot_guest_views_logs if {
	f := control.finding with input as _with([{"op": "add", "path": "/credentials/1/permissions/-", "value": "view_logs"}])
	f.status == "fail"
	contains(f.rationale, "nor read the event log")
}

test_fail_snapshot_installer_keeps_admin_rights if {
	f := control.finding with input as _with([{"op": "add", "path": "/credentials/2/permissions/-", "value": "firmware_update"}])
	f.status == "fail"
	contains(f.rationale, "an installer must not keep management rights after commissioning")
	f.evidence[0].path == "spec.credentials[2].permissions"
}

test_fail_snapshot_service_changes_settings if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/4/cloud_status", "value": "active"}])
	f.status == "fail"
	contains(f.rationale, "a service credential must not manage users, settings or firmware")
}

test_fail_snapshot_resident_manages_users if {
	f := control.finding with input as _with([{"op": "add", "path": "/credentials/3/permissions/-", "value": "manage_users"}])
	f.status == "fail"
	contains(f.rationale, "c-res")
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as test.snapshot({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/4/cloud_status"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[4].cloud_status"]
}

test_fail_evidence_missing_role if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/0/role"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].role"]
}

test_fail_evidence_missing_permissions if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/1/permissions"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].permissions"]
}

test_pass_owner_permissions_not_required if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/0/permissions"}])
	f.status == "pass"
}

test_pass_product_role_based if {
	f := control.finding with input as test.product({"credentials_support": {"role_based_permissions": true}})
	f.status == "pass"
	contains(f.rationale, "role_based_permissions is true")
}

test_fail_product_no_role_based if {
	f := control.finding with input as test.product({"credentials_support": {"role_based_permissions": false}})
	f.status == "fail"
	contains(f.rationale, "role_based_permissions is false")
}

test_fail_evidence_missing_role_based_permissions if {
	f := control.finding with input as test.product({"credentials_support": {}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.role_based_permissions"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
