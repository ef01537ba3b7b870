# METADATA
# title: At least two independent means of admin/owner access exist
# description: |
#   If the only way the owner can administer the lock is one phone, losing
#   that phone locks the owner out (SP 800-63B-4 4.1.2.1 asks for at least two
#   separate means of authentication). The active owner and admin
#   credentials on a deployed lock must be of at least two independent kinds,
#   where the kinds carried by the same phone (app_key, ble_key,
#   remote_cloud) count as one; and the plan must provide a second path: a
#   backup admin (access_plan.backup_admin_count of at least 1) or a listed
#   holder of the mechanical key (mechanical.key_holders). A snapshot is
#   judged on both clauses, with its linked plan; a plan on the second only.
# custom:
#   id: AUTH-007
#   area: authentication
#   severity: medium
#   applies_to: [LockSnapshot, InstallPlan]
#   evidence:
#     LockSnapshot:
#       - spec.credentials
#       - spec.credentials[].role
#       - spec.credentials[].kind
#       - spec.credentials[].cloud_status
#       - plan:spec.access_plan.backup_admin_count
#       - plan:spec.mechanical.key_holders
#     InstallPlan:
#       - spec.access_plan.backup_admin_count
#       - spec.mechanical.key_holders
#   params: [min_admin_access_kinds, min_backup_admin_count]
#   remediation: |
#     Give the owner/admin a second, independent credential kind (a fob, NFC
#     card, keypad PIN, fingerprint or mechanical key besides the phone), and
#     plan a backup admin or list who holds the mechanical key.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.1.2.1"}
package lockcheck.controls.authentication.two_admin_paths

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_admin_roles := {"owner", "admin"}

# kinds carried by the same phone are one means of access (catalogue §1.1)
_phone_kinds := {"app_key", "ble_key", "remote_cloud"}

_means(kind) := "phone" if kind in _phone_kinds

_means(kind) := kind if not kind in _phone_kinds

# where the document keeps its plan fields
_plan_prefix := "plan:spec" if lib.is_snapshot

_plan_prefix := "spec" if lib.is_plan

_plan_doc := lib.plan if lib.is_snapshot

_plan_doc := lib.spec if lib.is_plan

# --- clause 1 (snapshot): two independent kinds among the active owner/admin credentials ---
# A plan is not judged on it: the distinct-kinds clause is about active
# credentials (catalogue §1.1, 2026-12-04).

_creds := lib.spec.credentials if lib.is_snapshot

# cloud_status selects the credentials and is needed on every one
required contains "spec.credentials[].cloud_status" if lib.is_snapshot

_admin_creds[i] := c if {
	some i, c in _creds
	c.cloud_status == "active"
	c.role in _admin_roles
}

_kinds := {_means(c.kind) | some c in _admin_creds}

# Credentials that might be active owner/admin ones but are not known to be,
# or whose kind is unknown: an absent cloud_status or role, or an absent kind
# on an owner/admin credential.
_unknown[i] := c if {
	some i, c in _creds
	_maybe(c, "cloud_status", {"active"})
	_maybe(c, "role", _admin_roles)
	not _known_means(c)
}

_maybe(c, f, _) if not lib.has(c, f)

_maybe(c, f, values) if c[f] in values

_known_means(c) if {
	c.cloud_status == "active"
	c.role in _admin_roles
	lib.has(c, "kind")
}

# the means an unknown credential could add: its kind where known, else one
# of its own
_could_add[i] := m if {
	some i, c in _unknown
	m := _means(c.kind)
	not m in _kinds
}

_could_add[i] := sprintf("unknown-%d", [i]) if {
	some i, c in _unknown
	not lib.has(c, "kind")
}

_short if count(_kinds) < lib.param("min_admin_access_kinds")

# the unknown credentials could supply the missing means: insufficient evidence
_could_reach if count(_kinds | {m | some m in _could_add}) >= lib.param("min_admin_access_kinds")

# role and kind are needed only where they could supply the missing means
missing contains sprintf("spec.credentials[%d].%s", [i, f]) if {
	_short
	_could_reach
	some i, _ in _could_add
	some f in ["role", "kind"]
	not lib.has(_unknown[i], f)
}

_cred_list := concat(", ", sort([sprintf("%s %s", [object.get(c, "kind", "unknown kind"), object.get(c, "credential_id", object.get(c, "holder_id", "?"))]) | some c in _admin_creds]))

_describe_kinds := "none" if count(_admin_creds) == 0

_describe_kinds := _cred_list if count(_admin_creds) > 0

violation contains {
	"msg": sprintf("the active owner/admin credentials in spec.credentials give %d independent means of access (%s; phone-borne kinds count once): at least %d are needed.", [count(_kinds), _describe_kinds, lib.param("min_admin_access_kinds")]),
	"path": "spec.credentials[].kind",
	"observed": sort(_kinds),
	"expected": sprintf(">= %d distinct means", [lib.param("min_admin_access_kinds")]),
} if {
	is_array(_creds)
	_short
	not _could_reach
}

ok contains {
	"msg": sprintf("the active owner/admin credentials in spec.credentials give %d independent means of access (%s).", [count(_kinds), concat(", ", sort(_kinds))]),
	"path": "spec.credentials[].kind",
	"observed": sort(_kinds),
	"expected": sprintf(">= %d distinct means", [lib.param("min_admin_access_kinds")]),
} if {
	is_array(_creds)
	not _short
}

# --- clause 2: a backup admin OR a listed mechanical key holder ---
# The first arm (backup_admin_count) is always read; the key holders only
# when there is no backup admin (catalogue §1.1: the second arm of an OR
# whose first arm holds is not needed).

_backup_path := sprintf("%s.access_plan.backup_admin_count", [_plan_prefix])

_holders_path := sprintf("%s.mechanical.key_holders", [_plan_prefix])

_backup := _plan_doc.access_plan.backup_admin_count

_no_backup if _backup < lib.param("min_backup_admin_count")

required contains _backup_path

required contains _holders_path if _no_backup

violation contains {
	"msg": sprintf("%s is %d and %s is empty: there is no backup admin and nobody holds the mechanical key.", [_backup_path, _backup, _holders_path]),
	"path": _backup_path,
	"observed": _backup,
	"expected": sprintf(">= %d, or a mechanical key holder", [lib.param("min_backup_admin_count")]),
} if {
	_no_backup
	_plan_doc.mechanical.key_holders == []
}

ok contains {
	"msg": sprintf("%s is %d.", [_backup_path, _backup]),
	"path": _backup_path,
	"observed": _backup,
	"expected": sprintf(">= %d, or a mechanical key holder", [lib.param("min_backup_admin_count")]),
} if {
	_backup >= lib.param("min_backup_admin_count")
}

ok contains sprintf("%s is %d but %s lists %d mechanical key holder(s).", [_backup_path, _backup, _holders_path, count(_plan_doc.mechanical.key_holders)]) if {
	_no_backup
	count(_plan_doc.mechanical.key_holders) > 0
}
