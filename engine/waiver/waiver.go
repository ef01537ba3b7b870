// Package waiver applies accepted risks to findings. Waivers are Waiver
// documents (read with the document package and checked against its schema);
// the decisions — which waivers are refused, which finding a waiver covers,
// whether it has expired or expires soon — are made by the Rego package
// lockcheck.waivers in the policy tree, so they can be audited and tested
// like the controls. This package only feeds that policy and applies its
// answers.
//
// A Set is loaded and validated once per run; Apply is then called for each
// document on the scan's workers. Only documents with a failing finding reach
// the policy, and a run without waivers never builds a Set at all.
package waiver

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/policy"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// Waiver is one valid Waiver document.
type Waiver struct {
	Name          string
	Controls      []string
	Names         []string
	Labels        map[string]string
	Justification string
	ApprovedBy    string
	Ticket        string
	Expires       string
	// Doc is the document the waiver was read from.
	Doc *document.Document
}

// Options configure Load.
type Options struct {
	// Policies is the policy tree holding the lockcheck.waivers package; nil
	// means the embedded one.
	Policies fs.FS
}

// Set is the run's valid waivers with the prepared decision query. It is
// safe for concurrent use.
type Set struct {
	waivers []*Waiver
	byName  map[string]*Waiver
	term    *ast.Term // the waivers as policy input, converted once
	now     *ast.Term
	decide  rego.PreparedEvalQuery

	mu      sync.Mutex
	matched map[string]bool
}

// Engine is what loading waivers reads of the engine (an *engine.Engine
// satisfies it): the parameters, the run time and the catalogue.
type Engine interface {
	Params() map[string]any
	Now() time.Time
	Controls() []*finding.Control
	// Tree is the engine's compiled policy tree, which holds the waiver
	// policy: it is loaded and compiled once per run.
	Tree() *policy.Compiled
}

// Load reads the Waiver documents under paths (files or directories),
// validates each against the Waiver schema and the waiver policy, and
// returns the valid ones as a Set. Every refused waiver is an input error
// naming its file, document and field; the returned error is reserved for a
// broken policy tree.
func Load(ctx context.Context, eng Engine, v *document.Validator, paths []string, opts Options) (*Set, []*document.InputError, error) {
	docs, errs := read(v, paths)
	compiler, store, err := compile(eng, opts.Policies)
	if err != nil {
		return nil, nil, err
	}
	s := &Set{byName: map[string]*Waiver{}, matched: map[string]bool{}, now: ast.StringTerm(eng.Now().Format(time.RFC3339))}
	var cands []*Waiver
	for _, d := range docs {
		w := fromDoc(d)
		if prev, dup := s.byName[w.Name]; dup {
			errs = append(errs, &document.InputError{File: d.File, Index: d.Index, Path: "metadata.name", Pos: d.PosOf("metadata.name"),
				Msg: fmt.Sprintf("duplicate waiver name %q (already defined in %s)", w.Name, prev.Doc.Ref())})
			continue
		}
		s.byName[w.Name] = w
		cands = append(cands, w)
	}

	validate, err := prepare(ctx, compiler, store, "data.lockcheck.waivers.problems")
	if err != nil {
		return nil, nil, err
	}
	catalogue := map[string]any{}
	for _, c := range eng.Controls() {
		catalogue[c.ID] = string(c.Severity)
	}
	in, err := ast.InterfaceToValue(map[string]any{
		"run":       map[string]any{"now": eng.Now().Format(time.RFC3339)},
		"catalogue": catalogue,
		"waivers":   inputOf(cands),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("waivers: %w", err)
	}
	var problems []struct {
		Waiver int    `json:"waiver"`
		Path   string `json:"path"`
		Msg    string `json:"msg"`
	}
	if err := evalInto(ctx, validate, in, &problems); err != nil {
		return nil, nil, fmt.Errorf("validate waivers: %w", err)
	}
	refused := map[int]bool{}
	for _, p := range problems {
		if p.Waiver < 0 || p.Waiver >= len(cands) {
			continue
		}
		refused[p.Waiver] = true
		d := cands[p.Waiver].Doc
		errs = append(errs, &document.InputError{File: d.File, Index: d.Index, Path: p.Path, Pos: d.PosOf(p.Path), Msg: "waiver refused: " + p.Msg})
	}
	for i, w := range cands {
		if refused[i] {
			delete(s.byName, w.Name)
			continue
		}
		s.waivers = append(s.waivers, w)
	}
	sortErrors(errs)

	wv, err := ast.InterfaceToValue(inputOf(s.waivers))
	if err != nil {
		return nil, nil, fmt.Errorf("waivers: %w", err)
	}
	s.term = ast.NewTerm(wv)
	if s.decide, err = prepare(ctx, compiler, store, "data.lockcheck.waivers.result"); err != nil {
		return nil, nil, err
	}
	return s, errs, nil
}

// Len is the number of valid waivers.
func (s *Set) Len() int { return len(s.waivers) }

// Waivers returns the valid waivers in input order.
func (s *Set) Waivers() []*Waiver { return s.waivers }

// read decodes and schema-validates every document under paths, keeping the
// Waivers.
func read(v *document.Validator, paths []string) ([]*document.Document, []*document.InputError) {
	files, errs := document.Expand(paths)
	var docs []*document.Document
	for _, f := range files {
		document.DecodeFile(f, nil, func(d *document.Document, err *document.InputError) bool {
			if err != nil {
				errs = append(errs, err)
				return true
			}
			if d.Kind != document.KindWaiver {
				errs = append(errs, &document.InputError{File: d.File, Index: d.Index, Path: "kind", Pos: d.PosOf("kind"),
					Msg: fmt.Sprintf("--waivers reads Waiver documents, got kind %q", d.Kind)})
				return true
			}
			if verrs, _ := v.Validate(d); len(verrs) > 0 {
				errs = append(errs, verrs...)
				return true
			}
			docs = append(docs, d)
			return true
		})
	}
	return docs, errs
}

func fromDoc(d *document.Document) *Waiver {
	spec := d.Spec()
	w := &Waiver{Name: d.Name, Doc: d, Labels: map[string]string{}}
	w.Controls = strings1(spec["controls"])
	sel, _ := spec["selector"].(map[string]any)
	w.Names = strings1(sel["names"])
	if ls, ok := sel["labels"].(map[string]any); ok {
		for k, v := range ls {
			w.Labels[k], _ = v.(string)
		}
	}
	w.Justification, _ = spec["justification"].(string)
	w.ApprovedBy, _ = spec["approved_by"].(string)
	w.Ticket, _ = spec["ticket"].(string)
	w.Expires, _ = spec["expires"].(string)
	return w
}

func strings1(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// inputOf is the policy's view of the waivers.
func inputOf(ws []*Waiver) []any {
	out := make([]any, len(ws))
	for i, w := range ws {
		names := make([]any, len(w.Names))
		for j, n := range w.Names {
			names[j] = n
		}
		labels := map[string]any{}
		for k, v := range w.Labels {
			labels[k] = v
		}
		controls := make([]any, len(w.Controls))
		for j, c := range w.Controls {
			controls[j] = c
		}
		m := map[string]any{
			"name":          w.Name,
			"controls":      controls,
			"selector":      map[string]any{"names": names, "labels": labels},
			"justification": w.Justification,
			"approved_by":   w.ApprovedBy,
			"ticket":        w.Ticket,
			"expires":       w.Expires,
		}
		if g, ok := w.Doc.Spec()["generated_at"].(string); ok {
			m["generated_at"] = g
		}
		out[i] = m
	}
	return out
}

// decision is one answer of lockcheck.waivers.result.
type decision struct {
	Finding int      `json:"finding"`
	State   string   `json:"state"`
	Waiver  string   `json:"waiver"`
	Warning string   `json:"warning"`
	Notes   []string `json:"notes"`
}

// Apply decides the document's failing findings against the waivers: a
// covered finding becomes StatusWaived with Finding.Waiver set (it is still
// reported); one covered only by expired waivers keeps failing and its
// rationale says so; a waiver expiring soon adds a warning. Documents with
// no failing finding are not evaluated. A policy error is recorded as an
// input error on the result.
func (s *Set) Apply(ctx context.Context, r *scan.DocResult) {
	if s == nil || len(s.waivers) == 0 {
		return
	}
	var idx []int
	var fs []*ast.Term
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Status != finding.StatusFail && f.Status != finding.StatusInsufficientEvidence {
			continue
		}
		idx = append(idx, i)
		fs = append(fs, ast.ObjectTerm(
			ast.Item(ast.StringTerm("control_id"), ast.StringTerm(f.ControlID)),
			ast.Item(ast.StringTerm("severity"), ast.StringTerm(string(f.Severity))),
			ast.Item(ast.StringTerm("status"), ast.StringTerm(string(f.Status))),
		))
	}
	if len(idx) == 0 {
		return
	}
	labels := ast.NewObject()
	for k, v := range r.Labels {
		labels.Insert(ast.StringTerm(k), ast.StringTerm(v))
	}
	in := ast.NewObject(
		ast.Item(ast.StringTerm("run"), ast.ObjectTerm(ast.Item(ast.StringTerm("now"), s.now))),
		ast.Item(ast.StringTerm("document"), ast.ObjectTerm(
			ast.Item(ast.StringTerm("kind"), ast.StringTerm(r.Doc.Kind)),
			ast.Item(ast.StringTerm("name"), ast.StringTerm(r.Doc.Name)),
			ast.Item(ast.StringTerm("labels"), ast.NewTerm(labels)),
		)),
		ast.Item(ast.StringTerm("findings"), ast.ArrayTerm(fs...)),
		ast.Item(ast.StringTerm("waivers"), s.term),
	)
	var out struct {
		Decisions []decision `json:"decisions"`
		Matched   []string   `json:"matched"`
	}
	if err := evalInto(ctx, s.decide, in, &out); err != nil {
		r.Errors = append(r.Errors, &document.InputError{File: r.Doc.File, Index: r.Doc.Index, Msg: "applying waivers: " + err.Error()})
		return
	}
	if len(out.Matched) > 0 {
		s.mu.Lock()
		for _, n := range out.Matched {
			s.matched[n] = true
		}
		s.mu.Unlock()
	}
	for _, d := range out.Decisions {
		if d.Finding < 0 || d.Finding >= len(idx) {
			continue
		}
		f := &r.Findings[idx[d.Finding]]
		switch d.State {
		case "waived":
			w := s.byName[d.Waiver]
			if w == nil {
				continue
			}
			f.Waiver = &finding.Waiver{Name: w.Name, ApprovedBy: w.ApprovedBy, Reason: w.Justification, Ticket: w.Ticket, Expires: w.Expires, Original: f.Status}
			f.Status = finding.StatusWaived
			if d.Warning != "" {
				f.Warnings = append(f.Warnings, d.Warning)
			}
		case "expired":
			if len(d.Notes) > 0 {
				f.Rationale = strings.TrimRight(f.Rationale, " ") + " (" + strings.Join(d.Notes, "; ") + ")"
			}
		}
	}
}

// Unmatched returns a warning for each valid waiver that covered no failing
// finding in the run so far (call it when the run ends): the risk it accepts
// is gone, or its selector is wrong.
func (s *Set) Unmatched() []document.Warning {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []document.Warning
	for _, w := range s.waivers {
		if s.matched[w.Name] {
			continue
		}
		d := w.Doc
		out = append(out, document.Warning{File: d.File, Index: d.Index, Path: "spec.selector", Pos: d.PosOf("spec.selector"),
			Msg: fmt.Sprintf("waiver %s matched no failing finding in this run: remove it if the risk is gone, or fix its controls or selector (a stale waiver is a smell)", w.Name)})
	}
	return out
}

// compile returns the compiled tree holding the waiver policy and the data
// its queries read: the engine's own (loaded and compiled once per run), or,
// for a tree of one's own, that tree compiled by the same loader.
func compile(eng Engine, fsys fs.FS) (*policy.Compiled, map[string]any, error) {
	data := map[string]any{"params": eng.Params()}
	tree := eng.Tree()
	if fsys != nil {
		var err error
		if tree, err = policy.Compile(policy.Tree{FS: fsys, NoBuiltin: true}); err != nil {
			return nil, nil, fmt.Errorf("load waiver policy: %w", err)
		}
	}
	if len(tree.Compiler.GetRulesExact(ast.MustParseRef("data.lockcheck.waivers.result"))) == 0 {
		return nil, nil, fmt.Errorf("load waiver policy: the policy tree has no lockcheck.waivers package (waivers/)")
	}
	return tree, data, nil
}

func prepare(ctx context.Context, t *policy.Compiled, data map[string]any, query string) (rego.PreparedEvalQuery, error) {
	// OPA's prepare writes to the compiler, which the engines share
	t.PrepMu.Lock()
	defer t.PrepMu.Unlock()
	pq, err := rego.New(
		rego.Query(query),
		rego.Compiler(t.Compiler),
		rego.Store(inmem.NewFromObject(data)),
	).PrepareForEval(ctx)
	if err != nil {
		return rego.PreparedEvalQuery{}, fmt.Errorf("prepare %s: %w", query, err)
	}
	return pq, nil
}

// evalInto evaluates a prepared query and decodes its single value into out.
func evalInto(ctx context.Context, pq rego.PreparedEvalQuery, in ast.Value, out any) error {
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(in))
	if err != nil {
		return err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func sortErrors(errs []*document.InputError) {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Index != b.Index {
			return a.Index < b.Index
		}
		return a.Path < b.Path
	})
}
