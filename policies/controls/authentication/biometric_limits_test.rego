package lockcheck.controls.authentication.biometric_limits_test

import data.lockcheck.controls.authentication.biometric_limits as control
import data.lockcheck.test

_params := {
	"max_biometric_fmr": 0.0001,
	"max_biometric_consecutive_failures": 5,
	"max_biometric_consecutive_failures_pad": 10,
	"min_biometric_delay_s": 30,
	"max_biometric_overall_failures": 50,
	"max_biometric_overall_failures_pad": 100,
}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good := {"auth": {"biometric": {
	"supported": true,
	"fmr": 0.00002,
	"pad_implemented": false,
	"max_consecutive_failures": 5,
	"delay_after_limit_s": 30,
	"overall_failure_limit": 50,
	"non_biometric_alternative": true,
}}}

_prod(ops) := test.product(json.patch(_good, ops))

test_pass_without_pad if {
	f := _eval(test.product(_good))
	f.status == "pass"
	f.severity == "medium"
	contains(f.rationale, "spec.auth.biometric.max_consecutive_failures is 5 (at most 5 without presentation attack detection)")
	contains(f.rationale, "spec.auth.biometric.fmr is 2e-05")
}

test_pass_with_pad_higher_limits if {
	f := _eval(_prod([
		{"op": "replace", "path": "/auth/biometric/pad_implemented", "value": true},
		{"op": "replace", "path": "/auth/biometric/max_consecutive_failures", "value": 10},
		{"op": "replace", "path": "/auth/biometric/overall_failure_limit", "value": 100},
	]))
	f.status == "pass"
	contains(f.rationale, "overall_failure_limit is 100 (at most 100 with presentation attack detection)")
}

test_fail_consecutive_above_no_pad_limit if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/biometric/max_consecutive_failures", "value": 10}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.biometric.max_consecutive_failures is 10")
	contains(f.rationale, "between 1 and 5 without presentation attack detection")
}

test_fail_overall_above_pad_limit if {
	f := _eval(_prod([
		{"op": "replace", "path": "/auth/biometric/pad_implemented", "value": true},
		{"op": "replace", "path": "/auth/biometric/overall_failure_limit", "value": 101},
	]))
	f.status == "fail"
	contains(f.rationale, "overall_failure_limit is 101")
}

test_fail_zero_consecutive_limit_means_unlimited if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/biometric/max_consecutive_failures", "value": 0}]))
	f.status == "fail"
	contains(f.rationale, "max_consecutive_failures is 0")
}

test_fail_no_alternative if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/biometric/non_biometric_alternative", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "non_biometric_alternative is false")
}

test_fail_fmr_too_high if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/biometric/fmr", "value": 0.001}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.biometric.fmr is 0.001")
	f.evidence == [{"path": "spec.auth.biometric.fmr", "observed": 0.001, "expected": "<= 0.0001"}]
}

test_fail_delay_too_short if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/biometric/delay_after_limit_s", "value": 10}]))
	f.status == "fail"
	contains(f.rationale, "delay_after_limit_s is 10")
}

test_na_not_supported if {
	f := _eval(test.product({"auth": {"biometric": {"supported": false}}}))
	f.status == "not_applicable"
	contains(f.rationale, "spec.auth.biometric.supported is false")
}

test_fail_evidence_missing_supported if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/supported"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.supported"]
}

test_fail_evidence_missing_non_biometric_alternative if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/non_biometric_alternative"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.non_biometric_alternative"]
}

test_fail_evidence_missing_fmr if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/fmr"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.fmr"]
}

test_fail_evidence_missing_pad_implemented if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/pad_implemented"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.pad_implemented"]
}

test_fail_evidence_missing_max_consecutive_failures if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/max_consecutive_failures"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.max_consecutive_failures"]
}

test_fail_evidence_missing_delay_after_limit_s if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/delay_after_limit_s"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.delay_after_limit_s"]
}

test_fail_evidence_missing_overall_failure_limit if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/biometric/overall_failure_limit"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.biometric.overall_failure_limit"]
}

test_pass_threshold_from_params if {
	inp := _prod([{"op": "replace", "path": "/auth/biometric/fmr", "value": 0.001}])
	f := control.finding with input as inp with data.params as object.union(_params, {"max_biometric_fmr": 0.001})
	f.status == "pass"
}

test_not_produced_for_snapshots if {
	not _eval(test.snapshot(_good))
}
