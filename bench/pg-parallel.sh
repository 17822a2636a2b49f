#!/usr/bin/env bash
# Classify and aggregate N generated records (default 1,000,000) in
# PostgreSQL 15 with the dts extension, serially and with 2 parallel
# workers (Finalize Aggregate <- Gather <- Partial Aggregate); prints both
# times (the fastest of three runs each, DTS_PG_BENCH_RUNS), the ratio, and whether the two
# cubes are the same bytes
# (docs/scale.md); first the parallel plan of the cube with EXPLAIN
# (ANALYZE, VERBOSE) times: each worker's Partial Aggregate, and the
# Finalize Aggregate whose end less the last worker's is the leader's share
# (reading and combining the workers' binary states, writing the text
# partial). A benchmark, not a test: run it on a quiet machine.
#
#   bash bench/pg-parallel.sh BUILD [N [DIMS]]
#
# DIMS: the cube's --by (default period:month,flow,category:top, the
# monthly table).
#
# The extension must be installed (bash tests/pg/run.sh BUILD build). As
# root, the server runs as user postgres.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench/pg-parallel.sh BUILD [N]}" && pwd)
n=${2:-1000000}
runs=${DTS_PG_BENCH_RUNS:-3}   # runs of each plan; the fastest is kept
dims=${3:-period:month,flow,category:top}
bin=$(pg_config --bindir)
work=$(mktemp -d /tmp/dts-pgbench.XXXXXX)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
port=$((20000 + $$ % 20000))
trap '"${as_pg[@]}" "$bin/pg_ctl" -D "$work/db" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"${as_pg[@]}" "$bin/initdb" -N -D "$work/db" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
cat >>"$work/db/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$work'
dts.classifier_path = '$src/classifiers'
dts.id_key_file = '$src/tests/pg/data/id.key'
shared_buffers = 512MB
max_worker_processes = 8
max_parallel_workers = 4
fsync = off
CONF
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/db" -l "$work/db.log" -w start >/dev/null
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -h "$work" -p "$port" -U postgres -d postgres "$@"; }

"$build/tools/dts-gen" -s 11 -n "$n" -o "$work/records.csv"
chmod 644 "$work/records.csv"
cols=$(head -1 "$work/records.csv")
sql <<SQL
CREATE EXTENSION dts;
CREATE TABLE trade ($(echo "$cols" | sed 's/,/ text, /g') text);
COPY trade FROM '$work/records.csv' WITH (FORMAT csv, HEADER);
VACUUM ANALYZE trade;
ALTER TABLE trade SET (parallel_workers = 2);
SQL
q="SELECT md5(dts_cube(t, '$dims', 'cn-digital-trade@2025.1', 'CNY', :'rates')) FROM trade t"
rates=$(cat "$src/bench/rates.csv")
# The same with a plain aggregate: classify every row, count per category
# (partial states of a few bytes: what the scan and classification alone give).
qc="SELECT md5(string_agg(c || ':' || n, ',' ORDER BY c)) FROM (SELECT dts_classify('cn-digital-trade@2025.1', t) AS c, count(*) AS n FROM trade t GROUP BY 1) s"
run() { # WORKERS [QUERY] -> "ms md5"
  local query=${2:-$q}
  sql -v rates="$rates" <<SQL
SET max_parallel_workers_per_gather = $1;
-- 2 workers do the scan; the leader gathers and merges (on 2 cores,
-- a third scanning process would only take turns with them)
SET parallel_leader_participation = off;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
\\timing on
$query;
SQL
}
best() { # WORKERS [QUERY]: the fastest of $runs runs (other jobs' bursts only add)
  local i out=""
  for ((i = 0; i < runs; i++)); do out+=$(run "$@")$'\n'; done
  printf '%s' "$out" | awk '/^Time:/ { t = $2; if (min == "" || t < min) min = t } !/^Time:/ { h = $0 } END { print min, h }'
}
# The parallel plan with its times: each worker's Partial Aggregate (its
# scan, its rows through libdts and its serial form) and the Finalize
# Aggregate above them (the leader: reading and combining the workers'
# states, then writing the text partial).
sql -v rates="$rates" -c "SET max_parallel_workers_per_gather = 2" -c "SET parallel_setup_cost = 0" \
  -c "SET parallel_leader_participation = off" \
  -c "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) SELECT dts_cube(t, '$dims', 'cn-digital-trade@2025.1', 'CNY', '$rates') FROM trade t" |
  grep -E 'Aggregate|Gather|Worker [0-9]|Execution' | sed 's/^/plan: /'
read -r s_ms s_md5 <<<"$(best 0)"
read -r p_ms p_md5 <<<"$(best 2)"
read -r cs_ms cs_md5 <<<"$(best 0 "$qc")"
read -r cp_ms cp_md5 <<<"$(best 2 "$qc")"
# The same cube from the CLI, one process, for the per-record cost outside PostgreSQL.
t0=$(date +%s%N)
"$build/tools/dts-aggregate" -r "$src/classifiers/cn-digital-trade.xml" --by "$dims" \
  --rates "$src/bench/rates.csv" --id-key "$src/tests/pg/data/id.key" --partial -o "$work/cli.partial" \
  "$work/records.csv" 2>/dev/null || [ $? -eq 1 ]
cli_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "records: $n  cube: $dims  partial: $(wc -c <"$work/cli.partial") bytes"
echo "dts-aggregate --partial: ${cli_ms} ms"
echo "serial:    ${s_ms} ms  cube md5 $s_md5"
echo "2 workers: ${p_ms} ms  cube md5 $p_md5"
awk -v s="$s_ms" -v p="$p_ms" 'BEGIN { printf "ratio serial/parallel: %.2f\n", s / p }'
[ "$s_md5" = "$p_md5" ] && echo "same cube: yes" || { echo "same cube: NO"; exit 1; }
echo "classify + count(*) per category:"
echo "  serial:    ${cs_ms} ms  md5 $cs_md5"
echo "  2 workers: ${cp_ms} ms  md5 $cp_md5"
awk -v s="$cs_ms" -v p="$cp_ms" 'BEGIN { printf "  ratio serial/parallel: %.2f\n", s / p }'
[ "$cs_md5" = "$cp_md5" ] && echo "  same counts: yes" || { echo "  same counts: NO"; exit 1; }
