/*
 * periods.c — the report by period (issue 15): each year's coverage (the
 * months its data reach), part years in the annual annex (growth only like
 * for like, goals only on a complete year), and the annex indicators by
 * month, quarter, half year and 1-N月 cumulative, with year-on-year growth
 * against the same period of the previous year.
 *
 * A cube's period cells are months, quarters or halves of a year, and the
 * year's not-allocated cell (dts_period_cell_key, "2025-NA"). A period
 * column sums the cells inside its months: a month, quarter or half its
 * own cell(s), 1-N月 the cells of months 1..N. The not-allocated cell is a
 * column of its own, never inside a part of the year, so
 *     year = its months (quarters, halves) + not allocated
 *     1-N月 = months 1..N,  1-12月 + not allocated = year
 * exactly (tests/stats/test_periods.py).
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

int dts__report_period_dim(const dts_cube *cube, int *grain)
{
	static const char *const names[] = {"period:month", "period",
					    "period:quarter", "period:half"};
	static const int grains[] = {DTS_GRAIN_MONTH, DTS_GRAIN_MONTH,
				     DTS_GRAIN_QUARTER, DTS_GRAIN_HALF};

	for (size_t i = 0; i < 4; i++) {
		int d = dts_cube_find_dim(cube, names[i]);

		if (d >= 0) {
			*grain = grains[i];
			return d;
		}
	}
	return -1;
}

/* The year index of a data year; -1 when it is not one. */
static int year_at(const int *years, size_t n, int year)
{
	for (size_t i = 0; i < n; i++)
		if (years[i] == year)
			return (int)i;
	return -1;
}

/* A period cell: its year, its months and whether it is not allocated;
 * 0, or -1 for a key that is not a period cell (skipped). */
static int cell_period(dts_period_span *sp, int *na, const char *key)
{
	int g = dts_period_cell_parse(sp, key, strlen(key));

	*na = g == 0;
	return g < 0 ? -1 : 0;
}

typedef struct covctx {
	dts_report *r;
	const rpt_dims *dm;
	int *na;       /* per year: has a not-allocated cell */
} covctx;

static int cover_cell(const dts_cube_cell *cell, void *payload)
{
	covctx *c = payload;
	dts_period_span sp;
	int na, y;

	if (cell_period(&sp, &na, cell->keys[c->dm->year]) < 0 ||
	    (y = year_at(c->r->years, c->r->nyears, sp.year)) < 0)
		return 0;
	if (na)
		c->na[y] = 1;
	else if (sp.last_month > c->r->covered[y])
		c->r->covered[y] = sp.last_month;
	return 0;
}

int dts__report_coverage(dts_report *r, const dts_cube *cube,
			 const rpt_dims *dm)
{
	covctx c = {r, dm, NULL};
	int rc = 0;

	r->covered = calloc(r->nyears + 1, sizeof(int));
	c.na = calloc(r->nyears + 1, sizeof(int));
	if (!r->covered || !c.na) {
		free(c.na);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (dm->grain != DTS_GRAIN_YEAR)
		rc = dts_cube_foreach(cube, cover_cell, &c);
	for (size_t y = 0; y < r->nyears; y++)
		/* A cube by year says nothing finer: its years are taken as
		 * complete. So is a year whose records are all annual. */
		if (dm->grain == DTS_GRAIN_YEAR ||
		    (r->covered[y] == 0 && c.na[y]))
			r->covered[y] = 12;
	free(c.na);
	return rc;
}

void dts__report_part_year(const dts_report *r, size_t y, const rpt_ind *d,
			   rpt_cell *c)
{
	int m = r->covered[y], p;

	if (d->pub.kind == DTS_INDICATOR_REPORTED)
		return;   /* the bureau's own annual figure, whatever the records */
	if (m < 12 && c->attain[0])
		snprintf(c->attain, sizeof(c->attain), "%s", "year not complete");
	if (d->pub.kind != DTS_INDICATOR_SUM || c->growth[0] || !c->v.have ||
	    y == 0 ||
	    r->years[y - 1] != r->years[y] - 1)
		return;
	p = r->covered[y - 1];
	if (p != m)   /* never a part year against a full year */
		snprintf(c->growth, sizeof(c->growth),
			 "not comparable: 1-%d月 vs 1-%d月", m, p);
}

int dts__report_notes_periods(dts_table *t, const dts_report *r)
{
	char note[1024];
	size_t k;
	const char *row[2] = {"期间 Periods", note};

	k = (size_t)snprintf(note, sizeof(note), "data by year:");
	for (size_t y = 0; y < r->nyears && k < sizeof(note); y++) {
		if (r->covered[y] == 12)
			k += (size_t)snprintf(note + k, sizeof(note) - k,
					      "%s %d complete", y ? "," : "",
					      r->years[y]);
		else
			k += (size_t)snprintf(note + k, sizeof(note) - k,
					      "%s %d to month %d (a part year: "
					      "growth only on the same months, "
					      "goals not judged)", y ? "," : "",
					      r->years[y], r->covered[y]);
	}
	if (k < sizeof(note))
		snprintf(note + k, sizeof(note) - k, "; records coarser than the "
			 "cube's period cells (annual or half-year survey "
			 "figures, quarterly BOP) are in their year's "
			 "not-allocated cell YYYY-NA, inside the year's total; "
			 "dts-report --by month|quarter|half|ytd gives the "
			 "tables by period");
	return dts_table_add_row(t, row);
}

/* ---- the period tables -------------------------------------------------------- */

int dts_report_by_parse(const char *name)
{
	static const char *const names[] = {"month", "quarter", "half", "ytd"};

	for (int i = 0; name && i < 4; i++)
		if (!strcmp(name, names[i]))
			return i + 1;
	return DTS_ENOTFOUND;
}

/* One column of a period table: months first..last of year, or the
 * year's not-allocated cell. */
typedef struct pcol {
	int year, first, last, na;
	int prev;               /* the same period a year before, or -1 */
	char key[40];           /* "2025-03", "2025-01-01/P3M", "2025-NA" */
	char basis[96];         /* prev's key, or why growth is not compared */
} pcol;

typedef struct pgrid {
	const dts_report *r;
	const rpt_dims *dm;
	pcol *c;
	size_t n, cap;
	rpt_val *v;             /* indicator i, column j at i * n + j */
	char (*growth)[64];
} pgrid;

static int add_col(pgrid *g, int year, int first, int last, int na, int ytd)
{
	pcol *c;
	dts_period_span sp = {year, first, last, 0};

	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 32;
		pcol *v = realloc(g->c, cap * sizeof(*v));

		if (!v)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		g->c = v;
		g->cap = cap;
	}
	c = &g->c[g->n++];
	memset(c, 0, sizeof(*c));
	c->year = year;
	c->first = first;
	c->last = last;
	c->na = na;
	c->prev = -1;
	if (na)
		snprintf(c->key, sizeof(c->key), "%d-%s", year, DTS_PERIOD_NA);
	else if (ytd)   /* always a range, even 1-3月: not the quarter */
		snprintf(c->key, sizeof(c->key), "%d-01-01/P%dM", year, last);
	else
		dts_period_span_key(c->key, sizeof(c->key), &sp);
	return 0;
}

/* Months per cell of a grain, and per column of a table. */
static int grain_width(int grain)
{
	return grain == DTS_GRAIN_HALF ? 6 : grain == DTS_GRAIN_QUARTER ? 3 : 1;
}

static int na_years(int *na, const dts_report *r, const dts_cube *cube,
		    const rpt_dims *dm);

static int make_cols(pgrid *g, const dts_cube *cube, int by)
{
	const dts_report *r = g->r;
	int cw = grain_width(g->dm->grain);
	int w = by == DTS_REPORT_BY_HALF ? 6 : by == DTS_REPORT_BY_QUARTER ? 3 :
		by == DTS_REPORT_BY_MONTH ? 1 : cw;
	int *na = calloc(r->nyears + 1, sizeof(int));
	int rc = na ? na_years(na, r, cube, g->dm) :
		 dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");

	for (size_t y = 0; rc == 0 && y < r->nyears; y++) {
		int year = r->years[y], m = r->covered[y];

		/* complete periods only: a quarter needs its three months */
		for (int e = w; rc == 0 && e <= m; e += w)
			rc = add_col(g, year, by == DTS_REPORT_BY_YTD ? 1 : e - w + 1,
				     e, 0, by == DTS_REPORT_BY_YTD);
		if (rc == 0 && na[y])
			rc = add_col(g, year, 1, 12, 1, 0);
	}
	free(na);
	/* like for like: the same months of the previous year */
	for (size_t j = 0; j < g->n; j++) {
		pcol *c = &g->c[j];
		int py = year_at(r->years, r->nyears, c->year - 1);

		for (size_t k = 0; k < j && !c->na; k++)
			if (g->c[k].year == c->year - 1 && !g->c[k].na &&
			    g->c[k].first == c->first && g->c[k].last == c->last)
				c->prev = (int)k;
		if (c->prev >= 0)
			snprintf(c->basis, sizeof(c->basis), "%s",
				 g->c[c->prev].key);
		else if (c->na)
			snprintf(c->basis, sizeof(c->basis), "%s",
				 "not allocated to a period: not compared");
		else if (py < 0)
			snprintf(c->basis, sizeof(c->basis), "no data for %d",
				 c->year - 1);
		else
			snprintf(c->basis, sizeof(c->basis),
				 "%d has data to month %d only", c->year - 1,
				 r->covered[py]);
	}
	return rc;
}

typedef struct nactx {
	const dts_report *r;
	const rpt_dims *dm;
	int *na;
} nactx;

static int na_cell(const dts_cube_cell *cell, void *payload)
{
	nactx *c = payload;
	dts_period_span sp;
	int na, y;

	if (cell_period(&sp, &na, cell->keys[c->dm->year]) == 0 && na &&
	    (y = year_at(c->r->years, c->r->nyears, sp.year)) >= 0)
		c->na[y] = 1;
	return 0;
}

/* na[y]: data year y has a not-allocated cell. */
static int na_years(int *na, const dts_report *r, const dts_cube *cube,
		    const rpt_dims *dm)
{
	nactx c = {r, dm, na};

	return dts_cube_foreach(cube, na_cell, &c);
}

static int sum_cell(const dts_cube_cell *cell, void *payload)
{
	pgrid *g = payload;
	const dts_report *r = g->r;
	dts_period_span sp;
	int na;

	if (cell_period(&sp, &na, cell->keys[g->dm->year]) < 0)
		return 0;
	for (size_t j = 0; j < g->n; j++) {
		const pcol *c = &g->c[j];

		if (c->year != sp.year || c->na != na ||
		    (!na && (sp.first_month < c->first || sp.last_month > c->last)))
			continue;
		for (size_t i = 0; i < r->n; i++) {
			const rpt_ind *d = &r->ind[i];

			if (d->pub.kind != DTS_INDICATOR_SUM ||
			    !dts__report_cell_matches(cell->keys, g->dm, d))
				continue;
			if (dts_amount_add(&g->v[i * g->n + j].a, &cell->value) < 0)
				return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
						  "indicator %s: sum overflows",
						  d->pub.id);
		}
	}
	return 0;
}

/* Values of every indicator in every column, then growth on prev. */
static int compute_grid(pgrid *g, const dts_cube *cube)
{
	const dts_report *r = g->r;
	int rc = dts_cube_foreach(cube, sum_cell, g);

	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		const rpt_ind *d = &r->ind[i];

		for (size_t j = 0; rc == 0 && j < g->n; j++) {
			rpt_val *v = &g->v[i * g->n + j];
			int p = g->c[j].prev;

			if (d->pub.kind == DTS_INDICATOR_SUM) {
				v->have = 1;
				dts_amount_format(v->text, sizeof(v->text), &v->a,
						  d->pub.unit_exp, r->decimals);
			} else if (d->pub.kind == DTS_INDICATOR_SHARE) {
				const rpt_val *b = &g->v[(size_t)d->of[1] * g->n + j];

				if (b->have)
					rc = dts__report_percent(
						v, &g->v[(size_t)d->of[0] * g->n + j],
						&b->a);
			} else if (d->pub.kind == DTS_INDICATOR_GROWTH && p >= 0) {
				rc = dts__report_growth(
					v, &g->v[(size_t)d->of[0] * g->n + j],
					&g->v[(size_t)d->of[0] * g->n + (size_t)p]);
			}   /* reported values are annual: missing here */
		}
		for (size_t j = 0; rc == 0 && j < g->n; j++) {
			rpt_val gr = {0};
			int p = g->c[j].prev;

			if ((d->pub.kind == DTS_INDICATOR_SUM) && p >= 0)
				rc = dts__report_growth(&gr, &g->v[i * g->n + j],
							&g->v[i * g->n + (size_t)p]);
			snprintf(g->growth[i * g->n + j], 64, "%s",
				 gr.have ? gr.text : p < 0 &&
				 d->pub.kind == DTS_INDICATOR_SUM &&
				 !g->c[j].na ? "not comparable" : "");
		}
	}
	return rc;
}

static const char *by_title(int by)
{
	return by == DTS_REPORT_BY_MONTH ? "by month" :
	       by == DTS_REPORT_BY_QUARTER ? "by quarter" :
	       by == DTS_REPORT_BY_HALF ? "by half year" :
	       "1-N月 cumulative (year to date)";
}

static const char *by_flow(int by)
{
	return by == DTS_REPORT_BY_MONTH ? "DTS_ANNEX_M" :
	       by == DTS_REPORT_BY_QUARTER ? "DTS_ANNEX_Q" :
	       by == DTS_REPORT_BY_HALF ? "DTS_ANNEX_S" : "DTS_ANNEX_YTD";
}

static int grid_table(dts_table **out, const pgrid *g, int by, int year)
{
	static const char *const names[] = {"id", "period", "value", "no",
		"indicator", "unit", "growth_pct", "growth_basis",
		"indicator_en"};
	const dts_report *r = g->r;
	dts_table *t = NULL;
	char title[512], base[256];
	int rc = dts_table_new(&t, names, 9, 2);

	for (int k = 3; rc == 0 && k <= 8; k++)
		if (k != 6)
			rc = dts_table_set_numeric(t, (size_t)k, 0);
	snprintf(title, sizeof(title), "%s %s", dts__report_annex_title(r, base,
		 sizeof(base)), by_title(by));
	if (rc == 0 && ((rc = dts_table_set_title(t, title)) < 0 ||
			(rc = dts__report_annex_sdmx(t, r)) < 0 ||
			(rc = dts_table_set_dataflow(t, by_flow(by))) < 0 ||
			(rc = dts_table_set_missing(t, "missing")) < 0))
		goto done;
	for (size_t j = 0; rc == 0 && j < g->n; j++) {
		if (year && g->c[j].year != year)
			continue;
		for (size_t i = 0; rc == 0 && i < r->n; i++) {
			const rpt_val *v = &g->v[i * g->n + j];
			const dts_indicator *d = &r->ind[i].pub;
			const char *row[9], *unit;
			char ub[64];
			int mult;

			if (d->kind == DTS_INDICATOR_REPORTED)
				continue;   /* annual figures: not in these tables */

			row[0] = d->id; row[1] = g->c[j].key;
			row[2] = v->have ? v->text : "";
			row[3] = d->no; row[4] = d->name_zh;
			row[5] = dts__report_unit(r->currency, d, ub, sizeof(ub));
			row[6] = g->growth[i * g->n + j];
			row[7] = d->kind == DTS_INDICATOR_SUM ||
				 d->kind == DTS_INDICATOR_GROWTH ? g->c[j].basis : "";
			row[8] = d->name_en;
			dts__report_sdmx_unit(r, d, &unit, &mult);
			if ((rc = dts_table_add_row(t, row)) == 0)
				rc = dts_table_set_row_unit(t, dts_table_nrows(t) - 1,
							    unit, mult);
		}
	}
done:
	if (rc < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* The grid of every indicator by `by` over the cube (the table's and the
 * page's one computation); the caller frees g->c, g->v, g->growth. */
static int build_grid(pgrid *g, rpt_dims *dm, const dts_report *r,
		      const dts_cube *cube, int by)
{
	int rc;

	memset(g, 0, sizeof(*g));
	if (!r || !r->cells)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no computed report");
	if (by < DTS_REPORT_BY_MONTH || by > DTS_REPORT_BY_YTD)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "unknown period table %d",
				  by);
	if ((rc = dts__report_dims(dm, cube)) < 0)
		return rc;
	if (dm->grain == DTS_GRAIN_YEAR ||
	    (by != DTS_REPORT_BY_YTD &&
	     grain_width(dm->grain) > (by == DTS_REPORT_BY_HALF ? 6 :
				       by == DTS_REPORT_BY_QUARTER ? 3 : 1)))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "a table %s needs a "
				  "cube by period:%s or finer (this one is by "
				  "%s)", by_title(by),
				  by == DTS_REPORT_BY_HALF ? "half" :
				  by == DTS_REPORT_BY_QUARTER ? "quarter" : "month",
				  dts_cube_dim(cube, (size_t)dm->year));
	g->r = r;
	g->dm = dm;
	if ((rc = make_cols(g, cube, by)) < 0)
		return rc;
	g->v = calloc(r->n * g->n + 1, sizeof(*g->v));
	g->growth = calloc(r->n * g->n + 1, sizeof(*g->growth));
	if (!g->v || !g->growth)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return compute_grid(g, cube);
}

static void grid_free(pgrid *g)
{
	free(g->c);
	free(g->v);
	free(g->growth);
}

int dts_report_period_table(dts_table **out, const dts_report *r,
			    const dts_cube *cube, int by, int year)
{
	rpt_dims dm;
	pgrid g;
	int rc;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no computed report");
	*out = NULL;
	if ((rc = build_grid(&g, &dm, r, cube, by)) == 0)
		rc = grid_table(out, &g, by, year);
	grid_free(&g);
	return rc;
}

int dts__report_period_points(dts__period_point *out, const dts_report *r,
			      const dts_cube *cube, int by, int year,
			      const char *const *ids, size_t nids)
{
	rpt_dims dm;
	pgrid g;
	int rc;

	memset(out, 0, nids * 2 * 13 * sizeof(*out));
	rc = build_grid(&g, &dm, r, cube, by);
	for (size_t k = 0; rc == 0 && k < nids; k++) {
		size_t i = 0;

		while (i < r->n && strcmp(r->ind[i].pub.id, ids[k]))
			i++;
		if (i == r->n) {
			rc = dts__error(DTS_ENOTFOUND, NULL, 0, 0, "no indicator "
					"%s", ids[k]);
			break;
		}
		for (size_t j = 0; j < g.n; j++) {
			const pcol *c = &g.c[j];
			int y = year - c->year;
			dts__period_point *o;

			if (y < 0 || y > 1 || (!c->na && (c->last < 1 || c->last > 12)))
				continue;
			o = &out[(k * 2 + (size_t)y) * 13 + (size_t)(c->na ? 12 : c->last - 1)];
			o->have = g.v[i * g.n + j].have;
			o->value = g.v[i * g.n + j].a;
			snprintf(o->growth, sizeof(o->growth), "%s",
				 g.growth[i * g.n + j]);
		}
	}
	grid_free(&g);
	return rc;
}
