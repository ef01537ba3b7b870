package document

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decodeAll decodes src in one format and returns what the handler got: the
// names of the documents and the text of the errors, in order.
func decodeAll(t *testing.T, name string, src string, format Format) (names, errs []string) {
	t.Helper()
	Decode(name, bufio.NewReader(strings.NewReader(src)), format, func(d *Document, e *InputError) bool {
		if e != nil {
			errs = append(errs, e.Error())
		} else {
			names = append(names, d.Name)
		}
		return true
	})
	return names, errs
}

func jsonDoc(name, spec string) string {
	return `{"apiVersion":"lockcheck.dev/v1alpha1","kind":"LockSnapshot","metadata":{"name":"` + name + `"},"spec":` + spec + `}`
}

// TestDecodeJSONIntegrity: JSON and NDJSON refuse what YAML refuses (a key
// given twice in one object, invalid UTF-8), accept what YAML accepts (a
// byte-order mark), and every problem has a line, and a column where the
// format allows.
func TestDecodeJSONIntegrity(t *testing.T) {
	// Inside the document object, the 10000th '[' is one level too deep.
	deep := strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth)
	cases := []struct {
		name   string
		file   string
		format Format
		src    string
		docs   []string
		errs   []string
	}{
		{
			name: "duplicate key turns a fail into a pass (ndjson)", file: "f.ndjson", format: FormatNDJSON,
			src:  jsonDoc("a", `{"default_credential_active": true, "default_credential_active": false}`) + "\n",
			errs: []string{`f.ndjson:1:129 (doc 1): spec.default_credential_active: duplicate key "default_credential_active" (first defined at line 1)`},
		},
		{
			name: "duplicate key on its own line (json)", file: "f.json", format: FormatJSON,
			src:  "{\"apiVersion\": \"lockcheck.dev/v1alpha1\",\n \"kind\": \"LockSnapshot\",\n \"metadata\": {\"name\": \"a\"},\n \"spec\": {\n  \"power\": {\"battery_percent\": 80,\n   \"battery_percent\": 5}}}\n",
			errs: []string{`f.json:6:4 (doc 1): spec.power.battery_percent: duplicate key "battery_percent" (first defined at line 5)`},
		},
		{
			name: "duplicate key spelled with an escape", file: "f.json", format: FormatJSON,
			src:  jsonDoc("a", `{"x": 1, "\u0078": 2}`),
			errs: []string{`f.json:1:102 (doc 1): spec.x: duplicate key "x" (first defined at line 1)`},
		},
		{
			name: "duplicate key in a list item", file: "f.json", format: FormatJSON,
			src:  jsonDoc("a", `{"credentials": [{"role": "guest"}, {"role": "guest", "role": "owner"}]}`),
			errs: []string{`f.json:1:147 (doc 1): spec.credentials[1].role: duplicate key "role" (first defined at line 1)`},
		},
		{
			name: "duplicate envelope key", file: "f.ndjson", format: FormatNDJSON,
			src:  `{"kind":"LockSnapshot","kind":"Waiver"}` + "\n",
			errs: []string{`f.ndjson:1:24 (doc 1): kind: duplicate key "kind" (first defined at line 1)`},
		},
		{
			name: "only the document with the duplicate is refused (json list)", file: "f.json", format: FormatJSON,
			src:  "[\n" + jsonDoc("a", "{}") + ",\n" + jsonDoc("b", `{"x":1,"x":1}`) + ",\n" + jsonDoc("c", "{}") + "\n]\n",
			docs: []string{"a", "c"},
			errs: []string{`f.json:3:100 (doc 2): spec.x: duplicate key "x" (first defined at line 3)`},
		},
		{
			name: "only the line with the duplicate is refused (ndjson)", file: "f.ndjson", format: FormatNDJSON,
			src:  jsonDoc("a", "{}") + "\n" + jsonDoc("b", `{"x":1,"x":1}`) + "\n" + jsonDoc("c", "{}") + "\n",
			docs: []string{"a", "c"},
			errs: []string{`f.ndjson:2:100 (doc 2): spec.x: duplicate key "x" (first defined at line 2)`},
		},
		{
			name: "equal keys in different objects are fine", file: "f.json", format: FormatJSON,
			src:  jsonDoc("a", `{"a": {"x": 1}, "b": {"x": 1}, "l": [{"x": 1}, {"x": 2}]}`),
			docs: []string{"a"},
		},
		{
			name: "byte-order mark (json)", file: "f.json", format: FormatJSON,
			src:  "\uFEFF" + jsonDoc("a", "{}"),
			docs: []string{"a"},
		},
		{
			name: "byte-order mark (ndjson)", file: "f.ndjson", format: FormatNDJSON,
			src:  "\uFEFF" + jsonDoc("a", "{}") + "\n" + jsonDoc("b", "{}") + "\n",
			docs: []string{"a", "b"},
		},
		{
			name: "byte-order mark (json list)", file: "f.json", format: FormatJSON,
			src:  "\uFEFF[" + jsonDoc("a", "{}") + "]",
			docs: []string{"a"},
		},
		{
			name: "a byte-order mark inside the file is not skipped", file: "f.ndjson", format: FormatNDJSON,
			src:  jsonDoc("a", "{}") + "\n\uFEFF" + jsonDoc("b", "{}") + "\n",
			docs: []string{"a"},
			errs: []string{`f.ndjson:2:1 (doc 2): invalid JSON: unexpected byte 0xef where a value should start`},
		},
		{
			name: "invalid UTF-8 (json)", file: "f.json", format: FormatJSON,
			src:  "{\"apiVersion\":\"lockcheck.dev/v1alpha1\",\n\"kind\":\"LockSnapshot\",\"metadata\":{\"name\":\"x\xff\"},\"spec\":{}}",
			errs: []string{`f.json:2:44 (doc 1): metadata.name: invalid UTF-8 (byte 0xff in a string): the file must be UTF-8 text`},
		},
		{
			name: "invalid UTF-8 in a key (ndjson)", file: "f.ndjson", format: FormatNDJSON,
			src:  jsonDoc("a", "{\"\xc3x\": 1}") + "\n",
			errs: []string{`f.ndjson:1:95 (doc 1): spec: invalid UTF-8 (byte 0xc3 in a string): the file must be UTF-8 text`},
		},
		{
			name: "valid UTF-8 counts characters in the column", file: "f.json", format: FormatJSON,
			src:  `{"metadata": {"name": "Türschloss"}, "x": 1, "x": 2}`,
			errs: []string{`f.json:1:46 (doc 1): x: duplicate key "x" (first defined at line 1)`},
		},
		{
			name: "deep nesting (json)", file: "f.json", format: FormatJSON,
			src:  "{\"apiVersion\": \"lockcheck.dev/v1alpha1\",\n\"spec\": " + deep + "}",
			errs: []string{`f.json:2:10008 (doc 1): invalid JSON: nested deeper than 10000 levels`},
		},
		{
			name: "deep nesting (ndjson)", file: "f.ndjson", format: FormatNDJSON,
			src:  jsonDoc("a", "{}") + "\n" + `{"spec": ` + deep + "}\n",
			docs: []string{"a"},
			errs: []string{`f.ndjson:2:10009 (doc 2): invalid JSON: nested deeper than 10000 levels`},
		},
		{
			name: "truncated (json)", file: "f.json", format: FormatJSON,
			src:  "{\"spec\": {\n\"x\": [1,\n",
			errs: []string{`f.json:3:1 (doc 1): invalid JSON: unexpected end of input (the document is truncated)`},
		},
		{
			name: "syntax error has line and column", file: "f.json", format: FormatJSON,
			src:  "{\"spec\": {\n  \"x\": tru }}",
			errs: []string{`f.json:2:8 (doc 1): invalid JSON: invalid literal (expected true)`},
		},
		{
			name: "documents before a syntax error are read (json list)", file: "f.json", format: FormatJSON,
			src:  "[" + jsonDoc("a", "{}") + "\n" + jsonDoc("b", "{}") + "]",
			docs: []string{"a"},
			errs: []string{`f.json:2:1 (doc 2): invalid JSON: unexpected character '{' after a document in the list (expected ',' or ']')`},
		},
		{
			name: "two values on an ndjson line", file: "f.ndjson", format: FormatNDJSON,
			src:  jsonDoc("a", "{}") + " {}\n",
			errs: []string{`f.ndjson:1:97 (doc 1): invalid JSON: more than one value on the line (NDJSON has one document per line)`},
		},
		{
			name: "concatenated objects (json)", file: "f.json", format: FormatJSON,
			src:  jsonDoc("a", "{}") + "\n" + jsonDoc("b", "{}"),
			docs: []string{"a", "b"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs, errs := decodeAll(t, c.file, c.src, c.format)
			if !reflect.DeepEqual(docs, c.docs) || !reflect.DeepEqual(errs, c.errs) {
				t.Errorf("documents %q, errors:\n%s\nwant documents %q, errors:\n%s", docs, strings.Join(errs, "\n"), c.docs, strings.Join(c.errs, "\n"))
			}
		})
	}
}

// TestDecodeYAMLInvalidUTF8HasLine: the YAML library names no position for
// invalid UTF-8; the decoder finds it.
func TestDecodeYAMLInvalidUTF8HasLine(t *testing.T) {
	src := "apiVersion: lockcheck.dev/v1alpha1\nkind: LockSnapshot\nmetadata:\n  name: \"Tür-\xff\"\nspec: {}\n"
	// Past the YAML reader's first chunk too.
	long := "# " + strings.Repeat("é", 3000) + "\n" + src
	for _, c := range []struct{ src, want string }{
		{src, "f.yaml:4:14 (doc 1): invalid YAML: invalid UTF-8 (byte 0xff): the file must be UTF-8 text"},
		{long, "f.yaml:5:14 (doc 1): invalid YAML: invalid UTF-8 (byte 0xff): the file must be UTF-8 text"},
	} {
		_, errs := decodeAll(t, "f.yaml", c.src, FormatYAML)
		if len(errs) != 1 || errs[0] != c.want {
			t.Errorf("errors %q, want %q", errs, c.want)
		}
	}
}

// TestDecodeStdinSniffsPastBOM: a JSON stream on stdin that starts with a
// byte-order mark is still read as JSON.
func TestDecodeStdinSniffsPastBOM(t *testing.T) {
	var names []string
	DecodeFile("-", strings.NewReader("\uFEFF"+jsonDoc("a", "{}")+"\n"+jsonDoc("b", "{}")+"\n"), func(d *Document, e *InputError) bool {
		if e != nil {
			t.Fatal(e)
		}
		names = append(names, d.Name)
		return true
	})
	if !reflect.DeepEqual(names, []string{"a", "b"}) {
		t.Errorf("read %q", names)
	}
}

// FuzzJSONParser compares the parser with encoding/json on one value: both
// accept the same texts and give the same values, except that the parser
// also refuses duplicate keys and invalid UTF-8.
func FuzzJSONParser(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":[true,false,null,-0.5e+3,"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x"]}`,
		`{"a":{"b":{}},"c":[[],[{}]]}`, `[1,2`, `{"a" 1}`, `"\u12"`, `01`, `-`, `1.`, `1e`, `"é"`, "\"\x01\"",
		`{"a":1,"a":2}`, "\"\xff\"", ` [ 1 , { "k" : "v" } ] `, `nul`, `{"a":1,}`, `[1,]`, `"\ud83d"`, `"\udc00\ud83d\ude00"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newJSONParser(data, 1)
		got := p.value(0)
		parsed := p.fatal == nil && p.atEnd()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		err := dec.Decode(&want)
		std := err == nil && len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) == 0
		switch {
		case parsed && !std:
			t.Fatalf("parser accepts what encoding/json refuses: %q", data)
		case !parsed && std && !bytes.Contains(data, []byte(strings.Repeat("[", 100))) && !bytes.Contains(data, []byte(strings.Repeat("{\"\":", 100))):
			t.Fatalf("parser refuses what encoding/json accepts: %q: %+v", data, p.fatal)
		case parsed && p.soft == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("%q: parser %#v, encoding/json %#v", data, got, want)
		}
	})
}
