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
	"github.com/lockcheck/lockcheck/engine/history"
	"github.com/lockcheck/lockcheck/engine/output"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/engine/waiver"
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
	policy       policyFlags
	show         string
	minSeverity  string
	statuses     []string
	differences  bool
	mdMaxChars   int

	set *pflag.FlagSet // to tell a flag given empty from one left out
}

func (f *evalFlags) register(fs *pflag.FlagSet) {
	f.set = fs
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
	f.registerDisplay(fs)
	fs.IntVar(&f.workers, "workers", 0, "documents evaluated in parallel (default: number of CPUs)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress output")
	fs.StringVar(&f.shard, "shard", "", "evaluate only shard K of N (K/N, 0-based K), for splitting a fleet across machines")
	fs.BoolVar(&f.includePass, "sarif-include-pass", false, "sarif: also emit passing results (kind: pass)")
	fs.StringArrayVar(&f.waivers, "waivers", nil, "file or directory of Waivers applied to failing findings (repeatable)")
	f.policy.register(fs)
}

// registerDisplay adds the display-only flags: they choose what the human
// formats show, never what is evaluated, the exit code or a machine format.
func (f *evalFlags) registerDisplay(fs *pflag.FlagSet) {
	fs.IntVar(&f.mdMaxChars, "markdown-max-chars", 60000, "markdown: at most this many characters (a GitHub comment holds 65,536): the summary and the most severe failures first, whole tables only; 0 = no cap")
	fs.StringVar(&f.show, "show", "failing", "text: failing (summary, failing documents worst first, passing ones on one line) or all (every finding, input order); display only")
	fs.StringVar(&f.minSeverity, "min-severity", "", "text: hide findings below this severity (display only; --fail-on decides the exit code)")
	fs.StringSliceVar(&f.statuses, "status", nil, "text: show only findings with these statuses, e.g. fail,insufficient_evidence (display only)")
}

// display parses the display-only flags (--show, --min-severity, --status).
func (f *evalFlags) display() (report.Display, error) {
	var d report.Display
	all, ok := report.ParseShow(f.show)
	if !ok {
		return d, fmt.Errorf("--show %q: expected failing or all", f.show)
	}
	d.All = all
	if f.minSeverity != "" {
		sev, ok := engine.ParseSeverity(f.minSeverity)
		if !ok {
			return d, fmt.Errorf("--min-severity %q: expected critical, high, medium or low", f.minSeverity)
		}
		d.MinSeverity = sev
	}
	st, err := report.ParseStatuses(f.statuses)
	if err != nil {
		return d, fmt.Errorf("--status: %w", err)
	}
	d.Statuses = st
	d.Differences = f.differences
	return d, nil
}

// setup builds the engine and the runner from the flags.
func (f *evalFlags) setup(ctx context.Context, e *env, name string) (*engine.Engine, *scan.Runner, engine.Severity, int) {
	opts := engine.Options{Controls: splitList(f.controls), Areas: splitList(f.areas), Skip: splitList(f.skip)}
	if f.now == "" && f.set != nil && f.set.Changed("now") {
		return nil, nil, "", usageErr(e, name, "--now is empty: give an RFC 3339 time with an offset, e.g. 2026-11-25T12:00:00Z, or leave --now out to use the clock")
	}
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return nil, nil, "", usageErr(e, name, "--now %q: expected an RFC 3339 time with an offset, e.g. 2026-11-25T12:00:00Z", f.now)
		}
		if err := engine.CheckRunTime(t); err != nil {
			return nil, nil, "", usageErr(e, name, "--now %q: %v", f.now, err)
		}
		opts.Now = t
	}
	if f.workers <= 0 && f.set != nil && f.set.Changed("workers") {
		return nil, nil, "", usageErr(e, name, "--workers %d: expected at least 1 (leave --workers out for one per CPU)", f.workers)
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
	if err := f.policy.apply(&opts); err != nil {
		return nil, nil, "", errCode(e, name, err)
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

// createOutput creates an output file: a --report, a bundle, an imported
// lock file (a variable so that a test can make one fail mid-run).
// createPrivateOutput creates one that only its owner may read (a saved
// export).
var (
	createOutput        = output.Create
	createPrivateOutput = func(path string) (output.File, error) { return output.CreateMode(path, 0o600) }
)

// writeOutput writes b to path whole or not at all: the file appears only
// once complete, and on an error nothing is left at path (whatever was
// there stays).
func writeOutput(create func(string) (output.File, error), path string, b []byte) error {
	f, err := create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// outputs are the stdout writer and every --report writer. A report file
// appears at its path only once complete (Close); on an error it is
// discarded (Fail), and whatever was at the path before stays.
type outputs struct {
	writers []report.Writer
	files   []output.File
	done    bool
}

func (o *outputs) Result(r *scan.DocResult) error {
	for _, w := range o.writers {
		if err := w.Result(r); err != nil {
			return err
		}
	}
	return nil
}

// Close finishes every writer and moves every report file into place; if
// any writer fails, no report file is moved into place.
func (o *outputs) Close(fin *report.Final) error {
	if o.done {
		return nil
	}
	o.done = true
	var errs []error
	for _, w := range o.writers {
		errs = append(errs, w.Close(fin))
	}
	if err := errors.Join(errs...); err != nil {
		for _, f := range o.files {
			f.Abort()
		}
		return err
	}
	for _, f := range o.files {
		errs = append(errs, f.Commit())
	}
	return errors.Join(errs...)
}

// Fail ends a run that failed: stdout still gets a well-formed end, the
// report files are discarded. It is a no-op after Close.
func (o *outputs) Fail(fin *report.Final) {
	if o.done {
		return
	}
	o.done = true
	for _, w := range o.writers {
		w.Close(fin)
	}
	for _, f := range o.files {
		f.Abort()
	}
}

// reportPaths are the files named by --report flags (malformed ones are
// reported when the outputs are opened).
func (f *evalFlags) reportPaths() []string {
	var out []string
	for _, spec := range f.reports {
		if _, p, ok := strings.Cut(spec, "="); ok && p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkReports refuses a --report naming one of the run's input files (it
// would be destroyed before it is read) or a file another --report names.
func (f *evalFlags) checkReports(e *env, name string, inputs ...[]string) int {
	outs := f.reportPaths()
	if len(outs) == 0 {
		return 0
	}
	var files []string
	for _, in := range inputs {
		fs, _ := document.Expand(in)
		files = append(files, fs...)
	}
	if f.params != "" {
		files = append(files, f.params)
	}
	if f.store != "" {
		files = append(files, f.store)
	}
	if err := output.CheckPaths(outs, files); err != nil {
		return usageErr(e, name, "--report: %v", err)
	}
	return 0
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
			o.Fail(&report.Final{Summary: &scan.Summary{}})
			return nil, usageErr(e, name, "--report %q: expected NAME=FILE, e.g. sarif=out.sarif", spec)
		}
		if _, err := report.New(format, io.Discard, ro); err != nil {
			o.Fail(&report.Final{Summary: &scan.Summary{}})
			return nil, usageErr(e, name, "--report: %v", err)
		}
		file, err := createOutput(path)
		if err != nil {
			o.Fail(&report.Final{Summary: &scan.Summary{}})
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
	// fleet evaluates the fleet-level controls over the whole run once the
	// documents are done (scan).
	fleet bool
	// record records the run in the history store named by --store or
	// $LOCKCHECK_STORE (scan).
	record bool
}

// evalRun is an evaluation once set up: its engine, store and outputs.
type evalRun struct {
	eng        *engine.Engine
	runner     *scan.Runner
	shard      scan.Shard
	waivers    *waiver.Set
	waiverErrs []*document.InputError
	rec        *history.Recorder
	out        *outputs
	agg        *scan.Aggregator
}

// evaluated is what the documents' stage leaves for the later ones.
type evaluated struct {
	// held are the results held back for finish.
	held []*scan.DocResult
	// skipped are the warnings about inputs that belong to no document.
	skipped     []document.Warning
	interrupted bool
}

// run evaluates the inputs and writes every output, in stages: open (flags,
// engine, waivers, store, outputs), evaluate the documents, add the
// fleet-level results, finish (approve's decision), then close the outputs
// and choose the exit code. Every path out of it ends the outputs and the
// store.
func (ev *evaluation) run(ctx context.Context, e *env) int {
	s, code := ev.open(ctx, e)
	if s == nil {
		return code
	}
	defer s.rec.Close()
	// every path out of the run ends the outputs; after Close this is a no-op
	defer func() { s.out.Fail(&report.Final{Summary: s.agg.Summary()}) }()
	res, code := ev.evaluateDocuments(ctx, e, s)
	if code != 0 {
		return code
	}
	// Fleet-level controls need the whole fleet: not on an interrupted run,
	// nor on one shard (lockcheck merge evaluates them over all shards).
	if ev.fleet && !res.interrupted && s.shard.Of <= 1 {
		if code := ev.addFleet(ctx, e, s); code != 0 {
			return code
		}
	}
	var verdicts []report.Verdict
	if ev.finish != nil {
		if verdicts, code = ev.applyFinish(e, s, res.held); code != 0 {
			return code
		}
	}
	return ev.complete(ctx, e, s, res, verdicts)
}

// open checks the flags and sets up the engine, the waivers, the store and
// the outputs. On failure it returns nil and the exit code, with whatever it
// opened closed again.
func (ev *evaluation) open(ctx context.Context, e *env) (*evalRun, int) {
	f := &ev.flags
	shard, err := parseShard(f.shard)
	if err != nil {
		return nil, usageErr(e, ev.name, "%v", err)
	}
	if code := f.checkReports(e, ev.name, ev.paths, ev.links, f.waivers); code != 0 {
		return nil, code
	}
	eng, runner, failOn, code := f.setup(ctx, e, ev.name)
	if eng == nil {
		return nil, code
	}
	waivers, waiverErrs, err := loadWaivers(ctx, eng, runner, f.waivers)
	if err != nil {
		return nil, errCode(e, ev.name, err)
	}
	rec, code := f.openRecording(ctx, e, ev, eng)
	if code != 0 {
		return nil, code
	}
	disp, err := f.display()
	if err != nil {
		code := usageErr(e, ev.name, "%v", err)
		rec.Close()
		return nil, code
	}
	ro := report.Options{Engine: eng, ToolVersion: Version, Verb: ev.name, OnlyFailures: f.onlyFailures, IncludePass: f.includePass, FailOn: failOn, SealLines: shard.Of > 0, Display: disp, MarkdownMaxChars: f.mdMaxChars}
	out, code := f.outputs(e, ev.name, ro)
	if out == nil {
		rec.Close()
		return nil, code
	}
	agg := scan.NewAggregator(eng, failOn)
	if shard.Of > 0 {
		agg.MarkShard(shard.Index, shard.Of)
	}
	return &evalRun{eng: eng, runner: runner, shard: shard, waivers: waivers, waiverErrs: waiverErrs, rec: rec, out: out, agg: agg}, 0
}

// evaluateDocuments delivers the waivers' input errors, then evaluates the
// inputs: each result goes to the progress line and the store, then to the
// summary and the outputs, or is held back for finish. A non-zero code means
// the run failed (the outputs are ended); a cancelled run is not a failure
// but is marked incomplete.
func (ev *evaluation) evaluateDocuments(ctx context.Context, e *env, s *evalRun) (evaluated, int) {
	var res evaluated
	for _, r := range waiverErrorResults(s.waiverErrs) {
		s.agg.Add(r)
		if err := s.out.Result(r); err != nil {
			s.out.Fail(&report.Final{Summary: s.agg.Summary()})
			return res, errCode(e, ev.name, err)
		}
	}
	f := &ev.flags
	progress := newProgress(e, f.quiet, ev.paths)
	sink := scan.SinkFunc(func(r *scan.DocResult) error {
		progress.add(r)
		if err := s.rec.Add(r); err != nil {
			return err
		}
		if ev.finish != nil {
			res.held = append(res.held, r)
			return nil
		}
		s.agg.Add(r)
		return s.out.Result(r)
	})
	runErr := s.runner.Run(ctx, scan.Options{Paths: ev.paths, LinkPaths: ev.links, Stdin: e.stdin, Workers: f.workers, KeepDocuments: ev.keepDocs, Shard: s.shard,
		Warn: func(w document.Warning) { res.skipped = append(res.skipped, w) }}, sink)
	progress.done()
	res.interrupted = errors.Is(runErr, context.Canceled)
	if runErr != nil && !res.interrupted {
		s.out.Fail(&report.Final{Summary: s.agg.Summary()})
		return res, errCode(e, ev.name, runErr)
	}
	if res.interrupted {
		s.agg.MarkIncomplete()
	}
	return res, 0
}

// addFleet evaluates the fleet-level controls over the run's summary and
// delivers their results to the store and the outputs.
func (ev *evaluation) addFleet(ctx context.Context, e *env, s *evalRun) int {
	_, err := s.agg.AddFleet(ctx, s.eng, scan.SinkFunc(func(r *scan.DocResult) error {
		if err := s.rec.Add(r); err != nil {
			return err
		}
		return s.out.Result(r)
	}))
	if err != nil {
		s.out.Fail(&report.Final{Summary: s.agg.Summary()})
		return errCode(e, ev.name, err)
	}
	return 0
}

// applyFinish hands the held results to ev.finish, delivers the ones it
// shows and counts its input errors; it returns its verdicts.
func (ev *evaluation) applyFinish(e *env, s *evalRun, held []*scan.DocResult) ([]report.Verdict, int) {
	show, verdicts, verrs := ev.finish(held)
	for _, r := range show {
		s.agg.Add(r)
		if err := s.out.Result(r); err != nil {
			// a report that could not take a result is discarded, never
			// committed half-written
			s.out.Fail(&report.Final{Summary: s.agg.Summary()})
			return nil, errCode(e, ev.name, err)
		}
	}
	if len(verrs) > 0 {
		s.agg.Add(&scan.DocResult{Errors: verrs})
	}
	return verdicts, 0
}

// complete commits the store, closes the outputs with the final summary and
// returns the exit code.
func (ev *evaluation) complete(ctx context.Context, e *env, s *evalRun, res evaluated, verdicts []report.Verdict) int {
	fin := &report.Final{Summary: s.agg.Summary(), Verdicts: verdicts}
	addWarnings(e, fin.Summary, append(res.skipped, s.waivers.Unmatched()...))
	if code := commitRecording(e, ev.name, s.rec, fin.Summary, !res.interrupted); code != 0 {
		s.out.Fail(fin)
		return code
	}
	fin.Trend = reportTrend(s.rec, 10)
	exit := fin.Summary.ExitCode()
	if ev.finish != nil {
		exit = approveExit(fin)
	}
	if err := s.out.Close(fin); err != nil {
		fmt.Fprintf(e.stderr, "lockcheck %s: write report: %v\n", ev.name, err)
		return ExitInput
	}
	if ev.flags.format != "text" {
		printProblemsToStderr(e, fin.Summary)
	}
	if res.interrupted {
		fmt.Fprintf(e.stderr, "lockcheck %s: interrupted; the reports cover the %d documents finished and are marked incomplete\n", ev.name, fin.Summary.Documents)
		return interruptedCode(ctx)
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
	ev := &evaluation{name: "scan", fleet: true, record: true}
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
	// The documents are kept for the matrix's vendor and model (specs are few).
	ev := &evaluation{name: "review", keepDocs: true}
	fs := newFlags(e, "review", "SPEC...")
	ev.flags.register(fs)
	fs.BoolVar(&ev.flags.differences, "differences", false, "comparison matrix: only the controls whose outcome differs between products (display only)")
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
