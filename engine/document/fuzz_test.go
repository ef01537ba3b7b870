package document

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeValidate feeds arbitrary bytes through every decoder and the
// validator: nothing may panic or hang, and every problem must come back as
// an *InputError. The corpus is seeded with the fixtures and the bad inputs.
func FuzzDecodeValidate(f *testing.F) {
	for _, dir := range []string{"../../fixtures/fleet", "../../fixtures/plans", "../../fixtures/products", "../../fixtures/bad"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 1<<20 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("{\"apiVersion\":\"lockcheck.dev/v1alpha1\",\"kind\":\"LockSnapshot\",\"metadata\":{\"name\":\"x\"},\"spec\":{}}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	v, err := NewValidator()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{FormatYAML, FormatJSON, FormatNDJSON} {
			Decode("fuzz", bufio.NewReader(bytes.NewReader(data)), format, func(d *Document, ierr *InputError) bool {
				if d == nil && ierr == nil {
					t.Fatal("handler called with neither a document nor an error")
				}
				if d != nil {
					errs, _ := v.Validate(d)
					for _, e := range errs {
						if e.Msg == "" {
							t.Fatalf("input error without a message: %+v", e)
						}
					}
				}
				return true
			})
		}
	})
}
