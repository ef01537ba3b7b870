package lockcheck.evidence_test

import data.lockcheck.lib

# Presence: null and false are present values; an absent key, or an item that
# is not an object, is missing.

test_item_missing_presence if {
	items := {0: {"a": null, "b": false}, 1: {"a": 1}, 2: "not an object"}
	lib.item_missing("spec.list", items, ["a", "b"]) == {"spec.list[1].b", "spec.list[2].a", "spec.list[2].b"}
}

test_cred_all_have_presence if {
	lib.cred_all_have([{"a": null, "b": false}, {"a": 0, "b": ""}], ["a", "b"])
	not lib.cred_all_have([{"a": null}], ["a", "b"])
	not lib.cred_all_have(["not an object"], ["a"])
	lib.cred_all_have([], ["a"])
	not lib.cred_all_have({"a": 1}, ["a"])
}

test_missing_path_plain if {
	lib.missing_path("spec.a.b") == set() with input as {"document": {"spec": {"a": {"b": false}}}}
	lib.missing_path("spec.a.b") == set() with input as {"document": {"spec": {"a": {"b": null}}}}
	lib.missing_path("spec.a.b") == {"spec.a.b"} with input as {"document": {"spec": {"a": {}}}}
	lib.missing_path("spec.a.b") == {"spec.a.b"} with input as {"document": {"spec": {"a": "text"}}}
}

test_missing_path_list if {
	doc := {"spec": {"l": [{"f": null}, {}, "text"]}}
	lib.missing_path("spec.l[].f") == {"spec.l[1].f", "spec.l[2].f"} with input as {"document": doc}
	lib.missing_path("spec.l[].f") == set() with input as {"document": {"spec": {"l": []}}}
	lib.missing_path("spec.l[].f") == {"spec.l"} with input as {"document": {"spec": {}}}
	lib.missing_path("spec.l[].f") == {"spec.l"} with input as {"document": {"spec": {"l": "text"}}}
}

test_missing_path_linked if {
	lib.missing_path("plan:spec.x") == {"related.plan"} with input as {"document": {}, "related": {}}
	lib.missing_path("plan:spec.x") == {"plan:spec.x"} with input as {"document": {}, "related": {"plan": {"spec": {}}}}
	lib.missing_path("product:spec.x") == set() with input as {"document": {}, "related": {"product": {"spec": {"x": 1}}}}
}
