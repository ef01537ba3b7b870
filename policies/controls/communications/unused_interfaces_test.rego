package lockcheck.controls.communications.unused_interfaces_test

import data.lockcheck.controls.communications.unused_interfaces as control
import data.lockcheck.test

_snapshot_spec := {
	"hardware": {"debug_interface_state": "disabled_fused"},
	"interfaces": [
		{"type": "ble", "enabled": true},
		{"type": "keypad", "enabled": true},
		{"type": "wifi", "enabled": false},
	],
}

_plan := {"requirements": {"interfaces_required": ["ble", "keypad"]}}

_snap(spec, plan) := test.linked(test.snapshot(spec), {"plan": plan})

_patch(ops) := json.patch(_snapshot_spec, ops)

test_pass_snapshot_only_required_interfaces_enabled if {
	f := control.finding with input as _snap(_snapshot_spec, _plan)
	f.status == "pass"
	contains(f.rationale, "interface ble (spec.interfaces[0]) is enabled and required by the installation plan")
	contains(f.rationale, "interface wifi (spec.interfaces[2]) is disabled")
	contains(f.rationale, "spec.hardware.debug_interface_state is \"disabled_fused\"")
}

test_pass_snapshot_debug_disabled_in_software if {
	f := control.finding with input as _snap(_patch([{"op": "replace", "path": "/hardware/debug_interface_state", "value": "disabled_software"}]), _plan)
	f.status == "pass"
}

test_fail_snapshot_interface_not_required_by_plan if {
	f := control.finding with input as _snap(_patch([{"op": "replace", "path": "/interfaces/2/enabled", "value": true}]), _plan)
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "interface wifi (spec.interfaces[2]) is enabled but the installation plan does not require it (plan requirements.interfaces_required: ble, keypad)")
	f.evidence == [{"path": "spec.interfaces[2].enabled", "observed": true, "expected": false}]
}

test_fail_snapshot_plan_requires_nothing if {
	f := control.finding with input as _snap(_snapshot_spec, {"requirements": {"interfaces_required": []}})
	f.status == "fail"
	contains(f.rationale, "interfaces_required: none")
}

test_fail_snapshot_debug_interface_enabled if {
	f := control.finding with input as _snap(_patch([{"op": "replace", "path": "/hardware/debug_interface_state", "value": "enabled"}]), _plan)
	f.status == "fail"
	contains(f.rationale, "spec.hardware.debug_interface_state is \"enabled\"")
}

test_fail_evidence_debug_state_unknown if {
	f := control.finding with input as _snap(_patch([{"op": "replace", "path": "/hardware/debug_interface_state", "value": "unknown"}]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.hardware.debug_interface_state"]
	contains(f.rationale, "reported as \"unknown\"")
	count(f.warnings) == 1
}

test_fail_evidence_missing_debug_interface_state if {
	f := control.finding with input as _snap(object.remove(_snapshot_spec, ["hardware"]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.hardware.debug_interface_state"]
}

test_fail_evidence_missing_interfaces if {
	f := control.finding with input as _snap(object.remove(_snapshot_spec, ["interfaces"]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces"]
}

test_fail_evidence_missing_type if {
	f := control.finding with input as _snap(_patch([{"op": "remove", "path": "/interfaces/1/type"}]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[1].type"]
}

test_fail_evidence_missing_enabled if {
	f := control.finding with input as _snap(_patch([{"op": "remove", "path": "/interfaces/2/enabled"}]), _plan)
	f.status == "insufficient_evidence"
	f.missing == ["spec.interfaces[2].enabled"]
}

test_fail_evidence_missing_interfaces_required if {
	f := control.finding with input as _snap(_snapshot_spec, {"requirements": {}})
	f.status == "insufficient_evidence"
	f.missing == ["plan:spec.requirements.interfaces_required"]
}

test_fail_evidence_missing_plan_unresolved if {
	f := control.finding with input as test.snapshot(_snapshot_spec)
	f.status == "insufficient_evidence"
	f.missing == ["related.plan"]
}

test_fail_unresolved_plan_does_not_hide_open_debug_port if {
	f := control.finding with input as test.snapshot(_patch([{"op": "replace", "path": "/hardware/debug_interface_state", "value": "enabled"}]))
	f.status == "fail"
	f.missing == ["related.plan"]
}

# --- ProductSpec: debug state only ---

test_pass_product_debug_fused if {
	f := control.finding with input as test.product({"hardware": {"debug_interface_state": "disabled_fused"}})
	f.status == "pass"
}

test_fail_product_debug_enabled if {
	f := control.finding with input as test.product({"hardware": {"debug_interface_state": "enabled"}, "interfaces": [{"type": "usb"}]})
	f.status == "fail"
	contains(f.rationale, "debug_interface_state is \"enabled\"")
}

test_fail_evidence_product_debug_unknown if {
	f := control.finding with input as test.product({"hardware": {"debug_interface_state": "unknown"}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.hardware.debug_interface_state"]
}

test_fail_evidence_missing_product_debug_interface_state if {
	f := control.finding with input as test.product({"hardware": {"tamper_detection": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.hardware.debug_interface_state"]
}

# --- InstallPlan: every required type offered by the linked product ---

_product := {"interfaces": [{"type": "ble"}, {"type": "keypad", "enabled": true}, {"type": "zigbee", "enabled": false}]}

_planned(plan, product) := test.linked(test.plan(plan), {"product": product})

test_pass_plan_product_offers_required_interfaces if {
	f := control.finding with input as _planned(_plan, _product)
	f.status == "pass"
	contains(f.rationale, "required interface ble is offered by product product-1")
}

test_pass_plan_requires_nothing if {
	f := control.finding with input as _planned({"requirements": {"interfaces_required": []}}, _product)
	f.status == "pass"
	contains(f.rationale, "interfaces_required is empty")
}

test_fail_plan_requires_interface_product_lacks if {
	f := control.finding with input as _planned({"requirements": {"interfaces_required": ["ble", "zwave"]}}, _product)
	f.status == "fail"
	contains(f.rationale, "spec.requirements.interfaces_required lists zwave, but product product-1 does not offer it (product:spec.interfaces offers: ble, keypad)")
}

test_fail_plan_requires_interface_product_declares_disabled if {
	f := control.finding with input as _planned({"requirements": {"interfaces_required": ["zigbee"]}}, _product)
	f.status == "fail"
	contains(f.rationale, "lists zigbee")
}

test_fail_evidence_missing_plan_interfaces_required if {
	f := control.finding with input as _planned({"requirements": {}}, _product)
	f.status == "insufficient_evidence"
	f.missing == ["spec.requirements.interfaces_required"]
}

test_fail_evidence_missing_product_interfaces if {
	f := control.finding with input as _planned(_plan, {})
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.interfaces"]
}

test_fail_evidence_missing_product_interface_type if {
	f := control.finding with input as _planned({"requirements": {"interfaces_required": ["ble", "zwave"]}}, json.patch(_product, [{"op": "remove", "path": "/interfaces/2/type"}]))
	f.status == "insufficient_evidence"
	f.missing == ["product:spec.interfaces[2].type"]
}

test_fail_evidence_missing_product_unresolved if {
	f := control.finding with input as test.plan(_plan)
	f.status == "insufficient_evidence"
	f.missing == ["related.product"]
}
