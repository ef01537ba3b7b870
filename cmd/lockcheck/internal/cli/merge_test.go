package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// repoRoot is the repository root: the CLI tests run from it (TestMain
// changes into it), as a user would. It is the nearest directory up from
// the working directory that holds go.mod: the package directory under go
// test, the root itself in the child processes the tests start there.
var repoRoot = func() string {
	d, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			panic("no go.mod above the working directory")
		}
		d = parent
	}
}()

// lockcheck runs the CLI in process from the repository root.
func lockcheck(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// shardFiles scans inputs as n shards in ndjson and writes them to files of
// the test's own. The scans are cached per n and arguments (they are
// deterministic: every set passes --now), so tests that merge the same
// shards scan them once between them; each test gets its own copies, which
// it may alter.
func shardFiles(t *testing.T, n int, scanArgs ...string) []string {
	t.Helper()
	v, _ := shardCache.LoadOrStore(strconv.Itoa(n)+"\x00"+strings.Join(scanArgs, "\x00"), &shardSet{})
	set := v.(*shardSet)
	set.once.Do(func() {
		for k := 0; k < n; k++ {
			var out, errb bytes.Buffer
			a := append([]string{"scan", "--shard", strconv.Itoa(k) + "/" + strconv.Itoa(n), "--format", "ndjson"}, scanArgs...)
			if code := Main(a, strings.NewReader(""), &out, &errb); code != 0 && code != ExitFailing && code != ExitInput {
				set.err = fmt.Sprintf("shard %d/%d: exit %d: %s", k, n, code, errb.String())
				return
			}
			set.outs = append(set.outs, out.String())
		}
	})
	if set.err != "" {
		t.Fatal(set.err)
	}
	dir := t.TempDir()
	var files []string
	for k, out := range set.outs {
		p := filepath.Join(dir, "shard-"+strconv.Itoa(k)+".ndjson")
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return files
}

// shardCache holds the shard scans of shardFiles by n and arguments.
var shardCache sync.Map // string -> *shardSet

type shardSet struct {
	once sync.Once
	outs []string // the ndjson of shard k
	err  string
}

// TestMergeShards: merging the ndjson of 3 shards gives what one unsharded
// scan writes: byte for byte in json and text (the fleet-level controls are
// evaluated over all shards), and the same exit code.
func TestMergeShards(t *testing.T) {
	t.Parallel()
	base := []string{"fixtures/fleet", "fixtures/products", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now}
	files := shardFiles(t, 3, base...)
	// json and ndjson come from one run of each verb (ndjson as a --report,
	// the same writer), text from another.
	for _, formats := range [][]string{{"json", "ndjson"}, {"text"}} {
		t.Run(strings.Join(formats, "+"), func(t *testing.T) {
			t.Parallel()
			want, _, wantCode := lockcheckFormats(t, append([]string{"scan"}, base...), formats)
			got, errOut, code := lockcheckFormats(t, append([]string{"merge"}, files...), formats)
			if code != wantCode {
				t.Errorf("merge exit %d, unsharded scan %d; stderr: %s", code, wantCode, errOut)
			}
			for _, format := range formats {
				if !strings.Contains(want[format], "FLEET-001") {
					t.Fatalf("%s: the unsharded scan has no fleet-level findings", format)
				}
				if diff := cmp.Diff(want[format], got[format]); diff != "" {
					t.Errorf("%s: merge of 3 shards differs from the unsharded scan (-scan +merge):\n%s", format, diff)
				}
			}
		})
	}
}

// lockcheckFormats runs the CLI once with the first format on stdout and
// the others as --report files, and returns each format's output.
func lockcheckFormats(t *testing.T, args []string, formats []string) (out map[string]string, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	a := append(append([]string{}, args...), "--format", formats[0])
	for _, f := range formats[1:] {
		a = append(a, "--report", f+"="+filepath.Join(dir, f))
	}
	stdout, stderr, code := lockcheck(t, a...)
	out = map[string]string{formats[0]: stdout}
	for _, f := range formats[1:] {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		out[f] = string(b)
	}
	return out, stderr, code
}

// TestMergeSummaryWithInputErrors: with invalid documents and documents
// that write no finding line (waivers), the merged summary still equals
// the unsharded one.
func TestMergeSummaryWithInputErrors(t *testing.T) {
	t.Parallel()
	base := []string{"fixtures/fleet", "fixtures/bad", "fixtures/products", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now}
	if _, err := os.Stat(filepath.Join(repoRoot, "fixtures/waivers")); err == nil {
		base = append(base, "fixtures/waivers")
	}
	files := shardFiles(t, 3, base...)
	wantOut, _, wantCode := lockcheck(t, append([]string{"scan", "--format", "json"}, base...)...)
	gotOut, errOut, code := lockcheck(t, append([]string{"merge", "--format", "json"}, files...)...)
	if code != wantCode {
		t.Errorf("merge exit %d, unsharded scan %d; stderr: %s", code, wantCode, errOut)
	}
	summary := func(s string) map[string]any {
		var v struct {
			Summary map[string]any `json:"summary"`
		}
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatalf("%v in %.200s", err, s)
		}
		return v.Summary
	}
	if diff := cmp.Diff(summary(wantOut), summary(gotOut)); diff != "" {
		t.Errorf("merged summary differs from the unsharded scan's (-scan +merge):\n%s", diff)
	}
}

// TestMergeRefuses: shards of different runs, a shard cut short or altered
// after it was written (a finding flipped, deleted or injected), a shard
// given twice or missing, shards of different N, or an output that is not a
// shard are refused with exit 2 and a message that names the file and says
// why.
func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	base := []string{"fixtures/fleet", "--plans", "fixtures/plans", "--specs", "fixtures/products"}
	a := shardFiles(t, 2, append(base, "--now", now)...)
	// The other runs are refused on their run settings (sameRun) or their
	// shard numbers, never on which documents they scanned: one document is
	// enough for them.
	one := "fixtures/fleet/unit-101-compliant.yaml"
	b := shardFiles(t, 2, one, "--now", "2026-11-26T12:00:00Z")
	c := shardFiles(t, 2, one, "--now", now, "--controls", "ENR-001")
	cut := filepath.Join(t.TempDir(), "cut.ndjson")
	raw, _ := os.ReadFile(a[1])
	os.WriteFile(cut, raw[:bytes.LastIndex(raw[:len(raw)-1], []byte("\n"))+1], 0o644)
	three := shardFiles(t, 3, one, "--now", now)
	unsharded, _, _ := lockcheck(t, "scan", "--format", "ndjson", "--now", now, one)
	// tampered writes a copy of shard a[0] changed by edit.
	tampered := func(name string, edit func(lines []string) []string) string {
		raw, _ := os.ReadFile(a[0])
		lines := strings.SplitAfter(string(raw), "\n")
		p := filepath.Join(t.TempDir(), name+".ndjson")
		os.WriteFile(p, []byte(strings.Join(edit(lines[:len(lines)-1]), "")), 0o644)
		return p
	}
	firstFail := func(lines []string) int {
		for i, l := range lines {
			if strings.Contains(l, `"status":"fail"`) {
				return i
			}
		}
		t.Fatal("shard 0 has no failing finding")
		return -1
	}
	flipped := tampered("flipped", func(ls []string) []string {
		i := firstFail(ls)
		ls[i] = strings.Replace(ls[i], `"status":"fail"`, `"status":"pass"`, 1)
		return ls
	})
	deleted := tampered("deleted", func(ls []string) []string {
		i := firstFail(ls)
		return append(ls[:i:i], ls[i+1:]...)
	})
	injected := tampered("injected", func(ls []string) []string {
		return append([]string{ls[0]}, ls...)
	})
	appended := tampered("appended", func(ls []string) []string {
		return append(ls, ls[0])
	})
	raw0, _ := os.ReadFile(a[0])
	n0 := bytes.Count(raw0, []byte("\n")) - 1 // the lines before the summary
	old := filepath.Join(t.TempDir(), "unsharded.ndjson")
	os.WriteFile(old, []byte(unsharded), 0o644)
	for _, tt := range []struct {
		name  string
		files []string
		want  string
	}{
		{"different --now", []string{a[0], b[1]}, "come from different runs (--now 2026-11-25T12:00:00Z vs 2026-11-26T12:00:00Z)"},
		{"different controls", []string{a[0], c[1]}, "come from different runs (selected controls"},
		{"no summary", []string{a[0], cut}, "no summary line"},
		{"missing file", []string{a[0], a[0] + ".nope"}, "no such file"},
		{"finding flipped to pass", []string{flipped, a[1]}, flipped + ": its lines do not match the digest"},
		{"finding deleted", []string{deleted, a[1]}, fmt.Sprintf("%s: %d finding, error and warning lines, its summary records %d", deleted, n0-1, n0)},
		{"finding injected", []string{injected, a[1]}, fmt.Sprintf("%s: %d finding, error and warning lines, its summary records %d", injected, n0+1, n0)},
		{"line after the summary", []string{appended, a[1]}, appended + ": 1 lines after the summary"},
		{"shard given twice", []string{a[0], a[1], a[0]}, a[0] + " and " + a[0] + " are both shard 0/2"},
		{"shard missing", []string{a[0]}, "shard 1/2 missing"},
		{"mixed N", []string{a[0], three[1], three[2]}, "is shard 1/3"},
		{"not a shard", []string{old}, old + ": its summary records no shard K/N"},
		{"--report over a shard", []string{a[0], a[1], "--report", "json=" + a[1]}, a[1] + " is also an input: writing it would destroy"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, code := lockcheck(t, append([]string{"merge", "--format", "json"}, tt.files...)...)
			if code != ExitInput || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

// TestMergeKeepsWaiverErrors: every shard reports a refused waiver (the
// waiver file is read by each); the merged result reports it once, as the
// unsharded scan does, in the summary and in the output.
func TestMergeKeepsWaiverErrors(t *testing.T) {
	t.Parallel()
	p := RefusedWaiver(t)
	base := []string{"fixtures/fleet", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--waivers", p}
	files := shardFiles(t, 3, base...)
	// text on stdout, json as a --report: one run of each verb
	formats := []string{"text", "json"}
	want, _, wantCode := lockcheckFormats(t, append([]string{"scan"}, base...), formats)
	got, errOut, code := lockcheckFormats(t, append([]string{"merge"}, files...), formats)
	if wantCode != ExitInput || code != wantCode {
		t.Errorf("merge exit %d, unsharded scan %d (want 2); stderr: %s", code, wantCode, errOut)
	}
	for _, format := range formats {
		if n := strings.Count(want[format], "waiver refused"); n == 0 {
			t.Fatalf("%s: the unsharded scan does not report the refused waiver:\n%s", format, want[format])
		}
		if diff := cmp.Diff(want[format], got[format]); diff != "" {
			t.Errorf("%s: merge of 3 shards differs from the unsharded scan (-scan +merge):\n%s", format, diff)
		}
	}
}

// RefusedWaiver writes a waiver lockcheck refuses (a critical control waived
// for 217 days, over max_critical_waiver_days) and returns its path.
func RefusedWaiver(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "too-long.yaml")
	body := `apiVersion: lockcheck.dev/v1alpha1
kind: Waiver
metadata:
  name: forever
spec:
  controls: [CRED-005]
  selector:
    labels: {site: lax-mariposa-1420}
  justification: the vendor will fix it eventually
  approved_by: someone@example.com
  expires: "2027-06-30T00:00:00Z"
`
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
