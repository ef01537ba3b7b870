package lockcheck.controls.credentials.expired_unusable_test

import data.lockcheck.controls.credentials.expired_unusable as control
import data.lockcheck.test

_params := {"clock_drift_max_s": 300}

_f(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good_snapshot := {
	"captured_at": "2025-07-01T12:00:00Z",
	"device": {"timezone": "Europe/London", "clock_source": "ntp", "clock_drift_s": 5},
	"credentials": [
		{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "cloud_status": "active", "valid_until": null},
		{"credential_id": "g-1", "holder_id": "h-2", "role": "guest", "cloud_status": "active", "valid_until": "2025-07-10T00:00:00Z"},
		{"credential_id": "g-old", "holder_id": "h-3", "role": "guest", "cloud_status": "expired", "valid_until": "2025-06-01T00:00:00Z"},
		{"credential_id": "g-3", "holder_id": "h-4", "role": "guest", "cloud_status": "active", "valid_until": "2025-06-20T00:00:00Z"},
	],
	"device_sync": {"last_sync_at": "2025-07-01T11:00:00Z", "last_synced_credential_ids": ["c-owner", "g-1"]},
	"events": [
		{"event_id": "e-1", "type": "unlock", "timestamp": "2025-05-30T10:00:00Z", "channel": "keypad", "credential_id": "g-old", "holder_id": "h-3", "result": "success"},
		{"event_id": "e-2", "type": "lock", "timestamp": "2025-05-30T10:05:00Z", "channel": "keypad", "credential_id": null, "holder_id": null, "result": "success"},
	],
}

_with(patch) := test.snapshot(json.patch(_good_snapshot, patch))

# g-3 expired on 2025-06-20 but is still active and back on the lock
_g3_on_lock := [{"op": "add", "path": "/device_sync/last_synced_credential_ids/-", "value": "g-3"}]

_enforced(flag) := {"credentials_support": {"validity_enforced_on_device": flag}}

_at_risk(patch, flag) := test.linked(_with(array.concat(_g3_on_lock, patch)), {"product": _enforced(flag)})

test_pass_snapshot_no_expired_credential_on_lock if {
	f := _f(test.snapshot(_good_snapshot))
	f.status == "pass"
	contains(f.rationale, "2 of the 4 credentials in spec.credentials have not expired at captured_at 2025-07-01T12:00:00Z (valid_until null or not before it): c-owner, g-1.")
	contains(f.rationale, "credential g-old (holder h-3) expired at valid_until 2025-06-01T00:00:00Z and its cloud_status is expired, not active")
	contains(f.rationale, "credential g-3 (holder h-4) expired at valid_until 2025-06-20T00:00:00Z and is still active, but the lock does not hold it")
	contains(f.rationale, "spec.events (2 events) shows no successful unlock by a credential after its valid_until")
}

test_pass_snapshot_nothing_on_lock if {
	f := _f(_with([{"op": "replace", "path": "/device_sync/last_synced_credential_ids", "value": []}]))
	f.status == "pass"
	contains(f.rationale, "credential g-3 (holder h-4) expired at valid_until 2025-06-20T00:00:00Z and is still active, but the lock does not hold it (not in device_sync.last_synced_credential_ids)")
}

test_pass_snapshot_no_expired_needs_no_events if {
	f := _f(test.snapshot(json.patch(object.remove(_good_snapshot, ["events"]), [
		{"op": "remove", "path": "/credentials/3"},
		{"op": "remove", "path": "/credentials/2"},
	])))
	f.status == "pass"
}

test_fail_snapshot_expired_active_on_lock_not_enforced if {
	f := _f(_at_risk([], false))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "credential g-3 (holder h-4) expired at valid_until 2025-06-20T00:00:00Z (before captured_at 2025-07-01T12:00:00Z) but cloud_status is active")
	contains(f.rationale, "validity_enforced_on_device: false")
	f.evidence[0].path == "spec.credentials[3].valid_until"
}

test_fail_evidence_unresolved_product if {
	f := _f(_with(_g3_on_lock))
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}

test_fail_evidence_missing_validity_enforced_on_device if {
	f := _f(test.linked(_with(_g3_on_lock), {"product": {"credentials_support": {}}}))
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.credentials_support.validity_enforced_on_device"]
}

test_edge_case_10_enforced_on_device_with_trusted_clock_pass if {
	f := _f(_at_risk([], true))
	f.status == "pass"
	contains(f.rationale, "the lock enforces validity itself (product:spec.credentials_support.validity_enforced_on_device: true) with a trustworthy clock (spec.device.clock_source ntp, clock_drift_s 5 s within 300 s)")
}

test_edge_case_10_enforced_but_rtc_drifting_two_hours_fail if {
	f := _f(_at_risk(
		[
			{"op": "replace", "path": "/device/clock_source", "value": "rtc_only"},
			{"op": "replace", "path": "/device/clock_drift_s", "value": -7200},
		],
		true,
	))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "the lock's clock cannot be trusted (spec.device.clock_drift_s is -7200 s, more than 300 s)")
}

test_edge_case_10_enforced_but_no_clock_fail if {
	f := _f(_at_risk([{"op": "replace", "path": "/device/clock_source", "value": "none"}], true))
	f.status == "fail"
	contains(f.rationale, "spec.device.clock_source is none")
}

test_edge_case_10_unlock_after_expiry_fails_whatever_the_flags if {
	f := _f(_at_risk([{"op": "add", "path": "/events/-", "value": {"event_id": "e-9", "type": "unlock", "timestamp": "2025-06-25T08:00:00Z", "channel": "keypad", "credential_id": "g-3", "holder_id": "h-4", "result": "success"}}], true))
	f.status == "fail"
	contains(f.rationale, "event e-9: credential g-3 (holder h-4) unlocked the door at 2025-06-25T08:00:00Z, after its valid_until 2025-06-20T00:00:00Z")
	f.evidence[0].path == "spec.events[2].timestamp"
}

test_fail_unlock_after_expiry_by_credential_off_the_lock if {
	f := _f(_with([{"op": "replace", "path": "/events/0/timestamp", "value": "2025-06-02T10:00:00Z"}]))
	f.status == "fail"
	contains(f.rationale, "event e-1: credential g-old (holder h-3) unlocked the door")
}

test_pass_refused_unlock_after_expiry if {
	f := _f(_with([
		{"op": "replace", "path": "/events/0/timestamp", "value": "2025-06-02T10:00:00Z"},
		{"op": "replace", "path": "/events/0/result", "value": "failure"},
	]))
	f.status == "pass"
}

test_edge_case_10_enforced_clock_evidence_missing if {
	f := _f(_at_risk([{"op": "remove", "path": "/device/clock_drift_s"}], true))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.clock_drift_s"]
}

test_fail_evidence_missing_clock_source if {
	f := _f(_at_risk([{"op": "remove", "path": "/device/clock_source"}], true))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.clock_source"]
}

test_fail_evidence_missing_clock_drift_s if {
	f := _f(_at_risk([{"op": "remove", "path": "/device/clock_drift_s"}], true))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.clock_drift_s"]
}

# Edge case 8: a guest code expiring on 2025-07-01 (midnight, Los Angeles) is
# still valid at 2025-07-01T05:00Z (22:00 on 2025-06-30 on site).
test_edge_case_8_los_angeles_expiry_still_valid_at_0500z if {
	f := _f(test.linked(
		test.snapshot({
			"captured_at": "2025-07-01T05:00:00Z",
			"device": {"timezone": "America/Los_Angeles"},
			"credentials": [{"credential_id": "g-la", "holder_id": "h-1", "role": "guest", "cloud_status": "active", "valid_until": "2025-07-01T00:00:00-07:00"}],
			"device_sync": {"last_synced_credential_ids": ["g-la"]},
		}),
		{"product": _enforced(false)},
	))
	f.status == "pass"
	contains(f.rationale, "1 of the 1 credentials in spec.credentials have not expired at captured_at 2025-07-01T05:00:00Z (valid_until null or not before it): g-la.")
}

test_edge_case_8_los_angeles_expiry_passed_at_0700z if {
	f := _f(test.linked(
		test.snapshot({
			"captured_at": "2025-07-01T07:00:01Z",
			"device": {"timezone": "America/Los_Angeles"},
			"credentials": [{"credential_id": "g-la", "holder_id": "h-1", "role": "guest", "cloud_status": "active", "valid_until": "2025-07-01T00:00:00-07:00"}],
			"device_sync": {"last_synced_credential_ids": ["g-la"]},
			"events": [],
		}),
		{"product": _enforced(false)},
	))
	f.status == "fail"
}

# DST boundary: Los Angeles springs forward at 2025-03-09T10:00Z (02:00 PST ->
# 03:00 PDT); instants are compared whatever offset each timestamp carries.
_dst_snapshot(captured_at) := test.linked(
	test.snapshot({
		"captured_at": captured_at,
		"device": {"timezone": "America/Los_Angeles"},
		"credentials": [{"credential_id": "g-dst", "holder_id": "h-1", "role": "guest", "cloud_status": "active", "valid_until": "2025-03-09T03:00:00-07:00"}],
		"device_sync": {"last_synced_credential_ids": ["g-dst"]},
		"events": [],
	}),
	{"product": _enforced(false)},
)

test_edge_case_8_dst_one_second_before_expiry_pass if {
	f := _f(_dst_snapshot("2025-03-09T01:59:59-08:00"))
	f.status == "pass"
}

test_edge_case_8_dst_one_second_after_expiry_fail if {
	f := _f(_dst_snapshot("2025-03-09T03:00:01-07:00"))
	f.status == "fail"
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
	f := _f(_with([{"op": "remove", "path": "/credentials/2/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].cloud_status"]
}

test_fail_evidence_missing_credential_id if {
	f := _f(_with([{"op": "remove", "path": "/credentials/3/credential_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[3].credential_id"]
}

test_fail_evidence_missing_valid_until if {
	f := _f(_with([{"op": "remove", "path": "/credentials/1/valid_until"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].valid_until"]
}

test_fail_evidence_missing_last_synced_credential_ids if {
	f := _f(_with([{"op": "remove", "path": "/device_sync/last_synced_credential_ids"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device_sync.last_synced_credential_ids"]
}

test_fail_evidence_missing_events if {
	f := _f(test.snapshot(object.remove(_good_snapshot, ["events"])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events"]
}

# an event's type is needed only when it names an expired credential
# (catalogue §1.1, 2026-12-04)
test_fail_evidence_missing_type if {
	f := _f(_with([{"op": "remove", "path": "/events/0/type"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].type"]
}

test_pass_type_not_needed_on_event_naming_no_expired_credential if {
	f := _f(_with([{"op": "remove", "path": "/events/1/type"}]))
	f.status == "pass"
	f.missing == []
}

# with a credential expired, every event's time and credential are needed:
# the lock event could be the unlock after expiry
test_fail_evidence_missing_timestamp_on_any_event if {
	f := _f(_with([{"op": "remove", "path": "/events/1/timestamp"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[1].timestamp"]
}

test_fail_evidence_missing_credential_id_on_any_event if {
	f := _f(_with([{"op": "remove", "path": "/events/1/credential_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[1].credential_id"]
}

# cloud_status and credential_id are needed on expired credentials only
test_pass_cloud_status_not_needed_on_unexpired if {
	f := _f(_with([
		{"op": "remove", "path": "/credentials/1/cloud_status"},
		{"op": "remove", "path": "/credentials/0/cloud_status"},
	]))
	f.status == "pass"
	f.missing == []
}

test_pass_credential_id_not_needed_on_unexpired if {
	f := _f(_with([{"op": "remove", "path": "/credentials/1/credential_id"}]))
	f.status == "pass"
	f.missing == []
	contains(f.rationale, "have not expired at captured_at 2025-07-01T12:00:00Z (valid_until null or not before it): c-owner, spec.credentials[1].")
}

# no expired credential still active: the lock's list is not read
test_pass_last_synced_not_needed_when_no_expired_is_active if {
	f := _f(test.snapshot(json.patch(_good_snapshot, [
		{"op": "remove", "path": "/credentials/3"},
		{"op": "remove", "path": "/device_sync/last_synced_credential_ids"},
	])))
	f.status == "pass"
	f.missing == []
}

test_fail_evidence_missing_timestamp if {
	f := _f(_with([{"op": "remove", "path": "/events/0/timestamp"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].timestamp"]
}

# result is read on an unlock by an expired credential after its expiry
test_fail_evidence_missing_result if {
	f := _f(_with([
		{"op": "replace", "path": "/events/0/timestamp", "value": "2025-06-02T10:00:00Z"},
		{"op": "remove", "path": "/events/0/result"},
	]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].result"]
}

test_pass_result_not_needed_before_expiry if {
	f := _f(_with([{"op": "remove", "path": "/events/0/result"}]))
	f.status == "pass"
	f.missing == []
}

test_fail_evidence_missing_event_credential_id if {
	f := _f(_with([{"op": "remove", "path": "/events/0/credential_id"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].credential_id"]
}

# --- ProductSpec ---

test_pass_product_enforces_validity if {
	f := _f(test.product(_enforced(true)))
	f.status == "pass"
	contains(f.rationale, "validity_enforced_on_device is true")
}

test_fail_product_does_not_enforce_validity if {
	f := _f(test.product(_enforced(false)))
	f.status == "fail"
	contains(f.rationale, "validity_enforced_on_device is false")
}

test_fail_evidence_missing_product_validity_enforced_on_device if {
	f := _f(test.product({"credentials_support": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.validity_enforced_on_device"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
