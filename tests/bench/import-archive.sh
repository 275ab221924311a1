#!/usr/bin/env bash
# Benchmark: import (store, tag, roll up) a whole archive of daily lists into a new database, N times.
# Usage: tests/bench/import-archive.sh [ARCHIVE_DIR] [RUNS]
# Prints each run's wall time (process start to exit, as a user waits for it) and the median,
# with papers per second over the distinct papers imported. Times the published build
# (tests/bench/build.sh; BENCH_BUILD=plain times the `dotnet build` output instead).
set -euo pipefail
cd "$(dirname "$0")/../.."
archive=${1:-../shared/data/hf-daily}
runs=${2:-5}
[ -d "$archive" ] || { echo "no archive at $archive" >&2; exit 1; }

exe=$(tests/bench/build.sh | sed -n 1p)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

times=()
for i in $(seq 1 "$runs"); do
  db="$work/bench-$i.duckdb"
  start=$(date +%s.%N)
  "$exe" --db "$db" import "$archive" > "$work/out-$i.txt" 2>&1 || { cat "$work/out-$i.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  times+=("$t")
  tagged=$(grep -o 'Tagged [0-9,]* paper(s) in [0-9.]* s ([^)]*)' "$work/out-$i.txt" || true)
  printf 'run %d: %.2f s wall  (%s)\n' "$i" "$t" "$tagged"
  rm -f "$db" "$db.wal"
done
papers=$(grep -o 'Tagged [0-9,]*' "$work/out-1.txt" | tr -dc '0-9')
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
printf 'median %.2f s for %d papers: %.0f papers/s (import: store, tag, roll up; end to end, %d runs, %d cores)\n' \
  "$median" "$papers" "$(awk -v p="$papers" -v m="$median" 'BEGIN { print p / m }')" "$runs" "$(nproc)"
