package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/lockcheck/lockcheck/engine/importer"
	"github.com/lockcheck/lockcheck/engine/importer/seam"
)

// seamLive adds `lockcheck import seam`'s flags. The returned function reads
// the workspace through the API (or a saved export with --from) and hands
// the export to the common import run. The API key comes only from the
// environment variable --api-key-env names.
func seamLive(fs *pflag.FlagSet) liveImport {
	keyEnv := fs.String("api-key-env", "SEAM_API_KEY", "seam: the environment variable that holds the API key (there is no flag for the key: it would land in shell history)")
	workspace := fs.String("workspace", "", "seam: workspace id, sent as the seam-workspace header (for a personal access token)")
	devices := fs.StringSlice("device", nil, "seam: only these device ids (comma-separated or repeated)")
	since := fs.String("since", "", "seam: start of the events window, RFC 3339 (default: 30 days ago)")
	endpoint := fs.String("endpoint", "", "seam: API base URL (default: $SEAM_ENDPOINT, else "+seam.DefaultEndpoint+")")
	timeout := fs.Duration("timeout", 30*time.Second, "seam: timeout of each HTTP request")
	from := fs.String("from", "", "seam: read a saved export instead of the API (no key, no network)")
	save := fs.String("save", "", "seam: also write what was read from the API to this export file")
	return func(ctx context.Context, e *env, quiet bool) (importer.Mapper, []importer.Input, int) {
		const name = "import seam"
		if *from != "" {
			if *save != "" || *since != "" || len(*devices) > 0 || *workspace != "" || *endpoint != "" {
				return nil, nil, usageErr(e, name, "--from reads a saved export; --save, --since, --device, --workspace and --endpoint apply to the API only")
			}
			data, err := os.ReadFile(*from)
			if err != nil {
				return nil, nil, usageErr(e, name, "read %s: %v", *from, err)
			}
			return seam.Mapper, []importer.Input{{File: *from, Data: data}}, ExitOK
		}
		key := seam.APIKey(os.Getenv(*keyEnv))
		if key == "" {
			return nil, nil, usageErr(e, name, "no API key: set the environment variable %s (or name another with --api-key-env), or import a saved export with --from FILE", *keyEnv)
		}
		ep := *endpoint
		if ep == "" {
			ep = os.Getenv("SEAM_ENDPOINT")
		}
		c, err := seam.NewClient(ep, key, *workspace, *timeout)
		if err != nil {
			return nil, nil, usageErr(e, name, "%v", err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		q := seam.Query{DeviceIDs: *devices, Since: now.AddDate(0, 0, -30), Until: now}
		if *since != "" {
			t, err := time.Parse(time.RFC3339, *since)
			if err != nil {
				return nil, nil, usageErr(e, name, "--since %q: expected RFC 3339 with an offset (2026-11-01T00:00:00Z)", *since)
			}
			if !t.Before(now) {
				return nil, nil, usageErr(e, name, "--since %s is not in the past", *since)
			}
			q.Since = t
		}
		progress := !quiet && isTerminal(e.stderr)
		if progress {
			c.Progress = func(p seam.Progress) {
				fmt.Fprintf(e.stderr, "\rseam: %d locks, %d access codes, %d events (%d requests)", p.Devices, p.AccessCodes, p.Events, p.Requests)
			}
		}
		x, err := c.Fetch(ctx, q)
		if progress {
			fmt.Fprintln(e.stderr)
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				fmt.Fprintf(e.stderr, "lockcheck %s: interrupted; nothing written\n", name)
				return nil, nil, ExitInterrupted
			}
			return nil, nil, usageErr(e, name, "%v", err)
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			return nil, nil, usageErr(e, name, "%v", err)
		}
		if *save != "" {
			if err := writeOutput(createPrivateOutput, *save, buf.Bytes()); err != nil {
				return nil, nil, usageErr(e, name, "--save: %v", err)
			}
		}
		source := c.Endpoint()
		return seam.MapperWithKey(key), []importer.Input{{File: source, Data: buf.Bytes()}}, ExitOK
	}
}
