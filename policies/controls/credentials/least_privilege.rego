# METADATA
# title: Permissions scoped by role (least privilege)
# description: |
#   A guest, service, resident or installer credential that can add users,
#   change settings or push firmware is an admin credential in disguise: whoever
#   holds it can make themselves permanent. On a deployed lock every active
#   credential with one of those roles must be limited to everyday use (guests
#   also may not read the event log), and an installer keeps no management
#   rights once the lock is commissioned. A product must support permissions
#   scoped by role at all.
# custom:
#   id: CRED-002
#   area: credentials
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.credentials[].cloud_status
#       - spec.credentials[].role
#       - spec.credentials[].permissions
#     ProductSpec:
#       - spec.credentials_support.role_based_permissions
#   remediation: |
#     Snapshot: remove manage_users, manage_settings and firmware_update from
#     every guest, service, resident and installer credential (and view_logs from
#     guests); after commissioning, revoke the installer's management rights or
#     the installer credential itself. Product: choose a lock whose permissions
#     are scoped by role.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: NIST IR 8259A, clause: Logical Access to Interfaces}
#     - {standard: CVE, clause: CVE-2022-32507}
#     - {standard: "Jmaxxz, DEF CON 24 (August)", clause: guest to permanent admin}
package lockcheck.controls.credentials.least_privilege

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# the permissions each restricted role must not hold; installer is always
# restricted on a deployed lock (catalogue §1.1)
_management := {"manage_users", "manage_settings", "firmware_update"}

_forbidden := {
	"guest": (_management | {"view_logs"}),
	"service": _management,
	"resident": _management,
	"installer": _management,
}

# --- LockSnapshot ---

_restricted := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
	_forbidden[c.role]
}

required contains p if {
	lib.is_snapshot
	some p in ["spec.credentials[].cloud_status", "spec.credentials[].role"]
}

missing contains m if {
	lib.is_snapshot
	some m in lib.item_missing("spec.credentials", _restricted, ["permissions"])
}

_excess(c) := {p | some p in c.permissions; p in _forbidden[c.role]}

violation contains {
	"msg": sprintf("%s has role %s but spec.credentials[%d].permissions includes %v%s", [lib.cred_label("spec.credentials", i, c), c.role, i, sorted, _why(c.role)]),
	"path": sprintf("spec.credentials[%d].permissions", [i]),
	"observed": sort(c.permissions),
	"expected": sprintf("none of %v", [sort(_forbidden[c.role])]),
} if {
	some i, c in _restricted
	sorted := sort(_excess(c))
	count(sorted) > 0
}

_why("installer") := ": an installer must not keep management rights after commissioning."

_why(role) := sprintf(": a %s credential must not manage users, settings or firmware.", [role]) if role in {"service", "resident"}

_why("guest") := ": a guest credential must not manage users, settings or firmware, nor read the event log."

ok contains sprintf("%s has role %s and permissions %v, none of %v.", [lib.cred_label("spec.credentials", i, c), c.role, sort(c.permissions), sort(_forbidden[c.role])]) if {
	some i, c in _restricted
	is_array(c.permissions)
	count(_excess(c)) == 0
}

ok contains sprintf("none of the %d credentials in spec.credentials is an active guest, service, resident or installer credential (cloud_status, role).", [count(lib.spec.credentials)]) if {
	lib.is_snapshot
	lib.cred_all_have(lib.spec.credentials, ["cloud_status", "role"])
	count(_restricted) == 0
}

# --- ProductSpec ---

required contains "spec.credentials_support.role_based_permissions" if lib.is_spec

violation contains {
	"msg": "spec.credentials_support.role_based_permissions is false: the product cannot limit a credential to what its role needs.",
	"path": "spec.credentials_support.role_based_permissions",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.role_based_permissions == false
}

ok contains {
	"msg": "spec.credentials_support.role_based_permissions is true: permissions are scoped by role.",
	"path": "spec.credentials_support.role_based_permissions",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.role_based_permissions == true
}
