package cli

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/importer/seam/seamtest"
)

// seamKey is the fake Seam's API key: no output, file or error may hold it.
const seamKey = "seam_cli_test_KEY-7d1e0b-never-print"

const seamExport = "fixtures/imports/seam/mariner-court.json"

func seamFake(t *testing.T, name string) *seamtest.Server {
	return seamtest.Start(t, name, seamKey)
}

// TestImportSeamFrom is the golden of a bundled export, in every format.
func TestImportSeamFrom(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"yaml", "json", "ndjson"} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", "import", "seam", "--from", seamExport, "--format", f)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			golden(t, "import_seam_from_"+f, "--- stdout\n"+out+"--- stderr\n"+errOut)
		})
	}
	t.Run("same as a file argument", func(t *testing.T) {
		t.Parallel()
		a, _, _ := run(t, "", "import", "seam", "--from", seamExport)
		b, _, _ := run(t, "", "import", "seam", seamExport)
		if a != b {
			t.Error("import seam --from FILE and import seam FILE differ")
		}
	})
}

// TestImportSeamThenScan: what the importer writes scans with no input error.
func TestImportSeamThenScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, errOut, code := run(t, "", "import", "seam", "--from", seamExport, "-o", dir, "-q"); code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, errOut)
	}
	if out, errOut, code := run(t, "", "validate", dir); code != ExitOK {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code := run(t, "", "scan", dir, "--now", now, "--format", "json")
	if code != ExitFailing {
		t.Errorf("scan: exit %d, want 1 (findings, no input error)\n%s", code, errOut)
	}
	// The unmanaged keypad code is the finding this import exists for.
	if !strings.Contains(out, `"CRED-008"`) || !strings.Contains(out, "c0000002-0000-4000-8000-000000000010") {
		t.Errorf("scan does not report the unmanaged code under CRED-008")
	}
}

// TestImportSeamLive reads every fake workspace through the API in pages of
// 3, in every format, and greps everything written — snapshots, the saved
// export, stdout, stderr — for the key and the access-code canaries.
func TestImportSeamLive(t *testing.T) {
	type tc struct{ ws, format string }
	var cases []tc
	for _, ws := range seamtest.Names() {
		cases = append(cases, tc{ws, "yaml"})
	}
	cases = append(cases, tc{"unmanaged-stuck-removal", "json"}, tc{"unmanaged-stuck-removal", "ndjson"})
	for _, c := range cases {
		ws, f := c.ws, c.format
		{
			t.Run(ws+"/"+f, func(t *testing.T) {
				srv := seamFake(t, ws)
				srv.PageSize = 3
				t.Setenv("SEAM_API_KEY", seamKey)
				dir := t.TempDir()
				save := filepath.Join(t.TempDir(), "export.json")
				out, errOut, code := run(t, "", "import", "seam", "--endpoint", srv.URL, "--since", "2026-01-01T00:00:00Z",
					"-o", filepath.Join(dir, "fleet"), "--save", save, "--format", f)
				if code != ExitOK {
					t.Fatalf("exit %d\n%s", code, errOut)
				}
				if len(srv.Requests()) == 0 {
					t.Fatal("the fake saw no request")
				}
				written := map[string][]byte{"stdout": []byte(out), "stderr": []byte(errOut)}
				filepath.WalkDir(filepath.Dir(save), func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						written[p], _ = os.ReadFile(p)
					}
					return nil
				})
				filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						written[p], _ = os.ReadFile(p)
					}
					return nil
				})
				if len(written) < 4 {
					t.Fatalf("only %d outputs written", len(written))
				}
				for name, data := range written {
					for _, secret := range []string{seamKey, "CANARY"} {
						if bytes.Contains(data, []byte(secret)) {
							t.Errorf("%s contains %q", name, secret)
						}
					}
				}
				// The saved export imports to the same snapshots.
				again := t.TempDir()
				if _, errOut, code := run(t, "", "import", "seam", "--from", save, "-o", again, "--format", f, "-q"); code != ExitOK {
					t.Fatalf("import --from the saved export: exit %d\n%s", code, errOut)
				}
				ents, _ := os.ReadDir(filepath.Join(dir, "fleet"))
				for _, e := range ents {
					a, _ := os.ReadFile(filepath.Join(dir, "fleet", e.Name()))
					b, _ := os.ReadFile(filepath.Join(again, e.Name()))
					if !bytes.Equal(a, b) {
						t.Errorf("%s: the saved export imports differently", e.Name())
					}
				}
			})
		}
	}
}

// TestImportSeamLiveFailures: every failure is exit 2 (130 when
// interrupted), writes nothing and never prints the key.
func TestImportSeamLiveFailures(t *testing.T) {
	cases := []struct {
		name   string
		env    map[string]string
		setup  func(s *seamtest.Server)
		args   []string
		code   int
		stderr string
	}{
		{name: "wrong key", env: map[string]string{"SEAM_API_KEY": "seam_wrong_KEY-secret-too"}, code: ExitInput, stderr: "the API key was refused (HTTP 401"},
		{name: "no key", env: map[string]string{"SEAM_API_KEY": ""}, code: ExitInput, stderr: "no API key: set the environment variable SEAM_API_KEY"},
		{name: "key in another variable", env: map[string]string{"SEAM_API_KEY": "", "MY_SEAM": seamKey}, args: []string{"--api-key-env", "MY_SEAM"}, code: ExitOK},
		{name: "truncated response", env: map[string]string{"SEAM_API_KEY": seamKey}, setup: func(s *seamtest.Server) {
			s.Response = func(path string, body []byte) []byte {
				if path == "/events/list" {
					return body[:len(body)-7]
				}
				return body
			}
		}, code: ExitInput, stderr: "truncated JSON"},
		{name: "429 then success", env: map[string]string{"SEAM_API_KEY": seamKey}, setup: func(s *seamtest.Server) {
			s.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n == 2 {
					w.Header().Set("Retry-After", "1")
					seamtest.Error(w, http.StatusTooManyRequests, "rate_limited", "slow down")
					return true
				}
				return false
			}
		}, code: ExitOK},
		{name: "--from with API flags", env: map[string]string{"SEAM_API_KEY": seamKey}, args: []string{"--from", seamExport, "--save", "x.json"}, code: ExitInput, stderr: "--from reads a saved export"},
		{name: "naive --since", env: map[string]string{"SEAM_API_KEY": seamKey}, args: []string{"--since", "2026-11-01T00:00:00"}, code: ExitInput, stderr: "--since"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := seamFake(t, "well-run")
			if tc.setup != nil {
				tc.setup(srv)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			dir := filepath.Join(t.TempDir(), "fleet")
			save := filepath.Join(t.TempDir(), "export.json")
			args := append([]string{"import", "seam", "-o", dir}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--from") {
				args = append(args, "--endpoint", srv.URL, "--save", save)
			}
			out, errOut, code := run(t, "", args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, errOut)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q does not say %q", errOut, tc.stderr)
			}
			for _, secret := range []string{seamKey, "seam_wrong_KEY-secret-too", "CANARY"} {
				if strings.Contains(out+errOut, secret) {
					t.Errorf("output contains %q:\n%s%s", secret, out, errOut)
				}
			}
			if tc.code != ExitOK {
				for _, p := range []string{dir, save} {
					if _, err := os.Stat(p); err == nil {
						t.Errorf("%s was written", p)
					}
				}
			}
		})
	}
}

// TestImportSeamEndpointFromEnv: SEAM_ENDPOINT points the client elsewhere,
// as in Seam's own SDKs.
func TestImportSeamEndpointFromEnv(t *testing.T) {
	srv := seamFake(t, "offline-devices")
	t.Setenv("SEAM_API_KEY", seamKey)
	t.Setenv("SEAM_ENDPOINT", srv.URL)
	_, errOut, code := run(t, "", "import", "seam", "-o", t.TempDir(), "-q", "--workspace", "ws-7")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	reqs := srv.Requests()
	if len(reqs) == 0 || reqs[0].Workspace != "ws-7" {
		t.Errorf("requests %+v: want the seam-workspace header ws-7", reqs)
	}
}

// TestImportSeamCancelled: a cancelled import (Ctrl-C) stops mid-way with
// exit 130 and writes nothing.
func TestImportSeamCancelled(t *testing.T) {
	srv := seamFake(t, "three-pages")
	srv.PageSize = 3
	t.Setenv("SEAM_API_KEY", seamKey)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	srv.Intercept = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 5 {
			once.Do(cancel)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}
		return false
	}
	dir := filepath.Join(t.TempDir(), "fleet")
	save := filepath.Join(t.TempDir(), "export.json")
	var out, errb bytes.Buffer
	code := runImport(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb},
		[]string{"seam", "--endpoint", srv.URL, "-o", dir, "--save", save})
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, errb.String())
	}
	if !strings.Contains(errb.String(), "interrupted; nothing written") {
		t.Errorf("stderr %q", errb.String())
	}
	for _, p := range []string{dir, save} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}
