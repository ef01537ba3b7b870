# METADATA
# title: Support period published, accessible, with an explicit end date
# description: |
#   A buyer can only plan replacement if the manufacturer says, publicly, until
#   when the product gets security updates. The product must publish its
#   support period at a stated URL, with an explicit end date. A duration
#   ("60 months") without an end date does not count: its start is unknown,
#   and lockcheck never computes an end date from it.
# custom:
#   id: UPD-005
#   area: updates
#   severity: critical
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.support.published
#       - spec.support.publication_url
#       - spec.support.support_end_date
#   remediation: |
#     Ask the vendor to publish the defined support period, in an accessible
#     place, with the end date of security updates (not only a duration), and
#     record published, publication_url and support_end_date in the spec.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.3-13"}
#     - {standard: UK PSTI Regulations 2023, clause: Sch. 1 (minimum security update period information)}
#     - {standard: NIST IR 8259B, clause: Documentation}
#     - {standard: NIST CSF 2.0, clause: ID.AM-08}
package lockcheck.controls.updates.support_published

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

required contains p if {
	lib.is_spec
	some p in ["spec.support.published", "spec.support.publication_url"]
}

# a stated duration without an end date is a fail, not missing evidence
required contains "spec.support.support_end_date" if {
	lib.is_spec
	not _period_months
}

_period_months := m if {
	m := lib.spec.support.support_period_months
	is_number(m)
}

violation contains {
	"msg": "spec.support.published is false: the support period is not published.",
	"path": "spec.support.published",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.support.published == false
}

violation contains {
	"msg": "spec.support.publication_url is empty: there is no place where the support period can be read.",
	"path": "spec.support.publication_url",
	"observed": "",
	"expected": "a non-empty URL",
} if {
	lib.is_spec
	trim_space(lib.spec.support.publication_url) == ""
}

violation contains {
	"msg": sprintf("spec.support.support_end_date is %s%s: the support period has no explicit end date.", [_end_seen, _period_note]),
	"path": "spec.support.support_end_date",
	"observed": object.get(lib.spec.support, "support_end_date", null),
	"expected": "an end date (YYYY-MM-DD)",
} if {
	lib.is_spec
	_no_end_date
}

# null means the vendor states no end date
_no_end_date if {
	lib.has(lib.spec.support, "support_end_date")
	lib.spec.support.support_end_date == null
}

# a duration given instead of an end date
_no_end_date if {
	_period_months
	not lib.has(lib.spec.support, "support_end_date")
}

_end_seen := "null" if lib.has(lib.spec.support, "support_end_date")

_end_seen := "absent" if not lib.has(lib.spec.support, "support_end_date")

_period_note := sprintf(" (only support_period_months: %v is given, and an end date is never computed from a duration)", [_period_months]) if _period_months

_period_note := "" if not _period_months

ok contains {
	"msg": "spec.support.published is true.",
	"path": "spec.support.published",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.support.published == true
}

ok contains {
	"msg": sprintf("spec.support.publication_url is %s.", [url]),
	"path": "spec.support.publication_url",
	"observed": url,
	"expected": "a non-empty URL",
} if {
	lib.is_spec
	url := lib.spec.support.publication_url
	trim_space(url) != ""
}

ok contains {
	"msg": sprintf("spec.support.support_end_date is %s.", [d]),
	"path": "spec.support.support_end_date",
	"observed": d,
	"expected": "an end date (YYYY-MM-DD)",
} if {
	lib.is_spec
	d := lib.spec.support.support_end_date
	is_string(d)
}
