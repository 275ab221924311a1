#!/usr/bin/env bash
# The least any read command can take on this stack, against what `trendlens query models` takes:
# tests/bench/read-floor (start the runtime, open the database with DuckDB, one query of the
# rollup tables, print it, exit) published as trendlens is (self-contained, composite
# ReadyToRun), ReadyToRun per assembly, and native AOT, timed start to exit beside the published trendlens, cold
# processes, alternated, RUNS times each; prints the medians in milliseconds.
# Usage: tests/bench/read-floor.sh DATABASE [RUNS]   (a database `trendlens import` has rolled up)
# Native AOT needs a C toolchain (gcc or clang); without one that row is left out.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=${1:?usage: tests/bench/read-floor.sh DATABASE [RUNS]}
runs=${2:-15}
[ -f "$db" ] || { echo "no database at $db" >&2; exit 1; }

exe=$(tests/bench/build.sh | sed -n 1p)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project=tests/bench/read-floor/ReadFloor.csproj
# Each variant compiles in an intermediate directory of its own: sharing one, the second
# ReadyToRun publish mixed in the first's framework image and the program aborted at start.
dotnet publish "$project" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
  -p:PublishReadyToRunComposite=true -p:IntermediateOutputPath="$work/obj-r2r/" -o "$work/r2r" -v quiet -nologo > "$work/publish.txt" 2>&1 ||
  { cat "$work/publish.txt" >&2; exit 1; }
dotnet publish "$project" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
  -p:IntermediateOutputPath="$work/obj-r2r-single/" -o "$work/r2r-single" -v quiet -nologo > "$work/publish.txt" 2>&1 || { cat "$work/publish.txt" >&2; exit 1; }
aot=""
if command -v gcc > /dev/null || command -v clang > /dev/null; then
  if dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -p:IntermediateOutputPath="$work/obj-aot/" -o "$work/aot" -v quiet -nologo > "$work/publish.txt" 2>&1; then
    aot="$work/aot/read-floor"
  else
    echo "native AOT publish failed; leaving it out:" >&2; tail -5 "$work/publish.txt" >&2
  fi
fi

ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" > "$work/out.txt" || { echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  [ -s "$work/out.txt" ] || { echo "no output: $*" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

: > "$work/r2r.txt"; : > "$work/r2r-single.txt"; : > "$work/aot.txt"; : > "$work/trendlens.txt"
for _ in $(seq 1 "$runs"); do
  ms "$work/r2r/read-floor" "$db" >> "$work/r2r.txt"
  ms "$work/r2r-single/read-floor" "$db" >> "$work/r2r-single.txt"
  [ -z "$aot" ] || ms "$aot" "$db" >> "$work/aot.txt"
  ms "$exe" --db "$db" query models --grain month --format csv >> "$work/trendlens.txt"
done
report() { printf '%-62s median %4s ms  (%s–%s)\n' "$1" "$(median < "$2")" "$(sort -n "$2" | head -1)" "$(sort -n "$2" | tail -1)"; }
report "read-floor, ReadyToRun (composite, self-contained)" "$work/r2r.txt"
report "read-floor, ReadyToRun per assembly (self-contained)" "$work/r2r-single.txt"
[ -z "$aot" ] || report "read-floor, native AOT" "$work/aot.txt"
report "trendlens query models --grain month --format csv" "$work/trendlens.txt"
