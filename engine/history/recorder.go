package history

import (
	"context"
	"errors"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// Recorder records one scan as it runs: it owns the store it opened and the
// scan's transaction. A nil *Recorder records nothing, so a run without a
// store needs no special case.
type Recorder struct {
	store *Store
	rec   *Recording
	// ctx outlives a cancelled run: an interrupted scan is still committed
	// (marked incomplete).
	ctx context.Context
}

// Record opens (creating it if needed) the store at path and starts the
// scan described by m with its input files. On an error nothing is left
// open.
func Record(ctx context.Context, path string, m Meta, inputs []Input) (*Recorder, error) {
	rctx := context.WithoutCancel(ctx)
	st, err := Open(rctx, path)
	if err != nil {
		return nil, err
	}
	rec, err := st.Begin(rctx, m)
	if err != nil {
		st.Close()
		return nil, err
	}
	r := &Recorder{store: st, rec: rec, ctx: rctx}
	if err := rec.Inputs(rctx, inputs); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// InputDigests lists every input file under the given paths with its
// sha256, each once (unreadable files are skipped: the scan reports them;
// so are streams, which can be read only once).
func InputDigests(lists ...[]string) []Input {
	var out []Input
	seen := map[string]bool{}
	for _, l := range lists {
		files, _ := document.Expand(l)
		for _, p := range files {
			if seen[p] || document.IsStream(p) {
				continue
			}
			seen[p] = true
			if d, err := FileDigest(p); err == nil {
				out = append(out, Input{Path: p, SHA256: d})
			}
		}
	}
	return out
}

// Add records one document's result (the fleet result too).
func (r *Recorder) Add(res *scan.DocResult) error {
	if r == nil {
		return nil
	}
	return r.rec.Add(r.ctx, res)
}

// Commit makes the scan visible, whole, with the run's summary; complete is
// false for an interrupted run. It returns the scan's id (0 without a
// recorder).
func (r *Recorder) Commit(s *scan.Summary, complete bool) (int64, error) {
	if r == nil {
		return 0, nil
	}
	return r.rec.Commit(r.ctx, s, complete)
}

// Trend returns the pass rates per control over the newest last complete
// scans (a committed scan included); nil without a recorder.
func (r *Recorder) Trend(last int) (*Trend, error) {
	if r == nil {
		return nil, nil
	}
	return r.store.ControlPassRates(r.ctx, last)
}

// Path is the store's file ("" without a recorder).
func (r *Recorder) Path() string {
	if r == nil {
		return ""
	}
	return r.store.Path()
}

// Close rolls back a scan not committed and closes the store. Safe on a nil
// recorder and after Commit.
func (r *Recorder) Close() error {
	if r == nil {
		return nil
	}
	return errors.Join(r.rec.Rollback(), r.store.Close())
}
