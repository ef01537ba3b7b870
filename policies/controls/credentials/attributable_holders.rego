# METADATA
# title: Every active credential is attributable to a named holder and role
# description: |
#   A credential nobody can be named for cannot be reviewed, revoked at the
#   right moment or traced in the event log. Every active credential on a
#   deployed lock (and every credential an installation plan intends to issue)
#   must name its holder and role, and a shared "household" holder id must not
#   carry owner or admin rights, because a shared admin is nobody in particular.
# custom:
#   id: CRED-001
#   area: credentials
#   severity: high
#   applies_to: [LockSnapshot, InstallPlan]
#   evidence:
#     LockSnapshot:
#       - spec.credentials[].cloud_status
#       - spec.credentials[].holder_id
#       - spec.credentials[].role
#       - plan:spec.access_plan.shared_holder_ids
#     InstallPlan:
#       - spec.access_plan.credentials[].holder_id
#       - spec.access_plan.credentials[].role
#       - spec.access_plan.shared_holder_ids
#   remediation: |
#     Record a holder_id and a role for every credential (revoke the ones nobody
#     can be named for). Give owner and admin rights only to individual holders,
#     never to a shared or household holder id listed in
#     access_plan.shared_holder_ids.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.AA-01}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: NIST SP 800-63B-4, clause: "4.1"}
package lockcheck.controls.credentials.attributable_holders

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_privileged_roles := {"owner", "admin"}

# --- LockSnapshot ---

_active := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
}

required contains "spec.credentials[].cloud_status" if lib.is_snapshot

missing contains m if {
	lib.is_snapshot
	some m in lib.item_missing("spec.credentials", _active, ["holder_id", "role"])
}

# the plan's shared holder ids matter only when an owner or admin credential is active
required contains "plan:spec.access_plan.shared_holder_ids" if {
	lib.is_snapshot
	some c in _active
	c.role in _privileged_roles
}

violation contains {
	"msg": sprintf("%s is active but spec.credentials[%d].holder_id is empty: nobody is named for it.", [lib.cred_label("spec.credentials", i, c), i]),
	"path": sprintf("spec.credentials[%d].holder_id", [i]),
	"observed": "",
	"expected": "a named holder id",
} if {
	some i, c in _active
	c.holder_id == ""
}

violation contains {
	"msg": sprintf("%s has role %s but holder %s is a shared holder (plan:spec.access_plan.shared_holder_ids): owner and admin rights must belong to one named person.", [lib.cred_label("spec.credentials", i, c), c.role, c.holder_id]),
	"path": sprintf("spec.credentials[%d].holder_id", [i]),
	"observed": c.holder_id,
	"expected": "an individual holder, not one of plan:spec.access_plan.shared_holder_ids",
} if {
	some i, c in _active
	c.role in _privileged_roles
	c.holder_id in lib.plan.access_plan.shared_holder_ids
}

ok contains sprintf("%s is active with holder_id %s and role %s.", [lib.cred_label("spec.credentials", i, c), c.holder_id, c.role]) if {
	some i, c in _active
	c.holder_id != ""
	is_string(c.role)
}

ok contains sprintf("none of the %d credentials in spec.credentials is active (cloud_status), so none needs a holder.", [count(lib.spec.credentials)]) if {
	lib.is_snapshot
	lib.cred_all_have(lib.spec.credentials, ["cloud_status"])
	count(_active) == 0
}

ok contains sprintf("no active owner or admin credential uses a shared holder id (plan:spec.access_plan.shared_holder_ids: %v).", [lib.plan.access_plan.shared_holder_ids]) if {
	lib.is_snapshot
	shared := {h | some h in lib.plan.access_plan.shared_holder_ids}
	count({i | some i, c in _active; c.role in _privileged_roles; c.holder_id in shared}) == 0
}

# --- InstallPlan ---

_planned := {i: c | lib.is_plan; some i, c in lib.spec.access_plan.credentials}

required contains p if {
	lib.is_plan
	some p in ["spec.access_plan.credentials[].holder_id", "spec.access_plan.credentials[].role"]
}

required contains "spec.access_plan.shared_holder_ids" if {
	lib.is_plan
	some c in _planned
	c.role in _privileged_roles
}

violation contains {
	"msg": sprintf("spec.access_plan.credentials[%d] (role %s) has an empty holder_id: the plan issues a credential nobody is named for.", [i, object.get(c, "role", "unknown")]),
	"path": sprintf("spec.access_plan.credentials[%d].holder_id", [i]),
	"observed": "",
	"expected": "a named holder id",
} if {
	some i, c in _planned
	c.holder_id == ""
}

violation contains {
	"msg": sprintf("spec.access_plan.credentials[%d] gives role %s to holder %s, which is listed in spec.access_plan.shared_holder_ids: owner and admin rights must belong to one named person.", [i, c.role, c.holder_id]),
	"path": sprintf("spec.access_plan.credentials[%d].holder_id", [i]),
	"observed": c.holder_id,
	"expected": "an individual holder, not one of spec.access_plan.shared_holder_ids",
} if {
	some i, c in _planned
	c.role in _privileged_roles
	c.holder_id in lib.spec.access_plan.shared_holder_ids
}

ok contains sprintf("spec.access_plan.credentials[%d] names holder_id %s with role %s.", [i, c.holder_id, c.role]) if {
	some i, c in _planned
	c.holder_id != ""
	is_string(c.role)
}

ok contains "spec.access_plan.credentials is empty: the plan issues no credential." if {
	lib.is_plan
	lib.spec.access_plan.credentials == []
}

ok contains sprintf("no owner or admin credential in the plan goes to a shared holder (spec.access_plan.shared_holder_ids: %v).", [lib.spec.access_plan.shared_holder_ids]) if {
	lib.is_plan
	shared := {h | some h in lib.spec.access_plan.shared_holder_ids}
	count({i | some i, c in _planned; c.role in _privileged_roles; c.holder_id in shared}) == 0
}
