package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockcheck/lockcheck/engine/policy"
)

// controlsPrefix is the package prefix under which every control lives.
const controlsPrefix = policy.ControlsPrefix

// knownKinds are the document kinds a control can apply to.
var knownKinds = map[string]bool{"LockSnapshot": true, "ProductSpec": true, "InstallPlan": true, "Fleet": true}

// readControls walks the compiler's annotation set for package-scoped
// METADATA blocks under data.lockcheck.controls and returns them in catalogue
// order. A control of an added source is held to the whole contract, and
// every violation is reported (file and line) in one *policy.ContractError;
// in the base tree the first problem is the error.
func readControls(tree *policy.Compiled) ([]*Control, error) {
	c := tree.Compiler
	var out []*Control
	seen := map[string]string{}
	var vs []policy.Violation
	described := map[string]bool{}
	for _, ref := range c.GetAnnotationSet().Flatten() {
		a := ref.Annotations
		if a == nil || a.Scope != "package" {
			continue
		}
		pkg := ref.Path.String()
		if !strings.HasPrefix(pkg, controlsPrefix) {
			continue
		}
		file, line := "", 0
		if ref.Location != nil {
			file, line = ref.Location.File, ref.Location.Row
		}
		if a.Location != nil {
			line = a.Location.Row
		}
		src := tree.SourceOf(file)
		described[pkg] = true
		ctl, problems := controlFromAnnotations(pkg, file, a, src != nil)
		if src == nil && len(problems) > 0 {
			return nil, fmt.Errorf("read control metadata: %s: %s", file, problems[0])
		}
		for _, p := range problems {
			vs = append(vs, policy.Violation{File: file, Line: line, Msg: p})
		}
		if ctl == nil {
			continue
		}
		if src != nil {
			ctl.Source = src.Name
		}
		ctl.Params = mergeNames(ctl.Params, paramsReferenced(c, pkg))
		if prev, dup := seen[ctl.ID]; dup {
			if src == nil && tree.SourceOf(prev) == nil {
				return nil, fmt.Errorf("read control metadata: control id %s is defined twice (%s and %s)", ctl.ID, prev, file)
			}
			by := prev
			if tree.SourceOf(prev) == nil {
				by = "the built-in control in policies/" + strings.TrimPrefix(prev, "/")
			}
			vs = append(vs, policy.Violation{File: file, Line: line, Msg: fmt.Sprintf("control id %s is already used by %s", ctl.ID, by)})
			continue
		}
		seen[ctl.ID] = file
		out = append(out, ctl)
	}
	for name, m := range tree.Modules {
		if tree.SourceOf(name) == nil || strings.HasSuffix(name, "_test.rego") || !strings.HasPrefix(m.Package.Path.String(), controlsPrefix) {
			continue
		}
		if !described[m.Package.Path.String()] {
			line := 0
			if m.Package.Location != nil {
				line = m.Package.Location.Row
			}
			vs = append(vs, policy.Violation{File: name, Line: line, Msg: "no package METADATA block: a control declares its contract (custom: id, area, severity, applies_to, evidence, remediation, references) in a # METADATA comment above its package"})
		}
	}
	if len(vs) > 0 {
		return nil, &policy.ContractError{Violations: vs}
	}
	sort.Slice(out, func(i, j int) bool { return controlLess(out[i].ID, out[j].ID) })
	return out, nil
}

// controlFromAnnotations reads a control from its METADATA and lists what
// is missing or wrong; strict (an added control) also requires evidence and
// remediation and known kinds. The control is nil when it has no usable id.
func controlFromAnnotations(pkg, file string, a *ast.Annotations, strict bool) (*Control, []string) {
	cu := a.Custom
	ctl := &Control{
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Package:     pkg,
		File:        file,
	}
	var problems []string
	var ok bool
	if ctl.ID, ok = cu["id"].(string); !ok || ctl.ID == "" {
		return nil, []string{fmt.Sprintf("%s: METADATA custom.id is missing", pkg)}
	}
	if ctl.Area, ok = cu["area"].(string); !ok || ctl.Area == "" {
		problems = append(problems, fmt.Sprintf("%s: METADATA custom.area is missing", ctl.ID))
	}
	sev, _ := cu["severity"].(string)
	if ctl.Severity, ok = ParseSeverity(sev); !ok {
		problems = append(problems, fmt.Sprintf("%s: METADATA custom.severity %q is not critical, high, medium or low", ctl.ID, sev))
	}
	// a list, as lib.finding reads it (kind in applies_to): a single string
	// would leave the control without any finding
	switch _, isList := cu["applies_to"].([]any); {
	case cu["applies_to"] == nil:
		problems = append(problems, fmt.Sprintf("%s: METADATA custom.applies_to is missing: list the document kinds, e.g. [LockSnapshot]", ctl.ID))
	case !isList:
		problems = append(problems, fmt.Sprintf("%s: METADATA custom.applies_to must be a list of kinds, e.g. [LockSnapshot]", ctl.ID))
	default:
		ctl.AppliesTo = stringList(cu["applies_to"])
		if len(ctl.AppliesTo) == 0 {
			problems = append(problems, fmt.Sprintf("%s: METADATA custom.applies_to is empty", ctl.ID))
		}
		sort.Strings(ctl.AppliesTo)
	}
	if strict {
		for _, k := range ctl.AppliesTo {
			if !knownKinds[k] {
				problems = append(problems, fmt.Sprintf("%s: METADATA custom.applies_to names unknown kind %q (LockSnapshot, ProductSpec, InstallPlan)", ctl.ID, k))
			}
		}
	}
	ctl.Remediation, _ = cu["remediation"].(string)
	ctl.Remediation = strings.TrimSpace(ctl.Remediation)
	if strict && ctl.Remediation == "" {
		problems = append(problems, fmt.Sprintf("%s: METADATA custom.remediation is missing", ctl.ID))
	}
	ctl.Params = stringList(cu["params"])
	ctl.Aggregates = stringList(cu["aggregates"])
	ctl.Evidence = map[string][]string{}
	if ev, ok := cu["evidence"].(map[string]any); ok {
		for k, v := range ev {
			ctl.Evidence[k] = stringList(v)
		}
	}
	if strict {
		for _, k := range ctl.AppliesTo {
			if len(ctl.Evidence[k]) == 0 && k != "Fleet" {
				problems = append(problems, fmt.Sprintf("%s: METADATA custom.evidence.%s is missing: list the fields the control reads", ctl.ID, k))
			}
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
		problems = append(problems, fmt.Sprintf("%s: METADATA custom.references is empty", ctl.ID))
	}
	return ctl, problems
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
