#!/usr/bin/env bash
# bench/run.sh — the libdts benchmarks, one command (docs/performance.md).
#
#   bash bench/run.sh [--quick] [--docs] [--build DIR] [--scratch DIR]
#
# Builds a release tree (default build-release), generates data with
# dts-gen (100 MB; --quick 20 MB) and as many customs lines with realistic
# repetition (bench/gen-customs.awk), and prints tables of:
#   throughput  dts-classify and dts-aggregate against `wc -l` (the floor),
#               mawk (bench/classify.awk) and DuckDB (bench/duckdb.mjs,
#               @duckdb/node-api from npm), 1 and 2 threads, with ratios
#               measured in this run;
#   vs DuckDB   dts-aggregate -j1/-j2 and DuckDB 1/2 threads on the same
#               grouped result, on both data sets, with and without
#               start-up, next to callgrind's instructions a record;
#   rules       bench/rulescale on generated classifiers of 10..10,000 rules;
#   prefilter   bench/prefilter: the literal automaton against Vectorscan;
#   threads     1 vs 2 threads;
#   memory      peak RSS on 100 MB and 1 GB of input (1 GB not with --quick).
# Times are the best of 3 runs (hyperfine --runs 3 when installed).
# --docs writes the vs-DuckDB table into docs/performance.md.
# Missing tools are skipped with a note, never silently.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
quick=0
docs=0
build="$src/build-release"
scratch="${TMPDIR:-/tmp}/dts-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --docs) docs=1 ;;
    --build) build=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
  # never -o /dev/null (as root a rename would replace the device): a file
  record "dts-classify -j1" "'$classify' -j 1 -o '$scratch/classified.csv' '$data'"
  record "dts-classify -j2" "'$classify' -j 2 -o '$scratch/classified.csv' '$data'"
else
  note "dts-classify not built yet: skipped"
fi
aggcmd="'$aggregate' --by period:month,category:top --rates '$rates'"
if [ -x "$aggregate" ]; then
  record "dts-aggregate (classify+aggregate)" "$aggcmd '$data'"
  record "dts-aggregate -j2" "$aggcmd -j 2 '$data'"
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

# ---- dts-aggregate vs DuckDB: the same grouped result ---------------------------------
# Both give, per month and top category: records, the value converted to
# CNY with bench/rates.csv, and distinct enterprises. What only one side
# does is in docs/performance.md (normalisation, checks and rejects, ~105
# rules with evidence against a 16-keyword CASE). "with start-up" times
# the whole process of each (node + DuckDB, or dts-aggregate with its
# classifier compile); "without" takes DuckDB's own query time and
# dts-aggregate's time less its run on the first record alone (a header
# alone is an empty cube, exit 1).
customs="$scratch/customs-$records.csv"
[ -f "$customs" ] || "$AWK" -v N="$records" -v SEED=7 -f "$src/bench/gen-customs.awk" > "$customs"
say "data 2: $customs, $(wc -c < "$customs") bytes, $records records (bench/gen-customs.awk SEED=7: Zipf-like repetition)"
cg_n=100000; [ $quick = 1 ] && cg_n=30000
# instr_per_record FILE ARGS...: callgrind's instructions a record of
# dts-aggregate ARGS on the first cg_n records of FILE (stable on a shared
# machine, where times are not).
instr_per_record() {
  local f=$1; shift
  command -v valgrind >/dev/null || { echo "-"; return; }
  head -n $((cg_n + 1)) "$f" > "$scratch/cg-in.csv"
  head -n 2 "$f" > "$scratch/cg-one.csv"
  valgrind --tool=callgrind --callgrind-out-file="$scratch/cg.out" "$aggregate" "$@" \
    -o "$scratch/cg-cube.txt" "$scratch/cg-in.csv" >/dev/null 2>"$scratch/cg.log" || { echo "-"; return; }
  # less the input's SHA-256: valgrind offers no SHA extensions, so nettle
  # runs its generic code there (about 47 instructions a byte; with sha_ni
  # the digest is a few per cent of a run)
  cg_count() { # FILE -> instructions outside nettle's SHA-256 compression
    local t s
    t=$(sed -n 's/^summary: //p' "$1")
    s=$(callgrind_annotate "$1" 2>/dev/null | awk '/_nettle_sha256_compress/ { gsub(",", "", $1); n += $1 } END { print n + 0 }')
    echo $((t - s))
  }
  local all none
  all=$(cg_count "$scratch/cg.out")
  valgrind --tool=callgrind --callgrind-out-file="$scratch/cg0.out" "$aggregate" "$@" \
    -o "$scratch/cg-cube.txt" "$scratch/cg-one.csv" >/dev/null 2>&1
  none=$(cg_count "$scratch/cg0.out")
  awk -v a="$all" -v z="${none:-0}" -v n="$cg_n" 'BEGIN { printf "%.0f\n", (a - z) / (n - 1) }'
}
declare -A vs
vs_rows=()
for set in gen customs; do
  f=$data; label="dts-gen"
  [ $set = customs ] && f=$customs && label="gen-customs"
  head -n 2 "$f" > "$scratch/one-$set.csv"
  startup=""
  if [ -x "$aggregate" ]; then
    startup=$(best3 "$aggcmd -o '$scratch/cube0.txt' '$scratch/one-$set.csv'") || startup=""
    for j in 1 2; do
      t=$(best3 "$aggcmd -j $j -o '$scratch/cube.txt' '$f'") || t=""
      [ -n "$t" ] || note "dts-aggregate -j$j on $label failed"
      vs["$set,agg$j"]=$t
    done
    vs["$set,ipr"]=$(instr_per_record "$f" --by period:month,category:top --rates "$rates")
  fi
  if [ $duck_ok = 1 ]; then
    for j in 1 2; do
      t=$(best3 "node '$duck/duckdb.mjs' '$f' '$rates' $j") || t=""
      vs["$set,duck$j"]=$t
      q=""
      for i in 1 2 3; do
        ms=$(cd "$duck" && node duckdb.mjs "$f" "$rates" $j | sed -n 's/^query_ms=\([0-9.]*\).*/\1/p')
        [ -n "$ms" ] && { [ -z "$q" ] || awk -v a="$ms" -v b="$q" 'BEGIN { exit !(a < b) }'; } && q=$ms
      done
      vs["$set,duckq$j"]=$(awk -v m="$q" 'BEGIN { if (m != "") printf "%.4f\n", m / 1000 }')
    done
  fi
  vs["$set,startup"]=$startup
  vs_rows+=("$set:$label")
done
{
  echo ""
  echo "== dts-aggregate vs DuckDB, the same grouped result ($records records; best of 3) =="
  printf "%-12s %-22s %10s %10s %9s %10s %11s\n" "data" "program" "with s-up" "without" "MB/s" "vs duck1" "instr/rec"
  for row in "${vs_rows[@]}"; do
    set=${row%%:*}; label=${row#*:}
    f=$data; [ $set = customs ] && f=$customs
    b=$(wc -c < "$f")
    for p in duck1 duck2 agg1 agg2; do
      case $p in
        duck1) name="DuckDB 1 thread"; w=${vs["$set,duck1"]:-}; wo=${vs["$set,duckq1"]:-}; ipr="-" ;;
        duck2) name="DuckDB 2 threads"; w=${vs["$set,duck2"]:-}; wo=${vs["$set,duckq2"]:-}; ipr="-" ;;
        agg1) name="dts-aggregate -j1"; w=${vs["$set,agg1"]:-}; ipr=${vs["$set,ipr"]:-"-"}
              wo=$(awk -v a="$w" -v s="${vs["$set,startup"]:-}" 'BEGIN { if (a != "" && s != "") printf "%.4f", a - s }') ;;
        agg2) name="dts-aggregate -j2"; w=${vs["$set,agg2"]:-}; ipr="-"
              wo=$(awk -v a="$w" -v s="${vs["$set,startup"]:-}" 'BEGIN { if (a != "" && s != "") printf "%.4f", a - s }') ;;
      esac
      awk -v d="$label" -v n="$name" -v w="$w" -v wo="$wo" -v b="$b" -v ipr="$ipr" \
          -v dk="${vs["$set,duck1"]:-}" 'BEGIN {
        if (w == "") { printf "%-12s %-22s %10s\n", d, n, "FAILED/skipped"; exit }
        printf "%-12s %-22s %10.3f %10s %9.1f %10s %11s\n", d, n, w, wo == "" ? "-" : sprintf("%.3f", wo),
          b / w / 1e6, dk == "" ? "-" : sprintf("%.2f", dk / w), ipr }'
    done
  done
  echo "(seconds; MB/s and vs duck1 with start-up; vs duck1 = DuckDB 1 thread's time / this"
  echo " time, above 1 is faster; instr/rec: callgrind, dts-aggregate -j1 on $cg_n records less"
  echo " its run on one record, and less the input's SHA-256; DuckDB under node is not measured)"
  for row in "${vs_rows[@]}"; do
    set=${row%%:*}; label=${row#*:}
    echo "$label: dts-aggregate -j2 vs -j1: $(awk -v a="${vs["$set,agg1"]:-}" -v b="${vs["$set,agg2"]:-}" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.2fx", a / b }') (aim >= 1.8x)"
  done
} > "$scratch/vs-duckdb.txt"
tee -a "$out" < "$scratch/vs-duckdb.txt"
if [ $docs = 1 ]; then
  # between the markers of docs/performance.md, indented as a code block
  awk -v tbl="$scratch/vs-duckdb.txt" -v m="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(date -u +%Y-%m-%d), commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')" '
    /<!-- bench:vs-duckdb:begin -->/ { print; print ""; print "    machine: " m
      while ((getline l < tbl) > 0) if (l != "") print "    " l; print ""; skip = 1; next }
    /<!-- bench:vs-duckdb:end -->/ { skip = 0 }
    !skip { print }' "$src/docs/performance.md" > "$scratch/performance.md" &&
    cp "$scratch/performance.md" "$src/docs/performance.md" && say "docs/performance.md: table written"
fi

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

# ---- the literal prefilter: Aho-Corasick against Vectorscan -------------------------------
say ""
say "== prefilter: bench/prefilter, the same literals and texts, 200k records in memory, best of 5 =="
if "$build/bench/prefilter" "$DTS_CLASSIFIER" "$data" 200000 > "$scratch/prefilter.txt" 2> "$scratch/prefilter.err"; then
  awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
         printf "%-12s %-11s %7d %8d %10.1f %11.1f %9.3f\n", v["field"], v["matcher"], v["states"],
           v["patterns"], v["bytes_per_text"], v["ns_per_text"], v["hits_per_text"] }' "$scratch/prefilter.txt" |
    { printf "%-12s %-11s %7s %8s %10s %11s %9s\n" field matcher states patterns bytes/text ns/text hits/text; cat; } | tee -a "$out"
  grep -q matcher=vectorscan "$scratch/prefilter.txt" ||
    note "bench/prefilter was built without Vectorscan (libvectorscan-dev): aho only"
else
  note "bench/prefilter failed: $(tail -1 "$scratch/prefilter.err")"
fi

# ---- threads -------------------------------------------------------------------------
say ""
say "== threads: 1 vs 2 =="
ratio() { awk -v a="${secs[$1]:-}" -v b="${secs[$2]:-}" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%.2fx", a / b }'; }
say "dts-classify -j2 vs -j1:           $(ratio "dts-classify -j1" "dts-classify -j2") (aim >= 1.7x)"
say "dts-aggregate -j2 vs -j1:          $(ratio "dts-aggregate (classify+aggregate)" "dts-aggregate -j2") (aim >= 1.8x)"
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
        classify) [ -x "$classify" ] || continue; cmd=("$classify" -j 2 -o "$scratch/classified.csv" "$f") ;;
        aggregate) [ -x "$aggregate" ] || continue
          cmd=("$aggregate" --by period:month,category:top --rates "$rates" -o "$scratch/cube.txt" "$f") ;;
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
