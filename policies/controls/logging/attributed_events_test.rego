package lockcheck.controls.logging.attributed_events_test

import data.lockcheck.controls.logging.attributed_events as control
import data.lockcheck.test

_credentials := [
	{"credential_id": "c-1", "holder_id": "h-1", "cloud_status": "active"},
	{"credential_id": "c-2", "holder_id": "h-2", "cloud_status": "revoked"},
]

_events := [
	{"event_id": "e-1", "timestamp": "2026-11-20T08:00:00Z", "type": "unlock", "channel": "ble_app", "credential_id": "c-1", "holder_id": "h-1", "result": "success"},
	{"event_id": "e-2", "timestamp": "2026-11-20T08:01:00Z", "type": "lock", "channel": "keypad", "credential_id": "c-2", "holder_id": "h-2", "result": "success"},
	{"event_id": "e-3", "timestamp": "2026-11-20T09:00:00Z", "type": "unlock_failed", "channel": "keypad", "credential_id": null, "result": "failure"},
	{"event_id": "e-4", "timestamp": "2026-11-20T10:00:00Z", "type": "unlock", "channel": "keypad", "credential_id": null, "result": "failure"},
	{"event_id": "e-5", "timestamp": "2026-11-20T11:00:00Z", "type": "low_battery", "channel": "unknown", "result": "success"},
]

_snap(events, credentials) := test.snapshot({"captured_at": "2026-11-21T00:00:00Z", "events": events, "credentials": credentials})

_patch(obj, path, value) := json.patch(obj, [{"op": "replace", "path": path, "value": value}])

_remove(obj, path) := json.patch(obj, [{"op": "remove", "path": path}])

test_pass_all_access_events_attributed if {
	f := control.finding with input as _snap(_events, _credentials)
	f.status == "pass"
	f.warnings == []
	contains(f.rationale, "2 of 2 successful unlock/lock events in spec.events name a credential listed in spec.credentials (holders: h-1, h-2); 0 mechanical-key events are exempt")
}

# a revoked credential stays in the inventory: old events remain resolvable
test_pass_revoked_credential_resolves if {
	f := control.finding with input as _snap([_events[1]], _credentials)
	f.status == "pass"
}

test_fail_credential_id_null if {
	f := control.finding with input as _snap(_patch(_events, "/0/credential_id", null), _credentials)
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "event e-1 (unlock via ble_app at 2026-11-20T08:00:00Z, spec.events[0]) has credential_id null")
}

test_fail_credential_not_in_inventory if {
	f := control.finding with input as _snap(_patch(_events, "/1/credential_id", "c-9"), _credentials)
	f.status == "fail"
	contains(f.rationale, "event e-2 (lock via keypad at 2026-11-20T08:01:00Z, spec.events[1]) names credential c-9, which is not in spec.credentials")
}

# Additional trap: channel unknown counted as attributed -> LOG-002 fail,
# even when the event carries a credential id.
test_edge_case_channel_unknown_fails if {
	f := control.finding with input as _snap(_patch(_events, "/0/channel", "unknown"), _credentials)
	f.status == "fail"
	contains(f.rationale, "event e-1 (unlock via unknown at 2026-11-20T08:00:00Z, spec.events[0]) has channel unknown")
}

test_edge_case_channel_unknown_without_credential_id if {
	ev := {"event_id": "e-7", "timestamp": "2026-11-20T12:00:00Z", "type": "unlock", "channel": "unknown", "result": "success"}
	f := control.finding with input as _snap([ev], _credentials)
	f.status == "fail"
	f.missing == []
}

# channel unknown on a failed attempt does not need attribution
test_pass_channel_unknown_on_failed_attempt if {
	ev := {"event_id": "e-8", "timestamp": "2026-11-20T12:00:00Z", "type": "unlock", "channel": "unknown", "result": "failure"}
	f := control.finding with input as _snap(array.concat(_events, [ev]), _credentials)
	f.status == "pass"
}

# Additional trap: mechanical-key unlocks are exempt from attribution.
test_edge_case_mechanical_key_exempt if {
	ev := {"event_id": "e-6", "timestamp": "2026-11-20T13:00:00Z", "type": "unlock", "channel": "mechanical_key", "credential_id": null, "result": "success"}
	f := control.finding with input as _snap(array.concat(_events, [ev]), _credentials)
	f.status == "pass"
	contains(f.rationale, "1 mechanical-key events are exempt")
}

test_pass_no_access_events_with_warning if {
	f := control.finding with input as test.snapshot({"events": [_events[2]]})
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.rationale, "no successful unlock/lock event that needs attribution")
}

test_pass_empty_events_with_warning if {
	f := control.finding with input as test.snapshot({"events": []})
	f.status == "pass"
	contains(f.warnings[0], "spec.events holds 0 events")
}

test_fail_evidence_missing_events if {
	f := control.finding with input as test.snapshot({"credentials": _credentials})
	f.status == "insufficient_evidence"
	f.missing == ["spec.events"]
}

test_fail_evidence_missing_type if {
	f := control.finding with input as _snap(_remove(_events, "/2/type"), _credentials)
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[2].type"]
}

# result is needed on unlock and lock events only (catalogue §1.1, 2026-12-04)
test_fail_evidence_missing_result if {
	f := control.finding with input as _snap(_remove(_events, "/0/result"), _credentials)
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].result"]
}

test_pass_result_not_needed_on_other_events if {
	f := control.finding with input as _snap(_remove(_remove(_events, "/4/result"), "/2/result"), _credentials)
	f.status == "pass"
	f.missing == []
}

test_fail_evidence_missing_channel if {
	f := control.finding with input as _snap(_remove(_events, "/0/channel"), _credentials)
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].channel"]
	contains(f.rationale, "Not evidenced: spec.events[0].channel is absent")
}

test_fail_evidence_missing_credential_id if {
	f := control.finding with input as _snap(_remove(_events, "/1/credential_id"), _credentials)
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[1].credential_id"]
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as test.snapshot({"events": _events})
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

# the inventory's ids are needed only when some event's id does not resolve
# (catalogue §1.1, 2026-12-04)
test_pass_inventory_id_not_needed_when_events_resolve if {
	creds := array.concat(_credentials, [{"holder_id": "h-3", "cloud_status": "active"}])
	f := control.finding with input as _snap(_events, creds)
	f.status == "pass"
	f.missing == []
}

test_fail_unresolved_event_with_complete_inventory if {
	f := control.finding with input as _snap(_patch(_events, "/1/credential_id", "c-9"), _credentials)
	f.status == "fail"
	contains(f.rationale, "names credential c-9, which is not in spec.credentials")
}

test_fail_evidence_missing_inventory_credential_id if {
	f := control.finding with input as _snap(_events, _remove(_credentials, "/1/credential_id"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].credential_id"]
}

# failed attempts and other events need no channel or credential id
test_pass_failed_attempt_without_channel if {
	f := control.finding with input as _snap(_remove(_events, "/3/channel"), _credentials)
	f.status == "pass"
}

test_not_produced_for_products if {
	not control.finding with input as test.product({"logging": {"event_types": ["unlock"]}})
}
