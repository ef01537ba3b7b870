package lockcheck.controls.updates.support_published_test

import data.lockcheck.controls.updates.support_published as control
import data.lockcheck.test

_support := {"published": true, "publication_url": "https://vendor.example/support-period", "support_end_date": "2031-12-31"}

test_pass_published_with_end_date if {
	f := control.finding with input as test.product({"support": _support})
	f.status == "pass"
	contains(f.rationale, "spec.support.support_end_date is 2031-12-31")
	contains(f.rationale, "publication_url is https://vendor.example/support-period")
}

test_pass_end_date_and_period if {
	f := control.finding with input as test.product({"support": object.union(_support, {"support_period_months": 60})})
	f.status == "pass"
}

test_fail_not_published if {
	f := control.finding with input as test.product({"support": object.union(_support, {"published": false})})
	f.status == "fail"
	f.severity == "critical"
	contains(f.rationale, "spec.support.published is false")
}

test_fail_empty_url if {
	f := control.finding with input as test.product({"support": object.union(_support, {"publication_url": " "})})
	f.status == "fail"
	contains(f.rationale, "spec.support.publication_url is empty")
}

test_fail_null_end_date if {
	f := control.finding with input as test.product({"support": object.union(_support, {"support_end_date": null})})
	f.status == "fail"
	contains(f.rationale, "spec.support.support_end_date is null")
}

# Edge case 2: only a duration, no end date -> fail; never compute an end date.
test_edge_case_2_period_without_end_date if {
	f := control.finding with input as test.product({"support": object.union(object.remove(_support, ["support_end_date"]), {"support_period_months": 60})})
	f.status == "fail"
	contains(f.rationale, "spec.support.support_end_date is absent (only support_period_months: 60 is given")
	f.missing == []
}

test_edge_case_2_period_with_null_end_date if {
	f := control.finding with input as test.product({"support": object.union(_support, {"support_end_date": null, "support_period_months": 60})})
	f.status == "fail"
	contains(f.rationale, "is null (only support_period_months: 60")
}

test_fail_evidence_missing_published if {
	f := control.finding with input as test.product({"support": object.remove(_support, ["published"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.support.published"]
}

test_fail_evidence_missing_publication_url if {
	f := control.finding with input as test.product({"support": object.remove(_support, ["publication_url"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.support.publication_url"]
}

test_fail_evidence_missing_support_end_date if {
	f := control.finding with input as test.product({"support": object.remove(_support, ["support_end_date"])})
	f.status == "insufficient_evidence"
	f.missing == ["spec.support.support_end_date"]
}

test_edge_case_claims_only_spec if {
	f := control.finding with input as test.product({"claims": {"etsi_en_303_645": true, "psti_statement_of_compliance": true}})
	f.status == "insufficient_evidence"
	f.missing == ["spec.support.publication_url", "spec.support.published", "spec.support.support_end_date"]
}

test_not_produced_for_snapshots if {
	not control.finding with input as test.snapshot({"support": _support})
}
