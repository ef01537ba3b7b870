package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func init() {
	Register("text", func(w io.Writer, o Options) Writer { return &textWriter{w: bufio.NewWriter(w), o: o} })
}

// textWriter is made for a terminal: grouped by document, failures first.
type textWriter struct {
	w *bufio.Writer
	o Options
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

func (t *textWriter) Result(r *scan.DocResult) error {
	w := t.w
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
		for i := range r.Findings {
			if scan.FailsAt(&r.Findings[i], t.o.FailOn) {
				n++
			}
		}
		tag = t.c(ansiRed+ansiBold, fmt.Sprintf("FAIL (%d of %d controls failing)", n, len(r.Findings)))
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
	fmt.Fprintf(w, "%s  %s\n", t.c(ansiBold, head), tag)
	for _, e := range r.Errors {
		fmt.Fprintf(w, "  %s %s\n", t.c(ansiRed, "error:"), e.Error())
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "  %s %s\n", t.c(ansiYellow, "warning:"), wn.String())
	}
	hidden := 0
	for _, f := range failuresFirst(r.Findings) {
		if t.o.OnlyFailures && !f.Status.Failing() && f.Status != finding.StatusWaived {
			hidden++
			continue
		}
		t.finding(&f)
	}
	if hidden > 0 {
		fmt.Fprintf(w, "  %s\n", t.c(ansiDim, fmt.Sprintf("(%d passing or not applicable hidden by --only-failures)", hidden)))
	}
	w.WriteByte('\n')
	return nil
}

func (t *textWriter) finding(f *finding.Finding) {
	w := t.w
	label := fmt.Sprintf("%-13s", statusLabel(f.Status))
	fmt.Fprintf(w, "  %s %-8s %-9s %s\n", t.c(t.statusColor(f.Status), label), f.Severity, f.ControlID, f.Title)
	if f.Rationale != "" {
		writeWrapped(w, "      why: ", f.Rationale)
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
	w := t.w
	s := fin.Summary
	if len(fin.Verdicts) > 0 {
		t.verdicts(fin.Verdicts)
	}
	if len(s.Products) > 1 {
		t.matrix(s)
	}
	fmt.Fprintf(w, "%s\n", t.c(ansiBold, "Summary"))
	if s.Incomplete {
		fmt.Fprintf(w, "  %s\n", t.c(ansiRed+ansiBold, "INCOMPLETE: the run was interrupted; counts cover the documents finished so far."))
	}
	kinds := make([]string, 0, len(s.ByKind))
	for k, n := range s.ByKind {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "  documents:  %d (%s)\n", s.Documents, strings.Join(kinds, ", "))
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
	return w.Flush()
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

// matrix prints controls as rows and products as columns, with a score per
// product, ranked best first.
func (t *textWriter) matrix(s *scan.Summary) {
	w := t.w
	prods := RankProducts(s.Products)
	fmt.Fprintf(w, "%s\n", t.c(ansiBold, "Product comparison"))
	fmt.Fprintf(w, "  %-9s %-10s", "control", "severity")
	for _, p := range prods {
		fmt.Fprintf(w, " %-14s", truncate(p.Name, 14))
	}
	w.WriteByte('\n')
	for _, c := range s.Controls {
		if !hasControl(prods, c.ID) {
			continue
		}
		fmt.Fprintf(w, "  %-9s %-10s", c.ID, c.Severity)
		for _, p := range prods {
			fmt.Fprintf(w, " %-14s", matrixCell(p.Statuses[c.ID]))
		}
		w.WriteByte('\n')
	}
	fmt.Fprintf(w, "  %-20s", "score (% passing)")
	for _, p := range prods {
		fmt.Fprintf(w, " %-14s", fmt.Sprintf("%.1f", p.Score))
	}
	w.WriteByte('\n')
	fmt.Fprintf(w, "  %-20s", "controls not evid.")
	for _, p := range prods {
		fmt.Fprintf(w, " %-14d", p.Counts.Insufficient)
	}
	fmt.Fprintf(w, "\n  %-20s", "fields not evid.")
	for _, p := range prods {
		fmt.Fprintf(w, " %-14d", len(p.MissingFields))
	}
	w.WriteString("\n\n")
}

// RankProducts orders products by score (highest first), then by fewer
// failures, then by name.
func RankProducts(ps []scan.ProductScore) []scan.ProductScore {
	out := append([]scan.ProductScore(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

func (t *textWriter) verdicts(vs []Verdict) {
	w := t.w
	for _, v := range vs {
		col := ansiGreen
		switch v.Decision {
		case Rejected:
			col = ansiRed
		case ApprovedWithConditions:
			col = ansiYellow
		}
		fmt.Fprintf(w, "%s %s (product %s): %s\n", t.c(ansiBold, "Installation plan"), v.Plan.Name, v.Product, t.c(col+ansiBold, v.Decision))
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
