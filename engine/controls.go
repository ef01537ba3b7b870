package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// controlsPrefix is the package prefix under which every control lives.
const controlsPrefix = "data.lockcheck.controls."

// readControls walks the compiler's annotation set for package-scoped
// METADATA blocks under data.lockcheck.controls and returns them by id.
func readControls(c *ast.Compiler) ([]*Control, error) {
	var out []*Control
	seen := map[string]string{}
	for _, ref := range c.GetAnnotationSet().Flatten() {
		a := ref.Annotations
		if a == nil || a.Scope != "package" {
			continue
		}
		pkg := ref.Path.String()
		if !strings.HasPrefix(pkg, controlsPrefix) {
			continue
		}
		file := ""
		if ref.Location != nil {
			file = ref.Location.File
		}
		ctl, err := controlFromAnnotations(pkg, file, a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		ctl.Params = mergeNames(ctl.Params, paramsReferenced(c, pkg))
		if prev, dup := seen[ctl.ID]; dup {
			return nil, fmt.Errorf("control id %s is defined twice (%s and %s)", ctl.ID, prev, file)
		}
		seen[ctl.ID] = file
		out = append(out, ctl)
	}
	sort.Slice(out, func(i, j int) bool { return controlLess(out[i].ID, out[j].ID) })
	return out, nil
}

func controlFromAnnotations(pkg, file string, a *ast.Annotations) (*Control, error) {
	cu := a.Custom
	ctl := &Control{
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Package:     pkg,
		File:        file,
	}
	var ok bool
	if ctl.ID, ok = cu["id"].(string); !ok || ctl.ID == "" {
		return nil, fmt.Errorf("%s: METADATA custom.id is missing", pkg)
	}
	if ctl.Area, ok = cu["area"].(string); !ok {
		return nil, fmt.Errorf("%s: METADATA custom.area is missing", ctl.ID)
	}
	sev, _ := cu["severity"].(string)
	if ctl.Severity, ok = ParseSeverity(sev); !ok {
		return nil, fmt.Errorf("%s: METADATA custom.severity %q is not critical, high, medium or low", ctl.ID, sev)
	}
	// a list, as lib.finding reads it (kind in applies_to): a single string
	// would leave the control without any finding
	if _, isList := cu["applies_to"].([]any); !isList {
		return nil, fmt.Errorf("%s: METADATA custom.applies_to must be a list of kinds, e.g. [LockSnapshot]", ctl.ID)
	}
	ctl.AppliesTo = stringList(cu["applies_to"])
	if len(ctl.AppliesTo) == 0 {
		return nil, fmt.Errorf("%s: METADATA custom.applies_to is empty", ctl.ID)
	}
	sort.Strings(ctl.AppliesTo)
	ctl.Remediation, _ = cu["remediation"].(string)
	ctl.Remediation = strings.TrimSpace(ctl.Remediation)
	ctl.Params = stringList(cu["params"])
	ctl.Evidence = map[string][]string{}
	if ev, ok := cu["evidence"].(map[string]any); ok {
		for k, v := range ev {
			ctl.Evidence[k] = stringList(v)
		}
	}
	if refs, ok := cu["references"].([]any); ok {
		for _, r := range refs {
			m, _ := r.(map[string]any)
			std, _ := m["standard"].(string)
			cl := fmt.Sprint(m["clause"])
			if std != "" {
				ctl.References = append(ctl.References, Reference{Standard: std, Clause: cl})
			}
		}
	}
	if len(ctl.References) == 0 {
		return nil, fmt.Errorf("%s: METADATA custom.references is empty", ctl.ID)
	}
	return ctl, nil
}

func stringList(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		return []string{x}
	}
	return nil
}

// paramsReferenced finds the thresholds a control's package reads, directly
// (data.params.X) or through lib.param("X"), so `explain` and the docs list
// the thresholds in force without relying on the METADATA being complete.
func paramsReferenced(c *ast.Compiler, pkg string) []string {
	var names []string
	paramFn := ast.MustParseRef("data.lockcheck.lib.param")
	paramsRoot := ast.MustParseRef("data.params")
	for _, m := range c.Modules {
		if m.Package.Path.String() != pkg {
			continue
		}
		ast.WalkTerms(m, func(t *ast.Term) bool {
			switch v := t.Value.(type) {
			case ast.Call:
				if len(v) > 1 {
					if op, ok := v[0].Value.(ast.Ref); ok && op.Equal(paramFn) {
						if s, ok := v[1].Value.(ast.String); ok {
							names = append(names, string(s))
						}
					}
				}
			case ast.Ref:
				if len(v) > 2 && v.HasPrefix(paramsRoot) {
					if s, ok := v[2].Value.(ast.String); ok {
						names = append(names, string(s))
					}
				}
			}
			return false
		})
	}
	return names
}

// mergeNames returns the sorted union of two name lists.
func mergeNames(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append(append([]string{}, a...), b...) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
