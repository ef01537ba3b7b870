//go:build unix

package scan_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func fifo(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	return p
}

// feed writes b into the FIFO p once a reader opens it, then closes it.
func feed(p string, b []byte) {
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write(b)
		w.Close()
	}()
}

// runWithin runs a scan and fails when it does not return within d.
func runWithin(t *testing.T, ctx context.Context, d time.Duration, r *scan.Runner, opts scan.Options) ([]*scan.DocResult, error) {
	t.Helper()
	var got []*scan.DocResult
	done := make(chan error, 1)
	go func() {
		done <- r.Run(ctx, opts, scan.SinkFunc(func(res *scan.DocResult) error {
			got = append(got, res)
			return nil
		}))
	}()
	select {
	case err := <-done:
		return got, err
	case <-time.After(d):
		t.Fatalf("Run did not return within %v", d)
		return nil, nil
	}
}

// TestRunStreams: a FIFO given as an input (what bash's <(cat lock.yaml)
// gives) is read once, by the scan, not drained by the link pre-pass;
// /dev/zero is refused at once, not pre-read forever; a
// FIFO found in an input directory is skipped with a warning; cancelling a
// run blocked on a --plans FIFO that has no writer returns at once.
func TestRunStreams(t *testing.T) {
	r := newRunner(t)
	snap, err := os.ReadFile("../../fixtures/fleet/unit-101-compliant.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("explicit FIFO", func(t *testing.T) {
		p := fifo(t, t.TempDir(), "63")
		feed(p, snap)
		got, err := runWithin(t, context.Background(), 20*time.Second, r, scan.Options{Paths: []string{p}, LinkPaths: fixtureLinks, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Errors) > 0 || len(got[0].Findings) == 0 {
			t.Fatalf("got %d results (%+v); want the snapshot evaluated", len(got), got)
		}
	})
	t.Run("/dev/zero", func(t *testing.T) {
		if _, err := os.Stat("/dev/zero"); err != nil {
			t.Skip(err)
		}
		got, err := runWithin(t, context.Background(), 10*time.Second, r, scan.Options{Paths: []string{"/dev/zero"}, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Errors) != 1 || !strings.Contains(got[0].Errors[0].Msg, "binary") {
			t.Errorf("got %+v; want one input error saying /dev/zero is binary", got)
		}
	})
	t.Run("FIFO in a directory", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "lock.yaml"), snap, 0o644)
		p := fifo(t, dir, "pipe.yaml") // no writer: reading it would hang
		var warns []document.Warning
		got, err := runWithin(t, context.Background(), time.Minute, r, scan.Options{Paths: []string{dir}, Workers: 1,
			Warn: func(w document.Warning) { warns = append(warns, w) }})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Doc.Kind != document.KindLockSnapshot || len(got[0].Errors) > 0 {
			t.Errorf("got %d results; want the regular file's snapshot only", len(got))
		}
		if len(warns) != 1 || warns[0].File != p {
			t.Errorf("warnings %v; want one about %s", warns, p)
		}
	})
	t.Run("cancel on a --plans FIFO", func(t *testing.T) {
		dir := t.TempDir()
		p := fifo(t, dir, "plans.yaml")
		os.WriteFile(filepath.Join(dir, "lock.yaml"), snap, 0o644)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		_, err := runWithin(t, ctx, 10*time.Second, r, scan.Options{Paths: []string{filepath.Join(dir, "lock.yaml")}, LinkPaths: []string{p}, Workers: 1})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	})
}
