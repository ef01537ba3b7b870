package engine

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

func TestConventionalParts(t *testing.T) {
	const head = "package lockcheck.controls.x.y\n\nimport data.lockcheck.lib\n\n"
	const std = `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`
	tests := []struct {
		name  string
		src   string
		want  []part
		wantO bool
	}{
		{"standard form", head + std, []part{{name: "required"}, {name: "violation"}, {name: "ok"}}, true},
		{"one-value missing", head + `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": missing, "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
missing := {"spec.b"} if input.z
violation contains "v" if input.x
ok contains "o" if input.y
`, []part{{name: "required"}, {name: "missing", complete: true}, {name: "violation"}, {name: "ok"}}, true},
		{"aliased import", "package lockcheck.controls.x.y\n\nimport data.lockcheck.lib as l\n\n" + `finding := l.finding(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`, []part{{name: "required"}, {name: "violation"}, {name: "ok"}}, true},
		{"an expression as a part", head + `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation | {"w"}, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`, nil, false},
		{"a part named differently", head + `finding := lib.finding(rego.metadata.chain(), {"required": needed, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
needed contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`, nil, false},
		{"a condition on finding", head + `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()}) if input.kind
required contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`, nil, false},
		{"a non-empty set literal", head + `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": {"spec.z"}, "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`, nil, false},
		{"a part that is a function", head + `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation(x) := x
ok contains "o" if input.y
`, nil, false},
		{"another function builds the finding", head + `finding := lib.other(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation contains "v" if input.x
ok contains "o" if input.y
`, nil, false},
		{"no finding rule", head + "required contains \"spec.a\"\n", nil, false},
		{"a one-value part other than missing", head + `finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": set(), "violation": violation, "not_applicable": set(), "ok": ok, "warning": set()})
required contains "spec.a"
violation := {"v"} if input.x
ok contains "o" if input.y
`, nil, false},
		{"another package imported as lib", "package lockcheck.controls.x.y\n\nimport data.other.lib\n\n" + std, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ast.ParseModuleWithOpts("x.rego", tt.src, ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatal(err)
			}
			// a second module of the same package, importing something
			// else under the alias lib: only the finding's module counts
			other, err := ast.ParseModuleWithOpts("z.rego", "package lockcheck.controls.x.y\n\nimport data.elsewhere as lib\n\nhelper := 1\n", ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := conventionalParts(map[string]*ast.Module{"x.rego": m, "z.rego": other}, "data.lockcheck.controls.x.y")
			if ok != tt.wantO {
				t.Fatalf("recognised = %v, want %v", ok, tt.wantO)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(part{})); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerdictEdgeCases compares verdict with data.lockcheck.lib.finding on
// hand-made parts that the catalogue's fixtures do not reach: objects
// without msg, several case severities, evidence ordering across value
// types, list paths over absent and non-list values, unresolved links.
func TestVerdictEdgeCases(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	c := &Control{ID: "X-001", Severity: SeverityHigh, AppliesTo: []string{"LockSnapshot"}}
	doc := map[string]any{
		"kind": "LockSnapshot",
		"spec": map[string]any{
			"a":     map[string]any{"b": nil, "f": false},
			"list":  []any{map[string]any{"x": 1}, map[string]any{"y": 2}, "not an object"},
			"notal": "text",
			"empty": []any{},
		},
	}
	plan := map[string]any{"kind": "InstallPlan", "spec": map[string]any{"site": map[string]any{"id": "s"}}}
	required := []any{"spec.a.b", "spec.a.f", "spec.a.c", "spec.list[].x", "spec.notal[].x", "spec.absent[].x", "spec.empty[].x",
		"spec.two[].a[].b", "plan:spec.site.id", "plan:spec.site.tz", "product:spec.x", "other:spec.x", "a:b:c"}
	tests := []struct {
		name   string
		parts  map[string]any
		linked bool
	}{
		{"missing evidence, linked plan", map[string]any{"required": required, "ok": []any{"seen"}}, true},
		{"missing evidence, no links", map[string]any{"required": required, "ok": []any{"seen"}}, false},
		{"fail with case severities and missing", map[string]any{
			"required": []any{"spec.zz"},
			"violation": []any{
				"a plain string",
				map[string]any{"msg": "medium one", "path": "spec.a", "observed": 3, "expected": "x", "severity": "medium"},
				map[string]any{"msg": "critical one", "path": "spec.b", "observed": "s", "severity": "critical"},
				map[string]any{"msg": "unranked", "path": false, "severity": "extreme"},
				map[string]any{"path": "spec.c", "observed": nil},
			},
		}, true},
		{"fail without a case severity", map[string]any{"violation": []any{map[string]any{"msg": "m", "severity": "bogus"}}}, true},
		{"evidence order across types", map[string]any{"ok": []any{
			map[string]any{"msg": "b", "path": "spec.b", "observed": true},
			map[string]any{"msg": "a", "path": "spec.a", "observed": 10},
			map[string]any{"msg": "c", "path": "spec.a", "observed": "10"},
			map[string]any{"msg": "d", "path": "spec.a", "observed": []any{1, 2}},
			map[string]any{"msg": "e", "path": "spec.a", "expected": map[string]any{"k": 1}},
			"z plain",
		}}, true},
		{"not applicable", map[string]any{"not_applicable": []any{"b reason", "a reason"}, "ok": []any{"seen"}}, true},
		{"nothing stated", map[string]any{}, true},
		{"warnings", map[string]any{"ok": []any{"seen"}, "warning": []any{"w2", "w1"}}, true},
		{"one missing field", map[string]any{"required": []any{"spec.nope"}, "ok": []any{"x"}}, true},
	}
	pq, err := rego.New(
		rego.Query(`p := {k: s | some k, v in input.r; s := {e | some e in v}}; x := data.lockcheck.lib.finding(input.meta, p)`),
		rego.Compiler(e.compiler), rego.Store(inmem.NewFromObject(e.store.data)),
	).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	meta := []any{map[string]any{"annotations": map[string]any{"custom": map[string]any{
		"id": c.ID, "severity": string(c.Severity), "applies_to": []any{"LockSnapshot"},
	}}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := map[string]any{}
			for _, n := range partNames {
				r[n] = []any{}
				if v, ok := tt.parts[n]; ok {
					r[n] = v
				}
			}
			related := map[string]any{}
			vin := findingInput{document: doc}
			if tt.linked {
				related["plan"] = plan
				vin.plan = plan
			}
			in := map[string]any{"document": doc, "related": related, "run": map[string]any{"now": "2026-11-25T12:00:00Z"}, "meta": meta, "r": r}
			rs, err := pq.Eval(ctx, rego.EvalInput(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 1 {
				t.Fatalf("lib.finding is undefined for these parts (%d results)", len(rs))
			}
			want := rs[0].Bindings["x"]
			parts, _ := rs[0].Bindings["p"].(map[string]any)
			if testing.Verbose() {
				t.Logf("%v", want)
			}
			got, err := buildFinding(c, parts, vin)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("verdict differs from lib.finding (-rego +go):\n%s", diff)
			}
		})
	}
}
