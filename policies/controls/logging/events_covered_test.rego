package lockcheck.controls.logging.events_covered_test

import data.lockcheck.controls.logging.events_covered as control
import data.lockcheck.test

_types := ["unlock", "lock", "unlock_failed", "credential_added", "credential_removed", "admin_changed", "firmware_updated", "factory_reset", "tamper"]

_logging := {"enabled": true, "event_types": _types, "retention_days": 90}

test_pass_snapshot_all_required_events if {
	f := control.finding with input as test.snapshot({"logging": _logging})
	f.status == "pass"
	contains(f.rationale, "spec.logging.enabled is true")
	contains(f.rationale, "spec.logging.event_types includes every required security event")
}

test_pass_product_declared_events if {
	f := control.finding with input as test.product({"logging": {"event_types": _types}})
	f.status == "pass"
}

test_fail_snapshot_logging_disabled if {
	f := control.finding with input as test.snapshot({"logging": object.union(_logging, {"enabled": false})})
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.logging.enabled is false")
}

test_fail_snapshot_missing_event_types if {
	f := control.finding with input as test.snapshot({"logging": object.union(_logging, {"event_types": ["unlock", "lock", "credential_added"]})})
	f.status == "fail"
	contains(f.rationale, "spec.logging.event_types does not include admin_changed, credential_removed, factory_reset, firmware_updated, unlock_failed")
}

test_fail_product_missing_factory_reset if {
	f := control.finding with input as test.product({"logging": {"event_types": [t | some t in _types; t != "factory_reset"]}})
	f.status == "fail"
	contains(f.rationale, "does not include factory_reset:")
}

test_fail_product_empty_event_types if {
	f := control.finding with input as test.product({"logging": {"event_types": []}})
	f.status == "fail"
}

# a product has no enabled flag: it is not needed
test_pass_product_needs_no_enabled_flag if {
	f := control.finding with input as test.product({"logging": {"event_types": _types, "retention_days": 365}})
	f.missing == []
}

test_fail_evidence_missing_enabled if {
	f := control.finding with input as test.snapshot({"logging": object.remove(_logging, ["enabled"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.enabled"]
	contains(f.rationale, "includes every required security event")
}

test_fail_evidence_missing_event_types if {
	f := control.finding with input as test.snapshot({"logging": object.remove(_logging, ["event_types"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.event_types"]
}

test_fail_evidence_missing_event_types_product if {
	f := control.finding with input as test.product({"logging": {"retention_days": 90}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.event_types"]
}

test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({"planned_install_date": "2026-12-01"})
}
