# METADATA
# title: Firmware signature verified on device before installation
# description: |
#   A lock that installs firmware without checking the vendor's signature will
#   run whatever image an attacker pushes to it over Bluetooth, Wi-Fi or USB
#   (CVE-2023-7017: Sciener locks accepted unauthenticated firmware over BLE).
#   The product and the deployed lock must both enforce signature verification
#   before an update is installed; "optional" verification is a fail, because
#   an attacker simply chooses the unsigned path.
# custom:
#   id: UPD-001
#   area: updates
#   severity: critical
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.firmware.signature_verification
#     LockSnapshot:
#       - spec.firmware.signature_verification
#   remediation: |
#     Enable and enforce firmware signature verification (signature_verification:
#     enforced) so that the lock refuses any update image not signed by the
#     vendor's key, on every update channel. Do not procure products whose
#     verification is optional or absent.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.3-10"}
#     - {standard: ETSI EN 303 645, clause: "5.3-9"}
#     - {standard: ETSI EN 303 645, clause: "5.3-7"}
#     - {standard: NIST IR 8259A, clause: Software Update}
#     - {standard: NIST IR 8259A Federal Profile, clause: Software Update (verify software updates come from valid sources)}
#     - {standard: NIST CSF 2.0, clause: PR.PS-05}
#     - {standard: NIST CSF 2.0, clause: ID.RA-09}
#     - {standard: CVE, clause: CVE-2023-7017}
package lockcheck.controls.updates.signature_verified

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# Both kinds read the same field; claims (claims.etsi_en_303_645) never stand in for it.
_applies if lib.is_snapshot

_applies if lib.is_spec

required contains "spec.firmware.signature_verification" if _applies

violation contains {
	"msg": sprintf("spec.firmware.signature_verification is %q: firmware updates are installed without a mandatory signature check%s.", [v, _algorithm_note]),
	"path": "spec.firmware.signature_verification",
	"observed": v,
	"expected": "enforced",
} if {
	_applies
	v := lib.spec.firmware.signature_verification
	v != "enforced"
}

ok contains {
	"msg": sprintf("spec.firmware.signature_verification is \"enforced\": every firmware image is checked before installation%s.", [_algorithm_note]),
	"path": "spec.firmware.signature_verification",
	"observed": "enforced",
	"expected": "enforced",
} if {
	_applies
	lib.spec.firmware.signature_verification == "enforced"
}

# signature_algorithm is context: shown when present, never required.
_algorithm_note := sprintf(" (signature_algorithm: %s)", [a]) if {
	a := lib.spec.firmware.signature_algorithm
	is_string(a)
} else := ""
