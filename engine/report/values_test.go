package report

import "github.com/google/go-cmp/cmp"

// cmpDiff is cmp.Diff(want, got).
func cmpDiff(want, got any) string { return cmp.Diff(want, got) }
