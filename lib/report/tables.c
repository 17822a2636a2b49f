/*
 * tables.c — the report as tables (dts/table.h): the annex table, the
 * boundary table, and the workbook of the report year (wide annex sheet,
 * native charts, categories, boundary, targets). docs/statistics.md
 * describes the layout; the xlsx chart ranges depend on it.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define ANNEX_TITLE "Hangzhou digital trade action plan: annex indicators"
#define WIDE_FIXED 5   /* no, id, indicator, indicator_en, unit */

/* The annex title, saying the currency when it is not the targets'. */
static const char *annex_title(const dts_report *r, char *buf, size_t n)
{
	if (!strcmp(r->currency, RPT_TARGET_CURRENCY))
		return ANNEX_TITLE;
	snprintf(buf, n, "%s (values in %s; the plan's targets are in %s and "
		 "are not compared)", ANNEX_TITLE, r->currency,
		 RPT_TARGET_CURRENCY);
	return buf;
}

/* "亿元", or "亿美元" ... in another currency. */
static const char *yi_unit(const char *currency, char *buf, size_t n)
{
	dts_indicator d = {0};

	d.kind = DTS_INDICATOR_SUM;
	d.unit = "亿元";
	d.unit_exp = 8;
	return dts__report_unit(currency, &d, buf, n);
}

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* A new table with these columns, the ones listed in `text` not numeric. */
static int new_table(dts_table **out, const char *const *names, size_t n,
		     size_t ndims, const int *text, size_t ntext)
{
	int rc = dts_table_new(out, names, n, ndims);

	for (size_t i = 0; rc == 0 && i < ntext; i++)
		rc = dts_table_set_numeric(*out, (size_t)text[i], 0);
	return rc;
}

/* Set up the table (rc so far) and hand it out, or free it. */
static int finish(dts_table **out, dts_table *t, int rc)
{
	if (rc < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* UNIT_MEASURE and UNIT_MULT of an indicator's values: money in its
 * currency (computed sums in the cube's, reported values as the plan
 * reports them, in CNY), percentages PC, counts ENT (enterprises) or NUM,
 * 万吨 tonnes at 10^4. */
static void sdmx_unit(const dts_report *r, const dts_indicator *d,
		      const char **unit, int *mult)
{
	static const struct { const char *u, *sdmx; int mult; } map[] = {
		{"%", "PC", 0}, {"家", "ENT", 0}, {"个", "NUM", 0},
		{"件", "NUM", 0}, {"项", "NUM", 0}, {"万吨", "T", 4}};

	*mult = d->unit_exp;
	if (!strcmp(d->unit, "亿元") || !strcmp(d->unit, "万元") ||
	    !strcmp(d->unit, "元")) {
		*unit = d->kind == DTS_INDICATOR_SUM ? r->currency :
			RPT_TARGET_CURRENCY;
		return;
	}
	*unit = NULL;
	*mult = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(d->unit, map[i].u)) {
			*unit = map[i].sdmx;
			*mult = map[i].mult;
		}
}

/* The annex's SDMX metadata: indicator ids as codes, the year as time. */
static int annex_sdmx(dts_table *t, const dts_report *r)
{
	int rc = dts_table_set_time(t, 1);

	dts_table_set_status(t, r->status);
	if (rc == 0)
		rc = dts_table_set_concept(t, 0, "指标", "Indicator");
	if (rc == 0)
		rc = dts_table_set_concept(t, 2, "指标值", "Value");
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		rc = dts_table_add_code(t, 0, r->ind[i].pub.id,
					r->ind[i].pub.name_zh,
					r->ind[i].pub.name_en);
	return rc;
}

int dts_report_annex_table(dts_table **out, const dts_report *r, int year)
{
	static const char *const names[] = {"id", "year", "value", "no",
		"indicator", "unit", "target", "attainment_pct", "growth_pct",
		"indicator_en", "basis"};
	static const int text[] = {3, 4, 5, 6, 9, 10};
	dts_table *t = NULL;
	char title[256];
	int rc;

	if (!out || !r || !r->cells)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no computed report");
	*out = NULL;
	rc = new_table(&t, names, 11, 2, text, 6);
	if (rc == 0 && ((rc = dts_table_set_title(t, annex_title(r, title,
							      sizeof(title)))) < 0 ||
			(rc = annex_sdmx(t, r)) < 0 ||
			(rc = dts_table_set_dataflow(t, "DTS_ANNEX")) < 0 ||
			(rc = dts_table_set_missing(t, "missing")) < 0 ||
			(rc = dts_table_set_chart(t, 2, NULL)) < 0))
		return finish(out, t, rc);
	for (size_t y = 0; rc == 0 && y < r->nyears; y++) {
		char ys[16];

		if (year && r->years[y] != year)
			continue;
		snprintf(ys, sizeof(ys), "%d", r->years[y]);
		for (size_t i = 0; rc == 0 && i < r->n; i++) {
			dts_report_row w;
			const char *row[11], *unit;
			char ub[64];
			int mult;

			dts_report_row_get(&w, r, i, y);
			row[0] = w.indicator->id; row[1] = ys; row[2] = w.value;
			row[3] = w.indicator->no; row[4] = w.indicator->name_zh;
			row[5] = dts__report_unit(r->currency, w.indicator, ub,
						  sizeof(ub));
			row[6] = w.target;
			row[7] = w.attainment; row[8] = w.growth;
			row[9] = w.indicator->name_en;
			row[10] = dts_report_basis(r, i, y);
			sdmx_unit(r, w.indicator, &unit, &mult);
			if ((rc = dts_table_add_row(t, row)) == 0)
				rc = dts_table_set_row_unit(t, dts_table_nrows(t) - 1,
							    unit, mult);
		}
	}
	return finish(out, t, rc);
}

static int boundary_rows(dts_table *t, const dts_boundary *b, int decimals)
{
	static const char *const bn[] = {"goods", "services", "unknown", "total"};
	static const char *const dn[] = {"digital", "not digital", "total"};
	const dts_amount zero = DTS_AMOUNT_ZERO;
	char ys[16];

	snprintf(ys, sizeof(ys), "%d", b->year);
	for (int i = 0; i < 4; i++) {
		if (i == DTS_BOUNDARY_UNKNOWN &&
		    !dts_amount_cmp(&b->value[i][DTS_BOUNDARY_BOTH][DTS_BOUNDARY_FLOWS],
				    &zero))
			continue;   /* every record has a base */
		for (int j = 0; j < 3; j++) {
			char v[3][64];
			const char *row[6] = {ys, bn[i], dn[j], v[0], v[1], v[2]};
			int rc;

			for (int k = 0; k < 3; k++)
				dts_amount_format(v[k], 64, &b->value[i][j][k], 8,
						  decimals);
			if ((rc = dts_table_add_row(t, row)) < 0)
				return rc;
		}
	}
	return 0;
}

int dts_report_boundary_table(dts_table **out, const dts_cube *cube,
			      int year, int decimals)
{
	static const char *const names[] = {"year", "base", "digital", "export",
					    "import", "total"};
	dts_boundary b;
	dts_table *t = NULL;
	char title[256], ub[64];
	int rc;

	if (!out || decimals < 0 || decimals > DTS_AMOUNT_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad boundary arguments");
	*out = NULL;
	if ((rc = dts_report_boundary(&b, cube, year)) < 0 ||
	    (rc = dts_table_new(&t, names, 6, 3)) < 0)
		return rc;
	snprintf(title, sizeof(title), "Boundary table: goods / services x "
		 "digital / not digital x export / import (%s)",
		 yi_unit(dts_cube_currency(cube), ub, sizeof(ub)));
	dts_table_set_status(t, dts_cube_status(cube));
	if ((rc = dts_table_set_title(t, title)) < 0 ||
	    (rc = dts_table_set_time(t, 0)) < 0 ||
	    (rc = dts_table_set_dataflow(t, "DTS_BOUNDARY")) < 0 ||
	    (rc = dts_table_set_unit(t, dts_cube_currency(cube))) < 0 ||
	    (rc = dts_table_set_chart(t, 5, NULL)) < 0)
		return finish(out, t, rc);
	dts_table_set_unit_mult(t, 8);
	return finish(out, t, boundary_rows(t, &b, decimals));
}

/* ---- the workbook ---------------------------------------------------------- */

/* Year names of the first ny data years, for column headers. */
static char (*year_names(const dts_report *r, size_t ny))[16]
{
	char (*yn)[16] = calloc(ny + 1, sizeof(*yn));

	for (size_t y = 0; yn && y < ny; y++)
		snprintf(yn[y], sizeof(yn[y]), "%d", r->years[y]);
	return yn;
}

/* One row per indicator (the layout of the plan's annex): each year's
   value up to the report year (ny of them), then the report year's
   target, attainment and growth. */
static int wide_annex(dts_table **out, const dts_report *r, size_t ny)
{
	const char **names = calloc(WIDE_FIXED + ny + 3, sizeof(*names));
	const char **row = calloc(WIDE_FIXED + ny + 3, sizeof(*row));
	char (*yn)[16] = year_names(r, ny), tn[32], ub[64], title[256];
	dts_table *t = NULL;
	int rc = DTS_ENOMEM;

	if (!names || !row || !yn)
		goto done;
	names[0] = "no"; names[1] = "id"; names[2] = "indicator";
	names[3] = "indicator_en"; names[4] = "unit";
	for (size_t y = 0; y < ny; y++)
		names[WIDE_FIXED + y] = yn[y];
	snprintf(tn, sizeof(tn), "target %d", r->years[ny - 1]);
	names[WIDE_FIXED + ny] = tn;
	names[WIDE_FIXED + ny + 1] = "attainment_pct";
	names[WIDE_FIXED + ny + 2] = "growth_pct";
	if ((rc = dts_table_new(&t, names, WIDE_FIXED + ny + 3, WIDE_FIXED)) < 0 ||
	    (rc = dts_table_set_title(t, annex_title(r, title, sizeof(title)))) < 0)
		goto done;
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		const dts_indicator *d = &r->ind[i].pub;
		dts_report_row w;

		row[0] = d->no; row[1] = d->id; row[2] = d->name_zh;
		row[3] = d->name_en;
		row[4] = dts__report_unit(r->currency, d, ub, sizeof(ub));
		for (size_t k = 0; k < ny; k++) {
			dts_report_row_get(&w, r, i, k);
			row[WIDE_FIXED + k] = w.missing ? "missing" : w.value;
		}
		row[WIDE_FIXED + ny] = w.target;   /* w: the report year */
		row[WIDE_FIXED + ny + 1] = w.attainment;
		row[WIDE_FIXED + ny + 2] = w.growth;
		rc = dts_table_add_row(t, row);
	}
done:
	free(names);
	free(row);
	free(yn);
	return rc == DTS_ENOMEM && !t ? nomem() : finish(out, t, rc);
}

/* The targets of every year, rows as in the annex sheet (chart ranges). */
static int targets_sheet(dts_table **out, const dts_report *r, size_t ny)
{
	const char **names = calloc(4 + ny, sizeof(*names));
	const char **row = calloc(4 + ny, sizeof(*row));
	char (*yn)[16] = year_names(r, ny);
	dts_table *t = NULL;
	int rc = DTS_ENOMEM;

	if (!names || !row || !yn)
		goto done;
	names[0] = "no"; names[1] = "id"; names[2] = "indicator"; names[3] = "unit";
	for (size_t y = 0; y < ny; y++)
		names[4 + y] = yn[y];
	if ((rc = dts_table_new(&t, names, 4 + ny, 4)) < 0)
		goto done;
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		const dts_indicator *d = &r->ind[i].pub;

		row[0] = d->no; row[1] = d->id; row[2] = d->name_zh; row[3] = d->unit;
		for (size_t y = 0; y < ny; y++)
			row[4 + y] = r->cells[i * r->nyears + y].target;
		rc = dts_table_add_row(t, row);
	}
done:
	free(names);
	free(row);
	free(yn);
	return rc == DTS_ENOMEM && !t ? nomem() : finish(out, t, rc);
}

/* Sheet "categories": the five top categories and DT, both flows. */
static const char *category_label(char *buf, size_t n, size_t k,
				  const char *currency)
{
	const char *code = k < 5 ? dts_category_top(k) : "DT";
	char ub[64];

	/* SERV is the narrow category: the annex's 数字服务贸易 is DD. */
	if (k < 5)
		snprintf(buf, n, "%s %s%s", code, dts_category_name_zh(code),
			 !strcmp(code, "SERV") ? "（窄口径，非附件2）" : "");
	else
		snprintf(buf, n, "%s %s (%s)", code, dts_category_name_zh(code),
			 yi_unit(currency, ub, sizeof(ub)));
	return buf;
}

/* Imports + exports of the five categories by year, with DT (their sum).
   SERV is the narrow 数字服务贸易 (DESIGN §1), not annex 2's DD total. */
static int categories_sheet(dts_table **out, const dts_report *r,
			    const dts_cube *cube, size_t ny)
{
	char labels[6][64];
	const char *names[7] = {"year"};
	dts_table *t = NULL;
	int rc;

	for (size_t k = 0; k < 6; k++)
		names[k + 1] = category_label(labels[k], sizeof(labels[k]), k,
					       r->currency);
	if ((rc = dts_table_new(&t, names, 7, 1)) < 0)
		return rc;
	for (size_t y = 0; rc == 0 && y < ny; y++) {
		char ys[16], v[6][64];
		const char *row[7] = {ys, v[0], v[1], v[2], v[3], v[4], v[5]};

		snprintf(ys, sizeof(ys), "%d", r->years[y]);
		for (size_t k = 0; rc == 0 && k < 6; k++) {
			dts_amount a;

			rc = dts_report_sum(&a, cube, r->years[y],
					    k < 5 ? dts_category_top(k) : "DT",
					    "X+M", NULL);
			if (rc == 0)
				dts_amount_format(v[k], sizeof(v[k]), &a, 8,
						  r->decimals);
		}
		if (rc == 0)
			rc = dts_table_add_row(t, row);
	}
	return finish(out, t, rc);
}

static int has_target(const dts_report *r, size_t i, size_t ny)
{
	for (size_t y = 0; y < ny; y++)
		if (r->cells[i * r->nyears + y].yearly)
			return 1;
	return 0;
}

/* Charts: one per annex sum indicator with yearly targets (value against
   target over the years), then the five categories stacked by year.
   Sheets: 0 annex, 1 categories, 2 boundary, 3 targets. */
static int book_charts(dts_book *b, const dts_report *r, size_t ny)
{
	const unsigned last = (unsigned)(WIDE_FIXED + ny - 1);
	const dts_range cats = {1, 1, 0, (unsigned)ny, 0};
	char label[64];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		const dts_indicator *d = &r->ind[i].pub;
		const unsigned row = (unsigned)i + 1;
		const dts_range years = {0, 0, WIDE_FIXED, 0, last};
		const dts_range value = {0, row, WIDE_FIXED, row, last};
		const dts_range target = {3, row, 4, row, 4 + (unsigned)ny - 1};
		char title[512];

		if (d->kind != DTS_INDICATOR_SUM || !d->no[0] ||
		    !has_target(r, i, ny))
			continue;
		snprintf(title, sizeof(title), "%s %s (%s)", d->no, d->name_zh,
			 d->unit);
		if ((rc = dts_book_add_chart(b, title, d->unit, 0, &years)) < 0 ||
		    (rc = dts_book_add_series(b, "实际 value", &value, 0)) < 0)
			break;
		rc = dts_book_add_series(b, "目标 target", &target, 1);
	}
	if (rc == 0) {
		char ub[64], ct[128];
		const char *u = yi_unit(r->currency, ub, sizeof(ub));

		snprintf(ct, sizeof(ct), "数字贸易五类 The five categories by "
			 "year (%s)", u);
		rc = dts_book_add_chart(b, ct, u, 1, &cats);
	}
	for (unsigned k = 0; rc == 0 && k < 5; k++) {
		const dts_range v = {1, 1, k + 1, (unsigned)ny, k + 1};

		rc = dts_book_add_series(b, category_label(label, sizeof(label), k,
							 r->currency),
					 &v, 0);
	}
	return rc;
}

static void free_book(dts_report *r)
{
	dts_book_free(r->book);
	r->book = NULL;
	for (size_t i = 0; i < 5; i++) {
		dts_table_free(r->sheets[i]);
		r->sheets[i] = NULL;
	}
}

void dts__report_free_book(dts_report *r)
{
	free_book(r);
}

int dts_report_book(const dts_book **out, dts_report *r, const dts_cube *cube,
		    int year)
{
	static const char *const sheet[5] = {"annex", "categories", "boundary",
					     "targets", "notes"};
	size_t ny = 0;
	int rc;

	if (!out || !r || !r->cells)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no computed report");
	*out = NULL;
	free_book(r);
	while (ny < r->nyears && r->years[ny] <= year)
		ny++;   /* the data years up to the report year */
	if (ny == 0 || r->years[ny - 1] != year)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "no data for %d: "
				  "no workbook written", year);
	if ((rc = wide_annex(&r->sheets[0], r, ny)) < 0 ||
	    (rc = categories_sheet(&r->sheets[1], r, cube, ny)) < 0 ||
	    (rc = dts_report_boundary_table(&r->sheets[2], cube, year,
					    r->decimals)) < 0 ||
	    (rc = targets_sheet(&r->sheets[3], r, ny)) < 0 ||
	    (rc = dts_report_notes_table(&r->sheets[4], r, cube)) < 0 ||
	    (rc = dts_book_new(&r->book)) < 0)
		goto fail;
	for (size_t i = 0; i < 5; i++)
		if ((rc = dts_book_add_sheet(r->book, sheet[i], r->sheets[i])) < 0)
			goto fail;
	if ((rc = dts_book_set_chart_sheet(r->book, "charts")) < 0 ||
	    (rc = book_charts(r->book, r, ny)) < 0)
		goto fail;
	*out = r->book;
	return 0;
fail:
	free_book(r);
	return rc;
}

/* ---- notes and sources --------------------------------------------------- */

/* A basis worth a note: a supplied value or base, a partial or unchecked
   scope, records of unknown base. */
static int noteworthy(const char *b)
{
	return strstr(b, "supplied") || strstr(b, "not comparable") ||
	       strstr(b, "counted once") ||
	       strstr(b, "not checked") || strstr(b, "unknown base") ||
	       strstr(b, "unknown source");
}

/* One note per figure whose basis is not simply computed or reported. */
static int basis_notes(dts_table *t, const dts_report *r)
{
	int rc = 0;

	for (size_t y = 0; rc == 0 && y < r->nyears; y++)
		for (size_t i = 0; rc == 0 && i < r->n; i++) {
			const char *b = dts_report_basis(r, i, y);
			char item[128];
			const char *row[2] = {item, b};

			if (!b || !noteworthy(b))
				continue;
			snprintf(item, sizeof(item), "依据 Basis %s %d",
				 r->ind[i].pub.id, r->years[y]);
			rc = dts_table_add_row(t, row);
		}
	return rc;
}

int dts_report_notes_table(dts_table **out, const dts_report *r,
			   const dts_cube *cube)
{
	dts_table *t = NULL;
	char ub[64], note[512];
	int rc;

	if (!out || !r || !r->cells)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no computed report");
	*out = NULL;
	if ((rc = dts_agg_notes_table(&t, cube, 8)) < 0)
		return rc;
	if ((rc = dts__report_notes_periods(t, r)) < 0)
		return finish(out, t, rc);
	if (dts_report_targets_compared(r))
		snprintf(note, sizeof(note), "the plan's yearly targets "
			 "(indicators/hangzhou-targets.csv) and goals, in %s; "
			 "attainment = value / target", RPT_TARGET_CURRENCY);
	else
		snprintf(note, sizeof(note), "values are in %s (%s); the plan's "
			 "targets are in %s and are not compared: no target, no "
			 "attainment", r->currency, yi_unit(r->currency, ub,
							     sizeof(ub)),
			 RPT_TARGET_CURRENCY);
	{
		const char *rows[][2] = {
			{"目标 Targets", note},
			{"附件指标 Annex indicators", "indicators/hangzhou-annex.csv: "
			 "sums of the cube (exact), shares and growth rates "
			 "(exact percentages, rounded once), reported values as "
			 "supplied (--reported)"},
			{"数字服务贸易 Two scopes", "annex indicator 2 "
			 "数字服务贸易进出口额 is the annex's broad scope: all "
			 "digitally delivered trade, DD = TECH + SERV + PROD + DATA; "
			 "the category SERV 数字服务贸易 (categories sheet) is the "
			 "narrow category, one part of DD"}};

		for (size_t i = 0; rc == 0 && i < 3; i++)
			rc = dts_table_add_row(t, rows[i]);
	}
	if (rc == 0)
		rc = basis_notes(t, r);
	if (rc == 0)
		rc = dts_table_set_dataflow(t, "DTS_ANNEX_NOTES");
	return finish(out, t, rc);
}

/* ---- for the period tables (periods.c) ---------------------------------------- */

const char *dts__report_annex_title(const dts_report *r, char *buf, size_t n)
{
	return annex_title(r, buf, n);
}

int dts__report_annex_sdmx(dts_table *t, const dts_report *r)
{
	return annex_sdmx(t, r);
}

void dts__report_sdmx_unit(const dts_report *r, const dts_indicator *d,
			   const char **unit, int *mult)
{
	sdmx_unit(r, d, unit, mult);
}
