package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/lockcheck/lockcheck/engine/internal/jsontree"
	"github.com/lockcheck/lockcheck/policies"
)

// ControlsPrefix is the package prefix every control lives under.
const ControlsPrefix = "data.lockcheck.controls."

// Tree is what to compile: a base tree (the embedded catalogue unless FS is
// set) and the sources added to it.
type Tree struct {
	// FS is the base policy tree; nil means the embedded catalogue.
	FS fs.FS
	// NoBuiltin leaves the base tree's controls (controls/) out; its lib,
	// entry point, waiver policy and parameters stay.
	NoBuiltin bool
	// Sources are added directories and bundles.
	Sources []*Source
	// Tests compiles the sources' *_test.rego modules too (lockcheck test).
	Tests bool
	// Extra modules are compiled alongside, by file name (test helpers).
	Extra map[string]*ast.Module
}

// Compiled is a compiled policy tree. The compiler is read-only after
// Compile: prepare as many queries on it as needed.
type Compiled struct {
	Compiler *ast.Compiler
	// Modules are the parsed modules by file name.
	Modules map[string]*ast.Module
	// Data is the data document: the base tree's and the sources' data.json
	// files merged (params included).
	Data map[string]any
	// Digest identifies the tree: sha256 over every base policy and data file
	// (tests excluded) and, with sources, over each source's digest.
	Digest string
	// Sources are the added sources, in the order given.
	Sources []*Source
	// Embedded is true when the base tree is the embedded catalogue.
	Embedded bool
	// PrepMu serialises query preparation on Compiler, which OPA's prepare
	// writes to: the embedded tree is shared by every engine of a process.
	PrepMu sync.Mutex

	origin map[string]*Source
}

// SourceOf returns the source a file belongs to; nil for the base tree.
func (c *Compiled) SourceOf(file string) *Source { return c.origin[file] }

// Compile loads the base tree (tests excluded), adds the sources, checks the
// sources' packages and data against the contract, and compiles everything
// once. A contract violation is a *ContractError naming file and line.
func Compile(t Tree) (*Compiled, error) {
	c, err := Assemble(t)
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithEnablePrintStatements(false)
	compiler.Compile(c.Modules)
	if compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", compiler.Errors)
	}
	c.Compiler = compiler
	if err := c.checkParams(); err != nil {
		return nil, err
	}
	return c, nil
}

// Assemble is Compile without the compiling: it loads and parses the tree,
// adds the sources and checks their packages and data (not their thresholds,
// which need the compiled modules). Compiler is nil. It is for a caller that
// compiles the modules itself, as OPA's tester does.
func Assemble(t Tree) (*Compiled, error) {
	b, err := loadBase(t.FS, t.NoBuiltin)
	if err != nil {
		return nil, err
	}
	c := &Compiled{
		// the parsed modules are shared (nothing changes a parsed module:
		// OPA's compiler works on copies); the maps and the data are not
		Modules:  maps.Clone(b.modules),
		Data:     jsontree.Clone(b.data).(map[string]any),
		Digest:   b.digest,
		Sources:  t.Sources,
		Embedded: t.FS == nil,
		origin:   map[string]*Source{},
	}
	if len(t.Sources) > 0 {
		if err := c.add(t); err != nil {
			return nil, err
		}
	}
	maps.Copy(c.Modules, t.Extra)
	return c, nil
}

// base is a base tree as loaded: its parsed modules (tests excluded), its
// data document and its digest.
type base struct {
	modules map[string]*ast.Module
	data    map[string]any
	digest  string
}

// embeddedBase holds the embedded catalogue as loaded, with and without its
// controls: it cannot change while the process runs, so it is parsed once
// however many trees are assembled on it (every --policy engine and every
// lockcheck test run assembles one).
var embeddedBase [2]struct {
	once sync.Once
	b    *base
	err  error
}

func loadBase(fsys fs.FS, noBuiltin bool) (*base, error) {
	if fsys != nil {
		return readBase(fsys, noBuiltin)
	}
	e := &embeddedBase[0]
	if noBuiltin {
		e = &embeddedBase[1]
	}
	e.once.Do(func() { e.b, e.err = readBase(policies.FS, noBuiltin) })
	return e.b, e.err
}

func readBase(fsys fs.FS, noBuiltin bool) (*base, error) {
	res, err := loader.NewFileLoader().
		WithFS(fsys).
		WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		Filtered([]string{"."}, func(p string, info fs.FileInfo, _ int) bool {
			if noBuiltin && info.IsDir() && strings.Trim(p, "/") == "controls" {
				return true
			}
			return !info.IsDir() && strings.HasSuffix(info.Name(), "_test.rego")
		})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	digest, err := treeDigest(fsys, res, noBuiltin)
	if err != nil {
		return nil, err
	}
	return &base{modules: res.ParsedModules(), data: res.Documents, digest: digest}, nil
}

// add joins the sources' modules and data to the base tree, checking that
// each control package is new and under lockcheck.controls, and that no data
// is defined twice.
func (c *Compiled) add(t Tree) error {
	var vs []Violation
	owner := map[string]string{} // package -> first file defining it
	for _, name := range slices.Sorted(maps.Keys(c.Modules)) {
		pkg := c.Modules[name].Package.Path.String()
		if _, ok := owner[pkg]; !ok {
			owner[pkg] = name
		}
	}
	base := maps.Clone(owner)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", c.Digest)
	data := jsontree.Clone(c.Data).(map[string]any)
	dataOwner := "the built-in catalogue"
	for _, s := range t.Sources {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", s.Name, s.Revision, s.Digest)
		mine := map[string]bool{}
		for _, name := range slices.Sorted(maps.Keys(s.Modules)) {
			m := s.Modules[name]
			pkg := m.Package.Path.String()
			line := 0
			if m.Package.Location != nil {
				line = m.Package.Location.Row
			}
			shown := strings.TrimPrefix(pkg, "data.")
			switch {
			case !strings.HasPrefix(pkg, ControlsPrefix) || len(m.Package.Path) < 5:
				vs = append(vs, Violation{File: name, Line: line, Msg: fmt.Sprintf("package %s is outside lockcheck.controls.*: a control's package is lockcheck.controls.<area>.<slug>", shown)})
			case !mine[pkg] && owner[pkg] != "":
				by := owner[pkg]
				if _, builtin := base[pkg]; builtin {
					by = "the built-in control in " + by
				}
				vs = append(vs, Violation{File: name, Line: line, Msg: fmt.Sprintf("package %s is already defined by %s", shown, by)})
			}
			if owner[pkg] == "" {
				owner[pkg] = name
			}
			mine[pkg] = true
			c.Modules[name] = m
			c.origin[name] = s
		}
		if t.Tests {
			for name, m := range s.Tests {
				c.Modules[name] = m
				c.origin[name] = s
			}
		}
		for _, p := range mergeData(data, s.Data, "") {
			vs = append(vs, Violation{File: s.Path, Msg: fmt.Sprintf("data.%s is already defined by %s", p, dataOwner)})
		}
		dataOwner = "the built-in catalogue or an earlier --policy"
	}
	c.Data = data
	c.Digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	if len(vs) > 0 {
		return &ContractError{Violations: vs, InTree: true}
	}
	return nil
}

// checkParams: every threshold a source's control reads (lib.param("x") or
// data.params.x) must have a default in the merged data.
func (c *Compiled) checkParams() error {
	params, _ := c.Data["params"].(map[string]any)
	var vs []Violation
	for name := range c.origin {
		m := c.Compiler.Modules[name]
		if m == nil || strings.HasSuffix(name, "_test.rego") {
			continue
		}
		for _, u := range ParamsUsed(m) {
			if _, ok := params[u.Name]; !ok {
				vs = append(vs, Violation{File: name, Line: u.Line, Msg: fmt.Sprintf("threshold %q has no default: add it to the policy's data.json under params", u.Name)})
			}
		}
	}
	if len(vs) > 0 {
		return &ContractError{Violations: vs, InTree: true}
	}
	return nil
}

// ParamUse is one threshold a module reads.
type ParamUse struct {
	Name string
	Line int
}

// ParamsUsed finds the thresholds a compiled module reads, through
// lib.param("X") or data.params.X.
func ParamsUsed(m *ast.Module) []ParamUse {
	var out []ParamUse
	paramFn := ast.MustParseRef("data.lockcheck.lib.param")
	paramsRoot := ast.MustParseRef("data.params")
	line := func(t *ast.Term) int {
		if t.Location != nil {
			return t.Location.Row
		}
		return 0
	}
	ast.WalkTerms(m, func(t *ast.Term) bool {
		switch v := t.Value.(type) {
		case ast.Call:
			if len(v) > 1 {
				if op, ok := v[0].Value.(ast.Ref); ok && op.Equal(paramFn) {
					if s, ok := v[1].Value.(ast.String); ok {
						out = append(out, ParamUse{string(s), line(t)})
					}
				}
			}
		case ast.Ref:
			if len(v) > 2 && v.HasPrefix(paramsRoot) {
				if s, ok := v[2].Value.(ast.String); ok {
					out = append(out, ParamUse{string(s), line(t)})
				}
			}
		}
		return false
	})
	// lib.param("x") inside an expression is a call expression, not a term
	ast.WalkExprs(m, func(e *ast.Expr) bool {
		if !e.IsCall() {
			return false
		}
		if op := e.Operator(); op.Equal(paramFn) {
			if ts, ok := e.Terms.([]*ast.Term); ok && len(ts) > 1 {
				if s, ok := ts[1].Value.(ast.String); ok {
					l := 0
					if e.Location != nil {
						l = e.Location.Row
					}
					out = append(out, ParamUse{string(s), l})
				}
			}
		}
		return false
	})
	seen := map[ParamUse]bool{}
	uniq := out[:0]
	for _, u := range out {
		if !seen[u] {
			seen[u] = true
			uniq = append(uniq, u)
		}
	}
	return uniq
}

// mergeData merges src into dst and returns the paths src defines that dst
// already holds with a different value.
func mergeData(dst, src map[string]any, prefix string) []string {
	var conflicts []string
	for _, k := range slices.Sorted(maps.Keys(src)) {
		v := src[k]
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		cur, exists := dst[k]
		if !exists {
			dst[k] = jsontree.Clone(v)
			continue
		}
		cm, ok1 := cur.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			conflicts = append(conflicts, mergeData(cm, vm, p)...)
			continue
		}
		if !reflect.DeepEqual(cur, v) {
			conflicts = append(conflicts, p)
		}
	}
	return conflicts
}

// treeDigest hashes every policy and data file of the base tree (tests
// excluded), in path order, so a report can name exactly which catalogue
// produced it.
func treeDigest(fsys fs.FS, res *loader.Result, noBuiltin bool) (string, error) {
	h := sha256.New()
	var names []string
	for _, m := range res.Modules {
		names = append(names, m.Name)
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if noBuiltin && d.IsDir() && p == "controls" {
			return fs.SkipDir
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

// Violation is one breach of the custom-control contract.
type Violation struct {
	File string
	Line int
	Msg  string
}

func (v Violation) String() string {
	if v.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", v.File, v.Line, v.Msg)
	}
	return fmt.Sprintf("%s: %s", v.File, v.Msg)
}

// ContractError lists every contract violation of the added policies. It
// maps to exit code 2.
type ContractError struct {
	Violations []Violation
	// InTree marks breaches of the tree itself (a package, data or a
	// threshold), found while assembling or compiling it, before any
	// control's METADATA is read.
	InTree bool
}

func (e *ContractError) Error() string {
	vs := append([]Violation(nil), e.Violations...)
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].File != vs[j].File {
			return vs[i].File < vs[j].File
		}
		if vs[i].Line != vs[j].Line {
			return vs[i].Line < vs[j].Line
		}
		return vs[i].Msg < vs[j].Msg
	})
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = "  " + v.String()
	}
	noun := "violation"
	if len(vs) != 1 {
		noun = "violations"
	}
	return fmt.Sprintf("the policies break the control contract (%d %s):\n%s", len(vs), noun, strings.Join(lines, "\n"))
}
