package lockcheck.controls.communications.channels_encrypted_test

import data.lockcheck.controls.communications.channels_encrypted as control
import data.lockcheck.test

_ble := {"type": "ble", "enabled": true, "encryption": "app_layer_aead", "authenticated": true, "plaintext_fallback_allowed": false}

_keypad := {"type": "keypad", "enabled": true}

_keypad_bus := {"type": "keypad_bus", "enabled": true, "encryption": "link_layer_only", "authenticated": true, "plaintext_fallback_allowed": false}

_zigbee := {"type": "zigbee", "enabled": true, "encryption": "link_layer_only", "authenticated": true, "plaintext_fallback_allowed": false}

_wifi_off := {"type": "wifi", "enabled": false}

_good := {"interfaces": [_ble, _keypad, _keypad_bus, _zigbee, _wifi_off]}

_patch(doc, ops) := json.patch(doc, ops)

test_pass_snapshot_all_command_channels_protected if {
	f := control.finding with input as test.snapshot(_good)
	f.status == "pass"
	f.missing == []
	contains(f.rationale, "interface ble (spec.interfaces[0]) carries commands with encryption \"app_layer_aead\"")
	contains(f.rationale, "interface zigbee (spec.interfaces[3])")
	contains(f.rationale, "interface wifi (spec.interfaces[4]) is disabled")
	count(f.evidence) == 3
}

test_pass_snapshot_physical_keypad_needs_no_channel_fields if {
	f := control.finding with input as test.snapshot({"interfaces": [_keypad, _ble]})
	f.status == "pass"
	contains(f.rationale, "interface keypad (spec.interfaces[0]) is the physical keypad")
}

test_pass_snapshot_disabled_plaintext_interface_ignored if {
	f := control.finding with input as test.snapshot({"interfaces": [_ble, {"type": "zwave", "enabled": false, "encryption": "none", "authenticated": false, "plaintext_fallback_allowed": true}]})
	f.status == "pass"
}

test_pass_snapshot_no_interface_carries_commands if {
	f := control.finding with input as test.snapshot({"interfaces": [_keypad, _wifi_off]})
	f.status == "pass"
	contains(f.rationale, "none of the 2 interfaces in spec.interfaces carries commands")
}

test_fail_snapshot_plaintext_encryption if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "replace", "path": "/interfaces/0/encryption", "value": "none"}]))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "interface ble (spec.interfaces[0]) is enabled and carries commands, but its encryption is \"none\"")
	f.evidence == [{"path": "spec.interfaces[0].encryption", "observed": "none", "expected": ["app_layer_aead", "link_layer_only", "tls1_2", "tls1_3"]}]
}

test_fail_snapshot_unauthenticated if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "replace", "path": "/interfaces/3/authenticated", "value": false}]))
	f.status == "fail"
	contains(f.rationale, "interface zigbee (spec.interfaces[3])")
	contains(f.rationale, "authenticated is false")
}

test_fail_snapshot_plaintext_fallback if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "replace", "path": "/interfaces/2/plaintext_fallback_allowed", "value": true}]))
	f.status == "fail"
	contains(f.rationale, "interface keypad_bus (spec.interfaces[2])")
	contains(f.rationale, "plaintext_fallback_allowed is true")
}

# Additional trap (catalogue §3): BLE encrypted but the keypad bus / Zigbee in
# plaintext; never aggregate to "device encrypted".
test_edge_case_trap_ble_encrypted_keypad_bus_plaintext if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "replace", "path": "/interfaces/2/encryption", "value": "none"}]))
	f.status == "fail"
	contains(f.rationale, "interface keypad_bus (spec.interfaces[2])")
	contains(f.rationale, "encryption is \"none\"")
	not contains(f.rationale, "interface ble")
}

test_edge_case_trap_ble_encrypted_zigbee_plaintext if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "replace", "path": "/interfaces/3/encryption", "value": "none"}]))
	f.status == "fail"
	contains(f.rationale, "interface zigbee (spec.interfaces[3])")
	count(f.evidence) == 1
}

test_fail_violation_wins_over_missing_field if {
	f := control.finding with input as test.snapshot(_patch(_good, [
		{"op": "replace", "path": "/interfaces/3/encryption", "value": "none"},
		{"op": "remove", "path": "/interfaces/0/authenticated"},
	]))
	f.status == "fail"
	f.missing == ["spec.interfaces[0].authenticated"]
}

test_fail_evidence_missing_interfaces if {
	f := control.finding with input as test.snapshot({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces"]
}

test_fail_evidence_missing_type if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "remove", "path": "/interfaces/3/type"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[3].type"]
}

test_fail_evidence_missing_enabled if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "remove", "path": "/interfaces/0/enabled"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].enabled"]
}

test_fail_evidence_missing_encryption if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "remove", "path": "/interfaces/0/encryption"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].encryption"]
}

test_fail_evidence_missing_authenticated if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "remove", "path": "/interfaces/2/authenticated"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[2].authenticated"]
}

test_fail_evidence_missing_plaintext_fallback_allowed if {
	f := control.finding with input as test.snapshot(_patch(_good, [{"op": "remove", "path": "/interfaces/3/plaintext_fallback_allowed"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[3].plaintext_fallback_allowed"]
}

# --- ProductSpec: declared interfaces count as offered unless enabled: false ---

_spec_ble := object.remove(_ble, ["enabled"])

_spec_zigbee := object.remove(_zigbee, ["enabled"])

test_pass_product_declared_interfaces_protected if {
	f := control.finding with input as test.product({"interfaces": [_spec_ble, {"type": "keypad"}, _spec_zigbee]})
	f.status == "pass"
	f.missing == []
}

test_fail_product_declared_interface_without_enabled_counts_as_offered if {
	f := control.finding with input as test.product({"interfaces": [_spec_ble, object.union(_spec_zigbee, {"encryption": "none"})]})
	f.status == "fail"
	contains(f.rationale, "interface zigbee (spec.interfaces[1]) is declared and carries commands")
}

test_pass_product_declared_disabled_interface_ignored if {
	f := control.finding with input as test.product({"interfaces": [_spec_ble, {"type": "nfc", "enabled": false, "encryption": "none"}]})
	f.status == "pass"
}

test_fail_product_plaintext_fallback if {
	f := control.finding with input as test.product({"interfaces": [object.union(_spec_ble, {"plaintext_fallback_allowed": true})]})
	f.status == "fail"
	contains(f.rationale, "interface ble (spec.interfaces[0])")
}

test_fail_evidence_missing_product_encryption if {
	f := control.finding with input as test.product({"interfaces": [object.remove(_spec_ble, ["encryption"])]})
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[0].encryption"]
}

test_fail_evidence_missing_product_interfaces if {
	f := control.finding with input as test.product({})
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces"]
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({})
}
