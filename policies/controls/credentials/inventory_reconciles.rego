# METADATA
# title: Cloud and device credential inventories reconcile (no orphan/unknown credentials)
# description: |
#   The cloud's credential list is the record everyone reviews, revokes from
#   and audits against; a credential the lock holds but the cloud does not know
#   (a code typed in at the keypad, a leftover from a previous owner) opens the
#   door without appearing anywhere anyone looks. Every credential id the lock
#   reported at its last sync must be known to the cloud inventory (revoked
#   history included), and the lock must hold no keypad-local credentials.
# custom:
#   id: CRED-008
#   area: credentials
#   severity: high
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.credentials[].credential_id
#       - spec.device_sync.last_synced_credential_ids
#       - spec.device_sync.device_local_only_ids
#   remediation: |
#     Delete the credentials the cloud does not know from the lock (or enrol
#     them properly through the app so they get a holder and a record), and stop
#     creating codes at the keypad; keep revoked credentials in the cloud
#     history so old ids stay explainable.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.1"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-01}
#     - {standard: NIST CSF 2.0, clause: ID.AM-08}
package lockcheck.controls.credentials.inventory_reconciles

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_cloud_ids := {c.credential_id | some c in lib.spec.credentials}

_device_ids := lib.spec.device_sync.last_synced_credential_ids

_local_only := lib.spec.device_sync.device_local_only_ids

# an id is only shown to be unknown when every cloud credential has an id
_inventory_complete if lib.cred_all_have(lib.spec.credentials, ["credential_id"])

_unknown := {id | some id in _device_ids; not id in _cloud_ids} if _inventory_complete

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.credentials[].credential_id",
		"spec.device_sync.last_synced_credential_ids",
		"spec.device_sync.device_local_only_ids",
	]
}

violation contains {
	"msg": sprintf("the lock holds credential id %s (spec.device_sync.last_synced_credential_ids) that the cloud inventory spec.credentials does not know, not even as revoked history.", [id]),
	"path": "spec.device_sync.last_synced_credential_ids",
	"observed": id,
	"expected": "an id present in spec.credentials[].credential_id",
} if {
	lib.is_snapshot
	some id in _unknown
}

violation contains {
	"msg": sprintf("the lock holds a keypad-local credential %s (spec.device_sync.device_local_only_ids) that exists only on the device, with no holder or record in the cloud.", [id]),
	"path": "spec.device_sync.device_local_only_ids",
	"observed": id,
	"expected": [],
} if {
	lib.is_snapshot
	some id in _local_only
}

ok contains sprintf("all %d credential ids the lock reported (spec.device_sync.last_synced_credential_ids) are in the cloud inventory of %d credentials (spec.credentials).", [count(_device_ids), count(lib.spec.credentials)]) if {
	lib.is_snapshot
	is_array(_device_ids)
	count(_unknown) == 0
}

ok contains {
	"msg": "spec.device_sync.device_local_only_ids is empty: the lock holds no keypad-local credentials.",
	"path": "spec.device_sync.device_local_only_ids",
	"observed": [],
	"expected": [],
} if {
	lib.is_snapshot
	_local_only == []
}
