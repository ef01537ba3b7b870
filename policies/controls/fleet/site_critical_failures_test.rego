package lockcheck.controls.fleet.site_critical_failures_test

import data.lockcheck.controls.fleet.site_critical_failures as control
import data.lockcheck.test

_params := {"max_site_critical_fail_ratio": 0.02}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_site(name, locks, failing) := {"site": name, "locks": locks, "upd_supported": locks, "critical_failing": failing, "newest_captured_at": "2026-11-25T08:00:00Z"}

_fleet(sites) := test.doc("Fleet", {"sites": sites})

test_pass_no_critical_failures if {
	f := _eval(_fleet([_site("site-a", 40, 0)]))
	f.status == "pass"
	contains(f.rationale, "site site-a: 0 of 40 locks (0.0%) fail a critical control (at most 0.02 allowed)")
}

# exactly at the ratio passes: 1 of 50 is 2 %
test_pass_exactly_at_ratio if {
	f := _eval(_fleet([_site("site-a", 50, 1)]))
	f.status == "pass"
}

test_fail_one_more_than_ratio if {
	f := _eval(_fleet([_site("site-a", 50, 2), _site("site-b", 100, 1)]))
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "site site-a: 2 of 50 locks (4.0%) fail at least one critical control; max_site_critical_fail_ratio 0.02 allows at most 1 of 50.")
	not contains(f.rationale, "site-b")
	f.evidence == [{"path": "spec.sites[0].critical_failing", "observed": 2, "expected": "<= 1 of 50 locks"}]
}

# a small site: a single failing lock is already above 2 %
test_fail_small_site_single_lock if {
	f := _eval(_fleet([_site("site-a", 20, 1), _site("site-b", 3, 1)]))
	f.status == "fail"
	contains(f.rationale, "site site-a: 1 of 20 locks (5.0%)")
	contains(f.rationale, "site site-b: 1 of 3 locks (33.3%)")
}

test_fail_evidence_missing_critical_failing if {
	f := _eval(_fleet([{"site": "site-a", "locks": 20}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].critical_failing"]
}

test_fail_evidence_missing_locks if {
	f := _eval(_fleet([{"site": "site-a", "critical_failing": 0}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].locks"]
}

test_fail_evidence_missing_site if {
	f := _eval(_fleet([{"locks": 20, "critical_failing": 0}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].site"]
}

test_na_no_sites if {
	f := _eval(_fleet([]))
	f.status == "not_applicable"
}
