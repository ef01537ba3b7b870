package scan

import (
	"context"
	"time"

	"github.com/lockcheck/lockcheck/engine/document"
	"github.com/lockcheck/lockcheck/engine/finding"
)

// Engine is what a scan needs of the policy engine (an *engine.Engine
// satisfies it): the selected controls and the evaluation of one document.
// Declared here, at the consumer, so that scan does not import engine.
type Engine interface {
	Evaluate(ctx context.Context, doc *document.Document, rel finding.Related) ([]finding.Finding, error)
	Controls() []*finding.Control
	Selected() []*finding.Control
	Control(id string) (*finding.Control, bool)
	Now() time.Time
	Version() string
	Digest() string
	ParamsDigest() string
	Params() map[string]any
}
