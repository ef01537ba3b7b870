package scan

import (
	"errors"
	"testing"

	"github.com/lockcheck/lockcheck/engine/document"
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
