package jsontree

import (
	"reflect"
	"testing"
)

// TestClone: the copy is equal, and changing it at any depth leaves the
// original as it was.
func TestClone(t *testing.T) {
	orig := map[string]any{"spec": map[string]any{"list": []any{map[string]any{"f": 1.0}, "x"}, "n": nil}}
	want := map[string]any{"spec": map[string]any{"list": []any{map[string]any{"f": 1.0}, "x"}, "n": nil}}
	cp := Clone(orig).(map[string]any)
	if !reflect.DeepEqual(cp, orig) {
		t.Fatalf("Clone = %v, want %v", cp, orig)
	}
	spec := cp["spec"].(map[string]any)
	spec["list"].([]any)[0].(map[string]any)["f"] = 2.0
	spec["list"].([]any)[1] = "y"
	delete(spec, "n")
	if !reflect.DeepEqual(orig, want) {
		t.Errorf("changing the copy changed the original: %v", orig)
	}
	if Clone(nil) != nil || Clone("s") != "s" {
		t.Error("scalars are not returned as they are")
	}
}
