#!/usr/bin/env bash
# End to end against the notebook a researcher would write instead (../shared/bench/peer_notebook.py:
# pandas + scikit-learn + matplotlib): the same archive, the same questions, cold processes,
# alternated, RUNS times each; prints every run, the medians and their ratio.
# TrendLens's run is what a user types: import into a new database, then `query models`,
# `query emerging`, `export overview`, each a new process.
# Usage: tests/bench/vs-notebook.sh [ARCHIVE_DIR] [RUNS]
# Needs python3-pandas, python3-sklearn, python3-matplotlib (Debian). Times the published build
# (tests/bench/build.sh; BENCH_BUILD=plain times the `dotnet build` output instead).
set -euo pipefail
cd "$(dirname "$0")/../.."
archive=${1:-../shared/data/hf-daily}
runs=${2:-5}
notebook=../shared/bench/peer_notebook.py
[ -d "$archive" ] || { echo "no archive at $archive" >&2; exit 1; }
[ -f "$notebook" ] || { echo "no notebook at $notebook" >&2; exit 1; }
/usr/bin/python3 -c 'import pandas, sklearn, matplotlib' 2>/dev/null ||
  { echo "the notebook needs python3-pandas python3-sklearn python3-matplotlib" >&2; exit 1; }

exe=$(tests/bench/build.sh | sed -n 1p)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

ours=(); theirs=()
for i in $(seq 1 "$runs"); do
  db="$work/e2e-$i.duckdb"
  t0=$(now)
  "$exe" --db "$db" import "$archive" > "$work/import.txt" 2>&1 || { cat "$work/import.txt" >&2; exit 1; }
  t1=$(now)
  "$exe" --db "$db" query models --grain month --format csv > "$work/models.csv"
  t2=$(now)
  "$exe" --db "$db" query emerging --from 2025-02-03 --to 2025-02-28 --top 20 --format csv > "$work/emerging.csv"
  t3=$(now)
  "$exe" --db "$db" export overview --out "$work/overview-$i.png" > /dev/null
  t4=$(now)
  total=$(secs "$t0" "$t4"); ours+=("$total")
  rolled=$(grep -o 'Rolled up in [0-9.]* s' "$work/import.txt" | grep -o '[0-9.]* s' || echo '? s')
  printf 'run %d trendlens %6.2f s  (import %s of which rolling up %s, query models %s, query emerging %s, export overview %s)\n' \
    "$i" "$total" "$(secs "$t0" "$t1")" "$rolled" "$(secs "$t1" "$t2")" "$(secs "$t2" "$t3")" "$(secs "$t3" "$t4")"
  rm -f "$db" "$db.wal"

  t0=$(now)
  /usr/bin/python3 "$notebook" "$archive" "$work/peer-$i" 2025-02-03 2025-02-28 > "$work/peer.txt" 2>&1 || { cat "$work/peer.txt" >&2; exit 1; }
  t1=$(now)
  theirs+=("$(secs "$t0" "$t1")")
  printf 'run %d notebook  %6.2f s\n' "$i" "$(secs "$t0" "$t1")"
done
a=$(printf '%s\n' "${ours[@]}" | median)
b=$(printf '%s\n' "${theirs[@]}" | median)
printf 'median trendlens %.2f s, notebook %.2f s: %.1fx faster (%d runs each, alternated, %d cores)\n' "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')" "$runs" "$(nproc)"
