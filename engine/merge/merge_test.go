package merge

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func doc(file string, index int, statuses ...finding.Status) *scan.DocResult {
	r := &scan.DocResult{Doc: finding.DocRef{File: file, Index: index, Kind: document.KindLockSnapshot, Name: file}}
	for i, st := range statuses {
		r.Findings = append(r.Findings, finding.Finding{ControlID: []string{"CRED-001", "CRED-002", "CRED-003"}[i], Status: st, Document: r.Doc})
	}
	return r
}

func inputError(file string) *scan.DocResult {
	return &scan.DocResult{Doc: finding.DocRef{File: file}, Errors: []*document.InputError{{File: file, Msg: "no such file or directory"}}}
}

// writeShard writes results as the ndjson output of scan --shard k/n.
func writeShard(t *testing.T, k, n int, results ...*scan.DocResult) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := report.New("ndjson", &buf, report.Options{SealLines: true})
	if err != nil {
		t.Fatal(err)
	}
	sum := &scan.Summary{Now: "2026-11-25T12:00:00Z", CatalogueDigest: "sha256:c", ParamsDigest: "sha256:p", FailOn: "low",
		ByKind: map[string]int{}, Shard: &scan.ShardInfo{Index: k, Of: n}}
	for _, r := range results {
		if err := w.Result(r); err != nil {
			t.Fatal(err)
		}
		sum.Documents++
	}
	if err := w.Close(&report.Final{Summary: sum}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "shard.ndjson")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func edit(t *testing.T, p string, f func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "edited.ndjson")
	os.WriteFile(out, []byte(f(string(b))), 0o644)
	return out
}

func open(t *testing.T, p string) *Shard {
	t.Helper()
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestOpenVerifiesLines: a shard opens as written; changed, removed, added
// or trailing lines, a summary without its seal and a cut shard are refused
// naming the file.
func TestOpenVerifiesLines(t *testing.T) {
	good := writeShard(t, 0, 2, doc("a.yaml", 1, finding.StatusFail, finding.StatusPass), doc("b.yaml", 1, finding.StatusPass))
	open(t, good)
	firstLine := func(s string) string { return s[:strings.Index(s, "\n")+1] }
	for _, tc := range []struct {
		name string
		edit func(string) string
		want string
	}{
		{"flipped", func(s string) string { return strings.Replace(s, `"status":"fail"`, `"status":"pass"`, 1) }, "do not match the digest"},
		{"deleted", func(s string) string { return strings.TrimPrefix(s, firstLine(s)) }, "2 finding, error and warning lines, its summary records 3"},
		{"injected", func(s string) string { return firstLine(s) + s }, "4 finding, error and warning lines, its summary records 3"},
		{"after the summary", func(s string) string { return s + firstLine(s) }, "1 lines after the summary line"},
		{"no seal", func(s string) string {
			i := strings.Index(s, `,"shard":`)
			j := strings.Index(s[i:], "}") + i + 1
			return s[:i] + s[j:]
		}, "records no shard K/N"},
		{"cut", func(s string) string { return s[:strings.LastIndex(s[:len(s)-1], "\n")+1] }, "no summary line"},
		{"shard out of range", func(s string) string { return strings.Replace(s, `"index":0`, `"index":2`, 1) }, "shard 2/2, which does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := edit(t, good, tc.edit)
			_, err := Open(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p+": ") {
				t.Errorf("got %v, want an error naming %s saying %q", err, p, tc.want)
			}
		})
	}
}

// TestCheckSet: exactly shards 0..N-1 of one run, each once.
func TestCheckSet(t *testing.T) {
	s0 := writeShard(t, 0, 2, doc("a.yaml", 1, finding.StatusPass))
	s1 := writeShard(t, 1, 2, doc("b.yaml", 1, finding.StatusPass))
	s13 := writeShard(t, 1, 3)
	later := edit(t, s1, func(s string) string { return strings.Replace(s, "2026-11-25T12", "2026-11-26T12", 1) })
	for _, tc := range []struct {
		name  string
		paths []string
		want  string // "" when accepted
	}{
		{"complete", []string{s1, s0}, ""},
		{"twice", []string{s0, s1, s0}, s0 + " and " + s0 + " are both shard 0/2"},
		{"missing", []string{s0}, "shard 1/2 missing"},
		{"mixed N", []string{s0, s13}, s0 + " is shard 0/2 but " + s13 + " is shard 1/3"},
		{"different runs", []string{s0, later}, "come from different runs (--now"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var shards []*Shard
			for _, p := range tc.paths {
				shards = append(shards, open(t, p))
			}
			err := CheckSet(shards)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestDocumentsOrder: documents come out once each, in the unsharded run's
// order (input errors every shard reports first, once; files by name within
// a directory; documents by index within a file).
func TestDocumentsOrder(t *testing.T) {
	s0 := open(t, writeShard(t, 0, 2, inputError("missing.yaml"), doc("d/a.yaml", 1, finding.StatusPass), doc("d/a.yaml", 3, finding.StatusFail), doc("d/c.yaml", 1, finding.StatusPass)))
	s1 := open(t, writeShard(t, 1, 2, inputError("missing.yaml"), doc("d/a.yaml", 2, finding.StatusPass), doc("d/b.yaml", 1, finding.StatusPass, finding.StatusFail)))
	var got []string
	err := Documents(context.Background(), []*Shard{s0, s1}, func(r *scan.DocResult) error {
		got = append(got, r.Doc.File+"#"+string(rune('0'+r.Doc.Index)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "missing.yaml#0 d/a.yaml#1 d/a.yaml#2 d/a.yaml#3 d/b.yaml#1 d/c.yaml#1"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("order %s\nwant  %s", g, want)
	}
}

// TestUnwritten: documents a shard counted but wrote no line for are
// returned as placeholders of their kind, so that merged counts match.
func TestUnwritten(t *testing.T) {
	s := open(t, writeShard(t, 0, 1, doc("a.yaml", 1, finding.StatusPass)))
	s.Summary.Documents = 3
	s.Summary.ByKind = map[string]int{document.KindLockSnapshot: 1, document.KindWaiver: 1}
	for s.head != nil {
		if err := s.advance(); err != nil {
			t.Fatal(err)
		}
	}
	got := s.unwritten()
	if len(got) != 2 || got[0].Doc.Kind != document.KindWaiver || got[1].Doc.Kind != "" {
		t.Errorf("unwritten: %+v; want a Waiver and one of no kind", got)
	}
}

// digests is an Engine with given digests.
type digests struct{ catalogue, params string }

func (d digests) Digest() string       { return d.catalogue }
func (d digests) ParamsDigest() string { return d.params }

// TestRunAndEngine: the run time and selected controls come from the
// summary; an engine with another catalogue or parameters is refused.
func TestRunAndEngine(t *testing.T) {
	s := open(t, writeShard(t, 0, 1, doc("a.yaml", 1, finding.StatusPass)))
	s.Summary.Controls = []scan.ControlCount{{ID: "CRED-001"}, {ID: "CRED-003"}}
	run, err := RunOf(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Now.Format(time.RFC3339) + " " + strings.Join(run.Controls, ","); got != "2026-11-25T12:00:00Z CRED-001,CRED-003" {
		t.Errorf("RunOf = %s", got)
	}
	for _, tc := range []struct {
		eng  digests
		want string // "" when accepted
	}{
		{digests{"sha256:c", "sha256:p"}, ""},
		{digests{"sha256:other", "sha256:p"}, "evaluated with catalogue sha256:c, this lockcheck has sha256:other"},
		{digests{"sha256:c", "sha256:other"}, "ran with parameters sha256:p, here they are sha256:other"},
	} {
		err := CheckEngine(tc.eng, s)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckEngine(%v) = %v, want %q", tc.eng, err, tc.want)
		}
	}
	s.Summary.Now = "yesterday"
	if _, err := RunOf(s); err == nil || !strings.Contains(err.Error(), `summary.now "yesterday"`) {
		t.Errorf("RunOf with a bad time: %v", err)
	}
}
