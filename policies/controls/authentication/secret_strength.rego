# METADATA
# title: Keypad PIN / app password strength and blocklist
# description: |
#   Short PINs and weak app passwords are guessed. A product must require
#   keypad PINs of at least 6 digits (user-chosen and device-generated alike,
#   by analogy with SP 800-63B-4 look-up secrets and random numeric secrets)
#   and refuse repeated, sequential and known-breached PINs; its app
#   passwords must be at least 8 characters, be checked against a blocklist,
#   and carry no composition rules (SP 800-63B-4 forbids them). On a deployed
#   lock, every active keypad or offline PIN must be at least 6 digits long.
# custom:
#   id: AUTH-003
#   area: authentication
#   severity: medium
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.auth.pin.min_length_digits
#       - spec.auth.pin.device_random_min_length
#       - spec.auth.pin.blocklist_enforced
#       - spec.auth.password.min_length
#       - spec.auth.password.composition_rules_imposed
#       - spec.auth.password.blocklist_enforced
#     LockSnapshot:
#       - spec.credentials
#       - spec.credentials[].kind
#       - spec.credentials[].cloud_status
#       - spec.credentials[].pin_length
#   params: [min_pin_length_digits, min_password_length]
#   remediation: |
#     Product: require PINs of at least 6 digits (device-generated ones too)
#     and reject repeated, sequential and breached PINs; require app passwords
#     of at least 8 characters, check them against a blocklist and drop
#     composition rules. Deployed lock: replace any active PIN shorter than
#     6 digits.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "3.1.1.2"}
#     - {standard: NIST SP 800-63B-4, clause: "3.1.2"}
#     - {standard: NIST SP 800-63-3, clause: "5.1.1"}
package lockcheck.controls.authentication.secret_strength

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- ProductSpec ---

required contains p if {
	lib.is_spec
	some p in [
		"spec.auth.pin.min_length_digits",
		"spec.auth.pin.device_random_min_length",
		"spec.auth.pin.blocklist_enforced",
		"spec.auth.password.min_length",
		"spec.auth.password.composition_rules_imposed",
		"spec.auth.password.blocklist_enforced",
	]
}

_pin_lengths := {
	"min_length_digits": "user-chosen PINs",
	"device_random_min_length": "device-generated PINs",
}

violation contains {
	"msg": sprintf("spec.auth.pin.%s is %d: %s may be shorter than the %d digits required.", [field, n, what, lib.param("min_pin_length_digits")]),
	"path": sprintf("spec.auth.pin.%s", [field]),
	"observed": n,
	"expected": sprintf(">= %d", [lib.param("min_pin_length_digits")]),
} if {
	lib.is_spec
	some field, what in _pin_lengths
	n := lib.spec.auth.pin[field]
	n < lib.param("min_pin_length_digits")
}

ok contains {
	"msg": sprintf("spec.auth.pin.%s is %d: %s have at least %d digits.", [field, n, what, lib.param("min_pin_length_digits")]),
	"path": sprintf("spec.auth.pin.%s", [field]),
	"observed": n,
	"expected": sprintf(">= %d", [lib.param("min_pin_length_digits")]),
} if {
	lib.is_spec
	some field, what in _pin_lengths
	n := lib.spec.auth.pin[field]
	n >= lib.param("min_pin_length_digits")
}

_blocklists := {"pin": "PINs", "password": "app passwords"}

violation contains {
	"msg": sprintf("spec.auth.%s.blocklist_enforced is false: repeated, sequential or known-breached %s are accepted.", [secret, what]),
	"path": sprintf("spec.auth.%s.blocklist_enforced", [secret]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some secret, what in _blocklists
	lib.spec.auth[secret].blocklist_enforced == false
}

ok contains {
	"msg": sprintf("spec.auth.%s.blocklist_enforced is true.", [secret]),
	"path": sprintf("spec.auth.%s.blocklist_enforced", [secret]),
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	some secret, _ in _blocklists
	lib.spec.auth[secret].blocklist_enforced == true
}

violation contains {
	"msg": sprintf("spec.auth.password.min_length is %d: app passwords must be at least %d characters.", [n, lib.param("min_password_length")]),
	"path": "spec.auth.password.min_length",
	"observed": n,
	"expected": sprintf(">= %d", [lib.param("min_password_length")]),
} if {
	lib.is_spec
	n := lib.spec.auth.password.min_length
	n < lib.param("min_password_length")
}

ok contains {
	"msg": sprintf("spec.auth.password.min_length is %d.", [n]),
	"path": "spec.auth.password.min_length",
	"observed": n,
	"expected": sprintf(">= %d", [lib.param("min_password_length")]),
} if {
	lib.is_spec
	n := lib.spec.auth.password.min_length
	n >= lib.param("min_password_length")
}

violation contains {
	"msg": "spec.auth.password.composition_rules_imposed is true: composition rules (e.g. 'one digit, one symbol') push users to predictable passwords and must not be imposed.",
	"path": "spec.auth.password.composition_rules_imposed",
	"observed": true,
	"expected": false,
} if {
	lib.is_spec
	lib.spec.auth.password.composition_rules_imposed == true
}

ok contains {
	"msg": "spec.auth.password.composition_rules_imposed is false.",
	"path": "spec.auth.password.composition_rules_imposed",
	"observed": false,
	"expected": false,
} if {
	lib.is_spec
	lib.spec.auth.password.composition_rules_imposed == false
}

# --- LockSnapshot ---

_pin_kinds := {"keypad_pin", "offline_algorithmic_pin"}

required contains p if {
	lib.is_snapshot
	some p in ["spec.credentials[].kind", "spec.credentials[].cloud_status"]
}

_active_pins[i] := c if {
	lib.is_snapshot
	some i, c in lib.spec.credentials
	c.kind in _pin_kinds
	c.cloud_status == "active"
}

# pin_length is read on active PINs; a null length says nothing about the PIN
missing contains sprintf("spec.credentials[%d].pin_length", [i]) if {
	some i, c in _active_pins
	object.get(c, "pin_length", null) == null
}

_pin_label(c) := sprintf("%s %s (holder %s%s)", [c.kind, object.get(c, "credential_id", "without id"), object.get(c, "holder_id", "unknown"), _source(c)])

_source(c) := sprintf(", %s", [c.pin_source]) if is_string(object.get(c, "pin_source", null))

_source(c) := "" if not is_string(object.get(c, "pin_source", null))

violation contains {
	"msg": sprintf("%s has pin_length %d: active PINs must have at least %d digits.", [_pin_label(c), c.pin_length, lib.param("min_pin_length_digits")]),
	"path": sprintf("spec.credentials[%d].pin_length", [i]),
	"observed": c.pin_length,
	"expected": sprintf(">= %d", [lib.param("min_pin_length_digits")]),
} if {
	some i, c in _active_pins
	is_number(c.pin_length)
	c.pin_length < lib.param("min_pin_length_digits")
}

ok contains {
	"msg": sprintf("%s has pin_length %d.", [_pin_label(c), c.pin_length]),
	"path": sprintf("spec.credentials[%d].pin_length", [i]),
	"observed": c.pin_length,
	"expected": sprintf(">= %d", [lib.param("min_pin_length_digits")]),
} if {
	some i, c in _active_pins
	is_number(c.pin_length)
	c.pin_length >= lib.param("min_pin_length_digits")
}

ok contains sprintf("none of the %d credentials in spec.credentials is an active keypad or offline PIN.", [count(lib.spec.credentials)]) if {
	lib.is_snapshot
	is_array(lib.spec.credentials)
	count(_active_pins) == 0
}
