package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionBash sources the bash script and completes a verb, a flag,
// a format and a control id.
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	out, errOut, code := run(t, "", "completion", "bash")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	script := filepath.Join(t.TempDir(), "lockcheck.bash")
	if err := os.WriteFile(script, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ words, want string }{
		{"lockcheck sc", "scan"},
		{"lockcheck scan --min", "--min-severity"},
		{"lockcheck review --diff", "--differences"},
		{"lockcheck scan --format sa", "sarif"},
		{"lockcheck scan --format c", "csv"},
		{"lockcheck explain CRED-00", "CRED-005"},
		{"lockcheck scan --controls FLEET-", "FLEET-002"},
		{"lockcheck completion f", "fish"},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.words)
		cmd := exec.Command(bash, "-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _lockcheck; echo "${COMPREPLY[@]}"`, "_", script)
		cmd.Args = append(cmd.Args, words...)
		got, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(" "+strings.TrimSpace(string(got))+" ", " "+tt.want+" ") {
			t.Errorf("%q completes to %q (err %v), want %s among them", tt.words, strings.TrimSpace(string(got)), err, tt.want)
		}
	}
	for _, shell := range []string{"zsh", "fish"} {
		if out, _, code := run(t, "", "completion", shell); code != 0 || !strings.Contains(out, "CRED-005") {
			t.Errorf("completion %s: exit %d", shell, code)
		}
	}
	if _, _, code := run(t, "", "completion", "tcsh"); code != ExitInput {
		t.Errorf("completion tcsh: exit %d, want %d", code, ExitInput)
	}
}
