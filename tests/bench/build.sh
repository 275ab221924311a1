#!/usr/bin/env bash
# Builds the trendlens the benchmarks time and prints the path of its executable, then on a
# second line the path of the benchmark tool (trendlens-bench, tests/TrendLens.Bench): the
# published build (self-contained, composite ReadyToRun, as the README installs it; about two
# minutes), or, with BENCH_BUILD=plain, the `dotnet build` output that `dotnet run` uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${BENCH_BUILD:-publish}" = plain ]; then
  dotnet build src/TrendLens -c Release -v quiet -nologo >/dev/null
  echo "$PWD/src/TrendLens/bin/Release/net10.0/trendlens"
else
  dotnet publish src/TrendLens -c Release -o src/TrendLens/bin/publish -v quiet -nologo >/dev/null
  echo "$PWD/src/TrendLens/bin/publish/trendlens"
fi
dotnet build tests/TrendLens.Bench -c Release -v quiet -nologo >/dev/null
echo "$PWD/tests/TrendLens.Bench/bin/Release/net10.0/trendlens-bench"
