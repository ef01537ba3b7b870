package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/internal/fixturetest"
)

// BenchmarkEvaluate evaluates the whole catalogue on one linked snapshot
// (the compliant fixture with its plan and product): the per-document cost
// of OPA with the prepared query and the finding assembly around it.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	docs, links := fixturetest.Load(b)
	var doc *document.Document
	for _, d := range docs {
		if d.Name == "unit-101-compliant" {
			doc = d
		}
	}
	if doc == nil {
		b.Fatal("fixture unit-101-compliant not found")
	}
	eng, err := engine.New(ctx, engine.Options{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	rel, _ := links.Resolve(doc)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fs, err := eng.Evaluate(ctx, doc, rel)
		if err != nil || len(fs) == 0 {
			b.Fatal(err, len(fs))
		}
	}
}

// BenchmarkControl evaluates each control alone on a passing fixture of the
// first kind it applies to: what one control costs per document, to find the
// expensive ones (go test ./engine -run XXX -bench BenchmarkControl).
func BenchmarkControl(b *testing.B) {
	ctx := context.Background()
	docs, links := fixturetest.Load(b)
	passing := map[string]*document.Document{}
	for _, d := range docs {
		switch d.Name {
		case "unit-101-compliant", "kestrel-ks7-pro", "mariposa-1420-rollout":
			passing[d.Kind] = d
		}
		if d.Kind == "Fleet" {
			passing[d.Kind] = d
		}
	}
	all, err := engine.New(ctx, engine.Options{Now: fixtureNow})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range all.Controls() {
		doc := passing[c.AppliesTo[0]]
		if doc == nil {
			b.Fatalf("%s: no passing fixture of kind %s", c.ID, c.AppliesTo[0])
		}
		b.Run(c.ID, func(b *testing.B) {
			eng, err := engine.New(ctx, engine.Options{Now: fixtureNow, Controls: []string{c.ID}})
			if err != nil {
				b.Fatal(err)
			}
			rel, _ := links.Resolve(doc)
			b.ReportAllocs()
			for b.Loop() {
				fs, err := eng.Evaluate(ctx, doc, rel)
				if err != nil || len(fs) != 1 {
					b.Fatal(err, len(fs))
				}
			}
		})
	}
}
