# METADATA
# title: Every control channel encrypted and authenticated; no plaintext fallback
# description: |
#   A command that reaches the lock over a radio or a wire it does not protect
#   can be read, changed or injected by anyone in range. Every enabled
#   interface that carries commands (all of them except the physical keypad
#   itself; its wiring, keypad_bus, does carry commands) must encrypt its
#   traffic, authenticate its peer and refuse to fall back to plaintext. Each
#   interface is judged on its own: one plaintext Zigbee or keypad bus fails
#   the control however well the BLE link is protected. On a product spec the
#   declared interfaces count as offered unless they say enabled: false.
# custom:
#   id: COMM-001
#   area: communications
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.interfaces[].type
#       - spec.interfaces[].enabled
#       - spec.interfaces[].encryption
#       - spec.interfaces[].authenticated
#       - spec.interfaces[].plaintext_fallback_allowed
#     ProductSpec:
#       - spec.interfaces[].type
#       - spec.interfaces[].encryption
#       - spec.interfaces[].authenticated
#       - spec.interfaces[].plaintext_fallback_allowed
#   remediation: |
#     Turn on link- or application-layer encryption and peer authentication on
#     every interface that carries commands (BLE, Wi-Fi, Zigbee, Z-Wave, Thread,
#     Matter, NFC, keypad bus, cloud and local APIs), disable any plaintext
#     fallback, and disable interfaces that cannot be protected. For a product,
#     require a firmware that supports no unencrypted or unauthenticated mode.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.5-1"}
#     - {standard: ETSI EN 303 645, clause: "5.5-5"}
#     - {standard: ETSI EN 303 645, clause: "5.5-7"}
#     - {standard: ETSI EN 303 645, clause: "5.8-2"}
#     - {standard: NIST CSF 2.0, clause: PR.DS-02}
#     - {standard: NIST IR 8259A, clause: Data Protection}
#     - {standard: NIST IR 8425, clause: Data Protection}
#     - {standard: CVE, clause: CVE-2023-7009}
package lockcheck.controls.communications.channels_encrypted

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_applies if lib.is_snapshot

_applies if lib.is_spec

_encrypted := {"link_layer_only", "app_layer_aead", "tls1_2", "tls1_3"}

_checked := ["encryption", "authenticated", "plaintext_fallback_allowed"]

# --- which interfaces carry commands (catalogue §1.1 "Interface roles") ---

# A snapshot reports the runtime state: enabled must say true.
_enabled(itf) if {
	lib.is_snapshot
	itf.enabled == true
}

# A spec declares interfaces: a declared interface is offered unless it says
# enabled: false (catalogue §1.1 "Spec interfaces").
_enabled(itf) if {
	lib.is_spec
	not _declared_disabled(itf)
}

_declared_disabled(itf) if itf.enabled == false

# Every enabled interface except the physical keypad carries commands.
_carries_commands[i] := itf if {
	some i, itf in lib.spec.interfaces
	_enabled(itf)
	itf.type != "keypad"
}

_where := "enabled" if lib.is_snapshot

_where := "declared" if lib.is_spec

# --- evidence ---

# the fields that select interfaces are needed on every item
required contains "spec.interfaces[].type" if _applies

required contains "spec.interfaces[].enabled" if lib.is_snapshot

# the checked fields only on the interfaces that carry commands
default missing := set()

missing := lib.item_missing("spec.interfaces", _carries_commands, _checked) if _applies

# --- violations: each interface on its own ---

violation contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) is %s and carries commands, but its encryption is %q: commands cross it in plaintext.", [itf.type, i, _where, enc]),
	"path": sprintf("spec.interfaces[%d].encryption", [i]),
	"observed": enc,
	"expected": sort(_encrypted),
} if {
	_applies
	some i, itf in _carries_commands
	enc := itf.encryption
	not enc in _encrypted
}

violation contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) is %s and carries commands, but authenticated is false: it accepts commands from an unauthenticated peer.", [itf.type, i, _where]),
	"path": sprintf("spec.interfaces[%d].authenticated", [i]),
	"observed": false,
	"expected": true,
} if {
	_applies
	some i, itf in _carries_commands
	itf.authenticated == false
}

violation contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) is %s and carries commands, but plaintext_fallback_allowed is true: an attacker can force it back to plaintext.", [itf.type, i, _where]),
	"path": sprintf("spec.interfaces[%d].plaintext_fallback_allowed", [i]),
	"observed": true,
	"expected": false,
} if {
	_applies
	some i, itf in _carries_commands
	itf.plaintext_fallback_allowed == true
}

# --- what was seen on a pass ---

ok contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) carries commands with encryption %q, authenticated is true and plaintext_fallback_allowed is false.", [itf.type, i, itf.encryption]),
	"path": sprintf("spec.interfaces[%d]", [i]),
	"observed": {"encryption": itf.encryption, "authenticated": true, "plaintext_fallback_allowed": false},
	"expected": {"encryption": sort(_encrypted), "authenticated": true, "plaintext_fallback_allowed": false},
} if {
	_applies
	some i, itf in _carries_commands
	itf.encryption in _encrypted
	itf.authenticated == true
	itf.plaintext_fallback_allowed == false
}

ok contains sprintf("interface keypad (spec.interfaces[%d]) is the physical keypad and carries no commands over a channel; its wiring is judged as keypad_bus.", [i]) if {
	_applies
	some i, itf in lib.spec.interfaces
	_enabled(itf)
	itf.type == "keypad"
}

ok contains sprintf("interface %s (spec.interfaces[%d]) is disabled (enabled: false).", [itf.type, i]) if {
	_applies
	some i, itf in lib.spec.interfaces
	itf.enabled == false
}

ok contains sprintf("none of the %d interfaces in spec.interfaces carries commands.", [count(lib.spec.interfaces)]) if {
	_applies
	is_array(lib.spec.interfaces)
	count(_carries_commands) == 0
}
