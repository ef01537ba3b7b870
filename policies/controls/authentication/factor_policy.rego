# METADATA
# title: Factor requirements are defined for every security-relevant action
# description: |
#   A smart lock must say, for every security-relevant action, which
#   authentication factors it demands: a product that leaves an action
#   undefined leaves it to whatever the app happens to do. The product's
#   auth.factor_policy must have an entry for each of the seven actions
#   (unlock_local, unlock_remote, add_credential, change_admin,
#   change_settings, firmware_update, factory_reset); remote unlock, adding a
#   credential and changing the admin must need at least two factors (an
#   AAL2-like rule, policy threshold min_auth_factors_sensitive_actions); and a
#   factory reset must need physical presence at the lock.
# custom:
#   id: AUTH-001
#   area: authentication
#   severity: high
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.auth.factor_policy
#       - spec.auth.factor_policy[].action
#       - spec.auth.factor_policy[].min_factors
#       - spec.auth.factor_policy[].required_factors
#   params: [min_auth_factors_sensitive_actions]
#   remediation: |
#     Define a factor policy entry for each of the seven actions; require at
#     least two factors (e.g. the phone plus a PIN or biometric) for remote
#     unlock, adding a credential and changing the admin; require physical
#     presence at the lock (a button on the inside unit) for a factory reset.
#   references:
#     - {standard: NIST CSF 2.0, clause: PR.AA-03}
#     - {standard: ETSI EN 303 645, clause: "5.5-5"}
#     - {standard: NIST SP 800-63B-4, clause: AAL2 two-factor rule}
package lockcheck.controls.authentication.factor_policy

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_actions := {
	"unlock_local", "unlock_remote", "add_credential", "change_admin",
	"change_settings", "firmware_update", "factory_reset",
}

# actions that need more than one factor (AAL2-like)
_multi_factor_actions := {"unlock_remote", "add_credential", "change_admin"}

_policy := lib.spec.auth.factor_policy

required contains p if {
	lib.is_spec
	some p in ["spec.auth.factor_policy", "spec.auth.factor_policy[].action"]
}

# min_factors is read on the entries for the multi-factor actions,
# required_factors on the factory_reset entries.
missing contains p if {
	lib.is_spec
	some p in lib.item_missing("spec.auth.factor_policy", {i: e | some i, e in _policy; e.action in _multi_factor_actions}, ["min_factors"])
}

missing contains p if {
	lib.is_spec
	some p in lib.item_missing("spec.auth.factor_policy", {i: e | some i, e in _policy; e.action == "factory_reset"}, ["required_factors"])
}

_all_entries_have_action if {
	every e in _policy {
		lib.has(e, "action")
	}
}

_declared := {e.action | some e in _policy}

# an action with no entry, judged only when every entry names its action (an
# entry without one could be the missing action)
violation contains {
	"msg": sprintf("spec.auth.factor_policy has no entry for action %s: the factors it requires are not defined.", [a]),
	"path": "spec.auth.factor_policy[].action",
	"observed": sort(_declared),
	"expected": sort(_actions),
} if {
	lib.is_spec
	is_array(_policy)
	_all_entries_have_action
	some a in _actions
	not a in _declared
}

violation contains {
	"msg": sprintf("spec.auth.factor_policy[%d] (action %s) has min_factors %d; at least %d factors are required for this action.", [i, e.action, e.min_factors, lib.param("min_auth_factors_sensitive_actions")]),
	"path": sprintf("spec.auth.factor_policy[%d].min_factors", [i]),
	"observed": e.min_factors,
	"expected": sprintf(">= %d", [lib.param("min_auth_factors_sensitive_actions")]),
} if {
	lib.is_spec
	some i, e in _policy
	e.action in _multi_factor_actions
	e.min_factors < lib.param("min_auth_factors_sensitive_actions")
}

violation contains {
	"msg": sprintf("spec.auth.factor_policy[%d] (action factory_reset) requires %v, without physical_presence: a factory reset must need someone at the lock.", [i, e.required_factors]),
	"path": sprintf("spec.auth.factor_policy[%d].required_factors", [i]),
	"observed": e.required_factors,
	"expected": "includes physical_presence",
} if {
	lib.is_spec
	some i, e in _policy
	e.action == "factory_reset"
	is_array(e.required_factors)
	not "physical_presence" in e.required_factors
}

ok contains sprintf("spec.auth.factor_policy defines factors for all %d actions (%s).", [count(_actions), concat(", ", sort(_declared))]) if {
	lib.is_spec
	_all_entries_have_action
	count(_actions - _declared) == 0
}

ok contains {
	"msg": sprintf("spec.auth.factor_policy[%d] (action %s) requires min_factors %d.", [i, e.action, e.min_factors]),
	"path": sprintf("spec.auth.factor_policy[%d].min_factors", [i]),
	"observed": e.min_factors,
	"expected": sprintf(">= %d", [lib.param("min_auth_factors_sensitive_actions")]),
} if {
	lib.is_spec
	some i, e in _policy
	e.action in _multi_factor_actions
	e.min_factors >= lib.param("min_auth_factors_sensitive_actions")
}

ok contains {
	"msg": sprintf("spec.auth.factor_policy[%d] (action factory_reset) requires physical_presence.", [i]),
	"path": sprintf("spec.auth.factor_policy[%d].required_factors", [i]),
	"observed": e.required_factors,
	"expected": "includes physical_presence",
} if {
	lib.is_spec
	some i, e in _policy
	e.action == "factory_reset"
	"physical_presence" in e.required_factors
}
