package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestSpoolSpills checks that a spool larger than its memory share goes
// through a temporary file and comes back intact.
func TestSpoolSpills(t *testing.T) {
	var s spool
	var want bytes.Buffer
	line := strings.Repeat("x", 1000) + "\n"
	for i := 0; want.Len() <= spoolMemory+10000; i++ {
		fmt.Fprintf(&s, "%d %s", i, line)
		fmt.Fprintf(&want, "%d %s", i, line)
	}
	if s.file == nil {
		t.Fatal("the spool did not spill to a file")
	}
	name := s.file.Name()
	var got bytes.Buffer
	if err := s.copyTo(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("spooled %d bytes, got %d back", want.Len(), got.Len())
	}
	if fileExists(name) {
		t.Errorf("temporary file %s was not removed", name)
	}
}

// TestHTMLCaps checks that a large run keeps the HTML bounded and says what
// it left out.
func TestHTMLCaps(t *testing.T) {
	const docs, perDoc = htmlMaxDocs + 50, 11
	eng := newTestEngine(t)
	agg := scan.NewAggregator(eng, engine.SeverityLow)
	w := newHTMLWriter(&bytes.Buffer{}, testOptions(t))
	var out bytes.Buffer
	w.w.Reset(&out)
	for i := 0; i < docs; i++ {
		doc := engine.DocRef{File: fmt.Sprintf("fleet/u%d.yaml", i), Index: 1, Kind: "LockSnapshot", Name: fmt.Sprintf("u%d", i)}
		r := &scan.DocResult{Seq: i, Doc: doc}
		for j := 0; j < perDoc; j++ {
			st := engine.StatusPass
			if j == 0 {
				st = engine.StatusFail
			}
			r.Findings = append(r.Findings, engine.Finding{ControlID: fmt.Sprintf("ENR-%03d", j), Title: "t", Area: "enrollment", Severity: engine.SeverityHigh, Status: st, Document: doc, Rationale: "r"})
		}
		agg.Add(r)
		if err := w.Result(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(&Final{Summary: agg.Summary()}); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	if n := strings.Count(page, `<details class="doc"`); n != htmlMaxDocs {
		t.Errorf("%d document details, want %d", n, htmlMaxDocs)
	}
	if n := strings.Count(page, "<tr data-status="); n != htmlMaxRows {
		t.Errorf("%d table rows, want %d", n, htmlMaxRows)
	}
	// Every failing finding is kept before passing ones.
	if n := strings.Count(page, `<tr data-status="fail"`); n != docs {
		t.Errorf("%d failing rows, want %d", n, docs)
	}
	for _, want := range []string{fmt.Sprintf(`data-testid="docs-left">Details of %d more documents`, 50), fmt.Sprintf(`data-testid="rows-left">%d of %d findings`, docs*perDoc-htmlMaxRows, docs*perDoc)} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
