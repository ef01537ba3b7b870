package lockcheck.controls.resilience.local_operation_test

import data.lockcheck.controls.resilience.local_operation as control
import data.lockcheck.test

_good := {"resilience": {"local_operation_without_cloud": "limited", "cloud_required_for": ["credential_add", "log_upload", "firmware_update"]}}

_prod(ops) := test.product(json.patch(_good, ops))

test_pass_limited_local_operation if {
	f := control.finding with input as test.product(_good)
	f.status == "pass"
	f.severity == "high"
	contains(f.rationale, "spec.resilience.local_operation_without_cloud is limited")
	contains(f.rationale, "unlocking does not need the cloud")
}

test_pass_nothing_needs_cloud if {
	f := control.finding with input as _prod([
		{"op": "replace", "path": "/resilience/local_operation_without_cloud", "value": "full"},
		{"op": "replace", "path": "/resilience/cloud_required_for", "value": []},
	])
	f.status == "pass"
}

test_fail_no_local_operation if {
	f := control.finding with input as _prod([{"op": "replace", "path": "/resilience/local_operation_without_cloud", "value": "none"}])
	f.status == "fail"
	contains(f.rationale, "local_operation_without_cloud is none")
}

test_fail_unlock_needs_cloud if {
	f := control.finding with input as _prod([{"op": "add", "path": "/resilience/cloud_required_for/-", "value": "unlock"}])
	f.status == "fail"
	contains(f.rationale, "spec.resilience.cloud_required_for is [\"credential_add\", \"log_upload\", \"firmware_update\", \"unlock\"]")
}

test_fail_evidence_missing_local_operation_without_cloud if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/resilience/local_operation_without_cloud"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.resilience.local_operation_without_cloud"]
}

test_fail_evidence_missing_cloud_required_for if {
	f := control.finding with input as _prod([{"op": "remove", "path": "/resilience/cloud_required_for"}])
	f.status == "insufficient_evidence"
	f.missing == ["spec.resilience.cloud_required_for"]
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot(_good)
}
