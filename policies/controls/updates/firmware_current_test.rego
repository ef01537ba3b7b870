package lockcheck.controls.updates.firmware_current_test

import data.lockcheck.controls.updates.firmware_current as control
import data.lockcheck.test

_params := {"firmware_patch_grace_days": 30, "max_update_check_age_days": 7}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_good := {
	"captured_at": "2026-11-20T10:00:00Z",
	"device": {"timezone": "Europe/London"},
	"firmware": {
		"version": "3.3.5",
		"latest_available_version": "3.3.5",
		"latest_security_release_date": "2026-06-01",
		"known_vulnerabilities": [{"cve_id": "CVE-2022-32509", "fixed_in_version": "3.3.6", "fix_available": false}],
	},
	"update": {"auto_update_enabled": true, "last_check_at": "2026-11-19T03:00:00Z", "channel": "ota_wifi"},
}

_patch(obj, path, value) := json.patch(obj, [{"op": "replace", "path": path, "value": value}])

_remove(obj, path) := json.patch(obj, [{"op": "remove", "path": path}])

test_pass_current_firmware if {
	f := _eval(test.snapshot(_good))
	f.status == "pass"
	contains(f.rationale, "spec.firmware.version 3.3.5 is the latest_available_version")
	contains(f.rationale, "lists 1 vulnerabilities, none with an available fix")
	contains(f.rationale, "spec.update.last_check_at is 2026-11-19T03:00:00Z, within 7 days")
	contains(f.rationale, "auto_update_enabled is true")
}

test_pass_latest_release_within_grace if {
	inp := test.snapshot(json.patch(_good, [
		{"op": "replace", "path": "/firmware/version", "value": "3.3.4"},
		{"op": "replace", "path": "/firmware/latest_security_release_date", "value": "2026-10-21"},
	]))
	f := _eval(inp)
	f.status == "pass"
	contains(f.rationale, "within the 30-day patch grace period at the snapshot date 2026-11-20")
}

test_fail_latest_release_beyond_grace if {
	inp := test.snapshot(json.patch(_good, [
		{"op": "replace", "path": "/firmware/version", "value": "3.3.4"},
		{"op": "replace", "path": "/firmware/latest_security_release_date", "value": "2026-10-20"},
	]))
	f := _eval(inp)
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "spec.firmware.version 3.3.4 is not the latest_available_version 3.3.5")
	contains(f.rationale, "more than 30 days (firmware_patch_grace_days)")
}

test_pass_grace_from_plan_override if {
	inp := test.linked(
		test.snapshot(json.patch(_good, [
			{"op": "replace", "path": "/firmware/version", "value": "3.3.4"},
			{"op": "replace", "path": "/firmware/latest_security_release_date", "value": "2026-10-01"},
		])),
		{"plan": {"policy_overrides": {"firmware_patch_grace_days": 60}}},
	)
	f := _eval(inp)
	f.status == "pass"
}

test_fail_cve_with_fix_available if {
	f := _eval(test.snapshot(_patch(_good, "/firmware/known_vulnerabilities/0/fix_available", true)))
	f.status == "fail"
	contains(f.rationale, "known vulnerability CVE-2022-32509 (spec.firmware.known_vulnerabilities[0]) has fix_available: true (fixed in version 3.3.6)")
	f.evidence == [{"path": "spec.firmware.known_vulnerabilities[0].fix_available", "observed": true, "expected": false}]
}

test_fail_cve_with_fix_available_version_unstated if {
	vulns := [
		{"cve_id": "CVE-2022-32507", "fixed_in_version": null, "fix_available": true},
		{"cve_id": "CVE-2022-32504", "fix_available": false},
	]
	f := _eval(test.snapshot(_patch(_good, "/firmware/known_vulnerabilities", vulns)))
	f.status == "fail"
	contains(f.rationale, "CVE-2022-32507 (spec.firmware.known_vulnerabilities[0]) has fix_available: true (fixed version not stated)")
	not contains(f.rationale, "CVE-2022-32504")
}

test_fail_auto_update_disabled if {
	f := _eval(test.snapshot(_patch(_good, "/update/auto_update_enabled", false)))
	f.status == "fail"
	contains(f.rationale, "spec.update.auto_update_enabled is false")
}

test_fail_never_checked if {
	f := _eval(test.snapshot(_patch(_good, "/update/last_check_at", null)))
	f.status == "fail"
	contains(f.rationale, "spec.update.last_check_at is null: the lock has never checked for updates")
}

test_fail_last_check_too_old if {
	f := _eval(test.snapshot(_patch(_good, "/update/last_check_at", "2026-11-13T09:59:59Z")))
	f.status == "fail"
	contains(f.rationale, "spec.update.last_check_at is 2026-11-13T09:59:59Z, 7.0 days before captured_at")
}

test_pass_last_check_exactly_7_days if {
	f := _eval(test.snapshot(_patch(_good, "/update/last_check_at", "2026-11-13T10:00:00Z")))
	f.status == "pass"
}

# judged at captured_at, not the run clock
test_pass_ignores_run_clock if {
	f := _eval(test.at(test.snapshot(_good), "2030-01-01T00:00:00Z"))
	f.status == "pass"
}

test_pass_no_known_vulnerabilities if {
	f := _eval(test.snapshot(_patch(_good, "/firmware/known_vulnerabilities", [])))
	f.status == "pass"
}

test_fail_evidence_missing_captured_at if {
	f := _eval(test.snapshot(object.remove(_good, ["captured_at"])))
	f.status == "insufficient_evidence"
	f.missing == ["spec.captured_at"]
}

test_fail_evidence_missing_version if {
	f := _eval(test.snapshot(_remove(_good, "/firmware/version")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.version"]
}

test_fail_evidence_missing_latest_available_version if {
	f := _eval(test.snapshot(_remove(_good, "/firmware/latest_available_version")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.latest_available_version"]
}

test_fail_evidence_missing_latest_security_release_date if {
	inp := test.snapshot(json.patch(_good, [
		{"op": "replace", "path": "/firmware/version", "value": "3.3.4"},
		{"op": "remove", "path": "/firmware/latest_security_release_date"},
	]))
	f := _eval(inp)
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.latest_security_release_date"]
}

# on the latest version the release date is not needed
test_pass_latest_security_release_date_not_needed_when_current if {
	f := _eval(test.snapshot(_remove(_good, "/firmware/latest_security_release_date")))
	f.status == "pass"
}

test_fail_evidence_missing_known_vulnerabilities if {
	f := _eval(test.snapshot(_remove(_good, "/firmware/known_vulnerabilities")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.known_vulnerabilities"]
}

test_fail_evidence_missing_cve_id if {
	f := _eval(test.snapshot(_remove(_good, "/firmware/known_vulnerabilities/0/cve_id")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.known_vulnerabilities[0].cve_id"]
}

test_fail_evidence_missing_fix_available if {
	f := _eval(test.snapshot(_remove(_good, "/firmware/known_vulnerabilities/0/fix_available")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.firmware.known_vulnerabilities[0].fix_available"]
}

test_fail_evidence_missing_auto_update_enabled if {
	f := _eval(test.snapshot(_remove(_good, "/update/auto_update_enabled")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.update.auto_update_enabled"]
}

test_fail_evidence_missing_last_check_at if {
	f := _eval(test.snapshot(_remove(_good, "/update/last_check_at")))
	f.status == "insufficient_evidence"
	f.missing == ["spec.update.last_check_at"]
}

test_fail_cve_wins_over_missing_fields if {
	inp := test.snapshot({"firmware": {"known_vulnerabilities": [{"cve_id": "CVE-2023-7017", "fix_available": true}]}})
	f := _eval(inp)
	f.status == "fail"
	contains(f.rationale, "CVE-2023-7017")
	contains(f.rationale, "firmware.version (not stated)")
	count(f.missing) > 0
}

test_not_produced_for_products if {
	not _eval(test.product({"firmware": {"signature_verification": "enforced"}}))
}
