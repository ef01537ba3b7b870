# METADATA
# title: Remaining support runway is sufficient (procurement / installation / deployed)
# description: |
#   A lock bought or installed today must keep receiving security updates for
#   long enough to be worth installing, and a deployed lock whose support has
#   ended is running firmware nobody will patch. Each document is judged as of
#   its own reference date, never the machine's clock: a product spec as of the
#   run date (support must reach at least spec_min_support_runway_months
#   beyond it), an install plan as of its planned_install_date (the linked
#   product's support must reach required_support_months beyond it), and a
#   snapshot as of the local date of captured_at (support must not have ended;
#   a warning when it ends within snapshot_support_warning_months). Dates are
#   compared inclusively at day granularity in the site's timezone. A missing
#   end date is never computed from a duration.
# custom:
#   id: UPD-006
#   area: updates
#   severity: critical
#   applies_to: [ProductSpec, InstallPlan, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.support.support_end_date
#     InstallPlan:
#       - spec.planned_install_date
#       - product:spec.support.support_end_date
#     LockSnapshot:
#       - spec.captured_at
#       - spec.support.support_end_date
#   params: [spec_min_support_runway_months, required_support_months, snapshot_support_warning_months]
#   remediation: |
#     Procurement: choose a product whose published support end date leaves at
#     least the required runway, or get a contractual extension. Installation:
#     do not install a model whose support ends before the plan's required
#     support months have elapsed. Deployed: replace (or obtain extended
#     support for) locks whose support period has ended, and schedule the
#     replacement of those that are close to it.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.3-13"}
#     - {standard: ETSI EN 303 645, clause: "5.2-3"}
#     - {standard: NIST CSF 2.0, clause: PR.PS-02}
#     - {standard: NIST CSF 2.0, clause: PR.PS-03}
#     - {standard: NIST CSF 2.0, clause: ID.AM-08}
package lockcheck.controls.updates.support_runway

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

_ns_per_day := 86400000000000

_days_per_month := 365.2425 / 12

_date_ns(d) := time.parse_ns("2006-01-02", d)

# runway_months is the time from one date to another in months, truncated to
# one decimal (2025-03-01 -> 2027-02-28 is 23.9).
_runway_months(from, to) := floor((((_date_ns(to) - _date_ns(from)) / _ns_per_day) * 10) / _days_per_month) / 10

# --- ProductSpec: as of the run date (UTC) ---

required contains "spec.support.support_end_date" if lib.is_spec

_spec_min := lib.param("spec_min_support_runway_months")

violation contains {
	"msg": sprintf("spec.support.support_end_date is %s: only %s months of support remain after the evaluation date %s; at least %d months are required (an end date on or after %s).", [end, lib.one_decimal(_runway_months(lib.ref_date, end)), lib.ref_date, _spec_min, needed]),
	"path": "spec.support.support_end_date",
	"observed": end,
	"expected": sprintf(">= %s", [needed]),
	"severity": "high",
} if {
	lib.is_spec
	end := lib.spec.support.support_end_date
	is_string(end)
	needed := lib.add_months(lib.ref_date, _spec_min)
	end < needed
}

ok contains {
	"msg": sprintf("spec.support.support_end_date is %s: %s months of support remain after the evaluation date %s (at least %d required, until %s).", [end, lib.one_decimal(_runway_months(lib.ref_date, end)), lib.ref_date, _spec_min, needed]),
	"path": "spec.support.support_end_date",
	"observed": end,
	"expected": sprintf(">= %s", [needed]),
} if {
	lib.is_spec
	end := lib.spec.support.support_end_date
	is_string(end)
	needed := lib.add_months(lib.ref_date, _spec_min)
	end >= needed
}

# --- InstallPlan: the linked product as of planned_install_date ---

required contains p if {
	lib.is_plan
	some p in ["spec.planned_install_date", "product:spec.support.support_end_date"]
}

# the plan's own required_support_months, else the policy default
_plan_months := m if {
	m := lib.spec.required_support_months
	is_number(m)
} else := lib.param("required_support_months")

violation contains {
	"msg": sprintf("the linked product's spec.support.support_end_date is %s: support ends %s months after the planned_install_date %s, before the %d months required (required_support_months, until %s).", [end, lib.one_decimal(_runway_months(lib.ref_date, end)), lib.ref_date, _plan_months, needed]),
	"path": "product:spec.support.support_end_date",
	"observed": end,
	"expected": sprintf(">= %s", [needed]),
	"severity": "high",
} if {
	lib.is_plan
	end := lib.product.support.support_end_date
	is_string(end)
	needed := lib.add_months(lib.ref_date, _plan_months)
	end < needed
}

ok contains {
	"msg": sprintf("the linked product's spec.support.support_end_date is %s: support lasts %s months after the planned_install_date %s (required_support_months %d, until %s).", [end, lib.one_decimal(_runway_months(lib.ref_date, end)), lib.ref_date, _plan_months, needed]),
	"path": "product:spec.support.support_end_date",
	"observed": end,
	"expected": sprintf(">= %s", [needed]),
} if {
	lib.is_plan
	end := lib.product.support.support_end_date
	is_string(end)
	needed := lib.add_months(lib.ref_date, _plan_months)
	end >= needed
}

# --- LockSnapshot: as of the local date of captured_at ---

required contains p if {
	lib.is_snapshot
	some p in ["spec.captured_at", "spec.support.support_end_date"]
}

violation contains {
	"msg": sprintf("spec.support.support_end_date is %s: support had ended by the snapshot date %s (captured_at %s, %s): the lock no longer receives security updates.", [end, lib.ref_date, lib.spec.captured_at, lib.timezone]),
	"path": "spec.support.support_end_date",
	"observed": end,
	"expected": sprintf(">= %s", [lib.ref_date]),
	"severity": "critical",
} if {
	lib.is_snapshot
	end := lib.spec.support.support_end_date
	is_string(end)
	end < lib.ref_date
}

ok contains {
	"msg": sprintf("spec.support.support_end_date is %s, on or after the snapshot date %s (captured_at %s, %s).", [end, lib.ref_date, lib.spec.captured_at, lib.timezone]),
	"path": "spec.support.support_end_date",
	"observed": end,
	"expected": sprintf(">= %s", [lib.ref_date]),
} if {
	lib.is_snapshot
	end := lib.spec.support.support_end_date
	is_string(end)
	end >= lib.ref_date
}

# a warning never changes the status; it is shown in warnings and in the rationale
warning contains w if some w in _ending_soon

ok contains w if some w in _ending_soon

_ending_soon contains sprintf("spec.support.support_end_date is %s, less than %d months after the snapshot date %s (before %s): plan the replacement of this lock.", [end, months, lib.ref_date, soon]) if {
	lib.is_snapshot
	end := lib.spec.support.support_end_date
	is_string(end)
	end >= lib.ref_date
	months := lib.param("snapshot_support_warning_months")
	soon := lib.add_months(lib.ref_date, months)
	end < soon
}

# --- every kind: a stated "no end date" cannot show any runway ---

violation contains {
	"msg": sprintf("%s is null: no support end date is stated, so the remaining support runway cannot be shown (an end date is never computed from a duration).", [path]),
	"path": path,
	"observed": null,
	"expected": "an end date (YYYY-MM-DD)",
	"severity": "high",
} if {
	some [path, support] in _support_sources
	lib.has(support, "support_end_date")
	support.support_end_date == null
}

_support_sources contains ["spec.support.support_end_date", lib.spec.support] if lib.is_snapshot

_support_sources contains ["spec.support.support_end_date", lib.spec.support] if lib.is_spec

_support_sources contains ["product:spec.support.support_end_date", lib.product.support] if lib.is_plan
