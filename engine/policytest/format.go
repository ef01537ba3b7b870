package policytest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// WriteText writes the report as `opa test -v` does (one line per test,
// grouped by file, without durations so the output is reproducible), then
// the coverage, the contract check and the fail-closed test.
func (r *Report) WriteText(w io.Writer, minCoverage float64) error {
	var b strings.Builder
	file := ""
	for _, t := range r.Tests {
		if t.File != file {
			if file != "" {
				b.WriteString("\n")
			}
			file = t.File
			fmt.Fprintf(&b, "%s:\n", file)
		}
		fmt.Fprintf(&b, "%s.%s: %s\n", t.Package, t.Name, strings.ToUpper(t.Status))
		if t.Error != "" {
			fmt.Fprintf(&b, "  %s\n", t.Error)
		}
	}
	b.WriteString(strings.Repeat("-", 80) + "\n")
	pass, fail, errs := r.Counts()
	n := len(r.Tests)
	fmt.Fprintf(&b, "PASS: %d/%d\n", pass, n)
	if fail > 0 {
		fmt.Fprintf(&b, "FAIL: %d/%d\n", fail, n)
	}
	if errs > 0 {
		fmt.Fprintf(&b, "ERROR: %d/%d\n", errs, n)
	}
	if n == 0 {
		b.WriteString("no tests found: write test_ rules in *_test.rego files beside the controls\n")
	}
	cov := fmt.Sprintf("Coverage: %.2f%% (%d of %d lines)", r.Coverage, r.CoveredLines, r.TotalLines)
	if minCoverage > 0 {
		if r.Coverage < minCoverage {
			cov += fmt.Sprintf(", below --coverage-min %g", minCoverage)
		} else {
			cov += fmt.Sprintf(", at least --coverage-min %g", minCoverage)
		}
	}
	b.WriteString(cov + "\n")
	for _, f := range slices.Sorted(maps.Keys(r.Files)) {
		if r.Files[f] < 100 {
			fmt.Fprintf(&b, "  %s %.2f%%\n", f, r.Files[f])
		}
	}
	if len(r.Violations) == 0 {
		fmt.Fprintf(&b, "Contract: ok (%d control(s): %s)\n", len(r.Controls), strings.Join(r.Controls, ", "))
	} else {
		fmt.Fprintf(&b, "Contract: %d violations\n", len(r.Violations))
		for _, v := range r.Violations {
			fmt.Fprintf(&b, "  %s\n", v.String())
		}
	}
	if len(r.FailClosed) > 0 || len(r.InputErrors) > 0 {
		ok := 0
		for _, f := range r.FailClosed {
			if f.OK {
				ok++
			}
		}
		fmt.Fprintf(&b, "Fail-closed: %d/%d evidence fields\n", ok, len(r.FailClosed))
		for _, f := range r.FailClosed {
			mark := "ok  "
			if !f.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(&b, "  %s %s %s %s: %s\n", mark, f.Control, f.Kind, f.Path, f.Msg)
		}
		for _, e := range r.InputErrors {
			fmt.Fprintf(&b, "  fixture error: %s\n", e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer, minCoverage float64) error {
	out := struct {
		*Report
		OK          bool    `json:"ok"`
		CoverageMin float64 `json:"coverage_min"`
	}{r, r.OK(minCoverage), minCoverage}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Name    string       `xml:"name,attr"`
	Tests   int          `xml:"tests,attr"`
	Fails   int          `xml:"failures,attr"`
	Errors  int          `xml:"errors,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name   string      `xml:"name,attr"`
	Tests  int         `xml:"tests,attr"`
	Fails  int         `xml:"failures,attr"`
	Errors int         `xml:"errors,attr"`
	Cases  []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one suite per test file, plus a
// "lockcheck contract" suite (coverage, one case per control's contract, one
// per fail-closed evidence field).
func (r *Report) WriteJUnit(w io.Writer, minCoverage float64) error {
	byFile := map[string]*junitSuite{}
	for _, t := range r.Tests {
		s := byFile[t.File]
		if s == nil {
			s = &junitSuite{Name: t.File}
			byFile[t.File] = s
		}
		c := junitCase{Name: t.Name, Classname: t.Package, File: t.File, Line: t.Line}
		switch t.Status {
		case "fail":
			c.Failure = &junitMessage{Message: "test failed"}
			s.Fails++
		case "error":
			c.Error = &junitMessage{Message: t.Error}
			s.Errors++
		case "skip":
			c.Skipped = &junitMessage{Message: "skipped"}
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	doc := junitSuites{Name: "lockcheck test"}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		doc.Suites = append(doc.Suites, *byFile[f])
	}
	contract := junitSuite{Name: "lockcheck contract"}
	add := func(name string, fail string) {
		c := junitCase{Name: name, Classname: "lockcheck.contract"}
		if fail != "" {
			c.Failure = &junitMessage{Message: fail}
			contract.Fails++
		}
		contract.Tests++
		contract.Cases = append(contract.Cases, c)
	}
	covFail := ""
	if r.Coverage < minCoverage {
		covFail = fmt.Sprintf("coverage %.2f%% is below %g%%", r.Coverage, minCoverage)
	}
	add(fmt.Sprintf("coverage %.2f%%", r.Coverage), covFail)
	for _, v := range r.Violations {
		add("contract "+v.File, v.String())
	}
	for _, id := range r.Controls {
		add("contract "+id, "")
	}
	for _, f := range r.FailClosed {
		msg := ""
		if !f.OK {
			msg = f.Msg
		}
		add(fmt.Sprintf("fail-closed %s %s %s", f.Control, f.Kind, f.Path), msg)
	}
	doc.Suites = append(doc.Suites, contract)
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Fails += s.Fails
		doc.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
