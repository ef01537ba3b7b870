package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/history"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// storeEnv names the history database when --store is not given.
const storeEnv = "LOCKCHECK_STORE"

// storePath is the history store named by --store, else $LOCKCHECK_STORE;
// "" when neither is given.
func storePath(flag string) string {
	if flag != "" {
		return flag
	}
	return os.Getenv(storeEnv)
}

// openRecording opens the store named by --store (or $LOCKCHECK_STORE) for
// an evaluation that records (scan) and starts the scan's recording; nil
// when the evaluation does not record or no store is named.
func (f *evalFlags) openRecording(ctx context.Context, e *env, ev *evaluation, eng *engine.Engine) (*history.Recorder, int) {
	if !ev.record {
		return nil, 0
	}
	path := storePath(f.store)
	if path == "" {
		return nil, 0
	}
	meta := history.Meta{
		StartedAt: time.Now(), Now: eng.Now(),
		CatalogueVersion: eng.Version(), CatalogueDigest: eng.Digest(), ParamsDigest: eng.ParamsDigest(), ToolVersion: Version,
	}
	rec, err := history.Record(ctx, path, meta, history.InputDigests(ev.paths, ev.links, f.waivers))
	if err != nil {
		return nil, usageErr(e, ev.name, "--store: %v", err)
	}
	return rec, 0
}

// commitRecording makes the recorded scan visible; a failure is reported
// with exit code 2.
func commitRecording(e *env, name string, r *history.Recorder, s *scan.Summary, complete bool) int {
	id, err := r.Commit(s, complete)
	if err != nil {
		fmt.Fprintf(e.stderr, "lockcheck %s: --store: %v\n", name, err)
		return ExitInput
	}
	if r != nil && os.Getenv("LOCKCHECK_DEBUG") != "" {
		fmt.Fprintf(e.stderr, "lockcheck %s: recorded scan %d in %s\n", name, id, r.Path())
	}
	return 0
}

// reportTrend is the recorded pass rates per control over the newest last
// scans, for the HTML report; nil without a store or on an error (the
// trend is an extra, never a reason to fail the run).
func reportTrend(r *history.Recorder, last int) *report.Trend {
	t, err := r.Trend(last)
	if err != nil || t == nil {
		return nil
	}
	out := &report.Trend{}
	for _, sc := range t.Scans {
		out.Scans = append(out.Scans, fmt.Sprintf("#%d %s", sc.ID, sc.Now))
	}
	for _, row := range t.Rows {
		out.Rows = append(out.Rows, report.TrendRow{Key: row.Key, Rates: row.Rates})
	}
	return out
}

// openStore opens the store for history, diff and trend (read-only) and for
// history prune.
func openStore(ctx context.Context, e *env, name, flag string, readOnly bool) (*history.Store, int) {
	path := storePath(flag)
	if path == "" {
		return nil, usageErr(e, name, "no history store: give --store PATH or set %s (record scans with lockcheck scan --store PATH)", storeEnv)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, usageErr(e, name, "--store %s: %v (record a scan first with lockcheck scan --store %s)", path, errors.Unwrap(err), path)
	}
	open := history.Open
	if readOnly {
		open = history.OpenReadOnly
	}
	st, err := open(ctx, path)
	if err != nil {
		return nil, usageErr(e, name, "--store: %v", err)
	}
	return st, 0
}

func storeFlag(fs *pflag.FlagSet) *string {
	return fs.String("store", "", "history database (default $"+storeEnv+")")
}

func runHistory(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 && args[0] == "prune" {
		return runPrune(ctx, e, args[1:])
	}
	fs := newFlags(e, "history", "")
	store := storeFlag(fs)
	format := fs.StringP("format", "f", "text", "text or json")
	last := fs.Int("last", 0, "only the newest N scans (default: all)")
	if code, ok := parse(e, fs, "history", "[prune]", args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageErr(e, "history", "unexpected argument %q (subcommand: prune)", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return usageErr(e, "history", "--format %q: expected text or json", *format)
	}
	st, code := openStore(ctx, e, "history", *store, true)
	if st == nil {
		return code
	}
	defer st.Close()
	scans, err := st.Scans(ctx, *last)
	if err != nil {
		return errCode(e, "history", err)
	}
	if *format == "json" {
		if scans == nil {
			scans = []history.Scan{}
		}
		return writeJSON(e, "history", scans)
	}
	fmt.Fprintf(e.stdout, "%-5s %-20s %-20s %6s %8s %11s  %s\n", "ID", "STARTED", "NOW", "LOCKS", "FAILING", "COMPLIANT", "")
	for _, s := range scans {
		note := ""
		if !s.Complete {
			note = "incomplete"
		}
		fmt.Fprintf(e.stdout, "%-5d %-20s %-20s %6d %8d %10.1f%%  %s\n", s.ID, s.StartedAt[:19]+"Z", s.Now, s.Locks, s.Failing, s.CompliantPct(), note)
	}
	fmt.Fprintf(e.stdout, "\n%d scans in %s\n", len(scans), st.Path())
	return ExitOK
}

func runPrune(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "history prune", "")
	store := storeFlag(fs)
	keep := fs.Int("keep", 0, "keep the newest N scans")
	older := fs.String("older-than", "", "delete scans started longer ago than this, e.g. 30d or 720h")
	if code, ok := parse(e, fs, "history prune", "", args); !ok {
		return code
	}
	if *keep <= 0 && *older == "" {
		return usageErr(e, "history prune", "give --keep N (N >= 1) or --older-than DURATION (e.g. 30d)")
	}
	var cutoff time.Time
	if *older != "" {
		d, err := parseAge(*older)
		if err != nil {
			return usageErr(e, "history prune", "--older-than %q: %v", *older, err)
		}
		cutoff = time.Now().Add(-d)
	}
	st, code := openStore(ctx, e, "history prune", *store, false)
	if st == nil {
		return code
	}
	defer st.Close()
	n, err := st.Prune(ctx, *keep, cutoff)
	if err != nil {
		return errCode(e, "history prune", err)
	}
	fmt.Fprintf(e.stdout, "pruned %d scans\n", n)
	return ExitOK
}

// parseAge reads a duration with a day unit as well: 30d, 720h, 90m.
func parseAge(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, errors.New("expected a whole number of days, e.g. 30d")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New("expected a duration such as 30d or 720h")
	}
	return d, nil
}

func runDiff(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "diff", "[A] [B]")
	store := storeFlag(fs)
	format := fs.StringP("format", "f", "text", "text or json")
	if code, ok := parse(e, fs, "diff", "[A] [B]", args); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		return usageErr(e, "diff", "--format %q: expected text or json", *format)
	}
	if fs.NArg() > 2 {
		return usageErr(e, "diff", "give at most two scan ids (default: the last two scans)")
	}
	var ids []int64
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return usageErr(e, "diff", "%q is not a scan id (see lockcheck history)", a)
		}
		ids = append(ids, id)
	}
	st, code := openStore(ctx, e, "diff", *store, true)
	if st == nil {
		return code
	}
	defer st.Close()
	var a, b int64
	switch len(ids) {
	case 2:
		a, b = ids[0], ids[1]
	case 1:
		// One id: compare it with the newest scan.
		_, last, err := st.LastTwo(ctx)
		if err != nil {
			return usageErr(e, "diff", "%v", err)
		}
		a, b = ids[0], last
	default:
		var err error
		if a, b, err = st.LastTwo(ctx); err != nil {
			return usageErr(e, "diff", "%v", err)
		}
	}
	d, err := st.Diff(ctx, a, b)
	if err != nil {
		if errors.Is(err, history.ErrNoScan) {
			return usageErr(e, "diff", "%v (see lockcheck history)", err)
		}
		return errCode(e, "diff", err)
	}
	if *format == "json" {
		if code := writeJSON(e, "diff", d); code != 0 {
			return code
		}
	} else {
		writeDiffText(e, d)
	}
	if d.Counts.NewlyFailing > 0 {
		return ExitFailing
	}
	return ExitOK
}

func writeDiffText(e *env, d *history.Diff) {
	w := e.stdout
	fmt.Fprintf(w, "diff scan %d (%s) -> scan %d (%s)\n", d.A.ID, d.A.Now, d.B.ID, d.B.Now)
	section := func(title string, l []history.FindingRef) {
		fmt.Fprintf(w, "\n%s: %d\n", title, len(l))
		for _, f := range l {
			change := string(f.After)
			if f.Before != "" && f.Before != f.After {
				before, after := string(f.Before), string(f.After)
				if after == "" {
					after = "not reported"
				}
				change = before + " -> " + after
			} else if f.Before == "" {
				change += " (new)"
			}
			fmt.Fprintf(w, "  %-9s %-8s %s  %s\n", f.ControlID, f.Severity, docLabel(f.Kind, f.Name), change)
		}
	}
	section("Newly failing", d.NewlyFailing)
	section("Resolved", d.Resolved)
	section("Still failing", d.StillFailing)
	docs := func(title string, l []history.DocRef) {
		fmt.Fprintf(w, "\n%s: %d\n", title, len(l))
		for _, r := range l {
			fmt.Fprintf(w, "  %s  (%d failing)\n", docLabel(r.Kind, r.Name), r.Failing)
		}
	}
	docs("Locks added", d.Added)
	docs("Locks removed", d.Removed)
	c := d.Counts
	fmt.Fprintf(w, "\n%d newly failing, %d resolved, %d still failing, %d added, %d removed\n", c.NewlyFailing, c.Resolved, c.StillFailing, c.Added, c.Removed)
}

// docLabel names a document: locks by name, other kinds as kind/name.
func docLabel(kind, name string) string {
	if kind == document.KindLockSnapshot {
		return name
	}
	return kind + "/" + name
}

func runTrend(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "trend", "")
	store := storeFlag(fs)
	format := fs.StringP("format", "f", "text", "text or json")
	control := fs.String("control", "", "only this control")
	site := fs.String("site", "", "only the findings of this site (the site label)")
	bySite := fs.Bool("by-site", false, "one row per site instead of one per control")
	last := fs.Int("last", 5, "across the newest N complete scans")
	if code, ok := parse(e, fs, "trend", "", args); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		return usageErr(e, "trend", "--format %q: expected text or json", *format)
	}
	if *last < 1 {
		return usageErr(e, "trend", "--last %d: expected 1 or more", *last)
	}
	st, code := openStore(ctx, e, "trend", *store, true)
	if st == nil {
		return code
	}
	defer st.Close()
	t, err := st.Trend(ctx, history.TrendQuery{Last: *last, Control: *control, Site: *site, BySite: *bySite})
	if err != nil {
		return errCode(e, "trend", err)
	}
	if *format == "json" {
		return writeJSON(e, "trend", t)
	}
	w := e.stdout
	head := "CONTROL"
	if *bySite {
		head = "SITE"
	}
	width := len(head)
	for _, r := range t.Rows {
		width = max(width, len(r.Key))
	}
	fmt.Fprintf(w, "%-*s", width, head)
	for _, s := range t.Scans {
		fmt.Fprintf(w, " %8s", "#"+strconv.FormatInt(s.ID, 10))
	}
	fmt.Fprintln(w)
	for _, r := range t.Rows {
		fmt.Fprintf(w, "%-*s", width, r.Key)
		for _, v := range r.Rates {
			if v == nil {
				fmt.Fprintf(w, " %8s", "-")
			} else {
				fmt.Fprintf(w, " %7.1f%%", *v)
			}
		}
		fmt.Fprintln(w)
	}
	if len(t.Rows) == 0 {
		fmt.Fprintln(w, "(no findings match)")
	}
	fmt.Fprintf(w, "\npass rate = pass / applicable findings (waived counts as not passing), across %d scans\n", len(t.Scans))
	return ExitOK
}

func writeJSON(e *env, name string, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return errCode(e, name, err)
	}
	return ExitOK
}
