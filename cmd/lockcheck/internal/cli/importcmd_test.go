package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportThenScan is the README's two commands on the bundled samples:
// import writes one file per lock, scan reads them without an input error
// (exit 1: the fleet has failing findings, absent facts fail closed), and
// the text report shows where the evidence came from.
func TestImportThenScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, stderr, code := run(t, "", "import", "matter", "fixtures/imports/matter/well-configured.json", "fixtures/imports/matter/window-open-two-fabrics.json",
		"-o", dir, "--captured-at", "2026-11-24T18:45:00Z", "--overlay", "fixtures/imports/matter-overlay.yaml")
	if code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"front-door (matter 14):", "back-door (matter 23):", "total: 2 locks", "cannot pass without an overlay"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("coverage summary lacks %q:\n%s", want, stderr)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) != 2 {
		t.Fatalf("import wrote %v, want front-door.yaml and back-door.yaml", files)
	}
	stdout, stderr, code := run(t, "", "scan", dir, "--now", now)
	if code != ExitFailing {
		t.Fatalf("scan: exit %d, want %d\n%s%s", code, ExitFailing, stdout, stderr)
	}
	for _, want := range []string{
		"from: spec.interfaces[1].rate_limit.lockout_delay_s ← matter:1/257/49",
		"from: spec.enrollment.pairing_window_expires_at ← overlay",
		"NOT EVIDENCED",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("scan report lacks %q", want)
		}
	}
	if strings.Contains(stdout+stderr, "error:") {
		t.Errorf("scan reported an input error:\n%s%s", stdout, stderr)
	}
}

// TestImportBadInput: malformed dumps, unknown sources and overlay conflicts
// exit 2 naming the file and the attribute.
func TestImportBadInput(t *testing.T) {
	t.Parallel()
	conflict := filepath.Join(t.TempDir(), "conflict.yaml")
	if err := os.WriteFile(conflict, []byte("NG300-2609-000731:\n  spec:\n    firmware: {version: 9.9.9}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{args("import", "matter", "fixtures/imports/bad/matter-wrong-type.json"), `fixtures/imports/bad/matter-wrong-type.json: attributes["1/257/48"]: expected an unsigned 8-bit integer`},
		{args("import", "matter", "fixtures/imports/bad/matter-unknown-cluster.json"), `attributes["1/33059/0"]: unknown cluster id 0x8123`},
		{args("import", "zwave-js", "fixtures/imports/bad/zwave-truncated.json"), "fixtures/imports/bad/zwave-truncated.json: invalid JSON: truncated"},
		{args("import", "zwave-js", "fixtures/imports/bad/zwave-missing-node-id.json"), "zwave-missing-node-id.json: nodeId: missing node id"},
		{args("import", "zigbee", "x.json"), `unknown source "zigbee"`},
		{args("import", "matter", "fixtures/imports/matter/well-configured.json", "--overlay", conflict), "firmware.version: overlay gives \"9.9.9\", the device (matter:0/40/10) reports \"2.4.1\""},
	} {
		_, stderr, code := run(t, "", c.args...)
		if code != ExitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// --prefer settles the conflict, and the provenance says who won
	stdout, stderr, code := run(t, "", "import", "matter", "fixtures/imports/matter/well-configured.json", "--overlay", conflict, "--prefer", "overlay")
	if code != ExitOK || !strings.Contains(stdout, `overlay (preferred over matter:0/40/10)`) {
		t.Errorf("--prefer overlay: exit %d, %s", code, stderr)
	}
}

// TestImportSecrets: the user codes and credential data in the fixtures reach
// no import format, no scan report, no message.
func TestImportSecrets(t *testing.T) {
	t.Parallel()
	canaries := []string{"739204815", "48151623", "904172", "772034", "660311", "582910", "27182818", "5190737"}
	var all strings.Builder
	dir := t.TempDir()
	for _, src := range []struct{ name, glob string }{{"matter", "fixtures/imports/matter/*.json"}, {"zwave-js", "fixtures/imports/zwave-js/*.json"}} {
		files, _ := filepath.Glob(filepath.Join(repoRoot, src.glob))
		for i := range files {
			files[i], _ = filepath.Rel(repoRoot, files[i])
		}
		for _, f := range []string{"yaml", "json", "ndjson"} {
			stdout, stderr, code := run(t, "", append([]string{"import", src.name, "--captured-at", "2026-11-24T18:45:00Z", "-f", f}, files...)...)
			if code != ExitOK {
				t.Fatalf("import %s -f %s: exit %d\n%s", src.name, f, code, stderr)
			}
			all.WriteString(stdout + stderr)
			if err := os.MkdirAll(filepath.Join(dir, f), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f, src.name+"."+f), []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// every import format read back, every report format written
	for _, c := range [][2]string{{"yaml", "text"}, {"json", "json"}, {"ndjson", "sarif"}, {"yaml", "markdown"}} {
		so, se, code := run(t, "", "scan", filepath.Join(dir, c[0]), "--now", now, "-f", c[1])
		if code != ExitFailing {
			t.Errorf("scan %s -f %s: exit %d\n%s", c[0], c[1], code, se)
		}
		all.WriteString(so + se)
	}
	// the malformed Z-Wave dumps hold the same user codes: errors name none
	for _, f := range []string{"zwave-truncated.json", "zwave-wrong-type.json", "zwave-missing-node-id.json"} {
		so, se, _ := run(t, "", "import", "zwave-js", "fixtures/imports/bad/"+f)
		all.WriteString(so + se)
	}
	for _, c := range canaries {
		if strings.Contains(all.String(), c) {
			t.Errorf("secret %s reached an output", c)
		}
	}
}
