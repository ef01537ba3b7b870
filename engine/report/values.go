package report

import (
	"bytes"
	"encoding/json"
	"strings"
)

// compactJSON renders an evidence value in one line: strings unquoted when
// they are plain, everything else as compact JSON; "null" for nil.
func compactJSON(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := marshalJSON(v, "", "")
	if err != nil {
		return "?"
	}
	return string(b)
}

// marshalJSON is json.Marshal (json.MarshalIndent when indent is set)
// without HTML escaping: the reports are not embedded in HTML by this
// encoder, and a reader must see ">= 30", not "\u003e= 30". (The HTML
// report escapes through html/template.)
func marshalJSON(v any, prefix, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" || prefix != "" {
		enc.SetIndent(prefix, indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// clip shortens s to at most n runes, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// mdCell makes text safe in a Markdown table cell: one line, pipes escaped.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
