package lockcheck.controls.enrollment.ownership_transfer_test

import data.lockcheck.controls.enrollment.ownership_transfer as control
import data.lockcheck.test

_replace(doc, path, value) := json.patch(doc, [{"op": "replace", "path": path, "value": value}])

_remove(doc, path) := json.patch(doc, [{"op": "remove", "path": path}])

# --- ProductSpec ---

_good_product := {"ownership_transfer": {
	"documented": true,
	"procedure_url": "https://vendor.example/transfer",
	"revokes_all_credentials": true,
	"requires_cloud_unbind": true,
	"wipes_user_data": true,
}}

test_pass_product_transfer_documented if {
	f := control.finding with input as test.product(_good_product)
	f.status == "pass"
	contains(f.rationale, "procedure_url is \"https://vendor.example/transfer\"")
	contains(f.rationale, "revokes_all_credentials is true")
}

test_fail_product_not_documented if {
	f := control.finding with input as test.product(_replace(_good_product, "/ownership_transfer/documented", false))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "ownership_transfer.documented is false")
}

test_fail_product_no_procedure_url if {
	f := control.finding with input as test.product(_replace(_good_product, "/ownership_transfer/procedure_url", ""))
	f.status == "fail"
	contains(f.rationale, "procedure_url is empty")
}

test_fail_product_keeps_credentials if {
	f := control.finding with input as test.product(_replace(_good_product, "/ownership_transfer/revokes_all_credentials", false))
	f.status == "fail"
	contains(f.rationale, "revokes_all_credentials is false")
}

test_fail_product_no_cloud_unbind if {
	f := control.finding with input as test.product(_replace(_good_product, "/ownership_transfer/requires_cloud_unbind", false))
	f.status == "fail"
	contains(f.rationale, "requires_cloud_unbind is false")
}

test_fail_product_keeps_user_data if {
	f := control.finding with input as test.product(_replace(_good_product, "/ownership_transfer/wipes_user_data", false))
	f.status == "fail"
	contains(f.rationale, "wipes_user_data is false")
}

test_fail_evidence_missing_documented if {
	f := control.finding with input as test.product(_remove(_good_product, "/ownership_transfer/documented"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership_transfer.documented"]
}

test_fail_evidence_missing_procedure_url if {
	f := control.finding with input as test.product(_remove(_good_product, "/ownership_transfer/procedure_url"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership_transfer.procedure_url"]
}

test_fail_evidence_missing_revokes_all_credentials if {
	f := control.finding with input as test.product(_remove(_good_product, "/ownership_transfer/revokes_all_credentials"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership_transfer.revokes_all_credentials"]
}

test_fail_evidence_missing_requires_cloud_unbind if {
	f := control.finding with input as test.product(_remove(_good_product, "/ownership_transfer/requires_cloud_unbind"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership_transfer.requires_cloud_unbind"]
}

test_fail_evidence_missing_wipes_user_data if {
	f := control.finding with input as test.product(_remove(_good_product, "/ownership_transfer/wipes_user_data"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership_transfer.wipes_user_data"]
}

test_fail_product_claims_do_not_substitute if {
	f := control.finding with input as test.product({"ownership_transfer": {}, "claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
	count(f.missing) == 5
}

# --- InstallPlan ---

_existing_plan := {"transfer_plan": {"existing_device": true, "factory_reset_scheduled": true, "cloud_unbind_scheduled": true}}

test_pass_plan_new_device if {
	f := control.finding with input as test.plan({"transfer_plan": {"existing_device": false}})
	f.status == "pass"
	contains(f.rationale, "existing_device is false")
}

test_pass_plan_existing_device_reset_and_unbind_scheduled if {
	f := control.finding with input as test.plan(_existing_plan)
	f.status == "pass"
	contains(f.rationale, "factory_reset_scheduled is true")
	contains(f.rationale, "cloud_unbind_scheduled is true")
}

test_fail_plan_existing_device_no_reset if {
	f := control.finding with input as test.plan(_replace(_existing_plan, "/transfer_plan/factory_reset_scheduled", false))
	f.status == "fail"
	contains(f.rationale, "factory_reset_scheduled is false")
}

test_fail_plan_existing_device_no_unbind if {
	f := control.finding with input as test.plan(_replace(_existing_plan, "/transfer_plan/cloud_unbind_scheduled", false))
	f.status == "fail"
	contains(f.rationale, "cloud_unbind_scheduled is false")
}

test_fail_evidence_missing_existing_device if {
	f := control.finding with input as test.plan({"transfer_plan": {}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.transfer_plan.existing_device"]
}

test_fail_evidence_missing_factory_reset_scheduled if {
	f := control.finding with input as test.plan(_remove(_existing_plan, "/transfer_plan/factory_reset_scheduled"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.transfer_plan.factory_reset_scheduled"]
}

test_fail_evidence_missing_cloud_unbind_scheduled if {
	f := control.finding with input as test.plan(_remove(_existing_plan, "/transfer_plan/cloud_unbind_scheduled"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.transfer_plan.cloud_unbind_scheduled"]
}

# --- LockSnapshot ---

_transferred := {
	"captured_at": "2026-11-20T10:00:00Z",
	"ownership": {
		"last_transfer_at": "2026-06-01T09:00:00Z",
		"factory_reset_at": "2026-06-01T08:30:00Z",
		"previous_owner_unbound_confirmed": true,
	},
	"credentials": [
		{"credential_id": "c-new", "holder_id": "h-new", "kind": "app_key", "cloud_status": "active", "created_at": "2026-06-01T09:00:00Z"},
		{"credential_id": "c-old", "holder_id": "h-old", "kind": "keypad_pin", "cloud_status": "revoked", "created_at": "2025-01-01T00:00:00Z"},
		{"credential_id": "k-1", "holder_id": "h-new", "kind": "mechanical_key", "cloud_status": "active", "created_at": "2024-01-01T00:00:00Z"},
	],
}

test_pass_snapshot_no_transfer if {
	spec := {"ownership": {"last_transfer_at": null}}
	f := control.finding with input as test.snapshot(spec)
	f.status == "pass"
	contains(f.rationale, "last_transfer_at is null")
}

test_pass_snapshot_transfer_executed if {
	f := control.finding with input as test.snapshot(_transferred)
	f.status == "pass"
	contains(f.rationale, "previous_owner_unbound_confirmed is true")
	contains(f.rationale, "all 1 active credentials (mechanical keys aside)")
	f.warnings == []
}

test_pass_snapshot_transfer_without_reset_warns if {
	f := control.finding with input as test.snapshot(_replace(_transferred, "/ownership/factory_reset_at", null))
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.warnings[0], "factory_reset_at is null")
}

test_fail_snapshot_previous_owner_not_unbound if {
	f := control.finding with input as test.snapshot(_replace(_transferred, "/ownership/previous_owner_unbound_confirmed", false))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "previous_owner_unbound_confirmed is false")
}

test_fail_snapshot_unbind_unconfirmed_null if {
	f := control.finding with input as test.snapshot(_replace(_transferred, "/ownership/previous_owner_unbound_confirmed", null))
	f.status == "fail"
	contains(f.rationale, "previous_owner_unbound_confirmed is null")
}

test_fail_snapshot_old_credential_still_active if {
	f := control.finding with input as test.snapshot(_replace(_transferred, "/credentials/1/cloud_status", "active"))
	f.status == "fail"
	contains(f.rationale, "credential c-old (holder h-old) is active but was created at 2025-01-01T00:00:00Z")
	f.evidence == [{"path": "spec.credentials[1].created_at", "observed": "2025-01-01T00:00:00Z", "expected": ">= 2026-06-01T09:00:00Z"}]
}

test_fail_snapshot_old_credential_compared_as_instants if {
	# 10:30+02:00 is 08:30Z, before the 09:00Z transfer
	f := control.finding with input as test.snapshot(_replace(_transferred, "/credentials/0/created_at", "2026-06-01T10:30:00+02:00"))
	f.status == "fail"
	contains(f.rationale, "credential c-new")
}

test_fail_evidence_missing_last_transfer_at if {
	f := control.finding with input as test.snapshot(_remove(_transferred, "/ownership/last_transfer_at"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership.last_transfer_at"]
}

test_fail_evidence_missing_previous_owner_unbound_confirmed if {
	f := control.finding with input as test.snapshot(_remove(_transferred, "/ownership/previous_owner_unbound_confirmed"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.ownership.previous_owner_unbound_confirmed"]
}

test_fail_evidence_missing_cloud_status if {
	f := control.finding with input as test.snapshot(_remove(_transferred, "/credentials/1/cloud_status"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].cloud_status"]
}

test_fail_evidence_missing_kind if {
	f := control.finding with input as test.snapshot(_remove(_transferred, "/credentials/2/kind"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].kind"]
}

test_fail_evidence_missing_created_at if {
	f := control.finding with input as test.snapshot(_remove(_transferred, "/credentials/0/created_at"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].created_at"]
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as test.snapshot(object.remove(_transferred, ["credentials"]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_pass_snapshot_created_at_not_needed_on_revoked_or_mechanical if {
	spec := json.patch(_transferred, [
		{"op": "remove", "path": "/credentials/2/created_at"},
		{"op": "remove", "path": "/credentials/1/created_at"},
	])
	f := control.finding with input as test.snapshot(spec)
	f.status == "pass"
}

test_pass_snapshot_no_transfer_needs_nothing_else if {
	f := control.finding with input as test.snapshot({"ownership": {"last_transfer_at": null}, "credentials": [{"credential_id": "c-1"}]})
	f.status == "pass"
	f.missing == []
}
