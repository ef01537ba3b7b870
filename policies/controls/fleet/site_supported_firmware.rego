# METADATA
# title: Each site's locks run supported, current firmware
# description: |
#   A site where many locks run firmware that is out of support or behind the
#   current release is a site-wide exposure, even when each lock's own finding
#   is already known: the fleet owner decides replacement and update campaigns
#   per site. For every site, at least min_site_supported_firmware_ratio of the
#   site's evaluated lock snapshots must pass both UPD-006 (support runway) and
#   UPD-007 (firmware current). A lock that fails, is not evidenced or is waived
#   on either control does not count as supported. Judged after the last
#   document on the run's aggregates (the Fleet document), never on a sample.
# custom:
#   id: FLEET-001
#   area: fleet
#   severity: high
#   applies_to: [Fleet]
#   evidence:
#     Fleet:
#       - spec.sites[].site
#       - spec.sites[].locks
#       - spec.sites[].upd_supported
#   params: [min_site_supported_firmware_ratio]
#   aggregates: [UPD-006, UPD-007]
#   remediation: |
#     Run an update campaign at the sites named in the finding (UPD-007 lists
#     the locks behind the current firmware) and schedule the replacement of
#     locks whose support has ended (UPD-006), starting with the sites furthest
#     below the ratio.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.PS-02}
#     - {standard: NIST CSF 2.0, clause: ID.AM-08}
#     - {standard: ETSI EN 303 645, clause: "5.3-13"}
package lockcheck.controls.fleet.site_supported_firmware

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
	some p in ["spec.sites[].site", "spec.sites[].locks", "spec.sites[].upd_supported"]
}

_min := lib.param("min_site_supported_firmware_ratio")

# _sites are [index, site, locks, supported] for each site with locks.
_sites contains [i, s.site, s.locks, s.upd_supported] if {
	_is_fleet
	some i, s in lib.spec.sites
	is_number(s.locks)
	is_number(s.upd_supported)
	s.locks > 0
}

_pct(n, d) := lib.one_decimal((100 * n) / d)

violation contains {
	"msg": sprintf("site %s: %d of %d locks (%s%%) pass both UPD-006 (support runway) and UPD-007 (firmware current); at least %v (min_site_supported_firmware_ratio) is required, so %d locks run unsupported or outdated firmware.", [site, supported, locks, _pct(supported, locks), _min, locks - supported]),
	"path": sprintf("spec.sites[%d].upd_supported", [i]),
	"observed": supported,
	"expected": sprintf(">= %d of %d locks", [ceil(_min * locks), locks]),
} if {
	some [i, site, locks, supported] in _sites
	supported / locks < _min
}

ok contains {
	"msg": sprintf("site %s: %d of %d locks (%s%%) pass both UPD-006 and UPD-007 (at least %v required).", [site, supported, locks, _pct(supported, locks), _min]),
	"path": sprintf("spec.sites[%d].upd_supported", [i]),
	"observed": supported,
	"expected": sprintf(">= %d of %d locks", [ceil(_min * locks), locks]),
} if {
	some [i, site, locks, supported] in _sites
	supported / locks >= _min
}

not_applicable contains "spec.sites is empty: no lock snapshot was evaluated, so there is no site to judge." if {
	_is_fleet
	count(lib.spec.sites) == 0
}
