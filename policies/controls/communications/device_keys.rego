# METADATA
# title: Per-device keys, no hard-coded secrets; secrets stored securely
# description: |
#   A key that is the same in every lock, or baked into the firmware or the
#   app, is a key to every door once one unit or one app download has been
#   taken apart. The product must use keys unique to each device, must not
#   ship hard-coded keys in its app or firmware, and must not keep credentials
#   in plaintext on the device.
# custom:
#   id: COMM-004
#   area: communications
#   severity: critical
#   applies_to: [ProductSpec]
#   evidence:
#     ProductSpec:
#       - spec.crypto.per_device_keys
#       - spec.crypto.hardcoded_keys_in_app_or_firmware
#       - spec.crypto.credentials_at_rest
#   remediation: |
#     Require the vendor to provision keys unique to each device (generated or
#     injected at manufacture, never derived from a shared master), to remove
#     every hard-coded key from the app and the firmware, and to store
#     credentials in a secure element, encrypted or hashed.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.4-1"}
#     - {standard: ETSI EN 303 645, clause: "5.4-3"}
#     - {standard: ETSI EN 303 645, clause: "5.4-4"}
#     - {standard: NIST CSF 2.0, clause: PR.DS-01}
#     - {standard: NIST IR 8425, clause: Data Protection}
#     - {standard: CVE, clause: CVE-2019-17098}
#     - {standard: CVE, clause: CVE-2018-20100}
#     - {standard: Sciener, clause: single AES key}
package lockcheck.controls.communications.device_keys

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_protected_at_rest := {"secure_element", "encrypted", "hashed"}

required contains p if {
	lib.is_spec
	some p in [
		"spec.crypto.per_device_keys",
		"spec.crypto.hardcoded_keys_in_app_or_firmware",
		"spec.crypto.credentials_at_rest",
	]
}

violation contains {
	"msg": "spec.crypto.per_device_keys is false: the same key is used on many locks, so one extracted key opens them all.",
	"path": "spec.crypto.per_device_keys",
	"observed": false,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.crypto.per_device_keys == false
}

violation contains {
	"msg": "spec.crypto.hardcoded_keys_in_app_or_firmware is true: a key baked into the app or firmware can be read by anyone who downloads it.",
	"path": "spec.crypto.hardcoded_keys_in_app_or_firmware",
	"observed": true,
	"expected": false,
} if {
	lib.is_spec
	lib.spec.crypto.hardcoded_keys_in_app_or_firmware == true
}

violation contains {
	"msg": sprintf("spec.crypto.credentials_at_rest is %q: credentials are stored readable on the device.", [v]),
	"path": "spec.crypto.credentials_at_rest",
	"observed": v,
	"expected": sort(_protected_at_rest),
} if {
	lib.is_spec
	v := lib.spec.crypto.credentials_at_rest
	not v in _protected_at_rest
}

ok contains {
	"msg": "spec.crypto.per_device_keys is true.",
	"path": "spec.crypto.per_device_keys",
	"observed": true,
	"expected": true,
} if {
	lib.is_spec
	lib.spec.crypto.per_device_keys == true
}

ok contains {
	"msg": "spec.crypto.hardcoded_keys_in_app_or_firmware is false.",
	"path": "spec.crypto.hardcoded_keys_in_app_or_firmware",
	"observed": false,
	"expected": false,
} if {
	lib.is_spec
	lib.spec.crypto.hardcoded_keys_in_app_or_firmware == false
}

ok contains {
	"msg": sprintf("spec.crypto.credentials_at_rest is %q.", [v]),
	"path": "spec.crypto.credentials_at_rest",
	"observed": v,
	"expected": sort(_protected_at_rest),
} if {
	lib.is_spec
	v := lib.spec.crypto.credentials_at_rest
	v in _protected_at_rest
}
