// Package golden compares test output with golden files and rewrites them
// under -update (go test -update; make golden runs go test ./... -update).
// It registers -update itself: a test binary that imports it must not
// register the flag again.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// maxDiff bounds the difference a failure prints, in runes: a golden file
// can be a whole report.
const maxDiff = 6000

// Check compares got with the golden file at path; under -update it writes
// got there instead, creating the directory. A mismatch fails t with the
// difference (-want +got).
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (-want +got); run go test -update if the change is intended:\n%s", path, clip(cmp.Diff(string(want), string(got)), maxDiff))
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
