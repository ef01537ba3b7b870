package cli

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the whole test binary from the repository root, as a user
// would run lockcheck: the tests name fixtures by their path from the root
// ("fixtures/fleet") and the goldens show those paths. The directory is
// changed once, here, instead of with t.Chdir in every test, because
// t.Chdir forbids t.Parallel: the tests that share nothing run in
// parallel.
//
// What stays sequential (no t.Parallel): the tests that use t.Setenv, swap
// a package-level hook (createOutput) or count the process's open files.
// Top-level parallel tests start only once every sequential top-level test
// has finished, so those never overlap with a parallel one.
//
// Main's GC tuning (tuneGCForScan) sets a 128 MiB soft memory limit for the
// whole process, sized for one scan per process. The parallel tests run
// many scans in one process at once, and under that limit the collector
// runs constantly (a quarter more CPU for the package). The tests lift it
// with GOMEMLIMIT, which tuneGCForScan leaves alone, unless it is set.
func TestMain(m *testing.M) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		os.Setenv("GOMEMLIMIT", "off")
	}
	if err := os.Chdir(repoRoot); err != nil {
		fmt.Fprintf(os.Stderr, "chdir %s: %v\n", repoRoot, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}
