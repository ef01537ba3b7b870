# METADATA
# title: Mechanical override present and its keys controlled (holders listed, rekey on turnover)
# description: |
#   A keyed cylinder is the way in when the electronics fail (LockState 6i
#   owners were told to "use a physical key"), and also a way in that no app
#   can revoke. Where a plan installs a mechanical override, it must list who
#   holds the keys, commit to rekeying on tenant turnover, and, when a previous
#   tenancy has ended, show the cylinder rekeyed on or after that day. Where
#   the plan has no override, the product must offer emergency power for a dead
#   battery instead. A product with a keyed cylinder must let it be rekeyed.
# custom:
#   id: RES-003
#   area: resilience
#   severity: high
#   applies_to: [InstallPlan, ProductSpec]
#   evidence:
#     InstallPlan:
#       - spec.mechanical.override_present
#       - spec.mechanical.key_holders
#       - spec.mechanical.rekey_on_turnover
#       - spec.mechanical.last_rekeyed_at
#       - spec.occupancy.previous_tenancy_end
#       - product:spec.power.emergency_power_input
#     ProductSpec:
#       - spec.mechanical.override
#       - spec.mechanical.cylinder_rekeyable
#   remediation: |
#     Plan: list every holder of the mechanical keys, commit to rekeying the
#     cylinder at each tenant turnover and record the rekey date; without an
#     override, choose a product with an emergency power input. Product: use a
#     rekeyable cylinder.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.AA-06}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: LockState 6i incident, clause: physical key as fallback}
package lockcheck.controls.resilience.mechanical_override

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- InstallPlan ---

_mech := lib.spec.mechanical

_override if {
	lib.is_plan
	_mech.override_present == true
}

_no_override if {
	lib.is_plan
	_mech.override_present == false
}

required contains "spec.mechanical.override_present" if lib.is_plan

required contains p if {
	_override
	some p in ["spec.mechanical.key_holders", "spec.mechanical.rekey_on_turnover", "spec.occupancy.previous_tenancy_end"]
}

violation contains {
	"msg": "spec.mechanical.key_holders is empty: nobody is recorded as holding the mechanical keys.",
	"path": "spec.mechanical.key_holders",
	"observed": [],
	"expected": "at least one holder",
} if {
	_override
	_mech.key_holders == []
}

ok contains {
	"msg": sprintf("spec.mechanical.key_holders lists %d holder(s): %s.", [count(_mech.key_holders), concat(", ", _mech.key_holders)]),
	"path": "spec.mechanical.key_holders",
	"observed": _mech.key_holders,
	"expected": "at least one holder",
} if {
	_override
	count(_mech.key_holders) > 0
}

violation contains {
	"msg": "spec.mechanical.rekey_on_turnover is false: keys held by former tenants keep opening the door.",
	"path": "spec.mechanical.rekey_on_turnover",
	"observed": false,
	"expected": true,
} if {
	_override
	_mech.rekey_on_turnover == false
}

ok contains {
	"msg": "spec.mechanical.rekey_on_turnover is true.",
	"path": "spec.mechanical.rekey_on_turnover",
	"observed": true,
	"expected": true,
} if {
	_override
	_mech.rekey_on_turnover == true
}

# the rekey date matters only after a previous tenancy
_tenancy_end := lib.spec.occupancy.previous_tenancy_end

_tenancy_end_date := lib.local_date(lib.ts_ns(_tenancy_end)) if is_string(_tenancy_end)

ok contains "spec.occupancy.previous_tenancy_end is null: there was no previous tenancy to rekey after." if {
	_override
	_tenancy_end == null
}

required contains "spec.mechanical.last_rekeyed_at" if {
	_override
	is_string(_tenancy_end)
}

violation contains {
	"msg": sprintf("spec.mechanical.last_rekeyed_at is null but the previous tenancy ended %s (spec.occupancy.previous_tenancy_end): the cylinder was never rekeyed.", [_tenancy_end_date]),
	"path": "spec.mechanical.last_rekeyed_at",
	"observed": null,
	"expected": sprintf(">= %s", [_tenancy_end_date]),
} if {
	_override
	_mech.last_rekeyed_at == null
}

violation contains {
	"msg": sprintf("spec.mechanical.last_rekeyed_at is %s, before the previous tenancy ended on %s (spec.occupancy.previous_tenancy_end): the former tenant's keys still work.", [_mech.last_rekeyed_at, _tenancy_end_date]),
	"path": "spec.mechanical.last_rekeyed_at",
	"observed": _mech.last_rekeyed_at,
	"expected": sprintf(">= %s", [_tenancy_end_date]),
} if {
	_override
	is_string(_mech.last_rekeyed_at)
	_mech.last_rekeyed_at < _tenancy_end_date
}

ok contains {
	"msg": sprintf("spec.mechanical.last_rekeyed_at is %s, on or after the end of the previous tenancy (%s).", [_mech.last_rekeyed_at, _tenancy_end_date]),
	"path": "spec.mechanical.last_rekeyed_at",
	"observed": _mech.last_rekeyed_at,
	"expected": sprintf(">= %s", [_tenancy_end_date]),
} if {
	_override
	is_string(_mech.last_rekeyed_at)
	_mech.last_rekeyed_at >= _tenancy_end_date
}

# without an override, the product's emergency power is the way in (RES-002)
required contains "product:spec.power.emergency_power_input" if _no_override

violation contains {
	"msg": "spec.mechanical.override_present is false and the product's power.emergency_power_input is none: with a dead battery there is no way in.",
	"path": "product:spec.power.emergency_power_input",
	"observed": "none",
	"expected": ["terminal_9v", "usb_c"],
} if {
	_no_override
	lib.product.power.emergency_power_input == "none"
}

ok contains {
	"msg": sprintf("spec.mechanical.override_present is false; the product's power.emergency_power_input is %s.", [input_kind]),
	"path": "product:spec.power.emergency_power_input",
	"observed": input_kind,
	"expected": ["terminal_9v", "usb_c"],
} if {
	_no_override
	input_kind := lib.product.power.emergency_power_input
	input_kind in {"usb_c", "terminal_9v"}
}

# --- ProductSpec ---

required contains "spec.mechanical.override" if lib.is_spec

required contains "spec.mechanical.cylinder_rekeyable" if {
	lib.is_spec
	_mech.override == "keyed_cylinder"
}

violation contains {
	"msg": "spec.mechanical.override is keyed_cylinder but spec.mechanical.cylinder_rekeyable is false: lost or former tenants' keys cannot be shut out.",
	"path": "spec.mechanical.cylinder_rekeyable",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	_mech.override == "keyed_cylinder"
	_mech.cylinder_rekeyable == false
}

ok contains {
	"msg": "spec.mechanical.override is keyed_cylinder and spec.mechanical.cylinder_rekeyable is true.",
	"path": "spec.mechanical.cylinder_rekeyable",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	_mech.override == "keyed_cylinder"
	_mech.cylinder_rekeyable == true
}

ok contains "spec.mechanical.override is none: there are no mechanical keys to control (RES-002 covers entry with a dead battery)." if {
	lib.is_spec
	_mech.override == "none"
}
