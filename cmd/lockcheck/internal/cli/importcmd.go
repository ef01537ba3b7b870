package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/importer/matter"
	"github.com/lockcheck/lockcheck/engine/importer/seam"
	"github.com/lockcheck/lockcheck/engine/importer/zwavejs"
)

// importSource is one source `lockcheck import` knows. Add a source here.
type importSource struct {
	name, summary string
	mapper        importer.Mapper
	// live, when set, adds the source's own flags and returns what reads
	// the source when no file is given (a platform API): the mapper and the
	// inputs, or an exit code to stop with.
	live func(fs *pflag.FlagSet) liveImport
}

// liveImport reads a live source; quiet is the --quiet flag.
type liveImport func(ctx context.Context, e *env, quiet bool) (importer.Mapper, []importer.Input, int)

func importSources() []importSource {
	return []importSource{
		{name: "matter", summary: "python-matter-server / Home Assistant Matter node dumps", mapper: matter.Map},
		{name: "zwave-js", summary: "Z-Wave JS / Z-Wave JS UI / Home Assistant Z-Wave node dumps", mapper: zwavejs.Map},
		{name: "seam", summary: "the Seam API (live, with $SEAM_API_KEY) or a saved export (--from FILE)", mapper: seam.Mapper, live: seamLive},
	}
}

func findImportSource(name string) (importSource, bool) {
	for _, s := range importSources() {
		if s.name == name {
			return s, true
		}
	}
	return importSource{}, false
}

func importSourceNames() string {
	var ns []string
	for _, s := range importSources() {
		ns = append(ns, s.name)
	}
	return strings.Join(ns, ", ")
}

const importArgs = "SOURCE FILE...|-"

func runImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "import", importArgs)
	outDir := fs.StringP("output", "o", "", "write one <name>.<format> per lock into this directory (default: one stream on stdout)")
	overlayPath := fs.String("overlay", "", "YAML overlay of facts the device cannot know, keyed by serial number or <source>:<id>")
	prefer := fs.String("prefer", "", "when overlay and device disagree: device or overlay (default: an input error)")
	capturedAt := fs.String("captured-at", "", "spec.captured_at as RFC 3339 (default: absent; dumps do not say when they were taken)")
	format := fs.StringP("format", "f", "yaml", "output format: yaml, json, ndjson")
	quiet := fs.BoolP("quiet", "q", false, "no coverage summary on stderr")
	// A live source's own flags are known once the source is: it comes first.
	var live liveImport
	if len(args) > 0 {
		if src, ok := findImportSource(args[0]); ok && src.live != nil {
			live = src.live(fs)
		}
	}
	if code, ok := parse(e, fs, "import", importArgs, args); !ok {
		if code == ExitOK {
			fmt.Fprintf(e.stdout, "\nSources:\n")
			for _, s := range importSources() {
				fmt.Fprintf(e.stdout, "  %-9s %s\n", s.name, s.summary)
			}
		}
		return code
	}
	if fs.NArg() < 2 && !(fs.NArg() == 1 && live != nil) {
		return usageErr(e, "import", "give a source (%s) and one or more dump files, or - for stdin", importSourceNames())
	}
	src, ok := findImportSource(fs.Arg(0))
	if !ok {
		return usageErr(e, "import", "unknown source %q (known: %s)", fs.Arg(0), importSourceNames())
	}
	mapper := src.mapper
	f, ok := importer.ParseFormat(*format)
	if !ok {
		return usageErr(e, "import", "--format %q: expected yaml, json or ndjson", *format)
	}
	pref := importer.Prefer(*prefer)
	if pref != importer.PreferNone && pref != importer.PreferDevice && pref != importer.PreferOverlay {
		return usageErr(e, "import", "--prefer %q: expected device or overlay", *prefer)
	}
	var inputs []importer.Input
	for _, path := range fs.Args()[1:] {
		var b []byte
		var err error
		if path == "-" {
			b, err = io.ReadAll(e.stdin)
		} else {
			b, err = os.ReadFile(path)
		}
		if err != nil {
			return usageErr(e, "import", "read %s: %v", path, err)
		}
		inputs = append(inputs, importer.Input{File: path, Data: b})
	}
	if fs.NArg() == 1 {
		var code int
		if mapper, inputs, code = live(ctx, e, *quiet); inputs == nil {
			return code
		}
	}
	opts := importer.Options{CapturedAt: *capturedAt, Prefer: pref}
	if *overlayPath != "" {
		b, err := os.ReadFile(*overlayPath)
		if err != nil {
			return usageErr(e, "import", "read %s: %v", *overlayPath, err)
		}
		if opts.Overlay, err = importer.ParseOverlay(*overlayPath, b); err != nil {
			return usageErr(e, "import", "%v", err)
		}
	}
	out, err := importer.Run(mapper, inputs, opts)
	if err != nil {
		return usageErr(e, "import", "%v", err)
	}
	// the catalogue is compiled only once the dumps have mapped
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		return errCode(e, "import", err)
	}
	out.Cover(importer.NeedsFrom(eng.Controls()))
	for _, w := range out.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	if len(out.Snapshots) == 0 {
		fmt.Fprintf(e.stderr, "lockcheck import: no lock found in the input\n")
		return ExitInput
	}
	if *outDir == "" {
		b, err := out.Encode(f)
		if err != nil {
			return usageErr(e, "import", "%v", err)
		}
		if _, err := e.stdout.Write(b); err != nil {
			return usageErr(e, "import", "write stdout: %v", err)
		}
	} else {
		files := make([]lockFile, 0, len(out.Snapshots))
		for _, s := range out.Snapshots {
			b, err := s.Encode(f)
			if err == nil {
				err = out.Guard().CheckValue(string(b))
			}
			if err != nil {
				return usageErr(e, "import", "%v", err)
			}
			files = append(files, lockFile{name: s.Name() + f.Ext(), data: b})
		}
		if err := writeLockFiles(*outDir, files); err != nil {
			return usageErr(e, "import", "%v", err)
		}
	}
	if !*quiet {
		importer.WriteSummary(e.stderr, out.Coverage)
	}
	return ExitOK
}

// lockFile is one imported lock's file in the -o directory.
type lockFile struct {
	name string
	data []byte
}

// writeLockFiles writes the imported locks into dir, all or none: each file
// is written whole into a hidden staging directory inside dir, and only
// once every one is complete are they moved into place. On an error the
// staging directory is removed, and so is dir if this run created it.
func writeLockFiles(dir string, files []lockFile) (err error) {
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	stage, err := os.MkdirTemp(dir, ".lockcheck-import-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	defer func() {
		os.RemoveAll(stage)
		if err != nil && created {
			os.Remove(dir) // only when empty: nothing of this run is left
		}
	}()
	for _, lf := range files {
		if err := writeOutput(createOutput, filepath.Join(stage, lf.name), lf.data); err != nil {
			return err
		}
	}
	for _, lf := range files {
		if err := os.Rename(filepath.Join(stage, lf.name), filepath.Join(dir, lf.name)); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, lf.name), err)
		}
	}
	return nil
}
