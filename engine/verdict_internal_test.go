package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ast.ParseModuleWithOpts("x.rego", tt.src, ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := conventionalParts(map[string]*ast.Module{"x.rego": m}, "data.lockcheck.controls.x.y")
			if ok != tt.wantO {
				t.Fatalf("recognised = %v, want %v", ok, tt.wantO)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(part{})); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
		})
	}
}
