package engine_test

import (
	"context"
	"sync"
	"testing"

	"github.com/lockcheck/lockcheck/engine"
)

// sharedEngines holds the engines this test binary builds, one per
// (control, reference) pair: the embedded catalogue is compiled once per
// process, but each engine prepares its own queries, and the exhaustive
// tests use one engine per control. Engines are safe for concurrent use, so
// parallel tests share them.
var sharedEngines struct {
	mu sync.Mutex
	m  map[engineKey]*engine.Engine
}

type engineKey struct {
	control   string // "" for the whole catalogue
	reference bool   // every control through its Rego finding rule
}

// fixtureEngine returns the shared engine over the whole embedded catalogue
// at fixtureNow.
func fixtureEngine(t testing.TB) *engine.Engine {
	return sharedEngine(t, engineKey{})
}

// controlEngine returns the shared engine that evaluates one control only
// (the reference one, through its finding rule, when reference is set): a
// test that inspects one control's finding pays for that control alone.
func controlEngine(t testing.TB, id string, reference bool) *engine.Engine {
	return sharedEngine(t, engineKey{id, reference})
}

func sharedEngine(t testing.TB, k engineKey) *engine.Engine {
	t.Helper()
	sharedEngines.mu.Lock()
	defer sharedEngines.mu.Unlock()
	if e, ok := sharedEngines.m[k]; ok {
		return e
	}
	opts := engine.Options{Now: fixtureNow}
	if k.control != "" {
		opts.Controls = []string{k.control}
	}
	newEngine := engine.New
	if k.reference {
		newEngine = engine.NewReference
	}
	e, err := newEngine(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if sharedEngines.m == nil {
		sharedEngines.m = map[engineKey]*engine.Engine{}
	}
	sharedEngines.m[k] = e
	return e
}
