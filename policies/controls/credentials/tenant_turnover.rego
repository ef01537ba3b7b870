# METADATA
# title: Tenant turnover purges previous occupancy’s credentials and rotates codes
# description: |
#   When a tenancy ends, everything issued to it must stop working: a former
#   tenant's phone key, a cleaner's code from the last tenancy or a keypad PIN
#   everybody in the old household knew all still open the door otherwise.
#   Once the current tenancy (named in the installation plan) has started, no
#   active credential may belong to another tenancy or to no tenancy at all
#   (owner and property-manager credentials excepted), and every active keypad
#   or offline PIN must have been created after the previous tenancy ended.
# custom:
#   id: CRED-006
#   area: credentials
#   severity: critical
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.captured_at
#       - plan:spec.occupancy.current_tenancy_id
#       - plan:spec.occupancy.current_tenancy_start
#       - plan:spec.occupancy.previous_tenancy_end
#       - spec.credentials[].cloud_status
#       - spec.credentials[].role
#       - spec.credentials[].kind
#       - spec.credentials[].tenancy_id
#       - spec.credentials[].created_at
#   remediation: |
#     At every turnover revoke all credentials of the previous tenancy (and any
#     active credential without a tenancy that is not an owner or property
#     manager credential), confirm the lock has dropped them, and issue new
#     keypad and offline PINs after the previous tenancy ends.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.5"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: NIST CSF 2.0, clause: PR.AA-01}
package lockcheck.controls.credentials.tenant_turnover

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# roles that outlive a tenancy, and the others
_exempt_roles := {"owner", "property_manager"}

_tenancy_roles := {"admin", "resident", "guest", "service", "installer"}

_pin_kinds := {"keypad_pin", "offline_algorithmic_pin"}

_occupancy := lib.plan.occupancy

_current := _occupancy.current_tenancy_id

# the criterion applies once the current tenancy has started
_started if {
	lib.is_snapshot
	lib.ref_ns >= lib.ts_ns(_occupancy.current_tenancy_start)
}

_not_started if {
	lib.is_snapshot
	lib.ref_ns < lib.ts_ns(_occupancy.current_tenancy_start)
}

_active := {i: c |
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
} if _started

_active_pins := {i: c |
	some i, c in _active
	c.kind in _pin_kinds
}

_label(i, c) := sprintf("%s, role %s,", [lib.cred_label("spec.credentials", i, c), c.role])

required contains p if {
	lib.is_snapshot
	some p in ["spec.captured_at", "plan:spec.occupancy.current_tenancy_id", "plan:spec.occupancy.current_tenancy_start"]
}

required contains p if {
	_started
	some p in ["spec.credentials[].cloud_status", "spec.credentials[].role", "spec.credentials[].kind"]
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _active, ["tenancy_id"])
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _active_pins, ["created_at"])
}

required contains "plan:spec.occupancy.previous_tenancy_end" if count(_active_pins) > 0

violation contains {
	"msg": sprintf("%s belongs to tenancy %s, not the current tenancy %s (plan:spec.occupancy.current_tenancy_id): a previous occupancy's credential is still active.", [_label(i, c), c.tenancy_id, _current]),
	"path": sprintf("spec.credentials[%d].tenancy_id", [i]),
	"observed": c.tenancy_id,
	"expected": _current,
} if {
	some i, c in _active
	c.role in _tenancy_roles
	is_string(c.tenancy_id)
	c.tenancy_id != _current
}

violation contains {
	"msg": sprintf("%s is active with no tenancy (spec.credentials[%d].tenancy_id is null): only owner and property-manager credentials may outlive a tenancy.", [_label(i, c), i]),
	"path": sprintf("spec.credentials[%d].tenancy_id", [i]),
	"observed": null,
	"expected": _current,
} if {
	some i, c in _active
	c.role in _tenancy_roles
	c.tenancy_id == null
}

violation contains {
	"msg": sprintf("%s is an active %s created at %s, before the previous tenancy ended at %s (plan:spec.occupancy.previous_tenancy_end): the code was not rotated at turnover.", [_label(i, c), c.kind, c.created_at, prev_end]),
	"path": sprintf("spec.credentials[%d].created_at", [i]),
	"observed": c.created_at,
	"expected": sprintf("at or after %s", [prev_end]),
} if {
	some i, c in _active_pins
	prev_end := _occupancy.previous_tenancy_end
	is_string(prev_end)
	lib.ts_ns(c.created_at) < lib.ts_ns(prev_end)
}

ok contains sprintf("captured_at %s is before the current tenancy starts at %s (plan:spec.occupancy.current_tenancy_start): no turnover to check yet.", [lib.spec.captured_at, _occupancy.current_tenancy_start]) if _not_started

ok contains sprintf("captured_at %s is on or after the current tenancy %s started at %s (plan:spec.occupancy).", [lib.spec.captured_at, _current, _occupancy.current_tenancy_start]) if _started

ok contains sprintf("%s belongs to the current tenancy %s.", [_label(i, c), c.tenancy_id]) if {
	some i, c in _active
	c.tenancy_id == _current
}

ok contains sprintf("%s may outlive a tenancy (tenancy_id %v).", [_label(i, c), c.tenancy_id]) if {
	some i, c in _active
	c.role in _exempt_roles
	lib.has(c, "tenancy_id")
	c.tenancy_id != _current
}

ok contains sprintf("%s is a %s created at %s, at or after the previous tenancy ended at %s.", [_label(i, c), c.kind, c.created_at, prev_end]) if {
	some i, c in _active_pins
	prev_end := _occupancy.previous_tenancy_end
	is_string(prev_end)
	lib.ts_ns(c.created_at) >= lib.ts_ns(prev_end)
}

ok contains "plan:spec.occupancy.previous_tenancy_end is null: there was no previous tenancy whose codes need rotating." if {
	count(_active_pins) > 0
	_occupancy.previous_tenancy_end == null
}
