//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
)

// TestInterrupt runs the CLI in a process of its own (this test binary, as
// TestInterruptCLIProcess: Main is what cmd/lockcheck runs, so there is
// no binary to build), streams a large NDJSON fleet into
// `scan -` through a pipe that stays open, sends SIGINT (Ctrl-C) or SIGTERM
// (what Kubernetes sends on eviction) once results are coming out, and
// expects both handled alike: exit 130 or 143, a well-formed JSON report on
// stdout and in the --report file whose summary is marked incomplete and
// covers only the documents finished, the report file absent until then (no
// truncated report at its final path), and the scan recorded in the store
// marked incomplete.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two scans of a large fleet in processes of their own")
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const copies = 200
	fleet := fleetStream(t, copies)
	for _, tc := range []struct {
		sig  os.Signal
		code int
	}{
		{os.Interrupt, ExitInterrupted},
		{syscall.SIGTERM, ExitTerminated},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			interruptOnce(t, bin, fleet, copies, tc.sig, tc.code)
		})
	}
}

// TestInterruptCLIProcess is not a test: it is the lockcheck command of
// TestInterrupt, with the arguments after "--".
func TestInterruptCLIProcess(t *testing.T) {
	if os.Getenv("LOCKCHECK_INTERRUPT_CLI") != "1" {
		t.Skip("the command TestInterrupt runs")
	}
	os.Exit(Main(flag.Args(), os.Stdin, os.Stdout, os.Stderr))
}

// cliCommand runs `lockcheck args...` as TestInterruptCLIProcess of the
// test binary bin.
func cliCommand(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"-test.run=^TestInterruptCLIProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "LOCKCHECK_INTERRUPT_CLI=1")
	return cmd
}

func interruptOnce(t *testing.T, bin string, fleet []byte, copies int, sig os.Signal, wantCode int) {
	dir := t.TempDir()
	reportPath := filepath.Join(dir, "report.json")
	store := filepath.Join(dir, "history.db")
	cmd := cliCommand(bin, "scan", "-", "--format", "json", "--now", now, "--workers", "2",
		"--plans", "fixtures/plans", "--specs", "fixtures/products", "--report", "json="+reportPath, "--store", store)
	cmd.Dir = repoRoot
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Feed the whole fleet, then keep the pipe open: an export still being
	// produced. The scan must stop anyway.
	go func() { stdin.Write(fleet) }()
	defer stdin.Close()

	if !stdout.waitFor(`"findings"`, 2*time.Minute) {
		cmd.Process.Kill()
		t.Fatalf("no results after 2 minutes; stderr: %s", stderr.String())
	}
	if _, err := os.Stat(reportPath); !os.IsNotExist(err) {
		t.Errorf("the report is at its final path while the scan is running (stat: %v)", err)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatalf("scan did not stop within a minute of %v; stderr: %s", sig, stderr.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != wantCode {
		t.Fatalf("exit: %v, want %d; stderr: %s", err, wantCode, stderr.String())
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("killed by the signal instead of handling it")
	}
	type rep struct {
		Documents []json.RawMessage `json:"documents"`
		Summary   struct {
			Incomplete bool `json:"incomplete"`
			Documents  int  `json:"documents"`
			Evaluated  int  `json:"evaluated"`
			Invalid    int  `json:"invalid"`
		} `json:"summary"`
	}
	fileBytes, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatalf("no --report file after the interrupt: %v", err)
	}
	for what, b := range map[string][]byte{"stdout": []byte(stdout.String()), "--report": fileBytes} {
		var r rep
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s is not one JSON report: %v\n%.500s", what, err, b)
		}
		s := r.Summary
		if !s.Incomplete {
			t.Errorf("%s: summary not marked incomplete: %+v", what, s)
		}
		if s.Documents == 0 || s.Documents >= copies*21 || s.Documents != len(r.Documents) {
			t.Errorf("%s: summary counts %d documents, the report lists %d, the input had %d: want the finished prefix", what, s.Documents, len(r.Documents), copies*21)
		}
		if s.Invalid != 0 || s.Evaluated != s.Documents {
			t.Errorf("%s: documents in flight were not finished: %+v", what, s)
		}
	}
	if strings.Contains(stdout.String(), `"kind": "Fleet"`) {
		t.Errorf("fleet-level controls evaluated on an interrupted scan")
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say the scan was interrupted: %q", stderr.String())
	}
	// The interrupted scan is recorded, marked incomplete (README, History).
	hist := cliCommand(bin, "history", "--store", store, "--format", "json")
	out, err := hist.Output()
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	var scans []struct {
		Documents int  `json:"documents"`
		Complete  bool `json:"complete"`
	}
	if err := json.Unmarshal(out, &scans); err != nil {
		t.Fatalf("history --format json: %v\n%s", err, out)
	}
	if len(scans) != 1 || scans[0].Complete || scans[0].Documents == 0 {
		t.Errorf("store holds %+v; want one scan, marked incomplete, with the documents finished", scans)
	}
}

// fleetStream returns copies × the fixture snapshots as NDJSON, each copy
// with its own name.
func fleetStream(t *testing.T, copies int) []byte {
	t.Helper()
	files, errs := document.Expand([]string{filepath.Join(repoRoot, "fixtures/fleet")})
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	// each snapshot is encoded once, with a placeholder for its name
	const placeholder = "@@name@@"
	type snap struct {
		name string
		json []byte
	}
	var snaps []snap
	for _, f := range files {
		document.DecodeFile(f, nil, func(d *document.Document, err *document.InputError) bool {
			if err == nil && d.Kind == document.KindLockSnapshot {
				doc := maps.Clone(d.Raw)
				meta := maps.Clone(doc["metadata"].(map[string]any))
				doc["metadata"] = meta
				name, _ := meta["name"].(string)
				meta["name"] = placeholder
				b, _ := json.Marshal(doc)
				snaps = append(snaps, snap{name, b})
			}
			return true
		})
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	for c := 0; c < copies; c++ {
		for _, s := range snaps {
			b := bytes.Replace(s.json, []byte(placeholder), []byte(fmt.Sprintf("%s-c%03d", s.name, c)), 1)
			w.Write(b)
			w.WriteByte('\n')
		}
	}
	w.Flush()
	return buf.Bytes()
}

// lockedBuffer is a bytes.Buffer safe to read while the process writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	// wrote receives a value after a write (dropped when one is pending).
	wrote chan struct{}
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.wrote == nil {
		l.wrote = make(chan struct{}, 1)
	}
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return l.b.Write(p)
}

// waitFor reports whether s was written within d, waking on each write.
func (l *lockedBuffer) waitFor(s string, d time.Duration) bool {
	l.mu.Lock()
	if l.wrote == nil {
		l.wrote = make(chan struct{}, 1)
	}
	wrote := l.wrote
	l.mu.Unlock()
	timeout := time.After(d)
	for !strings.Contains(l.String(), s) {
		select {
		case <-wrote:
		case <-timeout:
			return false
		}
	}
	return true
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var _ io.Writer = (*lockedBuffer)(nil)
