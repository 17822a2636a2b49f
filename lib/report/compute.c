/*
 * compute.c — the report over a cube: sums in one walk, reported values,
 * shares and growth rates as exact percentages, targets and attainment,
 * and the boundary table.
 *
 * Values are exact amounts at 10^-14 of the indicator's base unit (the
 * reporting currency for money, whatever `unit` says: 亿元 only scales
 * what is shown), so shares and growth are ratios of true quantities.
 * Percentages are truncated at 10^-14 with the direction of what was cut
 * off, which keeps every shown rounding and every goal comparison exact
 * (dts__amount_percent).
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* Name the indicator in the last error ("indicator R1: percent out of range"). */
static int about(int rc, const rpt_ind *d)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", dts_error_last() ?
		 dts_error_last()->message : "error");
	return dts__error(rc, NULL, 0, 0, "indicator %s: %s", d->pub.id, msg);
}

int dts__report_dims(rpt_dims *out, const dts_cube *cube)
{
	static const char *const need[] = {"period:year", "flow",
					   "category:top", "base"};
	int *slot[] = {&out->year, &out->flow, &out->cat, &out->base};

	if (!cube)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no cube");
	for (size_t i = 0; i < 4; i++) {
		*slot[i] = dts_cube_find_dim(cube, need[i]);
		if (i == 0 && *slot[i] < 0)
			*slot[i] = dts__report_period_dim(cube, &out->grain);
		else if (i == 0)
			out->grain = DTS_GRAIN_YEAR;
		if (i == 2 && *slot[i] < 0)
			*slot[i] = dts_cube_find_dim(cube, "category");
		if (*slot[i] < 0)
			return dts__error(DTS_EINVAL, NULL, 0, 0, "the cube has no "
					  "dimension \"%s\" (a report needs "
					  DTS_REPORT_DIMS ")", need[i]);
	}
	out->source = dts_cube_find_dim(cube, "source");
	if (out->source < 0)
		out->source = -1;   /* optional: sources not known */
	return 0;
}

void dts__report_scale(dts_amount *out, dts_money v, int unit_exp)
{
	dts_rate rate = DTS_RATE_ONE;   /* unit_exp <= 8: 10^18 fits */

	for (int k = 0; k < unit_exp; k++)
		rate *= 10;
	dts_amount_convert(out, v, rate);
}

/* A cell's flow as the bits of a sum's flows (1 X, 2 M). */
static int flow_bit(const char *f)
{
	return !strcmp(f, "X") ? 1 : !strcmp(f, "M") ? 2 : 0;
}

static int cell_matches(const char *const *keys, const rpt_dims *dm,
			unsigned cats, int flows, const char *base)
{
	int code = dts__report_code(keys[dm->cat]);

	return code >= 0 && (cats & (1u << code)) &&
	       (flows & flow_bit(keys[dm->flow])) &&
	       (!base || !*base || !strcmp(keys[dm->base], base));
}

/* Numeric year keys only ("2025"), or the year of a finer period cell
 * ("2025-03", "2025-Q1", "2025-NA"); -1 for anything else. */
static int key_year(const char *s)
{
	char *end;
	long y;

	if (*s < '0' || *s > '9')
		return -1;
	y = strtol(s, &end, 10);
	if (*end == '-' && end - s == 4)
		return (int)y;
	return *end || y > 99999 ? -1 : (int)y;
}

static int year_index(const dts_report *r, int year)
{
	size_t lo = 0, hi = r->nyears;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->years[mid] == year)
			return (int)mid;
		if (r->years[mid] < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- data years ----------------------------------------------------------- */

typedef struct yearctx {
	const rpt_dims *dm;
	int *v;
	size_t n, cap;
	int last;
} yearctx;

static int collect_year(const dts_cube_cell *cell, void *payload)
{
	yearctx *c = payload;
	int y = key_year(cell->keys[c->dm->year]);

	if (y < 0 || (c->n && c->last == y))
		return 0;   /* cells come sorted: most repeats are adjacent */
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		int *v = realloc(c->v, cap * sizeof(int));

		if (!v)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = c->last = y;
	return 0;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static int collect_years(dts_report *r, const dts_cube *cube,
			 const rpt_dims *dm)
{
	yearctx c = {dm, NULL, 0, 0, 0};
	size_t n = 0;
	int rc = dts_cube_foreach(cube, collect_year, &c);

	if (rc != 0) {
		free(c.v);
		return rc;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof(int), int_cmp);
	for (size_t i = 0; i < c.n; i++)
		if (n == 0 || c.v[n - 1] != c.v[i])
			c.v[n++] = c.v[i];
	r->years = c.v;
	r->nyears = n;
	return 0;
}

/* ---- sums ------------------------------------------------------------------ */

typedef struct sumctx {
	dts_report *r;
	const rpt_dims *dm;
} sumctx;

static int sum_cell(const dts_cube_cell *cell, void *payload)
{
	sumctx *s = payload;
	dts_report *r = s->r;
	int y = year_index(r, key_year(cell->keys[s->dm->year]));

	if (y < 0)
		return 0;
	for (size_t i = 0; i < r->n; i++) {
		const rpt_ind *d = &r->ind[i];
		rpt_val *v = &r->cells[i * r->nyears + (size_t)y].v;

		if (d->pub.kind != DTS_INDICATOR_SUM ||
		    !dts__report_match(d, cell->keys, s->dm))
			continue;
		if (dts_amount_add(&v->a, &cell->value) < 0)
			return about(DTS_EOVERFLOW, d);
	}
	return 0;
}

static int compute_sums(dts_report *r, const dts_cube *cube,
			const rpt_dims *dm, int decimals)
{
	sumctx s = {r, dm};
	int rc = dts_cube_foreach(cube, sum_cell, &s);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++) {
			rpt_cell *c = &r->cells[i * r->nyears + y];

			if (r->ind[i].pub.kind != DTS_INDICATOR_SUM)
				continue;
			c->v.have = 1;   /* no records: a true zero, the data were read */
			dts_amount_format(c->v.text, sizeof(c->v.text), &c->v.a,
					  r->ind[i].pub.unit_exp, decimals);
		}
	return 0;
}

/* ---- percentages ------------------------------------------------------------ */

/* out = 100 * num / den, truncated, with the direction of the rest;
   missing when either is missing or den is zero. */
static int percent_of(rpt_val *out, const rpt_val *num, const dts_amount *den)
{
	const dts_amount zero = DTS_AMOUNT_ZERO;
	int inexact, rc;

	if (!num->have || !dts_amount_cmp(den, &zero))
		return 0;
	if ((rc = dts__amount_percent(&out->a, &inexact, &num->a, den)) < 0)
		return rc;
	out->have = 1;
	/* truncation is toward zero: the exact value lies further out */
	out->rest = !inexact ? 0 : (num->a.hi < 0) != (den->hi < 0) ? -1 : 1;
	dts_amount_format(out->text, sizeof(out->text), &out->a, 0, 2);
	return 0;
}

/* Growth of a on b (the previous year): 100 * (a - b) / b. */
static int growth_of(rpt_val *out, const rpt_val *a, const rpt_val *b)
{
	rpt_val diff = *a;
	int rc;

	if (!a->have || !b->have)
		return 0;
	if ((rc = dts_amount_sub(&diff.a, &b->a)) < 0)
		return rc;
	return percent_of(out, &diff, &b->a);
}

/* The previous data year is the previous calendar year, with the same
 * months covered (like for like: never a part year against a full year). */
static int has_prev(const dts_report *r, size_t y)
{
	return y > 0 && r->years[y - 1] == r->years[y] - 1 &&
	       r->covered[y - 1] == r->covered[y];
}

static int compute_ratios(dts_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++) {
			const rpt_ind *d = &r->ind[i];
			rpt_val *v = &r->cells[i * r->nyears + y].v;
			const rpt_cell *of = &r->cells[(size_t)d->of[0] * r->nyears + y];
			int rc = 0;

			if (d->pub.kind == DTS_INDICATOR_SHARE) {
				const rpt_val *b = &r->cells[(size_t)d->of[1] *
							     r->nyears + y].v;

				if (b->have)
					rc = percent_of(v, &of->v, &b->a);
			} else if (d->pub.kind == DTS_INDICATOR_GROWTH) {
				rpt_val tmp;
				const rpt_val *b = dts__report_base(r, (size_t)d->of[0],
								    y, &tmp);

				if (b)   /* a published base, or the year before */
					rc = growth_of(v, &of->v, b);
			}
			if (rc < 0)
				return about(rc, d);
		}
	return 0;
}

/* ---- reported values, targets, attainment ------------------------------------ */

static void place_reported(dts_report *r)
{
	for (size_t k = 0; k < r->reported.n; k++) {
		const rpt_entry *e = &r->reported.v[k];
		int y = year_index(r, e->year);
		rpt_val *v;

		if (y < 0 || !e->have || e->role != RPT_VALUE ||
		    r->ind[e->ind].pub.kind != DTS_INDICATOR_REPORTED)
			continue;   /* supplied sums, bases: bases.c */
		v = &r->cells[(size_t)e->ind * r->nyears + (size_t)y].v;
		v->have = 1;
		dts__report_scale(&v->a, e->money, r->ind[e->ind].pub.unit_exp);
		r->cells[(size_t)e->ind * r->nyears + (size_t)y].shown = e->text;
	}
}

/* x against t, exactly: the rest of a truncated percentage decides a tie. */
static int cmp_value(const rpt_val *x, const dts_amount *t)
{
	int c = dts_amount_cmp(&x->a, t);

	return c ? c : x->rest;
}

static void attainment(dts_report *r, rpt_cell *c, const rpt_ind *d,
		       const rpt_entry *t, size_t y)
{
	dts_amount goal;

	c->attain[0] = '\0';
	if (!t && d->goal == GOAL_NONE)
		return;
	if (!c->comparable) {   /* a partial denominator: never "met" */
		snprintf(c->attain, sizeof(c->attain), "not comparable");
		if (!t && d->ncond)
			c->target = d->pub.goal;
		return;
	}
	if (!t && d->ncond) {   /* conditions, maybe on a reference */
		dts__report_goal(r, c, d, y);
		return;
	}
	if (!c->v.have)
		return;
	dts__report_scale(&goal, t ? t->money : d->goal_value, d->pub.unit_exp);
	{
		rpt_val pct = {0};

		/* a zero target has no attainment */
		if (percent_of(&pct, &c->v, &goal) == 0 && pct.have)
			dts_amount_format(c->attain, sizeof(c->attain), &pct.a, 0, 1);
	}
}

static int finish_cells(dts_report *r)
{
	const rpt_entry **tg = calloc(r->n * r->nyears + 1, sizeof(*tg));

	if (!tg)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t k = 0; k < r->targets.n; k++) {
		int y = year_index(r, r->targets.v[k].year);

		if (y >= 0)
			tg[(size_t)r->targets.v[k].ind * r->nyears + (size_t)y] =
				&r->targets.v[k];
	}
	/* The plan's targets are in CNY terms: under another currency none
	 * is compared (a USD value against a CNY target says nothing). */
	int compare = !strcmp(r->currency, RPT_TARGET_CURRENCY);

	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++) {
			const rpt_ind *d = &r->ind[i];
			rpt_cell *c = &r->cells[i * r->nyears + y];
			const rpt_entry *t = compare ? tg[i * r->nyears + y] : NULL;
			rpt_val g = {0}, tmp;
			const rpt_val *b = dts__report_base(r, i, y, &tmp);

			c->target = t ? t->text : compare ? d->pub.goal : "";
			c->yearly = t != NULL;
			if (compare)
				attainment(r, c, d, t, y);
			else
				c->attain[0] = '\0';
			if ((d->pub.kind == DTS_INDICATOR_SUM ||
			     d->pub.kind == DTS_INDICATOR_REPORTED) &&
			    b && growth_of(&g, &c->v, b) < 0) {
				free(tg);
				return about(DTS_EOVERFLOW, d);
			}
			snprintf(c->growth, sizeof(c->growth), "%s",
				 g.have ? g.text : "");
			dts__report_part_year(r, y, d, c);
		}
	free(tg);
	return 0;
}

int dts_report_compute(dts_report *r, const dts_cube *cube, int decimals)
{
	rpt_dims dm;
	int rc;

	if (!r || decimals < 0 || decimals > DTS_AMOUNT_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad report arguments");
	if ((rc = dts__report_dims(&dm, cube)) < 0)
		return rc;
	dts__report_free_book(r);
	free(r->years);
	free(r->cells);
	free(r->covered);
	r->covered = NULL;
	snprintf(r->currency, sizeof(r->currency), "%s", dts_cube_currency(cube));
	r->status = dts_cube_status(cube);
	r->decimals = decimals;
	r->oom = 0;
	r->years = NULL;
	r->cells = NULL;
	r->nyears = 0;
	if ((rc = collect_years(r, cube, &dm)) != 0 ||
	    (rc = dts__report_coverage(r, cube, &dm)) != 0)
		return rc;
	if (!(r->cells = calloc(r->n * r->nyears + 1, sizeof(*r->cells)))) {
		r->nyears = 0;
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if ((rc = compute_sums(r, cube, &dm, decimals)) != 0)
		goto fail;
	place_reported(r);
	dts__report_supply(r);   /* official totals, published bases */
	if ((rc = dts__report_overlap_apply(r)) < 0 ||   /* counted once */
	    (rc = dts__report_scope_coverage(r, cube, &dm)) < 0 ||
	    (rc = compute_ratios(r)) < 0 || (rc = finish_cells(r)) < 0 ||
	    (rc = dts__report_bases(r)) < 0)
		goto fail;
	return 0;
fail:
	r->nyears = 0;   /* no rows from a half-computed report */
	return rc;
}

/* ---- units ------------------------------------------------------------------ */

const char *dts__report_unit(const char *currency, const dts_indicator *d,
			     char *buf, size_t n)
{
	static const struct { const char *code, *zh; } names[] = {
		{"USD", "美元"}, {"EUR", "欧元"}, {"HKD", "港元"}, {"JPY", "日元"},
		{"GBP", "英镑"}};
	const char *cur = currency, *scale;

	if (d->kind != DTS_INDICATOR_SUM || !strcmp(cur, "CNY") ||
	    (strcmp(d->unit, "亿元") && strcmp(d->unit, "万元") &&
	     strcmp(d->unit, "元")))
		return d->unit;   /* reported money stays as reported */
	scale = d->unit_exp == 8 ? "亿" : d->unit_exp == 4 ? "万" : "";
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(cur, names[i].code)) {
			snprintf(buf, n, "%s%s", scale, names[i].zh);
			return buf;
		}
	snprintf(buf, n, "%s%s%s", scale, *scale ? " " : "", cur);
	return buf;
}

int dts_report_targets_compared(const dts_report *r)
{
	return r && !strcmp(r->currency, RPT_TARGET_CURRENCY);
}

size_t dts_report_years(const dts_report *r, const int **years)
{
	if (years)
		*years = r ? r->years : NULL;
	return r && r->cells ? r->nyears : 0;
}

int dts_report_row_get(dts_report_row *out, const dts_report *r, size_t i,
		       size_t y)
{
	const rpt_cell *c;
	const dts_amount zero = DTS_AMOUNT_ZERO;

	if (!out || !r || !r->cells || i >= r->n || y >= r->nyears)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no such report row");
	c = &r->cells[i * r->nyears + y];
	out->indicator = &r->ind[i].pub;
	out->year = r->years[y];
	out->missing = !c->v.have;
	out->value = !c->v.have ? "" : c->shown ? c->shown : c->v.text;
	out->exact = c->v.have ? c->v.a : zero;
	out->target = c->target;
	out->yearly_target = c->yearly;
	out->attainment = c->attain;
	out->growth = c->growth;
	return 0;
}

/* ---- one sum, the boundary table ---------------------------------------------- */

typedef struct onesum {
	const rpt_dims *dm;
	int year;
	unsigned cats;
	int flows;
	const char *base;
	dts_amount total;
} onesum;

static int onesum_cell(const dts_cube_cell *cell, void *payload)
{
	onesum *s = payload;

	if (key_year(cell->keys[s->dm->year]) != s->year ||
	    !cell_matches(cell->keys, s->dm, s->cats, s->flows, s->base))
		return 0;
	return dts_amount_add(&s->total, &cell->value);
}

int dts_report_sum(dts_amount *out, const dts_cube *cube, int year,
		   const char *categories, const char *flows, const char *base)
{
	rpt_dims dm;
	onesum s = {&dm, year, 0, 0, base, DTS_AMOUNT_ZERO};
	int rc;

	if (!out || !categories || !flows)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad sum arguments");
	if ((rc = dts__report_dims(&dm, cube)) < 0 ||
	    (rc = dts__report_parse_sum(&s.cats, &s.flows, categories, flows,
					base, NULL, 0)) < 0 ||
	    (rc = dts_cube_foreach(cube, onesum_cell, &s)) != 0)
		return rc;
	*out = s.total;
	return 0;
}

typedef struct bctx {
	const rpt_dims *dm;
	dts_boundary *b;
} bctx;

static int boundary_cell(const dts_cube_cell *cell, void *payload)
{
	bctx *c = payload;
	const char *const *k = cell->keys;
	int base = !strcmp(k[c->dm->base], "goods") ? DTS_BOUNDARY_GOODS :
		   !strcmp(k[c->dm->base], "services") ? DTS_BOUNDARY_SERVICES :
		   DTS_BOUNDARY_UNKNOWN;
	int dig = !strcmp(k[c->dm->cat], "DT") ? DTS_BOUNDARY_DIGITAL :
		  !strcmp(k[c->dm->cat], "NONE") ? DTS_BOUNDARY_ORDINARY : -1;
	int fl = !strcmp(k[c->dm->flow], "X") ? DTS_BOUNDARY_EXPORT :
		 DTS_BOUNDARY_IMPORT;
	const int bs[2] = {base, DTS_BOUNDARY_BASES};
	const int ds[2] = {dig, DTS_BOUNDARY_BOTH};
	const int fs[2] = {fl, DTS_BOUNDARY_FLOWS};

	if (dig < 0 || key_year(k[c->dm->year]) != c->b->year)
		return 0;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			for (int l = 0; l < 2; l++) {
				int rc = dts_amount_add(&c->b->value[bs[i]][ds[j]][fs[l]],
							&cell->value);

				if (rc < 0)
					return rc;
			}
	return 0;
}

int dts_report_boundary(dts_boundary *out, const dts_cube *cube, int year)
{
	rpt_dims dm;
	dts_boundary b;
	bctx c = {&dm, &b};
	int rc;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no boundary table");
	memset(&b, 0, sizeof(b));
	b.year = year;
	if ((rc = dts__report_dims(&dm, cube)) < 0 ||
	    (rc = dts_cube_foreach(cube, boundary_cell, &c)) != 0)
		return rc;
	*out = b;
	return 0;
}

/* For bases.c and scope.c: the one year parse and data-year lookup. */
int dts__report_key_year(const char *s)
{
	return key_year(s);
}

int dts__report_year_index(const dts_report *r, int year)
{
	return year_index(r, year);
}

int dts__report_has_prev(const dts_report *r, size_t y)
{
	return has_prev(r, y);
}

/* ---- for the period tables (periods.c) ---------------------------------------- */

int dts__report_cell_matches(const char *const *keys, const rpt_dims *dm,
			     const rpt_ind *d)
{
	return dts__report_match(d, keys, dm);   /* its sources too (scope.c) */
}

int dts__report_percent(rpt_val *out, const rpt_val *num, const dts_amount *den)
{
	return percent_of(out, num, den);
}

int dts__report_cmp(const rpt_val *x, const dts_amount *t)
{
	return cmp_value(x, t);
}

int dts__report_growth(rpt_val *out, const rpt_val *a, const rpt_val *b)
{
	return growth_of(out, a, b);
}
