package policy

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/keys"
)

// BuildOptions configure Build.
type BuildOptions struct {
	// Revision is written to the manifest; empty means the directory's
	// content digest (first 12 hex digits).
	Revision string
	// SigningKey is a PEM private key (or a file holding one); empty writes
	// an unsigned bundle.
	SigningKey string
	// SigningAlg is the signing algorithm (default RS256).
	SigningAlg string
}

// Build writes the policy directory dir as an OPA bundle (.tar.gz) to w: a
// manifest with the revision, the roots its packages and data live under and
// Rego v1, the Rego and data files, and, with a signing key, a
// .signatures.json made by OPA's bundle signing over every file. It returns
// the source as it will load (revision and digest), so the caller can name it.
// The directory must load and its packages follow the contract.
func Build(dir string, w io.Writer, opts BuildOptions) (*Source, error) {
	src, err := Load(dir, LoadOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := Compile(Tree{Sources: []*Source{src}}); err != nil {
		return nil, err
	}
	b, err := bundle.NewCustomReader(bundle.NewDirectoryLoader(dir)).
		WithRegoVersion(ast.RegoV1).
		WithProcessAnnotations(true).
		WithSkipBundleVerification(true).
		Read()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	rev := opts.Revision
	if rev == "" {
		rev = src.Revision
	}
	b.Manifest.Revision = rev
	roots := rootsOf(b)
	b.Manifest.Roots = &roots
	v1 := 1
	b.Manifest.RegoVersion = &v1
	b.Manifest.Metadata = map[string]any{"name": src.Name}
	// files are signed and written under their path in the bundle
	for i := range b.Modules {
		b.Modules[i].URL = b.Modules[i].Path
	}
	if opts.SigningKey != "" {
		sc := bundle.NewSigningConfig(opts.SigningKey, opts.SigningAlg, "")
		if _, err := sc.GetPrivateKey(); err != nil {
			return nil, fmt.Errorf("--signing-key: %w", err)
		}
		if err := b.GenerateSignature(sc, KeyID, false); err != nil {
			return nil, fmt.Errorf("sign bundle: %w", err)
		}
	}
	if err := bundle.NewWriter(w).Write(b); err != nil {
		return nil, fmt.Errorf("write bundle: %w", err)
	}
	src.Revision = rev
	return src, nil
}

// rootsOf lists the bundle's roots: each Rego package's path and each data
// document's path (params one level down, so bundles can share data.params).
func rootsOf(b bundle.Bundle) []string {
	seen := map[string]bool{}
	for _, m := range b.Modules {
		p := m.Parsed.Package.Path
		parts := make([]string, 0, len(p))
		for _, t := range p[1:] {
			s, _ := t.Value.(ast.String)
			parts = append(parts, string(s))
		}
		seen[strings.Join(parts, "/")] = true
	}
	for k, v := range b.Data {
		if inner, ok := v.(map[string]any); ok && k == "params" {
			for n := range inner {
				seen[k+"/"+n] = true
			}
			continue
		}
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	// a package nested under another's root is covered by it
	var kept []string
	for _, r := range out {
		covered := false
		for _, k := range kept {
			if strings.HasPrefix(r, k+"/") {
				covered = true
			}
		}
		if !covered {
			kept = append(kept, r)
		}
	}
	return kept
}

// verificationConfig makes OPA's verification config for one public key.
func verificationConfig(key, alg string) (*bundle.VerificationConfig, error) {
	if b, err := os.ReadFile(key); err == nil {
		key = string(b)
	} else if !strings.HasPrefix(key, "-----BEGIN") {
		return nil, fmt.Errorf("--verification-key: %w", err)
	}
	if alg == "" {
		alg = "RS256"
	}
	if !keys.IsSupportedAlgorithm(alg) {
		return nil, fmt.Errorf("--verification-alg %q: not an algorithm OPA signs bundles with", alg)
	}
	if !strings.Contains(key, "PUBLIC KEY") && !strings.Contains(key, "CERTIFICATE") {
		return nil, errors.New("--verification-key: expected a PEM public key")
	}
	kc := &keys.Config{Key: key, Algorithm: alg}
	return bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{KeyID: kc}, KeyID, "", nil), nil
}
