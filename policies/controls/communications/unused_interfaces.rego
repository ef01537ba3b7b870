# METADATA
# title: Unused interfaces disabled; debug interface locked
# description: |
#   Every radio, port or API that is switched on is a way in. A deployed lock
#   may have enabled only the interface types its installation plan requires,
#   and its hardware debug interface (JTAG/SWD/UART) must be disabled, by fuse
#   or in software. A debug state reported as "unknown" is not evidence. A
#   product spec, which has no plan to compare with, is judged on its debug
#   interface; an installation plan is judged on whether the product it names
#   offers every interface type the plan requires.
# custom:
#   id: COMM-007
#   area: communications
#   severity: high
#   applies_to: [LockSnapshot, ProductSpec, InstallPlan]
#   evidence:
#     LockSnapshot:
#       - spec.interfaces[].type
#       - spec.interfaces[].enabled
#       - plan:spec.requirements.interfaces_required
#       - spec.hardware.debug_interface_state
#     ProductSpec:
#       - spec.hardware.debug_interface_state
#     InstallPlan:
#       - spec.requirements.interfaces_required
#       - product:spec.interfaces[].type
#   remediation: |
#     Snapshot: disable every interface the installation plan does not require
#     (or add it to the plan's requirements.interfaces_required if it is
#     needed) and disable the debug interface. Product: require a debug
#     interface disabled by fuse or in software in production units. Plan:
#     choose a product that offers every interface the plan requires, or
#     revise the requirements.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.6-1"}
#     - {standard: ETSI EN 303 645, clause: "5.6-3"}
#     - {standard: ETSI EN 303 645, clause: "5.6-4"}
#     - {standard: NIST IR 8259A, clause: Logical Access to Interfaces}
#     - {standard: CVE, clause: CVE-2022-32503}
#     - {standard: CVE, clause: CVE-2022-32506}
package lockcheck.controls.communications.unused_interfaces

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": warning,
})

# --- debug interface (LockSnapshot, ProductSpec) ---

_device if lib.is_snapshot

_device if lib.is_spec

_debug_disabled := {"disabled_fused", "disabled_software"}

_debug_path := "spec.hardware.debug_interface_state"

required contains _debug_path if _device

# "unknown" is not evidence of either state (catalogue: unknown = insufficient_evidence)
missing contains _debug_path if {
	_device
	lib.spec.hardware.debug_interface_state == "unknown"
}

warning contains "spec.hardware.debug_interface_state is \"unknown\": the debug interface state was not established, so it counts as not evidenced." if {
	_device
	lib.spec.hardware.debug_interface_state == "unknown"
}

# shown in the insufficient_evidence rationale: what was seen
ok contains "spec.hardware.debug_interface_state was reported as \"unknown\"." if {
	_device
	lib.spec.hardware.debug_interface_state == "unknown"
}

violation contains {
	"msg": "spec.hardware.debug_interface_state is \"enabled\": the hardware debug interface (JTAG/SWD/UART) is open, so anyone with the unit in hand can read keys or reflash it.",
	"path": _debug_path,
	"observed": "enabled",
	"expected": sort(_debug_disabled),
} if {
	_device
	lib.spec.hardware.debug_interface_state == "enabled"
}

ok contains {
	"msg": sprintf("spec.hardware.debug_interface_state is %q.", [s]),
	"path": _debug_path,
	"observed": s,
	"expected": sort(_debug_disabled),
} if {
	_device
	s := lib.spec.hardware.debug_interface_state
	s in _debug_disabled
}

# --- enabled interfaces against the plan (LockSnapshot) ---

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.interfaces[].type",
		"spec.interfaces[].enabled",
		"plan:spec.requirements.interfaces_required",
	]
}

violation contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) is enabled but the installation plan does not require it (plan requirements.interfaces_required: %s).", [t, i, _list(required_types)]),
	"path": sprintf("spec.interfaces[%d].enabled", [i]),
	"observed": true,
	"expected": false,
} if {
	lib.is_snapshot
	required_types := lib.plan.requirements.interfaces_required
	some i, itf in lib.spec.interfaces
	itf.enabled == true
	t := itf.type
	not t in required_types
}

ok contains {
	"msg": sprintf("interface %s (spec.interfaces[%d]) is enabled and required by the installation plan.", [t, i]),
	"path": sprintf("spec.interfaces[%d].enabled", [i]),
	"observed": true,
	"expected": true,
} if {
	lib.is_snapshot
	required_types := lib.plan.requirements.interfaces_required
	some i, itf in lib.spec.interfaces
	itf.enabled == true
	t := itf.type
	t in required_types
}

ok contains sprintf("interface %s (spec.interfaces[%d]) is disabled (enabled: false).", [itf.type, i]) if {
	lib.is_snapshot
	some i, itf in lib.spec.interfaces
	itf.enabled == false
}

_list(types) := "none" if count(types) == 0

_list(types) := concat(", ", sort(types)) if count(types) > 0

# --- required interfaces against the product (InstallPlan) ---

required contains p if {
	lib.is_plan
	some p in ["spec.requirements.interfaces_required", "product:spec.interfaces[].type"]
}

_product_name := object.get(input, ["related", "product", "metadata", "name"], "the linked product")

# a declared interface is offered unless it says enabled: false
_offered contains itf.type if {
	lib.is_plan
	some itf in lib.product.interfaces
	not _declared_disabled(itf)
}

_declared_disabled(itf) if itf.enabled == false

violation contains {
	"msg": sprintf("spec.requirements.interfaces_required lists %s, but product %s does not offer it (product:spec.interfaces offers: %s).", [t, _product_name, _list(_offered)]),
	"path": sprintf("spec.requirements.interfaces_required[%d]", [i]),
	"observed": t,
	"expected": sort(_offered),
} if {
	lib.is_plan
	_product_types_known
	some i, t in lib.spec.requirements.interfaces_required
	not t in _offered
}

# a required type is shown missing only when every product interface names its type
_product_types_known if {
	is_array(lib.product.interfaces)
	every itf in lib.product.interfaces {
		lib.has(itf, "type")
	}
}

ok contains {
	"msg": sprintf("required interface %s is offered by product %s.", [t, _product_name]),
	"path": sprintf("spec.requirements.interfaces_required[%d]", [i]),
	"observed": t,
	"expected": sort(_offered),
} if {
	lib.is_plan
	some i, t in lib.spec.requirements.interfaces_required
	t in _offered
}

ok contains "spec.requirements.interfaces_required is empty: the plan requires no interface." if {
	lib.is_plan
	count(lib.spec.requirements.interfaces_required) == 0
}
