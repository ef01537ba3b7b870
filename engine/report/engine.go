package report

import (
	"time"

	"github.com/lockcheck/lockcheck/engine/finding"
)

// Engine is what the writers read of the catalogue in force (an
// *engine.Engine satisfies it): the selected controls, the catalogue's
// identity and the run time. Declared here, at the consumer, so that report
// depends on findings and the catalogue, not on the engine.
type Engine interface {
	Selected() []*finding.Control
	Control(id string) (*finding.Control, bool)
	Now() time.Time
	Version() string
	Digest() string
	ParamsDigest() string
	// Params are the thresholds in force (the review weights among them).
	Params() map[string]any
	// Sources are the --policy directories and bundles added to the catalogue.
	Sources() []finding.PolicySource
}
