package cli

import (
	"bytes"
	"context"
	"fmt"

	"github.com/lockcheck/lockcheck/engine/policy"
)

// runBundle is `lockcheck bundle build DIR -o FILE [--signing-key KEY]`.
func runBundle(ctx context.Context, e *env, args []string) int {
	const name = "bundle"
	fs := newFlags(e, name, "build DIR")
	out := fs.StringP("output", "o", "", "bundle file to write (.tar.gz)")
	revision := fs.String("revision", "", "manifest revision (default: the content digest)")
	key := fs.String("signing-key", "", "PEM private key: sign the bundle (.signatures.json) with OPA's bundle signing")
	alg := fs.String("signing-alg", "RS256", "algorithm of --signing-key (RS256, ES256, PS256, …)")
	if code, ok := parse(e, fs, name, "build DIR", args); !ok {
		return code
	}
	if fs.NArg() != 2 || fs.Arg(0) != "build" {
		return usageErr(e, name, "usage: lockcheck bundle build DIR -o FILE.tar.gz [--signing-key KEY]")
	}
	if *out == "" || !policy.IsBundle(*out) {
		return usageErr(e, name, "-o: give the bundle file to write, ending in .tar.gz")
	}
	var buf bytes.Buffer
	src, err := policy.Build(fs.Arg(1), &buf, policy.BuildOptions{Revision: *revision, SigningKey: *key, SigningAlg: *alg})
	if err != nil {
		return errCode(e, name, err)
	}
	if err := writeOutput(createOutput, *out, buf.Bytes()); err != nil {
		return errCode(e, name, err)
	}
	signed := "unsigned"
	if *key != "" {
		signed = "signed (" + *alg + ", key id " + policy.KeyID + ")"
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d policy files, revision %s, %s\n", *out, len(src.Modules)+len(src.Tests), src.Revision, signed)
	return ExitOK
}
