#!/usr/bin/env bash
# bench/run.sh — the libdts benchmarks, one command (docs/performance.md).
#
#   bash bench/run.sh [--quick] [--build DIR] [--scratch DIR]
#
# Builds a release tree (default build-release), generates data with
# dts-gen (100 MB; --quick 20 MB), and prints tables of:
#   throughput  dts-classify and dts-aggregate against `wc -l` (the floor),
#               mawk (bench/classify.awk) and DuckDB (bench/duckdb.mjs,
#               @duckdb/node-api from npm), 1 and 2 threads, with ratios
#               measured in this run;
#   rules       bench/rulescale on generated classifiers of 10..10,000 rules;
#   threads     1 vs 2 threads;
#   memory      peak RSS on 100 MB and 1 GB of input (1 GB not with --quick).
# Times are the best of 3 runs (hyperfine --runs 3 when installed).
# Missing tools are skipped with a note, never silently.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
quick=0
build="$src/build-release"
scratch="${TMPDIR:-/tmp}/dts-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --build) build=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$scratch"
out="$scratch/results.txt"
: > "$out"
note() { echo "note: $*" | tee -a "$out" >&2; }
say() { echo "$*" | tee -a "$out"; }

# ---- prerequisites -----------------------------------------------------------
# scripts/deps.sh is the one list of packages (group "bench"); when it
# cannot install (no root, no sudo), what is missing is skipped with a note.
bash "$src/scripts/deps.sh" bench >"$scratch/deps.log" 2>&1 ||
  note "could not install every benchmark package: $(tail -1 "$scratch/deps.log")"
AWK=$(command -v mawk || command -v awk)

if [ ! -f "$build/build.ninja" ]; then
  # werror off: -O3 raises maybe-uninitialized warnings that -O2 does not,
  # and a benchmark should not stop on a warning (the -O2 build keeps -Werror).
  meson setup "$build" "$src" --buildtype=release -Dwerror=false -Dtests=false >/dev/null
fi
ninja -C "$build" > "$scratch/build.log" 2>&1 || { cat "$scratch/build.log" >&2; exit 1; }
gen="$build/tools/dts-gen"
classify="$build/tools/dts-classify"
aggregate="$build/tools/dts-aggregate"
rulescale="$build/bench/rulescale"
rates="$src/bench/rates.csv"
export DTS_CLASSIFIER="$src/classifiers/cn-digital-trade.xml"

# ---- data ----------------------------------------------------------------------
size=100M; [ $quick = 1 ] && size=20M
data="$scratch/data-$size.csv"
[ -f "$data" ] || "$gen" --seed 1 --bytes "$size" -o "$data"
bytes=$(wc -c < "$data")
records=$(( $(wc -l < "$data") - 1 ))
half=$(( records / 2 + 1 ))
head -n "$half" "$data" > "$scratch/half1.csv"
{ head -n 1 "$data"; tail -n +"$((half + 1))" "$data"; } > "$scratch/half2.csv"
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
say "data: $data, $bytes bytes, $records records (dts-gen --seed 1 --bytes $size)"

# ---- timing ------------------------------------------------------------------------
# best3 CMD...: the best wall time of 3 runs, in seconds; fails (prints
# nothing) when any run of the command fails, so no figure is ever printed
# for a command that did not do its work.
best3() {
  if command -v hyperfine >/dev/null; then
    rm -f "$scratch/hf.json"
    hyperfine -N --runs 3 --style none --export-json "$scratch/hf.json" "$*" \
      >"$scratch/hf.log" 2>&1 || return 1
    grep -m1 '"min"' "$scratch/hf.json" | sed 's/[^0-9.e-]//g'
    return
  fi
  local best="" i t0 t1 t
  for i in 1 2 3; do
    t0=$(date +%s%N)
    bash -c "$*" >/dev/null 2>"$scratch/run.err" || return 1
    t1=$(date +%s%N)
    t=$((t1 - t0))
    if [ -z "$best" ] || [ $t -lt $best ]; then best=$t; fi
  done
  awk -v t="$best" 'BEGIN { printf "%.4f\n", t / 1e9 }'
}
# The tools write devices directly (never by rename); if that ever broke,
# stop before a second run does more harm.
devnull_ok() {
  [ -c /dev/null ] || { echo "run.sh: /dev/null is no longer a character device; stopping" >&2; exit 1; }
}

declare -A secs
names=()
# record NAME CMD: time CMD; a failed command is listed as FAILED, with no figure.
record() {
  local t
  names+=("$1")
  if t=$(best3 "$2") && [ -n "$t" ]; then
    secs[$1]=$t
  else
    secs[$1]=""
    note "$1: the command failed, no figure: $2"
  fi
  devnull_ok
}

record "wc -l" "wc -l '$data'"
record "mawk CASE+group-by" "$AWK -v RATES='$rates' -f '$src/bench/classify.awk' '$data'"

# DuckDB: npm install into the scratch dir; the time is the query alone.
duck="$scratch/duckdb"
duck_ok=0
if command -v npm >/dev/null && command -v node >/dev/null; then
  mkdir -p "$duck"
  if [ -d "$duck/node_modules/@duckdb/node-api" ] ||
     (cd "$duck" && npm install --silent --no-audit --no-fund @duckdb/node-api >"$duck/npm.log" 2>&1); then
    cp "$src/bench/duckdb.mjs" "$duck/"
    duck_ok=1
  else
    note "DuckDB skipped: npm install @duckdb/node-api failed (see $duck/npm.log)"
  fi
else
  note "DuckDB skipped: node/npm not installed"
fi
duck_time() { # threads -> best query seconds of 3
  local best="" i ms
  for i in 1 2 3; do
    ms=$(cd "$duck" && node duckdb.mjs "$data" "$rates" "$1" | sed -n 's/^query_ms=\([0-9.]*\).*/\1/p')
    [ -n "$ms" ] || return 1
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
  done
  awk -v m="$best" 'BEGIN { printf "%.4f\n", m / 1000 }'
}
if [ $duck_ok = 1 ]; then
  if t=$(duck_time 1) && t2=$(duck_time 2); then
    names+=("DuckDB SQL 1 thread" "DuckDB SQL 2 threads")
    secs["DuckDB SQL 1 thread"]=$t
    secs["DuckDB SQL 2 threads"]=$t2
    v=$(cd "$duck" && node -e "console.log(require('@duckdb/node-api/package.json').version)" 2>/dev/null || echo '?')
    say "DuckDB: @duckdb/node-api $v"
  else
    note "DuckDB skipped: the query failed"
    duck_ok=0
  fi
fi

if [ -x "$classify" ]; then
  record "dts-classify -j1" "'$classify' -j 1 -o /dev/null '$data'"
  record "dts-classify -j2" "'$classify' -j 2 -o /dev/null '$data'"
else
  note "dts-classify not built yet: skipped"
fi
aggcmd="'$aggregate' --by period:month,category:top --rates '$rates'"
if [ -x "$aggregate" ]; then
  record "dts-aggregate (classify+aggregate)" "$aggcmd '$data'"
  # bash -c: hyperfine -N runs no shell; both shards must succeed.
  shards="$aggcmd --partial --ids-in-clear -o '$scratch/p1' '$scratch/half1.csv' & p=\$!; $aggcmd --partial --ids-in-clear -o '$scratch/p2' '$scratch/half2.csv' && wait \$p && '$aggregate' --merge '$scratch/p1' '$scratch/p2'"
  record "dts-aggregate 2 shards (--partial, --merge)" "bash -c \"$shards\""
else
  note "dts-aggregate not built: skipped"
fi

say ""
say "== throughput: classify + group-by on $bytes bytes, best of 3 =="
base_duck=${secs["DuckDB SQL 1 thread"]:-}
base_awk=${secs["mawk CASE+group-by"]:-}
base_wc=${secs["wc -l"]:-}
{
  printf "%-44s %8s %9s %11s %9s %9s %9s\n" "program" "seconds" "MB/s" "records/s" "vs wc-l" "vs mawk" "vs duck1"
  for n in "${names[@]}"; do
    awk -v n="$n" -v s="${secs[$n]}" -v b="$bytes" -v r="$records" -v wc="$base_wc" \
        -v aw="$base_awk" -v dk="$base_duck" 'function rel(x) { return x == "" ? "-" : sprintf("%.2f", x / s) }
      BEGIN {
      if (s == "") { printf "%-44s %8s\n", n, "FAILED"; exit }
      printf "%-44s %8.3f %9.1f %11.0f %9s %9s %9s\n", n, s, b / s / 1e6, r / s,
        rel(wc), rel(aw), rel(dk) }'
  done
} | tee -a "$out"
say "(vs X = X's time / this time: above 1 is faster than X)"

# ---- rule scaling -------------------------------------------------------------------
say ""
say "== rules: bench/rulescale, 200k records in memory, best of 3 passes =="
for n in 10 100 1000 10000; do
  [ -f "$scratch/rules-$n.xml" ] || "$AWK" -v N=$n -f "$src/bench/gen-rules.awk" > "$scratch/rules-$n.xml"
done
{
  printf "%-28s %7s %11s %12s %11s %10s\n" "classifier" "rules" "compile ms" "ns/record" "cands/rec" "regex/rec"
  for c in 10 100 1000 10000 default noprefilter; do
    case $c in
      default) f=$DTS_CLASSIFIER; args=(); label="cn-digital-trade" ;;
      noprefilter) f=$DTS_CLASSIFIER; args=(--no-prefilter --passes 1); label="cn-digital-trade, no prefilter" ;;
      *) f="$scratch/rules-$c.xml"; args=(); label="generated $c" ;;
    esac
    if ! line=$("$rulescale" "${args[@]}" "$f" "$data" 200000 2>"$scratch/run.err"); then
      printf "%-28s FAILED (%s)\n" "$label" "$(tail -1 "$scratch/run.err")"
      : > "$scratch/rulescale-$c.txt"
      continue
    fi
    echo "$line" > "$scratch/rulescale-$c.txt"
    echo "$line" | tr ' ' '\n' | awk -F= -v l="$label" '{ v[$1] = $2 } END {
      printf "%-28s %7d %11.1f %12.1f %11.2f %10.2f\n", l, v["rules"], v["compile_ms"],
        v["ns_per_record"], v["candidates_per_record"], v["regex_per_record"] }'
  done
} | tee -a "$out"
r10=$(sed -n 's/.*ns_per_record=\([0-9.]*\).*/\1/p' "$scratch/rulescale-10.txt")
r10k=$(sed -n 's/.*ns_per_record=\([0-9.]*\).*/\1/p' "$scratch/rulescale-10000.txt")
say "$(awk -v a="$r10k" -v b="$r10" 'BEGIN { if (a == "" || b == "") print "10,000 rules / 10 rules: - (a run failed)"; else printf "10,000 rules / 10 rules per record: %.2fx (aim <= 2x)", a / b }')"

# ---- threads -------------------------------------------------------------------------
say ""
say "== threads: 1 vs 2 =="
ratio() { awk -v a="${secs[$1]:-}" -v b="${secs[$2]:-}" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.2fx", a / b }'; }
say "dts-classify -j2 vs -j1:           $(ratio "dts-classify -j1" "dts-classify -j2") (aim >= 1.7x)"
say "dts-aggregate 2 shards vs 1:       $(ratio "dts-aggregate (classify+aggregate)" "dts-aggregate 2 shards (--partial, --merge)")"
say "DuckDB 2 threads vs 1:             $(ratio "DuckDB SQL 1 thread" "DuckDB SQL 2 threads")"

# ---- memory --------------------------------------------------------------------------
say ""
say "== memory: peak RSS (/usr/bin/time -v) =="
if [ -x /usr/bin/time ]; then
  sizes="100M"; [ $quick = 1 ] && sizes="20M 100M"; [ $quick = 0 ] && sizes="100M 1G"
  for s in $sizes; do
    f="$scratch/data-$s.csv"
    [ -f "$f" ] || "$gen" --seed 1 --bytes "$s" -o "$f"
    for prog in classify aggregate; do
      case $prog in
        classify) [ -x "$classify" ] || continue; cmd=("$classify" -j 2 -o /dev/null "$f") ;;
        aggregate) [ -x "$aggregate" ] || continue
          cmd=("$aggregate" --by period:month,category:top --rates "$rates" -o /dev/null "$f") ;;
      esac
      if /usr/bin/time -v -o "$scratch/time.txt" "${cmd[@]}" >/dev/null 2>"$scratch/run.err"; then
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$scratch/time.txt")
        say "$(printf "%-14s %6s input: %8s KiB peak RSS" "dts-$prog" "$s" "$kb")"
      else
        say "$(printf "%-14s %6s input: FAILED (%s)" "dts-$prog" "$s" "$(tail -1 "$scratch/run.err")")"
      fi
      devnull_ok
    done
  done
else
  note "memory skipped: /usr/bin/time not installed"
fi
say ""
say "results saved in $out"
