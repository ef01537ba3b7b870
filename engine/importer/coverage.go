package importer

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// Coverage says, for one imported snapshot, which fields came from the
// device, which from the overlay, which evidence the catalogue's controls
// read is absent, and which controls therefore cannot pass until an overlay
// (or a better dump) supplies it.
type Coverage struct {
	Name     string `json:"name"`
	Source   string `json:"source"`
	SourceID string `json:"source_id"`
	// FromDevice and FromOverlay are the written fields (document paths).
	FromDevice  []string `json:"from_device"`
	FromOverlay []string `json:"from_overlay"`
	// Absent are the LockSnapshot evidence paths (catalogue form,
	// "spec.credentials[].holder_id") that no source filled.
	Absent []string `json:"absent"`
	// NeedOverlay are the controls with absent evidence: they report
	// insufficient_evidence until it is supplied.
	NeedOverlay []string `json:"need_overlay"`
}

// Needs is what coverage compares against: the evidence paths each control
// declares for LockSnapshots (the document's own fields, not linked ones).
type Needs struct {
	ids   []string
	paths map[string][]string
}

// NeedsFrom reads the LockSnapshot evidence of the catalogue's controls.
func NeedsFrom(ctls []*finding.Control) Needs {
	n := Needs{paths: map[string][]string{}}
	for _, c := range ctls {
		if !c.Applies(document.KindLockSnapshot) {
			continue
		}
		var ps []string
		for _, p := range c.Evidence[document.KindLockSnapshot] {
			if strings.HasPrefix(p, "spec.") { // plan:, product: are linked documents
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 {
			continue
		}
		n.ids = append(n.ids, c.ID)
		n.paths[c.ID] = ps
	}
	return n
}

// CoverageOf computes the coverage of a finished snapshot.
func CoverageOf(s *Snapshot, needs Needs) Coverage {
	_, t := s.build()
	c := Coverage{Name: s.name, Source: s.Kind, SourceID: s.ID, FromDevice: []string{}, FromOverlay: []string{}, Absent: []string{}, NeedOverlay: []string{}}
	have := map[string]bool{}               // generic paths (and ancestors) set on every item of their list
	lists := map[string]bool{}              // generic list paths that have items
	items := map[string]map[string]bool{}   // generic list path -> item keys
	holders := map[string]map[string]bool{} // generic field path under a list -> item keys that set it
	for _, p := range s.order {
		doc := t.docPath[p]
		if strings.HasPrefix(s.fields[p].source, SourceOverlay) {
			c.FromOverlay = append(c.FromOverlay, doc)
		} else {
			c.FromDevice = append(c.FromDevice, doc)
		}
		g := "spec." + GenericPath(p)
		list, item := firstList(p)
		for q := g; q != ""; q = parentOf(q) {
			if list != "" && strings.HasPrefix(q, list+"[]") {
				if holders[q] == nil {
					holders[q] = map[string]bool{}
				}
				holders[q][item] = true
				continue
			}
			have[q] = true
		}
		if list != "" {
			lists[list] = true
			if items[list] == nil {
				items[list] = map[string]bool{}
			}
			items[list][item] = true
		}
	}
	for q, hs := range holders {
		list := q[:strings.Index(q, "[]")]
		if len(hs) == len(items[list]) {
			have[q] = true
		}
	}
	sort.Slice(c.FromDevice, func(i, j int) bool { return pathLess(c.FromDevice[i], c.FromDevice[j]) })
	sort.Slice(c.FromOverlay, func(i, j int) bool { return pathLess(c.FromOverlay[i], c.FromOverlay[j]) })
	absent := map[string]bool{}
	for _, id := range needs.ids {
		missing := false
		for _, p := range needs.paths[id] {
			q := absentAs(p, have, lists)
			if q != "" {
				absent[q] = true
				missing = true
			}
		}
		if missing {
			c.NeedOverlay = append(c.NeedOverlay, id)
		}
	}
	c.Absent = slices.Sorted(maps.Keys(absent))
	return c
}

// firstList returns the generic path of the first list a set path goes
// through ("spec.credentials") and the item's key; "" when none.
func firstList(p string) (list, item string) {
	steps, err := splitPath(p)
	if err != nil {
		return "", ""
	}
	parts := []string{"spec"}
	for _, st := range steps {
		parts = append(parts, st.key)
		if st.list {
			return strings.Join(parts, "."), st.item
		}
	}
	return "", ""
}

// absentAs returns "" when the evidence path p is filled, else the path to
// report: a list item field inside a list that has no items is reported as
// the list itself.
func absentAs(p string, have, lists map[string]bool) string {
	if have[p] {
		return ""
	}
	if i := strings.Index(p, "[]"); i >= 0 {
		if list := p[:i]; !lists[list] {
			if have[list] {
				return "" // an empty list positively says there are no items
			}
			return list
		}
	}
	return p
}

func parentOf(p string) string {
	if strings.HasSuffix(p, "[]") {
		return strings.TrimSuffix(p, "[]")
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// pathLess orders document paths with numeric list indices in number order.
func pathLess(a, b string) bool {
	ta, tb := pathTokens(a), pathTokens(b)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		x, y := ta[i], tb[i]
		if x.num >= 0 && y.num >= 0 {
			if x.num != y.num {
				return x.num < y.num
			}
			continue
		}
		if x.s != y.s {
			return x.s < y.s
		}
	}
	return len(ta) < len(tb)
}

type token struct {
	s   string
	num int
}

// pathTokens splits "spec.a[10].b" into "spec.a", 10, ".b".
func pathTokens(p string) []token {
	var out []token
	for p != "" {
		i := strings.IndexByte(p, '[')
		if i < 0 {
			out = append(out, token{s: p, num: -1})
			break
		}
		if i > 0 {
			out = append(out, token{s: p[:i], num: -1})
		}
		j := strings.IndexByte(p[i:], ']')
		if j < 0 {
			out = append(out, token{s: p[i:], num: -1})
			break
		}
		n, err := strconv.Atoi(p[i+1 : i+j])
		if err != nil {
			n = -1
		}
		out = append(out, token{s: p[i : i+j+1], num: n})
		p = p[i+j+1:]
	}
	return out
}

// WriteSummary prints the coverage of each snapshot and the total, for people.
func WriteSummary(w io.Writer, cs []Coverage) {
	dev, ovl := 0, 0
	need := map[string]int{}
	for _, c := range cs {
		dev += len(c.FromDevice)
		ovl += len(c.FromOverlay)
		fmt.Fprintf(w, "%s (%s %s): %d fields from the device, %d from the overlay, %d evidence fields absent\n",
			c.Name, c.Source, c.SourceID, len(c.FromDevice), len(c.FromOverlay), len(c.Absent))
		if len(c.Absent) > 0 {
			fmt.Fprintf(w, "  absent: %s\n", strings.Join(c.Absent, ", "))
		}
		if len(c.NeedOverlay) > 0 {
			fmt.Fprintf(w, "  insufficient_evidence until an overlay supplies it: %s\n", strings.Join(c.NeedOverlay, ", "))
		}
		for _, id := range c.NeedOverlay {
			need[id]++
		}
	}
	fmt.Fprintf(w, "total: %d locks, %d fields from devices, %d from the overlay", len(cs), dev, ovl)
	if len(need) > 0 {
		ids := slices.Sorted(maps.Keys(need))
		sort.SliceStable(ids, func(i, j int) bool { return need[ids[i]] > need[ids[j]] })
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = fmt.Sprintf("%s (%d)", id, need[id])
		}
		fmt.Fprintf(w, "; controls that cannot pass without an overlay: %s", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
}

// GenericDocPath turns a document path ("spec.credentials[3].pin_length")
// into the catalogue's form ("spec.credentials[].pin_length").
func GenericDocPath(p string) string {
	var b strings.Builder
	for _, tk := range pathTokens(p) {
		if tk.num >= 0 {
			b.WriteString("[]")
			continue
		}
		b.WriteString(tk.s)
	}
	return b.String()
}
