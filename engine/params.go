package engine

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// paramsSchemaJSON is the JSON Schema of the parameters: each one's type
// and allowed range. A numeric parameter's description is its unit.
//
//go:embed schemas/params.json
var paramsSchemaJSON []byte

const paramsSchemaURL = "https://lockcheck.dev/schemas/v1alpha1/Params.json"

var paramsSchema = sync.OnceValues(func() (*paramSchema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(paramsSchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("params schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(paramsSchemaURL, doc); err != nil {
		return nil, fmt.Errorf("params schema: %w", err)
	}
	ps := &paramSchema{props: map[string]map[string]any{}, compiled: map[string]*jsonschema.Schema{}}
	m, _ := doc.(map[string]any)
	props, _ := m["properties"].(map[string]any)
	for name, p := range props {
		node, _ := p.(map[string]any)
		sch, err := c.Compile(paramsSchemaURL + "#/properties/" + name)
		if err != nil {
			return nil, fmt.Errorf("params schema: %s: %w", name, err)
		}
		ps.props[name], ps.compiled[name] = node, sch
	}
	return ps, nil
})

type paramSchema struct {
	props    map[string]map[string]any
	compiled map[string]*jsonschema.Schema
}

// ParamsSchema returns the embedded JSON Schema (draft 2020-12) of the
// parameters, for documentation. The bytes are a copy.
func ParamsSchema() []byte { return bytes.Clone(paramsSchemaJSON) }

// checkParam validates one parameter value against its schema. A parameter
// the schema does not describe (one a custom policy tree adds) is only
// checked for its kind, by the caller.
func checkParam(name string, v any) error {
	ps, err := paramsSchema()
	if err != nil {
		return err
	}
	sch, ok := ps.compiled[name]
	if !ok {
		return nil
	}
	if err := sch.Validate(v); err == nil {
		return nil
	}
	return &UsageError{Msg: fmt.Sprintf("parameter %q: %s is not allowed: expected %s", name, showValue(v), allowed(ps.props[name]))}
}

// allowed describes a parameter's schema in words: "a whole number from 0
// to 86400 (seconds)".
func allowed(node map[string]any) string {
	switch node["type"] {
	case "integer", "number":
		what := "a number"
		if node["type"] == "integer" {
			what = "a whole number"
		}
		lo, hasLo := node["minimum"]
		hi, hasHi := node["maximum"]
		switch {
		case hasLo && hasHi:
			what += fmt.Sprintf(" from %v to %v", num(lo), num(hi))
		case hasLo:
			what += fmt.Sprintf(" of at least %v", num(lo))
		case hasHi:
			what += fmt.Sprintf(" of at most %v", num(hi))
		}
		if unit, ok := node["description"].(string); ok && unit != "" {
			what += " (" + unit + ")"
		}
		return what
	case "string":
		if enum, ok := node["enum"].([]any); ok {
			s := "one of"
			for i, e := range enum {
				if i > 0 {
					s += ","
				}
				s += " " + strconv.Quote(fmt.Sprint(e))
			}
			return s
		}
		if p, ok := node["pattern"].(string); ok {
			return "a string matching " + p
		}
		return "a string"
	}
	return "a value of type " + fmt.Sprint(node["type"])
}

func num(v any) string {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

func showValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case json.Number:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
