/*
 * totals.c — total reconciliation (dts_recon_totals): two cubes
 * (dts-aggregate partials, or its CSV output: dimension columns, then
 * value, records) compared cell by cell along the dimensions they share.
 * A dimension only one side has is summed out; when that dimension is a
 * category, only the top codes and NONE are summed (DT, DO, DD and leaves
 * would count a record twice). The gap is right - left, absolute and in
 * percent of the left (dts_amount_percent), both exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recon_int.h"

#define MAX_DIMS 16

typedef struct cube_in {
	int given;
	char name[512];        /* in messages: the path, or "left" / "right" */
	char *dims[MAX_DIMS];
	size_t ndims;
	char **keys;           /* ncells * ndims */
	dts_amount *value;
	uint64_t *records;
	size_t ncells, cap;
	dts_cube *cube;        /* a partial's copy, kept for its currency */
} cube_in;

typedef struct gap {
	dts_amount v[2];
	uint64_t n[2];
	int seen[2];
	const char *keys[MAX_DIMS]; /* the common keys, from the first cell seen */
} gap;

struct dts_recon_totals {
	cube_in c[2];
	const char *common[MAX_DIMS];
	size_t ncommon;
	dts__rtab idx;       /* joined common keys -> gap index */
	dts__rkey key;
	gap *g;
	size_t ng, gcap, ndiffer;
	int ran, done;
};

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

int dts_recon_totals_new(dts_recon_totals **out)
{
	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_totals_new: NULL");
	if (!(*out = calloc(1, sizeof(**out))))
		return oom();
	return 0;
}

static void cube_in_free(cube_in *c)
{
	for (size_t i = 0; i < c->ncells * c->ndims; i++)
		free(c->keys[i]);
	for (size_t i = 0; i < c->ndims; i++)
		free(c->dims[i]);
	free(c->keys);
	free(c->value);
	free(c->records);
	dts_cube_free(c->cube);
}

void dts_recon_totals_free(dts_recon_totals *t)
{
	if (!t)
		return;
	cube_in_free(&t->c[0]);
	cube_in_free(&t->c[1]);
	dts__rtab_free(&t->idx);
	dts__rkey_free(&t->key);
	free(t->g);
	free(t);
}

static int cell_push(cube_in *c, const char *const *keys, const dts_amount *v,
		     uint64_t records)
{
	if (c->ncells == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		char **k = realloc(c->keys, cap * (c->ndims ? c->ndims : 1) * sizeof(*k));
		dts_amount *nv;
		uint64_t *nr;

		if (!k)
			return oom();
		c->keys = k;
		if (!(nv = realloc(c->value, cap * sizeof(*nv))))
			return oom();
		c->value = nv;
		if (!(nr = realloc(c->records, cap * sizeof(*nr))))
			return oom();
		c->records = nr;
		c->cap = cap;
	}
	for (size_t i = 0; i < c->ndims; i++)
		c->keys[c->ncells * c->ndims + i] = NULL;
	for (size_t i = 0; i < c->ndims; i++)
		if (!(c->keys[c->ncells * c->ndims + i] = strdup(keys[i]))) {
			for (size_t j = 0; j < i; j++)
				free(c->keys[c->ncells * c->ndims + j]);
			return oom();
		}
	c->value[c->ncells] = *v;
	c->records[c->ncells++] = records;
	return 0;
}

static int from_cell(const dts_cube_cell *cell, void *payload)
{
	return cell_push(payload, cell->keys, &cell->value, cell->records);
}

static int side_free(dts_recon_totals *t, int side)
{
	if (!t || (side != DTS_RECON_LEFT && side != DTS_RECON_RIGHT))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_totals: NULL handle or bad side");
	if (t->c[side].given || t->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_totals: the %s side is already given",
				  side ? "right" : "left");
	return 0;
}

static void set_name(cube_in *c, int side, const char *name)
{
	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "%s", name ? name : side ? "right" : "left");
}

static int set_dims(cube_in *c, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!(c->dims[i] = strdup(names[i])))
			return oom();
		c->ndims = i + 1;
	}
	return 0;
}

int dts_recon_totals_add_cube(dts_recon_totals *t, int side, const dts_cube *cube)
{
	const char *names[MAX_DIMS];
	cube_in *c;
	size_t n;
	int rc;

	if ((rc = side_free(t, side)) < 0)
		return rc;
	c = &t->c[side];
	if (!cube || (n = dts_cube_ndims(cube)) > MAX_DIMS || !n)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_totals_add_cube: no cube, or not 1 to 16 dimensions");
	for (size_t i = 0; i < n; i++)
		names[i] = dts_cube_dim(cube, i);
	c->given = 1;
	set_name(c, side, NULL);
	/* An empty copy in the same currency: dts_cube_check_currency. */
	if ((rc = set_dims(c, names, n)) < 0 ||
	    (rc = dts_cube_new(&c->cube, names, n, dts_cube_currency(cube))) < 0)
		return rc;
	return dts_cube_foreach(cube, from_cell, c);
}

static int csv_row(cube_in *c, const char *name, const dts_csv_row *row)
{
	dts_amount v;
	char *end;
	unsigned long long n;
	const char *rec = row->fields[c->ndims + 1];

	if (row->nfields < c->ndims + 2)
		return dts__error(DTS_EINPUT, name, (unsigned)row->line, 0,
				  "a row with %zu fields, the header has %zu",
				  row->nfields, c->ndims + 2);
	if (dts_amount_parse(&v, row->fields[c->ndims], row->lens[c->ndims]) < 0)
		return dts__error(DTS_EINPUT, name, (unsigned)row->line, 0,
				  "value: %s", dts_error_last()->message);
	n = strtoull(rec, &end, 10);
	if (*end || end == rec || *rec == '-')
		return dts__error(DTS_EINPUT, name, (unsigned)row->line, 0,
				  "records: not a count");
	return cell_push(c, row->fields, &v, n);
}

int dts_recon_totals_add_csv(dts_recon_totals *t, int side, dts_csv *r,
			     const char *name)
{
	dts_csv_row row;
	const char *const *hdr;
	cube_in *c;
	size_t n, nd;
	int rc, got;

	if ((rc = side_free(t, side)) < 0)
		return rc;
	if (!r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_totals_add_csv: NULL reader");
	c = &t->c[side];
	c->given = 1;
	set_name(c, side, name);
	n = dts_csv_header(r, &hdr);
	for (nd = 0; nd < n && nd < MAX_DIMS && strcmp(hdr[nd], "value"); nd++)
		;
	if (!nd || nd + 2 > n || strcmp(hdr[nd], "value") ||
	    strcmp(hdr[nd + 1], "records"))
		return dts__error(DTS_EINPUT, name, 0, 0, "not a cube: expected "
				  "dimension columns, then value,records");
	if ((rc = set_dims(c, hdr, nd)) < 0)
		return rc;
	while ((got = dts_csv_next(&row, r)) != 0) {
		if (got < 0)
			return got;
		if ((rc = csv_row(c, name, &row)) < 0)
			return rc;
	}
	return 0;
}

int dts_recon_totals_load(dts_recon_totals *t, int side, const char *path)
{
	dts_format f;
	int rc;

	if ((rc = side_free(t, side)) < 0)
		return rc;
	if ((rc = dts_source_sniff_file(&f, path)) < 0)
		return rc;
	set_name(&t->c[side], side, path);
	if (f == DTS_FORMAT_PARTIAL) {
		dts_cube *cube;

		if ((rc = dts_cube_load_partial(&cube, path)) < 0)
			return rc;
		rc = dts_recon_totals_add_cube(t, side, cube);
		dts_cube_free(cube);
	} else {
		dts_csv *r;

		if ((rc = dts_csv_open_file(&r, path, NULL)) < 0)
			return rc;
		rc = dts_recon_totals_add_csv(t, side, r, path);
		dts_csv_free(r);
	}
	return rc;
}

/* ---- projection onto the common dimensions ------------------------------- */

static int is_category_dim(const char *name)
{
	return !strcmp(name, "category") || !strncmp(name, "category:", 9);
}

/* A cell counts when every dropped category dimension holds a top code. */
static int cell_counts(const dts_recon_totals *t, const cube_in *c, size_t cell)
{
	for (size_t d = 0; d < c->ndims; d++) {
		const char *k = c->keys[cell * c->ndims + d];
		int kept = 0;

		for (size_t i = 0; i < t->ncommon; i++)
			kept |= !strcmp(t->common[i], c->dims[d]);
		if (!kept && is_category_dim(c->dims[d]) &&
		    (dts_category_is_aggregate(k) || strchr(k, '.')))
			return 0;
	}
	return 1;
}

/* The gap of the cell's common keys, created on first sight. */
static gap *gap_of(dts_recon_totals *t, const cube_in *c, size_t cell)
{
	const char *k[MAX_DIMS];
	uint64_t h;
	dts__rentry *e;

	dts__rkey_reset(&t->key);
	for (size_t i = 0; i < t->ncommon; i++)
		for (size_t d = 0; d < c->ndims; d++)
			if (!strcmp(t->common[i], c->dims[d])) {
				k[i] = c->keys[cell * c->ndims + d];
				if (dts__rkey_part(&t->key, k[i], strlen(k[i])) < 0)
					return NULL;
			}
	h = dts__fnv(t->key.p, t->key.len);
	if ((e = dts__rtab_find(&t->idx, h, t->key.p, t->key.len)))
		return &t->g[e->first[0].value];
	if (t->ng == t->gcap) {
		size_t cap = t->gcap ? t->gcap * 2 : 64;
		gap *g = realloc(t->g, cap * sizeof(*g));

		if (!g)
			return NULL;
		t->g = g;
		t->gcap = cap;
	}
	if (!(e = dts__rtab_add(&t->idx, h, t->key.p, t->key.len)))
		return NULL;
	e->first[0].value = (dts_money)t->ng;
	memset(&t->g[t->ng], 0, sizeof(*t->g));
	memcpy(t->g[t->ng].keys, k, t->ncommon * sizeof(*k));
	return &t->g[t->ng++];
}

static int project(dts_recon_totals *t, int side)
{
	const cube_in *c = &t->c[side];

	for (size_t cell = 0; cell < c->ncells; cell++) {
		gap *g;

		if (!cell_counts(t, c, cell))
			continue;
		if (!(g = gap_of(t, c, cell)))
			return oom();
		g->seen[side] = 1;
		if (__builtin_add_overflow(g->n[side], c->records[cell], &g->n[side]) ||
		    dts_amount_add(&g->v[side], &c->value[cell]) < 0)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "a total overflows the exact range");
	}
	return 0;
}

int dts_recon_totals_run(dts_recon_totals *t, dts_recon_gap_cb cb, void *payload)
{
	const cube_in *l, *r;
	int rc;

	if (!t || !t->c[0].given || !t->c[1].given || t->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_totals_run: "
				  "a side is missing, or run twice");
	t->ran = 1;
	l = &t->c[0];
	r = &t->c[1];
	/* The check dts_cube_merge makes. A CSV cube does not say its
	 * currency: only partials can be checked. */
	if (l->cube && r->cube && (rc = dts_cube_check_currency(l->cube, r->cube)) < 0) {
		char m[1024];

		snprintf(m, sizeof(m), "%s", dts_error_last()->message);
		return dts__error(rc, NULL, 0, 0, "%s and %s: %s", l->name, r->name, m);
	}
	for (size_t i = 0; i < l->ndims; i++)
		for (size_t j = 0; j < r->ndims; j++)
			if (!strcmp(l->dims[i], r->dims[j]))
				t->common[t->ncommon++] = l->dims[i];
	if (!t->ncommon)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "%s and %s share no dimension",
				  l->name, r->name);
	if ((rc = project(t, 0)) < 0 || (rc = project(t, 1)) < 0)
		return rc;
	for (size_t i = 0; i < t->ng; i++)
		t->ndiffer += dts_amount_cmp(&t->g[i].v[0], &t->g[i].v[1]) != 0 ||
			      t->g[i].n[0] != t->g[i].n[1];
	t->done = 1;
	return cb ? dts_recon_totals_foreach(t, cb, payload) : 0;
}

int dts_recon_totals_foreach(const dts_recon_totals *t, dts_recon_gap_cb cb,
			     void *payload)
{
	int rc;

	if (!t || !t->done || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_totals_foreach: "
				  "NULL argument, or before dts_recon_totals_run");
	for (size_t i = 0; i < t->ng; i++) {
		const gap *g = &t->g[i];
		dts_recon_gap out;

		memset(&out, 0, sizeof(out));
		out.keys = g->keys;
		out.nkeys = t->ncommon;
		for (int s = 0; s < 2; s++) {
			out.records[s] = g->n[s];
			out.value[s] = g->v[s];
			out.seen[s] = g->seen[s];
		}
		out.gap = g->v[1];
		if (dts_amount_sub(&out.gap, &g->v[0]) < 0)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "a gap overflows the exact range");
		out.differs = dts_amount_cmp(&g->v[0], &g->v[1]) != 0 ||
			      g->n[0] != g->n[1];
		if ((rc = cb(&out, payload)) != 0)
			return rc;
	}
	return 0;
}

size_t dts_recon_totals_dims(const char *const **names, size_t *ncells,
			     size_t *ndiffer, const dts_recon_totals *t)
{
	if (names)
		*names = t ? t->common : NULL;
	if (ncells)
		*ncells = t ? t->ng : 0;
	if (ndiffer)
		*ndiffer = t ? t->ndiffer : 0;
	return t ? t->ncommon : 0;
}
