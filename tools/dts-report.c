/*
 * dts-report — the monitoring table of the plan's annex: indicators
 * defined in a file (indicators/hangzhou-annex.csv), computed from
 * records or cubes, with targets, attainment and growth, and the boundary
 * table. The report itself is the library's (dts/report.h); this is the
 * command line and the layout of the tables. See man/dts-report.1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "dts/report.h"
#include "table.h"
#include "tool.h"

/* Digits after the point for money values (--decimals). */
static int money_decimals = 2;

/* ---- tables ------------------------------------------------------------- */

static int annex_table(tbl *t, const dts_report *r, int only_year)
{
	static const char *const names[] = {"id", "year", "value", "no",
		"indicator", "unit", "target", "attainment_pct", "growth_pct",
		"indicator_en"};
	const int *years;
	size_t ny = dts_report_years(r, &years);

	if (tbl_init(t, names, 10, 2) < 0)
		return -1;
	t->title = strdup("Hangzhou digital trade action plan: annex indicators");
	t->dataflow = strdup("DTS_ANNEX");
	t->cols[3].numeric = t->cols[4].numeric = t->cols[5].numeric = 0;
	t->cols[6].numeric = t->cols[9].numeric = 0;
	t->chart_col = 2;
	t->missing = "missing";
	for (size_t y = 0; y < ny; y++) {
		char year[8];

		if (only_year && years[y] != only_year)
			continue;
		snprintf(year, sizeof(year), "%d", years[y]);
		for (size_t i = 0; i < dts_report_count(r); i++) {
			dts_report_row w;
			const char *row[10];

			dts_report_row_get(&w, r, i, y);
			row[0] = w.indicator->id; row[1] = year; row[2] = w.value;
			row[3] = w.indicator->no; row[4] = w.indicator->name_zh;
			row[5] = w.indicator->unit; row[6] = w.target;
			row[7] = w.attainment; row[8] = w.growth;
			row[9] = w.indicator->name_en;
			if (tbl_add_row(t, row) < 0)
				return -1;
		}
	}
	return 0;
}

static int boundary_table(tbl *t, const dts_cube *cube, int year)
{
	static const char *const names[] = {"year", "base", "digital", "export",
					    "import", "total"};
	static const char *const bn[] = {"goods", "services", "unknown", "total"};
	static const char *const dn[] = {"digital", "not digital", "total"};
	const dts_amount zero = DTS_AMOUNT_ZERO;
	dts_boundary b;
	char ys[8];

	snprintf(ys, sizeof(ys), "%d", year);
	if (dts_report_boundary(&b, cube, year) < 0)
		return tool_lib_error(NULL), -1;
	if (tbl_init(t, names, 6, 3) < 0)
		return -1;
	t->title = strdup("Boundary table: goods / services x digital / not "
			  "digital x export / import (亿元)");
	t->dataflow = strdup("DTS_BOUNDARY");
	t->unit = strdup(dts_cube_currency(cube));
	t->unit_mult = 8;
	t->chart_col = 5;
	for (int i = 0; i < 4; i++) {
		if (i == DTS_BOUNDARY_UNKNOWN &&
		    !dts_amount_cmp(&b.value[i][DTS_BOUNDARY_BOTH][DTS_BOUNDARY_FLOWS], &zero))
			continue;   /* every record has a base */
		for (int j = 0; j < 3; j++) {
			char v[3][64];
			const char *row[6] = {ys, bn[i], dn[j], v[0], v[1], v[2]};

			for (int k = 0; k < 3; k++)
				dts_amount_format(v[k], 64, &b.value[i][j][k], 8,
						  money_decimals);
			if (tbl_add_row(t, row) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- the xlsx workbook ----------------------------------------------------- */

#define WIDE_FIXED 5   /* no, id, indicator, indicator_en, unit */
#define MAX_YEARS 32

/* One row per indicator (the layout of the plan's annex): each year's
   value up to the report year (ny of them), then the report year's
   target, attainment and growth. */
static int wide_annex(tbl *t, const dts_report *r, int year, size_t ny)
{
	const char *names[WIDE_FIXED + MAX_YEARS + 3] = {"no", "id", "indicator",
		"indicator_en", "unit"};
	char yn[MAX_YEARS][8], tn[32];
	const int *years;

	dts_report_years(r, &years);
	for (size_t y = 0; y < ny; y++) {
		snprintf(yn[y], sizeof(yn[y]), "%d", years[y]);
		names[WIDE_FIXED + y] = yn[y];
	}
	snprintf(tn, sizeof(tn), "target %d", year);
	names[WIDE_FIXED + ny] = tn;
	names[WIDE_FIXED + ny + 1] = "attainment_pct";
	names[WIDE_FIXED + ny + 2] = "growth_pct";
	if (tbl_init(t, names, WIDE_FIXED + ny + 3, WIDE_FIXED) < 0)
		return -1;
	t->title = strdup("Hangzhou digital trade action plan: annex indicators");
	for (size_t i = 0; i < dts_report_count(r); i++) {
		const dts_indicator *d = dts_report_indicator(r, i);
		const char *row[WIDE_FIXED + MAX_YEARS + 3] = {d->no, d->id,
			d->name_zh, d->name_en, d->unit};
		dts_report_row w;

		for (size_t k = 0; k < ny; k++) {
			dts_report_row_get(&w, r, i, k);
			row[WIDE_FIXED + k] = w.missing ? "missing" : w.value;
		}
		row[WIDE_FIXED + ny] = w.target;   /* w: the report year */
		row[WIDE_FIXED + ny + 1] = w.attainment;
		row[WIDE_FIXED + ny + 2] = w.growth;
		if (tbl_add_row(t, row) < 0)
			return -1;
	}
	return 0;
}

/* The targets of every year, rows as in the annex sheet (chart ranges). */
static int targets_sheet(tbl *t, const dts_report *r, size_t ny)
{
	const char *names[4 + MAX_YEARS] = {"no", "id", "indicator", "unit"};
	char yn[MAX_YEARS][8];
	const int *years;

	dts_report_years(r, &years);
	for (size_t y = 0; y < ny; y++) {
		snprintf(yn[y], sizeof(yn[y]), "%d", years[y]);
		names[4 + y] = yn[y];
	}
	if (tbl_init(t, names, 4 + ny, 4) < 0)
		return -1;
	for (size_t i = 0; i < dts_report_count(r); i++) {
		const dts_indicator *d = dts_report_indicator(r, i);
		const char *row[4 + MAX_YEARS] = {d->no, d->id, d->name_zh, d->unit};
		dts_report_row w;

		for (size_t y = 0; y < ny; y++) {
			dts_report_row_get(&w, r, i, y);
			row[4 + y] = w.target;
		}
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

/* Imports + exports of the five categories by year, with DT (their sum). */
static int categories_sheet(tbl *t, const dts_report *r, const dts_cube *cube,
			    size_t ny)
{
	const int *years;

	dts_report_years(r, &years);
	if (tbl_init(t, five_names, 7, 1) < 0)
		return -1;
	for (size_t y = 0; y < ny; y++) {
		char year[8], v[6][64];
		const char *row[7] = {year, v[0], v[1], v[2], v[3], v[4], v[5]};

		snprintf(year, sizeof(year), "%d", years[y]);
		for (size_t k = 0; k < 6; k++) {
			dts_amount a;

			if (dts_report_sum(&a, cube, years[y], five[k], "X+M", NULL) < 0)
				return tool_lib_error(NULL), -1;
			dts_amount_format(v[k], sizeof(v[k]), &a, 8, money_decimals);
		}
		if (tbl_add_row(t, row) < 0)
			return -1;
	}
	return 0;
}

static int has_target(const dts_report *r, size_t i, size_t ny)
{
	dts_report_row w;

	for (size_t y = 0; y < ny; y++)
		if (dts_report_row_get(&w, r, i, y) == 0 && w.yearly_target)
			return 1;
	return 0;
}

/* Charts: one per annex sum indicator with yearly targets (value against
   target over the years), then the five categories stacked by year.
   Sheets: 0 annex, 1 categories, 2 boundary, 3 targets. */
static size_t book_charts(tbl_chart *ch, size_t max, const dts_report *r,
			  size_t ny)
{
	size_t n = 0;
	const unsigned last = (unsigned)(WIDE_FIXED + ny - 1);

	for (size_t i = 0; i < dts_report_count(r) && n + 1 < max; i++) {
		const dts_indicator *d = dts_report_indicator(r, i);
		tbl_chart *c = &ch[n];
		char title[256];

		if (d->kind != DTS_INDICATOR_SUM || !d->no[0] ||
		    !has_target(r, i, ny))
			continue;
		snprintf(title, sizeof(title), "%s %s (%s)", d->no, d->name_zh,
			 d->unit);
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

static int emit_book(const dts_report *r, const dts_cube *cube, int year,
		     const char *path)
{
	tbl t[4];
	tbl_chart ch[16];
	tbl_book b = {.names = {"annex", "categories", "boundary", "targets"},
		      .nsheets = 4, .charts = ch, .chart_sheet = "charts"};
	const int *years;
	size_t ny = 0, nyears = dts_report_years(r, &years);
	int rc = -1;

	while (ny < nyears && years[ny] <= year)
		ny++;   /* the data years up to the report year */
	memset(t, 0, sizeof(t));
	memset(ch, 0, sizeof(ch));
	if (ny == 0 || years[ny - 1] != year)
		return tool_warn("no data for %d: no workbook written", year), -1;
	if (ny > MAX_YEARS)
		return tool_warn("more than %d years: no workbook written",
				 MAX_YEARS), -1;
	if (!path || !strcmp(path, "-"))
		return tool_warn("xlsx output needs a file: use -o FILE.xlsx"), -1;
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
"  column), or cube partials from dts-aggregate --by " DTS_REPORT_DIMS " --partial\n"
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
static int emit_both(const dts_report *r, const dts_cube *cube, const opts *o,
		     int year)
{
	tbl a, b;
	tool_out out;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	rc = annex_table(&a, r, o->year);
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

static int emit(const dts_report *r, const dts_cube *cube, const opts *o)
{
	const int *years;
	size_t ny = dts_report_years(r, &years);
	int year = o->year ? o->year : ny ? years[ny - 1] : 0;
	tbl t;
	int rc;

	if (!o->table && !strcmp(o->format, "xlsx"))
		return emit_book(r, cube, year, o->output);
	if (!o->table && !strcmp(o->format, "text"))
		return emit_both(r, cube, o, year);
	memset(&t, 0, sizeof(t));
	if (!o->table || !strcmp(o->table, "annex"))
		rc = annex_table(&t, r, o->year);
	else
		rc = boundary_table(&t, cube, year);
	if (rc == 0)
		rc = out_table(&t, o->format, o->output);
	tbl_free(&t);
	return rc;
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
	dts_report *r = NULL;
	agg a;
	int rc = EXIT_IO;

	tool_name = "dts-report";
	memset(&a, 0, sizeof(a));
	if (parse_args(&o, argc, argv) < 0 ||
	    check_paths(&o, argv + optind, argc - optind) < 0)
		return EXIT_USAGE;
	if (agg_init(&a, DTS_REPORT_DIMS, o.currency) < 0)
		goto done;
	agg_set_reading(&a, &o.rd);
	if (o.rates && agg_load_rates(&a, o.rates) < 0)
		goto done;
	if (dts_report_load(&r, o.indicators ? o.indicators :
			    agg_data_file("hangzhou-annex.csv")) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	for (int i = optind; i < argc; i++) {
		int e = agg_input(&a, argv[i]);

		if (e < 0) {
			rc = e == -2 ? EXIT_USAGE : EXIT_IO;
			goto done;
		}
	}
	if (dts_report_load_targets(r, o.targets ? o.targets :
				    agg_data_file("hangzhou-targets.csv")) < 0 ||
	    (o.reported && dts_report_load_reported(r, o.reported) < 0) ||
	    dts_report_compute(r, a.cube, money_decimals) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	if (emit(r, a.cube, &o) < 0)
		goto done;
	rc = a.rejects ? EXIT_REJECTS : EXIT_OK;
	if (a.rejects)
		tool_warn("%llu records rejected", (unsigned long long)a.rejects);
done:
	agg_free(&a);
	dts_report_free(r);
	return rc;
}
