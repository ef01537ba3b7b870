package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// maxNDJSONLine bounds one line of a shard's output (a finding with a long
// rationale is a few KB; an input error list can be longer).
const maxNDJSONLine = 64 << 20

// runMerge combines the ndjson outputs of `scan --shard K/N` runs into one
// result, as if one process had scanned everything: documents in input order,
// the summary re-aggregated from the findings, the fleet-level controls
// evaluated over all shards, written in any output format.
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
	if code, ok := parse(e, fs, name, "RESULTS...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, name, "no shard results: give the files written by `lockcheck scan --shard K/N --format ndjson`")
	}
	shards := make([]*shardReader, 0, fs.NArg())
	defer func() {
		for _, s := range shards {
			s.close()
		}
	}()
	for _, p := range fs.Args() {
		s, err := openShard(p)
		if err != nil {
			return usageErr(e, name, "%v", err)
		}
		shards = append(shards, s)
	}
	first := shards[0].sum
	for _, s := range shards[1:] {
		if err := sameRun(shards[0], s); err != nil {
			return usageErr(e, name, "%v", err)
		}
	}

	opts := engine.Options{}
	now, err := time.Parse(time.RFC3339, first.Now)
	if err != nil {
		return usageErr(e, name, "%s: summary.now %q is not an RFC 3339 time", shards[0].path, first.Now)
	}
	opts.Now = now
	for _, c := range first.Controls {
		opts.Controls = append(opts.Controls, c.ID)
	}
	if f.params != "" {
		if opts.Params, err = readParams(f.params); err != nil {
			return usageErr(e, name, "--params: %v", err)
		}
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return errCode(e, name, err)
	}
	switch {
	case eng.Digest() != first.CatalogueDigest:
		return usageErr(e, name, "the shards were evaluated with catalogue %s, this lockcheck has %s: merge with the same lockcheck version that scanned", first.CatalogueDigest, eng.Digest())
	case eng.ParamsDigest() != first.ParamsDigest:
		return usageErr(e, name, "the shards ran with parameters %s, here they are %s: give merge the same --params file as the shards", first.ParamsDigest, eng.ParamsDigest())
	}
	failOn, ok := engine.ParseSeverity(first.FailOn)
	if !ok {
		failOn = engine.SeverityLow
	}
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
	emit := func(r *scan.DocResult) error {
		agg.Add(r)
		return out.Result(r)
	}
	if err := mergeShards(ctx, shards, emit); err != nil {
		out.Close(&report.Final{Summary: agg.Summary()})
		return errCode(e, name, err)
	}
	// Documents a shard counted but wrote no line for (a valid Waiver, a
	// document no selected control applies to) still count in the summary.
	for _, s := range shards {
		for _, r := range s.unwritten() {
			agg.Add(r)
		}
	}
	incomplete := false
	for _, s := range shards {
		for _, site := range s.sum.Sites {
			agg.ObserveCapture(site.Site, site.Newest)
		}
		if s.sum.Incomplete {
			incomplete = true
			fmt.Fprintf(e.stderr, "lockcheck %s: %s is marked incomplete (that shard was interrupted); the merged result is incomplete and the fleet-level controls are not evaluated\n", name, s.path)
		}
	}
	if incomplete {
		agg.MarkIncomplete()
	} else if code := fleetResult(ctx, e, name, eng, agg, out.Result); code != 0 {
		out.Close(&report.Final{Summary: agg.Summary()})
		return code
	}
	fin := &report.Final{Summary: agg.Summary()}
	if err := out.Close(fin); err != nil {
		fmt.Fprintf(e.stderr, "lockcheck %s: write report: %v\n", name, err)
		return ExitInput
	}
	printProblemsToStderr(e, fin.Summary)
	if incomplete {
		return ExitInput
	}
	return fin.Summary.ExitCode()
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

// sameRun refuses to merge shards of different runs: another catalogue,
// run time, parameters, selection of controls or --fail-on.
func sameRun(a, b *shardReader) error {
	x, y := a.sum, b.sum
	diff := func(what, va, vb string) error {
		return fmt.Errorf("%s and %s come from different runs (%s %s vs %s); merge only the shards of one scan", a.path, b.path, what, va, vb)
	}
	switch {
	case x.CatalogueDigest != y.CatalogueDigest:
		return diff("catalogue digest", x.CatalogueDigest, y.CatalogueDigest)
	case x.Now != y.Now:
		return diff("--now", x.Now, y.Now)
	case x.ParamsDigest != y.ParamsDigest:
		return diff("params digest", x.ParamsDigest, y.ParamsDigest)
	case x.FailOn != y.FailOn:
		return diff("--fail-on", x.FailOn, y.FailOn)
	}
	ids := func(s *scan.Summary) string {
		var out []string
		for _, c := range s.Controls {
			out = append(out, c.ID)
		}
		return strings.Join(out, ",")
	}
	if ids(x) != ids(y) {
		return diff("selected controls", ids(x), ids(y))
	}
	return nil
}

// docKey identifies a document across shards.
type docKey struct {
	file  string
	index int
}

// shardReader streams one shard's ndjson output as documents.
type shardReader struct {
	path string
	file *os.File
	sc   *bufio.Scanner
	sum  *scan.Summary
	// line is a read line that belongs to the next document.
	line *report.NDJSONLine
	head *scan.DocResult
	key  docKey
	// seen are the files of the documents already consumed (the shard's
	// output is in input order, so these files come before the head's).
	seen map[string]bool
	// seenDirs are the directories of those files.
	seenDirs map[string]bool
	// read counts the documents read, in all and by kind.
	read   int
	byKind map[string]int
}

// openShard reads the summary line (the last one), then positions the
// reader on the first document.
func openShard(path string) (*shardReader, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s := &shardReader{path: path, file: fh, seen: map[string]bool{}, seenDirs: map[string]bool{}, byKind: map[string]int{}}
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 0, 1<<20), maxNDJSONLine)
	prefix := []byte(`{"type":"summary"`)
	for sc.Scan() {
		if bytes.HasPrefix(sc.Bytes(), prefix) {
			var l report.NDJSONLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				fh.Close()
				return nil, fmt.Errorf("%s: summary line: %v", path, err)
			}
			s.sum = l.Summary
		}
	}
	if err := sc.Err(); err != nil {
		fh.Close()
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if s.sum == nil {
		fh.Close()
		return nil, fmt.Errorf("%s: no summary line: not the --format ndjson output of a finished `lockcheck scan` (was the shard cut short?)", path)
	}
	if _, err := fh.Seek(0, 0); err != nil {
		fh.Close()
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	s.sc = bufio.NewScanner(fh)
	s.sc.Buffer(make([]byte, 0, 1<<20), maxNDJSONLine)
	return s, s.advance()
}

func (s *shardReader) close() { s.file.Close() }

// nextLine returns the next finding, error or warning line (nil at the end).
func (s *shardReader) nextLine() (*report.NDJSONLine, error) {
	if l := s.line; l != nil {
		s.line = nil
		return l, nil
	}
	for s.sc.Scan() {
		b := s.sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		// numbers stay as written (json.Number): evidence values are
		// rewritten exactly as the shard wrote them
		var l report.NDJSONLine
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("%s: %v", s.path, err)
		}
		switch l.Type {
		case "finding", "error", "warning":
			return &l, nil
		}
	}
	return nil, s.sc.Err()
}

func lineDoc(l *report.NDJSONLine) engine.DocRef {
	if l.Finding != nil {
		return l.Finding.Document
	}
	if l.Document != nil {
		return *l.Document
	}
	return engine.DocRef{}
}

// advance reads the next document's lines into head (nil at the end); the
// shard's own fleet-level result is skipped (merge evaluates it anew).
func (s *shardReader) advance() error {
	if s.head != nil {
		s.seen[s.key.file] = true
		s.seenDirs[path.Dir(s.key.file)] = true
	}
	for {
		s.head = nil
		l, err := s.nextLine()
		if err != nil || l == nil {
			return err
		}
		ref := lineDoc(l)
		r := &scan.DocResult{Doc: ref}
		key := docKey{ref.File, ref.Index}
		for l != nil {
			if d := lineDoc(l); d.File != key.file || d.Index != key.index {
				s.line = l
				break
			}
			switch l.Type {
			case "finding":
				r.Findings = append(r.Findings, *l.Finding)
				if r.Labels == nil {
					r.Labels = l.Labels
				}
			case "error":
				if l.Error != nil {
					r.Errors = append(r.Errors, l.Error)
				}
			case "warning":
				if l.Warning != nil {
					r.Warnings = append(r.Warnings, *l.Warning)
				}
			}
			if l, err = s.nextLine(); err != nil {
				return err
			}
		}
		if ref.Kind == scan.KindFleet && ref.File == scan.FleetFile {
			continue
		}
		sort.SliceStable(r.Findings, func(i, j int) bool { return engine.ControlLess(r.Findings[i].ControlID, r.Findings[j].ControlID) })
		s.head, s.key = r, key
		s.read++
		// the summary counts kinds of valid documents only
		if ref.Kind != "" && len(r.Errors) == 0 {
			s.byKind[ref.Kind]++
		}
		return nil
	}
}

// before orders two shards' next documents as the unsharded run would: by
// document index within a file; across files by the input order, which a
// shard reveals once it has passed a file, or a directory that is not an
// ancestor of the other (the files of one input are read together); else by
// file name, the order in which a directory is read.
func before(a, b *shardReader) bool {
	fa, fb := a.key.file, b.key.file
	da, db := path.Dir(fa), path.Dir(fb)
	nested := strings.HasPrefix(db+"/", da+"/") || strings.HasPrefix(da+"/", db+"/")
	switch {
	case fa == fb:
		return a.key.index < b.key.index
	case b.seen[fa]:
		return true
	case a.seen[fb]:
		return false
	case !nested && b.seenDirs[da]:
		return true
	case !nested && a.seenDirs[db]:
		return false
	}
	return fa < fb
}

// mergeShards emits every document once, in input order. Documents every
// shard reports (input errors found before sharding) are emitted once.
func mergeShards(ctx context.Context, shards []*shardReader, emit func(*scan.DocResult) error) error {
	seq := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var min *shardReader
		for _, s := range shards {
			if s.head != nil && (min == nil || before(s, min)) {
				min = s
			}
		}
		if min == nil {
			return nil
		}
		r, key := min.head, min.key
		for _, s := range shards {
			if s.head != nil && s.key == key {
				if err := s.advance(); err != nil {
					return err
				}
			}
		}
		r.Seq = seq
		seq++
		if err := emit(r); err != nil {
			return err
		}
	}
}

// unwritten returns placeholders for the documents the shard counted in its
// summary but wrote no line for, so that the merged counts match.
func (s *shardReader) unwritten() []*scan.DocResult {
	var out []*scan.DocResult
	total := s.sum.Documents - s.sum.ByKind[scan.KindFleet] - s.read
	kinds := make([]string, 0, len(s.sum.ByKind))
	for k := range s.sum.ByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if k == scan.KindFleet {
			continue
		}
		for n := s.sum.ByKind[k] - s.byKind[k]; n > 0 && total > 0; n-- {
			out = append(out, &scan.DocResult{Doc: engine.DocRef{Kind: k}})
			total--
		}
	}
	for ; total > 0; total-- {
		out = append(out, &scan.DocResult{})
	}
	return out
}
