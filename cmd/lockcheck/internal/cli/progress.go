package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// progress shows, on stderr when it is a terminal, one clean label: done of
// total documents (the total is counted up front when the inputs are
// files), the rate, the time left and the failing documents so far. It is
// silent otherwise or with --quiet.
type progress struct {
	bar     *progressbar.ProgressBar
	total   int
	start   time.Time
	done_   atomic.Int64
	failing atomic.Int64
}

func newProgress(e *env, quiet bool, paths []string) *progress {
	p := &progress{start: time.Now()}
	if quiet || !isTerminal(e.stderr) {
		return p
	}
	total := -1
	if n, ok := countDocuments(paths); ok {
		total = n
		p.total = n
	}
	p.bar = progressbar.NewOptions64(int64(total),
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription("scanning"),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(false),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
	return p
}

// countDocuments counts the documents in the input files without decoding
// them (NDJSON: non-empty lines; YAML: "---"-separated documents; JSON: one
// per file). ok is false for stdin, where the total is unknown.
func countDocuments(paths []string) (n int, ok bool) {
	for _, p := range paths {
		if p == "-" {
			return 0, false
		}
	}
	files, _ := document.Expand(paths)
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		ext := strings.ToLower(filepath.Ext(f))
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		docs, content := 0, false
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			switch {
			case ext == ".ndjson" || ext == ".jsonl":
				if len(line) > 0 {
					docs++
				}
			case ext == ".yaml" || ext == ".yml":
				if bytes.HasPrefix(sc.Bytes(), []byte("---")) {
					if content {
						docs++
					}
					content = false
				} else if len(line) > 0 && line[0] != '#' {
					content = true
				}
			}
		}
		fh.Close()
		if ext == ".json" || ((ext == ".yaml" || ext == ".yml") && content) {
			docs++
		}
		n += docs
	}
	return n, true
}

// label is "8625/20000 docs · 34 docs/s · ETA 5m42s · 3 failing" (no total
// or ETA when the total is unknown).
func (p *progress) label() string {
	done := p.done_.Load()
	secs := time.Since(p.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(done) / secs
	}
	var b strings.Builder
	if p.total > 0 {
		fmt.Fprintf(&b, "%d/%d docs", done, p.total)
	} else {
		fmt.Fprintf(&b, "%d docs", done)
	}
	fmt.Fprintf(&b, " · %.0f docs/s", rate)
	if p.total > 0 && rate > 0 && int(done) < p.total {
		eta := time.Duration(float64(p.total-int(done)) / rate * float64(time.Second)).Round(time.Second)
		fmt.Fprintf(&b, " · ETA %s", eta)
	}
	fmt.Fprintf(&b, " · %d failing", p.failing.Load())
	return b.String()
}

func (p *progress) add(r *scan.DocResult) {
	if p.bar == nil {
		return
	}
	if len(r.Errors) > 0 || r.Failing("low") {
		p.failing.Add(1)
	}
	p.done_.Add(1)
	p.bar.Describe(p.label())
	p.bar.Add(1)
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
