# METADATA
# title: Log retention and export meet plan
# description: |
#   An event log is only useful if it still holds the weeks before an incident
#   and can be taken out of the vendor's app for an investigation. The
#   configured retention must reach log_retention_days (the plan's
#   policy_overrides, default 90 days): on a deployed lock its own
#   logging.retention_days, on a product its declared retention, and on an
#   install plan the linked product's declared retention. A product must also
#   export the log in a machine-readable form (csv, json, api or syslog); a
#   PDF-only export fails.
# custom:
#   id: LOG-003
#   area: logging
#   severity: medium
#   applies_to: [ProductSpec, LockSnapshot, InstallPlan]
#   evidence:
#     ProductSpec:
#       - spec.logging.retention_days
#       - spec.logging.export_formats
#     LockSnapshot:
#       - spec.logging.retention_days
#     InstallPlan:
#       - product:spec.logging.retention_days
#   params: [log_retention_days]
#   remediation: |
#     Configure the lock (or its cloud account) to keep events for at least
#     the plan's retention period, and choose products that keep them that
#     long and export them as CSV, JSON, syslog or through an API.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.PS-04}
#     - {standard: NIST CSF 2.0, clause: RS.AN-07}
package lockcheck.controls.logging.retention_export

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_machine_readable := {"csv", "json", "api", "syslog"}

_min_days := lib.param("log_retention_days")

# --- retention: the document's own (S, V) or the linked product's (P) ---

_retention_path := "spec.logging.retention_days" if not lib.is_plan

_retention_path := "product:spec.logging.retention_days" if lib.is_plan

_retention := lib.spec.logging.retention_days if not lib.is_plan

_retention := lib.product.logging.retention_days if lib.is_plan

_whose := "the linked product's " if lib.is_plan

_whose := "" if not lib.is_plan

# all three kinds in applies_to read a retention
required contains _retention_path

violation contains {
	"msg": sprintf("%s%s is %v: events are kept for fewer than the %v days required (log_retention_days).", [_whose, _retention_path, _retention, _min_days]),
	"path": _retention_path,
	"observed": _retention,
	"expected": sprintf(">= %v", [_min_days]),
} if {
	_retention < _min_days
}

ok contains {
	"msg": sprintf("%s%s is %v, at least the %v days required (log_retention_days).", [_whose, _retention_path, _retention, _min_days]),
	"path": _retention_path,
	"observed": _retention,
	"expected": sprintf(">= %v", [_min_days]),
} if {
	_retention >= _min_days
}

# oldest_event_at is context on a snapshot: shown when present, never required.
ok contains sprintf("spec.logging.oldest_event_at is %s.", [t]) if {
	lib.is_snapshot
	t := lib.spec.logging.oldest_event_at
	is_string(t)
}

# --- ProductSpec: machine-readable export ---

required contains "spec.logging.export_formats" if lib.is_spec

violation contains {
	"msg": sprintf("spec.logging.export_formats is %v: the log cannot be exported in a machine-readable form (csv, json, api or syslog).", [formats]),
	"path": "spec.logging.export_formats",
	"observed": formats,
	"expected": sprintf("at least one of %v", [sort(_machine_readable)]),
} if {
	lib.is_spec
	formats := lib.spec.logging.export_formats
	is_array(formats)
	count({f | some f in formats; f in _machine_readable}) == 0
}

ok contains {
	"msg": sprintf("spec.logging.export_formats is %v: the log can be exported as %s.", [formats, concat(", ", sort(usable))]),
	"path": "spec.logging.export_formats",
	"observed": formats,
	"expected": sprintf("at least one of %v", [sort(_machine_readable)]),
} if {
	lib.is_spec
	formats := lib.spec.logging.export_formats
	usable := {f | some f in formats; f in _machine_readable}
	count(usable) > 0
}
