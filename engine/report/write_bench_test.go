package report

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/fixtures"
)

// BenchmarkWrite writes one evaluated snapshot (every LockSnapshot control's
// finding) per iteration in each streaming format.
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	load := func(name string) *document.Document {
		data, err := fs.ReadFile(fixtures.FS, name)
		if err != nil {
			b.Fatal(err)
		}
		var doc *document.Document
		document.Decode(name, bufio.NewReader(bytes.NewReader(data)), document.FormatYAML, func(d *document.Document, _ *document.InputError) bool {
			doc = d
			return false
		})
		return doc
	}
	doc := load("fleet/unit-101-compliant.yaml")
	rel := engine.Related{Plan: load("plans/mariposa-1420-rollout.yaml"), Product: load("products/kestrel-ks7-pro.yaml")}
	findings, err := eng.Evaluate(ctx, doc, rel)
	if err != nil {
		b.Fatal(err)
	}
	res := &scan.DocResult{Doc: engine.RefOf(doc), Labels: doc.Labels, Findings: findings}
	for _, format := range []string{"ndjson", "json", "text", "sarif", "junit"} {
		b.Run(format, func(b *testing.B) {
			w, err := New(format, io.Discard, Options{Engine: eng, ToolVersion: "bench", Verb: "scan", FailOn: engine.SeverityLow})
			if err != nil {
				b.Skip(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Result(res); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			w.Close(&Final{Summary: &scan.Summary{}})
		})
	}
}
