// Package importtest holds what the source packages' tests share: the
// catalogue engine (built once; the test binary passes its constructor to
// Main, so importtest does not import engine), golden files, schema validation of every imported
// snapshot, the import-then-evaluate round trip, the secret canary check and
// the lookup of the npm reference packages.
package importtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/internal/golden"
	"github.com/lockcheck/lockcheck/engine/internal/testenv"
)

// CapturedAt and Now are the fixed times of every import test.
const (
	CapturedAt = "2026-11-24T18:45:00Z"
	Now        = "2026-11-25T12:00:00Z"
)

// Engine is what the helpers need of the catalogue engine (an
// *engine.Engine): the controls, whose evidence the import must cover, and
// the evaluation of an imported snapshot.
type Engine interface {
	Controls() []*finding.Control
	Evaluate(ctx context.Context, d *document.Document, rel finding.Related) ([]finding.Finding, error)
}

var (
	// newEngine builds the catalogue engine evaluating at now (set by Main).
	newEngine func(now time.Time) (Engine, error)

	once sync.Once
	eng  Engine
	val  *document.Validator
	err  error
)

// Main runs a source package's tests (call it from TestMain) with the
// catalogue engine newEngine builds, once, when a test first needs it.
func Main(m *testing.M, build func(now time.Time) (Engine, error)) {
	newEngine = build
	os.Exit(m.Run())
}

// Catalogue returns the catalogue engine and the schema validator.
func Catalogue(t testing.TB) (Engine, *document.Validator) {
	t.Helper()
	once.Do(func() {
		if newEngine == nil {
			err = errors.New("importtest: no engine: call importtest.Main from the package's TestMain")
			return
		}
		now, _ := time.Parse(time.RFC3339, Now)
		if eng, err = newEngine(now); err != nil {
			return
		}
		val, err = document.NewValidator()
	})
	if err != nil {
		t.Fatal(err)
	}
	return eng, val
}

// Fixtures lists a fixtures/imports subdirectory's files, from a package
// directory under engine/importer/.
func Fixtures(t testing.TB, sub string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "fixtures", "imports", sub, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no fixtures in fixtures/imports/%s", sub)
	}
	return files
}

// Import runs m on files with the fixed capture time and the catalogue's needs.
func Import(t testing.TB, m importer.Mapper, overlay *importer.Overlay, files ...string) *importer.Output {
	t.Helper()
	e, _ := Catalogue(t)
	var in []importer.Input
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, importer.Input{File: filepath.ToSlash(f), Data: b})
	}
	out, err := importer.Run(m, in, importer.Options{CapturedAt: CapturedAt, Overlay: overlay, Needs: importer.NeedsFrom(e.Controls())})
	if err != nil {
		t.Fatalf("import %v: %v", files, err)
	}
	return out
}

// Render is the golden form of an import: the YAML stream, the warnings and
// the coverage summary.
func Render(t testing.TB, out *importer.Output) []byte {
	t.Helper()
	var b bytes.Buffer
	y, err := out.Encode(importer.FormatYAML)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(y)
	b.WriteString("# ---- warnings\n")
	for _, w := range out.Warnings {
		fmt.Fprintf(&b, "# %s\n", w)
	}
	b.WriteString("# ---- coverage\n")
	var cov bytes.Buffer
	importer.WriteSummary(&cov, out.Coverage)
	sc := bufio.NewScanner(&cov)
	for sc.Scan() {
		fmt.Fprintf(&b, "# %s\n", sc.Text())
	}
	return b.Bytes()
}

// Golden compares got with testdata/name, rewriting it under -update.
func Golden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// Documents decodes every snapshot of an import from each output format and
// validates it against its schema; any input error or warning fails.
func Documents(t testing.TB, out *importer.Output) []*document.Document {
	t.Helper()
	_, v := Catalogue(t)
	var docs []*document.Document
	for _, f := range []importer.Format{importer.FormatYAML, importer.FormatJSON, importer.FormatNDJSON} {
		b, err := out.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		df := map[importer.Format]document.Format{importer.FormatYAML: document.FormatYAML, importer.FormatJSON: document.FormatJSON, importer.FormatNDJSON: document.FormatNDJSON}[f]
		n := 0
		document.Decode("import."+string(f), bufio.NewReader(bytes.NewReader(b)), df, func(d *document.Document, ierr *document.InputError) bool {
			n++
			if ierr != nil {
				t.Errorf("%s: %v", f, ierr)
				return true
			}
			errs, warns := v.Validate(d)
			for _, e := range errs {
				t.Errorf("%s: schema: %v", f, e)
			}
			for _, w := range warns {
				t.Errorf("%s: schema warning: %v", f, w)
			}
			if f == importer.FormatYAML {
				docs = append(docs, d)
			}
			return true
		})
		if n != len(out.Snapshots) {
			t.Errorf("%s: decoded %d documents, imported %d", f, n, len(out.Snapshots))
		}
	}
	return docs
}

// RoundTrip evaluates the imported snapshots and checks that no finding is
// an error and that every insufficient_evidence finding is explained by the
// coverage: its control is listed as needing an overlay and each missing
// field is one the coverage reports absent.
func RoundTrip(t testing.TB, out *importer.Output) map[string][]finding.Finding {
	t.Helper()
	e, _ := Catalogue(t)
	docs := Documents(t, out)
	res := map[string][]finding.Finding{}
	for i, d := range docs {
		cov := out.Coverage[i]
		need := map[string]bool{}
		for _, id := range cov.NeedOverlay {
			need[id] = true
		}
		absent := map[string]bool{}
		for _, p := range cov.Absent {
			absent[p] = true
		}
		fs, err := e.Evaluate(context.Background(), d, finding.Related{})
		if err != nil {
			t.Fatal(err)
		}
		res[d.Name] = fs
		for _, f := range fs {
			switch f.Status {
			case finding.StatusError:
				t.Errorf("%s %s: error: %s", d.Name, f.ControlID, f.Rationale)
			case finding.StatusInsufficientEvidence:
				for _, m := range f.Missing {
					if strings.HasPrefix(m, "related.") {
						continue // the plan or product, not the snapshot
					}
					if !need[f.ControlID] {
						t.Errorf("%s %s: insufficient_evidence (missing %s) but coverage does not list it", d.Name, f.ControlID, m)
					}
					if strings.Contains(m, "=") {
						continue // an item selected by value ("interfaces[type=keypad]"): declared evidence names no such path
					}
					if !coveredAbsent(importer.GenericDocPath(m), absent) {
						t.Errorf("%s %s: missing %s is not among the coverage's absent fields", d.Name, f.ControlID, m)
					}
				}
			}
		}
	}
	return res
}

func coveredAbsent(p string, absent map[string]bool) bool {
	for q := p; q != ""; {
		if absent[q] {
			return true
		}
		switch {
		case strings.HasSuffix(q, "[]"):
			q = strings.TrimSuffix(q, "[]")
		case strings.LastIndexByte(q, '.') >= 0:
			q = q[:strings.LastIndexByte(q, '.')]
		default:
			q = ""
		}
	}
	return false
}

// RefsDir returns the directory holding node_modules with the reference npm
// packages and the node binary, or skips (fails under CI=true) when absent.
func RefsDir(t testing.TB, pkg string) (dir, node string) {
	t.Helper()
	testenv.ExternalTool(t, "the reference check against "+pkg+" (node)")
	dir = os.Getenv("LOCKCHECK_IMPORT_REFS")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "lockcheck", "import-refs")
	}
	node, err := exec.LookPath("node")
	_, serr := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(pkg), "package.json"))
	if err != nil || serr != nil {
		msg := fmt.Sprintf("reference package %s not installed in %s (run .ci/install-import-refs.sh) or node missing", pkg, dir)
		testenv.Missing(t, "%s", msg)
	}
	return dir, node
}

// Node runs an ES module script in dir (so that its imports resolve against
// dir/node_modules) and returns its stdout.
func Node(t testing.TB, dir, node, script string) []byte {
	t.Helper()
	cmd := exec.Command(node, "--input-type=module")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	return out
}

// GoldenAll imports each fixture of fixtures/imports/sub on its own, checks
// every snapshot against the schema in every format, and compares snapshots,
// warnings and coverage with testdata/<fixture>.golden.
func GoldenAll(t *testing.T, m importer.Mapper, sub string) {
	for _, f := range Fixtures(t, sub) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out := Import(t, m, nil, f)
			Documents(t, out)
			Golden(t, strings.TrimSuffix(filepath.Base(f), ".json")+".golden", Render(t, out))
		})
	}
}

// Malformed maps each fixtures/imports/bad file and wants an input error
// naming the file and containing want.
func Malformed(t *testing.T, m importer.Mapper, cases map[string]string) {
	for file, want := range cases {
		path := filepath.Join("..", "..", "..", "fixtures", "imports", "bad", file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m(path, b)
		var ie *importer.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want an input error naming the file and %q", file, err, want)
		}
	}
}

// Canary imports every fixture of sub and checks that the guard knows each
// canary and that none reaches any output format, warning or summary.
func Canary(t *testing.T, m importer.Mapper, sub string, canaries []string) {
	out := Import(t, m, nil, Fixtures(t, sub)...)
	for _, c := range canaries {
		if out.Guard().CheckValue(c) == nil {
			t.Errorf("the guard does not know the secret %s", c)
		}
	}
	var all []byte
	for _, f := range []importer.Format{importer.FormatYAML, importer.FormatJSON, importer.FormatNDJSON} {
		b, err := out.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	all = append(all, Render(t, out)...)
	for _, c := range canaries {
		if strings.Contains(string(all), c) {
			t.Errorf("secret %s reached the output", c)
		}
	}
}

// Want is an expected finding of a round trip: its status and, when set, a
// source one of its evidence fields must name.
type Want struct {
	Lock, Control string
	Status        finding.Status
	Source        string
}

// Check compares round-trip findings with a Want.
func Check(t testing.TB, res map[string][]finding.Finding, w Want) {
	t.Helper()
	var f *finding.Finding
	for i := range res[w.Lock] {
		if res[w.Lock][i].ControlID == w.Control {
			f = &res[w.Lock][i]
		}
	}
	if f == nil {
		t.Errorf("%s: no %s finding", w.Lock, w.Control)
		return
	}
	if f.Status != w.Status {
		t.Errorf("%s %s = %s, want %s: %s", w.Lock, w.Control, f.Status, w.Status, f.Rationale)
	}
	if w.Source == "" {
		return
	}
	for _, e := range f.Evidence {
		if strings.Contains(e.Source, w.Source) {
			return
		}
	}
	t.Errorf("%s %s: no evidence from %s: %+v", w.Lock, w.Control, w.Source, f.Evidence)
}
