# METADATA
# title: Lost/stolen phone or fob can be invalidated immediately; owner notified of credential changes
# description: |
#   When a phone or fob is lost, the owner must be able to kill it at once
#   from anywhere, and every credential added or removed must be reported to
#   the owner so that an unexpected change is noticed. A product must offer
#   remote invalidation and notify on credential additions and removals; a
#   deployed lock's account must have at least min_notification_addresses
#   notification addresses, so one lost phone or inbox does not silence it.
# custom:
#   id: CRED-009
#   area: credentials
#   severity: high
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.credentials_support.remote_invalidation
#       - spec.notifications.on_credential_added
#       - spec.notifications.on_credential_removed
#     LockSnapshot:
#       - spec.notifications.addresses_count
#   params: [min_notification_addresses]
#   remediation: |
#     Product: choose a lock whose credentials can be invalidated remotely and
#     that notifies the owner of every credential added or removed. Snapshot:
#     register at least min_notification_addresses notification addresses
#     (e.g. a second e-mail or phone) on the lock's account.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "3.2.1"}
#     - {standard: NIST SP 800-63B-4, clause: "4.3"}
#     - {standard: NIST SP 800-63B-4, clause: "4.1.2.1"}
#     - {standard: NIST SP 800-63B-4, clause: "4.6"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-01}
package lockcheck.controls.credentials.lost_device_invalidation

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

_flags := {
	"spec.credentials_support.remote_invalidation": "a lost phone or fob cannot be invalidated remotely",
	"spec.notifications.on_credential_added": "the owner is not told when a credential is added",
	"spec.notifications.on_credential_removed": "the owner is not told when a credential is removed",
}

_value(path) := object.get(lib.doc, split(path, "."), null)

required contains p if {
	lib.is_spec
	some p, _ in _flags
}

violation contains {
	"msg": sprintf("%s is false: %s.", [p, why]),
	"path": p,
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some p, why in _flags
	_value(p) == false
}

ok contains {
	"msg": sprintf("%s is true.", [p]),
	"path": p,
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	some p, _ in _flags
	_value(p) == true
}

# --- LockSnapshot ---

_min := lib.param("min_notification_addresses")

required contains "spec.notifications.addresses_count" if lib.is_snapshot

violation contains {
	"msg": sprintf("spec.notifications.addresses_count is %v: fewer than %v notification addresses, so one lost phone or inbox silences credential-change notices.", [n, _min]),
	"path": "spec.notifications.addresses_count",
	"observed": n,
	"expected": sprintf(">= %v", [_min]),
} if {
	lib.is_snapshot
	n := lib.spec.notifications.addresses_count
	n < _min
}

ok contains {
	"msg": sprintf("spec.notifications.addresses_count is %v, at least %v.", [n, _min]),
	"path": "spec.notifications.addresses_count",
	"observed": n,
	"expected": sprintf(">= %v", [_min]),
} if {
	lib.is_snapshot
	n := lib.spec.notifications.addresses_count
	n >= _min
}
