package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Result is what a source's mapping function returns for one dump.
type Result struct {
	// Snapshots are the locks found, in a deterministic order.
	Snapshots []*Snapshot
	// Warnings name what was skipped and why (a node that is not a lock, an
	// unknown cluster). They never quote a value from the dump.
	Warnings []string
	// Guard holds every secret the source read past (PINs, user codes).
	Guard Guard
}

// Mapper is a source: a pure function from one dump's bytes to snapshots.
// file names the dump in messages. A malformed dump is an *InputError
// naming the attribute.
type Mapper func(file string, data []byte) (*Result, error)

// Input is one dump to import.
type Input struct {
	File string
	Data []byte
}

// Options control a run.
type Options struct {
	// CapturedAt (RFC 3339) overrides spec.captured_at; without it the
	// dump's own time is used, and without that it stays absent.
	CapturedAt string
	Overlay    *Overlay
	Prefer     Prefer
	Needs      Needs
}

// Output is the result of a run.
type Output struct {
	Snapshots []*Snapshot
	Coverage  []Coverage
	Warnings  []string
	guard     Guard
}

// Run maps every input with m, applies the overlay, names the snapshots
// uniquely and computes coverage. Every rendered snapshot and warning has
// passed the secret guard.
func Run(m Mapper, inputs []Input, opt Options) (*Output, error) {
	if opt.CapturedAt != "" {
		if _, err := time.Parse(time.RFC3339, opt.CapturedAt); err != nil {
			return nil, fmt.Errorf("--captured-at %q: expected RFC 3339 with an offset (2026-11-24T18:30:00Z)", opt.CapturedAt)
		}
	}
	out := &Output{}
	for _, in := range inputs {
		r, err := m(in.File, in.Data)
		if err != nil {
			return nil, err
		}
		out.guard.Merge(&r.Guard)
		out.Snapshots = append(out.Snapshots, r.Snapshots...)
		out.Warnings = append(out.Warnings, r.Warnings...)
	}
	for _, s := range out.Snapshots {
		if opt.CapturedAt != "" {
			s.Set("captured_at", opt.CapturedAt, "--captured-at")
		} else if _, ok := s.Get("captured_at"); !ok {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s %s: the dump carries no time of capture; spec.captured_at stays absent (pass --captured-at)", s.Kind, s.ID))
		}
		if opt.Overlay != nil {
			if err := opt.Overlay.Apply(s, opt.Prefer); err != nil {
				return nil, err
			}
		}
	}
	for _, k := range opt.Overlay.Unused() {
		out.Warnings = append(out.Warnings, fmt.Sprintf("overlay %s: entry %q matched no imported lock", opt.Overlay.File, k))
	}
	assignNames(out.Snapshots)
	for _, s := range out.Snapshots {
		out.Coverage = append(out.Coverage, CoverageOf(s, opt.Needs))
		if err := out.guard.CheckTree(s.Document()); err != nil {
			return nil, err
		}
	}
	for _, w := range out.Warnings {
		if err := out.guard.CheckValue(w); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Guard returns the secrets seen in the run's dumps, for checking anything
// else printed.
func (o *Output) Guard() *Guard { return &o.guard }

// Encode renders every snapshot as one stream: YAML documents separated by
// "---", JSON values one after another, or NDJSON lines.
func (o *Output) Encode(f Format) ([]byte, error) {
	var b []byte
	for i, s := range o.Snapshots {
		one, err := s.Encode(f)
		if err != nil {
			return nil, err
		}
		if f == FormatYAML && i > 0 {
			b = append(b, "---\n"...)
		}
		b = append(b, one...)
	}
	return b, o.guard.CheckValue(string(b))
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// SanitizeName makes a metadata.name (and file name) from a label: lowercase
// letters, digits and single dashes, at most 63 characters.
func SanitizeName(s string) string {
	n := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(n) > 63 {
		n = strings.TrimRight(n[:63], "-")
	}
	return n
}

// assignNames gives each snapshot a unique metadata.name: its label, else
// its serial number, else "<kind>-<id>"; repeats get "-2", "-3", ….
func assignNames(ss []*Snapshot) {
	taken := map[string]bool{}
	for _, s := range ss {
		base := ""
		for _, c := range []string{s.Label, s.Serial(), s.Kind + "-" + s.ID} {
			if base = SanitizeName(c); base != "" {
				break
			}
		}
		if base == "" {
			base = "lock"
		}
		name := base
		for i := 2; taken[name]; i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		taken[name] = true
		s.name = name
	}
}
