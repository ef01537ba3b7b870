# METADATA
# title: Ownership transfer is documented and, when it happened, executed (reset + cloud unbind + credential purge)
# description: |
#   When a lock changes hands (a sale, a new tenant, a reused device) the
#   previous owner's access must end: the device is reset, unbound from the
#   previous owner's cloud account and every old credential is purged. A
#   product must document a transfer procedure that revokes all credentials,
#   requires the cloud unbind and wipes user data; a plan that reuses an
#   existing device must schedule the reset and the unbind; a deployed lock
#   that was transferred must show the previous owner's unbind confirmed and
#   no active credential created before the transfer (mechanical keys are
#   judged by RES-003).
# custom:
#   id: ENR-006
#   area: enrollment
#   severity: high
#   applies_to: [ProductSpec, InstallPlan, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.ownership_transfer.documented
#       - spec.ownership_transfer.procedure_url
#       - spec.ownership_transfer.revokes_all_credentials
#       - spec.ownership_transfer.requires_cloud_unbind
#       - spec.ownership_transfer.wipes_user_data
#     InstallPlan:
#       - spec.transfer_plan.existing_device
#       - spec.transfer_plan.factory_reset_scheduled
#       - spec.transfer_plan.cloud_unbind_scheduled
#     LockSnapshot:
#       - spec.ownership.last_transfer_at
#       - spec.ownership.previous_owner_unbound_confirmed
#       - spec.credentials[].cloud_status
#       - spec.credentials[].kind
#       - spec.credentials[].created_at
#   remediation: |
#     Product: document the ownership-transfer procedure (with its URL) so
#     that it revokes all credentials, requires unbinding the previous cloud
#     account and wipes user data. Plan: for an existing device, schedule a
#     factory reset and the cloud unbind before handover. Snapshot: confirm the
#     previous owner's account is unbound and revoke every active credential
#     created before the transfer; re-issue credentials to the new owner.
#   references:
#     - {standard: NIST IR 8425, clause: Product Configuration}
#     - {standard: NIST IR 8259A, clause: Device Configuration}
#     - {standard: NIST IR 8259A, clause: Data Protection}
#     - {standard: ETSI EN 303 645, clause: "5.11-1"}
#     - {standard: ETSI EN 303 645, clause: "5.11-4"}
#     - {standard: NIST SP 800-63B-4, clause: "4.5"}
package lockcheck.controls.enrollment.ownership_transfer

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

# --- ProductSpec ---

_spec_flags := {
	"documented": "the transfer procedure is not documented",
	"revokes_all_credentials": "a transfer does not revoke all existing credentials",
	"requires_cloud_unbind": "a transfer does not require unbinding the previous owner's cloud account",
	"wipes_user_data": "a transfer does not wipe the previous owner's data",
}

required contains sprintf("spec.ownership_transfer.%s", [f]) if {
	lib.is_spec
	some f in ["documented", "procedure_url", "revokes_all_credentials", "requires_cloud_unbind", "wipes_user_data"]
}

violation contains {
	"msg": sprintf("spec.ownership_transfer.%s is false: %s.", [flag, why]),
	"path": sprintf("spec.ownership_transfer.%s", [flag]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some flag, why in _spec_flags
	lib.spec.ownership_transfer[flag] == false
}

violation contains {
	"msg": "spec.ownership_transfer.procedure_url is empty: the transfer procedure is not published.",
	"path": "spec.ownership_transfer.procedure_url",
	"observed": url,
	"expected": "a non-empty URL",
} if {
	lib.is_spec
	url := lib.spec.ownership_transfer.procedure_url
	trim_space(url) == ""
}

ok contains sprintf("spec.ownership_transfer.%s is true.", [flag]) if {
	lib.is_spec
	some flag, _ in _spec_flags
	lib.spec.ownership_transfer[flag] == true
}

ok contains {
	"msg": sprintf("spec.ownership_transfer.procedure_url is %q.", [url]),
	"path": "spec.ownership_transfer.procedure_url",
	"observed": url,
	"expected": "a non-empty URL",
} if {
	lib.is_spec
	url := lib.spec.ownership_transfer.procedure_url
	trim_space(url) != ""
}

# --- InstallPlan ---

_plan_steps := {
	"factory_reset_scheduled": "no factory reset is scheduled",
	"cloud_unbind_scheduled": "no unbind of the previous owner's cloud account is scheduled",
}

required contains "spec.transfer_plan.existing_device" if lib.is_plan

# the scheduled steps matter only for an existing (second-hand) device
required contains sprintf("spec.transfer_plan.%s", [step]) if {
	lib.is_plan
	lib.spec.transfer_plan.existing_device == true
	some step, _ in _plan_steps
}

violation contains {
	"msg": sprintf("spec.transfer_plan.existing_device is true and spec.transfer_plan.%s is false: %s for the reused device.", [step, why]),
	"path": sprintf("spec.transfer_plan.%s", [step]),
	"observed": false,
	"expected": true,
} if {
	lib.is_plan
	lib.spec.transfer_plan.existing_device == true
	some step, why in _plan_steps
	lib.spec.transfer_plan[step] == false
}

ok contains sprintf("spec.transfer_plan.existing_device is true and spec.transfer_plan.%s is true.", [step]) if {
	lib.is_plan
	lib.spec.transfer_plan.existing_device == true
	some step, _ in _plan_steps
	lib.spec.transfer_plan[step] == true
}

ok contains {
	"msg": "spec.transfer_plan.existing_device is false: a new device, no ownership transfer to execute.",
	"path": "spec.transfer_plan.existing_device",
	"observed": false,
	"expected": "false, or reset and unbind scheduled",
} if {
	lib.is_plan
	lib.spec.transfer_plan.existing_device == false
}

# --- LockSnapshot ---

required contains "spec.ownership.last_transfer_at" if lib.is_snapshot

# the rest matters only after a transfer
_transferred_at := t if {
	lib.is_snapshot
	t := lib.spec.ownership.last_transfer_at
	is_string(t)
}

required contains p if {
	_transferred_at
	some p in [
		"spec.ownership.previous_owner_unbound_confirmed",
		"spec.credentials[].cloud_status",
		"spec.credentials[].kind",
	]
}

# active credentials other than mechanical keys (RES-003 judges those)
_checked[i] := c if {
	_transferred_at
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
	c.kind != "mechanical_key"
}

missing := lib.item_missing("spec.credentials", _checked, ["created_at"])

violation contains {
	"msg": sprintf("spec.ownership.last_transfer_at is %s but spec.ownership.previous_owner_unbound_confirmed is %v: the previous owner's cloud account is not confirmed unbound.", [_transferred_at, confirmed]),
	"path": "spec.ownership.previous_owner_unbound_confirmed",
	"observed": confirmed,
	"expected": true,
} if {
	_transferred_at
	confirmed := lib.spec.ownership.previous_owner_unbound_confirmed
	confirmed in {false, null}
}

violation contains {
	"msg": sprintf("credential %s (holder %s) is active but was created at %s, before the ownership transfer at %s: it belongs to the previous ownership and was not purged.", [c.credential_id, object.get(c, "holder_id", "unknown"), c.created_at, _transferred_at]),
	"path": sprintf("spec.credentials[%d].created_at", [i]),
	"observed": c.created_at,
	"expected": sprintf(">= %s", [_transferred_at]),
} if {
	some i, c in _checked
	lib.ts_ns(c.created_at) < lib.ts_ns(_transferred_at)
}

ok contains {
	"msg": "spec.ownership.last_transfer_at is null: no ownership transfer is recorded.",
	"path": "spec.ownership.last_transfer_at",
	"observed": null,
	"expected": "null, or a transfer executed",
} if {
	lib.is_snapshot
	lib.spec.ownership.last_transfer_at == null
}

ok contains {
	"msg": sprintf("spec.ownership.last_transfer_at is %s and spec.ownership.previous_owner_unbound_confirmed is true.", [_transferred_at]),
	"path": "spec.ownership.previous_owner_unbound_confirmed",
	"observed": true,
	"expected": true,
} if {
	_transferred_at
	lib.spec.ownership.previous_owner_unbound_confirmed == true
}

ok contains sprintf("all %d active credentials (mechanical keys aside) were created at or after the transfer at %s.", [count(_checked), _transferred_at]) if {
	_transferred_at
	every c in _checked {
		lib.ts_ns(c.created_at) >= lib.ts_ns(_transferred_at)
	}
}

# context: the criterion does not read factory_reset_at, but a transfer with
# no reset on record deserves a look
warning contains sprintf("spec.ownership.last_transfer_at is %s but spec.ownership.factory_reset_at is null: no factory reset is recorded for the transfer.", [_transferred_at]) if {
	_transferred_at
	lib.spec.ownership.factory_reset_at == null
}
