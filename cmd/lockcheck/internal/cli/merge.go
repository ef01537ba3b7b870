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
// result (engine/merge does the work), in stages: parse the flags, open and
// check the shards, build an engine that evaluates as they did and open
// the outputs, merge the shards into them and add the fleet-level controls
// over all shards, then close the outputs and choose the exit code. Every
// path out of it closes the shards and ends the outputs.
func runMerge(ctx context.Context, e *env, args []string) int {
	const name = "merge"
	f, paths, code := parseMerge(e, name, args)
	if paths == nil {
		return code
	}
	if code := f.checkReports(e, name, paths); code != 0 {
		return code
	}
	shards, err := openShards(paths)
	defer closeShards(shards)
	if err != nil {
		return usageErr(e, name, "%v", err)
	}
	m, code := f.openMerge(ctx, e, name, shards)
	if m == nil {
		return code
	}
	// every path out of the run ends the outputs; after Close this is a no-op
	defer func() { m.out.Fail(&report.Final{Summary: m.agg.Summary()}) }()
	if code := m.combine(ctx, e); code != 0 {
		return code
	}
	return m.complete(e)
}

// parseMerge parses merge's flags; it returns the shard files, or nil and
// the exit code.
func parseMerge(e *env, name string, args []string) (*evalFlags, []string, int) {
	f := &evalFlags{}
	fs := newFlags(e, name, "RESULTS...")
	fs.StringVarP(&f.format, "format", "f", "text", "output format on stdout: "+strings.Join(report.Formats(), ", "))
	fs.StringArrayVar(&f.reports, "report", nil, "also write a report: NAME=FILE (repeatable), e.g. --report json=out.json")
	fs.StringVar(&f.params, "params", "", "the --params file the shards ran with (its digest must match theirs)")
	fs.BoolVar(&f.onlyFailures, "only-failures", false, "text and markdown: show failing findings only")
	f.registerDisplay(fs)
	fs.BoolVar(&f.includePass, "sarif-include-pass", false, "sarif: also emit passing results (kind: pass)")
	f.policy.register(fs)
	if code, ok := parse(e, fs, name, "RESULTS...", args); !ok {
		return nil, nil, code
	}
	if fs.NArg() == 0 {
		return nil, nil, usageErr(e, name, "no shard results: give the files written by `lockcheck scan --shard K/N --format ndjson`")
	}
	return f, fs.Args(), 0
}

// mergeRun is a merge once set up: the shards, the engine, the outputs and
// the summary being built.
type mergeRun struct {
	name   string
	shards []*merge.Shard
	eng    *engine.Engine
	out    *outputs
	agg    *scan.Aggregator
	// incomplete are the shards marked incomplete (interrupted).
	incomplete []string
}

// openMerge builds the engine the shards ran with and opens the outputs;
// on failure it returns nil and the exit code.
func (f *evalFlags) openMerge(ctx context.Context, e *env, name string, shards []*merge.Shard) (*mergeRun, int) {
	eng, code := f.mergeEngine(ctx, e, name, shards[0])
	if eng == nil {
		return nil, code
	}
	failOn := merge.FailOn(shards[0])
	disp, err := f.display()
	if err != nil {
		return nil, usageErr(e, name, "%v", err)
	}
	ro := report.Options{Engine: eng, ToolVersion: Version, Verb: "scan", OnlyFailures: f.onlyFailures, IncludePass: f.includePass, FailOn: failOn, Display: disp, MarkdownMaxChars: f.mdMaxChars}
	out, code := f.outputs(e, name, ro)
	if out == nil {
		return nil, code
	}
	return &mergeRun{name: name, shards: shards, eng: eng, out: out, agg: scan.NewAggregator(eng, failOn)}, 0
}

// combine merges the shards' results into the summary and the outputs,
// then, when no shard was interrupted, adds the fleet-level controls over
// all of them. A non-zero code means the run failed.
func (m *mergeRun) combine(ctx context.Context, e *env) int {
	if err := merge.Into(ctx, m.shards, m.agg, m.out); err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(e.stderr, "lockcheck %s: interrupted; no merged report written\n", m.name)
			return interruptedCode(ctx)
		}
		return errCode(e, m.name, err)
	}
	m.incomplete = merge.Incomplete(m.shards)
	for _, p := range m.incomplete {
		fmt.Fprintf(e.stderr, "lockcheck %s: %s is marked incomplete (that shard was interrupted); the merged result is incomplete and the fleet-level controls are not evaluated\n", m.name, p)
	}
	if len(m.incomplete) > 0 {
		return 0
	}
	if _, err := m.agg.AddFleet(ctx, m.eng, m.out); err != nil {
		return errCode(e, m.name, err)
	}
	return 0
}

// complete closes the outputs with the final summary and returns the exit
// code: 2 when a shard was incomplete.
func (m *mergeRun) complete(e *env) int {
	fin := &report.Final{Summary: m.agg.Summary()}
	if err := m.out.Close(fin); err != nil {
		fmt.Fprintf(e.stderr, "lockcheck %s: write report: %v\n", m.name, err)
		return ExitInput
	}
	printProblemsToStderr(e, fin.Summary)
	if len(m.incomplete) > 0 {
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

func closeShards(shards []*merge.Shard) {
	for _, s := range shards {
		s.Close()
	}
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
