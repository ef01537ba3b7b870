// Package approval forms the pre-installation decision of `lockcheck
// approve`: for each installation plan, with the product it installs, it
// says APPROVED, APPROVED WITH CONDITIONS or REJECTED, why, and what would
// change the decision.
package approval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

// The decisions.
const (
	Approved               = "APPROVED"
	ApprovedWithConditions = "APPROVED WITH CONDITIONS"
	Rejected               = "REJECTED"
)

// Approval is the decision for one plan.
type Approval struct {
	Plan       finding.DocRef `json:"plan"`
	Product    string         `json:"product"`
	Decision   string         `json:"decision"` // APPROVED, APPROVED WITH CONDITIONS, REJECTED
	Reasons    []string       `json:"reasons"`
	Conditions []string       `json:"conditions"`
	// ToApprove says what would change the decision: one line per control.
	ToApprove []string `json:"to_approve"`
}

// Decide keeps the plans, the products they install and any invalid
// document (in input order), and forms one approval per plan. A plan whose
// product is not among the results is an input error.
func Decide(all []*scan.DocResult) (show []*scan.DocResult, approvals []Approval, errs []*document.InputError) {
	products := map[string]*scan.DocResult{}
	for _, r := range all {
		if r.Doc.Kind == document.KindProductSpec && len(r.Errors) == 0 {
			products[r.Doc.Name] = r
		}
	}
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
		var ref string
		if r.Source != nil {
			ref, _ = r.Source.Spec()["product_ref"].(string)
		}
		prod := products[ref]
		if prod == nil {
			e := &document.InputError{File: r.Doc.File, Index: r.Doc.Index, Path: "spec.product_ref",
				Msg: fmt.Sprintf("product %q is not among the inputs or --specs; approve cannot form a verdict without the product it installs", ref)}
			if r.Source != nil {
				e.Pos = r.Source.PosOf("spec.product_ref")
			}
			errs = append(errs, e)
			continue
		}
		add(prod)
		approvals = append(approvals, Form(r, prod))
	}
	// Invalid product specs are reported too.
	for _, r := range all {
		if len(r.Errors) > 0 && r.Doc.Kind == document.KindProductSpec {
			add(r)
		}
	}
	sort.SliceStable(show, func(i, j int) bool { return show[i].Seq < show[j].Seq })
	return show, approvals, errs
}

// Form decides one plan with its product: REJECTED when any critical or high
// control fails (insufficient evidence counts as failing), APPROVED WITH
// CONDITIONS when only medium or low ones do, APPROVED otherwise. Reasons and
// conditions are most severe first, then plan before product, then catalogue
// order; what would change the decision is one line per control.
func Form(plan, product *scan.DocResult) Approval {
	v := Approval{Plan: plan.Doc, Product: product.Doc.Name, Reasons: []string{}, Conditions: []string{}, ToApprove: []string{}}
	type item struct {
		r *scan.DocResult
		f finding.Finding
	}
	var items []item
	for _, r := range []*scan.DocResult{plan, product} {
		for _, f := range r.Findings {
			items = append(items, item{r, f})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].f.Severity.Rank() > items[j].f.Severity.Rank() })
	advised := map[string]bool{}
	for _, it := range items {
		r, f := it.r, it.f
		if !f.Status.Failing() {
			continue
		}
		what := fmt.Sprintf("%s %s [%s, %s %s]: %s", f.ControlID, f.Title, f.Severity, r.Doc.Kind, r.Doc.Name, f.Rationale)
		if f.Status == finding.StatusInsufficientEvidence {
			what = fmt.Sprintf("%s %s [%s, %s %s] not evidenced: missing %v", f.ControlID, f.Title, f.Severity, r.Doc.Kind, r.Doc.Name, f.Missing)
		}
		if f.Severity.Rank() < finding.SeverityHigh.Rank() {
			v.Conditions = append(v.Conditions, what)
			continue
		}
		v.Reasons = append(v.Reasons, what)
		if !advised[f.ControlID] {
			advised[f.ControlID] = true
			v.ToApprove = append(v.ToApprove, fmt.Sprintf("%s: %s", f.ControlID, strings.Join(strings.Fields(f.Remediation), " ")))
		}
	}
	switch {
	case len(v.Reasons) > 0:
		v.Decision = Rejected
	case len(v.Conditions) > 0:
		v.Decision = ApprovedWithConditions
	default:
		v.Decision = Approved
	}
	return v
}

// AnyRejected reports whether any approval is REJECTED (approve's exit 1).
func AnyRejected(as []Approval) bool {
	for _, a := range as {
		if a.Decision == Rejected {
			return true
		}
	}
	return false
}
