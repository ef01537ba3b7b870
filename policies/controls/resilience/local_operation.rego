# METADATA
# title: Lock works locally when cloud/network is down; cloud dependencies declared
# description: |
#   A door lock that needs the vendor's cloud to open stops working when the
#   internet, the site network or the vendor does. The product must keep
#   operating locally without the cloud (fully or in a limited mode) and must
#   declare what needs the cloud; unlocking must not be one of those things.
# custom:
#   id: RES-001
#   area: resilience
#   severity: high
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.resilience.local_operation_without_cloud
#       - spec.resilience.cloud_required_for
#   remediation: |
#     Choose a lock that verifies credentials and unlocks locally (keypad, BLE,
#     NFC) without a round trip to the cloud, and whose vendor declares which
#     functions (credential changes, log upload, updates) wait for the cloud.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.9-1"}
#     - {standard: ETSI EN 303 645, clause: "5.9-2"}
#     - {standard: NIST CSF 2.0, clause: PR.IR-03}
package lockcheck.controls.resilience.local_operation

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_res := lib.spec.resilience

required contains p if {
	lib.is_spec
	some p in ["spec.resilience.local_operation_without_cloud", "spec.resilience.cloud_required_for"]
}

violation contains {
	"msg": "spec.resilience.local_operation_without_cloud is none: the lock does not work at all when the cloud is unreachable.",
	"path": "spec.resilience.local_operation_without_cloud",
	"observed": "none",
	"expected": ["full", "limited"],
} if {
	lib.is_spec
	_res.local_operation_without_cloud == "none"
}

ok contains {
	"msg": sprintf("spec.resilience.local_operation_without_cloud is %s.", [mode]),
	"path": "spec.resilience.local_operation_without_cloud",
	"observed": mode,
	"expected": ["full", "limited"],
} if {
	lib.is_spec
	mode := _res.local_operation_without_cloud
	mode in {"full", "limited"}
}

violation contains {
	"msg": sprintf("spec.resilience.cloud_required_for is %v: unlocking needs the cloud, so nobody gets in during an outage.", [_res.cloud_required_for]),
	"path": "spec.resilience.cloud_required_for",
	"observed": _res.cloud_required_for,
	"expected": "does not include unlock",
} if {
	lib.is_spec
	"unlock" in _res.cloud_required_for
}

ok contains {
	"msg": sprintf("spec.resilience.cloud_required_for is %v: unlocking does not need the cloud.", [_res.cloud_required_for]),
	"path": "spec.resilience.cloud_required_for",
	"observed": _res.cloud_required_for,
	"expected": "does not include unlock",
} if {
	lib.is_spec
	is_array(_res.cloud_required_for)
	not "unlock" in _res.cloud_required_for
}
