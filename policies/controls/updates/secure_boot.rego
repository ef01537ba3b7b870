# METADATA
# title: Secure boot verifies firmware at start-up; integrity failure alerts
# description: |
#   Signature checks at update time do not help if an image already in flash
#   can be altered (through a debug port or a flash chip) and then runs at the
#   next start. Secure boot verifies the firmware every time the lock starts.
#   The product must declare it and the deployed lock must report it. The
#   integrity-failure alert itself is judged by LOG-005; here it is only
#   flagged as a warning when the alert list shows it is off.
# custom:
#   id: UPD-003
#   area: updates
#   severity: high
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.firmware.secure_boot
#     LockSnapshot:
#       - spec.firmware.secure_boot
#   remediation: |
#     Enable secure boot (a hardware root of trust that verifies the firmware
#     signature at every start-up) and enable the integrity_failure alert so a
#     failed verification reaches the owner. Do not procure products without
#     secure boot.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.7-1"}
#     - {standard: ETSI EN 303 645, clause: "5.7-2"}
#     - {standard: NIST SP 800-193, clause: Detection}
#     - {standard: NIST SP 800-193, clause: Recovery}
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
package lockcheck.controls.updates.secure_boot

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

_applies if lib.is_snapshot

_applies if lib.is_spec

required contains "spec.firmware.secure_boot" if _applies

violation contains {
	"msg": "spec.firmware.secure_boot is false: the firmware is not verified at start-up, so a modified image in flash would run.",
	"path": "spec.firmware.secure_boot",
	"observed": false,
	"expected": true,
} if {
	_applies
	lib.spec.firmware.secure_boot == false
}

ok contains {
	"msg": "spec.firmware.secure_boot is true: the firmware is verified at every start-up.",
	"path": "spec.firmware.secure_boot",
	"observed": true,
	"expected": true,
} if {
	_applies
	lib.spec.firmware.secure_boot == true
}

# Context only (LOG-005 judges alerts): a present alert list without
# integrity_failure means a failed verification would go unnoticed.
warning contains w if some w in _no_integrity_alert

ok contains w if some w in _no_integrity_alert

_no_integrity_alert contains sprintf("spec.alerts.enabled_types is %v and does not include integrity_failure: a failed start-up verification raises no alert (see LOG-005).", [types]) if {
	_applies
	types := lib.spec.alerts.enabled_types
	is_array(types)
	not "integrity_failure" in types
}
