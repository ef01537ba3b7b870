# METADATA
# title: No universal/default credential is active or shipped
# description: |
#   A credential that is the same on every unit, or that the factory set and
#   nobody changed, lets anyone who has read the manual open the door. A
#   deployed lock must have no factory-default credential active; a product
#   must ship with passwords that are unique per device (and not derived from
#   something public such as the serial number) or set by the user at setup.
# custom:
#   id: ENR-001
#   area: enrollment
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.enrollment.default_credential_active
#       - spec.credentials[].is_factory_default
#       - spec.credentials[].cloud_status
#     ProductSpec:
#       - spec.security.default_password_policy
#       - spec.security.unique_password_derivation
#   remediation: |
#     Snapshot: change or remove the factory credential at commissioning and
#     revoke any credential marked is_factory_default. Product: require a
#     per-device random password (or one set by the user at setup); never a
#     universal password or one derived from the serial number or a counter.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.1-1"}
#     - {standard: ETSI EN 303 645, clause: "5.1-2"}
#     - {standard: UK PSTI Regulations 2023, clause: "Sch. 1 para 1(2), 1(3)"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-01}
#     - {standard: NIST IR 8425, clause: Interface Access Control}
package lockcheck.controls.enrollment.default_credentials

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- LockSnapshot ---

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.enrollment.default_credential_active",
		"spec.credentials[].is_factory_default",
		"spec.credentials[].cloud_status",
	]
}

violation contains {
	"msg": "spec.enrollment.default_credential_active is true: the factory default credential is still active.",
	"path": "spec.enrollment.default_credential_active",
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.enrollment.default_credential_active == true
}

violation contains {
	"msg": sprintf("credential %s (holder %s) is a factory default (is_factory_default: true) and still active in the cloud.", [c.credential_id, object.get(c, "holder_id", "unknown")]),
	"path": sprintf("spec.credentials[%d].is_factory_default", [i]),
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.is_factory_default == true
	c.cloud_status == "active"
}

ok contains {
	"msg": sprintf("spec.enrollment.default_credential_active is false and none of the %d credentials is an active factory default.", [count(lib.spec.credentials)]),
	"path": "spec.enrollment.default_credential_active",
	"observed": false,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.enrollment.default_credential_active == false
}

# --- ProductSpec ---

_acceptable_policies := {"unique_per_device", "user_defined_at_setup", "no_passwords"}

_acceptable_derivations := {"random_per_device", "keyed_hash_of_identifier"}

required contains "spec.security.default_password_policy" if lib.is_spec

# the derivation matters only for unique-per-device passwords
required contains "spec.security.unique_password_derivation" if {
	lib.is_spec
	lib.spec.security.default_password_policy == "unique_per_device"
}

violation contains {
	"msg": sprintf("spec.security.default_password_policy is %q: the product ships a credential that is not unique to the device or set by the user.", [policy]),
	"path": "spec.security.default_password_policy",
	"observed": policy,
	"expected": sort(_acceptable_policies),
} if {
	lib.is_spec
	policy := lib.spec.security.default_password_policy
	not policy in _acceptable_policies
}

violation contains {
	"msg": sprintf("spec.security.unique_password_derivation is %q: per-device passwords derived this way can be predicted from public identifiers.", [d]),
	"path": "spec.security.unique_password_derivation",
	"observed": d,
	"expected": sort(_acceptable_derivations),
} if {
	lib.is_spec
	lib.spec.security.default_password_policy == "unique_per_device"
	d := lib.spec.security.unique_password_derivation
	not d in _acceptable_derivations
}

ok contains {
	"msg": sprintf("spec.security.default_password_policy is %q.", [policy]),
	"path": "spec.security.default_password_policy",
	"observed": policy,
	"expected": sort(_acceptable_policies),
} if {
	lib.is_spec
	policy := lib.spec.security.default_password_policy
	policy in _acceptable_policies
}

ok contains sprintf("spec.security.unique_password_derivation is %q.", [d]) if {
	lib.is_spec
	lib.spec.security.default_password_policy == "unique_per_device"
	d := lib.spec.security.unique_password_derivation
	d in _acceptable_derivations
}
