package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/merge"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// runMerge combines the ndjson outputs of `scan --shard K/N` runs into one
// result (engine/merge does the work): open and check the shards, build an
// engine that evaluates as they did, merge into the outputs, evaluate the
// fleet-level controls over all shards, finish the outputs.
func runMerge(ctx context.Context, e *env, args []string) int {
	const name = "merge"
	var f evalFlags
	fs := newFlags(e, name, "RESULTS...")
	fs.StringVarP(&f.format, "format", "f", "text", "output format on stdout: "+strings.Join(report.Formats(), ", "))
	fs.StringArrayVar(&f.reports, "report", nil, "also write a report: NAME=FILE (repeatable), e.g. --report json=out.json")
	fs.StringVar(&f.params, "params", "", "the --params file the shards ran with (its digest must match theirs)")
	fs.BoolVar(&f.onlyFailures, "only-failures", false, "text and markdown: show failing findings only")
	f.registerDisplay(fs)
	fs.BoolVar(&f.includePass, "sarif-include-pass", false, "sarif: also emit passing results (kind: pass)")
	f.policy.register(fs)
	if code, ok := parse(e, fs, name, "RESULTS...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, name, "no shard results: give the files written by `lockcheck scan --shard K/N --format ndjson`")
	}
	if code := f.checkReports(e, name, fs.Args()); code != 0 {
		return code
	}
	shards, err := openShards(fs.Args())
	defer func() {
		for _, s := range shards {
			s.Close()
		}
	}()
	if err != nil {
		return usageErr(e, name, "%v", err)
	}
	eng, code := f.mergeEngine(ctx, e, name, shards[0])
	if eng == nil {
		return code
	}
	failOn := merge.FailOn(shards[0])
	disp, err := f.display()
	if err != nil {
		return usageErr(e, name, "%v", err)
	}
	ro := report.Options{Engine: eng, ToolVersion: Version, Verb: "scan", OnlyFailures: f.onlyFailures, IncludePass: f.includePass, FailOn: failOn, Display: disp, MarkdownMaxChars: f.mdMaxChars}
	out, code := f.outputs(e, name, ro)
	if out == nil {
		return code
	}
	agg := scan.NewAggregator(eng, failOn)
	defer func() { out.Fail(&report.Final{Summary: agg.Summary()}) }()
	if err := merge.Into(ctx, shards, agg, out); err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(e.stderr, "lockcheck %s: interrupted; no merged report written\n", name)
			return interruptedCode(ctx)
		}
		return errCode(e, name, err)
	}
	incomplete := merge.Incomplete(shards)
	for _, p := range incomplete {
		fmt.Fprintf(e.stderr, "lockcheck %s: %s is marked incomplete (that shard was interrupted); the merged result is incomplete and the fleet-level controls are not evaluated\n", name, p)
	}
	if len(incomplete) == 0 {
		if code := fleetResult(ctx, e, name, eng, agg, out.Result); code != 0 {
			return code
		}
	}
	fin := &report.Final{Summary: agg.Summary()}
	if err := out.Close(fin); err != nil {
		fmt.Fprintf(e.stderr, "lockcheck %s: write report: %v\n", name, err)
		return ExitInput
	}
	printProblemsToStderr(e, fin.Summary)
	if len(incomplete) > 0 {
		return ExitInput
	}
	return fin.Summary.ExitCode()
}

// openShards opens and checks every shard, then the set; the shards opened
// are returned (to be closed) even on an error.
func openShards(paths []string) ([]*merge.Shard, error) {
	shards := make([]*merge.Shard, 0, len(paths))
	for _, p := range paths {
		s, err := merge.Open(p)
		if err != nil {
			return shards, err
		}
		shards = append(shards, s)
	}
	return shards, merge.CheckSet(shards)
}

// mergeEngine builds an engine that evaluates as the shards did.
func (f *evalFlags) mergeEngine(ctx context.Context, e *env, name string, first *merge.Shard) (*engine.Engine, int) {
	run, err := merge.RunOf(first)
	if err != nil {
		return nil, usageErr(e, name, "%v", err)
	}
	opts := engine.Options{Now: run.Now, Controls: run.Controls}
	if f.params != "" {
		if opts.Params, err = readParams(f.params); err != nil {
			return nil, usageErr(e, name, "--params: %v", err)
		}
	}
	if err := f.policy.apply(&opts); err != nil {
		return nil, errCode(e, name, err)
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return nil, errCode(e, name, err)
	}
	if err := merge.CheckEngine(eng, first); err != nil {
		return nil, usageErr(e, name, "%v", err)
	}
	return eng, 0
}

// fleetResult evaluates the fleet-level controls on the aggregates, adds
// their result to the summary and hands it to emit (the writers).
func fleetResult(ctx context.Context, e *env, name string, eng *engine.Engine, agg *scan.Aggregator, emit func(*scan.DocResult) error) int {
	r, err := agg.EvaluateFleet(ctx, eng)
	if err != nil {
		return errCode(e, name, err)
	}
	if r == nil {
		return 0
	}
	agg.Add(r)
	if err := emit(r); err != nil {
		return errCode(e, name, err)
	}
	return 0
}
