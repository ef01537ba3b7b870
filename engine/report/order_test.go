package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// orderDoc is a lock snapshot with one finding per given status, all of the
// given severity.
func orderDoc(seq int, name string, sev engine.Severity, statuses ...engine.Status) *scan.DocResult {
	doc := engine.DocRef{File: "fleet/" + name + ".yaml", Index: 1, Kind: "LockSnapshot", Name: name}
	r := &scan.DocResult{Seq: seq, Doc: doc}
	for i, st := range statuses {
		r.Findings = append(r.Findings, engine.Finding{ControlID: fmt.Sprintf("ENR-%03d", i+1), Title: "t", Area: "enrollment",
			Severity: sev, Status: st, Document: doc, Rationale: "r"})
	}
	return r
}

// docsOrder lists the documents named in out in the order they appear, each
// once, from the markers the format writes around a document's name.
func docsOrder(out, before, after string, names []string) []string {
	type pos struct {
		name string
		at   int
	}
	var got []pos
	for _, n := range names {
		if i := strings.Index(out, before+n+after); i >= 0 {
			got = append(got, pos{n, i})
		}
	}
	for i := 1; i < len(got); i++ {
		for j := i; j > 0 && got[j].at < got[j-1].at; j-- {
			got[j], got[j-1] = got[j-1], got[j]
		}
	}
	out2 := make([]string, len(got))
	for i, p := range got {
		out2[i] = p.name
	}
	return out2
}

// TestHumanFormatsOrderDocumentsWorstFirst checks that markdown and html list
// documents the way the text triage view does (highest failing severity,
// then most failing findings, then input order) and keep input order with
// --show all.
func TestHumanFormatsOrderDocumentsWorstFirst(t *testing.T) {
	P, F, IE := engine.StatusPass, engine.StatusFail, engine.StatusInsufficientEvidence
	results := []*scan.DocResult{
		orderDoc(0, "a-pass", engine.SeverityHigh, P, P),
		orderDoc(1, "b-low-1", engine.SeverityLow, F, P),
		orderDoc(2, "c-high-1", engine.SeverityHigh, F, P),
		orderDoc(3, "d-pass", engine.SeverityHigh, P, P),
		orderDoc(4, "e-high-2", engine.SeverityHigh, F, IE),
		orderDoc(5, "f-critical-1", engine.SeverityCritical, IE, P),
	}
	names := []string{"a-pass", "b-low-1", "c-high-1", "d-pass", "e-high-2", "f-critical-1"}
	triage := []string{"f-critical-1", "e-high-2", "c-high-1", "b-low-1", "a-pass", "d-pass"}
	eng := newTestEngine(t)
	agg := scan.NewAggregator(eng, engine.SeverityLow)
	for _, r := range results {
		agg.Add(r)
	}
	s := agg.Summary()
	markers := map[string][2]string{
		"markdown": {"<details><summary><b>LockSnapshot ", "</b>"},
		"html":     {`<b>LockSnapshot `, "</b><span class=\"file\">"},
	}
	for _, all := range []bool{false, true} {
		for _, format := range []string{"markdown", "html"} {
			t.Run(fmt.Sprintf("%s/all=%v", format, all), func(t *testing.T) {
				o := testOptions(t)
				o.Display.All = all
				out := string(render(t, format, o, results, s))
				if format == "html" {
					// the document details, not the findings table
					out = out[strings.Index(out, `<section id="documents">`):]
				}
				m := markers[format]
				got := docsOrder(out, m[0], m[1], names)
				want := triage
				if all {
					want = names
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("documents in order %v, want %v", got, want)
				}
			})
		}
	}
}

// TestHTMLRowsFollowDocumentOrder checks that the findings table groups rows
// by document in the triage order.
func TestHTMLRowsFollowDocumentOrder(t *testing.T) {
	P, F := engine.StatusPass, engine.StatusFail
	results := []*scan.DocResult{
		orderDoc(0, "a-pass", engine.SeverityHigh, P),
		orderDoc(1, "b-fail", engine.SeverityHigh, F),
	}
	eng := newTestEngine(t)
	agg := scan.NewAggregator(eng, engine.SeverityLow)
	for _, r := range results {
		agg.Add(r)
	}
	out := string(render(t, "html", testOptions(t), results, agg.Summary()))
	table := out[strings.Index(out, `<table id="findings-table">`):strings.Index(out, `<section id="documents">`)]
	got := docsOrder(table, `">LockSnapshot `, "</a>", []string{"a-pass", "b-fail"})
	if strings.Join(got, " ") != "b-fail a-pass" {
		t.Errorf("table rows in document order %v, want [b-fail a-pass]", got)
	}
}

// TestCappedDocumentsKeepTheWorst checks that when there are more documents
// than the markdown and html reports detail, the ones kept are the worst
// (not the first to arrive), still in triage order, and the rest are counted.
func TestCappedDocumentsKeepTheWorst(t *testing.T) {
	w := worstDocs[string]{limit: 3}
	keys := []docKey{{0, 0, 0}, {3, 1, 1}, {0, 0, 2}, {4, 2, 3}, {3, 2, 4}, {1, 1, 5}, {4, 2, 6}}
	for _, k := range keys {
		if w.wants(k) != (w.len() < w.limit || k.before(w.h[0].key)) {
			t.Fatal("wants disagrees with the heap")
		}
		w.add(k, fmt.Sprint(k.seq))
	}
	if got := strings.Join(w.sorted(), " "); got != "3 6 4" {
		t.Errorf("kept %q, want %q", got, "3 6 4")
	}
	if w.Left != len(keys)-3 {
		t.Errorf("Left = %d, want %d", w.Left, len(keys)-3)
	}

	// The markdown report keeps the mdMaxDocs worst documents: a failing
	// document that arrives after mdMaxDocs passing ones is listed first.
	var results []*scan.DocResult
	var names []string
	for i := 0; i < mdMaxDocs; i++ {
		names = append(names, fmt.Sprintf("p%03d", i))
		results = append(results, orderDoc(i, names[i], engine.SeverityHigh, engine.StatusPass))
	}
	results = append(results, orderDoc(mdMaxDocs, "z-fail", engine.SeverityHigh, engine.StatusFail))
	eng := newTestEngine(t)
	agg := scan.NewAggregator(eng, engine.SeverityLow)
	for _, r := range results {
		agg.Add(r)
	}
	o := testOptions(t)
	o.MarkdownMaxChars = 0
	out := string(render(t, "markdown", o, results, agg.Summary()))
	docs := out[strings.Index(out, "## Documents"):]
	first := strings.Index(docs, "<details>")
	if first < 0 || !strings.HasPrefix(docs[first:], "<details><summary><b>LockSnapshot z-fail</b>") {
		t.Errorf("the failing document is not the first listed:\n%s", clip(docs, 600))
	}
	if !strings.Contains(docs, "_1 more documents are not listed._") || strings.Contains(docs, "LockSnapshot p199</b>") {
		t.Errorf("want the last passing document left out and counted:\n%s", clip(docs[len(docs)-600:], 600))
	}
}
