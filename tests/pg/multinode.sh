#!/usr/bin/env bash
# Three PostgreSQL 15 clusters on loopback ports (a coordinator and two
# shards, pg_ctl in a temporary directory): generated records split
# across the shards and aggregated (1) through postgres_fdw (a table
# partitioned by shard, its partitions foreign tables, async_capable,
# ANALYZE first, enable_partitionwise_aggregate: each shard builds its
# partial) and (2) through PL/Proxy (RUN ON ALL); both merged cubes must
# equal `dts-aggregate --id-key K --partial` over the whole file byte for
# byte (every node has dts.id_key_file = K: no partial holds an id in clear).
# EXPLAIN must show the aggregate on the shards and partial aggregation in
# parallel workers on a shard; the GB18030 customs file copied into a
# shard must give dts-aggregate's cube too. Every server is stopped at the
# end, also on failure.
#
#   bash tests/pg/multinode.sh BUILD [RECORDS]   (default 20000 records)
#
# The extension must be installed (tests/pg/run.sh BUILD build). As root,
# the servers run as user postgres (PostgreSQL refuses root).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: multinode.sh BUILD [RECORDS]}" && pwd)
nrec=${2:-20000}
bin=$(pg_config --bindir)
cls=cn-digital-trade@2025.1
by=period:month,flow,category:top

work=$(mktemp -d /tmp/dts-pg.XXXXXX)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$work"
  as_pg=(runuser -u postgres --)
fi
base=$((20000 + $$ % 20000))
ports=("$base" $((base + 1)) $((base + 2)))   # coordinator, shard 0, shard 1
names=(coord shard0 shard1)

stop_all() {
  for n in "${names[@]}"; do
    [ -f "$work/$n/postmaster.pid" ] &&
      "${as_pg[@]}" "$bin/pg_ctl" -D "$work/$n" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap stop_all EXIT

# psql ends a value with a newline; a partial ends with its own.
chop() { truncate -s -1 "$1"; }
fail() { echo "multinode: FAIL: $*" >&2; exit 1; }
sql() { # NODE-INDEX SQL...: psql on that node, tuples only
  local i=$1; shift
  psql -X -q -v ON_ERROR_STOP=1 -At -h "$work" -p "${ports[$i]}" -U postgres -d postgres "$@"
}

# Enterprise ids leave each node only as keyed hashes: one key for all.
cp "$src/tests/pg/data/id.key" "$work/id.key"
chmod 644 "$work/id.key"
for i in 0 1 2; do
  n=${names[$i]}
  "${as_pg[@]}" "$bin/initdb" -N -D "$work/$n" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  cat >>"$work/$n/postgresql.conf" <<CONF
port = ${ports[$i]}
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
dts.classifier_path = '$src/classifiers'
dts.id_key_file = '$work/id.key'
max_worker_processes = 8
max_parallel_workers = 4
fsync = off
CONF
  "${as_pg[@]}" "$bin/pg_ctl" -D "$work/$n" -l "$work/$n.log" -w start >/dev/null ||
    { cat "$work/$n.log"; fail "$n did not start"; }
done

# The records, and the reference: dts-aggregate over the whole file.
"$build/tools/dts-gen" -s 17 -n "$nrec" -o "$work/records.csv"
cp "$src/tests/pg/data/customs-gb18030.csv" "$work/customs.csv"
chmod 644 "$work"/*.csv
rates="$src/bench/rates.csv"
aggregate() { # OUT INPUT [OPTION...]: exit 1 (some records rejected) is fine
  local out=$1 in=$2 rc=0; shift 2
  (cd "$work" && "$build/tools/dts-aggregate" -r "$src/classifiers/cn-digital-trade.xml" \
     --by "$by" --rates "$rates" --id-key id.key "$@" --partial -o "$out" "$in" 2>>agg.log) || rc=$?
  [ $rc -le 1 ] || { cat "$work/agg.log"; fail "dts-aggregate $in: exit $rc"; }
}
aggregate expected.partial records.csv
aggregate customs.partial customs.csv --encoding gb18030
digest=sha256:$(sha256sum "$work/records.csv" | cut -d' ' -f1)
gbdigest=sha256:$(sha256sum "$work/customs.csv" | cut -d' ' -f1)

header=$(head -1 "$work/records.csv")
IFS=, read -r -a cols <<<"$header"
coldefs=$(printf '%s text, ' "${cols[@]}"); coldefs=${coldefs%, }
collist=$(IFS=,; echo "${cols[*]}")
namearr="ARRAY[$(printf "'%s'," "${cols[@]}" | sed 's/,$//')]"
valarr="ARRAY[$collist]"

# Shards: the extension, every other record of the file (n % 2 = shard).
for s in 0 1; do
  sql $((s + 1)) <<SQL
CREATE EXTENSION dts;
CREATE TABLE staging (n bigserial, $coldefs);
COPY staging ($collist) FROM '$work/records.csv' WITH (FORMAT csv, HEADER);
CREATE TABLE trade (shard int, $coldefs);
INSERT INTO trade SELECT $s, $collist FROM staging WHERE n % 2 = $s;
DROP TABLE staging;
CREATE VIEW trade_rows AS SELECT $collist FROM trade;
ANALYZE trade;
CREATE FUNCTION dts_shard_cube(by text, cls text, cur text, rates text) RETURNS text
LANGUAGE sql PARALLEL SAFE AS \$\$ SELECT dts_cube(r, by, cls, cur, rates) FROM trade_rows r \$\$;
SQL
done

# The coordinator: postgres_fdw partitions and a PL/Proxy cluster.
sql 0 <<SQL
CREATE EXTENSION dts;
CREATE EXTENSION postgres_fdw;
CREATE EXTENSION plproxy;
CREATE SERVER s0 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '${ports[1]}', dbname 'postgres', extensions 'dts',
           async_capable 'true', fetch_size '10000');
CREATE SERVER s1 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '${ports[2]}', dbname 'postgres', extensions 'dts',
           async_capable 'true', fetch_size '10000');
CREATE USER MAPPING FOR postgres SERVER s0 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER s1 OPTIONS (user 'postgres');
CREATE TABLE trade (shard int, $coldefs) PARTITION BY LIST (shard);
CREATE FOREIGN TABLE trade_s0 PARTITION OF trade FOR VALUES IN (0)
  SERVER s0 OPTIONS (table_name 'trade');
CREATE FOREIGN TABLE trade_s1 PARTITION OF trade FOR VALUES IN (1)
  SERVER s1 OPTIONS (table_name 'trade');
ANALYZE trade;
CREATE SERVER dts_shards FOREIGN DATA WRAPPER plproxy
  OPTIONS (p0 'host=127.0.0.1 port=${ports[1]} dbname=postgres',
           p1 'host=127.0.0.1 port=${ports[2]} dbname=postgres');
CREATE USER MAPPING FOR postgres SERVER dts_shards OPTIONS (user 'postgres');
CREATE FUNCTION dts_shard_cube(by text, cls text, cur text, rates text) RETURNS SETOF text
LANGUAGE plproxy AS \$\$ CLUSTER 'dts_shards'; RUN ON ALL; \$\$;
SQL

fdwq="SELECT dts_merge(c) FROM (SELECT shard, dts_cube($namearr, $valarr, '$by', '$cls', 'CNY', :'rates') AS c
      FROM trade GROUP BY shard) s"
sql 0 -v rates="$(cat "$rates")" >"$work/fdw.plan" 2>&1 \
  <<<"SET enable_partitionwise_aggregate = on; EXPLAIN (VERBOSE, COSTS OFF) $fdwq;" ||
  { cat "$work/fdw.plan"; fail "EXPLAIN through postgres_fdw"; }
grep -q 'Async Foreign Scan' "$work/fdw.plan" &&
  [ "$(grep -c 'Relations: Aggregate on' "$work/fdw.plan")" -eq 2 ] &&
  grep -q 'Remote SQL: SELECT shard, public.dts_cube(' "$work/fdw.plan" ||
  { cat "$work/fdw.plan"; fail "postgres_fdw did not push the cube aggregate to both shards (async)"; }
echo "multinode: postgres_fdw plan: the cube aggregate runs on each shard (Async Foreign Scan, Aggregate on trade_s0 and trade_s1)"

# postgres_fdw: merged on the coordinator, the input listed as dts-aggregate lists it.
sql 0 -v rates="$(cat "$rates")" -v digest="$digest" >"$work/fdw.partial" \
  <<<"SET enable_partitionwise_aggregate = on; SELECT dts_partial_add_input(($fdwq), 'records.csv', :'digest');"
chop "$work/fdw.partial"
cmp "$work/expected.partial" "$work/fdw.partial" ||
  { diff "$work/expected.partial" "$work/fdw.partial" | head -20; fail "postgres_fdw cube differs from dts-aggregate --partial"; }
echo "multinode: postgres_fdw cube = dts-aggregate --partial ($nrec records, $(wc -c <"$work/fdw.partial") bytes, md5 $(md5sum <"$work/fdw.partial" | cut -c1-12))"

# PL/Proxy: RUN ON ALL, merged on the coordinator.
sql 0 -v rates="$(cat "$rates")" -v digest="$digest" >"$work/plproxy.partial" \
  <<<"SELECT dts_partial_add_input(dts_merge(c), 'records.csv', :'digest')
      FROM dts_shard_cube('$by', '$cls', 'CNY', :'rates') c;"
chop "$work/plproxy.partial"
cmp "$work/expected.partial" "$work/plproxy.partial" ||
  { diff "$work/expected.partial" "$work/plproxy.partial" | head -20; fail "PL/Proxy cube differs from dts-aggregate --partial"; }
echo "multinode: PL/Proxy RUN ON ALL cube = dts-aggregate --partial"

# A shard in parallel: partial aggregation in 2 workers, the same cube.
par="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
     SET max_parallel_workers_per_gather = 2; ALTER TABLE trade SET (parallel_workers = 2);"
sql 1 -v rates="$(cat "$rates")" >"$work/par.plan" \
  <<<"$par EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT dts_cube(r, '$by', '$cls', 'CNY', :'rates') FROM trade_rows r;"
grep -q 'Finalize Aggregate' "$work/par.plan" && grep -q 'Partial Aggregate' "$work/par.plan" &&
  grep -q 'Workers Launched: 2' "$work/par.plan" ||
  { cat "$work/par.plan"; fail "no partial aggregation in 2 parallel workers on the shard"; }
# The query itself, as EXPLAINed (inside a function its plan would not be parallel).
parq="SELECT dts_cube(r, '$by', '$cls', 'CNY', :'rates') FROM trade_rows r"
sql 1 -v rates="$(cat "$rates")" >"$work/par.partial" <<<"$par $parq;"
sql 1 -v rates="$(cat "$rates")" >"$work/serial.partial" \
  <<<"SET max_parallel_workers_per_gather = 0; $parq;"
chop "$work/par.partial"
chop "$work/serial.partial"
cmp "$work/par.partial" "$work/serial.partial" || fail "the parallel cube differs from the serial one"
echo "multinode: shard 0 with 2 parallel workers (Finalize Aggregate, Gather, Partial Aggregate) = serial cube"

# COPY from the GB18030 customs file: the cube dts-aggregate --encoding gb18030 gives.
sql 1 -v rates="$(cat "$rates")" -v digest="$gbdigest" >"$work/gb.partial" <<SQL
CREATE TABLE customs ($coldefs);
COPY customs FROM '$work/customs.csv' WITH (FORMAT csv, HEADER, ENCODING 'GB18030');
SELECT dts_partial_add_input(dts_cube(c, '$by', '$cls', 'CNY', :'rates'), 'customs.csv', :'digest') FROM customs c;
SQL
chop "$work/gb.partial"
cmp "$work/customs.partial" "$work/gb.partial" ||
  { diff "$work/customs.partial" "$work/gb.partial" | head; fail "GB18030 COPY cube differs from dts-aggregate"; }
echo "multinode: COPY ... ENCODING 'GB18030' cube = dts-aggregate --encoding gb18030 --partial"
echo "multinode: all passed"
