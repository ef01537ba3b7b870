package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/output"
)

// copyFleet copies two fixture snapshots into a fresh directory.
func copyFleet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"unit-101-compliant.yaml", "unit-102-default-credential-active.yaml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "fixtures/fleet", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestReportRefusesInput: a --report naming one of the inputs (directly,
// under an input directory, through a symlink) or the file of another
// --report is refused with exit 2 before anything is written; the input is
// intact.
func TestReportRefusesInput(t *testing.T) {
	t.Parallel()
	dir := copyFleet(t)
	in := filepath.Join(dir, "unit-101-compliant.yaml")
	before, _ := os.ReadFile(in)
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"input under a directory", args("scan", dir, "--report", "json="+in), "would destroy that input"},
		{"input file", args("scan", in, "--report", "sarif="+in), "would destroy that input"},
		{"symlink to an input", args("scan", dir, "--report", "json="+link), "would destroy that input"},
		{"a --plans file", args("scan", in, "--plans", "fixtures/plans", "--report", "json=fixtures/plans/"+firstFile(t, "fixtures/plans")), "would destroy that input"},
		{"the same file twice", args("scan", in, "--report", "json="+out, "--report", "sarif="+out), "are the same file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := lockcheck(t, append(tc.args, "--now", now)...)
			if code != ExitInput || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
			if b, _ := os.ReadFile(in); string(b) != string(before) {
				t.Fatalf("the input was overwritten")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a report was written: %v", err)
			}
		})
	}
}

func firstFile(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(repoRoot, dir))
	if err != nil || len(es) == 0 {
		t.Fatalf("%s: %v", dir, err)
	}
	return es[0].Name()
}

// failingFile is a report file whose writes fail after limit bytes.
type failingFile struct {
	output.File
	limit              int
	committed, aborted bool
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.File.Write(p[:f.limit])
		f.limit = 0
		return n, errors.New("disk full (test)")
	}
	f.limit -= len(p)
	return f.File.Write(p)
}

func (f *failingFile) Commit() error { f.committed = true; return f.File.Commit() }
func (f *failingFile) Abort() error  { f.aborted = true; return f.File.Abort() }

// TestReportFailsMidRun: when a report file fails part way through the run,
// the run exits 2, nothing (not even a temporary file) is left in the
// report's directory, and the file is closed; a report written alongside
// it is not moved into place either.
func TestReportFailsMidRun(t *testing.T) {
	var files []*failingFile
	orig := createOutput
	createOutput = func(path string) (output.File, error) {
		f, err := orig(path)
		if err != nil {
			return nil, err
		}
		ff := &failingFile{File: f, limit: 1 << 30}
		if strings.HasSuffix(path, ".sarif") {
			ff.limit = 2000
		}
		files = append(files, ff)
		return ff, nil
	}
	t.Cleanup(func() { createOutput = orig })
	dir := t.TempDir()
	_, stderr, code := lockcheck(t, "scan", "fixtures/fleet", "--now", now, "-f", "json",
		"--report", "sarif="+filepath.Join(dir, "out.sarif"), "--report", "json="+filepath.Join(dir, "out.json"))
	if code != ExitInput || !strings.Contains(stderr, "disk full") {
		t.Errorf("exit %d, stderr %q; want 2 naming the write error", code, stderr)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("left in the report directory: %v", names)
	}
	if len(files) != 2 {
		t.Fatalf("%d report files opened, want 2", len(files))
	}
	for _, f := range files {
		if f.committed || !f.aborted {
			t.Errorf("report file committed %v, aborted %v; want discarded", f.committed, f.aborted)
		}
	}
}
