// Package document reads lockcheck documents (YAML, multi-document YAML, JSON,
// NDJSON/JSONL) from files, directories and stdin, keeps the line and column of
// every field where the format gives them, and validates each document against
// its kind's embedded JSON Schema.
//
// A document is the envelope `apiVersion`, `kind`, `metadata` (`name`,
// `labels`) and `spec`. Decoding never stops at the first bad document: each
// problem is an *InputError naming the file, the document index, the field path
// and what was expected, and the other documents are still delivered.
package document

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lockcheck/lockcheck/engine/evidencepath"
)

// APIVersion is the only envelope version this release reads.
const APIVersion = "lockcheck.dev/v1alpha1"

// The document kinds.
const (
	KindProductSpec  = "ProductSpec"
	KindLockSnapshot = "LockSnapshot"
	KindInstallPlan  = "InstallPlan"
	KindWaiver       = "Waiver"
)

// Kinds lists the kinds that are evaluated against controls.
var Kinds = []string{KindInstallPlan, KindLockSnapshot, KindProductSpec}

// Pos is a position in a source file (1-based; zero when unknown).
type Pos struct {
	Line, Col int
}

// Document is one decoded document.
type Document struct {
	// File is the path the document was read from ("-" for stdin).
	File string
	// Index is the 1-based position of the document within File.
	Index int
	// Pos is where the document starts in File.
	Pos Pos

	APIVersion string
	Kind       string
	Name       string
	Labels     map[string]string

	// Raw is the whole document as JSON-compatible Go values: map[string]any,
	// []any, string, bool, nil, and json.Number for numbers.
	Raw map[string]any

	// positions maps a field path ("spec.credentials[0].role") to where its
	// value starts; nil when the format gives no positions.
	positions map[string]Pos
}

// PosOf returns the position of the value at a field path, falling back to
// the nearest enclosing field that has one, then to the document start.
func (d *Document) PosOf(path string) Pos {
	for p := path; p != ""; p = evidencepath.Parent(p) {
		if pos, ok := d.positions[p]; ok {
			return pos
		}
	}
	return d.Pos
}

// Spec returns the document's spec object (nil when absent or not an object).
func (d *Document) Spec() map[string]any {
	s, _ := d.Raw["spec"].(map[string]any)
	return s
}

// Ref identifies a document in messages: "file (doc N)".
func (d *Document) Ref() string {
	return fmt.Sprintf("%s (doc %d)", d.File, d.Index)
}

// InputError is a problem with the input that the user must fix: unreadable,
// malformed or invalid. It maps to exit code 2.
type InputError struct {
	File  string
	Index int    // 1-based document index; 0 when the whole file is affected
	Path  string // field path, e.g. spec.support.support_end_date; empty for the document
	Pos   Pos
	Msg   string
}

func (e *InputError) Error() string {
	return formatProblem(e.File, e.Index, e.Path, e.Pos, e.Msg)
}

// Warning is a problem that does not stop evaluation (an unknown field, an
// unresolved link). Warnings are printed and kept in reports.
type Warning struct {
	File  string
	Index int
	Path  string
	Pos   Pos
	Msg   string
}

func (w Warning) String() string {
	return formatProblem(w.File, w.Index, w.Path, w.Pos, w.Msg)
}

func formatProblem(file string, index int, path string, pos Pos, msg string) string {
	var b strings.Builder
	b.WriteString(file)
	if pos.Line > 0 {
		fmt.Fprintf(&b, ":%d", pos.Line)
		if pos.Col > 0 {
			fmt.Fprintf(&b, ":%d", pos.Col)
		}
	}
	if index > 0 {
		fmt.Fprintf(&b, " (doc %d)", index)
	}
	b.WriteString(": ")
	if path != "" {
		b.WriteString(path)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	return b.String()
}

// SortWarnings orders warnings by file, document index, path and message.
func SortWarnings(ws []Warning) {
	sort.Slice(ws, func(i, j int) bool {
		a, b := ws[i], ws[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Index != b.Index {
			return a.Index < b.Index
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Msg < b.Msg
	})
}

type problemJSON struct {
	File    string `json:"file"`
	Index   int    `json:"index,omitempty"`
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"column,omitempty"`
	Message string `json:"message"`
	Text    string `json:"text"`
}

// MarshalJSON writes the error's parts and its one-line text.
func (e *InputError) MarshalJSON() ([]byte, error) {
	return json.Marshal(problemJSON{e.File, e.Index, e.Path, e.Pos.Line, e.Pos.Col, e.Msg, e.Error()})
}

// MarshalJSON writes the warning's parts and its one-line text.
func (w Warning) MarshalJSON() ([]byte, error) {
	return json.Marshal(problemJSON{w.File, w.Index, w.Path, w.Pos.Line, w.Pos.Col, w.Msg, w.String()})
}

// UnmarshalJSON reads what MarshalJSON wrote (for merging shard results).
func (e *InputError) UnmarshalJSON(b []byte) error {
	var p problemJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*e = InputError{File: p.File, Index: p.Index, Path: p.Path, Pos: Pos{p.Line, p.Col}, Msg: p.Message}
	return nil
}

// UnmarshalJSON reads what MarshalJSON wrote (for merging shard results).
func (w *Warning) UnmarshalJSON(b []byte) error {
	var p problemJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*w = Warning{File: p.File, Index: p.Index, Path: p.Path, Pos: Pos{p.Line, p.Col}, Msg: p.Message}
	return nil
}
