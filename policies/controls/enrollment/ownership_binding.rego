# METADATA
# title: Ownership binding needs proof of physical possession; setup/binding code single-use and short-lived
# description: |
#   Whoever binds a lock to their account owns it. Binding must need proof
#   that the person is at the lock (a button on the device, a code shown only
#   on it, close-range Bluetooth), and the setup or binding code must be usable
#   once, valid for at most ten minutes and hard to guess (SP 800-63B-4
#   §4.1.2.2). A lock bound to an account remotely, with no proof of
#   possession, may belong to someone who has never touched it; a fixed
#   pairing PIN such as 000000 is neither single-use nor short-lived nor
#   secret.
# custom:
#   id: ENR-003
#   area: enrollment
#   severity: critical
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.enrollment.binding_requires_physical_presence
#       - spec.enrollment.setup_code_validity_s
#       - spec.enrollment.setup_code_single_use
#       - spec.enrollment.setup_code_entropy_bits
#     LockSnapshot:
#       - spec.ownership.bound_via
#   params: [max_setup_code_validity_s, min_setup_code_entropy_bits]
#   remediation: |
#     Product: require an action at the device (button, code shown on the
#     device, close-range pairing) to bind an owner; make setup codes random,
#     single-use, valid for at most 10 minutes and of at least 40 bits. Never
#     ship a fixed pairing PIN. Snapshot: re-bind a lock that was bound
#     remotely, on site, with a proof-of-possession method.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.1.2.2"}
#     - {standard: ETSI EN 303 645, clause: "5.5-5"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-02}
package lockcheck.controls.enrollment.ownership_binding

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

required contains p if {
	lib.is_spec
	some p in [
		"spec.enrollment.binding_requires_physical_presence",
		"spec.enrollment.setup_code_validity_s",
		"spec.enrollment.setup_code_single_use",
		"spec.enrollment.setup_code_entropy_bits",
	]
}

# a threshold that is not configured leaves the criterion unjudged: it is
# reported like missing evidence, never read as a pass
missing contains sprintf("params.%s", [name]) if {
	lib.is_spec
	some name in ["max_setup_code_validity_s", "min_setup_code_entropy_bits"]
	not lib.param(name)
}

violation contains {
	"msg": "spec.enrollment.binding_requires_physical_presence is false: an owner can be bound to the lock without proving they are at it.",
	"path": "spec.enrollment.binding_requires_physical_presence",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.enrollment.binding_requires_physical_presence == false
}

violation contains {
	"msg": "spec.enrollment.setup_code_single_use is false: the setup/binding code can be used more than once (a fixed pairing code is never single-use).",
	"path": "spec.enrollment.setup_code_single_use",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.enrollment.setup_code_single_use == false
}

violation contains {
	"msg": sprintf("spec.enrollment.setup_code_validity_s is %d: the setup/binding code stays valid longer than %d s.", [v, limit]),
	"path": "spec.enrollment.setup_code_validity_s",
	"observed": v,
	"expected": sprintf("1..%d", [limit]),
} if {
	lib.is_spec
	v := lib.spec.enrollment.setup_code_validity_s
	limit := lib.param("max_setup_code_validity_s")
	v > limit
}

# a validity of zero or less is no bounded lifetime (exporters write 0 for
# "does not expire"); it is not read as "expires at once"
violation contains {
	"msg": sprintf("spec.enrollment.setup_code_validity_s is %d: that is no bounded lifetime for the setup/binding code.", [v]),
	"path": "spec.enrollment.setup_code_validity_s",
	"observed": v,
	"expected": sprintf("1..%d", [lib.param("max_setup_code_validity_s")]),
} if {
	lib.is_spec
	v := lib.spec.enrollment.setup_code_validity_s
	v <= 0
}

violation contains {
	"msg": sprintf("spec.enrollment.setup_code_entropy_bits is %d: the setup/binding code has fewer than %d bits and can be guessed.", [bits, need]),
	"path": "spec.enrollment.setup_code_entropy_bits",
	"observed": bits,
	"expected": sprintf(">= %d", [need]),
} if {
	lib.is_spec
	bits := lib.spec.enrollment.setup_code_entropy_bits
	need := lib.param("min_setup_code_entropy_bits")
	bits < need
}

ok contains {
	"msg": "spec.enrollment.binding_requires_physical_presence is true.",
	"path": "spec.enrollment.binding_requires_physical_presence",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.enrollment.binding_requires_physical_presence == true
}

ok contains {
	"msg": "spec.enrollment.setup_code_single_use is true.",
	"path": "spec.enrollment.setup_code_single_use",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.enrollment.setup_code_single_use == true
}

ok contains {
	"msg": sprintf("spec.enrollment.setup_code_validity_s is %d (at most %d).", [v, limit]),
	"path": "spec.enrollment.setup_code_validity_s",
	"observed": v,
	"expected": sprintf("1..%d", [limit]),
} if {
	lib.is_spec
	v := lib.spec.enrollment.setup_code_validity_s
	limit := lib.param("max_setup_code_validity_s")
	v > 0
	v <= limit
}

ok contains {
	"msg": sprintf("spec.enrollment.setup_code_entropy_bits is %d (at least %d).", [bits, need]),
	"path": "spec.enrollment.setup_code_entropy_bits",
	"observed": bits,
	"expected": sprintf(">= %d", [need]),
} if {
	lib.is_spec
	bits := lib.spec.enrollment.setup_code_entropy_bits
	need := lib.param("min_setup_code_entropy_bits")
	bits >= need
}

# --- LockSnapshot ---

_possession_methods := {"on_device_action", "ble_proximity", "qr_on_device"}

required contains "spec.ownership.bound_via" if lib.is_snapshot

violation contains {
	"msg": sprintf("spec.ownership.bound_via is %q: the owner was bound to this lock without proof of physical possession.", [via]),
	"path": "spec.ownership.bound_via",
	"observed": via,
	"expected": sort(_possession_methods),
} if {
	lib.is_snapshot
	via := lib.spec.ownership.bound_via
	not via in _possession_methods
}

ok contains {
	"msg": sprintf("spec.ownership.bound_via is %q: the owner proved physical possession when binding.", [via]),
	"path": "spec.ownership.bound_via",
	"observed": via,
	"expected": sort(_possession_methods),
} if {
	lib.is_snapshot
	via := lib.spec.ownership.bound_via
	via in _possession_methods
}
