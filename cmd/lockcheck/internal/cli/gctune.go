package cli

import (
	"os"
	"runtime/debug"
)

// Garbage-collector settings for scans. A scan's live heap is small and
// flat (the compiled catalogue plus the documents in flight), while OPA
// allocates a lot of short-lived garbage per document: with Go's default
// GOGC=100 the collector runs constantly and workers stop scaling. A higher
// GC target trades a little memory for throughput; the soft limit keeps the
// heap bounded whatever the fleet size.
const (
	scanGCPercent   = 400
	scanMemoryLimit = 128 << 20
)

// tuneGCForScan applies the scan settings unless the user set GOGC or
// GOMEMLIMIT, which always win.
func tuneGCForScan() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scanGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(scanMemoryLimit)
	}
}
