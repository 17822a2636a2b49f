/*
 * dts-report — the monitoring table of the plan's annex: indicators
 * defined in a file (indicators/hangzhou-annex.csv), computed from
 * records or cubes, with targets, attainment and growth, and the boundary
 * table. The report, its tables and its workbook are the library's
 * (dts/report.h); this is the command line: arguments, default files,
 * output paths, exit codes. See man/dts-report.1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "dts/report.h"
#include "tool.h"

/* Digits after the point for money values (--decimals); SDMX output
 * defaults to DTS_AMOUNT_DECIMALS (exact to 10^-14 of the unit). */
static int money_decimals = 2, decimals_set;

static void usage(FILE *f)
{
	fprintf(f,
"usage: dts-report [-r RULES]... [--rates FILE] [--indicators FILE]\n"
"                  [--targets FILE] [--reported FILE] [--year YEAR]\n"
"                  [--overlap FIRST+SECOND:KEY[,KEY]]\n"
"                  [-t annex|boundary|notes|sources|overlap]\n"
"                  [--by month|quarter|half|ytd]\n"
"                  [-f text|csv|sdmx-csv|sdmx-ml|sdmx-structure|xlsx|html] [--bom]\n"
"                  [--lang zh|en] [--areas FILE] [--zones FILE] [--districts FILE]\n"
"                  [--suppress[=N]] [--protect P] [--p-rule P] [--nk-rule N,K]\n"
"                  [--decimals N] [--status S] [--vintage DATE]\n"
"       dts-report --diff [-t annex|cells] [options] OLD NEW\n"
"       dts-report --definitions [--indicators FILE] [--targets FILE]\n"
"                  [-f md|html|csv] [-o OUT]\n"
"                  [-m COL=FIELD]... [-d SEP] [--encoding ENC] [-o OUT] INPUT...\n"
"  INPUT: raw records (CSV, customs XML, .xlsx, .xls), classified records (dts_category\n"
"  column), or cube partials from dts-aggregate --by " DTS_REPORT_DIMS_MONTHLY " --partial\n"
"  -m, --map COL=FIELD  bind an input column to a field (repeatable)\n"
"  -d, --delimiter C    CSV separator: ',' (default), tab, ';' or '|'\n"
"      --encoding ENC   auto (default: detected), utf-8, utf-16le, utf-16be,\n"
"                       gb18030 or gbk\n"
"      --sheet NAME     the worksheet of an .xlsx/.xls input (default: the first)\n" TOOL_PROFILE_USAGE
"      --by PERIOD      the annex by month, quarter, half year or 1-N月\n"
"                       cumulative (ytd), year on year like for like\n"
"      --bom            start CSV output with a UTF-8 BOM (for Excel)\n"
"      --status S       provisional (default), final or revised\n"
"      --vintage DATE   data cut-off date, YYYY-MM-DD\n"
"  -f html              the monitoring page (one self-contained HTML file)\n"
"      --lang L         zh (default: Chinese with English labels) or en\n"
"      --areas FILE     enterprise_id,area: enterprises in an area of a\n"
"                       district (the airport economy zone, AIRPORT)\n"
"      --zones FILE, --districts FILE  the 4+4+1+5 layout (default: the\n"
"                       shipped indicators/hangzhou-zones.csv, -districts.csv)\n"
"      --suppress[=N]   suppress district cells of fewer than N enterprises\n"
"                       (default 3) and the cells that would reveal them\n"
"      --protect P      protection level in percent (default 10)\n"
"      --p-rule P       also suppress district cells whose second largest\n"
"                       enterprise could estimate the largest within P%%\n"
"      --nk-rule N,K    also suppress district cells where N enterprises\n"
"                       hold more than K%% (both imply --suppress)\n"
"      --overlap SPEC   records of two sources with the same keys are one\n"
"                       (customs+cbec:order_no): counted once, -t overlap\n"
"      --diff           OLD NEW: what a revision changed, the annex (-t annex)\n"
"                       and the cube's cells (-t cells) of two vintages\n"
"      --definitions    the indicator system: per indicator its definition,\n"
"                       formula, unit, sources, frequency, responsible units\n"
"                       and targets by year (-f md (default), html or csv)\n"
"Exit: 0 ok, 1 some records rejected, 2 usage, 3 input/output error or\n"
"no data for --year.\n");
}
typedef struct opts {
	tool_reading rd;
	const char *rates, *currency, *indicators, *targets, *reported;
	const char *format, *output, *table, *vintage, *overlap;
	const char *areas, *zones, *districts;
	int year, bom, status, diff, html, lang, suppress, by, contrib;
	int definitions, defs_format; /* --definitions, a dts_standard_format */
	int format_set;
	dts_suppress_options sup;
} opts;

/* Long options without a letter, clear of TOOL_O_SHEET (0x200). */
enum { OPT_LANG = 0x300, OPT_AREAS, OPT_ZONES, OPT_DISTRICTS, OPT_DEFINITIONS };

static int parse_args(opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"rates", required_argument, NULL, 'R'},
		{"currency", required_argument, NULL, 'C'},
		{"indicators", required_argument, NULL, 'I'},
		{"targets", required_argument, NULL, 'T'},
		{"reported", required_argument, NULL, 'P'},
		{"overlap", required_argument, NULL, 'O'},
		{"year", required_argument, NULL, 'y'},
		{"table", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"decimals", required_argument, NULL, 'D'},
		{"map", required_argument, NULL, 'm'},
		{"delimiter", required_argument, NULL, 'd'},
		{"encoding", required_argument, NULL, 'E'},
		{"bom", no_argument, NULL, 'B'},
		{"status", required_argument, NULL, 'S'},
		{"vintage", required_argument, NULL, 'W'},
		{"by", required_argument, NULL, 'b'},
		{"lang", required_argument, NULL, OPT_LANG},
		{"areas", required_argument, NULL, OPT_AREAS},
		{"zones", required_argument, NULL, OPT_ZONES},
		{"districts", required_argument, NULL, OPT_DISTRICTS},
		{"diff", no_argument, NULL, 'X'},
		{"definitions", no_argument, NULL, OPT_DEFINITIONS},
		TOOL_SHEET_OPTION, TOOL_PROFILE_LONGOPTS, TOOL_SUPPRESS_LONGOPTS,
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
		case 'O': o->overlap = optarg; break;
		case 't': o->table = optarg; break;
		case 'f': o->format = optarg; o->format_set = 1; break;
		case 'o': o->output = optarg; break;
		case 'y':
			o->year = (int)strtol(optarg, &end, 10);
			if (*end || o->year < 1000 || o->year > 9999) {
				tool_warn("bad --year \"%s\"", optarg);
				return -1;
			}
			break;
		case 'D':
			if (tool_parse_decimals(&money_decimals, optarg) < 0)
				return -1;
			decimals_set = 1;
			break;
		case 'B': o->bom = 1; break;
		case 'S':
			if (tool_parse_status(&o->status, optarg) < 0)
				return -1;
			break;
		case 'W': o->vintage = optarg; break;
		case 'b':
			if ((o->by = dts_report_by_parse(optarg)) < 0) {
				tool_warn("unknown --by \"%s\" (month, quarter, "
					  "half, ytd)", optarg);
				return -1;
			}
			break;
		case OPT_LANG:
			if (strcmp(optarg, "zh") && strcmp(optarg, "en")) {
				tool_warn("unknown --lang \"%s\" (zh, en)", optarg);
				return -1;
			}
			o->lang = !strcmp(optarg, "en") ? DTS_PAGE_EN : DTS_PAGE_ZH;
			break;
		case OPT_AREAS: o->areas = optarg; break;
		case OPT_ZONES: o->zones = optarg; break;
		case OPT_DISTRICTS: o->districts = optarg; break;
		case 'X': o->diff = 1; break;
		case OPT_DEFINITIONS: o->definitions = 1; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': tool_version(); break;
		default:
			if ((rc = tool_suppress_option(&o->sup, &o->suppress,
						       &o->contrib, c, optarg)) > 0)
				break;
			if (rc < 0)
				return -1;
			if ((rc = tool_reading_option(&o->rd, c, optarg)) > 0)
				break;
			if (rc == 0)
				usage(stderr);
			return -1;
		}
	}
	if (o->definitions) {
		if ((o->defs_format = dts_standard_format_parse(
			     o->format_set ? o->format : "md")) < 0 ||
		    o->defs_format == DTS_STANDARD_XLSX) {
			tool_warn("--definitions: unknown format \"%s\" (md, html, csv)",
				  o->format);
			return -1;
		}
		if (o->diff || o->table || o->year) {
			tool_warn("--definitions writes the indicator system: no "
				  "--diff, -t or --year");
			return -1;
		}
		return 0;
	}
	o->html = !strcmp(o->format, "html");
	if (!o->html && dts_table_format_parse(o->format) < 0) {
		tool_warn("unknown format \"%s\" (text, csv, sdmx-csv, sdmx-ml, "
			  "sdmx-structure, xlsx, html)", o->format);
		return -1;
	}
	if (o->html && (o->table || o->diff)) {
		tool_warn("-f html is the whole page: no -t, no --diff");
		return -1;
	}
	if (!o->html && (o->lang || o->areas || o->zones || o->districts ||
			 o->suppress)) {
		tool_warn("--lang, --areas, --zones, --districts, --suppress, "
			  "--protect, --p-rule and --nk-rule are for -f html");
		return -1;
	}
	if (o->table && strcmp(o->table, "annex") && strcmp(o->table, "boundary") &&
	    strcmp(o->table, "notes") && strcmp(o->table, "sources") &&
	    strcmp(o->table, "overlap") && (!o->diff || strcmp(o->table, "cells"))) {
		tool_warn("unknown table \"%s\" (annex, boundary, notes, sources, "
			  "overlap; with --diff annex, cells)", o->table);
		return -1;
	}
	if (o->table && !strcmp(o->table, "overlap") && !o->overlap) {
		tool_warn("-t overlap needs --overlap");
		return -1;
	}
	if (o->by && (o->diff || o->html)) {
		tool_warn("--by and %s: one at a time", o->diff ? "--diff" :
			  "-f html");
		return -1;
	}
	if (o->by && o->table && strcmp(o->table, "annex")) {
		tool_warn("--by gives the annex by period: not with -t %s",
			  o->table);
		return -1;
	}
	if (!decimals_set && !strncmp(o->format, "sdmx", 4))
		money_decimals = DTS_AMOUNT_DECIMALS;
	if (optind >= argc) {
		tool_warn("no input (use - for standard input)");
		return -1;
	}
	return 0;
}

/* A report year the data do not have is an input failure (exit 3), not
 * an empty table: say which years there are. */
static int check_year(int year, const int *years, size_t ny)
{
	char have[256] = "";
	size_t o = 0;

	for (size_t i = 0; i < ny; i++) {
		if (years[i] == year)
			return 0;
		if (o < sizeof(have))
			o += (size_t)snprintf(have + o, sizeof(have) - o, "%s%d",
					      i ? ", " : "", years[i]);
	}
	if (!ny)
		tool_warn("no data: the input has no year with records");
	else
		tool_warn("no data for %d: the input has %s", year, have);
	return -1;
}

/* Text with no -t: both tables in one output (one file, committed once). */
static int write_both(const dts_table *a, const dts_table *b, const char *path)
{
	tool_out out;

	if (tool_out_open(&out, path) < 0)
		return -1;
	if (dts_table_write_text(a, out.f) < 0 || fputc('\n', out.f) == EOF ||
	    dts_table_write_text(b, out.f) < 0) {
		tool_out_write_failed(&out);
		tool_out_abort(&out);
		return -1;
	}
	return tool_out_commit(&out);
}

/* Writes the annex-side table a or the cell-side b (text: both), then frees
 * them; ok = 0 when building them failed (the library's error is shown). */
static int write_pair(const opts *o, int ok, int annex, int both, dts_table *a,
		      dts_table *b)
{
	int rc = -1;

	if (!ok)
		tool_lib_error(NULL);
	else if (both)
		rc = write_both(a, b, o->output);
	else {
		dts_table_set_bom(annex ? a : b, o->bom);
		rc = tool_write_table(annex ? a : b, o->format, o->output);
	}
	dts_table_free(a);
	dts_table_free(b);
	return rc;
}

/* -f html: the page, with the district section from the layout files. */
static int write_page(const dts_report *r, const dts_cube *cube, const opts *o,
		      int year)
{
	dts_page_options po = DTS_PAGE_OPTIONS_INIT;
	dts_geo *geo = NULL;
	tool_out out;
	int rc = -1;

	char *zones = strdup(o->zones ? o->zones :   /* tool_data_file: one buffer */
			     tool_data_file("indicators/hangzhou-zones.csv"));

	if (!zones)
		return tool_warn("out of memory"), -1;
	rc = dts_geo_load(&geo, zones, o->districts ? o->districts :
			  tool_data_file("indicators/hangzhou-districts.csv"));
	free(zones);
	if (rc < 0)
		return tool_lib_error(NULL), -1;
	rc = -1;
	po.year = year;
	po.lang = o->lang;
	po.geo = geo;
	po.suppress = o->suppress ? &o->sup : NULL;
	if (tool_out_open(&out, o->output) == 0) {
		if (dts_page_write(r, cube, &po, out.f) < 0) {
			tool_lib_error(NULL);
			tool_out_abort(&out);
		} else {
			rc = tool_out_commit(&out);
		}
	}
	dts_geo_free(geo);
	return rc;
}

static int emit(dts_report *r, const dts_cube *cube, const opts *o,
		const dts_overlap *ov)
{
	const int *years;
	size_t ny = dts_report_years(r, &years);
	int year = o->year ? o->year : ny ? years[ny - 1] : 0;
	int annex = !o->table || !strcmp(o->table, "annex");
	int both = !o->table && !strcmp(o->format, "text");
	dts_table *a = NULL, *b = NULL;
	const dts_book *book;
	int rc = -1, ok;

	if (!o->table || strcmp(o->table, "notes"))
		if (check_year(year, years, ny) < 0)
			return -1;
	if (o->html)
		return write_page(r, cube, o, year);
	if (o->table && (!strcmp(o->table, "notes") ||
			 !strcmp(o->table, "sources") ||
			 !strcmp(o->table, "overlap"))) {
		if ((!strcmp(o->table, "notes") ?
		     dts_report_notes_table(&a, r, cube) :
		     !strcmp(o->table, "overlap") ?
		     dts_report_overlap_table(&a, ov) :
		     dts_report_sources_table(&a, r, cube, o->year)) < 0)
			return tool_lib_error(NULL), -1;
		dts_table_set_bom(a, o->bom);
		rc = tool_write_table(a, o->format, o->output);
		dts_table_free(a);
		return rc;
	}
	if (o->by) {
		if (dts_report_period_table(&a, r, cube, o->by, o->year) < 0)
			return tool_lib_error(NULL), -1;
		dts_table_set_bom(a, o->bom);
		rc = tool_write_table(a, o->format, o->output);
		dts_table_free(a);
		return rc;
	}
	if (!o->table && !strcmp(o->format, "xlsx")) {
		if (dts_report_book(&book, r, cube, year) < 0)
			return tool_lib_error(NULL), -1;
		if (!o->output || !strcmp(o->output, "-"))
			return tool_warn("xlsx output needs a file: use -o FILE.xlsx"), -1;
		return tool_write_xlsx(NULL, book, o->output);
	}
	ok = !(annex && dts_report_annex_table(&a, r, o->year) < 0) &&
	     !((!annex || both) &&
	       dts_report_boundary_table(&b, cube, year, money_decimals) < 0);
	return write_pair(o, ok, annex, both, a, b);
}

/* -o must not name an input or a definition file (exit 2). */
static int check_paths(const opts *o, char **inputs, int n)
{
	const char *extra[7] = {o->rates, o->indicators, o->targets, o->reported,
				o->areas, o->zones, o->districts};

	return tool_check_paths(&o->output, 1, inputs, n, extra, 7);
}

/* The dimensions of a first input that is a partial file (dts-aggregate
 * --partial), or NULL. */
static const char *partial_dims(const char *first, char *buf, size_t n)
{
	dts_format fmt = DTS_FORMAT_UNKNOWN;

	if (first && strcmp(first, "-") && dts_source_sniff_file(&fmt, first) == 0 &&
	    fmt == DTS_FORMAT_PARTIAL && dts_report_dims_for(buf, n, first) == 0)
		return buf;
	return NULL;
}

/* The page: period:year for the districts' suppression, period:month for
 * the trends; a partial with region:district is taken as it is (without
 * period:month the page has no trends). */
#define HTML_DIMS DTS_REPORT_DIMS ",region:district,period:month"

/* The cube's dimensions: the page's (HTML_DIMS), else those of a partial
 * input, else DTS_REPORT_DIMS_MONTHLY, by quarter or half year for those
 * tables, so a year's coverage is known. */
static const char *cube_dims(const opts *o, const char *first, char *buf,
			     size_t n)
{
	const char *d = partial_dims(first, buf, n);

	if (o->html)
		return d && strstr(d, "region:district") ? d : HTML_DIMS;
	if (d)
		return d;
	return o->by == DTS_REPORT_BY_QUARTER ? "period:quarter,flow,category:top,base" :
	       o->by == DTS_REPORT_BY_HALF ? "period:half,flow,category:top,base" :
	       DTS_REPORT_DIMS_MONTHLY;
}

/* --overlap: the inputs read again, record by record, for the pairs;
 * the pairs are counted once by the report's next compute. Returns an
 * exit code: a malformed --overlap is the caller's (exit 2). */
static int overlap_inputs(dts_overlap **ov, dts_rates **rates, const opts *o,
			  const agg *a, dts_report *r, char *const *inputs, int n)
{
	if ((o->rates && dts_rates_load(rates, o->rates) < 0) ||
	    dts_report_overlap_new(ov, o->overlap, o->currency, *rates) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (dts_report_overlap_add_file(*ov, inputs[i], &a->rd->in,
						a->rules) < 0)
			goto fail;
	if (dts_report_overlap_run(*ov) < 0 || dts_report_set_overlap(r, *ov) < 0)
		goto fail;
	tool_warn("--overlap %s: %llu records in both sources, counted once",
		  o->overlap, (unsigned long long)dts_report_overlap_count(*ov));
	return EXIT_OK;
fail:
	{
		int usage = dts_error_last() && dts_error_last()->code == DTS_EINVAL;

		tool_lib_error(NULL);
		return usage ? EXIT_USAGE : EXIT_IO;
	}
}

/* One vintage: the inputs aggregated into a's cube and the report *r
 * computed over it, with the --overlap pairs counted once when ov is not
 * NULL (*ov and *rates are then the caller's to free). Records are
 * aggregated with their source too (the definitions' sources column).
 * Returns an exit code. */
static int load_vintage(agg *a, dts_report **r, const opts *o, char *const *in,
			int n, dts_overlap **ov, dts_rates **rates)
{
	const char *by;
	char dims[1024], with_source[1100];
	int rc;

	/* --diff compares the cells of two cubes by year (DTS_REPORT_DIMS);
	 * the page's district section needs the district of every record
	 * and period:year (suppression is of the year's cells), its trends
	 * the month (the report is computed by month: the same annex) */
	by = o->diff ? DTS_REPORT_DIMS :
	     cube_dims(o, n ? in[0] : NULL, dims, sizeof(dims));
	if (!o->diff && !o->html && by != dims && !strstr(by, "source")) {
		snprintf(with_source, sizeof(with_source), "%s,source", by);
		by = with_source;
	}
	if (agg_init(a, by, o->currency) < 0)
		return EXIT_IO;
	if (o->areas && dts_agg_load_areas(a->g, o->areas) < 0)
		return tool_lib_error(NULL), EXIT_IO;
	if (o->contrib && dts_agg_set_contributions(a->g, 1) < 0)
		return tool_lib_error(NULL), EXIT_IO;
	agg_set_reading(a, &o->rd);
	if ((o->status && dts_agg_set_status(a->g, o->status) < 0) ||
	    (o->vintage && dts_agg_set_vintage(a->g, o->vintage) < 0)) {
		tool_lib_error(NULL);
		return EXIT_USAGE;
	}
	if (o->rates && dts_agg_load_rates(a->g, o->rates) < 0 && tool_lib_error(NULL))
		return EXIT_IO;
	if (dts_report_load(r, o->indicators ? o->indicators :
			    tool_data_file("indicators/hangzhou-annex.csv")) < 0)
		return tool_lib_error(NULL), EXIT_IO;
	if ((rc = agg_inputs(a, in, n)) != 0)
		return rc;
	if (dts_report_load_targets(*r, o->targets ? o->targets :
				    tool_data_file("indicators/hangzhou-targets.csv")) < 0 ||
	    (o->reported && dts_report_load_reported(*r, o->reported) < 0))
		return tool_lib_error(NULL), EXIT_IO;
	if (ov && o->overlap &&
	    (rc = overlap_inputs(ov, rates, o, a, *r, in, n)) != EXIT_OK)
		return rc;
	if (dts_report_compute(*r, dts_agg_cube(a->g), money_decimals) < 0)
		return tool_lib_error(NULL), EXIT_IO;
	return EXIT_OK;
}

/* --diff OLD NEW: the annex and the cells of two vintages side by side. */
static int emit_diff(const opts *o, dts_report *const r[2], const agg v[2])
{
	int annex = !o->table || !strcmp(o->table, "annex");
	int both = !o->table && !strcmp(o->format, "text");
	dts_table *a = NULL, *b = NULL;
	int ok = !(annex && dts_report_revision_table(&a, r[0], dts_agg_cube(v[0].g), r[1],
						       dts_agg_cube(v[1].g), o->year) < 0) &&
		 !((!annex || both) &&
		   dts_report_cells_revision_table(&b, dts_agg_cube(v[0].g),
						   dts_agg_cube(v[1].g), money_decimals) < 0);

	return write_pair(o, ok, annex, both, a, b);
}

static int diff_main(const opts *o, char *const *in, int n)
{
	dts_report *r[2] = {NULL, NULL};
	agg v[2];
	int rc = EXIT_USAGE;

	memset(v, 0, sizeof(v));
	if (n != 2) {
		tool_warn("--diff compares two vintages: give OLD and NEW (%d input%s given; "
			  "aggregate several files to one partial first)", n, n == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	if (o->table && !strcmp(o->table, "notes")) {
		tool_warn("--diff: -t annex or cells");
		return EXIT_USAGE;
	}
	for (int s = 0; s < 2; s++)
		if ((rc = load_vintage(&v[s], &r[s], o, in + s, 1, NULL, NULL)) != EXIT_OK)
			goto done;
	rc = emit_diff(o, r, v) < 0 ? EXIT_IO :
	     dts_agg_rejects(v[0].g) || dts_agg_rejects(v[1].g) ? EXIT_REJECTS : EXIT_OK;
done:
	for (int s = 0; s < 2; s++) {
		agg_free(&v[s]);
		dts_report_free(r[s]);
	}
	return rc;
}

/* --definitions: the indicator and targets files, written as the
 * library lays them out (dts_report_write_definitions_cb). */
static int write_out(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, payload) == len ? 0 : DTS_EIO;
}

static int definitions_main(const opts *o, int n)
{
	dts_report *r = NULL;
	tool_out out;
	int rc = EXIT_IO, e;

	memset(&out, 0, sizeof(out));
	if (n) {
		tool_warn("--definitions reads no records: give no INPUT");
		return EXIT_USAGE;
	}
	if (dts_report_load(&r, o->indicators ? o->indicators :
			    tool_data_file("indicators/hangzhou-annex.csv")) < 0 ||
	    dts_report_load_targets(r, o->targets ? o->targets :
				    tool_data_file("indicators/hangzhou-targets.csv")) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	if (tool_out_open(&out, o->output) < 0)
		goto done;
	if ((e = dts_report_write_definitions_cb(r, o->defs_format, write_out,
						 out.f)) < 0 && e != DTS_EIO) {
		tool_lib_error(NULL);
		goto done;
	}
	rc = tool_out_commit(&out) < 0 ? EXIT_IO : EXIT_OK;
done:
	if (rc != EXIT_OK)
		tool_out_abort(&out);
	dts_report_free(r);
	return rc;
}

int main(int argc, char **argv)
{
	opts o = {.rd = TOOL_READING_INIT, .currency = "CNY", .format = "text",
		  .sup = DTS_SUPPRESS_OPTIONS_INIT};
	dts_report *r = NULL;
	dts_overlap *ov = NULL;
	dts_rates *rates = NULL;
	agg a;
	int rc;

	tool_name = "dts-report";
	memset(&a, 0, sizeof(a));
	if (parse_args(&o, argc, argv) < 0 ||
	    check_paths(&o, argv + optind, argc - optind) < 0)
		return EXIT_USAGE;
	if (o.diff)
		return diff_main(&o, argv + optind, argc - optind);
	if (o.definitions)
		return definitions_main(&o, argc - optind);
	if ((rc = load_vintage(&a, &r, &o, argv + optind, argc - optind, &ov,
				&rates)) != EXIT_OK)
		goto done;
	rc = EXIT_IO;
	if (!dts_report_targets_compared(r))
		tool_warn("values in %s: the plan's targets are in CNY and are not "
			  "compared", dts_cube_currency(dts_agg_cube(a.g)));
	if (emit(r, dts_agg_cube(a.g), &o, ov) < 0)
		goto done;
	rc = dts_agg_rejects(a.g) ? EXIT_REJECTS : EXIT_OK;
	if (dts_agg_rejects(a.g))
		tool_warn("%llu records rejected", (unsigned long long)dts_agg_rejects(a.g));
done:
	agg_free(&a);
	dts_report_free(r);
	dts_report_overlap_free(ov);
	dts_rates_free(rates);
	return rc;
}
