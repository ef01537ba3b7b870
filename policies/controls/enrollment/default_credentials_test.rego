package lockcheck.controls.enrollment.default_credentials_test

import data.lockcheck.controls.enrollment.default_credentials as control

_run := {"now": "2026-11-25T00:00:00Z"}

_snapshot(spec) := {"document": {"kind": "LockSnapshot", "metadata": {"name": "lock-1"}, "spec": spec}, "related": {}, "run": _run}

_product(spec) := {"document": {"kind": "ProductSpec", "metadata": {"name": "p-1"}, "spec": spec}, "related": {}, "run": _run}

_good_snapshot := {
	"enrollment": {"default_credential_active": false},
	"credentials": [
		{"credential_id": "c-1", "holder_id": "h-1", "is_factory_default": false, "cloud_status": "active"},
		{"credential_id": "c-0", "holder_id": "factory", "is_factory_default": true, "cloud_status": "revoked"},
	],
}

test_pass_snapshot_no_default_active if {
	f := control.finding with input as _snapshot(_good_snapshot)
	f.status == "pass"
	contains(f.rationale, "default_credential_active is false")
}

test_fail_snapshot_default_flag_active if {
	f := control.finding with input as _snapshot(json.patch(_good_snapshot, [{"op": "replace", "path": "/enrollment/default_credential_active", "value": true}]))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "default_credential_active is true")
}

test_fail_snapshot_factory_credential_still_active if {
	f := control.finding with input as _snapshot(json.patch(_good_snapshot, [{"op": "replace", "path": "/credentials/1/cloud_status", "value": "active"}]))
	f.status == "fail"
	contains(f.rationale, "credential c-0 (holder factory)")
}

test_fail_evidence_missing_default_credential_active if {
	f := control.finding with input as _snapshot(object.remove(_good_snapshot, ["enrollment"]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.default_credential_active"]
}

test_fail_evidence_missing_is_factory_default if {
	f := control.finding with input as _snapshot(json.patch(_good_snapshot, [{"op": "remove", "path": "/credentials/0/is_factory_default"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].is_factory_default"]
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as _snapshot(object.remove(_good_snapshot, ["credentials"]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := control.finding with input as _snapshot(json.patch(_good_snapshot, [{"op": "remove", "path": "/credentials/1/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].cloud_status"]
}

_good_product := {"security": {"default_password_policy": "unique_per_device", "unique_password_derivation": "random_per_device"}}

test_pass_product_unique_random if {
	f := control.finding with input as _product(_good_product)
	f.status == "pass"
}

test_pass_product_user_defined_needs_no_derivation if {
	f := control.finding with input as _product({"security": {"default_password_policy": "user_defined_at_setup"}})
	f.status == "pass"
}

test_fail_product_universal_password if {
	f := control.finding with input as _product({"security": {"default_password_policy": "universal"}})
	f.status == "fail"
	contains(f.rationale, "\"universal\"")
}

test_fail_product_serial_derived_password if {
	f := control.finding with input as _product({"security": {"default_password_policy": "unique_per_device", "unique_password_derivation": "plain_identifier"}})
	f.status == "fail"
}

test_fail_evidence_missing_password_policy if {
	f := control.finding with input as _product({"security": {}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.security.default_password_policy"]
}

test_fail_evidence_missing_derivation if {
	f := control.finding with input as _product({"security": {"default_password_policy": "unique_per_device"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.security.unique_password_derivation"]
}

test_not_produced_for_plans if {
	not control.finding with input as {"document": {"kind": "InstallPlan", "metadata": {"name": "x"}, "spec": {}}, "related": {}, "run": _run}
}
