package lockcheck.controls.logging.snapshot_recent_test

import data.lockcheck.controls.logging.snapshot_recent as control
import data.lockcheck.test

_params := {"max_snapshot_age_h": 48, "clock_drift_max_s": 300}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

# the helpers' run time is 2026-11-25T12:00:00Z
_snap(captured_at) := test.snapshot({"captured_at": captured_at, "device": {"timezone": "Europe/London"}})

test_pass_recent_snapshot if {
	f := _eval(_snap("2026-11-25T00:00:00Z"))
	f.status == "pass"
	contains(f.rationale, "spec.captured_at is 2026-11-25T00:00:00Z, 12.0 h before the run time 2026-11-25T12:00:00Z (at most 48 h allowed)")
}

test_pass_exactly_48_hours if {
	f := _eval(_snap("2026-11-23T12:00:00Z"))
	f.status == "pass"
}

test_fail_stale_snapshot if {
	f := _eval(_snap("2026-11-23T11:59:59Z"))
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "spec.captured_at is 2026-11-23T11:59:59Z, 48.0 h before the run time 2026-11-25T12:00:00Z")
	contains(f.rationale, "older than 48 h (max_snapshot_age_h)")
}

# judged against the run time: the same snapshot passes at an earlier run
test_pass_same_snapshot_earlier_run if {
	f := _eval(test.at(_snap("2026-11-20T10:00:00Z"), "2026-11-21T10:00:00Z"))
	f.status == "pass"
}

test_fail_same_snapshot_later_run if {
	f := _eval(test.at(_snap("2026-11-20T10:00:00Z"), "2026-11-25T10:30:00Z"))
	f.status == "fail"
	contains(f.rationale, "120.5 h before the run time")
}

test_pass_offset_timestamp if {
	f := _eval(_snap("2026-11-25T02:00:00-05:00"))
	f.status == "pass"
	contains(f.rationale, "5.0 h before")
}

test_pass_slightly_in_future_within_drift if {
	f := _eval(_snap("2026-11-25T12:05:00Z"))
	f.status == "pass"
}

test_fail_snapshot_from_the_future if {
	f := _eval(_snap("2026-11-25T12:05:01Z"))
	f.status == "fail"
	contains(f.rationale, "spec.captured_at is 2026-11-25T12:05:01Z, 301.0 s after the run time 2026-11-25T12:00:00Z")
}

test_pass_age_from_plan_override if {
	inp := test.linked(_snap("2026-11-20T12:00:00Z"), {"plan": {"policy_overrides": {"max_snapshot_age_h": 168}}})
	f := _eval(inp)
	f.status == "pass"
}

test_fail_evidence_missing_captured_at if {
	f := _eval(test.snapshot({"device": {"timezone": "UTC"}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_not_produced_for_products if {
	not _eval(test.product({"logging": {"event_types": ["unlock"]}}))
}
