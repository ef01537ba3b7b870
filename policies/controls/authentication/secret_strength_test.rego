package lockcheck.controls.authentication.secret_strength_test

import data.lockcheck.controls.authentication.secret_strength as control
import data.lockcheck.test

_params := {"min_pin_length_digits": 6, "min_password_length": 8}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good_product := {"auth": {
	"pin": {"min_length_digits": 6, "device_random_min_length": 8, "blocklist_enforced": true},
	"password": {"min_length": 8, "max_length_at_least": 64, "composition_rules_imposed": false, "blocklist_enforced": true},
}}

_prod(ops) := test.product(json.patch(_good_product, ops))

test_pass_product if {
	f := _eval(test.product(_good_product))
	f.status == "pass"
	f.severity == "medium"
	contains(f.rationale, "spec.auth.pin.min_length_digits is 6")
	contains(f.rationale, "spec.auth.password.min_length is 8")
}

test_fail_product_short_user_pin if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/pin/min_length_digits", "value": 4}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.pin.min_length_digits is 4: user-chosen PINs")
	f.evidence == [{"path": "spec.auth.pin.min_length_digits", "observed": 4, "expected": ">= 6"}]
}

test_fail_product_short_device_pin if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/pin/device_random_min_length", "value": 5}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.pin.device_random_min_length is 5: device-generated PINs")
}

test_fail_product_no_pin_blocklist if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/pin/blocklist_enforced", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.pin.blocklist_enforced is false")
}

test_fail_product_no_password_blocklist if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/password/blocklist_enforced", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.password.blocklist_enforced is false")
}

test_fail_product_short_password if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/password/min_length", "value": 6}]))
	f.status == "fail"
	contains(f.rationale, "spec.auth.password.min_length is 6")
}

test_fail_product_composition_rules if {
	f := _eval(_prod([{"op": "replace", "path": "/auth/password/composition_rules_imposed", "value": true}]))
	f.status == "fail"
	contains(f.rationale, "composition_rules_imposed is true")
}

test_pass_product_thresholds_from_params if {
	inp := _prod([{"op": "replace", "path": "/auth/pin/min_length_digits", "value": 4}])
	f := control.finding with input as inp with data.params as {"min_pin_length_digits": 4, "min_password_length": 8}
	f.status == "pass"
}

test_fail_evidence_missing_min_length_digits if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/pin/min_length_digits"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.pin.min_length_digits"]
}

test_fail_evidence_missing_device_random_min_length if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/pin/device_random_min_length"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.pin.device_random_min_length"]
}

test_fail_evidence_missing_pin_blocklist_enforced if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/pin/blocklist_enforced"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.pin.blocklist_enforced"]
}

test_fail_evidence_missing_password_min_length if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/password/min_length"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.password.min_length"]
}

test_fail_evidence_missing_composition_rules_imposed if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/password/composition_rules_imposed"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.password.composition_rules_imposed"]
}

test_fail_evidence_missing_password_blocklist_enforced if {
	f := _eval(_prod([{"op": "remove", "path": "/auth/password/blocklist_enforced"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.auth.password.blocklist_enforced"]
}

test_claims_do_not_satisfy if {
	f := _eval(test.product({"claims": {"etsi_en_303_645": true}}))
	f.status == "insufficient_evidence"
	count(f.missing) == 6
}

# --- LockSnapshot ---

_good_snapshot := {"credentials": [
	{"credential_id": "p-1", "holder_id": "h-1", "kind": "keypad_pin", "cloud_status": "active", "pin_length": 6, "pin_source": "user_chosen"},
	{"credential_id": "o-1", "holder_id": "h-2", "kind": "offline_algorithmic_pin", "cloud_status": "active", "pin_length": 9, "pin_source": "device_random"},
	{"credential_id": "p-0", "holder_id": "h-3", "kind": "keypad_pin", "cloud_status": "revoked", "pin_length": 4},
	{"credential_id": "a-1", "holder_id": "h-1", "kind": "app_key", "cloud_status": "active", "pin_length": null},
]}

_snap(ops) := test.snapshot(json.patch(_good_snapshot, ops))

test_pass_snapshot_active_pins_long_enough if {
	f := _eval(test.snapshot(_good_snapshot))
	f.status == "pass"
	contains(f.rationale, "keypad_pin p-1 (holder h-1, user_chosen) has pin_length 6")
	not contains(f.rationale, "p-0")
}

test_fail_snapshot_short_active_pin if {
	f := _eval(_snap([{"op": "replace", "path": "/credentials/0/pin_length", "value": 4}]))
	f.status == "fail"
	contains(f.rationale, "keypad_pin p-1 (holder h-1, user_chosen) has pin_length 4")
	f.evidence == [{"path": "spec.credentials[0].pin_length", "observed": 4, "expected": ">= 6"}]
}

# offline algorithmic PINs are CRED-007's (catalogue §1.1, 2026-12-04)
test_pass_snapshot_short_offline_pin_not_judged if {
	f := _eval(_snap([{"op": "replace", "path": "/credentials/1/pin_length", "value": 5}]))
	f.status == "pass"
	not contains(f.rationale, "o-1")
}

test_pass_snapshot_offline_pin_without_length if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/1/pin_length"}]))
	f.status == "pass"
	f.missing == []
}

test_pass_snapshot_no_pins if {
	f := _eval(test.snapshot({"credentials": [{"credential_id": "a-1", "kind": "app_key", "cloud_status": "active"}]}))
	f.status == "pass"
	contains(f.rationale, "none of the 1 credentials")
}

test_fail_evidence_missing_credentials if {
	f := _eval(test.snapshot({}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_fail_evidence_missing_kind if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/3/kind"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[3].kind"]
}

test_fail_evidence_missing_cloud_status if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/2/cloud_status"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[2].cloud_status"]
}

test_fail_evidence_missing_pin_length if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/0/pin_length"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].pin_length"]
}

test_fail_evidence_null_pin_length_on_a_pin if {
	f := _eval(_snap([{"op": "replace", "path": "/credentials/0/pin_length", "value": null}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].pin_length"]
}

test_not_produced_for_plans if {
	not _eval(test.plan(_good_product))
}

test_pass_snapshot_pin_source_is_context if {
	f := _eval(_snap([{"op": "remove", "path": "/credentials/0/pin_source"}]))
	f.status == "pass"
	contains(f.rationale, "keypad_pin p-1 (holder h-1) has pin_length 6")
}
