// Package testenv decides what a test does when an external validator it
// needs (Chromium, the SARIF multitool, the OSCAL schema, the catalogue
// conformance tool) is not installed: in CI (CI=true) that is a failure, so a
// validator cannot silently stop validating; elsewhere the test skips with a
// message saying how to install it.
package testenv

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// InCI reports whether the tests run in CI: the CI environment variable is
// set to a true value (GitHub Actions, GitLab CI and .ci/run set CI=true).
func InCI() bool {
	v, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && v
}

// Missing stops the test because a validator is not installed: Fatal in CI,
// Skip elsewhere. The message says what is missing and how to install it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI=true: a missing validator is a failure, not a skip)", msg)
	}
	t.Skip(msg)
}

// ExternalTool is called first by a test that drives an external program
// (a browser, the .NET SARIF validator): such a run costs seconds of CPU, so
// under -short it skips, except in CI, where every validator runs. The full
// suite (`go test ./...`, which CI runs) always runs it.
func ExternalTool(t testing.TB, tool string) {
	t.Helper()
	externalTool(t, testing.Short(), tool)
}

func externalTool(t testing.TB, short bool, tool string) {
	t.Helper()
	if short && !InCI() {
		t.Skip(tool + " runs in the full suite (go test ./...) and in CI, not under -short")
	}
}
