#!/usr/bin/env bash
# make equivalence BASE=<git revision>: a refactoring changes no output.
#
# Builds lockcheck at BASE (in a temporary git worktree) and from the working
# tree, generates one fleet of EQ_LOCKS (default 2000) LockSnapshots with its
# plans and product specs (fleetgen, seed 1), then scans it and the bundled
# fixtures with both binaries, writing every report format in one scan, and
# compares the bytes of every output, stderr and exit code. Also compares
# `approve` on every bundled plan and `review` on the bundled products. Prints
# one line per file compared and exits 1 if any differs (the work directory
# and the diffs are then kept).
#
# A BASE whose catalogue differs from the working tree's (policies changed)
# differs in the catalogue digest by design: this is for changes that claim
# to change no behaviour.
set -euo pipefail

cd "$(dirname "$0")/../../.."
GO=${GO:-go}
BASE=${BASE:?set BASE to the git revision to compare with, e.g. make equivalence BASE=main}
N=${EQ_LOCKS:-2000}
NOW=2026-11-25T12:00:00Z

work=$(mktemp -d "${TMPDIR:-/tmp}/lockcheck-eq.XXXXXX")
cleanup() {
	git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true
	if [[ -z "${EQ_KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT

echo "building lockcheck at $BASE and from the working tree" >&2
git worktree add --quiet --detach "$work/base-src" "$BASE"
(cd "$work/base-src" && $GO build -o "$work/bin/base" ./cmd/lockcheck)
$GO build -o "$work/bin/head" ./cmd/lockcheck
$GO run ./cmd/fleetgen -n "$N" -seed 1 -now "$NOW" -o "$work/fleet/fleet.ndjson"

fleet=("$work/fleet/fleet.ndjson" --plans "$work/fleet/plans.yaml" --specs "$work/fleet/specs.yaml")
fixtures=(fixtures/fleet --plans fixtures/plans --specs fixtures/products)
failed=0

# run BIN NAME ARGS...: run BIN with ARGS, keeping stdout, stderr and the
# exit code under $work/BIN/NAME.*
run() {
	local bin=$1 name=$2
	shift 2
	mkdir -p "$work/$bin"
	local code=0
	"$work/bin/$bin" "$@" >"$work/$bin/$name.out" 2>"$work/$bin/$name.err" || code=$?
	echo "$code" >"$work/$bin/$name.code"
}

# scan NAME ARGS...: one scan per binary writes every format at once.
formats=(json ndjson markdown sarif junit csv html oscal)
scan() {
	local name=$1
	shift
	for bin in base head; do
		local reports=()
		for f in "${formats[@]}"; do reports+=(--report "$f=$work/$bin/$name.$f"); done
		run "$bin" "$name" scan "$@" --now "$NOW" -q "${reports[@]}"
	done
}

scan "fleet-$N" "${fleet[@]}"
scan fixtures "${fixtures[@]}"
for bin in base head; do
	run "$bin" "fleet-$N.text-all" scan "${fleet[@]}" --now "$NOW" -q --show all
	for plan in fixtures/plans/*.yaml; do
		run "$bin" "approve-$(basename "$plan" .yaml)" approve "$plan" --specs fixtures/products --now "$NOW"
	done
	run "$bin" review review fixtures/products --now "$NOW"
done

# Every file one binary wrote must be byte-identical to the other's.
for f in "$work"/head/*; do
	name=${f#"$work/head/"}
	if cmp -s "$f" "$work/base/$name"; then
		printf 'same     %-40s %12s bytes\n' "$name" "$(wc -c <"$f")"
	else
		echo "DIFFERS  $name"
		diff "$work/base/$name" "$f" >"$work/$name.diff" || true
		failed=1
	fi
done
if [[ $(ls "$work/base" | wc -l) != $(ls "$work/head" | wc -l) ]]; then
	echo "DIFFERS  the two binaries wrote different sets of files"
	failed=1
fi

if ((failed)); then
	EQ_KEEP=1
	echo "outputs differ between $BASE and the working tree (diffs in $work)" >&2
	exit 1
fi
echo "every output is byte-identical between $BASE and the working tree" >&2
