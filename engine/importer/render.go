package importer

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Format is an output encoding of imported snapshots.
type Format string

// The formats.
const (
	FormatYAML   Format = "yaml"
	FormatJSON   Format = "json"
	FormatNDJSON Format = "ndjson"
)

// ParseFormat validates a --format value.
func ParseFormat(s string) (Format, bool) {
	switch Format(s) {
	case FormatYAML, FormatJSON, FormatNDJSON:
		return Format(s), true
	}
	return "", false
}

// Ext is the file name extension for a format.
func (f Format) Ext() string { return "." + string(f) }

type docOut struct {
	APIVersion string         `json:"apiVersion" yaml:"apiVersion"`
	Kind       string         `json:"kind" yaml:"kind"`
	Metadata   metaOut        `json:"metadata" yaml:"metadata"`
	Spec       map[string]any `json:"spec" yaml:"spec"`
}

type metaOut struct {
	Name        string            `json:"name" yaml:"name"`
	Labels      map[string]string `json:"labels,omitempty" yaml:"labels,omitempty"`
	Annotations map[string]string `json:"annotations" yaml:"annotations"`
}

// Document returns the snapshot as a LockSnapshot document (JSON-compatible
// values), with its annotations.
func (s *Snapshot) Document() map[string]any {
	d := s.doc()
	b, _ := json.Marshal(d)
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

func (s *Snapshot) doc() docOut {
	spec, t := s.build()
	spec["source"] = map[string]any{"tool": "lockcheck import " + s.Kind}
	ann := map[string]string{
		AnnotationSource:   s.Kind,
		AnnotationSourceID: s.ID,
	}
	for k, v := range s.Timestamps {
		ann[AnnotationPrefix+k] = v
	}
	prov, _ := json.Marshal(t.prov) // map keys are sorted
	ann[AnnotationProvenance] = string(prov)
	m := metaOut{Name: s.name, Annotations: ann}
	if len(s.Labels) > 0 {
		m.Labels = s.Labels
	}
	return docOut{APIVersion: "lockcheck.dev/v1alpha1", Kind: "LockSnapshot", Metadata: m, Spec: spec}
}

// Encode renders one snapshot in a format. The same snapshot always gives
// the same bytes: maps are written with sorted keys, lists in item order.
func (s *Snapshot) Encode(f Format) ([]byte, error) {
	d := s.doc()
	var b bytes.Buffer
	switch f {
	case FormatYAML:
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("encode %s: %w", s.name, err)
		}
		_ = enc.Close()
	case FormatJSON:
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("encode %s: %w", s.name, err)
		}
	case FormatNDJSON:
		enc := json.NewEncoder(&b)
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("encode %s: %w", s.name, err)
		}
	default:
		return nil, fmt.Errorf("unknown format %q", f)
	}
	return b.Bytes(), nil
}
