# METADATA
# title: Snapshot evidence is recent
# description: |
#   Every other snapshot control judges the lock as of captured_at; that says
#   little about the lock today if the snapshot is old. A snapshot must have
#   been captured no more than max_snapshot_age_h before the run time (the
#   engine's --now, else its clock), and not after it: a captured_at later
#   than the run time by more than clock_drift_max_s is impossible evidence
#   (a wrong clock or a fabricated export) and fails too. This is the one
#   snapshot control judged against the run time rather than captured_at.
# custom:
#   id: LOG-006
#   area: logging
#   severity: medium
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.captured_at
#   params: [max_snapshot_age_h, clock_drift_max_s]
#   remediation: |
#     Export a fresh snapshot of the lock (and schedule exports at least every
#     max_snapshot_age_h hours); if captured_at is in the future, correct the
#     clock of the system that produced the export.
#   references:
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
#     - {standard: NIST IR 8259A, clause: Cybersecurity State Awareness}
package lockcheck.controls.logging.snapshot_recent

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_ns_per_hour := 3600000000000

_ns_per_s := 1000000000

required contains "spec.captured_at" if lib.is_snapshot

_max_age_h := lib.param("max_snapshot_age_h")

_max_ahead_s := lib.param("clock_drift_max_s")

# how long before the run time the snapshot was captured (negative: after it)
_age_ns := lib.now_ns - lib.ts_ns(lib.spec.captured_at)

violation contains {
	"msg": sprintf("spec.captured_at is %s, %s h before the run time %s: the snapshot is older than %v h (max_snapshot_age_h) and may no longer describe the lock.", [lib.spec.captured_at, lib.one_decimal(_age_ns / _ns_per_hour), input.run.now, _max_age_h]),
	"path": "spec.captured_at",
	"observed": lib.spec.captured_at,
	"expected": sprintf("within %v h before %s", [_max_age_h, input.run.now]),
} if {
	lib.is_snapshot
	_age_ns > _max_age_h * _ns_per_hour
}

violation contains {
	"msg": sprintf("spec.captured_at is %s, %s s after the run time %s (more than clock_drift_max_s %v s): a snapshot cannot come from the future; the exporting clock is wrong.", [lib.spec.captured_at, lib.one_decimal((0 - _age_ns) / _ns_per_s), input.run.now, _max_ahead_s]),
	"path": "spec.captured_at",
	"observed": lib.spec.captured_at,
	"expected": sprintf("no later than %v s after %s", [_max_ahead_s, input.run.now]),
} if {
	lib.is_snapshot
	0 - _age_ns > _max_ahead_s * _ns_per_s
}

ok contains {
	"msg": sprintf("spec.captured_at is %s, %s h before the run time %s (at most %v h allowed).", [lib.spec.captured_at, lib.one_decimal(_age_ns / _ns_per_hour), input.run.now, _max_age_h]),
	"path": "spec.captured_at",
	"observed": lib.spec.captured_at,
	"expected": sprintf("within %v h before %s", [_max_age_h, input.run.now]),
} if {
	lib.is_snapshot
	_age_ns <= _max_age_h * _ns_per_hour
	0 - _age_ns <= _max_ahead_s * _ns_per_s
}
