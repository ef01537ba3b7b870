# Helpers for the controls' Rego tests: build the engine's input for one document.
package lockcheck.test

run := {"now": "2026-11-25T12:00:00Z"}

# doc builds an input for a document of the given kind with no linked documents.
doc(kind, spec) := {"document": {"apiVersion": "lockcheck.dev/v1alpha1", "kind": kind, "metadata": {"name": "doc-under-test"}, "spec": spec}, "related": {}, "run": run}

snapshot(spec) := doc("LockSnapshot", spec)

product(spec) := doc("ProductSpec", spec)

plan(spec) := doc("InstallPlan", spec)

# linked adds linked documents: related is {"plan": planSpec, "product": productSpec}
# (either may be left out).
linked(inp, related) := object.union(inp, {"related": {k: {"kind": _kinds[k], "metadata": {"name": concat("-", [k, "1"])}, "spec": s} | some k, s in related}})

_kinds := {"plan": "InstallPlan", "product": "ProductSpec"}

# at sets the run time.
at(inp, now) := object.union(inp, {"run": {"now": now}})
