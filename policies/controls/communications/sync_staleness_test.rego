package lockcheck.controls.communications.sync_staleness_test

import data.lockcheck.controls.communications.sync_staleness as control
import data.lockcheck.test

_params := {"max_sync_staleness_h": 24}

_tenant := {"credential_id": "c-7", "holder_id": "h-tenant", "cloud_status": "active", "valid_until": null, "revoked_at": null}

_guest := {"credential_id": "g-2", "holder_id": "h-guest", "cloud_status": "active", "valid_until": "2026-07-31T00:00:00Z", "revoked_at": null}

_old_revoked := {"credential_id": "c-1", "holder_id": "h-old", "cloud_status": "revoked", "valid_until": null, "revoked_at": "2026-05-20T09:00:00Z"}

_fresh := {
	"captured_at": "2026-06-10T12:00:00Z",
	"device": {"connectivity": "online"},
	"device_sync": {"last_sync_at": "2026-06-10T02:00:00Z"},
	"credentials": [_tenant, _guest, _old_revoked],
}

# edge case 7: offline, last sync 9 days before captured_at
_stale := json.patch(_fresh, [
	{"op": "replace", "path": "/device/connectivity", "value": "offline"},
	{"op": "replace", "path": "/device_sync/last_sync_at", "value": "2026-06-01T12:00:00Z"},
])

_snap(spec) := test.snapshot(spec)

test_pass_recent_sync if {
	f := control.finding with input as _snap(_fresh) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "last synced its credential list at 2026-06-10T02:00:00Z (spec.device_sync.last_sync_at), 10 h before captured_at (spec.device.connectivity: online), within max_sync_staleness_h 24")
}

test_pass_exactly_at_the_limit if {
	f := control.finding with input as _snap(json.patch(_fresh, [{"op": "replace", "path": "/device_sync/last_sync_at", "value": "2026-06-09T12:00:00Z"}])) with data.params as _params
	f.status == "pass"
}

test_pass_recent_sync_needs_no_credentials if {
	f := control.finding with input as _snap({"captured_at": "2026-06-10T12:00:00Z", "device_sync": {"last_sync_at": "2026-06-10T11:00:00Z"}}) with data.params as _params
	f.status == "pass"
	f.missing == []
	not contains(f.rationale, "connectivity")
}

test_edge_case_7_offline_revoked_after_sync_critical if {
	spec := json.patch(_stale, [
		{"op": "replace", "path": "/credentials/0/cloud_status", "value": "revoked"},
		{"op": "replace", "path": "/credentials/0/revoked_at", "value": "2026-06-07T12:00:00Z"},
	])
	f := control.finding with input as _snap(spec) with data.params as _params
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "216 h (9 days) before captured_at (spec.device.connectivity: offline), more than max_sync_staleness_h 24; 1 credential(s) were revoked or expired since then")
	contains(f.rationale, "credential c-7 (holder h-tenant) was revoked at 2026-06-07T12:00:00Z (spec.credentials[0].revoked_at), after the last sync")
}

test_edge_case_7_offline_nothing_revoked_medium if {
	f := control.finding with input as _snap(_stale) with data.params as _params
	f.status == "fail"
	f.severity == "medium"
	f.missing == []
	contains(f.rationale, "no credential was revoked or expired since then")
}

test_fail_critical_credential_expired_after_sync if {
	spec := json.patch(_stale, [{"op": "replace", "path": "/credentials/1/valid_until", "value": "2026-06-05T00:00:00Z"}])
	f := control.finding with input as _snap(spec) with data.params as _params
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "credential g-2 (holder h-guest) expired at 2026-06-05T00:00:00Z (spec.credentials[1].valid_until)")
}

test_fail_medium_revoked_before_sync_or_after_capture if {
	spec := json.patch(_stale, [
		{"op": "replace", "path": "/credentials/0/cloud_status", "value": "revoked"},
		{"op": "replace", "path": "/credentials/0/revoked_at", "value": "2026-06-11T00:00:00Z"},
	])
	f := control.finding with input as _snap(spec) with data.params as _params
	f.status == "fail"
	f.severity == "medium"
}

test_fail_just_over_the_limit if {
	spec := json.patch(_fresh, [{"op": "replace", "path": "/device_sync/last_sync_at", "value": "2026-06-09T11:30:00Z"}])
	f := control.finding with input as _snap(spec) with data.params as _params
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "24.5 h")
}

test_pass_plan_override_widens_the_budget if {
	inp := test.linked(_snap(_stale), {"plan": {"policy_overrides": {"max_sync_staleness_h": 240}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "pass"
	contains(f.rationale, "within max_sync_staleness_h 240")
}

test_fail_plan_override_tightens_the_budget if {
	inp := test.linked(_snap(_fresh), {"plan": {"policy_overrides": {"max_sync_staleness_h": 4}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "fail"
}

test_fail_evidence_missing_last_sync_at if {
	f := control.finding with input as _snap(object.remove(_fresh, ["device_sync"])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.last_sync_at"]
}

test_fail_evidence_missing_captured_at if {
	f := control.finding with input as _snap(object.remove(_fresh, ["captured_at"])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

# Once the list is stale the control fails whatever; a credential field that
# could show a revocation or expiry since the sync is missing, so the critical
# branch cannot be ruled out (fail closed).
test_fail_evidence_missing_credentials if {
	f := control.finding with input as _snap(object.remove(_stale, ["credentials"])) with data.params as _params
	f.status == "fail"
	f.severity == "critical"
	f.missing == ["spec.credentials"]
	contains(f.rationale, "cannot be ruled out (not evidenced: spec.credentials)")
}

test_fail_evidence_missing_cloud_status if {
	f := control.finding with input as _snap(json.patch(_stale, [{"op": "remove", "path": "/credentials/1/cloud_status"}])) with data.params as _params
	f.status == "fail"
	f.severity == "critical"
	f.missing == ["spec.credentials[1].cloud_status"]
}

test_fail_evidence_missing_valid_until if {
	f := control.finding with input as _snap(json.patch(_stale, [{"op": "remove", "path": "/credentials/0/valid_until"}])) with data.params as _params
	f.status == "fail"
	f.severity == "critical"
	f.missing == ["spec.credentials[0].valid_until"]
}

test_fail_evidence_missing_revoked_at if {
	f := control.finding with input as _snap(json.patch(_stale, [{"op": "remove", "path": "/credentials/2/revoked_at"}])) with data.params as _params
	f.status == "fail"
	f.severity == "critical"
	f.missing == ["spec.credentials[2].revoked_at"]
}

test_fail_medium_revoked_at_needed_only_on_revoked_credentials if {
	f := control.finding with input as _snap(json.patch(_stale, [{"op": "remove", "path": "/credentials/0/revoked_at"}])) with data.params as _params
	f.status == "fail"
	f.severity == "medium"
	f.missing == []
}

test_not_produced_for_specs_or_plans if {
	not control.finding with input as test.product({})
	not control.finding with input as test.plan({})
}
