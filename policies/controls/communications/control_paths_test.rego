package lockcheck.controls.communications.control_paths_test

import data.lockcheck.controls.communications.control_paths as control
import data.lockcheck.test

_params := {"max_sync_staleness_h": 24}

# --- ProductSpec ---

_good_product := {"control_paths": {"conflict_policy": "cloud_priority", "local_admin_changes_require_auth": true}}

test_pass_product if {
	f := control.finding with input as test.product(_good_product)
	f.status == "pass"
	contains(f.rationale, "spec.control_paths.conflict_policy is \"cloud_priority\"")
}

test_fail_product_undefined_conflict_policy if {
	f := control.finding with input as test.product({"control_paths": {"conflict_policy": "undefined", "local_admin_changes_require_auth": true}})
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "spec.control_paths.conflict_policy is \"undefined\"")
}

test_fail_product_local_admin_without_auth if {
	f := control.finding with input as test.product({"control_paths": {"conflict_policy": "local_priority", "local_admin_changes_require_auth": false}})
	f.status == "fail"
	contains(f.rationale, "local_admin_changes_require_auth is false")
}

test_fail_evidence_missing_conflict_policy if {
	f := control.finding with input as test.product({"control_paths": {"local_admin_changes_require_auth": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.control_paths.conflict_policy"]
}

test_fail_evidence_missing_local_admin_changes_require_auth if {
	f := control.finding with input as test.product({"control_paths": {"conflict_policy": "last_writer_wins"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.control_paths.local_admin_changes_require_auth"]
}

# --- LockSnapshot ---

_in_sync := {
	"captured_at": "2026-11-20T12:00:00Z",
	"device_sync": {
		"config_hash_device": "sha256:aaa",
		"config_hash_cloud": "sha256:aaa",
		"pending_local_changes_count": 0,
		"last_sync_at": "2026-11-20T06:00:00Z",
	},
}

_pending := json.patch(_in_sync, [
	{"op": "replace", "path": "/device_sync/config_hash_device", "value": "sha256:bbb"},
	{"op": "replace", "path": "/device_sync/pending_local_changes_count", "value": 2},
])

_snap(spec) := test.snapshot(spec)

test_pass_snapshot_hashes_equal if {
	f := control.finding with input as _snap(_in_sync) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "config_hash_device equals config_hash_cloud")
}

test_pass_snapshot_hashes_equal_needs_nothing_else if {
	f := control.finding with input as _snap({"device_sync": {"config_hash_device": "x", "config_hash_cloud": "x"}}) with data.params as _params
	f.status == "pass"
	f.missing == []
}

test_pass_snapshot_pending_changes_recent_sync if {
	f := control.finding with input as _snap(_pending) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "2 local changes are pending and the last sync (spec.device_sync.last_sync_at 2026-11-20T06:00:00Z) was 6 h before captured_at, within max_sync_staleness_h 24")
}

test_pass_snapshot_pending_at_the_limit if {
	f := control.finding with input as _snap(json.patch(_pending, [{"op": "replace", "path": "/device_sync/last_sync_at", "value": "2026-11-19T12:00:00Z"}])) with data.params as _params
	f.status == "pass"
}

test_fail_snapshot_hashes_differ_nothing_pending if {
	f := control.finding with input as _snap(json.patch(_in_sync, [{"op": "replace", "path": "/device_sync/config_hash_cloud", "value": "sha256:ccc"}])) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "config_hash_device differs from config_hash_cloud and pending_local_changes_count is 0")
}

test_fail_snapshot_pending_but_stale if {
	f := control.finding with input as _snap(json.patch(_pending, [{"op": "replace", "path": "/device_sync/last_sync_at", "value": "2026-11-19T11:00:00Z"}])) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "was 25 h before captured_at, more than max_sync_staleness_h 24")
}

test_pass_plan_override_widens_staleness if {
	stale := json.patch(_pending, [{"op": "replace", "path": "/device_sync/last_sync_at", "value": "2026-11-19T11:00:00Z"}])
	inp := test.linked(_snap(stale), {"plan": {"policy_overrides": {"max_sync_staleness_h": 48}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "pass"
}

test_fail_evidence_missing_config_hash_device if {
	f := control.finding with input as _snap(json.patch(_in_sync, [{"op": "remove", "path": "/device_sync/config_hash_device"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.config_hash_device"]
}

test_fail_evidence_missing_config_hash_cloud if {
	f := control.finding with input as _snap(json.patch(_in_sync, [{"op": "remove", "path": "/device_sync/config_hash_cloud"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.config_hash_cloud"]
}

test_fail_evidence_missing_pending_local_changes_count if {
	f := control.finding with input as _snap(json.patch(_pending, [{"op": "remove", "path": "/device_sync/pending_local_changes_count"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.pending_local_changes_count"]
}

test_fail_evidence_missing_last_sync_at if {
	f := control.finding with input as _snap(json.patch(_pending, [{"op": "remove", "path": "/device_sync/last_sync_at"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.last_sync_at"]
}

test_fail_evidence_missing_captured_at if {
	f := control.finding with input as _snap(object.remove(_pending, ["captured_at"])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_fail_evidence_missing_device_sync if {
	f := control.finding with input as _snap({"captured_at": "2026-11-20T12:00:00Z"}) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.config_hash_cloud", "spec.device_sync.config_hash_device"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
