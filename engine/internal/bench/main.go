// Command bench measures lockcheck's throughput and memory on generated
// fleets (see run.sh, `make bench`): docs/s, CPU per document and peak RSS
// of `lockcheck scan` at 1 worker and at all CPUs and of `lockcheck validate`
// (decode + schema, the floor), each as a child process measured with
// getrusage; and a bare loop in this process that decodes, validates and
// links the first documents (bareMax) first, then times engine.Evaluate alone on the same
// prepared query (what OPA costs with nothing around it). It prints the
// figures and the ratios the fleet-scale targets are stated in.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// fleet is one generated input with its link sidecars.
type fleet struct {
	label, path, plans, specs string
	docs                      int
}

// row is one measurement.
type row struct {
	fleet, what string
	workers     int
	docs        int
	wall        time.Duration
	cpu         time.Duration
	rssKB       int64
}

func (r row) rate() float64 { return float64(r.docs) / r.wall.Seconds() }

func main() {
	bin := flag.String("lockcheck", "", "lockcheck binary")
	now := flag.String("now", "2026-11-25T12:00:00Z", "run time")
	var fleets []fleet
	flag.Func("fleet", "LABEL=PATH,PLANS,SPECS,DOCS (repeatable; the first is the bare loop's)", func(s string) error {
		label, rest, ok := strings.Cut(s, "=")
		parts := strings.Split(rest, ",")
		if !ok || len(parts) != 4 {
			return errors.New("expected LABEL=PATH,PLANS,SPECS,DOCS")
		}
		var n int
		if _, err := fmt.Sscan(parts[3], &n); err != nil {
			return err
		}
		fleets = append(fleets, fleet{label, parts[0], parts[1], parts[2], n})
		return nil
	})
	flag.Parse()
	if *bin == "" || len(fleets) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	cpus := runtime.NumCPU()
	var rows []row
	add := func(r row, err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s %s: %v\n", r.fleet, r.what, err)
			os.Exit(1)
		}
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "  %-12s %-9s workers=%d  %7.0f docs/s  %6.2f ms CPU/doc  %6.1f MB peak RSS\n",
			r.fleet, r.what, r.workers, r.rate(), ms(r.cpu)/float64(r.docs), float64(r.rssKB)/1024)
	}
	for _, f := range fleets {
		add(child(f, "validate", 0, *bin, "validate", "-q", f.path))
		for _, w := range uniq(1, cpus) {
			add(child(f, "scan", w, *bin, "scan", f.path, "--plans", f.plans, "--specs", f.specs,
				"--now", *now, "--format", "ndjson", "--workers", fmt.Sprint(w), "--quiet"))
		}
	}
	// The bare loop runs with the GC settings `lockcheck scan` uses, so the
	// comparison is of the work around OPA, not of GC tuning.
	debug.SetGCPercent(scan.GCPercent)
	debug.SetMemoryLimit(scan.MemoryLimit)
	for _, w := range uniq(1, cpus) {
		add(bareLoop(fleets[0], *now, w))
	}
	print(os.Stdout, rows, fleets, cpus)
}

func uniq(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// child runs one lockcheck command, discarding its output, and reads its
// CPU time and peak RSS from the kernel (getrusage of the child).
func child(f fleet, what string, workers int, bin string, args ...string) (row, error) {
	r := row{fleet: f.label, what: what, workers: workers, docs: f.docs}
	cmd := exec.Command(bin, args...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	r.wall = time.Since(start)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 && what == "scan" {
		err = nil // failing findings: expected in a fleet with faults
	}
	if err != nil {
		return r, fmt.Errorf("%v: %s", err, stderr.String())
	}
	st := cmd.ProcessState
	r.cpu = st.UserTime() + st.SystemTime()
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		r.rssKB = ru.Maxrss // KiB on Linux
	}
	return r, nil
}

// bareMax bounds the documents the bare loop holds decoded (about 70 KB each
// with their positions), so that the loop's memory does not grow with the
// fleet. They are the fleet's first documents; fleetgen mixes sites and
// faults throughout a fleet, so they are a fair sample.
const bareMax = 2000

// bareLoop decodes, validates and links the fleet's first bareMax documents,
// then times engine.Evaluate alone over them on workers goroutines.
func bareLoop(f fleet, now string, workers int) (row, error) {
	r := row{fleet: f.label, what: "bare-opa", workers: workers}
	ctx := context.Background()
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		return r, err
	}
	eng, err := engine.New(ctx, engine.Options{Now: t})
	if err != nil {
		return r, err
	}
	v, err := document.NewValidator()
	if err != nil {
		return r, err
	}
	links := scan.NewLinks()
	for _, p := range []string{f.plans, f.specs} {
		document.DecodeFile(p, nil, func(d *document.Document, _ *document.InputError) bool {
			if d != nil {
				links.Add(d)
			}
			return true
		})
	}
	type item struct {
		doc *document.Document
		rel engine.Related
	}
	var items []item
	files, _ := document.Expand([]string{f.path})
	for _, file := range files {
		if len(items) >= bareMax {
			break
		}
		document.DecodeFile(file, nil, func(d *document.Document, ierr *document.InputError) bool {
			if ierr != nil {
				err = ierr
				return false
			}
			if errs, _ := v.Validate(d); len(errs) > 0 {
				err = errs[0]
				return false
			}
			rel, _ := links.Resolve(d)
			items = append(items, item{d, rel})
			return len(items) < bareMax
		})
	}
	if err != nil {
		return r, err
	}
	r.docs = len(items)
	runtime.GC()
	// the documents held here are the loop's own, not a scan's: give the
	// collector the scan's headroom above them (the soft limit set in main
	// would otherwise sit below the live heap, and the collector would run
	// without pause)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(ms.HeapAlloc) + scan.MemoryLimit))
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(items) {
					return
				}
				if _, e := eng.Evaluate(ctx, items[i].doc, items[i].rel); e != nil {
					mu.Lock()
					err = e
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	r.wall = time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	r.cpu = time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
	return r, err
}

func find(rows []row, fleet, what string, workers int) (row, bool) {
	for _, r := range rows {
		if r.fleet == fleet && r.what == what && (workers == 0 || r.workers == workers) {
			return r, true
		}
	}
	return row{}, false
}

func print(out io.Writer, rows []row, fleets []fleet, cpus int) {
	fmt.Fprintf(out, "\nlockcheck bench — %d CPUs, GOMAXPROCS %d, %s/%s, %s\n\n", cpus, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "fleet\tcommand\tworkers\tdocs\twall s\tdocs/s\tCPU ms/doc\tpeak RSS MB\t")
	for _, r := range rows {
		rss := "-"
		if r.rssKB > 0 {
			rss = fmt.Sprintf("%.1f", float64(r.rssKB)/1024)
		}
		w := fmt.Sprint(r.workers)
		if r.what == "validate" {
			w = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.2f\t%.0f\t%.2f\t%s\t\n", r.fleet, r.what, w, r.docs, r.wall.Seconds(), r.rate(), ms(r.cpu)/float64(r.docs), rss)
	}
	tw.Flush()

	fmt.Fprintln(out, "\nratios (docs/s unless stated)")
	ratio := func(name string, a, b float64, target string) {
		if a == 0 || b == 0 {
			return
		}
		fmt.Fprintf(out, "  %-46s %6.2f   %s\n", name, a/b, target)
	}
	first := fleets[0].label
	if s, ok := find(rows, first, "scan", 1); ok {
		if b, ok := find(rows, first, "bare-opa", 1); ok {
			ratio("scan ÷ bare loop, 1 worker ("+first+")", s.rate(), b.rate(), "target ≥ 0.80")
		}
	}
	for _, f := range fleets {
		s, ok1 := find(rows, f.label, "scan", cpus)
		v, ok2 := find(rows, f.label, "validate", 0)
		if ok1 && ok2 {
			ratio(fmt.Sprintf("scan (%d workers) ÷ validate (%s)", cpus, f.label), s.rate(), v.rate(), "")
		}
	}
	if cpus > 1 {
		for _, f := range fleets {
			a, ok1 := find(rows, f.label, "scan", cpus)
			b, ok2 := find(rows, f.label, "scan", 1)
			if ok1 && ok2 {
				ratio(fmt.Sprintf("scan %d workers ÷ 1 worker (%s)", cpus, f.label), a.rate(), b.rate(), "target ≥ 1.70 at 2")
			}
		}
		a, ok1 := find(rows, first, "bare-opa", cpus)
		b, ok2 := find(rows, first, "bare-opa", 1)
		if ok1 && ok2 {
			ratio(fmt.Sprintf("bare loop %d workers ÷ 1 worker (%s)", cpus, first), a.rate(), b.rate(), "")
		}
	}
	if len(fleets) > 1 {
		small, large := fleets[0], fleets[1]
		a, ok1 := find(rows, large.label, "scan", cpus)
		b, ok2 := find(rows, small.label, "scan", cpus)
		if ok1 && ok2 {
			ratio(fmt.Sprintf("peak RSS %s ÷ %s (scan, %d workers)", large.label, small.label, cpus), float64(a.rssKB), float64(b.rssKB), "target ≤ 1.20, and < 150 MB")
		}
	}
	fmt.Fprintln(out, "\nwall-clock figures depend on what else runs on the machine; CPU ms/doc does much less.")
}
