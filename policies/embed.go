// Package policies embeds lockcheck's Rego control catalogue: the controls
// (one package per control under controls/<area>/), the shared library (lib/),
// the entry point (main/), the waiver policy (waivers/) and the default
// parameters (params.json).
package policies

import "embed"

// FS holds the policy tree, tests included (the engine skips *_test.rego).
//
//go:embed controls lib main params.json waivers
var FS embed.FS
