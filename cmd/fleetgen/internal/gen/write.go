package gen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// Sidecar file names, written beside the fleet.
const (
	PlansFile    = "plans.yaml"
	SpecsFile    = "specs.yaml"
	ExpectedFile = "expected.json"
)

// Output says where to write.
type Output struct {
	// NDJSON, when set, is the file of one snapshot per line; the sidecars
	// go to its directory.
	NDJSON string
	// Dir, when NDJSON is empty, receives one YAML file per lock under
	// Dir/fleet/ and the sidecars.
	Dir string
}

// FleetDir is where Write puts the YAML files of a -dir output.
func FleetDir(dir string) string { return filepath.Join(dir, "fleet") }

// Write generates the fleet and writes it with its plans, specs and the
// expected outcome counts of controls (the LockSnapshot controls).
func (f *Fleet) Write(out Output, controls []string) (Expected, error) {
	sideDir := out.Dir
	if out.NDJSON != "" {
		sideDir = filepath.Dir(out.NDJSON)
	}
	if err := os.MkdirAll(sideDir, 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	exp := NewExpected(controls)
	var err error
	if out.NDJSON != "" {
		err = f.writeNDJSON(out.NDJSON, exp, controls)
	} else {
		err = f.writeYAMLDir(FleetDir(out.Dir), exp, controls)
	}
	if err != nil {
		return nil, err
	}
	if err := writeYAMLDocs(filepath.Join(sideDir, PlansFile), f.Plans()); err != nil {
		return nil, err
	}
	if err := writeYAMLDocs(filepath.Join(sideDir, SpecsFile), f.Products()); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(exp, "", "  ") // map keys sorted
	if err != nil {
		return nil, fmt.Errorf("expected counts: %w", err)
	}
	if err := os.WriteFile(filepath.Join(sideDir, ExpectedFile), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("write expected counts: %w", err)
	}
	return exp, nil
}

func (f *Fleet) writeNDJSON(path string, exp Expected, controls []string) error {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create fleet: %w", err)
	}
	w := bufio.NewWriterSize(file, 1<<20)
	err = f.Each(exp, controls, func(l *Lock) error {
		b, err := json.Marshal(l.Doc) // map keys sorted: reproducible bytes
		if err != nil {
			return err
		}
		w.Write(b)
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func (f *Fleet) writeYAMLDir(dir string, exp Expected, controls []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create fleet directory: %w", err)
	}
	return f.Each(exp, controls, func(l *Lock) error {
		b, err := yaml.Marshal(l.Doc)
		if err != nil {
			return fmt.Errorf("encode %s: %w", l.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, l.Name+".yaml"), b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", l.Name, err)
		}
		return nil
	})
}

func writeYAMLDocs(path string, docs []map[string]any) error {
	var out []byte
	for i, d := range docs {
		b, err := yaml.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode %s: %w", path, err)
		}
		if i > 0 {
			out = append(out, "---\n"...)
		}
		out = append(out, b...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
