# METADATA
# title: Device uniquely identified; model designation recorded and matches plan
# description: |
#   Every lock must be identifiable: a deployed lock reports its serial
#   number and model, and they match what the installation plan foresaw for
#   its door (the planned model, and the serial number where the plan names
#   one). A product must make its model designation recognisable on a label or
#   through an interface, and a plan must plan the model the product sheet
#   describes. A lock that is not the planned one may not have been assessed.
# custom:
#   id: ENR-007
#   area: enrollment
#   severity: low
#   applies_to: [LockSnapshot, ProductSpec, InstallPlan]
#   evidence:
#     LockSnapshot:
#       - spec.device.serial_number
#       - spec.device.model
#       - spec.device.door_id
#       - plan:spec.devices[].door_id
#       - plan:spec.devices[].planned_model
#       - plan:spec.devices[].serial_number
#     ProductSpec:
#       - spec.product.model_label_location
#     InstallPlan:
#       - spec.devices[].planned_model
#       - product:spec.product.model
#   remediation: |
#     Snapshot: record the lock's serial number and model, and install the
#     model (and unit) the plan foresaw for the door, or correct the plan.
#     Product: show the model designation on a device label or through a
#     physical interface. Plan: plan the model the product sheet describes.
#   references:
#     - {standard: NIST IR 8259A, clause: Device Identification}
#     - {standard: NIST IR 8425, clause: Asset Identification}
#     - {standard: ETSI EN 303 645, clause: "5.3-16"}
#     - {standard: NIST CSF 2.0, clause: ID.AM-01}
package lockcheck.controls.enrollment.device_identity

import data.lockcheck.lib

finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": missing,
	"violation": violation,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})

# --- LockSnapshot ---

required contains p if {
	lib.is_snapshot
	some p in [
		"spec.device.serial_number",
		"spec.device.model",
		"spec.device.door_id",
		"plan:spec.devices[].door_id",
	]
}

_door := lib.spec.device.door_id if lib.is_snapshot

# the plan's entries for this lock's door
_planned[i] := d if {
	some i, d in lib.plan.devices
	d.door_id == _door
}

missing := lib.item_missing("plan:spec.devices", _planned, ["planned_model", "serial_number"])

violation contains {
	"msg": sprintf("spec.device.%s is empty: the lock is not uniquely identified.", [field]),
	"path": sprintf("spec.device.%s", [field]),
	"observed": v,
	"expected": "a non-empty value",
} if {
	lib.is_snapshot
	some field in ["serial_number", "model"]
	v := lib.spec.device[field]
	trim_space(v) == ""
}

# every plan entry names its door and none is this lock's door
violation contains {
	"msg": sprintf("spec.device.door_id is %q but none of the %d devices in the plan (plan:spec.devices[].door_id) is for that door: this lock was not planned.", [_door, count(devices)]),
	"path": "spec.device.door_id",
	"observed": _door,
	"expected": sort({d.door_id | some d in devices}),
} if {
	lib.is_snapshot
	devices := lib.plan.devices
	every d in devices {
		is_string(d.door_id)
	}
	count(_planned) == 0
}

violation contains {
	"msg": sprintf("spec.device.model is %q but the plan foresaw model %q for door %s (plan:spec.devices[%d].planned_model).", [model, d.planned_model, _door, i]),
	"path": "spec.device.model",
	"observed": model,
	"expected": d.planned_model,
} if {
	model := lib.spec.device.model
	some i, d in _planned
	model != d.planned_model
}

violation contains {
	"msg": sprintf("spec.device.serial_number is %q but the plan names serial %q for door %s (plan:spec.devices[%d].serial_number): another unit was installed.", [serial, d.serial_number, _door, i]),
	"path": "spec.device.serial_number",
	"observed": serial,
	"expected": d.serial_number,
} if {
	serial := lib.spec.device.serial_number
	some i, d in _planned
	is_string(d.serial_number)
	serial != d.serial_number
}

ok contains sprintf("the lock reports serial %q and model %q%s.", [serial, model, _revision]) if {
	lib.is_snapshot
	serial := lib.spec.device.serial_number
	model := lib.spec.device.model
	trim_space(serial) != ""
	trim_space(model) != ""
}

# context only: shown when present, never required
_revision := sprintf(" (hardware revision %q)", [lib.spec.device.hardware_revision]) if {
	is_string(lib.spec.device.hardware_revision)
} else := ""

ok contains {
	"msg": sprintf("spec.device.model %q is the model the plan foresaw for door %s (plan:spec.devices[%d].planned_model).", [model, _door, i]),
	"path": "spec.device.model",
	"observed": model,
	"expected": d.planned_model,
} if {
	model := lib.spec.device.model
	some i, d in _planned
	model == d.planned_model
}

ok contains {
	"msg": sprintf("spec.device.serial_number %q is the serial the plan names for door %s.", [serial, _door]),
	"path": "spec.device.serial_number",
	"observed": serial,
	"expected": serial,
} if {
	serial := lib.spec.device.serial_number
	some d in _planned
	serial == d.serial_number
}

ok contains sprintf("the plan names no serial number for door %s (plan:spec.devices[%d].serial_number is null).", [_door, i]) if {
	some i, d in _planned
	d.serial_number == null
}

# --- ProductSpec ---

_label_locations := {"device_label", "physical_interface"}

required contains "spec.product.model_label_location" if lib.is_spec

violation contains {
	"msg": sprintf("spec.product.model_label_location is %q: the model designation cannot be recognised on the device.", [loc]),
	"path": "spec.product.model_label_location",
	"observed": loc,
	"expected": sort(_label_locations),
} if {
	lib.is_spec
	loc := lib.spec.product.model_label_location
	not loc in _label_locations
}

ok contains {
	"msg": sprintf("spec.product.model_label_location is %q: the model designation%s is recognisable on the device.", [loc, _product_model]),
	"path": "spec.product.model_label_location",
	"observed": loc,
	"expected": sort(_label_locations),
} if {
	lib.is_spec
	loc := lib.spec.product.model_label_location
	loc in _label_locations
}

# context only: shown when present, never required
_product_model := sprintf(" %q", [lib.spec.product.model]) if {
	is_string(lib.spec.product.model)
} else := ""

# --- InstallPlan ---

required contains p if {
	lib.is_plan
	some p in ["spec.devices[].planned_model", "product:spec.product.model"]
}

_device_name(i, d) := sprintf("door %s", [d.door_id]) if {
	is_string(d.door_id)
} else := sprintf("spec.devices[%d]", [i])

violation contains {
	"msg": sprintf("%s plans model %q (spec.devices[%d].planned_model) but the linked product is model %q (product:spec.product.model).", [_device_name(i, d), d.planned_model, i, model]),
	"path": sprintf("spec.devices[%d].planned_model", [i]),
	"observed": d.planned_model,
	"expected": model,
} if {
	lib.is_plan
	model := lib.product.product.model
	some i, d in lib.spec.devices
	d.planned_model != model
}

ok contains {
	"msg": sprintf("all %d spec.devices[].planned_model are %q, the linked product's model (product:spec.product.model).", [count(devices), model]),
	"path": "spec.devices[].planned_model",
	"observed": model,
	"expected": model,
} if {
	lib.is_plan
	model := lib.product.product.model
	devices := lib.spec.devices
	every d in devices {
		d.planned_model == model
	}
}
