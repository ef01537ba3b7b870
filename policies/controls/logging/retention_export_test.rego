package lockcheck.controls.logging.retention_export_test

import data.lockcheck.controls.logging.retention_export as control
import data.lockcheck.test

_params := {"log_retention_days": 90}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

# --- ProductSpec ---

_product_logging := {"retention_days": 365, "export_formats": ["pdf", "csv"], "event_types": ["unlock"]}

test_pass_product_retention_and_export if {
	f := _eval(test.product({"logging": _product_logging}))
	f.status == "pass"
	contains(f.rationale, "spec.logging.retention_days is 365, at least the 90 days required")
	contains(f.rationale, "the log can be exported as csv")
}

test_fail_product_pdf_only if {
	f := _eval(test.product({"logging": object.union(_product_logging, {"export_formats": ["pdf"]})}))
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "spec.logging.export_formats is [\"pdf\"]")
}

test_fail_product_short_retention if {
	f := _eval(test.product({"logging": object.union(_product_logging, {"retention_days": 30})}))
	f.status == "fail"
	contains(f.rationale, "spec.logging.retention_days is 30: events are kept for fewer than the 90 days")
}

test_pass_product_retention_exactly_threshold if {
	f := _eval(test.product({"logging": object.union(_product_logging, {"retention_days": 90})}))
	f.status == "pass"
}

test_fail_evidence_missing_retention_days_product if {
	f := _eval(test.product({"logging": object.remove(_product_logging, ["retention_days"])}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.retention_days"]
}

test_fail_evidence_missing_export_formats if {
	f := _eval(test.product({"logging": object.remove(_product_logging, ["export_formats"])}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.export_formats"]
}

test_edge_case_claims_only_spec if {
	f := _eval(test.product({"claims": {"etsi_en_303_645": true}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.export_formats", "spec.logging.retention_days"]
}

# --- LockSnapshot ---

_snap(logging) := test.snapshot({"captured_at": "2026-11-20T10:00:00Z", "logging": logging})

test_pass_snapshot_retention if {
	f := _eval(_snap({"enabled": true, "retention_days": 120, "oldest_event_at": "2026-08-01T00:00:00Z"}))
	f.status == "pass"
	contains(f.rationale, "spec.logging.retention_days is 120")
	contains(f.rationale, "oldest_event_at is 2026-08-01T00:00:00Z")
}

test_fail_snapshot_short_retention if {
	f := _eval(_snap({"retention_days": 60}))
	f.status == "fail"
	contains(f.rationale, "spec.logging.retention_days is 60")
}

test_fail_snapshot_retention_below_plan_override if {
	inp := test.linked(_snap({"retention_days": 120}), {"plan": {"policy_overrides": {"log_retention_days": 180}}})
	f := _eval(inp)
	f.status == "fail"
	contains(f.rationale, "fewer than the 180 days required")
}

# the threshold falls back to the default when the plan is not resolved
test_pass_snapshot_without_plan_uses_default if {
	f := _eval(_snap({"retention_days": 90}))
	f.status == "pass"
	f.missing == []
}

test_fail_evidence_missing_retention_days_snapshot if {
	f := _eval(_snap({"enabled": true}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.retention_days"]
}

# --- InstallPlan ---

_plan_spec := {"planned_install_date": "2026-12-01", "policy_overrides": {"log_retention_days": 180}}

test_pass_plan_product_retention if {
	f := _eval(test.linked(test.plan(_plan_spec), {"product": {"logging": {"retention_days": 365}}}))
	f.status == "pass"
	contains(f.rationale, "the linked product's product:spec.logging.retention_days is 365, at least the 180 days required")
}

test_fail_plan_product_retention_below_override if {
	f := _eval(test.linked(test.plan(_plan_spec), {"product": {"logging": {"retention_days": 90}}}))
	f.status == "fail"
	contains(f.rationale, "product:spec.logging.retention_days is 90")
}

test_pass_plan_default_threshold if {
	f := _eval(test.linked(test.plan({"planned_install_date": "2026-12-01"}), {"product": {"logging": {"retention_days": 90}}}))
	f.status == "pass"
}

test_fail_plan_unresolved_product if {
	f := _eval(test.plan(_plan_spec))
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}

test_fail_evidence_missing_retention_days_plan_product if {
	f := _eval(test.linked(test.plan(_plan_spec), {"product": {"logging": {"export_formats": ["csv"]}}}))
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.logging.retention_days"]
}
