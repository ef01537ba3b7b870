# METADATA
# title: "Local-vs-app/cloud control paths: defined conflict policy, consistent configuration"
# description: |
#   A lock can be configured at the door (keypad, local admin) and from the
#   app or cloud. When the two disagree, someone has to win, or a user removed
#   in the app stays on the lock. A product must define which path wins and
#   must require authentication for local admin changes. A deployed lock's
#   configuration must match the cloud's (equal configuration hashes), unless
#   local changes are pending and the lock synced recently enough
#   (max_sync_staleness_h, policy) for them to reach the cloud.
# custom:
#   id: COMM-008
#   area: communications
#   severity: medium
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.control_paths.conflict_policy
#       - spec.control_paths.local_admin_changes_require_auth
#     LockSnapshot:
#       - spec.device_sync.config_hash_device
#       - spec.device_sync.config_hash_cloud
#       - spec.device_sync.pending_local_changes_count
#       - spec.device_sync.last_sync_at
#       - spec.captured_at
#   params: [max_sync_staleness_h]
#   remediation: |
#     Product: require a documented conflict policy (local or cloud priority,
#     or last writer wins) and authentication for every local admin change.
#     Snapshot: bring the lock back in sync with the cloud (connect it, push
#     the pending changes or re-apply the cloud configuration) and find out why
#     the configurations diverged.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.5-5"}
#     - {standard: NIST IR 8259A, clause: Device Configuration}
#     - {standard: NIST CSF 2.0, clause: PR.PS-01}
package lockcheck.controls.communications.control_paths

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- ProductSpec ---

_defined_policies := {"local_priority", "cloud_priority", "last_writer_wins"}

required contains p if {
	lib.is_spec
	some p in ["spec.control_paths.conflict_policy", "spec.control_paths.local_admin_changes_require_auth"]
}

violation contains {
	"msg": sprintf("spec.control_paths.conflict_policy is %q: nothing says whether the lock or the app/cloud wins when their changes conflict.", [p]),
	"path": "spec.control_paths.conflict_policy",
	"observed": p,
	"expected": sort(_defined_policies),
} if {
	lib.is_spec
	p := lib.spec.control_paths.conflict_policy
	not p in _defined_policies
}

violation contains {
	"msg": "spec.control_paths.local_admin_changes_require_auth is false: admin changes made at the lock need no authentication.",
	"path": "spec.control_paths.local_admin_changes_require_auth",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.control_paths.local_admin_changes_require_auth == false
}

ok contains {
	"msg": sprintf("spec.control_paths.conflict_policy is %q.", [p]),
	"path": "spec.control_paths.conflict_policy",
	"observed": p,
	"expected": sort(_defined_policies),
} if {
	lib.is_spec
	p := lib.spec.control_paths.conflict_policy
	p in _defined_policies
}

ok contains {
	"msg": "spec.control_paths.local_admin_changes_require_auth is true.",
	"path": "spec.control_paths.local_admin_changes_require_auth",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.control_paths.local_admin_changes_require_auth == true
}

# --- LockSnapshot ---

required contains p if {
	lib.is_snapshot
	some p in ["spec.device_sync.config_hash_device", "spec.device_sync.config_hash_cloud"]
}

_hashes_equal if lib.spec.device_sync.config_hash_device == lib.spec.device_sync.config_hash_cloud

_hashes_differ if lib.spec.device_sync.config_hash_device != lib.spec.device_sync.config_hash_cloud

_pending_none if lib.spec.device_sync.pending_local_changes_count <= 0

# the second arm of the OR is needed only when the hashes differ
required contains "spec.device_sync.pending_local_changes_count" if {
	lib.is_snapshot
	_hashes_differ
}

# staleness matters only when local changes are pending (or that is unknown)
required contains p if {
	lib.is_snapshot
	_hashes_differ
	not _pending_none
	some p in ["spec.device_sync.last_sync_at", "spec.captured_at"]
}

_max_h := lib.param("max_sync_staleness_h")

_since_sync_h := lib.hours(lib.ref_ns - lib.ts_ns(lib.spec.device_sync.last_sync_at))

violation contains {
	"msg": sprintf("spec.device_sync.config_hash_device differs from config_hash_cloud and pending_local_changes_count is %d: the lock's configuration has diverged from the cloud's with no change waiting to sync.", [n]),
	"path": "spec.device_sync.config_hash_device",
	"observed": lib.spec.device_sync.config_hash_device,
	"expected": lib.spec.device_sync.config_hash_cloud,
} if {
	lib.is_snapshot
	_hashes_differ
	n := lib.spec.device_sync.pending_local_changes_count
	n <= 0
}

violation contains {
	"msg": sprintf("spec.device_sync.config_hash_device differs from config_hash_cloud with %d local changes pending, but the last sync (spec.device_sync.last_sync_at %s) was %s h before captured_at, more than max_sync_staleness_h %v.", [n, lib.spec.device_sync.last_sync_at, _fmt_h(_since_sync_h), _max_h]),
	"path": "spec.device_sync.last_sync_at",
	"observed": lib.spec.device_sync.last_sync_at,
	"expected": sprintf("within %v h of captured_at", [_max_h]),
} if {
	lib.is_snapshot
	_hashes_differ
	n := lib.spec.device_sync.pending_local_changes_count
	n > 0
	_since_sync_h > _max_h
}

ok contains {
	"msg": "spec.device_sync.config_hash_device equals config_hash_cloud: the lock and the cloud hold the same configuration.",
	"path": "spec.device_sync.config_hash_device",
	"observed": lib.spec.device_sync.config_hash_device,
	"expected": lib.spec.device_sync.config_hash_cloud,
} if {
	lib.is_snapshot
	_hashes_equal
}

ok contains {
	"msg": sprintf("spec.device_sync.config_hash_device differs from config_hash_cloud, but %d local changes are pending and the last sync (spec.device_sync.last_sync_at %s) was %s h before captured_at, within max_sync_staleness_h %v.", [n, lib.spec.device_sync.last_sync_at, _fmt_h(_since_sync_h), _max_h]),
	"path": "spec.device_sync.last_sync_at",
	"observed": lib.spec.device_sync.last_sync_at,
	"expected": sprintf("within %v h of captured_at", [_max_h]),
} if {
	lib.is_snapshot
	_hashes_differ
	n := lib.spec.device_sync.pending_local_changes_count
	n > 0
	_since_sync_h <= _max_h
}

# hours rounded to one decimal ("6", "25.5")
_fmt_h(h) := sprintf("%v", [round(h * 10) / 10])
