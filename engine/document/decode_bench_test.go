package document

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/lockcheck/lockcheck/fixtures"
)

// benchSnapshot returns the compliant fixture snapshot as YAML and as one
// NDJSON line.
func benchSnapshot(b *testing.B) (yamlDoc, ndjsonLine []byte) {
	b.Helper()
	y, err := fs.ReadFile(fixtures.FS, "fleet/unit-101-compliant.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var doc *Document
	Decode("unit-101.yaml", bufio.NewReader(bytes.NewReader(y)), FormatYAML, func(d *Document, e *InputError) bool {
		if e != nil {
			b.Fatal(e)
		}
		doc = d
		return false
	})
	j, err := json.Marshal(doc.Raw)
	if err != nil {
		b.Fatal(err)
	}
	return y, append(j, '\n')
}

func benchDecode(b *testing.B, name string, data []byte, format Format) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		Decode(name, bufio.NewReader(bytes.NewReader(data)), format, func(d *Document, e *InputError) bool {
			if e != nil {
				b.Fatal(e)
			}
			n++
			return true
		})
		if n != 1 {
			b.Fatalf("decoded %d documents, want 1", n)
		}
	}
}

// BenchmarkDecode decodes one snapshot per iteration, per format.
func BenchmarkDecode(b *testing.B) {
	y, j := benchSnapshot(b)
	b.Run("ndjson", func(b *testing.B) { benchDecode(b, "fleet.ndjson", j, FormatNDJSON) })
	b.Run("json", func(b *testing.B) { benchDecode(b, "unit-101.json", j, FormatJSON) })
	b.Run("yaml", func(b *testing.B) { benchDecode(b, "unit-101.yaml", y, FormatYAML) })
}
