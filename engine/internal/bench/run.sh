#!/usr/bin/env bash
# make bench: throughput and memory of lockcheck on generated fleets.
#
# Builds lockcheck and fleetgen, generates one fleet (seed 1) as a small and a
# large NDJSON file and as one YAML file per lock (the small fleet's locks),
# then runs engine/internal/bench, which measures `lockcheck scan` (1 worker
# and all CPUs), `lockcheck validate` and a bare engine.Evaluate loop, and
# prints docs/s, CPU ms/doc, peak RSS and the ratios of the fleet-scale
# targets. Needs only Go. Sizes (documents):
#
#   BENCH_SMALL (default 500)   BENCH_LARGE (default 5000)   BENCH_YAML (default BENCH_SMALL)
#
# The defaults finish in a few minutes on 2 cores; the issue's sizes are
#   make bench BENCH_SMALL=10000 BENCH_LARGE=100000 BENCH_YAML=10000
# BENCH_DIR keeps the generated fleets there (default: a temporary directory,
# removed afterwards).
set -euo pipefail

cd "$(dirname "$0")/../../.."
GO=${GO:-go}
SMALL=${BENCH_SMALL:-500}
LARGE=${BENCH_LARGE:-5000}
YAML=${BENCH_YAML:-$SMALL}
NOW=2026-11-25T12:00:00Z

if [[ -n "${BENCH_DIR:-}" ]]; then
	work=$BENCH_DIR
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/lockcheck-bench.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi

echo "building lockcheck and fleetgen" >&2
$GO build -o "$work/lockcheck" ./cmd/lockcheck
$GO build -o "$work/fleetgen" ./cmd/fleetgen

label() { # 500 -> 500, 10000 -> 10k, 100000 -> 100k
	if (($1 >= 1000 && $1 % 1000 == 0)); then echo "$(($1 / 1000))k"; else echo "$1"; fi
}

echo "generating fleets: $SMALL and $LARGE NDJSON snapshots, $YAML YAML files (seed 1)" >&2
mkdir -p "$work/small" "$work/large"
"$work/fleetgen" -n "$SMALL" -seed 1 -now "$NOW" -o "$work/small/fleet.ndjson"
"$work/fleetgen" -n "$LARGE" -seed 1 -now "$NOW" -o "$work/large/fleet.ndjson"
"$work/fleetgen" -n "$YAML" -seed 1 -now "$NOW" -format yaml -dir "$work/yaml"

fleet() { # LABEL DIR INPUT DOCS
	echo "-fleet=$1=$3,$2/plans.yaml,$2/specs.yaml,$4"
}

echo "measuring (progress below, table at the end)" >&2
$GO run ./engine/internal/bench -lockcheck "$work/lockcheck" -now "$NOW" \
	"$(fleet "ndjson-$(label "$SMALL")" "$work/small" "$work/small/fleet.ndjson" "$SMALL")" \
	"$(fleet "ndjson-$(label "$LARGE")" "$work/large" "$work/large/fleet.ndjson" "$LARGE")" \
	"$(fleet "yaml-$(label "$YAML")" "$work/yaml" "$work/yaml/fleet" "$YAML")"
