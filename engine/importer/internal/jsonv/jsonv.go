// Package jsonv reads untyped JSON dumps for the importers: decoding with
// exact numbers, unwrapping Home Assistant's diagnostics envelope, and typed
// accessors whose errors name the kind of value found, never the value.
package jsonv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
)

// Decode parses a JSON value with numbers as json.Number. A stream of
// values (one per line, as `zwave-client --dump` writes them) is returned as
// a list of them.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var vals []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF && len(vals) > 0 {
			break
		}
		if err != nil {
			return nil, describe(err, data)
		}
		vals = append(vals, v)
	}
	if len(vals) == 1 {
		return vals[0], nil
	}
	return vals, nil
}

func describe(err error, data []byte) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("invalid JSON: truncated (ends after %d bytes)", len(data))
	case errors.As(err, &se):
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("invalid JSON at line %d (offset %d): %s", line, se.Offset, se.Error())
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

// UnwrapHA returns the "data" of a Home Assistant diagnostics download
// ({"home_assistant": …, "integration_manifest": …, "data": …}); any other
// value is returned as is.
func UnwrapHA(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	d, ok := m["data"]
	if !ok {
		return v
	}
	_, ha := m["home_assistant"]
	_, man := m["integration_manifest"]
	if ha || man || len(m) == 1 {
		return d
	}
	return v
}

// Kind names a JSON value's type for messages: "a string", "an object", ….
func Kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "an integer"
		}
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// Int reads an integer (a JSON number without fraction).
func Int(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false
		}
		return int64(f), true
	}
	return i, true
}

// IntOrString reads an integer given as a number or as a decimal string
// (some exports write ids as strings).
func IntOrString(v any) (int64, bool) {
	if i, ok := Int(v); ok {
		return i, true
	}
	if s, ok := v.(string); ok {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

// Redacted reports whether a value is Home Assistant's redaction marker.
func Redacted(v any) bool {
	s, ok := v.(string)
	return ok && s == "**REDACTED**"
}

var secretKey = regexp.MustCompile(`(?i)((^|_)pin($|_)|pin_?code|passcode|password|secret|user_?code|setup_?pin|setup_?code|pairing_?code|manual_?code|qr_?code|credential_?data)`)

// SecretKey reports whether an object key names a secret-bearing field.
func SecretKey(k string) bool { return secretKey.MatchString(k) }

// WalkSecrets calls add for every string or number (or list of them) under a
// key that names a secret, anywhere in v.
func WalkSecrets(v any, add func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if SecretKey(k) {
				collect(e, add)
				continue
			}
			WalkSecrets(e, add)
		}
	case []any:
		for _, e := range x {
			WalkSecrets(e, add)
		}
	}
}

func collect(v any, add func(string)) {
	switch x := v.(type) {
	case string:
		if len(x) >= 4 { // shorter values are no PIN (4 digits at least)
			add(x)
		}
	case json.Number:
		if len(x) >= 4 {
			add(x.String())
		}
	case []any:
		for _, e := range x {
			collect(e, add)
		}
	}
	// objects under a secret-named key are structures (a value record whose
	// id names the property); the mappers read their secrets explicitly
}
