package lockcheck.lib

# Evidence paths.
#
# A path names a field relative to a document's envelope: "spec.firmware.secure_boot".
# "[]" steps into every item of a list: "spec.credentials[].role" needs the field
# on every credential (an empty list needs nothing). A prefix selects a linked
# document: "plan:spec.ownership.owner_of_record_id" reads input.related.plan,
# "product:..." reads input.related.product. A linked document that was not
# resolved is reported once as missing "related.plan" / "related.product".
#
# Absent means unknown. A present null on a nullable field means "positively
# none" and counts as present; the schemas refuse null elsewhere.

_absent := {"lockcheck:absent": true}

_roots := {"plan": "related.plan", "product": "related.product"}

# missing_path returns the set of concrete missing paths for one evidence path.
# It is on the hot path (every control, every document): one body runs per
# call (else chains), and the common case — a plain path in the document
# itself — costs one split and one object.get.
missing_path(p) := _missing_rel(input.document, p) if {
	not contains(p, ":")
} else := ms if {
	[root, rel] := split(p, ":")
	doc := _root_doc(root)
	ms := {concat("", [root, ":", m]) | some m in _missing_rel(doc, rel)}
} else := {_roots[root]} if {
	[root, _] := split(p, ":")
}

_root_doc("plan") := input.related.plan

_root_doc("product") := input.related.product

# A plain path: missing when absent. A path with one list step
# ("list.path[].item.path"): the list when it is absent, else each item that
# lacks the field.
_missing_rel(doc, rel) := set() if {
	not contains(rel, "[]")
	object.get(doc, split(rel, "."), _absent) != _absent
} else := {rel} if {
	not contains(rel, "[]")
} else := {sprintf("%s[%d].%s", [parts[0], i, parts[1]]) |
	some i, item in arr
	not _has_path(item, field) # an item that is not an object has no field either
} if {
	parts := split(rel, "[].")
	count(parts) == 2
	arr := object.get(doc, split(parts[0], "."), _absent)
	is_array(arr)
	field := split(parts[1], ".")
} else := {parts[0]} if {
	parts := split(rel, "[].")
	count(parts) == 2
}

_has_path(item, path) if object.get(item, path, _absent) != _absent

# has reports whether key is present in obj (null counts as present).
has(obj, key) if object.get(obj, key, _absent) != _absent

# item_missing returns "<list>[i].<field>" for each listed field absent from the
# items selected by the caller (pairs of index and item); an item that is not
# an object lacks every field. It runs per item and field on every document,
# so it tests presence inline (item[f] is defined for any present value, null
# and false included) rather than through has: a function call costs OPA
# several times the lookup.
item_missing(list_path, items, fields) := {sprintf("%s[%d].%s", [list_path, i, f]) |
	some i, item in items
	some f in fields
	not item[f] == item[f]
}
