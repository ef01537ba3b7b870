// Package repotest holds repository-wide checks that run with `go test ./...`:
// Go formatting and go vet over the whole module, so the README's single test
// command is also the lint.
package repotest
