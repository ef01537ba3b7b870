package lockcheck.controls.logging.trustworthy_time_test

import data.lockcheck.controls.logging.trustworthy_time as control
import data.lockcheck.test

_params := {"clock_drift_max_s": 300}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good := {
	"captured_at": "2026-11-20T10:00:00Z",
	"device": {"timezone": "Europe/London", "clock_source": "ntp", "clock_drift_s": 2},
	"events": [
		{"event_id": "e-1", "timestamp": "2026-11-20T08:00:00Z", "type": "unlock"},
		{"event_id": "e-2", "timestamp": "2026-11-20T09:00:00+01:00", "type": "lock"},
	],
}

_patch(obj, path, value) := json.patch(obj, [{"op": "replace", "path": path, "value": value}])

_remove(obj, path) := json.patch(obj, [{"op": "remove", "path": path}])

test_pass_ntp_clock_and_offsets if {
	f := _eval(test.snapshot(_good))
	f.status == "pass"
	contains(f.rationale, "spec.device.clock_source is \"ntp\" and spec.device.clock_drift_s is 2, within 300 s")
	contains(f.rationale, "all 2 events in spec.events carry a timestamp with a UTC offset")
}

test_pass_rtc_only_negative_drift_at_limit if {
	inp := test.snapshot(json.patch(_good, [
		{"op": "replace", "path": "/device/clock_source", "value": "rtc_only"},
		{"op": "replace", "path": "/device/clock_drift_s", "value": -300},
	]))
	f := _eval(inp)
	f.status == "pass"
}

test_pass_no_events if {
	f := _eval(test.snapshot(_patch(_good, "/events", [])))
	f.status == "pass"
}

test_fail_clock_source_none if {
	f := _eval(test.snapshot(_patch(_good, "/device/clock_source", "none")))
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "spec.device.clock_source is \"none\"")
}

# the rtc_only clock of edge case 10, drifted by 2 h
test_fail_clock_drift_too_large if {
	inp := test.snapshot(json.patch(_good, [
		{"op": "replace", "path": "/device/clock_source", "value": "rtc_only"},
		{"op": "replace", "path": "/device/clock_drift_s", "value": -7200},
	]))
	f := _eval(inp)
	f.status == "fail"
	contains(f.rationale, "spec.device.clock_drift_s is -7200: the lock's clock is off by more than 300 s")
}

test_pass_drift_within_plan_override if {
	inp := test.linked(test.snapshot(_patch(_good, "/device/clock_drift_s", 500)), {"plan": {"policy_overrides": {"clock_drift_max_s": 600}}})
	f := _eval(inp)
	f.status == "pass"
}

test_fail_naive_timestamp if {
	f := _eval(test.snapshot(_patch(_good, "/events/1/timestamp", "2026-11-20T09:00:00")))
	f.status == "fail"
	contains(f.rationale, "event e-2 (spec.events[1].timestamp) is \"2026-11-20T09:00:00\", which has no UTC offset")
}

test_fail_evidence_missing_clock_source if {
	f := _eval(test.snapshot(_remove(_good, "/device/clock_source")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.clock_source"]
}

test_fail_evidence_missing_clock_drift_s if {
	f := _eval(test.snapshot(_remove(_good, "/device/clock_drift_s")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.device.clock_drift_s"]
}

# an event without a timestamp cannot be shown to carry an offset
test_fail_evidence_missing_timestamp if {
	f := _eval(test.snapshot(_remove(_good, "/events/0/timestamp")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events[0].timestamp"]
	contains(f.rationale, "the lock's clock is trustworthy")
}

test_fail_evidence_missing_events if {
	f := _eval(test.snapshot(object.remove(_good, ["events"])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.events"]
}

test_not_produced_for_products if {
	not _eval(test.product({"logging": {"event_types": ["unlock"]}}))
}
