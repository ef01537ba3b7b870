package lockcheck.controls.credentials.guest_expiry_test

import data.lockcheck.controls.credentials.guest_expiry as control
import data.lockcheck.test

_params := {"max_guest_validity_days": 30}

_good_snapshot := {
	"device": {"timezone": "Europe/London"},
	"credentials": [
		{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "cloud_status": "active", "valid_from": "2025-01-01T00:00:00Z", "valid_until": null},
		{"credential_id": "g-114", "holder_id": "h-9", "role": "guest", "cloud_status": "active", "valid_from": "2025-06-01T10:00:00Z", "valid_until": "2025-06-08T10:00:00Z", "schedule": null},
		{"credential_id": "s-1", "holder_id": "h-7", "role": "service", "cloud_status": "active", "valid_from": "2025-06-01T08:00:00+01:00", "valid_until": "2025-07-01T08:00:00+01:00"},
		{"credential_id": "g-old", "holder_id": "h-8", "role": "guest", "cloud_status": "expired", "valid_from": "2024-01-01T00:00:00Z", "valid_until": null},
	],
}

_with(patch) := test.snapshot(json.patch(_good_snapshot, patch))

test_pass_snapshot_guests_bounded if {
	f := control.finding with input as test.snapshot(_good_snapshot) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "credential g-114 (holder h-9), role guest, expires: valid_from 2025-06-01T10:00:00Z, valid_until 2025-06-08T10:00:00Z, 7 days, within 30 days")
	contains(f.rationale, "credential s-1 (holder h-7), role service, expires")
	not contains(f.rationale, "g-old")
}

test_pass_snapshot_no_temporary_credentials if {
	f := control.finding with input as test.snapshot({"credentials": [_good_snapshot.credentials[0]]}) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials")
}

test_fail_snapshot_guest_without_expiry if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/1/valid_until", "value": null}]) with data.params as _params
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "credential g-114 (holder h-9), role guest, has no expiry (spec.credentials[1].valid_until is null)")
	f.evidence[0].path == "spec.credentials[1].valid_until"
}

test_fail_snapshot_expiry_before_start if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-06-01T09:59:59Z"}]) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "valid_until 2025-06-01T09:59:59Z, not after its valid_from 2025-06-01T10:00:00Z")
}

test_fail_snapshot_guest_too_long if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-07-15T10:00:00Z"}]) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "is valid for 44 days (")
	contains(f.rationale, "more than the 30 days")
}

test_pass_snapshot_exactly_thirty_days if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-07-01T10:00:00Z"}]) with data.params as _params
	f.status == "pass"
}

test_fail_snapshot_thirty_days_and_a_second if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-07-01T10:00:01Z"}]) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "valid for 30 days 1 s")
}

test_pass_snapshot_plan_allows_longer_stays if {
	inp := test.linked(_with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-07-15T10:00:00Z"}]), {"plan": {"access_plan": {"max_guest_validity_days": 60}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "pass"
	contains(f.rationale, "within 60 days")
}

test_fail_snapshot_policy_override_wins_over_access_plan if {
	inp := test.linked(_with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-06-15T10:00:00Z"}]), {"plan": {"access_plan": {"max_guest_validity_days": 60}, "policy_overrides": {"max_guest_validity_days": 7}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "fail"
	contains(f.rationale, "more than the 7 days")
}

test_pass_snapshot_params_threshold if {
	f := control.finding with input as _with([{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-07-15T10:00:00Z"}]) with data.params as _params
		with data.params as {"max_guest_validity_days": 45}
	f.status == "pass"
}

test_edge_case_3_recurring_schedule_without_expiry if {
	f := control.finding with input as _with([
		{"op": "replace", "path": "/credentials/1/valid_until", "value": null},
		{"op": "replace", "path": "/credentials/1/schedule", "value": {"days": ["mon", "wed"], "start_time": "09:00", "end_time": "12:00", "timezone": "Europe/London"}},
	])
		with data.params as _params
	f.status == "fail"
	contains(f.rationale, "has a recurring schedule ([\"mon\", \"wed\"]) but spec.credentials[1].valid_until is null")
	contains(f.rationale, "a weekly window is not an expiry")
}

# Edge case 8 (DST): the bound counts calendar days on the site's wall clock.
# Los Angeles falls back on 2025-11-02: 30 wall-clock days are 30 days + 1 h of
# elapsed time, still within 30 days.
test_edge_case_8_dst_fall_back_thirty_days_pass if {
	f := control.finding with input as test.snapshot({
		"device": {"timezone": "America/Los_Angeles"},
		"credentials": [{"credential_id": "g-1", "holder_id": "h-1", "role": "guest", "cloud_status": "active", "valid_from": "2025-10-20T10:00:00-07:00", "valid_until": "2025-11-19T10:00:00-08:00"}],
	})
		with data.params as _params
	f.status == "pass"
	contains(f.rationale, "30 days, within 30 days")
}

# Los Angeles springs forward on 2025-03-09: 29 days 23 h 30 min of elapsed time
# are 30 days 30 min on the wall clock, beyond 30 days.
test_edge_case_8_dst_spring_forward_over_thirty_days_fail if {
	f := control.finding with input as test.snapshot({
		"device": {"timezone": "America/Los_Angeles"},
		"credentials": [{"credential_id": "g-1", "holder_id": "h-1", "role": "guest", "cloud_status": "active", "valid_from": "2025-03-01T10:00:00-08:00", "valid_until": "2025-03-31T10:30:00-07:00"}],
	})
		with data.params as _params
	f.status == "fail"
	contains(f.rationale, "valid for 30 days 30 min")
}

test_edge_case_8_site_zone_from_plan if {
	inp := test.linked(test.snapshot({"credentials": [{"credential_id": "g-1", "holder_id": "h-1", "role": "guest", "cloud_status": "active", "valid_from": "2025-10-20T10:00:00-07:00", "valid_until": "2025-11-19T10:00:00-08:00"}]}), {"plan": {"site": {"timezone": "America/Los_Angeles"}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "pass"
}

test_fail_evidence_missing_credentials if {
	f := control.finding with input as test.snapshot({}) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/3/cloud_status"}]) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[3].cloud_status"]
}

test_fail_evidence_missing_role if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/0/role"}]) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].role"]
}

test_fail_evidence_missing_valid_from if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/1/valid_from"}]) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].valid_from"]
}

test_fail_evidence_missing_valid_until if {
	f := control.finding with input as _with([{"op": "remove", "path": "/credentials/2/valid_until"}]) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].valid_until"]
}

# --- InstallPlan ---

_good_plan := {
	"site": {"timezone": "America/Los_Angeles"},
	"access_plan": {"credentials": [
		{"holder_id": "h-1", "role": "owner", "kind": "app_key", "valid_from": "2025-06-01T00:00:00-07:00", "valid_until": null},
		{"holder_id": "h-2", "role": "guest", "kind": "keypad_pin", "valid_from": "2025-06-01T00:00:00-07:00", "valid_until": "2025-06-10T00:00:00-07:00"},
	]},
}

test_pass_plan_guest_bounded if {
	f := control.finding with input as test.plan(_good_plan) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "credential spec.access_plan.credentials[1] (holder h-2), role guest, expires")
}

test_pass_plan_no_temporary_credentials if {
	f := control.finding with input as test.plan({"access_plan": {"credentials": [_good_plan.access_plan.credentials[0]]}}) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials in spec.access_plan.credentials")
}

test_fail_plan_guest_without_expiry if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "replace", "path": "/access_plan/credentials/1/valid_until", "value": null}])) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "spec.access_plan.credentials[1].valid_until is null")
}

test_fail_plan_guest_longer_than_plan_bound if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "add", "path": "/access_plan/max_guest_validity_days", "value": 7}])) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "valid for 9 days")
	contains(f.rationale, "more than the 7 days")
}

test_fail_evidence_missing_plan_credentials if {
	f := control.finding with input as test.plan({"access_plan": {}}) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials"]
}

test_fail_evidence_missing_plan_role if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/access_plan/credentials/0/role"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials[0].role"]
}

test_fail_evidence_missing_plan_valid_from if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/access_plan/credentials/1/valid_from"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials[1].valid_from"]
}

test_fail_evidence_missing_plan_valid_until if {
	f := control.finding with input as test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/access_plan/credentials/1/valid_until"}])) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.access_plan.credentials[1].valid_until"]
}

# --- ProductSpec ---

test_pass_product_guest_expiry_supported if {
	f := control.finding with input as test.product({"credentials_support": {"guest_expiry_supported": true}}) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "guest_expiry_supported is true")
}

test_fail_product_no_guest_expiry if {
	f := control.finding with input as test.product({"credentials_support": {"guest_expiry_supported": false}}) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "guest_expiry_supported is false")
}

test_fail_evidence_missing_guest_expiry_supported if {
	f := control.finding with input as test.product({}) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.guest_expiry_supported"]
}
