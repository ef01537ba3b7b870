package cli

import (
	"os"
	"runtime/debug"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// tuneGCForScan applies the GC settings scans run with (scan.GCPercent and
// scan.MemoryLimit, which say why) unless the user set GOGC or GOMEMLIMIT,
// which always win.
func tuneGCForScan() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scan.GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(scan.MemoryLimit)
	}
}
