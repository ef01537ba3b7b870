# METADATA
# title: Defined, authenticated, encrypted, fail-safe update channel
# description: |
#   A lock has to be patchable, and the way patches reach it must not be a way
#   in: every update channel the product offers must be authenticated and
#   encrypted, and an interrupted or bad update must not brick the lock (an A/B
#   or recovery partition; the LockState 6i update left locks unable to lock or
#   to receive further updates). A product with no update channel fails.
# custom:
#   id: UPD-004
#   area: updates
#   severity: high
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.firmware.update_channels[].type
#       - spec.firmware.update_channels[].authenticated
#       - spec.firmware.update_channels[].encrypted
#       - spec.firmware.ab_or_recovery_partition
#   remediation: |
#     Offer at least one update channel, authenticate and encrypt every one
#     (no plain or unauthenticated BLE/USB update path), and keep an A/B or
#     recovery partition so a failed update falls back to a working image.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.3-2"}
#     - {standard: ETSI EN 303 645, clause: "5.3-10"}
#     - {standard: ETSI EN 303 645, clause: "5.3-12"}
#     - {standard: NIST IR 8259A, clause: Software Update}
#     - {standard: NIST SP 800-193, clause: Recovery}
#     - {standard: LockState 6i incident, clause: failed OTA update (locks unable to lock or update)}
package lockcheck.controls.updates.update_channel

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

required contains p if {
	lib.is_spec
	some p in ["spec.firmware.update_channels[].type", "spec.firmware.ab_or_recovery_partition"]
}

# the real channels (type "none" declares the absence of one)
_channels := {i: c | some i, c in lib.spec.firmware.update_channels; c.type != "none"}

missing := lib.item_missing("spec.firmware.update_channels", _channels, ["authenticated", "encrypted"]) if lib.is_spec

violation contains {
	"msg": sprintf("spec.firmware.update_channels declares no update channel (%v): the lock cannot receive security updates.", [[c.type | some c in lib.spec.firmware.update_channels]]),
	"path": "spec.firmware.update_channels",
	"observed": lib.spec.firmware.update_channels,
	"expected": "at least one channel other than none",
} if {
	lib.is_spec
	is_array(lib.spec.firmware.update_channels)
	every c in lib.spec.firmware.update_channels {
		c.type == "none"
	}
}

violation contains {
	"msg": sprintf("update channel %s (spec.firmware.update_channels[%d].%s) is false: updates over it are not %s.", [c.type, i, field, word]),
	"path": sprintf("spec.firmware.update_channels[%d].%s", [i, field]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some i, c in _channels
	some [field, word] in [["authenticated", "authenticated"], ["encrypted", "encrypted"]]
	c[field] == false
}

violation contains {
	"msg": "spec.firmware.ab_or_recovery_partition is false: a failed or interrupted update can leave the lock without working firmware.",
	"path": "spec.firmware.ab_or_recovery_partition",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.firmware.ab_or_recovery_partition == false
}

ok contains sprintf("update channel %s (spec.firmware.update_channels[%d]) is authenticated and encrypted.", [c.type, i]) if {
	lib.is_spec
	some i, c in _channels
	c.authenticated == true
	c.encrypted == true
}

ok contains {
	"msg": "spec.firmware.ab_or_recovery_partition is true: a failed update falls back to a working image.",
	"path": "spec.firmware.ab_or_recovery_partition",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.firmware.ab_or_recovery_partition == true
}

# notifies_disruption is context: shown when present, never required.
ok contains sprintf("spec.firmware.notifies_disruption is %v.", [n]) if {
	lib.is_spec
	n := lib.spec.firmware.notifies_disruption
	is_boolean(n)
}
