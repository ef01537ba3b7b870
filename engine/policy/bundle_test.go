package policy_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/policy"
)

// example is the repository's example custom policy directory.
const example = "../../fixtures/custom-policy"

// keyPair generates a test-only RSA key pair, written as PEM files in a
// temporary directory (never committed).
func keyPair(t *testing.T) (private, public string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	private, public = filepath.Join(dir, "key.pem"), filepath.Join(dir, "pub.pem")
	write(t, private, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	write(t, public, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
	return private, public
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func build(t *testing.T, key string) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := policy.Build(example, &buf, policy.BuildOptions{Revision: "2026.12.1", SigningKey: key}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "acme.tar.gz")
	write(t, path, buf.Bytes())
	return path
}

// rewrite copies a bundle, passing each file's content through edit.
func rewrite(t *testing.T, path string, edit func(name string, b []byte) []byte) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		b = edit(h.Name, b)
		h.Size = int64(len(b))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "tampered.tar.gz")
	write(t, p, out.Bytes())
	return p
}

// TestSignedBundle: a bundle built and signed with lockcheck's (OPA's) bundle
// signing loads with the public key, names its revision, and is refused when
// one byte of a policy file or of the signature changes, when it is unsigned,
// or when it was signed with another key.
func TestSignedBundle(t *testing.T) {
	priv, pub := keyPair(t)
	signed := build(t, priv)
	src, err := policy.Load(signed, policy.LoadOptions{VerificationKey: pub})
	if err != nil {
		t.Fatalf("signed bundle refused: %v", err)
	}
	if src.Revision != "2026.12.1" || src.Name != "acme" || !src.Signed || src.Kind != policy.KindBundle || len(src.Modules) != 2 || len(src.Tests) != 2 {
		t.Errorf("loaded %+v", src)
	}

	flip := func(target string) func(string, []byte) []byte {
		return func(name string, b []byte) []byte {
			if strings.TrimPrefix(name, "/") != target {
				return b
			}
			c := append([]byte(nil), b...)
			i := bytes.Index(c, []byte("ACME's minimum"))
			if i < 0 {
				i = len(c) / 2
			}
			c[i] ^= 0x01
			return c
		}
	}
	_, other := keyPair(t)
	for _, tc := range []struct {
		name, path, key, want string
	}{
		{"one byte of a policy file", rewrite(t, signed, flip("updates/min_security_version.rego")), pub, "updates/min_security_version.rego: digest mismatch"},
		{"one byte of the signature", rewrite(t, signed, func(name string, b []byte) []byte {
			if strings.TrimPrefix(name, "/") != ".signatures.json" {
				return b
			}
			c := append([]byte(nil), b...)
			i := bytes.LastIndexByte(c, '.') + 5 // inside the JWS signature
			if c[i] == 'A' {
				c[i] = 'B'
			} else {
				c[i] = 'A'
			}
			return c
		}), pub, "failed to verify JWT signature"},
		{"unsigned", build(t, ""), pub, "bundle missing .signatures.json"},
		{"another key", signed, other, "failed to verify JWT signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Load(tc.path, policy.LoadOptions{VerificationKey: tc.key})
			if err == nil {
				t.Fatal("loaded")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), "refused") {
				t.Errorf("error %q: want it to name %s, say refused and %q", err, tc.path, tc.want)
			}
		})
	}

	// a directory has no signature to verify
	if _, err := policy.Load(example, policy.LoadOptions{VerificationKey: pub}); err == nil || !strings.Contains(err.Error(), "carries no signature") {
		t.Errorf("directory with a verification key: %v", err)
	}
	// without a key, the unsigned bundle loads
	if _, err := policy.Load(build(t, ""), policy.LoadOptions{}); err != nil {
		t.Errorf("unsigned bundle without a key: %v", err)
	}
}
