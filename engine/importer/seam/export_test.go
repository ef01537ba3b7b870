package seam

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
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
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestSavedExports is the golden of what --save writes for each fake
// workspace, read through pages of 3; the same files are the --from inputs
// of the mapping goldens.
func TestSavedExports(t *testing.T) {
	for _, name := range []string{"well-run", "unmanaged-stuck-removal", "offline-devices", "three-pages"} {
		t.Run(name, func(t *testing.T) {
			srv := fake(t, name)
			srv.PageSize = 3
			x, err := testClient(t, srv.URL).Fetch(context.Background(), testQuery())
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := x.Write(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("exports", name+".json"), buf.Bytes())
		})
	}
}
