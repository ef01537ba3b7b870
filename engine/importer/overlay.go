package importer

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Overlay supplies the facts a device cannot know (plan_ref, site, timezone,
// owners, credential holders). The file is YAML: a map keyed by serial
// number, or by "<source>:<id>" (e.g. "zwave-js:12"), whose values hold
// optional `labels` (metadata.labels) and `spec` (a partial LockSnapshot
// spec):
//
//	KS7D-2609-004811:
//	  labels: {site: lax-mariposa-1420}
//	  spec:
//	    device: {plan_ref: mariposa-1420-rollout, timezone: America/Los_Angeles}
//	    credentials:
//	      - {credential_id: zwave-slot-1, holder_id: tenant-a, role: resident}
//
// List items are matched with the device's by their identity field (see
// ItemKeys); a list of scalars is one value.
type Overlay struct {
	File    string
	entries []overlayEntry
}

type overlayEntry struct {
	key    string
	labels map[string]string
	fields []overlayField
	used   bool
}

type overlayField struct {
	path  string
	value any
}

// ItemKeys names the identity field of each list of objects in a spec, by
// generic path.
var ItemKeys = map[string]string{
	"credentials":                    "credential_id",
	"interfaces":                     "type",
	"events":                         "event_id",
	"firmware.known_vulnerabilities": "cve_id",
	"control_paths.fabrics":          "fabric_index",
}

// Prefer says which side wins when overlay and device disagree.
type Prefer string

// The --prefer values; PreferNone makes a disagreement an input error.
const (
	PreferNone    Prefer = ""
	PreferDevice  Prefer = "device"
	PreferOverlay Prefer = "overlay"
)

// ParseOverlay reads an overlay file.
func ParseOverlay(file string, data []byte) (*Overlay, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, &InputError{File: file, Msg: "invalid YAML: " + err.Error()}
	}
	if len(root.Content) == 0 {
		return &Overlay{File: file}, nil
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &InputError{File: file, Msg: "an overlay is a map keyed by serial number or <source>:<id>"}
	}
	o := &Overlay{File: file}
	seen := map[string]bool{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key := top.Content[i].Value
		if seen[key] {
			return nil, &InputError{File: file, Path: key, Msg: "duplicate overlay entry"}
		}
		seen[key] = true
		var raw map[string]any
		if err := top.Content[i+1].Decode(&raw); err != nil {
			return nil, &InputError{File: file, Path: key, Msg: "an overlay entry is a map with labels and spec"}
		}
		e := overlayEntry{key: key, labels: map[string]string{}}
		for k, v := range raw {
			switch k {
			case "labels":
				m, ok := v.(map[string]any)
				if !ok {
					return nil, &InputError{File: file, Path: key + ".labels", Msg: "expected a map of strings"}
				}
				for lk, lv := range m {
					s, ok := lv.(string)
					if !ok {
						return nil, &InputError{File: file, Path: key + ".labels." + lk, Msg: "expected a string"}
					}
					e.labels[lk] = s
				}
			case "spec":
				m, ok := v.(map[string]any)
				if !ok {
					return nil, &InputError{File: file, Path: key + ".spec", Msg: "expected a map (a partial LockSnapshot spec)"}
				}
				if err := flatten(m, "", "", &e.fields); err != nil {
					return nil, &InputError{File: file, Path: key + ".spec." + err.path, Msg: err.msg}
				}
			default:
				return nil, &InputError{File: file, Path: key + "." + k, Msg: "unknown overlay key (expected labels or spec)"}
			}
		}
		o.entries = append(o.entries, e)
	}
	return o, nil
}

type flattenErr struct{ path, msg string }

// flatten turns a partial spec into set paths. generic is the path without
// item keys, used to look up ItemKeys.
func flatten(m map[string]any, prefix, generic string, out *[]overlayField) *flattenErr {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		p, g := join(prefix, k), join(generic, k)
		switch x := v.(type) {
		case map[string]any:
			if err := flatten(x, p, g, out); err != nil {
				return err
			}
		case []any:
			idKey, isItems := ItemKeys[g]
			if !isItems || !allMaps(x) {
				*out = append(*out, overlayField{path: p, value: normalize(x)})
				continue
			}
			for i, it := range x {
				item := it.(map[string]any)
				id, ok := item[idKey]
				if !ok {
					return &flattenErr{path: fmt.Sprintf("%s[%d]", p, i), msg: "list item lacks its identity field " + idKey}
				}
				ids := fmt.Sprint(id)
				if strings.ContainsAny(ids, "[]") || ids == "" {
					return &flattenErr{path: fmt.Sprintf("%s[%d].%s", p, i, idKey), msg: "identity must be non-empty and without brackets"}
				}
				ip := fmt.Sprintf("%s[%s]", p, ids)
				rest := map[string]any{}
				for ik, iv := range item {
					rest[ik] = iv
				}
				if err := flatten(rest, ip, g+"[]", out); err != nil {
					return err
				}
			}
		default:
			*out = append(*out, overlayField{path: p, value: normalize(v)})
		}
	}
	return nil
}

func allMaps(xs []any) bool {
	for _, x := range xs {
		if _, ok := x.(map[string]any); !ok {
			return false
		}
	}
	return len(xs) > 0
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// match finds the overlay entry for a snapshot: by serial number, then by
// "<kind>:<id>".
func (o *Overlay) match(s *Snapshot) *overlayEntry {
	if o == nil {
		return nil
	}
	keys := []string{s.Kind + ":" + s.ID}
	if sn := s.Serial(); sn != "" {
		keys = append([]string{sn}, keys...)
	}
	for _, k := range keys {
		for i := range o.entries {
			if o.entries[i].key == k {
				return &o.entries[i]
			}
		}
	}
	return nil
}

// Apply merges the overlay into s. A value both give that differs is an
// input error naming both sources unless prefer says which wins; the
// provenance then records both.
func (o *Overlay) Apply(s *Snapshot, prefer Prefer) error {
	e := o.match(s)
	if e == nil {
		return nil
	}
	e.used = true
	for k, v := range e.labels {
		s.Labels[k] = v
	}
	for _, f := range e.fields {
		src := SourceOverlay
		if cur, ok := s.fields[f.path]; ok {
			if equalValues(cur.value, f.value) {
				continue // agreement: the device's reading stands
			}
			switch prefer {
			case PreferDevice:
				cur.source = fmt.Sprintf("%s (preferred over overlay)", cur.source)
				continue
			case PreferOverlay:
				src = fmt.Sprintf("overlay (preferred over %s)", cur.source)
			default:
				return &InputError{File: o.File, Path: e.key + ".spec." + f.path,
					Msg: fmt.Sprintf("overlay gives %s, the device (%s) reports %s; fix one, or pass --prefer device|overlay", show(f.value), cur.source, show(cur.value))}
			}
		}
		s.Set(f.path, f.value, src)
	}
	return nil
}

// Unused returns the overlay keys that matched no snapshot.
func (o *Overlay) Unused() []string {
	if o == nil {
		return nil
	}
	var out []string
	for _, e := range o.entries {
		if !e.used {
			out = append(out, e.key)
		}
	}
	return out
}

func equalValues(a, b any) bool {
	return reflect.DeepEqual(normalize(a), normalize(b))
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}
