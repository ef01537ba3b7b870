# METADATA
# title: Guest/temporary credentials carry an explicit, bounded expiry
# description: |
#   A guest or service code that never expires is a permanent key handed to a
#   temporary visitor. Every active guest or service credential on a lock, and
#   every one an installation plan intends to issue, must have a valid_until
#   after its valid_from and no more than max_guest_validity_days (calendar
#   days in the site's time zone) later. A recurring weekly schedule is not an
#   expiry: without valid_until the code opens the door on those days forever.
#   A product must support guest expiry at all.
# custom:
#   id: CRED-003
#   area: credentials
#   severity: high
#   applies_to: [LockSnapshot, InstallPlan, ProductSpec]
#   evidence:
#     LockSnapshot:
#       - spec.credentials[].cloud_status
#       - spec.credentials[].role
#       - spec.credentials[].valid_from
#       - spec.credentials[].valid_until
#     InstallPlan:
#       - spec.access_plan.credentials[].role
#       - spec.access_plan.credentials[].valid_from
#       - spec.access_plan.credentials[].valid_until
#     ProductSpec:
#       - spec.credentials_support.guest_expiry_supported
#   params: [max_guest_validity_days]
#   remediation: |
#     Give every guest and service credential an explicit valid_until no more
#     than max_guest_validity_days after valid_from (reissue longer stays as a
#     new credential); a recurring schedule needs a valid_until too. Product:
#     choose a lock that supports expiring guest credentials.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.4"}
#     - {standard: NIST CSF 2.0, clause: PR.AA-05}
package lockcheck.controls.credentials.guest_expiry

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_temporary_roles := {"guest", "service"}

# The bound: a plan's policy_overrides, else its access_plan.max_guest_validity_days
# (catalogue §2.3), else the run's params. A snapshot reads its linked plan.
_plan_spec := lib.spec if lib.is_plan

_plan_spec := lib.plan if lib.is_snapshot

_max_days := lib.param("max_guest_validity_days") if {
	_plan_spec.policy_overrides.max_guest_validity_days
} else := d if {
	d := _plan_spec.access_plan.max_guest_validity_days
} else := lib.param("max_guest_validity_days")

# --- LockSnapshot and InstallPlan: the temporary credentials judged ---

_list := "spec.credentials" if lib.is_snapshot

_list := "spec.access_plan.credentials" if lib.is_plan

_judged := {i: c |
	some i, c in lib.spec.credentials
	c.cloud_status == "active"
	c.role in _temporary_roles
} if lib.is_snapshot

_judged := {i: c |
	some i, c in lib.spec.access_plan.credentials
	c.role in _temporary_roles
} if lib.is_plan

required contains p if {
	lib.is_snapshot
	some p in ["spec.credentials[].cloud_status", "spec.credentials[].role"]
}

required contains "spec.access_plan.credentials[].role" if lib.is_plan

missing contains m if {
	some m in lib.item_missing(_list, _judged, ["valid_from", "valid_until"])
}

# Per judged credential, computed once per document (rules below read these
# objects instead of calling functions per rule): its label, and for one with
# a valid_until, the time from valid_from to valid_until on the site's wall
# clock (so that days are calendar days in the site's zone).
_labels := {i: sprintf("%s, role %s,", [lib.cred_label(_list, i, c), c.role]) | some i, c in _judged}

_wall := {i: w |
	some i, c in _judged
	is_string(c.valid_until)
	w := lib.cred_wall_ns(lib.ts_ns(c.valid_until)) - lib.cred_wall_ns(lib.ts_ns(c.valid_from))
}

violation contains {
	"msg": sprintf("%s has a recurring schedule (%v) but %s[%d].valid_until is null: a weekly window is not an expiry, the code stays valid on those days forever.", [_labels[i], object.get(c.schedule, "days", []), _list, i]),
	"path": sprintf("%s[%d].valid_until", [_list, i]),
	"observed": null,
	"expected": sprintf("a date-time at most %v days after valid_from", [_max_days]),
} if {
	some i, c in _judged
	c.valid_until == null
	is_object(c.schedule)
}

violation contains {
	"msg": sprintf("%s has no expiry (%s[%d].valid_until is null): a temporary credential must expire within %v days.", [_labels[i], _list, i, _max_days]),
	"path": sprintf("%s[%d].valid_until", [_list, i]),
	"observed": null,
	"expected": sprintf("a date-time at most %v days after valid_from", [_max_days]),
} if {
	some i, c in _judged
	c.valid_until == null
	not is_object(object.get(c, "schedule", null))
}

violation contains {
	"msg": sprintf("%s has valid_until %s, not after its valid_from %s.", [_labels[i], c.valid_until, c.valid_from]),
	"path": sprintf("%s[%d].valid_until", [_list, i]),
	"observed": c.valid_until,
	"expected": sprintf("after valid_from %s", [c.valid_from]),
} if {
	some i, c in _judged
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) <= lib.ts_ns(c.valid_from)
}

violation contains {
	"msg": sprintf("%s is valid for %s (valid_from %s, valid_until %s), more than the %v days allowed for temporary credentials.", [_labels[i], lib.cred_duration(_wall[i]), c.valid_from, c.valid_until, _max_days]),
	"path": sprintf("%s[%d].valid_until", [_list, i]),
	"observed": c.valid_until,
	"expected": sprintf("at most %v days after valid_from %s", [_max_days, c.valid_from]),
} if {
	some i, c in _judged
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) > lib.ts_ns(c.valid_from)
	lib.days(_wall[i]) > _max_days
}

ok contains sprintf("%s expires: valid_from %s, valid_until %s, %s, within %v days.", [_labels[i], c.valid_from, c.valid_until, lib.cred_duration(_wall[i]), _max_days]) if {
	some i, c in _judged
	is_string(c.valid_until)
	lib.ts_ns(c.valid_until) > lib.ts_ns(c.valid_from)
	lib.days(_wall[i]) <= _max_days
}

ok contains sprintf("none of the %d credentials in spec.credentials is an active guest or service credential (cloud_status, role).", [count(lib.spec.credentials)]) if {
	lib.is_snapshot
	count(_judged) == 0
	lib.cred_all_have(lib.spec.credentials, ["cloud_status", "role"])
}

ok contains sprintf("none of the %d credentials in spec.access_plan.credentials is a guest or service credential (role).", [count(lib.spec.access_plan.credentials)]) if {
	lib.is_plan
	count(_judged) == 0
	lib.cred_all_have(lib.spec.access_plan.credentials, ["role"])
}

# --- ProductSpec ---

required contains "spec.credentials_support.guest_expiry_supported" if lib.is_spec

violation contains {
	"msg": "spec.credentials_support.guest_expiry_supported is false: guest credentials cannot be made to expire.",
	"path": "spec.credentials_support.guest_expiry_supported",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.guest_expiry_supported == false
}

ok contains {
	"msg": "spec.credentials_support.guest_expiry_supported is true: guest credentials can carry an expiry.",
	"path": "spec.credentials_support.guest_expiry_supported",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.credentials_support.guest_expiry_supported == true
}
