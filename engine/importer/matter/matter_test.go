package matter_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/importer/internal/importtest"
	"github.com/lockcheck/lockcheck/engine/importer/matter"
)

// TestGolden imports each fixture: snapshots, warnings and coverage summary
// against testdata/<fixture>.golden; every snapshot validates against the
// LockSnapshot schema in every output format.
func TestGolden(t *testing.T) {
	for _, f := range importtest.Fixtures(t, "matter") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out := importtest.Import(t, matter.Map, nil, f)
			importtest.Documents(t, out)
			importtest.Golden(t, strings.TrimSuffix(filepath.Base(f), ".json")+".golden", importtest.Render(t, out))
		})
	}
}

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
		overlay       *importer.Overlay
		lock, control string
		want          engine.Status
		source        string // an evidence source the finding must show
	}{
		{nil, "front-door", "CRED-001", engine.StatusInsufficientEvidence, ""}, // no credential inventory in a Matter dump
		{nil, "front-door", "AUTH-002", engine.StatusInsufficientEvidence, ""}, // interfaces' enabled not reported
		{nil, "back-door", "ENR-004", engine.StatusInsufficientEvidence, ""},   // window open, expiry unknown
		{nil, "front-door", "LOG-006", engine.StatusPass, "--captured-at"},
		{ov, "back-door", "ENR-004", engine.StatusFail, "overlay"},
		{ov, "back-door", "AUTH-002", engine.StatusFail, "matter:1/257/49"},
		{ov, "front-door", "COMM-002", engine.StatusPass, "matter:session"},
		{ov, "front-door", "ENR-004", engine.StatusPass, "matter:0/60/0"},
	} {
		res := importtest.RoundTrip(t, importtest.Import(t, matter.Map, c.overlay, files...))
		var f *engine.Finding
		for i := range res[c.lock] {
			if res[c.lock][i].ControlID == c.control {
				f = &res[c.lock][i]
			}
		}
		if f == nil {
			t.Errorf("%s: no %s finding", c.lock, c.control)
			continue
		}
		if f.Status != c.want {
			t.Errorf("overlay %v: %s %s = %s, want %s: %s", c.overlay != nil, c.lock, c.control, f.Status, c.want, f.Rationale)
		}
		if c.source != "" {
			found := false
			for _, e := range f.Evidence {
				found = found || strings.Contains(e.Source, c.source)
			}
			if !found {
				t.Errorf("%s %s: no evidence from %s: %+v", c.lock, c.control, c.source, f.Evidence)
			}
		}
	}
	importtest.Golden(t, "with-overlay.golden", importtest.Render(t, importtest.Import(t, matter.Map, ov, files...)))
}

// TestMalformed: each bad dump is an input error naming the file and the
// attribute.
func TestMalformed(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"matter-truncated.json", "invalid JSON: truncated"},
		{"matter-wrong-type.json", `attributes["1/257/48"]: expected an unsigned 8-bit integer, got a string`},
		{"matter-unknown-cluster.json", `attributes["1/33059/0"]: unknown cluster id 0x8123`},
		{"matter-missing-node-id.json", "node_id: missing node id"},
	} {
		path := filepath.Join("..", "..", "..", "fixtures", "imports", "bad", c.file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = matter.Map(path, b)
		var ie *importer.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want an input error naming the file and %q", c.file, err, c.want)
		}
	}
}

// TestCanary: the credential data in the fixtures never reaches any output.
func TestCanary(t *testing.T) {
	canaries := []string{"739204815"}
	out := importtest.Import(t, matter.Map, nil, importtest.Fixtures(t, "matter")...)
	for _, c := range canaries {
		if out.Guard().CheckValue(c) == nil {
			t.Errorf("the guard does not know the canary %s", c)
		}
	}
	var all []byte
	for _, f := range []importer.Format{importer.FormatYAML, importer.FormatJSON, importer.FormatNDJSON} {
		b, err := out.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	all = append(all, importtest.Render(t, out)...)
	for _, c := range canaries {
		if strings.Contains(string(all), c) {
			t.Errorf("canary %s reached the output", c)
		}
	}
}

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
