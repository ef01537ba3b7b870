package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/policy"
)

// TestTreeCacheBounded: the cache of added trees keeps at most max entries,
// dropping the oldest, and returns the same entry for the same key.
func TestTreeCacheBounded(t *testing.T) {
	c := treeCache{max: 2}
	a := c.get("a")
	if c.get("a") != a {
		t.Fatal("same key, different entry")
	}
	c.get("b")
	c.get("c")
	if len(c.trees) != 2 || c.trees["a"] != nil {
		t.Fatalf("after 3 keys with max 2: %v, want b and c", c.order)
	}
	if c.get("a") == a {
		t.Fatal("an evicted key came back with its old entry")
	}
}

// TestAddedTreeCompiledOnce: two engines over the same added source share
// one compiled tree; an edit to the source (a new digest) compiles anew.
func TestAddedTreeCompiledOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../fixtures/custom-policy")); err != nil {
		t.Fatal(err)
	}
	build := func() *Engine {
		t.Helper()
		src, err := policy.Load(dir, policy.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := New(ctx, Options{Sources: []*policy.Source{src}, Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	one, two := build(), build()
	if one.tree != two.tree {
		t.Error("the same source was compiled twice")
	}
	if one.all[0] == two.all[0] {
		t.Error("two engines share a control: each must have its own copy")
	}
	rego, _ := filepath.Glob(filepath.Join(dir, "*", "*.rego"))
	if len(rego) == 0 {
		t.Fatal("no policy file in the copied source")
	}
	body, err := os.ReadFile(rego[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rego[0], append(body, "\n# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if three := build(); three.tree == one.tree {
		t.Error("an edited source reused the tree compiled before the edit")
	}
}
