/*
 * geo.c — the districts and zones of the report (dts/geo.h): the layout
 * read from two small CSV files, and the table of one year and category
 * from a cube with a region:district dimension, suppressed on request.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "dts/csv.h"
#include "dts/geo.h"
#include "dts/report.h"

typedef struct geo_row {
	char *code, *parent, *name_zh, *name_en;
	char *zone, *zone_zh, *zone_en;   /* "" outside the layout */
	int district;                     /* index of the parent row, or -1 */
} geo_row;

struct dts_geo {
	dts_arena arena;
	geo_row *rows;
	size_t n;
};

void dts_geo_free(dts_geo *g)
{
	if (!g)
		return;
	dts__arena_free(&g->arena);
	free(g->rows);
	free(g);
}

static int col(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

/* Open `path` and find its columns names[0..n-1] into cols. */
static int open_cols(dts_csv **r, const char *path, const char *const *names,
		     int *cols, size_t n)
{
	const char *const *hdr;
	size_t nh;
	int rc;

	if ((rc = dts_csv_open_file(r, path, NULL)) < 0)
		return rc;
	nh = dts_csv_header(*r, &hdr);
	for (size_t i = 0; i < n; i++)
		if ((cols[i] = col(hdr, nh, names[i])) < 0) {
			dts_csv_free(*r);
			*r = NULL;
			return dts__error(DTS_EINPUT, path, 1, 0,
					  "missing column \"%s\"", names[i]);
		}
	return 0;
}

static char *dup(dts_geo *g, const dts_csv_row *row, int c)
{
	return dts__arena_strdup(&g->arena, (size_t)c < row->nfields ?
				 row->fields[c] : "");
}

static int find(const dts_geo *g, const char *code)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->rows[i].code, code))
			return (int)i;
	return -1;
}

static int read_districts(dts_geo *g, const char *path)
{
	static const char *const names[] = {"code", "parent", "name_zh", "name_en"};
	int c[4], rc;
	size_t cap = 0;
	dts_csv_row row;
	dts_csv *r;

	if ((rc = open_cols(&r, path, names, c, 4)) < 0)
		return rc;
	while ((rc = dts_csv_next(&row, r)) > 0) {
		geo_row *x;

		if (g->n == cap) {
			geo_row *v = realloc(g->rows, (cap = cap ? cap * 2 : 32) *
					     sizeof(*v));
			if (!v) {
				rc = DTS_ENOMEM;
				break;
			}
			g->rows = v;
		}
		x = &g->rows[g->n];
		x->code = dup(g, &row, c[0]);
		x->parent = dup(g, &row, c[1]);
		x->name_zh = dup(g, &row, c[2]);
		x->name_en = dup(g, &row, c[3]);
		x->zone = x->zone_zh = x->zone_en = "";
		x->district = -1;
		if (!x->code || !x->parent || !x->name_zh || !x->name_en) {
			rc = DTS_ENOMEM;
			break;
		}
		if (!*x->code || find(g, x->code) >= 0) {
			rc = dts__error(DTS_EINPUT, path, (unsigned)row.line, 0,
					"empty or repeated code \"%s\"", x->code);
			break;
		}
		g->n++;
	}
	dts_csv_free(r);
	if (rc == DTS_ENOMEM)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return rc < 0 ? rc : 0;
}

static int read_zones(dts_geo *g, const char *path)
{
	static const char *const names[] = {"code", "zone", "zone_zh", "zone_en"};
	int c[4], rc;
	dts_csv_row row;
	dts_csv *r;

	if ((rc = open_cols(&r, path, names, c, 4)) < 0)
		return rc;
	while ((rc = dts_csv_next(&row, r)) > 0) {
		int i = find(g, (size_t)c[0] < row.nfields ? row.fields[c[0]] : "");

		if (i < 0) {
			rc = dts__error(DTS_EINPUT, path, (unsigned)row.line, 0,
					"district \"%s\" is not named in the "
					"districts file", row.fields[c[0]]);
			break;
		}
		g->rows[i].zone = dup(g, &row, c[1]);
		g->rows[i].zone_zh = dup(g, &row, c[2]);
		g->rows[i].zone_en = dup(g, &row, c[3]);
		if (!g->rows[i].zone || !g->rows[i].zone_zh || !g->rows[i].zone_en) {
			rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
	}
	dts_csv_free(r);
	return rc < 0 ? rc : 0;
}

/* Areas: their parent must be a district of the layout; an area is its
 * own zone. */
static int link_areas(dts_geo *g, const char *path)
{
	for (size_t i = 0; i < g->n; i++) {
		geo_row *x = &g->rows[i];

		if (!*x->parent)
			continue;
		x->district = find(g, x->parent);
		if (x->district < 0 || !*g->rows[x->district].zone ||
		    *g->rows[x->district].parent)
			return dts__error(DTS_EINPUT, path, 0, 0, "area \"%s\": "
					  "parent \"%s\" is not a district of "
					  "the layout", x->code, x->parent);
		x->zone = x->code;
		x->zone_zh = x->name_zh;
		x->zone_en = x->name_en;
	}
	return 0;
}

int dts_geo_load(dts_geo **out, const char *zones, const char *districts)
{
	dts_geo *g;
	int rc;

	*out = NULL;
	if (!zones || !districts)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no zones or districts file");
	if (!(g = calloc(1, sizeof(*g))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = read_districts(g, districts)) < 0 ||
	    (rc = read_zones(g, zones)) < 0 ||
	    (rc = link_areas(g, districts)) < 0) {
		dts_geo_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

/* ---- the table --------------------------------------------------------- */

/* One row's figures while summing. */
typedef struct geo_sum {
	dts_amount value;
	uint64_t enterprises;
	int have;      /* some cell reached it */
	int conf;      /* worst dts_conf of its cells: 0 none */
} geo_sum;

typedef struct geo_walk {
	const dts_geo *g;
	const dts_suppress *s;
	const char *year, *category;
	int dyear, ddist, dcat;
	geo_sum *sums;            /* g->n rows, then UNLISTED */
	int rc;
} geo_walk;

/* Stronger of two statuses: primary over secondary over free. */
static int worse(int a, int b)
{
	static const int rank[] = {0, 1, 4, 3, 4};   /* by dts_conf */
	int ra = a >= 0 && a <= 4 ? rank[a] : 0, rb = b >= 0 && b <= 4 ? rank[b] : 0;

	return ra >= rb ? a : b;
}

static void add_to(geo_walk *w, geo_sum *x, const dts_cube_cell *cell)
{
	dts_suppress_cell sc;

	if (w->rc == 0 && dts_amount_add(&x->value, &cell->value) < 0)
		w->rc = DTS_EOVERFLOW;
	x->enterprises += cell->enterprises;
	x->have = 1;
	if (w->s && dts_suppress_lookup(&sc, w->s, cell->keys) == 0)
		x->conf = worse(x->conf, sc.conf);
	else if (w->s)
		x->conf = worse(x->conf, DTS_CONF_FREE);
}

static int geo_cell(const dts_cube_cell *cell, void *payload)
{
	geo_walk *w = payload;
	const char *k = cell->keys[w->ddist], *dot;
	int i;

	if (strcmp(cell->keys[w->dyear], w->year) ||
	    strcmp(cell->keys[w->dcat], w->category))
		return 0;
	if ((i = find(w->g, k)) >= 0) {
		add_to(w, &w->sums[i], cell);
		return w->rc;
	}
	/* DISTRICT.AREA: the area's row and its district's */
	if ((dot = strchr(k, '.')) && (i = find(w->g, dot + 1)) >= 0 &&
	    w->g->rows[i].district >= 0 &&
	    !strncmp(w->g->rows[w->g->rows[i].district].code, k,
		     (size_t)(dot - k)) &&
	    w->g->rows[w->g->rows[i].district].code[dot - k] == '\0') {
		add_to(w, &w->sums[i], cell);
		add_to(w, &w->sums[w->g->rows[i].district], cell);
		return w->rc;
	}
	add_to(w, &w->sums[w->g->n], cell);   /* a code the layout lacks */
	return w->rc;
}

typedef struct geo_out {
	dts_table *t;
	int unit_exp, decimals, suppressed;
} geo_out;

static int put_row(geo_out *o, const char *code, const geo_row *x,
		   const geo_sum *v, int ents)
{
	char val[64] = "x", ent[24] = "x";
	const char *conf = o->suppressed && v->conf ? dts_conf_code(v->conf) : "";
	const char *cells[9] = {code, val, x ? x->name_zh : "", x ? x->name_en : "",
				x ? x->zone : "", x ? x->zone_zh : "",
				x ? x->zone_en : "", ent, conf};
	int shown = !o->suppressed || v->conf == DTS_CONF_FREE || !v->conf;

	if (shown) {
		dts_amount_format(val, sizeof(val), &v->value, o->unit_exp,
				  o->decimals);
		if (ents)
			snprintf(ent, sizeof(ent), "%llu",
				 (unsigned long long)v->enterprises);
		else
			ent[0] = '\0';
	}
	return dts_table_add_row(o->t, cells);
}

static int geo_find_dims(geo_walk *w, const dts_cube *cube)
{
	w->dyear = dts_cube_find_dim(cube, "period:year");
	w->ddist = dts_cube_find_dim(cube, "region:district");
	w->dcat = dts_cube_find_dim(cube, "category:top");
	if (w->dcat < 0)
		w->dcat = dts_cube_find_dim(cube, "category");
	if (w->dyear < 0 || w->ddist < 0 || w->dcat < 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "a district table needs "
				  "a cube with period:year, region:district and "
				  "category:top");
	return 0;
}

/* The rows: layout, the rest when they hold records, the totals. */
static int geo_rows(geo_out *o, const geo_walk *w)
{
	static const geo_row hz = {"HANGZHOU", "", "杭州市合计", "Hangzhou total",
				   "", "", "", -1};
	static const geo_row all = {DTS_SUPPRESS_TOTAL, "", "全部合计",
				    "All records", "", "", "", -1};
	const dts_geo *g = w->g;
	geo_sum h = {0}, t = {0};
	int rc = 0, out_published = 1;

	for (size_t i = 0; i <= g->n; i++) {
		const geo_sum *v = &w->sums[i];
		int in_layout = i < g->n && (*g->rows[i].zone || g->rows[i].district >= 0);

		if (i < g->n && g->rows[i].district < 0 &&
		    (in_layout || !strcmp(g->rows[i].code, "3301")))
			if (dts_amount_add(&h.value, &v->value) < 0)
				return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
						  "district sum overflows");
		if (i < g->n && g->rows[i].district < 0)
			if (dts_amount_add(&t.value, &v->value) < 0)
				return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
						  "district sum overflows");
		if (i == g->n && v->have && dts_amount_add(&t.value, &v->value) < 0)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "district sum overflows");
		if (!in_layout && !v->have)
			continue;
		if (i < g->n && !in_layout && strcmp(g->rows[i].code, "3301") &&
		    v->conf != DTS_CONF_FREE && v->conf)
			out_published = 0;
		if (i == g->n && v->conf != DTS_CONF_FREE && v->conf)
			out_published = 0;
		if ((rc = put_row(o, i < g->n ? g->rows[i].code : "OTHER",
				  i < g->n ? &g->rows[i] : NULL, v, 1)) < 0)
			return rc;
	}
	/* The total's status is its margin cell's (year, _T, category). */
	t.conf = w->s ? DTS_CONF_FREE : 0;
	if (w->s) {
		const char *keys[3] = {w->year, DTS_SUPPRESS_TOTAL, w->category};
		dts_suppress_cell sc;

		if (dts_suppress_lookup(&sc, w->s, keys) == 0)
			t.conf = sc.conf;
	}
	/* Hangzhou is _T less OUTSIDE and UNKNOWN: published only when they
	 * are, as it would reveal them */
	h.conf = !w->s ? 0 : out_published && t.conf == DTS_CONF_FREE ?
		 DTS_CONF_FREE : DTS_CONF_SECONDARY;
	if ((rc = put_row(o, hz.code, &hz, &h, 0)) < 0)
		return rc;
	return put_row(o, all.code, &all, &t, 0);
}

int dts_geo_table(dts_table **out, const dts_geo *g, const dts_cube *cube,
		  int year, const char *category, int unit_exp, int decimals,
		  const dts_suppress_options *sup)
{
	static const char *const names[9] = {"code", "value", "name_zh", "name_en",
		"zone", "zone_zh", "zone_en", "enterprises", "CONF_STATUS"};
	geo_walk w = {g, NULL, NULL, category, 0, 0, 0, NULL, 0};
	geo_out o = {NULL, unit_exp, decimals, sup != NULL};
	const char *dims[3];
	dts_cube *roll = NULL;
	dts_suppress *s = NULL;
	char ys[16];
	int rc;

	*out = NULL;
	if (!g || !cube || !category || unit_exp < 0 || unit_exp > 14 ||
	    decimals < 0 || decimals > 14)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad district table "
				  "arguments");
	if ((rc = geo_find_dims(&w, cube)) < 0)
		return rc;
	dims[0] = "period:year";
	dims[1] = "region:district";
	dims[2] = dts_cube_dim(cube, (size_t)w.dcat);
	snprintf(ys, sizeof(ys), "%d", year);
	w.year = ys;
	if ((rc = dts_cube_rollup(&roll, cube, dims, 3)) < 0)
		return rc;
	w.dyear = 0;
	w.ddist = 1;
	w.dcat = 2;
	if (sup && (rc = dts_suppress_new(&s, roll, sup)) < 0)
		goto done;
	w.s = s;
	if (!(w.sums = calloc(g->n + 1, sizeof(*w.sums)))) {
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = dts_cube_foreach(roll, geo_cell, &w)) < 0) {
		if (rc == DTS_EOVERFLOW)
			rc = dts__error(rc, NULL, 0, 0, "district sum overflows");
		goto done;
	}
	if ((rc = dts_table_new(&o.t, names, 9, 1)) < 0)
		goto done;
	for (size_t c = 2; rc == 0 && c < 9; c++)
		if (c != 7)
			rc = dts_table_set_numeric(o.t, c, 0);
	if (rc == 0)
		rc = geo_rows(&o, &w);
	if (rc == 0 && (rc = dts_table_set_title(o.t, "Digital trade by district "
						 "and zone")) == 0 &&
	    (rc = dts_table_set_dataflow(o.t, "DTS_DISTRICT")) == 0 &&
	    (rc = dts_table_set_unit(o.t, dts_cube_currency(cube))) == 0)
		dts_table_set_unit_mult(o.t, unit_exp);
done:
	if (rc < 0)
		dts_table_free(o.t);
	else
		*out = o.t;
	free(w.sums);
	dts_suppress_free(s);
	dts_cube_free(roll);
	return rc;
}
