package lockcheck.controls.logging.log_integrity_test

import data.lockcheck.controls.logging.log_integrity as control
import data.lockcheck.test

_alerts := {"enabled_types": ["tamper", "brute_force_lockout", "integrity_failure", "low_battery"]}

_product := {
	"logging": {"tamper_evident": true, "view_permission_roles": ["owner", "admin", "property_manager"]},
	"alerts": _alerts,
}

_patch(obj, path, value) := json.patch(obj, [{"op": "replace", "path": path, "value": value}])

_remove(obj, path) := json.patch(obj, [{"op": "remove", "path": path}])

test_pass_product if {
	f := control.finding with input as test.product(_product)
	f.status == "pass"
	contains(f.rationale, "spec.logging.tamper_evident is true")
	contains(f.rationale, "guests cannot view the log")
	contains(f.rationale, "spec.alerts.enabled_types includes brute_force_lockout, integrity_failure, tamper")
}

test_pass_snapshot_alerts if {
	f := control.finding with input as test.snapshot({"alerts": _alerts})
	f.status == "pass"
}

test_fail_product_not_tamper_evident if {
	f := control.finding with input as test.product(_patch(_product, "/logging/tamper_evident", false))
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "spec.logging.tamper_evident is false")
}

test_fail_product_guest_can_view if {
	f := control.finding with input as test.product(_patch(_product, "/logging/view_permission_roles", ["owner", "guest"]))
	f.status == "fail"
	contains(f.rationale, "includes guest")
}

test_fail_snapshot_missing_alerts if {
	f := control.finding with input as test.snapshot({"alerts": {"enabled_types": ["tamper", "low_battery"]}})
	f.status == "fail"
	contains(f.rationale, "spec.alerts.enabled_types does not include brute_force_lockout, integrity_failure")
}

test_fail_product_no_alerts if {
	f := control.finding with input as test.product(_patch(_product, "/alerts/enabled_types", []))
	f.status == "fail"
}

# a snapshot has no tamper_evident or view roles: they are not needed
test_pass_snapshot_needs_only_alerts if {
	f := control.finding with input as test.snapshot({"alerts": _alerts, "logging": {"enabled": true}})
	f.missing == []
}

test_fail_evidence_missing_tamper_evident if {
	f := control.finding with input as test.product(_remove(_product, "/logging/tamper_evident"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.tamper_evident"]
}

test_fail_evidence_missing_view_permission_roles if {
	f := control.finding with input as test.product(_remove(_product, "/logging/view_permission_roles"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.logging.view_permission_roles"]
}

test_fail_evidence_missing_enabled_types if {
	f := control.finding with input as test.product(_remove(_product, "/alerts/enabled_types"))
	f.status == "insufficient_evidence"
	f.missing == ["spec.alerts.enabled_types"]
}

test_fail_evidence_missing_enabled_types_snapshot if {
	f := control.finding with input as test.snapshot({"logging": {"enabled": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.alerts.enabled_types"]
}

test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true}})
	f.status == "insufficient_evidence"
	count(f.missing) == 3
}

test_not_produced_for_plans if {
	not control.finding with input as test.plan({"planned_install_date": "2026-12-01"})
}
