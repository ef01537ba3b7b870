package document

import (
	"encoding/json"
	"sort"
	"strings"
)

// AnnotationProvenance is the metadata annotation in which an imported
// document records, as a JSON object, where each field came from: document
// path ("spec.interfaces[0].rate_limit.max_consecutive_failures") → source
// ("matter:1/257/48", "zwave-js:cc98/operationType", "overlay").
const AnnotationProvenance = "lockcheck.dev/provenance"

// Provenance reads the lockcheck.dev/provenance annotation of a decoded
// document's raw value: document path → source. Nil when absent or not a
// JSON object of strings.
func Provenance(raw map[string]any) map[string]string {
	md, _ := raw["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	s, _ := ann[AnnotationProvenance].(string)
	if s == "" {
		return nil
	}
	var m map[string]string
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	return m
}

// SourceOf finds the provenance of a document path in a provenance map: the
// path itself, else its nearest parent, else the sources of the fields under
// it (joined, sorted).
func SourceOf(prov map[string]string, path string) string {
	if len(prov) == 0 || path == "" {
		return ""
	}
	for p := path; p != ""; p = docParent(p) {
		if s, ok := prov[p]; ok {
			return s
		}
	}
	seen := map[string]bool{}
	for k, v := range prov {
		if len(k) > len(path) && k[:len(path)] == path && (k[len(path)] == '.' || k[len(path)] == '[') {
			seen[v] = true
		}
	}
	if len(seen) == 0 {
		return ""
	}
	srcs := make([]string, 0, len(seen))
	for s := range seen {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	return strings.Join(srcs, ", ")
}

func docParent(p string) string {
	if n := len(p); n > 0 && p[n-1] == ']' {
		for i := n - 1; i >= 0; i-- {
			if p[i] == '[' {
				return p[:i]
			}
		}
	}
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[:i]
		}
	}
	return ""
}
