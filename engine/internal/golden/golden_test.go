package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	failed, fatal bool
	msg           string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = format
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.fatal = true, true
	r.msg = format
}
func (r *recorder) Fatal(args ...any) { r.failed, r.fatal = true, true }

// TestCheck: equal bytes pass, different or missing files fail, and -update
// writes the file (creating its directory) so that the next check passes.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.golden")
	if err := os.WriteFile(path, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, got string
		fail, fatal     bool
	}{
		{"equal", path, "one\ntwo\n", false, false},
		{"different", path, "one\nthree\n", true, false},
		{"missing", filepath.Join(dir, "none.golden"), "x", true, true},
	} {
		r := &recorder{TB: t}
		Check(r, c.path, []byte(c.got))
		if r.failed != c.fail || r.fatal != c.fatal {
			t.Errorf("%s: failed=%v fatal=%v, want %v %v (%s)", c.name, r.failed, r.fatal, c.fail, c.fatal, r.msg)
		}
	}

	*update = true
	defer func() { *update = false }()
	nested := filepath.Join(dir, "sub", "b.golden")
	r := &recorder{TB: t}
	Check(r, nested, []byte("new\n"))
	if r.failed {
		t.Fatalf("-update failed: %s", r.msg)
	}
	*update = false
	Check(r, nested, []byte("new\n"))
	if r.failed {
		t.Errorf("the rewritten file does not match: %s", r.msg)
	}
}

func TestClip(t *testing.T) {
	if got := clip("héllo", 10); got != "héllo" {
		t.Errorf("short: %q", got)
	}
	if got := clip("héllo", 3); got != "hé…" {
		t.Errorf("long: %q", got)
	}
}
