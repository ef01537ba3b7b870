package document

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonParser decodes JSON held in memory into the values documents are made
// of (map[string]any, []any, string, bool, nil and json.Number), in one pass.
// It exists because encoding/json silently lets the last of two equal keys
// win, replaces invalid UTF-8, refuses a byte-order mark and reports errors
// by byte offset; here a key given twice in one object and invalid UTF-8 are
// refused like YAML refuses them, and every problem has a line and column.
//
// A syntax error stops the parse (fatal). A duplicate key or invalid UTF-8
// leaves the syntax intact, so the parse goes on and only the document it is
// in is refused (soft): the next documents of the file are still read.
type jsonParser struct {
	data []byte
	i    int
	// line is the line number of data[0] (NDJSON passes the line it read).
	line int

	fatal *jsonProblem
	soft  *jsonProblem

	// path is the field path from the document root to the value being
	// parsed; it is only turned into a string for a problem.
	path []pathStep

	// posAt's cursor: lines are counted forward from the last position asked.
	cOff, cLine, cLineStart int
}

type pathStep struct {
	key   string
	index int // -1 for a key
}

type jsonProblem struct {
	off  int
	path string
	msg  string
}

// maxJSONDepth is encoding/json's nesting limit, and the YAML library's.
const maxJSONDepth = 10000

// bom is the UTF-8 byte-order mark some editors on Windows write.
var bom = []byte{0xEF, 0xBB, 0xBF}

func newJSONParser(data []byte, line int) *jsonParser {
	return &jsonParser{data: data, line: line, cLine: line}
}

// skipBOM skips a UTF-8 byte-order mark at the start of the input.
func (p *jsonParser) skipBOM() {
	if p.i == 0 && bytes.HasPrefix(p.data, bom) {
		p.i = len(bom)
	}
}

// posAt returns the line and column (in characters, 1-based) of a byte
// offset. Offsets are asked in increasing order while a file is read, so the
// count of lines goes forward from the previous answer.
func (p *jsonParser) posAt(off int) Pos {
	if off > len(p.data) {
		off = len(p.data)
	}
	if off < p.cOff {
		p.cOff, p.cLine, p.cLineStart = 0, p.line, 0
	}
	for {
		j := bytes.IndexByte(p.data[p.cOff:off], '\n')
		if j < 0 {
			break
		}
		p.cLine++
		p.cOff += j + 1
		p.cLineStart = p.cOff
	}
	p.cOff = off
	start := p.cLineStart
	if p.cLine == p.line && start == 0 && bytes.HasPrefix(p.data, bom) {
		start = len(bom)
	}
	col := 1
	if off > start {
		col += utf8.RuneCount(p.data[start:off])
	}
	return Pos{Line: p.cLine, Col: col}
}

func (p *jsonParser) fail(off int, format string, args ...any) {
	if p.fatal == nil {
		p.fatal = &jsonProblem{off: off, msg: fmt.Sprintf(format, args...)}
	}
}

// failSoft records a problem that refuses the document without stopping the
// parse; the first one in a document is the one reported.
func (p *jsonParser) failSoft(off int, path, msg string) {
	if p.soft == nil {
		p.soft = &jsonProblem{off: off, path: path, msg: msg}
	}
}

// pathString renders p.path, plus key when not empty, as "spec.a[2].b".
func (p *jsonParser) pathString(key string) string {
	var b strings.Builder
	for _, s := range p.path {
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	if key != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(key)
	}
	return b.String()
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// atEnd reports whether only white space is left.
func (p *jsonParser) atEnd() bool {
	p.skipSpace()
	return p.i >= len(p.data)
}

func (p *jsonParser) truncated() {
	p.fail(len(p.data), "unexpected end of input (the document is truncated)")
}

// describeByte names an unexpected byte for a message.
func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("character %q", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// value parses one value; depth is the nesting depth of its container.
func (p *jsonParser) value(depth int) any {
	p.skipSpace()
	if p.i >= len(p.data) {
		p.truncated()
		return nil
	}
	switch c := p.data[p.i]; c {
	case '{':
		return p.object(depth + 1)
	case '[':
		return p.array(depth + 1)
	case '"':
		return p.str()
	case 't':
		return p.literal("true", true)
	case 'f':
		return p.literal("false", false)
	case 'n':
		return p.literal("null", nil)
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return p.number()
		}
		p.fail(p.i, "unexpected %s where a value should start", describeByte(c))
		return nil
	}
}

func (p *jsonParser) literal(word string, v any) any {
	if !bytes.HasPrefix(p.data[p.i:], []byte(word)) {
		if len(p.data)-p.i < len(word) && bytes.HasPrefix([]byte(word), p.data[p.i:]) {
			p.truncated()
		} else {
			p.fail(p.i, "invalid literal (expected %s)", word)
		}
		return nil
	}
	p.i += len(word)
	return v
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *jsonParser) number() any {
	d, start := p.data, p.i
	i := start
	digits := func() bool {
		j := i
		for i < len(d) && isDigit(d[i]) {
			i++
		}
		return i > j
	}
	bad := func() any {
		if i >= len(d) {
			p.truncated()
		} else {
			p.fail(i, "invalid number: unexpected %s", describeByte(d[i]))
		}
		return nil
	}
	if d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if !digits() {
		return bad()
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return bad()
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return bad()
		}
	}
	p.i = i
	return json.Number(d[start:i])
}

func (p *jsonParser) object(depth int) any {
	start := p.i
	if depth > maxJSONDepth {
		p.fail(p.i, "nested deeper than %d levels", maxJSONDepth)
		return nil
	}
	p.i++ // {
	m := make(map[string]any)
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m
	}
	for {
		p.skipSpace()
		if p.i >= len(p.data) {
			p.truncated()
			return nil
		}
		if p.data[p.i] != '"' {
			p.fail(p.i, "unexpected %s where an object key (a quoted string) should start", describeByte(p.data[p.i]))
			return nil
		}
		keyOff := p.i
		k := p.str()
		if p.fatal != nil {
			return nil
		}
		p.skipSpace()
		if p.i >= len(p.data) {
			p.truncated()
			return nil
		}
		if p.data[p.i] != ':' {
			p.fail(p.i, "unexpected %s after object key %q (expected ':')", describeByte(p.data[p.i]), k)
			return nil
		}
		p.i++
		p.path = append(p.path, pathStep{key: k, index: -1})
		v := p.value(depth)
		p.path = p.path[:len(p.path)-1]
		if p.fatal != nil {
			return nil
		}
		if _, dup := m[k]; dup && p.soft == nil {
			first := p.posAt(p.firstKey(start, k)).Line
			p.failSoft(keyOff, p.pathString(k), fmt.Sprintf("duplicate key %q (first defined at line %d)", k, first))
		}
		m[k] = v
		if !p.separator('}', "an object value") {
			if p.fatal != nil {
				return nil
			}
			return m
		}
	}
}

// separator consumes what follows an object value or a list item: a ',' (it
// reports true: another member follows) or the closing bracket (it reports
// false). Anything else, or the end of input, records a fatal problem naming
// what came before and reports false.
func (p *jsonParser) separator(closer byte, after string) bool {
	p.skipSpace()
	if p.i >= len(p.data) {
		p.truncated()
		return false
	}
	switch c := p.data[p.i]; c {
	case ',':
		p.i++
		return true
	case closer:
		p.i++
		return false
	default:
		p.fail(p.i, "unexpected %s after %s (expected ',' or '%c')", describeByte(c), after, closer)
		return false
	}
}

// firstKey returns the offset of the first occurrence of key in the object
// starting at start, which has been parsed without a syntax error up to a
// later occurrence.
func (p *jsonParser) firstKey(start int, key string) int {
	q := &jsonParser{data: p.data, i: start + 1}
	for q.fatal == nil {
		q.skipSpace()
		off := q.i
		if q.str() == key {
			return off
		}
		q.skipSpace()
		q.i++ // :
		q.value(0)
		q.skipSpace()
		q.i++ // ,
	}
	return start
}

func (p *jsonParser) array(depth int) any {
	if depth > maxJSONDepth {
		p.fail(p.i, "nested deeper than %d levels", maxJSONDepth)
		return nil
	}
	p.i++ // [
	s := make([]any, 0)
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return s
	}
	p.path = append(p.path, pathStep{index: 0})
	defer func() { p.path = p.path[:len(p.path)-1] }()
	for {
		p.path[len(p.path)-1].index = len(s)
		v := p.value(depth)
		if p.fatal != nil {
			return nil
		}
		s = append(s, v)
		if !p.separator(']', "a list item") {
			if p.fatal != nil {
				return nil
			}
			return s
		}
	}
}

// str parses a string starting at the opening quote.
func (p *jsonParser) str() string {
	d := p.data
	start := p.i + 1
	for i := start; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			p.i = i + 1
			return string(d[start:i])
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return p.strSlow(start, i)
		}
	}
	p.truncated()
	return ""
}

// strSlow finishes a string that has escapes, control characters or
// non-ASCII bytes; d[start:i] is plain ASCII already scanned.
func (p *jsonParser) strSlow(start, i int) string {
	d := p.data
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, d[start:i]...)
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.i = i + 1
			return string(buf)
		case c == '\\':
			if i+1 >= len(d) {
				p.truncated()
				return ""
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(d[i+2:])
				if !ok {
					if len(d)-(i+2) < 4 {
						p.truncated()
					} else {
						p.fail(i, "invalid \\u escape in a string (expected 4 hex digits)")
					}
					return ""
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// As encoding/json: a valid pair is one character, a
					// lone surrogate is U+FFFD.
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						if r2, ok := hex4(d[i+2:]); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								buf = utf8.AppendRune(buf, dec)
								i += 6
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
				continue
			default:
				p.fail(i, "invalid escape %s in a string", strconv.Quote(string(d[i:i+2])))
				return ""
			}
			i += 2
		case c < 0x20:
			p.fail(i, "control character %s in a string (escape it)", describeByte(c))
			return ""
		case c < 0x80:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				p.failSoft(i, p.pathString(""), fmt.Sprintf("invalid UTF-8 (byte 0x%02x in a string): the file must be UTF-8 text", c))
			}
			buf = append(buf, d[i:i+size]...)
			i += size
		}
	}
	p.truncated()
	return ""
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// document parses one value at p.i as document index of file. ok is false
// after a syntax error: nothing more can be read from the input.
func (p *jsonParser) document(file string, index, depth int) (doc *Document, ierr *InputError, ok bool) {
	p.skipSpace()
	start := p.i
	p.soft = nil
	v := p.value(depth)
	if p.fatal != nil {
		return nil, p.inputError(file, index, p.fatal, "invalid JSON: "), false
	}
	if p.soft != nil {
		return nil, p.inputError(file, index, p.soft, ""), true
	}
	doc, ierr = newDocument(file, index, p.posAt(start), v, nil)
	return doc, ierr, true
}

func (p *jsonParser) inputError(file string, index int, pr *jsonProblem, prefix string) *InputError {
	return &InputError{File: file, Index: index, Path: pr.path, Pos: p.posAt(pr.off), Msg: prefix + pr.msg}
}
