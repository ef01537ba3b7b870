package cli

import (
	"context"
	"fmt"

	"github.com/lockcheck/lockcheck/engine/document"
)

func runValidate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "validate", "PATH...")
	quiet := fs.BoolP("quiet", "q", false, "print problems only")
	if code, ok := parse(e, fs, "validate", "PATH...", args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageErr(e, "validate", "no inputs: give files, directories or - for stdin")
	}
	v, err := document.NewValidator()
	if err != nil {
		return errCode(e, "validate", err)
	}
	files, errs, skipped := document.ExpandWarn(fs.Args())
	nDocs, nBad, nWarn := 0, 0, len(skipped)
	for _, er := range errs {
		fmt.Fprintf(e.stdout, "error: %s\n", er.Error())
		nBad++
	}
	for _, w := range skipped {
		fmt.Fprintf(e.stdout, "warning: %s\n", w.String())
	}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		document.DecodeFileContext(ctx, f, e.stdin, func(d *document.Document, err *document.InputError) bool {
			nDocs++
			if err != nil {
				fmt.Fprintf(e.stdout, "error: %s\n", err.Error())
				nBad++
				return true
			}
			verrs, warns := v.Validate(d)
			for _, w := range warns {
				fmt.Fprintf(e.stdout, "warning: %s\n", w.String())
				nWarn++
			}
			for _, er := range verrs {
				fmt.Fprintf(e.stdout, "error: %s\n", er.Error())
			}
			if len(verrs) > 0 {
				nBad++
			} else if !*quiet {
				fmt.Fprintf(e.stdout, "ok: %s %s %s\n", d.Ref(), d.Kind, d.Name)
			}
			return true
		})
	}
	fmt.Fprintf(e.stdout, "%d documents, %d invalid, %d warnings\n", nDocs, nBad, nWarn)
	if ctx.Err() != nil {
		return interruptedCode(ctx)
	}
	if nBad > 0 {
		return ExitInput
	}
	return ExitOK
}
