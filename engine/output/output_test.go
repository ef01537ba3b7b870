package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestCreateCommit: nothing is at the final path until Commit; then the
// whole content is, and no temporary file is left.
func TestCreateCommit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := os.WriteFile(p, []byte("previous"), 0o640); err != nil {
		t.Fatal(err)
	}
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("new "))
	if b, _ := os.ReadFile(p); string(b) != "previous" {
		t.Fatalf("final path changed before Commit: %q", b)
	}
	f.Write([]byte("content"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new content" {
		t.Errorf("after Commit: %q", b)
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the replaced file's 0640", info.Mode().Perm())
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("directory holds %v, want only out.json", got)
	}
}

// TestCreateAbort: Abort leaves the previous content and no temporary file.
func TestCreateAbort(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v after Abort, want nothing", got)
	}
	if err := f.Commit(); err != nil {
		t.Errorf("Commit after Abort: %v", err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("Commit after Abort created the file")
	}
}

// TestCreateSymlink: a link to a report is kept; its target is replaced.
func TestCreateSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	link := filepath.Join(dir, "link.json")
	os.WriteFile(target, []byte("old"), 0o644)
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	f, err := Create(link)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("new"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Lstat(link); info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}

func TestCheckPaths(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "unit-101.yaml")
	os.WriteFile(in, []byte("x"), 0o644)
	hard := filepath.Join(dir, "hard.yaml")
	if err := os.Link(in, hard); err != nil {
		t.Skip(err)
	}
	sym := filepath.Join(dir, "sym.yaml")
	os.Symlink(in, sym)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	t.Chdir(sub)
	for _, tc := range []struct {
		name    string
		outputs []string
		want    string // "" when accepted
	}{
		{"elsewhere", []string{filepath.Join(dir, "out.json")}, ""},
		{"two different", []string{"a.json", "b.json"}, ""},
		{"the input", []string{in}, "would destroy that input"},
		{"relative to the input", []string{"../unit-101.yaml"}, "would destroy that input"},
		{"hard link", []string{hard}, "would destroy that input"},
		{"symlink", []string{sym}, "would destroy that input"},
		{"same twice", []string{"a.json", "./a.json"}, "are the same file"},
		{"same twice absolute", []string{"a.json", filepath.Join(sub, "a.json")}, "are the same file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPaths(tc.outputs, []string{"-", in})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestCreateModeNewFile: a new file gets the permissions asked for (a saved
// export only its owner may read); a replaced one keeps its own.
func TestCreateModeNewFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		existing os.FileMode // 0: no file before
		want     os.FileMode
	}{
		{"new", 0, 0o600},
		{"replaced", 0o640, 0o640},
	} {
		p := filepath.Join(dir, tc.name+".json")
		if tc.existing != 0 {
			if err := os.WriteFile(p, []byte("previous"), tc.existing); err != nil {
				t.Fatal(err)
			}
		}
		f, err := CreateMode(p, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("{}"))
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Stat(p); info.Mode().Perm() != tc.want {
			t.Errorf("%s: mode %v, want %v", tc.name, info.Mode().Perm(), tc.want)
		}
	}
}
