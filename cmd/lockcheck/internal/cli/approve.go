package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/lockcheck/lockcheck/engine"
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

// approveFinish keeps the plans, the products they install and any invalid
// document, and forms one verdict per plan.
func approveFinish(all []*scan.DocResult) ([]*scan.DocResult, []report.Verdict, []*document.InputError) {
	products := map[string]*scan.DocResult{}
	for _, r := range all {
		if r.Doc.Kind == document.KindProductSpec && len(r.Errors) == 0 {
			products[r.Doc.Name] = r
		}
	}
	var show []*scan.DocResult
	var verdicts []report.Verdict
	var errs []*document.InputError
	shown := map[*scan.DocResult]bool{}
	add := func(r *scan.DocResult) {
		if !shown[r] {
			shown[r] = true
			show = append(show, r)
		}
	}
	for _, r := range all {
		if len(r.Errors) > 0 && r.Doc.Kind != document.KindProductSpec {
			add(r)
			continue
		}
		if r.Doc.Kind != document.KindInstallPlan {
			continue
		}
		add(r)
		ref, _ := r.Source.Spec()["product_ref"].(string)
		prod := products[ref]
		if prod == nil {
			errs = append(errs, &document.InputError{File: r.Doc.File, Index: r.Doc.Index, Path: "spec.product_ref", Pos: r.Source.PosOf("spec.product_ref"),
				Msg: fmt.Sprintf("product %q is not among the inputs or --specs; approve cannot form a verdict without the product it installs", ref)})
			continue
		}
		add(prod)
		verdicts = append(verdicts, verdict(r, prod))
	}
	// Invalid product specs are reported too.
	for _, r := range all {
		if len(r.Errors) > 0 && r.Doc.Kind == document.KindProductSpec {
			add(r)
		}
	}
	sort.SliceStable(show, func(i, j int) bool { return show[i].Seq < show[j].Seq })
	return show, verdicts, errs
}

// verdict: REJECTED when any critical or high control fails (insufficient
// evidence counts as failing), APPROVED WITH CONDITIONS when only medium or
// low ones do, APPROVED otherwise.
func verdict(plan, product *scan.DocResult) report.Verdict {
	v := report.Verdict{Plan: plan.Doc, Product: product.Doc.Name, Reasons: []string{}, Conditions: []string{}, ToApprove: []string{}}
	// Most severe first, then plan before product, then catalogue order.
	type item struct {
		r *scan.DocResult
		f engine.Finding
	}
	var items []item
	for _, r := range []*scan.DocResult{plan, product} {
		for _, f := range r.Findings {
			items = append(items, item{r, f})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].f.Severity.Rank() > items[j].f.Severity.Rank() })
	for _, it := range items {
		r, f := it.r, it.f
		if !f.Status.Failing() {
			continue
		}
		what := fmt.Sprintf("%s %s [%s, %s %s]: %s", f.ControlID, f.Title, f.Severity, r.Doc.Kind, r.Doc.Name, f.Rationale)
		if f.Status == engine.StatusInsufficientEvidence {
			what = fmt.Sprintf("%s %s [%s, %s %s] not evidenced: missing %v", f.ControlID, f.Title, f.Severity, r.Doc.Kind, r.Doc.Name, f.Missing)
		}
		if f.Severity.Rank() >= engine.SeverityHigh.Rank() {
			v.Reasons = append(v.Reasons, what)
			v.ToApprove = append(v.ToApprove, fmt.Sprintf("%s: %s", f.ControlID, oneLine(f.Remediation)))
		} else {
			v.Conditions = append(v.Conditions, what)
		}
	}
	switch {
	case len(v.Reasons) > 0:
		v.Decision = report.Rejected
	case len(v.Conditions) > 0:
		v.Decision = report.ApprovedWithConditions
	default:
		v.Decision = report.Approved
	}
	return v
}

func approveExit(fin *report.Final) int {
	if fin.Summary.InputErrors > 0 || fin.Summary.PolicyErrs > 0 {
		return ExitInput
	}
	for _, v := range fin.Verdicts {
		if v.Decision == report.Rejected {
			return ExitFailing
		}
	}
	return ExitOK
}
