# METADATA
# title: "Intermittent connectivity: bounded staleness of the on-lock credential list"
# description: |
#   A lock that is offline or only intermittently connected holds the
#   credential list of its last sync. Until it syncs again, a credential
#   revoked or expired in the cloud since then may still open the door. The
#   time from the last sync to captured_at must stay within
#   max_sync_staleness_h (policy, default 24 h, plan override first). Beyond
#   it the control fails: critical when a credential was revoked or expired
#   after the last sync (the lock cannot know), medium otherwise (the lock
#   could not receive a future revocation in time). What the cloud inventory
#   says is irrelevant.
# custom:
#   id: COMM-009
#   area: communications
#   severity: high
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.device_sync.last_sync_at
#       - spec.captured_at
#       - spec.credentials[].cloud_status
#       - spec.credentials[].valid_until
#       - spec.credentials[].revoked_at
#   params: [max_sync_staleness_h]
#   remediation: |
#     Restore the lock's connectivity (bridge, Wi-Fi, hub) or sync it on site
#     from the app, and check that every credential revoked or expired since
#     the last sync is gone from the lock; where a lock cannot stay connected,
#     schedule on-site syncs within the staleness budget and prefer
#     credentials whose validity the lock enforces itself.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.9-3"}
#     - {standard: NIST CSF 2.0, clause: PR.IR-03}
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
package lockcheck.controls.communications.sync_staleness

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

required contains p if {
	lib.is_snapshot
	some p in ["spec.device_sync.last_sync_at", "spec.captured_at"]
}

_last_sync := lib.spec.device_sync.last_sync_at

_last_sync_ns := lib.ts_ns(_last_sync)

_max_h := lib.param("max_sync_staleness_h")

_since_sync_h := lib.hours(lib.ref_ns - _last_sync_ns)

_stale if _since_sync_h > _max_h

# --- credentials: needed only once the list is stale ---

# the status selects the credentials whose revoked_at is needed; valid_until
# (null = no expiry) is needed on every credential
_cred_missing := {m | some p in ["spec.credentials[].cloud_status", "spec.credentials[].valid_until"]; some m in lib.missing_path(p)} | lib.item_missing("spec.credentials", _revoked_status, ["revoked_at"])

_revoked_status[i] := c if {
	some i, c in lib.spec.credentials
	c.cloud_status == "revoked"
}

default missing := set()

missing := _cred_missing if {
	lib.is_snapshot
	_stale
}

# after the last sync and at or before captured_at
_after_sync(ts) if {
	ns := lib.ts_ns(ts)
	ns > _last_sync_ns
	ns <= lib.ref_ns
}

_changed contains {
	"msg": sprintf("credential %s (holder %s) was revoked at %s (spec.credentials[%d].revoked_at), after the last sync: the lock cannot have received the revocation.", [c.credential_id, object.get(c, "holder_id", "unknown"), c.revoked_at, i]),
	"path": sprintf("spec.credentials[%d].revoked_at", [i]),
	"observed": c.revoked_at,
	"expected": sprintf("at or before spec.device_sync.last_sync_at %s", [_last_sync]),
	"severity": "critical",
} if {
	some i, c in lib.spec.credentials
	is_string(c.revoked_at)
	_after_sync(c.revoked_at)
}

_changed contains {
	"msg": sprintf("credential %s (holder %s) expired at %s (spec.credentials[%d].valid_until), after the last sync: the lock's list still holds it as valid.", [c.credential_id, object.get(c, "holder_id", "unknown"), c.valid_until, i]),
	"path": sprintf("spec.credentials[%d].valid_until", [i]),
	"observed": c.valid_until,
	"expected": sprintf("at or before spec.device_sync.last_sync_at %s", [_last_sync]),
	"severity": "critical",
} if {
	some i, c in lib.spec.credentials
	is_string(c.valid_until)
	_after_sync(c.valid_until)
}

# the critical branch: a revocation or expiry the lock cannot know about, or
# one that the missing evidence cannot rule out (fail closed)
_severity := "critical" if count(_changed) > 0

_severity := "critical" if {
	count(_changed) == 0
	count(_cred_missing) > 0
}

_severity := "medium" if {
	count(_changed) == 0
	count(_cred_missing) == 0
}

_consequence := sprintf("%d credential(s) were revoked or expired since then", [count(_changed)]) if count(_changed) > 0

_consequence := sprintf("revocations or expiries since then cannot be ruled out (not evidenced: %s)", [concat(", ", sort(_cred_missing))]) if {
	count(_changed) == 0
	count(_cred_missing) > 0
}

_consequence := "no credential was revoked or expired since then, but the lock could not receive a revocation in time" if {
	count(_changed) == 0
	count(_cred_missing) == 0
}

_connectivity := sprintf(" (spec.device.connectivity: %s)", [lib.spec.device.connectivity]) if {
	is_string(lib.spec.device.connectivity)
} else := ""

violation contains {
	"msg": sprintf("the lock last synced its credential list at %s (spec.device_sync.last_sync_at), %s h (%s days) before captured_at%s, more than max_sync_staleness_h %v; %s.", [_last_sync, _fmt(_since_sync_h), _fmt(_since_sync_h / 24), _connectivity, _max_h, _consequence]),
	"path": "spec.device_sync.last_sync_at",
	"observed": _last_sync,
	"expected": sprintf("within %v h of captured_at", [_max_h]),
	"severity": _severity,
} if {
	lib.is_snapshot
	_stale
}

violation contains v if {
	lib.is_snapshot
	_stale
	some v in _changed
}

ok contains {
	"msg": sprintf("the lock last synced its credential list at %s (spec.device_sync.last_sync_at), %s h before captured_at%s, within max_sync_staleness_h %v.", [_last_sync, _fmt(_since_sync_h), _connectivity, _max_h]),
	"path": "spec.device_sync.last_sync_at",
	"observed": _last_sync,
	"expected": sprintf("within %v h of captured_at", [_max_h]),
} if {
	lib.is_snapshot
	_since_sync_h <= _max_h
}

# rounded to one decimal ("216", "2.5")
_fmt(x) := sprintf("%v", [round(x * 10) / 10])
