package testenv

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// Main runs a test binary whose tests evaluate policies, with the GC target
// lockcheck scans run with (scan.GCPercent) unless GOGC is set. At Go's
// default the collector takes about a quarter of such a binary's CPU, for
// a setting the product never evaluates with.
func Main(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scan.GCPercent)
	}
	os.Exit(m.Run())
}
