package scan

// The garbage-collector settings lockcheck runs scans with. A scan's live
// heap is small and flat (the compiled catalogue plus the documents in
// flight), while OPA allocates a lot of short-lived garbage per document:
// with Go's default GOGC=100 the collector runs constantly and workers stop
// scaling. A higher GC target trades a little memory for throughput; the
// soft limit keeps the heap bounded whatever the fleet size. The CLI applies
// both to a scan's process (unless GOGC or GOMEMLIMIT is set), the benchmark
// measures with them, and the tests that evaluate policies run at GCPercent.
const (
	GCPercent   = 400
	MemoryLimit = 128 << 20
)
