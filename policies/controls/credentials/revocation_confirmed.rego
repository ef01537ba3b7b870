# METADATA
# title: Revocation confirmed by the lock itself, within the latency budget
# description: |
#   Revoking a credential in the app proves nothing about the door: the lock
#   keeps accepting the credential until it learns of the revocation, and some
#   offline locks never do. Every revoked credential must be confirmed revoked
#   by the lock (revocation_confirmed_by_device_at) within
#   max_revocation_latency_h of revoked_at, and must not still be held by the
#   lock after a sync that happened after the revocation. A revocation younger
#   than the budget and not yet confirmed passes with a warning. A product must
#   be able to invalidate credentials remotely.
# custom:
#   id: CRED-005
#   area: credentials
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.captured_at
#       - spec.credentials[].cloud_status
#       - spec.credentials[].credential_id
#       - spec.credentials[].revoked_at
#       - spec.credentials[].revocation_confirmed_by_device_at
#       - spec.device_sync.last_sync_at
#       - spec.device_sync.last_synced_credential_ids
#     ProductSpec:
#       - spec.credentials_support.remote_invalidation
#   params: [max_revocation_latency_h]
#   remediation: |
#     Snapshot: bring the lock back in contact (or visit it) so it drops the
#     revoked credential and confirms the revocation; where it cannot (offline
#     PINs), reset the lock on site and rotate the affected codes. Investigate
#     why confirmation took longer than max_revocation_latency_h. Product:
#     choose a lock that can invalidate credentials remotely.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.5"}
#     - {standard: NIST SP 800-63B-4, clause: "4.3"}
#     - {standard: NIST SP 800-63B-4, clause: "3.2.1"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: igloohome support, clause: offline PIN codes cannot be de-activated via the app}
package lockcheck.controls.credentials.revocation_confirmed

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

# --- LockSnapshot ---

_budget_h := lib.param("max_revocation_latency_h")

_revoked := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.cloud_status == "revoked"
}

_synced := {id | some id in lib.spec.device_sync.last_synced_credential_ids}

_last_sync_ns := lib.ts_ns(lib.spec.device_sync.last_sync_at)

_revoked_ns(c) := lib.ts_ns(c.revoked_at)

_label(i, c) := lib.cred_label("spec.credentials", i, c)

required contains "spec.credentials[].cloud_status" if lib.is_snapshot

required contains p if {
	count(_revoked) > 0
	some p in ["spec.captured_at", "spec.device_sync.last_sync_at", "spec.device_sync.last_synced_credential_ids"]
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _revoked, ["credential_id", "revoked_at", "revocation_confirmed_by_device_at"])
}

# a revoked credential with revoked_at: null gives no instant to measure from
missing contains sprintf("spec.credentials[%d].revoked_at", [i]) if {
	some i, c in _revoked
	c.revoked_at == null
}

# still on the lock after a sync that happened after the revocation
_still_held contains i if {
	some i, c in _revoked
	c.credential_id in _synced
	_last_sync_ns >= _revoked_ns(c)
}

violation contains {
	"msg": sprintf("%s was revoked at %s, but the lock still held it at its last sync at %s (it is in device_sync.last_synced_credential_ids): the revocation has not reached the lock.", [_label(i, c), c.revoked_at, lib.spec.device_sync.last_sync_at]),
	"path": "spec.device_sync.last_synced_credential_ids",
	"observed": c.credential_id,
	"expected": sprintf("no revoked credential after a sync at or after %s", [c.revoked_at]),
} if {
	some i in _still_held
	c := _revoked[i]
}

violation contains {
	"msg": sprintf("the lock confirmed the revocation of %s only %s after revoked_at %s (revocation_confirmed_by_device_at %s), more than the %v h budget.", [_label(i, c), lib.cred_duration(lib.ts_ns(confirmed) - _revoked_ns(c)), c.revoked_at, confirmed, _budget_h]),
	"path": sprintf("spec.credentials[%d].revocation_confirmed_by_device_at", [i]),
	"observed": confirmed,
	"expected": sprintf("within %v h of %s", [_budget_h, c.revoked_at]),
} if {
	some i, c in _revoked
	confirmed := c.revocation_confirmed_by_device_at
	is_string(confirmed)
	lib.hours(lib.ts_ns(confirmed) - _revoked_ns(c)) > _budget_h
}

violation contains {
	"msg": sprintf("%s was revoked at %s, %s before captured_at %s, and the lock has not confirmed it (revocation_confirmed_by_device_at: null), beyond the %v h budget; the lock last synced at %s.", [_label(i, c), c.revoked_at, lib.cred_duration(lib.ref_ns - _revoked_ns(c)), lib.spec.captured_at, _budget_h, lib.spec.device_sync.last_sync_at]),
	"path": sprintf("spec.credentials[%d].revocation_confirmed_by_device_at", [i]),
	"observed": null,
	"expected": sprintf("confirmed within %v h of %s", [_budget_h, c.revoked_at]),
} if {
	some i, c in _revoked
	c.revocation_confirmed_by_device_at == null
	lib.hours(lib.ref_ns - _revoked_ns(c)) > _budget_h
}

_pending(i, c) := sprintf("%s: revocation pending, %s h left (revoked_at %s, not yet confirmed by the lock at captured_at %s; budget %v h).", [_label(i, c), lib.cred_fmt(_budget_h - lib.hours(lib.ref_ns - _revoked_ns(c))), c.revoked_at, lib.spec.captured_at, _budget_h])

_is_pending contains i if {
	some i, c in _revoked
	c.revocation_confirmed_by_device_at == null
	lib.hours(lib.ref_ns - _revoked_ns(c)) <= _budget_h
	not _still_held[i]
}

warning contains _pending(i, _revoked[i]) if some i in _is_pending

ok contains _pending(i, _revoked[i]) if some i in _is_pending

ok contains sprintf("%s: revocation confirmed by the lock at %s, %s after revoked_at %s (budget %v h).", [_label(i, c), confirmed, lib.cred_duration(lib.ts_ns(confirmed) - _revoked_ns(c)), c.revoked_at, _budget_h]) if {
	some i, c in _revoked
	confirmed := c.revocation_confirmed_by_device_at
	is_string(confirmed)
	lib.hours(lib.ts_ns(confirmed) - _revoked_ns(c)) <= _budget_h
	not _still_held[i]
}

ok contains sprintf("none of the %d credentials in spec.credentials is revoked (cloud_status).", [count(lib.spec.credentials)]) if {
	lib.is_snapshot
	lib.cred_all_have(lib.spec.credentials, ["cloud_status"])
	count(_revoked) == 0
}

# --- ProductSpec ---

required contains "spec.credentials_support.remote_invalidation" if lib.is_spec

violation contains {
	"msg": "spec.credentials_support.remote_invalidation is false: a revoked credential keeps working until someone visits the lock.",
	"path": "spec.credentials_support.remote_invalidation",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.remote_invalidation == false
}

ok contains {
	"msg": sprintf("spec.credentials_support.remote_invalidation is true (declared invalidation_max_latency_s: %v).", [object.get(lib.spec.credentials_support, "invalidation_max_latency_s", "not stated")]),
	"path": "spec.credentials_support.remote_invalidation",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.remote_invalidation == true
}
