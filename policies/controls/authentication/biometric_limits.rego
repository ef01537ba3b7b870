# METADATA
# title: Biometric unlock limited, with non-biometric alternative
# description: |
#   A fingerprint reader is a probabilistic matcher: it must be accurate
#   enough, stop after a few failed attempts, and never be the only way in.
#   Where the product supports biometric unlock (SP 800-63B-4 3.2.3): a
#   non-biometric alternative must exist; the false match rate must be 1 in
#   10 000 or better; at most 5 consecutive failures (10 with presentation
#   attack detection) before a delay of at least 30 s; and an overall failure
#   limit of at most 50 (100 with presentation attack detection). A product
#   that says biometric.supported is false is not applicable.
# custom:
#   id: AUTH-004
#   area: authentication
#   severity: medium
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.auth.biometric.supported
#       - spec.auth.biometric.non_biometric_alternative
#       - spec.auth.biometric.fmr
#       - spec.auth.biometric.pad_implemented
#       - spec.auth.biometric.max_consecutive_failures
#       - spec.auth.biometric.delay_after_limit_s
#       - spec.auth.biometric.overall_failure_limit
#   params:
#     - max_biometric_fmr
#     - max_biometric_consecutive_failures
#     - max_biometric_consecutive_failures_pad
#     - min_biometric_delay_s
#     - max_biometric_overall_failures
#     - max_biometric_overall_failures_pad
#   remediation: |
#     Keep a non-biometric way to unlock (PIN, key or phone); use a sensor
#     with a false match rate of 1:10 000 or better; stop after 5 consecutive
#     failed matches (10 with presentation attack detection), then wait at
#     least 30 s; disable biometric unlock after 50 failures in total (100
#     with presentation attack detection) until another factor is used.
#   references:
#     - {standard: NIST SP 800-63B-4, clause: "3.2.3"}
package lockcheck.controls.authentication.biometric_limits

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": not_applicable,
	"ok": ok,
	"warning": set(),
})

_bio := lib.spec.auth.biometric

_supported if {
	lib.is_spec
	_bio.supported == true
}

# A limit of 0 means "no limit".
_min_limit := 1

required contains "spec.auth.biometric.supported" if lib.is_spec

required contains sprintf("spec.auth.biometric.%s", [f]) if {
	_supported
	some f in [
		"non_biometric_alternative", "fmr", "pad_implemented", "max_consecutive_failures",
		"delay_after_limit_s", "overall_failure_limit",
	]
}

not_applicable contains "spec.auth.biometric.supported is false: the product has no biometric unlock." if {
	lib.is_spec
	_bio.supported == false
}

# the failure limits depend on presentation attack detection (PAD)
_pad_suffix := "_pad" if _bio.pad_implemented == true

_pad_suffix := "" if _bio.pad_implemented == false

_pad_text := "with" if _bio.pad_implemented == true

_pad_text := "without" if _bio.pad_implemented == false

_max_consecutive := lib.param(concat("", ["max_biometric_consecutive_failures", _pad_suffix]))

_max_overall := lib.param(concat("", ["max_biometric_overall_failures", _pad_suffix]))

violation contains {
	"msg": "spec.auth.biometric.non_biometric_alternative is false: a user whose fingerprint is not recognised has no other way in.",
	"path": "spec.auth.biometric.non_biometric_alternative",
	"observed": false,
	"expected": true,
} if {
	_supported
	_bio.non_biometric_alternative == false
}

ok contains {
	"msg": "spec.auth.biometric.non_biometric_alternative is true.",
	"path": "spec.auth.biometric.non_biometric_alternative",
	"observed": true,
	"expected": true,
} if {
	_supported
	_bio.non_biometric_alternative == true
}

violation contains {
	"msg": sprintf("spec.auth.biometric.fmr is %v: the false match rate must be %v or better.", [_bio.fmr, lib.param("max_biometric_fmr")]),
	"path": "spec.auth.biometric.fmr",
	"observed": _bio.fmr,
	"expected": sprintf("<= %v", [lib.param("max_biometric_fmr")]),
} if {
	_supported
	_bio.fmr > lib.param("max_biometric_fmr")
}

ok contains {
	"msg": sprintf("spec.auth.biometric.fmr is %v.", [_bio.fmr]),
	"path": "spec.auth.biometric.fmr",
	"observed": _bio.fmr,
	"expected": sprintf("<= %v", [lib.param("max_biometric_fmr")]),
} if {
	_supported
	_bio.fmr <= lib.param("max_biometric_fmr")
}

# the two failure limits: at least 1 (0 = unlimited), at most the threshold
_limits := {
	"max_consecutive_failures": {"max": _max_consecutive, "what": "consecutive failed matches"},
	"overall_failure_limit": {"max": _max_overall, "what": "failed matches in total"},
}

violation contains {
	"msg": sprintf("spec.auth.biometric.%s is %v: %s must be limited to between %d and %d %s presentation attack detection.", [field, n, l.what, _min_limit, l.max, _pad_text]),
	"path": sprintf("spec.auth.biometric.%s", [field]),
	"observed": n,
	"expected": sprintf("%d..%d", [_min_limit, l.max]),
} if {
	_supported
	some field, l in _limits
	n := _bio[field]
	_out_of_range(n, l.max)
}

_out_of_range(n, _) if n < _min_limit

_out_of_range(n, upper) if n > upper

ok contains {
	"msg": sprintf("spec.auth.biometric.%s is %d (at most %d %s presentation attack detection).", [field, n, l.max, _pad_text]),
	"path": sprintf("spec.auth.biometric.%s", [field]),
	"observed": n,
	"expected": sprintf("%d..%d", [_min_limit, l.max]),
} if {
	_supported
	some field, l in _limits
	n := _bio[field]
	n >= _min_limit
	n <= l.max
}

violation contains {
	"msg": sprintf("spec.auth.biometric.delay_after_limit_s is %d: the reader must wait at least %d s after the consecutive-failure limit.", [_bio.delay_after_limit_s, lib.param("min_biometric_delay_s")]),
	"path": "spec.auth.biometric.delay_after_limit_s",
	"observed": _bio.delay_after_limit_s,
	"expected": sprintf(">= %d", [lib.param("min_biometric_delay_s")]),
} if {
	_supported
	_bio.delay_after_limit_s < lib.param("min_biometric_delay_s")
}

ok contains {
	"msg": sprintf("spec.auth.biometric.delay_after_limit_s is %d.", [_bio.delay_after_limit_s]),
	"path": "spec.auth.biometric.delay_after_limit_s",
	"observed": _bio.delay_after_limit_s,
	"expected": sprintf(">= %d", [lib.param("min_biometric_delay_s")]),
} if {
	_supported
	_bio.delay_after_limit_s >= lib.param("min_biometric_delay_s")
}
