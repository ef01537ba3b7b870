package approval

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/scan"
)

func mkFinding(id string, sev finding.Severity, st finding.Status) finding.Finding {
	return finding.Finding{ControlID: id, Title: id + " title", Severity: sev, Status: st, Rationale: id + " why", Remediation: id + "  fix\n now", Missing: []string{"spec.x"}}
}

func doc(kind, name string, seq int, fs ...finding.Finding) *scan.DocResult {
	return &scan.DocResult{Seq: seq, Doc: finding.DocRef{File: name + ".yaml", Index: 1, Kind: kind, Name: name}, Findings: fs}
}

func TestForm(t *testing.T) {
	pass := mkFinding("ENR-001", finding.SeverityCritical, finding.StatusPass)
	tests := []struct {
		name       string
		plan, prod []finding.Finding
		decision   string
		reasons    int
		conditions int
		toApprove  []string
	}{
		{"all pass", []finding.Finding{pass}, []finding.Finding{pass}, Approved, 0, 0, []string{}},
		{"medium and low fail", []finding.Finding{mkFinding("RES-002", finding.SeverityMedium, finding.StatusFail)},
			[]finding.Finding{mkFinding("LOG-001", finding.SeverityLow, finding.StatusInsufficientEvidence)}, ApprovedWithConditions, 0, 2, []string{}},
		{"high not evidenced rejects", []finding.Finding{mkFinding("AUTH-005", finding.SeverityHigh, finding.StatusInsufficientEvidence)}, nil, Rejected, 1, 0,
			[]string{"AUTH-005: AUTH-005 fix now"}},
		{"waived does not count", []finding.Finding{mkFinding("AUTH-005", finding.SeverityHigh, finding.StatusWaived)}, nil, Approved, 0, 0, []string{}},
		{"one advice per control, most severe first", []finding.Finding{mkFinding("UPD-006", finding.SeverityHigh, finding.StatusFail)},
			[]finding.Finding{mkFinding("UPD-006", finding.SeverityHigh, finding.StatusFail), mkFinding("UPD-001", finding.SeverityCritical, finding.StatusFail)},
			Rejected, 3, 0, []string{"UPD-001: UPD-001 fix now", "UPD-006: UPD-006 fix now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Form(doc(document.KindInstallPlan, "plan", 0, tt.plan...), doc(document.KindProductSpec, "prod", 1, tt.prod...))
			if a.Decision != tt.decision {
				t.Errorf("decision %q, want %q", a.Decision, tt.decision)
			}
			if len(a.Reasons) != tt.reasons || len(a.Conditions) != tt.conditions {
				t.Errorf("%d reasons, %d conditions; want %d, %d", len(a.Reasons), len(a.Conditions), tt.reasons, tt.conditions)
			}
			if !reflect.DeepEqual(a.ToApprove, tt.toApprove) {
				t.Errorf("to approve %q, want %q", a.ToApprove, tt.toApprove)
			}
			if a.Product != "prod" || a.Plan.Name != "plan" {
				t.Errorf("plan %q product %q", a.Plan.Name, a.Product)
			}
		})
	}
}

func TestFormNamesDocumentAndMissingEvidence(t *testing.T) {
	a := Form(doc(document.KindInstallPlan, "plan", 0, mkFinding("AUTH-005", finding.SeverityHigh, finding.StatusInsufficientEvidence)), doc(document.KindProductSpec, "prod", 1))
	want := "AUTH-005 AUTH-005 title [high, InstallPlan plan] not evidenced: missing [spec.x]"
	if len(a.Reasons) != 1 || a.Reasons[0] != want {
		t.Errorf("reasons %q, want [%q]", a.Reasons, want)
	}
}

func TestAnyRejected(t *testing.T) {
	if AnyRejected([]Approval{{Decision: Approved}, {Decision: ApprovedWithConditions}}) {
		t.Error("no rejection reported as rejected")
	}
	if !AnyRejected([]Approval{{Decision: Approved}, {Decision: Rejected}}) {
		t.Error("a rejection not reported")
	}
}

func TestDecideMissingProductIsInputError(t *testing.T) {
	plan := doc(document.KindInstallPlan, "plan", 0)
	invalid := &scan.DocResult{Seq: 1, Doc: finding.DocRef{File: "bad.yaml"}, Errors: []*document.InputError{{File: "bad.yaml", Msg: "bad"}}}
	show, as, errs := Decide([]*scan.DocResult{plan, invalid})
	if len(as) != 0 {
		t.Errorf("%d approvals without a product, want 0", len(as))
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "not among the inputs") || errs[0].Path != "spec.product_ref" {
		t.Errorf("errs %v", errs)
	}
	if len(show) != 2 || show[0] != plan || show[1] != invalid {
		t.Errorf("show %v, want the plan and the invalid document in input order", show)
	}
}
