package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCountDocuments: the progress total counted up front matches what
// validate decodes from the fixtures.
func TestCountDocuments(t *testing.T) {
	t.Parallel()
	n, ok := countDocuments([]string{filepath.Join(repoRoot, "fixtures/fleet"), filepath.Join(repoRoot, "fixtures/plans"), filepath.Join(repoRoot, "fixtures/products")})
	if !ok || n != 29 {
		t.Errorf("counted %d documents (ok %v), want the 29 validate decodes", n, ok)
	}
	if _, ok := countDocuments([]string{"-"}); ok {
		t.Error("stdin has no known total")
	}
}

// TestProgressLabel: one clean label, no nested parentheses.
func TestProgressLabel(t *testing.T) {
	t.Parallel()
	p := &progress{total: 100}
	p.done_.Store(40)
	p.failing.Store(3)
	got := p.label()
	for _, want := range []string{"40/100 docs", "docs/s", "3 failing"} {
		if !strings.Contains(got, want) {
			t.Errorf("label %q lacks %q", got, want)
		}
	}
	if strings.ContainsAny(got, "()") {
		t.Errorf("label %q has parentheses", got)
	}
}
