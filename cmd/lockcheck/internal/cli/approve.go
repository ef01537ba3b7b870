package cli

import (
	"context"

	"github.com/lockcheck/lockcheck/engine/approval"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/report"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func runApprove(ctx context.Context, e *env, args []string) int {
	ev := &evaluation{name: "approve", keepDocs: true}
	fs := newFlags(e, "approve", "PLAN...")
	ev.flags.register(fs)
	if code, ok := parse(e, fs, "approve", "PLAN...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, "approve", "no installation plan given (e.g. lockcheck approve fixtures/plans/plan.yaml --specs fixtures/products)")
	}
	// The products are evaluated too: the verdict covers the plan's controls
	// and the product's.
	ev.paths = append(append([]string{}, fs.Args()...), ev.flags.specs...)
	ev.links = ev.flags.plans
	ev.finish = approveFinish
	return ev.run(ctx, e)
}

// approveFinish hands the held results to engine/approval.
func approveFinish(all []*scan.DocResult) ([]*scan.DocResult, []report.Verdict, []*document.InputError) {
	return approval.Decide(all)
}

func approveExit(fin *report.Final) int {
	if fin.Summary.InputErrors > 0 || fin.Summary.PolicyErrs > 0 {
		return ExitInput
	}
	if approval.AnyRejected(fin.Verdicts) {
		return ExitFailing
	}
	return ExitOK
}
