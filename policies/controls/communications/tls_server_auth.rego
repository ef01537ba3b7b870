# METADATA
# title: "Server authentication: TLS certificate validation, minimum version"
# description: |
#   The lock (or its bridge) talks to the vendor cloud over TLS. Without
#   certificate validation anyone on the path can pose as the cloud and send
#   commands or read credentials; old TLS versions and downgrade let an
#   attacker weaken the channel. The lock must validate the server
#   certificate, require at least the minimum TLS version (policy, default
#   1.2, compared as version numbers) and refuse downgrade. A product spec is
#   judged on what it declares, a snapshot on what was observed.
# custom:
#   id: COMM-003
#   area: communications
#   severity: high
#   applies_to: [ProductSpec, LockSnapshot]
#   evidence:
#     ProductSpec:
#       - spec.cloud.tls_certificate_validation
#       - spec.cloud.tls_min_version
#       - spec.cloud.downgrade_allowed
#     LockSnapshot:
#       - spec.cloud.tls_certificate_validation
#       - spec.cloud.tls_min_version
#       - spec.cloud.downgrade_allowed
#   params: [min_tls_version]
#   remediation: |
#     Enable server certificate validation (pinning where the platform allows),
#     raise the minimum TLS version to at least the policy minimum (1.2, better
#     1.3) and refuse protocol downgrade. For a product, require firmware and
#     bridge software that cannot be configured otherwise.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.5-1"}
#     - {standard: NIST CSF 2.0, clause: PR.DS-02}
#     - {standard: CVE, clause: CVE-2022-32509}
package lockcheck.controls.communications.tls_server_auth

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": set(),
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

_applies if lib.is_snapshot

_applies if lib.is_spec

# _version turns "1.2" into [1, 2] so versions compare as numbers ("1.10" > "1.2").
_version(v) := [to_number(p) | some p in split(sprintf("%v", [v]), ".")]

_min := sprintf("%v", [lib.param("min_tls_version")])

_version_ok(v) if _version(v) >= _version(_min)

required contains p if {
	_applies
	some p in [
		"spec.cloud.tls_certificate_validation",
		"spec.cloud.tls_min_version",
		"spec.cloud.downgrade_allowed",
	]
}

violation contains {
	"msg": "spec.cloud.tls_certificate_validation is false: the lock does not check the server certificate, so anyone on the network path can pose as the cloud.",
	"path": "spec.cloud.tls_certificate_validation",
	"observed": false,
	"expected": true,
} if {
	_applies
	lib.spec.cloud.tls_certificate_validation == false
}

violation contains {
	"msg": sprintf("spec.cloud.tls_min_version is %q: below the minimum TLS version %s.", [sprintf("%v", [v]), _min]),
	"path": "spec.cloud.tls_min_version",
	"observed": v,
	"expected": sprintf(">= %s", [_min]),
} if {
	_applies
	v := lib.spec.cloud.tls_min_version
	not _version_ok(v)
}

violation contains {
	"msg": "spec.cloud.downgrade_allowed is true: an attacker can force the connection down to a weaker protocol.",
	"path": "spec.cloud.downgrade_allowed",
	"observed": true,
	"expected": false,
} if {
	_applies
	lib.spec.cloud.downgrade_allowed == true
}

ok contains {
	"msg": "spec.cloud.tls_certificate_validation is true.",
	"path": "spec.cloud.tls_certificate_validation",
	"observed": true,
	"expected": true,
} if {
	_applies
	lib.spec.cloud.tls_certificate_validation == true
}

ok contains {
	"msg": sprintf("spec.cloud.tls_min_version is %q (minimum %s).", [sprintf("%v", [v]), _min]),
	"path": "spec.cloud.tls_min_version",
	"observed": v,
	"expected": sprintf(">= %s", [_min]),
} if {
	_applies
	v := lib.spec.cloud.tls_min_version
	_version_ok(v)
}

ok contains {
	"msg": "spec.cloud.downgrade_allowed is false.",
	"path": "spec.cloud.downgrade_allowed",
	"observed": false,
	"expected": false,
} if {
	_applies
	lib.spec.cloud.downgrade_allowed == false
}
