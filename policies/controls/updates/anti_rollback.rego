# METADATA
# title: Anti-rollback (no downgrade to a known-vulnerable image)
# description: |
#   A valid signature only proves that the vendor once published an image, not
#   that the image is still safe: without anti-rollback an attacker can install
#   an old, signed firmware with a known hole. The product must enforce
#   anti-rollback, and a deployed lock must have it enabled and be running a
#   security version no lower than its minimum allowed security version.
#   Authorised, recovery-oriented roll-back (NIST IR 8259A) is not the same as
#   accepting an outdated image from anyone.
# custom:
#   id: UPD-002
#   area: updates
#   severity: high
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.firmware.anti_rollback
#     LockSnapshot:
#       - spec.firmware.anti_rollback
#       - spec.firmware.security_version
#       - spec.firmware.min_allowed_security_version
#   remediation: |
#     Enable anti-rollback so the lock refuses any image whose security version
#     is below its monotonic minimum; update a lock running below
#     min_allowed_security_version at once. Do not procure products without
#     anti-rollback.
#   references:
#     - {standard: NIST SP 800-193, clause: Protection}
#     - {standard: ETSI EN 303 645, clause: "5.3-7"}
#     - {standard: NIST IR 8259A, clause: Software Update}
package lockcheck.controls.updates.anti_rollback

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_applies if lib.is_snapshot

_applies if lib.is_spec

# --- both kinds ---

required contains "spec.firmware.anti_rollback" if _applies

violation contains {
	"msg": "spec.firmware.anti_rollback is false: the lock accepts an older signed firmware image, including one with known vulnerabilities.",
	"path": "spec.firmware.anti_rollback",
	"observed": false,
	"expected": true,
} if {
	_applies
	lib.spec.firmware.anti_rollback == false
}

ok contains {
	"msg": "spec.firmware.anti_rollback is true: downgrades to older images are refused.",
	"path": "spec.firmware.anti_rollback",
	"observed": true,
	"expected": true,
} if {
	_applies
	lib.spec.firmware.anti_rollback == true
}

# --- LockSnapshot: the running image is at or above the minimum ---

required contains p if {
	lib.is_snapshot
	some p in ["spec.firmware.security_version", "spec.firmware.min_allowed_security_version"]
}

violation contains {
	"msg": sprintf("spec.firmware.security_version is %d, below spec.firmware.min_allowed_security_version %d: the lock is running a rolled-back image.", [sv, minv]),
	"path": "spec.firmware.security_version",
	"observed": sv,
	"expected": sprintf(">= %d", [minv]),
} if {
	lib.is_snapshot
	sv := lib.spec.firmware.security_version
	minv := lib.spec.firmware.min_allowed_security_version
	sv < minv
}

ok contains {
	"msg": sprintf("spec.firmware.security_version is %d, at or above spec.firmware.min_allowed_security_version %d.", [sv, minv]),
	"path": "spec.firmware.security_version",
	"observed": sv,
	"expected": sprintf(">= %d", [minv]),
} if {
	lib.is_snapshot
	sv := lib.spec.firmware.security_version
	minv := lib.spec.firmware.min_allowed_security_version
	sv >= minv
}
