# METADATA
# title: No site concentrates locks failing critical controls
# description: |
#   A few locks failing a critical control can be individual faults; a site
#   where a larger share of the locks fails one points to a systemic cause (an
#   installer's practice, a batch of devices, a management account) that has to
#   be handled for the site as a whole. For every site, the share of its
#   evaluated lock snapshots failing any critical control (a critical-severity
#   finding that fails or is not evidenced) must not exceed
#   max_site_critical_fail_ratio. Judged after the last document on the run's
#   aggregates (the Fleet document).
# custom:
#   id: FLEET-002
#   area: fleet
#   severity: critical
#   applies_to: [Fleet]
#   evidence:
#     Fleet:
#       - spec.sites[].site
#       - spec.sites[].locks
#       - spec.sites[].critical_failing
#   params: [max_site_critical_fail_ratio]
#   remediation: |
#     Treat the named sites as an incident: find the common cause of their
#     critical findings (the per-lock findings name the controls), fix it for
#     the whole site, and rescan before the next scheduled run.
#   references:
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
#     - {standard: NIST CSF 2.0, clause: PR.PS-01}
package lockcheck.controls.fleet.site_critical_failures

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": not_applicable,
	"ok": ok,
	"warning": set(),
})

_is_fleet if lib.kind == "Fleet"

required contains p if {
	_is_fleet
	some p in ["spec.sites[].site", "spec.sites[].locks", "spec.sites[].critical_failing"]
}

_max := lib.param("max_site_critical_fail_ratio")

_sites contains [i, s.site, s.locks, s.critical_failing] if {
	_is_fleet
	some i, s in lib.spec.sites
	is_number(s.locks)
	is_number(s.critical_failing)
	s.locks > 0
}

_pct(n, d) := lib.one_decimal((100 * n) / d)

violation contains {
	"msg": sprintf("site %s: %d of %d locks (%s%%) fail at least one critical control; max_site_critical_fail_ratio %v allows at most %d of %d.", [site, failing, locks, _pct(failing, locks), _max, floor(_max * locks), locks]),
	"path": sprintf("spec.sites[%d].critical_failing", [i]),
	"observed": failing,
	"expected": sprintf("<= %d of %d locks", [floor(_max * locks), locks]),
} if {
	some [i, site, locks, failing] in _sites
	failing / locks > _max
}

ok contains {
	"msg": sprintf("site %s: %d of %d locks (%s%%) fail a critical control (at most %v allowed).", [site, failing, locks, _pct(failing, locks), _max]),
	"path": sprintf("spec.sites[%d].critical_failing", [i]),
	"observed": failing,
	"expected": sprintf("<= %d of %d locks", [floor(_max * locks), locks]),
} if {
	some [i, site, locks, failing] in _sites
	failing / locks <= _max
}

not_applicable contains "spec.sites is empty: no lock snapshot was evaluated, so there is no site to judge." if {
	_is_fleet
	count(lib.spec.sites) == 0
}
