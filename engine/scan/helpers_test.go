package scan_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

var fixtureNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// The bundled fixtures, relative to this package.
var (
	fixtureInputs = []string{"../../fixtures/fleet", "../../fixtures/products", "../../fixtures/plans", "../../fixtures/bad"}
	fixtureLinks  = []string{"../../fixtures/plans", "../../fixtures/products"}
)

// fleetControls are the controls the generated fleets are scanned with:
// one of the cheaper controls per area that applies to a LockSnapshot
// (ENR-004 is critical and fails on some fixture snapshots, so that
// FLEET-002 has failures to count), the controls FLEET-001 aggregates
// (UPD-006, UPD-007) and the fleet controls. Worker order, shards and
// cancellation are properties of the runner, not of which controls run:
// the selection costs about a quarter of the whole catalogue per document
// while the outputs still hold passes and failures. The fixtures are
// scanned with the whole catalogue.
var fleetControls = []string{"ENR-004", "CRED-009", "AUTH-003", "UPD-006", "UPD-007", "LOG-001", "COMM-006", "RES-002", "FLEET-001", "FLEET-002", "FLEET-003"}

// runners are built once per test binary and shared: an engine is safe for
// concurrent use, and a validator too.
var runners = struct {
	once      sync.Once
	all, some *scan.Runner
	err       error
}{}

func sharedRunners(t testing.TB) (all, some *scan.Runner) {
	t.Helper()
	runners.once.Do(func() {
		v, err := document.NewValidator()
		if err != nil {
			runners.err = err
			return
		}
		ctx := context.Background()
		eng, err := engine.New(ctx, engine.Options{Now: fixtureNow})
		if err != nil {
			runners.err = err
			return
		}
		sel, err := engine.New(ctx, engine.Options{Now: fixtureNow, Controls: fleetControls})
		if err != nil {
			runners.err = err
			return
		}
		runners.all = &scan.Runner{Engine: eng, Validator: v}
		runners.some = &scan.Runner{Engine: sel, Validator: v}
	})
	if runners.err != nil {
		t.Fatal(runners.err)
	}
	// copies: a test may set Post without reaching the others
	a, s := *runners.all, *runners.some
	return &a, &s
}

// newRunner returns a runner of the whole catalogue, shared by the tests.
func newRunner(t testing.TB) *scan.Runner {
	t.Helper()
	all, _ := sharedRunners(t)
	return all
}

// fleetRunner returns a runner of fleetControls, shared by the tests.
func fleetRunner(t testing.TB) *scan.Runner {
	t.Helper()
	_, some := sharedRunners(t)
	return some
}

// collect runs a scan and returns every result in delivery order.
func collect(t testing.TB, r *scan.Runner, opts scan.Options) []*scan.DocResult {
	t.Helper()
	var out []*scan.DocResult
	err := r.Run(context.Background(), opts, scan.SinkFunc(func(res *scan.DocResult) error {
		out = append(out, res)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// render writes results as the CLI does (results, then the fleet result and
// the summary) in one format.
func render(t testing.TB, r *scan.Runner, format string, results []*scan.DocResult) string {
	t.Helper()
	var b bytes.Buffer
	w, err := report.New(format, &b, report.Options{Engine: r.Engine.(report.Engine), ToolVersion: "test", Verb: "scan", FailOn: engine.SeverityLow})
	if err != nil {
		t.Fatal(err)
	}
	agg := scan.NewAggregator(r.Engine, engine.SeverityLow)
	for _, res := range results {
		agg.Add(res)
		if err := w.Result(res); err != nil {
			t.Fatal(err)
		}
	}
	fleet, err := agg.EvaluateFleet(context.Background(), r.Engine)
	if err != nil {
		t.Fatal(err)
	}
	if fleet != nil {
		agg.Add(fleet)
		if err := w.Result(fleet); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(&report.Final{Summary: agg.Summary()}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// generatedFleet writes an NDJSON export of copies × every fixture snapshot,
// each copy with its own name and serial number, and returns its path.
func generatedFleet(t testing.TB, copies int) string {
	t.Helper()
	var snaps []map[string]any
	files, errs := document.Expand([]string{"../../fixtures/fleet"})
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	for _, f := range files {
		document.DecodeFile(f, nil, func(d *document.Document, err *document.InputError) bool {
			if err != nil {
				t.Fatal(err)
			}
			if d.Kind == document.KindLockSnapshot {
				snaps = append(snaps, d.Raw)
			}
			return true
		})
	}
	path := filepath.Join(t.TempDir(), "fleet.ndjson")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	for c := 0; c < copies; c++ {
		for _, raw := range snaps {
			// copy only the maps on the paths that change; the rest is shared
			doc := maps.Clone(raw)
			meta := maps.Clone(doc["metadata"].(map[string]any))
			doc["metadata"] = meta
			meta["name"] = fmt.Sprintf("%s-c%03d", meta["name"], c)
			spec := maps.Clone(doc["spec"].(map[string]any))
			doc["spec"] = spec
			if dev, ok := spec["device"].(map[string]any); ok {
				if sn, ok := dev["serial_number"].(string); ok {
					dev = maps.Clone(dev)
					spec["device"] = dev
					dev["serial_number"] = fmt.Sprintf("%s-c%03d", sn, c)
				}
			}
			line, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(line)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// outcome is one (document, control, status) tuple; input errors are
// tuples with the control "input-error" and the message as status.
type outcome struct{ file, index, kind, name, control, status string }

func outcomes(results []*scan.DocResult) []outcome {
	var out []outcome
	for _, r := range results {
		base := outcome{file: r.Doc.File, index: fmt.Sprint(r.Doc.Index), kind: r.Doc.Kind, name: r.Doc.Name}
		for _, f := range r.Findings {
			o := base
			o.control, o.status = f.ControlID, string(f.Status)
			out = append(out, o)
		}
		for _, e := range r.Errors {
			o := base
			o.control, o.status = "input-error", e.Error()
			out = append(out, o)
		}
		if len(r.Findings) == 0 && len(r.Errors) == 0 {
			o := base
			o.control = "not-evaluated"
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return strings.Join([]string{out[i].file, out[i].index, out[i].control, out[i].status}, "\x00") <
			strings.Join([]string{out[j].file, out[j].index, out[j].control, out[j].status}, "\x00")
	})
	return out
}
