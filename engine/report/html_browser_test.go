package report

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lockcheck/lockcheck/engine/internal/testenv"
)

// findChromium returns a Chromium or Chrome binary on PATH.
func findChromium() (string, bool) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// artifactDir is where the screenshots go: $LOCKCHECK_ARTIFACTS, else the
// temporary directory.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("LOCKCHECK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "lockcheck-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// domCounts reads the summary numbers the report shows.
const domCounts = `(() => {
  const n = id => { const el = document.querySelector('[data-testid="' + id + '"]'); return el ? Number(el.textContent.trim()) : -1; };
  const out = {};
  for (const id of ["count-documents", "count-compliant", "count-failing", "count-invalid",
      "count-status-fail", "count-status-insufficient_evidence", "count-status-error", "count-status-waived",
      "count-status-pass", "count-status-not_applicable",
      "count-severity-critical", "count-severity-high", "count-severity-medium", "count-severity-low"]) { out[id] = n(id); }
  return out;
})()`

// filterStatus picks a status in the filter and returns the rows the
// browser shows and the count the page says it shows.
const filterStatus = `((status) => {
  const s = document.getElementById("f-status");
  s.value = status;
  s.dispatchEvent(new Event("change", {bubbles: true}));
  const rows = Array.from(document.querySelectorAll("#findings-table tbody tr"));
  return [rows.filter(r => r.getClientRects().length > 0).length, Number(document.getElementById("rows-visible").textContent)];
})`

// TestHTMLInBrowser opens each fixture run's HTML report from disk in
// headless Chromium: no console errors, the summary cards match the
// summary, the status filter and the sorting work; a screenshot is saved.
// Under -short, the first case only.
func TestHTMLInBrowser(t *testing.T) {
	testenv.ExternalTool(t, "Chromium")
	bin, ok := findChromium()
	if !ok {
		testenv.Missing(t, "no Chromium found on PATH (chromium, chromium-browser, google-chrome): run .ci/install-chromium.sh")
	}
	// One browser for every case (starting Chromium costs more than a
	// page), a tab of its own for each.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(fixtureCases))*90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	cases := fixtureCases
	if testing.Short() {
		cases = cases[:1]
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			run := runFixtures(t, c)
			page := filepath.Join(t.TempDir(), c.Name+".html")
			if err := os.WriteFile(page, render(t, "html", testOptions(t), run.Results, run.Summary), 0o644); err != nil {
				t.Fatal(err)
			}
			tab, cancelTab := chromedp.NewContext(browser)
			defer cancelTab()

			var mu sync.Mutex
			var consoleErrs []string
			if err := chromedp.Listen(tab, func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch e := ev.(type) {
				case *runtime.EventConsoleAPICalled:
					if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
						consoleErrs = append(consoleErrs, "console."+string(e.Type))
					}
				case *runtime.EventExceptionThrown:
					consoleErrs = append(consoleErrs, fmt.Sprintf("exception: %s at %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber))
				case *log.EventEntryAdded:
					if e.Entry.Level == log.EntryLevelError {
						consoleErrs = append(consoleErrs, "log: "+e.Entry.Text+" "+e.Entry.URL)
					}
				}
			}); err != nil {
				t.Fatalf("start Chromium: %v", err)
			}
			if err := chromedp.Do(tab, chromedp.Navigate("file://"+page), chromedp.WaitReady("#findings-table")); err != nil {
				t.Fatalf("open %s: %v", page, err)
			}

			got, err := chromedp.Run(tab, chromedp.Evaluate[map[string]int](domCounts))
			if err != nil {
				t.Fatal(err)
			}
			s := run.Summary
			want := map[string]int{
				"count-documents": s.Documents, "count-compliant": s.Compliant, "count-failing": s.Failing, "count-invalid": s.Invalid,
				"count-status-fail": s.Statuses["fail"], "count-status-insufficient_evidence": s.Statuses["insufficient_evidence"],
				"count-status-error": s.Statuses["error"], "count-status-waived": s.Statuses["waived"],
				"count-status-pass": s.Statuses["pass"], "count-status-not_applicable": s.Statuses["not_applicable"],
				"count-severity-critical": s.FailingBySeverity["critical"], "count-severity-high": s.FailingBySeverity["high"],
				"count-severity-medium": s.FailingBySeverity["medium"], "count-severity-low": s.FailingBySeverity["low"],
			}
			if d := cmpDiff(want, got); d != "" {
				t.Errorf("summary counts in the page (-summary +page):\n%s", d)
			}

			// The page opens on the failing and not-evidenced findings.
			failingN := s.Statuses["fail"] + s.Statuses["insufficient_evidence"] + s.Statuses["error"]
			vis, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`(() => {
				const rows = Array.from(document.querySelectorAll("#findings-table tbody tr"));
				return [rows.filter(r => r.getClientRects().length > 0).length, Number(document.getElementById("rows-visible").textContent)]; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if vis[0] != failingN || vis[1] != failingN {
				t.Errorf("default view: %d rows visible, page says %d; want the %d failing and not-evidenced", vis[0], vis[1], failingN)
			}
			// The CSV download holds the rows of the current view.
			csvLines, err := chromedp.Run(tab, chromedp.Evaluate[int](`(() => {
				const B = window.Blob; let text = "";
				window.Blob = function(parts, o) { text = parts.join(""); return new B(parts, o); };
				const click = HTMLAnchorElement.prototype.click;
				HTMLAnchorElement.prototype.click = function() { if (!this.download) { click.call(this); } };
				document.querySelector('[data-testid="csv-download"]').click();
				window.Blob = B; HTMLAnchorElement.prototype.click = click;
				return text.trim().split("\r\n").length; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if csvLines != failingN+1 {
				t.Errorf("csv download: %d lines, want a header and %d rows", csvLines, failingN)
			}
			// The filter and sort state is in the URL: a reload keeps it.
			hash, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => { const v = document.getElementById("f-severity"); v.value = "critical";
				v.dispatchEvent(new Event("change", {bubbles: true})); document.querySelector('th[data-key="control"]').click(); return location.hash; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(hash, "severity=critical") || !strings.Contains(hash, "sort=control") {
				t.Errorf("the URL does not hold the view: %q", hash)
			}
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank"), chromedp.Navigate("file://"+page+hash), chromedp.WaitReady("#findings-table")); err != nil {
				t.Fatal(err)
			}
			restored, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("f-severity").value + "/" + (document.querySelector('th[data-key="control"]').className)`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(restored, "critical/") || !strings.Contains(restored, "asc") {
				t.Errorf("after a reload the view is %q, want severity critical sorted by control", restored)
			}
			if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => { const v = document.getElementById("f-severity"); v.value = "";
				v.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)); err != nil {
				t.Fatal(err)
			}

			for _, status := range []string{"fail", "insufficient_evidence", "pass"} {
				vis, err := chromedp.Run(tab, chromedp.Evaluate[[]int](filterStatus+`("`+status+`")`))
				if err != nil {
					t.Fatal(err)
				}
				n := s.Statuses[engineStatus(status)]
				if vis[0] != n || vis[1] != n {
					t.Errorf("filter status=%s: %d rows visible, page says %d; want %d", status, vis[0], vis[1], n)
				}
			}
			if _, err := chromedp.Run(tab, chromedp.Evaluate[[]int](filterStatus+`("")`)); err != nil {
				t.Fatal(err)
			}
			// Sorting by severity puts the most severe first.
			first, err := chromedp.Run(tab, chromedp.Evaluate[int](`(() => { document.querySelector('th[data-key="sev"]').click();
				const r = document.querySelector("#findings-table tbody tr"); return r ? Number(r.getAttribute("data-sev")) : 0; })()`))
			if err != nil {
				t.Fatal(err)
			}
			maxSev := 0
			for _, r := range run.Results {
				for _, f := range r.Findings {
					maxSev = max(maxSev, f.Severity.Rank())
				}
			}
			if first != maxSev {
				t.Errorf("after sorting by severity the first row has rank %d, want %d", first, maxSev)
			}
			// Reset the order, open the first failing document, screenshot.
			if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => { document.querySelector('th[data-key="doc"]').click();
				const d = document.querySelector('details[data-failing]'); if (d) { d.open = true; } return true; })()`)); err != nil {
				t.Fatal(err)
			}
			top, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			full, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			for name, png := range map[string][]byte{"-top": top, "": full} {
				shot := filepath.Join(artifactDir(t), "report-"+c.Name+name+".png")
				if err := os.WriteFile(shot, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s", shot)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, e := range consoleErrs {
				t.Errorf("browser console: %s", e)
			}
		})
	}
}
