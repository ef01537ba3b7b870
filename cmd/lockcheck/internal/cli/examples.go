package cli

import (
	"bufio"
	"context"
	"io/fs"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/scan"
	"github.com/lockcheck/lockcheck/fixtures"
)

// examples evaluates the bundled fixtures and returns the first passing and
// the first failing finding of a control, for `explain`.
func examples(ctx context.Context, eng *engine.Engine, c *engine.Control) []engine.Finding {
	v, err := document.NewValidator()
	if err != nil {
		return nil
	}
	var docs []*document.Document
	_ = fs.WalkDir(fixtures.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		format, ok := document.FormatOf(p)
		if !ok {
			return nil
		}
		f, err := fixtures.FS.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		document.Decode("fixtures/"+p, bufio.NewReader(f), format, func(d *document.Document, err *document.InputError) bool {
			if err == nil {
				if errs, _ := v.Validate(d); len(errs) == 0 {
					docs = append(docs, d)
				}
			}
			return true
		})
		return nil
	})
	links := scan.NewLinks()
	for _, d := range docs {
		links.Add(d)
	}
	var pass, fail *engine.Finding
	for _, d := range docs {
		if !c.Applies(d.Kind) {
			continue
		}
		rel, _ := links.Resolve(d)
		fs, err := eng.Evaluate(ctx, d, rel)
		if err != nil {
			return nil
		}
		for i := range fs {
			f := fs[i]
			if f.ControlID != c.ID {
				continue
			}
			if f.Status == engine.StatusPass && pass == nil {
				pass = &f
			}
			if f.Status == engine.StatusFail && fail == nil {
				fail = &f
			}
		}
	}
	var out []engine.Finding
	for _, f := range []*engine.Finding{pass, fail} {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out
}
