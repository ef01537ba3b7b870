package scan

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// fleetEngine is an Engine with one fleet control whose finding (or error)
// is fixed: it lets the fleet step be tested without compiling policies.
type fleetEngine struct {
	status finding.Status
	err    error
	docs   []*document.Document // the documents evaluated
}

var fleetControl = &finding.Control{ID: "FLEET-001", Title: "fleet", Area: "fleet", Severity: finding.SeverityHigh, AppliesTo: []string{KindFleet}}

func (e *fleetEngine) Evaluate(_ context.Context, doc *document.Document, _ finding.Related) ([]finding.Finding, error) {
	e.docs = append(e.docs, doc)
	if e.err != nil {
		return nil, e.err
	}
	return []finding.Finding{{ControlID: fleetControl.ID, Severity: fleetControl.Severity, Status: e.status, Document: finding.RefOf(doc)}}, nil
}
func (e *fleetEngine) Controls() []*finding.Control { return []*finding.Control{fleetControl} }
func (e *fleetEngine) Selected() []*finding.Control { return []*finding.Control{fleetControl} }
func (e *fleetEngine) Control(id string) (*finding.Control, bool) {
	return fleetControl, id == fleetControl.ID
}
func (e *fleetEngine) Now() time.Time         { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
func (e *fleetEngine) Version() string        { return "test" }
func (e *fleetEngine) Digest() string         { return "sha256:test" }
func (e *fleetEngine) ParamsDigest() string   { return "sha256:params" }
func (e *fleetEngine) Params() map[string]any { return nil }

// TestAddFleet: the fleet step evaluates the fleet controls once over the
// aggregates, counts the result in the summary and hands it to the sink;
// with no lock snapshot there is nothing to evaluate; an evaluation error
// is returned with nothing counted or delivered; a sink error is returned
// with the result counted.
func TestAddFleet(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	lock := &DocResult{
		Doc:        finding.DocRef{File: "a.yaml", Index: 1, Kind: document.KindLockSnapshot, Name: "unit-1", Site: "s1"},
		Findings:   []finding.Finding{{ControlID: "UPD-006", Severity: finding.SeverityHigh, Status: finding.StatusPass}},
		CapturedAt: "2026-11-25T11:00:00Z",
	}
	for _, tc := range []struct {
		name        string
		locks       []*DocResult
		evalErr     error
		sinkErr     error
		wantErr     error
		wantResult  bool
		wantEvals   int
		wantSunk    int
		wantCounted int // 1 when the fleet result is counted in the summary (one document, one failing finding)
	}{
		{name: "no lock snapshots", wantEvals: 0},
		{name: "one site", locks: []*DocResult{lock}, wantResult: true, wantEvals: 1, wantSunk: 1, wantCounted: 1},
		{name: "evaluation fails", locks: []*DocResult{lock}, evalErr: boom, wantErr: boom, wantEvals: 1},
		{name: "sink fails", locks: []*DocResult{lock}, sinkErr: boom, wantErr: boom, wantResult: true, wantEvals: 1, wantSunk: 1, wantCounted: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eng := &fleetEngine{status: finding.StatusFail, err: tc.evalErr}
			agg := NewAggregator(eng, finding.SeverityLow)
			for _, r := range tc.locks {
				agg.Add(r)
			}
			before := agg.Summary().Documents
			var sunk []*DocResult
			r, err := agg.AddFleet(context.Background(), eng, SinkFunc(func(r *DocResult) error {
				sunk = append(sunk, r)
				return tc.sinkErr
			}))
			if !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if (r != nil) != tc.wantResult {
				t.Errorf("result %+v, want one: %v", r, tc.wantResult)
			}
			if len(eng.docs) != tc.wantEvals {
				t.Fatalf("%d evaluations, want %d", len(eng.docs), tc.wantEvals)
			}
			if tc.wantEvals > 0 && eng.docs[0].Kind != KindFleet {
				t.Errorf("evaluated a %s, want the %s document", eng.docs[0].Kind, KindFleet)
			}
			if len(sunk) != tc.wantSunk || (len(sunk) > 0 && sunk[0] != r) {
				t.Errorf("delivered %v, want the result %d time(s)", sunk, tc.wantSunk)
			}
			s := agg.Summary()
			if got := s.Statuses[finding.StatusFail]; got != tc.wantCounted {
				t.Errorf("summary counts %d failing findings, want %d", got, tc.wantCounted)
			}
			if counted := s.Documents - before; counted != tc.wantCounted {
				t.Errorf("summary counted %d more documents, want %d", counted, tc.wantCounted)
			}
		})
	}
}
