package engine_test

import (
	"bytes"
	"context"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
	"github.com/lockcheck/lockcheck/engine/policy"
	"github.com/lockcheck/lockcheck/policies"
)

// customControl is a METADATA block and package head for a test control.
func customControl(id, slug, body string) string {
	return `# METADATA
# title: Test control ` + id + `
# description: A control of a custom policy tree.
# custom:
#   id: ` + id + `
#   area: updates
#   severity: high
#   applies_to: [LockSnapshot]
#   evidence:
#     LockSnapshot: [spec.firmware.signature_verification]
#   remediation: Fix it.
#   references:
#     - {standard: ETSI EN 303 645, clause: "5.3-1"}
package lockcheck.controls.updates.` + slug + `

import data.lockcheck.lib

` + body
}

// TestCustomPolicyTree: in a policy tree of one's own, controls written in
// the catalogue's form are decided in Go and the others through lib.finding,
// with the same findings either way, and a control whose finding is
// undefined or whose evaluation fails is an error, never a pass.
func TestCustomPolicyTree(t *testing.T) {
	t.Parallel()
	tree := fstest.MapFS{}
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if p == "params.json" || strings.HasPrefix(p, "lib/") {
			b, err := fs.ReadFile(policies.FS, p)
			tree[p] = &fstest.MapFile{Data: b}
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	add := func(slug, src string) { tree["controls/updates/"+slug+".rego"] = &fstest.MapFile{Data: []byte(src)} }
	// finding is the catalogue's finding rule with the given missing and
	// violation parts
	finding := func(missing, violation string) string {
		return `finding := lib.finding(rego.metadata.chain(), {
	"required": required,
	"missing": ` + missing + `,
	"violation": ` + violation + `,
	"not_applicable": set(),
	"ok": ok,
	"warning": set(),
})
`
	}
	const parts = `
required contains "spec.firmware.signature_verification" if lib.is_snapshot

violation contains "signature verification is off" if lib.spec.firmware.signature_verification == "off"

ok contains sprintf("signature_verification is %q", [lib.spec.firmware.signature_verification]) if {
	lib.spec.firmware.signature_verification != "off"
}
`
	add("standard", customControl("UPD-901", "standard", finding("set()", "violation")+parts))
	add("other_form", customControl("UPD-902", "other_form", finding("set()", `violation | {"always an extra violation"}`)+parts))
	add("undefined_missing", customControl("UPD-903", "undefined_missing", finding("missing", "violation")+`
missing := {"spec.x"} if input.document.spec.nothing_here
`+parts))
	add("runtime_error", customControl("UPD-904", "runtime_error", finding("set()", "violation")+`
required contains "spec.firmware.signature_verification" if lib.is_snapshot

violation contains "never" if false

# two values for one key of a complete rule: a conflict at evaluation time
ok contains x if x := _conflict

_conflict := "a" if lib.is_snapshot

_conflict := "b" if lib.is_snapshot
`))

	add("not_an_object", customControl("UPD-905", "not_an_object", `finding := "a string, not a finding"
`))

	ctx := context.Background()
	fast, err := engine.New(ctx, engine.Options{Policies: tree, Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := engine.NewReference(ctx, engine.Options{Policies: tree, Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	ids := fast.FastControls()
	sort.Strings(ids)
	if diff := cmp.Diff([]string{"UPD-901", "UPD-903", "UPD-904"}, ids); diff != "" {
		t.Errorf("controls on the fast path (-want +got):\n%s", diff)
	}
	doc := &document.Document{File: "t.yaml", Index: 1, Kind: "LockSnapshot", Name: "t", Raw: map[string]any{
		"kind": "LockSnapshot", "metadata": map[string]any{"name": "t"},
		"spec": map[string]any{"firmware": map[string]any{"signature_verification": "enforced"}},
	}}
	want := map[string]engine.Status{"UPD-901": engine.StatusPass, "UPD-902": engine.StatusFail, "UPD-903": engine.StatusError, "UPD-904": engine.StatusError, "UPD-905": engine.StatusError}
	for name, eng := range map[string]*engine.Engine{"fast": fast, "reference": ref} {
		findings, err := eng.Evaluate(ctx, doc, engine.Related{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]engine.Status{}
		for _, f := range findings {
			got[f.ControlID] = f.Status
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: statuses (-want +got):\n%s", name, diff)
		}
	}
	a, _ := fast.Evaluate(ctx, doc, engine.Related{})
	b, _ := ref.Evaluate(ctx, doc, engine.Related{})
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("fast path differs from lib.finding (-rego +go):\n%s", diff)
	}

	// A tree whose lib decides differently: the Go verdict, which implements
	// the embedded lib, steps aside and the tree's lib.finding decides.
	own := fstest.MapFS{}
	for k, v := range tree {
		own[k] = v
	}
	lib, err := fs.ReadFile(tree, "lib/finding.rego")
	if err != nil {
		t.Fatal(err)
	}
	own["lib/finding.rego"] = &fstest.MapFile{Data: []byte(strings.Replace(string(lib), `else := "pass" if count(oks) > 0`, `else := "not_applicable" if count(oks) > 0`, 1))}
	if bytes.Equal(own["lib/finding.rego"].Data, lib) {
		t.Fatal("the lib edit did not apply")
	}
	mod, err := engine.New(ctx, engine.Options{Policies: own, Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	if ids := mod.FastControls(); len(ids) != 0 {
		t.Errorf("with a lib of its own, controls still decided in Go: %v", ids)
	}
	got, err := mod.Evaluate(ctx, doc, engine.Related{})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].ControlID != "UPD-901" || got[0].Status != engine.StatusNotApplicable {
		t.Errorf("with the tree's lib, UPD-901 = %s %s, want not_applicable", got[0].ControlID, got[0].Status)
	}

	// applies_to must be a list, as lib.finding reads it
	bad := fstest.MapFS{}
	for k, v := range tree {
		bad[k] = v
	}
	bad["controls/updates/standard.rego"] = &fstest.MapFile{Data: []byte(strings.Replace(string(tree["controls/updates/standard.rego"].Data), "applies_to: [LockSnapshot]", "applies_to: LockSnapshot", 1))}
	if _, err := engine.New(ctx, engine.Options{Policies: bad, Now: fixtureNow}); err == nil || !strings.Contains(err.Error(), "UPD-901: METADATA custom.applies_to must be a list") {
		t.Errorf("applies_to as a string: error %v", err)
	}
}

// TestPolicySourceFastPath: controls added with --policy in the catalogue's
// form are decided in Go, with the findings lib.finding gives, on every
// fixture.
func TestPolicySourceFastPath(t *testing.T) {
	t.Parallel()
	src, err := policy.Load("../fixtures/custom-policy", policy.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opts := engine.Options{Sources: []*policy.Source{src}, NoBuiltin: true, Now: fixtureNow}
	fast, err := engine.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := engine.NewReference(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	ids := fast.FastControls()
	sort.Strings(ids)
	if diff := cmp.Diff([]string{"ACME-001", "ACME-002"}, ids); diff != "" {
		t.Errorf("custom controls on the fast path (-want +got):\n%s", diff)
	}
	docs, links := fixturetest.Load(t)
	n := 0
	for _, d := range docs {
		rel, _ := links.Resolve(d)
		a, err := fast.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ref.Evaluate(ctx, d, rel)
		if err != nil {
			t.Fatal(err)
		}
		n += len(a)
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("%s: fast path differs from lib.finding (-rego +go):\n%s", d.Name, diff)
		}
	}
	if n == 0 {
		t.Error("no custom findings on the fixtures")
	}
}
