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
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/lockcheck/lockcheck/engine/policy"
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
	// Sources are policy directories and bundles (policy.Load) whose
	// controls are added to the catalogue.
	Sources []*policy.Source
	// NoBuiltin leaves the tree's own controls out: only the Sources'
	// controls are evaluated.
	NoBuiltin bool
}

// Engine holds the compiled catalogue and the prepared query. It is safe for
// concurrent use by several goroutines.
type Engine struct {
	compiler *ast.Compiler
	store    *storeData
	query    rego.PreparedEvalQuery
	byKind   map[string]rego.PreparedEvalQuery // the applicable controls only
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

	tree *policy.Compiled

	mu        sync.Mutex
	perCtl    map[string]*rego.PreparedEvalQuery
	linkCache sync.Map // *document.Document -> ast.Value
}

type storeData struct {
	data map[string]any
}

// embeddedTree is the embedded catalogue, loaded and compiled once per
// process: it cannot change while the process runs, and a process that
// builds several engines (merge beside a scan, a test binary) pays for the
// compile (about a second of CPU) once.
var embeddedTree compiledTree

// compileTree loads, compiles and reads the controls of the policy tree the
// options name; the embedded catalogue alone comes from embeddedTree.
func compileTree(opts Options) (*policy.Compiled, []*Control, error) {
	t := policy.Tree{FS: opts.Policies, NoBuiltin: opts.NoBuiltin, Sources: opts.Sources}
	if opts.Policies != nil {
		return readTree(t) // a tree of one's own: no key says it is unchanged
	}
	c := &embeddedTree
	if opts.NoBuiltin || len(opts.Sources) > 0 {
		for _, s := range opts.Sources {
			if s.Digest == "" {
				return readTree(t) // built by hand, not read: no digest to key it by
			}
		}
		c = addedTrees.get(treeKey(opts.NoBuiltin, opts.Sources))
	}
	c.once.Do(func() {
		c.tree, c.all, c.err = readTree(t)
	})
	if c.err != nil {
		return nil, nil, c.err
	}
	// each engine has its own copy of the controls: a caller may keep or
	// change what it gets from Controls without reaching other engines
	all := make([]*Control, len(c.all))
	for i, ctl := range c.all {
		cp := *ctl
		all[i] = &cp
	}
	return c.tree, all, nil
}

// compiledTree is one policy tree compiled once and shared by the engines
// that evaluate it (read-only: prepare is serialised by its PrepMu).
type compiledTree struct {
	once sync.Once
	tree *policy.Compiled
	all  []*Control
	err  error
}

// addedTrees keeps the last few trees with added sources (--policy, a
// bundle, lockcheck test), keyed by what the sources are: a process that
// builds several engines over one tree (lockcheck test, merge, a test
// binary) compiles it once; the bound keeps a long-lived embedder that
// loads many trees from holding them all.
var addedTrees = treeCache{max: 8}

type treeCache struct {
	mu    sync.Mutex
	max   int
	order []string
	trees map[string]*compiledTree
}

// get returns the entry for key, adding it (and dropping the oldest entry
// beyond max) when it is new.
func (c *treeCache) get(key string) *compiledTree {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.trees[key]; ok {
		return t
	}
	if c.trees == nil {
		c.trees = map[string]*compiledTree{}
	}
	t := &compiledTree{}
	c.trees[key] = t
	c.order = append(c.order, key)
	if len(c.order) > c.max {
		delete(c.trees, c.order[0])
		c.order = c.order[1:]
	}
	return t
}

// treeKey names a tree by the built-in choice and every field of each
// source (its content digest included): two equal keys compile to the
// same tree, with the same file names and the same catalogue version.
func treeKey(noBuiltin bool, sources []*policy.Source) string {
	var b strings.Builder
	fmt.Fprintf(&b, "builtin=%t", !noBuiltin)
	for _, s := range sources {
		fmt.Fprintf(&b, "\x00%q %q %q %q %q %t", s.Path, s.Name, s.Kind, s.Revision, s.Digest, s.Signed)
	}
	return b.String()
}

func readTree(t policy.Tree) (*policy.Compiled, []*Control, error) {
	tree, err := policy.Compile(t)
	if err != nil {
		return nil, nil, err
	}
	all, err := readControls(tree)
	if err != nil {
		return nil, nil, err
	}
	if tree.Embedded {
		// The embedded tree is the repository's policies/ folder: name files
		// as a reader of the repository finds them.
		for _, c := range all {
			if tree.SourceOf(c.File) == nil {
				c.File = "policies/" + strings.TrimPrefix(c.File, "/")
			}
		}
	}
	return tree, all, nil
}

// New loads and compiles the policy tree and prepares the evaluation query.
// The embedded catalogue is compiled once per process and shared.
func New(ctx context.Context, opts Options) (*Engine, error) {
	tree, all, err := compileTree(opts)
	if err != nil {
		return nil, err
	}
	compiler := tree.Compiler
	digest := tree.Digest

	data := tree.Data
	defaults, _ := data["params"].(map[string]any)
	params, err := mergeParams(defaults, opts.Params)
	if err != nil {
		return nil, err
	}
	data = maps.Clone(data)
	data["params"] = params
	version, _ := defaults["catalogue_version"].(string)
	for _, src := range tree.Sources {
		// every report names the catalogue version: it names the added
		// policies and their revisions too
		version += "+" + src.Name + "@" + src.Revision
	}

	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := CheckRunTime(now); err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	now = now.UTC().Truncate(time.Second)

	e := &Engine{
		compiler: compiler,
		store:    &storeData{data: data},
		all:      all,
		byID:     map[string]*Control{},
		now:      now,
		nowValue: ast.StringTerm(now.Format(time.RFC3339)),
		params:   params,
		digest:   digest,
		version:  version,
		perCtl:   map[string]*rego.PreparedEvalQuery{},
		parts:    map[string][]part{},
		tree:     tree,
	}
	modules := tree.Modules
	// the Go verdict implements the embedded lib: a tree of one's own with
	// a lib of its own keeps every control on its finding rule (added
	// sources cannot define lib: their packages are controls)
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
	// OPA's prepare writes to the (possibly shared) compiler
	e.tree.PrepMu.Lock()
	defer e.tree.PrepMu.Unlock()
	pq, err := rego.New(
		rego.ParsedQuery(body),
		rego.Compiler(e.compiler),
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

// The run times the policies can compute with: Rego's time built-ins count
// nanoseconds since 1970 in 64 bits (1677-09-21 to 2262-04-11), and the
// controls add and subtract thresholds of years to the run time.
var (
	MinRunTime = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxRunTime = time.Date(2200, 12, 31, 23, 59, 59, 0, time.UTC)
)

// CheckRunTime refuses a run time outside [MinRunTime, MaxRunTime]: beyond
// it the policies' time arithmetic fails and every control would end in
// error.
func CheckRunTime(t time.Time) error {
	if t.Before(MinRunTime) || t.After(MaxRunTime) {
		return fmt.Errorf("the run time %s is out of range: it must lie between %s and %s", t.UTC().Format(time.RFC3339), MinRunTime.Format(time.RFC3339), MaxRunTime.Format(time.RFC3339))
	}
	return nil
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
		if err := checkParam(k, v); err != nil {
			return nil, err
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

// Digest identifies the policy tree: sha256 over every policy and data file
// and over each added source.
func (e *Engine) Digest() string { return e.digest }

// Version is the catalogue version declared in the policy tree's params.
func (e *Engine) Version() string { return e.version }

// ParamsDigest identifies the parameters in force.
func (e *Engine) ParamsDigest() string {
	b, _ := json.Marshal(e.params) // map keys are sorted by encoding/json
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// Sources name the policy directories and bundles added to the catalogue,
// in the order given.
func (e *Engine) Sources() []PolicySource {
	out := make([]PolicySource, len(e.tree.Sources))
	for i, s := range e.tree.Sources {
		out[i] = s.Describe()
	}
	return out
}

// Tree is the compiled policy tree (the waiver policy prepares its queries
// on it, so the tree is loaded and compiled once per run).
func (e *Engine) Tree() *policy.Compiled { return e.tree }
