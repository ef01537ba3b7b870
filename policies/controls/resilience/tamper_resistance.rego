# METADATA
# title: Physical tamper resistance and detection; no exposed electronics on the outside
# description: |
#   The outside half of a door lock is in the attacker's hands. The product
#   must detect tampering (so the owner is alerted when someone pries the
#   housing) and must keep no secrets in the outside unit: keys and
#   credentials live on the protected side of the door, so opening the
#   outside escutcheon yields nothing that opens the lock.
# custom:
#   id: RES-005
#   area: resilience
#   severity: medium
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.hardware.tamper_detection
#       - spec.hardware.outside_unit_holds_secrets
#   remediation: |
#     Choose a lock with tamper detection on the housing and whose outside
#     unit (keypad, reader) holds no keys or credentials: it only forwards
#     input to the inside unit over an authenticated, encrypted bus.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.6-3"}
#     - {standard: ETSI EN 303 645, clause: "5.4-2"}
#     - {standard: NIST CSF 2.0, clause: DE.CM-02}
#     - {standard: NIST CSF 2.0, clause: PR.AA-06}
package lockcheck.controls.resilience.tamper_resistance

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_hw := lib.spec.hardware

required contains p if {
	lib.is_spec
	some p in ["spec.hardware.tamper_detection", "spec.hardware.outside_unit_holds_secrets"]
}

violation contains {
	"msg": "spec.hardware.tamper_detection is false: nobody is alerted when the lock housing is forced.",
	"path": "spec.hardware.tamper_detection",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	_hw.tamper_detection == false
}

ok contains {
	"msg": "spec.hardware.tamper_detection is true.",
	"path": "spec.hardware.tamper_detection",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	_hw.tamper_detection == true
}

violation contains {
	"msg": "spec.hardware.outside_unit_holds_secrets is true: keys or credentials can be extracted from the part of the lock mounted outside the door.",
	"path": "spec.hardware.outside_unit_holds_secrets",
	"observed": true,
	"expected": false,
} if {
	lib.is_spec
	_hw.outside_unit_holds_secrets == true
}

ok contains {
	"msg": "spec.hardware.outside_unit_holds_secrets is false.",
	"path": "spec.hardware.outside_unit_holds_secrets",
	"observed": false,
	"expected": false,
} if {
	lib.is_spec
	_hw.outside_unit_holds_secrets == false
}
