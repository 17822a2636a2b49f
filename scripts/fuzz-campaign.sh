#!/usr/bin/env bash
# A fuzz campaign over every parser (libFuzzer, ASan + UBSan), growing the
# corpora kept in the tree.
#
#   bash scripts/fuzz-campaign.sh [--runs N] [--seconds S] [--jobs J] [--keep] [TARGET...]
#
# For each target (default: every fuzz_* the fuzz build makes) runs N
# executions (default 2,500,000) starting from tests/fuzz/corpus/NAME, then
# merges what it found into that folder (libFuzzer -merge=1: only inputs
# that reach coverage the kept ones do not), so the kept corpus grows by a
# minimal set and its named seeds stay. A crash, leak, timeout or
# sanitizer report stops the campaign: the input is copied to
# tests/fuzz/regressions/NAME/ (add it to the kept corpus once fixed, so
# CI's short runs replay it). Prints executions, corpus sizes and
# coverage per target, and the total; docs/reliability.md keeps the
# figures of the last campaign. --seconds S stops each target after S
# seconds if N executions take longer. --jobs J runs J targets at once.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=2500000 seconds=0 jobs=1 keep=0 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz-campaign: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
bash scripts/deps.sh build test
build=build-fuzz
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzz=true -Dtests=false --buildtype=debug >/dev/null
fi
ninja -C "$build" >"$build/ninja.log" 2>&1 || { tail -50 "$build/ninja.log"; exit 1; }
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$build"/tests/fuzz/fuzz_*; do
    [ -f "$f" ] && [ -x "$f" ] && targets+=("$(basename "$f" | sed 's/^fuzz_//')")
  done
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/dts-fuzz.XXXXXX")
[ $keep = 1 ] || trap 'rm -rf "$work"' EXIT

one() { # NAME: run, then merge into the kept corpus; prints one result line
  local name=$1 exe="$build/tests/fuzz/fuzz_$1" kept="tests/fuzz/corpus/$1"
  local w="$work/$name" before after execs cov rc=0
  mkdir -p "$w/new" "$kept"
  before=$(find "$kept" -type f | wc -l)
  cp -r "$kept"/. "$w/new"/ 2>/dev/null || true
  (cd "$w" && "$OLDPWD/$exe" -runs="$runs" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 -artifact_prefix="$w/" new >"$w/log" 2>&1) || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$w/log" | tail -1 | sed 's/cov: //')
  if [ $rc -ne 0 ]; then
    mkdir -p "tests/fuzz/regressions/$name"
    cp "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-* "tests/fuzz/regressions/$name"/ 2>/dev/null || true
    tail -40 "$w/log" >&2
    echo "$name FAILED after ${execs:-?} executions (inputs in tests/fuzz/regressions/$name/)"
    return 1
  fi
  # -merge=1 KEPT NEW: adds to KEPT only the inputs of NEW that reach new
  # coverage; the named seeds already there stay as they are.
  "$exe" -merge=1 "$kept" "$w/new" >"$w/merge.log" 2>&1 ||
    { tail -20 "$w/merge.log" >&2; echo "$name: merge failed"; return 1; }
  after=$(find "$kept" -type f | wc -l)
  printf '%-8s %12s executions  coverage %6s  corpus %4d -> %4d files\n' \
    "$name" "$execs" "${cov:-?}" "$before" "$after"
}

export -f one
export build runs seconds work
status=0
printf '%s\n' "${targets[@]}" |
  xargs -P "$jobs" -I{} bash -c 'one "$@" >"$work/result-$1" 2>"$work/err-$1"' _ {} || status=1
total=0
for t in "${targets[@]}"; do
  cat "$work/result-$t" 2>/dev/null || true
  [ -s "$work/err-$t" ] && cat "$work/err-$t" >&2
  n=$(sed -n 's/^[a-z_]* *\([0-9]*\) executions.*/\1/p' "$work/result-$t" 2>/dev/null || true)
  total=$((total + ${n:-0}))
done
echo "total: $total executions over ${#targets[@]} targets"
exit $status
