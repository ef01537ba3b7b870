// Package gen makes synthetic fleets of LockSnapshots for benchmarks and
// end-to-end tests: copies of the compliant fixture (unit-101) renamed per
// lock, spread over a few sites with one InstallPlan each, captured within the
// day before the run time, with a seeded mix of the faults the bundled
// fixtures demonstrate. Because each fault changes known controls' outcomes,
// the generator also knows how many of each outcome a correct scan reports.
package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"sort"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/fixtures"
)

// Template files inside the bundled fixtures.
const (
	templateLock    = "fleet/unit-101-compliant.yaml"
	templatePlan    = "plans/mariposa-1420-rollout.yaml"
	templateProduct = "products/kestrel-ks7-pro.yaml"
)

// DefaultNow is the run time the fleet is generated for (the fixtures' too).
var DefaultNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// Sites are the sites locks are spread over; all in the template's Pacific
// time zone, so the template's local-time reasoning holds for each.
var Sites = []string{
	"lax-mariposa-1420", "lax-figueroa-3300", "lax-sunset-0880", "sfo-valencia-2210",
	"sjc-almaden-0950", "san-kettner-1204", "sea-pike-0412", "pdx-burnside-1730",
}

// DoorsPerPlan is how many doors each site's plan lists; locks are spread
// over them.
const DoorsPerPlan = 48

// Config chooses what to generate.
type Config struct {
	// N is the number of LockSnapshots.
	N int
	// Seed makes the fleet reproducible: the same seed gives the same bytes.
	Seed uint64
	// Now is the run time; every snapshot is captured in the day before it
	// (a stale snapshot's ten days more).
	Now time.Time
	// Sites limits the number of sites used (0 or more than len(Sites): all).
	Sites int
}

// Fleet is a generator for one configuration.
type Fleet struct {
	cfg      Config
	lock     map[string]any
	plan     map[string]any
	product  map[string]any
	captured time.Time
	sites    []string
}

// New reads the templates.
func New(cfg Config) (*Fleet, error) {
	if cfg.N < 0 {
		return nil, fmt.Errorf("negative fleet size %d", cfg.N)
	}
	if cfg.Now.IsZero() {
		cfg.Now = DefaultNow
	}
	f := &Fleet{cfg: cfg, sites: Sites}
	if cfg.Sites > 0 && cfg.Sites < len(Sites) {
		f.sites = Sites[:cfg.Sites]
	}
	var err error
	if f.lock, err = readTemplate(templateLock); err != nil {
		return nil, err
	}
	if f.plan, err = readTemplate(templatePlan); err != nil {
		return nil, err
	}
	if f.product, err = readTemplate(templateProduct); err != nil {
		return nil, err
	}
	spec, _ := f.lock["spec"].(map[string]any)
	at, _ := spec["captured_at"].(string)
	if f.captured, err = time.Parse(time.RFC3339, at); err != nil {
		return nil, fmt.Errorf("template captured_at: %w", err)
	}
	return f, nil
}

func readTemplate(name string) (map[string]any, error) {
	b, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return decodeJSON(j)
}

func decodeJSON(j []byte) (map[string]any, error) {
	var m map[string]any
	if err := unmarshalNumber(j, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Lock is one generated snapshot.
type Lock struct {
	// Name is metadata.name (unique in the fleet).
	Name string
	// Doc is the document.
	Doc map[string]any
	// Faults are the names of the faults injected.
	Faults []string
}

// Each generates the fleet's locks in order and hands each to fn; an error
// from fn stops the generation. expected accumulates the outcomes.
func (f *Fleet) Each(expected Expected, controls []string, fn func(*Lock) error) error {
	rng := rand.New(rand.NewPCG(f.cfg.Seed, 0x6c6f636b63686b)) // "lockchk"
	// The template is captured 17.5 h before the default run time; move it
	// to the run time's day, then jitter each lock within [-23.5 h, -0.5 h).
	base := f.cfg.Now.Add(-12 * time.Hour).Sub(f.captured)
	for i := 0; i < f.cfg.N; i++ {
		site := f.sites[rng.IntN(len(f.sites))]
		door := fmt.Sprintf("door-%03d", 1+rng.IntN(DoorsPerPlan))
		jitter := time.Duration(rng.Int64N(int64(23*time.Hour))) - 11*time.Hour - 30*time.Minute
		jitter = jitter.Truncate(time.Second)
		var faults []*Fault
		for k := range Faults {
			if rng.Float64() < Faults[k].Rate {
				faults = append(faults, &Faults[k])
			}
		}
		doc := deepCopy(f.lock).(map[string]any)
		l := &Lock{Name: fmt.Sprintf("%s-lock-%06d", site, i+1), Doc: doc}
		md := doc["metadata"].(map[string]any)
		md["name"] = l.Name
		md["labels"] = map[string]any{"site": site, "door": door}
		dev := doc["spec"].(map[string]any)["device"].(map[string]any)
		dev["serial_number"] = fmt.Sprintf("KS7D-2609-%07d", i+1)
		dev["site_id"] = site
		dev["door_id"] = door
		dev["plan_ref"] = PlanName(site)
		november := 0
		for _, ft := range faults {
			if err := ft.apply(doc); err != nil {
				return fmt.Errorf("fault %s: %w", ft.Name, err)
			}
			l.Faults = append(l.Faults, ft.Name)
			november += ft.shiftNovember
		}
		shiftTimes(doc, base+jitter, november)
		expected.add(controls, faults)
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

// PlanName is the InstallPlan of a site.
func PlanName(site string) string { return site + "-rollout" }

// ProductNames are the product specs written; plans alternate between them.
var ProductNames = []string{"kestrel-ks7-pro", "kestrel-ks7-pro-2027"}

// Plans returns one InstallPlan per site, each listing DoorsPerPlan doors.
func (f *Fleet) Plans() []map[string]any {
	var out []map[string]any
	for i, site := range f.sites {
		p := deepCopy(f.plan).(map[string]any)
		md := p["metadata"].(map[string]any)
		md["name"] = PlanName(site)
		md["labels"] = map[string]any{"site": site}
		spec := p["spec"].(map[string]any)
		spec["product_ref"] = ProductNames[i%len(ProductNames)]
		spec["site"].(map[string]any)["site_id"] = site
		proto := spec["devices"].([]any)[0].(map[string]any)
		devices := make([]any, DoorsPerPlan)
		for d := range devices {
			dv := deepCopy(proto).(map[string]any)
			dv["door_id"] = fmt.Sprintf("door-%03d", d+1)
			dv["serial_number"] = nil
			devices[d] = dv
		}
		spec["devices"] = devices
		out = append(out, p)
	}
	return out
}

// Products returns the product specs the plans link to: the strong template
// under each of ProductNames.
func (f *Fleet) Products() []map[string]any {
	var out []map[string]any
	for _, name := range ProductNames {
		p := deepCopy(f.product).(map[string]any)
		p["metadata"].(map[string]any)["name"] = name
		out = append(out, p)
	}
	return out
}

// Counts are the outcomes of one control over the fleet.
type Counts struct {
	Pass                 int `json:"pass"`
	Fail                 int `json:"fail"`
	InsufficientEvidence int `json:"insufficient_evidence"`
	NotApplicable        int `json:"not_applicable"`
}

// Add counts one outcome; other statuses are not expected and are ignored
// by the generator (the test counts them separately).
func (c *Counts) Add(s Status) {
	switch s {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case InsufficientEvidence:
		c.InsufficientEvidence++
	case NotApplicable:
		c.NotApplicable++
	}
}

// Expected maps a control id to its outcome counts over the fleet.
type Expected map[string]*Counts

// NewExpected starts the counts for the given controls at zero.
func NewExpected(controls []string) Expected {
	e := Expected{}
	for _, id := range controls {
		e[id] = &Counts{}
	}
	return e
}

func (e Expected) add(controls []string, faults []*Fault) {
	for _, id := range controls {
		st := Pass
		for _, f := range faults {
			if s, ok := f.Outcomes[id]; ok {
				st = s
			}
		}
		if c := e[id]; c != nil {
			c.Add(st)
		}
	}
}

// IDs returns the control ids in sorted order.
func (e Expected) IDs() []string {
	ids := make([]string, 0, len(e))
	for id := range e {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

var datetime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`)

// shiftTimes moves every RFC 3339 datetime of the document by d, keeping
// its written offset; when november > 0, datetimes in November of the
// template (as written) are moved back that many days more. Dates without a time are
// left alone (support ends, release dates).
func shiftTimes(v any, d time.Duration, november int) {
	switch x := v.(type) {
	case map[string]any:
		for k, it := range x {
			if s, ok := it.(string); ok {
				x[k] = shiftOne(s, d, november)
			} else {
				shiftTimes(it, d, november)
			}
		}
	case []any:
		for i, it := range x {
			if s, ok := it.(string); ok {
				x[i] = shiftOne(s, d, november)
			} else {
				shiftTimes(it, d, november)
			}
		}
	}
}

func shiftOne(s string, d time.Duration, november int) string {
	if len(s) < 20 || !datetime.MatchString(s) {
		return s
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	shift := d
	if november > 0 && t.Month() == time.November {
		shift -= time.Duration(november) * 24 * time.Hour
	}
	return t.Add(shift).Format(time.RFC3339) // keeps the written offset
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, it := range x {
			m[k] = deepCopy(it)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, it := range x {
			s[i] = deepCopy(it)
		}
		return s
	}
	return v
}

func unmarshalNumber(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// SnapshotControls returns the ids of the catalogue's controls that apply to
// LockSnapshots, in catalogue order: the controls expected.json counts.
func SnapshotControls(ctx context.Context) ([]string, error) {
	eng, err := engine.New(ctx, engine.Options{Now: DefaultNow})
	if err != nil {
		return nil, fmt.Errorf("read the catalogue: %w", err)
	}
	var ids []string
	for _, c := range eng.Controls() {
		if c.Applies(document.KindLockSnapshot) {
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}
