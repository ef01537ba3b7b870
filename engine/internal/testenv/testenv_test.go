package testenv

import "testing"

func TestInCI(t *testing.T) {
	for _, tt := range []struct {
		val  string
		want bool
	}{{"true", true}, {"1", true}, {"TRUE", true}, {"false", false}, {"", false}, {"yes-please", false}} {
		t.Setenv("CI", tt.val)
		if got := InCI(); got != tt.want {
			t.Errorf("CI=%q: InCI() = %v, want %v", tt.val, got, tt.want)
		}
	}
}

// TestMissingFailsInCI runs Missing in a fake test so that its Fatal can be
// observed without failing this one.
func TestMissingFailsInCI(t *testing.T) {
	for _, tt := range []struct {
		ci                 string
		wantFail, wantSkip bool
	}{{"true", true, false}, {"", false, true}} {
		t.Setenv("CI", tt.ci)
		ft := &fakeT{}
		func() {
			defer func() { recover() }() // fakeT stops with a panic, as Goexit would
			Missing(ft, "tool %s not found", "x")
		}()
		if ft.failed != tt.wantFail || ft.skipped != tt.wantSkip {
			t.Errorf("CI=%q: failed=%v skipped=%v, want failed=%v skipped=%v", tt.ci, ft.failed, ft.skipped, tt.wantFail, tt.wantSkip)
		}
	}
}

type fakeT struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Fatalf(string, ...any) { f.failed = true; panic("fatal") }
func (f *fakeT) Skip(...any)           { f.skipped = true; panic("skip") }

// TestExternalToolSkipsOnlyShortOutsideCI: an external validator is skipped
// only under -short outside CI.
func TestExternalToolSkipsOnlyShortOutsideCI(t *testing.T) {
	for _, tt := range []struct {
		ci          string
		short, skip bool
	}{{"", true, true}, {"true", true, false}, {"", false, false}, {"true", false, false}} {
		t.Setenv("CI", tt.ci)
		ft := &fakeT{}
		func() {
			defer func() { recover() }()
			externalTool(ft, tt.short, "chromium")
		}()
		if ft.skipped != tt.skip {
			t.Errorf("CI=%q short=%v: skipped=%v, want %v", tt.ci, tt.short, ft.skipped, tt.skip)
		}
	}
}
