package lockcheck.controls.authentication.account_recovery_test

import data.lockcheck.controls.authentication.account_recovery as control
import data.lockcheck.test

_params := {
	"min_recovery_code_entropy_bits": 64,
	"max_issued_code_validity_sms_voice_s": 600,
	"max_issued_code_validity_email_s": 86400,
}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good := {"recovery": {
	"methods": ["saved_code", "issued_code", "support_agent"],
	"saved_code_entropy_bits": 64,
	"issued_code_validity_s": {"sms_voice": 600, "email": 86400},
	"notifies_owner": true,
	"throttled": true,
	"agent_risk_analysis_documented": true,
}}

_prod(ops) := test.product(json.patch(_good, ops))

test_pass if {
	f := _eval(test.product(_good))
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "spec.recovery.methods is saved_code, issued_code, support_agent")
	contains(f.rationale, "spec.recovery.issued_code_validity_s.sms_voice is 600 s")
}

test_pass_without_saved_code_or_agent_needs_neither_field if {
	f := _eval(test.product(json.patch(_good, [
		{"op": "replace", "path": "/recovery/methods", "value": ["issued_code"]},
		{"op": "remove", "path": "/recovery/saved_code_entropy_bits"},
		{"op": "remove", "path": "/recovery/agent_risk_analysis_documented"},
	])))
	f.status == "pass"
}

test_fail_no_methods if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/methods", "value": []}]))
	f.status == "fail"
	contains(f.rationale, "spec.recovery.methods is empty")
}

test_fail_weak_saved_code if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/saved_code_entropy_bits", "value": 40}]))
	f.status == "fail"
	contains(f.rationale, "spec.recovery.saved_code_entropy_bits is 40")
	f.evidence == [{"path": "spec.recovery.saved_code_entropy_bits", "observed": 40, "expected": ">= 64"}]
}

test_fail_sms_code_too_long_lived if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/issued_code_validity_s/sms_voice", "value": 3600}]))
	f.status == "fail"
	contains(f.rationale, "issued_code_validity_s.sms_voice is 3600 s")
}

test_fail_email_code_too_long_lived if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/issued_code_validity_s/email", "value": 172800}]))
	f.status == "fail"
	contains(f.rationale, "issued_code_validity_s.email is 172800 s")
}

test_fail_owner_not_notified if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/notifies_owner", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "spec.recovery.notifies_owner is false")
}

test_fail_not_throttled if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/throttled", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "spec.recovery.throttled is false")
}

test_fail_agent_without_risk_analysis if {
	f := _eval(_prod([{"op": "replace", "path": "/recovery/agent_risk_analysis_documented", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "agent_risk_analysis_documented is false")
}

test_fail_evidence_missing_methods if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/methods"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.methods"]
}

test_fail_evidence_missing_saved_code_entropy_bits if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/saved_code_entropy_bits"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.saved_code_entropy_bits"]
}

test_fail_evidence_missing_sms_voice if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/issued_code_validity_s/sms_voice"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.issued_code_validity_s.sms_voice"]
}

test_fail_evidence_missing_email if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/issued_code_validity_s/email"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.issued_code_validity_s.email"]
}

test_fail_evidence_missing_notifies_owner if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/notifies_owner"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.notifies_owner"]
}

test_fail_evidence_missing_throttled if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/throttled"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.throttled"]
}

test_fail_evidence_missing_agent_risk_analysis_documented if {
	f := _eval(_prod([{"op": "remove", "path": "/recovery/agent_risk_analysis_documented"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.recovery.agent_risk_analysis_documented"]
}

test_pass_threshold_from_params if {
	inp := _prod([{"op": "replace", "path": "/recovery/saved_code_entropy_bits", "value": 40}])
	f := control.finding with input as inp with data.params as object.union(_params, {"min_recovery_code_entropy_bits": 40})
	f.status == "pass"
}

test_not_produced_for_plans if {
	not _eval(test.plan(_good))
}
