package lockcheck.controls.updates.signature_verified_test

import data.lockcheck.controls.updates.signature_verified as control
import data.lockcheck.test

_firmware := {"signature_verification": "enforced", "signature_algorithm": "ecdsa-p256-sha256", "anti_rollback": true}

test_pass_product_enforced if {
	f := control.finding with input as test.product({"firmware": _firmware})
	f.status == "pass"
	contains(f.rationale, "spec.firmware.signature_verification is \"enforced\"")
	contains(f.rationale, "ecdsa-p256-sha256")
}

test_pass_snapshot_enforced_without_algorithm if {
	f := control.finding with input as test.snapshot({"firmware": {"signature_verification": "enforced"}})
	f.status == "pass"
	f.evidence == [{"path": "spec.firmware.signature_verification", "observed": "enforced", "expected": "enforced"}]
}

test_fail_product_optional if {
	f := control.finding with input as test.product({"firmware": object.union(_firmware, {"signature_verification": "optional"})})
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "spec.firmware.signature_verification is \"optional\"")
}

test_fail_snapshot_none if {
	f := control.finding with input as test.snapshot({"firmware": {"signature_verification": "none"}})
	f.status == "fail"
	contains(f.rationale, "\"none\"")
}

test_fail_evidence_missing_signature_verification if {
	f := control.finding with input as test.snapshot({"firmware": {"signature_algorithm": "ed25519"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.signature_verification"]
}

# Edge case 1: the field is absent in a spec; a negative rule would pass it.
test_edge_case_1_signature_verification_absent if {
	f := control.finding with input as test.product({"firmware": {"secure_boot": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.signature_verification"]
}

test_edge_case_1_optional_is_fail if {
	f := control.finding with input as test.product({"firmware": {"signature_verification": "optional"}})
	f.status == "fail"
}

# Edge case 5: signed firmware without anti-rollback passes UPD-001 (UPD-002 fails).
test_edge_case_5_signed_without_anti_rollback if {
	f := control.finding with input as test.product({"firmware": {"signature_verification": "enforced", "anti_rollback": false}})
	f.status == "pass"
}

# Claims never satisfy a control.
test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true, "psti_statement_of_compliance": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.signature_verification"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({"planned_install_date": "2026-12-01"})
}
