package lockcheck.controls.enrollment.first_admin_test

import data.lockcheck.controls.enrollment.first_admin as control
import data.lockcheck.test

# --- ProductSpec ---

_good_product := {"enrollment": {"first_admin_guide_url": "https://vendor.example/setup"}}

test_pass_product_guide_published if {
	f := control.finding with input as test.product(_good_product)
	f.status == "pass"
	contains(f.rationale, "first_admin_guide_url is \"https://vendor.example/setup\"")
}

test_fail_product_guide_empty if {
	f := control.finding with input as test.product({"enrollment": {"first_admin_guide_url": " "}})
	f.status == "fail"
	f.severity == "medium"
	contains(f.rationale, "first_admin_guide_url is empty")
}

test_fail_evidence_missing_first_admin_guide_url if {
	f := control.finding with input as test.product({"enrollment": {}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.first_admin_guide_url"]
}

# --- InstallPlan ---

_good_plan := {
	"enrollment": {
		"first_admin": {"person_id": "p-owner", "role": "owner"},
		"procedure_documented": true,
		"setup_location": "on_site",
	},
	"ownership": {"owner_of_record_id": "acct-A", "authorized_admin_ids": []},
}

_installer_plan := json.patch(_good_plan, [
	{"op": "replace", "path": "/enrollment/first_admin", "value": {"person_id": "p-inst", "role": "installer"}},
	{"op": "add", "path": "/enrollment/handover_steps", "value": ["transfer admin to acct-A", "remove installer credential"]},
])

test_pass_plan_owner_is_first_admin if {
	f := control.finding with input as test.plan(_good_plan)
	f.status == "pass"
	contains(f.rationale, "person \"p-owner\" with role \"owner\"")
	contains(f.rationale, "setup_location is \"on_site\"")
	f.warnings == []
}

test_pass_plan_owner_needs_no_handover_steps if {
	f := control.finding with input as test.plan(_good_plan)
	f.missing == []
}

test_pass_plan_installer_with_handover if {
	f := control.finding with input as test.plan(_installer_plan)
	f.status == "pass"
	contains(f.rationale, "2 step(s)")
	f.warnings == []
}

test_pass_plan_installer_handover_not_naming_owner_warns if {
	inp := test.plan(json.patch(_installer_plan, [{"op": "replace", "path": "/enrollment/handover_steps", "value": ["hand over"]}]))
	f := control.finding with input as inp
	f.status == "pass"
	count(f.warnings) == 1
	contains(f.warnings[0], "acct-A")
}

test_fail_plan_procedure_not_documented if {
	inp := test.plan(json.patch(_good_plan, [{"op": "replace", "path": "/enrollment/procedure_documented", "value": false}]))
	f := control.finding with input as inp
	f.status == "fail"
	contains(f.rationale, "procedure_documented is false")
}

test_fail_plan_first_admin_empty if {
	inp := test.plan(json.patch(_good_plan, [{"op": "replace", "path": "/enrollment/first_admin/person_id", "value": ""}]))
	f := control.finding with input as inp
	f.status == "fail"
	contains(f.rationale, "first_admin.person_id is empty")
}

test_fail_plan_installer_without_handover if {
	inp := test.plan(json.patch(_installer_plan, [{"op": "replace", "path": "/enrollment/handover_steps", "value": []}]))
	f := control.finding with input as inp
	f.status == "fail"
	contains(f.rationale, "handover_steps is empty")
}

test_fail_evidence_missing_procedure_documented if {
	inp := test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/enrollment/procedure_documented"}]))
	f := control.finding with input as inp
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.procedure_documented"]
}

test_fail_evidence_missing_person_id if {
	inp := test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/enrollment/first_admin/person_id"}]))
	f := control.finding with input as inp
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.first_admin.person_id"]
}

test_fail_evidence_missing_role if {
	inp := test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/enrollment/first_admin/role"}]))
	f := control.finding with input as inp
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.first_admin.role"]
}

test_fail_evidence_missing_handover_steps if {
	inp := test.plan(json.patch(_installer_plan, [{"op": "remove", "path": "/enrollment/handover_steps"}]))
	f := control.finding with input as inp
	f.status == "insufficient_evidence"
	f.missing == ["spec.enrollment.handover_steps"]
}

test_pass_plan_without_setup_location_setup_location_is_context if {
	inp := test.plan(json.patch(_good_plan, [{"op": "remove", "path": "/enrollment/setup_location"}]))
	f := control.finding with input as inp
	f.status == "pass"
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot({})
}
