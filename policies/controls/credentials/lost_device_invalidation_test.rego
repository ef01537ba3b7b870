package lockcheck.controls.credentials.lost_device_invalidation_test

import data.lockcheck.controls.credentials.lost_device_invalidation as control
import data.lockcheck.test

_params := {"min_notification_addresses": 2}

_f(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good_product := {
	"credentials_support": {"remote_invalidation": true},
	"notifications": {"on_credential_added": true, "on_credential_removed": true, "max_addresses": 5},
}

_product(patch) := test.product(json.patch(_good_product, patch))

test_pass_product_invalidation_and_notifications if {
	f := _f(_product([]))
	f.status == "pass"
	contains(f.rationale, "spec.credentials_support.remote_invalidation is true.")
	contains(f.rationale, "spec.notifications.on_credential_removed is true.")
}

test_fail_product_no_remote_invalidation if {
	f := _f(_product([{"op": "replace", "path": "/credentials_support/remote_invalidation", "value": false}]))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.credentials_support.remote_invalidation is false: a lost phone or fob cannot be invalidated remotely")
}

test_fail_product_no_notice_on_add if {
	f := _f(_product([{"op": "replace", "path": "/notifications/on_credential_added", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "on_credential_added is false")
}

test_fail_product_no_notice_on_remove if {
	f := _f(_product([{"op": "replace", "path": "/notifications/on_credential_removed", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "on_credential_removed is false")
}

test_fail_evidence_missing_remote_invalidation if {
	f := _f(_product([{"op": "remove", "path": "/credentials_support/remote_invalidation"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.remote_invalidation"]
}

test_fail_evidence_missing_on_credential_added if {
	f := _f(_product([{"op": "remove", "path": "/notifications/on_credential_added"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.notifications.on_credential_added"]
}

test_fail_evidence_missing_on_credential_removed if {
	f := _f(_product([{"op": "remove", "path": "/notifications/on_credential_removed"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.notifications.on_credential_removed"]
}

test_pass_snapshot_two_addresses if {
	f := _f(test.snapshot({"notifications": {"addresses_count": 2}}))
	f.status == "pass"
	contains(f.rationale, "addresses_count is 2, at least 2")
}

test_fail_snapshot_one_address if {
	f := _f(test.snapshot({"notifications": {"addresses_count": 1}}))
	f.status == "fail"
	contains(f.rationale, "spec.notifications.addresses_count is 1: fewer than 2")
}

test_fail_evidence_missing_addresses_count if {
	f := _f(test.snapshot({"notifications": {}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.notifications.addresses_count"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
