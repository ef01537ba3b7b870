// Package repotest holds repository-wide checks that run with `go test ./...`.
// The lint (gofmt, go vet, opa fmt, opa check --strict) is not here: it runs
// in `make lint` and in CI (.ci/run), so `go test` stays fast.
package repotest
