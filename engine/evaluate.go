package engine

import (
	"context"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/lockcheck/lockcheck/engine/document"
)

// Evaluate runs every selected control that applies to the document's kind
// and returns one finding per control, in catalogue order (by area, then
// number, not by id as text). A control whose evaluation fails yields a
// finding with StatusError (never a pass); the returned error is reserved
// for a cancelled context.
func (e *Engine) Evaluate(ctx context.Context, doc *document.Document, rel Related) ([]Finding, error) {
	input, err := e.input(doc, rel)
	if err != nil {
		return e.allError(doc, err), nil
	}
	q, ok := e.byKind[doc.Kind]
	if !ok {
		q = e.query
	}
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return e.isolate(ctx, doc, input)
	}
	raw := map[string]map[string]any{}
	if len(rs) > 0 && len(rs[0].Expressions) > 0 {
		if list, ok := rs[0].Expressions[0].Value.([]any); ok {
			in := findingInput{document: doc.Raw}
			if rel.Plan != nil {
				in.plan = rel.Plan.Raw
			}
			if rel.Product != nil {
				in.product = rel.Product.Raw
			}
			for _, item := range list {
				m, ok := item.(map[string]any)
				if !ok {
					continue
				}
				if id, ok := m["control_id"].(string); ok { // a finding (reference path)
					raw[id] = m
					continue
				}
				id, _ := m["id"].(string)
				c := e.byID[id]
				if c == nil {
					continue
				}
				if fs, ok := m["findings"].([]any); ok { // a control outside the fast path
					if len(fs) > 0 {
						if f, ok := fs[0].(map[string]any); ok {
							raw[id] = f
						}
					}
					continue
				}
				if !unwrapComplete(m, e.parts[id]) {
					continue // a part is undefined: no finding, as in Rego
				}
				// parts lib.finding fails on leave it undefined: no finding
				if f, err := buildFinding(c, m, in); err == nil {
					raw[id] = f
				}
			}
		}
	}
	return e.assemble(doc, raw, nil), nil
}

// isolate re-evaluates each applicable control on its own, so that one
// control's runtime error marks that control only.
func (e *Engine) isolate(ctx context.Context, doc *document.Document, input ast.Value) ([]Finding, error) {
	raw := map[string]map[string]any{}
	errs := map[string]error{}
	for _, c := range e.selected {
		if !c.Applies(doc.Kind) {
			continue
		}
		pq, err := e.controlQuery(ctx, c)
		if err == nil {
			var rs rego.ResultSet
			rs, err = pq.Eval(ctx, rego.EvalParsedInput(input))
			if err == nil && len(rs) > 0 && len(rs[0].Expressions) > 0 {
				if m, ok := rs[0].Expressions[0].Value.(map[string]any); ok {
					raw[c.ID] = m
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			errs[c.ID] = err
		}
	}
	return e.assemble(doc, raw, errs), nil
}

func (e *Engine) controlQuery(ctx context.Context, c *Control) (*rego.PreparedEvalQuery, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if pq, ok := e.perCtl[c.ID]; ok {
		return pq, nil
	}
	pq, err := e.prepare(ctx, c.Package+".finding")
	if err != nil {
		return nil, err
	}
	e.perCtl[c.ID] = &pq
	return &pq, nil
}

func (e *Engine) allError(doc *document.Document, err error) []Finding {
	errs := map[string]error{}
	for _, c := range e.selected {
		errs[c.ID] = err
	}
	return e.assemble(doc, nil, errs)
}

// assemble joins the catalogue metadata to the raw findings and makes sure
// every applicable control has exactly one finding: a control that produced
// none is an error, never a silent pass.
func (e *Engine) assemble(doc *document.Document, raw map[string]map[string]any, errs map[string]error) []Finding {
	ref := RefOf(doc)
	prov := document.Provenance(doc.Raw)
	out := make([]Finding, 0, len(e.selected))
	for _, c := range e.selected {
		if !c.Applies(doc.Kind) {
			continue
		}
		f := Finding{
			ControlID:   c.ID,
			Title:       c.Title,
			Area:        c.Area,
			Severity:    c.Severity,
			Document:    ref,
			Remediation: c.Remediation,
			References:  c.References,
			Evidence:    []Evidence{},
			Missing:     []string{},
			Line:        doc.Pos.Line,
		}
		m, ok := raw[c.ID]
		switch {
		case errs[c.ID] != nil:
			f.Status = StatusError
			f.Rationale = fmt.Sprintf("The control could not be evaluated (%v); it is not counted as passing.", errs[c.ID])
		case !ok:
			f.Status = StatusError
			f.Rationale = "The control produced no finding for this document (a policy defect); it is not counted as passing."
		default:
			fillFinding(&f, m, doc, prov)
		}
		out = append(out, f)
	}
	return out
}

func fillFinding(f *Finding, m map[string]any, doc *document.Document, prov map[string]string) {
	st, _ := m["status"].(string)
	f.Status = Status(st)
	switch f.Status {
	case StatusPass, StatusFail, StatusNotApplicable, StatusInsufficientEvidence:
	default:
		f.Status = StatusError
	}
	if s, ok := m["severity"].(string); ok {
		if sev, ok := ParseSeverity(s); ok {
			f.Severity = sev
		}
	}
	f.Rationale, _ = m["rationale"].(string)
	f.Missing = stringList(m["missing"])
	if f.Missing == nil {
		f.Missing = []string{}
	}
	f.Warnings = stringList(m["warnings"])
	if ev, ok := m["evidence"].([]any); ok {
		for _, x := range ev {
			em, _ := x.(map[string]any)
			p, _ := em["path"].(string)
			e := Evidence{Path: p, Observed: em["observed"], Expected: em["expected"]}
			if p != "" {
				e.Line = doc.PosOf(p).Line
				e.Source = document.SourceOf(prov, p)
			}
			f.Evidence = append(f.Evidence, e)
		}
	}
	switch {
	case len(f.Evidence) > 0 && f.Evidence[0].Line > 0:
		f.Line = f.Evidence[0].Line
	case len(f.Missing) > 0:
		if l := doc.PosOf(f.Missing[0]).Line; l > 0 {
			f.Line = l
		}
	}
}

// input builds the query input {document, related, run} as an OPA value,
// converting each document once; linked documents are converted once per run.
func (e *Engine) input(doc *document.Document, rel Related) (ast.Value, error) {
	dv, err := ast.InterfaceToValue(doc.Raw)
	if err != nil {
		return nil, fmt.Errorf("convert %s: %w", doc.Ref(), err)
	}
	related := ast.NewObject()
	for _, l := range []struct {
		key string
		doc *document.Document
	}{{"plan", rel.Plan}, {"product", rel.Product}} {
		if l.doc == nil {
			continue
		}
		v, err := e.linkedValue(l.doc)
		if err != nil {
			return nil, err
		}
		related.Insert(ast.StringTerm(l.key), ast.NewTerm(v))
	}
	run := ast.NewObject(ast.Item(ast.StringTerm("now"), e.nowValue))
	return ast.NewObject(
		ast.Item(ast.StringTerm("document"), ast.NewTerm(dv)),
		ast.Item(ast.StringTerm("related"), ast.NewTerm(related)),
		ast.Item(ast.StringTerm("run"), ast.NewTerm(run)),
	), nil
}

func (e *Engine) linkedValue(d *document.Document) (ast.Value, error) {
	if v, ok := e.linkCache.Load(d); ok {
		return v.(ast.Value), nil
	}
	v, err := ast.InterfaceToValue(d.Raw)
	if err != nil {
		return nil, fmt.Errorf("convert %s: %w", d.Ref(), err)
	}
	e.linkCache.Store(d, v)
	return v, nil
}

// SortFindings orders findings by document (file, index) then control id.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Document, fs[j].Document
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Index != b.Index {
			return a.Index < b.Index
		}
		return controlLess(fs[i].ControlID, fs[j].ControlID)
	})
}

// unwrapComplete replaces each one-value part, queried as a list of at most
// one value, by its value; false when one is undefined.
func unwrapComplete(m map[string]any, parts []part) bool {
	for _, p := range parts {
		if !p.complete {
			continue
		}
		l, _ := m[p.name].([]any)
		if len(l) == 0 {
			return false
		}
		m[p.name] = l[0]
	}
	return true
}
