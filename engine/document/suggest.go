package document

import (
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
)

// Suggest returns the candidate closest to word, for "did you mean"
// messages, and whether one is close enough to be worth offering.
//
// Names that differ only in case, "-" or "_" ("pairingModeOpen",
// "Pairing-Mode-Open") always match. Otherwise the edit distance d between
// the lower-cased names must satisfy d <= max(2, len/3) and 2d <= len, where
// len is the length of word in runes: a short word ("foo") does not "match"
// an unrelated short field just because few letters separate them. Ties go
// to the alphabetically first candidate so messages are deterministic.
//
// When nothing is that close, a word that is the first part of exactly one
// snake_case candidate ("serial" for "serial_number", "holder" for
// "holder_id") suggests that candidate.
func Suggest(word string, candidates []string) (string, bool) {
	if word == "" {
		return "", false
	}
	lw, nw := strings.ToLower(word), normalizeName(word)
	n := utf8.RuneCountInString(word)
	limit := max(2, n/3)
	best, bestDist := "", -1
	var prefixed []string
	for _, c := range candidates {
		if c == word {
			continue
		}
		lc := strings.ToLower(c)
		if strings.HasPrefix(lc, lw+"_") {
			prefixed = append(prefixed, c)
		}
		var d int
		if normalizeName(c) == nw {
			d = 0
		} else {
			d = levenshtein.ComputeDistance(lw, lc)
			if d > limit || 2*d > n {
				continue
			}
		}
		if bestDist < 0 || d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 && len(prefixed) == 1 {
		return prefixed[0], true
	}
	return best, bestDist >= 0
}

// normalizeName folds case and drops "_" and "-", so that snake_case,
// kebab-case and camelCase spellings of one name compare equal.
func normalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if r != '_' && r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
