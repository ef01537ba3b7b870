package report

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/internal/testenv"
)

// sarifMultitool finds Microsoft's SARIF validator installed by
// .ci/install-sarif-multitool.sh: under $LOCKCHECK_SARIF_MULTITOOL, else
// under $HOME/.cache/lockcheck/sarif-multitool, else on PATH.
func sarifMultitool() (string, bool) {
	var dirs []string
	if d := os.Getenv("LOCKCHECK_SARIF_MULTITOOL"); d != "" {
		dirs = append(dirs, d)
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".cache", "lockcheck", "sarif-multitool"))
	}
	for _, d := range dirs {
		// The npm wrapper (.bin/sarif-multitool) passes its arguments
		// through a shell unquoted; call the platform binary it wraps when
		// it is there, so that arguments with ';' survive.
		native := filepath.Join(d, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")
		if fi, err := os.Stat(native); err == nil && !fi.IsDir() {
			return native, true
		}
		bin := filepath.Join(d, "node_modules", ".bin", "sarif-multitool")
		if _, err := os.Stat(bin); err == nil {
			return bin, true
		}
	}
	if p, err := exec.LookPath("sarif-multitool"); err == nil {
		return p, true
	}
	return "", false
}

// sarifIssue is one result of the validator's own SARIF output.
type sarifIssue struct {
	RuleID    string `json:"ruleId"`
	Level     string `json:"level"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Message struct {
		Text      string   `json:"text"`
		ID        string   `json:"id"`
		Arguments []string `json:"arguments"`
	} `json:"message"`
}

// validatorConfig turns off the rules whose results are notes only, which
// the tests ignore (they fail on errors and log warnings): every rule that
// can report an error or a warning still runs. Among them SARIF2006
// (UrisShouldBeReachable) fetches every URI of a log, a rule help page per
// control, which needs the network and takes seconds per file; the others
// report a note per result (no code snippet, context region, message
// arguments or version control provenance).
var validatorConfig = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
` + disabledRule("SARIF2002.ProvideMessageArguments") +
	disabledRule("SARIF2003.ProvideVersionControlProvenance") +
	disabledRule("SARIF2006.UrisShouldBeReachable") +
	disabledRule("SARIF2010.ProvideCodeSnippets") +
	disabledRule("SARIF2011.ProvideContextRegion") + `</Properties>
`

func disabledRule(name string) string {
	return `  <Properties Key="` + name + `.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
`
}

// validateSARIF runs the multitool once over SARIF files (each run pays
// for starting .NET: validate every file in one run) and returns its
// results per file name.
func validateSARIF(t *testing.T, tool string, files ...string) map[string][]sarifIssue {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "validation.sarif")
	config := filepath.Join(dir, "validation.xml")
	if err := os.WriteFile(config, []byte(validatorConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"validate"}, files...)
	args = append(args, "--config", config, "--output", out, "--log", "ForceOverwrite", "--level", "Error;Warning;Note")
	cmd := exec.Command(tool, args...)
	// No profile-guided JIT and no background GC thread: about a quarter
	// less CPU for a run this short, the same results.
	cmd.Env = append(os.Environ(), "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_TieredPGO=0", "DOTNET_gcConcurrent=0")
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sarif-multitool validate: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("read validator output: %v\n%s", err, msg)
	}
	var log struct {
		Runs []struct {
			Results []sarifIssue `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("validator output: %v", err)
	}
	issues := map[string][]sarifIssue{}
	for _, r := range log.Runs {
		for _, i := range r.Results {
			file := ""
			if len(i.Locations) > 0 {
				file = filepath.Base(i.Locations[0].PhysicalLocation.ArtifactLocation.URI)
			}
			issues[file] = append(issues[file], i)
		}
	}
	return issues
}

func issueText(i sarifIssue) string {
	if i.Message.Text != "" {
		return i.Message.Text
	}
	return i.Message.ID + " " + strings.Join(i.Message.Arguments, " | ")
}

// TestSARIFValidator validates the SARIF output of every fixture run
// (without passing results, and but under -short with them) and of the
// hand-made run with Microsoft's validator; any error-level result fails
// the test, warnings are logged.
// The same run of the validator is given an invalid file, to make sure it
// can fail: a result pointing past the rules array is an error.
func TestSARIFValidator(t *testing.T) {
	testenv.ExternalTool(t, "the SARIF multitool")
	tool, ok := sarifMultitool()
	if !ok {
		testenv.Missing(t, "sarif-multitool not found: run .ci/install-sarif-multitool.sh (or set LOCKCHECK_SARIF_MULTITOOL to its install directory)")
	}
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, c := range fixtureCases {
		run := runFixtures(t, c)
		o := testOptions(t)
		inputs = append(inputs, input{c.Name, render(t, "sarif", o, run.Results, run.Summary)})
		if testing.Short() {
			continue // the passing results are most of the bytes to validate
		}
		o.IncludePass = true
		inputs = append(inputs, input{c.Name + "-include-pass", render(t, "sarif", o, run.Results, run.Summary)})
	}
	results, sum := handMade(t)
	inputs = append(inputs, input{"every-status", render(t, "sarif", testOptions(t), results, sum)})
	dir := t.TempDir()
	var files []string
	for _, in := range inputs {
		file := filepath.Join(dir, in.name+".sarif")
		if err := os.WriteFile(file, in.data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	bad := `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","version":"1","informationUri":"https://example.com","rules":[{"id":"A"}]}},` +
		`"results":[{"ruleId":"A","ruleIndex":3,"message":{"text":"m."},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a b\\c"},"region":{"startLine":1}}}]}]}]}`
	const badName = "known-bad.sarif"
	if err := os.WriteFile(filepath.Join(dir, badName), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	issues := validateSARIF(t, tool, append(files, filepath.Join(dir, badName))...)
	t.Run("catches errors", func(t *testing.T) {
		errs := 0
		for _, i := range issues[badName] {
			if i.Level == "error" {
				errs++
			}
		}
		if errs == 0 {
			t.Error("the validator reported no error on an invalid SARIF file: is it running its rules?")
		}
	})
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			for _, i := range issues[in.name+".sarif"] {
				switch i.Level {
				case "error":
					t.Errorf("%s: %s", i.RuleID, issueText(i))
				case "warning":
					t.Logf("warning %s: %s", i.RuleID, issueText(i))
				}
			}
		})
	}
	// Anything not attributed to one of the files (the tool's own
	// problems) counts too.
	for file, list := range issues {
		if !strings.HasSuffix(file, ".sarif") {
			for _, i := range list {
				if i.Level == "error" {
					t.Errorf("%s: %s: %s", file, i.RuleID, issueText(i))
				}
			}
		}
	}
}
