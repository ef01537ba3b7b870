package engine

import "context"

// NewReference is New with every control evaluated through its Rego finding
// rule (data.lockcheck.lib.finding), the reference the Go verdict must match.
func NewReference(ctx context.Context, opts Options) (*Engine, error) {
	e, err := New(ctx, opts)
	if err != nil {
		return nil, err
	}
	e.reference = true
	if e.byKind, err = e.prepareKinds(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// FastControls are the ids of the controls decided by the Go verdict.
func (e *Engine) FastControls() []string {
	var out []string
	for id := range e.parts {
		out = append(out, id)
	}
	return out
}
