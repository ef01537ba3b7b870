package lockcheck.controls.communications.replay_protection_test

import data.lockcheck.controls.communications.replay_protection as control
import data.lockcheck.test

_good := {"interfaces": [
	{"type": "ble", "enabled": true, "replay_protection": "nonce_challenge"},
	{"type": "keypad", "enabled": true},
	{"type": "usb", "enabled": true},
	{"type": "cloud_api", "enabled": true, "replay_protection": "timestamp"},
	{"type": "zwave", "enabled": false},
	{"type": "keypad_bus", "enabled": true, "replay_protection": "counter"},
]}

_patch(ops) := json.patch(_good, ops)

test_pass_snapshot_every_unlock_interface_protected if {
	f := control.finding with input as test.snapshot(_good)
	f.status == "pass"
	contains(f.rationale, "interface ble (spec.interfaces[0]) can unlock and its replay_protection is \"nonce_challenge\"")
	contains(f.rationale, "interface usb (spec.interfaces[2]) cannot send a replayable unlock command")
	contains(f.rationale, "interface zwave (spec.interfaces[4]) is disabled")
	count(f.evidence) == 3
}

test_pass_snapshot_nothing_can_unlock if {
	f := control.finding with input as test.snapshot({"interfaces": [{"type": "keypad", "enabled": true}]})
	f.status == "pass"
	contains(f.rationale, "none of the 1 interfaces in spec.interfaces can unlock")
}

test_fail_snapshot_no_replay_protection if {
	f := control.finding with input as test.snapshot(_patch([{"op": "replace", "path": "/interfaces/3/replay_protection", "value": "none"}]))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "interface cloud_api (spec.interfaces[3]) is enabled and can unlock, but its replay_protection is \"none\"")
	f.evidence == [{"path": "spec.interfaces[3].replay_protection", "observed": "none", "expected": ["counter", "nonce_challenge", "timestamp"]}]
}

test_fail_snapshot_one_weak_interface_among_strong if {
	f := control.finding with input as test.snapshot(_patch([{"op": "replace", "path": "/interfaces/5/replay_protection", "value": "none"}]))
	f.status == "fail"
	contains(f.rationale, "interface keypad_bus (spec.interfaces[5])")
	not contains(f.rationale, "interface ble")
}

test_pass_snapshot_disabled_interface_without_protection if {
	f := control.finding with input as test.snapshot(_patch([{"op": "add", "path": "/interfaces/4/replay_protection", "value": "none"}]))
	f.status == "pass"
}

test_fail_evidence_missing_interfaces if {
	f := control.finding with input as test.snapshot({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces"]
}

test_fail_evidence_missing_type if {
	f := control.finding with input as test.snapshot(_patch([{"op": "remove", "path": "/interfaces/1/type"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[1].type"]
}

test_fail_evidence_missing_enabled if {
	f := control.finding with input as test.snapshot(_patch([{"op": "remove", "path": "/interfaces/4/enabled"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[4].enabled"]
}

test_fail_evidence_missing_replay_protection if {
	f := control.finding with input as test.snapshot(_patch([{"op": "remove", "path": "/interfaces/0/replay_protection"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].replay_protection"]
}

# --- ProductSpec ---

test_pass_product_declared_interfaces if {
	f := control.finding with input as test.product({"interfaces": [{"type": "ble", "replay_protection": "counter"}, {"type": "usb"}, {"type": "nfc", "enabled": false, "replay_protection": "none"}]})
	f.status == "pass"
}

test_fail_product_declared_interface_counts_as_offered if {
	f := control.finding with input as test.product({"interfaces": [{"type": "ble", "replay_protection": "counter"}, {"type": "nfc", "replay_protection": "none"}]})
	f.status == "fail"
	contains(f.rationale, "interface nfc (spec.interfaces[1]) is declared and can unlock")
}

test_fail_evidence_missing_product_replay_protection if {
	f := control.finding with input as test.product({"interfaces": [{"type": "ble"}]})
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].replay_protection"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
