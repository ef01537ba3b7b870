package lockcheck.controls.credentials.tenant_turnover_test

import data.lockcheck.controls.credentials.tenant_turnover as control
import data.lockcheck.test

_plan := {"occupancy": {"current_tenancy_id": "t-2", "current_tenancy_start": "2025-05-01T00:00:00Z", "previous_tenancy_end": "2025-04-30T12:00:00Z"}}

_good_snapshot := {
	"captured_at": "2025-06-01T00:00:00Z",
	"credentials": [
		{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "kind": "app_key", "tenancy_id": null, "cloud_status": "active", "created_at": "2024-01-01T00:00:00Z"},
		{"credential_id": "pm-1", "holder_id": "h-pm", "role": "property_manager", "kind": "keypad_pin", "tenancy_id": "t-1", "cloud_status": "active", "created_at": "2025-04-30T15:00:00Z"},
		{"credential_id": "r-new", "holder_id": "h-2", "role": "resident", "kind": "keypad_pin", "tenancy_id": "t-2", "cloud_status": "active", "created_at": "2025-05-01T09:00:00Z"},
		{"credential_id": "r-old", "holder_id": "h-3", "role": "resident", "kind": "app_key", "tenancy_id": "t-1", "cloud_status": "revoked", "created_at": "2024-02-01T00:00:00Z"},
		{"credential_id": "g-old", "holder_id": "h-4", "role": "guest", "kind": "keypad_pin", "tenancy_id": null, "cloud_status": "expired", "created_at": "2024-03-01T00:00:00Z"},
	],
}

_run(spec, plan) := f if {
	f := control.finding with input as test.linked(test.snapshot(spec), {"plan": plan})
}

_with(patch) := _run(json.patch(_good_snapshot, patch), _plan)

test_pass_turnover_done if {
	f := _with([])
	f.status == "pass"
	contains(f.rationale, "credential r-new (holder h-2), role resident, belongs to the current tenancy t-2")
	contains(f.rationale, "credential pm-1 (holder h-pm), role property_manager, may outlive a tenancy (tenancy_id t-1)")
	contains(f.rationale, "is a keypad_pin created at 2025-05-01T09:00:00Z, at or after the previous tenancy ended at 2025-04-30T12:00:00Z")
	not contains(f.rationale, "r-old")
}

test_fail_previous_tenancy_credential_active if {
	f := _with([{"op": "replace", "path": "/credentials/3/cloud_status", "value": "active"}])
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "credential r-old (holder h-3), role resident, belongs to tenancy t-1, not the current tenancy t-2")
	f.evidence[0].path == "spec.credentials[3].tenancy_id"
}

test_fail_active_credential_without_tenancy if {
	f := _with([{"op": "replace", "path": "/credentials/2/tenancy_id", "value": null}])
	f.status == "fail"
	contains(f.rationale, "credential r-new (holder h-2), role resident, is active with no tenancy (spec.credentials[2].tenancy_id is null)")
}

test_pass_inactive_credential_without_tenancy_is_not_judged if {
	f := _with([])
	f.status == "pass"
	not contains(f.rationale, "g-old")
}

test_fail_pin_not_rotated if {
	f := _with([{"op": "replace", "path": "/credentials/2/created_at", "value": "2025-04-20T00:00:00Z"}])
	f.status == "fail"
	contains(f.rationale, "is an active keypad_pin created at 2025-04-20T00:00:00Z, before the previous tenancy ended at 2025-04-30T12:00:00Z")
	f.evidence[0].path == "spec.credentials[2].created_at"
}

test_fail_owner_offline_pin_not_rotated if {
	f := _with([
		{"op": "replace", "path": "/credentials/0/kind", "value": "offline_algorithmic_pin"},
		{"op": "replace", "path": "/credentials/0/created_at", "value": "2025-01-01T00:00:00Z"},
	])
	f.status == "fail"
	contains(f.rationale, "credential c-owner (holder h-1), role owner, is an active offline_algorithmic_pin")
}

test_pass_no_previous_tenancy if {
	f := _run(json.patch(_good_snapshot, [{"op": "replace", "path": "/credentials/2/created_at", "value": "2025-04-20T00:00:00Z"}]), json.patch(_plan, [{"op": "replace", "path": "/occupancy/previous_tenancy_end", "value": null}]))
	f.status == "pass"
	contains(f.rationale, "previous_tenancy_end is null")
}

test_pass_tenancy_not_started if {
	f := _run(
		json.patch(_good_snapshot, [
			{"op": "replace", "path": "/captured_at", "value": "2025-04-15T00:00:00Z"},
			{"op": "replace", "path": "/credentials/3/cloud_status", "value": "active"},
		]),
		_plan,
	)
	f.status == "pass"
	contains(f.rationale, "captured_at 2025-04-15T00:00:00Z is before the current tenancy starts at 2025-05-01T00:00:00Z")
}

test_pass_tenancy_not_started_needs_no_credentials if {
	f := _run({"captured_at": "2025-04-15T00:00:00Z"}, _plan)
	f.status == "pass"
}

test_fail_evidence_unresolved_plan if {
	f := control.finding with input as test.snapshot(_good_snapshot)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_fail_evidence_missing_captured_at if {
	f := _run(object.remove(_good_snapshot, ["captured_at"]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_fail_evidence_missing_current_tenancy_id if {
	f := _run(_good_snapshot, json.patch(_plan, [{"op": "remove", "path": "/occupancy/current_tenancy_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.occupancy.current_tenancy_id"]
}

test_fail_evidence_missing_current_tenancy_start if {
	f := _run(_good_snapshot, json.patch(_plan, [{"op": "remove", "path": "/occupancy/current_tenancy_start"}]))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.occupancy.current_tenancy_start"]
}

test_fail_evidence_missing_previous_tenancy_end if {
	f := _run(_good_snapshot, json.patch(_plan, [{"op": "remove", "path": "/occupancy/previous_tenancy_end"}]))
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.occupancy.previous_tenancy_end"]
}

test_fail_evidence_missing_credentials if {
	f := _run(object.remove(_good_snapshot, ["credentials"]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := _with([{"op": "remove", "path": "/credentials/4/cloud_status"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[4].cloud_status"]
}

test_fail_evidence_missing_role if {
	f := _with([{"op": "remove", "path": "/credentials/3/role"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[3].role"]
}

test_fail_evidence_missing_kind if {
	f := _with([{"op": "remove", "path": "/credentials/3/kind"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[3].kind"]
}

test_fail_evidence_missing_tenancy_id if {
	f := _with([{"op": "remove", "path": "/credentials/0/tenancy_id"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].tenancy_id"]
}

test_fail_evidence_missing_created_at if {
	f := _with([{"op": "remove", "path": "/credentials/2/created_at"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].created_at"]
}

test_not_produced_for_plans_or_products if {
	not control.finding with input as test.plan(_plan)
	not control.finding with input as test.product({})
}
