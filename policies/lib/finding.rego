# METADATA
# title: Finding construction
# description: |
#   The one place that turns a control's evidence checks into a finding. Controls
#   never build findings by hand: they declare the evidence they need and the
#   violations they see, and this package decides the status, so fail-closed
#   cannot be forgotten in any one control.
package lockcheck.lib

# finding builds the finding of one control for input.document.
#
# meta is rego.metadata.chain() called in the control's package; r is an object
# with the control's partial sets:
#   required:       evidence paths the control needs ("spec.x.y", "spec.items[].f",
#                   "plan:spec.x", "product:spec.x")
#   missing:        concrete missing paths the control computed itself
#   violation:      strings or {msg, path, observed, expected, severity}
#   not_applicable: strings; the document positively says the capability is absent
#   ok:             strings or objects describing what was seen on a pass
#   warning:        strings; never change the status
#
# Status precedence: a violation already shown by the evidence present is a
# fail; otherwise any missing evidence is insufficient_evidence; otherwise
# not_applicable; otherwise pass.
finding(meta, r) := f if {
	c := control_meta(meta)
	kind in c.applies_to
	missing := _missing(r)
	status := _status(r.violation, missing, r.not_applicable, r.ok)
	f := {
		"control_id": c.id,
		"status": status,
		"severity": _severity(c.severity, r.violation, status),
		"rationale": _rationale(status, r.violation, missing, r.not_applicable, r.ok),
		"evidence": _evidence(status, r.violation, r.ok),
		"missing": sort(missing),
		"warnings": sort(r.warning),
	}
}

# control_meta returns the custom block of the nearest annotation that has an id.
control_meta(meta) := c if {
	some entry in meta
	c := entry.annotations.custom
	c.id
}

_missing(r) := ms if {
	ms := {m | some p in r.required; some m in missing_path(p)} | r.missing
}

# _msgs is the set of messages of violations or oks: a string is its own
# message, an object carries it in msg. Only objects carry evidence (path) or a
# severity, so the other parts read the sets as they are. (A string has no
# msg: v.msg is undefined for it.)
_msgs(xs) := {v | some v in xs; is_string(v)} | {v.msg | some v in xs}

# One body runs per call: the first that holds decides. A pass must be
# positively shown: a control that saw no violation but also stated nothing it
# checked (for example because a threshold was undefined) has reached no
# conclusion, which is an error, never a pass.
_status(violations, missing, na, oks) := "fail" if count(violations) > 0

else := "insufficient_evidence" if count(missing) > 0

else := "not_applicable" if count(na) > 0

else := "pass" if count(oks) > 0

else := "error"

_severity_rank := {"low": 1, "medium": 2, "high": 3, "critical": 4}

# The severity that applied: a violation may carry the severity of its case
# (UPD-006, COMM-009, RES-002); otherwise the control's declared severity.
_severity(default_sev, violations, status) := s if {
	status == "fail"
	specific := {v.severity | some v in violations; v.severity}
	count(specific) > 0
	ranks := {_severity_rank[x] | some x in specific}
	some s in specific
	_severity_rank[s] == max(ranks)
} else := default_sev

_rationale("fail", violations, missing, _, _) := concat(" ", array.concat(
	sort(_msgs(violations)),
	_missing_note(missing),
))

_rationale("insufficient_evidence", _, missing, _, oks) := concat(" ", array.concat(
	[sprintf("Not evidenced: %s %s absent, so the control cannot be shown to hold.", [concat(", ", sort(missing)), _is_are(missing)])],
	sort(_msgs(oks)),
))

_rationale("not_applicable", _, _, na, _) := concat(" ", sort(na))

# a set iterates in sorted order: concat needs no sort of it
_rationale("pass", _, _, _, oks) := concat(" ", _msgs(oks))

_rationale("error", _, _, _, _) := "The control reached no conclusion: it saw no violation but could not state what it checked (a policy or parameter defect). It is not counted as passing."

_missing_note(missing) := [] if count(missing) == 0

_missing_note(missing) := [sprintf("Also not evidenced: %s.", [concat(", ", sort(missing))])] if count(missing) > 0

_is_are(s) := "is" if count(s) == 1

_is_are(s) := "are" if count(s) != 1

_evidence("fail", violations, _) := _evidence_items(violations)

_evidence(status, _, oks) := _evidence_items(oks) if status != "fail"

# the items are built inline (no function call per item)
_evidence_items(vs) := sort([{
	"path": v.path,
	"observed": object.get(v, "observed", null),
	"expected": object.get(v, "expected", null),
} |
	some v in vs
	v.path
])
