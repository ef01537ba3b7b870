//go:build unix

package document

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const streamDoc = `apiVersion: lockcheck.dev/v1alpha1
kind: LockSnapshot
metadata:
  name: unit-1
spec: {}
`

// decodeWithin decodes path (or stdin) and fails the test when that takes
// longer than d: a hang must fail, not block the test binary.
func decodeWithin(t *testing.T, ctx context.Context, d time.Duration, path string, stdin io.Reader) (docs []*Document, errs []*InputError) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		DecodeFileContext(ctx, path, stdin, func(doc *Document, err *InputError) bool {
			if err != nil {
				errs = append(errs, err)
			} else {
				docs = append(docs, doc)
			}
			return true
		})
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("reading %s did not return within %v", path, d)
	}
	return docs, errs
}

func mkfifo(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	return p
}

// TestStreamFIFO: a FIFO given as input is read once, to its end, as the
// writer writes it; its format comes from its extension, or from its first
// bytes when it has none (bash's <(…) is /dev/fd/N).
func TestStreamFIFO(t *testing.T) {
	for _, name := range []string{"lock.yaml", "63"} {
		t.Run(name, func(t *testing.T) {
			p := mkfifo(t, name)
			go func() {
				w, err := os.OpenFile(p, os.O_WRONLY, 0)
				if err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond) // the reader waits for the data
				w.WriteString(streamDoc)
				w.Close()
			}()
			docs, errs := decodeWithin(t, context.Background(), 10*time.Second, p, nil)
			if len(errs) > 0 || len(docs) != 1 || docs[0].Name != "unit-1" {
				t.Errorf("docs %v, errors %v; want unit-1", docs, errs)
			}
		})
	}
}

// TestStreamCancel: cancelling stops a read blocked on a FIFO that has no
// writer yet, or whose writer stays open, and on an endless stdin; what was
// cut short is not reported as an input error.
func TestStreamCancel(t *testing.T) {
	noWriter := mkfifo(t, "nowriter.yaml")
	open := mkfifo(t, "open.ndjson")
	go func() {
		w, err := os.OpenFile(open, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		w.WriteString(`{"kind":"LockSnapshot","metadata":{"name":"a"}}` + "\n")
		time.Sleep(20 * time.Second) // stays open
	}()
	endless, stop := io.Pipe()
	t.Cleanup(func() { stop.Close() })
	go func() {
		stop.Write([]byte("kind: LockSnapshot\nmetadata:\n  name: x\n---\n"))
		// then nothing, forever
	}()
	for _, tc := range []struct {
		name, path string
		stdin      io.Reader
	}{
		{"FIFO without writer", noWriter, nil},
		{"FIFO kept open", open, nil},
		{"endless stdin", "-", endless},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			start := time.Now()
			_, errs := decodeWithin(t, ctx, 10*time.Second, tc.path, tc.stdin)
			if time.Since(start) < 150*time.Millisecond {
				t.Errorf("returned before the cancellation")
			}
			if len(errs) > 0 {
				t.Errorf("cancellation reported as input errors: %v", errs)
			}
		})
	}
}

// endlessText is a text stream that never ends.
type endlessText struct{}

func (endlessText) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestStreamLimits: a device that never ends is refused promptly, and an
// endless YAML or JSON stream stops at the size limit with an error that says
// so; a cancelled one stops at once.
func TestStreamLimits(t *testing.T) {
	old := maxStreamBytes
	maxStreamBytes = 1 << 20
	t.Cleanup(func() { maxStreamBytes = old })
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := os.Stat(dev); err != nil {
			continue
		}
		_, errs := decodeWithin(t, context.Background(), 10*time.Second, dev, nil)
		if len(errs) != 1 || !strings.Contains(errs[0].Msg, "binary") {
			t.Errorf("%s: errors %v; want one saying it is binary", dev, errs)
		}
	}
	_, errs := decodeWithin(t, context.Background(), 30*time.Second, "-", endlessText{})
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "the stream is longer than 1 MiB") {
		t.Errorf("endless stdin: errors %v; want one naming the limit", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, errs := decodeWithin(t, ctx, 10*time.Second, "-", endlessText{}); len(errs) != 0 {
		t.Errorf("cancelled endless stdin: errors %v, want none", errs)
	}
}

// TestExpandSkipsFIFO: a FIFO found while walking a directory is skipped
// with a warning (reading it could block the run); given explicitly, it is
// an input.
func TestExpandSkipsFIFO(t *testing.T) {
	p := mkfifo(t, "pipe.yaml")
	dir := filepath.Dir(p)
	os.WriteFile(filepath.Join(dir, "lock.yaml"), []byte(streamDoc), 0o644)
	files, errs, warns := ExpandWarn([]string{dir, p})
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	if want := []string{filepath.Join(dir, "lock.yaml"), p}; strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("files %v, want %v", files, want)
	}
	if len(warns) != 1 || warns[0].File != p || !strings.Contains(warns[0].Msg, "skipped: a FIFO") {
		t.Errorf("warnings %v, want one skipping %s", warns, p)
	}
}
