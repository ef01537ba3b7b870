package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/policies"
)

func init() {
	Register("markdown", func(w io.Writer, o Options) Writer { return newMarkdownWriter(w, o) })
}

// Bounds of the markdown report: a pull-request comment or a memo, not an
// inventory. What is left out is counted and said.
const (
	mdMaxDetails = 300 // detailed failing (and waived) findings
	mdMaxDocs    = 200 // documents in the per-document tables
)

// markdownWriter collects the failing findings (up to mdMaxDetails) and the
// per-document tables (up to mdMaxDocs) as the documents come, and writes
// the report at Close, when the summary is known.
type markdownWriter struct {
	w *bufio.Writer
	o Options
	// details holds the rendered failing findings per severity rank (4 =
	// critical … 1 = low, 0 unknown); waived the waived ones.
	details  [5]bytes.Buffer
	detailsN [5]int
	// detailEnds are the end offsets of each finding in details[rank] (and
	// waivedEnds in waived), so a capped report cuts between findings.
	detailEnds [5][]int
	waivedEnds []int
	waived     bytes.Buffer
	waivedN    int
	shown      int
	omitted    int
	// docs keeps the rendered tables of the mdMaxDocs documents that come
	// first in the triage order (input order with Display.All); results
	// counts the documents offered.
	docs    worstDocs[[]byte]
	results int
}

func newMarkdownWriter(w io.Writer, o Options) *markdownWriter {
	return &markdownWriter{w: bufio.NewWriter(w), o: o, docs: worstDocs[[]byte]{limit: mdMaxDocs}}
}

func mdStatus(s finding.Status) string {
	switch s {
	case finding.StatusPass:
		return "✅ pass"
	case finding.StatusFail:
		return "❌ FAIL"
	case finding.StatusInsufficientEvidence:
		return "⚠️ NOT EVIDENCED"
	case finding.StatusError:
		return "⛔ ERROR"
	case finding.StatusWaived:
		return "➖ waived"
	case finding.StatusNotApplicable:
		return "n/a"
	}
	return string(s)
}

func docTitle(d finding.DocRef) string { return suiteName(d) }

// mdLocation is a document's file and line as inline code.
func mdLocation(f *finding.Finding) string {
	loc := f.Document.File
	if f.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, f.Line)
	}
	return "`" + strings.ReplaceAll(loc, "`", "'") + "`"
}

func (m *markdownWriter) detail(b *bytes.Buffer, f *finding.Finding) {
	fmt.Fprintf(b, "#### %s · %s\n\n", f.ControlID, mdInline(f.Title))
	fmt.Fprintf(b, "- **Document:** %s %s (%s)", f.Document.Kind, mdInline(f.Document.Name), mdLocation(f))
	if f.Document.Site != "" {
		fmt.Fprintf(b, ", site %s", mdInline(f.Document.Site))
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "- **Status:** %s · severity %s · area %s\n", mdStatus(f.Status), f.Severity, f.Area)
	fmt.Fprintf(b, "- **Why:** %s\n", mdInline(oneParagraph(resultText(f))))
	if f.Waiver != nil || f.Status == finding.StatusWaived {
		fmt.Fprintf(b, "- **Waiver:** %s\n", mdInline(waiverText(f.Waiver)))
	}
	if f.Status.Failing() && f.Remediation != "" {
		fmt.Fprintf(b, "- **Fix:** %s\n", mdInline(oneParagraph(f.Remediation)))
	}
	b.WriteString("\n")
}

func (m *markdownWriter) Result(r *scan.DocResult) error {
	for _, f := range failuresFirst(r.Findings) {
		if !f.Status.Failing() && f.Status != finding.StatusWaived {
			continue
		}
		if m.shown >= mdMaxDetails {
			m.omitted++
			continue
		}
		m.shown++
		if f.Status == finding.StatusWaived {
			m.waivedN++
			m.detail(&m.waived, &f)
			m.waivedEnds = append(m.waivedEnds, m.waived.Len())
			continue
		}
		rank := f.Severity.Rank()
		m.detailsN[rank]++
		m.detail(&m.details[rank], &f)
		m.detailEnds[rank] = append(m.detailEnds[rank], m.details[rank].Len())
	}
	m.document(r)
	return nil
}

// document adds the document's compact table of controls.
func (m *markdownWriter) document(r *scan.DocResult) {
	var rows []finding.Finding
	for _, f := range r.Findings {
		if m.o.OnlyFailures && !f.Status.Failing() && f.Status != finding.StatusWaived {
			continue
		}
		rows = append(rows, f)
	}
	if len(rows) == 0 && len(r.Errors) == 0 {
		return
	}
	key := triageKey(r, m.results, m.o.Display.All)
	m.results++
	if !m.docs.wants(key) {
		m.docs.add(key, nil) // counted as left out
		return
	}
	b := &bytes.Buffer{}
	st := docStatus(r, m.o.FailOn)
	var c scan.StatusCount
	for _, f := range r.Findings {
		switch f.Status {
		case finding.StatusPass:
			c.Pass++
		case finding.StatusFail:
			c.Fail++
		case finding.StatusInsufficientEvidence:
			c.Insufficient++
		case finding.StatusError:
			c.Error++
		case finding.StatusWaived:
			c.Waived++
		case finding.StatusNotApplicable:
			c.NA++
		}
	}
	summary := strings.ToUpper(st)
	if len(r.Errors) == 0 {
		summary += fmt.Sprintf(" — %d pass, %d fail, %d not evidenced", c.Pass, c.Fail, c.Insufficient)
		if c.Error > 0 {
			summary += fmt.Sprintf(", %d error", c.Error)
		}
		if c.Waived > 0 {
			summary += fmt.Sprintf(", %d waived", c.Waived)
		}
	}
	fmt.Fprintf(b, "<details><summary><b>%s</b> · <code>%s</code> · %s</summary>\n\n", htmlText(docTitle(r.Doc)), htmlText(r.Doc.File), htmlText(summary))
	if len(r.Errors) > 0 {
		b.WriteString("| Field | Line | Input error |\n|---|---|---|\n")
		for _, e := range r.Errors {
			fmt.Fprintf(b, "| %s | %d | %s |\n", mdCell(nonEmpty(e.Path, "(document)")), e.Pos.Line, mdCell(e.Msg))
		}
	} else {
		b.WriteString("| Control | Severity | Status | Title |\n|---|---|---|---|\n")
		for _, f := range rows {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", f.ControlID, f.Severity, mdStatus(f.Status), mdCell(f.Title))
		}
	}
	b.WriteString("\n</details>\n\n")
	m.docs.add(key, b.Bytes())
}

// htmlText escapes text for the HTML parts of the Markdown (<details>).
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "|", "&#124;").Replace(s)
}

// mdUnit is a piece of the markdown report that is kept or left out whole
// (a table, a finding, a document), so a capped report never cuts mid-table.
type mdUnit struct {
	text     []byte
	findings int  // failing or waived findings it details
	docs     int  // documents it lists
	keep     bool // the summary: always written
}

// Close builds the report's units, stage by stage, and writes as many as
// fit under the cap.
func (m *markdownWriter) Close(fin *Final) error {
	return m.writeUnits(m.w, m.units(fin))
}

// mdUnits collects the report's units: a stage writes into cur, and cut
// ends the unit being written.
type mdUnits struct {
	list []mdUnit
	cur  bytes.Buffer
}

// cut closes the text written since the last cut as one unit u (nothing
// when no text was written).
func (b *mdUnits) cut(u mdUnit) {
	if b.cur.Len() > 0 {
		u.text = append([]byte(nil), b.cur.Bytes()...)
		b.list = append(b.list, u)
	}
	b.cur.Reset()
}

// splitAt adds text as one unit u per piece ending at each of ends.
func (b *mdUnits) splitAt(text []byte, ends []int, u mdUnit) {
	start := 0
	for _, end := range ends {
		u.text = text[start:end]
		b.list = append(b.list, u)
		start = end
	}
}

// units lays the report out in the order it is written: the header and
// summary and the verdicts (always kept), the product matrix, the failures
// by severity with the waived ones, the invalid documents, the documents'
// tables.
func (m *markdownWriter) units(fin *Final) []mdUnit {
	s := &scan.Summary{}
	if fin != nil && fin.Summary != nil {
		s = fin.Summary
	}
	b := &mdUnits{}
	m.header(&b.cur, s)
	mdSummary(&b.cur, s)
	b.cut(mdUnit{keep: true})
	if fin != nil && len(fin.Verdicts) > 0 {
		mdVerdicts(&b.cur, fin.Verdicts)
	}
	b.cut(mdUnit{keep: true})
	if len(s.Products) > 1 {
		m.matrix(&b.cur, s)
	}
	b.cut(mdUnit{})
	m.failures(b)
	mdInvalid(&b.cur, s)
	b.cut(mdUnit{})
	m.documents(b)
	return b.list
}

// header writes the title, the run line, the interruption warning and the
// one-line verdict of the run.
func (m *markdownWriter) header(w *bytes.Buffer, s *scan.Summary) {
	verb := nonEmpty(m.o.Verb, "scan")
	fmt.Fprintf(w, "# lockcheck %s report\n\n", verb)
	run := []string{"Run " + nonEmpty(s.Now, "(time unknown)")}
	if s.CatalogueVersion != "" {
		run = append(run, "catalogue "+s.CatalogueVersion+" (`"+clip(s.CatalogueDigest, 19)+"`)")
	}
	run = append(run, "lockcheck "+nonEmpty(m.o.ToolVersion, "dev"))
	if s.FailOn != "" {
		run = append(run, "fail on "+s.FailOn+" and above")
	}
	fmt.Fprintf(w, "%s\n\n", strings.Join(run, " · "))
	if s.Incomplete {
		w.WriteString("> [!WARNING]\n> The run was interrupted: these results cover only the documents finished.\n\n")
	}
	fmt.Fprintf(w, "**%s**\n\n", mdRunVerdict(s))
}

// mdRunVerdict is the run's outcome in one sentence.
func mdRunVerdict(s *scan.Summary) string {
	switch {
	case s.Invalid > 0 && s.Failing > 0:
		return fmt.Sprintf("❌ %d document(s) failing and %d invalid.", s.Failing, s.Invalid)
	case s.Failing > 0:
		return fmt.Sprintf("❌ %d of %d evaluated document(s) failing.", s.Failing, s.Evaluated)
	case s.Invalid > 0:
		return fmt.Sprintf("⛔ %d invalid document(s) were not evaluated.", s.Invalid)
	case s.Evaluated == 0:
		return "No document was evaluated."
	}
	return "✅ All evaluated documents are compliant."
}

// mdSummary writes the counts of documents, findings and failing findings
// by severity, and the top failing controls.
func mdSummary(w *bytes.Buffer, s *scan.Summary) {
	w.WriteString("## Summary\n\n")
	w.WriteString("| Documents | Compliant | Failing | Invalid |\n|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| %d | %d | %d | %d |\n\n", s.Documents, s.Compliant, s.Failing, s.Invalid)
	w.WriteString("| Findings | ")
	var heads, cells []string
	for _, st := range finding.Statuses {
		heads = append(heads, mdStatus(st))
		cells = append(cells, fmt.Sprint(s.Statuses[st]))
	}
	w.WriteString(strings.Join(heads, " | ") + " |\n|---|" + strings.Repeat("---:|", len(heads)) + "\n")
	w.WriteString("| count | " + strings.Join(cells, " | ") + " |\n\n")
	w.WriteString("| Failing by severity | critical | high | medium | low |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| count | %d | %d | %d | %d |\n\n", s.FailingBySeverity[finding.SeverityCritical], s.FailingBySeverity[finding.SeverityHigh],
		s.FailingBySeverity[finding.SeverityMedium], s.FailingBySeverity[finding.SeverityLow])

	if top := s.TopFailing(10); len(top) > 0 {
		w.WriteString("## Top failing controls\n\n| Control | Title | Severity | Failing | Not evidenced |\n|---|---|---|---:|---:|\n")
		for _, c := range top {
			fmt.Fprintf(w, "| %s | %s | %s | %d | %d |\n", c.ID, mdCell(c.Title), c.Severity, c.Failing(), c.Insufficient)
		}
		w.WriteString("\n")
	}
}

// failures adds the failing findings, most severe first (one unit each, a
// severity's heading with its first finding's unit boundary before it),
// then the waived ones and the count of those not kept.
func (m *markdownWriter) failures(b *mdUnits) {
	w := &b.cur
	w.WriteString("## Failures by severity\n\n")
	any := false
	for rank := 4; rank >= 0; rank-- {
		if m.detailsN[rank] == 0 {
			continue
		}
		any = true
		name := "unknown severity"
		if rank > 0 {
			name = string(finding.Severities[4-rank])
		}
		fmt.Fprintf(w, "### %s (%d)\n\n", strings.ToUpper(name[:1])+name[1:], m.detailsN[rank])
		b.cut(mdUnit{})
		b.splitAt(m.details[rank].Bytes(), m.detailEnds[rank], mdUnit{findings: 1})
	}
	if !any {
		w.WriteString("No failing findings.\n\n")
	}
	if m.waivedN > 0 {
		fmt.Fprintf(w, "### Waived: accepted risk (%d)\n\n", m.waivedN)
		b.cut(mdUnit{})
		b.splitAt(m.waived.Bytes(), m.waivedEnds, mdUnit{findings: 1})
	}
	if m.omitted > 0 {
		fmt.Fprintf(w, "_%d more failing or waived findings are not shown; see the JSON or HTML report._\n\n", m.omitted)
	}
	b.cut(mdUnit{findings: m.omitted})
}

// mdInvalid lists the input errors of the documents not evaluated.
func mdInvalid(w *bytes.Buffer, s *scan.Summary) {
	if s.InputErrors == 0 {
		return
	}
	fmt.Fprintf(w, "## Invalid documents\n\n%d input error(s); these documents were not evaluated:\n\n", s.InputErrors)
	for _, e := range s.Errors {
		fmt.Fprintf(w, "- `%s` %s\n", strings.ReplaceAll(errLocation(e.File, e.Pos.Line), "`", "'"), mdInline(nonEmpty(e.Path, "(document)")+": "+e.Msg))
	}
	if n := s.InputErrors - len(s.Errors); n > 0 {
		fmt.Fprintf(w, "- … and %d more\n", n)
	}
	w.WriteString("\n")
}

// documents adds the documents' tables kept, one unit each, under their
// heading, and the count of those left out.
func (m *markdownWriter) documents(b *mdUnits) {
	if m.docs.len() > 0 {
		b.cur.WriteString("## Documents\n\n")
		b.cut(mdUnit{})
		for _, doc := range m.docs.sorted() {
			b.list = append(b.list, mdUnit{text: doc, docs: 1})
		}
		if m.docs.Left > 0 {
			fmt.Fprintf(&b.cur, "_%d more documents are not listed._\n\n", m.docs.Left)
		}
	}
	b.cut(mdUnit{})
}

// mdTrailerRoom is kept free under the cap for the closing note.
const mdTrailerRoom = 200

// writeUnits writes the units in order while they fit under MarkdownMaxChars
// (0: no cap): the summary always, then as many whole units as fit (the
// most severe failures come first), then a note of what was left out.
func (m *markdownWriter) writeUnits(w *bufio.Writer, units []mdUnit) error {
	limit := m.o.MarkdownMaxChars
	used, findingsLeft, docsLeft := 0, 0, 0
	full := false
	for _, u := range units {
		n := utf8.RuneCount(u.text)
		if !u.keep && limit > 0 && (full || used+n > limit-mdTrailerRoom) {
			full = true
			findingsLeft += u.findings
			docsLeft += u.docs
			continue
		}
		used += n
		w.Write(u.text)
	}
	if full {
		note := fmt.Sprintf("_%d more findings not shown — see the full report", findingsLeft)
		if docsLeft > 0 {
			note += fmt.Sprintf("; also %d documents' tables", docsLeft)
		}
		fmt.Fprintf(w, "%s (--markdown-max-chars %d; write it without a cap with --markdown-max-chars 0, or as JSON or HTML)._\n", note, limit)
	}
	return w.Flush()
}

func errLocation(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// mdVerdicts writes approve's decisions: a table, then each plan's
// reasons, conditions and what would change the verdict.
func mdVerdicts(w *bytes.Buffer, vs []Verdict) {
	w.WriteString("## Verdicts\n\n| Plan | Product | Decision |\n|---|---|---|\n")
	for _, v := range vs {
		fmt.Fprintf(w, "| %s | %s | **%s** |\n", mdCell(v.Plan.Name), mdCell(v.Product), v.Decision)
	}
	w.WriteString("\n")
	for _, v := range vs {
		lists := []struct {
			head  string
			items []string
		}{{"Reasons", v.Reasons}, {"Conditions", v.Conditions}, {"What would change the verdict", v.ToApprove}}
		for _, l := range lists {
			if len(l.items) == 0 {
				continue
			}
			fmt.Fprintf(w, "**%s — %s:**\n\n", mdInline(v.Plan.Name), l.head)
			for _, it := range l.items {
				fmt.Fprintf(w, "- %s\n", mdInline(it))
			}
			w.WriteString("\n")
		}
	}
}

// matrix writes the product comparison: controls as rows, products as
// columns (ranked best first), then the scores overall and per area.
func (m *markdownWriter) matrix(w *bytes.Buffer, s *scan.Summary) {
	prods := RankProducts(s.Products)
	w.WriteString("## Product comparison\n\n| Control | Severity |")
	for _, p := range prods {
		fmt.Fprintf(w, " %s |", mdCell(p.Name))
	}
	w.WriteString("\n|---|---|" + strings.Repeat("---|", len(prods)) + "\n")
	prodRow := func(label string, f func(p scan.ProductScore) string) {
		fmt.Fprintf(w, "| **%s** | |", label)
		for _, p := range prods {
			fmt.Fprintf(w, " %s |", f(p))
		}
		w.WriteString("\n")
	}
	prodRow("Verdict", func(p scan.ProductScore) string {
		if p.Recommendation == scan.NotRecommended {
			return "❌ **not recommended**"
		}
		return "✅ " + p.Recommendation
	})
	prodRow("Blocking issues", func(p scan.ProductScore) string {
		if len(p.Blocking) == 0 {
			return "none"
		}
		return strings.Join(p.Blocking, ", ")
	})
	prodRow("Vendor", func(p scan.ProductScore) string { return mdCell(orDash(p.Vendor)) })
	prodRow("Model", func(p scan.ProductScore) string { return mdCell(orDash(p.Model)) })
	for _, c := range s.Controls {
		if !hasControl(prods, c.ID) {
			continue
		}
		if m.o.Display.Differences && sameStatus(prods, c.ID) {
			continue
		}
		fmt.Fprintf(w, "| %s %s | %s |", c.ID, mdCell(c.Title), c.Severity)
		for _, p := range prods {
			cell := "–"
			if st, ok := p.Statuses[c.ID]; ok {
				cell = mdStatus(st)
			}
			fmt.Fprintf(w, " %s |", cell)
		}
		w.WriteString("\n")
	}
	w.WriteString("| **Score (severity-weighted)** | |")
	for _, p := range prods {
		fmt.Fprintf(w, " **%.1f** |", p.Score)
	}
	w.WriteString("\n| **% passing** | |")
	for _, p := range prods {
		fmt.Fprintf(w, " %.1f |", p.PassRate)
	}
	w.WriteString("\n| **Not evidenced** | |")
	for _, p := range prods {
		fmt.Fprintf(w, " %d |", p.Counts.Insufficient)
	}
	w.WriteString("\n\n### Score by area (% passing)\n\n| Area |")
	for _, p := range prods {
		fmt.Fprintf(w, " %s |", mdCell(p.Name))
	}
	w.WriteString("\n|---|" + strings.Repeat("---:|", len(prods)) + "\n")
	for _, area := range productAreas(prods) {
		fmt.Fprintf(w, "| %s |", mdCell(area))
		for _, p := range prods {
			c, ok := p.ByArea[area]
			if !ok {
				w.WriteString(" – |")
				continue
			}
			fmt.Fprintf(w, " %.1f |", round1(c.Score()))
		}
		w.WriteString("\n")
	}
	w.WriteString("\n")
}

// productAreas lists the areas any product has findings in, in catalogue
// order.
func productAreas(ps []scan.ProductScore) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		for a := range p.ByArea {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		oi, oj := areaRank(out[i]), areaRank(out[j])
		if oi != oj {
			return oi < oj
		}
		return out[i] < out[j]
	})
	return out
}

// areaRank orders areas as the catalogue does (policies/catalogue.json).
func areaRank(a string) int {
	for i, x := range policies.Areas() {
		if a == x.Name {
			return i
		}
	}
	return 100
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
