# METADATA
# title: Defined fail state; clean recovery after power loss
# description: |
#   When power fails the lock must do something predictable, and when power
#   comes back it must still know its credentials and the time (expiry of
#   guest codes depends on the clock). A product must declare its fail state
#   (fail_secure, fail_safe or retains_last_state), keep its credentials
#   through a power loss, and resynchronise its clock afterwards. A plan must
#   give every egress door mechanical free egress from the inside, whatever
#   the electronics do.
# custom:
#   id: RES-004
#   area: resilience
#   severity: medium
#   applies_to: [ProductSpec, InstallPlan]
#   evidence:
#     ProductSpec:
#       - spec.power.fail_state
#       - spec.power.retains_credentials_on_power_loss
#       - spec.power.clock_resync_after_power_loss
#     InstallPlan:
#       - spec.devices
#       - spec.devices[].egress_door
#       - spec.devices[].free_egress_inside
#   remediation: |
#     Product: document the fail state; keep credentials in non-volatile
#     memory and resynchronise the clock after power returns. Plan: on every
#     egress door, fit hardware that always opens mechanically from the inside.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.9-2"}
#     - {standard: Life-safety codes, clause: out of scope}
package lockcheck.controls.resilience.fail_state

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- ProductSpec ---

_fail_states := {"fail_secure", "fail_safe", "retains_last_state"}

_power := lib.spec.power

required contains p if {
	lib.is_spec
	some p in [
		"spec.power.fail_state",
		"spec.power.retains_credentials_on_power_loss",
		"spec.power.clock_resync_after_power_loss",
	]
}

ok contains {
	"msg": sprintf("spec.power.fail_state is %s.", [_power.fail_state]),
	"path": "spec.power.fail_state",
	"observed": _power.fail_state,
	"expected": sort(_fail_states),
} if {
	lib.is_spec
	_power.fail_state in _fail_states
}

_recovery_flags := {
	"retains_credentials_on_power_loss": "the lock forgets its credentials when power is lost",
	"clock_resync_after_power_loss": "the clock is not resynchronised after a power loss, so validity windows drift",
}

violation contains {
	"msg": sprintf("spec.power.%s is false: %s.", [flag, why]),
	"path": sprintf("spec.power.%s", [flag]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some flag, why in _recovery_flags
	_power[flag] == false
}

ok contains {
	"msg": sprintf("spec.power.%s is true.", [flag]),
	"path": sprintf("spec.power.%s", [flag]),
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	some flag, _ in _recovery_flags
	_power[flag] == true
}

# --- InstallPlan ---

required contains "spec.devices[].egress_door" if lib.is_plan

_egress[i] := d if {
	lib.is_plan
	some i, d in lib.spec.devices
	d.egress_door == true
}

missing contains p if {
	some p in lib.item_missing("spec.devices", _egress, ["free_egress_inside"])
}

_door(d) := object.get(d, "door_id", "without door_id")

violation contains {
	"msg": sprintf("door %s (spec.devices[%d]) is an egress door but free_egress_inside is false: people inside may not be able to get out.", [_door(d), i]),
	"path": sprintf("spec.devices[%d].free_egress_inside", [i]),
	"observed": false,
	"expected": true,
} if {
	some i, d in _egress
	d.free_egress_inside == false
}

ok contains {
	"msg": sprintf("door %s (spec.devices[%d]) is an egress door with free_egress_inside true.", [_door(d), i]),
	"path": sprintf("spec.devices[%d].free_egress_inside", [i]),
	"observed": true,
	"expected": true,
} if {
	some i, d in _egress
	d.free_egress_inside == true
}

ok contains sprintf("none of the %d doors in spec.devices is an egress door (egress_door false).", [count(lib.spec.devices)]) if {
	lib.is_plan
	is_array(lib.spec.devices)
	count(_egress) == 0
}
