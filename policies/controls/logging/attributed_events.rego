# METADATA
# title: Access events are attributed to a specific credential and holder
# description: |
#   An event log that says "door unlocked" without saying by whom cannot answer
#   the question that matters after an incident. Every successful unlock or
#   lock event on a deployed lock must name the credential used, and that
#   credential must be one the lock's inventory knows (active or revoked
#   history). An event whose channel is "unknown" is unattributed whatever else
#   it says. Failed attempts need no attribution, and mechanical-key events are
#   exempt (a key leaves no credential id; key control is RES-003's subject).
# custom:
#   id: LOG-002
#   area: logging
#   severity: high
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.events[].type
#       - spec.events[].result
#       - spec.events[].channel
#       - spec.events[].credential_id
#       - spec.credentials[].credential_id
#   remediation: |
#     Configure the lock and its app/cloud so every unlock and lock records the
#     credential (and holder) used, on every channel; replace integrations
#     (voice assistants, third-party bridges) that report no credential, and
#     keep revoked credentials in the inventory so old events stay resolvable.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.PS-04}
#     - {standard: NIST CSF 2.0, clause: DE.CM-03}
#     - {standard: NIST SP 800-63B-4, clause: "4.1"}
package lockcheck.controls.logging.attributed_events

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

_access_types := {"unlock", "lock"}

# type selects events and is needed on every event; result only on unlock
# and lock events (catalogue §1.1, 2026-12-04)
required contains "spec.events[].type" if lib.is_snapshot

missing contains m if {
	lib.is_snapshot
	some m in lib.item_missing("spec.events", {i: e | some i, e in lib.spec.events; e.type in _access_types}, ["result"])
}

# successful unlock/lock events: the ones that need attribution
_access := {i: e |
	some i, e in lib.spec.events
	e.type in _access_types
	e.result == "success"
}

# of those, the ones attribution is judged on (mechanical keys are exempt)
_judged := {i: e |
	some i, e in _access
	e.channel != "mechanical_key"
}

_exempt := {i | some i, e in _access; e.channel == "mechanical_key"}

# attributed by a credential id the inventory must resolve
_named := {i: e |
	some i, e in _judged
	e.channel != "unknown"
	is_string(e.credential_id)
}

missing contains m if {
	lib.is_snapshot
	some m in (lib.item_missing("spec.events", _access, ["channel"]) | lib.item_missing("spec.events", {i: e | some i, e in _judged; e.channel != "unknown"}, ["credential_id"]))
}

_known_ids := {c.credential_id | some c in lib.spec.credentials}

# events whose credential_id no credential in the inventory carries
_unresolved := {i: e |
	some i, e in _named
	not e.credential_id in _known_ids
}

# the inventory's ids are needed only when some event's credential does not
# resolve: an id absent from an item could be the one it names
required contains "spec.credentials[].credential_id" if {
	lib.is_snapshot
	count(_unresolved) > 0
}

_event_label(i, e) := sprintf("event %s (%s via %s at %s, spec.events[%d])", [object.get(e, "event_id", sprintf("#%d", [i])), e.type, object.get(e, "channel", "an unstated channel"), object.get(e, "timestamp", "an unstated time"), i])

violation contains {
	"msg": sprintf("%s has channel unknown: the access cannot be attributed to a credential or holder.", [_event_label(i, e)]),
	"path": sprintf("spec.events[%d].channel", [i]),
	"observed": "unknown",
	"expected": "a known channel with the credential used",
} if {
	lib.is_snapshot
	some i, e in _judged
	e.channel == "unknown"
}

violation contains {
	"msg": sprintf("%s has credential_id null: the access is not attributed to a credential.", [_event_label(i, e)]),
	"path": sprintf("spec.events[%d].credential_id", [i]),
	"observed": null,
	"expected": "a credential id listed in spec.credentials",
} if {
	lib.is_snapshot
	some i, e in _judged
	e.channel != "unknown"
	lib.has(e, "credential_id")
	e.credential_id == null
}

violation contains {
	"msg": sprintf("%s names credential %s, which is not in spec.credentials (including revoked history): the access cannot be traced to a holder.", [_event_label(i, e), e.credential_id]),
	"path": sprintf("spec.events[%d].credential_id", [i]),
	"observed": e.credential_id,
	"expected": "a credential id listed in spec.credentials",
} if {
	lib.is_snapshot
	_inventory_complete
	some i, e in _unresolved
}

# "not in the inventory" is shown only by an inventory whose every item has its id
_inventory_complete if {
	is_array(lib.spec.credentials)
	every c in lib.spec.credentials {
		lib.has(c, "credential_id")
	}
}

ok contains sprintf("%d of %d successful unlock/lock events in spec.events name a credential listed in spec.credentials (holders: %s); %d mechanical-key events are exempt.", [count(resolved), count(_judged), _list_or_none(holders), count(_exempt)]) if {
	lib.is_snapshot
	is_array(lib.spec.events)
	resolved := {i | some i, e in _named; e.credential_id in _known_ids}
	resolved_ids := {_named[i].credential_id | some i in resolved}
	holders := {h |
		some c in lib.spec.credentials
		c.credential_id in resolved_ids
		h := object.get(c, "holder_id", "unknown")
	}
}

# nothing to observe: a pass, but say so
warning contains w if some w in _nothing_to_attribute

ok contains w if some w in _nothing_to_attribute

_nothing_to_attribute contains sprintf("spec.events holds %d events and no successful unlock/lock event that needs attribution, so attribution could not be observed.", [count(lib.spec.events)]) if {
	lib.is_snapshot
	is_array(lib.spec.events)
	count(_judged) == 0
}

_list_or_none(s) := concat(", ", sort(s)) if count(s) > 0

_list_or_none(s) := "none" if count(s) == 0
