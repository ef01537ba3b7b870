// Package scaffold writes a new custom control and its Rego test from a
// template (`lockcheck new control`). The control is in the catalogue's form
// with each of the six parts lib.finding reads written out and commented, a
// threshold read through lib.param with its default in the directory's
// data.json, and a test with a pass, a fail, a missing-evidence, a warning
// and a not-applicable case: it passes `lockcheck test` as written.
package scaffold

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

//go:embed templates
var templates embed.FS

// Options name the control to write.
type Options struct {
	ID        string
	Area      string
	AppliesTo []string
}

// example is the field the template checks for each kind: a yes/no field of
// the kind's schema.
var example = map[string]struct{ field, is, helper string }{
	"LockSnapshot": {"spec.firmware.secure_boot", "is_snapshot", "snapshot"},
	"ProductSpec":  {"spec.credentials_support.guest_expiry_supported", "is_spec", "product"},
	"InstallPlan":  {"spec.mechanical.override_present", "is_plan", "plan"},
}

var (
	idPattern   = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9]+$`)
	areaPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// kind is one applies_to kind as the templates use it.
type kind struct {
	Kind, Field, Is, Helper, Slug string
}

// Path is the field's path under spec as a Rego array.
func (k kind) Path() string {
	parts := strings.Split(strings.TrimPrefix(k.Field, "spec."), ".")
	return `["` + strings.Join(parts, `", "`) + `"]`
}

// Doc is a spec holding the field with the given Rego value.
func (k kind) Doc(value string) string {
	parts := strings.Split(strings.TrimPrefix(k.Field, "spec."), ".")
	s := value
	for i := len(parts) - 1; i >= 0; i-- {
		s = fmt.Sprintf("{%q: %s}", parts[i], s)
	}
	return s
}

// Write writes DIR/<area>/<slug>.rego and its _test.rego, and adds the
// control's threshold default to DIR/data.json. It returns the files written
// and never overwrites a control.
func Write(dir string, o Options) ([]string, error) {
	if !idPattern.MatchString(o.ID) {
		return nil, fmt.Errorf("--id %q: expected PREFIX-NUMBER in capitals, e.g. ACME-001", o.ID)
	}
	if !areaPattern.MatchString(o.Area) {
		return nil, fmt.Errorf("--area %q: expected a lower-case word, e.g. credentials", o.Area)
	}
	if len(o.AppliesTo) == 0 {
		return nil, errors.New("--applies-to: give at least one kind: LockSnapshot, ProductSpec or InstallPlan")
	}
	slug := strings.ToLower(strings.ReplaceAll(o.ID, "-", "_"))
	data := struct {
		ID, Area, Package, Param string
		AppliesTo                []string
		Kinds                    []kind
	}{ID: o.ID, Area: o.Area, Package: "lockcheck.controls." + o.Area + "." + slug, Param: slug + "_threshold"}
	seen := map[string]bool{}
	for _, k := range o.AppliesTo {
		ex, ok := example[k]
		if !ok {
			return nil, fmt.Errorf("--applies-to %q: expected LockSnapshot, ProductSpec or InstallPlan", k)
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		data.AppliesTo = append(data.AppliesTo, k)
		data.Kinds = append(data.Kinds, kind{Kind: k, Field: ex.field, Is: ex.is, Helper: ex.helper, Slug: strings.ToLower(k)})
	}
	sort.Strings(data.AppliesTo)
	sort.Slice(data.Kinds, func(i, j int) bool { return data.Kinds[i].Kind < data.Kinds[j].Kind })
	tmpl, err := template.New("").Funcs(template.FuncMap{"join": strings.Join}).ParseFS(templates, "templates/*.tmpl")
	if err != nil {
		return nil, err
	}
	base := filepath.Join(dir, o.Area, slug)
	files := map[string]string{base + ".rego": "control.rego.tmpl", base + "_test.rego": "control_test.rego.tmpl"}
	for path := range files {
		if _, err := os.Stat(path); err == nil {
			return nil, fmt.Errorf("%s exists: choose another --id", path)
		}
	}
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, path := range []string{base + ".rego", base + "_test.rego"} {
		var b strings.Builder
		if err := tmpl.ExecuteTemplate(&b, files[path], data); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		written = append(written, path)
	}
	dataFile := filepath.Join(dir, "data.json")
	if err := addParam(dataFile, data.Param, 1); err != nil {
		return nil, err
	}
	return append(written, dataFile), nil
}

// addParam adds params.<name> = value to a data.json, creating it.
func addParam(path, name string, value any) error {
	doc := map[string]any{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	params, _ := doc["params"].(map[string]any)
	if params == nil {
		params = map[string]any{}
	}
	if _, ok := params[name]; !ok {
		params[name] = value
	}
	doc["params"] = params
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
