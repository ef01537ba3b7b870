# METADATA
# title: Remote unlock enabled only when the plan requires it, with step-up and notification
# description: |
#   Remote (cloud) unlock lets a door be opened from anywhere, so a stolen
#   phone or account opens it too. On a deployed lock remote unlock may be
#   enabled only where the installation plan requires it, and then every
#   remote unlock must need a step-up authentication and notify the owner. A
#   product must let the owner switch remote unlock off; a product that says
#   it has no remote unlock is not concerned.
# custom:
#   id: COMM-005
#   area: communications
#   severity: high
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.remote_unlock.enabled
#       - spec.remote_unlock.requires_step_up
#       - spec.remote_unlock.notifies_owner
#       - plan:spec.requirements.remote_unlock_required
#     ProductSpec:
#       - spec.remote_unlock.can_be_disabled
#   remediation: |
#     Snapshot: switch remote unlock off unless the installation plan requires
#     it; where it is required, turn on step-up authentication for each remote
#     unlock and owner notification. Product: require that remote unlock can be
#     disabled by the owner.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.6-1"}
#     - {standard: ETSI EN 303 645, clause: "5.5-5"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
#     - {standard: NIST CSF 2.0, clause: PR.IR-01}
package lockcheck.controls.communications.remote_unlock

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": not_applicable,
	"ok": ok,
	"warning": set(),
})

# --- LockSnapshot ---

required contains "spec.remote_unlock.enabled" if lib.is_snapshot

# the rest is needed only when remote unlock is on (catalogue: "if S.enabled")
required contains p if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	some p in [
		"spec.remote_unlock.requires_step_up",
		"spec.remote_unlock.notifies_owner",
		"plan:spec.requirements.remote_unlock_required",
	]
}

violation contains {
	"msg": "spec.remote_unlock.enabled is true but the installation plan does not require remote unlock (plan requirements.remote_unlock_required is false): the door can be opened from anywhere without a need for it.",
	"path": "spec.remote_unlock.enabled",
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	lib.plan.requirements.remote_unlock_required == false
}

violation contains {
	"msg": "spec.remote_unlock.requires_step_up is false while remote unlock is enabled: a remote unlock needs no extra authentication.",
	"path": "spec.remote_unlock.requires_step_up",
	"observed": false,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	lib.spec.remote_unlock.requires_step_up == false
}

violation contains {
	"msg": "spec.remote_unlock.notifies_owner is false while remote unlock is enabled: the owner is not told when the door is opened remotely.",
	"path": "spec.remote_unlock.notifies_owner",
	"observed": false,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	lib.spec.remote_unlock.notifies_owner == false
}

ok contains {
	"msg": "spec.remote_unlock.enabled is false: remote unlock is switched off.",
	"path": "spec.remote_unlock.enabled",
	"observed": false,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == false
}

ok contains {
	"msg": "spec.remote_unlock.enabled is true and the installation plan requires it (plan requirements.remote_unlock_required is true).",
	"path": "plan:spec.requirements.remote_unlock_required",
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	lib.plan.requirements.remote_unlock_required == true
}

ok contains {
	"msg": "spec.remote_unlock.requires_step_up is true.",
	"path": "spec.remote_unlock.requires_step_up",
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	lib.spec.remote_unlock.requires_step_up == true
}

ok contains {
	"msg": "spec.remote_unlock.notifies_owner is true.",
	"path": "spec.remote_unlock.notifies_owner",
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.remote_unlock.enabled == true
	lib.spec.remote_unlock.notifies_owner == true
}

# --- ProductSpec ---

# the product positively says it has no remote unlock
_unsupported if lib.spec.remote_unlock.supported == false

not_applicable contains "spec.remote_unlock.supported is false: the product has no remote unlock." if {
	lib.is_spec
	_unsupported
}

required contains "spec.remote_unlock.can_be_disabled" if {
	lib.is_spec
	not _unsupported
}

violation contains {
	"msg": "spec.remote_unlock.can_be_disabled is false: the owner cannot switch remote unlock off.",
	"path": "spec.remote_unlock.can_be_disabled",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	not _unsupported
	lib.spec.remote_unlock.can_be_disabled == false
}

ok contains {
	"msg": "spec.remote_unlock.can_be_disabled is true.",
	"path": "spec.remote_unlock.can_be_disabled",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	not _unsupported
	lib.spec.remote_unlock.can_be_disabled == true
}
