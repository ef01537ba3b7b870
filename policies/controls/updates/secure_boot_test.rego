package lockcheck.controls.updates.secure_boot_test

import data.lockcheck.controls.updates.secure_boot as control
import data.lockcheck.test

test_pass_product_secure_boot if {
	f := control.finding with input as test.product({"firmware": {"secure_boot": true}, "alerts": {"enabled_types": ["tamper", "integrity_failure"]}})
	f.status == "pass"
	contains(f.rationale, "spec.firmware.secure_boot is true")
	f.warnings == []
}

test_pass_snapshot_secure_boot_with_alert_warning if {
	f := control.finding with input as test.snapshot({"firmware": {"secure_boot": true}, "alerts": {"enabled_types": ["tamper"]}})
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.warnings[0], "does not include integrity_failure")
	contains(f.rationale, "does not include integrity_failure")
}

test_fail_product_no_secure_boot if {
	f := control.finding with input as test.product({"firmware": {"secure_boot": false}})
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.firmware.secure_boot is false")
}

test_fail_snapshot_no_secure_boot if {
	f := control.finding with input as test.snapshot({"firmware": {"secure_boot": false}})
	f.status == "fail"
}

test_fail_evidence_missing_secure_boot if {
	f := control.finding with input as test.snapshot({"firmware": {"signature_verification": "enforced"}, "alerts": {"enabled_types": ["integrity_failure"]}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.secure_boot"]
}

test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.secure_boot"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({"planned_install_date": "2026-12-01"})
}
