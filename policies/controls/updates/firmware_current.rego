# METADATA
# title: Installed firmware is current; no known exploitable CVE with an available fix
# description: |
#   A published fix protects nobody until it is installed. A deployed lock must
#   not carry a known vulnerability for which a fix is available; it must run
#   the latest firmware, or the latest security release must still be within
#   the patch grace period (firmware_patch_grace_days) at the snapshot date; it
#   must update automatically (the plan has no field for a manual update
#   cadence, so auto-update is required); and it must have checked for updates
#   recently (max_update_check_age_days before captured_at). A lock that never
#   checked (last_check_at: null) fails. Judged as of captured_at.
# custom:
#   id: UPD-007
#   area: updates
#   severity: high
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot:
#       - spec.captured_at
#       - spec.firmware.version
#       - spec.firmware.latest_available_version
#       - spec.firmware.latest_security_release_date
#       - spec.firmware.known_vulnerabilities[].cve_id
#       - spec.firmware.known_vulnerabilities[].fix_available
#       - spec.update.auto_update_enabled
#       - spec.update.last_check_at
#   params: [firmware_patch_grace_days, max_update_check_age_days]
#   remediation: |
#     Install the fixed firmware for every listed CVE with a fix available,
#     update to the latest release within the patch grace period, enable
#     automatic updates, and make sure the lock (or its hub) can reach the
#     update service so it checks for updates at least weekly.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.3-4"}
#     - {standard: ETSI EN 303 645, clause: "5.3-5"}
#     - {standard: ETSI EN 303 645, clause: "5.3-6"}
#     - {standard: ETSI EN 303 645, clause: "5.3-8"}
#     - {standard: NIST CSF 2.0, clause: ID.RA-01}
#     - {standard: NIST CSF 2.0, clause: PR.PS-02}
#     - {standard: CVE, clause: "CVE-2022-32502..CVE-2022-32509 (Nuki fixed versions)"}
package lockcheck.controls.updates.firmware_current

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_ns_per_day := 86400000000000

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.captured_at",
		"spec.firmware.version",
		"spec.firmware.latest_available_version",
		"spec.firmware.known_vulnerabilities[].cve_id",
		"spec.firmware.known_vulnerabilities[].fix_available",
		"spec.update.auto_update_enabled",
		"spec.update.last_check_at",
	]
}

# the release date matters only when the lock is not on the latest version
required contains "spec.firmware.latest_security_release_date" if {
	lib.is_snapshot
	lib.spec.firmware.version != lib.spec.firmware.latest_available_version
}

# --- known vulnerabilities ---

_fixed_in(v) := sprintf("fixed in version %s", [v.fixed_in_version]) if is_string(v.fixed_in_version)

_fixed_in(v) := "fixed version not stated" if not is_string(object.get(v, "fixed_in_version", null))

violation contains {
	"msg": sprintf("known vulnerability %s (spec.firmware.known_vulnerabilities[%d]) has fix_available: true (%s), but the lock still runs firmware.version %s.", [v.cve_id, i, _fixed_in(v), _version_seen]),
	"path": sprintf("spec.firmware.known_vulnerabilities[%d].fix_available", [i]),
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	some i, v in lib.spec.firmware.known_vulnerabilities
	v.fix_available == true
}

_version_seen := v if {
	v := lib.spec.firmware.version
} else := "(not stated)"

ok contains sprintf("spec.firmware.known_vulnerabilities lists %d vulnerabilities, none with an available fix.", [count(vulns)]) if {
	lib.is_snapshot
	vulns := lib.spec.firmware.known_vulnerabilities
	is_array(vulns)
	every v in vulns {
		v.fix_available == false
	}
}

# --- current version, or the latest security release within the grace period ---

ok contains {
	"msg": sprintf("spec.firmware.version %s is the latest_available_version.", [v]),
	"path": "spec.firmware.version",
	"observed": v,
	"expected": v,
} if {
	lib.is_snapshot
	v := lib.spec.firmware.version
	v == lib.spec.firmware.latest_available_version
}

_grace := lib.param("firmware_patch_grace_days")

violation contains {
	"msg": sprintf("spec.firmware.version %s is not the latest_available_version %s, and the latest security release of %s is more than %d days (firmware_patch_grace_days) before the snapshot date %s.", [v, latest, released, _grace, lib.ref_date]),
	"path": "spec.firmware.version",
	"observed": v,
	"expected": latest,
} if {
	lib.is_snapshot
	v := lib.spec.firmware.version
	latest := lib.spec.firmware.latest_available_version
	v != latest
	released := lib.spec.firmware.latest_security_release_date
	lib.add_days(released, _grace) < lib.ref_date
}

ok contains {
	"msg": sprintf("spec.firmware.version %s is not the latest_available_version %s, but the latest security release of %s is within the %d-day patch grace period at the snapshot date %s.", [v, latest, released, _grace, lib.ref_date]),
	"path": "spec.firmware.version",
	"observed": v,
	"expected": latest,
} if {
	lib.is_snapshot
	v := lib.spec.firmware.version
	latest := lib.spec.firmware.latest_available_version
	v != latest
	released := lib.spec.firmware.latest_security_release_date
	lib.add_days(released, _grace) >= lib.ref_date
}

# --- automatic updates (the plan has no manual-cadence field) ---

violation contains {
	"msg": "spec.update.auto_update_enabled is false: updates are not installed automatically, and the plan documents no manual update cadence.",
	"path": "spec.update.auto_update_enabled",
	"observed": false,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.update.auto_update_enabled == false
}

ok contains {
	"msg": "spec.update.auto_update_enabled is true.",
	"path": "spec.update.auto_update_enabled",
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	lib.spec.update.auto_update_enabled == true
}

# --- recent update check ---

_max_check_age := lib.param("max_update_check_age_days")

violation contains {
	"msg": "spec.update.last_check_at is null: the lock has never checked for updates.",
	"path": "spec.update.last_check_at",
	"observed": null,
	"expected": sprintf("within %d days before captured_at", [_max_check_age]),
} if {
	lib.is_snapshot
	lib.has(lib.spec.update, "last_check_at")
	lib.spec.update.last_check_at == null
}

violation contains {
	"msg": sprintf("spec.update.last_check_at is %s, %s days before captured_at %s: the lock has not checked for updates within %d days (max_update_check_age_days).", [t, lib.one_decimal(lib.days(age)), lib.spec.captured_at, _max_check_age]),
	"path": "spec.update.last_check_at",
	"observed": t,
	"expected": sprintf("within %d days before captured_at", [_max_check_age]),
} if {
	lib.is_snapshot
	t := lib.spec.update.last_check_at
	is_string(t)
	age := lib.ref_ns - lib.ts_ns(t)
	age > _max_check_age * _ns_per_day
}

ok contains {
	"msg": sprintf("spec.update.last_check_at is %s, within %d days before captured_at %s.", [t, _max_check_age, lib.spec.captured_at]),
	"path": "spec.update.last_check_at",
	"observed": t,
	"expected": sprintf("within %d days before captured_at", [_max_check_age]),
} if {
	lib.is_snapshot
	t := lib.spec.update.last_check_at
	is_string(t)
	age := lib.ref_ns - lib.ts_ns(t)
	age <= _max_check_age * _ns_per_day
}
