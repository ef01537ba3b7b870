// Package output creates the files a run writes (reports, merged results)
// so that none is ever seen half-written, and refuses an output path that
// would overwrite one of the run's inputs or another output.
//
// A regular file (or a path that does not exist yet) is written to a
// temporary file in the same directory and renamed over the final path only
// by Commit, once the writer has finished; Abort removes the temporary file
// and leaves whatever was at the path untouched. A path that names something
// other than a regular file (a FIFO, /dev/stdout, a terminal) cannot be
// replaced by a rename and is written in place.
package output

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is an output being written.
type File interface {
	io.Writer
	// Commit closes the file and, for a regular file, renames it into place.
	Commit() error
	// Abort closes the file and removes what was written (for a regular
	// file). It is a no-op after Commit or Abort.
	Abort() error
}

// Create opens path for writing. Nothing appears at path before Commit when
// path is (or will be) a regular file.
func Create(path string) (File, error) { return CreateMode(path, 0o666) }

// CreateMode is Create with the permissions of a new file (less the umask,
// as os.OpenFile does); a file replaced keeps its own.
func CreateMode(path string, perm os.FileMode) (File, error) {
	final := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		final = resolved // replace the link's target, not the link
	}
	info, err := os.Stat(final)
	switch {
	case err == nil && !info.Mode().IsRegular():
		if info.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(final, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &direct{f: f}, nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	mode := perm
	if err == nil {
		mode = info.Mode().Perm()
	}
	dir, base := filepath.Split(final)
	if dir == "" {
		dir = "."
	}
	for range 100 {
		var r [6]byte
		if _, err := rand.Read(r[:]); err != nil {
			return nil, err
		}
		// hidden and without a document extension: a scan of the
		// directory never reads it
		tmp := filepath.Join(dir, "."+base+"."+hex.EncodeToString(r[:])+".tmp")
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		if info != nil {
			_ = f.Chmod(mode) // keep the replaced file's permissions
		}
		return &atomic{f: f, tmp: tmp, final: final}, nil
	}
	return nil, fmt.Errorf("create %s: no free temporary name in %s", path, dir)
}

// atomic writes a temporary file renamed into place on Commit.
type atomic struct {
	f          *os.File
	tmp, final string
	done       bool
}

func (a *atomic) Write(p []byte) (int, error) { return a.f.Write(p) }

func (a *atomic) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	err := a.f.Sync()
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.tmp, a.final)
	}
	if err != nil {
		os.Remove(a.tmp)
		return fmt.Errorf("write %s: %w", a.final, err)
	}
	return nil
}

func (a *atomic) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	a.f.Close()
	return os.Remove(a.tmp)
}

// direct writes a non-regular file in place.
type direct struct {
	f    *os.File
	done bool
}

func (d *direct) Write(p []byte) (int, error) { return d.f.Write(p) }

func (d *direct) Commit() error {
	if d.done {
		return nil
	}
	d.done = true
	return d.f.Close()
}

func (d *direct) Abort() error { return d.Commit() }
