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
# valid_until selects the credentials judged, so it is needed on every one;
# cloud_status and credential_id only on expired ones; the events only when
# some credential has expired (catalogue §1.1, 2026-12-04).

required contains p if {
	lib.is_snapshot
	some p in ["spec.captured_at", "spec.credentials[].valid_until"]
}

# credentials (any status) whose valid_until is before captured_at
_expired := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) < lib.ref_ns
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _expired, ["cloud_status", "credential_id"])
}

# expired but still active in the cloud
_expired_active := {i: c |
	some i, c in _expired
	c.cloud_status == "active"
}

# the lock's list is read only where an expired credential is still active
required contains "spec.device_sync.last_synced_credential_ids" if count(_expired_active) > 0

_synced := {id | some id in lib.spec.device_sync.last_synced_credential_ids}

# expired, still active in the cloud and still on the lock: usable unless the
# lock enforces the validity window itself
_at_risk := {i: c |
	some i, c in _expired_active
	c.credential_id in _synced
}

_enforced_flag := lib.product.credentials_support.validity_enforced_on_device

_label(i, c) := lib.cred_label("spec.credentials", i, c)

# on-device enforcement is read only where it could make a difference
required contains "product:spec.credentials_support.validity_enforced_on_device" if count(_at_risk) > 0

required contains p if {
	count(_at_risk) > 0
	_enforced_flag == true
	some p in lib.clock_evidence
}

# an unlock after expiry can only exist where some credential has expired:
# then every event's time and credential are needed to find one
required contains p if {
	count(_expired) > 0
	some p in ["spec.events[].timestamp", "spec.events[].credential_id"]
}

# expired credentials by id
_expired_by_id[id] := c if {
	some c in _expired
	id := c.credential_id
	is_string(id)
}

# events naming an expired credential: their type is needed
_naming_expired := {j: e |
	count(_expired) > 0
	some j, e in lib.spec.events
	_expired_by_id[e.credential_id]
}

missing contains m if {
	some m in lib.item_missing("spec.events", _naming_expired, ["type"])
}

# unlock events (j) by an expired credential (i) after its valid_until
_late := {[j, i] |
	some j, e in _naming_expired
	e.type == "unlock"
	some i, c in _expired
	e.credential_id == c.credential_id
	lib.ts_ns(e.timestamp) > lib.ts_ns(c.valid_until)
}

# their result tells whether the lock accepted the credential
missing contains m if {
	some m in lib.item_missing("spec.events", {j: _naming_expired[j] | some [j, _] in _late}, ["result"])
}

_late_unlocks := {[j, i] |
	some [j, i] in _late
	_naming_expired[j].result == "success"
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
	e := lib.spec.events[j]
	c := _expired[i]
}

ok contains sprintf("%s expired at valid_until %s and is still active and on the lock, but the lock enforces validity itself (product:spec.credentials_support.validity_enforced_on_device: true) with a trustworthy clock (spec.device.clock_source %s, clock_drift_s %v s within %v s).", [_label(i, c), c.valid_until, lib.spec.device.clock_source, lib.spec.device.clock_drift_s, lib.param("clock_drift_max_s")]) if {
	some i, c in _at_risk
	_enforced_flag == true
	lib.clock_trustworthy
}

ok contains sprintf("%s expired at valid_until %s and its cloud_status is %s, not active.", [_label(i, c), c.valid_until, c.cloud_status]) if {
	some i, c in _expired
	is_string(c.cloud_status)
	c.cloud_status != "active"
}

ok contains sprintf("%s expired at valid_until %s and is still active, but the lock does not hold it (not in device_sync.last_synced_credential_ids).", [_label(i, c), c.valid_until]) if {
	some i, c in _expired_active
	is_string(c.credential_id)
	is_array(lib.spec.device_sync.last_synced_credential_ids)
	not c.credential_id in _synced
}

# credentials that have not expired: no expiry, or not before captured_at
_unexpired[i] := c if {
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.valid_until == null
}

_unexpired[i] := c if {
	lib.is_snapshot
	some i, c in lib.spec.credentials
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) >= lib.ref_ns
}

_ref(_, c) := c.credential_id if is_string(c.credential_id)

_ref(i, c) := sprintf("spec.credentials[%d]", [i]) if not is_string(object.get(c, "credential_id", null))

ok contains sprintf("%d of the %d credentials in spec.credentials have not expired at captured_at %s (valid_until null or not before it): %s.", [count(_unexpired), count(lib.spec.credentials), lib.spec.captured_at, concat(", ", sort([_ref(i, c) | some i, c in _unexpired]))]) if {
	count(_unexpired) > 0
}

ok contains "spec.credentials is empty: no credential can have expired." if {
	lib.is_snapshot
	lib.spec.credentials == []
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
