package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("html", func(w io.Writer, o Options) Writer { return newHTMLWriter(w, o) })
}

//go:embed html.tmpl
var htmlTemplateText string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"statusLabel": func(s string) string { return statusLabel(finding.Status(s)) },
	"lower":       strings.ToLower,
}).Parse(htmlTemplateText))

// Bounds of the HTML report, so that a 100,000-lock run stays a few MB: the
// findings table keeps every failing and waived finding up to htmlMaxRows,
// then fills up with passing ones; per-document details cover the first
// htmlMaxDocs documents. What is left out is counted and shown.
const (
	htmlMaxRows      = 20000
	htmlMaxDocs      = 2000
	htmlMaxRationale = 400
)

// htmlWriter is the one aggregating format: it keeps bounded rows and
// details as the documents come and renders the page at Close.
type htmlWriter struct {
	w        *bufio.Writer
	o        Options
	failRows []htmlRow
	passRows []htmlRow
	rowsSeen int
	// docs keeps the details of the htmlMaxDocs documents that come first
	// in the triage order (input order with Display.All).
	docs    worstDocs[htmlDoc]
	results int // Result calls so far: the documents' anchors
}

func newHTMLWriter(w io.Writer, o Options) *htmlWriter {
	return &htmlWriter{w: bufio.NewWriter(w), o: o, docs: worstDocs[htmlDoc]{limit: htmlMaxDocs}}
}

// htmlRow is one line of the findings table.
type htmlRow struct {
	key       docKey // the document's place in the triage order
	idx       int
	Doc       string
	DocID     string
	Control   string
	Title     string
	Severity  string
	SevRank   int
	Status    string
	Rationale string
}

type htmlEvidence struct {
	Path, Observed, Expected string
	Line                     int
}

type htmlFinding struct {
	Control, Title, Severity, Status, Area string
	Rationale, Remediation, Waiver         string
	Missing                                []string
	Evidence                               []htmlEvidence
	Warnings                               []string
}

type htmlDoc struct {
	ID, Title, File, Kind, Site, Status string
	Counts                              scan.StatusCount
	Errors                              []string
	Warnings                            []string
	Findings                            []htmlFinding
	Passing                             []htmlFinding
}

func (h *htmlWriter) Result(r *scan.DocResult) error {
	// numbered by arrival: results outside the document stream (refused
	// waivers, the fleet) share Seq values with documents
	docID := fmt.Sprintf("doc-%d", h.results)
	key := triageKey(r, h.results, h.o.Display.All)
	h.results++
	title := docTitle(r.Doc)
	for i := range r.Findings {
		f := &r.Findings[i]
		h.rowsSeen++
		row := htmlRow{key: key, idx: i, Doc: title, DocID: docID, Control: f.ControlID, Title: f.Title, Severity: string(f.Severity),
			SevRank: f.Severity.Rank(), Status: string(f.Status), Rationale: clip(oneParagraph(resultText(f)), htmlMaxRationale)}
		if f.Status.Failing() || f.Status == finding.StatusWaived {
			if len(h.failRows) < htmlMaxRows {
				h.failRows = append(h.failRows, row)
			}
		} else if len(h.passRows)+len(h.failRows) < htmlMaxRows {
			h.passRows = append(h.passRows, row)
		}
	}
	if !h.docs.wants(key) {
		h.docs.add(key, htmlDoc{}) // counted as left out
		return nil
	}
	d := htmlDoc{ID: docID, Title: title, File: r.Doc.File, Kind: r.Doc.Kind, Site: r.Doc.Site, Status: docStatus(r, h.o.FailOn)}
	for _, e := range r.Errors {
		d.Errors = append(d.Errors, e.Error())
	}
	for _, w := range r.Warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	for _, f := range failuresFirst(r.Findings) {
		switch f.Status {
		case finding.StatusPass:
			d.Counts.Pass++
		case finding.StatusFail:
			d.Counts.Fail++
		case finding.StatusInsufficientEvidence:
			d.Counts.Insufficient++
		case finding.StatusError:
			d.Counts.Error++
		case finding.StatusWaived:
			d.Counts.Waived++
		case finding.StatusNotApplicable:
			d.Counts.NA++
		}
		hf := htmlFinding{Control: f.ControlID, Title: f.Title, Severity: string(f.Severity), Status: string(f.Status), Area: f.Area,
			Rationale: resultText(&f), Warnings: f.Warnings}
		if !f.Status.Failing() && f.Status != finding.StatusWaived {
			d.Passing = append(d.Passing, hf)
			continue
		}
		hf.Missing = f.Missing
		if f.Status.Failing() {
			hf.Remediation = oneParagraph(f.Remediation)
		}
		if f.Status == finding.StatusWaived || f.Waiver != nil {
			hf.Waiver = waiverText(f.Waiver)
		}
		for _, e := range f.Evidence {
			hf.Evidence = append(hf.Evidence, htmlEvidence{Path: e.Path, Observed: clip(compactJSON(e.Observed), 300), Expected: clip(compactJSON(e.Expected), 300), Line: e.Line})
		}
		d.Findings = append(d.Findings, hf)
	}
	h.docs.add(key, d)
	return nil
}

// htmlCount is a labelled number for the summary cards.
type htmlCount struct {
	Key, Label, Class string
	N                 int
}

type htmlMatrixRow struct {
	ID, Title, Severity string
	Cells               []htmlCount
}

type htmlData struct {
	Title, Now, Catalogue, Digest, Tool, FailOn string
	Incomplete                                  bool
	Documents, Evaluated, Compliant, Failing    int
	Invalid                                     int
	Verdict, VerdictClass                       string
	Statuses, Severities                        []htmlCount
	TopChart, AreaChart, SiteChart              template.HTML
	Products                                    []scan.ProductScore
	Matrix                                      []htmlMatrixRow
	AreaScores                                  []htmlMatrixRow
	Verdicts                                    []Verdict
	Rows                                        []htmlRow
	RowsTotal, RowsLeft                         int
	Docs                                        []htmlDoc
	DocsLeft                                    int
	InputErrors                                 []string
	InputErrorsN                                int
	TrendScans                                  []string
	TrendChart                                  template.HTML
}

func statusClass(s string) string { return "st-" + strings.ReplaceAll(s, "_", "-") }

func (h *htmlWriter) Close(fin *Final) error {
	s := &scan.Summary{}
	if fin != nil && fin.Summary != nil {
		s = fin.Summary
	}
	d := htmlData{
		Title: "lockcheck " + nonEmpty(h.o.Verb, "scan") + " report", Now: s.Now, Catalogue: s.CatalogueVersion, Digest: s.CatalogueDigest,
		Tool: nonEmpty(h.o.ToolVersion, "dev"), FailOn: s.FailOn, Incomplete: s.Incomplete,
		Documents: s.Documents, Evaluated: s.Evaluated, Compliant: s.Compliant, Failing: s.Failing, Invalid: s.Invalid,
		Docs: h.docs.sorted(), DocsLeft: h.docs.Left, RowsTotal: h.rowsSeen, InputErrorsN: s.InputErrors,
	}
	switch {
	case s.Failing > 0:
		d.Verdict, d.VerdictClass = fmt.Sprintf("%d of %d evaluated documents failing", s.Failing, s.Evaluated), "bad"
	case s.Invalid > 0:
		d.Verdict, d.VerdictClass = fmt.Sprintf("%d invalid documents not evaluated", s.Invalid), "bad"
	case s.Evaluated > 0:
		d.Verdict, d.VerdictClass = "all evaluated documents compliant", "good"
	default:
		d.Verdict, d.VerdictClass = "no document evaluated", "neutral"
	}
	for _, st := range finding.Statuses {
		d.Statuses = append(d.Statuses, htmlCount{Key: string(st), Label: statusLabel(st), Class: statusClass(string(st)), N: s.Statuses[st]})
	}
	for _, sev := range finding.Severities {
		d.Severities = append(d.Severities, htmlCount{Key: string(sev), Label: string(sev), Class: "sev-" + string(sev), N: s.FailingBySeverity[sev]})
	}
	d.TopChart = topFailingChart(s.TopFailing(10))
	if fin != nil && fin.Trend != nil && len(fin.Trend.Scans) > 1 {
		d.TrendScans = fin.Trend.Scans
		d.TrendChart = trendChart(fin.Trend)
	}
	d.AreaChart = areaChart(s.Areas)
	d.SiteChart = siteChart(s.Sites)
	if fin != nil {
		d.Verdicts = fin.Verdicts
	}
	if len(s.Products) > 1 {
		d.Products = RankProducts(s.Products)
		for _, c := range s.Controls {
			if !hasControl(d.Products, c.ID) {
				continue
			}
			row := htmlMatrixRow{ID: c.ID, Title: c.Title, Severity: string(c.Severity)}
			for _, p := range d.Products {
				st, ok := p.Statuses[c.ID]
				if !ok {
					row.Cells = append(row.Cells, htmlCount{Label: "–", Class: "st-none"})
					continue
				}
				row.Cells = append(row.Cells, htmlCount{Key: string(st), Label: matrixCell(st), Class: statusClass(string(st))})
			}
			d.Matrix = append(d.Matrix, row)
		}
		for _, area := range productAreas(d.Products) {
			row := htmlMatrixRow{ID: area}
			for _, p := range d.Products {
				c, ok := p.ByArea[area]
				if !ok {
					row.Cells = append(row.Cells, htmlCount{Label: "–", Class: "st-none"})
					continue
				}
				sc := round1(c.Score())
				row.Cells = append(row.Cells, htmlCount{Label: fmt.Sprintf("%.1f", sc), Class: scoreClass(sc)})
			}
			d.AreaScores = append(d.AreaScores, row)
		}
	}
	pass := h.passRows
	if room := htmlMaxRows - len(h.failRows); len(pass) > room {
		pass = pass[:room]
	}
	rows := append(h.failRows, pass...)
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].key != rows[j].key {
			return rows[i].key.before(rows[j].key)
		}
		return rows[i].idx < rows[j].idx
	})
	d.Rows = rows
	d.RowsLeft = h.rowsSeen - len(rows)
	for _, e := range s.Errors {
		d.InputErrors = append(d.InputErrors, e.Error())
	}
	if err := htmlTemplate.Execute(h.w, d); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return h.w.Flush()
}

func scoreClass(score float64) string {
	switch {
	case score >= 90:
		return "score-good"
	case score >= 70:
		return "score-mid"
	}
	return "score-bad"
}

// Chart colours, shared with the stylesheet.
const (
	colFail     = "#c62828"
	colNotEvid  = "#e0a100"
	colError    = "#6a1b9a"
	colPass     = "#2e7d32"
	colWaived   = "#78909c"
	colChartTxt = "#1f2933"
)

type barPart struct {
	n     int
	color string
	label string
}

// topFailingChart is a horizontal bar chart of the controls failing most
// (fail, not evidenced and error stacked), as inline SVG.
func topFailingChart(top []scan.ControlCount) template.HTML {
	if len(top) == 0 {
		return template.HTML(`<p class="muted">No control is failing.</p>`)
	}
	const labelW, barW, rowH, countW = 250, 270, 24, 40
	max := 1
	for _, c := range top {
		if c.Failing() > max {
			max = c.Failing()
		}
	}
	height := len(top)*rowH + 34
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="Controls failing most" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`, labelW+barW+countW, height)
	for i, c := range top {
		y := i*rowH + 4
		label := c.ID + "  " + clip(c.Title, 27)
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="%s"><title>%s</title>%s</text>`, y+15, colChartTxt, html.EscapeString(c.ID+" "+c.Title), html.EscapeString(label))
		x := float64(labelW)
		for _, p := range []barPart{{c.Fail, colFail, "fail"}, {c.Insufficient, colNotEvid, "not evidenced"}, {c.Error, colError, "error"}} {
			if p.n == 0 {
				continue
			}
			w := float64(p.n) / float64(max) * barW
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="18" rx="2" fill="%s"><title>%s: %d %s</title></rect>`, x, y+2, w, p.color, html.EscapeString(c.ID), p.n, p.label)
			x += w
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" font-weight="600" fill="%s">%d</text>`, x+6, y+15, colChartTxt, c.Failing())
	}
	legend(&b, height-12, []barPart{{0, colFail, "fail"}, {0, colNotEvid, "not evidenced"}, {0, colError, "error"}})
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func legend(b *strings.Builder, y int, parts []barPart) {
	x := 0
	for _, p := range parts {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" font-size="11" fill="%s">%s</text>`, x, y-9, p.color, x+14, y, colChartTxt, html.EscapeString(p.label))
		x += 14 + 7*len(p.label) + 18
	}
}

// areaChart stacks pass, fail (with errors), not evidenced and waived per
// area as shares of the applicable findings, as inline SVG.
func areaChart(areas map[string]*scan.StatusCount) template.HTML {
	names := make([]string, 0, len(areas))
	for a := range areas {
		names = append(names, a)
	}
	sort.Slice(names, func(i, j int) bool {
		if areaRank(names[i]) != areaRank(names[j]) {
			return areaRank(names[i]) < areaRank(names[j])
		}
		return names[i] < names[j]
	})
	var shown []string
	for _, a := range names {
		c := areas[a]
		if c.Pass+c.Fail+c.Insufficient+c.Error+c.Waived > 0 {
			shown = append(shown, a)
		}
	}
	if len(shown) == 0 {
		return template.HTML(`<p class="muted">No applicable findings.</p>`)
	}
	const labelW, barW, rowH, countW = 115, 335, 24, 80
	height := len(shown)*rowH + 34
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="Findings by area" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`, labelW+barW+countW, height)
	for i, a := range shown {
		c := areas[a]
		total := c.Pass + c.Fail + c.Insufficient + c.Error + c.Waived
		y := i*rowH + 4
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="%s">%s</text>`, y+15, colChartTxt, html.EscapeString(a))
		x := float64(labelW)
		for _, p := range []barPart{{c.Pass, colPass, "pass"}, {c.Fail + c.Error, colFail, "fail"}, {c.Insufficient, colNotEvid, "not evidenced"}, {c.Waived, colWaived, "waived"}} {
			if p.n == 0 {
				continue
			}
			w := float64(p.n) / float64(total) * barW
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %d %s</title></rect>`, x, y+2, w, p.color, html.EscapeString(a), p.n, p.label)
			x += w
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="%s">%d%% pass</text>`, labelW+barW+8, y+15, colChartTxt, c.Pass*100/total)
	}
	legend(&b, height-12, []barPart{{0, colPass, "pass"}, {0, colFail, "fail"}, {0, colNotEvid, "not evidenced"}, {0, colWaived, "waived"}})
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// siteChart stacks compliant and failing locks per site, as inline SVG.
func siteChart(sites []scan.SiteCount) template.HTML {
	if len(sites) == 0 {
		return ""
	}
	const labelW, barW, rowH, countW = 190, 260, 24, 110
	max := 1
	for _, st := range sites {
		if st.Documents > max {
			max = st.Documents
		}
	}
	height := len(sites)*rowH + 34
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="Locks per site" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`, labelW+barW+countW, height)
	for i, st := range sites {
		y := i*rowH + 4
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="%s"><title>%s</title>%s</text>`, y+15, colChartTxt, html.EscapeString(st.Site), html.EscapeString(clip(st.Site, 28)))
		x := float64(labelW)
		for _, p := range []barPart{{st.Failing, colFail, "failing"}, {st.Compliant, colPass, "compliant"}} {
			if p.n == 0 {
				continue
			}
			w := float64(p.n) / float64(max) * barW
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %d %s</title></rect>`, x, y+2, w, p.color, html.EscapeString(st.Site), p.n, p.label)
			x += w
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" fill="%s">%d of %d failing</text>`, x+6, y+15, colChartTxt, st.Failing, st.Documents)
	}
	legend(&b, height-12, []barPart{{0, colFail, "failing"}, {0, colPass, "compliant"}})
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// trendChart draws, for the controls that were not at 100 % in every scan
// (at most 15, lowest latest rate first), a sparkline of the pass rate across
// the recorded scans, with the first and latest values.
func trendChart(t *Trend) template.HTML {
	type row struct {
		key    string
		rates  []*float64
		latest float64
	}
	var rows []row
	for _, r := range t.Rows {
		perfect, latest, seen := true, 100.0, false
		for _, v := range r.Rates {
			if v != nil {
				seen = true
				latest = *v
				if *v < 100 {
					perfect = false
				}
			}
		}
		if seen && !perfect {
			rows = append(rows, row{r.Key, r.Rates, latest})
		}
	}
	if len(rows) == 0 {
		return template.HTML(`<p class="muted">Every control passed everywhere in the recorded scans.</p>`)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].latest != rows[j].latest {
			return rows[i].latest < rows[j].latest
		}
		return finding.ControlLess(rows[i].key, rows[j].key)
	})
	if len(rows) > 15 {
		rows = rows[:15]
	}
	const w, h = 160.0, 28.0
	var b strings.Builder
	b.WriteString(`<table class="trend"><thead><tr><th>Control</th><th>Pass rate, oldest → latest</th><th>First</th><th>Latest</th></tr></thead><tbody>`)
	for _, r := range rows {
		var pts []string
		first := ""
		n := len(r.rates)
		for i, v := range r.rates {
			if v == nil {
				continue
			}
			if first == "" {
				first = fmt.Sprintf("%.0f%%", *v)
			}
			x := 4.0
			if n > 1 {
				x = 4 + float64(i)*(w-8)/float64(n-1)
			}
			y := 4 + (100-*v)*(h-8)/100
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		fmt.Fprintf(&b, `<tr><td class="mono">%s</td><td><svg width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="pass rate of %s"><line x1="4" y1="4" x2="%.0f" y2="4" stroke="#d0d7de" stroke-dasharray="2,2"/><polyline fill="none" stroke="#2f6fbd" stroke-width="2" points="%s"/></svg></td><td>%s</td><td><b>%.0f%%</b></td></tr>`,
			template.HTMLEscapeString(r.key), w, h, w, h, template.HTMLEscapeString(r.key), w-4, strings.Join(pts, " "), first, r.latest)
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}
