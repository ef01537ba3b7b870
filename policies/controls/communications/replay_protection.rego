# METADATA
# title: Unlock commands are replay-protected
# description: |
#   An unlock command recorded over the air must not open the door when it is
#   sent again later. Every enabled interface that can unlock (all of them
#   except the physical keypad and USB) must bind each command to a nonce
#   challenge, a counter or a timestamp. Each interface is judged on its own;
#   on a product spec the declared interfaces count as offered unless they say
#   enabled: false.
# custom:
#   id: COMM-002
#   area: communications
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.interfaces[].type
#       - spec.interfaces[].enabled
#       - spec.interfaces[].replay_protection
#     ProductSpec:
#       - spec.interfaces[].type
#       - spec.interfaces[].replay_protection
#   remediation: |
#     Enable challenge-response (nonce), monotonic-counter or timestamp
#     freshness on every interface that can unlock, or disable the interface.
#     For a product, require a protocol in which every unlock command is bound
#     to a fresh nonce or counter.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.5-1"}
#     - {standard: NIST CSF 2.0, clause: PR.DS-02}
#     - {standard: Tripwire, clause: U-tec UltraLoq replay}
#     - {standard: Somerset Recon, clause: SecuRam ProLogic}
#     - {standard: cybervelia, clause: BLE lock}
package lockcheck.controls.communications.replay_protection

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

_fresh := {"nonce_challenge", "counter", "timestamp"}

# interfaces that cannot carry a replayable unlock command (catalogue §1.1)
_cannot_unlock := {"keypad", "usb"}

# --- which interfaces can unlock (catalogue §1.1 "Interface roles") ---

_enabled(itf) if {
	lib.is_snapshot
	itf.enabled == true
}

# a declared interface is offered unless it says enabled: false
_enabled(itf) if {
	lib.is_spec
	not _declared_disabled(itf)
}

_declared_disabled(itf) if itf.enabled == false

_can_unlock[i] := itf if {
	some i, itf in lib.spec.interfaces
	_enabled(itf)
	t := itf.type
	not t in _cannot_unlock
}

_where := "enabled" if lib.is_snapshot

_where := "declared" if lib.is_spec

# --- evidence ---

required contains "spec.interfaces[].type" if _applies

required contains "spec.interfaces[].enabled" if lib.is_snapshot

default missing := set()

missing := lib.item_missing("spec.interfaces", _can_unlock, ["replay_protection"]) if _applies

# --- violations: each interface on its own ---

violation contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) is %s and can unlock, but its replay_protection is %q: a recorded unlock command can be sent again to open the door.", [itf.type, i, _where, rp]),
	"path": sprintf("spec.interfaces[%d].replay_protection", [i]),
	"observed": rp,
	"expected": sort(_fresh),
} if {
	_applies
	some i, itf in _can_unlock
	rp := itf.replay_protection
	not rp in _fresh
}

# --- what was seen on a pass ---

ok contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) can unlock and its replay_protection is %q.", [itf.type, i, rp]),
	"path": sprintf("spec.interfaces[%d].replay_protection", [i]),
	"observed": rp,
	"expected": sort(_fresh),
} if {
	_applies
	some i, itf in _can_unlock
	rp := itf.replay_protection
	rp in _fresh
}

ok contains sprintf("interface %s (spec.interfaces[%d]) cannot send a replayable unlock command (keypad and usb are excluded).", [itf.type, i]) if {
	_applies
	some i, itf in lib.spec.interfaces
	_enabled(itf)
	itf.type in _cannot_unlock
}

ok contains sprintf("interface %s (spec.interfaces[%d]) is disabled (enabled: false).", [itf.type, i]) if {
	_applies
	some i, itf in lib.spec.interfaces
	itf.enabled == false
}

ok contains sprintf("none of the %d interfaces in spec.interfaces can unlock.", [count(lib.spec.interfaces)]) if {
	_applies
	is_array(lib.spec.interfaces)
	count(_can_unlock) == 0
}
