package matter_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/importer/internal/importtest"
	"github.com/lockcheck/lockcheck/engine/importer/matter"
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
func TestGolden(t *testing.T) { importtest.GoldenAll(t, matter.Map, "matter") }

// TestRoundTrip evaluates the imports, without and with the sample overlay:
// no error finding, every insufficient_evidence explained by the coverage,
// and the facts the dumps report judged on their merits with their
// provenance on the evidence.
func TestRoundTrip(t *testing.T) {
	files := importtest.Fixtures(t, "matter")
	ovPath := filepath.Join("..", "..", "..", "fixtures", "imports", "matter-overlay.yaml")
	ob, err := os.ReadFile(ovPath)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := importer.ParseOverlay(ovPath, ob)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		overlay *importer.Overlay
		want    importtest.Want
	}{
		{nil, importtest.Want{Lock: "front-door", Control: "CRED-001", Status: engine.StatusInsufficientEvidence}}, // no credential inventory in a Matter dump
		{nil, importtest.Want{Lock: "front-door", Control: "AUTH-002", Status: engine.StatusInsufficientEvidence}}, // interfaces' enabled not reported
		{nil, importtest.Want{Lock: "back-door", Control: "ENR-004", Status: engine.StatusInsufficientEvidence}},   // window open, expiry unknown
		{nil, importtest.Want{Lock: "front-door", Control: "LOG-006", Status: engine.StatusPass, Source: "--captured-at"}},
		{ov, importtest.Want{Lock: "back-door", Control: "ENR-004", Status: engine.StatusFail, Source: "overlay"}},
		{ov, importtest.Want{Lock: "back-door", Control: "AUTH-002", Status: engine.StatusFail, Source: "matter:1/257/49"}},
		{ov, importtest.Want{Lock: "front-door", Control: "COMM-002", Status: engine.StatusPass, Source: "matter:session"}},
		{ov, importtest.Want{Lock: "front-door", Control: "ENR-004", Status: engine.StatusPass, Source: "matter:0/60/0"}},
	} {
		importtest.Check(t, importtest.RoundTrip(t, importtest.Import(t, matter.Map, c.overlay, files...)), c.want)
	}
	importtest.Golden(t, "with-overlay.golden", importtest.Render(t, importtest.Import(t, matter.Map, ov, files...)))
}

// TestMalformed: each bad dump is an input error naming the file and the
// attribute.
func TestMalformed(t *testing.T) {
	importtest.Malformed(t, matter.Map, map[string]string{
		"matter-truncated.json":       "invalid JSON: truncated",
		"matter-wrong-type.json":      `attributes["1/257/48"]: expected an unsigned 8-bit integer, got a string`,
		"matter-unknown-cluster.json": `attributes["1/33059/0"]: unknown cluster id 0x8123`,
		"matter-missing-node-id.json": "node_id: missing node id",
	})
}

// TestCanary: the credential data in the fixtures never reaches any output.
func TestCanary(t *testing.T) { importtest.Canary(t, matter.Map, "matter", []string{"739204815"}) }

const refScript = `
import { Matter } from "@matter/model";
import { DoorLock, AdministratorCommissioning } from "@matter/types/clusters";
const out = { clusters: {}, fabric: {}, features: {}, modes: {}, window: {} };
const globals = Matter.children.filter(x => x.tag === "attribute");
for (const c of Matter.children.filter(x => x.tag === "cluster")) {
  const attrs = {};
  for (const a of c.children.filter(x => x.tag === "attribute")) attrs[a.name] = a.id;
  for (const a of globals) if (!(a.name in attrs)) attrs[a.name] = a.id;
  out.clusters[c.name] = { id: c.id, attributes: attrs };
}
const oc = Matter.children.find(x => x.name === "OperationalCredentials");
const fd = oc.children.find(x => x.name === "FabricDescriptorStruct") ?? Matter.children.find(x => x.name === "FabricDescriptorStruct");
for (const f of fd.children) out.fabric[f.name] = f.id;
for (const [k, v] of Object.entries(DoorLock.Complete.features)) out.features[k] = v.id;
for (const [k, v] of Object.entries(DoorLock.OperatingMode)) if (typeof v === "number") out.modes[k] = v;
for (const [k, v] of Object.entries(AdministratorCommissioning.CommissioningWindowStatus)) if (typeof v === "number") out.window[k] = v;
console.log(JSON.stringify(out));
`

// TestReferenceIDs checks every cluster, attribute, feature, struct field
// and enum value the mapping uses against @matter/types (and the
// @matter/model it is built from). Under CI=true a missing package fails.
func TestReferenceIDs(t *testing.T) {
	dir, node := importtest.RefsDir(t, "@matter/types")
	var ref struct {
		Clusters map[string]struct {
			ID         int            `json:"id"`
			Attributes map[string]int `json:"attributes"`
		} `json:"clusters"`
		Fabric   map[string]int `json:"fabric"`
		Features map[string]int `json:"features"`
		Modes    map[string]int `json:"modes"`
		Window   map[string]int `json:"window"`
	}
	if err := json.Unmarshal(importtest.Node(t, dir, node, refScript), &ref); err != nil {
		t.Fatal(err)
	}
	for _, r := range matter.Refs {
		c, ok := ref.Clusters[r.Name]
		if !ok {
			t.Errorf("cluster %s not in the reference", r.Name)
			continue
		}
		if c.ID != r.Cluster {
			t.Errorf("cluster %s: id 0x%04X, reference 0x%04X", r.Name, r.Cluster, c.ID)
		}
		if id, ok := c.Attributes[r.Attr]; !ok || id != r.Attribute {
			t.Errorf("%s.%s: id 0x%04X, reference 0x%04X (present %v)", r.Name, r.Attr, r.Attribute, id, ok)
		}
	}
	for name, id := range matter.FabricFields {
		if ref.Fabric[name] != id {
			t.Errorf("FabricDescriptorStruct.%s: field %d, reference %d", name, id, ref.Fabric[name])
		}
	}
	for _, c := range []struct {
		got, want int
		what      string
	}{
		{matter.FeaturePinCredential, ref.Features["pinCredential"], "DoorLock feature pinCredential"},
		{matter.ModeNormal, ref.Modes["Normal"], "OperatingMode Normal"},
		{matter.ModeVacation, ref.Modes["Vacation"], "OperatingMode Vacation"},
		{matter.ModePrivacy, ref.Modes["Privacy"], "OperatingMode Privacy"},
		{matter.ModeNoRemoteLockUnlock, ref.Modes["NoRemoteLockUnlock"], "OperatingMode NoRemoteLockUnlock"},
		{matter.ModePassage, ref.Modes["Passage"], "OperatingMode Passage"},
		{0, ref.Window["WindowNotOpen"], "CommissioningWindowStatus WindowNotOpen"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, reference %d", c.what, c.got, c.want)
		}
	}
	if len(ref.Window) != 3 {
		t.Errorf("CommissioningWindowStatus has %d values in the reference, the mapping reads 0, 1, 2", len(ref.Window))
	}
}
