//go:build linux

package cli

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/importer/seam/seamtest"
	"github.com/lockcheck/lockcheck/engine/output"
)

// openFiles lists the files (not sockets, pipes or other descriptors) this
// process has open.
func openFiles(t *testing.T) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot list open files: %v", err)
	}
	var out []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "/proc/") && !strings.HasPrefix(target, "/dev/") {
			out = append(out, target)
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryOutputFailingMidRun: for every verb that writes files (scan,
// review, approve, merge with --report; import with -o and seam --save;
// bundle build -o), one output failing part way through the run (a report
// file, or stdout) ends the run with exit 2 and a message naming the
// error; nothing is left in the output directory, not even a temporary
// file; every file the run opened is discarded, never committed; and no
// file is left open. (validate, history, diff, trend and the other verbs
// write to stdout only.)
func TestEveryOutputFailingMidRun(t *testing.T) {
	shards := shardFiles(t, 2, "fixtures/fleet", "--plans", "fixtures/plans", "--specs", "fixtures/products", "--now", now)
	srv := seamtest.Start(t, seamtest.Names()[0], seamKey)
	t.Setenv("SEAM_API_KEY", seamKey)
	zwave := []string{"fixtures/imports/zwave-js/insecure-node-dump.json", "fixtures/imports/zwave-js/lock-and-switch.json", "fixtures/imports/zwave-js/s0-legacy-ha-device.json"}
	store := filepath.Join(t.TempDir(), "history.db")
	for _, tc := range []struct {
		name string
		args func(dir string) []string
		// failing is the suffix of the output file that fails after limit
		// bytes; "" for none.
		failing string
		limit   int
		// stdout, when set, is the run's stdout (a failing one).
		stdout io.Writer
	}{
		{name: "scan, ndjson report fails mid-run", failing: ".ndjson", limit: 2000, args: func(d string) []string {
			return with(args("scan", "fixtures/fleet", "--now", now, "--store", store, "--report", "ndjson="+d+"/out.ndjson", "--report", "json="+d+"/out.json"), links...)
		}},
		{name: "scan, first write fails", failing: ".sarif", limit: 0, args: func(d string) []string {
			return with(args("scan", "fixtures/fleet", "--now", now, "--report", "json="+d+"/out.json", "--report", "sarif="+d+"/out.sarif"), links...)
		}},
		{name: "review, markdown report fails at the end", failing: ".md", limit: 3000, args: func(d string) []string {
			return args("review", "fixtures/products", "--now", now, "--report", "markdown="+d+"/out.md", "--report", "html="+d+"/out.html")
		}},
		{name: "review, stdout fails mid-run", stdout: &failAfter{n: 500}, args: func(d string) []string {
			return args("review", "fixtures/products", "--now", now, "-f", "ndjson", "--report", "json="+d+"/out.json")
		}},
		{name: "approve, ndjson report fails while the results are delivered", failing: ".ndjson", limit: 1500, args: func(d string) []string {
			return args("approve", "fixtures/plans", "--specs", "fixtures/products", "--now", now, "--report", "ndjson="+d+"/out.ndjson", "--report", "junit="+d+"/out.xml")
		}},
		{name: "merge, ndjson report fails mid-run", failing: ".ndjson", limit: 2000, args: func(d string) []string {
			return append(args("merge", "--report", "ndjson="+d+"/out.ndjson", "--report", "sarif="+d+"/out.sarif"), shards...)
		}},
		{name: "merge, stdout fails mid-run", stdout: &failAfter{n: 500}, args: func(d string) []string {
			return append(args("merge", "-f", "ndjson", "--report", "json="+d+"/out.json"), shards...)
		}},
		{name: "import -o, the second lock file fails", failing: ".yaml", limit: 0, args: func(d string) []string {
			return append(args("import", "zwave-js", "-q", "-o", d+"/fleet"), zwave...)
		}},
		{name: "import, stdout fails", stdout: &failAfter{n: 100}, args: func(d string) []string {
			return append(args("import", "zwave-js", "-q"), zwave...)
		}},
		{name: "import seam --save fails", failing: "export.json", limit: 1000, args: func(d string) []string {
			return args("import", "seam", "-q", "--endpoint", srv.URL, "--save", d+"/export.json", "-o", d+"/fleet")
		}},
		{name: "bundle build -o fails", failing: ".tar.gz", limit: 100, args: func(d string) []string {
			return args("bundle", "build", example, "-o", d+"/policy.tar.gz")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files []*failingFile
			var failing *failingFile
			var paths []string
			orig := createOutput
			origPrivate := createPrivateOutput
			hook := func(create func(string) (output.File, error)) func(string) (output.File, error) {
				return func(path string) (output.File, error) {
					f, err := create(path)
					if err != nil {
						return nil, err
					}
					ff := &failingFile{File: f, limit: 1 << 30}
					// the import's first lock file is written whole, the
					// second fails
					if tc.failing != "" && strings.HasSuffix(path, tc.failing) && (tc.failing != ".yaml" || len(files) > 0) {
						ff.limit = tc.limit
						failing = ff
					}
					files = append(files, ff)
					paths = append(paths, path)
					return ff, nil
				}
			}
			createOutput, createPrivateOutput = hook(orig), hook(origPrivate)
			t.Cleanup(func() { createOutput, createPrivateOutput = orig, origPrivate })
			dir := t.TempDir()
			stdout := tc.stdout
			if stdout == nil {
				stdout = io.Discard
			}
			before := openFiles(t)
			var stderr strings.Builder
			a := tc.args(dir)
			code := Main(a, strings.NewReader(""), stdout, &stderr)
			if code != ExitInput || !strings.Contains(stderr.String(), "disk full") || !strings.Contains(stderr.String(), "lockcheck "+a[0]) {
				t.Errorf("exit %d, stderr %q; want 2 and a message naming the write error", code, stderr.String())
			}
			var left []string
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && p != dir {
					left = append(left, strings.TrimPrefix(p, dir+"/"))
				}
				return nil
			})
			if len(left) > 0 {
				t.Errorf("left in the output directory: %v", left)
			}
			if tc.failing != "" && failing == nil {
				t.Fatalf("the failing output was never opened (opened: %v)", paths)
			}
			// every file opened is ended; the one failing and every report
			// are discarded (an imported lock file is committed into the
			// staging directory, which is then removed)
			for i, f := range files {
				if f.aborted == f.committed || (f.committed && (f == failing || !strings.Contains(paths[i], ".lockcheck-import-"))) {
					t.Errorf("%s: committed %v, aborted %v; want discarded", paths[i], f.committed, f.aborted)
				}
			}
			if after := openFiles(t); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("files open after the run:\n%v\nbefore:\n%v", after, before)
			}
		})
	}
}

// TestStdoutFailingIsAnError: a verb that writes to stdout only (validate,
// controls, explain, history, diff, trend, …) and cannot write it ends with
// exit 2 and a message, never with success on a truncated output.
func TestStdoutFailingIsAnError(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "history.db")
	for i := 0; i < 2; i++ {
		if _, errOut, code := lockcheck(t, "scan", "fixtures/fleet/unit-101-compliant.yaml", "--now", now, "--store", store, "-q"); code != ExitOK && code != ExitFailing {
			t.Fatalf("record scan %d: exit %d: %s", i, code, errOut)
		}
	}
	for _, a := range [][]string{
		{"validate", "fixtures/fleet"},
		{"controls"},
		{"explain", "AUTH-001"},
		{"version"},
		{"history", "--store", store},
		{"diff", "--store", store},
		{"trend", "--store", store, "-f", "json"},
		{"completion", "bash"},
		{"--help"},
	} {
		t.Run(a[0], func(t *testing.T) {
			t.Parallel()
			var errb strings.Builder
			code := Main(a, strings.NewReader(""), &failAfter{n: 10}, &errb)
			if code != ExitInput || !strings.Contains(errb.String(), "disk full") {
				t.Errorf("exit %d, stderr %q; want 2 naming the write error", code, errb.String())
			}
		})
	}
}
