package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockcheck/lockcheck/engine/evidencepath"
	"github.com/lockcheck/lockcheck/policies"
)

// The fast path: the finding decided in Go (buildFinding), not by the Rego
// finding rule. (Not to be confused with approve's decision or the HTML
// report's headline.)
//
// Every catalogue control ends in the same rule:
//
//	finding := lib.finding(rego.metadata.chain(), {"required": required, "missing": set(), ...})
//
// data.lockcheck.lib.finding (policies/lib/finding.rego) is the reference for
// how a control's parts become a finding: missing evidence, status precedence,
// severity, rationale and evidence. Evaluated in Rego it is most of the cost of
// a document (a few dozen rule and function evaluations per control, times 52
// controls). For a control written in exactly that form the engine instead asks
// OPA for the parts only and decides here, in Go, the same way. A control
// written any other way is evaluated through its finding rule as before.
// TestVerdictMatchesRego holds the two paths equal on every fixture and on a
// generated fleet; change both together.

// partNames are the keys of the object a control hands to lib.finding.
var partNames = []string{"required", "missing", "violation", "not_applicable", "ok", "warning"}

// part is one rule a control hands to lib.finding.
type part struct {
	name string
	// complete is a rule with one value (missing := ...), which may be
	// undefined; otherwise a multi-value rule (a set, always defined).
	complete bool
}

// conventionalParts reports, for a control whose finding rule has the
// catalogue's form, which parts are rules of its package (the others are
// set()). ok is false for any other form, which keeps the control on the
// reference path.
func conventionalParts(modules map[string]*ast.Module, pkg string) (parts []part, ok bool) {
	var finding []*ast.Rule
	var home *ast.Module // the module that holds finding
	rules := map[string][]*ast.Rule{}
	for _, m := range modules {
		if m.Package.Path.String() != pkg {
			continue
		}
		for _, r := range m.Rules {
			name := r.Head.Ref().String()
			rules[name] = append(rules[name], r)
			if name == "finding" {
				finding = append(finding, r)
				home = m
			}
		}
	}
	if len(finding) != 1 {
		return nil, false
	}
	libAlias := ""
	for _, imp := range home.Imports {
		if ref, isRef := imp.Path.Value.(ast.Ref); isRef && ref.String() == "data.lockcheck.lib" {
			libAlias = "lib"
			if imp.Alias != "" {
				libAlias = string(imp.Alias)
			}
		}
	}
	if libAlias == "" {
		return nil, false
	}
	r := finding[0]
	if r.Else != nil || !r.Body.Equal(ast.NewBody(ast.NewExpr(ast.BooleanTerm(true)))) || r.Head.Value == nil {
		return nil, false
	}
	call, isCall := r.Head.Value.Value.(ast.Call)
	if !isCall || len(call) != 3 || call[0].String() != libAlias+".finding" {
		return nil, false
	}
	if meta, isCall := call[1].Value.(ast.Call); !isCall || len(meta) != 1 || meta[0].String() != "rego.metadata.chain" {
		return nil, false
	}
	obj, isObj := call[2].Value.(ast.Object)
	if !isObj || obj.Len() != len(partNames) {
		return nil, false
	}
	for _, name := range partNames {
		v := obj.Get(ast.StringTerm(name))
		if v == nil {
			return nil, false
		}
		switch x := v.Value.(type) {
		case ast.Set:
			if x.Len() != 0 {
				return nil, false
			}
		case ast.Var:
			if string(x) != name || len(rules[name]) == 0 {
				return nil, false
			}
			kind := rules[name][0].Head.RuleKind()
			for _, pr := range rules[name] {
				if pr.Head.RuleKind() != kind || len(pr.Head.Ref()) != 1 || len(pr.Head.Args) != 0 {
					return nil, false
				}
			}
			// a one-value rule is read as a set only for missing (queried
			// with is_set); lib.finding reads the other parts with count and
			// iteration, which accept any collection, so those stay in Rego
			if kind == ast.SingleValue && name != "missing" {
				return nil, false
			}
			parts = append(parts, part{name: name, complete: kind == ast.SingleValue})
		default:
			return nil, false
		}
	}
	return parts, true
}

// sameLib reports whether a policy tree's data.lockcheck.lib modules are
// those of the embedded catalogue (compared as syntax trees), which the Go
// verdict implements.
func sameLib(modules map[string]*ast.Module) bool {
	var tree []*ast.Module
	for _, m := range modules {
		if m.Package.Path.String() == "data.lockcheck.lib" {
			tree = append(tree, m)
		}
	}
	var embedded []*ast.Module
	err := fs.WalkDir(policies.FS, "lib", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		b, err := fs.ReadFile(policies.FS, p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(b), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return err
		}
		embedded = append(embedded, m)
		return nil
	})
	if err != nil || len(tree) != len(embedded) {
		return false
	}
	used := make([]bool, len(tree))
	for _, want := range embedded {
		found := false
		for i, m := range tree {
			if !used[i] && m.Equal(want) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// severityRank orders severities as lib.finding does.
var severityRank = map[string]int{"low": 1, "medium": 2, "high": 3, "critical": 4}

// errVerdict marks parts lib.finding would fail on (a message that is not a
// string): its finding is then undefined, and the engine reports the control
// as having produced no finding, as it does on the Rego path.
var errVerdict = errors.New("control parts of an unexpected type")

// findingInput is what buildFinding reads of the evaluated documents.
type findingInput struct {
	document map[string]any
	plan     map[string]any // nil when not linked
	product  map[string]any // nil when not linked
}

// buildFinding builds the finding lib.finding would return for a control's parts
// (values as OPA returns them: sets as sorted arrays).
func buildFinding(c *Control, parts map[string]any, in findingInput) (map[string]any, error) {
	missing := map[string]bool{}
	for _, p := range asList(parts["required"]) {
		s, ok := p.(string)
		if !ok {
			return nil, errVerdict
		}
		for _, m := range missingPath(s, in) {
			missing[m] = true
		}
	}
	for _, m := range asList(parts["missing"]) {
		s, ok := m.(string)
		if !ok {
			return nil, errVerdict
		}
		missing[s] = true
	}
	missingList := sortedKeys(missing)
	violations := asList(parts["violation"])
	na := asList(parts["not_applicable"])
	oks := asList(parts["ok"])
	// lib.finding sorts warnings whatever their type; only strings survive
	// into a Finding
	var warnings []string
	for _, w := range asList(parts["warning"]) {
		if s, ok := w.(string); ok {
			warnings = append(warnings, s)
		}
	}

	var status Status
	switch {
	case len(violations) > 0:
		status = StatusFail
	case len(missingList) > 0:
		status = StatusInsufficientEvidence
	case len(na) > 0:
		status = StatusNotApplicable
	case len(oks) > 0:
		status = StatusPass
	default:
		status = StatusError
	}

	var rationale []string
	var evidenceFrom []any
	switch status {
	case StatusFail:
		msgs, err := messages(violations)
		if err != nil {
			return nil, err
		}
		rationale = msgs
		if len(missingList) > 0 {
			rationale = append(rationale, fmt.Sprintf("Also not evidenced: %s.", strings.Join(missingList, ", ")))
		}
		evidenceFrom = violations
	case StatusInsufficientEvidence:
		isAre := "are"
		if len(missingList) == 1 {
			isAre = "is"
		}
		msgs, err := messages(oks)
		if err != nil {
			return nil, err
		}
		rationale = append([]string{fmt.Sprintf("Not evidenced: %s %s absent, so the control cannot be shown to hold.", strings.Join(missingList, ", "), isAre)}, msgs...)
		evidenceFrom = oks
	case StatusNotApplicable:
		msgs, err := stringsOf(na)
		if err != nil {
			return nil, err
		}
		sort.Strings(msgs)
		rationale = msgs
		evidenceFrom = oks
	case StatusPass:
		msgs, err := messages(oks)
		if err != nil {
			return nil, err
		}
		rationale = msgs
		evidenceFrom = oks
	default:
		rationale = []string{"The control reached no conclusion: it saw no violation but could not state what it checked (a policy or parameter defect). It is not counted as passing."}
	}

	f := map[string]any{
		"control_id": c.ID,
		"status":     string(status),
		"severity":   string(c.Severity),
		"rationale":  strings.Join(rationale, " "),
		"evidence":   evidenceItems(evidenceFrom),
		"missing":    toAny(missingList),
		"warnings":   toAny(sorted(warnings)),
	}
	if status == StatusFail {
		if s := caseSeverity(violations); s != "" {
			f["severity"] = s
		}
	}
	return f, nil
}

// missingPath is evidence.rego's missing_path: the concrete missing paths for
// one evidence path ("spec.x", "spec.list[].f", "plan:spec.x").
func missingPath(p string, in findingInput) []string {
	root, rel, ok := evidencepath.Split(p)
	if !ok {
		return nil // unknown root or more than one colon: undefined in Rego
	}
	var doc map[string]any
	switch root {
	case "":
		return evidencepath.Missing(in.document, rel)
	case evidencepath.RootPlan:
		doc = in.plan
	case evidencepath.RootProduct:
		doc = in.product
	}
	if doc == nil {
		return []string{"related." + root}
	}
	ms := evidencepath.Missing(doc, rel)
	for i, m := range ms {
		ms[i] = root + ":" + m
	}
	return ms
}

// messages are the sorted, distinct messages of violations or oks: a string
// is its own message, an object carries it in msg.
func messages(xs []any) ([]string, error) {
	seen := map[string]bool{}
	for _, x := range xs {
		switch v := x.(type) {
		case string:
			seen[v] = true
		case map[string]any:
			msg, ok := v["msg"]
			if !ok {
				continue
			}
			s, ok := msg.(string)
			if !ok {
				return nil, errVerdict
			}
			seen[s] = true
		}
	}
	return sortedKeys(seen), nil
}

// caseSeverity is the highest severity carried by a violation, "" when none.
func caseSeverity(violations []any) string {
	best, rank := "", 0
	for _, x := range violations {
		v, _ := x.(map[string]any)
		s, _ := v["severity"].(string)
		if r := severityRank[s]; r > rank {
			best, rank = s, r
		}
	}
	return best
}

// evidenceItems are the {path, observed, expected} of the items that name a
// path, in Rego's sort order. (OPA hands a set back as an array, so two items
// whose observed values are sets of different contents may order differently
// than in Rego; no catalogue control puts a set there.)
func evidenceItems(xs []any) []any {
	type item struct {
		m map[string]any
		v ast.Value
	}
	var items []item
	for _, x := range xs {
		v, ok := x.(map[string]any)
		if !ok {
			continue
		}
		p, ok := v["path"]
		if !ok || p == false {
			continue
		}
		m := map[string]any{"path": p, "observed": v["observed"], "expected": v["expected"]}
		av, err := ast.InterfaceToValue(m)
		if err != nil {
			continue
		}
		items = append(items, item{m, av})
	}
	sort.SliceStable(items, func(i, j int) bool { return ast.Compare(items[i].v, items[j].v) < 0 })
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it.m
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func stringsOf(xs []any) ([]string, error) {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		s, ok := x.(string)
		if !ok {
			return nil, errVerdict
		}
		out = append(out, s)
	}
	return out, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	sort.Strings(s)
	return s
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
