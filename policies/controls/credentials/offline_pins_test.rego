package lockcheck.controls.credentials.offline_pins_test

import data.lockcheck.controls.credentials.offline_pins as control
import data.lockcheck.test

_params := {"max_offline_pin_validity_h": 24}

_f(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

# --- ProductSpec ---

_good_product := {"credentials_support": {"offline_pin": {"supported": true, "revocable_remotely": false, "max_validity_h": 24, "disclosed_in_docs": true}}}

test_pass_product_offline_pins_disclosed if {
	f := _f(test.product(_good_product))
	f.status == "pass"
	contains(f.rationale, "disclosed_in_docs is true")
}

test_na_product_without_offline_pins if {
	f := _f(test.product({"credentials_support": {"offline_pin": {"supported": false}}}))
	f.status == "not_applicable"
	contains(f.rationale, "offline_pin.supported is false")
}

test_fail_product_offline_pins_not_disclosed if {
	f := _f(test.product(json.patch(_good_product, [{"op": "replace", "path": "/credentials_support/offline_pin/disclosed_in_docs", "value": false}])))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "disclosed_in_docs is false")
}

test_fail_evidence_missing_supported if {
	f := _f(test.product({"credentials_support": {"offline_pin": {}}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.offline_pin.supported"]
}

test_fail_evidence_missing_disclosed_in_docs if {
	f := _f(test.product({"credentials_support": {"offline_pin": {"supported": true}}}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials_support.offline_pin.disclosed_in_docs"]
}

# --- LockSnapshot ---

_good_snapshot := {"credentials": [
	{"credential_id": "c-owner", "holder_id": "h-1", "role": "owner", "kind": "app_key", "cloud_status": "active", "valid_from": "2025-01-01T00:00:00Z", "valid_until": null},
	{"credential_id": "op-1", "holder_id": "h-2", "role": "guest", "kind": "offline_algorithmic_pin", "cloud_status": "active", "valid_from": "2025-06-01T10:00:00Z", "valid_until": "2025-06-01T18:00:00Z"},
	{"credential_id": "op-old", "holder_id": "h-3", "role": "guest", "kind": "offline_algorithmic_pin", "cloud_status": "expired", "valid_from": "2025-01-01T00:00:00Z", "valid_until": null},
]}

_with(patch) := test.linked(test.snapshot(json.patch(_good_snapshot, patch)), {"product": _revocable(false)})

_bare(patch) := test.snapshot(json.patch(_good_snapshot, patch))

_long := [{"op": "replace", "path": "/credentials/1/valid_until", "value": "2025-06-04T10:00:00Z"}]

_revocable(flag) := {"credentials_support": {"offline_pin": {"supported": true, "revocable_remotely": flag}}}

test_pass_snapshot_offline_pin_short if {
	f := _f(_with([]))
	f.status == "pass"
	contains(f.rationale, "offline PIN credential op-1 (holder h-2) is valid for 8 h (valid_from 2025-06-01T10:00:00Z, valid_until 2025-06-01T18:00:00Z), within 24 h")
	not contains(f.rationale, "op-old")
}

test_pass_snapshot_no_offline_pins_needs_no_product if {
	f := _f(test.snapshot({"credentials": [_good_snapshot.credentials[0]]}))
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials in spec.credentials is an active offline_algorithmic_pin")
}

test_fail_snapshot_offline_pin_without_expiry if {
	f := _f(_with([{"op": "replace", "path": "/credentials/1/valid_until", "value": null}]))
	f.status == "fail"
	contains(f.rationale, "offline PIN credential op-1 (holder h-2) has no expiry (spec.credentials[1].valid_until is null)")
	f.evidence[0].path == "spec.credentials[1].valid_until"
}

test_fail_snapshot_long_offline_pin_not_revocable if {
	f := _f(_with(_long))
	f.status == "fail"
	contains(f.rationale, "offline PIN credential op-1 (holder h-2) is valid for 3 days (valid_from 2025-06-01T10:00:00Z, valid_until 2025-06-04T10:00:00Z), more than 24 h")
	contains(f.rationale, "revocable_remotely: false")
}

test_pass_snapshot_long_offline_pin_revocable if {
	f := _f(test.linked(_bare(_long), {"product": _revocable(true)}))
	f.status == "pass"
	contains(f.rationale, "the product can revoke offline PINs remotely")
}

test_pass_snapshot_revocable_needs_no_valid_from if {
	f := _f(test.linked(_bare([{"op": "remove", "path": "/credentials/1/valid_from"}]), {"product": _revocable(true)}))
	f.status == "pass"
}

test_pass_snapshot_plan_override_allows_longer_pins if {
	f := _f(test.linked(_with(_long), {"plan": {"policy_overrides": {"max_offline_pin_validity_h": 72}}, "product": _revocable(false)}))
	f.status == "pass"
	contains(f.rationale, "within 72 h")
}

test_fail_evidence_unresolved_product if {
	f := _f(_bare([]))
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}

test_fail_evidence_missing_revocable_remotely if {
	f := _f(test.linked(_bare([]), {"product": {"credentials_support": {"offline_pin": {"supported": true}}}}))
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.credentials_support.offline_pin.revocable_remotely"]
}

test_fail_evidence_missing_credentials if {
	f := _f(test.snapshot({}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_cloud_status if {
	f := _f(_with([{"op": "remove", "path": "/credentials/2/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].cloud_status"]
}

test_fail_evidence_missing_kind if {
	f := _f(_with([{"op": "remove", "path": "/credentials/0/kind"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].kind"]
}

test_fail_evidence_missing_valid_until if {
	f := _f(_with([{"op": "remove", "path": "/credentials/1/valid_until"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].valid_until"]
}

test_fail_evidence_missing_valid_from if {
	f := _f(_with([{"op": "remove", "path": "/credentials/1/valid_from"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[1].valid_from"]
}

test_fail_evidence_missing_valid_from_and_product if {
	f := _f(_bare([{"op": "remove", "path": "/credentials/1/valid_from"}]))
	f.status == "insufficient_evidence"
	f.missing == ["related.product", "spec.credentials[1].valid_from"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
