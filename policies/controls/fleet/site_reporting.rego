# METADATA
# title: Every site is still reporting snapshots
# description: |
#   LOG-006 judges each snapshot's age, but a site whose export stopped
#   altogether only shows up as old snapshots of that site: if even the newest
#   snapshot of a site is older than max_snapshot_age_h at the run time, the
#   site has stopped reporting and every finding about it describes the past.
#   For every site, the newest captured_at among its evaluated lock snapshots
#   must be no more than max_snapshot_age_h before the run time (the engine's
#   --now, else its clock). Judged after the last document on the run's
#   aggregates (the Fleet document).
# custom:
#   id: FLEET-003
#   area: fleet
#   severity: high
#   applies_to: [Fleet]
#   evidence:
#     Fleet:
#       - spec.sites[].site
#       - spec.sites[].newest_captured_at
#   params: [max_snapshot_age_h]
#   remediation: |
#     Restore the snapshot export of the named sites (gateway, hub or cloud
#     connector offline, a broken export job or revoked API credentials), then
#     rescan; until then treat the site's locks as unmonitored.
#   references:
#     - {standard: NIST CSF 2.0, clause: DE.CM-09}
#     - {standard: NIST CSF 2.0, clause: PR.PS-04}
package lockcheck.controls.fleet.site_reporting

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

_ns_per_hour := 3600000000000

required contains p if {
	_is_fleet
	some p in ["spec.sites[].site", "spec.sites[].newest_captured_at"]
}

_max_age_h := lib.param("max_snapshot_age_h")

# one entry per site: [index, site, newest captured_at, age in ns at the run time]
_sites contains [i, s.site, newest, lib.now_ns - lib.ts_ns(newest)] if {
	_is_fleet
	some i, s in lib.spec.sites
	newest := s.newest_captured_at
	is_string(newest)
}

violation contains {
	"msg": sprintf("site %s: the newest snapshot was captured at %s, %s h before the run time %s; the site has stopped reporting for longer than %v h (max_snapshot_age_h).", [site, newest, lib.one_decimal(age / _ns_per_hour), input.run.now, _max_age_h]),
	"path": sprintf("spec.sites[%d].newest_captured_at", [i]),
	"observed": newest,
	"expected": sprintf("within %v h before %s", [_max_age_h, input.run.now]),
} if {
	some [i, site, newest, age] in _sites
	age > _max_age_h * _ns_per_hour
}

ok contains {
	"msg": sprintf("site %s: the newest snapshot was captured at %s, %s h before the run time %s (at most %v h allowed).", [site, newest, lib.one_decimal(age / _ns_per_hour), input.run.now, _max_age_h]),
	"path": sprintf("spec.sites[%d].newest_captured_at", [i]),
	"observed": newest,
	"expected": sprintf("within %v h before %s", [_max_age_h, input.run.now]),
} if {
	some [i, site, newest, age] in _sites
	age <= _max_age_h * _ns_per_hour
}

not_applicable contains "spec.sites is empty: no lock snapshot was evaluated, so there is no site to judge." if {
	_is_fleet
	count(lib.spec.sites) == 0
}
