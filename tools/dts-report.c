/*
 * dts-report — the monitoring table of the plan's annex: indicators
 * defined in a file (indicators/hangzhou-annex.csv), computed from
 * records or cubes, with targets, attainment and growth, and the boundary
 * table. See man/dts-report.1 and docs/statistics.md.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "dts/csv.h"
#include "table.h"
#include "tool.h"

#define MAX_IND 128
#define MAX_YEARS 32
#define REPORT_DIMS "period:year,flow,category:top,base"

typedef enum { K_SUM, K_SHARE, K_GROWTH, K_REPORTED } kind;

typedef struct ind {
	char *id, *no, *unit, *zh, *en, *target;
	kind k;
	char *cats[8];
	size_t ncats;
	int flows;          /* bit 1 X, bit 2 M */
	char *base;         /* "" any */
	int of[2];          /* share: num, den; growth: of */
} ind;

typedef struct val {
	int have;
	double d;
	char text[64];
} val;

typedef struct report {
	ind inds[MAX_IND];
	size_t n;
	int years[MAX_YEARS];
	size_t nyears;
	val v[MAX_IND][MAX_YEARS];
	char *target[MAX_IND][MAX_YEARS]; /* from the targets file */
	int tyears[8];
	size_t ntyears;
} report;

/* Digits after the point for money values (--decimals). */
static int money_decimals = 2;

static const char *const all_cats[] = {"CBEC", "TECH", "SERV", "PROD",
				       "DATA", "NONE"};

/* ---- reading the definition files -------------------------------------- */

static int col_of(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

static int find_ind(const report *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->inds[i].id, id) ||
		    (r->inds[i].no[0] && !strcmp(r->inds[i].no, id)))
			return (int)i;
	return -1;
}

static int bad(const char *path, unsigned long long line, const char *what,
	       const char *detail)
{
	tool_warn("%s:%llu: %s%s%s%s", path, line, what,
		  detail ? " \"" : "", detail ? detail : "", detail ? "\"" : "");
	return -1;
}

/* "file:LINE: WHAT "ID"[ in YEAR] (first on line FIRST)" */
static void dup_line(const char *path, unsigned long long line,
		     unsigned long long first, const char *what,
		     const char *id, const char *year)
{
	tool_warn("%s:%llu: %s \"%s\"%s%s (the first is on line %llu)", path,
		  line, what, id, year ? " in " : "", year ? year : "", first);
}

static int parse_sum(ind *d, const char *cats, const char *flows,
		     const char *path, unsigned long long line)
{
	char *copy = strdup(cats), *save = NULL;

	for (char *t = strtok_r(copy, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
		if (!strcmp(t, "ALL")) {
			for (size_t i = 0; i < 6 && d->ncats < 8; i++)
				d->cats[d->ncats++] = strdup(all_cats[i]);
		} else if (d->ncats < 8 && dts_category_rank(t) < 9 &&
			   !strchr(t, '.')) {
			d->cats[d->ncats++] = strdup(t);
		} else {
			int rc = bad(path, line, "unknown category (DT DO DD CBEC TECH "
				     "SERV PROD DATA NONE ALL)", t);

			free(copy); /* t points into copy: report first */
			return rc;
		}
	}
	free(copy);
	d->flows = (strstr(flows, "X") ? 1 : 0) | (strstr(flows, "M") ? 2 : 0);
	if (!d->ncats || !d->flows || strspn(flows, "XM+") != strlen(flows))
		return bad(path, line, "a sum needs categories and flows (X, M, X+M)",
			   NULL);
	if (*d->base && strcmp(d->base, "goods") && strcmp(d->base, "services"))
		return bad(path, line, "base must be goods, services or empty",
			   d->base);
	return 0;
}

static int parse_of(report *r, ind *d, const char *of, const char *path,
		    unsigned long long line)
{
	char a[64], b[64];
	const char *slash = strchr(of, '/');

	if (d->k == K_SHARE) {
		if (!slash || slash - of >= 64 || strlen(slash + 1) >= 64)
			return bad(path, line, "a share needs of=NUM/DEN", of);
		snprintf(a, sizeof(a), "%.*s", (int)(slash - of), of);
		snprintf(b, sizeof(b), "%s", slash + 1);
		d->of[0] = find_ind(r, a);
		d->of[1] = find_ind(r, b);
		if (d->of[0] < 0 || d->of[1] < 0)
			return bad(path, line, "a share names an indicator not "
				   "defined above it", of);
	} else {
		d->of[0] = find_ind(r, of);
		if (d->of[0] < 0)
			return bad(path, line, "a growth names an indicator not "
				   "defined above it", of);
	}
	return 0;
}

static int add_indicator(report *r, const char *const *f, const int *c,
			 const char *path, unsigned long long line)
{
	ind *d = &r->inds[r->n];
	const char *k = f[c[2]];

	if (r->n == MAX_IND)
		return bad(path, line, "too many indicators", NULL);
	memset(d, 0, sizeof(*d));
	d->id = strdup(f[c[0]]);
	d->no = strdup(f[c[1]]);
	d->base = strdup(f[c[5]]);
	d->target = strdup(f[c[7]]);
	d->unit = strdup(f[c[8]]);
	d->zh = strdup(f[c[9]]);
	d->en = strdup(f[c[10]]);
	r->n++;
	if (!d->id[0] || find_ind(r, d->id) != (int)r->n - 1)
		return bad(path, line, "empty or duplicate indicator id", d->id);
	d->k = !strcmp(k, "sum") ? K_SUM : !strcmp(k, "share") ? K_SHARE :
	       !strcmp(k, "growth") ? K_GROWTH : !strcmp(k, "reported") ?
	       K_REPORTED : (kind)-1;
	if ((int)d->k < 0)
		return bad(path, line, "kind must be sum, share, growth or "
			   "reported", k);
	if (d->k == K_SUM)
		return parse_sum(d, f[c[3]], f[c[4]], path, line);
	if (d->k == K_SHARE || d->k == K_GROWTH)
		return parse_of(r, d, f[c[6]], path, line);
	return 0;
}

static int load_indicators(report *r, const char *path)
{
	static const char *const cols[] = {"id", "no", "kind", "categories",
		"flows", "base", "of", "target", "unit", "name_zh", "name_en"};
	dts_csv *in;
	dts_csv_row row;
	const char *const *hdr;
	int c[11], rc, err = -1;
	size_t n;

	if (dts_csv_open_file(&in, path, NULL) < 0)
		return tool_lib_error(NULL), -1;
	n = dts_csv_header(in, &hdr);
	for (int i = 0; i < 11; i++)
		if ((c[i] = col_of(hdr, n, cols[i])) < 0) {
			bad(path, 1, "missing column", cols[i]);
			goto done;
		}
	while ((rc = dts_csv_next(&row, in)) != 0) {
		if (rc < 0) {
			bad(path, row.line, row.error ? row.error : "read error", NULL);
			goto done;
		}
		if (add_indicator(r, row.fields, c, path, row.line) < 0)
			goto done;
	}
	err = 0;
done:
	dts_csv_free(in);
	return err;
}

static int year_col(const char *name)
{
	char *end;
	long y;

	if (name[0] != 'y')
		return -1;
	y = strtol(name + 1, &end, 10);
	return *end || y < 1000 || y > 9999 ? -1 : (int)y;
}

static int load_targets(report *r, const char *path)
{
	dts_csv *in;
	dts_csv_row row;
	const char *const *hdr;
	size_t n;
	int cno, cy[8], rc, err = -1;
	dts_money m;
	uint64_t first[MAX_IND] = {0};   /* line of each indicator's row */

	if (dts_csv_open_file(&in, path, NULL) < 0)
		return tool_lib_error(NULL), -1;
	n = dts_csv_header(in, &hdr);
	cno = col_of(hdr, n, "no");
	for (size_t i = 0; i < n && r->ntyears < 8; i++)
		if (year_col(hdr[i]) > 0) {
			cy[r->ntyears] = (int)i;
			r->tyears[r->ntyears++] = year_col(hdr[i]);
		}
	if (cno < 0 || r->ntyears == 0) {
		bad(path, 1, "a targets file needs a column no and year columns "
		    "such as y2025", NULL);
		goto done;
	}
	while ((rc = dts_csv_next(&row, in)) != 0) {
		int i;

		if (rc < 0) {
			bad(path, row.line, row.error ? row.error : "read error", NULL);
			goto done;
		}
		if ((i = find_ind(r, row.fields[cno])) < 0)
			continue;   /* a target for an indicator not reported */
		if (first[i]) {   /* the last row would win without a word */
			dup_line(path, row.line, first[i], "a second target row "
				 "for indicator", row.fields[cno], NULL);
			goto done;
		}
		first[i] = row.line;
		for (size_t t = 0; t < r->ntyears; t++) {
			const char *s = row.fields[cy[t]];

			if (*s && dts_money_parse(&m, s, strlen(s)) < 0) {
				bad(path, row.line, "bad target", s);
				goto done;
			}
			if (*s && m < 0) {   /* attainment would be negative */
				bad(path, row.line, "negative target", s);
				goto done;
			}
			for (size_t y = 0; y < r->nyears; y++)
				if (r->years[y] == r->tyears[t] && *s)
					r->target[i][y] = strdup(s);
		}
	}
	err = 0;
done:
	dts_csv_free(in);
	return err;
}

/* Where a reported file's (indicator, year) was first given: line numbers
 * indexed directly, MAX_IND x 9000 years (calloc: only the pages used are
 * touched), so a duplicate is found in O(1) and named with both lines. */
typedef struct seen_tab {
	uint64_t *line;
} seen_tab;

static uint64_t *seen_at(seen_tab *t, int i, long year)
{
	return &t->line[(size_t)i * 9000 + (size_t)(year - 1000)];
}

/* One data row of a reported file: c[] is id, year, value. */
static int reported_row(report *r, const dts_csv_row *row, const int *c,
			seen_tab *seen, const char *path)
{
	const char *id = row->fields[c[0]], *ys = row->fields[c[1]];
	const char *vs = row->fields[c[2]];
	int i = find_ind(r, id);
	char *end;
	long year = strtol(ys, &end, 10);
	dts_money m;

	if (i < 0 || r->inds[i].k != K_REPORTED)
		return bad(path, row->line, "not a reported indicator", id);
	if (*end || year < 1000 || year > 9999)
		return bad(path, row->line, "bad year", ys);
	if (*seen_at(seen, i, year)) {   /* the last would win silently */
		dup_line(path, row->line, *seen_at(seen, i, year),
			 "a second value for", r->inds[i].id, ys);
		return -1;
	}
	*seen_at(seen, i, year) = row->line;
	if (!vs[0])
		return 0;   /* stays missing */
	if (dts_money_parse(&m, vs, row->lens[c[2]]) < 0)
		return bad(path, row->line, "bad value", vs);
	for (size_t y = 0; y < r->nyears; y++)
		if (r->years[y] == (int)year) {
			val *v = &r->v[i][y];

			v->have = 1;
			v->d = (double)m / DTS_MONEY_SCALE;
			snprintf(v->text, sizeof(v->text), "%s", vs);
		}
	return 0;
}

static int load_reported(report *r, const char *path)
{
	/* Ragged so that a comment line ("# example data ...") is read
	   whole; the column count of data rows is not checked then, but a
	   short row has no value and is reported below. */
	dts_csv_options opt = DTS_CSV_OPTIONS_INIT;
	dts_csv *in;
	dts_csv_row row;
	const char *const *hdr;
	size_t n;
	int c[3], rc, err = -1;
	seen_tab seen = {calloc((size_t)MAX_IND * 9000, sizeof(uint64_t))};

	opt.flags = DTS_CSV_RAGGED;
	if (!seen.line) {
		tool_warn("out of memory");
		return -1;
	}
	if (dts_csv_open_file(&in, path, &opt) < 0) {
		free(seen.line);
		return tool_lib_error(NULL), -1;
	}
	n = dts_csv_header(in, &hdr);
	c[0] = col_of(hdr, n, "id") >= 0 ? col_of(hdr, n, "id") : col_of(hdr, n, "no");
	c[1] = col_of(hdr, n, "year");
	c[2] = col_of(hdr, n, "value");
	if (c[0] < 0 || c[1] < 0 || c[2] < 0) {
		bad(path, 1, "a reported file needs columns id (or no), year, value",
		    NULL);
		goto done;
	}
	while ((rc = dts_csv_next(&row, in)) != 0) {
		if (rc < 0) {
			bad(path, row.line, row.error ? row.error : "read error", NULL);
			goto done;
		}
		if (row.fields[0][0] == '#')
			continue;
		if (row.nfields < n) {
			bad(path, row.line, "too few fields", NULL);
			goto done;
		}
		if (reported_row(r, &row, c, &seen, path) < 0)
			goto done;
	}
	err = 0;
done:
	dts_csv_free(in);
	free(seen.line);
	return err;
}

/* ---- computing ----------------------------------------------------------- */

typedef struct sumctx {
	const ind *d;
	char year[8];
	dts_amount total;
	int found, overflow;
} sumctx;

static int sum_cell(const dts_cube_cell *cell, void *payload)
{
	sumctx *s = payload;
	const ind *d = s->d;
	int flow = !strcmp(cell->keys[1], "X") ? 1 : !strcmp(cell->keys[1], "M") ? 2 : 0;
	int cat = 0;

	if (strcmp(cell->keys[0], s->year) || !(d->flows & flow))
		return 0;
	if (*d->base && strcmp(cell->keys[3], d->base))
		return 0;
	for (size_t i = 0; i < d->ncats; i++)
		cat |= !strcmp(cell->keys[2], d->cats[i]);
	if (!cat)
		return 0;
	s->found = 1;
	if (dts_amount_add(&s->total, &cell->value) < 0) {
		s->overflow = 1;
		return 1;
	}
	return 0;
}

static int unit_exp_of(const char *unit)
{
	return !strcmp(unit, "亿元") ? 8 : !strcmp(unit, "万元") ? 4 : 0;
}

static int compute_sum(report *r, const dts_cube *cube, size_t i, size_t y)
{
	sumctx s = {.d = &r->inds[i], .total = DTS_AMOUNT_ZERO};
	val *v = &r->v[i][y];
	int e = unit_exp_of(r->inds[i].unit);

	snprintf(s.year, sizeof(s.year), "%d", r->years[y]);
	dts_cube_foreach(cube, sum_cell, &s);
	if (s.overflow) {
		tool_warn("indicator %s: %s", r->inds[i].id, dts_error_last()->message);
		return -1;
	}
	v->have = 1;   /* no records: a true zero, the data were read */
	dts_amount_format(v->text, sizeof(v->text), &s.total, e, money_decimals);
	v->d = dts_amount_to_double(&s.total);
	for (int k = 0; k < e; k++)
		v->d /= 10;
	return 0;
}

static void ratio(val *out, const val *a, const val *b, int growth)
{
	if (!a->have || !b->have || b->d == 0)
		return;
	out->have = 1;
	out->d = growth ? (a->d / b->d - 1) * 100 : a->d / b->d * 100;
	snprintf(out->text, sizeof(out->text), "%.2f", out->d);
}

static int compute(report *r, const dts_cube *cube)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++) {
			const ind *d = &r->inds[i];

			if (d->k == K_SUM && compute_sum(r, cube, i, y) < 0)
				return -1;
			if (d->k == K_SHARE)
				ratio(&r->v[i][y], &r->v[d->of[0]][y],
				      &r->v[d->of[1]][y], 0);
			if (d->k == K_GROWTH && y > 0 &&
			    r->years[y - 1] == r->years[y] - 1)
				ratio(&r->v[i][y], &r->v[d->of[0]][y],
				      &r->v[d->of[0]][y - 1], 1);
		}
	return 0;
}

typedef struct yearctx {
	report *r;
} yearctx;

static int collect_year(const dts_cube_cell *cell, void *payload)
{
	report *r = ((yearctx *)payload)->r;
	char *end;
	long y = strtol(cell->keys[0], &end, 10);

	if (*end || (r->nyears && r->years[r->nyears - 1] == (int)y))
		return 0;
	if (r->nyears < MAX_YEARS)
		r->years[r->nyears++] = (int)y;
	return 0;
}

/* ---- output -------------------------------------------------------------- */

static void attainment(char *out, size_t n, const ind *d, const val *v,
		       const char *target)
{
	char *end;
	double t;
	const char *num;

	out[0] = '\0';
	if (!v->have)
		return;
	if (target && *target) {
		t = strtod(target, &end);
		if (t != 0)
			snprintf(out, n, "%.1f", v->d / t * 100);
		return;
	}
	if (!*d->target)
		return;
	num = d->target + strspn(d->target, "<>=");
	t = strtod(num, &end);
	if (!strncmp(d->target, ">=", 2))
		snprintf(out, n, "%s", v->d >= t ? "met" : "not met");
	else if (d->target[0] == '>')
		snprintf(out, n, "%s", v->d > t ? "met" : "not met");
}

static int annex_table(tbl *t, report *r, int only_year)
{
	static const char *const names[] = {"id", "year", "value", "no",
		"indicator", "unit", "target", "attainment_pct", "growth_pct",
		"indicator_en"};

	if (tbl_init(t, names, 10, 2) < 0)
		return -1;
	t->title = strdup("Hangzhou digital trade action plan: annex indicators");
	t->dataflow = strdup("DTS_ANNEX");
	t->unit = NULL;
	t->cols[3].numeric = 0;
	t->cols[4].numeric = t->cols[5].numeric = t->cols[6].numeric = 0;
	t->cols[9].numeric = 0;
	t->chart_col = 2;
	for (size_t y = 0; y < r->nyears; y++) {
		char year[8];

		if (only_year && r->years[y] != only_year)
			continue;
		snprintf(year, sizeof(year), "%d", r->years[y]);
		for (size_t i = 0; i < r->n; i++) {
			const ind *d = &r->inds[i];
			const val *v = &r->v[i][y];
			val g = {0};
			char att[32];
			const char *tg = r->target[i][y] ? r->target[i][y] : d->target;
			const char *row[10];

			if ((d->k == K_SUM || d->k == K_REPORTED) && y > 0 &&
			    r->years[y - 1] == r->years[y] - 1)
				ratio(&g, v, &r->v[i][y - 1], 1);
			attainment(att, sizeof(att), d, v, r->target[i][y]);
			row[0] = d->id; row[1] = year;
			row[2] = v->have ? v->text : "";
			row[3] = d->no; row[4] = d->zh; row[5] = d->unit;
			row[6] = tg; row[7] = att;
			row[8] = g.have ? g.text : ""; row[9] = d->en;
			if (tbl_add_row(t, row) < 0)
				return -1;
		}
	}
	return 0;
}

typedef struct bctx {
	char year[8];
	dts_amount v[4][3][3]; /* base goods services unknown total; digital not total; X M total */
} bctx;

static int boundary_cell(const dts_cube_cell *cell, void *payload)
{
	bctx *b = payload;
	int base = !strcmp(cell->keys[3], "goods") ? 0 :
		   !strcmp(cell->keys[3], "services") ? 1 : 2;
	int dig = !strcmp(cell->keys[2], "DT") ? 0 :
		  !strcmp(cell->keys[2], "NONE") ? 1 : -1;
	int fl = !strcmp(cell->keys[1], "X") ? 0 : 1;
	const int bs[2] = {base, 3}, ds[2] = {dig, 2}, fs[2] = {fl, 2};

	if (strcmp(cell->keys[0], b->year) || dig < 0)
		return 0;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			for (int k = 0; k < 2; k++)
				if (dts_amount_add(&b->v[bs[i]][ds[j]][fs[k]],
						   &cell->value) < 0)
					return -1;
	return 0;
}

static int boundary_table(tbl *t, const dts_cube *cube, int year)
{
	static const char *const names[] = {"year", "base", "digital", "export",
					    "import", "total"};
	static const char *const bn[] = {"goods", "services", "unknown", "total"};
	static const char *const dn[] = {"digital", "not digital", "total"};
	bctx b;

	memset(&b, 0, sizeof(b));
	snprintf(b.year, sizeof(b.year), "%d", year);
	if (tbl_init(t, names, 6, 3) < 0 ||
	    dts_cube_foreach(cube, boundary_cell, &b) != 0)
		return -1;
	t->title = strdup("Boundary table: goods / services x digital / not "
			  "digital x export / import (亿元)");
	t->dataflow = strdup("DTS_BOUNDARY");
	t->unit = strdup(dts_cube_currency(cube));
	t->unit_mult = 8;
	t->chart_col = 5;
	for (int i = 0; i < 4; i++) {
		dts_amount zero = DTS_AMOUNT_ZERO;

		if (i == 2 && !dts_amount_cmp(&b.v[2][2][2], &zero))
			continue;   /* every record has a base */
		for (int j = 0; j < 3; j++) {
			char x[64], m[64], tot[64];
			const char *row[6] = {b.year, bn[i], dn[j], x, m, tot};

			dts_amount_format(x, sizeof(x), &b.v[i][j][0], 8, money_decimals);
			dts_amount_format(m, sizeof(m), &b.v[i][j][1], 8, money_decimals);
			dts_amount_format(tot, sizeof(tot), &b.v[i][j][2], 8, money_decimals);
			if (tbl_add_row(t, row) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- the xlsx workbook ----------------------------------------------------- */

#define WIDE_FIXED 5   /* no, id, indicator, indicator_en, unit */

/* The data years up to the report year: the columns of the annex sheet. */
static size_t book_years(const report *r, int year)
{
	size_t n = 0;

	while (n < r->nyears && r->years[n] <= year)
		n++;
	return n;
}

/* One row per indicator (the layout of the plan's annex): each year's
   value, then the report year's target, attainment and growth. */
static int wide_annex(tbl *t, const report *r, int year, size_t ny)
{
	const char *names[WIDE_FIXED + MAX_YEARS + 3] = {"no", "id", "indicator",
		"indicator_en", "unit"};
	char yn[MAX_YEARS][8], tn[32];

	for (size_t y = 0; y < ny; y++) {
		snprintf(yn[y], sizeof(yn[y]), "%d", r->years[y]);
		names[WIDE_FIXED + y] = yn[y];
	}
	snprintf(tn, sizeof(tn), "target %d", year);
	names[WIDE_FIXED + ny] = tn;
	names[WIDE_FIXED + ny + 1] = "attainment_pct";
	names[WIDE_FIXED + ny + 2] = "growth_pct";
	if (tbl_init(t, names, WIDE_FIXED + ny + 3, WIDE_FIXED) < 0)
		return -1;
	t->title = strdup("Hangzhou digital trade action plan: annex indicators");
	for (size_t i = 0; i < r->n; i++) {
		const ind *d = &r->inds[i];
		const char *row[WIDE_FIXED + MAX_YEARS + 3] = {d->no, d->id,
			d->zh, d->en, d->unit};
		size_t y = ny - 1;   /* the report year */
		val g = {0};
		char att[32];

		for (size_t k = 0; k < ny; k++)
			row[WIDE_FIXED + k] = r->v[i][k].have ? r->v[i][k].text :
					      "missing";
		if ((d->k == K_SUM || d->k == K_REPORTED) && y > 0 &&
		    r->years[y - 1] == r->years[y] - 1)
			ratio(&g, &r->v[i][y], &r->v[i][y - 1], 1);
		attainment(att, sizeof(att), d, &r->v[i][y], r->target[i][y]);
		row[WIDE_FIXED + ny] = r->target[i][y] ? r->target[i][y] :
				       d->target;
		row[WIDE_FIXED + ny + 1] = att;
		row[WIDE_FIXED + ny + 2] = g.have ? g.text : "";
		if (tbl_add_row(t, row) < 0)
			return -1;
	}
	return 0;
}

/* The targets of every year, rows as in the annex sheet (chart ranges). */
static int targets_sheet(tbl *t, const report *r, size_t ny)
{
	const char *names[4 + MAX_YEARS] = {"no", "id", "indicator", "unit"};
	char yn[MAX_YEARS][8];

	for (size_t y = 0; y < ny; y++) {
		snprintf(yn[y], sizeof(yn[y]), "%d", r->years[y]);
		names[4 + y] = yn[y];
	}
	if (tbl_init(t, names, 4 + ny, 4) < 0)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		const ind *d = &r->inds[i];
		const char *row[4 + MAX_YEARS] = {d->no, d->id, d->zh, d->unit};

		for (size_t y = 0; y < ny; y++)
			row[4 + y] = r->target[i][y] ? r->target[i][y] : d->target;
		if (tbl_add_row(t, row) < 0)
			return -1;
	}
	return 0;
}

static const char *const five[] = {"CBEC", "TECH", "SERV", "PROD", "DATA",
				   "DT"};
/* SERV is the narrow 数字服务贸易 (DESIGN §1), not annex 2's DD total. */
static const char *const five_names[] = {"year", "CBEC 跨境电商",
	"TECH 数字技术贸易", "SERV 数字服务贸易", "PROD 数字产品贸易",
	"DATA 数据贸易", "DT 数字贸易 (亿元)"};

typedef struct catctx {
	const report *r;
	size_t ny;
	dts_amount v[MAX_YEARS][6];
} catctx;

static int category_cell(const dts_cube_cell *cell, void *payload)
{
	catctx *c = payload;
	long year = strtol(cell->keys[0], NULL, 10);

	for (size_t y = 0; y < c->ny; y++)
		for (size_t k = 0; k < 6; k++)
			if (c->r->years[y] == year && !strcmp(cell->keys[2], five[k]) &&
			    dts_amount_add(&c->v[y][k], &cell->value) < 0)
				return -1;
	return 0;
}

/* Imports + exports of the five categories by year, with DT (their sum). */
static int categories_sheet(tbl *t, const report *r, const dts_cube *cube,
			    size_t ny)
{
	catctx *c = calloc(1, sizeof(*c));
	int rc = -1;

	if (!c)
		return -1;
	c->r = r;
	c->ny = ny;
	if (tbl_init(t, five_names, 7, 1) < 0 ||
	    dts_cube_foreach(cube, category_cell, c) != 0)
		goto done;
	for (size_t y = 0; y < ny; y++) {
		char year[8], v[6][64];
		const char *row[7] = {year, v[0], v[1], v[2], v[3], v[4], v[5]};

		snprintf(year, sizeof(year), "%d", r->years[y]);
		for (size_t k = 0; k < 6; k++)
			dts_amount_format(v[k], sizeof(v[k]), &c->v[y][k], 8,
					  money_decimals);
		if (tbl_add_row(t, row) < 0)
			goto done;
	}
	rc = 0;
done:
	free(c);
	return rc;
}

static int has_target(const report *r, size_t i, size_t ny)
{
	for (size_t y = 0; y < ny; y++)
		if (r->target[i][y])
			return 1;
	return 0;
}

/* Charts: one per annex sum indicator with yearly targets (value against
   target over the years), then the five categories stacked by year.
   Sheets: 0 annex, 1 categories, 2 boundary, 3 targets. */
static size_t book_charts(tbl_chart *ch, size_t max, const report *r,
			  size_t ny)
{
	size_t n = 0;
	const unsigned last = (unsigned)(WIDE_FIXED + ny - 1);

	for (size_t i = 0; i < r->n && n + 1 < max; i++) {
		const ind *d = &r->inds[i];
		tbl_chart *c = &ch[n];
		char title[256];

		if (d->k != K_SUM || !d->no[0] || !has_target(r, i, ny))
			continue;
		snprintf(title, sizeof(title), "%s %s (%s)", d->no, d->zh, d->unit);
		c->title = strdup(title);
		c->y_title = d->unit;
		c->categories = (tbl_range){0, 0, WIDE_FIXED, 0, last};
		c->series[0] = (tbl_series){"实际 value",
			{0, (unsigned)i + 1, WIDE_FIXED, (unsigned)i + 1, last}, 0};
		c->series[1] = (tbl_series){"目标 target",
			{3, (unsigned)i + 1, 4, (unsigned)i + 1, 4 + (unsigned)ny - 1}, 1};
		c->nseries = 2;
		n++;
	}
	ch[n].title = strdup("数字贸易五类 The five categories by year (亿元)");
	ch[n].y_title = "亿元";
	ch[n].stacked = 1;
	ch[n].categories = (tbl_range){1, 1, 0, (unsigned)ny, 0};
	for (unsigned k = 0; k < 5; k++)
		ch[n].series[k] = (tbl_series){five_names[k + 1],
			{1, 1, k + 1, (unsigned)ny, k + 1}, 0};
	ch[n].nseries = 5;
	return n + 1;
}

static int emit_book(report *r, const dts_cube *cube, int year,
		     const char *path)
{
	tbl t[4];
	tbl_chart ch[16];
	tbl_book b = {.names = {"annex", "categories", "boundary", "targets"},
		      .nsheets = 4, .charts = ch, .chart_sheet = "charts"};
	size_t ny = book_years(r, year);
	int rc = -1;

	memset(t, 0, sizeof(t));
	memset(ch, 0, sizeof(ch));
	if (ny == 0 || r->years[ny - 1] != year) {
		tool_warn("no data for %d: no workbook written", year);
		return -1;
	}
	if (!path || !strcmp(path, "-")) {
		tool_warn("xlsx output needs a file: use -o FILE.xlsx");
		return -1;
	}
	if (wide_annex(&t[0], r, year, ny) < 0 ||
	    categories_sheet(&t[1], r, cube, ny) < 0 ||
	    boundary_table(&t[2], cube, year) < 0 ||
	    targets_sheet(&t[3], r, ny) < 0)
		goto done;
	for (size_t i = 0; i < 4; i++)
		b.sheets[i] = &t[i];
	b.ncharts = book_charts(ch, 16, r, ny);
	rc = out_xlsx_book(&b, path);
done:
	for (size_t i = 0; i < 4; i++)
		tbl_free(&t[i]);
	for (size_t i = 0; i < 16; i++)
		free(ch[i].title);
	return rc;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: dts-report [-r RULES]... [--rates FILE] [--indicators FILE]\n"
"                  [--targets FILE] [--reported FILE] [--year YEAR]\n"
"                  [-t annex|boundary] [-f text|csv|sdmx-csv|sdmx-ml|xlsx]\n"
"                  [--decimals N] [-m COL=FIELD]... [-d SEP] [--encoding ENC]\n"
"                  [-o OUT] INPUT...\n"
"  INPUT: raw records (CSV or customs XML), classified records (dts_category\n"
"  column), or cube partials from dts-aggregate --by " REPORT_DIMS " --partial\n"
"  -m, --map COL=FIELD  bind an input column to a field (repeatable)\n"
"  -d, --delimiter C    CSV separator: ',' (default), tab, ';' or '|'\n"
"      --encoding ENC   utf-8 (default), gb18030 or gbk\n"
"Exit: 0 ok, 1 some records rejected, 2 usage, 3 input/output error.\n");
}

typedef struct opts {
	agg_reading rd;
	const char *rates, *currency, *indicators, *targets, *reported;
	const char *format, *output, *table;
	int year;
} opts;

static int parse_args(opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"rates", required_argument, NULL, 'R'},
		{"currency", required_argument, NULL, 'C'},
		{"indicators", required_argument, NULL, 'I'},
		{"targets", required_argument, NULL, 'T'},
		{"reported", required_argument, NULL, 'P'},
		{"year", required_argument, NULL, 'y'},
		{"table", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"decimals", required_argument, NULL, 'D'},
		{"map", required_argument, NULL, 'm'},
		{"delimiter", required_argument, NULL, 'd'},
		{"encoding", required_argument, NULL, 'E'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	int c, rc;
	char *end;

	while ((c = getopt_long(argc, argv, "r:y:t:f:o:m:d:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': o->rates = optarg; break;
		case 'C': o->currency = optarg; break;
		case 'I': o->indicators = optarg; break;
		case 'T': o->targets = optarg; break;
		case 'P': o->reported = optarg; break;
		case 't': o->table = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'y':
			o->year = (int)strtol(optarg, &end, 10);
			if (*end || o->year < 1000 || o->year > 9999) {
				tool_warn("bad --year \"%s\"", optarg);
				return -1;
			}
			break;
		case 'D':
			money_decimals = (int)strtol(optarg, &end, 10);
			if (*end || money_decimals < 0 || money_decimals > 14) {
				tool_warn("--decimals must be 0..14");
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': tool_version(); break;
		default:
			if ((rc = agg_reading_option(&o->rd, c, optarg)) > 0)
				break;
			if (rc == 0)
				usage(stderr);
			return -1;
		}
	}
	if (!out_format_known(o->format)) {
		tool_warn("unknown format \"%s\" (text, csv, sdmx-csv, sdmx-ml, xlsx)",
			  o->format);
		return -1;
	}
	if (o->table && strcmp(o->table, "annex") && strcmp(o->table, "boundary")) {
		tool_warn("unknown table \"%s\" (annex, boundary)", o->table);
		return -1;
	}
	if (optind >= argc) {
		tool_warn("no input (use - for standard input)");
		return -1;
	}
	return 0;
}

/* Text with no -t: both tables in one output (one file, committed once). */
static int emit_both(report *r, const dts_cube *cube, const opts *o, int year)
{
	tbl a, b;
	tool_out out;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	rc = annex_table(&a, r, o->year);
	a.missing = "missing";
	if (rc == 0)
		rc = boundary_table(&b, cube, year);
	if (rc == 0 && (rc = tool_out_open(&out, o->output)) == 0) {
		rc = out_text(&a, out.f) < 0 || fputc('\n', out.f) == EOF ||
		     out_text(&b, out.f) < 0 ? -1 : 0;
		if (rc < 0) {
			tool_out_write_failed(&out);
			tool_out_abort(&out);
		} else {
			rc = tool_out_commit(&out);
		}
	}
	tbl_free(&a);
	tbl_free(&b);
	return rc;
}

static int emit(report *r, const dts_cube *cube, const opts *o)
{
	int year = o->year ? o->year : r->nyears ? r->years[r->nyears - 1] : 0;
	tbl t;
	int rc;

	if (!o->table && !strcmp(o->format, "xlsx"))
		return emit_book(r, cube, year, o->output);
	if (!o->table && !strcmp(o->format, "text"))
		return emit_both(r, cube, o, year);
	memset(&t, 0, sizeof(t));
	if (!o->table || !strcmp(o->table, "annex")) {
		rc = annex_table(&t, r, o->year);
		t.missing = "missing";
	} else {
		rc = boundary_table(&t, cube, year);
	}
	if (rc == 0)
		rc = out_table(&t, o->format, o->output);
	tbl_free(&t);
	return rc;
}

static void free_report(report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		ind *d = &r->inds[i];

		free(d->id); free(d->no); free(d->unit); free(d->zh);
		free(d->en); free(d->target); free(d->base);
		for (size_t k = 0; k < d->ncats; k++)
			free(d->cats[k]);
		for (size_t y = 0; y < MAX_YEARS; y++)
			free(r->target[i][y]);
	}
	free(r);
}

/* -o must not name an input or a definition file (exit 2). */
static int check_paths(const opts *o, char **inputs, int n)
{
	const char *extra[4] = {o->rates, o->indicators, o->targets, o->reported};

	return tool_check_paths(&o->output, 1, inputs, n, extra, 4);
}

int main(int argc, char **argv)
{
	opts o = {.currency = "CNY", .format = "text"};
	report *r = calloc(1, sizeof(*r));
	yearctx yc = {r};
	agg a;
	int rc = EXIT_IO;

	tool_name = "dts-report";
	memset(&a, 0, sizeof(a));
	if (!r || parse_args(&o, argc, argv) < 0 || check_paths(&o, argv + optind, argc - optind) < 0) {
		free(r);
		return EXIT_USAGE;
	}
	if (agg_init(&a, REPORT_DIMS, o.currency) < 0)
		goto done;
	agg_set_reading(&a, &o.rd);
	if (o.rates && agg_load_rates(&a, o.rates) < 0)
		goto done;
	if (load_indicators(r, o.indicators ? o.indicators :
			    agg_data_file("hangzhou-annex.csv")) < 0)
		goto done;
	for (int i = optind; i < argc; i++) {
		int e = agg_input(&a, argv[i]);

		if (e < 0) {
			rc = e == -2 ? EXIT_USAGE : EXIT_IO;
			goto done;
		}
	}
	dts_cube_foreach(a.cube, collect_year, &yc);
	if (load_targets(r, o.targets ? o.targets :
			 agg_data_file("hangzhou-targets.csv")) < 0)
		goto done;
	if (o.reported && load_reported(r, o.reported) < 0)
		goto done;
	if (compute(r, a.cube) < 0 || emit(r, a.cube, &o) < 0)
		goto done;
	rc = a.rejects ? EXIT_REJECTS : EXIT_OK;
	if (a.rejects)
		tool_warn("%llu records rejected", (unsigned long long)a.rejects);
done:
	agg_free(&a);
	free_report(r);
	return rc;
}
