package document

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Format is a document encoding.
type Format int

// The formats lockcheck reads.
const (
	FormatYAML   Format = iota // YAML, one or more documents separated by ---
	FormatJSON                 // one JSON value (an object, or an array of objects)
	FormatNDJSON               // one JSON object per line
)

// Limits that keep memory bounded whatever the input.
const (
	// MaxFileBytes is the largest YAML or JSON file read whole.
	MaxFileBytes = 32 << 20
	// MaxLineBytes is the longest NDJSON line (one document).
	MaxLineBytes = 16 << 20
	// maxAliasExpansions stops YAML alias bombs.
	maxAliasExpansions = 10000
)

// Extensions lists the file name endings read when walking a directory.
var Extensions = []string{".yaml", ".yml", ".json", ".ndjson", ".jsonl"}

// FormatOf returns the format for a file name, by its extension.
func FormatOf(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return FormatYAML, true
	case ".json":
		return FormatJSON, true
	case ".ndjson", ".jsonl":
		return FormatNDJSON, true
	}
	return 0, false
}

// Expand turns command-line paths into the list of files to read: files as
// given, directories walked recursively for the known extensions in sorted
// order, "-" for stdin. Each path that cannot be used is an *InputError; the
// others are still returned. ExpandWarn also returns the warnings.
func Expand(paths []string) ([]string, []*InputError) {
	files, errs, _ := ExpandWarn(paths)
	return files, errs
}

// ExpandWarn is Expand with the warnings for the files a directory walk
// skipped: a FIFO, socket or device found in a directory is not read (it
// could block the run or never end); given explicitly, it is read as a
// stream.
func ExpandWarn(paths []string) ([]string, []*InputError, []Warning) {
	var files []string
	var errs []*InputError
	var warns []Warning
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	for _, p := range paths {
		if p == "-" {
			add(p)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &InputError{File: p, Msg: describeOSError(err)})
			continue
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &InputError{File: path, Msg: describeOSError(err)})
				return nil
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if _, ok := FormatOf(path); !ok {
				return nil
			}
			mode := d.Type()
			if mode&fs.ModeSymlink != 0 {
				if info, err := os.Stat(path); err == nil {
					mode = info.Mode().Type()
				}
			}
			if mode&irregular != 0 {
				warns = append(warns, Warning{File: path, Msg: "skipped: " + describeType(mode) + ", not a regular file; a stream is read only when given as an input itself"})
				return nil
			}
			found = append(found, path)
			return nil
		})
		if err != nil {
			errs = append(errs, &InputError{File: p, Msg: describeOSError(err)})
		}
		if len(found) == 0 {
			errs = append(errs, &InputError{File: p, Msg: "directory contains no documents (looked for " + strings.Join(globs(), ", ") + ")"})
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, errs, warns
}

func globs() []string {
	g := make([]string, len(Extensions))
	for i, e := range Extensions {
		g[i] = "*" + e
	}
	return g
}

func describeOSError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Handler receives each decoded document, or the error that stopped one. It
// returns false to stop reading.
type Handler func(doc *Document, err *InputError) bool

// DecodeFile reads every document of one file ("-" is stdin) and hands each to
// fn, in order. Problems are reported through fn as *InputError, never as a
// panic; reading goes on with the next document where the format allows.
// DecodeFileContext is the same, cancellable.
func DecodeFile(path string, stdin io.Reader, fn Handler) {
	DecodeFileContext(context.Background(), path, stdin, fn)
}

// decodeRegular reads a regular file, by its extension (YAML by default).
func decodeRegular(ctx context.Context, path string, fn Handler) {
	format, ok := FormatOf(path)
	if !ok {
		format = FormatYAML
	}
	f, err := os.Open(path)
	if err != nil {
		fn(nil, &InputError{File: path, Msg: describeOSError(err)})
		return
	}
	defer f.Close()
	if format != FormatNDJSON {
		if info, err := f.Stat(); err == nil && info.Size() > MaxFileBytes {
			fn(nil, &InputError{File: path, Msg: fmt.Sprintf("file is %.1f MiB; a YAML or JSON file may be at most %d MiB (split it, or use NDJSON with one document per line)", float64(info.Size())/(1<<20), MaxFileBytes>>20)})
			return
		}
	}
	Decode(path, bufio.NewReaderSize(ctxReader{ctx, f}, 64<<10), format, fn)
}

// sniff guesses the format of a stream: JSON when it starts with '{' or '['
// (after any byte-order mark), YAML otherwise.
func sniff(br *bufio.Reader) Format {
	first := 1
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		first += len(bom)
	}
	for i := first; i <= 4096; i++ {
		b, err := br.Peek(i)
		if err != nil || len(b) < i {
			return FormatYAML
		}
		switch b[i-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return FormatNDJSON
		case '[':
			return FormatJSON
		default:
			return FormatYAML
		}
	}
	return FormatYAML
}

// Decode reads documents of the given format from r.
func Decode(name string, r *bufio.Reader, format Format, fn Handler) {
	if isBinary(r) {
		fn(nil, &InputError{File: name, Msg: "not a text file: it contains binary data (expected YAML, JSON or NDJSON)"})
		return
	}
	n := 0
	switch format {
	case FormatNDJSON:
		n = decodeNDJSON(name, r, fn)
	case FormatJSON:
		n = decodeJSON(name, r, fn)
	default:
		n = decodeYAML(name, r, fn)
	}
	if n == 0 {
		fn(nil, &InputError{File: name, Msg: "file contains no documents"})
	}
}

func isBinary(r *bufio.Reader) bool {
	b, _ := r.Peek(8192)
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	// Treat a start that is mostly not valid text as binary.
	bad := 0
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f {
			bad++
		}
	}
	return len(b) > 0 && bad*10 > len(b)
}

func decodeNDJSON(name string, r *bufio.Reader, fn Handler) int {
	n, line := 0, 0
	for {
		b, err := readLine(r)
		if len(b) == 0 && err != nil {
			if err != io.EOF {
				fn(nil, &InputError{File: name, Index: n + 1, Pos: Pos{Line: line + 1}, Msg: describeReadError(err)})
			}
			return n
		}
		line++
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		n++
		doc, ierr := decodeJSONDoc(name, n, line, b)
		if !fn(doc, ierr) {
			return n
		}
		if err != nil {
			if err != io.EOF {
				fn(nil, &InputError{File: name, Index: n + 1, Pos: Pos{Line: line + 1}, Msg: describeReadError(err)})
			}
			return n
		}
	}
}

var errLineTooLong = fmt.Errorf("line longer than %d MiB", MaxLineBytes>>20)

func describeReadError(err error) string {
	if errors.Is(err, errLineTooLong) {
		return fmt.Sprintf("a line is longer than %d MiB; one NDJSON document may be at most that long", MaxLineBytes>>20)
	}
	return "read: " + err.Error()
}

// readLine returns one line without its newline, bounded by MaxLineBytes.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			// drain the rest of the line
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			return nil, errLineTooLong
		}
		if err == nil {
			if buf == nil {
				return bytes.TrimRight(chunk, "\r\n"), nil
			}
			buf = append(buf, chunk...)
			return bytes.TrimRight(buf, "\r\n"), nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			buf = append(buf, chunk...)
			continue
		}
		buf = append(buf, chunk...)
		return bytes.TrimRight(buf, "\r\n"), err
	}
}

func decodeJSONDoc(name string, index, line int, b []byte) (*Document, *InputError) {
	p := newJSONParser(b, line)
	if line == 1 {
		p.skipBOM()
	}
	doc, ierr, ok := p.document(name, index, 0)
	if ok && ierr == nil && !p.atEnd() {
		return nil, &InputError{File: name, Index: index, Pos: p.posAt(p.i), Msg: "invalid JSON: more than one value on the line (NDJSON has one document per line)"}
	}
	return doc, ierr
}

// decodeJSON reads a JSON file: one document, or an array of documents, or a
// stream of concatenated JSON values. The file is read whole (at most
// MaxFileBytes); a document with a duplicate key or invalid UTF-8 is refused
// and the next ones are still read; a syntax error ends the file.
func decodeJSON(name string, r *bufio.Reader, fn Handler) int {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		fn(nil, &InputError{File: name, Msg: describeReadError(err)})
		return 1
	}
	if len(data) > MaxFileBytes {
		fn(nil, &InputError{File: name, Msg: fmt.Sprintf("input is larger than %d MiB; a YAML or JSON file may be at most that (split it, or use NDJSON with one document per line)", MaxFileBytes>>20)})
		return 1
	}
	p := newJSONParser(data, 1)
	p.skipBOM()
	n := 0
	for !p.atEnd() {
		if p.data[p.i] != '[' {
			n++
			doc, ierr, ok := p.document(name, n, 0)
			if !fn(doc, ierr) || !ok {
				return n
			}
			continue
		}
		// An array of documents: each item is one.
		p.i++
		p.skipSpace()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			continue
		}
		for {
			n++
			doc, ierr, ok := p.document(name, n, 1)
			if !fn(doc, ierr) || !ok {
				return n
			}
			p.skipSpace()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == ']' {
				p.i++
				break
			}
			if p.i >= len(p.data) {
				p.truncated()
			} else {
				p.fail(p.i, "unexpected %s after a document in the list (expected ',' or ']')", describeByte(p.data[p.i]))
			}
			fn(nil, p.inputError(name, n+1, p.fatal, "invalid JSON: "))
			return n + 1
		}
	}
	return n
}

func decodeYAML(name string, r io.Reader, fn Handler) int {
	utf := &utf8Tracker{r: r, line: 1, col: 1}
	dec := yaml.NewDecoder(utf)
	n := 0
	for {
		var node yaml.Node
		err := dec.Decode(&node)
		if err == io.EOF {
			return n
		}
		if err != nil {
			if utf.bad.Line > 0 && strings.Contains(err.Error(), "UTF-8") {
				// The YAML library names no position for invalid UTF-8.
				fn(nil, &InputError{File: name, Index: n + 1, Pos: utf.bad, Msg: fmt.Sprintf("invalid YAML: invalid UTF-8 (byte 0x%02x): the file must be UTF-8 text", utf.badByte)})
				return n + 1
			}
			fn(nil, &InputError{File: name, Index: n + 1, Pos: yamlErrorPos(err), Msg: "invalid YAML: " + yamlErrorText(err)})
			return n + 1
		}
		if len(node.Content) == 0 || (node.Content[0].Kind == yaml.ScalarNode && node.Content[0].Tag == "!!null") {
			continue // an empty document between separators
		}
		n++
		c := &converter{file: name, index: n, positions: map[string]Pos{}}
		v, ierr := c.value(node.Content[0], "")
		if ierr != nil {
			if !fn(nil, ierr) {
				return n
			}
			continue
		}
		doc, ierr := newDocument(name, n, Pos{Line: node.Content[0].Line, Col: node.Content[0].Column}, v, c.positions)
		if !fn(doc, ierr) {
			return n
		}
	}
}

// utf8Tracker passes a stream through, noting the line and column of the
// first byte that is not valid UTF-8.
type utf8Tracker struct {
	r         io.Reader
	line, col int    // of the next byte
	carry     []byte // an incomplete character at the end of the last read
	bad       Pos
	badByte   byte
}

func (t *utf8Tracker) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if t.bad.Line == 0 && n > 0 {
		t.scan(b[:n])
	}
	if err != nil && t.bad.Line == 0 && len(t.carry) > 0 {
		t.bad, t.badByte = Pos{Line: t.line, Col: t.col}, t.carry[0]
	}
	return n, err
}

func (t *utf8Tracker) scan(chunk []byte) {
	if len(t.carry) == 0 && utf8.Valid(chunk) {
		if nl := bytes.LastIndexByte(chunk, '\n'); nl >= 0 {
			t.line += bytes.Count(chunk, []byte{'\n'})
			t.col = 1 + utf8.RuneCount(chunk[nl+1:])
		} else {
			t.col += utf8.RuneCount(chunk)
		}
		return
	}
	buf := append(t.carry, chunk...)
	t.carry = nil
	for i := 0; i < len(buf); {
		c := buf[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				t.line, t.col = t.line+1, 1
			} else {
				t.col++
			}
			i++
			continue
		}
		if !utf8.FullRune(buf[i:]) {
			t.carry = append([]byte(nil), buf[i:]...)
			return
		}
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 {
			t.bad, t.badByte = Pos{Line: t.line, Col: t.col}, c
			return
		}
		t.col++
		i += size
	}
}

// yamlErrorPos extracts "line N" from the YAML library's message.
func yamlErrorPos(err error) Pos {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if l, e := strconv.Atoi(rest[:j]); e == nil {
			return Pos{Line: l}
		}
	}
	return Pos{}
}

func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.Contains(msg, "did not find expected") || strings.Contains(msg, "could not find expected") {
		msg += " (is the document truncated or mis-indented?)"
	}
	return msg
}

// converter turns a YAML node tree into JSON-compatible values, recording the
// position of every field and list item.
type converter struct {
	file      string
	index     int
	positions map[string]Pos
	aliases   int
}

func (c *converter) errAt(n *yaml.Node, path, msg string) *InputError {
	return &InputError{File: c.file, Index: c.index, Path: path, Pos: Pos{Line: n.Line, Col: n.Column}, Msg: msg}
}

func (c *converter) value(n *yaml.Node, path string) (any, *InputError) {
	switch n.Kind {
	case yaml.AliasNode:
		c.aliases++
		if c.aliases > maxAliasExpansions {
			return nil, c.errAt(n, path, "too many YAML alias expansions")
		}
		return c.value(n.Alias, path)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		first := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				return nil, c.errAt(k, path, "mapping keys must be plain strings (YAML merge keys and complex keys are not supported)")
			}
			key := k.Value
			child := key
			if path != "" {
				child = path + "." + key
			}
			if line, dup := first[key]; dup {
				return nil, c.errAt(k, child, fmt.Sprintf("duplicate key %q (first defined at line %d)", key, line))
			}
			first[key] = k.Line
			c.positions[child] = Pos{Line: k.Line, Col: k.Column}
			val, err := c.value(v, child)
			if err != nil {
				return nil, err
			}
			m[key] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, it := range n.Content {
			child := path + "[" + strconv.Itoa(i) + "]"
			c.positions[child] = Pos{Line: it.Line, Col: it.Column}
			val, err := c.value(it, child)
			if err != nil {
				return nil, err
			}
			s[i] = val
		}
		return s, nil
	case yaml.ScalarNode:
		return c.scalar(n, path)
	}
	return nil, c.errAt(n, path, "unsupported YAML node")
}

func (c *converter) scalar(n *yaml.Node, path string) (any, *InputError) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, c.errAt(n, path, "invalid boolean "+strconv.Quote(n.Value))
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, c.errAt(n, path, "integer out of range: "+n.Value)
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, c.errAt(n, path, "expected a finite number, got "+strconv.Quote(n.Value))
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		// strings, and timestamps kept exactly as written: dates and
		// datetimes are validated by the schema, never reinterpreted.
		return n.Value, nil
	}
}

// newDocument wraps a decoded value, reading the envelope fields leniently;
// the validator reports what is wrong with them.
func newDocument(file string, index int, pos Pos, v any, positions map[string]Pos) (*Document, *InputError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &InputError{File: file, Index: index, Pos: pos, Msg: fmt.Sprintf("expected a document (a mapping with apiVersion, kind, metadata and spec), got %s", describeValue(v))}
	}
	d := &Document{File: file, Index: index, Pos: pos, Raw: m, positions: positions}
	d.APIVersion, _ = m["apiVersion"].(string)
	d.Kind, _ = m["kind"].(string)
	if md, ok := m["metadata"].(map[string]any); ok {
		d.Name, _ = md["name"].(string)
		if ls, ok := md["labels"].(map[string]any); ok {
			d.Labels = make(map[string]string, len(ls))
			for k, lv := range ls {
				if s, ok := lv.(string); ok {
					d.Labels[k] = s
				}
			}
		}
	}
	return d, nil
}

// describeValue names a value's JSON type for messages, without echoing it.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		if len(x) > 40 {
			return "a string"
		}
		return "string " + strconv.Quote(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}
