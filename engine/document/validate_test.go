package document

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() {
	// Shared with other tests of the package: register -update only once.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func updating() bool {
	g, ok := flag.Lookup("update").Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

var (
	validatorOnce sync.Once
	testValidator *Validator
	validatorErr  error
)

func newTestValidator(t *testing.T) *Validator {
	t.Helper()
	validatorOnce.Do(func() { testValidator, validatorErr = NewValidator() })
	if validatorErr != nil {
		t.Fatalf("NewValidator: %v", validatorErr)
	}
	return testValidator
}

// decodeRaw parses JSON the way the decoder hands values over: numbers as
// json.Number.
func decodeRaw(t *testing.T, src string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(src))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("bad test JSON: %v\n%s", err, src)
	}
	return raw
}

// withEnvelope wraps a spec in a valid envelope of the given kind.
func withEnvelope(kind, spec string) string {
	return `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "` + kind + `", "metadata": {"name": "doc-1"}, "spec": ` + spec + `}`
}

// problem is the part of an error or warning the tables compare.
type problem struct{ Path, Msg string }

func validateSrc(t *testing.T, src string) (errs, warns []problem) {
	t.Helper()
	d := &Document{File: "f.yaml", Index: 1, Raw: decodeRaw(t, src)}
	es, ws := newTestValidator(t).Validate(d)
	for _, e := range es {
		if e.File != "f.yaml" || e.Index != 1 {
			t.Errorf("error %q: file %q index %d, want f.yaml 1", e.Msg, e.File, e.Index)
		}
		errs = append(errs, problem{e.Path, e.Msg})
	}
	for _, w := range ws {
		if w.File != "f.yaml" || w.Index != 1 {
			t.Errorf("warning %q: file %q index %d, want f.yaml 1", w.Msg, w.File, w.Index)
		}
		warns = append(warns, problem{w.Path, w.Msg})
	}
	return errs, warns
}

const validWaiverSpec = `{
	"controls": ["CRED-003"],
	"selector": {"names": ["front-door"]},
	"justification": "guest codes are rotated by the concierge",
	"approved_by": "j.doe",
	"expires": "2026-01-01T00:00:00Z"
}`

const nullMsg = "null is not allowed here (only fields documented as nullable may be null)"

func TestValidate(t *testing.T) {
	const offset = "an RFC 3339 date-time with a UTC offset (e.g. 2025-07-01T00:00:00Z)"
	tests := []struct {
		name      string
		doc       string
		wantErrs  []problem
		wantWarns []problem
	}{
		{name: "minimal LockSnapshot", doc: withEnvelope("LockSnapshot", `{}`)},
		{name: "minimal ProductSpec", doc: withEnvelope("ProductSpec", `{}`)},
		{name: "minimal InstallPlan", doc: withEnvelope("InstallPlan", `{}`)},
		{name: "minimal Waiver", doc: withEnvelope("Waiver", validWaiverSpec)},
		{name: "no spec is missing evidence, not malformed", doc: `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnapshot", "metadata": {"name": "x", "labels": {"site": "hq"}}}`},
		{
			name:     "wrong type",
			doc:      withEnvelope("LockSnapshot", `{"device": {"clock_drift_s": "ten"}}`),
			wantErrs: []problem{{"spec.device.clock_drift_s", `expected an integer, got string "ten"`}},
		},
		{
			name:     "quoted number",
			doc:      withEnvelope("LockSnapshot", `{"logging": {"retention_days": "90"}}`),
			wantErrs: []problem{{"spec.logging.retention_days", `expected a non-negative integer, got string "90" (remove the quotes to make it a number)`}},
		},
		{
			name:     "quoted boolean",
			doc:      withEnvelope("LockSnapshot", `{"enrollment": {"pairing_mode_open": "false"}}`),
			wantErrs: []problem{{"spec.enrollment.pairing_mode_open", `expected true or false, got string "false" (remove the quotes to make it a boolean)`}},
		},
		{
			name:     "fraction where an integer is expected",
			doc:      withEnvelope("LockSnapshot", `{"power": {"battery_percent": 55.5}}`),
			wantErrs: []problem{{"spec.power.battery_percent", `expected an integer between 0 and 100, got number 55.5`}},
		},
		{
			name:     "object where a string is expected",
			doc:      withEnvelope("ProductSpec", `{"product": {"model": {"name": "X1"}}}`),
			wantErrs: []problem{{"spec.product.model", `expected a string, got a mapping`}},
		},
		{
			name:     "naive datetime",
			doc:      withEnvelope("LockSnapshot", `{"credentials": [{}, {}, {"valid_until": "2025-07-01T00:00:00"}]}`),
			wantErrs: []problem{{"spec.credentials[2].valid_until", "expected " + offset + ` or null, got "2025-07-01T00:00:00"`}},
		},
		{
			name:     "naive captured_at",
			doc:      withEnvelope("LockSnapshot", `{"captured_at": "2025-07-01T00:00:00"}`),
			wantErrs: []problem{{"spec.captured_at", "expected " + offset + `, got "2025-07-01T00:00:00"`}},
		},
		{
			name:     "date where a datetime is expected",
			doc:      withEnvelope("InstallPlan", `{"occupancy": {"current_tenancy_start": "2025-07-01"}}`),
			wantErrs: []problem{{"spec.occupancy.current_tenancy_start", "expected " + offset + `, got "2025-07-01"`}},
		},
		{
			name: "datetimes with offsets and fractions",
			doc: withEnvelope("LockSnapshot", `{"captured_at": "2025-07-01T10:00:00+02:00", "generated_at": "2025-07-01T08:00:00.123Z",
				"device_sync": {"last_sync_at": "2025-06-30T23:59:59-07:00"}}`),
		},
		{
			name:     "impossible datetime",
			doc:      withEnvelope("LockSnapshot", `{"captured_at": "2025-02-30T10:00:00Z"}`),
			wantErrs: []problem{{"spec.captured_at", "expected " + offset + `, got "2025-02-30T10:00:00Z"`}},
		},
		{
			name:     "bad date",
			doc:      withEnvelope("LockSnapshot", `{"firmware": {"release_date": "next year"}}`),
			wantErrs: []problem{{"spec.firmware.release_date", `expected a date (YYYY-MM-DD), got "next year"`}},
		},
		{
			name:     "datetime where a date is expected",
			doc:      withEnvelope("ProductSpec", `{"support": {"support_end_date": "2027-02-28T00:00:00Z"}}`),
			wantErrs: []problem{{"spec.support.support_end_date", `expected a date (YYYY-MM-DD) or null, got "2027-02-28T00:00:00Z"`}},
		},
		{
			name:     "unknown enum",
			doc:      withEnvelope("LockSnapshot", `{"device": {"connectivity": "sometimes"}}`),
			wantErrs: []problem{{"spec.device.connectivity", `expected one of online, intermittent, offline, got "sometimes"`}},
		},
		{
			name:     "misspelt enum gets a suggestion",
			doc:      withEnvelope("ProductSpec", `{"firmware": {"signature_verification": "enforcd"}}`),
			wantErrs: []problem{{"spec.firmware.signature_verification", `expected one of enforced, optional, none, got "enforcd" (did you mean "enforced"?)`}},
		},
		{
			name:     "unquoted TLS version",
			doc:      withEnvelope("ProductSpec", `{"cloud": {"tls_min_version": 1.2}}`),
			wantErrs: []problem{{"spec.cloud.tls_min_version", `expected one of 1.0, 1.1, 1.2, 1.3, got number 1.2 (put it in quotes to make it a string)`}},
		},
		{
			name:     "number for a string enum it is not part of",
			doc:      withEnvelope("LockSnapshot", `{"credentials": [{"pin_source": 5}]}`),
			wantErrs: []problem{{"spec.credentials[0].pin_source", `expected one of user_chosen, device_random or null, got number 5`}},
		},
		{
			name:     "enum inside a list",
			doc:      withEnvelope("LockSnapshot", `{"credentials": [{"permissions": ["unlock", "open_door"]}]}`),
			wantErrs: []problem{{"spec.credentials[0].permissions[1]", `expected one of unlock, lock, remote_unlock, manage_users, manage_settings, firmware_update, view_logs, got "open_door"`}},
		},
		{
			name:     "null on a non-nullable field",
			doc:      withEnvelope("LockSnapshot", `{"firmware": {"version": null}, "credentials": [{"valid_from": null}]}`),
			wantErrs: []problem{{"spec.credentials[0].valid_from", nullMsg}, {"spec.firmware.version", nullMsg}},
		},
		{
			name:     "null on a non-nullable object",
			doc:      withEnvelope("LockSnapshot", `{"device_sync": null}`),
			wantErrs: []problem{{"spec.device_sync", nullMsg}},
		},
		{
			name:     "null spec",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "ProductSpec", "metadata": {"name": "x"}, "spec": null}`,
			wantErrs: []problem{{"spec", nullMsg}},
		},
		{
			name: "null on nullable fields",
			doc: withEnvelope("LockSnapshot", `{"credentials": [{"valid_until": null, "schedule": null, "tenancy_id": null, "pin_source": null,
				"pin_length": null, "revoked_at": null}], "support": {"support_end_date": null, "source_uri": null},
				"ownership": {"previous_owner_unbound_confirmed": null}, "interfaces": [{"rate_limit": null}],
				"subject": {"hardware_revision": null}, "source": {"operator_id": null, "evidence_uri": null}}`),
		},
		{
			name: "bad timezones",
			doc: withEnvelope("LockSnapshot", `{"device": {"timezone": "Mars/Olympus"},
				"credentials": [{"schedule": {"timezone": "Local"}}, {"schedule": {"timezone": ""}}, {"schedule": {"timezone": "america/new_york"}}]}`),
			wantErrs: []problem{
				{"spec.credentials[0].schedule.timezone", `expected an IANA time zone name (e.g. Europe/London), got "Local"`},
				{"spec.credentials[1].schedule.timezone", `expected an IANA time zone name (e.g. Europe/London), got ""`},
				{"spec.credentials[2].schedule.timezone", `expected an IANA time zone name (e.g. Europe/London), got "america/new_york"`},
				{"spec.device.timezone", `expected an IANA time zone name (e.g. Europe/London), got "Mars/Olympus"`},
			},
		},
		{
			name: "good timezones",
			doc:  withEnvelope("InstallPlan", `{"site": {"timezone": "America/Los_Angeles"}, "access_plan": {"credentials": [{"schedule": {"timezone": "UTC"}}]}}`),
		},
		{
			name: "schedule times",
			doc: withEnvelope("InstallPlan", `{"access_plan": {"credentials": [{"schedule": {"days": ["mon", "wed"], "start_time": "09:00", "end_time": "24:00"}},
				{"schedule": {"start_time": "9:00", "end_time": "23:59", "days": ["funday"]}}]}}`),
			wantErrs: []problem{
				{"spec.access_plan.credentials[0].schedule.end_time", `expected a time of day as HH:MM (00:00 to 23:59), got "24:00"`},
				{"spec.access_plan.credentials[1].schedule.days[0]", `expected one of mon, tue, wed, thu, fri, sat, sun, got "funday"`},
				{"spec.access_plan.credentials[1].schedule.start_time", `expected a time of day as HH:MM (00:00 to 23:59), got "9:00"`},
			},
		},
		{
			name: "integer ranges",
			doc: withEnvelope("LockSnapshot", `{"power": {"battery_percent": 140, "low_battery_threshold_percent": -1},
				"device_sync": {"pending_local_changes_count": -3}, "device": {"clock_drift_s": -7200}}`),
			wantErrs: []problem{
				{"spec.device_sync.pending_local_changes_count", `expected a non-negative integer, got -3`},
				{"spec.power.battery_percent", `expected an integer between 0 and 100, got 140`},
				{"spec.power.low_battery_threshold_percent", `expected an integer between 0 and 100, got -1`},
			},
		},
		{
			name:     "uri",
			doc:      withEnvelope("ProductSpec", `{"enrollment": {"first_admin_guide_url": "see the manual"}, "vendor": {"vdp_url": "https://example.com/security"}}`),
			wantErrs: []problem{{"spec.enrollment.first_admin_guide_url", `expected an absolute URI (e.g. https://example.com/docs), got "see the manual"`}},
		},
		{
			name: "fallback plan scenarios",
			doc:  withEnvelope("InstallPlan", `{"fallback_plan": {"phone_lost": {"procedure_ref": "P-1", "responsible_role": "owner"}, "phone_lsot": {"procedure_ref": "P-2", "responsible_role": "janitor"}}}`),
			wantErrs: []problem{
				{"spec.fallback_plan.phone_lsot", `unexpected key "phone_lsot"; expected one of phone_lost, battery_depleted, factory_reset, account_locked_out, device_replaced, cloud_outage, network_outage (did you mean "phone_lost"?)`},
				{"spec.fallback_plan.phone_lsot.responsible_role", `expected one of owner, property_manager, installer, facilities, got "janitor"`},
			},
		},
		{
			name:      "policy overrides",
			doc:       withEnvelope("InstallPlan", `{"policy_overrides": {"max_revocation_latency_h": 12, "log_retention_days": "ninety", "max_sync_staleness": 3}}`),
			wantErrs:  []problem{{"spec.policy_overrides.log_retention_days", `expected a non-negative integer, got string "ninety"`}},
			wantWarns: []problem{{"spec.policy_overrides.max_sync_staleness", `unknown field "max_sync_staleness"; did you mean "max_sync_staleness_h"?`}},
		},
		{
			name:     "labels are strings",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnapshot", "metadata": {"name": "x", "labels": {"floor": 3}}}`,
			wantErrs: []problem{{"metadata.labels.floor", `expected a string, got number 3 (put it in quotes to make it a string)`}},
		},
		{
			name:      "unknown field with a suggestion",
			doc:       withEnvelope("LockSnapshot", `{"enrollment": {"pairing_mode_opne": true}}`),
			wantWarns: []problem{{"spec.enrollment.pairing_mode_opne", `unknown field "pairing_mode_opne"; did you mean "pairing_mode_open"?`}},
		},
		{
			name:      "unknown field without a suggestion",
			doc:       withEnvelope("LockSnapshot", `{"foo": 1}`),
			wantWarns: []problem{{"spec.foo", `unknown field "foo" (not part of the LockSnapshot schema; it is ignored)`}},
		},
		{
			name: "unknown fields at every depth",
			doc: `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "ProductSpec", "metadata": {"name": "x", "annotations": {}}, "specs": {},
				"spec": {"auth": {"factor_policy": [{"action": "unlock_local", "min_factor": 1}]}, "interfaces": [{"type": "ble", "rate_limit": {"lockout_delay": 30}}],
				"subject": {"vendor": "Acme"}}}`,
			wantWarns: []problem{
				{"metadata.annotations", `unknown field "annotations" (not part of the ProductSpec schema; it is ignored)`},
				{"spec.auth.factor_policy[0].min_factor", `unknown field "min_factor"; did you mean "min_factors"?`},
				{"spec.interfaces[0].rate_limit.lockout_delay", `unknown field "lockout_delay"; did you mean "lockout_delay_s"?`},
				{"spec.subject.vendor", `unknown field "vendor" (not part of the ProductSpec schema; it is ignored)`},
				{"specs", `unknown field "specs"; did you mean "spec"?`},
			},
		},
		{
			name:     "unknown kind",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnaphot", "metadata": {"name": "x"}, "spec": {"bogus": 1}}`,
			wantErrs: []problem{{"kind", `unknown kind "LockSnaphot"; expected one of InstallPlan, LockSnapshot, ProductSpec, Waiver (did you mean "LockSnapshot"?)`}},
		},
		{
			name:     "unrelated kind",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "Deployment", "metadata": {"name": "x"}}`,
			wantErrs: []problem{{"kind", `unknown kind "Deployment"; expected one of InstallPlan, LockSnapshot, ProductSpec, Waiver`}},
		},
		{
			name: "missing envelope",
			doc:  `{"spec": {}}`,
			wantErrs: []problem{
				{"apiVersion", `required field is missing; expected "lockcheck.dev/v1alpha1"`},
				{"kind", `required field is missing; expected one of InstallPlan, LockSnapshot, ProductSpec, Waiver`},
				{"metadata", `required field is missing; expected a mapping with a name`},
			},
		},
		{
			name: "wrong apiVersion",
			doc:  `{"apiVersion": "lockcheck.dev/v1", "kind": "InstallPlan", "metadata": {"name": "x"}, "spec": {"site": {"jurisdiction": "mars"}}}`,
			wantErrs: []problem{
				{"apiVersion", `expected "lockcheck.dev/v1alpha1" (the only version this release reads), got string "lockcheck.dev/v1"`},
				{"spec.site.jurisdiction", `expected one of uk, us, eu, other, got "mars"`},
			},
		},
		{
			name:     "missing metadata.name",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnapshot", "metadata": {"labels": {"a": "b"}}, "spec": {}}`,
			wantErrs: []problem{{"metadata.name", `required field is missing; expected a non-empty string (the document's name)`}},
		},
		{
			name:     "blank metadata.name",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnapshot", "metadata": {"name": "  "}, "spec": {}}`,
			wantErrs: []problem{{"metadata.name", `expected a non-empty string (the document's name), got string "  "`}},
		},
		{
			name:     "numeric metadata.name",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnapshot", "metadata": {"name": 42}, "spec": {}}`,
			wantErrs: []problem{{"metadata.name", `expected a non-empty string (the document's name), got number 42`}},
		},
		{
			name:     "metadata not a mapping",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "LockSnapshot", "metadata": "x", "spec": {}}`,
			wantErrs: []problem{{"metadata", `expected a mapping with a name, got string "x"`}},
		},
		{
			name:     "Waiver missing justification",
			doc:      withEnvelope("Waiver", `{"controls": ["CRED-003"], "selector": {"labels": {"site": "hq"}}, "approved_by": "j.doe", "expires": "2026-01-01T00:00:00Z"}`),
			wantErrs: []problem{{"spec.justification", "required field is missing; expected a non-empty string"}},
		},
		{
			name: "Waiver with everything wrong",
			doc:  withEnvelope("Waiver", `{"controls": [], "selector": {}, "justification": "", "approved_by": " ", "expires": "2026-01-01", "ticket": 7}`),
			wantErrs: []problem{
				{"spec.approved_by", `expected a non-empty string, got " "`},
				{"spec.controls", `expected a list with at least 1 entry, got an empty list`},
				{"spec.expires", "expected " + offset + `, got "2026-01-01"`},
				{"spec.justification", `expected a non-empty string, got ""`},
				{"spec.selector", `expected a mapping with at least one of labels, names, got an empty mapping`},
				{"spec.ticket", `expected a string, got number 7 (put it in quotes to make it a string)`},
			},
		},
		{
			name:     "Waiver control ids",
			doc:      withEnvelope("Waiver", strings.Replace(validWaiverSpec, `["CRED-003"]`, `["CRED-003", "cred-3"]`, 1)),
			wantErrs: []problem{{"spec.controls[1]", `expected a control id such as CRED-003, got "cred-3"`}},
		},
		{
			name:     "Waiver without spec",
			doc:      `{"apiVersion": "lockcheck.dev/v1alpha1", "kind": "Waiver", "metadata": {"name": "w"}}`,
			wantErrs: []problem{{"spec", "required field is missing; expected a mapping"}},
		},
		{
			name: "errors sort by path, list indices numerically",
			doc: withEnvelope("LockSnapshot", `{"credentials": [{"role": "x"}, {}, {"role": "x"}, {}, {}, {}, {}, {}, {}, {}, {"role": "x"}],
				"captured_at": "now"}`),
			wantErrs: []problem{
				{"spec.captured_at", "expected " + offset + `, got "now"`},
				{"spec.credentials[0].role", `expected one of owner, admin, resident, guest, service, installer, property_manager, got "x"`},
				{"spec.credentials[2].role", `expected one of owner, admin, resident, guest, service, installer, property_manager, got "x"`},
				{"spec.credentials[10].role", `expected one of owner, admin, resident, guest, service, installer, property_manager, got "x"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, warns := validateSrc(t, tt.doc)
			if diff := cmp.Diff(tt.wantErrs, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePositions(t *testing.T) {
	d := &Document{
		File: "site.yaml", Index: 2, Pos: Pos{Line: 40, Col: 1},
		Raw: decodeRaw(t, withEnvelope("LockSnapshot", `{"device": {"connectivity": "sometimes"}, "firmware": {"version": 3}, "enrollment": {"pairing_mode_opne": true}}`)),
		positions: map[string]Pos{
			"spec.device.connectivity":          {Line: 47, Col: 19},
			"spec.firmware":                     {Line: 50, Col: 3},
			"spec.enrollment.pairing_mode_opne": {Line: 60, Col: 5},
		},
	}
	errs, warns := newTestValidator(t).Validate(d)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	for _, w := range warns {
		got = append(got, w.String())
	}
	want := []string{
		`site.yaml:47:19 (doc 2): spec.device.connectivity: expected one of online, intermittent, offline, got "sometimes"`,
		// no position of its own: the nearest enclosing field's
		`site.yaml:50:3 (doc 2): spec.firmware.version: expected a string, got number 3 (put it in quotes to make it a string)`,
		`site.yaml:60:5 (doc 2): spec.enrollment.pairing_mode_opne: unknown field "pairing_mode_opne"; did you mean "pairing_mode_open"?`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestValidateGolden validates each testdata/validate/*.json document and
// compares the printed errors and warnings with its .golden file (rewrite
// with -update). The valid-*.json fixtures are realistic documents that must
// produce nothing, and have no golden file.
func TestValidateGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "validate", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/validate/*.json: %v", err)
	}
	v := newTestValidator(t)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			errs, warns := v.Validate(&Document{File: filepath.Base(file), Index: 1, Raw: decodeRaw(t, string(src))})
			var b strings.Builder
			for _, e := range errs {
				fmt.Fprintf(&b, "error: %s\n", e)
			}
			for _, w := range warns {
				fmt.Fprintf(&b, "warning: %s\n", w)
			}
			got := b.String()
			if strings.HasPrefix(name, "valid-") {
				if got != "" {
					t.Errorf("a valid fixture produced problems:\n%s", got)
				}
				return
			}
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if updating() {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestValidateEveryField builds, from each schema, a document that sets
// every field it defines, and checks three things: the document is valid
// and draws no unknown-field warning (the schema accepts its own fields and
// the walker knows them all); the fields marked nullable accept null; and
// every other field refuses null with exactly one error at its own path.
func TestValidateEveryField(t *testing.T) {
	v := newTestValidator(t)
	for _, k := range AllKinds {
		t.Run(k, func(t *testing.T) {
			ks := v.kinds[k]
			var nullable, required []string
			doc := exampleValue(ks, ks.doc, "", &nullable, &required).(map[string]any)
			if len(nullable) == 0 && k != KindWaiver {
				t.Fatalf("no nullable field found in %s", k)
			}
			check := func(t *testing.T, d map[string]any) ([]*InputError, []Warning) {
				t.Helper()
				return v.Validate(&Document{File: "f.json", Index: 1, Raw: d})
			}
			errs, warns := check(t, doc)
			if len(errs) > 0 || len(warns) > 0 {
				t.Fatalf("full example document: errors %v, warnings %v", errs, warns)
			}

			var paths []string
			collectLeafPaths(doc, "", &paths)
			sort.Strings(paths)
			nulls := 0
			for _, p := range paths {
				if strings.HasPrefix(p, "apiVersion") || strings.HasPrefix(p, "kind") || strings.HasPrefix(p, "metadata.name") {
					continue // the envelope has its own messages
				}
				d := exampleValue(ks, ks.doc, "", new([]string), new([]string)).(map[string]any)
				setPath(d, p, nil)
				errs, _ := check(t, d)
				var got []problem
				for _, e := range errs {
					got = append(got, problem{e.Path, e.Msg})
				}
				var want []problem
				if !slices.Contains(nullable, p) {
					want = []problem{{p, nullMsg}}
				} else {
					nulls++
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: null (-want +got):\n%s", p, diff)
				}
			}
			if nulls != len(nullable) {
				t.Errorf("tried null on %d nullable fields, schema has %d: %v", nulls, len(nullable), nullable)
			}
		})
	}
}

// exampleValue makes a valid value for a schema node, recording the paths of
// nullable fields.
func exampleValue(ks *kindSchema, node map[string]any, path string, nullable, required *[]string) any {
	node = ks.resolve(node)
	if c, ok := node["const"]; ok {
		return c
	}
	types := schemaTypes(node)
	if slices.Contains(types, "null") {
		*nullable = append(*nullable, path)
	}
	if e := enumStrings(node["enum"]); len(e) > 0 {
		return e[len(e)-1]
	}
	base := ""
	for _, t := range types {
		if t != "null" {
			base = t
		}
	}
	if base == "" && node["properties"] != nil {
		base = "object"
	}
	switch base {
	case "object":
		m := map[string]any{}
		if props, ok := node["properties"].(map[string]any); ok {
			for name, sub := range props {
				m[name] = exampleValue(ks, sub.(map[string]any), joinPath(path, name), nullable, required)
			}
		}
		if extra, ok := node["additionalProperties"].(map[string]any); ok {
			keys := []string{"key"}
			if names, ok := node["propertyNames"].(map[string]any); ok {
				keys = enumStrings(names["enum"])
			}
			for _, key := range keys {
				m[key] = exampleValue(ks, extra, joinPath(path, key), nullable, required)
			}
		}
		return m
	case "array":
		items, _ := node["items"].(map[string]any)
		return []any{exampleValue(ks, items, path+"[0]", nullable, required)}
	case "integer", "number":
		return json.Number("1")
	case "boolean":
		return true
	case "string":
		switch node["format"] {
		case "date-time":
			return "2025-07-01T09:30:00+01:00"
		case "date":
			return "2025-07-01"
		case "uri":
			return "https://example.com/doc"
		case "iana-timezone":
			return "Europe/London"
		}
		switch node["pattern"] {
		case "^([01][0-9]|2[0-3]):[0-5][0-9]$":
			return "23:59"
		case `^[A-Z]+-\d{3}$`:
			return "CRED-003"
		}
		return "x"
	}
	return "x"
}

// collectLeafPaths lists the path of every value in a document, containers
// included.
func collectLeafPaths(v any, path string, out *[]string) {
	if path != "" {
		*out = append(*out, path)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			collectLeafPaths(sub, joinPath(path, k), out)
		}
	case []any:
		for i, sub := range x {
			collectLeafPaths(sub, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

// setPath replaces the value at a path built by collectLeafPaths.
func setPath(doc map[string]any, path string, val any) {
	var cur any = doc
	for path != "" {
		key, index, rest := nextStep(path)
		last := rest == ""
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[key] = val
				return
			}
			cur = c[key]
		case []any:
			if last {
				c[index] = val
				return
			}
			cur = c[index]
		}
		path = rest
	}
}

func TestValidateConcurrent(t *testing.T) {
	v := newTestValidator(t)
	raw := decodeRaw(t, withEnvelope("LockSnapshot", `{"device": {"timezone": "Asia/Tokyo", "connectivity": "sometimes"}, "foo": 1}`))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				errs, warns := v.Validate(&Document{File: "f.yaml", Index: 1, Raw: raw})
				if len(errs) != 1 || len(warns) != 1 {
					t.Errorf("got %d errors, %d warnings; want 1, 1", len(errs), len(warns))
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestValidateEmptyDocument(t *testing.T) {
	errs, warns := newTestValidator(t).Validate(&Document{File: "f.yaml", Index: 3})
	got := []string{}
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{"f.yaml (doc 3): expected a document (a mapping with apiVersion, kind, metadata and spec), got an empty document"}
	if diff := cmp.Diff(want, got); diff != "" || len(warns) > 0 {
		t.Errorf("(-want +got):\n%s\nwarnings: %v", diff, warns)
	}
}

func TestSchemaFor(t *testing.T) {
	for _, k := range AllKinds {
		t.Run(k, func(t *testing.T) {
			b, ok := SchemaFor(k)
			if !ok {
				t.Fatalf("SchemaFor(%q) = false", k)
			}
			var s struct {
				Schema     string `json:"$schema"`
				ID         string `json:"$id"`
				Properties struct {
					Kind struct {
						Const string `json:"const"`
					} `json:"kind"`
				} `json:"properties"`
			}
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatalf("schema is not JSON: %v", err)
			}
			if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.ID != schemaBaseURL+k+".json" || s.Properties.Kind.Const != k {
				t.Errorf("schema header: %+v", s)
			}
			b[0] = 'X' // a copy: the embedded bytes stay intact
			if again, _ := SchemaFor(k); again[0] != '{' {
				t.Errorf("SchemaFor returned the embedded bytes, not a copy")
			}
		})
	}
	if _, ok := SchemaFor("Deployment"); ok {
		t.Errorf("SchemaFor(unknown kind) = true")
	}
}

// TestSchemaNoRequiredInEvidence guards "absent is not malformed": the
// evidence kinds' schemas may not require anything under spec.
func TestSchemaNoRequiredInEvidence(t *testing.T) {
	for _, k := range Kinds {
		b, _ := SchemaFor(k)
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		spec := doc["properties"].(map[string]any)["spec"]
		var find func(v any, path string)
		find = func(v any, path string) {
			switch x := v.(type) {
			case map[string]any:
				for key, sub := range x {
					if key == "required" {
						t.Errorf("%s: %s has required %v", k, path, sub)
					}
					find(sub, path+"/"+key)
				}
			case []any:
				for i, sub := range x {
					find(sub, fmt.Sprintf("%s/%d", path, i))
				}
			}
		}
		find(spec, "#/properties/spec")
		for name, def := range doc["$defs"].(map[string]any) {
			if name != "metadata" {
				find(def, "#/$defs/"+name)
			}
		}
	}
}

// BenchmarkValidate measures validating one realistic snapshot:
// go test ./engine/document/ -run '^$' -bench Validate -benchmem
func BenchmarkValidate(b *testing.B) {
	v, err := NewValidator()
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "validate", "valid-LockSnapshot.json"))
	if err != nil {
		b.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(src)))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		b.Fatal(err)
	}
	d := &Document{File: "f.json", Index: 1, Raw: raw}
	b.ReportAllocs()
	for b.Loop() {
		if errs, warns := v.Validate(d); len(errs)+len(warns) > 0 {
			b.Fatalf("unexpected problems: %v %v", errs, warns)
		}
	}
}
