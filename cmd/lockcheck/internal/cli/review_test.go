package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestReviewRanking: the procurement review ranks the strong product above
// the weak one above the silent one, and the silent sheet's "not evidenced"
// fields are exactly the fields it omits that controls need (listed in the
// comment at the top of its file).
func TestReviewRanking(t *testing.T) {
	t.Parallel()
	out, errOut, _ := run(t, "", "review", "fixtures/products", "--now", now, "--format", "json")
	var rep struct {
		Summary scan.Summary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("decode review json: %v\n%s", err, errOut)
	}
	ranked := report.RankProducts(rep.Summary.Products)
	var names []string
	for _, p := range ranked {
		names = append(names, p.Name)
	}
	want := []string{"kestrel-ks7-pro", "brightway-sl2", "nordhalm-nh400"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("ranking (strong > weak > silent) mismatch (-want +got):\n%s", diff)
	}
	var silent *scan.ProductScore
	for i := range ranked {
		if ranked[i].Name == "nordhalm-nh400" {
			silent = &ranked[i]
		}
	}
	if silent == nil {
		t.Fatal("silent product not in the review")
	}
	omitted := omittedFields(t, "fixtures/products/nordhalm-nh400.yaml")
	if len(omitted) == 0 {
		t.Fatal("the silent fixture lists no omitted fields")
	}
	if diff := cmp.Diff(omitted, silent.MissingFields); diff != "" {
		t.Errorf("not-evidenced fields differ from the fields the sheet omits (-omitted +reported):\n%s", diff)
	}
	if silent.Counts.Insufficient == 0 {
		t.Error("the silent product has no insufficient_evidence findings")
	}
}

// omittedFields reads the "#   spec.…" lines of a fixture's header comment.
func omittedFields(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "#   spec."); ok {
			out = append(out, "spec."+strings.TrimSpace(rest))
		}
	}
	sort.Strings(out)
	return out
}
