# METADATA
# title: "Battery depletion handled: early warning + entry path with a dead battery"
# description: |
#   Battery-powered locks go flat. The product must warn well ahead (at least
#   14 days before the battery dies) and leave a way in with a dead battery:
#   an emergency power input (USB-C or 9 V terminals) or a mechanical
#   override. A deployed lock whose battery is at or below its own
#   low-battery threshold fails (severity medium): it is about to lose power.
# custom:
#   id: RES-002
#   area: resilience
#   severity: high
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.power.low_battery_warning_lead_days
#       - spec.power.emergency_power_input
#       - spec.mechanical.override
#     LockSnapshot:
#       - spec.power.battery_percent
#       - spec.power.low_battery_threshold_percent
#   params: [min_low_battery_warning_lead_days]
#   remediation: |
#     Product: warn at least 14 days before the battery runs out and provide
#     an emergency power input or a keyed cylinder. Deployed lock: replace the
#     batteries now.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.9-1"}
#     - {standard: NIST CSF 2.0, clause: PR.IR-03}
package lockcheck.controls.resilience.battery_depletion

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- ProductSpec ---

required contains "spec.power.low_battery_warning_lead_days" if lib.is_spec

violation contains {
	"msg": sprintf("spec.power.low_battery_warning_lead_days is %d: the low-battery warning must come at least %d days before the battery dies.", [d, lib.param("min_low_battery_warning_lead_days")]),
	"path": "spec.power.low_battery_warning_lead_days",
	"observed": d,
	"expected": sprintf(">= %d", [lib.param("min_low_battery_warning_lead_days")]),
} if {
	lib.is_spec
	d := lib.spec.power.low_battery_warning_lead_days
	d < lib.param("min_low_battery_warning_lead_days")
}

ok contains {
	"msg": sprintf("spec.power.low_battery_warning_lead_days is %d.", [d]),
	"path": "spec.power.low_battery_warning_lead_days",
	"observed": d,
	"expected": sprintf(">= %d", [lib.param("min_low_battery_warning_lead_days")]),
} if {
	lib.is_spec
	d := lib.spec.power.low_battery_warning_lead_days
	d >= lib.param("min_low_battery_warning_lead_days")
}

# An entry path with a dead battery: emergency power OR a mechanical override.
# The first arm is always read; the override only when there is no emergency
# power input (catalogue §1.1: the second arm of an OR whose first arm holds is
# not needed).
_power_inputs := {"usb_c", "terminal_9v"}

required contains "spec.power.emergency_power_input" if lib.is_spec

required contains "spec.mechanical.override" if {
	lib.is_spec
	lib.spec.power.emergency_power_input == "none"
}

violation contains {
	"msg": "spec.power.emergency_power_input is none and spec.mechanical.override is none: nobody can get in once the battery is dead.",
	"path": "spec.power.emergency_power_input",
	"observed": "none",
	"expected": "usb_c or terminal_9v, or a mechanical override",
} if {
	lib.is_spec
	lib.spec.power.emergency_power_input == "none"
	lib.spec.mechanical.override == "none"
}

ok contains sprintf("spec.power.emergency_power_input is %s: the lock can be powered from outside when the battery is dead.", [p]) if {
	lib.is_spec
	p := lib.spec.power.emergency_power_input
	p in _power_inputs
}

ok contains "spec.power.emergency_power_input is none but spec.mechanical.override is keyed_cylinder: the door can be opened with a key when the battery is dead." if {
	lib.is_spec
	lib.spec.power.emergency_power_input == "none"
	lib.spec.mechanical.override == "keyed_cylinder"
}

# --- LockSnapshot ---

required contains p if {
	lib.is_snapshot
	some p in ["spec.power.battery_percent", "spec.power.low_battery_threshold_percent"]
}

violation contains {
	"msg": sprintf("spec.power.battery_percent is %d%%, at or below spec.power.low_battery_threshold_percent (%d%%): replace the batteries before the lock loses power.", [pw.battery_percent, pw.low_battery_threshold_percent]),
	"path": "spec.power.battery_percent",
	"observed": pw.battery_percent,
	"expected": sprintf("> %d", [pw.low_battery_threshold_percent]),
	"severity": "medium",
} if {
	lib.is_snapshot
	pw := lib.spec.power
	pw.battery_percent <= pw.low_battery_threshold_percent
}

ok contains {
	"msg": sprintf("spec.power.battery_percent is %d%%, above the low-battery threshold of %d%%.", [pw.battery_percent, pw.low_battery_threshold_percent]),
	"path": "spec.power.battery_percent",
	"observed": pw.battery_percent,
	"expected": sprintf("> %d", [pw.low_battery_threshold_percent]),
} if {
	lib.is_snapshot
	pw := lib.spec.power
	pw.battery_percent > pw.low_battery_threshold_percent
}
