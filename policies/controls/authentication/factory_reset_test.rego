package lockcheck.controls.authentication.factory_reset_test

import data.lockcheck.controls.authentication.factory_reset as control
import data.lockcheck.test

_flags := ["requires_physical_access", "erases_credentials", "erases_user_data_and_logs", "requires_cloud_unbind_or_notifies_owner"]

_good := {"factory_reset": {f: true | some f in _flags}}

_prod(ops) := test.product(json.patch(_good, ops))

test_pass_all_true if {
	f := control.finding with input as test.product(_good)
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "spec.factory_reset.requires_physical_access is true")
	count(f.evidence) == 4
}

test_fail_remote_reset if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/factory_reset/requires_physical_access", "value": false}])
	f.status == "fail"
	contains(f.rationale, "spec.factory_reset.requires_physical_access is false")
	f.evidence == [{"path": "spec.factory_reset.requires_physical_access", "observed": false, "expected": true}]
}

test_fail_keeps_credentials if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/factory_reset/erases_credentials", "value": false}])
	f.status == "fail"
	contains(f.rationale, "erases_credentials is false: credentials survive a reset")
}

test_fail_keeps_user_data if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/factory_reset/erases_user_data_and_logs", "value": false}])
	f.status == "fail"
	contains(f.rationale, "erases_user_data_and_logs is false")
}

test_fail_silent_cloud_binding if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/factory_reset/requires_cloud_unbind_or_notifies_owner", "value": false}])
	f.status == "fail"
	contains(f.rationale, "requires_cloud_unbind_or_notifies_owner is false")
}

test_fail_evidence_missing_requires_physical_access if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/factory_reset/requires_physical_access"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.factory_reset.requires_physical_access"]
}

test_fail_evidence_missing_erases_credentials if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/factory_reset/erases_credentials"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.factory_reset.erases_credentials"]
}

test_fail_evidence_missing_erases_user_data_and_logs if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/factory_reset/erases_user_data_and_logs"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.factory_reset.erases_user_data_and_logs"]
}

test_fail_evidence_missing_requires_cloud_unbind_or_notifies_owner if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/factory_reset/requires_cloud_unbind_or_notifies_owner"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.factory_reset.requires_cloud_unbind_or_notifies_owner"]
}

test_claims_do_not_satisfy if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true, "psti_statement_of_compliance": true}})
	f.status == "insufficient_evidence"
	count(f.missing) == 4
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good)
}
