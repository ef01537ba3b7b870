# METADATA
# title: Single, consistent owner of record (cloud owner == local admin authority == plan)
# description: |
#   A lock has one owner: the account that owns it in the vendor's cloud must
#   be the owner of record named in the installation plan, and every account
#   that holds admin authority on the lock itself must be that owner or one of
#   the plan's authorized admins. An installer who commissioned the lock on
#   their own account, or a previous owner still holding local admin after a
#   second-hand sale, can add and remove users although each account looks
#   valid on its own. Judged on a snapshot against its linked plan.
# custom:
#   id: ENR-005
#   area: enrollment
#   severity: critical
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.ownership.cloud_owner_account_id
#       - spec.ownership.local_admin_ids
#       - plan:spec.ownership.owner_of_record_id
#       - plan:spec.ownership.authorized_admin_ids
#   remediation: |
#     Transfer the cloud ownership of the lock to the plan's owner of record
#     and remove local admin rights from every account that is neither the
#     owner of record nor listed in the plan's ownership.authorized_admin_ids
#     (or, if the account is legitimate, add it to the plan).
#   references:
#     - {standard: NIST IR 8259A, clause: Device Configuration}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: NIST CSF 2.0, clause: PR.AA-01}
#     - {standard: NIST IR 8425, clause: Product Configuration}
package lockcheck.controls.enrollment.owner_of_record

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.ownership.cloud_owner_account_id",
		"spec.ownership.local_admin_ids",
		"plan:spec.ownership.owner_of_record_id",
		"plan:spec.ownership.authorized_admin_ids",
	]
}

_plan_name := object.get(input.related.plan, ["metadata", "name"], "linked plan")

_owner := lib.plan.ownership.owner_of_record_id

# defined only when the plan gives both the owner and the authorized admins
_allowed := {id | some id in ids} | {_owner} if {
	ids := lib.plan.ownership.authorized_admin_ids
}

violation contains {
	"msg": sprintf("plan %s names no owner of record (plan:spec.ownership.owner_of_record_id is empty).", [_plan_name]),
	"path": "plan:spec.ownership.owner_of_record_id",
	"observed": _owner,
	"expected": "a non-empty account id",
} if {
	lib.is_snapshot
	trim_space(_owner) == ""
}

violation contains {
	"msg": sprintf("spec.ownership.cloud_owner_account_id is %q but the owner of record in plan %s is %q: the lock is owned in the cloud by another account.", [cloud, _plan_name, _owner]),
	"path": "spec.ownership.cloud_owner_account_id",
	"observed": cloud,
	"expected": _owner,
} if {
	lib.is_snapshot
	cloud := lib.spec.ownership.cloud_owner_account_id
	cloud != _owner
}

violation contains {
	"msg": sprintf("local admin %q (spec.ownership.local_admin_ids) is neither the owner of record %q nor an authorized admin in plan %s.", [id, _owner, _plan_name]),
	"path": sprintf("spec.ownership.local_admin_ids[%d]", [i]),
	"observed": id,
	"expected": sort(_allowed),
} if {
	lib.is_snapshot
	allowed := _allowed
	some i, id in lib.spec.ownership.local_admin_ids
	not id in allowed
}

ok contains {
	"msg": sprintf("spec.ownership.cloud_owner_account_id is %q, the owner of record in plan %s.", [cloud, _plan_name]),
	"path": "spec.ownership.cloud_owner_account_id",
	"observed": cloud,
	"expected": _owner,
} if {
	lib.is_snapshot
	cloud := lib.spec.ownership.cloud_owner_account_id
	cloud == _owner
	trim_space(_owner) != ""
}

ok contains {
	"msg": sprintf("every one of the %d spec.ownership.local_admin_ids %v is the owner of record or an authorized admin in plan %s.", [count(admins), admins, _plan_name]),
	"path": "spec.ownership.local_admin_ids",
	"observed": admins,
	"expected": sort(_allowed),
} if {
	lib.is_snapshot
	admins := lib.spec.ownership.local_admin_ids
	allowed := _allowed
	every id in admins {
		id in allowed
	}
}
