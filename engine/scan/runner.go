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
//
// The stages: prepare expands the inputs and indexes the link targets;
// readJobs decodes the inputs in order; evaluate runs the worker pool;
// deliver hands the results to the sink in input order.
func (r *Runner) Run(ctx context.Context, opts Options, sink Sink) error {
	opts = opts.withDefaults()
	in := r.prepare(ctx, opts)
	if err := ctx.Err(); err != nil {
		return err // interrupted before the first document
	}

	jobs := make(chan job, opts.Workers*4)
	results := make(chan *DocResult, opts.Workers*4)
	// tokens bound the documents in flight (read but not yet delivered).
	tokens := make(chan struct{}, opts.Workers*16)

	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	go readJobs(readCtx, opts, in, tokens, jobs)
	go r.evaluate(ctx, opts, in.links, jobs, results)
	if err := deliver(results, tokens, sink, stopReading); err != nil {
		return err
	}
	return ctx.Err()
}

// withDefaults fills in the options left unset: stdin and the number of
// workers.
func (o Options) withDefaults() Options {
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	return o
}

// inputs are what a run knows before its first document is evaluated.
type inputs struct {
	// files are the expanded input files, in order.
	files []string
	// early are the jobs delivered before the inputs' documents: path
	// errors and bad link-only documents.
	early []job
	// links index the plans and product specs of the run.
	links *Links
}

// prepare expands the input and link paths (passing their warnings to
// opts.Warn), and indexes the plans and product specs a document may link
// to: the link-only documents and those among the inputs.
func (r *Runner) prepare(ctx context.Context, opts Options) inputs {
	files, pathErrs, warns := document.ExpandWarn(opts.Paths)
	linkFiles, linkErrs, linkWarns := document.ExpandWarn(opts.LinkPaths)
	if opts.Warn != nil {
		for _, w := range append(warns, linkWarns...) {
			opts.Warn(w)
		}
	}
	in := inputs{files: files, links: NewLinks()}
	for _, e := range append(pathErrs, linkErrs...) {
		in.early = append(in.early, job{errs: []*document.InputError{e}})
	}
	in.early = append(in.early, r.indexLinkOnly(ctx, opts.Stdin, linkFiles, files, in.links)...)
	r.indexInputLinkTargets(ctx, files, in.links)
	return in
}

// indexLinkOnly decodes and validates the link-only files (--plans,
// --specs) that are not also inputs, once each, and adds their documents to
// ix. The documents that fail are returned as jobs, to be reported; the
// others are not evaluated.
func (r *Runner) indexLinkOnly(ctx context.Context, stdin io.Reader, linkFiles, files []string, ix *Links) []job {
	inputSet := map[string]bool{}
	for _, f := range files {
		inputSet[f] = true
	}
	var bad []job
	for _, f := range linkFiles {
		if inputSet[f] {
			continue
		}
		document.DecodeFileContext(ctx, f, stdin, func(d *document.Document, err *document.InputError) bool {
			if err != nil {
				bad = append(bad, job{errs: []*document.InputError{err}})
				return true
			}
			if errs, _ := r.Validator.Validate(d); len(errs) > 0 {
				bad = append(bad, job{doc: d, errs: errs})
				return true
			}
			ix.Add(d)
			return true
		})
	}
	return bad
}

// indexInputLinkTargets adds the valid plans and specs among the inputs to
// ix, so a snapshot can link to a plan given later. A cheap byte pre-scan
// finds the files that hold any. Streams (stdin, FIFOs, pipes, devices) are
// not pre-read: they can be read only once, and may never end.
func (r *Runner) indexInputLinkTargets(ctx context.Context, files []string, ix *Links) {
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
}

// sequencer numbers jobs in input order and sends them to the workers,
// taking a token for each so that the documents in flight stay bounded.
type sequencer struct {
	ctx    context.Context
	tokens chan<- struct{}
	jobs   chan<- job
	seq    int
}

// send numbers j and sends it; it reports false when ctx is done first.
func (s *sequencer) send(j job) bool {
	select {
	case s.tokens <- struct{}{}:
	case <-s.ctx.Done():
		return false
	}
	j.seq = s.seq
	s.seq++
	select {
	case s.jobs <- j:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// readJobs sends the early jobs, then decodes the input files in order and
// sends one job per document of this shard, until the inputs end or ctx is
// done. It closes jobs when it returns.
func readJobs(ctx context.Context, opts Options, in inputs, tokens chan<- struct{}, jobs chan<- job) {
	defer close(jobs)
	s := &sequencer{ctx: ctx, tokens: tokens, jobs: jobs}
	for _, j := range in.early {
		if !s.send(j) {
			return
		}
	}
	names := uniqueNames{}
	docNo := 0
	for _, f := range in.files {
		ok := true
		document.DecodeFileContext(ctx, f, opts.Stdin, func(d *document.Document, err *document.InputError) bool {
			docNo++
			if opts.Shard.Of > 1 && !opts.Shard.owns(d, err, docNo) {
				return true
			}
			j := job{doc: d}
			if err != nil {
				j.errs = []*document.InputError{err}
			} else if dup := names.check(d); dup != nil {
				j.errs = []*document.InputError{dup}
			}
			if !s.send(j) {
				ok = false
				return false
			}
			return true
		})
		if !ok {
			return
		}
	}
}

// uniqueNames remembers where each kind and name of a run was first
// defined (only the reference, not the document, to keep memory bounded).
type uniqueNames map[string]*document.Document

// check returns an error when d's kind and name were already defined by an
// earlier document, and remembers them otherwise. Documents without a kind
// or a name are not checked.
func (u uniqueNames) check(d *document.Document) *document.InputError {
	if d.Kind == "" || d.Name == "" {
		return nil
	}
	key := d.Kind + "\x00" + d.Name
	if prev, dup := u[key]; dup {
		return &document.InputError{File: d.File, Index: d.Index, Path: "metadata.name", Pos: d.PosOf("metadata.name"),
			Msg: fmt.Sprintf("duplicate name: %s %q is already defined in %s; names must be unique per kind within a run", d.Kind, d.Name, prev.Ref())}
	}
	u[key] = &document.Document{File: d.File, Index: d.Index}
	return nil
}

// evaluate runs opts.Workers workers that process the jobs and send their
// results, and closes results once every worker has returned.
//
// On cancellation the workers stop taking documents (the reader may be
// blocked on a stream that never ends) but finish the ones they hold,
// evaluated with a context that is not cancelled, so every delivered
// result is complete.
func (r *Runner) evaluate(ctx context.Context, opts Options, ix *Links, jobs <-chan job, results chan<- *DocResult) {
	evalCtx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
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
	wg.Wait()
	close(results)
}

// deliver passes the results to sink in input order (by Seq, from 0),
// returning one token per result taken off results. After the sink's first
// error it calls stop, delivers nothing more and keeps draining results
// until they are closed; it returns that error.
func deliver(results <-chan *DocResult, tokens <-chan struct{}, sink Sink, stop func()) error {
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
					stop()
				}
			}
			<-tokens
		}
	}
	return sinkErr
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
	// a small file needs no more than its size: a directory of small
	// snapshots must not cost a megabyte of zeroed memory per file
	size := chunk
	if fi, err := f.Stat(); err == nil && fi.Size() < chunk {
		size = max(int(fi.Size()), 4<<10)
	}
	buf := make([]byte, size+overlap)
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
