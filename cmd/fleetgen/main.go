// Command fleetgen writes a synthetic fleet of LockSnapshots, with its plans,
// product specs and the expected count of each control's outcome, for
// benchmarks and end-to-end tests:
//
//	go run ./cmd/fleetgen -n 100000 -seed 1 -o fleet.ndjson
//	go run ./cmd/fleetgen -n 10000 -seed 1 -format yaml -dir fleet-yaml
package main

import (
	"os"

	"github.com/lockcheck/lockcheck/cmd/fleetgen/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stderr)) }
