// Package cli is fleetgen's command line.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/lockcheck/lockcheck/cmd/fleetgen/internal/gen"
)

// Main runs fleetgen with the given arguments and returns the exit code.
func Main(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("fleetgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of LockSnapshots")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same fleet)")
	out := fs.String("o", "", "ndjson: output file (plans.yaml, specs.yaml and expected.json are written beside it)")
	format := fs.String("format", "ndjson", "ndjson (one file, -o) or yaml (one file per lock under DIR/fleet, -dir)")
	dir := fs.String("dir", "", "yaml: output directory")
	now := fs.String("now", gen.DefaultNow.Format(time.RFC3339), "run time the fleet is generated for (RFC 3339)")
	sites := fs.Int("sites", 0, "number of sites (default: all "+fmt.Sprint(len(gen.Sites))+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fleetgen -n N [-seed S] (-o FILE.ndjson | -format yaml -dir DIR)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	t, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		fmt.Fprintf(stderr, "fleetgen: -now %q: expected RFC 3339\n", *now)
		return 2
	}
	var o gen.Output
	switch *format {
	case "ndjson":
		if *out == "" {
			fmt.Fprintln(stderr, "fleetgen: -format ndjson needs -o FILE")
			return 2
		}
		o.NDJSON = *out
	case "yaml":
		if *dir == "" {
			fmt.Fprintln(stderr, "fleetgen: -format yaml needs -dir DIR")
			return 2
		}
		o.Dir = *dir
	default:
		fmt.Fprintf(stderr, "fleetgen: -format %q: expected ndjson or yaml\n", *format)
		return 2
	}
	ctx := context.Background()
	controls, err := gen.SnapshotControls(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "fleetgen: %v\n", err)
		return 1
	}
	f, err := gen.New(gen.Config{N: *n, Seed: *seed, Now: t, Sites: *sites})
	if err != nil {
		fmt.Fprintf(stderr, "fleetgen: %v\n", err)
		return 1
	}
	if _, err := f.Write(o, controls); err != nil {
		fmt.Fprintf(stderr, "fleetgen: %v\n", err)
		return 1
	}
	return 0
}
