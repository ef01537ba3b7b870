package lockcheck.controls.fleet.site_reporting_test

import data.lockcheck.controls.fleet.site_reporting as control
import data.lockcheck.test

_params := {"max_snapshot_age_h": 48}

_eval(inp) := f if {
	f := control.finding with input as inp with data.params as _params
}

_site(name, newest) := {"site": name, "locks": 10, "upd_supported": 10, "critical_failing": 0, "newest_captured_at": newest}

# the helpers' run time is 2026-11-25T12:00:00Z
_fleet(sites) := test.doc("Fleet", {"sites": sites})

test_pass_every_site_recent if {
	f := _eval(_fleet([_site("site-a", "2026-11-25T00:00:00Z"), _site("site-b", "2026-11-24T18:00:00-05:00")]))
	f.status == "pass"
	contains(f.rationale, "site site-a: the newest snapshot was captured at 2026-11-25T00:00:00Z, 12.0 h before the run time 2026-11-25T12:00:00Z (at most 48 h allowed)")
	contains(f.rationale, "site site-b: the newest snapshot was captured at 2026-11-24T18:00:00-05:00, 13.0 h before")
}

test_pass_exactly_48_hours if {
	f := _eval(_fleet([_site("site-a", "2026-11-23T12:00:00Z")]))
	f.status == "pass"
}

test_fail_site_stopped_reporting if {
	f := _eval(_fleet([_site("site-a", "2026-11-23T11:59:59Z"), _site("site-b", "2026-11-25T11:00:00Z")]))
	f.status == "fail"
	f.severity == "high"
	contains(f.rationale, "site site-a: the newest snapshot was captured at 2026-11-23T11:59:59Z, 48.0 h before the run time 2026-11-25T12:00:00Z; the site has stopped reporting for longer than 48 h (max_snapshot_age_h).")
	not contains(f.rationale, "site-b")
	f.evidence == [{"path": "spec.sites[0].newest_captured_at", "observed": "2026-11-23T11:59:59Z", "expected": "within 48 h before 2026-11-25T12:00:00Z"}]
}

# judged against the run time, not the machine's clock
test_fail_same_site_later_run if {
	f := _eval(test.at(_fleet([_site("site-a", "2026-11-20T10:00:00Z")]), "2026-11-25T10:30:00Z"))
	f.status == "fail"
	contains(f.rationale, "120.5 h before the run time 2026-11-25T10:30:00Z")
}

test_pass_same_site_earlier_run if {
	f := _eval(test.at(_fleet([_site("site-a", "2026-11-20T10:00:00Z")]), "2026-11-21T10:00:00Z"))
	f.status == "pass"
}

test_fail_evidence_missing_newest_captured_at if {
	f := _eval(_fleet([{"site": "site-a", "locks": 3}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].newest_captured_at"]
}

test_fail_evidence_missing_site if {
	f := _eval(_fleet([{"newest_captured_at": "2026-11-25T00:00:00Z"}]))
	f.status == "insufficient_evidence"
	f.missing == ["spec.sites[0].site"]
}

test_na_no_sites if {
	f := _eval(_fleet([]))
	f.status == "not_applicable"
}
