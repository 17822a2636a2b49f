-- The SQL surface of the dts extension (docs/postgresql.md).
-- pg_regress sets PG_ABS_SRCDIR to pg/; the classifiers and test data
-- are in the tree beside it.
\getenv abs_srcdir PG_ABS_SRCDIR
\set cls :abs_srcdir '/../classifiers'
\set records :abs_srcdir '/../tests/pg/data/records.csv'
\set gbfile :abs_srcdir '/../tests/pg/data/customs-gb18030.csv'
\set rates `cat "$PG_ABS_SRCDIR/../bench/rates.csv"`
\set key :abs_srcdir '/../tests/pg/data/id.key'
CREATE EXTENSION dts;
SELECT dts_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+$' AS version_ok;
SET dts.classifier_path = :'cls';
-- Partials that stay here may hold enterprise ids in clear (tested below).
SET dts.ids_in_clear = on;

-- Classification of rows: columns bound by name.
CREATE TABLE t (id text, flow text, period text, description text,
                hs_code text, value text, currency text, enterprise_id text);
INSERT INTO t VALUES
  ('1', 'X', '2025-01-03', '云服务 订阅', '', '100.50', 'CNY', 'E1'),
  ('2', 'M', '2025-02-01', '电动牙刷', '8509', '20', 'CNY', 'E2'),
  ('3', 'X', '2025-01-09', '游戏 点卡', '', '7', 'CNY', 'E1'),
  ('4', 'X', '2025-13-01', '游戏 点卡', '', '7', 'CNY', 'E3');
SELECT id, dts_classify('cn-digital-trade@2025.1', t) FROM t ORDER BY id;
SELECT id, (dts_classify_result('cn-digital-trade@2025.1', t)).* FROM t ORDER BY id;

-- The classifier is pinned by its version; ids are id@version. (try()
-- shows the message with the directory as DIR.)
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ' ' || replace(SQLERRM, current_setting('dts.classifier_path'), 'DIR');
END $$;
SELECT try($$SELECT dts_classify('cn-digital-trade@1999.1', t) FROM t$$);
SELECT try($$SELECT dts_classify('cn-digital-trade', t) FROM t$$);
SELECT try($$SELECT dts_classify('no-such-classifier@1', t) FROM t$$);
SELECT dts_classify('cn-digital-trade@2025.1', 'not a row'::text);
SELECT provolatile, proparallel FROM pg_proc WHERE proname = 'dts_classify';

-- The cube: the partial text, its rows with exact numeric values.
SELECT dts_cube(t, 'period:month,flow,category:top', 'cn-digital-trade@2025.1') FROM t;
SELECT r.* FROM (SELECT dts_cube(t, 'period:month,flow,category:top',
                                 'cn-digital-trade@2025.1') AS c FROM t) s,
                dts_cube_rows(c) r;
SELECT dts_cube(t, 'period:month,nonsense', 'cn-digital-trade@2025.1') FROM t;
SELECT dts_cube(t, 'flow', 'cn-digital-trade@2025.1') FROM t WHERE false;
-- NULL rows and partials count nothing.
SELECT dts_cube(x, 'flow', 'cn-digital-trade@2025.1') IS NULL AS null_rows
FROM (SELECT NULL::t AS x FROM generate_series(1, 3)) s;
SELECT dts_merge(p) IS NULL AS null_partials FROM (VALUES (NULL::text), (NULL)) v(p);
SELECT count(*) AS cells_after_a_null FROM dts_cube_rows((SELECT dts_merge(p)
  FROM (VALUES (NULL::text), ((SELECT dts_cube(t, 'flow', 'cn-digital-trade@2025.1') FROM t))) v(p)));

-- Grouped: one partial per flow, merged again equals the one cube.
CREATE TABLE parts AS
  SELECT flow, dts_cube(t, 'period:year,category:top', 'cn-digital-trade@2025.1') AS c
  FROM t GROUP BY flow;
SELECT (SELECT dts_merge(c) FROM parts) =
       (SELECT dts_cube(t, 'period:year,category:top', 'cn-digital-trade@2025.1') FROM t)
       AS merge_equals_one_run;
SELECT dts_cube_dims(c) FROM parts LIMIT 1;
SELECT dts_merge(x) FROM (VALUES ('dts-cube-partial 3' || chr(10) || 'junk')) v(x);

-- The columns spelt out (what postgres_fdw ships) give the same cube.
SELECT (SELECT dts_cube(ARRAY['id','flow','period','description','hs_code','value','currency','enterprise_id'],
                        ARRAY[id, flow, period, description, hs_code, value, currency, enterprise_id],
                        'period:month,flow,category:top', 'cn-digital-trade@2025.1', 'CNY', NULL) FROM t) =
       (SELECT dts_cube(t, 'period:month,flow,category:top', 'cn-digital-trade@2025.1') FROM t)
       AS cols_equal_row;

-- Inputs are recorded as dts-aggregate records a file it read.
SELECT dts_partial_add_input(c, 'records.csv', NULL) ~ E'\ninput\t\trecords.csv\n' AS input_listed
FROM parts LIMIT 1;

-- Records in several currencies, converted with exact rates.
CREATE TABLE rec (id text, source text, flow text, period text, hs_code text,
  ebops_code text, trade_mode text, description text, counterpart text,
  region text, enterprise_id text, channel text, delivery text, value text,
  currency text);
COPY rec FROM :'records' WITH (FORMAT csv, HEADER);
SELECT (r).keys, (r).records, (r).value, (r).enterprises FROM (
  SELECT dts_cube_rows(dts_cube(rec, 'flow,category:top', 'cn-digital-trade@2025.1', 'CNY', :'rates')) AS r
  FROM rec) s;
SELECT dts_cube(rec, 'flow', 'cn-digital-trade@2025.1', 'CNY', 'period,currency,rate' || chr(10) || '2025,CNY,1') FROM rec;

-- Parallel plan: partial aggregation in workers, same result.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
ALTER TABLE rec SET (parallel_workers = 2);
EXPLAIN (COSTS OFF)
  SELECT dts_cube(rec, 'flow,category:top', 'cn-digital-trade@2025.1', 'CNY', :'rates') FROM rec;
CREATE TABLE par AS
  SELECT dts_cube(rec, 'period:month,flow,category:leaf', 'cn-digital-trade@2025.1', 'CNY', :'rates') AS c FROM rec;
-- Workers only, the leader gathering: every row reaches the leader in a
-- worker's state, sent in the binary serial form.
SET parallel_leader_participation = off;
CREATE TABLE par2 AS
  SELECT dts_cube(rec, 'period:month,flow,category:leaf', 'cn-digital-trade@2025.1', 'CNY', :'rates') AS c FROM rec;
SELECT p2.c = p.c AS workers_only_equals_serial FROM par2 p2, par p;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT c = (SELECT dts_cube(rec, 'period:month,flow,category:leaf', 'cn-digital-trade@2025.1', 'CNY', :'rates') FROM rec)
       AS parallel_equals_serial FROM par;
RESET max_parallel_workers_per_gather;

-- COPY from a GB18030 customs file: converted to the database's UTF-8.
CREATE TABLE customs (LIKE rec);
COPY customs FROM :'gbfile' WITH (FORMAT csv, HEADER, ENCODING 'GB18030');
SELECT count(*), count(*) FILTER (WHERE description ~ '型号') AS chinese FROM customs;
SELECT dts_classify('cn-digital-trade@2025.1', c) AS category, count(*)
FROM customs c GROUP BY 1 ORDER BY 1;

-- Enterprise ids: in clear only when allowed; else keyed hashes
-- (dts.id_key_file, as dts-aggregate --id-key), with the same counts.
RESET dts.ids_in_clear;
SELECT try($$SELECT dts_cube(rec, 'flow', 'cn-digital-trade@2025.1', 'CNY', current_setting('my.rates')) FROM rec$$)
FROM set_config('my.rates', :'rates', false);
SELECT dts_cube(t, 'flow', 'cn-digital-trade@2025.1') IS NULL AS empty_ok FROM t WHERE false;
SET dts.id_key_file = :'key';
SELECT substring(c from E'ids\t[^\n]*') AS ids_line, c ~ 'ent\tE1' AS clear_id
FROM (SELECT dts_cube(t, 'flow', 'cn-digital-trade@2025.1') AS c FROM t) s;
CREATE TABLE keyed AS SELECT (dts_cube_rows(dts_cube(rec, 'flow,category:top', 'cn-digital-trade@2025.1', 'CNY', :'rates'))).* FROM rec;
SET dts.ids_in_clear = on;
RESET dts.id_key_file;
SELECT count(*) AS same_cells FROM keyed k JOIN (
  SELECT (dts_cube_rows(dts_cube(rec, 'flow,category:top', 'cn-digital-trade@2025.1', 'CNY', :'rates'))).* FROM rec) c
  USING (keys, records, value, enterprises);
SELECT count(*) AS cells FROM keyed;

-- An error inside the aggregate leaves nothing behind: the next runs work.
SELECT dts_cube(rec, 'flow', 'cn-digital-trade@2025.1', 'CNY', 'bad rates') FROM rec;
SELECT count(*) FROM dts_cube_rows((SELECT dts_cube(rec, 'flow', 'cn-digital-trade@2025.1', 'CNY', :'rates') FROM rec));
