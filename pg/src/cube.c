/*
 * cube.c — the cube aggregates: dts_cube over rows, dts_merge over
 * partials, their combine / serial / deserial functions, and the cube as
 * rows (dts_cube_rows).
 *
 * The state owns a libdts aggregation (dts_agg): rows pass the library's
 * one data path (record checks, classification, keys, currency
 * conversion: dts_agg_add_source) in batches of CSV text with the row
 * type's column names as header, so a table loaded from a file gives the
 * cube dts-aggregate gives for that file. The serial form is the
 * canonical partial text (docs/statistics.md): a parallel worker's, a
 * shard's and the CLI's partials are interchangeable.
 */
#include "dts_pg.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

/* Rows are handed to libdts when this many bytes of CSV are pending. */
#define FLUSH_BYTES (4u << 20)

typedef struct cubestate {
	dts_agg *agg;            /* rows and merges go here ... */
	dts_cube *cube;          /* ... or a deserialised partial, kept as parsed
				    until a combine merges it (agg NULL then) */
	dts_rates *rates;        /* owned; the aggregation borrows them */
	StringInfoData pend;     /* the header line, then pending rows */
	int hdrlen;              /* bytes of the header line; 0: no rows yet */
	int ncols;
} cubestate;

static void state_free(void *p)
{
	cubestate *s = p;

	dts_agg_free(s->agg);
	dts_cube_free(s->cube);
	dts_rates_free(s->rates);
	s->agg = NULL;
	s->cube = NULL;
	s->rates = NULL;
}

static cubestate *state_new(MemoryContext cxt)
{
	cubestate *s = MemoryContextAllocZero(cxt, sizeof(*s));
	MemoryContext old = MemoryContextSwitchTo(cxt);

	initStringInfo(&s->pend);
	MemoryContextSwitchTo(old);
	dtspg_guard_new(cxt, state_free, s);
	return s;
}

/* An empty state over the dimensions and currency of `cube`. */
static cubestate *state_like(MemoryContext cxt, const dts_cube *cube)
{
	cubestate *s = state_new(cxt);
	StringInfoData by;
	int rc;

	initStringInfo(&by);
	for (size_t i = 0; i < dts_cube_ndims(cube); i++)
		appendStringInfo(&by, "%s%s", i ? "," : "", dts_cube_dim(cube, i));
	if ((rc = dts_agg_new(&s->agg, by.data, dts_cube_currency(cube))) < 0)
		dtspg_raise(rc, "dts: the dimensions of a partial");
	pfree(by.data);
	return s;
}

static void cube_free(void *p) { dts_cube_free(p); }

/* Parse a partial; the cube is freed with CurrentMemoryContext unless the
 * caller releases the guard first. */
static dts_cube *read_partial(dtspg_guard **g, const char *data, size_t len)
{
	dts_cube *cube = NULL;
	int rc;

	if ((rc = dts_cube_read_partial(&cube, "partial", data, len)) < 0)
		dtspg_raise(rc, "dts: reading a cube partial");
	*g = dtspg_guard_new(CurrentMemoryContext, cube_free, cube);
	return cube;
}

static void merge(cubestate *s, const dts_cube *cube)
{
	int rc;

	if ((rc = dts_agg_merge(s->agg, cube)) < 0)
		dtspg_raise(rc, "dts: merging cube partials");
}

/* Hand the pending rows to libdts. */
static void flush(cubestate *s)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src = NULL;
	int rc;

	if (!s->hdrlen || s->pend.len == s->hdrlen)
		return;
	o.format = DTS_FORMAT_CSV;
	o.encoding = "utf-8";
	rc = dts_source_open_buffer(&src, s->pend.data, (size_t)s->pend.len, "rows", &o);
	if (rc == 0) {
		rc = dts_agg_add_source(s->agg, src, NULL, NULL);
		dts_source_free(src);
	}
	s->pend.len = s->hdrlen;
	s->pend.data[s->pend.len] = '\0';
	if (rc < 0)
		dtspg_raise(rc, "dts: aggregating rows");
}

/* The cube of a state: its aggregation's (pending rows flushed), or the
 * partial it was deserialised from. */
static const dts_cube *state_cube(cubestate *s)
{
	if (!s->agg)
		return s->cube;
	flush(s);
	return dts_agg_cube(s->agg);
}

static void csv_field(StringInfo b, const char *v, size_t n)
{
	int quote = 0;

	for (size_t i = 0; i < n && !quote; i++)
		quote = v[i] == ',' || v[i] == '"' || v[i] == '\n' || v[i] == '\r';
	if (!quote) {
		appendBinaryStringInfo(b, v, (int)n);
		return;
	}
	appendStringInfoChar(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '"')
			appendStringInfoChar(b, '"');
		appendStringInfoChar(b, v[i]);
	}
	appendStringInfoChar(b, '"');
}

static char *arg_text(FunctionCallInfo fcinfo, int i)
{
	return i < PG_NARGS() && !PG_ARGISNULL(i) ? text_to_cstring(PG_GETARG_TEXT_PP(i)) : NULL;
}

/* The first row: the aggregation (by, classifier, currency, rates in
 * arguments first..first+3) and the CSV header. */
static cubestate *state_start(MemoryContext cxt, const dtspg_row *row,
			      FunctionCallInfo fcinfo, int first)
{
	char *by = arg_text(fcinfo, first), *cls = arg_text(fcinfo, first + 1);
	char *cur = arg_text(fcinfo, first + 2), *rates = arg_text(fcinfo, first + 3);
	const dtspg_classifier_entry *e;
	cubestate *s;
	MemoryContext old;
	int rc;

	if (!by || !cls)
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("dts_cube: the dimensions and the classifier must not be NULL")));
	e = dtspg_classifier(cls);
	s = state_new(cxt);
	if ((rc = dts_agg_new(&s->agg, by, cur)) < 0)
		dtspg_raise(rc, "dts_cube");
	if (dtspg_id_key_file && dtspg_id_key_file[0] &&
	    (rc = dts_agg_load_id_key(s->agg, dtspg_id_key_file)) < 0)
		dtspg_raise(rc, "dts_cube: dts.id_key_file");
	if ((rc = dts_agg_set_rules(s->agg, e->rules)) < 0)
		dtspg_raise(rc, "dts_cube");
	if (rates) {
		if ((rc = dts_rates_parse(&s->rates, "rates", rates, strlen(rates))) < 0 ||
		    (rc = dts_rates_check_reporting(s->rates, cur ? cur : "CNY")) < 0 ||
		    (rc = dts_agg_set_rates(s->agg, s->rates)) < 0)
			dtspg_raise(rc, "dts_cube: the rates");
	}
	old = MemoryContextSwitchTo(cxt);
	for (int i = 0; i < row->ncols; i++) {
		if (i)
			appendStringInfoChar(&s->pend, ',');
		csv_field(&s->pend, row->names[i], strlen(row->names[i]));
	}
	appendStringInfoChar(&s->pend, '\n');
	MemoryContextSwitchTo(old);
	s->hdrlen = s->pend.len;
	s->ncols = row->ncols;
	return s;
}

static Datum add_row(FunctionCallInfo fcinfo, const dtspg_row *row, int first)
{
	MemoryContext aggcxt, old;
	cubestate *s;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("dts_cube called outside an aggregate")));
	s = PG_ARGISNULL(0) ? state_start(aggcxt, row, fcinfo, first)
			    : (cubestate *)PG_GETARG_POINTER(0);
	if (!s->hdrlen)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("dts_cube: rows and partials cannot be mixed in one aggregate")));
	if (row->ncols != s->ncols)
		ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
				errmsg("dts_cube: a row of %d columns after rows of %d",
				       row->ncols, s->ncols)));
	old = MemoryContextSwitchTo(aggcxt);
	for (int i = 0; i < row->ncols; i++) {
		if (i)
			appendStringInfoChar(&s->pend, ',');
		if (row->vals[i])
			csv_field(&s->pend, row->vals[i], row->lens[i]);
	}
	appendStringInfoChar(&s->pend, '\n');
	MemoryContextSwitchTo(old);
	if ((size_t)s->pend.len >= FLUSH_BYTES)
		flush(s);
	PG_RETURN_POINTER(s);
}

/* dts_cube(row, by, classifier [, currency, rates]) */
PG_FUNCTION_INFO_V1(dtspg_cube_row_sfunc);
Datum dtspg_cube_row_sfunc(PG_FUNCTION_ARGS)
{
	dtspg_row row;

	if (PG_ARGISNULL(1)) {   /* a NULL row counts nothing */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	dtspg_row_from_record(&row, fcinfo, 1);
	return add_row(fcinfo, &row, 2);
}

/* dts_cube(names text[], vals text[], by, classifier [, currency, rates]):
 * the same with the columns spelt out (what postgres_fdw can ship). */
PG_FUNCTION_INFO_V1(dtspg_cube_cols_sfunc);
Datum dtspg_cube_cols_sfunc(PG_FUNCTION_ARGS)
{
	Datum *nd, *vd;
	bool *nn, *vn;
	int nn_count, nv;
	dtspg_row row;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("dts_cube: the column names and values must not be NULL")));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT,
			  &nd, &nn, &nn_count);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT,
			  &vd, &vn, &nv);
	if (nn_count != nv)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("dts_cube: %d column names but %d values", nn_count, nv)));
	row.ncols = nv;
	row.names = palloc(sizeof(char *) * (nv + 1));
	row.vals = palloc(sizeof(char *) * (nv + 1));
	row.lens = palloc(sizeof(size_t) * (nv + 1));
	for (int i = 0; i < nv; i++) {
		if (nn[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("dts_cube: a NULL column name")));
		row.names[i] = TextDatumGetCString(nd[i]);
		row.vals[i] = vn[i] ? NULL : TextDatumGetCString(vd[i]);
		row.lens[i] = row.vals[i] ? strlen(row.vals[i]) : 0;
	}
	return add_row(fcinfo, &row, 3);
}

/* dts_merge(partial): the second level. */
PG_FUNCTION_INFO_V1(dtspg_merge_sfunc);
Datum dtspg_merge_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	cubestate *s = PG_ARGISNULL(0) ? NULL : (cubestate *)PG_GETARG_POINTER(0);
	text *t;
	dtspg_guard *g;
	dts_cube *cube;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("dts_merge called outside an aggregate")));
	if (PG_ARGISNULL(1)) {   /* a NULL partial merges nothing */
		if (!s)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	t = PG_GETARG_TEXT_PP(1);
	cube = read_partial(&g, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	if (!s)
		s = state_like(aggcxt, cube);
	flush(s);
	merge(s, cube);
	dtspg_guard_release(g);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(dtspg_cube_combine);
Datum dtspg_cube_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	cubestate *s1 = PG_ARGISNULL(0) ? NULL : (cubestate *)PG_GETARG_POINTER(0);
	cubestate *s2 = PG_ARGISNULL(1) ? NULL : (cubestate *)PG_GETARG_POINTER(1);
	const dts_cube *cube;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("dts_cube_combine called outside an aggregate")));
	if (!s2) {
		if (!s1)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s1);
	}
	cube = state_cube(s2);
	if (!s1)
		s1 = state_like(aggcxt, cube);
	flush(s1);
	merge(s1, cube);
	if (s2->cube) {          /* merged: no need to keep it until the reset */
		dts_cube_free(s2->cube);
		s2->cube = NULL;
	}
	PG_RETURN_POINTER(s1);
}

/* A growable malloc'd buffer for dts_cube_write_partial_cb: its callback
 * may not call anything that can ereport (a libdts frame is below it). */
typedef struct mbuf {
	char *p;
	size_t len, cap;
} mbuf;

#define TOO_LARGE (DTS_EUSER - 1)

static int mbuf_put(const void *data, size_t len, void *payload)
{
	mbuf *b = payload;

	if (b->len + len > MaxAllocSize - VARHDRSZ - 1)
		return TOO_LARGE;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 8192;
		char *p;

		while (cap < b->len + len)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return DTS_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

static void mbuf_free(void *p)
{
	mbuf *b = p;

	free(b->p);
	b->p = NULL;
}

typedef int (*partial_writer)(const dts_cube *, dts_write_cb, void *);

/* The partial of a cube as a varlena, written by `write`: the text
 * partial (dts_cube_write_partial_cb) or the binary one
 * (dts_cube_write_binary_cb). */
static struct varlena *partial_as(const dts_cube *cube, partial_writer write)
{
	mbuf *b = palloc0(sizeof(*b));
	dtspg_guard *g = dtspg_guard_new(CurrentMemoryContext, mbuf_free, b);
	struct varlena *v;
	int rc = write(cube, mbuf_put, b);

	if (rc == TOO_LARGE)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("dts: the cube partial exceeds 1 GB, the largest value PostgreSQL holds"),
				errhint("Aggregate fewer dimensions, or GROUP BY a dimension and keep one partial per group.")));
	if (rc == DTS_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc < 0)
		dtspg_raise(rc, "dts: writing the cube partial");
	v = palloc(VARHDRSZ + b->len);
	SET_VARSIZE(v, VARHDRSZ + b->len);
	memcpy(VARDATA(v), b->p, b->len);
	dtspg_guard_release(g);
	return v;
}

/* The text partial: what leaves an aggregate (docs/statistics.md). */
static struct varlena *partial_of(const dts_cube *cube)
{
	return partial_as(cube, dts_cube_write_partial_cb);
}

/* The serial form between a parallel worker and its leader, or a partial
 * aggregate and its finalize step: the binary partial (the same content,
 * about 1/30 of the text's bytes, read 10x faster: docs/postgresql.md). */
PG_FUNCTION_INFO_V1(dtspg_cube_serial);
Datum dtspg_cube_serial(PG_FUNCTION_ARGS)
{
	cubestate *s = (cubestate *)PG_GETARG_POINTER(0);

	PG_RETURN_BYTEA_P(partial_as(state_cube(s), dts_cube_write_binary_cb));
}

PG_FUNCTION_INFO_V1(dtspg_cube_deserial);
Datum dtspg_cube_deserial(PG_FUNCTION_ARGS)
{
	bytea *b = PG_GETARG_BYTEA_PP(0);
	cubestate *s = state_new(CurrentMemoryContext);
	int rc;

	/* The binary partial of dtspg_cube_serial, or a text one (both are
	 * read by their magic). Kept as parsed: the combine function merges
	 * it once (copying it into an aggregation here would merge every
	 * partial twice). */
	if ((rc = dts_cube_read_partial(&s->cube, "partial", VARDATA_ANY(b),
					VARSIZE_ANY_EXHDR(b))) < 0)
		dtspg_raise(rc, "dts: reading a cube partial");
	PG_RETURN_POINTER(s);
}

static int counts_enterprises(const dts_cube_cell *cell, void *payload)
{
	(void)payload;
	return cell->enterprises > 0;
}

/* The partial an aggregate returns leaves it (to a client, to the
 * coordinator of a shard): as dts-aggregate --partial, enterprise ids
 * only as keyed hashes unless dts.ids_in_clear says otherwise. The serial
 * form between parallel workers of one server is not a value anyone
 * receives and is not checked. */
static void check_ids(const dts_cube *cube)
{
	int rc;

	if (dtspg_ids_in_clear || dts_cube_ids(cube))
		return;
	rc = dts_cube_foreach(cube, counts_enterprises, NULL);
	if (rc < 0)
		dtspg_raise(rc, "dts_cube");
	if (rc > 0)
		ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				errmsg("dts_cube: the partial would hold enterprise ids in clear"),
				errhint("Set dts.id_key_file (the same key file on every node: ids become keyed hashes), "
					"or SET dts.ids_in_clear = on for a partial that stays on this server.")));
}

PG_FUNCTION_INFO_V1(dtspg_cube_final);
Datum dtspg_cube_final(PG_FUNCTION_ARGS)
{
	cubestate *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (cubestate *)PG_GETARG_POINTER(0);
	check_ids(state_cube(s));
	PG_RETURN_TEXT_P((text *)partial_of(state_cube(s)));
}

/* dts_partial_add_input(partial, name, digest): record an input, as
 * dts-aggregate does for each file it reads. */
PG_FUNCTION_INFO_V1(dtspg_partial_add_input);
Datum dtspg_partial_add_input(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	char *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char *digest = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	dtspg_guard *g;
	dts_cube *cube = read_partial(&g, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	struct varlena *v;
	int rc;

	if ((rc = dts_cube_add_input(cube, name, digest)) < 0)
		dtspg_raise(rc, "dts_partial_add_input");
	v = partial_of(cube);
	dtspg_guard_release(g);
	PG_RETURN_TEXT_P((text *)v);
}

/* dts_cube_dims(partial) */
PG_FUNCTION_INFO_V1(dtspg_cube_dims);
Datum dtspg_cube_dims(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	dtspg_guard *g;
	dts_cube *cube = read_partial(&g, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	size_t n = dts_cube_ndims(cube);
	Datum *d = palloc(sizeof(Datum) * n);
	ArrayType *a;

	for (size_t i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(dts_cube_dim(cube, i));
	a = construct_array(d, (int)n, TEXTOID, -1, false, TYPALIGN_INT);
	dtspg_guard_release(g);
	PG_RETURN_ARRAYTYPE_P(a);
}

/* The cells of a cube, gathered in malloc'd memory during the walk. */
typedef struct cell {
	const char **keys;       /* ndims, owned by the cube */
	uint64_t records, enterprises;
	dts_amount value;
} cell;

typedef struct cells {
	cell *v;
	size_t n, cap, ndims;
	const char **keys;       /* n * ndims pointers */
} cells;

static void cells_free(void *p)
{
	cells *c = p;

	free(c->v);
	free(c->keys);
	c->v = NULL;
	c->keys = NULL;
}

static int cells_put(const dts_cube_cell *cl, void *payload)
{
	cells *c = payload;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		cell *v = realloc(c->v, cap * sizeof(*v));
		const char **k;

		if (!v)
			return DTS_ENOMEM;
		c->v = v;
		if (!(k = realloc(c->keys, cap * (c->ndims ? c->ndims : 1) * sizeof(*k))))
			return DTS_ENOMEM;
		c->keys = k;
		c->cap = cap;
	}
	memcpy(c->keys + c->n * c->ndims, cl->keys, c->ndims * sizeof(*c->keys));
	c->v[c->n].records = cl->records;
	c->v[c->n].enterprises = cl->enterprises;
	c->v[c->n].value = cl->value;
	c->n++;
	return 0;
}

/* dts_cube_rows(partial) -> (keys text[], records bigint, value numeric,
 * enterprises bigint), one row per cell in canonical order; value exact. */
PG_FUNCTION_INFO_V1(dtspg_cube_rows);
Datum dtspg_cube_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
	text *t = PG_GETARG_TEXT_PP(0);
	dtspg_guard *g, *gc;
	dts_cube *cube;
	cells *c;
	Datum *kd;
	int rc;

	InitMaterializedSRF(fcinfo, 0);
	cube = read_partial(&g, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	c = palloc0(sizeof(*c));
	c->ndims = dts_cube_ndims(cube);
	gc = dtspg_guard_new(CurrentMemoryContext, cells_free, c);
	rc = dts_cube_foreach(cube, cells_put, c);
	if (rc == DTS_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc < 0)
		dtspg_raise(rc, "dts_cube_rows");
	kd = palloc(sizeof(Datum) * (c->ndims ? c->ndims : 1));
	for (size_t i = 0; i < c->n; i++) {
		char num[64];
		Datum v[4];
		bool n[4] = {0};

		for (size_t k = 0; k < c->ndims; k++)
			kd[k] = CStringGetTextDatum(c->keys[i * c->ndims + k]);
		v[0] = PointerGetDatum(construct_array(kd, (int)c->ndims, TEXTOID, -1,
						       false, TYPALIGN_INT));
		v[1] = Int64GetDatum((int64)c->v[i].records);
		if ((rc = dts_amount_format(num, sizeof(num), &c->v[i].value, 0,
					    DTS_AMOUNT_DECIMALS)) < 0)
			dtspg_raise(rc, "dts_cube_rows");
		v[2] = DirectFunctionCall3(numeric_in, CStringGetDatum(num),
					   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		v[3] = Int64GetDatum((int64)c->v[i].enterprises);
		tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, n);
	}
	dtspg_guard_release(gc);
	dtspg_guard_release(g);
	return (Datum)0;
}
