package importer

import (
	"errors"
	"strings"
)

// Guard holds the secrets a source saw in a dump (PINs, user codes,
// credential data) so that nothing the importer emits can carry one. Sources
// Add every secret value they read past; Check refuses any output that
// contains one. The secret itself is never part of an error.
type Guard struct {
	secrets map[string]bool
}

// minContained is the shortest secret that is also looked for inside longer
// strings; shorter ones are refused only as whole values (a 4-digit PIN would
// otherwise match a serial number by chance).
const minContained = 6

// Add registers a secret value; empty values are ignored.
func (g *Guard) Add(secret string) {
	if secret == "" {
		return
	}
	if g.secrets == nil {
		g.secrets = map[string]bool{}
	}
	g.secrets[secret] = true
}

// Len is the number of secrets registered.
func (g *Guard) Len() int { return len(g.secrets) }

// ErrSecret is returned when output would carry a secret.
var ErrSecret = errors.New("refused: the output would contain a secret read from the dump (a PIN or user code); this is a bug in the importer, nothing was written")

// CheckValue reports whether a single value (a field or message) is clean.
func (g *Guard) CheckValue(v string) error {
	if g == nil || len(g.secrets) == 0 {
		return nil
	}
	for s := range g.secrets {
		if v == s || (len(s) >= minContained && strings.Contains(v, s)) {
			return ErrSecret
		}
	}
	return nil
}

// CheckTree walks rendered values (maps, lists, strings) and refuses any
// string that is or holds a secret.
func (g *Guard) CheckTree(v any) error {
	switch x := v.(type) {
	case string:
		return g.CheckValue(x)
	case map[string]any:
		for k, e := range x {
			if err := g.CheckValue(k); err != nil {
				return err
			}
			if err := g.CheckTree(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := g.CheckTree(e); err != nil {
				return err
			}
		}
	case map[string]string:
		for k, e := range x {
			if err := g.CheckValue(k); err != nil {
				return err
			}
			if err := g.CheckValue(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// Merge adds another guard's secrets.
func (g *Guard) Merge(o *Guard) {
	if o == nil {
		return
	}
	for s := range o.secrets {
		g.Add(s)
	}
}
