// Package jsontree works on decoded JSON and YAML values: map[string]any,
// []any and scalars, as a document's Raw or the policy data tree hold them.
package jsontree

// Clone returns a deep copy of v: maps and lists are copied at every level,
// scalars are shared (they are immutable).
func Clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = Clone(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = Clone(e)
		}
		return s
	}
	return v
}
