#!/usr/bin/env bash
# The main job on the bundled example data, from a fresh machine: install
# what is missing, build, then classify -> aggregate -> report with the
# default classifier, printing each result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
# Build output is kept in build/demo-build.log and shown whole on failure.
log=build/demo-build.log
mkdir -p build
if [ ! -f build/build.ninja ]; then
  # The demo needs the library and tools only; the test suite (and Check)
  # is scripts/test.sh's, in build-test/.
  meson setup build -Dtests=false >"$log" 2>&1 || { cat "$log" >&2; echo "demo.sh: meson setup failed" >&2; exit 1; }
fi
ninja -C build >"$log" 2>&1 || { cat "$log" >&2; echo "demo.sh: build failed" >&2; exit 1; }
T=build/tools
out=build/demo
mkdir -p "$out"

echo "== 1. classify: every record gets a category, or is rejected with a reason"
$T/dts-classify examples/records-2024-2025.csv -o "$out/classified.csv" \
  --rejects "$out/rejects.csv" --summary "$out/summary.json"
# sed reads its whole input (head would close the pipe early: SIGPIPE under pipefail).
cut -d, -f1,2,8,16,17 "$out/classified.csv" | sed -n 1,8p
echo "   ... summary: $(cat "$out/summary.json")"

echo
echo "== 2. aggregate: the cube by year, flow and category (万元), with DT = DO + DD"
$T/dts-aggregate --by period:year,flow,category:top --unit wan "$out/classified.csv"

echo
echo "== 3. report: the action plan's annex table and the boundary table for 2025"
$T/dts-report "$out/classified.csv" --reported examples/reported-2025.csv --year 2025

echo
echo "== 4. explain one record"
$T/dts-rules explain ebops_code=SI22 description='阿里云 云服务器租用'
echo
echo "Outputs are in $out/."
