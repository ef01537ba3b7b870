package cli

import (
	"context"
	"fmt"

	"github.com/lockcheck/lockcheck/engine/policy/scaffold"
)

// runNew is `lockcheck new control --id ID --area AREA --applies-to KIND DIR`.
func runNew(ctx context.Context, e *env, args []string) int {
	const name = "new"
	fs := newFlags(e, name, "control DIR")
	id := fs.String("id", "", "the control's id, e.g. ACME-001")
	area := fs.String("area", "", "the control's area, e.g. credentials")
	kinds := fs.StringSlice("applies-to", nil, "document kinds it applies to: LockSnapshot, ProductSpec, InstallPlan (comma-separated)")
	if code, ok := parse(e, fs, name, "control DIR", args); !ok {
		return code
	}
	if fs.NArg() != 2 || fs.Arg(0) != "control" {
		return usageErr(e, name, "usage: lockcheck new control --id ACME-001 --area credentials --applies-to LockSnapshot DIR")
	}
	files, err := scaffold.Write(fs.Arg(1), scaffold.Options{ID: *id, Area: *area, AppliesTo: *kinds})
	if err != nil {
		return usageErr(e, name, "%v", err)
	}
	for _, f := range files {
		fmt.Fprintf(e.stdout, "wrote %s\n", f)
	}
	fmt.Fprintf(e.stdout, "next: edit the control, then run lockcheck test %s\n", fs.Arg(1))
	return ExitOK
}
