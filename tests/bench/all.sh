#!/usr/bin/env bash
# The whole benchmark on one data set: import + tag, retag, every panel over HTTP (cached and
# uncached), the weekly review, with wall time and peak memory of each step.
# Usage: tests/bench/all.sh DATA_DIR [LABEL]
#   DATA_DIR  a folder of daily lists (e.g. ../shared/data/hf-daily, or one made by
#             `trendlens generate --out DIR --days 1095 --papers-per-day 500`)
# Prints one line per step; paste them into docs/benchmarks.md. Times the published build
# (tests/bench/build.sh; BENCH_BUILD=plain times the `dotnet build` output instead).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:?usage: tests/bench/all.sh DATA_DIR [LABEL]}
label=${2:-$(basename "$data")}
[ -d "$data" ] || { echo "no data at $data" >&2; exit 1; }
{ read -r exe; read -r bench; } < <(tests/bench/build.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/bench.duckdb"

# Runs a step with GNU time when there is one (wall seconds and peak resident memory).
step() {
  local name=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/$name.out" 2>&1 || { cat "$work/$name.out" >&2; exit 1; }
    read -r secs kb < "$work/time.txt"
    printf '%-28s %8.2f s wall   peak %6d MB\n' "$label $name" "$secs" "$((kb / 1024))"
  else
    local start end; start=$(date +%s.%N); "$@" > "$work/$name.out" 2>&1 || { cat "$work/$name.out" >&2; exit 1; }; end=$(date +%s.%N)
    printf '%-28s %8.2f s wall\n' "$label $name" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
  fi
}

step import $exe --db "$db" import "$data"
papers=$(grep -o 'Tagged [0-9,]*' "$work/import.out" | tr -dc '0-9')
echo "$label papers: $papers; $(grep -o 'Tagged .*' "$work/import.out")"
step rollup $exe --db "$db" query coverage --grain month
step retag $exe --db "$db" retag
step rollup-after-retag $exe --db "$db" query coverage --grain month
step bench-emerging $bench --db "$db" emerging --runs 10
tail -1 "$work/bench-emerging.out"
step bench-panels $bench --db "$db" panels --runs 20
cat "$work/bench-panels.out"
step bench-review $bench --db "$db" review --runs 5
tail -1 "$work/bench-review.out"
