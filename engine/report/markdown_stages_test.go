package report

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestMarkdownFailuresStage runs the failures stage alone: each failing
// finding is one unit (so a capped report cuts between findings), a
// severity's heading goes with the unit before its first finding, most
// severe first, then the waived findings; the last unit carries the count
// of findings not kept.
func TestMarkdownFailuresStage(t *testing.T) {
	t.Parallel()
	doc := finding.DocRef{File: "a.yaml", Index: 1, Kind: "LockSnapshot", Name: "unit-1"}
	f := func(id string, sev finding.Severity, st finding.Status) finding.Finding {
		return finding.Finding{ControlID: id, Title: id + " title", Severity: sev, Status: st, Document: doc, Rationale: id + " fails."}
	}
	m := newMarkdownWriter(io.Discard, Options{})
	m.Result(&scan.DocResult{Doc: doc, Findings: []finding.Finding{
		f("AUTH-001", finding.SeverityHigh, finding.StatusFail),
		f("AUTH-002", finding.SeverityCritical, finding.StatusInsufficientEvidence),
		f("AUTH-003", finding.SeverityCritical, finding.StatusFail),
		f("AUTH-004", finding.SeverityLow, finding.StatusPass),
		f("AUTH-005", finding.SeverityMedium, finding.StatusWaived),
	}})
	m.omitted = 7 // as if the detail cap had been reached

	b := &mdUnits{}
	m.failures(b)

	type unit struct {
		starts   string
		findings int
	}
	want := []unit{
		{"## Failures by severity\n\n### Critical (2)\n\n", 0},
		{"#### AUTH-003 ·", 1}, // fail before not evidenced
		{"#### AUTH-002 ·", 1},
		{"### High (1)\n\n", 0},
		{"#### AUTH-001 ·", 1},
		{"### Waived: accepted risk (1)\n\n", 0},
		{"#### AUTH-005 ·", 1},
		{"_7 more failing or waived findings are not shown", 7},
	}
	if len(b.list) != len(want) {
		var got []string
		for _, u := range b.list {
			got = append(got, string(u.text))
		}
		t.Fatalf("%d units, want %d:\n%s", len(b.list), len(want), strings.Join(got, "\n-----\n"))
	}
	for i, w := range want {
		u := b.list[i]
		if !bytes.HasPrefix(u.text, []byte(w.starts)) || u.findings != w.findings || u.keep {
			t.Errorf("unit %d = %q (findings %d, keep %v), want it to start %q with findings %d, not kept", i, u.text, u.findings, u.keep, w.starts, w.findings)
		}
	}
	if b.cur.Len() != 0 {
		t.Errorf("text left uncut: %q", b.cur.String())
	}
}

// TestMarkdownNoFailuresStage: without failing findings the stage says so
// in one unit.
func TestMarkdownNoFailuresStage(t *testing.T) {
	t.Parallel()
	m := newMarkdownWriter(io.Discard, Options{})
	b := &mdUnits{}
	m.failures(b)
	if len(b.list) != 1 || string(b.list[0].text) != "## Failures by severity\n\nNo failing findings.\n\n" {
		t.Errorf("units %+v, want the one heading saying no failing findings", b.list)
	}
}

// TestMarkdownRunVerdict: the one-line outcome under the header.
func TestMarkdownRunVerdict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    scan.Summary
		want string
	}{
		{scan.Summary{Evaluated: 3}, "✅ All evaluated documents are compliant."},
		{scan.Summary{}, "No document was evaluated."},
		{scan.Summary{Evaluated: 3, Failing: 2}, "❌ 2 of 3 evaluated document(s) failing."},
		{scan.Summary{Evaluated: 3, Invalid: 1}, "⛔ 1 invalid document(s) were not evaluated."},
		{scan.Summary{Evaluated: 3, Failing: 2, Invalid: 1}, "❌ 2 document(s) failing and 1 invalid."},
	} {
		if got := mdRunVerdict(&tc.s); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestMarkdownUnitsKeep: the header and summary, and the verdicts, are the
// units always written; the rest can be left out under a cap.
func TestMarkdownUnitsKeep(t *testing.T) {
	t.Parallel()
	m := newMarkdownWriter(io.Discard, Options{Verb: "approve"})
	units := m.units(&Final{Summary: &scan.Summary{Evaluated: 1}, Verdicts: []Verdict{{Product: "p", Decision: "APPROVED"}}})
	if len(units) < 3 {
		t.Fatalf("%d units, want at least 3", len(units))
	}
	if !units[0].keep || !bytes.HasPrefix(units[0].text, []byte("# lockcheck approve report\n")) || !bytes.Contains(units[0].text, []byte("## Summary")) {
		t.Errorf("first unit (kept %v): %q, want the kept header and summary", units[0].keep, units[0].text)
	}
	if !units[1].keep || !bytes.HasPrefix(units[1].text, []byte("## Verdicts")) {
		t.Errorf("second unit (kept %v): %q, want the kept verdicts", units[1].keep, units[1].text)
	}
	for _, u := range units[2:] {
		if u.keep {
			t.Errorf("unit %q kept, want only the summary and verdicts kept", u.text)
		}
	}
}
