#!/usr/bin/env bash
# The Dockerfile's steps without a container engine: publish, lay out /app as the image does,
# start the server on an empty database (it serves demo data) and check /healthz, a page and its stylesheet.
# Usage: deploy/smoke.sh   (from anywhere; needs the .NET 10 SDK and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/TrendLens -c Release -o "$work/app/bin" >"$work/publish.log" 2>&1 || { tail -20 "$work/publish.log"; exit 1; }
cp -r dashboards "$work/app/dashboards"
mkdir -p "$work/data"
port=$(( 20000 + RANDOM % 20000 ))
(cd "$work" && TRENDLENS_DB="$work/data/trendlens.duckdb" TRENDLENS_DASHBOARDS="$work/app/dashboards" TrendLens__Scheduler=false \
  exec "$work/app/bin/trendlens" serve --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1) &
server=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >"$work/healthz.json" 2>/dev/null; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz" >"$work/healthz.json" || { echo "smoke: /healthz did not answer"; cat "$work/serve.log"; exit 1; }
grep -q '"status":"ok"' "$work/healthz.json" || { echo "smoke: /healthz is not ok: $(cat "$work/healthz.json")"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/d/overview")
[ "$code" = 200 ] || { echo "smoke: /d/overview answered $code"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/trendlens.css")
[ "$code" = 200 ] || { echo "smoke: /trendlens.css answered $code"; exit 1; }
echo "smoke: published build served /healthz, /d/overview and its stylesheet ($(cat "$work/healthz.json" | head -c 120))"
