package cli

import (
	"context"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/policy"
	"github.com/lockcheck/lockcheck/engine/policytest"
)

// runTest is `lockcheck test PATH...`: the Rego unit tests, coverage,
// contract and fail-closed checks of custom controls.
func runTest(ctx context.Context, e *env, args []string) int {
	const name = "test"
	fs := newFlags(e, name, "PATH...")
	format := fs.StringP("format", "f", "text", "text, json or junit")
	coverageMin := fs.Float64("coverage-min", 0, "fail when the policies' line coverage is below N percent")
	fixtures := fs.StringArray("fixtures", nil, "documents for the fail-closed test: deleting each declared evidence field must stop a pass (repeatable)")
	now := fs.String("now", "", "run time for the fail-closed test, RFC 3339 (default: the clock)")
	var pol policyFlags
	fs.StringVar(&pol.verificationKey, "verification-key", "", "PEM public key: every bundle must be signed with its private key")
	fs.StringVar(&pol.verificationAlg, "verification-alg", "RS256", "algorithm of --verification-key")
	if code, ok := parse(e, fs, name, "PATH...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, name, "give policy directories or bundles, e.g. lockcheck test fixtures/custom-policy")
	}
	switch *format {
	case "text", "json", "junit":
	default:
		return usageErr(e, name, "--format %q: expected text, json or junit", *format)
	}
	opts := policytest.Options{Fixtures: *fixtures, NewEngine: policyTestEngine}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return usageErr(e, name, "--now %q: expected an RFC 3339 time, e.g. 2026-11-25T12:00:00Z", *now)
		}
		opts.Now = t
	}
	for _, p := range fs.Args() {
		src, err := policy.Load(p, policy.LoadOptions{VerificationKey: pol.verificationKey, VerificationAlg: pol.verificationAlg})
		if err != nil {
			return errCode(e, name, err)
		}
		opts.Sources = append(opts.Sources, src)
	}
	rep, err := policytest.Run(ctx, opts)
	if err != nil {
		return errCode(e, name, err)
	}
	switch *format {
	case "json":
		err = rep.WriteJSON(e.stdout, *coverageMin)
	case "junit":
		err = rep.WriteJUnit(e.stdout, *coverageMin)
	default:
		err = rep.WriteText(e.stdout, *coverageMin)
	}
	if err != nil {
		return errCode(e, name, err)
	}
	if !rep.OK(*coverageMin) {
		return ExitFailing
	}
	return ExitOK
}

// policyTestEngine builds the engines `lockcheck test` checks the contract
// with and runs the fail-closed test on.
func policyTestEngine(ctx context.Context, sources []*policy.Source, now time.Time, builtin bool) (policytest.Engine, error) {
	return engine.New(ctx, engine.Options{Sources: sources, Now: now, NoBuiltin: !builtin})
}
