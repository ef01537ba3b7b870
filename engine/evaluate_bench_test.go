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
