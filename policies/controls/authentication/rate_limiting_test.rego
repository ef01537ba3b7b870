package lockcheck.controls.authentication.rate_limiting_test

import data.lockcheck.controls.authentication.rate_limiting as control
import data.lockcheck.test

_params := {
	"max_auth_consecutive_failures": 100,
	"max_failures_before_lockout_delay": 10,
	"min_lockout_delay_s": 30,
}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_rl(m, d) := {"max_consecutive_failures": m, "lockout_delay_s": d, "lockout_scope": "per_interface"}

_good_snapshot := {
	"interfaces": [
		{"type": "ble", "enabled": true, "rate_limit": _rl(5, 60)},
		{"type": "keypad", "enabled": true, "rate_limit": _rl(5, 30)},
		{"type": "keypad_bus", "enabled": true},
		{"type": "cloud_api", "enabled": true, "rate_limit": _rl(10, 300)},
		{"type": "usb", "enabled": true},
		{"type": "zigbee", "enabled": false},
	],
	"credentials": [{"credential_id": "c-1", "holder_id": "h-1", "kind": "keypad_pin", "cloud_status": "active"}],
}

_snap(ops) := test.snapshot(json.patch(_good_snapshot, ops))

_good_product := {"interfaces": [
	{"type": "ble", "rate_limit": _rl(5, 60)},
	{"type": "cloud_api", "enabled": true, "rate_limit": _rl(10, 60)},
	{"type": "wifi", "enabled": false},
]}

_prod(ops) := test.product(json.patch(_good_product, ops))

# --- LockSnapshot ---

test_pass_snapshot_every_interface_limited if {
	f := _eval(test.snapshot(_good_snapshot))
	f.status == "pass"
	f.severity == "critical"
	contains(f.rationale, "interface ble (spec.interfaces[0]) locks out after 5 consecutive failures")
	contains(f.rationale, "interface keypad (spec.interfaces[1])")
	contains(f.rationale, "interface cloud_api (spec.interfaces[3])")
	not contains(f.rationale, "usb")
	contains(f.rationale, "spec.interfaces declares the keypad interface that the keypad PIN credentials are entered on.")
	f.warnings == []
}

test_pass_snapshot_disabled_interface_not_judged if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/5", "value": {"type": "zigbee", "enabled": false, "rate_limit": _rl(0, 0)}}]))
	f.status == "pass"
}

test_fail_snapshot_no_rate_limit if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/3/rate_limit", "value": null}]))
	f.status == "fail"
	contains(f.rationale, "interface cloud_api (spec.interfaces[3]) has rate_limit: null")
}

test_fail_snapshot_above_hard_limit if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/3/rate_limit/max_consecutive_failures", "value": 101}]))
	f.status == "fail"
	contains(f.rationale, "interface cloud_api (spec.interfaces[3]) allows 101 consecutive failures")
	f.evidence[_] == {"path": "spec.interfaces[3].rate_limit.max_consecutive_failures", "observed": 101, "expected": "1..100"}
}

test_fail_snapshot_keypad_delay_too_short if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/1/rate_limit/lockout_delay_s", "value": 5}]))
	f.status == "fail"
	contains(f.rationale, "interface keypad (spec.interfaces[1]) waits 5 s (rate_limit.lockout_delay_s) after 5 consecutive failures")
}

test_fail_snapshot_ble_too_many_failures_before_delay if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/0/rate_limit/max_consecutive_failures", "value": 50}]))
	f.status == "fail"
	contains(f.rationale, "interface ble (spec.interfaces[0]) waits 60 s (rate_limit.lockout_delay_s) after 50 consecutive failures")
}

test_fail_snapshot_keypad_null_delay if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/1/rate_limit/lockout_delay_s", "value": null}]))
	f.status == "fail"
	contains(f.rationale, "interface keypad (spec.interfaces[1]) waits no time at all (rate_limit.lockout_delay_s is null)")
}

test_pass_snapshot_delay_rule_is_a_warning_elsewhere if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/3/rate_limit", "value": _rl(50, 10)}]))
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.warnings[0], "interface cloud_api (spec.interfaces[3]) waits 10 s (rate_limit.lockout_delay_s) after 50 consecutive failures")
}

# additional trap: per-interface evaluation, one weak interface fails the control
test_fail_snapshot_one_weak_interface_named if {
	f := _eval(_snap([{"op": "add", "path": "/interfaces/-", "value": {"type": "nfc", "enabled": true, "rate_limit": _rl(0, 30)}}]))
	f.status == "fail"
	contains(f.rationale, "interface nfc (spec.interfaces[6])")
	not contains(f.rationale, "interface ble")
}

test_fail_snapshot_keypad_pins_without_keypad_interface if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/1"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[type=keypad]"]
}

test_pass_snapshot_no_pins_no_keypad_needed if {
	f := _eval(_snap([
		{"op": "remove", "path": "/interfaces/1"},
		{"op": "replace", "path": "/credentials/0/kind", "value": "app_key"},
	]))
	f.status == "pass"
}

test_na_snapshot_no_interface_accepts_secrets if {
	f := _eval(test.snapshot({
		"interfaces": [{"type": "usb", "enabled": true}, {"type": "ble", "enabled": false}],
		"credentials": [{"credential_id": "m-1", "kind": "mechanical_key"}],
	}))
	f.status == "not_applicable"
	contains(f.rationale, "none of the 2 entries of spec.interfaces")
}

test_fail_evidence_missing_interfaces if {
	f := _eval(test.snapshot(object.remove(_good_snapshot, ["interfaces"])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces"]
}

test_fail_evidence_missing_type if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/4/type"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[4].type"]
}

test_fail_evidence_missing_enabled if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/5/enabled"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[5].enabled"]
}

test_fail_evidence_missing_rate_limit if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/3/rate_limit"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[3].rate_limit"]
}

test_fail_evidence_missing_max_consecutive_failures if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/0/rate_limit/max_consecutive_failures"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].rate_limit.max_consecutive_failures"]
}

# the delay is needed on keypad and ble only (catalogue §1.1, 2026-12-04)
test_fail_evidence_missing_lockout_delay_s if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/1/rate_limit/lockout_delay_s"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[1].rate_limit.lockout_delay_s"]
}

test_pass_lockout_delay_s_not_needed_on_cloud_api if {
	f := _eval(_snap([{"op": "remove", "path": "/interfaces/3/rate_limit/lockout_delay_s"}]))
	f.status == "pass"
	f.missing == []
	contains(f.rationale, "interface cloud_api (spec.interfaces[3]) locks out after 10 consecutive failures (rate_limit.max_consecutive_failures; no lockout_delay_s stated")
	contains(f.warnings[0], "interface cloud_api (spec.interfaces[3]) states no rate_limit.lockout_delay_s")
}

test_pass_product_lockout_delay_s_not_needed_on_cloud_api if {
	f := _eval(_prod([{"op": "remove", "path": "/interfaces/1/rate_limit/lockout_delay_s"}]))
	f.status == "pass"
	f.missing == []
}

test_fail_product_evidence_missing_lockout_delay_s_on_ble if {
	f := _eval(_prod([{"op": "remove", "path": "/interfaces/0/rate_limit/lockout_delay_s"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].rate_limit.lockout_delay_s"]
}

# too many failures before any delay breaks the rule whatever the delay
test_fail_keypad_too_many_failures_delay_unstated if {
	f := _eval(_snap([
		{"op": "remove", "path": "/interfaces/1/rate_limit/lockout_delay_s"},
		{"op": "replace", "path": "/interfaces/1/rate_limit/max_consecutive_failures", "value": 20},
	]))
	f.status == "fail"
	f.missing == []
	contains(f.rationale, "interface keypad (spec.interfaces[1]) waits an unstated time (rate_limit.lockout_delay_s is absent) after 20 consecutive failures")
	f.evidence == [{"path": "spec.interfaces[1].rate_limit.lockout_delay_s", "observed": {"max_consecutive_failures": 20}, "expected": {"max_consecutive_failures": "<= 10", "lockout_delay_s": ">= 30"}}]
}

test_fail_evidence_missing_kind if {
	f := _eval(_snap([
		{"op": "remove", "path": "/interfaces/1"},
		{"op": "remove", "path": "/credentials/0/kind"},
	]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials[0].kind"]
}

test_fail_evidence_missing_credentials if {
	f := _eval(test.snapshot(json.patch(object.remove(_good_snapshot, ["credentials"]), [{"op": "remove", "path": "/interfaces/1"}])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.credentials"]
}

test_pass_snapshot_credentials_not_read_when_keypad_declared if {
	f := _eval(test.snapshot(object.remove(_good_snapshot, ["credentials"])))
	f.status == "pass"
}

# edge case 1 (second half): 0 is not "unlimited but fine"
test_edge_case_1_zero_max_consecutive_failures if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/1/rate_limit/max_consecutive_failures", "value": 0}]))
	f.status == "fail"
	contains(f.rationale, "interface keypad (spec.interfaces[1]) has rate_limit.max_consecutive_failures 0")
}

test_edge_case_1_null_max_consecutive_failures if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/0/rate_limit/max_consecutive_failures", "value": null}]))
	f.status == "fail"
	contains(f.rationale, "interface ble (spec.interfaces[0]) has rate_limit.max_consecutive_failures null")
}

test_edge_case_1_zero_on_other_interface_still_fails if {
	f := _eval(_snap([{"op": "replace", "path": "/interfaces/3/rate_limit/max_consecutive_failures", "value": 0}]))
	f.status == "fail"
	f.warnings == []
}

test_pass_thresholds_from_params if {
	inp := _snap([{"op": "replace", "path": "/interfaces/1/rate_limit/lockout_delay_s", "value": 5}])
	f := control.finding with input as inp with data.params as object.union(_params, {"min_lockout_delay_s": 5})
	f.status == "pass"
}

# --- ProductSpec ---

test_pass_product_declared_interfaces_limited if {
	f := _eval(test.product(_good_product))
	f.status == "pass"
	contains(f.rationale, "interface ble (spec.interfaces[0])")
	not contains(f.rationale, "interface wifi")
}

test_fail_product_interface_without_enabled_counts_as_offered if {
	f := _eval(_prod([{"op": "replace", "path": "/interfaces/0/rate_limit/max_consecutive_failures", "value": 0}]))
	f.status == "fail"
	contains(f.rationale, "interface ble (spec.interfaces[0])")
}

test_fail_product_evidence_missing_rate_limit if {
	f := _eval(_prod([{"op": "remove", "path": "/interfaces/1/rate_limit"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[1].rate_limit"]
}

test_pass_product_enabled_not_required if {
	f := _eval(_prod([{"op": "remove", "path": "/interfaces/1/enabled"}]))
	f.status == "pass"
}

test_fail_product_supports_pins_without_keypad if {
	f := _eval(test.product(object.union(_good_product, {"credentials_support": {"kinds": ["app_key", "keypad_pin"]}})))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[type=keypad]"]
}

test_na_product_no_secret_interface if {
	f := _eval(test.product({"interfaces": []}))
	f.status == "not_applicable"
}

test_not_produced_for_plans if {
	not _eval(test.plan(_good_product))
}
