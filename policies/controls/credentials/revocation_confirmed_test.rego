package lockcheck.controls.credentials.revocation_confirmed_test

import data.lockcheck.controls.credentials.revocation_confirmed as control
import data.lockcheck.test

_params := {"max_revocation_latency_h": 24}

_f(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good_snapshot := {
	"captured_at": "2025-06-03T10:00:00Z",
	"device": {"timezone": "Europe/London", "connectivity": "online"},
	"credentials": [
		{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "cloud_status": "active", "revoked_at": null, "revocation_confirmed_by_device_at": null},
		{"credential_id": "r-1", "holder_id": "h-2", "role": "resident", "cloud_status": "revoked", "revoked_at": "2025-06-01T10:00:00Z", "revocation_confirmed_by_device_at": "2025-06-01T10:05:00Z"},
		{"credential_id": "r-2", "holder_id": "h-3", "role": "guest", "cloud_status": "revoked", "revoked_at": "2025-06-03T06:00:00Z", "revocation_confirmed_by_device_at": null},
	],
	"device_sync": {"last_sync_at": "2025-06-03T09:00:00Z", "last_synced_credential_ids": ["c-owner"]},
}

_with(patch) := test.snapshot(json.patch(_good_snapshot, patch))

test_pass_snapshot_revocations_confirmed_or_pending if {
	f := _f(test.snapshot(_good_snapshot))
	f.status == "pass"
	contains(f.rationale, "credential r-1 (holder h-2): revocation confirmed by the lock at 2025-06-01T10:05:00Z, 5 min after revoked_at 2025-06-01T10:00:00Z (budget 24 h)")
	f.warnings == ["credential r-2 (holder h-3): revocation pending, 20 h left (revoked_at 2025-06-03T06:00:00Z, not yet confirmed by the lock at captured_at 2025-06-03T10:00:00Z; budget 24 h)."]
	contains(f.rationale, "revocation pending, 20 h left")
}

test_pass_snapshot_nothing_revoked_needs_no_sync if {
	f := _f(test.snapshot({"credentials": [_good_snapshot.credentials[0]]}))
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials in spec.credentials is revoked")
}

test_fail_snapshot_still_held_after_post_revocation_sync if {
	f := _f(_with([{"op": "add", "path": "/device_sync/last_synced_credential_ids/-", "value": "r-2"}]))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "credential r-2 (holder h-3) was revoked at 2025-06-03T06:00:00Z, but the lock still held it at its last sync at 2025-06-03T09:00:00Z")
	f.evidence[0].path == "spec.device_sync.last_synced_credential_ids"
	f.warnings == []
}

test_fail_snapshot_confirmed_late if {
	f := _f(_with([{"op": "replace", "path": "/credentials/1/revocation_confirmed_by_device_at", "value": "2025-06-02T12:00:00Z"}]))
	f.status == "fail"
	contains(f.rationale, "the lock confirmed the revocation of credential r-1 (holder h-2) only 1 day 2 h after revoked_at 2025-06-01T10:00:00Z")
	contains(f.rationale, "more than the 24 h budget")
}

test_pass_snapshot_confirmed_at_the_budget if {
	f := _f(_with([{"op": "replace", "path": "/credentials/1/revocation_confirmed_by_device_at", "value": "2025-06-02T10:00:00Z"}]))
	f.status == "pass"
}

test_pass_snapshot_plan_override_allows_longer_latency if {
	inp := test.linked(_with([{"op": "replace", "path": "/credentials/1/revocation_confirmed_by_device_at", "value": "2025-06-02T12:00:00Z"}]), {"plan": {"policy_overrides": {"max_revocation_latency_h": 48}}})
	f := _f(inp)
	f.status == "pass"
	contains(f.rationale, "budget 48 h")
}

test_fail_snapshot_unconfirmed_beyond_budget if {
	f := _f(_with([{"op": "replace", "path": "/credentials/1/revocation_confirmed_by_device_at", "value": null}]))
	f.status == "fail"
	contains(f.rationale, "credential r-1 (holder h-2) was revoked at 2025-06-01T10:00:00Z, 2 days before captured_at 2025-06-03T10:00:00Z, and the lock has not confirmed it (revocation_confirmed_by_device_at: null)")
}

# Edge case 4: revoked in the cloud, the lock's last sync predates the
# revocation and still lists the credential, nothing confirmed by the lock.
_edge4(captured_at) := test.snapshot({
	"captured_at": captured_at,
	"credentials": [{"credential_id": "t-7", "holder_id": "h-7", "role": "resident", "cloud_status": "revoked", "revoked_at": "2025-06-01T10:00:00Z", "revocation_confirmed_by_device_at": null}],
	"device_sync": {"last_sync_at": "2025-05-30T08:00:00Z", "last_synced_credential_ids": ["t-7"]},
})

test_edge_case_4_revoked_in_cloud_still_on_lock_fail if {
	f := _f(_edge4("2025-06-03T10:00:00Z"))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "credential t-7 (holder h-7) was revoked at 2025-06-01T10:00:00Z, 2 days before captured_at")
	contains(f.rationale, "the lock last synced at 2025-05-30T08:00:00Z")
}

test_edge_case_4_within_budget_is_pending_with_warning if {
	f := _f(_edge4("2025-06-01T12:00:00Z"))
	f.status == "pass"
	f.warnings == ["credential t-7 (holder h-7): revocation pending, 22 h left (revoked_at 2025-06-01T10:00:00Z, not yet confirmed by the lock at captured_at 2025-06-01T12:00:00Z; budget 24 h)."]
}

# Edge case 7: offline lock, last sync 9 days before capture, a tenant
# credential revoked 3 days ago: the cloud inventory being right is irrelevant.
test_edge_case_7_offline_lock_stale_list_fail if {
	f := _f(test.snapshot({
		"captured_at": "2025-06-10T12:00:00Z",
		"device": {"connectivity": "offline"},
		"credentials": [
			{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "cloud_status": "active"},
			{"credential_id": "t-1", "holder_id": "h-2", "role": "resident", "cloud_status": "revoked", "revoked_at": "2025-06-07T12:00:00Z", "revocation_confirmed_by_device_at": null},
		],
		"device_sync": {"last_sync_at": "2025-06-01T12:00:00Z", "last_synced_credential_ids": ["c-owner", "t-1"]},
	}))
	f.status == "fail"
	contains(f.rationale, "credential t-1 (holder h-2) was revoked at 2025-06-07T12:00:00Z, 3 days before captured_at")
}

test_fail_evidence_missing_captured_at if {
	f := _f(test.snapshot(object.remove(_good_snapshot, ["captured_at"])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_fail_evidence_missing_credentials if {
	f := _f(test.snapshot(object.remove(_good_snapshot, ["credentials"])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := _f(_with([{"op": "remove", "path": "/credentials/0/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].cloud_status"]
}

test_fail_evidence_missing_credential_id if {
	f := _f(_with([{"op": "remove", "path": "/credentials/2/credential_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].credential_id"]
}

test_fail_evidence_missing_revoked_at if {
	f := _f(_with([{"op": "remove", "path": "/credentials/1/revoked_at"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].revoked_at"]
}

test_fail_evidence_null_revoked_at_on_revoked_credential if {
	f := _f(_with([{"op": "replace", "path": "/credentials/1/revoked_at", "value": null}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].revoked_at"]
}

test_fail_evidence_missing_revocation_confirmed_by_device_at if {
	f := _f(_with([{"op": "remove", "path": "/credentials/1/revocation_confirmed_by_device_at"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].revocation_confirmed_by_device_at"]
}

test_fail_evidence_missing_last_sync_at if {
	f := _f(_with([{"op": "remove", "path": "/device_sync/last_sync_at"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.last_sync_at"]
}

test_fail_evidence_missing_last_synced_credential_ids if {
	f := _f(_with([{"op": "remove", "path": "/device_sync/last_synced_credential_ids"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.last_synced_credential_ids"]
}

# --- ProductSpec ---

test_pass_product_remote_invalidation if {
	f := _f(test.product({"credentials_support": {"remote_invalidation": true, "invalidation_max_latency_s": 60}}))
	f.status == "pass"
	contains(f.rationale, "remote_invalidation is true (declared invalidation_max_latency_s: 60)")
}

test_fail_product_no_remote_invalidation if {
	f := _f(test.product({"credentials_support": {"remote_invalidation": false}}))
	f.status == "fail"
	contains(f.rationale, "remote_invalidation is false")
}

test_fail_evidence_missing_remote_invalidation if {
	f := _f(test.product({"credentials_support": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.remote_invalidation"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
