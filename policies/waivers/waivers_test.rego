package lockcheck.waivers_test

import data.lockcheck.waivers

_params := {"waiver_warning_days": 14, "max_waiver_days": 365, "max_critical_waiver_days": 30}

_now := "2026-11-25T12:00:00Z"

_catalogue := {"UPD-007": "high", "CRED-005": "critical", "LOG-006": "medium"}

# _waiver replaces whole top-level fields of a valid waiver (object.union
# would merge nested objects such as selector).
_waiver(over) := object.union(
	object.remove(
		{
			"name": "w1",
			"controls": ["UPD-007"],
			"selector": {"names": ["unit-115"]},
			"justification": "Vendor rollout of 4.13 stalled; fixed build due in January.",
			"approved_by": "ciso@example.com",
			"ticket": "SEC-1",
			"expires": "2027-01-31T00:00:00Z",
		},
		object.keys(over),
	),
	over,
)

_doc := {"kind": "LockSnapshot", "name": "unit-115", "labels": {"site": "north-tower", "door": "d-115"}}

_fail := [{"control_id": "UPD-007", "severity": "high", "status": "fail"}]

_decide(ws, doc, findings) := d if {
	d := waivers.decisions with input as {"run": {"now": _now}, "document": doc, "findings": findings, "waivers": ws}
		with data.params as _params
}

_matched(ws, doc, findings) := m if {
	m := waivers.matched with input as {"run": {"now": _now}, "document": doc, "findings": findings, "waivers": ws}
		with data.params as _params
}

_problems(ws) := p if {
	p := waivers.problems with input as {"run": {"now": _now}, "catalogue": _catalogue, "waivers": ws}
		with data.params as _params
}

# --- application ---

test_match_by_name_waives if {
	_decide([_waiver({})], _doc, _fail) == {{"finding": 0, "state": "waived", "waiver": "w1"}}
	_matched([_waiver({})], _doc, _fail) == {"w1"}
}

test_match_insufficient_evidence if {
	_decide([_waiver({})], _doc, [{"control_id": "UPD-007", "severity": "high", "status": "insufficient_evidence"}]) == {{"finding": 0, "state": "waived", "waiver": "w1"}}
}

test_no_match_other_document if {
	doc := object.union(_doc, {"name": "unit-116"})
	count(_decide([_waiver({})], doc, _fail)) == 0
	count(_matched([_waiver({})], doc, _fail)) == 0
}

test_no_match_other_control if {
	count(_decide([_waiver({"controls": ["LOG-006"]})], _doc, _fail)) == 0
}

test_no_match_passing_finding if {
	count(_decide([_waiver({})], _doc, [{"control_id": "UPD-007", "severity": "high", "status": "pass"}])) == 0
	count(_matched([_waiver({})], _doc, [{"control_id": "UPD-007", "severity": "high", "status": "pass"}])) == 0
}

test_error_status_never_waived if {
	count(_decide([_waiver({})], _doc, [{"control_id": "UPD-007", "severity": "high", "status": "error"}])) == 0
}

test_selector_by_labels if {
	w := _waiver({"selector": {"labels": {"site": "north-tower"}}})
	_decide([w], _doc, _fail) == {{"finding": 0, "state": "waived", "waiver": "w1"}}
	other := object.union(_doc, {"labels": {"site": "south-yard"}})
	count(_decide([w], other, _fail)) == 0
	unlabelled := {"kind": "LockSnapshot", "name": "unit-115"}
	count(_decide([w], unlabelled, _fail)) == 0
}

test_selector_names_and_labels_both_must_match if {
	w := _waiver({"selector": {"names": ["unit-115"], "labels": {"site": "south-yard"}}})
	count(_decide([w], _doc, _fail)) == 0
	w2 := _waiver({"selector": {"names": ["unit-115"], "labels": {"site": "north-tower"}}})
	count(_decide([w2], _doc, _fail)) == 1
}

test_expired_keeps_failing if {
	w := _waiver({"expires": "2026-11-20T00:00:00Z"})
	_decide([w], _doc, _fail) == {{"finding": 0, "state": "expired", "notes": ["waiver \"w1\" expired on 2026-11-20"]}}
	_matched([w], _doc, _fail) == {"w1"}
}

test_expires_exactly_now_is_expired if {
	w := _waiver({"expires": _now})
	[d | some d in _decide([w], _doc, _fail)][0].state == "expired"
}

test_active_waiver_wins_over_expired if {
	old := _waiver({"name": "w0", "expires": "2026-10-01T00:00:00Z"})
	_decide([old, _waiver({})], _doc, _fail) == {{"finding": 0, "state": "waived", "waiver": "w1"}}
	_matched([old, _waiver({})], _doc, _fail) == {"w0", "w1"}
}

test_longest_active_waiver_wins if {
	short := _waiver({"name": "w-short", "expires": "2026-12-31T00:00:00Z"})
	_decide([short, _waiver({})], _doc, _fail) == {{"finding": 0, "state": "waived", "waiver": "w1"}}
}

test_expiring_soon_warns if {
	w := _waiver({"expires": "2026-12-01T00:00:00Z"})
	_decide([w], _doc, _fail) == {{"finding": 0, "state": "waived", "waiver": "w1", "warning": "waiver \"w1\" expires on 2026-12-01"}}
}

test_not_expiring_soon_outside_window if {
	w := _waiver({"expires": "2026-12-10T12:00:01Z"})
	not [d | some d in _decide([w], _doc, _fail)][0].warning
}

# --- validation ---

test_valid_waiver_has_no_problems if {
	count(_problems([_waiver({})])) == 0
}

test_too_long_refused if {
	w := _waiver({"expires": "2028-01-01T00:00:00Z"})
	some p in _problems([w])
	p.path == "spec.expires"
	contains(p.msg, "max_waiver_days")
}

# A waiver dated in the future used to be measured from its own date: this
# one (24 days) waived a critical control for two years before it started.
test_future_dated_waiver_refused if {
	w := _waiver({"controls": ["CRED-005"], "generated_at": "2028-12-01T00:00:00Z", "expires": "2028-12-25T00:00:00Z"})
	ps := _problems([w])
	some p in ps
	p == {"waiver": 0, "path": "spec.generated_at", "msg": "generated_at (2028-12-01T00:00:00Z) is after the run time (2026-11-25T12:00:00Z): a waiver cannot be dated in the future, and none applies before it is approved"}
	some q in ps
	q.path == "spec.expires"
	contains(q.msg, "runs 761 days from the run time")
}

test_generated_at_now_or_before_accepted if {
	count(_problems([_waiver({"generated_at": _now})])) == 0
	count(_problems([_waiver({"generated_at": "2026-11-01T00:00:00Z"})])) == 0
}

# The caps are counted from the run time whatever generated_at says: the
# validity a run grants is what is left of the waiver at that run's time.
test_caps_counted_from_run_time if {
	# 36 days left of a waiver stated for two years: within max_waiver_days.
	count(_problems([_waiver({"generated_at": "2025-01-01T00:00:00Z", "expires": "2026-12-31T00:00:00Z"})])) == 0

	# Dated yesterday, 31 days left on a critical control: refused.
	crit := _waiver({"controls": ["CRED-005"], "generated_at": "2026-11-24T12:00:00Z", "expires": "2026-12-26T12:00:00Z"})
	some p in _problems([crit])
	contains(p.msg, "runs 31 days from the run time (2026-11-25T12:00:00Z) to 2026-12-26T12:00:00Z, longer than max_critical_waiver_days (30)")

	# Exactly 30 days left: accepted.
	count(_problems([_waiver({"controls": ["CRED-005"], "generated_at": "2026-11-24T12:00:00Z", "expires": "2026-12-25T12:00:00Z"})])) == 0
}

test_expires_before_generated_at_refused if {
	w := _waiver({"generated_at": "2026-11-20T00:00:00Z", "expires": "2026-11-19T00:00:00Z"})
	_problems([w]) == {{"waiver": 0, "path": "spec.expires", "msg": "expires (2026-11-19T00:00:00Z) is not after generated_at (2026-11-20T00:00:00Z)"}}
}

# A waiver name that ends in "expired" must not read "expired expired on".
test_expired_note_quotes_the_name if {
	w := _waiver({"name": "door-7-expired", "expires": "2026-11-20T00:00:00Z"})
	_decide([w], _doc, _fail) == {{"finding": 0, "state": "expired", "notes": ["waiver \"door-7-expired\" expired on 2026-11-20"]}}
}

test_critical_cap if {
	w := _waiver({"controls": ["UPD-007", "CRED-005"]})
	_problems([w]) == {{"waiver": 0, "path": "spec.expires", "msg": "the waiver covers critical controls (CRED-005) and runs 67 days from the run time (2026-11-25T12:00:00Z) to 2027-01-31T00:00:00Z, longer than max_critical_waiver_days (30)"}}
}

test_critical_within_cap_accepted if {
	w := _waiver({"controls": ["CRED-005"], "expires": "2026-12-20T00:00:00Z"})
	count(_problems([w])) == 0
}

test_no_selector_refused if {
	some p in _problems([_waiver({"selector": {}})])
	p.path == "spec.selector"
	some q in _problems([_waiver({"selector": {"names": [], "labels": {}}})])
	q.path == "spec.selector"
}

test_empty_justification_refused if {
	_problems([_waiver({"justification": "  "})]) == {{"waiver": 0, "path": "spec.justification", "msg": "the justification is empty: say why the risk is accepted"}}
}

test_unknown_control_refused if {
	some p in _problems([_waiver({"controls": ["UPD-007", "XYZ-999"]})])
	p.path == "spec.controls[1]"
}

test_problems_name_the_waiver_index if {
	ps := _problems([_waiver({}), _waiver({"name": "w2", "selector": {}})])
	{p.waiver | some p in ps} == {1}
}
