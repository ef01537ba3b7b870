package lockcheck.controls.updates.update_channel_test

import data.lockcheck.controls.updates.update_channel as control
import data.lockcheck.test

_fw := {
	"update_channels": [
		{"type": "ota_wifi", "authenticated": true, "encrypted": true},
		{"type": "ble_from_app", "authenticated": true, "encrypted": true},
	],
	"ab_or_recovery_partition": true,
	"notifies_disruption": true,
}

_patch(obj, path, value) := json.patch(obj, [{"op": "replace", "path": path, "value": value}])

_remove(obj, path) := json.patch(obj, [{"op": "remove", "path": path}])

test_pass_authenticated_encrypted_channels if {
	f := control.finding with input as test.product({"firmware": _fw})
	f.status == "pass"
	contains(f.rationale, "update channel ota_wifi (spec.firmware.update_channels[0]) is authenticated and encrypted")
	contains(f.rationale, "update channel ble_from_app (spec.firmware.update_channels[1])")
	contains(f.rationale, "ab_or_recovery_partition is true")
	contains(f.rationale, "notifies_disruption is true")
}

test_pass_without_notifies_disruption if {
	f := control.finding with input as test.product({"firmware": object.remove(_fw, ["notifies_disruption"])})
	f.status == "pass"
}

test_fail_no_channel if {
	f := control.finding with input as test.product({"firmware": _patch(_fw, "/update_channels", [{"type": "none"}])})
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "declares no update channel")
	f.missing == []
}

test_fail_empty_channel_list if {
	f := control.finding with input as test.product({"firmware": _patch(_fw, "/update_channels", [])})
	f.status == "fail"
	contains(f.rationale, "declares no update channel")
}

test_fail_unauthenticated_channel if {
	f := control.finding with input as test.product({"firmware": _patch(_fw, "/update_channels/1/authenticated", false)})
	f.status == "fail"
	contains(f.rationale, "update channel ble_from_app (spec.firmware.update_channels[1].authenticated) is false")
}

test_fail_unencrypted_channel if {
	f := control.finding with input as test.product({"firmware": _patch(_fw, "/update_channels/0/encrypted", false)})
	f.status == "fail"
	contains(f.rationale, "update channel ota_wifi (spec.firmware.update_channels[0].encrypted) is false")
}

test_fail_no_recovery_partition if {
	f := control.finding with input as test.product({"firmware": _patch(_fw, "/ab_or_recovery_partition", false)})
	f.status == "fail"
	contains(f.rationale, "ab_or_recovery_partition is false")
}

# a "none" entry beside real channels is ignored; it needs no flags
test_pass_none_entry_beside_real_channel if {
	f := control.finding with input as test.product({"firmware": _patch(_fw, "/update_channels", [{"type": "none"}, {"type": "usb_local", "authenticated": true, "encrypted": true}])})
	f.status == "pass"
}

test_fail_evidence_missing_update_channels if {
	f := control.finding with input as test.product({"firmware": object.remove(_fw, ["update_channels"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.update_channels"]
}

test_fail_evidence_missing_type if {
	f := control.finding with input as test.product({"firmware": _remove(_fw, "/update_channels/1/type")})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.update_channels[1].type"]
}

test_fail_evidence_missing_authenticated if {
	f := control.finding with input as test.product({"firmware": _remove(_fw, "/update_channels/0/authenticated")})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.update_channels[0].authenticated"]
}

test_fail_evidence_missing_encrypted if {
	f := control.finding with input as test.product({"firmware": _remove(_fw, "/update_channels/1/encrypted")})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.update_channels[1].encrypted"]
}

test_fail_evidence_missing_ab_or_recovery_partition if {
	f := control.finding with input as test.product({"firmware": object.remove(_fw, ["ab_or_recovery_partition"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.ab_or_recovery_partition"]
}

test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.ab_or_recovery_partition", "spec.firmware.update_channels"]
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot({"firmware": _fw})
}
