package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/lockcheck/lockcheck/engine"
	"github.com/lockcheck/lockcheck/engine/report"
)

// completionWords are what the shell scripts complete: the verbs, each
// verb's flags, the formats, the severities and the control ids.
type completionWords struct {
	verbs    []string
	flags    map[string][]string
	formats  []string
	controls []string
}

// evalVerbFlags lists the flags of review, scan, approve and merge from
// their own registration, so the completion never drifts from the CLI.
func evalVerbFlags(verb string) []string {
	var f evalFlags
	fs := pflag.NewFlagSet(verb, pflag.ContinueOnError)
	f.register(fs)
	switch verb {
	case "scan":
		fs.StringVar(&f.store, "store", "", "")
	case "review":
		fs.BoolVar(&f.differences, "differences", false, "")
	}
	var out []string
	fs.VisitAll(func(fl *pflag.Flag) { out = append(out, "--"+fl.Name) })
	return append(out, "--help")
}

func gatherCompletion(ctx context.Context) (completionWords, error) {
	w := completionWords{flags: map[string][]string{}, formats: report.Formats()}
	for _, c := range commands() {
		w.verbs = append(w.verbs, c.name)
	}
	w.verbs = append(w.verbs, "completion")
	for _, v := range []string{"review", "scan", "approve"} {
		w.flags[v] = evalVerbFlags(v)
	}
	w.flags["merge"] = []string{"--format", "--report", "--params", "--only-failures", "--show", "--min-severity", "--status", "--markdown-max-chars", "--sarif-include-pass", "--help"}
	w.flags["controls"] = []string{"--format", "--areas", "--help"}
	w.flags["explain"] = []string{"--format", "--params", "--help"}
	w.flags["validate"] = []string{"--help"}
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		return w, err
	}
	for _, c := range eng.Controls() {
		w.controls = append(w.controls, c.ID)
	}
	sort.Strings(w.controls)
	return w, nil
}

func runCompletion(ctx context.Context, e *env, args []string) int {
	if len(args) != 1 || (args[0] != "bash" && args[0] != "zsh" && args[0] != "fish") {
		return usageErr(e, "completion", "give a shell: bash, zsh or fish (e.g. lockcheck completion bash > /etc/bash_completion.d/lockcheck)")
	}
	w, err := gatherCompletion(ctx)
	if err != nil {
		return errCode(e, "completion", err)
	}
	switch args[0] {
	case "fish":
		writeFish(e.stdout, w)
	case "zsh":
		fmt.Fprint(e.stdout, "#compdef lockcheck\nautoload -U +X bashcompinit && bashcompinit\n")
		writeBash(e.stdout, w)
	default:
		writeBash(e.stdout, w)
	}
	return ExitOK
}

const severities = "critical high medium low"

func writeBash(out io.Writer, w completionWords) {
	j := func(xs []string) string { return strings.Join(xs, " ") }
	fmt.Fprintf(out, `# lockcheck completion (bash): source it, or put it in bash_completion.d
_lockcheck() {
  local cur prev verb
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  verb="${COMP_WORDS[1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "%s" -- "$cur")); return
  fi
  case "$prev" in
    --format|-f) COMPREPLY=($(compgen -W "%s" -- "$cur")); return;;
    --report) COMPREPLY=($(compgen -W "%s" -S = -- "$cur")); compopt -o nospace 2>/dev/null; return;;
    --controls|--skip) COMPREPLY=($(compgen -W "%s" -- "$cur")); return;;
    --fail-on|--min-severity) COMPREPLY=($(compgen -W "%s" -- "$cur")); return;;
    --show) COMPREPLY=($(compgen -W "failing all" -- "$cur")); return;;
    --status) COMPREPLY=($(compgen -W "fail insufficient_evidence error waived pass not_applicable" -- "$cur")); return;;
  esac
  case "$verb" in
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return;;
    explain) if [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W "%s" -- "$cur")); return; fi;;
  esac
  if [[ "$cur" == -* ]]; then
    case "$verb" in
`, j(w.verbs), j(w.formats), j(w.formats), j(w.controls), severities, j(w.controls))
	verbs := make([]string, 0, len(w.flags))
	for v := range w.flags {
		verbs = append(verbs, v)
	}
	sort.Strings(verbs)
	for _, v := range verbs {
		fmt.Fprintf(out, "      %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return;;\n", v, j(w.flags[v]))
	}
	fmt.Fprint(out, `      *) COMPREPLY=($(compgen -W "--help" -- "$cur")); return;;
    esac
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o default -F _lockcheck lockcheck
`)
}

func writeFish(out io.Writer, w completionWords) {
	j := func(xs []string) string { return strings.Join(xs, " ") }
	fmt.Fprintf(out, "# lockcheck completion (fish): save as ~/.config/fish/completions/lockcheck.fish\n")
	fmt.Fprintf(out, "complete -c lockcheck -f -n __fish_use_subcommand -a '%s'\n", j(w.verbs))
	fmt.Fprintf(out, "complete -c lockcheck -f -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n")
	fmt.Fprintf(out, "complete -c lockcheck -f -n '__fish_seen_subcommand_from explain' -a '%s'\n", j(w.controls))
	verbs := make([]string, 0, len(w.flags))
	for v := range w.flags {
		verbs = append(verbs, v)
	}
	sort.Strings(verbs)
	values := map[string]string{"format": j(w.formats), "controls": j(w.controls), "skip": j(w.controls), "fail-on": severities, "min-severity": severities,
		"show": "failing all", "status": "fail insufficient_evidence error waived pass not_applicable"}
	for _, v := range verbs {
		for _, fl := range w.flags[v] {
			name := strings.TrimPrefix(fl, "--")
			if vals, ok := values[name]; ok {
				fmt.Fprintf(out, "complete -c lockcheck -n '__fish_seen_subcommand_from %s' -l %s -xa '%s'\n", v, name, vals)
			} else {
				fmt.Fprintf(out, "complete -c lockcheck -n '__fish_seen_subcommand_from %s' -l %s\n", v, name)
			}
		}
	}
}
