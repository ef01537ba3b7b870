# METADATA
# title: Waivers
# description: |
#   Accepted risks, on the record. A Waiver names controls, selects documents
#   by name and/or labels (both must match when both are given), and states who
#   approved it, why, and until when. This package decides two things:
#
#   problems (once per run): waivers that must be refused as input errors —
#   no selector, an empty justification or approver, an unknown control, a
#   validity longer than params.max_waiver_days, or longer than
#   params.max_critical_waiver_days when it covers a critical control, or a
#   waiver dated (spec.generated_at) after the run time. The validity is
#   counted from the run time (input.run.now, the only "now"), never from the
#   waiver's own date: whatever a waiver states, no run accepts it for longer
#   than its cap from that run's time, and none accepts it before it starts.
#     input: {run: {now}, catalogue: {control id: severity},
#             waivers: [{name, controls, selector, justification, approved_by,
#                        ticket, expires, generated_at}]}
#     output: set of {waiver: index, path, msg}
#
#   decisions (per document): for each failing finding (fail or
#   insufficient_evidence), the waiver that covers it. A matching waiver that
#   has not expired waives the finding (the one that lasts longest wins); one
#   expiring within params.waiver_warning_days adds a warning. When only
#   expired waivers match, the finding keeps failing and says so.
#     input: {run: {now}, document: {kind, name, labels},
#             findings: [{control_id, severity, status}], waivers: [...]}
#     output: set of {finding: index, state: "waived", waiver, warning?}
#             or {finding: index, state: "expired", notes: [...]};
#             matched: the names of the waivers that cover a failing finding;
#             result: {decisions, matched}, the one query the engine prepares.
package lockcheck.waivers

_day_ns := ((24 * 60) * 60) * 1000000000

_now_ns := time.parse_rfc3339_ns(input.run.now)

# _date is the calendar date of an RFC 3339 time, in its own offset.
_date(ts) := substring(ts, 0, 10)

# _days is what is left of the waiver's validity at the run time, in whole or
# part days (zero or less once it has expired).
_days(w) := (time.parse_rfc3339_ns(w.expires) - _now_ns) / _day_ns

_nonblank(s) if {
	is_string(s)
	trim_space(s) != ""
}

_has_names(w) if count(object.get(w, ["selector", "names"], [])) > 0

_has_labels(w) if count(object.get(w, ["selector", "labels"], {})) > 0

# --- validation -------------------------------------------------------------

problems contains {"waiver": i, "path": "spec.selector", "msg": "a waiver needs a selector: non-empty names and/or labels (a waiver with no selector would cover every document)"} if {
	some i, w in input.waivers
	not _has_names(w)
	not _has_labels(w)
}

problems contains {"waiver": i, "path": "spec.justification", "msg": "the justification is empty: say why the risk is accepted"} if {
	some i, w in input.waivers
	not _nonblank(w.justification)
}

problems contains {"waiver": i, "path": "spec.approved_by", "msg": "approved_by is empty: name who accepted the risk"} if {
	some i, w in input.waivers
	not _nonblank(w.approved_by)
}

problems contains {"waiver": i, "path": sprintf("spec.controls[%d]", [j]), "msg": sprintf("unknown control %q (see `lockcheck controls`)", [c])} if {
	some i, w in input.waivers
	some j, c in w.controls
	not input.catalogue[c]
}

problems contains {"waiver": i, "path": "spec.expires", "msg": msg} if {
	some i, w in input.waivers
	days := _days(w)
	days > data.params.max_waiver_days
	msg := sprintf("the waiver runs %d days from the run time (%s) to %s, longer than max_waiver_days (%d): accept the risk for a shorter period and renew it", [ceil(days), input.run.now, w.expires, data.params.max_waiver_days])
}

problems contains {"waiver": i, "path": "spec.expires", "msg": msg} if {
	some i, w in input.waivers
	days := _days(w)
	days <= data.params.max_waiver_days
	days > data.params.max_critical_waiver_days
	crit := sort([c | some c in w.controls; input.catalogue[c] == "critical"])
	count(crit) > 0
	msg := sprintf("the waiver covers critical controls (%s) and runs %d days from the run time (%s) to %s, longer than max_critical_waiver_days (%d)", [concat(", ", crit), ceil(days), input.run.now, w.expires, data.params.max_critical_waiver_days])
}

problems contains {"waiver": i, "path": "spec.expires", "msg": sprintf("expires (%s) is not after generated_at (%s)", [w.expires, w.generated_at])} if {
	some i, w in input.waivers
	w.generated_at
	time.parse_rfc3339_ns(w.expires) <= time.parse_rfc3339_ns(w.generated_at)
}

problems contains {"waiver": i, "path": "spec.generated_at", "msg": msg} if {
	some i, w in input.waivers
	w.generated_at
	time.parse_rfc3339_ns(w.generated_at) > _now_ns
	msg := sprintf("generated_at (%s) is after the run time (%s): a waiver cannot be dated in the future, and none applies before it is approved", [w.generated_at, input.run.now])
}

# --- application ------------------------------------------------------------

# result is what the engine asks for each document.
result := {"decisions": decisions, "matched": matched}

_failing := {"fail", "insufficient_evidence"}

_selects(w, doc) if {
	_has_names(w)
	not _has_labels(w)
	doc.name in w.selector.names
}

_selects(w, doc) if {
	_has_labels(w)
	not _has_names(w)
	_labels_match(w.selector.labels, doc)
}

_selects(w, doc) if {
	_has_names(w)
	_has_labels(w)
	doc.name in w.selector.names
	_labels_match(w.selector.labels, doc)
}

_labels_match(want, doc) if {
	every k, v in want {
		object.get(doc, ["labels", k], null) == v
	}
}

# _matches holds [finding index, waiver index] for every waiver that covers a
# failing finding of the document.
_matches contains [i, j] if {
	some i, f in input.findings
	f.status in _failing
	some j, w in input.waivers
	f.control_id in w.controls
	_selects(w, input.document)
}

_expired(w) if time.parse_rfc3339_ns(w.expires) <= _now_ns

matched contains input.waivers[j].name if some [_, j] in _matches

_active(i) := {[time.parse_rfc3339_ns(w.expires), w.name, j] |
	some [i2, j] in _matches
	i2 == i
	w := input.waivers[j]
	not _expired(w)
}

decisions contains d if {
	some [i, _] in _matches
	active := _active(i)
	count(active) > 0
	best := max(active)
	w := input.waivers[best[2]]
	d := object.union({"finding": i, "state": "waived", "waiver": w.name}, _soon(w))
}

decisions contains {"finding": i, "state": "expired", "notes": notes} if {
	some [i, _] in _matches
	count(_active(i)) == 0
	notes := sort({sprintf("waiver %q expired on %s", [w.name, _date(w.expires)]) |
		some [i2, j] in _matches
		i2 == i
		w := input.waivers[j]
	})
}

_soon(w) := {"warning": sprintf("waiver %q expires on %s", [w.name, _date(w.expires)])} if {
	time.parse_rfc3339_ns(w.expires) - _now_ns <= data.params.waiver_warning_days * _day_ns
}

_soon(w) := {} if {
	time.parse_rfc3339_ns(w.expires) - _now_ns > data.params.waiver_warning_days * _day_ns
}
