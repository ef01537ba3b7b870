# METADATA
# title: Event history enabled and covers required security events
# description: |
#   After a break-in, a lost phone or a dispute with a tenant, the event
#   history is the only record of who opened the door and who changed the
#   access list. A deployed lock must have logging enabled and record at least
#   unlocks, failed unlocks, credential additions and removals, admin changes,
#   firmware updates and factory resets; a product must declare those event
#   types (whether logging is switched on is a property of a deployed lock).
# custom:
#   id: LOG-001
#   area: logging
#   severity: high
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.logging.enabled
#       - spec.logging.event_types
#     ProductSpec:
#       - spec.logging.event_types
#   remediation: |
#     Enable the lock's event history and make sure it records unlock,
#     unlock_failed, credential_added, credential_removed, admin_changed,
#     firmware_updated and factory_reset events. Do not procure products whose
#     event log lacks any of them.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.PS-04}
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
#     - {standard: NIST CSF 2.0, clause: DE.CM-03}
#     - {standard: NIST IR 8259A, clause: Cybersecurity State Awareness}
#     - {standard: NIST SP 800-63B-4, clause: "4.1"}
package lockcheck.controls.logging.events_covered

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_required_types := {"unlock", "unlock_failed", "credential_added", "credential_removed", "admin_changed", "firmware_updated", "factory_reset"}

_applies if lib.is_snapshot

_applies if lib.is_spec

# --- both kinds: the event types ---

required contains "spec.logging.event_types" if _applies

_seen := {t | some t in lib.spec.logging.event_types}

violation contains {
	"msg": sprintf("spec.logging.event_types does not include %s: those security events are not recorded.", [concat(", ", sort(absent))]),
	"path": "spec.logging.event_types",
	"observed": lib.spec.logging.event_types,
	"expected": sort(_required_types),
} if {
	_applies
	is_array(lib.spec.logging.event_types)
	absent := _required_types - _seen
	count(absent) > 0
}

ok contains {
	"msg": sprintf("spec.logging.event_types includes every required security event (%s).", [concat(", ", sort(_required_types))]),
	"path": "spec.logging.event_types",
	"observed": lib.spec.logging.event_types,
	"expected": sort(_required_types),
} if {
	_applies
	is_array(lib.spec.logging.event_types)
	count(_required_types - _seen) == 0
}

# --- LockSnapshot: logging switched on ---

required contains "spec.logging.enabled" if lib.is_snapshot

violation contains {
	"msg": "spec.logging.enabled is false: the lock keeps no event history.",
	"path": "spec.logging.enabled",
	"observed": false,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.logging.enabled == false
}

ok contains {
	"msg": "spec.logging.enabled is true.",
	"path": "spec.logging.enabled",
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.logging.enabled == true
}
