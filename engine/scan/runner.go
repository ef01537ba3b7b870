package scan

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// Options configure a run.
type Options struct {
	// Paths are the inputs: files, directories, "-" for stdin.
	Paths []string
	// LinkPaths are files or directories of plans and product specs used only
	// to resolve links (--plans, --specs); they are not evaluated.
	LinkPaths []string
	// Stdin is read for "-" (default os.Stdin).
	Stdin io.Reader
	// Workers evaluating in parallel (default: the number of CPUs).
	Workers int
	// KeepDocuments keeps the decoded document on each result.
	KeepDocuments bool
	// Shard, when Of > 1, evaluates only the documents of shard Index (0-based).
	Shard Shard
	// Warn, when set, receives the warnings about the inputs that belong to
	// no document (a FIFO or device skipped in a directory).
	Warn func(document.Warning)
}

// Shard selects a deterministic part of the inputs.
type Shard struct{ Index, Of int }

// Sink receives results in input order.
type Sink interface {
	Result(r *DocResult) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(r *DocResult) error

// Result implements Sink.
func (f SinkFunc) Result(r *DocResult) error { return f(r) }

// Runner evaluates inputs with one engine and one validator.
type Runner struct {
	Engine    Engine
	Validator *document.Validator
	// Post, when set, is called on the worker for each evaluated document's
	// result before it is delivered (e.g. to apply waivers).
	Post func(ctx context.Context, r *DocResult)
}

// Links indexes the plans and product specs of a run by name, to resolve
// the links between documents.
type Links struct {
	plans    map[string]*document.Document
	products map[string]*document.Document
}

// NewLinks returns an empty index.
func NewLinks() *Links {
	return &Links{plans: map[string]*document.Document{}, products: map[string]*document.Document{}}
}

// Add indexes a plan or product spec (the first of a name wins); other kinds
// are ignored.
func (ix *Links) Add(d *document.Document) {
	switch d.Kind {
	case document.KindInstallPlan:
		if _, dup := ix.plans[d.Name]; !dup {
			ix.plans[d.Name] = d
		}
	case document.KindProductSpec:
		if _, dup := ix.products[d.Name]; !dup {
			ix.products[d.Name] = d
		}
	}
}

type job struct {
	seq  int
	doc  *document.Document
	errs []*document.InputError
	warn []document.Warning
	skip bool
}

// Run reads, validates, links and evaluates every input document, and calls
// sink for each result in input order. It returns ctx.Err() when cancelled
// (the results delivered so far are complete), or the sink's error.
func (r *Runner) Run(ctx context.Context, opts Options, sink Sink) error {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	ix := NewLinks()

	files, pathErrs, warns := document.ExpandWarn(opts.Paths)
	linkFiles, linkErrs, linkWarns := document.ExpandWarn(opts.LinkPaths)
	if opts.Warn != nil {
		for _, w := range append(warns, linkWarns...) {
			opts.Warn(w)
		}
	}
	inputSet := map[string]bool{}
	for _, f := range files {
		inputSet[f] = true
	}
	var early []job
	for _, e := range append(pathErrs, linkErrs...) {
		early = append(early, job{errs: []*document.InputError{e}})
	}
	// Link-only documents: decoded and validated once, reported only when bad.
	for _, f := range linkFiles {
		if inputSet[f] {
			continue
		}
		document.DecodeFileContext(ctx, f, opts.Stdin, func(d *document.Document, err *document.InputError) bool {
			if err != nil {
				early = append(early, job{errs: []*document.InputError{err}})
				return true
			}
			if errs, _ := r.Validator.Validate(d); len(errs) > 0 {
				early = append(early, job{doc: d, errs: errs})
				return true
			}
			ix.Add(d)
			return true
		})
	}
	// Plans and specs among the inputs: a cheap byte pre-scan finds the
	// files that hold any, so a snapshot can link to a plan given later.
	// Streams (stdin, FIFOs, pipes, devices) are not pre-read: they can be
	// read only once, and may never end.
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		if document.IsStream(f) || !mayHoldLinkTargets(ctx, f) {
			continue
		}
		document.DecodeFileContext(ctx, f, nil, func(d *document.Document, err *document.InputError) bool {
			if err == nil && (d.Kind == document.KindInstallPlan || d.Kind == document.KindProductSpec) {
				if errs, _ := r.Validator.Validate(d); len(errs) == 0 {
					ix.Add(d)
				}
			}
			return true
		})
	}

	if err := ctx.Err(); err != nil {
		return err // interrupted before the first document
	}

	jobs := make(chan job, workers*4)
	results := make(chan *DocResult, workers*4)
	// tokens bound the documents in flight (read but not yet delivered).
	tokens := make(chan struct{}, workers*16)

	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	go func() {
		defer close(jobs)
		seq := 0
		send := func(j job) bool {
			select {
			case tokens <- struct{}{}:
			case <-readCtx.Done():
				return false
			}
			j.seq = seq
			seq++
			select {
			case jobs <- j:
				return true
			case <-readCtx.Done():
				return false
			}
		}
		for _, j := range early {
			if !send(j) {
				return
			}
		}
		seen := map[string]*document.Document{}
		docNo := 0
		for _, f := range files {
			ok := true
			document.DecodeFileContext(readCtx, f, opts.Stdin, func(d *document.Document, err *document.InputError) bool {
				docNo++
				if opts.Shard.Of > 1 && !opts.Shard.owns(d, err, docNo) {
					return true
				}
				j := job{doc: d}
				if err != nil {
					j.errs = []*document.InputError{err}
				} else if d.Kind != "" && d.Name != "" {
					key := d.Kind + "\x00" + d.Name
					if prev, dup := seen[key]; dup {
						j.errs = []*document.InputError{{File: d.File, Index: d.Index, Path: "metadata.name", Pos: d.PosOf("metadata.name"),
							Msg: fmt.Sprintf("duplicate name: %s %q is already defined in %s; names must be unique per kind within a run", d.Kind, d.Name, prev.Ref())}}
					} else {
						seen[key] = &document.Document{File: d.File, Index: d.Index}
					}
				}
				if !send(j) {
					ok = false
					return false
				}
				return true
			})
			if !ok {
				return
			}
		}
	}()

	// On cancellation the workers stop taking documents (the reader may be
	// blocked on a stream that never ends) but finish the ones they hold,
	// evaluated with a context that is not cancelled, so every delivered
	// result is complete.
	evalCtx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var j job
				var ok bool
				select {
				case j, ok = <-jobs:
				case <-ctx.Done():
					return
				}
				if !ok || ctx.Err() != nil {
					return
				}
				results <- r.safeProcess(evalCtx, j, ix, opts.KeepDocuments)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Deliver in input order.
	pending := map[int]*DocResult{}
	next := 0
	var sinkErr error
	for res := range results {
		pending[res.Seq] = res
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if sinkErr == nil {
				if err := sink.Result(p); err != nil {
					sinkErr = err
					stopReading()
				}
			}
			<-tokens
		}
	}
	if sinkErr != nil {
		return sinkErr
	}
	return ctx.Err()
}

// mayHoldLinkTargets reports whether a file mentions an InstallPlan or a
// ProductSpec kind, reading it as bytes without decoding, in chunks so that
// a fleet export of any size costs no more memory than one chunk.
func mayHoldLinkTargets(ctx context.Context, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	kinds := [][]byte{[]byte(document.KindInstallPlan), []byte(document.KindProductSpec)}
	const chunk = 1 << 20
	overlap := len(document.KindInstallPlan) // the longer kind name
	buf := make([]byte, chunk+overlap)
	keep := 0 // tail of the previous chunk, so a name across the edge is found
	for ctx.Err() == nil {
		n, err := io.ReadFull(f, buf[keep:])
		b := buf[:keep+n]
		for _, k := range kinds {
			if bytes.Contains(b, k) {
				return true
			}
		}
		if err != nil {
			return false
		}
		keep = min(overlap, len(b))
		copy(buf, b[len(b)-keep:])
	}
	return false
}

// safeProcess is process with a guard: a panic while handling one document
// (a bug) becomes an error on that document instead of a crash with a stack
// trace, and the run goes on.
func (r *Runner) safeProcess(ctx context.Context, j job, ix *Links, keep bool) (res *DocResult) {
	defer func() {
		if p := recover(); p != nil {
			res = &DocResult{Seq: j.seq, Errors: []*document.InputError{{Msg: fmt.Sprintf("internal error while evaluating this document (a bug; please report it): %v", p)}}}
			if j.doc != nil {
				res.Doc = finding.RefOf(j.doc)
				res.Errors[0].File, res.Errors[0].Index = j.doc.File, j.doc.Index
			}
		}
	}()
	return r.process(ctx, j, ix, keep)
}

func (r *Runner) process(ctx context.Context, j job, ix *Links, keep bool) *DocResult {
	res := &DocResult{Seq: j.seq, Errors: j.errs, Warnings: j.warn}
	d := j.doc
	if d != nil {
		res.Doc = finding.RefOf(d)
		res.Labels = d.Labels
		if keep {
			res.Source = d
		}
	} else if len(j.errs) > 0 {
		res.Doc = finding.DocRef{File: j.errs[0].File, Index: j.errs[0].Index}
	}
	if d == nil || len(res.Errors) > 0 {
		return res
	}
	errs, warns := r.Validator.Validate(d)
	res.Warnings = append(res.Warnings, warns...)
	if len(errs) > 0 {
		res.Errors = append(res.Errors, errs...)
		return res
	}
	if d.Kind == document.KindWaiver {
		return res
	}
	rel, lw := ix.Resolve(d)
	res.Warnings = append(res.Warnings, lw...)
	if d.Kind == document.KindLockSnapshot {
		res.CapturedAt, _ = d.Spec()["captured_at"].(string)
	}
	findings, err := r.Engine.Evaluate(ctx, d, rel)
	if err != nil {
		res.Errors = append(res.Errors, &document.InputError{File: d.File, Index: d.Index, Msg: "evaluation interrupted: " + err.Error()})
		return res
	}
	res.Findings = findings
	if r.Post != nil {
		r.Post(ctx, res)
	}
	return res
}

// Resolve finds a document's linked plan and product among the run's
// documents, warning once per unresolved link.
func (ix *Links) Resolve(d *document.Document) (finding.Related, []document.Warning) {
	var rel finding.Related
	var warns []document.Warning
	warn := func(path, msg string) {
		warns = append(warns, document.Warning{File: d.File, Index: d.Index, Path: path, Pos: d.PosOf(path), Msg: msg})
	}
	spec := d.Spec()
	productOf := func(plan *document.Document, via string) {
		ref, _ := plan.Spec()["product_ref"].(string)
		if ref == "" {
			warn(via, "the linked plan has no spec.product_ref; controls that need the product are not evidenced")
			return
		}
		if p := ix.products[ref]; p != nil {
			rel.Product = p
			return
		}
		warn(via, fmt.Sprintf("product %q (named by plan %q) was not found among the inputs or --specs; controls that need it are not evidenced", ref, plan.Name))
	}
	switch d.Kind {
	case document.KindLockSnapshot:
		dev, _ := spec["device"].(map[string]any)
		ref, _ := dev["plan_ref"].(string)
		if ref == "" {
			warn("spec.device.plan_ref", "no plan_ref: controls that compare the lock with its installation plan are not evidenced")
			return rel, warns
		}
		plan := ix.plans[ref]
		if plan == nil {
			warn("spec.device.plan_ref", fmt.Sprintf("plan %q was not found among the inputs or --plans; controls that need it are not evidenced", ref))
			return rel, warns
		}
		rel.Plan = plan
		productOf(plan, "spec.device.plan_ref")
	case document.KindInstallPlan:
		ref, _ := spec["product_ref"].(string)
		if ref == "" {
			warn("spec.product_ref", "no product_ref: controls that need the product are not evidenced")
			return rel, warns
		}
		if p := ix.products[ref]; p != nil {
			rel.Product = p
		} else {
			warn("spec.product_ref", fmt.Sprintf("product %q was not found among the inputs or --specs; controls that need it are not evidenced", ref))
		}
	}
	return rel, warns
}
