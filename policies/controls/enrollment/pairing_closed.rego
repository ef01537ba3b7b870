# METADATA
# title: Pairing/setup mode is closed; no unauthenticated pairing
# description: |
#   While a lock is in pairing or setup mode, anyone in radio range can pair a
#   phone or bridge with it. On a deployed lock pairing mode must be closed,
#   or at most open for a short window (ten minutes by default), and no
#   interface may accept pairing without authentication (a fixed pairing PIN
#   such as 000000 is no authentication). A product must not keep pairing
#   mode permanently on: it must be opened by a button on the device or from
#   the admin app.
# custom:
#   id: ENR-004
#   area: enrollment
#   severity: critical
#   applies_to: [LockSnapshot, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.enrollment.pairing_mode_open
#       - spec.enrollment.pairing_window_expires_at
#       - spec.captured_at
#       - spec.interfaces[].unauthenticated_pairing_allowed
#     ProductSpec:
#       - spec.enrollment.pairing_mode_trigger
#   params: [max_pairing_window_s]
#   remediation: |
#     Snapshot: close pairing mode (or let its window expire within 10
#     minutes) and disable unauthenticated pairing on every interface; a BLE
#     link paired with a fixed PIN must be re-paired with an authenticated
#     method. Product: open pairing mode only from a physical button on the
#     device or from the admin app, never leave it always on.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.5-4"}
#     - {standard: ETSI EN 303 645, clause: "5.5-5"}
#     - {standard: ETSI EN 303 645, clause: "5.6-1"}
#     - {standard: NIST IR 8259A, clause: Logical Access to Interfaces}
#     - {standard: NIST CSF 2.0, clause: PR.AA-03}
package lockcheck.controls.enrollment.pairing_closed

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

# --- LockSnapshot ---

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.enrollment.pairing_mode_open",
		"spec.interfaces[].unauthenticated_pairing_allowed",
	]
}

# the window matters only while pairing mode is open
required contains p if {
	lib.is_snapshot
	lib.spec.enrollment.pairing_mode_open == true
	some p in ["spec.enrollment.pairing_window_expires_at", "spec.captured_at"]
}

# a threshold that is not configured leaves the window unjudged: it is
# reported like missing evidence, never read as a pass
missing contains "params.max_pairing_window_s" if {
	lib.is_snapshot
	lib.spec.enrollment.pairing_mode_open == true
	not lib.param("max_pairing_window_s")
}

_window_limit_ns := lib.param("max_pairing_window_s") * 1000000000

_interface_name(i, itf) := sprintf("interface %s", [itf.type]) if {
	is_string(itf.type)
} else := sprintf("interface #%d", [i])

violation contains {
	"msg": "spec.enrollment.pairing_mode_open is true and spec.enrollment.pairing_window_expires_at is null: pairing mode is open with no end.",
	"path": "spec.enrollment.pairing_window_expires_at",
	"observed": null,
	"expected": sprintf("at most %d s after captured_at", [lib.param("max_pairing_window_s")]),
} if {
	lib.is_snapshot
	lib.spec.enrollment.pairing_mode_open == true
	lib.spec.enrollment.pairing_window_expires_at == null
}

violation contains {
	"msg": sprintf("spec.enrollment.pairing_mode_open is true and spec.enrollment.pairing_window_expires_at is %s, %d s after captured_at: pairing stays open longer than %d s.", [expires, left_s, lib.param("max_pairing_window_s")]),
	"path": "spec.enrollment.pairing_window_expires_at",
	"observed": expires,
	"expected": sprintf("at most %d s after captured_at", [lib.param("max_pairing_window_s")]),
} if {
	lib.is_snapshot
	lib.spec.enrollment.pairing_mode_open == true
	expires := lib.spec.enrollment.pairing_window_expires_at
	is_string(expires)
	left := lib.ts_ns(expires) - lib.ref_ns
	left > _window_limit_ns
	left_s := round(left / 1000000000)
}

violation contains {
	"msg": sprintf("%s has unauthenticated_pairing_allowed: true: anyone in range can pair with the lock through it.", [_interface_name(i, itf)]),
	"path": sprintf("spec.interfaces[%d].unauthenticated_pairing_allowed", [i]),
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	some i, itf in lib.spec.interfaces
	itf.unauthenticated_pairing_allowed == true
}

ok contains {
	"msg": "spec.enrollment.pairing_mode_open is false: pairing mode is closed.",
	"path": "spec.enrollment.pairing_mode_open",
	"observed": false,
	"expected": false,
} if {
	lib.is_snapshot
	lib.spec.enrollment.pairing_mode_open == false
}

ok contains {
	"msg": sprintf("spec.enrollment.pairing_mode_open is true but spec.enrollment.pairing_window_expires_at is %s, %d s after captured_at (at most %d s).", [expires, round(left / 1000000000), lib.param("max_pairing_window_s")]),
	"path": "spec.enrollment.pairing_window_expires_at",
	"observed": expires,
	"expected": sprintf("at most %d s after captured_at", [lib.param("max_pairing_window_s")]),
} if {
	lib.is_snapshot
	lib.spec.enrollment.pairing_mode_open == true
	expires := lib.spec.enrollment.pairing_window_expires_at
	is_string(expires)
	left := lib.ts_ns(expires) - lib.ref_ns
	left <= _window_limit_ns
}

ok contains sprintf("none of the %d spec.interfaces allows unauthenticated pairing (unauthenticated_pairing_allowed: false).", [count(itfs)]) if {
	lib.is_snapshot
	itfs := lib.spec.interfaces
	every itf in itfs {
		itf.unauthenticated_pairing_allowed == false
	}
}

# --- ProductSpec ---

_closed_triggers := {"physical_button", "admin_app_only"}

required contains "spec.enrollment.pairing_mode_trigger" if lib.is_spec

violation contains {
	"msg": sprintf("spec.enrollment.pairing_mode_trigger is %q: pairing mode is permanently open.", [trigger]),
	"path": "spec.enrollment.pairing_mode_trigger",
	"observed": trigger,
	"expected": sort(_closed_triggers),
} if {
	lib.is_spec
	trigger := lib.spec.enrollment.pairing_mode_trigger
	not trigger in _closed_triggers
}

ok contains {
	"msg": sprintf("spec.enrollment.pairing_mode_trigger is %q: pairing mode opens only on demand.", [trigger]),
	"path": "spec.enrollment.pairing_mode_trigger",
	"observed": trigger,
	"expected": sort(_closed_triggers),
} if {
	lib.is_spec
	trigger := lib.spec.enrollment.pairing_mode_trigger
	trigger in _closed_triggers
}

# The catalogue judges a product on its pairing trigger only; a declared
# interface that accepts unauthenticated pairing is reported, without
# changing the status (the deployed lock's interfaces are judged on its
# snapshot).
warning contains sprintf("spec.interfaces[%d] (%s) declares unauthenticated_pairing_allowed: true; a lock deployed this way fails ENR-004.", [i, object.get(itf, "type", "unknown type")]) if {
	lib.is_spec
	some i, itf in lib.spec.interfaces
	itf.unauthenticated_pairing_allowed == true
	object.get(itf, "enabled", true) == true
}
