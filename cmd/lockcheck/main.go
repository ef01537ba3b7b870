// Command lockcheck evaluates smart-lock product specs, installation plans and
// configuration snapshots against the lockcheck control catalogue.
package main

import (
	"os"

	"github.com/lockcheck/lockcheck/cmd/lockcheck/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
