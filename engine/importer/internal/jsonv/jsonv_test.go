package jsonv

import (
	"sort"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	for _, c := range []struct {
		in, kind, err string
	}{
		{`{"a": 1}`, "an object", ""},
		{"{\"a\": 1}\n{\"b\": 2}\n", "a list", ""}, // a message stream
		{`[1, 2]`, "a list", ""},
		{`{"a": `, "", "invalid JSON: truncated"},
		{``, "", "invalid JSON: truncated"},
		{`{"a": 1} x`, "", "invalid JSON at line 1"},
	} {
		v, err := Decode([]byte(c.in))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || Kind(v) != c.kind {
			t.Errorf("%q: %s, %v; want %s", c.in, Kind(v), err, c.kind)
		}
	}
}

func TestUnwrapHA(t *testing.T) {
	inner := map[string]any{"node_id": 1}
	for _, c := range []struct {
		in   map[string]any
		want bool
	}{
		{map[string]any{"home_assistant": map[string]any{}, "data": inner}, true},
		{map[string]any{"integration_manifest": map[string]any{}, "data": inner}, true},
		{map[string]any{"data": inner}, true},
		{map[string]any{"data": inner, "node_id": 2}, false}, // a node with a data field
	} {
		got := UnwrapHA(c.in)
		if m, _ := got.(map[string]any); (m["node_id"] == 1) != c.want {
			t.Errorf("UnwrapHA(%v) = %v", c.in, got)
		}
	}
}

func TestWalkSecrets(t *testing.T) {
	v, _ := Decode([]byte(`{"userCode": "4711", "pinCode": 123456, "setup_pin_code": "20202021",
		"credentialData": ["98765432"], "pin": "007", "keepAwake": "longvalue", "shipping": "xyzw",
		"99-0-userCode-1": {"label": "User Code (1)", "value": "1212"},
		"nested": [{"passcode": "abcdef"}]}`))
	var got []string
	WalkSecrets(v, func(s string) { got = append(got, s) })
	sort.Strings(got)
	want := "123456,20202021,4711,98765432,abcdef"
	if strings.Join(got, ",") != want {
		t.Errorf("secrets = %v, want %s (short values and objects under a secret key are not collected; keepAwake and shipping are not secrets)", got, want)
	}
}
