/*
 * rec_totals.c — total reconciliation: two cubes (dts-aggregate partials,
 * or its CSV output: dimension columns, then value, records, enterprises)
 * compared cell by cell along the dimensions they share. A dimension only
 * one side has is summed out; when that dimension is a category, only the
 * top codes and NONE are summed (DT, DO, DD and leaves would count a
 * record twice). The gap is right - left, absolute and in percent of the
 * left, both exact (128-bit integers, rounded once when printed).
 */
#include <stdlib.h>
#include <string.h>

#include "dts/cube.h"
#include "rec_table.h"
#include "reconcile.h"
#include "table.h"
#include "tool.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

typedef struct cube_in {
	char *dims[16];
	size_t ndims;
	char **keys;           /* ncells * ndims */
	dts_amount *value;
	uint64_t *records;
	size_t ncells, cap;
	dts_cube *cube;        /* a partial, kept for its currency; NULL for CSV */
} cube_in;

static int cell_push(cube_in *c, const char *const *keys, const dts_amount *v,
		     uint64_t records)
{
	if (c->ncells == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		char **k = realloc(c->keys, cap * c->ndims * sizeof(*k));
		dts_amount *nv;
		uint64_t *nr;

		if (!k)
			return -1;
		c->keys = k;
		if (!(nv = realloc(c->value, cap * sizeof(*nv))))
			return -1;
		c->value = nv;
		if (!(nr = realloc(c->records, cap * sizeof(*nr))))
			return -1;
		c->records = nr;
		c->cap = cap;
	}
	for (size_t i = 0; i < c->ndims; i++)
		if (!(c->keys[c->ncells * c->ndims + i] = strdup(keys[i])))
			return -1;
	c->value[c->ncells] = *v;
	c->records[c->ncells++] = records;
	return 0;
}

static int from_cell(const dts_cube_cell *cell, void *payload)
{
	return cell_push(payload, cell->keys, &cell->value, cell->records);
}

static int load_partial(cube_in *c, const char *path)
{
	dts_cube *cube;
	int rc;

	if (dts_cube_load_partial(&cube, path) < 0)
		return tool_lib_error(NULL), -1;
	c->ndims = dts_cube_ndims(cube);
	for (size_t i = 0; i < c->ndims; i++)
		c->dims[i] = strdup(dts_cube_dim(cube, i));
	rc = dts_cube_foreach(cube, from_cell, c);
	c->cube = cube;
	if (rc < 0)
		tool_warn("%s: out of memory", path);
	return rc < 0 ? -1 : 0;
}

static int csv_row(cube_in *c, const char *path, const dts_csv_row *row)
{
	dts_amount v;
	char *end;
	unsigned long long n;
	const char *rec = row->fields[c->ndims + 1];

	if (dts_amount_parse(&v, row->fields[c->ndims], row->lens[c->ndims]) < 0) {
		tool_warn("%s:%llu: value: %s", path, (unsigned long long)row->line,
			  dts_error_last()->message);
		return -1;
	}
	n = strtoull(rec, &end, 10);
	if (*end || end == rec) {
		tool_warn("%s:%llu: records: not a count", path,
			  (unsigned long long)row->line);
		return -1;
	}
	return cell_push(c, row->fields, &v, n) < 0 ? -1 : 0;
}

static int load_csv(cube_in *c, const char *path)
{
	dts_csv *r;
	dts_csv_row row;
	const char *const *hdr;
	size_t n;
	int rc = -1, got;

	if (dts_csv_open_file(&r, path, NULL) < 0)
		return tool_lib_error(NULL), -1;
	n = dts_csv_header(r, &hdr);
	for (c->ndims = 0; c->ndims < n && c->ndims < 16 &&
	     strcmp(hdr[c->ndims], "value"); c->ndims++)
		c->dims[c->ndims] = strdup(hdr[c->ndims]);
	if (c->ndims + 2 > n || strcmp(hdr[c->ndims], "value") ||
	    strcmp(hdr[c->ndims + 1], "records")) {
		tool_warn("%s: not a cube: expected dimension columns, then "
			  "value,records", path);
		goto done;
	}
	while ((got = dts_csv_next(&row, r)) != 0) {
		if (got < 0) {
			tool_lib_error(path);
			goto done;
		}
		if (csv_row(c, path, &row) < 0)
			goto done;
	}
	rc = 0;
done:
	dts_csv_free(r);
	return rc;
}

static int load_cube(cube_in *c, const char *path)
{
	char head[64];
	size_t n = 0;
	FILE *f = fopen(path, "rb");

	if (!f) {
		tool_warn("%s: cannot open", path);
		return -1;
	}
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return dts_cube_is_partial(head, n) ? load_partial(c, path) :
	       load_csv(c, path);
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

/* ---- projection onto the common dimensions ------------------------------- */

typedef struct gap {
	dts_amount v[2];
	uint64_t n[2];
	int seen[2];
	const char *keys[16]; /* the common keys, from the first cell seen */
} gap;

typedef struct proj {
	const char *common[16];
	size_t ncommon;
	rec_table idx;       /* joined common keys (rec_key) -> gap index */
	rec_key key;
	gap *g;
	size_t ng, gcap;
} proj;

static int is_category_dim(const char *name)
{
	return !strcmp(name, "category") || !strncmp(name, "category:", 9);
}

/* A cell counts when every dropped category dimension holds a top code. */
static int cell_counts(const cube_in *c, size_t cell, const proj *p)
{
	for (size_t d = 0; d < c->ndims; d++) {
		const char *k = c->keys[cell * c->ndims + d];
		int kept = 0;

		for (size_t i = 0; i < p->ncommon; i++)
			kept |= !strcmp(p->common[i], c->dims[d]);
		if (!kept && is_category_dim(c->dims[d]) &&
		    (dts_category_is_aggregate(k) || strchr(k, '.')))
			return 0;
	}
	return 1;
}

/* The gap of the cell's common keys, created on first sight. */
static gap *gap_of(proj *p, const cube_in *c, size_t cell)
{
	const char *k[16];
	uint64_t h;
	rec_entry *e;
	rec_info at;

	rec_key_reset(&p->key);
	for (size_t i = 0; i < p->ncommon; i++)
		for (size_t d = 0; d < c->ndims; d++)
			if (!strcmp(p->common[i], c->dims[d])) {
				k[i] = c->keys[cell * c->ndims + d];
				if (rec_key_part(&p->key, k[i], strlen(k[i])) < 0)
					return NULL;
			}
	h = rec_hash(p->key.p, p->key.len);
	if ((e = rec_table_find(&p->idx, h, p->key.p, p->key.len)))
		return &p->g[e->a.value];
	if (p->ng == p->gcap) {
		size_t cap = p->gcap ? p->gcap * 2 : 64;
		gap *g = realloc(p->g, cap * sizeof(*g));

		if (!g)
			return NULL;
		p->g = g;
		p->gcap = cap;
	}
	memset(&at, 0, sizeof(at));
	at.value = (dts_money)p->ng;
	if (!rec_table_add(&p->idx, h, p->key.p, p->key.len, &at))
		return NULL;
	memset(&p->g[p->ng], 0, sizeof(*p->g));
	memcpy(p->g[p->ng].keys, k, p->ncommon * sizeof(*k));
	return &p->g[p->ng++];
}

static int project(proj *p, const cube_in *c, int side)
{
	for (size_t cell = 0; cell < c->ncells; cell++) {
		gap *g;

		if (!cell_counts(c, cell, p))
			continue;
		if (!(g = gap_of(p, c, cell)))
			return -1;
		g->seen[side] = 1;
		g->n[side] += c->records[cell];
		if (dts_amount_add(&g->v[side], &c->value[cell]) < 0)
			return -1;
	}
	return 0;
}

static i128 amount128(const dts_amount *a)
{
	return (i128)(((u128)(uint64_t)a->hi << 64) | a->lo);
}

/* Percent of left with 2 decimals, exact, rounding half away from zero. */
static void percent(char *buf, size_t n, const dts_amount *gapv,
		    const dts_amount *left)
{
	i128 g = amount128(gapv), l = amount128(left), q;
	int neg;

	if (l == 0) {
		snprintf(buf, n, "%s", "");
		return;
	}
	neg = (g < 0) != (l < 0);
	if (g < 0)
		g = -g;
	if (l < 0)
		l = -l;
	q = (g * 10000 * 2 / l + 1) / 2;   /* hundredths of a percent */
	snprintf(buf, n, "%s%lld.%02lld", neg && q ? "-" : "",
		 (long long)(q / 100), (long long)(q % 100));
}

static int gap_row(tbl *t, const proj *p, size_t i, int decimals)
{
	const char *row[24];
	char buf[8][64];
	const gap *g = &p->g[i];
	dts_amount d = g->v[1];
	size_t n = 0;

	for (size_t k = 0; k < p->ncommon; k++)
		row[n++] = g->keys[k];
	dts_amount_sub(&d, &g->v[0]);
	snprintf(buf[0], 64, "%llu", (unsigned long long)g->n[0]);
	dts_amount_format(buf[1], 64, &g->v[0], 0, decimals);
	snprintf(buf[2], 64, "%llu", (unsigned long long)g->n[1]);
	dts_amount_format(buf[3], 64, &g->v[1], 0, decimals);
	dts_amount_format(buf[4], 64, &d, 0, decimals);
	percent(buf[5], 64, &d, &g->v[0]);
	for (int j = 0; j < 6; j++)
		row[n++] = buf[j];
	row[n++] = !g->seen[0] ? "right only" : !g->seen[1] ? "left only" : "";
	return tbl_add_row(t, row);
}

static int common_dims(proj *p, const cube_in *l, const cube_in *r)
{
	for (size_t i = 0; i < l->ndims; i++)
		for (size_t j = 0; j < r->ndims; j++)
			if (!strcmp(l->dims[i], r->dims[j]))
				p->common[p->ncommon++] = l->dims[i];
	return p->ncommon ? 0 : -1;
}

int rec_totals(const tot_opts *o)
{
	cube_in c[2];
	proj p;
	tbl t;
	const char *names[24];
	size_t n = 0;
	int rc = EXIT_IO, differ = 0;

	memset(c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	memset(&t, 0, sizeof(t));
	if (load_cube(&c[0], o->left) < 0 || load_cube(&c[1], o->right) < 0)
		goto done;
	/* The check dts-aggregate --merge makes. A CSV cube does not say
	 * its currency: only partials can be checked. */
	if (c[0].cube && c[1].cube &&
	    dts_cube_check_currency(c[0].cube, c[1].cube) < 0) {
		tool_warn("%s and %s: %s", o->left, o->right,
			  dts_error_last()->message);
		goto done;
	}
	if (common_dims(&p, &c[0], &c[1]) < 0) {
		tool_warn("%s and %s share no dimension", o->left, o->right);
		rc = EXIT_USAGE;
		goto done;
	}
	if (project(&p, &c[0], 0) < 0 || project(&p, &c[1], 1) < 0) {
		tool_warn("out of memory or value overflow");
		goto done;
	}
	for (size_t i = 0; i < p.ncommon; i++)
		names[n++] = p.common[i];
	names[n++] = "left_records";
	names[n++] = "left_value";
	names[n++] = "right_records";
	names[n++] = "right_value";
	names[n++] = "gap";
	names[n++] = "gap_percent";
	names[n++] = "note";
	if (tbl_init(&t, names, n, p.ncommon) < 0)
		goto done;
	t.cols[n - 1].numeric = 0;
	for (size_t i = 0; i < p.ng; i++) {
		if (gap_row(&t, &p, i, o->decimals) < 0)
			goto done;
		differ |= dts_amount_cmp(&p.g[i].v[0], &p.g[i].v[1]) != 0 ||
			  p.g[i].n[0] != p.g[i].n[1];
	}
	if (out_table(&t, o->format, o->output) < 0)
		goto done;
	rc = differ ? EXIT_REJECTS : EXIT_OK;
done:
	tbl_free(&t);
	rec_table_free(&p.idx);
	rec_key_free(&p.key);
	free(p.g);
	cube_in_free(&c[0]);
	cube_in_free(&c[1]);
	return rc;
}
