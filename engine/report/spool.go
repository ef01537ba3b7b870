package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

// spoolMemory is how much a spool keeps in memory before it spills to a
// temporary file.
const spoolMemory = 4 << 20

// spool holds output that must be written later (after a header whose
// content is only known at the end of the run) without keeping a large run
// in memory: it buffers in memory up to spoolMemory bytes, then spills to a
// temporary file that copyTo streams back and removes.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	bw   *bufio.Writer
	err  error
	// n counts the bytes written.
	n int64
}

// Write implements io.Writer.
func (s *spool) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.n += int64(len(p))
	if s.file == nil && s.mem.Len()+len(p) <= spoolMemory {
		return s.mem.Write(p)
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "lockcheck-report-*")
		if err != nil {
			s.err = fmt.Errorf("spool: %w", err)
			return 0, s.err
		}
		s.file = f
		s.bw = bufio.NewWriterSize(f, 64<<10)
		if _, err := s.bw.Write(s.mem.Bytes()); err != nil {
			s.err = err
			return 0, err
		}
		s.mem = bytes.Buffer{}
	}
	n, err := s.bw.Write(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

// WriteString implements io.StringWriter.
func (s *spool) WriteString(str string) (int, error) { return s.Write([]byte(str)) }

// copyTo writes everything spooled to w and releases the spool.
func (s *spool) copyTo(w io.Writer) error {
	defer s.release()
	if s.err != nil {
		return s.err
	}
	if s.file == nil {
		_, err := w.Write(s.mem.Bytes())
		return err
	}
	if err := s.bw.Flush(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	_, err := io.Copy(w, s.file)
	return err
}

// readAt fills p with the bytes written at offset off (for output that is
// written in one order and read back in another).
func (s *spool) readAt(p []byte, off int64) error {
	if s.err != nil {
		return s.err
	}
	if s.file == nil {
		copy(p, s.mem.Bytes()[off:off+int64(len(p))])
		return nil
	}
	if err := s.bw.Flush(); err != nil {
		s.err = fmt.Errorf("spool: %w", err)
		return s.err
	}
	if _, err := s.file.ReadAt(p, off); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// release removes the temporary file, if any.
func (s *spool) release() {
	if s.file != nil {
		name := s.file.Name()
		s.file.Close()
		os.Remove(name)
		s.file = nil
	}
	s.mem = bytes.Buffer{}
}
