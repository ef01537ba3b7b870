package seam

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/lockcheck/lockcheck/engine/internal/golden"
)

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
			golden.Check(t, filepath.Join("testdata", "exports", name+".json"), buf.Bytes())
		})
	}
}
