// Package catalogue renders the control catalogue read from the policies'
// METADATA: the JSON listing, docs/controls.md and `lockcheck explain`.
package catalogue

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/policies"
)

// Source is what the catalogue views read of a compiled catalogue (an
// *engine.Engine satisfies it).
type Source interface {
	Controls() []*finding.Control
	Version() string
	Digest() string
	Params() map[string]any
	// Sources are the --policy directories and bundles added to the catalogue.
	Sources() []finding.PolicySource
}

// AreaTitle returns an area's human name, as policies/catalogue.json gives
// it; an area the catalogue does not list is its own title.
func AreaTitle(a string) string {
	for _, x := range policies.Areas() {
		if x.Name == a {
			return x.Title
		}
	}
	return a
}

// Listing is the JSON form of `lockcheck controls`.
type Listing struct {
	CatalogueVersion string             `json:"catalogue_version"`
	CatalogueDigest  string             `json:"catalogue_digest"`
	Controls         []*finding.Control `json:"controls"`
}

// JSON returns the listing of the given controls.
func JSON(e Source, ctls []*finding.Control) Listing {
	return Listing{CatalogueVersion: e.Version(), CatalogueDigest: e.Digest(), Controls: ctls}
}

// Markdown renders docs/controls.md: a table per area, then every control.
func Markdown(e Source) string {
	var b strings.Builder
	ctls := e.Controls()
	fmt.Fprintf(&b, "# lockcheck control catalogue\n\n")
	fmt.Fprintf(&b, "Generated from the policies' METADATA by `lockcheck controls --format markdown` (`make docs`); a test fails when this file is stale. Catalogue version %s, %d controls.\n\n", e.Version(), len(ctls))
	fmt.Fprintf(&b, "Statuses: `pass`, `fail`, `not_applicable`, `insufficient_evidence` (missing evidence — counts as failing), `waived`, `error`.\n\n")
	areas := areasOf(ctls)
	for _, a := range areas {
		fmt.Fprintf(&b, "## %s (`%s`)\n\n| id | title | severity | applies to |\n|---|---|---|---|\n", AreaTitle(a), a)
		for _, c := range ctls {
			if c.Area == a {
				fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", c.ID, strings.ToLower(c.ID), c.Title, c.Severity, strings.Join(c.AppliesTo, ", "))
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("## Controls\n\n")
	for _, c := range ctls {
		fmt.Fprintf(&b, "### %s\n\n**%s** — %s, severity %s, applies to %s.\n\n", c.ID, c.Title, AreaTitle(c.Area), c.Severity, strings.Join(c.AppliesTo, ", "))
		fmt.Fprintf(&b, "%s\n\n", oneParagraph(c.Description))
		b.WriteString("Evidence:\n\n")
		for _, k := range sortedKeys(c.Evidence) {
			fmt.Fprintf(&b, "- %s: %s\n", k, codeList(c.Evidence[k]))
		}
		if len(c.Params) > 0 {
			fmt.Fprintf(&b, "\nThresholds: %s\n", codeList(c.Params))
		}
		fmt.Fprintf(&b, "\nRemediation: %s\n\nReferences: %s\n\nSource: `%s`\n\n", oneParagraph(c.Remediation), refs(c.References), c.File)
	}
	return b.String()
}

// Explain renders one control in full for `lockcheck explain`, with the
// thresholds in force and example findings.
func Explain(e Source, c *finding.Control, examples []finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n\n", c.ID, c.Title)
	fmt.Fprintf(&b, "Area:        %s\nSeverity:    %s\nApplies to:  %s\nPolicy:      %s (%s)\n", AreaTitle(c.Area), c.Severity, strings.Join(c.AppliesTo, ", "), c.Package, c.File)
	for _, s := range e.Sources() {
		if s.Name == c.Source {
			signed := ""
			if s.Signed {
				signed = ", signature verified"
			}
			fmt.Fprintf(&b, "Added by:    --policy %s (%s, revision %s%s)\n", s.Path, s.Kind, s.Revision, signed)
		}
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "What it checks and why\n%s\n\n", indent(c.Description))
	b.WriteString("Evidence (fields read; a missing one makes the finding insufficient_evidence)\n")
	for _, k := range sortedKeys(c.Evidence) {
		fmt.Fprintf(&b, "  %s:\n", k)
		for _, p := range c.Evidence[k] {
			fmt.Fprintf(&b, "    - %s\n", p)
		}
	}
	if len(c.Params) > 0 {
		b.WriteString("\nThresholds in force (change with --params, or per plan in policy_overrides)\n")
		for _, p := range c.Params {
			fmt.Fprintf(&b, "  %s = %v\n", p, e.Params()[p])
		}
	}
	fmt.Fprintf(&b, "\nRemediation\n%s\n\nReferences\n", indent(c.Remediation))
	for _, r := range c.References {
		if u := ReferenceURL(r); u != "" {
			fmt.Fprintf(&b, "  - %s %s  <%s>\n", r.Standard, r.Clause, u)
			continue
		}
		fmt.Fprintf(&b, "  - %s %s\n", r.Standard, r.Clause)
	}
	if len(examples) > 0 {
		b.WriteString("\nExamples (from the bundled fixtures)\n")
		for _, f := range examples {
			fmt.Fprintf(&b, "  %s — %s %s (%s):\n%s\n", strings.ToUpper(string(f.Status)), f.Document.Kind, f.Document.Name, f.Document.File, indent(f.Rationale))
			for _, ev := range f.Evidence {
				if ev.Source != "" {
					fmt.Fprintf(&b, "    from: %s ← %s\n", ev.Path, ev.Source)
				}
			}
		}
	}
	return b.String()
}

// Explanation is the JSON form of `lockcheck explain`.
type Explanation struct {
	CatalogueVersion string            `json:"catalogue_version"`
	Control          *finding.Control  `json:"control"`
	Params           map[string]any    `json:"params_in_force"`
	References       []ExplainedRef    `json:"references"`
	Examples         []finding.Finding `json:"examples"`
}

// ExplainedRef is a reference with its stable URL, when the standard has one.
type ExplainedRef struct {
	Standard string `json:"standard"`
	Clause   string `json:"clause"`
	URL      string `json:"url,omitempty"`
}

// ExplainJSON is Explain's content as data.
func ExplainJSON(e Source, c *finding.Control, examples []finding.Finding) Explanation {
	x := Explanation{CatalogueVersion: e.Version(), Control: c, Params: map[string]any{}, References: []ExplainedRef{}, Examples: examples}
	for _, p := range c.Params {
		x.Params[p] = e.Params()[p]
	}
	for _, r := range c.References {
		x.References = append(x.References, ExplainedRef{Standard: r.Standard, Clause: r.Clause, URL: ReferenceURL(r)})
	}
	if x.Examples == nil {
		x.Examples = []finding.Finding{}
	}
	return x
}

func areasOf(ctls []*finding.Control) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range ctls {
		if !seen[c.Area] {
			seen[c.Area] = true
			out = append(out, c.Area)
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func codeList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "`" + x + "`"
	}
	return strings.Join(q, ", ")
}

func refs(rs []finding.Reference) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Standard + " " + r.Clause
	}
	return strings.Join(parts, "; ")
}

func oneParagraph(s string) string { return strings.Join(strings.Fields(s), " ") }

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(wrap(oneParagraph(s), 96)), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len(w) > width {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
