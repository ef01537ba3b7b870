package lockcheck.controls.communications.tls_server_auth_test

import data.lockcheck.controls.communications.tls_server_auth as control
import data.lockcheck.test

_params := {"min_tls_version": "1.2"}

_good := {"cloud": {"tls_certificate_validation": true, "tls_min_version": "1.2", "downgrade_allowed": false}}

_with(field, value) := json.patch(_good, [{"op": "replace", "path": concat("/", ["", "cloud", field]), "value": value}])

_without(field) := json.patch(_good, [{"op": "remove", "path": concat("/", ["", "cloud", field])}])

test_pass_product if {
	f := control.finding with input as test.product(_good) with data.params as _params
	f.status == "pass"
	contains(f.rationale, "spec.cloud.tls_min_version is \"1.2\" (minimum 1.2)")
	count(f.evidence) == 3
}

test_pass_snapshot_tls13 if {
	f := control.finding with input as test.snapshot(_with("tls_min_version", "1.3")) with data.params as _params
	f.status == "pass"
}

test_fail_certificate_not_validated if {
	f := control.finding with input as test.snapshot(_with("tls_certificate_validation", false)) with data.params as _params
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.cloud.tls_certificate_validation is false")
}

test_fail_old_tls_version if {
	f := control.finding with input as test.product(_with("tls_min_version", "1.1")) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "spec.cloud.tls_min_version is \"1.1\": below the minimum TLS version 1.2")
	f.evidence == [{"path": "spec.cloud.tls_min_version", "observed": "1.1", "expected": ">= 1.2"}]
}

test_fail_tls10 if {
	f := control.finding with input as test.snapshot(_with("tls_min_version", "1.0")) with data.params as _params
	f.status == "fail"
}

test_fail_downgrade_allowed if {
	f := control.finding with input as test.snapshot(_with("downgrade_allowed", true)) with data.params as _params
	f.status == "fail"
	contains(f.rationale, "spec.cloud.downgrade_allowed is true")
}

test_versions_compare_as_numbers if {
	f := control.finding with input as test.product(_with("tls_min_version", "1.10")) with data.params as _params
	f.status == "pass"
}

test_fail_plan_override_raises_minimum if {
	inp := test.linked(test.snapshot(_good), {"plan": {"policy_overrides": {"min_tls_version": "1.3"}}})
	f := control.finding with input as inp with data.params as _params
	f.status == "fail"
	contains(f.rationale, "below the minimum TLS version 1.3")
}

test_fail_evidence_missing_cloud if {
	f := control.finding with input as test.snapshot({}) with data.params as _params
	f.status == "insufficient_evidence"
	count(f.missing) == 3
}

test_fail_evidence_missing_tls_certificate_validation if {
	f := control.finding with input as test.snapshot(_without("tls_certificate_validation")) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.cloud.tls_certificate_validation"]
}

test_fail_evidence_missing_tls_min_version if {
	f := control.finding with input as test.product(_without("tls_min_version")) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.cloud.tls_min_version"]
}

test_fail_evidence_missing_downgrade_allowed if {
	f := control.finding with input as test.product(_without("downgrade_allowed")) with data.params as _params
	f.status == "insufficient_evidence"
	f.missing == ["spec.cloud.downgrade_allowed"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
