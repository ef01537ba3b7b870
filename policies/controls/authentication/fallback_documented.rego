# METADATA
# title: Documented fallback/recovery for each failure scenario
# description: |
#   When the phone is lost, the battery is flat, the cloud or the network is
#   down, the account is locked out, the lock is reset or replaced, somebody
#   must know how to get in and put things right. A product must document a
#   fallback method for each of the seven scenarios (phone_lost,
#   battery_depleted, factory_reset, account_locked_out, device_replaced,
#   cloud_outage, network_outage); an installation plan must map each
#   scenario to a procedure (procedure_ref) and a responsible role.
# custom:
#   id: AUTH-005
#   area: authentication
#   severity: high
#   applies_to: [ProductSpec, InstallPlan]
#   evidence:
#     ProductSpec:
#       - spec.auth.fallback
#       - spec.auth.fallback[].scenario
#       - spec.auth.fallback[].documented
#     InstallPlan:
#       - spec.fallback_plan
#       - spec.fallback_plan.phone_lost.procedure_ref
#       - spec.fallback_plan.phone_lost.responsible_role
#       - spec.fallback_plan.battery_depleted.procedure_ref
#       - spec.fallback_plan.battery_depleted.responsible_role
#       - spec.fallback_plan.factory_reset.procedure_ref
#       - spec.fallback_plan.factory_reset.responsible_role
#       - spec.fallback_plan.account_locked_out.procedure_ref
#       - spec.fallback_plan.account_locked_out.responsible_role
#       - spec.fallback_plan.device_replaced.procedure_ref
#       - spec.fallback_plan.device_replaced.responsible_role
#       - spec.fallback_plan.cloud_outage.procedure_ref
#       - spec.fallback_plan.cloud_outage.responsible_role
#       - spec.fallback_plan.network_outage.procedure_ref
#       - spec.fallback_plan.network_outage.responsible_role
#   remediation: |
#     Product: publish a documented fallback method for every one of the seven
#     failure scenarios. Plan: for each scenario, name the site procedure
#     (procedure_ref) and the role responsible for carrying it out.
#   references:
#     - {standard: NIST IR 8259B, clause: Documentation}
#     - {standard: ETSI EN 303 645, clause: "5.9-2"}
#     - {standard: NIST CSF 2.0, clause: PR.IR-03}
package lockcheck.controls.authentication.fallback_documented

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_scenarios := {
	"phone_lost", "battery_depleted", "factory_reset", "account_locked_out",
	"device_replaced", "cloud_outage", "network_outage",
}

# --- ProductSpec ---

_fallback := lib.spec.auth.fallback

required contains p if {
	lib.is_spec
	some p in ["spec.auth.fallback", "spec.auth.fallback[].scenario", "spec.auth.fallback[].documented"]
}

_all_have_scenario if {
	every e in _fallback {
		lib.has(e, "scenario")
	}
}

_covered := {e.scenario | some e in _fallback; e.documented == true}

_listed := {e.scenario | some e in _fallback}

# a scenario with no entry, judged only when every entry names its scenario
violation contains {
	"msg": sprintf("spec.auth.fallback has no entry for scenario %s: nothing tells the user how to get in or recover.", [s]),
	"path": "spec.auth.fallback[].scenario",
	"observed": sort(_listed),
	"expected": sort(_scenarios),
} if {
	lib.is_spec
	is_array(_fallback)
	_all_have_scenario
	some s in _scenarios
	not s in _listed
}

violation contains {
	"msg": sprintf("spec.auth.fallback[%d] (scenario %s) has documented: false: the fallback method is not documented.", [i, e.scenario]),
	"path": sprintf("spec.auth.fallback[%d].documented", [i]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some i, e in _fallback
	e.documented == false
}

ok contains {
	"msg": sprintf("spec.auth.fallback[%d] (scenario %s) is documented.", [i, e.scenario]),
	"path": sprintf("spec.auth.fallback[%d].documented", [i]),
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	some i, e in _fallback
	e.documented == true
}

ok contains sprintf("spec.auth.fallback documents all %d scenarios.", [count(_scenarios)]) if {
	lib.is_spec
	count(_scenarios - _covered) == 0
}

# --- InstallPlan ---

_plan_map := lib.spec.fallback_plan

_plan_fields := ["procedure_ref", "responsible_role"]

required contains "spec.fallback_plan" if lib.is_plan

# the fields are read on the scenarios the plan maps
missing contains sprintf("spec.fallback_plan.%s.%s", [s, f]) if {
	lib.is_plan
	some s, entry in _plan_map
	s in _scenarios
	some f in _plan_fields
	not lib.has(entry, f)
}

# a scenario the plan does not map is unknown, not shown to be unplanned
# (catalogue §1.1, 2026-12-04): missing evidence
missing contains sprintf("spec.fallback_plan.%s", [s]) if {
	lib.is_plan
	is_object(_plan_map)
	some s in _scenarios
	not lib.has(_plan_map, s)
}

violation contains {
	"msg": sprintf("spec.fallback_plan.%s.%s is empty: the scenario has no %s.", [s, f, what]),
	"path": sprintf("spec.fallback_plan.%s.%s", [s, f]),
	"observed": v,
	"expected": "non-empty",
} if {
	lib.is_plan
	some s, entry in _plan_map
	s in _scenarios
	some f, what in {"procedure_ref": "procedure", "responsible_role": "responsible role"}
	v := entry[f]
	_empty(v)
}

_empty(v) if v == null

_empty(v) if trim_space(v) == ""

ok contains {
	"msg": sprintf("spec.fallback_plan.%s has procedure %q, responsible role %s.", [s, entry.procedure_ref, entry.responsible_role]),
	"path": sprintf("spec.fallback_plan.%s", [s]),
	"observed": entry,
	"expected": "{procedure_ref, responsible_role}",
} if {
	lib.is_plan
	some s, entry in _plan_map
	s in _scenarios
	trim_space(entry.procedure_ref) != ""
	trim_space(entry.responsible_role) != ""
}
