package report

import (
	"bytes"
	"encoding/csv"
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

// bigFleet is the fixture fleet's lock results copied to n locks (each copy
// renamed), with its summary: a generated fleet without re-evaluating it.
func bigFleet(t *testing.T, n int) ([]*scan.DocResult, *scan.Summary) {
	t.Helper()
	run := runFixtures(t, fixtureCases[0])
	var locks []*scan.DocResult
	for _, r := range run.Results {
		if r.Doc.Kind == "LockSnapshot" && len(r.Errors) == 0 {
			locks = append(locks, r)
		}
	}
	agg := scan.NewAggregator(newTestEngine(t), engine.SeverityLow)
	var out []*scan.DocResult
	for i := 0; i < n; i++ {
		src := locks[i%len(locks)]
		c := *src
		c.Seq = i
		c.Doc.Name = fmt.Sprintf("%s-%05d", src.Doc.Name, i)
		c.Doc.File = fmt.Sprintf("fleet/%05d.yaml", i)
		c.Findings = append([]engine.Finding(nil), src.Findings...)
		for j := range c.Findings {
			c.Findings[j].Document = c.Doc
		}
		agg.Add(&c)
		out = append(out, &c)
	}
	return out, agg.Summary()
}

// TestMarkdownFitsCap: on a 5,000-lock fleet (-short: 500) the markdown stays under
// --markdown-max-chars, keeps the summary and the most severe failures,
// cuts between whole tables and says how many findings it left out.
func TestMarkdownFitsCap(t *testing.T) {
	locks := 5000
	if testing.Short() {
		locks = 500 // still several times the largest cap
	}
	results, sum := bigFleet(t, locks)
	o := testOptions(t)
	uncapped := string(render(t, "markdown", o, results, sum))
	if n := len([]rune(uncapped)); n <= 60000 {
		t.Fatalf("the uncapped report has %d chars: the fleet is too small to test the cap", n)
	}
	for _, limit := range []int{60000, 20000} {
		o.MarkdownMaxChars = limit
		got := string(render(t, "markdown", o, results, sum))
		if n := len([]rune(got)); n > limit {
			t.Errorf("cap %d: %d chars", limit, n)
		}
		for _, want := range []string{"## Summary", "## Top failing controls", "### Critical", "more findings not shown — see the full report"} {
			if !strings.Contains(got, want) {
				t.Errorf("cap %d: %q missing", limit, want)
			}
		}
		if strings.Count(got, "<details>") != strings.Count(got, "</details>") {
			t.Errorf("cap %d: a document table is cut", limit)
		}
		// Whole findings only, most severe first: what is shown is a prefix
		// of the uncapped report's findings.
		body := got[:strings.LastIndex(got, "_")]
		body = body[:strings.LastIndex(body, "\n_")+1]
		if !strings.HasPrefix(uncapped, body) {
			t.Errorf("cap %d: the capped report is not a prefix of the full one cut between units", limit)
		}
		shown := strings.Count(got, "\n#### ")
		var left int
		fmt.Sscanf(got[strings.LastIndex(got, "\n_")+2:], "%d more findings", &left)
		if total := strings.Count(uncapped, "\n#### ") + (sum.Statuses[engine.StatusFail] + sum.Statuses[engine.StatusInsufficientEvidence] + sum.Statuses[engine.StatusError] + sum.Statuses[engine.StatusWaived] - strings.Count(uncapped, "\n#### ")); shown+left != total {
			t.Errorf("cap %d: %d shown + %d said left = %d, want %d findings", limit, shown, left, shown+left, total)
		}
	}
}

// TestCSV: a header, then one row per finding with RFC 4180 quoting that
// encoding/csv reads back.
func TestCSV(t *testing.T) {
	run := runFixtures(t, fixtureCases[0])
	out := render(t, "csv", testOptions(t), run.Results, run.Summary)
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("the csv does not parse: %v", err)
	}
	want := 1
	for _, r := range run.Results {
		want += len(r.Findings) + len(r.Errors)
	}
	if len(rows) != want {
		t.Errorf("%d rows, want a header and %d findings or errors", len(rows), want-1)
	}
	if strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	for _, r := range rows[1:] {
		if len(r) != len(csvHeader) {
			t.Fatalf("row with %d columns: %v", len(r), r)
		}
	}
}
