package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLTrendWithHistory: when a scan is recorded in a store, its HTML
// report carries the trend chart of the recorded scans; without a store it
// has none.
func TestHTMLTrendWithHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	store := filepath.Join(dir, "history.db")
	page := filepath.Join(dir, "report.html")
	// the logging controls are enough to chart: LOG-006 among them changes
	for _, day := range []string{"2026-11-25T12:00:00Z", "2026-11-26T12:00:00Z", "2026-11-27T12:00:00Z"} {
		_, errOut, code := run(t, "", "scan", "fixtures/fleet", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--areas", "logging",
			"--now", day, "--store", store, "-q", "--format", "json", "--report", "html="+page)
		if code != 1 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if !strings.Contains(html, `id="trend"`) || !strings.Contains(html, "Trend across the last 3 recorded scans") || !strings.Contains(html, "<polyline") {
		t.Errorf("the HTML report has no trend chart after three recorded scans")
	}
	// LOG-006 (snapshot age) degrades as the run time moves away from the
	// snapshots' capture time: it must be among the charted controls.
	if !strings.Contains(html, `aria-label="pass rate of LOG-006"`) {
		t.Errorf("LOG-006's falling pass rate is not charted")
	}

	_, _, _ = run(t, "", "scan", "fixtures/fleet", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--areas", "logging",
		"--now", "2026-11-25T12:00:00Z", "-q", "--format", "json", "--report", "html="+page)
	b, _ = os.ReadFile(page)
	if strings.Contains(string(b), `id="trend"`) {
		t.Errorf("a report without a store shows a trend chart")
	}
}
