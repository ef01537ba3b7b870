package cli

import (
	"context"
	"fmt"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/engine/waiver"
)

// loadWaivers reads and validates the --waivers inputs once per run and, when
// any waiver is valid, hooks it into the runner so it applies on the workers.
// A run without --waivers returns a nil set (whose methods are no-ops).
func loadWaivers(ctx context.Context, eng *engine.Engine, runner *scan.Runner, paths []string) (*waiver.Set, []*document.InputError, error) {
	if len(paths) == 0 {
		return nil, nil, nil
	}
	set, errs, err := waiver.Load(ctx, eng, runner.Validator, paths, waiver.Options{})
	if err != nil {
		return nil, nil, err
	}
	if set.Len() > 0 {
		runner.Post = set.Apply
	}
	return set, errs, nil
}

// waiverErrorResults reports refused waivers as invalid input documents, one
// result per waiver document. They go through the writers like any invalid
// document, so every format shows them and a shard's ndjson carries them to
// lockcheck merge.
func waiverErrorResults(errs []*document.InputError) []*scan.DocResult {
	var out []*scan.DocResult
	var cur *scan.DocResult
	for _, e := range errs {
		if cur == nil || cur.Doc.File != e.File || cur.Doc.Index != e.Index {
			cur = &scan.DocResult{Doc: engine.DocRef{File: e.File, Index: e.Index}}
			if e.Index > 0 {
				cur.Doc.Kind = document.KindWaiver
			}
			out = append(out, cur)
		}
		cur.Errors = append(cur.Errors, e)
	}
	return out
}

// addWarnings appends run-level warnings (e.g. stale waivers) to a summary
// and repeats them on stderr: they belong to no document, so the text report
// shows only their count.
func addWarnings(e *env, s *scan.Summary, ws []document.Warning) {
	for _, w := range ws {
		fmt.Fprintf(e.stderr, "warning: %s\n", w.String())
		s.WarningsN++
		if len(s.Warnings) < scan.MaxKeptProblems {
			s.Warnings = append(s.Warnings, w)
		}
	}
}
