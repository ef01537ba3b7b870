# METADATA
# title: Offline/algorithmic PINs are bounded and their non-revocability disclosed
# description: |
#   An offline (algorithmic, "dynamic") PIN is computed from a shared secret
#   and the time, so the lock accepts it without ever hearing from the cloud,
#   and on many products it cannot be withdrawn once issued. Such a PIN must
#   therefore carry an expiry, and unless the product can revoke offline PINs
#   remotely, its validity must stay within max_offline_pin_validity_h. A
#   product that offers offline PINs must say in its documentation that they
#   cannot be revoked like other credentials.
# custom:
#   id: CRED-007
#   area: credentials
#   severity: high
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.credentials_support.offline_pin.supported
#       - spec.credentials_support.offline_pin.disclosed_in_docs
#     LockSnapshot:
#       - spec.credentials[].cloud_status
#       - spec.credentials[].kind
#       - spec.credentials[].valid_from
#       - spec.credentials[].valid_until
#       - product:spec.credentials_support.offline_pin.revocable_remotely
#   params: [max_offline_pin_validity_h]
#   remediation: |
#     Snapshot: issue offline PINs only with an expiry, no longer than
#     max_offline_pin_validity_h unless the product can revoke them remotely;
#     reset the lock on site to withdraw a long-lived one. Product: state in the
#     user documentation that offline PINs cannot be revoked from the app once
#     issued.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.4"}
#     - {standard: NIST SP 800-63B-4, clause: "4.5"}
#     - {standard: igloohome support, clause: offline PIN codes cannot be de-activated via the app}
#     - {standard: Tuya/iFreeq lock documentation, clause: dynamic password calculated without a network}
package lockcheck.controls.credentials.offline_pins

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": not_applicable,
	"ok": ok,
	"warning": set(),
})

# --- ProductSpec ---

_offline_pin := lib.spec.credentials_support.offline_pin

required contains "spec.credentials_support.offline_pin.supported" if lib.is_spec

required contains "spec.credentials_support.offline_pin.disclosed_in_docs" if {
	lib.is_spec
	_offline_pin.supported == true
}

not_applicable contains "spec.credentials_support.offline_pin.supported is false: the product issues no offline PINs." if {
	lib.is_spec
	_offline_pin.supported == false
}

violation contains {
	"msg": "spec.credentials_support.offline_pin.supported is true but disclosed_in_docs is false: users are not told that offline PINs cannot be revoked like other credentials.",
	"path": "spec.credentials_support.offline_pin.disclosed_in_docs",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	_offline_pin.supported == true
	_offline_pin.disclosed_in_docs == false
}

ok contains {
	"msg": "spec.credentials_support.offline_pin.supported is true and disclosed_in_docs is true: the documentation tells users how offline PINs behave.",
	"path": "spec.credentials_support.offline_pin.disclosed_in_docs",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	_offline_pin.supported == true
	_offline_pin.disclosed_in_docs == true
}

# --- LockSnapshot ---

_max_h := lib.param("max_offline_pin_validity_h")

_pins := {i: c |
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
	c.kind == "offline_algorithmic_pin"
}

_revocable := lib.product.credentials_support.offline_pin.revocable_remotely

_revocable_true if _revocable == true

_span(c) := lib.ts_ns(c.valid_until) - lib.ts_ns(c.valid_from)

_bounded contains i if {
	some i, c in _pins
	is_string(c.valid_until)
	lib.hours(_span(c)) <= _max_h
}

_long contains i if {
	some i, c in _pins
	is_string(c.valid_until)
	lib.hours(_span(c)) > _max_h
}

# PINs with an expiry whose validity span is not within the bound by itself:
# the product's remote revocability decides
_needs_revocability contains i if {
	some i, c in _pins
	is_string(c.valid_until)
	not _bounded[i]
}

_label(i, c) := lib.cred_label("spec.credentials", i, c)

required contains p if {
	lib.is_snapshot
	some p in ["spec.credentials[].cloud_status", "spec.credentials[].kind"]
}

missing contains m if {
	some m in lib.item_missing("spec.credentials", _pins, ["valid_until"])
}

# the first arm of the criterion's OR: read whenever an offline PIN is active
required contains "product:spec.credentials_support.offline_pin.revocable_remotely" if count(_pins) > 0

# valid_from is needed unless remote revocation already satisfies the criterion
missing contains sprintf("spec.credentials[%d].valid_from", [i]) if {
	some i in _needs_revocability
	not lib.has(_pins[i], "valid_from")
	not _revocable_true
}

violation contains {
	"msg": sprintf("offline PIN %s has no expiry (spec.credentials[%d].valid_until is null): an offline PIN works without the cloud, so it must expire.", [_label(i, c), i]),
	"path": sprintf("spec.credentials[%d].valid_until", [i]),
	"observed": null,
	"expected": sprintf("a date-time at most %v h after valid_from", [_max_h]),
} if {
	some i, c in _pins
	c.valid_until == null
}

violation contains {
	"msg": sprintf("offline PIN %s is valid for %s (valid_from %s, valid_until %s), more than %v h, and the product cannot revoke offline PINs remotely (product:spec.credentials_support.offline_pin.revocable_remotely: false).", [_label(i, c), lib.cred_duration(_span(c)), c.valid_from, c.valid_until, _max_h]),
	"path": sprintf("spec.credentials[%d].valid_until", [i]),
	"observed": c.valid_until,
	"expected": sprintf("at most %v h after valid_from %s", [_max_h, c.valid_from]),
} if {
	some i in _long
	c := _pins[i]
	_revocable == false
}

ok contains sprintf("offline PIN %s is valid for %s (valid_from %s, valid_until %s), within %v h.", [_label(i, c), lib.cred_duration(_span(c)), c.valid_from, c.valid_until, _max_h]) if {
	some i in _bounded
	c := _pins[i]
}

ok contains sprintf("offline PIN %s expires at valid_until %s and the product can revoke offline PINs remotely (product:spec.credentials_support.offline_pin.revocable_remotely: true).", [_label(i, c), c.valid_until]) if {
	some i in _needs_revocability
	c := _pins[i]
	_revocable_true
}

ok contains sprintf("none of the %d credentials in spec.credentials is an active offline_algorithmic_pin (cloud_status, kind).", [count(lib.spec.credentials)]) if {
	lib.is_snapshot
	lib.cred_all_have(lib.spec.credentials, ["cloud_status", "kind"])
	count(_pins) == 0
}
