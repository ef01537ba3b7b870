# METADATA
# title: Brute-force rate limiting on every authentication interface
# description: |
#   Every interface that accepts a secret (keypad, BLE challenge, app and cloud
#   login, NFC, the radio and local APIs) must limit consecutive failed
#   attempts, or a PIN or key can be guessed by trying them all (CVE-2023-7006:
#   a BLE unlock key brute-forced through repeated challenges). Each enabled
#   interface except usb and keypad_bus is judged on its own: its
#   rate_limit.max_consecutive_failures must be between 1 and 100 (0 or null
#   means no limit and fails), and after at most 10 consecutive failures the
#   lock must wait at least 30 s (a fail on keypad and ble, a warning on the
#   other interfaces). A lock that holds keypad PINs must declare its keypad
#   interface, or the keypad's limit is not evidenced.
# custom:
#   id: AUTH-002
#   area: authentication
#   severity: critical
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.interfaces
#       - spec.interfaces[].type
#       - spec.interfaces[].rate_limit
#       - spec.interfaces[].rate_limit.max_consecutive_failures
#       - spec.interfaces[].rate_limit.lockout_delay_s
#     LockSnapshot:
#       - spec.interfaces
#       - spec.interfaces[].type
#       - spec.interfaces[].enabled
#       - spec.interfaces[].rate_limit
#       - spec.interfaces[].rate_limit.max_consecutive_failures
#       - spec.interfaces[].rate_limit.lockout_delay_s
#       - spec.credentials[].kind
#   params: [max_auth_consecutive_failures, max_failures_before_lockout_delay, min_lockout_delay_s]
#   remediation: |
#     Configure a lockout on every interface that accepts a PIN, key or
#     password: at most 10 consecutive failures (never 0 = unlimited, never
#     more than 100), then a delay of at least 30 s (growing delays up to an
#     hour are good practice). Declare the keypad interface with its
#     rate_limit on any lock that holds keypad PINs.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "3.2.2"}
#     - {standard: ETSI EN 303 645, clause: "5.1-5"}
#     - {standard: NIST IR 8259A, clause: Logical Access to Interfaces}
#     - {standard: CVE, clause: CVE-2023-7006}
package lockcheck.controls.authentication.rate_limiting

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": not_applicable,
	"ok": ok,
	"warning": warning,
})

# Interfaces that accept secrets: every type except usb and keypad_bus.
_secret_types := {"ble", "wifi", "zigbee", "zwave", "thread", "matter", "nfc", "keypad", "cloud_api", "local_api"}

# Interfaces where the delay rule is a fail (a warning elsewhere).
_delay_enforced_types := {"keypad", "ble"}

# Credential kinds typed at the keypad.
_pin_kinds := {"keypad_pin", "offline_algorithmic_pin"}

# A limit of 0 means "no limit".
_min_failures_limit := 1

_interfaces := lib.spec.interfaces

_kind_applies if lib.is_spec

_kind_applies if lib.is_snapshot

# A snapshot interface is enabled when it says so; a spec's declared interface
# is offered unless it says enabled: false (catalogue §1.1).
_enabled(itf) if {
	lib.is_snapshot
	itf.enabled == true
}

_enabled(itf) if {
	lib.is_spec
	object.get(itf, "enabled", true) != false
}

_selected[i] := itf if {
	some i, itf in _interfaces
	itf.type in _secret_types
	_enabled(itf)
}

_label(i, itf) := sprintf("interface %s (spec.interfaces[%d])", [itf.type, i])

# --- evidence ---

required contains p if {
	_kind_applies
	some p in ["spec.interfaces", "spec.interfaces[].type"]
}

required contains "spec.interfaces[].enabled" if lib.is_snapshot

missing contains sprintf("spec.interfaces[%d].rate_limit", [i]) if {
	some i, itf in _selected
	not lib.has(itf, "rate_limit")
}

missing contains sprintf("spec.interfaces[%d].rate_limit.max_consecutive_failures", [i]) if {
	some i, itf in _selected
	is_object(itf.rate_limit)
	not lib.has(itf.rate_limit, "max_consecutive_failures")
}

# the delay is needed only where the delay rule is a fail (catalogue §1.1),
# and not when the limit alone already breaks it
missing contains sprintf("spec.interfaces[%d].rate_limit.lockout_delay_s", [i]) if {
	some i, itf in _selected
	itf.type in _delay_enforced_types
	is_object(itf.rate_limit)
	not lib.has(itf.rate_limit, "lockout_delay_s")
	not _too_many_before_delay(itf.rate_limit)
}

# A lock holding keypad PINs must declare its keypad (catalogue §1.1).
_all_typed if {
	every itf in _interfaces {
		lib.has(itf, "type")
	}
}

_keypad_declared if {
	some itf in _interfaces
	itf.type == "keypad"
}

_holds_pins if {
	lib.is_snapshot
	some c in lib.spec.credentials
	c.kind in _pin_kinds
}

_holds_pins if {
	lib.is_spec
	some k in lib.spec.credentials_support.kinds
	k in _pin_kinds
}

# the credentials are read only when no keypad is declared
required contains "spec.credentials[].kind" if {
	lib.is_snapshot
	is_array(_interfaces)
	_all_typed
	not _keypad_declared
}

missing contains "spec.interfaces[type=keypad]" if {
	is_array(_interfaces)
	_all_typed
	not _keypad_declared
	_holds_pins
}

# --- per-interface judgement ---

violation contains {
	"msg": sprintf("%s has rate_limit: null: failed attempts are never limited.", [_label(i, itf)]),
	"path": sprintf("spec.interfaces[%d].rate_limit", [i]),
	"observed": null,
	"expected": "a rate limit",
} if {
	some i, itf in _selected
	itf.rate_limit == null
}

violation contains {
	"msg": sprintf("%s has rate_limit.max_consecutive_failures %v: 0 or null means unlimited guessing; the limit must be between %d and %d.", [_label(i, itf), m, _min_failures_limit, lib.param("max_auth_consecutive_failures")]),
	"path": sprintf("spec.interfaces[%d].rate_limit.max_consecutive_failures", [i]),
	"observed": m,
	"expected": sprintf("%d..%d", [_min_failures_limit, lib.param("max_auth_consecutive_failures")]),
} if {
	some i, itf in _selected
	m := itf.rate_limit.max_consecutive_failures
	_no_limit(m)
}

_no_limit(m) if m == null

_no_limit(m) if {
	is_number(m)
	m < _min_failures_limit
}

violation contains {
	"msg": sprintf("%s allows %d consecutive failures (rate_limit.max_consecutive_failures); at most %d are allowed.", [_label(i, itf), m, lib.param("max_auth_consecutive_failures")]),
	"path": sprintf("spec.interfaces[%d].rate_limit.max_consecutive_failures", [i]),
	"observed": m,
	"expected": sprintf("%d..%d", [_min_failures_limit, lib.param("max_auth_consecutive_failures")]),
} if {
	some i, itf in _selected
	m := itf.rate_limit.max_consecutive_failures
	is_number(m)
	m > lib.param("max_auth_consecutive_failures")
}

# The delay rule: a delay of at least min_lockout_delay_s after at most
# max_failures_before_lockout_delay consecutive failures.
_delay_rule_broken(rl) if _too_many_before_delay(rl)

_delay_rule_broken(rl) if rl.lockout_delay_s == null

_delay_rule_broken(rl) if {
	is_number(rl.lockout_delay_s)
	rl.lockout_delay_s < lib.param("min_lockout_delay_s")
}

# more failures allowed before the delay than the policy allows: broken
# whatever the delay (present or not)
_too_many_before_delay(rl) if rl.max_consecutive_failures > lib.param("max_failures_before_lockout_delay")

# judged only where a limit exists (a missing limit already fails)
_delay_broken(itf) if {
	m := itf.rate_limit.max_consecutive_failures
	is_number(m)
	m >= _min_failures_limit
	_delay_rule_broken(itf.rate_limit)
}

_delay_msg(i, itf) := sprintf("%s waits %s after %d consecutive failures; the policy asks for a delay of at least %d s after at most %d failures.", [
	_label(i, itf), _delay_text(object.get(itf.rate_limit, "lockout_delay_s", _unstated)), itf.rate_limit.max_consecutive_failures,
	lib.param("min_lockout_delay_s"), lib.param("max_failures_before_lockout_delay"),
])

_delay_text(d) := "no time at all (rate_limit.lockout_delay_s is null)" if d == null

_delay_text(d) := sprintf("%d s (rate_limit.lockout_delay_s)", [d]) if is_number(d)

_delay_text(d) := "an unstated time (rate_limit.lockout_delay_s is absent)" if d == _unstated

_unstated := "lockcheck:unstated"

violation contains {
	"msg": _delay_msg(i, itf),
	"path": sprintf("spec.interfaces[%d].rate_limit.lockout_delay_s", [i]),
	"observed": object.filter(itf.rate_limit, ["max_consecutive_failures", "lockout_delay_s"]),
	"expected": {"max_consecutive_failures": sprintf("<= %d", [lib.param("max_failures_before_lockout_delay")]), "lockout_delay_s": sprintf(">= %d", [lib.param("min_lockout_delay_s")])},
} if {
	some i, itf in _selected
	itf.type in _delay_enforced_types
	_delay_broken(itf)
}

warning contains _delay_msg(i, itf) if {
	some i, itf in _selected
	not itf.type in _delay_enforced_types
	_delay_broken(itf)
}

ok contains {
	"msg": sprintf("%s locks out after %d consecutive failures (rate_limit.max_consecutive_failures) with a %d s delay (scope %s).", [_label(i, itf), rl.max_consecutive_failures, rl.lockout_delay_s, object.get(rl, "lockout_scope", "not stated")]),
	"path": sprintf("spec.interfaces[%d].rate_limit.max_consecutive_failures", [i]),
	"observed": rl.max_consecutive_failures,
	"expected": sprintf("%d..%d", [_min_failures_limit, lib.param("max_auth_consecutive_failures")]),
} if {
	some i, itf in _selected
	rl := itf.rate_limit
	rl.max_consecutive_failures >= _min_failures_limit
	rl.max_consecutive_failures <= lib.param("max_auth_consecutive_failures")
	is_number(rl.lockout_delay_s)
}

# where the delay rule is only a warning, the limit alone passes
ok contains {
	"msg": sprintf("%s locks out after %d consecutive failures (rate_limit.max_consecutive_failures; no lockout_delay_s stated, which is a warning-only rule on this interface).", [_label(i, itf), rl.max_consecutive_failures]),
	"path": sprintf("spec.interfaces[%d].rate_limit.max_consecutive_failures", [i]),
	"observed": rl.max_consecutive_failures,
	"expected": sprintf("%d..%d", [_min_failures_limit, lib.param("max_auth_consecutive_failures")]),
} if {
	some i, itf in _selected
	not itf.type in _delay_enforced_types
	rl := itf.rate_limit
	rl.max_consecutive_failures >= _min_failures_limit
	rl.max_consecutive_failures <= lib.param("max_auth_consecutive_failures")
	not lib.has(rl, "lockout_delay_s")
}

warning contains sprintf("%s states no rate_limit.lockout_delay_s: the delay rule (at least %d s after at most %d failures) could not be checked.", [_label(i, itf), lib.param("min_lockout_delay_s"), lib.param("max_failures_before_lockout_delay")]) if {
	some i, itf in _selected
	not itf.type in _delay_enforced_types
	is_object(itf.rate_limit)
	not lib.has(itf.rate_limit, "lockout_delay_s")
	not _too_many_before_delay(itf.rate_limit)
}

ok contains "spec.interfaces declares the keypad interface that the keypad PIN credentials are entered on." if {
	_keypad_declared
	_holds_pins
}

not_applicable contains sprintf("none of the %d entries of spec.interfaces is an enabled interface that accepts secrets (usb and keypad_bus do not).", [count(_interfaces)]) if {
	_kind_applies
	is_array(_interfaces)
	count(_selected) == 0
}
