package lockcheck.controls.updates.anti_rollback_test

import data.lockcheck.controls.updates.anti_rollback as control
import data.lockcheck.test

_snap_fw := {"anti_rollback": true, "security_version": 7, "min_allowed_security_version": 7, "signature_verification": "enforced"}

_patch(obj, path, value) := json.patch(obj, [{"op": "replace", "path": path, "value": value}])

test_pass_product_anti_rollback if {
	f := control.finding with input as test.product({"firmware": {"anti_rollback": true}})
	f.status == "pass"
	contains(f.rationale, "spec.firmware.anti_rollback is true")
}

test_pass_snapshot_at_minimum if {
	f := control.finding with input as test.snapshot({"firmware": _snap_fw})
	f.status == "pass"
	contains(f.rationale, "security_version is 7, at or above")
}

test_fail_product_no_anti_rollback if {
	f := control.finding with input as test.product({"firmware": {"anti_rollback": false}})
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.firmware.anti_rollback is false")
}

test_fail_snapshot_anti_rollback_disabled if {
	f := control.finding with input as test.snapshot({"firmware": _patch(_snap_fw, "/anti_rollback", false)})
	f.status == "fail"
	contains(f.rationale, "anti_rollback is false")
}

# Edge case 5: an image below the minimum security version must be refused.
test_edge_case_5_security_version_below_minimum if {
	f := control.finding with input as test.snapshot({"firmware": _patch(_snap_fw, "/security_version", 5)})
	f.status == "fail"
	contains(f.rationale, "security_version is 5, below spec.firmware.min_allowed_security_version 7")
	f.evidence == [{"path": "spec.firmware.security_version", "observed": 5, "expected": ">= 7"}]
}

# Edge case 5: signature enforced, anti_rollback false -> UPD-002 fail (high).
test_edge_case_5_signed_without_anti_rollback if {
	f := control.finding with input as test.product({"firmware": {"signature_verification": "enforced", "anti_rollback": false}})
	f.status == "fail"
	f.severity == "high"
}

test_fail_evidence_missing_anti_rollback if {
	f := control.finding with input as test.snapshot({"firmware": object.remove(_snap_fw, ["anti_rollback"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.anti_rollback"]
}

test_fail_evidence_missing_anti_rollback_product if {
	f := control.finding with input as test.product({"firmware": {"signature_verification": "enforced"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.anti_rollback"]
}

test_fail_evidence_missing_security_version if {
	f := control.finding with input as test.snapshot({"firmware": object.remove(_snap_fw, ["security_version"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.security_version"]
	contains(f.rationale, "anti_rollback is true")
}

test_fail_evidence_missing_min_allowed_security_version if {
	f := control.finding with input as test.snapshot({"firmware": object.remove(_snap_fw, ["min_allowed_security_version"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.min_allowed_security_version"]
}

# A violation shown by present fields wins over missing evidence.
test_fail_with_missing_listed if {
	f := control.finding with input as test.snapshot({"firmware": {"anti_rollback": false}})
	f.status == "fail"
	f.missing == ["spec.firmware.min_allowed_security_version", "spec.firmware.security_version"]
}

test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({"planned_install_date": "2026-12-01"})
}
