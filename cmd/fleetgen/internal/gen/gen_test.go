package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// TestMain: the tests scan generated fleets, at the GC target lockcheck
// scans run with (engine/internal/testenv.Main does the same for the
// engine's packages, which this one may not import).
func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scan.GCPercent)
	}
	os.Exit(m.Run())
}

// TestScanMatchesExpected generates a small fleet in each format, scans it
// with the engine at the generator's run time and checks that every
// LockSnapshot control's outcome counts equal the generator's expected.json.
// With -short the NDJSON fleet has 60 locks instead of 300 (fewer fault
// combinations; every fault still occurs, which the test checks) and the
// YAML one 20 instead of 60 (it checks the format, not the faults).
func TestScanMatchesExpected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	large, small := 300, 60
	if testing.Short() {
		large, small = 60, 20
	}
	controls, err := SnapshotControls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(ctx, engine.Options{Now: DefaultNow})
	if err != nil {
		t.Fatal(err)
	}
	v, err := document.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		n    int
		out  func(dir string) (Output, string)
	}{
		{"ndjson", large, func(dir string) (Output, string) {
			p := filepath.Join(dir, "fleet.ndjson")
			return Output{NDJSON: p}, p
		}},
		{"yaml", small, func(dir string) (Output, string) { return Output{Dir: dir}, FleetDir(dir) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the engine and the validator are safe for concurrent use
			dir := t.TempDir()
			out, input := tc.out(dir)
			f, err := New(Config{N: tc.n, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write(out, controls); err != nil {
				t.Fatal(err)
			}
			want := readExpected(t, filepath.Join(dir, ExpectedFile))
			got := NewExpected(controls)
			other := map[string]int{}
			docs := 0
			r := &scan.Runner{Engine: eng, Validator: v}
			err = r.Run(ctx, scan.Options{
				Paths:     []string{input},
				LinkPaths: []string{filepath.Join(dir, PlansFile), filepath.Join(dir, SpecsFile)},
				Workers:   2,
			}, scan.SinkFunc(func(res *scan.DocResult) error {
				for _, e := range res.Errors {
					t.Errorf("input error: %v", e)
				}
				for _, w := range res.Warnings {
					t.Errorf("warning: %v", w)
				}
				docs++
				for _, fd := range res.Findings {
					if c := got[fd.ControlID]; c != nil {
						c.Add(Status(fd.Status))
					}
					switch Status(fd.Status) {
					case Pass, Fail, InsufficientEvidence, NotApplicable:
					default:
						other[fd.ControlID+" "+string(fd.Status)]++
						t.Errorf("%s %s: %s: %s", res.Doc.Name, fd.ControlID, fd.Status, fd.Rationale)
					}
				}
				return nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			if docs != tc.n {
				t.Errorf("scanned %d documents, generated %d", docs, tc.n)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outcome counts (-expected.json +scan):\n%s", diff)
			}
			// Every fault is exercised at 60 locks and more, so a fault
			// whose outcomes are wrong cannot hide; the smaller yaml fleet
			// of -short checks the format, the ndjson one the faults.
			if tc.n >= 60 {
				injected := map[string]bool{}
				if err := f.Each(NewExpected(nil), nil, func(l *Lock) error {
					for _, name := range l.Faults {
						injected[name] = true
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				for _, ft := range Faults {
					if !injected[ft.Name] {
						t.Errorf("fault %s is not injected in %d locks (seed 7)", ft.Name, tc.n)
					}
				}
			}
			for id, c := range want {
				if c.Pass+c.Fail+c.InsufficientEvidence+c.NotApplicable != tc.n {
					t.Errorf("%s: expected counts sum to %+v, want %d documents", id, *c, tc.n)
				}
			}
		})
	}
}

func readExpected(t *testing.T, path string) Expected {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e Expected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDeterministic checks that a seed gives the same bytes twice and that
// another seed gives another fleet.
func TestDeterministic(t *testing.T) {
	gen := func(seed uint64) []byte {
		dir := t.TempDir()
		f, err := New(Config{N: 50, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "f.ndjson")
		if _, err := f.Write(Output{NDJSON: p}, []string{"ENR-001"}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := gen(1), gen(1), gen(2)
	if !bytes.Equal(a, b) {
		t.Error("seed 1 gave different fleets on two runs")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 1 and 2 gave the same fleet")
	}
}

// TestFaultsApply checks that every fault finds the template fields it edits.
func TestFaultsApply(t *testing.T) {
	f, err := New(Config{N: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, ft := range Faults {
		t.Run(ft.Name, func(t *testing.T) {
			doc := deepCopy(f.lock).(map[string]any)
			if err := ft.apply(doc); err != nil {
				t.Fatal(err)
			}
			if len(ft.Outcomes) == 0 {
				t.Error("a fault must name the outcomes it changes")
			}
		})
	}
}
