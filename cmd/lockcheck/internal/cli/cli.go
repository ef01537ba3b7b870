// Package cli implements the lockcheck command line: it parses arguments,
// runs the engine and maps results to exit codes. Nothing here calls
// os.Exit; Main returns the code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/lockcheck/lockcheck/engine"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailing     = 1
	ExitInput       = 2
	ExitInterrupted = 130 // SIGINT (Ctrl-C): 128 + 2
	ExitTerminated  = 143 // SIGTERM (kill, Kubernetes eviction): 128 + 15
)

// Version is lockcheck's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"review", "SPEC...", "procurement review of product specs, with a comparison matrix", runReview},
		{"scan", "PATH...", "fleet compliance scan of lock snapshots (and any other documents)", runScan},
		{"approve", "PLAN...", "pre-installation approval of installation plans: APPROVED / WITH CONDITIONS / REJECTED", runApprove},
		{"import", "SRC DUMP", "write LockSnapshots from device dumps (" + importSourceNames() + "), with provenance and coverage", runImport},
		{"validate", "PATH...", "structural validation only (decode + schema)", runValidate},
		{"merge", "RESULTS...", "combine the ndjson results of scan --shard K/N runs into one result (summary, fleet controls, any format)", runMerge},
		{"history", "[prune]", "list the scans recorded with scan --store; prune old ones", runHistory},
		{"diff", "[A] [B]", "what changed between two recorded scans (default: the last two)", runDiff},
		{"trend", "", "pass rate per control (or site) across the last recorded scans", runTrend},
		{"controls", "", "list the control catalogue", runControls},
		{"explain", "ID", "everything about one control", runExplain},
		{"test", "PATH...", "run the Rego tests, coverage, contract and fail-closed checks of custom controls", runTest},
		{"new", "control DIR", "write a new custom control and its test from a template", runNew},
		{"bundle", "build DIR", "write a policy directory as an OPA bundle, optionally signed", runBundle},
		{"version", "", "print lockcheck's and the catalogue's version", runVersion},
	}
}

// completionCommand is listed apart so that the completion it generates can
// list commands() without a cycle.
var completionCommand = command{"completion", "SHELL", "shell completion script: bash, zsh or fish", runCompletion}

func allCommands() []command {
	return append(commands(), completionCommand)
}

// checkedWriter is stdout as the commands see it: it remembers the first
// write error, so that a command printing with fmt (which drops the error)
// still ends with exit 2 instead of reporting success on a truncated output.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// checkStdout turns a command's success (0) or failing findings (1) into
// exit 2 when its stdout could not be written; a command that already
// stopped on the error (2) or was interrupted keeps its code.
func checkStdout(out *checkedWriter, stderr io.Writer, name string, code int) int {
	if out.err == nil || (code != ExitOK && code != ExitFailing) {
		return code
	}
	fmt.Fprintf(stderr, "lockcheck %s: write stdout: %v\n", name, out.err)
	return ExitInput
}

// Main runs lockcheck with the given arguments and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	out := &checkedWriter{w: stdout}
	e := &env{stdin: stdin, stdout: out, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "lockcheck: internal error: %v\nThis is a bug; please report it with the command you ran.\n", r)
			if os.Getenv("LOCKCHECK_DEBUG") != "" {
				stderr.Write(debug.Stack())
			}
			code = ExitInput
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(out)
		if len(args) == 0 {
			return ExitInput
		}
		return checkStdout(out, stderr, "help", ExitOK)
	}
	ctx, stop := notifyContext(context.Background())
	defer stop()
	for _, c := range allCommands() {
		if c.name == args[0] {
			return checkStdout(out, stderr, c.name, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(stderr, "lockcheck: unknown command %q\n\n", args[0])
	usage(stderr)
	return ExitInput
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "lockcheck — policy-as-code compliance for smart locks\n\nUsage: lockcheck COMMAND [ARGS] [FLAGS]\n\nCommands:\n")
	for _, c := range allCommands() {
		fmt.Fprintf(w, "  %-9s %-9s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'lockcheck COMMAND --help' for a command's flags.\nExit codes: 0 nothing failing at or above --fail-on; 1 failing findings (approve: REJECTED); 2 usage or input error; 130 interrupted (SIGINT); 143 terminated (SIGTERM).\n")
}

// signalError is the cause of a run's cancellation by a signal.
type signalError struct{ sig os.Signal }

func (s signalError) Error() string { return "stopped by " + s.sig.String() }

// notifyContext is cancelled by SIGINT or SIGTERM, both handled alike: the
// run stops reading, finishes what is in flight and writes what is done,
// marked incomplete. The signal is the context's cause (see interruptedCode).
func notifyContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			cancel(signalError{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// interruptedCode is the exit code of a run stopped by ctx: 143 after
// SIGTERM, 130 otherwise (SIGINT).
func interruptedCode(ctx context.Context) int {
	var se signalError
	if errors.As(context.Cause(ctx), &se) && se.sig == syscall.SIGTERM {
		return ExitTerminated
	}
	return ExitInterrupted
}

// newFlags makes a flag set whose errors are returned, not printed and exited.
func newFlags(e *env, name, args string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.Usage = func() {}
	_ = args
	return fs
}

// parse parses flags, printing a clear usage error. ok is false when the
// command must stop with code.
func parse(e *env, fs *pflag.FlagSet, name, args string, argv []string) (code int, ok bool) {
	if err := fs.Parse(argv); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fmt.Fprintf(e.stdout, "Usage: lockcheck %s %s [FLAGS]\n\nFlags:\n", name, args)
			fs.PrintDefaults()
			return ExitOK, false
		}
		fmt.Fprintf(e.stderr, "lockcheck %s: %v (see 'lockcheck %s --help')\n", name, err, name)
		return ExitInput, false
	}
	return 0, true
}

func usageErr(e *env, name string, format string, a ...any) int {
	fmt.Fprintf(e.stderr, "lockcheck %s: %s\n", name, fmt.Sprintf(format, a...))
	return ExitInput
}

// errCode maps an error from the engine to an exit code with a message.
func errCode(e *env, name string, err error) int {
	var ue *engine.UsageError
	if errors.As(err, &ue) {
		return usageErr(e, name, "%s", ue.Msg)
	}
	fmt.Fprintf(e.stderr, "lockcheck %s: %v\n", name, err)
	return ExitInput
}

// colorOK reports whether w is a terminal and NO_COLOR is unset.
func colorOK(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	return isTerminal(w)
}

func isTerminal(w io.Writer) bool {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}
