package report

import (
	"os"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
)

// cmpDiff is cmp.Diff(want, got).
func cmpDiff(want, got any) string { return cmp.Diff(want, got) }

// engineStatus converts a status name for map lookups.
func engineStatus(s string) engine.Status { return engine.Status(s) }

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
