package cli

import (
	"github.com/spf13/pflag"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/policy"
)

// policyFlags are the flags that add custom controls to the catalogue
// (review, scan, approve, controls, explain, merge).
type policyFlags struct {
	paths           []string
	noBuiltin       bool
	verificationKey string
	verificationAlg string
}

func (p *policyFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&p.paths, "policy", nil, "add the controls of a Rego directory or an OPA bundle (.tar.gz) to the catalogue (repeatable)")
	fs.BoolVar(&p.noBuiltin, "no-builtin", false, "evaluate only the --policy controls, not the built-in catalogue")
	fs.StringVar(&p.verificationKey, "verification-key", "", "PEM public key: every --policy bundle must be signed with its private key (lockcheck bundle build --signing-key)")
	fs.StringVar(&p.verificationAlg, "verification-alg", "RS256", "algorithm of --verification-key (RS256, ES256, PS256, …)")
}

// apply loads the --policy sources into the engine options. The error is a
// *policy.SourceError or a usage error (exit code 2).
func (p *policyFlags) apply(opts *engine.Options) error {
	if p.noBuiltin && len(p.paths) == 0 {
		return &engine.UsageError{Msg: "--no-builtin needs at least one --policy"}
	}
	if p.verificationKey != "" && len(p.paths) == 0 {
		return &engine.UsageError{Msg: "--verification-key verifies --policy bundles: give at least one --policy"}
	}
	for _, path := range p.paths {
		src, err := policy.Load(path, policy.LoadOptions{VerificationKey: p.verificationKey, VerificationAlg: p.verificationAlg})
		if err != nil {
			return err
		}
		opts.Sources = append(opts.Sources, src)
	}
	opts.NoBuiltin = p.noBuiltin
	return nil
}
