// Package engine evaluates lockcheck documents against the Rego control
// catalogue. It is the embeddable API: New compiles a policy tree once and
// prepares one query per document kind (over the controls that apply to it);
// Evaluate runs the document's query once and returns every applicable
// control's finding, with the catalogue's metadata joined in.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/lockcheck/lockcheck/policies"
)

// Options configure an Engine.
type Options struct {
	// Policies is the policy tree; nil means the embedded catalogue.
	Policies fs.FS
	// Params override the tree's default parameters (data.params) by name.
	Params map[string]any
	// Now is the run time; zero means the clock.
	Now time.Time
	// Controls, Areas and Skip select controls by id and by area; empty
	// Controls and Areas select all.
	Controls, Areas, Skip []string
}

// Engine holds the compiled catalogue and the prepared query. It is safe for
// concurrent use by several goroutines.
type Engine struct {
	tree   *tree
	store  *storeData
	query  rego.PreparedEvalQuery
	byKind map[string]rego.PreparedEvalQuery // the applicable controls only
	// parts holds, for each control written in the catalogue's form, the
	// parts its finding is decided from in Go (verdict.go); a control not in
	// it is evaluated through its finding rule.
	parts map[string][]part
	// reference keeps every control on its Rego finding rule (tests).
	reference bool
	all       []*Control
	selected  []*Control
	byID      map[string]*Control
	now       time.Time
	nowValue  *ast.Term
	params    map[string]any
	digest    string
	version   string

	mu        sync.Mutex
	perCtl    map[string]*rego.PreparedEvalQuery
	linkCache sync.Map // *document.Document -> ast.Value
}

type storeData struct {
	data map[string]any
}

// tree is a loaded and compiled policy tree: everything New does that
// depends on the tree alone, not on the options, and nearly all of New's
// cost (about a second of CPU for the embedded catalogue).
type tree struct {
	documents map[string]any // data files (params.json, ...)
	modules   map[string]*ast.Module
	digest    string
	compiler  *ast.Compiler
	all       []*Control
	// prepMu serialises query preparation against the shared compiler
	// (OPA's prepare sets the compiler's path-conflict check).
	prepMu sync.Mutex
}

// embeddedTree is the embedded catalogue, loaded and compiled once per
// process: it cannot change while the process runs, and a process that
// builds several engines (the waivers beside the scan, a test binary) pays
// for the compile once.
var embeddedTree struct {
	once sync.Once
	t    *tree
	err  error
}

func loadEmbedded() (*tree, error) {
	embeddedTree.once.Do(func() {
		embeddedTree.t, embeddedTree.err = loadTree(policies.FS)
		if embeddedTree.err == nil {
			// The embedded tree is the repository's policies/ folder: name
			// files as a reader of the repository finds them.
			for _, c := range embeddedTree.t.all {
				c.File = "policies/" + strings.TrimPrefix(c.File, "/")
			}
		}
	})
	return embeddedTree.t, embeddedTree.err
}

// loadTree loads (tests excluded) and compiles a policy tree and reads its
// controls' metadata.
func loadTree(fsys fs.FS) (*tree, error) {
	res, err := loader.NewFileLoader().
		WithFS(fsys).
		WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		Filtered([]string{"."}, func(_ string, info fs.FileInfo, _ int) bool {
			return !info.IsDir() && strings.HasSuffix(info.Name(), "_test.rego")
		})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	digest, err := treeDigest(fsys, res)
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithEnablePrintStatements(false)
	compiler.Compile(res.ParsedModules())
	if compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", compiler.Errors)
	}
	all, err := readControls(compiler)
	if err != nil {
		return nil, fmt.Errorf("read control metadata: %w", err)
	}
	return &tree{documents: res.Documents, modules: res.ParsedModules(), digest: digest, compiler: compiler, all: all}, nil
}

// New loads and compiles the policy tree and prepares the evaluation query.
// The embedded catalogue is compiled once per process and shared.
func New(ctx context.Context, opts Options) (*Engine, error) {
	var t *tree
	var err error
	if opts.Policies == nil {
		t, err = loadEmbedded()
	} else {
		t, err = loadTree(opts.Policies)
	}
	if err != nil {
		return nil, err
	}
	// each engine has its own copy of the controls: a caller may keep or
	// change what it gets from Controls without reaching other engines
	all := make([]*Control, len(t.all))
	for i, c := range t.all {
		cp := *c
		all[i] = &cp
	}

	data := t.documents
	defaults, _ := data["params"].(map[string]any)
	params, err := mergeParams(defaults, opts.Params)
	if err != nil {
		return nil, err
	}
	data = maps.Clone(data)
	data["params"] = params
	version, _ := defaults["catalogue_version"].(string)

	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)

	e := &Engine{
		tree:     t,
		store:    &storeData{data: data},
		all:      all,
		byID:     map[string]*Control{},
		now:      now,
		nowValue: ast.StringTerm(now.Format(time.RFC3339)),
		params:   params,
		digest:   t.digest,
		version:  version,
		perCtl:   map[string]*rego.PreparedEvalQuery{},
		parts:    map[string][]part{},
	}
	modules := t.modules
	// the Go verdict implements the embedded lib: a tree of one's own with
	// a lib of its own keeps every control on its finding rule
	fast := opts.Policies == nil || sameLib(modules)
	for _, c := range all {
		e.byID[c.ID] = c
		if parts, ok := conventionalParts(modules, c.Package); ok && fast {
			e.parts[c.ID] = parts
		}
	}
	if e.selected, err = selectControls(all, opts); err != nil {
		return nil, err
	}
	q := "data.lockcheck.main.findings"
	if len(e.selected) != len(all) {
		q = unionQuery(e.selected)
	}
	pq, err := e.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	e.query = pq
	if e.byKind, err = e.prepareKinds(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// prepareKinds prepares, for each document kind some selected control applies
// to, a query over the controls that apply to that kind only: the others would
// produce no finding for it, but their rules would still be evaluated.
func (e *Engine) prepareKinds(ctx context.Context) (map[string]rego.PreparedEvalQuery, error) {
	kinds := map[string][]*Control{}
	for _, c := range e.selected {
		for _, k := range c.AppliesTo {
			kinds[k] = append(kinds[k], c)
		}
	}
	out := make(map[string]rego.PreparedEvalQuery, len(kinds))
	for k, sel := range kinds {
		q := e.partsQuery(sel)
		if e.reference {
			q = unionQuery(sel)
		}
		pq, err := e.prepare(ctx, q)
		if err != nil {
			return nil, err
		}
		out[k] = pq
	}
	return out, nil
}

// partsQuery builds one query over controls that all apply to one kind: an
// array with, per control, its id and either its parts (decided in Go) or
// its findings (at most one) from the finding rule.
func (e *Engine) partsQuery(sel []*Control) string {
	items := make([]string, len(sel))
	for i, c := range sel {
		parts, ok := e.parts[c.ID]
		if !ok {
			items[i] = fmt.Sprintf("{%q: %q, \"findings\": [f | f := %s.finding]}", "id", c.ID, c.Package)
			continue
		}
		fields := []string{fmt.Sprintf("%q: %q", "id", c.ID)}
		for _, p := range parts {
			ref := c.Package + "." + p.name
			if p.complete {
				// a one-value rule may be undefined, which leaves lib.finding
				// (and so the control) without a finding: keep that visible
				// as an empty list instead of making the whole array undefined.
				// lib.finding unions missing with a set, so it must be one.
				cond := ""
				if p.name == "missing" {
					cond = "; is_set(x)"
				}
				ref = fmt.Sprintf("[x | x := %s%s]", ref, cond)
			}
			fields = append(fields, fmt.Sprintf("%q: %s", p.name, ref))
		}
		items[i] = "{" + strings.Join(fields, ", ") + "}"
	}
	return "[" + strings.Join(items, ", ") + "]"
}

func (e *Engine) prepare(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
	body, err := ast.ParseBody(query)
	if err != nil {
		return rego.PreparedEvalQuery{}, fmt.Errorf("parse query: %w", err)
	}
	e.tree.prepMu.Lock()
	defer e.tree.prepMu.Unlock()
	pq, err := rego.New(
		rego.ParsedQuery(body),
		rego.Compiler(e.tree.compiler),
		rego.Store(inmem.NewFromObject(e.store.data)),
	).PrepareForEval(ctx)
	if err != nil {
		return rego.PreparedEvalQuery{}, fmt.Errorf("prepare query: %w", err)
	}
	return pq, nil
}

// unionQuery builds one query that returns the findings of the selected
// controls only.
func unionQuery(sel []*Control) string {
	if len(sel) == 0 {
		return "set()"
	}
	parts := make([]string, len(sel))
	for i, c := range sel {
		parts[i] = fmt.Sprintf("{f | f := %s.finding}", c.Package)
	}
	return strings.Join(parts, " | ")
}

func selectControls(all []*Control, opts Options) ([]*Control, error) {
	want := map[string]bool{}
	for _, id := range opts.Controls {
		want[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	areas := map[string]bool{}
	for _, a := range opts.Areas {
		areas[strings.ToLower(strings.TrimSpace(a))] = true
	}
	skip := map[string]bool{}
	for _, id := range opts.Skip {
		skip[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	known := map[string]bool{}
	knownAreas := map[string]bool{}
	for _, c := range all {
		known[c.ID] = true
		knownAreas[c.Area] = true
	}
	for _, set := range []map[string]bool{want, skip} {
		for id := range set {
			if !known[id] {
				return nil, &UsageError{Msg: fmt.Sprintf("unknown control %q (see `lockcheck controls`)", id)}
			}
		}
	}
	for a := range areas {
		if !knownAreas[a] {
			names := make([]string, 0, len(knownAreas))
			for k := range knownAreas {
				names = append(names, k)
			}
			sort.Strings(names)
			return nil, &UsageError{Msg: fmt.Sprintf("unknown area %q (areas: %s)", a, strings.Join(names, ", "))}
		}
	}
	var out []*Control
	for _, c := range all {
		if skip[c.ID] {
			continue
		}
		if len(want) > 0 || len(areas) > 0 {
			if !want[c.ID] && !areas[c.Area] {
				continue
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// UsageError is a mistake in how the engine was asked to run (an unknown
// control id, an unknown parameter). It maps to exit code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func mergeParams(defaults, overrides map[string]any) (map[string]any, error) {
	out := maps.Clone(defaults)
	if out == nil {
		out = map[string]any{}
	}
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		def, ok := defaults[k]
		if !ok {
			known := make([]string, 0, len(defaults))
			for n := range defaults {
				known = append(known, n)
			}
			sort.Strings(known)
			return nil, &UsageError{Msg: fmt.Sprintf("unknown parameter %q (known: %s)", k, strings.Join(known, ", "))}
		}
		v := overrides[k]
		if !sameKind(def, v) {
			return nil, &UsageError{Msg: fmt.Sprintf("parameter %q: expected %s, got %v", k, kindName(def), v)}
		}
		out[k] = v
	}
	return out, nil
}

func sameKind(a, b any) bool {
	_, an := asNumber(a)
	_, bn := asNumber(b)
	if an || bn {
		return an && bn
	}
	switch a.(type) {
	case string:
		_, ok := b.(string)
		return ok
	case bool:
		_, ok := b.(bool)
		return ok
	}
	return true
}

func asNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func kindName(v any) string {
	if _, ok := asNumber(v); ok {
		return "a number"
	}
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "true or false"
	}
	return "a value"
}

// treeDigest hashes every policy and data file of the tree (tests excluded),
// in path order, so a report can name exactly which catalogue produced it.
func treeDigest(fsys fs.FS, res *loader.Result) (string, error) {
	h := sha256.New()
	var names []string
	for _, m := range res.Modules {
		names = append(names, m.Name)
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".yaml")) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("digest policies: %w", err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, strings.TrimPrefix(n, "/"))
		if err != nil {
			return "", fmt.Errorf("digest policies: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// Controls returns the whole catalogue, in catalogue order.
func (e *Engine) Controls() []*Control { return e.all }

// Selected returns the controls this engine evaluates.
func (e *Engine) Selected() []*Control { return e.selected }

// Control returns one control by id.
func (e *Engine) Control(id string) (*Control, bool) {
	c, ok := e.byID[strings.ToUpper(id)]
	return c, ok
}

// Now returns the run time.
func (e *Engine) Now() time.Time { return e.now }

// Params returns the parameters in force (defaults merged with overrides).
func (e *Engine) Params() map[string]any { return e.params }

// Digest identifies the policy tree: sha256 over every policy and data file.
func (e *Engine) Digest() string { return e.digest }

// Version is the catalogue version declared in the policy tree's params.
func (e *Engine) Version() string { return e.version }

// ParamsDigest identifies the parameters in force.
func (e *Engine) ParamsDigest() string {
	b, _ := json.Marshal(e.params) // map keys are sorted by encoding/json
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}
