//go:build linux

package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failAfter is a stdout that accepts n bytes, then fails every write.
type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("disk full")
	}
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func openFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(fds)
}

// TestOutputsClosedOnEveryPath: whatever path an evaluation leaves by (an
// output failing mid-run, a bad --report), every --report file it opened is
// closed.
func TestOutputsClosedOnEveryPath(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name   string
		args   []string
		stdout *failAfter
	}{
		{"approve, stdout fails mid-run", args("approve", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--format", "ndjson", "--report", "json="+filepath.Join(dir, "a.json")), &failAfter{n: 200}},
		{"scan, stdout fails mid-run", with(args("scan", "fixtures/fleet", "--now", now, "--format", "ndjson", "--report", "json="+filepath.Join(dir, "s.json")), links...), &failAfter{n: 200}},
		{"scan, second --report unknown", with(args("scan", "fixtures/fleet", "--now", now, "--report", "json="+filepath.Join(dir, "ok.json"), "--report", "nope="+filepath.Join(dir, "x")), links...), &failAfter{n: 1 << 30}},
		{"scan, second --report not creatable", with(args("scan", "fixtures/fleet", "--now", now, "--report", "json="+filepath.Join(dir, "ok2.json"), "--report", "json="+filepath.Join(dir, "no", "such", "dir.json")), links...), &failAfter{n: 1 << 30}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := openFDs(t)
			var errb strings.Builder
			code := Main(tt.args, strings.NewReader(""), tt.stdout, &errb)
			if code != ExitInput {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitInput, errb.String())
			}
			if after := openFDs(t); after != before {
				t.Errorf("%d files open after the run, %d before: an output was not closed", after, before)
			}
		})
	}
}
