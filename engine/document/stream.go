package document

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// maxStreamBytes bounds a YAML or JSON stream (stdin, a pipe, a FIFO, a
// device) as MaxFileBytes bounds a file; a variable so that tests can lower
// it. An NDJSON stream is unbounded: each of its lines is bounded.
var maxStreamBytes int64 = MaxFileBytes

// IsStream reports whether an input is read as a stream, once, from start to
// end: stdin ("-") or anything that is not a regular file or a directory
// (a FIFO, a pipe such as bash's <(…), a device). A stream cannot be read
// twice, so nothing may pre-read it.
func IsStream(path string) bool {
	if path == "-" {
		return true
	}
	info, err := os.Stat(path)
	return err == nil && !info.Mode().IsRegular() && !info.IsDir()
}

// irregular are the file types a directory walk skips.
const irregular = fs.ModeNamedPipe | fs.ModeSocket | fs.ModeDevice | fs.ModeCharDevice | fs.ModeIrregular

func describeType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// DecodeFileContext is DecodeFile honouring ctx: once ctx is cancelled no
// more documents are handed to fn, and a read blocked on a stream (a FIFO
// with no writer yet, a pipe that stays open) returns where the platform
// allows it (FIFOs and pipes opened by name do). Streams are read once, and
// a YAML or JSON stream is bounded like a file.
func DecodeFileContext(ctx context.Context, path string, stdin io.Reader, fn Handler) {
	fn = untilDone(ctx, fn)
	if path == "-" {
		decodeStream(ctx, path, stdin, false, fn)
		return
	}
	info, err := os.Stat(path)
	if err != nil {
		fn(nil, &InputError{File: path, Msg: describeOSError(err)})
		return
	}
	if info.Mode().IsRegular() {
		decodeRegular(ctx, path, fn)
		return
	}
	f, err := openStream(ctx, path)
	if err != nil {
		fn(nil, &InputError{File: path, Msg: describeOSError(err)})
		return
	}
	defer f.Close()
	// unblock a read waiting on a writer (pollable files only)
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Now()) })
	defer stop()
	_, known := FormatOf(path)
	decodeStream(ctx, path, f, known, fn)
}

// untilDone stops handing documents to fn once ctx is cancelled (what was
// cut short by the cancellation is not an input error).
func untilDone(ctx context.Context, fn Handler) Handler {
	return func(d *Document, err *InputError) bool {
		if ctx.Err() != nil {
			return false
		}
		return fn(d, err)
	}
}

// decodeStream reads a stream once; its format comes from the name's
// extension when it has one (byExt), else from its first bytes.
func decodeStream(ctx context.Context, name string, r io.Reader, byExt bool, fn Handler) {
	lim := &limitReader{r: &cancelReader{ctx: ctx, r: r}, left: maxStreamBytes}
	br := bufio.NewReaderSize(lim, 64<<10)
	format, _ := FormatOf(name)
	if !byExt {
		format = sniff(br)
	}
	if format == FormatNDJSON {
		lim.left = -1 // each line is bounded instead
	}
	Decode(name, br, format, func(d *Document, err *InputError) bool {
		if err != nil && lim.over {
			err = &InputError{File: name, Index: err.Index, Msg: fmt.Sprintf("the stream is longer than %d MiB; a YAML or JSON input may be at most that long (split it, or use NDJSON with one document per line)", maxStreamBytes>>20)}
			fn(nil, err)
			return false
		}
		return fn(d, err)
	})
}

// ctxReader fails every read once ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// cancelReader reads a stream on another goroutine, so that a read blocked
// on a stream that cannot be interrupted (a pipe on stdin) returns when ctx
// is cancelled; the blocked read is abandoned, with what it may yet return.
type cancelReader struct {
	ctx     context.Context
	r       io.Reader
	buf     []byte
	left    []byte // read but not yet returned
	err     error  // returned after left
	pending chan readResult
}

type readResult struct {
	n   int
	err error
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if len(c.left) > 0 {
		n := copy(p, c.left)
		c.left = c.left[n:]
		return n, nil
	}
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if c.pending == nil {
		if cap(c.buf) < len(p) {
			c.buf = make([]byte, len(p))
		}
		buf := c.buf[:len(p)]
		c.pending = make(chan readResult, 1)
		go func(ch chan readResult) {
			n, err := c.r.Read(buf)
			ch <- readResult{n, err}
		}(c.pending)
	}
	select {
	case res := <-c.pending:
		c.pending = nil
		n := copy(p, c.buf[:res.n])
		c.left = c.buf[n:res.n]
		if len(c.left) > 0 {
			c.err = res.err
			return n, nil
		}
		return n, res.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}

var errStreamTooLong = errors.New("stream too long")

// limitReader fails once more than left bytes were read (left < 0: no limit).
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return l.r.Read(p)
	}
	if l.left == 0 {
		l.over = true
		return 0, errStreamTooLong
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// openStream opens a non-regular file for reading without letting ctx wait
// on it: opening a FIFO blocks until a writer opens it.
func openStream(ctx context.Context, path string) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		unblockOpen(path)
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}
