package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockcheck/lockcheck/engine/internal/testenv"
)

// oscalSchemaPath is NIST's OSCAL assessment-results schema; the CI clone
// has shared/ beside the repository.
var oscalSchemaPath = filepath.Join("..", "..", "..", "shared", "schemas", "oscal_assessment-results_schema-1.0.6.json")

func oscalSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(oscalSchemaPath)
	if err != nil {
		testenv.Missing(t, "OSCAL schema not found at %s (it lives in shared/schemas beside the repository): %v", oscalSchemaPath, err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("read OSCAL schema: %v", err)
	}
	fixSiblingRefs(doc)
	c := jsonschema.NewCompiler()
	const url = "http://csrc.nist.gov/ns/oscal/1.0.6/oscal-ar-schema.json" // the schema's $id
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	// Every pattern of the 1.0.6 schema (\p{L}, \S, anchored alternations)
	// compiles with Go's regexp, the library's default engine, so no custom
	// engine is needed; Compile fails loudly if that ever changes.
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile OSCAL schema: %v", err)
	}
	return s
}

// fixSiblingRefs rewrites {"$id": "#anchor", "$ref": X, ...} into
// {"$id": "#anchor", "allOf": [{"$ref": X}], ...}. In draft-07 a "$ref"
// makes its siblings, "$id" included, be ignored, so the 1.0.6 schema's
// "#json-schema-directive" anchor does not exist for a strict validator;
// this keeps the intended meaning (the anchor names the referenced schema).
func fixSiblingRefs(v any) {
	switch n := v.(type) {
	case map[string]any:
		if ref, ok := n["$ref"]; ok {
			if _, hasID := n["$id"]; hasID {
				delete(n, "$ref")
				n["allOf"] = []any{map[string]any{"$ref": ref}}
			}
		}
		for _, c := range n {
			fixSiblingRefs(c)
		}
	case []any:
		for _, c := range n {
			fixSiblingRefs(c)
		}
	}
}

func validateOSCAL(t *testing.T, s *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, clip(string(out), 4000))
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("output does not validate against the OSCAL schema:\n%v", err)
	}
}

// TestOSCALSchema validates every fixture run's output, and the hand-made
// run with every status, against the official schema.
func TestOSCALSchema(t *testing.T) {
	s := oscalSchema(t)
	for _, c := range fixtureCases {
		t.Run(c.Name, func(t *testing.T) {
			run := runFixtures(t, c)
			validateOSCAL(t, s, render(t, "oscal", testOptions(t), run.Results, run.Summary))
		})
	}
	t.Run("rejects-invalid", func(t *testing.T) {
		// The validation must be able to fail: drop a required field.
		results, sum := handMade(t)
		out := bytes.Replace(render(t, "oscal", testOptions(t), results, sum), []byte(`"oscal-version"`), []byte(`"oscal-versio"`), 1)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if s.Validate(inst) == nil {
			t.Error("a document without metadata.oscal-version validated")
		}
	})
	t.Run("every-status", func(t *testing.T) {
		results, sum := handMade(t)
		validateOSCAL(t, s, render(t, "oscal", testOptions(t), results, sum))
	})
}

// TestOSCALStructure checks what the schema cannot: one observation and one
// finding per applicable finding, related by UUID, UUIDs unique and stable.
func TestOSCALStructure(t *testing.T) {
	results, sum := handMade(t)
	out := render(t, "oscal", testOptions(t), results, sum)
	var doc struct {
		AR struct {
			UUID    string `json:"uuid"`
			Results []struct {
				UUID         string `json:"uuid"`
				Observations []struct {
					UUID string `json:"uuid"`
				} `json:"observations"`
				Findings []struct {
					UUID   string `json:"uuid"`
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct {
							State string `json:"state"`
						} `json:"status"`
					} `json:"target"`
					Related []struct {
						ObservationUUID string `json:"observation-uuid"`
					} `json:"related-observations"`
				} `json:"findings"`
			} `json:"results"`
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.AR.Results) != 1 {
		t.Fatalf("results: got %d, want 1", len(doc.AR.Results))
	}
	r := doc.AR.Results[0]
	// 6 findings, one not applicable.
	if len(r.Observations) != 5 || len(r.Findings) != 5 {
		t.Fatalf("got %d observations and %d findings, want 5 and 5", len(r.Observations), len(r.Findings))
	}
	seen := map[string]bool{doc.AR.UUID: true, r.UUID: true}
	obs := map[string]bool{}
	for _, o := range r.Observations {
		if seen[o.UUID] {
			t.Errorf("duplicate uuid %s", o.UUID)
		}
		seen[o.UUID], obs[o.UUID] = true, true
	}
	states := map[string]string{}
	for _, f := range r.Findings {
		if seen[f.UUID] {
			t.Errorf("duplicate uuid %s", f.UUID)
		}
		seen[f.UUID] = true
		if len(f.Related) != 1 || !obs[f.Related[0].ObservationUUID] {
			t.Errorf("finding %s: related observations %v do not name an observation", f.Target.TargetID, f.Related)
		}
		states[f.Target.TargetID] = f.Target.Status.State
	}
	want := map[string]string{"enr-001_obj": "not-satisfied", "enr-004_obj": "not-satisfied", "cred-003_obj": "not-satisfied", "log-002_obj": "not-satisfied", "auth-001_obj": "satisfied"}
	if d := cmpDiff(want, states); d != "" {
		t.Errorf("target states (-want +got):\n%s", d)
	}
	// Stable: a second rendering gives the same UUIDs.
	if again := render(t, "oscal", testOptions(t), results, sum); !bytes.Equal(out, again) {
		t.Error("two renderings differ")
	}
}
