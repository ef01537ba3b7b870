package merge

import (
	"fmt"
	"strings"
	"time"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// CheckSet refuses shards that are not exactly the shards 0..N-1 of one
// run: shards of different runs (catalogue, run time, parameters, selected
// controls, --fail-on), of different N, a shard given twice, or a missing
// one. shards is not empty.
func CheckSet(shards []*Shard) error {
	for _, s := range shards[1:] {
		if err := sameRun(shards[0], s); err != nil {
			return err
		}
	}
	n := shards[0].Summary.Shard.Of
	byIndex := make([]*Shard, n)
	for _, s := range shards {
		sh := s.Summary.Shard
		if sh.Of != n {
			return fmt.Errorf("%s is shard %d/%d but %s is shard %d/%d: merge the shards of one split (the same N)", shards[0].Path, shards[0].Summary.Shard.Index, n, s.Path, sh.Index, sh.Of)
		}
		if prev := byIndex[sh.Index]; prev != nil {
			return fmt.Errorf("%s and %s are both shard %d/%d: give each shard once", prev.Path, s.Path, sh.Index, n)
		}
		byIndex[sh.Index] = s
	}
	var missing []string
	for k, s := range byIndex {
		if s == nil {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("shard %s missing: merge needs all %d shards of the run (a merged result without them would silently omit their locks)", strings.Join(missing, ", "), n)
	}
	return nil
}

// sameRun refuses to merge shards of different runs: another catalogue,
// run time, parameters, selection of controls or --fail-on.
func sameRun(a, b *Shard) error {
	x, y := a.Summary, b.Summary
	diff := func(what, va, vb string) error {
		return fmt.Errorf("%s and %s come from different runs (%s %s vs %s); merge only the shards of one scan", a.Path, b.Path, what, va, vb)
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

// Run is how the shards evaluated: the run time and the selected
// controls. The caller builds an engine with them (and the parameters) to
// evaluate the fleet-level controls as the shards would have.
type Run struct {
	Now      time.Time
	Controls []string
}

// RunOf reads the run time and selected controls from a shard's summary.
func RunOf(s *Shard) (Run, error) {
	var run Run
	now, err := time.Parse(time.RFC3339, s.Summary.Now)
	if err != nil {
		return run, fmt.Errorf("%s: summary.now %q is not an RFC 3339 time", s.Path, s.Summary.Now)
	}
	run.Now = now
	for _, c := range s.Summary.Controls {
		run.Controls = append(run.Controls, c.ID)
	}
	return run, nil
}

// Engine is what CheckEngine reads of the engine the caller built (an
// *engine.Engine).
type Engine interface {
	// Digest identifies the catalogue; ParamsDigest the parameters.
	Digest() string
	ParamsDigest() string
}

// CheckEngine refuses an engine whose catalogue or parameters differ from
// the shards'.
func CheckEngine(eng Engine, s *Shard) error {
	switch {
	case eng.Digest() != s.Summary.CatalogueDigest:
		return fmt.Errorf("the shards were evaluated with catalogue %s, this lockcheck has %s: merge with the same lockcheck version that scanned", s.Summary.CatalogueDigest, eng.Digest())
	case eng.ParamsDigest() != s.Summary.ParamsDigest:
		return fmt.Errorf("the shards ran with parameters %s, here they are %s: give merge the same --params file as the shards", s.Summary.ParamsDigest, eng.ParamsDigest())
	}
	return nil
}

// FailOn is the shards' --fail-on threshold.
func FailOn(s *Shard) finding.Severity {
	if sev, ok := finding.ParseSeverity(s.Summary.FailOn); ok {
		return sev
	}
	return finding.SeverityLow
}
