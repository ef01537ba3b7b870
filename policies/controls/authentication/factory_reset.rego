# METADATA
# title: Factory reset needs physical access and erases credentials/user data
# description: |
#   A factory reset that can be triggered remotely lets an attacker wipe the
#   owner's configuration and take the lock over; a reset that keeps old
#   credentials, logs or the cloud binding hands them to the next owner. The
#   product's factory reset must require physical access to the lock, erase
#   all credentials, erase user data and logs, and either require the cloud
#   binding to be removed or notify the owner.
# custom:
#   id: AUTH-008
#   area: authentication
#   severity: high
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.factory_reset.requires_physical_access
#       - spec.factory_reset.erases_credentials
#       - spec.factory_reset.erases_user_data_and_logs
#       - spec.factory_reset.requires_cloud_unbind_or_notifies_owner
#   remediation: |
#     Trigger a factory reset only from the lock itself (a button on the
#     inside unit); have it erase every credential, user data and logs, and
#     either require the cloud account to unbind the lock or notify the owner.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.11-1"}
#     - {standard: NIST IR 8425, clause: Product Configuration}
#     - {standard: NIST IR 8259A, clause: Data Protection}
#     - {standard: NIST IR 8259A, clause: Device Configuration}
package lockcheck.controls.authentication.factory_reset

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# each flag and what its absence means
_flags := {
	"requires_physical_access": "a reset can be triggered without anyone at the lock",
	"erases_credentials": "credentials survive a reset",
	"erases_user_data_and_logs": "user data and logs survive a reset",
	"requires_cloud_unbind_or_notifies_owner": "a reset neither needs the cloud binding removed nor tells the owner",
}

required contains sprintf("spec.factory_reset.%s", [flag]) if {
	lib.is_spec
	some flag, _ in _flags
}

violation contains {
	"msg": sprintf("spec.factory_reset.%s is false: %s.", [flag, why]),
	"path": sprintf("spec.factory_reset.%s", [flag]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some flag, why in _flags
	lib.spec.factory_reset[flag] == false
}

ok contains {
	"msg": sprintf("spec.factory_reset.%s is true.", [flag]),
	"path": sprintf("spec.factory_reset.%s", [flag]),
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	some flag, _ in _flags
	lib.spec.factory_reset[flag] == true
}
