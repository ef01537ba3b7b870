package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// evalFlags are the flags shared by review, scan and approve.
type evalFlags struct {
	format       string
	reports      []string
	now          string
	params       string
	controls     []string
	areas        []string
	skip         []string
	plans        []string
	specs        []string
	failOn       string
	onlyFailures bool
	workers      int
	quiet        bool
	shard        string
	includePass  bool
	waivers      []string
	store        string
}

func (f *evalFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.format, "format", "f", "text", "output format on stdout: "+strings.Join(report.Formats(), ", "))
	fs.StringArrayVar(&f.reports, "report", nil, "also write a report: NAME=FILE (repeatable), e.g. --report json=out.json")
	fs.StringVar(&f.now, "now", "", "run time as RFC 3339 (default: the clock); fixes reports for reproducibility")
	fs.StringVar(&f.params, "params", "", "YAML or JSON file of parameter overrides (thresholds)")
	fs.StringSliceVar(&f.controls, "controls", nil, "only these control ids (comma-separated)")
	fs.StringSliceVar(&f.areas, "areas", nil, "only these areas (comma-separated)")
	fs.StringSliceVar(&f.skip, "skip", nil, "skip these control ids (comma-separated)")
	fs.StringArrayVar(&f.plans, "plans", nil, "file or directory of InstallPlans used to resolve links (repeatable)")
	fs.StringArrayVar(&f.specs, "specs", nil, "file or directory of ProductSpecs used to resolve links (repeatable)")
	fs.StringVar(&f.failOn, "fail-on", "low", "lowest severity of a failing finding that makes the exit code 1 (insufficient evidence always counts)")
	fs.BoolVar(&f.onlyFailures, "only-failures", false, "text and markdown: show failing findings only")
	fs.IntVar(&f.workers, "workers", 0, "documents evaluated in parallel (default: number of CPUs)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress output")
	fs.StringVar(&f.shard, "shard", "", "evaluate only shard K of N (K/N, 0-based K), for splitting a fleet across machines")
	fs.BoolVar(&f.includePass, "sarif-include-pass", false, "sarif: also emit passing results (kind: pass)")
	fs.StringArrayVar(&f.waivers, "waivers", nil, "file or directory of Waivers applied to failing findings (repeatable)")
}

// setup builds the engine and the runner from the flags.
func (f *evalFlags) setup(ctx context.Context, e *env, name string) (*engine.Engine, *scan.Runner, engine.Severity, int) {
	opts := engine.Options{Controls: splitList(f.controls), Areas: splitList(f.areas), Skip: splitList(f.skip)}
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return nil, nil, "", usageErr(e, name, "--now %q: expected an RFC 3339 time with an offset, e.g. 2026-11-25T12:00:00Z", f.now)
		}
		opts.Now = t
	}
	failOn, ok := engine.ParseSeverity(f.failOn)
	if !ok {
		return nil, nil, "", usageErr(e, name, "--fail-on %q: expected critical, high, medium or low", f.failOn)
	}
	if f.params != "" {
		p, err := readParams(f.params)
		if err != nil {
			return nil, nil, "", usageErr(e, name, "--params: %v", err)
		}
		opts.Params = p
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return nil, nil, "", errCode(e, name, err)
	}
	v, err := document.NewValidator()
	if err != nil {
		return nil, nil, "", errCode(e, name, err)
	}
	return eng, &scan.Runner{Engine: eng, Validator: v}, failOn, 0
}

func readParams(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(j)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: expected a mapping of parameter names to values", path)
	}
	if inner, ok := m["params"].(map[string]any); ok && len(m) == 1 {
		m = inner
	}
	return m, nil
}

func parseShard(s string) (scan.Shard, error) {
	if s == "" {
		return scan.Shard{}, nil
	}
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 0 || ki >= ni {
		return scan.Shard{}, fmt.Errorf("--shard %q: expected K/N with 0 <= K < N, e.g. 0/4", s)
	}
	return scan.Shard{Index: ki, Of: ni}, nil
}

// outputs opens the stdout writer and every --report writer.
type outputs struct {
	writers []report.Writer
	files   []*os.File
}

func (o *outputs) Result(r *scan.DocResult) error {
	for _, w := range o.writers {
		if err := w.Result(r); err != nil {
			return err
		}
	}
	return nil
}

func (o *outputs) Close(fin *report.Final) error {
	var errs []error
	for _, w := range o.writers {
		errs = append(errs, w.Close(fin))
	}
	for _, f := range o.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

func (f *evalFlags) outputs(e *env, name string, ro report.Options) (*outputs, int) {
	o := &outputs{}
	stdoutOpts := ro
	stdoutOpts.Color = f.format == "text" && colorOK(e.stdout)
	w, err := report.New(f.format, e.stdout, stdoutOpts)
	if err != nil {
		return nil, usageErr(e, name, "--format: %v", err)
	}
	o.writers = append(o.writers, w)
	for _, spec := range f.reports {
		format, path, ok := strings.Cut(spec, "=")
		if !ok || path == "" {
			o.Close(&report.Final{Summary: &scan.Summary{}})
			return nil, usageErr(e, name, "--report %q: expected NAME=FILE, e.g. sarif=out.sarif", spec)
		}
		if _, err := report.New(format, io.Discard, ro); err != nil {
			o.Close(&report.Final{Summary: &scan.Summary{}})
			return nil, usageErr(e, name, "--report: %v", err)
		}
		file, err := os.Create(path)
		if err != nil {
			o.Close(&report.Final{Summary: &scan.Summary{}})
			return nil, usageErr(e, name, "--report: %v", err)
		}
		rw, _ := report.New(format, file, ro)
		o.writers = append(o.writers, rw)
		o.files = append(o.files, file)
	}
	return o, 0
}

// evaluation is one run of review, scan or approve.
type evaluation struct {
	name  string
	flags evalFlags
	paths []string
	links []string
	// finish, when set, holds every result back until the run ends, then
	// chooses what to show and computes verdicts (approve).
	finish   func(all []*scan.DocResult) (show []*scan.DocResult, v []report.Verdict, errs []*document.InputError)
	keepDocs bool
}

func (ev *evaluation) run(ctx context.Context, e *env) int {
	f := &ev.flags
	shard, err := parseShard(f.shard)
	if err != nil {
		return usageErr(e, ev.name, "%v", err)
	}
	eng, runner, failOn, code := f.setup(ctx, e, ev.name)
	if eng == nil {
		return code
	}
	waivers, waiverErrs, err := loadWaivers(ctx, eng, runner, f.waivers)
	if err != nil {
		return errCode(e, ev.name, err)
	}
	rec, code := f.openRecording(ctx, e, ev, eng)
	if code != 0 {
		return code
	}
	defer rec.close()
	ro := report.Options{Engine: eng, ToolVersion: Version, Verb: ev.name, OnlyFailures: f.onlyFailures, IncludePass: f.includePass, FailOn: failOn}
	out, code := f.outputs(e, ev.name, ro)
	if out == nil {
		return code
	}
	agg := scan.NewAggregator(eng, failOn)
	for _, r := range waiverErrorResults(waiverErrs) {
		agg.Add(r)
		if err := out.Result(r); err != nil {
			out.Close(&report.Final{Summary: agg.Summary()})
			return errCode(e, ev.name, err)
		}
	}
	progress := newProgress(e, f.quiet, ev.paths)
	var held []*scan.DocResult
	sink := scan.SinkFunc(func(r *scan.DocResult) error {
		progress.add(r)
		if err := rec.add(ctx, r); err != nil {
			return err
		}
		if ev.finish != nil {
			held = append(held, r)
			return nil
		}
		agg.Add(r)
		return out.Result(r)
	})
	runErr := runner.Run(ctx, scan.Options{Paths: ev.paths, LinkPaths: ev.links, Stdin: e.stdin, Workers: f.workers, KeepDocuments: ev.keepDocs, Shard: shard}, sink)
	progress.done()
	interrupted := errors.Is(runErr, context.Canceled)
	if runErr != nil && !interrupted {
		out.Close(&report.Final{Summary: agg.Summary()})
		return errCode(e, ev.name, runErr)
	}
	if interrupted {
		agg.MarkIncomplete()
	}
	// Fleet-level controls need the whole fleet: not on an interrupted run,
	// nor on one shard (lockcheck merge evaluates them over all shards).
	if ev.name == "scan" && !interrupted && shard.Of <= 1 {
		if code := fleetResult(ctx, e, ev.name, eng, agg, func(r *scan.DocResult) error {
			if err := rec.add(ctx, r); err != nil {
				return err
			}
			return out.Result(r)
		}); code != 0 {
			out.Close(&report.Final{Summary: agg.Summary()})
			return code
		}
	}
	var verdicts []report.Verdict
	if ev.finish != nil {
		show, v, verrs := ev.finish(held)
		verdicts = v
		for _, r := range show {
			agg.Add(r)
			if err := out.Result(r); err != nil {
				out.Close(&report.Final{Summary: agg.Summary()})
				return errCode(e, ev.name, err)
			}
		}
		if len(verrs) > 0 {
			agg.Add(&scan.DocResult{Errors: verrs})
		}
	}
	fin := &report.Final{Summary: agg.Summary(), Verdicts: verdicts}
	addWarnings(e, fin.Summary, waivers.Unmatched())
	if code := rec.commit(e, ev.name, fin.Summary, !interrupted); code != 0 {
		out.Close(fin)
		return code
	}
	fin.Trend = rec.trend(10)
	exit := fin.Summary.ExitCode()
	if ev.finish != nil {
		exit = approveExit(fin)
	}
	if err := out.Close(fin); err != nil {
		fmt.Fprintf(e.stderr, "lockcheck %s: write report: %v\n", ev.name, err)
		return ExitInput
	}
	if f.format != "text" {
		printProblemsToStderr(e, fin.Summary)
	}
	if interrupted {
		fmt.Fprintf(e.stderr, "lockcheck %s: interrupted; the reports cover the %d documents finished and are marked incomplete\n", ev.name, fin.Summary.Documents)
		return ExitInterrupted
	}
	return exit
}

// printProblemsToStderr repeats input errors on stderr when stdout carries a
// machine format, so a user piping JSON still sees them.
func printProblemsToStderr(e *env, s *scan.Summary) {
	if s.InputErrors == 0 {
		return
	}
	for _, er := range s.Errors {
		fmt.Fprintf(e.stderr, "error: %s\n", er.Error())
	}
	if s.InputErrors > len(s.Errors) {
		fmt.Fprintf(e.stderr, "error: … and %d more input errors\n", s.InputErrors-len(s.Errors))
	}
}

func runScan(ctx context.Context, e *env, args []string) int {
	ev := &evaluation{name: "scan"}
	tuneGCForScan()
	fs := newFlags(e, "scan", "PATH...")
	ev.flags.register(fs)
	fs.StringVar(&ev.flags.store, "store", "", "record the scan in this history database (SQLite; default $"+storeEnv+")")
	if code, ok := parse(e, fs, "scan", "PATH...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, "scan", "no inputs: give files, directories or - for stdin (e.g. lockcheck scan fixtures/fleet)")
	}
	ev.paths = fs.Args()
	ev.links = append(append([]string{}, ev.flags.plans...), ev.flags.specs...)
	return ev.run(ctx, e)
}

func runReview(ctx context.Context, e *env, args []string) int {
	ev := &evaluation{name: "review"}
	fs := newFlags(e, "review", "SPEC...")
	ev.flags.register(fs)
	if code, ok := parse(e, fs, "review", "SPEC...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, "review", "no product specs given (e.g. lockcheck review fixtures/products)")
	}
	ev.paths = fs.Args()
	ev.links = append(append([]string{}, ev.flags.plans...), ev.flags.specs...)
	return ev.run(ctx, e)
}
