// Package importer turns device and platform dumps into LockSnapshots.
//
// A source (Matter, Z-Wave JS, Seam, …) is a pure mapping function in its own
// package: it reads one dump and returns a Snapshot per lock, built with
// Snapshot.Set so that every written field records where it came from (its
// provenance). This package does the source-independent rest: it merges an
// overlay of organisation-only facts, makes names unique, computes coverage
// against the catalogue's declared evidence, renders the snapshots
// deterministically and refuses to emit anything that carries a secret the
// source registered with the Guard.
//
// Field paths are relative to spec and dotted; a list item is addressed by its
// identity key in brackets: "device.serial_number",
// "interfaces[keypad].rate_limit.max_consecutive_failures",
// "credentials[zwave-slot-3].pin_length". Items keep the order in which they
// were first set. Rendered, a path becomes the document path the engine's
// evidence uses ("spec.credentials[0].pin_length").
package importer

import (
	"github.com/lockcheck/lockcheck/engine/document"

	"fmt"
	"strings"
)

// Annotation keys written on every imported snapshot.
const (
	AnnotationSource     = "lockcheck.dev/source"
	AnnotationSourceID   = "lockcheck.dev/source-id"
	AnnotationProvenance = document.AnnotationProvenance
	// AnnotationPrefix prefixes the dump's own timestamps
	// ("lockcheck.dev/last-interview").
	AnnotationPrefix = "lockcheck.dev/"
)

// SourceOverlay is the provenance of a value taken from the overlay.
const SourceOverlay = "overlay"

// Snapshot is one LockSnapshot under construction.
type Snapshot struct {
	// Kind is the source kind ("matter", "zwave-js", "seam").
	Kind string
	// ID is the node or device id within the source.
	ID string
	// Label is the name the source gives the lock (may be empty); the
	// metadata.name is derived from it, else from the serial number, else
	// from Kind and ID.
	Label string
	// Timestamps are the dump's own times, written as annotations
	// "lockcheck.dev/<key>" (e.g. "last-interview").
	Timestamps map[string]string
	// Labels become metadata.labels (the overlay may add some).
	Labels map[string]string

	name   string
	fields map[string]*field
	order  []string // paths in first-set order
}

type field struct {
	value  any
	source string
}

// NewSnapshot starts a snapshot for node id of a source kind.
func NewSnapshot(kind, id string) *Snapshot {
	return &Snapshot{Kind: kind, ID: id, Timestamps: map[string]string{}, Labels: map[string]string{}, fields: map[string]*field{}}
}

// Set records value at path with its source. Values are strings, bools,
// integers, float64, []string or nil (for the fields the catalogue marks
// with '?'). Setting a path again replaces it. A malformed path panics: it
// is a programming error in a mapper.
func (s *Snapshot) Set(path string, value any, source string) {
	if _, err := splitPath(path); err != nil {
		panic(fmt.Sprintf("importer: %v", err))
	}
	value = normalize(value)
	if f, ok := s.fields[path]; ok {
		f.value, f.source = value, source
		return
	}
	s.fields[path] = &field{value: value, source: source}
	s.order = append(s.order, path)
}

// Get returns the value at path and whether it is set.
func (s *Snapshot) Get(path string) (any, bool) {
	f, ok := s.fields[path]
	if !ok {
		return nil, false
	}
	return f.value, true
}

// Source returns the provenance of the value at path ("" when unset).
func (s *Snapshot) Source(path string) string {
	if f, ok := s.fields[path]; ok {
		return f.source
	}
	return ""
}

// Paths returns the set paths in first-set order.
func (s *Snapshot) Paths() []string { return append([]string(nil), s.order...) }

// Name returns metadata.name once Finish (or Batch) has assigned it.
func (s *Snapshot) Name() string { return s.name }

// Serial returns device.serial_number when set.
func (s *Snapshot) Serial() string {
	v, _ := s.Get("device.serial_number")
	str, _ := v.(string)
	return str
}

func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

// step is one segment of a path: a key, and for a list item its identity.
type step struct {
	key  string
	item string
	list bool
}

func splitPath(p string) ([]step, error) {
	if p == "" {
		return nil, fmt.Errorf("empty field path")
	}
	var out []step
	rest := p
	for rest != "" {
		var seg string
		// a bracketed key may hold dots; split at the first dot outside brackets
		depth, cut := 0, -1
		for i := 0; i < len(rest); i++ {
			switch rest[i] {
			case '[':
				depth++
			case ']':
				depth--
			case '.':
				if depth == 0 && cut < 0 {
					cut = i
				}
			}
			if cut >= 0 {
				break
			}
		}
		if cut >= 0 {
			seg, rest = rest[:cut], rest[cut+1:]
			if rest == "" {
				return nil, fmt.Errorf("field path %q ends with a dot", p)
			}
		} else {
			seg, rest = rest, ""
		}
		st := step{key: seg}
		if i := strings.IndexByte(seg, '['); i >= 0 {
			if !strings.HasSuffix(seg, "]") || i == 0 || i == len(seg)-2 {
				return nil, fmt.Errorf("field path %q: malformed list item %q", p, seg)
			}
			st = step{key: seg[:i], item: seg[i+1 : len(seg)-1], list: true}
			if strings.ContainsAny(st.item, "[]") {
				return nil, fmt.Errorf("field path %q: list item key %q holds a bracket", p, st.item)
			}
		}
		if st.key == "" || strings.ContainsAny(st.key, "[]") {
			return nil, fmt.Errorf("field path %q: malformed segment %q", p, seg)
		}
		out = append(out, st)
	}
	return out, nil
}

// GenericPath turns "credentials[zwave-slot-3].pin_length" into
// "credentials[].pin_length", the form the catalogue's evidence uses.
func GenericPath(p string) string {
	steps, err := splitPath(p)
	if err != nil {
		return p
	}
	parts := make([]string, len(steps))
	for i, st := range steps {
		parts[i] = st.key
		if st.list {
			parts[i] += "[]"
		}
	}
	return strings.Join(parts, ".")
}

// tree is the rendered spec: objects keep key order sorted on output, lists
// keep item order.
type tree struct {
	// document paths (spec.credentials[0].pin_length) → source
	prov map[string]string
	// set paths → document paths, for coverage and overlay messages
	docPath map[string]string
}

// build renders the snapshot's fields into nested maps and lists.
func (s *Snapshot) build() (map[string]any, *tree) {
	root := map[string]any{}
	// list item positions: list path (with parents' concrete indices) → item key → index
	idx := map[string]map[string]int{}
	t := &tree{prov: map[string]string{}, docPath: map[string]string{}}
	for _, p := range s.order {
		f := s.fields[p]
		steps, _ := splitPath(p)
		cur := root
		doc := "spec"
		for i, st := range steps {
			last := i == len(steps)-1
			if !st.list {
				doc += "." + st.key
				if last {
					cur[st.key] = f.value
					break
				}
				next, ok := cur[st.key].(map[string]any)
				if !ok {
					next = map[string]any{}
					cur[st.key] = next
				}
				cur = next
				continue
			}
			listDoc := doc + "." + st.key
			items, _ := cur[st.key].([]any)
			m := idx[listDoc]
			if m == nil {
				m = map[string]int{}
				idx[listDoc] = m
			}
			n, ok := m[st.item]
			if !ok {
				n = len(items)
				m[st.item] = n
				items = append(items, map[string]any{})
				cur[st.key] = items
			}
			doc = fmt.Sprintf("%s[%d]", listDoc, n)
			item := items[n].(map[string]any)
			if last {
				// the item itself carries no value; an empty item is an object
				break
			}
			cur = item
		}
		t.prov[doc] = f.source
		t.docPath[p] = doc
	}
	return root, t
}
