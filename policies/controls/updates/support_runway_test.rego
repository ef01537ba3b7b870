package lockcheck.controls.updates.support_runway_test

import data.lockcheck.controls.updates.support_runway as control
import data.lockcheck.test

_params := {"spec_min_support_runway_months": 24, "required_support_months": 36, "snapshot_support_warning_months": 6}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

# --- ProductSpec (reference: the run date) ---

_spec(end) := test.at(test.product({"evaluation_date": "2020-01-01", "support": {"published": true, "support_end_date": end}}), "2025-03-01T10:00:00Z")

test_pass_spec_runway_sufficient if {
	f := _eval(_spec("2031-12-31"))
	f.status == "pass"
	contains(f.rationale, "spec.support.support_end_date is 2031-12-31")
	contains(f.rationale, "after the evaluation date 2025-03-01")
}

test_pass_spec_runway_exactly_24_months_inclusive if {
	f := _eval(_spec("2027-03-01"))
	f.status == "pass"
}

# Edge case 2: 2025-03-01 + 24 months = 2027-03-01; 2027-02-28 is 23.9 months -> fail (high)
# although the date is in the future; the sheet's own evaluation_date is informational.
test_edge_case_2_spec_runway_23_9_months if {
	f := _eval(_spec("2027-02-28"))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "only 23.9 months of support remain after the evaluation date 2025-03-01")
	contains(f.rationale, "on or after 2027-03-01")
}

test_fail_spec_null_end_date if {
	f := _eval(_spec(null))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.support.support_end_date is null")
}

test_fail_evidence_missing_support_end_date_spec if {
	f := _eval(test.product({"support": {"published": true, "support_period_months": 60}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.support.support_end_date"]
}

test_edge_case_claims_only_spec if {
	f := _eval(test.product({"claims": {"etsi_en_303_645": true}}))
	f.status == "insufficient_evidence"
}

# --- InstallPlan (reference: planned_install_date, linked product) ---

_plan_spec := {"planned_install_date": "2026-12-01", "site": {"timezone": "Europe/London"}, "product_ref": "p-1"}

_plan(plan_spec, end) := test.linked(test.plan(plan_spec), {"product": {"support": {"support_end_date": end}}})

test_pass_plan_default_required_months if {
	f := _eval(_plan(_plan_spec, "2029-12-01"))
	f.status == "pass"
	contains(f.rationale, "support lasts 36.0 months after the planned_install_date 2026-12-01 (required_support_months 36, until 2029-12-01)")
}

test_fail_plan_default_required_months if {
	f := _eval(_plan(_plan_spec, "2029-11-30"))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "the linked product's spec.support.support_end_date is 2029-11-30")
	contains(f.rationale, "before the 36 months required")
}

test_fail_plan_own_required_months if {
	f := _eval(_plan(object.union(_plan_spec, {"required_support_months": 60}), "2030-06-01"))
	f.status == "fail"
	contains(f.rationale, "before the 60 months required (required_support_months, until 2031-12-01)")
}

test_pass_plan_own_required_months_shorter if {
	f := _eval(_plan(object.union(_plan_spec, {"required_support_months": 12}), "2028-01-01"))
	f.status == "pass"
}

# the run clock plays no part for a plan
test_pass_plan_ignores_run_clock if {
	f := _eval(test.at(_plan(_plan_spec, "2029-12-01"), "2035-01-01T00:00:00Z"))
	f.status == "pass"
}

test_fail_plan_product_null_end_date if {
	f := _eval(_plan(_plan_spec, null))
	f.status == "fail"
	contains(f.rationale, "product:spec.support.support_end_date is null")
}

test_fail_plan_unresolved_product if {
	f := _eval(test.plan(_plan_spec))
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}

test_fail_evidence_missing_support_end_date_product if {
	f := _eval(test.linked(test.plan(_plan_spec), {"product": {"support": {"published": true}}}))
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.support.support_end_date"]
}

test_fail_evidence_missing_planned_install_date if {
	f := _eval(_plan(object.remove(_plan_spec, ["planned_install_date"]), "2035-01-01"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.planned_install_date"]
}

# --- LockSnapshot (reference: the local date of captured_at) ---

_snap(captured_at, tz, end) := test.snapshot({"captured_at": captured_at, "device": {"timezone": tz}, "support": {"support_end_date": end}})

test_pass_snapshot_supported if {
	f := _eval(_snap("2026-05-02T09:00:00Z", "UTC", "2028-05-01"))
	f.status == "pass"
	f.warnings == []
	contains(f.rationale, "spec.support.support_end_date is 2028-05-01, on or after the snapshot date 2026-05-02")
}

# Edge case 2: end 2026-05-01, captured 2026-05-02 -> fail critical, whatever the run clock says.
test_edge_case_2_snapshot_past_end_critical_despite_run_clock if {
	f := _eval(test.at(_snap("2026-05-02T09:00:00Z", "UTC", "2026-05-01"), "2026-04-30T12:00:00Z"))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "spec.support.support_end_date is 2026-05-01: support had ended by the snapshot date 2026-05-02")
}

# inclusive: still supported on the end date itself
test_pass_snapshot_on_end_date_with_warning if {
	f := _eval(_snap("2026-05-01T20:00:00Z", "UTC", "2026-05-01"))
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.warnings[0], "less than 6 months after the snapshot date 2026-05-01 (before 2026-11-01)")
	contains(f.rationale, "less than 6 months")
}

# the date is read in the site zone: 23:30Z on 1 May is 2 May in London (BST)
test_fail_snapshot_local_date_next_day if {
	f := _eval(_snap("2026-05-01T23:30:00Z", "Europe/London", "2026-05-01"))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "snapshot date 2026-05-02")
}

# ...and 05:00Z on 2 May is still 1 May in Los Angeles
test_pass_snapshot_local_date_previous_day if {
	f := _eval(_snap("2026-05-02T05:00:00Z", "America/Los_Angeles", "2026-05-01"))
	f.status == "pass"
	count(f.warnings) == 1
}

# the site zone comes from the linked plan when the device has none
test_fail_snapshot_zone_from_plan if {
	inp := test.linked(test.snapshot({"captured_at": "2026-05-01T23:30:00Z", "support": {"support_end_date": "2026-05-01"}}), {"plan": {"site": {"timezone": "Europe/Berlin"}}})
	f := _eval(inp)
	f.status == "fail"
}

test_pass_snapshot_warning_boundary if {
	f := _eval(_snap("2026-05-02T09:00:00Z", "UTC", "2026-11-02"))
	f.status == "pass"
	f.warnings == []
}

test_pass_snapshot_warning_param_from_plan_override if {
	inp := test.linked(_snap("2026-05-02T09:00:00Z", "UTC", "2026-11-02"), {"plan": {"policy_overrides": {"snapshot_support_warning_months": 12}}})
	f := _eval(inp)
	f.status == "pass"
	count(f.warnings) == 1
}

test_fail_snapshot_null_end_date if {
	f := _eval(_snap("2026-05-02T09:00:00Z", "UTC", null))
	f.status == "fail"
	f.severity == "high"
}

test_fail_evidence_missing_captured_at if {
	f := _eval(test.snapshot({"device": {"timezone": "UTC"}, "support": {"support_end_date": "2030-01-01"}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_fail_evidence_missing_support_end_date_snapshot if {
	f := _eval(test.snapshot({"captured_at": "2026-05-02T09:00:00Z", "support": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.support.support_end_date"]
}
