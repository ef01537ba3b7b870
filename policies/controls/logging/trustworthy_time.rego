# METADATA
# title: Timestamps trustworthy and timezone-qualified
# description: |
#   An event log is evidence only if its times can be believed: a lock whose
#   clock is never set, or has drifted by minutes, records events at the wrong
#   time and enforces credential validity windows at the wrong time (CRED-004
#   relies on this clock criterion). The lock must have a clock source other
#   than none and a drift within clock_drift_max_s, and every event must carry
#   a timestamp with a UTC offset. The schema refuses naive timestamps; an
#   event without a timestamp is missing evidence.
# custom:
#   id: LOG-004
#   area: logging
#   severity: medium
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.device.clock_source
#       - spec.device.clock_drift_s
#       - spec.events[].timestamp
#   params: [clock_drift_max_s]
#   remediation: |
#     Synchronise the lock's clock (NTP, or through the app or hub) and keep its
#     drift within the policy limit; make sure exported events carry
#     timestamps with an offset (Z or +hh:mm).
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.PS-04}
#     - {standard: NIST CSF 2.0, clause: RS.AN-07}
package lockcheck.controls.logging.trustworthy_time

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

required contains p if {
	lib.is_snapshot
	some p in array.concat(lib.clock_evidence, ["spec.events[].timestamp"])
}

_max_drift := lib.param("clock_drift_max_s")

# --- the clock (lib.clock_trustworthy is the criterion, shared with CRED-004) ---

ok contains {
	"msg": sprintf("spec.device.clock_source is %q and spec.device.clock_drift_s is %v, within %v s (clock_drift_max_s): the lock's clock is trustworthy.", [lib.spec.device.clock_source, lib.spec.device.clock_drift_s, _max_drift]),
	"path": "spec.device.clock_drift_s",
	"observed": lib.spec.device.clock_drift_s,
	"expected": sprintf("within ±%v s", [_max_drift]),
} if {
	lib.is_snapshot
	lib.clock_trustworthy
}

_clock_sources := {"ntp", "app_sync", "rtc_only"}

violation contains {
	"msg": sprintf("spec.device.clock_source is %q: the lock's clock is never set from a reference, so its event times and validity checks cannot be trusted.", [src]),
	"path": "spec.device.clock_source",
	"observed": src,
	"expected": sort(_clock_sources),
} if {
	lib.is_snapshot
	src := lib.spec.device.clock_source
	not src in _clock_sources
}

violation contains {
	"msg": sprintf("spec.device.clock_drift_s is %v: the lock's clock is off by more than %v s (clock_drift_max_s).", [drift, _max_drift]),
	"path": "spec.device.clock_drift_s",
	"observed": drift,
	"expected": sprintf("within ±%v s", [_max_drift]),
} if {
	lib.is_snapshot
	drift := lib.spec.device.clock_drift_s
	abs(drift) > _max_drift
}

# --- event timestamps carry an offset (the schema already refuses naive ones) ---

_offset_pattern := `(?i)(z|[+-]\d{2}:\d{2})$`

violation contains {
	"msg": sprintf("event %s (spec.events[%d].timestamp) is %q, which has no UTC offset: its instant is ambiguous.", [object.get(e, "event_id", sprintf("#%d", [i])), i, e.timestamp]),
	"path": sprintf("spec.events[%d].timestamp", [i]),
	"observed": e.timestamp,
	"expected": "an RFC 3339 timestamp with an offset",
} if {
	lib.is_snapshot
	some i, e in lib.spec.events
	is_string(e.timestamp)
	not regex.match(_offset_pattern, e.timestamp)
}

ok contains sprintf("all %d events in spec.events carry a timestamp with a UTC offset.", [count(events)]) if {
	lib.is_snapshot
	events := lib.spec.events
	is_array(events)
	every e in events {
		regex.match(_offset_pattern, e.timestamp)
	}
}
