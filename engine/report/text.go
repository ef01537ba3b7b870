package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("text", func(w io.Writer, o Options) Writer {
		t := &textWriter{dst: bufio.NewWriter(w), o: o}
		t.w = bufio.NewWriter(&t.cur)
		return t
	})
}

// textWriter is made for a terminal and for triage: at Close it writes any
// verdict or comparison, then the summary (with the fleet and site-level
// findings), then the failing documents worst first with their failing
// findings, then the other documents one line each. With Display.All it
// writes today's full listing: every document in input order, then the
// summary. Documents are rendered as they come into a spool (memory, then a
// temporary file), so a large fleet does not stay in memory.
type textWriter struct {
	dst *bufio.Writer
	o   Options
	// w is where the document being rendered goes (cur).
	w   *bufio.Writer
	cur bytes.Buffer
	// docs holds the rendered documents; blocks index them for sorting.
	docs   spool
	blocks []textBlock
	// lines holds the one-line documents (triage view), in input order.
	lines       spool
	linesN      int
	linesFailed int
	// fleet holds the rendered fleet-level results (triage view).
	fleet bytes.Buffer
}

// textBlock is one rendered document in the docs spool with its sort key.
type textBlock struct {
	key docKey
	off int64
	n   int
}

const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
)

func (t *textWriter) c(code, s string) string {
	if !t.o.Color {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) statusColor(s finding.Status) string {
	switch s {
	case finding.StatusPass:
		return ansiGreen
	case finding.StatusNotApplicable, finding.StatusWaived:
		return ansiDim
	case finding.StatusInsufficientEvidence:
		return ansiYellow
	}
	return ansiRed
}

// invalidRank sorts invalid documents before every severity.
const invalidRank = 5

// failingKey is a document's triage key: the highest severity failing (an
// invalid document ranks above critical) and the number of failing findings.
func failingKey(r *scan.DocResult) (rank, n int) {
	if len(r.Errors) > 0 {
		rank = invalidRank
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if !f.Status.Failing() {
			continue
		}
		n++
		if rk := f.Severity.Rank(); rk > rank {
			rank = rk
		}
	}
	return rank, n
}

// headline is a document's first line: where it is, what it is, its status.
func (t *textWriter) headline(r *scan.DocResult) string {
	st := docStatus(r, t.o.FailOn)
	head := r.Doc.File
	if r.Doc.Index > 0 {
		head = fmt.Sprintf("%s (doc %d)", r.Doc.File, r.Doc.Index)
	}
	if r.Doc.Kind != "" || r.Doc.Name != "" {
		head += fmt.Sprintf("  %s %s", r.Doc.Kind, r.Doc.Name)
	}
	var tag string
	switch st {
	case "invalid":
		tag = t.c(ansiRed+ansiBold, "INVALID")
	case "fail":
		n := 0
		bySev := map[finding.Severity]int{}
		for i := range r.Findings {
			if scan.FailsAt(&r.Findings[i], t.o.FailOn) {
				n++
				bySev[r.Findings[i].Severity]++
			}
		}
		var parts []string
		for _, sev := range finding.Severities {
			if bySev[sev] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", bySev[sev], sev))
			}
		}
		tag = t.c(ansiRed+ansiBold, fmt.Sprintf("FAIL (%d of %d controls failing: %s)", n, len(r.Findings), strings.Join(parts, ", ")))
	case "pass":
		waived := 0
		for i := range r.Findings {
			if r.Findings[i].Status == finding.StatusWaived {
				waived++
			}
		}
		if waived > 0 {
			tag = t.c(ansiGreen+ansiBold, fmt.Sprintf("PASS (%d controls, %d waived)", len(r.Findings), waived))
		} else {
			tag = t.c(ansiGreen+ansiBold, fmt.Sprintf("PASS (%d controls)", len(r.Findings)))
		}
	default:
		tag = st
	}
	return fmt.Sprintf("%s  %s", t.c(ansiBold, head), tag)
}

func (t *textWriter) Result(r *scan.DocResult) error {
	shown := 0
	for i := range r.Findings {
		if t.o.Shows(&r.Findings[i]) {
			shown++
		}
	}
	fleet := r.Doc.Kind == scan.KindFleet && !t.o.Display.All
	if !t.o.Display.All && !fleet && shown == 0 && len(r.Errors) == 0 && len(r.Warnings) == 0 {
		// Nothing to show in detail: one line.
		fmt.Fprintf(&t.lines, "  %s\n", t.headline(r))
		t.linesN++
		if docStatus(r, t.o.FailOn) == "fail" {
			t.linesFailed++
		}
		return nil
	}
	t.cur.Reset()
	w := t.w
	if fleet && shown == 0 && len(r.Errors) == 0 {
		hidden := map[finding.Status]int{}
		for i := range r.Findings {
			hidden[r.Findings[i].Status]++
		}
		fmt.Fprintf(&t.fleet, "  fleet and site-level controls: none failing (%s)\n", statusCounts(hidden))
		return nil
	}
	if fleet {
		fmt.Fprintf(w, "  fleet and site-level findings:\n")
	}
	if !fleet {
		fmt.Fprintf(w, "%s\n", t.headline(r))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "  %s %s\n", t.c(ansiRed, "error:"), e.Error())
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "  %s %s\n", t.c(ansiYellow, "warning:"), wn.String())
	}
	hidden := map[finding.Status]int{}
	for _, f := range failuresFirst(r.Findings) {
		if !t.o.Shows(&f) {
			hidden[f.Status]++
			continue
		}
		t.finding(&f)
	}
	if len(hidden) > 0 {
		fmt.Fprintf(w, "  %s\n", t.c(ansiDim, "("+t.hiddenText(hidden)+")"))
	}
	if !fleet {
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if fleet {
		t.fleet.Write(t.cur.Bytes())
		return nil
	}
	t.blocks = append(t.blocks, textBlock{key: triageKey(r, r.Seq, false), off: t.docs.n, n: t.cur.Len()})
	_, err := t.docs.Write(t.cur.Bytes())
	return err
}

// hiddenText says how many findings of a document are not shown, and why.
func (t *textWriter) hiddenText(hidden map[finding.Status]int) string {
	why := "--show all lists them"
	switch {
	case t.o.OnlyFailures && len(t.o.Display.Statuses) == 0 && t.o.Display.MinSeverity == "":
		why = "hidden by --only-failures"
	case t.o.Display.All || len(t.o.Display.Statuses) > 0 || t.o.Display.MinSeverity != "":
		why = "hidden by --status / --min-severity"
	}
	return statusCounts(hidden) + " not shown; " + why
}

// statusCounts is "3 fail, 1 not evidenced, 34 pass".
func statusCounts(n map[finding.Status]int) string {
	var parts []string
	for _, st := range finding.Statuses {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[st], strings.ToLower(statusLabel(st))))
		}
	}
	return strings.Join(parts, ", ")
}

func (t *textWriter) finding(f *finding.Finding) {
	w := t.w
	label := fmt.Sprintf("%-13s", statusLabel(f.Status))
	fmt.Fprintf(w, "  %s %-8s %-9s %s\n", t.c(t.statusColor(f.Status), label), f.Severity, f.ControlID, f.Title)
	if f.Rationale != "" {
		writeWrapped(w, "      why: ", f.Rationale)
	}
	if p := Provenance(f); p != "" {
		writeWrapped(w, "     from: ", p)
	}
	if f.Waiver != nil {
		writeWrapped(w, "   waiver: ", fmt.Sprintf("%s approved by %s until %s: %s", f.Waiver.Name, f.Waiver.ApprovedBy, f.Waiver.Expires, f.Waiver.Reason))
	}
	for _, wn := range f.Warnings {
		writeWrapped(w, "     note: ", wn)
	}
	if f.Status.Failing() && f.Remediation != "" {
		writeWrapped(w, "      fix: ", oneParagraph(f.Remediation))
	}
}

// Provenance says where an imported document's evidence came from, one
// "path ← source" per evidence field that records a source, in evidence
// order ("" when none does: a hand-written document).
func Provenance(f *finding.Finding) string {
	var parts []string
	for _, e := range f.Evidence {
		if e.Source != "" {
			parts = append(parts, e.Path+" ← "+e.Source)
		}
	}
	return strings.Join(parts, "; ")
}

func oneParagraph(s string) string { return strings.Join(strings.Fields(s), " ") }

// writeWrapped writes text after a prefix, wrapped at 100 columns.
func writeWrapped(w *bufio.Writer, prefix, text string) {
	const width = 100
	indent := strings.Repeat(" ", len(prefix))
	line := prefix
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > width && len(strings.TrimSpace(line)) > len(strings.TrimSpace(prefix)) {
			w.WriteString(line)
			w.WriteByte('\n')
			line = indent
		}
		if line != prefix && line != indent {
			line += " "
		}
		line += word
	}
	w.WriteString(line)
	w.WriteByte('\n')
}

func (t *textWriter) Close(fin *Final) error {
	if err := t.w.Flush(); err != nil {
		return err
	}
	defer t.docs.release()
	defer t.lines.release()
	s := fin.Summary
	if len(fin.Verdicts) > 0 {
		t.verdicts(fin.Verdicts)
	}
	if len(s.Products) > 1 {
		t.matrix(s)
	}
	if t.o.Display.All {
		if err := t.docs.copyTo(t.dst); err != nil {
			return err
		}
		t.summary(s)
		return t.dst.Flush()
	}
	t.summary(s)
	if err := t.triage(); err != nil {
		return err
	}
	return t.dst.Flush()
}

// triage writes the detailed documents worst first (highest severity
// failing, then most failing findings, then input order), then the others
// one line each.
func (t *textWriter) triage() error {
	w := t.dst
	sortDocKeys(t.blocks, func(b *textBlock) docKey { return b.key })
	if len(t.blocks) > 0 {
		failing := 0
		for _, b := range t.blocks {
			if b.key.failing > 0 || b.key.rank == invalidRank {
				failing++
			}
		}
		title := fmt.Sprintf("Failing documents, worst first (%d)", len(t.blocks))
		if failing < len(t.blocks) {
			title = fmt.Sprintf("Documents, worst first (%d)", len(t.blocks))
		}
		fmt.Fprintf(w, "%s\n\n", t.c(ansiBold, title))
		var buf []byte
		for _, b := range t.blocks {
			if cap(buf) < b.n {
				buf = make([]byte, b.n)
			}
			buf = buf[:b.n]
			if err := t.docs.readAt(buf, b.off); err != nil {
				return err
			}
			w.Write(buf)
		}
	}
	if t.linesN > 0 {
		title := fmt.Sprintf("Passing documents (%d)", t.linesN)
		if t.linesFailed > 0 {
			title = fmt.Sprintf("Other documents (%d, of which %d failing with nothing shown at these filters)", t.linesN, t.linesFailed)
		}
		fmt.Fprintf(w, "%s\n", t.c(ansiBold, title))
		if err := t.lines.copyTo(w); err != nil {
			return err
		}
		w.WriteByte('\n')
	}
	return nil
}

// summary writes the run's counts; in the triage view the fleet and
// site-level findings come right under its title.
func (t *textWriter) summary(s *scan.Summary) {
	w := t.dst
	fmt.Fprintf(w, "%s\n", t.c(ansiBold, "Summary"))
	if s.Incomplete {
		fmt.Fprintf(w, "  %s\n", t.c(ansiRed+ansiBold, "INCOMPLETE: the run was interrupted; counts cover the documents finished so far."))
	}
	w.Write(t.fleet.Bytes())
	kinds := make([]string, 0, len(s.ByKind))
	for k, n := range s.ByKind {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(kinds)
	if len(kinds) > 0 {
		fmt.Fprintf(w, "  documents:  %d (%s)\n", s.Documents, strings.Join(kinds, ", "))
	} else { // none was read far enough to know its kind
		fmt.Fprintf(w, "  documents:  %d\n", s.Documents)
	}
	if strings.Contains(s.CatalogueVersion, "+") {
		// custom controls ran (--policy): name each policy and its revision
		fmt.Fprintf(w, "  catalogue:  %s\n", s.CatalogueVersion)
	}
	if locks, ok, bad := lockCounts(s); locks > 0 {
		fmt.Fprintf(w, "  locks:      %d scanned — %s, %s\n", locks, t.c(ansiGreen, fmt.Sprintf("%d compliant", ok)), t.c(ansiRed, fmt.Sprintf("%d failing", bad)))
	}
	fmt.Fprintf(w, "  evaluated:  %d — %s, %s", s.Evaluated, t.c(ansiGreen, fmt.Sprintf("%d compliant", s.Compliant)), t.c(ansiRed, fmt.Sprintf("%d failing", s.Failing)))
	if s.Invalid > 0 {
		fmt.Fprintf(w, "; %s", t.c(ansiRed, fmt.Sprintf("%d invalid (not evaluated)", s.Invalid)))
	}
	w.WriteByte('\n')
	var parts []string
	for _, st := range finding.Statuses {
		if n := s.Statuses[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ToLower(statusLabel(st))))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "none")
	}
	fmt.Fprintf(w, "  findings:   %s\n", strings.Join(parts, ", "))
	parts = parts[:0]
	for _, sev := range finding.Severities {
		if n := s.FailingBySeverity[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "  failing by severity: %s\n", strings.Join(parts, ", "))
	}
	if top := s.TopFailing(5); len(top) > 0 {
		fmt.Fprintf(w, "  controls failing most:\n")
		for _, c := range top {
			fmt.Fprintf(w, "    %-9s %3d failing (%d not evidenced)  %s\n", c.ID, c.Failing(), c.Insufficient, c.Title)
		}
	}
	if len(s.Sites) > 1 {
		fmt.Fprintf(w, "  sites:\n")
		for _, site := range s.Sites {
			fmt.Fprintf(w, "    %-20s %d locks, %d compliant, %d failing\n", site.Site, site.Documents, site.Compliant, site.Failing)
		}
	}
	if s.InputErrors > 0 {
		fmt.Fprintf(w, "  %s\n", t.c(ansiRed, fmt.Sprintf("%d input error(s): fix them and run again (exit code 2)", s.InputErrors)))
		printProblems(w, s.Errors, s.InputErrors)
	}
	if s.WarningsN > 0 {
		fmt.Fprintf(w, "  %d warning(s)\n", s.WarningsN)
	}
	if !t.o.Display.All {
		w.WriteByte('\n')
	}
}

func printProblems(w *bufio.Writer, errs []*document.InputError, total int) {
	for _, e := range errs {
		fmt.Fprintf(w, "    %s\n", e.Error())
	}
	if total > len(errs) {
		fmt.Fprintf(w, "    … and %d more\n", total-len(errs))
	}
}

func matrixCell(s finding.Status) string {
	switch s {
	case finding.StatusPass:
		return "pass"
	case finding.StatusFail:
		return "FAIL"
	case finding.StatusInsufficientEvidence:
		return "not evid."
	case finding.StatusNotApplicable:
		return "n/a"
	case finding.StatusWaived:
		return "waived"
	case finding.StatusError:
		return "ERROR"
	}
	return "-"
}

// matrix prints the product comparison: the products as columns (full
// names, wrapped), the verdict and the blocking issues first, then one row
// per control (only the rows where the products differ with
// Display.Differences), then the scores.
func (t *textWriter) matrix(s *scan.Summary) {
	w := t.dst
	prods := RankProducts(s.Products)
	const colW = 18
	weights := "critical 10, high 5, medium 2, low 1"
	if t.o.Engine != nil {
		ws := scan.Weights(t.o.Engine.Params())
		var parts []string
		for _, sev := range finding.Severities {
			parts = append(parts, fmt.Sprintf("%s %g", sev, ws[sev]))
		}
		weights = strings.Join(parts, ", ")
	}
	fmt.Fprintf(w, "%s\n", t.c(ansiBold, "Product comparison"))
	row := func(label string, cells []string) {
		wrapped := make([][]string, len(cells))
		lines := 1
		for i, c := range cells {
			wrapped[i] = wrapCell(c, colW-1)
			lines = max(lines, len(wrapped[i]))
		}
		for l := 0; l < lines; l++ {
			lab := ""
			if l == 0 {
				lab = label
			}
			line := fmt.Sprintf("  %-20s", lab)
			for i := range cells {
				cell := ""
				if l < len(wrapped[i]) {
					cell = wrapped[i][l]
				}
				line += " " + padRight(cell, colW)
			}
			w.WriteString(strings.TrimRight(line, " "))
			w.WriteByte('\n')
		}
	}
	cells := func(f func(p scan.ProductScore) string) []string {
		out := make([]string, len(prods))
		for i, p := range prods {
			out[i] = f(p)
		}
		return out
	}
	row("product", cells(func(p scan.ProductScore) string { return p.Name }))
	row("vendor", cells(func(p scan.ProductScore) string { return orDash(p.Vendor) }))
	row("model", cells(func(p scan.ProductScore) string { return orDash(p.Model) }))
	row("verdict", cells(func(p scan.ProductScore) string {
		if p.Recommendation == scan.NotRecommended {
			return strings.ToUpper(p.Recommendation)
		}
		return p.Recommendation
	}))
	row("blocking issues", cells(func(p scan.ProductScore) string {
		if len(p.Blocking) == 0 {
			return "none"
		}
		return strings.Join(p.Blocking, " ")
	}))
	row("score (weighted)", cells(func(p scan.ProductScore) string { return fmt.Sprintf("%.1f", p.Score) }))
	row("% passing", cells(func(p scan.ProductScore) string { return fmt.Sprintf("%.1f", p.PassRate) }))
	hidden := 0
	fmt.Fprintf(w, "  %-9s %s\n", "control", "severity")
	for _, c := range s.Controls {
		if !hasControl(prods, c.ID) {
			continue
		}
		if t.o.Display.Differences && sameStatus(prods, c.ID) {
			hidden++
			continue
		}
		row(fmt.Sprintf("%-9s %-10s", c.ID, c.Severity), cells(func(p scan.ProductScore) string { return matrixCell(p.Statuses[c.ID]) }))
	}
	if hidden > 0 {
		fmt.Fprintf(w, "  %s\n", t.c(ansiDim, fmt.Sprintf("(%d controls with the same outcome for every product not shown: --differences)", hidden)))
	}
	row("controls not evid.", cells(func(p scan.ProductScore) string { return fmt.Sprint(p.Counts.Insufficient) }))
	row("fields not evid.", cells(func(p scan.ProductScore) string { return fmt.Sprint(len(p.MissingFields)) }))
	fmt.Fprintf(w, "  %s\n\n", t.c(ansiDim, "verdict: any critical control failing or not evidenced is not recommended, whatever the score; score weights: "+weights+" (params review_weight_*)"))
}

// sameStatus reports whether every product has the same outcome for a control.
func sameStatus(ps []scan.ProductScore, id string) bool {
	for _, p := range ps[1:] {
		if p.Statuses[id] != ps[0].Statuses[id] {
			return false
		}
	}
	return true
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// padRight pads s with spaces to n runes.
func padRight(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

// wrapCell splits s into lines of at most n runes, at spaces where it can,
// never dropping a character.
func wrapCell(s string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		for utf8.RuneCountInString(word) > n {
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			r := []rune(word)
			lines = append(lines, string(r[:n]))
			word = string(r[n:])
		}
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= n:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// recommendationRank orders recommended products first.
func recommendationRank(r string) int {
	switch r {
	case scan.Recommended:
		return 0
	case scan.RecommendedWithReservations:
		return 1
	}
	return 2
}

// RankProducts orders products by recommendation, then weighted score
// (highest first), then fewer failures, then name.
func RankProducts(ps []scan.ProductScore) []scan.ProductScore {
	out := append([]scan.ProductScore(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := recommendationRank(out[i].Recommendation), recommendationRank(out[j].Recommendation); a != b {
			return a < b
		}
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].Counts.Fail != out[j].Counts.Fail {
			return out[i].Counts.Fail < out[j].Counts.Fail
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func hasControl(ps []scan.ProductScore, id string) bool {
	for _, p := range ps {
		if _, ok := p.Statuses[id]; ok {
			return true
		}
	}
	return false
}

func (t *textWriter) verdicts(vs []Verdict) {
	w := t.dst
	for _, v := range vs {
		col := ansiGreen
		switch v.Decision {
		case Rejected:
			col = ansiRed
		case ApprovedWithConditions:
			col = ansiYellow
		}
		fmt.Fprintf(w, "%s  installation plan %s (product %s)\n", t.c(col+ansiBold, v.Decision), v.Plan.Name, v.Product)
		if len(v.Reasons) > 0 {
			fmt.Fprintf(w, "  reasons:\n")
			for _, r := range v.Reasons {
				writeWrapped(w, "    - ", r)
			}
		}
		if len(v.Conditions) > 0 {
			fmt.Fprintf(w, "  conditions:\n")
			for _, r := range v.Conditions {
				writeWrapped(w, "    - ", r)
			}
		}
		if len(v.ToApprove) > 0 {
			fmt.Fprintf(w, "  what would change the verdict:\n")
			for _, r := range v.ToApprove {
				writeWrapped(w, "    - ", r)
			}
		}
		w.WriteByte('\n')
	}
}

// lockCounts sums the evaluated lock snapshots over the sites.
func lockCounts(s *scan.Summary) (locks, compliant, failing int) {
	for _, site := range s.Sites {
		locks += site.Documents
		compliant += site.Compliant
		failing += site.Failing
	}
	return locks, compliant, failing
}
