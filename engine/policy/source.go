// Package policy loads and compiles lockcheck's Rego: the embedded catalogue
// and the policy directories and OPA bundles a user adds with --policy. It is
// the one loader and compiler the engine, the waivers and `lockcheck test`
// share, and it signs and verifies bundles with OPA's own bundle signing.
//
// A Source is one added directory or bundle, read the way OPA reads a bundle
// (Rego files, data.json / data.yaml files placed at their directory's path,
// an optional .manifest and .signatures.json). Compile joins the embedded tree
// and the sources into one compiler and checks the sources against the
// package rules of the contract; the engine checks the controls' METADATA.
package policy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/lockcheck/lockcheck/engine/finding"
)

// The kinds of source.
const (
	KindDirectory = "directory"
	KindBundle    = "bundle"
)

// KeyID is the key id lockcheck signs bundles with and verifies them by.
const KeyID = "default"

// Source is one policy directory or bundle added to the catalogue.
type Source struct {
	// Path is the path as given on the command line.
	Path string `json:"path"`
	// Name is the source's name in reports: the base name without .tar.gz.
	Name string `json:"name"`
	// Kind is KindDirectory or KindBundle.
	Kind string `json:"kind"`
	// Revision is the bundle manifest's revision; for a directory (or a bundle
	// without one) the first 12 hex digits of Digest.
	Revision string `json:"revision"`
	// Digest is sha256 over the source's files (tests included).
	Digest string `json:"digest"`
	// Signed is true when the bundle's signature was verified.
	Signed bool `json:"signed,omitempty"`

	// Modules are the policy modules by file name (tests excluded), Tests the
	// *_test.rego modules. File names are Path joined with the file's path in
	// the source, so errors point at a file the user can open.
	Modules map[string]*ast.Module `json:"-"`
	Tests   map[string]*ast.Module `json:"-"`
	// Data is the source's data document (data.json files), params included.
	Data map[string]any `json:"-"`
	// Roots are the manifest's roots (empty for a directory).
	Roots []string `json:"-"`
}

// Describe names the source as reports show it.
func (s *Source) Describe() finding.PolicySource {
	return finding.PolicySource{Path: s.Path, Name: s.Name, Kind: s.Kind, Revision: s.Revision, Signed: s.Signed}
}

// LoadOptions configure Load.
type LoadOptions struct {
	// VerificationKey is a PEM public key (or a file holding one); when set,
	// a bundle must carry a valid .signatures.json over every file.
	VerificationKey string
	// VerificationAlg is the key's algorithm (default RS256).
	VerificationAlg string
}

// SourceError is a source that cannot be used (unreadable, not a bundle, a
// signature that does not verify). It maps to exit code 2.
type SourceError struct {
	Path string
	Err  error
}

func (e *SourceError) Error() string { return fmt.Sprintf("--policy %s: %v", e.Path, e.Err) }
func (e *SourceError) Unwrap() error { return e.Err }

// IsBundle reports whether path names a bundle file rather than a directory.
func IsBundle(path string) bool {
	return strings.HasSuffix(path, ".tar.gz") || strings.HasSuffix(path, ".tgz")
}

// Load reads a policy directory or an OPA bundle (.tar.gz). With a
// verification key, the bundle's signature is verified before anything in it
// is parsed, and an unsigned bundle or a directory is refused.
func Load(path string, opts LoadOptions) (*Source, error) {
	fail := func(err error) (*Source, error) { return nil, &SourceError{Path: path, Err: err} }
	info, err := os.Stat(path)
	if err != nil {
		return fail(err)
	}
	src := &Source{Path: path, Modules: map[string]*ast.Module{}, Tests: map[string]*ast.Module{}}
	var reader *bundle.Reader
	switch {
	case info.IsDir():
		if opts.VerificationKey != "" {
			return fail(errors.New("a directory carries no signature: build a signed bundle with `lockcheck bundle build` to use --verification-key"))
		}
		src.Kind = KindDirectory
		abs, err := filepath.Abs(path)
		if err != nil {
			return fail(err)
		}
		src.Name = filepath.Base(abs)
		reader = bundle.NewCustomReader(bundle.NewDirectoryLoader(path))
	case IsBundle(path):
		src.Kind = KindBundle
		src.Name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".tar.gz"), ".tgz")
		b, err := os.ReadFile(path)
		if err != nil {
			return fail(err)
		}
		reader = bundle.NewReader(bytes.NewReader(b))
	default:
		return fail(errors.New("expected a directory of Rego files or an OPA bundle (.tar.gz)"))
	}
	reader = reader.WithRegoVersion(ast.RegoV1).WithProcessAnnotations(true)
	if opts.VerificationKey != "" {
		vc, err := verificationConfig(opts.VerificationKey, opts.VerificationAlg)
		if err != nil {
			return fail(err)
		}
		reader = reader.WithBundleVerificationConfig(vc)
		src.Signed = true
	} else {
		reader = reader.WithSkipBundleVerification(true)
	}
	b, err := reader.Read()
	if err != nil {
		if opts.VerificationKey != "" {
			return fail(fmt.Errorf("refused: the bundle does not verify against the key: %w", err))
		}
		return fail(err)
	}
	if src.Signed && len(b.Signatures.Signatures) == 0 {
		return fail(errors.New("refused: the bundle is not signed"))
	}
	h := sha256.New()
	type file struct {
		name string
		raw  []byte
	}
	var files []file
	for _, mf := range b.Modules {
		rel := strings.TrimPrefix(filepath.ToSlash(mf.Path), "/")
		name := joinName(path, src.Kind, rel)
		// parsed again under the name a user can open, so every compile
		// error and contract violation names it
		m, err := ast.ParseModuleWithOpts(name, string(mf.Raw), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return fail(err)
		}
		if strings.HasSuffix(rel, "_test.rego") {
			src.Tests[name] = m
		} else {
			src.Modules[name] = m
		}
		files = append(files, file{rel, mf.Raw})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.name, len(f.raw))
		h.Write(f.raw)
	}
	data, err := json.Marshal(b.Data) // map keys sorted
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(h, "data\x00%d\x00", len(data))
	h.Write(data)
	fmt.Fprintf(h, "revision\x00%s", b.Manifest.Revision)
	src.Digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	src.Data = b.Data
	if src.Data == nil {
		src.Data = map[string]any{}
	}
	src.Revision = b.Manifest.Revision
	if src.Revision == "" {
		src.Revision = strings.TrimPrefix(src.Digest, "sha256:")[:12]
	}
	if b.Manifest.Roots != nil {
		src.Roots = append(src.Roots, *b.Manifest.Roots...)
	}
	if len(src.Modules) == 0 {
		return fail(errors.New("no Rego policy files"))
	}
	return src, nil
}

// joinName names a file of a source: dir/rel for a directory, bundle:rel for
// a bundle.
func joinName(path, kind, rel string) string {
	if kind == KindBundle {
		return filepath.ToSlash(path) + ":" + rel
	}
	return filepath.ToSlash(filepath.Join(path, rel))
}
