package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/catalogue"
	"github.com/lockcheck/lockcheck/engine/document"
)

func runControls(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "controls", "")
	format := fs.StringP("format", "f", "text", "text, json or markdown")
	areas := fs.StringSlice("areas", nil, "only these areas")
	var pol policyFlags
	pol.register(fs)
	if code, ok := parse(e, fs, "controls", "", args); !ok {
		return code
	}
	opts := engine.Options{Areas: splitList(*areas)}
	if err := pol.apply(&opts); err != nil {
		return errCode(e, "controls", err)
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return errCode(e, "controls", err)
	}
	ctls := eng.Selected()
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(catalogue.JSON(eng, ctls)); err != nil {
			return errCode(e, "controls", err)
		}
	case "markdown":
		fmt.Fprint(e.stdout, catalogue.Markdown(eng))
	case "text":
		fmt.Fprintf(e.stdout, "%-9s %-15s %-9s %-38s %s\n", "ID", "AREA", "SEVERITY", "APPLIES TO", "TITLE")
		for _, c := range ctls {
			fmt.Fprintf(e.stdout, "%-9s %-15s %-9s %-38s %s\n", c.ID, c.Area, c.Severity, strings.Join(c.AppliesTo, ","), c.Title)
		}
		fmt.Fprintf(e.stdout, "\n%d controls, catalogue %s (%s)\n", len(ctls), eng.Version(), eng.Digest())
	default:
		return usageErr(e, "controls", "--format %q: expected text, json or markdown", *format)
	}
	return ExitOK
}

func runExplain(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "explain", "ID")
	params := fs.String("params", "", "parameter overrides, to show the thresholds in force")
	var pol policyFlags
	pol.register(fs)
	format := fs.StringP("format", "f", "text", "text or json")
	if code, ok := parse(e, fs, "explain", "ID", args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageErr(e, "explain", "give one control id, e.g. lockcheck explain CRED-005")
	}
	opts := engine.Options{}
	if *params != "" {
		p, err := readParams(*params)
		if err != nil {
			return usageErr(e, "explain", "--params: %v", err)
		}
		opts.Params = p
	}
	if err := pol.apply(&opts); err != nil {
		return errCode(e, "explain", err)
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return errCode(e, "explain", err)
	}
	if *format != "text" && *format != "json" {
		return usageErr(e, "explain", "--format %q: expected text or json", *format)
	}
	c, ok := eng.Control(fs.Arg(0))
	if !ok {
		c, ok = eng.Control(strings.ToUpper(fs.Arg(0)))
	}
	if !ok {
		return usageErr(e, "explain", "unknown control %q%s (see lockcheck controls)", fs.Arg(0), didYouMean(eng, fs.Arg(0)))
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(catalogue.ExplainJSON(eng, c, examples(ctx, eng, c))); err != nil {
			return errCode(e, "explain", err)
		}
		return ExitOK
	}
	fmt.Fprint(e.stdout, catalogue.Explain(eng, c, examples(ctx, eng, c)))
	return ExitOK
}

// didYouMean suggests the nearest control id, or lists the area's ids when
// none is near (ENR-999: the ENR controls).
func didYouMean(eng *engine.Engine, id string) string {
	ids := make([]string, 0)
	for _, x := range eng.Controls() {
		ids = append(ids, x.ID)
	}
	sort.Strings(ids)
	if s, ok := document.Suggest(strings.ToUpper(id), ids); ok {
		return fmt.Sprintf("; did you mean %s?", s)
	}
	prefix, _, _ := strings.Cut(strings.ToUpper(id), "-")
	var same []string
	for _, x := range ids {
		if strings.HasPrefix(x, prefix+"-") {
			same = append(same, x)
		}
	}
	if len(same) > 0 && prefix != "" {
		return fmt.Sprintf("; the %s controls are %s", prefix, strings.Join(same, ", "))
	}
	return ""
}

func runVersion(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "version", "")
	if code, ok := parse(e, fs, "version", "", args); !ok {
		return code
	}
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		return errCode(e, "version", err)
	}
	fmt.Fprintf(e.stdout, "lockcheck %s\ncatalogue %s, %d controls\ncatalogue digest %s\n", Version, eng.Version(), len(eng.Controls()), eng.Digest())
	return ExitOK
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
