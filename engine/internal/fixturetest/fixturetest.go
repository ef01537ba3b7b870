// Package fixturetest loads the bundled fixtures for tests: decoded,
// validated and linked, ready to evaluate.
package fixturetest

import (
	"bufio"
	"io/fs"
	"testing"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/fixtures"
)

// Load decodes and validates every bundled fixture (products, plans, fleet)
// and returns them in path order, then PassingFleet, with a link index over
// them.
func Load(t testing.TB) ([]*document.Document, *scan.Links) {
	t.Helper()
	v, err := document.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	var docs []*document.Document
	err = fs.WalkDir(fixtures.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		format, ok := document.FormatOf(p)
		if !ok {
			return nil
		}
		f, err := fixtures.FS.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		document.Decode("fixtures/"+p, bufio.NewReader(f), format, func(d *document.Document, ierr *document.InputError) bool {
			if ierr != nil {
				t.Errorf("fixture %s", ierr.Error())
				return true
			}
			if errs, _ := v.Validate(d); len(errs) > 0 {
				for _, e := range errs {
					t.Errorf("fixture %s", e.Error())
				}
				return true
			}
			docs = append(docs, d)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, PassingFleet())
	links := scan.NewLinks()
	for _, d := range docs {
		links.Add(d)
	}
	return docs, links
}

// PassingFleet is a Fleet aggregate document (what `scan` builds after the
// last snapshot) on which every fleet-level control passes at the fixtures'
// run time 2026-11-25T12:00:00Z, so generic tests cover those controls too.
func PassingFleet() *document.Document {
	return scan.FleetDocument([]scan.FleetSite{
		{Site: "fixture-site-a", Locks: 40, UpdSupported: 39, CriticalFailing: 0, Newest: "2026-11-25T08:00:00Z"},
		{Site: "fixture-site-b", Locks: 3, UpdSupported: 3, CriticalFailing: 0, Newest: "2026-11-24T22:30:00-05:00"},
	}, true)
}
