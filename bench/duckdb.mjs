// duckdb.mjs — the query an analyst would run in DuckDB instead of
// dts-aggregate: the same CASE as bench/classify.awk (trade modes, EBOPS
// prefixes, 16 keywords with regexp_matches) and GROUP BY month, category,
// with the records, the converted value and the distinct enterprises of
// each group, as dts-aggregate --by period:month,category:top gives them.
// usage: node duckdb.mjs DATA.csv RATES.csv THREADS
// Prints "query_ms=N total_ms=N groups=N": the query alone, and from
// before the database is created (node's own start-up is not in either;
// bench/run.sh times the whole process for that).
import { DuckDBInstance } from '@duckdb/node-api';

const [data, rates, threads] = process.argv.slice(2);
const t00 = process.hrtime.bigint();
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads || 1) });
const con = await inst.connect();
const q = (s) => s.replaceAll("'", "''");
const sql = `
WITH r AS (
  SELECT * FROM read_csv('${q(rates)}', header = true,
    columns = {'period': 'VARCHAR', 'currency': 'VARCHAR', 'rate': 'DECIMAL(18,4)'})
  UNION ALL SELECT '2024', 'CNY', 1 UNION ALL SELECT '2025', 'CNY', 1
),
t AS (
  SELECT *,
    CASE
      WHEN trade_mode IN ('9610', '9710', '9810', '1210', '1239') THEN 'CBEC'
      WHEN trade_mode IS NOT NULL AND trade_mode <> '' THEN 'NONE'
      WHEN regexp_matches(coalesce(delivery, ''), 'physical|offline') THEN 'NONE'
      WHEN regexp_matches(description, '大模型|人工智能|云服务|cloud|软件|software|SaaS') THEN 'TECH'
      WHEN regexp_matches(description, '数据集|data') THEN 'DATA'
      WHEN regexp_matches(description, '游戏|game|广告|marketing') THEN 'PROD'
      WHEN regexp_matches(description, '在线课程|online course|consult') THEN 'SERV'
      WHEN ebops_code LIKE 'SI%' THEN 'TECH'
      WHEN regexp_matches(coalesce(ebops_code, ''), '^S[FGHJK]') THEN 'SERV'
      ELSE 'NONE'
    END AS cat,
    CASE WHEN length(period) = 6 THEN substr(period, 1, 4) || '-' || substr(period, 5, 2)
         ELSE substr(period, 1, 7) END AS month
  FROM read_csv('${q(data)}', header = true, all_varchar = true)
)
SELECT month, cat, count(*) AS records,
       sum(CAST(value AS DECIMAL(18,2)) * r.rate) AS value,
       count(DISTINCT nullif(enterprise_id, '')) AS enterprises
FROM t JOIN r ON r.period = substr(t.period, 1, 4) AND r.currency = t.currency
GROUP BY month, cat ORDER BY month, cat`;
const t0 = process.hrtime.bigint();
const res = await con.runAndReadAll(sql);
const t1 = process.hrtime.bigint();
const ms = Number(t1 - t0) / 1e6, total = Number(t1 - t00) / 1e6;
if (process.env.DUCKDB_PRINT) for (const row of res.getRows()) console.log(row.join(','));
console.log(`query_ms=${ms.toFixed(1)} total_ms=${total.toFixed(1)} groups=${res.getRows().length}`);
