package document

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones for the iana-timezone format on hosts without zoneinfo

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed schemas/*.json
var schemaFiles embed.FS

// schemaBaseURL is the $id prefix of the embedded schemas.
const schemaBaseURL = "https://lockcheck.dev/schemas/v1alpha1/"

// AllKinds lists every kind the validator accepts, sorted: the evaluated
// kinds plus Waiver.
var AllKinds = []string{KindInstallPlan, KindLockSnapshot, KindProductSpec, KindWaiver}

// SchemaFor returns the embedded JSON Schema (draft 2020-12) of a kind, for
// documentation; false when the kind is unknown. The bytes are a copy.
func SchemaFor(kind string) ([]byte, bool) {
	if !slices.Contains(AllKinds, kind) {
		return nil, false
	}
	b, err := schemaFiles.ReadFile("schemas/" + kind + ".json")
	if err != nil {
		return nil, false
	}
	return b, true
}

// Validator checks documents against the envelope and their kind's embedded
// JSON Schema. It is safe for concurrent use.
type Validator struct {
	kinds map[string]*kindSchema
}

// kindSchema is one kind's compiled schema plus its parsed JSON, which gives
// messages their wording and the unknown-field walker its field names.
type kindSchema struct {
	kind     string
	compiled *jsonschema.Schema
	doc      map[string]any
	fields   *fieldNode
}

// NewValidator returns the validator of the embedded schemas, with format
// assertion on. The schemas cannot change while the process runs and a
// Validator is immutable, so they are compiled once per process and shared:
// a process that validates in several places (a scan and its waivers, a
// test binary) pays for the compile once.
func NewValidator() (*Validator, error) { return sharedValidator() }

var sharedValidator = sync.OnceValues(compileValidator)

// compileValidator compiles the embedded schemas.
func compileValidator() (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "iana-timezone", Validate: validateTimezone})
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: validateDateTime})
	v := &Validator{kinds: make(map[string]*kindSchema, len(AllKinds))}
	for _, k := range AllKinds {
		raw, ok := SchemaFor(k)
		if !ok {
			return nil, fmt.Errorf("schema %s: not embedded", k)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", k, err)
		}
		m, ok := doc.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("schema %s: not a JSON object", k)
		}
		loc := schemaBaseURL + k + ".json"
		if err := c.AddResource(loc, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", k, err)
		}
		sch, err := c.Compile(loc)
		if err != nil {
			return nil, fmt.Errorf("compile schema %s: %w", k, err)
		}
		ks := &kindSchema{kind: k, compiled: sch, doc: m}
		ks.fields = ks.fieldTree(m, map[string]*fieldNode{})
		v.kinds[k] = ks
	}
	return v, nil
}

// Validate checks one document: first the envelope (apiVersion, kind,
// metadata.name), then, when the kind is known, the kind's schema. Every
// problem is one *InputError naming the field path; fields the schema does
// not define are warnings. Both lists are sorted by field path.
func (v *Validator) Validate(d *Document) (errs []*InputError, warns []Warning) {
	if d == nil {
		return nil, nil
	}
	p := problems{d: d, seen: map[string]bool{}}
	if d.Raw == nil {
		p.add("", "expected a document (a mapping with apiVersion, kind, metadata and spec), got an empty document")
		return p.errs, nil
	}
	ks := v.checkEnvelope(&p)
	if ks != nil {
		envelope := make(map[string]bool, len(p.errs))
		for _, e := range p.errs {
			envelope[e.Path] = true
		}
		var ve *jsonschema.ValidationError
		if err := ks.compiled.Validate(any(d.Raw)); errors.As(err, &ve) {
			ks.report(&p, ve, envelope)
		} else if err != nil {
			p.add("", "schema validation failed: "+err.Error())
		}
		ks.walk(&p, ks.fields, d.Raw, "", &warns)
	}
	sort.SliceStable(p.errs, func(i, j int) bool {
		a, b := p.errs[i], p.errs[j]
		if a.Path != b.Path {
			return pathLess(a.Path, b.Path)
		}
		return a.Msg < b.Msg
	})
	sort.SliceStable(warns, func(i, j int) bool {
		if warns[i].Path != warns[j].Path {
			return pathLess(warns[i].Path, warns[j].Path)
		}
		return warns[i].Msg < warns[j].Msg
	})
	return p.errs, warns
}

// problems collects a document's input errors, one per distinct path and
// message.
type problems struct {
	d    *Document
	errs []*InputError
	seen map[string]bool
}

func (p *problems) add(path, msg string) {
	key := path + "\x00" + msg
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	p.errs = append(p.errs, &InputError{File: p.d.File, Index: p.d.Index, Path: path, Pos: p.d.PosOf(path), Msg: msg})
}

const (
	msgNull    = "null is not allowed here (only fields documented as nullable may be null)"
	msgMissing = "required field is missing; expected "
)

// checkEnvelope reports what is wrong with apiVersion, kind and
// metadata.name in plain words, and returns the kind's schema when the kind
// is known.
func (v *Validator) checkEnvelope(p *problems) *kindSchema {
	raw := p.d.Raw
	want := strconv.Quote(APIVersion)
	switch av, ok := raw["apiVersion"]; {
	case !ok:
		p.add("apiVersion", msgMissing+want)
	case av == nil:
		p.add("apiVersion", msgNull)
	case av != APIVersion:
		p.add("apiVersion", "expected "+want+" (the only version this release reads), got "+gotValue(av, true))
	}

	kinds := "one of " + strings.Join(AllKinds, ", ")
	var ks *kindSchema
	switch k, ok := raw["kind"]; {
	case !ok:
		p.add("kind", msgMissing+kinds)
	case k == nil:
		p.add("kind", msgNull)
	default:
		s, isString := k.(string)
		if !isString {
			p.add("kind", "expected "+kinds+", got "+gotValue(k, true))
			break
		}
		if ks = v.kinds[s]; ks == nil {
			msg := fmt.Sprintf("unknown kind %q; expected %s", s, kinds)
			if sug, ok := Suggest(s, AllKinds); ok {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			p.add("kind", msg)
		}
	}

	const wantName = "a non-empty string (the document's name)"
	switch md, ok := raw["metadata"]; {
	case !ok:
		p.add("metadata", msgMissing+"a mapping with a name")
	case md == nil:
		p.add("metadata", msgNull)
	default:
		m, isMap := md.(map[string]any)
		if !isMap {
			p.add("metadata", "expected a mapping with a name, got "+gotValue(md, true))
			break
		}
		switch name, ok := m["name"]; {
		case !ok:
			p.add("metadata.name", msgMissing+wantName)
		case name == nil:
			p.add("metadata.name", msgNull)
		default:
			if s, isString := name.(string); !isString || strings.TrimSpace(s) == "" {
				p.add("metadata.name", "expected "+wantName+", got "+gotValue(name, true))
			}
		}
	}
	return ks
}

// report turns the library's error tree into input errors: its leaf causes
// only, one per field (the most basic problem wins: null, then type, then the
// rest), skipping paths the envelope check already reported.
func (ks *kindSchema) report(p *problems, root *jsonschema.ValidationError, skip map[string]bool) {
	var leaves []*jsonschema.ValidationError
	var collect func(e *jsonschema.ValidationError)
	collect = func(e *jsonschema.ValidationError) {
		switch e.ErrorKind.(type) {
		case *kind.PropertyNames:
			// The walker reports these: the library gives this kind a
			// shared, later-overwritten instance location (v6.0.3).
			return
		}
		if len(e.Causes) == 0 {
			leaves = append(leaves, e)
			return
		}
		for _, c := range e.Causes {
			collect(c)
		}
	}
	collect(root)

	var all []leafError
	best := map[string]int{}
	for _, e := range leaves {
		path, val := instancePath(p.d.Raw, e.InstanceLocation)
		node := ks.node(e.SchemaURL)
		for _, f := range ks.describeError(e.ErrorKind, node, path, val) {
			all = append(all, f)
			if r, ok := best[f.path]; !ok || f.rank < r {
				best[f.path] = f.rank
			}
		}
	}
	for _, f := range all {
		if !skip[f.path] && f.rank == best[f.path] {
			p.add(f.path, f.msg)
		}
	}
}

// leafError is one message produced from a library error, with its rank:
// lower ranks hide higher ones on the same path.
type leafError struct {
	path, msg string
	rank      int
}

const (
	rankNull = iota
	rankType
	rankValue
)

// describeError words one leaf error. node is the schema object that failed
// (nil if it cannot be found), val the instance value at path.
func (ks *kindSchema) describeError(k jsonschema.ErrorKind, node map[string]any, path string, val any) []leafError {
	one := func(rank int, msg string) []leafError { return []leafError{{path, msg, rank}} }
	switch k := k.(type) {
	case *kind.Type:
		if k.Got == "null" {
			return one(rankNull, msgNull)
		}
		return one(rankType, "expected "+expectation(node)+", got "+gotValue(val, true)+quoteHint(node, val))
	case *kind.Enum:
		msg := "expected " + expectation(node) + ", got " + gotValue(val, false)
		if s, ok := val.(string); ok {
			if sug, ok := Suggest(s, enumStrings(node["enum"])); ok {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
		}
		return one(rankValue, msg)
	case *kind.Const, *kind.Format, *kind.Pattern, *kind.MinLength, *kind.MaxLength,
		*kind.Minimum, *kind.Maximum, *kind.ExclusiveMinimum, *kind.ExclusiveMaximum, *kind.MultipleOf:
		return one(rankValue, "expected "+expectation(node)+", got "+gotValue(val, false))
	case *kind.Required:
		props, _ := node["properties"].(map[string]any)
		out := make([]leafError, 0, len(k.Missing))
		for _, name := range k.Missing {
			sub, _ := props[name].(map[string]any)
			out = append(out, leafError{joinPath(path, name), msgMissing + expectation(ks.resolve(sub)), rankValue})
		}
		return out
	case *kind.MinItems:
		return one(rankValue, fmt.Sprintf("expected a list with at least %d %s, got %s", k.Want, plural(k.Want, "entry", "entries"), gotValue(val, false)))
	case *kind.MinProperties:
		want := fmt.Sprintf("at least %d %s", k.Want, plural(k.Want, "field", "fields"))
		if props, ok := node["properties"].(map[string]any); ok && k.Want == 1 {
			want = "at least one of " + strings.Join(sortedKeys(props), ", ")
		}
		return one(rankValue, "expected a mapping with "+want+", got "+gotValue(val, false))
	}
	return one(rankValue, "invalid value: "+k.LocalizedString(message.NewPrinter(language.English)))
}

// expectation says in words what a schema node accepts: "an integer between
// 0 and 100", "one of online, intermittent, offline", "a date (YYYY-MM-DD)".
func expectation(node map[string]any) string {
	if node == nil {
		return "a valid value"
	}
	if c, ok := node["const"]; ok {
		return gotValue(c, false)
	}
	types := schemaTypes(node)
	nullable := slices.Contains(types, "null")
	orNull := ""
	if nullable {
		orNull = " or null"
	}
	if e, ok := node["enum"].([]any); ok {
		return "one of " + strings.Join(enumStrings(e), ", ") + orNull
	}
	base := ""
	for _, t := range types {
		if t != "null" {
			base = t
			break
		}
	}
	var s string
	switch base {
	case "string":
		s = stringExpectation(node)
	case "integer":
		s = numberExpectation(node, "an integer")
	case "number":
		s = numberExpectation(node, "a number")
	case "boolean":
		s = "true or false"
	case "object":
		s = "a mapping"
	case "array":
		s = "a list"
	default:
		s = "a valid value"
	}
	return s + orNull
}

// formatExpectations words the string formats the schemas use.
var formatExpectations = map[string]string{
	"date-time":     "an RFC 3339 date-time with a UTC offset (e.g. 2025-07-01T00:00:00Z)",
	"date":          "a date (YYYY-MM-DD)",
	"uri":           "an absolute URI (e.g. https://example.com/docs)",
	"iana-timezone": "an IANA time zone name (e.g. Europe/London)",
}

// patternExpectations words the string patterns the schemas use.
var patternExpectations = map[string]string{
	"^([01][0-9]|2[0-3]):[0-5][0-9]$": "a time of day as HH:MM (00:00 to 23:59)",
	`^[A-Z]+-\d{3}$`:                  "a control id such as CRED-003",
}

func stringExpectation(node map[string]any) string {
	if f, ok := node["format"].(string); ok {
		if s, ok := formatExpectations[f]; ok {
			return s
		}
		return "a string in " + f + " format"
	}
	if n, ok := node["minLength"].(json.Number); ok && n.String() == "1" {
		return "a non-empty string"
	}
	if pat, ok := node["pattern"].(string); ok {
		if s, ok := patternExpectations[pat]; ok {
			return s
		}
		return "a string matching " + pat
	}
	return "a string"
}

func numberExpectation(node map[string]any, noun string) string {
	lo, hasLo := node["minimum"].(json.Number)
	hi, hasHi := node["maximum"].(json.Number)
	switch {
	case hasLo && hasHi:
		return fmt.Sprintf("%s between %s and %s", noun, lo, hi)
	case hasLo && lo.String() == "0":
		return "a non-negative " + strings.TrimPrefix(strings.TrimPrefix(noun, "an "), "a ")
	case hasLo:
		return fmt.Sprintf("%s of at least %s", noun, lo)
	case hasHi:
		return fmt.Sprintf("%s of at most %s", noun, hi)
	}
	return noun
}

// quoteHint explains the two YAML slips behind most type errors: a number or
// boolean where a string is wanted ("1.2" for a TLS version), and a quoted
// number or boolean where the value itself is wanted.
func quoteHint(node map[string]any, val any) string {
	types := schemaTypes(node)
	switch v := val.(type) {
	case json.Number, bool:
		if !slices.Contains(types, "string") {
			break
		}
		if e, ok := node["enum"]; ok && !enumHasNumber(e, v) {
			break
		}
		return " (put it in quotes to make it a string)"
	case string:
		if slices.Contains(types, "integer") || slices.Contains(types, "number") {
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				return " (remove the quotes to make it a number)"
			}
		}
		if slices.Contains(types, "boolean") && (v == "true" || v == "false") {
			return " (remove the quotes to make it a boolean)"
		}
	}
	return ""
}

// enumHasNumber reports whether an enum lists a number as text ("1.0" for
// YAML's 1.0, which arrives as json.Number "1").
func enumHasNumber(enum, v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	f, err := n.Float64()
	if err != nil {
		return false
	}
	for _, s := range enumStrings(enum) {
		if g, err := strconv.ParseFloat(s, 64); err == nil && g == f {
			return true
		}
	}
	return false
}

// gotValue shows the value a field holds. With typed, scalars are prefixed by
// their JSON type (`string "ten"`), as type errors need.
func gotValue(v any, typed bool) string {
	var typ, text string
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 60 {
			x = x[:57] + "..."
		}
		typ, text = "string", strconv.Quote(x)
	case json.Number:
		typ, text = "number", x.String()
	case bool:
		typ, text = "boolean", strconv.FormatBool(x)
	case map[string]any:
		if len(x) == 0 {
			return "an empty mapping"
		}
		return "a mapping"
	case []any:
		if len(x) == 0 {
			return "an empty list"
		}
		return "a list"
	default:
		typ, text = fmt.Sprintf("%T", v), fmt.Sprint(v)
	}
	if typed {
		return typ + " " + text
	}
	return text
}

func schemaTypes(node map[string]any) []string {
	switch t := node["type"].(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// enumStrings lists an enum's non-null values as text.
func enumStrings(v any) []string {
	e, _ := v.([]any)
	out := make([]string, 0, len(e))
	for _, x := range e {
		if x != nil {
			out = append(out, fmt.Sprint(x))
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// node finds the schema object at an absolute schema location
// ("https://lockcheck.dev/schemas/v1alpha1/LockSnapshot.json#/properties/spec").
func (ks *kindSchema) node(loc string) map[string]any {
	_, frag, _ := strings.Cut(loc, "#")
	var cur any = ks.doc
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			if t, err := url.PathUnescape(tok); err == nil {
				tok = t
			}
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch c := cur.(type) {
			case map[string]any:
				cur = c[tok]
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(c) {
					return nil
				}
				cur = c[i]
			default:
				return nil
			}
		}
	}
	m, _ := cur.(map[string]any)
	return m
}

// resolve returns the schema node a local "$ref" points at, merged under the
// referring node's own keywords ("type" stays with the referrer, which is
// what says whether null is allowed).
func (ks *kindSchema) resolve(node map[string]any) map[string]any {
	ref, ok := node["$ref"].(string)
	if !ok {
		return node
	}
	target := ks.node(ref)
	if target == nil {
		return node
	}
	target = ks.resolve(target)
	merged := make(map[string]any, len(node)+len(target))
	for k, v := range target {
		merged[k] = v
	}
	for k, v := range node {
		if k != "$ref" {
			merged[k] = v
		}
	}
	return merged
}

// fieldNode is the part of a schema the unknown-field walker needs,
// resolved once: the fields an object defines, the schema of a map's values
// (additionalProperties), of a list's items, and the allowed keys of a map
// (a propertyNames enum).
type fieldNode struct {
	fields   map[string]*fieldNode
	names    []string // sorted field names, for suggestions
	values   *fieldNode
	items    *fieldNode
	keys     []string       // allowed map keys; nil when any key goes
	keysNode map[string]any // the propertyNames schema, for its wording
}

// fieldTree resolves a schema node (and its local $refs, memoised by
// reference so shared definitions are built once) into a fieldNode.
func (ks *kindSchema) fieldTree(node map[string]any, refs map[string]*fieldNode) *fieldNode {
	if node == nil {
		return nil
	}
	if ref, ok := node["$ref"].(string); ok {
		if f, ok := refs[ref]; ok {
			return f
		}
		f := &fieldNode{}
		refs[ref] = f // before building: a recursive definition refers to itself
		*f = *ks.fieldTree(ks.resolve(node), refs)
		return f
	}
	f := &fieldNode{}
	if props, ok := node["properties"].(map[string]any); ok {
		f.fields = make(map[string]*fieldNode, len(props))
		f.names = sortedKeys(props)
		for _, name := range f.names {
			sub, _ := props[name].(map[string]any)
			f.fields[name] = ks.fieldTree(sub, refs)
		}
	}
	if extra, ok := node["additionalProperties"].(map[string]any); ok {
		f.values = ks.fieldTree(extra, refs)
	}
	if items, ok := node["items"].(map[string]any); ok {
		f.items = ks.fieldTree(items, refs)
	}
	if names, ok := node["propertyNames"].(map[string]any); ok {
		f.keys, f.keysNode = enumStrings(names["enum"]), names
	}
	return f
}

// walk warns about every key of val that the schema does not define. It
// follows fields, list items, and map values (labels, fallback_plan); maps
// whose schema defines no fields and no value schema are not checked. A typo
// must never turn evidence silently into "missing". A key outside a
// propertyNames enum (a fallback_plan scenario) is an input error, reported
// here with its own path.
func (ks *kindSchema) walk(p *problems, f *fieldNode, val any, path string, warns *[]Warning) {
	if f == nil {
		return
	}
	switch x := val.(type) {
	case map[string]any:
		if f.fields == nil && f.values == nil {
			return
		}
		// Map order is fine: Validate sorts what this finds.
		for key, sub := range x {
			if len(f.keys) > 0 && !slices.Contains(f.keys, key) {
				msg := fmt.Sprintf("unexpected key %q; expected %s", key, expectation(f.keysNode))
				if sug, ok := Suggest(key, f.keys); ok {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				}
				p.add(joinPath(path, key), msg)
			}
			next, known := f.fields[key]
			if !known && f.values != nil {
				next, known = f.values, true
			}
			if known {
				switch sub.(type) {
				case map[string]any, []any: // only containers can hold unknown fields
					ks.walk(p, next, sub, joinPath(path, key), warns)
				}
				continue
			}
			var msg string
			if sug, ok := Suggest(key, f.names); ok {
				msg = fmt.Sprintf("unknown field %q; did you mean %q?", key, sug)
			} else {
				msg = fmt.Sprintf("unknown field %q (not part of the %s schema; it is ignored)", key, ks.kind)
			}
			child := joinPath(path, key)
			*warns = append(*warns, Warning{File: p.d.File, Index: p.d.Index, Path: child, Pos: p.d.PosOf(child), Msg: msg})
		}
	case []any:
		for i, it := range x {
			switch it.(type) {
			case map[string]any, []any:
				ks.walk(p, f.items, it, path+"["+strconv.Itoa(i)+"]", warns)
			}
		}
	}
}

// instancePath turns the library's instance location into a field path
// ("spec.credentials[2].valid_until") and returns the value found there.
func instancePath(raw map[string]any, loc []string) (string, any) {
	var b strings.Builder
	var cur any = raw
	for _, tok := range loc {
		switch c := cur.(type) {
		case []any:
			b.WriteString("[" + tok + "]")
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(c) {
				cur = c[i]
			} else {
				cur = nil
			}
		case map[string]any:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			cur = c[tok]
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			cur = nil
		}
	}
	return b.String(), cur
}

// joinPath appends a key to a field path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// pathLess orders field paths step by step, list indices numerically, so
// that spec.credentials[2] comes before spec.credentials[10].
func pathLess(a, b string) bool {
	for a != "" && b != "" {
		sa, ia, ra := nextStep(a)
		sb, ib, rb := nextStep(b)
		switch {
		case ia >= 0 && ib >= 0:
			if ia != ib {
				return ia < ib
			}
		case ia >= 0 || ib >= 0:
			return ia >= 0 // an index sorts before a key at the same depth
		case sa != sb:
			return sa < sb
		}
		a, b = ra, rb
	}
	return a == "" && b != ""
}

// nextStep splits the first step off a field path: a key (index -1) or a
// list index.
func nextStep(p string) (key string, index int, rest string) {
	p = strings.TrimPrefix(p, ".")
	if strings.HasPrefix(p, "[") {
		if end := strings.IndexByte(p, ']'); end > 0 {
			if i, err := strconv.Atoi(p[1:end]); err == nil {
				return "", i, p[end+1:]
			}
		}
	}
	end := strings.IndexAny(p[1:], ".[")
	if end < 0 {
		return p, -1, ""
	}
	return p[:end+1], -1, p[end+1:]
}

// validateDateTime accepts RFC 3339 date-times with a mandatory offset, and
// only those Go's time package (and so the policies) can parse.
func validateDateTime(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return errors.New("not an RFC 3339 date-time with an offset")
	}
	return nil
}

// zoneCache remembers the time zone names that loaded (a bounded set: only
// valid names are stored).
var zoneCache sync.Map

// validateTimezone accepts IANA time zone names known to Go's tz database.
// "Local" and "" are refused: they mean "wherever the engine runs".
func validateTimezone(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, ok := zoneCache.Load(s); ok {
		return nil
	}
	if s == "" || s == "Local" {
		return errors.New("not an IANA time zone name")
	}
	if _, err := time.LoadLocation(s); err != nil {
		return errors.New("not an IANA time zone name")
	}
	zoneCache.Store(s, struct{}{})
	return nil
}
