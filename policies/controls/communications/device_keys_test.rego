package lockcheck.controls.communications.device_keys_test

import data.lockcheck.controls.communications.device_keys as control
import data.lockcheck.test

_good := {"crypto": {"per_device_keys": true, "hardcoded_keys_in_app_or_firmware": false, "credentials_at_rest": "secure_element"}}

_with(field, value) := json.patch(_good, [{"op": "replace", "path": concat("/", ["", "crypto", field]), "value": value}])

_without(field) := json.patch(_good, [{"op": "remove", "path": concat("/", ["", "crypto", field])}])

test_pass_product if {
	f := control.finding with input as test.product(_good)
	f.status == "pass"
	contains(f.rationale, "spec.crypto.credentials_at_rest is \"secure_element\"")
	count(f.evidence) == 3
}

test_pass_hashed_credentials if {
	f := control.finding with input as test.product(_with("credentials_at_rest", "hashed"))
	f.status == "pass"
}

test_fail_shared_keys if {
	f := control.finding with input as test.product(_with("per_device_keys", false))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "spec.crypto.per_device_keys is false")
}

test_fail_hardcoded_keys if {
	f := control.finding with input as test.product(_with("hardcoded_keys_in_app_or_firmware", true))
	f.status == "fail"
	contains(f.rationale, "spec.crypto.hardcoded_keys_in_app_or_firmware is true")
}

test_fail_plaintext_credentials if {
	f := control.finding with input as test.product(_with("credentials_at_rest", "plaintext"))
	f.status == "fail"
	contains(f.rationale, "spec.crypto.credentials_at_rest is \"plaintext\"")
	f.evidence == [{"path": "spec.crypto.credentials_at_rest", "observed": "plaintext", "expected": ["encrypted", "hashed", "secure_element"]}]
}

test_fail_evidence_missing_crypto if {
	f := control.finding with input as test.product({})
	f.status == "insufficient_evidence"
	count(f.missing) == 3
}

test_fail_evidence_missing_per_device_keys if {
	f := control.finding with input as test.product(_without("per_device_keys"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.crypto.per_device_keys"]
}

test_fail_evidence_missing_hardcoded_keys_in_app_or_firmware if {
	f := control.finding with input as test.product(_without("hardcoded_keys_in_app_or_firmware"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.crypto.hardcoded_keys_in_app_or_firmware"]
}

test_fail_evidence_missing_credentials_at_rest if {
	f := control.finding with input as test.product(_without("credentials_at_rest"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.crypto.credentials_at_rest"]
}

test_claims_do_not_satisfy_the_control if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good)
}
