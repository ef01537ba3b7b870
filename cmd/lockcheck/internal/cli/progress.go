package cli

import (
	"fmt"
	"sync/atomic"

	"github.com/schollz/progressbar/v3"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// progress shows documents done, rate and failing so far on stderr when it
// is a terminal; it is silent otherwise or with --quiet.
type progress struct {
	bar     *progressbar.ProgressBar
	failing atomic.Int64
}

func newProgress(e *env, quiet bool, _ []string) *progress {
	p := &progress{}
	if quiet || !isTerminal(e.stderr) {
		return p
	}
	p.bar = progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription("scanning"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
	return p
}

func (p *progress) add(r *scan.DocResult) {
	if p.bar == nil {
		return
	}
	if len(r.Errors) > 0 || r.Failing("low") {
		p.failing.Add(1)
	}
	p.bar.Describe(fmt.Sprintf("scanning (%d failing)", p.failing.Load()))
	p.bar.Add(1)
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
