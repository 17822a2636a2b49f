-- dts 0.1: libdts in PostgreSQL (docs/postgresql.md)
\echo Use "CREATE EXTENSION dts" to load this file. \quit

CREATE FUNCTION dts_version() RETURNS text
AS 'MODULE_PATHNAME', 'dtspg_version' LANGUAGE C IMMUTABLE PARALLEL SAFE STRICT;

-- Classification of one row (columns bound by name, as a CSV header).
-- The classifier is pinned by its version ('cn-digital-trade@2025.1'):
-- compiled once per backend from dts.classifier_path.
CREATE FUNCTION dts_classify(classifier text, rec anyelement) RETURNS text
AS 'MODULE_PATHNAME', 'dtspg_classify' LANGUAGE C IMMUTABLE PARALLEL SAFE STRICT;

CREATE TYPE dts_result AS (
  category text, rule text, base text,
  ordered boolean, delivered boolean, platform boolean,
  review text, reject text);

CREATE FUNCTION dts_classify_result(classifier text, rec anyelement) RETURNS dts_result
AS 'MODULE_PATHNAME', 'dtspg_classify_result' LANGUAGE C IMMUTABLE PARALLEL SAFE STRICT;

-- The cube aggregate: raw rows through libdts's data path; the state is
-- a libdts aggregation; the serial form is the canonical partial text.
CREATE FUNCTION dts_cube_row_sfunc(internal, anyelement, text, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dtspg_cube_row_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION dts_cube_row_sfunc(internal, anyelement, text, text, text, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dtspg_cube_row_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION dts_cube_cols_sfunc(internal, text[], text[], text, text, text, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dtspg_cube_cols_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION dts_merge_sfunc(internal, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dtspg_merge_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION dts_cube_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'dtspg_cube_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION dts_cube_serial(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'dtspg_cube_serial' LANGUAGE C PARALLEL SAFE STRICT;
CREATE FUNCTION dts_cube_deserial(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'dtspg_cube_deserial' LANGUAGE C PARALLEL SAFE STRICT;
CREATE FUNCTION dts_cube_final(internal)
RETURNS text AS 'MODULE_PATHNAME', 'dtspg_cube_final' LANGUAGE C PARALLEL SAFE;

-- dts_cube(row, by, classifier): reporting currency CNY, no rates.
CREATE AGGREGATE dts_cube(anyelement, text, text) (
  SFUNC = dts_cube_row_sfunc, STYPE = internal,
  COMBINEFUNC = dts_cube_combine, SERIALFUNC = dts_cube_serial,
  DESERIALFUNC = dts_cube_deserial, FINALFUNC = dts_cube_final,
  FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);

-- dts_cube(row, by, classifier, currency, rates CSV text).
CREATE AGGREGATE dts_cube(anyelement, text, text, text, text) (
  SFUNC = dts_cube_row_sfunc, STYPE = internal,
  COMBINEFUNC = dts_cube_combine, SERIALFUNC = dts_cube_serial,
  DESERIALFUNC = dts_cube_deserial, FINALFUNC = dts_cube_final,
  FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);

-- dts_cube(names, values, by, classifier, currency, rates): the columns
-- spelt out, which postgres_fdw can ship to a shard.
CREATE AGGREGATE dts_cube(text[], text[], text, text, text, text) (
  SFUNC = dts_cube_cols_sfunc, STYPE = internal,
  COMBINEFUNC = dts_cube_combine, SERIALFUNC = dts_cube_serial,
  DESERIALFUNC = dts_cube_deserial, FINALFUNC = dts_cube_final,
  FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);

-- dts_merge(partial): cube partials (of shards, of dts-aggregate) into one.
CREATE AGGREGATE dts_merge(text) (
  SFUNC = dts_merge_sfunc, STYPE = internal,
  COMBINEFUNC = dts_cube_combine, SERIALFUNC = dts_cube_serial,
  DESERIALFUNC = dts_cube_deserial, FINALFUNC = dts_cube_final,
  FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE);

CREATE FUNCTION dts_cube_rows(partial text,
  OUT keys text[], OUT records bigint, OUT value numeric, OUT enterprises bigint)
RETURNS SETOF record AS 'MODULE_PATHNAME', 'dtspg_cube_rows'
LANGUAGE C IMMUTABLE PARALLEL SAFE STRICT ROWS 100;

CREATE FUNCTION dts_cube_dims(partial text) RETURNS text[]
AS 'MODULE_PATHNAME', 'dtspg_cube_dims' LANGUAGE C IMMUTABLE PARALLEL SAFE STRICT;

CREATE FUNCTION dts_partial_add_input(partial text, name text, digest text) RETURNS text
AS 'MODULE_PATHNAME', 'dtspg_partial_add_input' LANGUAGE C IMMUTABLE PARALLEL SAFE;
