# METADATA
# title: Account recovery meets SP 800-63B-4
# description: |
#   Whoever can recover the owner's app account can open the door, so account
#   recovery is an authentication path of its own. The product must offer at
#   least one recovery method; saved recovery codes must carry at least 64
#   bits of randomness; issued recovery codes must expire within 10 minutes by
#   SMS or voice and within 24 hours by email; every recovery must notify the
#   owner; recovery attempts must be throttled; and recovery through a support
#   agent needs a documented risk analysis (SP 800-63B-4 4.2).
# custom:
#   id: AUTH-006
#   area: authentication
#   severity: high
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.recovery.methods
#       - spec.recovery.saved_code_entropy_bits
#       - spec.recovery.issued_code_validity_s.sms_voice
#       - spec.recovery.issued_code_validity_s.email
#       - spec.recovery.notifies_owner
#       - spec.recovery.throttled
#       - spec.recovery.agent_risk_analysis_documented
#   params: [min_recovery_code_entropy_bits, max_issued_code_validity_sms_voice_s, max_issued_code_validity_email_s]
#   remediation: |
#     Offer at least one SP 800-63B-4 recovery method; generate saved recovery
#     codes with at least 64 random bits; expire issued codes after 10 minutes
#     (SMS/voice) or 24 hours (email); notify the owner of every recovery;
#     throttle recovery attempts; document the risk analysis behind any
#     support-agent recovery.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "4.2"}
#     - {standard: NIST SP 800-63B-4, clause: "4.2.1.1"}
#     - {standard: NIST SP 800-63B-4, clause: "4.6"}
package lockcheck.controls.authentication.account_recovery

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_rec := lib.spec.recovery

required contains p if {
	lib.is_spec
	some p in [
		"spec.recovery.methods",
		"spec.recovery.issued_code_validity_s.sms_voice",
		"spec.recovery.issued_code_validity_s.email",
		"spec.recovery.notifies_owner",
		"spec.recovery.throttled",
	]
}

# read only for the methods that need them
required contains "spec.recovery.saved_code_entropy_bits" if {
	lib.is_spec
	"saved_code" in _rec.methods
}

required contains "spec.recovery.agent_risk_analysis_documented" if {
	lib.is_spec
	"support_agent" in _rec.methods
}

violation contains {
	"msg": "spec.recovery.methods is empty: the product offers no account recovery method.",
	"path": "spec.recovery.methods",
	"observed": [],
	"expected": "at least one method",
} if {
	lib.is_spec
	_rec.methods == []
}

ok contains {
	"msg": sprintf("spec.recovery.methods is %s.", [concat(", ", _rec.methods)]),
	"path": "spec.recovery.methods",
	"observed": _rec.methods,
	"expected": "at least one method",
} if {
	lib.is_spec
	count(_rec.methods) > 0
}

violation contains {
	"msg": sprintf("spec.recovery.saved_code_entropy_bits is %d: saved recovery codes need at least %d random bits.", [_rec.saved_code_entropy_bits, lib.param("min_recovery_code_entropy_bits")]),
	"path": "spec.recovery.saved_code_entropy_bits",
	"observed": _rec.saved_code_entropy_bits,
	"expected": sprintf(">= %d", [lib.param("min_recovery_code_entropy_bits")]),
} if {
	lib.is_spec
	"saved_code" in _rec.methods
	_rec.saved_code_entropy_bits < lib.param("min_recovery_code_entropy_bits")
}

ok contains {
	"msg": sprintf("spec.recovery.saved_code_entropy_bits is %d.", [_rec.saved_code_entropy_bits]),
	"path": "spec.recovery.saved_code_entropy_bits",
	"observed": _rec.saved_code_entropy_bits,
	"expected": sprintf(">= %d", [lib.param("min_recovery_code_entropy_bits")]),
} if {
	lib.is_spec
	"saved_code" in _rec.methods
	_rec.saved_code_entropy_bits >= lib.param("min_recovery_code_entropy_bits")
}

_validity := {
	"sms_voice": {"param": "max_issued_code_validity_sms_voice_s", "what": "by SMS or voice"},
	"email": {"param": "max_issued_code_validity_email_s", "what": "by email"},
}

violation contains {
	"msg": sprintf("spec.recovery.issued_code_validity_s.%s is %d s: recovery codes sent %s must expire within %d s.", [ch, v, d.what, lib.param(d.param)]),
	"path": sprintf("spec.recovery.issued_code_validity_s.%s", [ch]),
	"observed": v,
	"expected": sprintf("<= %d", [lib.param(d.param)]),
} if {
	lib.is_spec
	some ch, d in _validity
	v := _rec.issued_code_validity_s[ch]
	v > lib.param(d.param)
}

ok contains {
	"msg": sprintf("spec.recovery.issued_code_validity_s.%s is %d s.", [ch, v]),
	"path": sprintf("spec.recovery.issued_code_validity_s.%s", [ch]),
	"observed": v,
	"expected": sprintf("<= %d", [lib.param(d.param)]),
} if {
	lib.is_spec
	some ch, d in _validity
	v := _rec.issued_code_validity_s[ch]
	v <= lib.param(d.param)
}

_flags := {
	"notifies_owner": "the owner is not told that their account was recovered",
	"throttled": "recovery attempts are not throttled",
}

violation contains {
	"msg": sprintf("spec.recovery.%s is false: %s.", [flag, why]),
	"path": sprintf("spec.recovery.%s", [flag]),
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	some flag, why in _flags
	_rec[flag] == false
}

ok contains {
	"msg": sprintf("spec.recovery.%s is true.", [flag]),
	"path": sprintf("spec.recovery.%s", [flag]),
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	some flag, _ in _flags
	_rec[flag] == true
}

violation contains {
	"msg": "spec.recovery.methods includes support_agent but spec.recovery.agent_risk_analysis_documented is false: recovery through a support agent has no documented risk analysis.",
	"path": "spec.recovery.agent_risk_analysis_documented",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	"support_agent" in _rec.methods
	_rec.agent_risk_analysis_documented == false
}

ok contains {
	"msg": "spec.recovery.agent_risk_analysis_documented is true for support_agent recovery.",
	"path": "spec.recovery.agent_risk_analysis_documented",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	"support_agent" in _rec.methods
	_rec.agent_risk_analysis_documented == true
}
