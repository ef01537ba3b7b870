package output

import (
	"fmt"
	"os"
	"path/filepath"
)

// identity is what two paths must share to name the same file: the same
// inode when the file exists (hard links, bind mounts), else the same
// absolute path once symbolic links in it are resolved.
type identity struct {
	info os.FileInfo
	path string
}

func identify(p string) identity {
	id := identity{path: p}
	if abs, err := filepath.Abs(p); err == nil {
		id.path = abs
	}
	if r, err := filepath.EvalSymlinks(id.path); err == nil {
		id.path = r
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(id.path)); err == nil {
		// the file does not exist yet: resolve the directory it goes in
		id.path = filepath.Join(dir, filepath.Base(id.path))
	}
	if info, err := os.Stat(p); err == nil {
		id.info = info
	}
	return id
}

func (a identity) same(b identity) bool {
	if a.info != nil && b.info != nil {
		return os.SameFile(a.info, b.info)
	}
	return a.path == b.path
}

// CheckPaths refuses outputs that would destroy an input before it is read
// or mix two outputs in one file: an output naming the same file as one of
// inputs (after resolving links), or two outputs naming the same file.
// inputs are files ("-" and empty strings are ignored); outputs are paths
// as the user gave them.
func CheckPaths(outputs, inputs []string) error {
	ins := make([]identity, 0, len(inputs))
	names := make([]string, 0, len(inputs))
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		ins = append(ins, identify(in))
		names = append(names, in)
	}
	outs := make([]identity, len(outputs))
	for i, out := range outputs {
		outs[i] = identify(out)
		for j, in := range ins {
			if outs[i].same(in) {
				also := "an input"
				if names[j] != out {
					also = "the input " + names[j]
				}
				return fmt.Errorf("%s is also %s: writing it would destroy that input; write the report elsewhere", out, also)
			}
		}
		for j := 0; j < i; j++ {
			if outs[i].same(outs[j]) {
				return fmt.Errorf("%s and %s are the same file: give each report its own file", outputs[j], out)
			}
		}
	}
	return nil
}
