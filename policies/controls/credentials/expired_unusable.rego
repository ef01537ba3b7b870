# METADATA
# title: No expired credential remains usable
# description: |
#   An expired credential must stop opening the door. The cloud marking it
#   expired is not enough when the lock still holds it: a credential past its
#   valid_until that is still active and still on the lock is usable unless the
#   lock itself enforces the validity window, and the lock can only do that
#   when the product says it enforces validity on the device and its own clock
#   is trustworthy (clock source present, drift within clock_drift_max_s). A
#   successful unlock by a credential after its valid_until proves it was
#   usable, whatever the flags say. A product must enforce validity on the
#   device.
# custom:
#   id: CRED-004
#   area: credentials
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.captured_at
#       - spec.credentials[].cloud_status
#       - spec.credentials[].credential_id
#       - spec.credentials[].valid_until
#       - spec.device_sync.last_synced_credential_ids
#       - spec.events[].type
#       - spec.events[].timestamp
#       - spec.events[].result
#       - spec.events[].credential_id
#       - product:spec.credentials_support.validity_enforced_on_device
#       - spec.device.clock_source
#       - spec.device.clock_drift_s
#     ProductSpec:
#       - spec.credentials_support.validity_enforced_on_device
#   params: [clock_drift_max_s]
#   remediation: |
#     Snapshot: mark expired credentials expired or revoked in the cloud and sync
#     the lock so it no longer holds them; where the lock enforces validity
#     itself, keep its clock synchronised (ntp or app sync, drift within
#     clock_drift_max_s). Investigate any unlock by a credential after its
#     expiry. Product: choose a lock that enforces the validity window on the
#     device.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.4"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
package lockcheck.controls.credentials.expired_unusable

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- LockSnapshot ---

_synced := {id | some id in lib.spec.device_sync.last_synced_credential_ids}

_active := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
}

# active credentials the lock holds (as of its last sync)
_on_lock := {i: c |
	some i, c in _active
	c.credential_id in _synced
}

# credentials (any status) whose valid_until is before captured_at
_expired := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) < lib.ref_ns
}

# expired, still active in the cloud and still on the lock: usable unless the
# lock enforces the validity window itself
_at_risk := {i: c |
	some i, c in _on_lock
	_expired[i]
}

_enforced_flag := lib.product.credentials_support.validity_enforced_on_device

_label(i, c) := lib.cred_label("spec.credentials", i, c)

required contains p if {
	lib.is_snapshot
	some p in ["spec.captured_at", "spec.credentials[].cloud_status", "spec.device_sync.last_synced_credential_ids"]
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _active, ["credential_id"])
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _on_lock, ["valid_until"])
}

# on-device enforcement is read only where it could make a difference
required contains "product:spec.credentials_support.validity_enforced_on_device" if count(_at_risk) > 0

required contains p if {
	count(_at_risk) > 0
	_enforced_flag == true
	some p in lib.clock_evidence
}

# an unlock after expiry can only exist where some credential has expired
required contains "spec.events[].type" if count(_expired) > 0

_unlocks := {j: e |
	some j, e in lib.spec.events
	e.type == "unlock"
}

missing contains m if {
	count(_expired) > 0
	some m in lib.item_missing("spec.events", _unlocks, ["timestamp", "result", "credential_id"])
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _expired, ["credential_id"])
}

# successful unlocks (event j) by an expired credential (i) after its valid_until
_late_unlocks contains [j, i] if {
	some j, e in _unlocks
	e.result == "success"
	some i, c in _expired
	e.credential_id == c.credential_id
	lib.ts_ns(e.timestamp) > lib.ts_ns(c.valid_until)
}

_clock_problem contains "spec.device.clock_source is none" if lib.spec.device.clock_source == "none"

_clock_problem contains sprintf("spec.device.clock_drift_s is %v s, more than %v s", [drift, lib.param("clock_drift_max_s")]) if {
	drift := lib.spec.device.clock_drift_s
	abs(drift) > lib.param("clock_drift_max_s")
}

_still_usable(i, c) := sprintf("%s expired at valid_until %s (before captured_at %s) but cloud_status is active and it is in device_sync.last_synced_credential_ids", [_label(i, c), c.valid_until, lib.spec.captured_at])

violation contains {
	"msg": sprintf("%s, and the product does not enforce validity on the device (product:spec.credentials_support.validity_enforced_on_device: false): the expired credential still opens the door.", [_still_usable(i, c)]),
	"path": sprintf("spec.credentials[%d].valid_until", [i]),
	"observed": c.valid_until,
	"expected": sprintf("not held by the lock, or enforced on the device, after %s", [lib.spec.captured_at]),
} if {
	some i, c in _at_risk
	_enforced_flag == false
}

violation contains {
	"msg": sprintf("%s; the product enforces validity on the device, but the lock's clock cannot be trusted (%s), so the expiry is not reliably enforced.", [_still_usable(i, c), concat("; ", sort(_clock_problem))]),
	"path": sprintf("spec.credentials[%d].valid_until", [i]),
	"observed": c.valid_until,
	"expected": "a trustworthy device clock enforcing the expiry",
} if {
	some i, c in _at_risk
	_enforced_flag == true
	count(_clock_problem) > 0
}

violation contains {
	"msg": sprintf("event %s: %s unlocked the door at %s, after its valid_until %s: the expired credential was still usable.", [object.get(e, "event_id", sprintf("spec.events[%d]", [j])), _label(i, c), e.timestamp, c.valid_until]),
	"path": sprintf("spec.events[%d].timestamp", [j]),
	"observed": e.timestamp,
	"expected": sprintf("no successful unlock by %s after %s", [c.credential_id, c.valid_until]),
} if {
	some [j, i] in _late_unlocks
	e := _unlocks[j]
	c := _expired[i]
}

ok contains sprintf("%s expired at valid_until %s and is still active and on the lock, but the lock enforces validity itself (product:spec.credentials_support.validity_enforced_on_device: true) with a trustworthy clock (spec.device.clock_source %s, clock_drift_s %v s within %v s).", [_label(i, c), c.valid_until, lib.spec.device.clock_source, lib.spec.device.clock_drift_s, lib.param("clock_drift_max_s")]) if {
	some i, c in _at_risk
	_enforced_flag == true
	lib.clock_trustworthy
}

ok contains sprintf("%s is active and on the lock with valid_until %v, not before captured_at %s.", [_label(i, c), c.valid_until, lib.spec.captured_at]) if {
	some i, c in _on_lock
	c.valid_until == null
}

ok contains sprintf("%s is active and on the lock with valid_until %v, not before captured_at %s.", [_label(i, c), c.valid_until, lib.spec.captured_at]) if {
	some i, c in _on_lock
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) >= lib.ref_ns
}

ok contains sprintf("none of the %d active credentials is in device_sync.last_synced_credential_ids, so the lock holds no credential that could have expired.", [count(_active)]) if {
	lib.is_snapshot
	is_array(lib.spec.device_sync.last_synced_credential_ids)
	lib.cred_all_have(lib.spec.credentials, ["cloud_status"])
	lib.cred_all_have([c | some c in _active], ["credential_id"])
	count(_on_lock) == 0
}

ok contains sprintf("spec.events (%d events) shows no successful unlock by a credential after its valid_until.", [count(lib.spec.events)]) if {
	count(_expired) > 0
	is_array(lib.spec.events)
	count(_late_unlocks) == 0
}

# --- ProductSpec ---

required contains "spec.credentials_support.validity_enforced_on_device" if lib.is_spec

violation contains {
	"msg": "spec.credentials_support.validity_enforced_on_device is false: the lock relies on the cloud to stop an expired credential, and keeps accepting it while offline.",
	"path": "spec.credentials_support.validity_enforced_on_device",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.validity_enforced_on_device == false
}

ok contains {
	"msg": "spec.credentials_support.validity_enforced_on_device is true: the lock refuses a credential outside its validity window by itself.",
	"path": "spec.credentials_support.validity_enforced_on_device",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.validity_enforced_on_device == true
}
