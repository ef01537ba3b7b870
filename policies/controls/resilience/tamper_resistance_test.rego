package lockcheck.controls.resilience.tamper_resistance_test

import data.lockcheck.controls.resilience.tamper_resistance as control
import data.lockcheck.test

_good := {"hardware": {"tamper_detection": true, "outside_unit_holds_secrets": false, "debug_interface_state": "disabled_fused"}}

_prod(ops) := test.product(json.patch(_good, ops))

test_pass if {
	f := control.finding with input as test.product(_good)
	f.status == "pass"
	f.severity == "medium"
	contains(f.rationale, "spec.hardware.tamper_detection is true")
	contains(f.rationale, "spec.hardware.outside_unit_holds_secrets is false")
}

# debug_interface_state is context here (COMM-007 judges it)
test_pass_debug_state_not_needed if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/hardware/debug_interface_state"}])
	f.status == "pass"
}

test_fail_no_tamper_detection if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/hardware/tamper_detection", "value": false}])
	f.status == "fail"
	contains(f.rationale, "spec.hardware.tamper_detection is false")
}

test_fail_outside_unit_holds_secrets if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/hardware/outside_unit_holds_secrets", "value": true}])
	f.status == "fail"
	contains(f.rationale, "spec.hardware.outside_unit_holds_secrets is true")
	f.evidence == [{"path": "spec.hardware.outside_unit_holds_secrets", "observed": true, "expected": false}]
}

test_fail_evidence_missing_tamper_detection if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/hardware/tamper_detection"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.hardware.tamper_detection"]
}

test_fail_evidence_missing_outside_unit_holds_secrets if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/hardware/outside_unit_holds_secrets"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.hardware.outside_unit_holds_secrets"]
}

test_claims_do_not_satisfy if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good)
}
