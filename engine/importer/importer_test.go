package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

func sample() *Snapshot {
	s := NewSnapshot("test", "7")
	s.Set("device.serial_number", "SN-1", "test:serial")
	s.Set("interfaces[keypad].type", "keypad", "test:pin")
	s.Set("interfaces[keypad].rate_limit.max_consecutive_failures", 5, "test:wrong")
	s.Set("credentials[slot-2].credential_id", "slot-2", "test:slot2")
	s.Set("credentials[slot-10].credential_id", "slot-10", "test:slot10")
	s.Set("credentials[slot-10].pin_length", 6, "test:slot10")
	return s
}

func TestBuildProvenance(t *testing.T) {
	s := sample()
	assignNames([]*Snapshot{s})
	doc := s.Document()
	prov := document.Provenance(doc)
	want := map[string]string{
		"spec.device.serial_number":                              "test:serial",
		"spec.interfaces[0].type":                                "test:pin",
		"spec.interfaces[0].rate_limit.max_consecutive_failures": "test:wrong",
		"spec.credentials[0].credential_id":                      "test:slot2",
		"spec.credentials[1].credential_id":                      "test:slot10",
		"spec.credentials[1].pin_length":                         "test:slot10",
	}
	if len(prov) != len(want) {
		t.Fatalf("provenance = %v, want %v", prov, want)
	}
	for k, v := range want {
		if prov[k] != v {
			t.Errorf("provenance[%s] = %q, want %q", k, prov[k], v)
		}
	}
	if s.Name() != "sn-1" {
		t.Errorf("name = %q, want sn-1 (from the serial number)", s.Name())
	}
	for _, c := range []struct{ path, want string }{
		{"spec.interfaces[0].rate_limit", "test:wrong"},
		{"spec.credentials[1].pin_length", "test:slot10"},
		{"spec.credentials", "test:slot10, test:slot2"},
		{"spec.power.battery_percent", ""},
	} {
		if got := document.SourceOf(prov, c.path); got != c.want {
			t.Errorf("SourceOf(%s) = %q, want %q", c.path, got, c.want)
		}
	}
}

func TestEncodeDeterministic(t *testing.T) {
	for _, f := range []Format{FormatYAML, FormatJSON, FormatNDJSON} {
		a, b := sample(), sample()
		assignNames([]*Snapshot{a})
		assignNames([]*Snapshot{b})
		x, err := a.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		y, _ := b.Encode(f)
		if string(x) != string(y) {
			t.Errorf("%s: two encodings differ", f)
		}
	}
}

func TestNames(t *testing.T) {
	a, b, c := NewSnapshot("matter", "1"), NewSnapshot("matter", "2"), NewSnapshot("matter", "3")
	a.Label, b.Label = "Front Door!", "front  door"
	assignNames([]*Snapshot{a, b, c})
	got := []string{a.Name(), b.Name(), c.Name()}
	want := []string{"front-door", "front-door-2", "matter-3"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("names = %v, want %v", got, want)
			break
		}
	}
}

func TestOverlay(t *testing.T) {
	ov := []byte(`
SN-1:
  labels: {site: hq}
  spec:
    device: {plan_ref: plan-a}
    interfaces:
      - {type: keypad, rate_limit: {max_consecutive_failures: 3}}
    credentials:
      - {credential_id: slot-2, holder_id: alice, role: resident}
test:99:
  spec: {device: {site_id: nowhere}}
`)
	for _, c := range []struct {
		prefer  Prefer
		wantErr string
		want    any
		source  string
	}{
		{PreferNone, "overlay gives 3, the device (test:wrong) reports 5", nil, ""},
		{PreferDevice, "", int64(5), "test:wrong (preferred over overlay)"},
		{PreferOverlay, "", int64(3), "overlay (preferred over test:wrong)"},
	} {
		o, err := ParseOverlay("ov.yaml", ov)
		if err != nil {
			t.Fatal(err)
		}
		s := sample()
		err = o.Apply(s, c.prefer)
		if c.wantErr != "" {
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), "ov.yaml") {
				t.Errorf("prefer %q: err = %v, want an input error with %q", c.prefer, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("prefer %q: %v", c.prefer, err)
		}
		p := "interfaces[keypad].rate_limit.max_consecutive_failures"
		if v, _ := s.Get(p); v != c.want || s.Source(p) != c.source {
			t.Errorf("prefer %q: %s = %v from %q, want %v from %q", c.prefer, p, v, s.Source(p), c.want, c.source)
		}
		if v, _ := s.Get("credentials[slot-2].holder_id"); v != "alice" || s.Source("credentials[slot-2].holder_id") != SourceOverlay {
			t.Errorf("overlay holder not merged into the device's slot-2: %v", v)
		}
		if s.Labels["site"] != "hq" {
			t.Errorf("labels = %v", s.Labels)
		}
		if u := o.Unused(); len(u) != 1 || u[0] != "test:99" {
			t.Errorf("unused = %v, want [test:99]", u)
		}
	}
}

func TestCoverage(t *testing.T) {
	s := sample()
	ctls := []*finding.Control{
		{ID: "A-1", AppliesTo: []string{"LockSnapshot"}, Evidence: map[string][]string{"LockSnapshot": {"spec.interfaces[].rate_limit.max_consecutive_failures"}}},
		{ID: "A-2", AppliesTo: []string{"LockSnapshot"}, Evidence: map[string][]string{"LockSnapshot": {"spec.credentials[].holder_id", "plan:spec.x"}}},
		{ID: "A-3", AppliesTo: []string{"LockSnapshot"}, Evidence: map[string][]string{"LockSnapshot": {"spec.events[].type"}}},
		{ID: "P-1", AppliesTo: []string{"ProductSpec"}, Evidence: map[string][]string{"ProductSpec": {"spec.a"}}},
	}
	c := CoverageOf(s, NeedsFrom(ctls))
	if got := strings.Join(c.NeedOverlay, ","); got != "A-2,A-3" {
		t.Errorf("need overlay = %s, want A-2,A-3", got)
	}
	if got := strings.Join(c.Absent, ","); got != "spec.credentials[].holder_id,spec.events" {
		t.Errorf("absent = %s", got)
	}
	if len(c.FromDevice) != 6 || len(c.FromOverlay) != 0 {
		t.Errorf("from device %v, overlay %v", c.FromDevice, c.FromOverlay)
	}
}

func TestGuard(t *testing.T) {
	var g Guard
	g.Add("4711")
	g.Add("90210555")
	for _, c := range []struct {
		v  any
		ok bool
	}{
		{"SN-47110", true}, // a short secret only as a whole value
		{"4711", false},
		{"code 90210555 leaked", false},
		{map[string]any{"a": []any{"x", "4711"}}, false},
		{map[string]any{"a": int64(4711)}, true},
	} {
		err := g.CheckTree(c.v)
		if (err == nil) != c.ok {
			t.Errorf("CheckTree(%v) = %v, want ok %v", c.v, err, c.ok)
		}
		if err != nil && strings.Contains(err.Error(), "4711") {
			t.Errorf("the guard's error quotes the secret")
		}
	}
}
