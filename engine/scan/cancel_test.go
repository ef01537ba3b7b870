package scan_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestRunCancel: cancelling the context stops reading; the results delivered
// are a complete prefix of the input in order, and Run returns
// context.Canceled promptly, even on a stream that never ends.
func TestRunCancel(t *testing.T) {
	t.Parallel()
	r := fleetRunner(t)
	path := generatedFleet(t, 20)
	const after = 25
	for _, tt := range []struct {
		name  string
		input func(t *testing.T) scan.Options
	}{
		{"file", func(t *testing.T) scan.Options { return scan.Options{Paths: []string{path}} }},
		{"endless stdin", func(t *testing.T) scan.Options {
			// a pipe that delivers the export, then stays open
			pr, pw := io.Pipe()
			t.Cleanup(func() { pw.Close() })
			go func() {
				b, _ := readFile(path)
				pw.Write(b)
			}()
			return scan.Options{Paths: []string{"-"}, Stdin: pr}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := tt.input(t)
			opts.Workers = 2
			var got []*scan.DocResult
			done := make(chan error, 1)
			go func() {
				done <- r.Run(ctx, opts, scan.SinkFunc(func(res *scan.DocResult) error {
					got = append(got, res)
					if len(got) == after {
						cancel()
					}
					return nil
				}))
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("Run did not return after cancellation")
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
			if len(got) < after || len(got) >= 20*21 {
				t.Errorf("%d results delivered, want at least %d and fewer than the whole input", len(got), after)
			}
			for i, res := range got {
				if res.Seq != i {
					t.Fatalf("result %d has seq %d: not a prefix in input order", i, res.Seq)
				}
				if len(res.Errors) > 0 || len(res.Findings) == 0 {
					t.Errorf("result %d (%s) is not a complete evaluation: errors %v", i, res.Doc.Name, res.Errors)
				}
			}
		})
	}
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }
