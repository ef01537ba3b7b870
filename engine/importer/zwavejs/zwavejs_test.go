package zwavejs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/importer/internal/importtest"
	"github.com/lockcheck/lockcheck/engine/importer/zwavejs"
)

// TestMain gives importtest the catalogue engine (importtest does not
// import engine, its parent).
func TestMain(m *testing.M) {
	importtest.Main(m, func(now time.Time) (importtest.Engine, error) {
		return engine.New(context.Background(), engine.Options{Now: now})
	})
}

// TestGolden imports each fixture: snapshots, warnings and coverage summary
// against testdata/<fixture>.golden; every snapshot validates against the
// LockSnapshot schema in every output format.
func TestGolden(t *testing.T) { importtest.GoldenAll(t, zwavejs.Map, "zwave-js") }

// TestRoundTrip evaluates the imports: no error finding, every
// insufficient_evidence explained by the coverage, reported facts judged.
func TestRoundTrip(t *testing.T) {
	res := importtest.RoundTrip(t, importtest.Import(t, zwavejs.Map, nil, importtest.Fixtures(t, "zwave-js")...))
	for _, w := range []importtest.Want{
		// 6- and 8-digit codes, lengths from the user codes
		{Lock: "garden-gate", Control: "AUTH-003", Status: engine.StatusPass, Source: "zwave-js:cc99/userCode/1(length)"},
		// S2 Access Control, but the interface's enabled flag is not reported
		{Lock: "garden-gate", Control: "COMM-002", Status: engine.StatusInsufficientEvidence},
		// the holders of the slots are nobody's record: an overlay must say
		{Lock: "garden-gate", Control: "CRED-001", Status: engine.StatusInsufficientEvidence},
		// 4-digit PIN on the insecure lock
		{Lock: "fw-610", Control: "AUTH-003", Status: engine.StatusFail, Source: "zwave-js:cc99/userCode/1(length)"},
	} {
		importtest.Check(t, res, w)
	}
	// attributed keypad events resolve to the imported slots (the finding is
	// insufficient_evidence only because the policy also asks result of the
	// unlock_failed event, which 2.4 does not map)
	for _, f := range res["garden-gate"] {
		if f.ControlID == "LOG-002" && (f.Status == engine.StatusFail || !strings.Contains(f.Rationale, "4 of 4 successful unlock/lock events")) {
			t.Errorf("garden-gate LOG-002 = %s: %s", f.Status, f.Rationale)
		}
	}
}

// TestSecurityClass reads the security class from each way dumps record it.
func TestSecurityClass(t *testing.T) {
	base := func(extra string) string {
		return `{"nodeId": 5, "endpoints": [{"index": 0, "commandClasses": [{"id": 98, "isSecure": true}` + extra + `]}], "values": []`
	}
	for _, c := range []struct {
		name, dump string
		want       map[string]any // interfaces[0] fields; nil = no interface
	}{
		{"S2 access control", base("") + `, "highestSecurityClass": 2}`, map[string]any{"encryption": "app_layer_aead", "authenticated": true, "replay_protection": "nonce_challenge", "unauthenticated_pairing_allowed": false}},
		{"S2 authenticated", base("") + `, "securityClasses": {"S2_AccessControl": false, "S2_Authenticated": true, "S2_Unauthenticated": true, "S0_Legacy": false}}`, map[string]any{"encryption": "app_layer_aead", "authenticated": true}},
		{"S2 unauthenticated", base("") + `, "highestSecurityClass": 0}`, map[string]any{"encryption": "app_layer_aead", "authenticated": false, "replay_protection": nil}},
		{"S0 by class", base("") + `, "highestSecurityClass": 7}`, map[string]any{"encryption": "link_layer_only", "authenticated": false, "replay_protection": "nonce_challenge"}},
		{"S0 by command classes", base(`, {"id": 152, "isSecure": false}`) + `, "isSecure": true}`, map[string]any{"encryption": "link_layer_only"}},
		{"S2 supported but class unknown", base(`, {"id": 159}`) + `, "isSecure": true}`, nil},
		{"none", base("") + `, "isSecure": false}`, map[string]any{"encryption": "none", "authenticated": false, "replay_protection": "none"}},
		{"unknown classes", base("") + `, "securityClasses": {"S2_AccessControl": "unknown", "S0_Legacy": false}}`, nil},
		{"nothing", base("") + `}`, nil},
	} {
		res, err := zwavejs.Map("x.json", []byte(c.dump))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		s := res.Snapshots[0]
		_, has := s.Get("interfaces[zwave].type")
		if c.want == nil {
			if has {
				t.Errorf("%s: an interface was written from an undeterminable class", c.name)
			}
			continue
		}
		for k, want := range c.want {
			got, ok := s.Get("interfaces[zwave]." + k)
			if want == nil {
				if ok {
					t.Errorf("%s: %s = %v, want absent", c.name, k, got)
				}
				continue
			}
			if got != want {
				t.Errorf("%s: %s = %v, want %v", c.name, k, got, want)
			}
		}
	}
}

// TestMalformed: each bad dump is an input error naming the file and the
// attribute.
func TestMalformed(t *testing.T) {
	importtest.Malformed(t, zwavejs.Map, map[string]string{
		"zwave-truncated.json":       "invalid JSON: truncated",
		"zwave-wrong-type.json":      "values[3].commandClass: expected a command class id (an integer), got a string",
		"zwave-missing-node-id.json": "nodeId: missing node id",
	})
}

// TestCanary: no user code, in any slot state, reaches any output format,
// warning or summary, and the guard knows every one.
func TestCanary(t *testing.T) {
	importtest.Canary(t, zwavejs.Map, "zwave-js", []string{"48151623", "904172", "772034", "660311", "582910", "3141", "27182818", "5190737"})
}

const refScript = `
import { CommandClasses, SecurityClass, getNotification } from "@zwave-js/core";
import { UserCodeCCValues, UserIDStatus } from "@zwave-js/cc";
const out = { cc: {}, sec: {}, status: {}, values: {}, access: {} };
for (const n of ["Door Lock", "User Code", "Notification", "Security", "Security 2"]) out.cc[n] = CommandClasses[n];
for (const [k, v] of Object.entries(SecurityClass)) if (typeof v === "number") out.sec[k] = v;
for (const [k, v] of Object.entries(UserIDStatus)) if (typeof v === "number") out.status[k] = v;
out.values.userIdStatus = UserCodeCCValues.userIdStatus(1).id;
out.values.userCode = UserCodeCCValues.userCode(1).id;
const ac = getNotification(6);
out.access.name = ac.name;
for (const [k, v] of (ac.events instanceof Map ? ac.events.entries() : Object.entries(ac.events))) out.access[String(k)] = v.label;
for (const variable of ac.variables) {
  for (const [k, v] of (variable.states instanceof Map ? variable.states.entries() : Object.entries(variable.states))) out.access[String(k)] = v.label;
}
console.log(JSON.stringify(out));
`

// TestReferenceIDs checks every command class, security class, user id
// status, value property and notification event the mapping uses against
// @zwave-js/core and @zwave-js/cc (installed with @zwave-js/config). Under
// CI=true a missing package fails.
func TestReferenceIDs(t *testing.T) {
	dir, node := importtest.RefsDir(t, "@zwave-js/config")
	importtest.RefsDir(t, "@zwave-js/cc")
	var ref struct {
		CC     map[string]int `json:"cc"`
		Sec    map[string]int `json:"sec"`
		Status map[string]int `json:"status"`
		Values map[string]struct {
			CommandClass int    `json:"commandClass"`
			Property     string `json:"property"`
		} `json:"values"`
		Access map[string]string `json:"access"`
	}
	if err := json.Unmarshal(importtest.Node(t, dir, node, refScript), &ref); err != nil {
		t.Fatal(err)
	}
	for name, id := range zwavejs.CCNames {
		if ref.CC[name] != id {
			t.Errorf("command class %q: 0x%02X, reference 0x%02X", name, id, ref.CC[name])
		}
	}
	for name, id := range zwavejs.SecurityClassNames {
		if v, ok := ref.Sec[name]; !ok || v != id {
			t.Errorf("security class %s: %d, reference %d (present %v)", name, id, v, ok)
		}
	}
	if ref.Sec["None"] != zwavejs.SecNone {
		t.Errorf("security class None: %d, reference %d", zwavejs.SecNone, ref.Sec["None"])
	}
	for name, id := range map[string]int{"Available": zwavejs.StatusAvailable, "Enabled": zwavejs.StatusEnabled, "Disabled": zwavejs.StatusDisabled} {
		if ref.Status[name] != id {
			t.Errorf("user id status %s: %d, reference %d", name, id, ref.Status[name])
		}
	}
	for prop, v := range ref.Values {
		if v.CommandClass != zwavejs.CCUserCode || v.Property != prop {
			t.Errorf("User Code value %s: reference %+v", prop, v)
		}
	}
	if _, ok := ref.Values[zwavejs.PropUserIDStatus]; !ok {
		t.Errorf("property %s not in the reference", zwavejs.PropUserIDStatus)
	}
	if _, ok := ref.Values[zwavejs.PropUserCode]; !ok {
		t.Errorf("property %s not in the reference", zwavejs.PropUserCode)
	}
	if ref.Access["name"] != "Access Control" {
		t.Errorf("notification type %d is %q in the reference, want Access Control", zwavejs.NotificationAccessControl, ref.Access["name"])
	}
	for id, label := range map[int]string{
		zwavejs.EventKeypadLock:     "Keypad lock operation",
		zwavejs.EventKeypadUnlock:   "Keypad unlock operation",
		zwavejs.EventLockJammed:     "Lock jammed",
		zwavejs.EventKeypadDisabled: "Keypad temporary disabled",
	} {
		if got := ref.Access[jsonKey(id)]; got != label {
			t.Errorf("Access Control event %d is %q in the reference, the mapping reads it as %q", id, got, label)
		}
	}
}

func jsonKey(i int) string { b, _ := json.Marshal(i); return string(b) }
