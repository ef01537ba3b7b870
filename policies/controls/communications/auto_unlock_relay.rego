# METADATA
# title: Proximity auto-unlock resists relay attacks
# description: |
#   Proximity auto-unlock opens the door when the owner's phone seems near.
#   A relay attack forwards the phone's radio signal from far away, so the
#   lock believes the owner is at the door. Auto-unlock must be off unless the
#   installation plan allows it, and where it is on it must use a relay
#   mitigation (UWB distance bounding or a user confirmation on the phone).
# custom:
#   id: COMM-006
#   area: communications
#   severity: high
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.auto_unlock.enabled
#       - spec.auto_unlock.relay_mitigation
#       - plan:spec.requirements.auto_unlock_allowed
#   remediation: |
#     Switch proximity auto-unlock off unless the installation plan allows it;
#     where it is allowed, enable UWB distance bounding or require a
#     confirmation on the phone before each automatic unlock.
#   references:
#     - {standard: NCC Group, clause: BLE relay attack on smart locks (2022)}
#     - {standard: NIST CSF 2.0, clause: PR.AA-03}
package lockcheck.controls.communications.auto_unlock_relay

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_mitigations := {"uwb_distance_bounding", "user_confirmation"}

required contains "spec.auto_unlock.enabled" if lib.is_snapshot

# the rest is needed only when auto-unlock is on ("not enabled, OR ...")
required contains p if {
	lib.is_snapshot
	lib.spec.auto_unlock.enabled == true
	some p in ["spec.auto_unlock.relay_mitigation", "plan:spec.requirements.auto_unlock_allowed"]
}

violation contains {
	"msg": "spec.auto_unlock.enabled is true but the installation plan does not allow auto-unlock (plan requirements.auto_unlock_allowed is false).",
	"path": "spec.auto_unlock.enabled",
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.auto_unlock.enabled == true
	lib.plan.requirements.auto_unlock_allowed == false
}

violation contains {
	"msg": sprintf("spec.auto_unlock.relay_mitigation is %q while auto-unlock is enabled: a relayed phone signal can open the door from afar.", [m]),
	"path": "spec.auto_unlock.relay_mitigation",
	"observed": m,
	"expected": sort(_mitigations),
} if {
	lib.is_snapshot
	lib.spec.auto_unlock.enabled == true
	m := lib.spec.auto_unlock.relay_mitigation
	not m in _mitigations
}

ok contains {
	"msg": "spec.auto_unlock.enabled is false: proximity auto-unlock is switched off.",
	"path": "spec.auto_unlock.enabled",
	"observed": false,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.auto_unlock.enabled == false
}

ok contains {
	"msg": "spec.auto_unlock.enabled is true and the installation plan allows it (plan requirements.auto_unlock_allowed is true).",
	"path": "plan:spec.requirements.auto_unlock_allowed",
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.auto_unlock.enabled == true
	lib.plan.requirements.auto_unlock_allowed == true
}

ok contains {
	"msg": sprintf("spec.auto_unlock.relay_mitigation is %q.", [m]),
	"path": "spec.auto_unlock.relay_mitigation",
	"observed": m,
	"expected": sort(_mitigations),
} if {
	lib.is_snapshot
	lib.spec.auto_unlock.enabled == true
	m := lib.spec.auto_unlock.relay_mitigation
	m in _mitigations
}
