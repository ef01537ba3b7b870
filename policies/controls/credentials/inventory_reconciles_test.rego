package lockcheck.controls.credentials.inventory_reconciles_test

import data.lockcheck.controls.credentials.inventory_reconciles as control
import data.lockcheck.test

_good_snapshot := {
	"credentials": [
		{"credential_id": "c-owner", "holder_id": "h-1", "cloud_status": "active"},
		{"credential_id": "g-1", "holder_id": "h-2", "cloud_status": "active"},
		{"credential_id": "r-1", "holder_id": "h-3", "cloud_status": "revoked"},
	],
	"device_sync": {"last_sync_at": "2025-06-01T00:00:00Z", "last_synced_credential_ids": ["c-owner", "g-1", "r-1"], "device_local_only_ids": []},
}

_with(patch) := test.snapshot(json.patch(_good_snapshot, patch))

test_pass_inventories_reconcile if {
	f := control.finding with input as _with([])
	f.status == "pass"
	contains(f.rationale, "all 3 credential ids the lock reported")
	contains(f.rationale, "device_local_only_ids is empty")
}

test_pass_revoked_history_counts_as_known if {
	f := control.finding with input as _with([])
	f.status == "pass"
}

test_fail_unknown_id_on_lock if {
	f := control.finding with input as _with([{"op": "add", "path": "/device_sync/last_synced_credential_ids/-", "value": "x-99"}])
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "the lock holds credential id x-99")
}

test_fail_device_local_only_credential if {
	f := control.finding with input as _with([{"op": "add", "path": "/device_sync/device_local_only_ids/-", "value": "kp-3"}])
	f.status == "fail"
	contains(f.rationale, "keypad-local credential kp-3")
	f.evidence[0].path == "spec.device_sync.device_local_only_ids"
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as test.snapshot(object.remove(_good_snapshot, ["credentials"]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_credential_id if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/2/credential_id"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].credential_id"]
}

test_fail_evidence_missing_last_synced_credential_ids if {
	f := control.finding with input as _with([{"op": "remove", "path": "/device_sync/last_synced_credential_ids"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.last_synced_credential_ids"]
}

test_fail_evidence_missing_device_local_only_ids if {
	f := control.finding with input as _with([{"op": "remove", "path": "/device_sync/device_local_only_ids"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.device_local_only_ids"]
}

test_not_produced_for_products_or_plans if {
	not control.finding with input as test.product({})
	not control.finding with input as test.plan({})
}
