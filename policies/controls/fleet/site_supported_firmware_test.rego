package lockcheck.controls.fleet.site_supported_firmware_test

import data.lockcheck.controls.fleet.site_supported_firmware as control
import data.lockcheck.test

_params := {"min_site_supported_firmware_ratio": 0.95}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_site(name, locks, supported) := {"site": name, "locks": locks, "upd_supported": supported, "critical_failing": 0, "newest_captured_at": "2026-11-25T08:00:00Z"}

_fleet(sites) := test.doc("Fleet", {"sites": sites})

test_pass_every_site_at_or_above_ratio if {
	f := _eval(_fleet([_site("site-a", 20, 19), _site("site-b", 3, 3)]))
	f.status == "pass"
	contains(f.rationale, "site site-a: 19 of 20 locks (95.0%) pass both UPD-006 and UPD-007")
	contains(f.rationale, "site site-b: 3 of 3 locks (100.0%)")
}

test_fail_one_site_below_ratio if {
	f := _eval(_fleet([_site("site-a", 20, 18), _site("site-b", 3, 3)]))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "site site-a: 18 of 20 locks (90.0%) pass both UPD-006 (support runway) and UPD-007 (firmware current)")
	contains(f.rationale, "at least 0.95 (min_site_supported_firmware_ratio) is required, so 2 locks run unsupported or outdated firmware")
	not contains(f.rationale, "site-b")
	f.evidence == [{"path": "spec.sites[0].upd_supported", "observed": 18, "expected": ">= 19 of 20 locks"}]
}

# one failing sentence per site, in one finding for the fleet
test_fail_lists_every_failing_site if {
	f := _eval(_fleet([_site("site-a", 20, 18), _site("site-b", 7, 6), _site("site-c", 1, 1)]))
	f.status == "fail"
	contains(f.rationale, "site site-a: 18 of 20")
	contains(f.rationale, "site site-b: 6 of 7 locks (85.7%)")
	count(f.evidence) == 2
}

test_fail_small_site_one_lock_short if {
	f := _eval(_fleet([_site("site-a", 1, 0)]))
	f.status == "fail"
	contains(f.rationale, "0 of 1 locks (0.0%)")
}

test_pass_threshold_from_params if {
	f := control.finding with input as _fleet([_site("site-a", 10, 8)]) with data.params as {"min_site_supported_firmware_ratio": 0.8}
	f.status == "pass"
}

test_fail_evidence_missing_upd_supported if {
	f := _eval(_fleet([{"site": "site-a", "locks": 20}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].upd_supported"]
}

test_fail_evidence_missing_locks if {
	f := _eval(_fleet([{"site": "site-a", "upd_supported": 20}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].locks"]
}

test_fail_evidence_missing_site if {
	f := _eval(_fleet([{"locks": 20, "upd_supported": 20}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].site"]
}

test_fail_evidence_missing_sites if {
	f := _eval(test.doc("Fleet", {}))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites"]
}

test_na_no_sites if {
	f := _eval(_fleet([]))
	f.status == "not_applicable"
}

test_not_defined_for_snapshots if {
	not _eval(test.snapshot({"sites": [_site("site-a", 1, 1)]}))
}
