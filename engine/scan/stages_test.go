package scan

import (
	"errors"
	"testing"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// TestDeliverOrder: deliver hands results to the sink in Seq order whatever
// order they arrive in, returns one token per result, and after a sink
// error stops, delivers nothing more and still drains every result.
func TestDeliverOrder(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name      string
		arrive    []int
		failAt    int // Seq whose delivery fails; -1: none
		want      []int
		wantErr   error
		wantStops int
	}{
		{name: "in order", arrive: []int{0, 1, 2, 3}, failAt: -1, want: []int{0, 1, 2, 3}},
		{name: "reversed", arrive: []int{3, 2, 1, 0}, failAt: -1, want: []int{0, 1, 2, 3}},
		{name: "shuffled", arrive: []int{2, 0, 3, 1, 4}, failAt: -1, want: []int{0, 1, 2, 3, 4}},
		{name: "sink error", arrive: []int{1, 0, 3, 2}, failAt: 1, want: []int{0, 1}, wantErr: boom, wantStops: 1},
		{name: "empty", failAt: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			results := make(chan *DocResult, len(tc.arrive))
			tokens := make(chan struct{}, len(tc.arrive))
			for _, seq := range tc.arrive {
				results <- &DocResult{Seq: seq}
				tokens <- struct{}{}
			}
			close(results)
			var got []int
			sink := SinkFunc(func(r *DocResult) error {
				got = append(got, r.Seq)
				if r.Seq == tc.failAt {
					return boom
				}
				return nil
			})
			stops := 0
			err := deliver(results, tokens, sink, func() { stops++ })
			if !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("delivered %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("delivered %v, want %v", got, tc.want)
				}
			}
			if stops != tc.wantStops {
				t.Errorf("stop called %d times, want %d", stops, tc.wantStops)
			}
			if len(tokens) != 0 {
				t.Errorf("%d tokens left, want every token returned", len(tokens))
			}
		})
	}
}

// TestUniqueNames: a kind and name defined twice is an error on the second
// document naming the first; other kinds, and documents without a kind or
// a name, are not checked.
func TestUniqueNames(t *testing.T) {
	t.Parallel()
	doc := func(file string, index int, kind, name string) *document.Document {
		return &document.Document{File: file, Index: index, Kind: kind, Name: name}
	}
	u := uniqueNames{}
	steps := []struct {
		d       *document.Document
		wantDup bool
	}{
		{doc("a.yaml", 1, document.KindInstallPlan, "p1"), false},
		{doc("a.yaml", 2, document.KindProductSpec, "p1"), false},
		{doc("b.yaml", 0, document.KindInstallPlan, "p2"), false},
		{doc("b.yaml", 1, document.KindInstallPlan, "p1"), true},
		{doc("c.yaml", 0, "", "p1"), false},
		{doc("c.yaml", 1, document.KindInstallPlan, ""), false},
		{doc("c.yaml", 2, document.KindInstallPlan, ""), false},
	}
	for i, s := range steps {
		err := u.check(s.d)
		if (err != nil) != s.wantDup {
			t.Fatalf("step %d (%s %q): err = %v, want duplicate %v", i, s.d.Kind, s.d.Name, err, s.wantDup)
		}
		if err != nil && (err.File != s.d.File || err.Index != s.d.Index || err.Path != "metadata.name") {
			t.Errorf("step %d: error at %s#%d %s, want %s#%d metadata.name", i, err.File, err.Index, err.Path, s.d.File, s.d.Index)
		}
	}
}

// TestScoreProduct: a product's score weighs each applicable finding by its
// severity, its pass rate does not, and a failing or not evidenced critical
// control blocks it.
func TestScoreProduct(t *testing.T) {
	t.Parallel()
	a := &Aggregator{weights: map[finding.Severity]float64{finding.SeverityCritical: 3, finding.SeverityLow: 1}}
	r := &DocResult{
		Doc: finding.DocRef{File: "p.yaml", Index: 1, Kind: document.KindProductSpec, Name: "acme"},
		Findings: []finding.Finding{
			{ControlID: "AUTH-001", Area: "AUTH", Severity: finding.SeverityCritical, Status: finding.StatusPass},
			{ControlID: "AUTH-002", Area: "AUTH", Severity: finding.SeverityCritical, Status: finding.StatusInsufficientEvidence, Missing: []string{"spec.b", "spec.a"}},
			{ControlID: "UPD-001", Area: "UPD", Severity: finding.SeverityLow, Status: finding.StatusPass, Missing: []string{"spec.a"}},
			{ControlID: "UPD-002", Area: "UPD", Severity: finding.SeverityLow, Status: finding.StatusNotApplicable},
		},
	}
	got := a.scoreProduct(r)
	if got.Name != "acme" || got.File != "p.yaml" {
		t.Errorf("name, file = %q, %q", got.Name, got.File)
	}
	if got.Score != 57.1 { // (3+1)/(3+3+1)
		t.Errorf("score = %v, want 57.1", got.Score)
	}
	if got.PassRate != 66.7 { // 2 of 3 applicable
		t.Errorf("pass rate = %v, want 66.7", got.PassRate)
	}
	if got.Recommendation != NotRecommended || len(got.Blocking) != 1 || got.Blocking[0] != "AUTH-002" {
		t.Errorf("recommendation %q, blocking %v; want %q, [AUTH-002]", got.Recommendation, got.Blocking, NotRecommended)
	}
	if len(got.MissingFields) != 2 || got.MissingFields[0] != "spec.a" || got.MissingFields[1] != "spec.b" {
		t.Errorf("missing fields = %v, want [spec.a spec.b]", got.MissingFields)
	}
	if got.ByArea["AUTH"].Pass != 1 || got.ByArea["UPD"].NA != 1 || got.Statuses["AUTH-002"] != finding.StatusInsufficientEvidence {
		t.Errorf("by area %v, statuses %v", got.ByArea, got.Statuses)
	}
}
