package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMayHoldLinkTargets finds a plan or product kind anywhere in a file,
// including across the edge of the chunks it reads, and nothing in a file
// of snapshots only.
func TestMayHoldLinkTargets(t *testing.T) {
	const chunk = 1 << 20
	for _, tc := range []struct {
		name string
		body string
		want bool
	}{
		{"snapshots only", strings.Repeat(`{"kind":"LockSnapshot"}`+"\n", 100000), false},
		{"plan at start", `{"kind":"InstallPlan"}`, true},
		{"product across the chunk edge", strings.Repeat("x", chunk-5) + "ProductSpec", true},
		{"plan after several chunks", strings.Repeat("y", 3*chunk+7) + "InstallPlan", true},
		{"plan at the end of a small file", strings.Repeat("z", 10000) + "InstallPlan", true},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f.ndjson")
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := mayHoldLinkTargets(context.Background(), p); got != tc.want {
				t.Errorf("mayHoldLinkTargets = %v, want %v", got, tc.want)
			}
		})
	}
}
