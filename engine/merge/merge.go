package merge

import (
	"context"
	"path"
	"slices"
	"strings"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// Into merges the shards' documents into agg and sink, in the unsharded
// run's input order; then counts the documents the shards counted but wrote
// no line for, and the sites' newest capture times. When a shard was
// interrupted the aggregate is marked incomplete (the caller must not then
// evaluate the fleet-level controls).
func Into(ctx context.Context, shards []*Shard, agg *scan.Aggregator, sink scan.Sink) error {
	err := Documents(ctx, shards, func(r *scan.DocResult) error {
		agg.Add(r)
		return sink.Result(r)
	})
	if err != nil {
		return err
	}
	for _, s := range shards {
		for _, r := range s.unwritten() {
			agg.Add(r)
		}
	}
	for _, s := range shards {
		for _, site := range s.Summary.Sites {
			agg.ObserveCapture(site.Site, site.Newest)
		}
		if s.Incomplete() {
			agg.MarkIncomplete()
		}
	}
	return nil
}

// Incomplete returns the paths of the shards whose run was interrupted.
func Incomplete(shards []*Shard) []string {
	var out []string
	for _, s := range shards {
		if s.Incomplete() {
			out = append(out, s.Path)
		}
	}
	return out
}

// before orders two shards' next documents as the unsharded run would: by
// document index within a file; across files by the input order, which a
// shard reveals once it has passed a file, or a directory that is not an
// ancestor of the other (the files of one input are read together); else by
// file name, the order in which a directory is read.
func before(a, b *Shard) bool {
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

// Documents emits every document once, in input order. Documents every
// shard reports (input errors found before sharding) are emitted once.
func Documents(ctx context.Context, shards []*Shard, emit func(*scan.DocResult) error) error {
	seq := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var first *Shard
		for _, s := range shards {
			if s.head != nil && (first == nil || before(s, first)) {
				first = s
			}
		}
		if first == nil {
			return nil
		}
		r, key := first.head, first.key
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
// summary but wrote no line for (a valid Waiver, a document no selected
// control applies to), so that the merged counts match.
func (s *Shard) unwritten() []*scan.DocResult {
	var out []*scan.DocResult
	sum := s.Summary
	total := sum.Documents - sum.ByKind[scan.KindFleet] - s.read
	kinds := make([]string, 0, len(sum.ByKind))
	for k := range sum.ByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if k == scan.KindFleet {
			continue
		}
		for n := sum.ByKind[k] - s.byKind[k]; n > 0 && total > 0; n-- {
			out = append(out, &scan.DocResult{Doc: finding.DocRef{Kind: k}})
			total--
		}
	}
	for ; total > 0; total-- {
		out = append(out, &scan.DocResult{})
	}
	return out
}
