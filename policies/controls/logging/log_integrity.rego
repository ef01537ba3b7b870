# METADATA
# title: Log integrity, restricted log access, and security alerts
# description: |
#   An intruder who can edit the log, or a guest who can read everyone's
#   comings and goings, defeats the point of keeping one; and some events
#   (tampering, a brute-force lockout, a firmware integrity failure) must reach
#   the owner at once rather than wait in the history. A product must keep a
#   tamper-evident log that guests cannot view, and the product and the
#   deployed lock must have the tamper, brute_force_lockout and
#   integrity_failure alerts enabled.
# custom:
#   id: LOG-005
#   area: logging
#   severity: medium
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.logging.tamper_evident
#       - spec.logging.view_permission_roles
#       - spec.alerts.enabled_types
#     LockSnapshot:
#       - spec.alerts.enabled_types
#   remediation: |
#     Enable the tamper, brute_force_lockout and integrity_failure alerts on
#     every lock. Procure products whose event log is tamper-evident and whose
#     log viewing is not granted to guests.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.7-2"}
#     - {standard: NIST CSF 2.0, clause: DE.CM-02}
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
#     - {standard: NIST CSF 2.0, clause: RS.AN-07}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
package lockcheck.controls.logging.log_integrity

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_required_alerts := {"tamper", "brute_force_lockout", "integrity_failure"}

_applies if lib.is_snapshot

_applies if lib.is_spec

# --- both kinds: security alerts ---

required contains "spec.alerts.enabled_types" if _applies

violation contains {
	"msg": sprintf("spec.alerts.enabled_types does not include %s: those security events raise no alert.", [concat(", ", sort(absent))]),
	"path": "spec.alerts.enabled_types",
	"observed": types,
	"expected": sort(_required_alerts),
} if {
	_applies
	types := lib.spec.alerts.enabled_types
	is_array(types)
	absent := _required_alerts - {t | some t in types}
	count(absent) > 0
}

ok contains {
	"msg": sprintf("spec.alerts.enabled_types includes %s.", [concat(", ", sort(_required_alerts))]),
	"path": "spec.alerts.enabled_types",
	"observed": types,
	"expected": sort(_required_alerts),
} if {
	_applies
	types := lib.spec.alerts.enabled_types
	is_array(types)
	count(_required_alerts - {t | some t in types}) == 0
}

# --- ProductSpec: tamper-evident log, not readable by guests ---

required contains p if {
	lib.is_spec
	some p in ["spec.logging.tamper_evident", "spec.logging.view_permission_roles"]
}

violation contains {
	"msg": "spec.logging.tamper_evident is false: log entries can be altered or removed without trace.",
	"path": "spec.logging.tamper_evident",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.logging.tamper_evident == false
}

ok contains {
	"msg": "spec.logging.tamper_evident is true.",
	"path": "spec.logging.tamper_evident",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.logging.tamper_evident == true
}

violation contains {
	"msg": sprintf("spec.logging.view_permission_roles is %v and includes guest: guests can read the whole access history.", [roles]),
	"path": "spec.logging.view_permission_roles",
	"observed": roles,
	"expected": "no guest",
} if {
	lib.is_spec
	roles := lib.spec.logging.view_permission_roles
	"guest" in roles
}

ok contains {
	"msg": sprintf("spec.logging.view_permission_roles is %v: guests cannot view the log.", [roles]),
	"path": "spec.logging.view_permission_roles",
	"observed": roles,
	"expected": "no guest",
} if {
	lib.is_spec
	roles := lib.spec.logging.view_permission_roles
	is_array(roles)
	not "guest" in roles
}
