/*
 * dts-aggregate — build the statistics cube from records or merge cube
 * partials. See man/dts-aggregate.1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "tool.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: dts-aggregate [-r RULES]... --by DIMS [--rates FILE] [--currency CODE]\n"
"                     [-f FORMAT] [-o OUT] [--partial | --merge] INPUT...\n"
"  -r, --rules FILE      classifier for raw records (repeatable; default installed)\n"
"  -b, --by DIMS         comma list: period:month|quarter|half|year, flow,\n"
"                        category:top|leaf, base, review, region, region:zone,\n"
"                        region:district (3301, OUTSIDE; dts-report -f html),\n"
"                        counterpart, or any column name\n"
"      --rates FILE      period,currency,rate to the reporting currency\n"
"      --currency CODE   reporting currency (default CNY)\n"
"      --zones FILE      region code -> zone map (default: Hangzhou's)\n"
"  -m, --map COL=FIELD   bind an input column to a field (repeatable)\n"
"  -d, --delimiter C     CSV separator: ',' (default), tab, ';' or '|'\n"
"      --encoding ENC    auto (default: detected), utf-8, utf-16le, utf-16be,\n"
"                        gb18030 or gbk\n"
"      --sheet NAME      the worksheet of an .xlsx/.xls input (default: the first)\n" TOOL_PROFILE_USAGE TOOL_FASTPATH_USAGE
"  -f, --format FMT      text (default), csv, sdmx-csv, sdmx-ml, sdmx-structure,\n"
"                        xlsx, partial\n"
"  -o, --output FILE     output file (default stdout; xlsx needs one)\n"
"      --unit UNIT       yuan (default), wan (10^4) or yi (10^8)\n"
"      --decimals N      digits after the point (default 2; SDMX: exact)\n"
"      --bom             start CSV output with a UTF-8 BOM (for Excel)\n"
"      --partial         write a mergeable partial (same as -f partial)\n"
"      --merge           inputs are partials; combine them\n"
"      --status S        provisional (default), final or revised\n"
"      --vintage DATE    data cut-off date, YYYY-MM-DD\n"
"      --id-key FILE     keep enterprise ids only as keyed hashes (HMAC-SHA256\n"
"                        with the key in FILE, 16 to 64 bytes): no id in clear\n"
"                        in partials\n"
"      --ids-in-clear    let a partial without --id-key hold enterprise ids in\n"
"                        clear (a partial that stays on this machine)\n"
"      --suppress[=N]    protect cells of fewer than N enterprises (default 3)\n"
"                        and their complements: values shown as x, CONF_STATUS\n"
"      --protect P       protection level, percent of a cell (default 10)\n"
"      --p-rule P        also protect cells where the second largest enterprise\n"
"                        could estimate the largest within P percent (p%% rule;\n"
"                        implies --suppress and --contributions)\n"
"      --nk-rule N,K     also protect cells where N enterprises hold more than\n"
"                        K percent ((n,k) rule; implies --suppress, --contributions)\n"
"      --contributions   keep each enterprise's value per cell (in partials too),\n"
"                        for the dominance rules after a merge\n"
"  -j, --jobs N          threads that aggregate (default 1); same output for any N\n"
"  -h, --help            this help\n"
"  -V, --version         version\n"
"Exit: 0 ok, 1 some records rejected, 2 usage, 3 input/output error.\n");
}

typedef struct opts {
	tool_reading rd;
	const char *by, *rates, *currency, *zones, *format, *output, *unit;
	const char *vintage, *id_key;
	int decimals, decimals_set, merge, bom, status, ids_in_clear;
	int suppress;               /* --suppress: dts_suppress_options */
	dts_suppress_options sup;
	int contributions;          /* --contributions, or a dominance rule */
	int threads;                /* -j N */
} opts;

/* Long options without a letter: codes past any char and past
 * TOOL_O_SHEET (0x200), clear of the letters other options use. */
enum { OPT_ID_KEY = 0x300, OPT_IDS_IN_CLEAR, OPT_CONTRIBUTIONS };

static int parse_args(opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"by", required_argument, NULL, 'b'},
		{"rates", required_argument, NULL, 'R'},
		{"currency", required_argument, NULL, 'C'},
		{"zones", required_argument, NULL, 'Z'},
		{"map", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"unit", required_argument, NULL, 'U'},
		{"decimals", required_argument, NULL, 'D'},
		{"partial", no_argument, NULL, 'P'},
		{"merge", no_argument, NULL, 'M'},
		{"bom", no_argument, NULL, 'B'},
		{"status", required_argument, NULL, 'S'},
		{"vintage", required_argument, NULL, 'W'},
		{"id-key", required_argument, NULL, OPT_ID_KEY},
		{"ids-in-clear", no_argument, NULL, OPT_IDS_IN_CLEAR},
		{"contributions", no_argument, NULL, OPT_CONTRIBUTIONS},
		{"jobs", required_argument, NULL, 'j'},
		{"delimiter", required_argument, NULL, 'd'},
		{"encoding", required_argument, NULL, 'E'},
		TOOL_SHEET_OPTION, TOOL_PROFILE_LONGOPTS, TOOL_FASTPATH_LONGOPTS,
		TOOL_SUPPRESS_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	char *end;
	long n;
	int c, rc;

	while ((c = getopt_long(argc, argv, "r:b:m:f:o:d:j:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->by = optarg; break;
		case 'R': o->rates = optarg; break;
		case 'C': o->currency = optarg; break;
		case 'Z': o->zones = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'U': o->unit = optarg; break;
		case 'D':
			if (tool_parse_decimals(&o->decimals, optarg) < 0)
				return -1;
			o->decimals_set = 1;
			break;
		case 'B': o->bom = 1; break;
		case 'S':
			if (tool_parse_status(&o->status, optarg) < 0)
				return -1;
			break;
		case 'W': o->vintage = optarg; break;
		case OPT_ID_KEY: o->id_key = optarg; break;
		case OPT_IDS_IN_CLEAR: o->ids_in_clear = 1; break;
		case 'P': o->format = "partial"; break;
		case 'M': o->merge = 1; break;
		case OPT_CONTRIBUTIONS: o->contributions = 1; break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || !*optarg || n < 1 || n > DTS_BATCH_MAX_THREADS) {
				tool_warn("-j wants a number of threads from 1 to %d, not '%s'",
					  DTS_BATCH_MAX_THREADS, optarg);
				return -1;
			}
			o->threads = (int)n;
			break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': tool_version(); break;
		default:
			if ((rc = tool_suppress_option(&o->sup, &o->suppress,
						       &o->contributions, c, optarg)) > 0)
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
	if (!o->by && !o->merge) {
		tool_warn("--by DIMS is required");
		return -1;
	}
	if (strcmp(o->format, "partial") && dts_table_format_parse(o->format) < 0) {
		tool_warn("unknown format \"%s\" (text, csv, sdmx-csv, sdmx-ml, "
			  "sdmx-structure, xlsx, partial)", o->format);
		return -1;
	}
	if (dts_agg_unit_parse(o->unit) < 0) {
		tool_warn("unknown unit \"%s\" (yuan, wan, yi)", o->unit);
		return -1;
	}
	if (optind >= argc) {
		tool_warn("no input (use - for standard input)");
		return -1;
	}
	return 0;
}

/* xlsx: the cube on sheet "data", its chart (value by the dimension
 * columns) on "chart", the notes and sources on "notes". */
static int write_book(const dts_table *t, const dts_cube *cube, const opts *o)
{
	size_t nd = dts_table_ndims(t), nr = dts_table_nrows(t);
	const dts_range cats = {0, 1, 0, (unsigned)nr, (unsigned)(nd - 1)};
	const dts_range vals = {0, 1, (unsigned)nd, (unsigned)nr, (unsigned)nd};
	dts_table *notes = NULL;
	dts_book *b = NULL;
	int rc = -1;

	if (dts_agg_notes_table(&notes, cube, dts_agg_unit_parse(o->unit)) < 0 ||
	    dts_book_new(&b) < 0 || dts_book_add_sheet(b, "data", t) < 0 ||
	    dts_book_add_sheet(b, "notes", notes) < 0 ||
	    dts_book_set_chart_sheet(b, "chart") < 0 ||
	    (nr && (dts_book_add_chart(b, dts_table_title(t), NULL, 0, &cats) < 0 ||
		    dts_book_add_series(b, dts_table_col_name(t, nd), &vals, 0) < 0)))
		tool_lib_error(NULL);
	else
		rc = tool_write_xlsx(NULL, b, o->output);
	dts_book_free(b);
	dts_table_free(notes);
	return rc;
}

/* SDMX carries values exact (UNIT_MULT gives the unit) unless --decimals
 * asks for rounding; the other formats round to --decimals (default 2). */
static int write_table(const dts_cube *cube, const opts *o)
{
	int sdmx = !strncmp(o->format, "sdmx", 4);
	int dec = sdmx && !o->decimals_set ? DTS_AGG_EXACT : o->decimals;
	dts_table *t;
	int rc;

	if ((o->suppress ? dts_suppress_cube_table(&t, cube, &o->sup,
						   dts_agg_unit_parse(o->unit),
						   o->decimals) :
	     dts_agg_table(&t, cube, dts_agg_unit_parse(o->unit), dec)) < 0)
		return tool_lib_error(NULL);
	if (o->suppress) {   /* the SDMX metadata dts_agg_table gives */
		dts_table_set_status(t, dts_cube_status(cube));
		for (size_t i = 0; i < dts_cube_ndims(cube); i++)
			if (!strncmp(dts_cube_dim(cube, i), "period", 6))
				dts_table_set_time(t, (int)i);
	}
	dts_table_set_bom(t, o->bom);
	rc = !strcmp(o->format, "xlsx") && o->output && strcmp(o->output, "-") ?
	     write_book(t, cube, o) : tool_write_table(t, o->format, o->output);
	dts_table_free(t);
	return rc < 0 ? EXIT_IO : EXIT_OK;
}

static int has_enterprise(const dts_cube_cell *cell, void *payload)
{
	(void)payload;
	return cell->enterprises > 0;
}

/* A partial travels between machines: it holds enterprise ids only as
 * keyed hashes (统计法 第二十五条) unless the caller says it stays here. */
static int write_partial(const dts_cube *cube, const char *path, int ids_in_clear)
{
	tool_out o;

	if (!dts_cube_ids(cube) && !ids_in_clear &&
	    dts_cube_foreach(cube, has_enterprise, NULL) > 0) {
		tool_warn("the records carry enterprise ids and a partial holds them only as "
			  "keyed hashes: give --id-key FILE (docs/confidentiality.md), or "
			  "--ids-in-clear for a partial that stays on this machine");
		return EXIT_USAGE;
	}
	if (tool_out_open(&o, path) < 0)
		return EXIT_IO;
	if (dts_cube_write_partial(cube, o.f) < 0) {
		tool_out_write_failed(&o);
		tool_out_abort(&o);
		return EXIT_IO;
	}
	return tool_out_commit(&o) < 0 ? EXIT_IO : EXIT_OK;
}

/* --status and --vintage: the run's, kept through merges. */
static int set_vintage(agg *a, const opts *o)
{
	if ((o->status && dts_agg_set_status(a->g, o->status) < 0) ||
	    (o->vintage && dts_agg_set_vintage(a->g, o->vintage) < 0)) {
		tool_lib_error(NULL);
		return -1;
	}
	return 0;
}

/* --merge: every input is a partial; without --by the first one gives the
 * dimensions. */
static int merge_only(agg *a, const opts *o, char **inputs, int n)
{
	int i0 = !o->by;

	memset(a, 0, sizeof(*a));
	if (!o->by ? dts_agg_new_partial(&a->g, inputs[0]) < 0 && tool_lib_error(NULL) :
	    agg_init(a, o->by, o->currency) < 0)
		return -1;
	if (set_vintage(a, o) < 0)
		return -2;
	for (int i = i0; i < n; i++)
		if (dts_agg_merge_file(a->g, inputs[i]) < 0)
			return tool_lib_error(inputs[i]), -1;
	return 0;
}

/* -o must not name an input, the rates, the zones or the key file (exit 2). */
static int check_paths(const opts *o, char **inputs, int n)
{
	const char *extra[3] = {o->rates, o->zones, o->id_key};

	return tool_check_paths(&o->output, 1, inputs, n, extra, 3);
}

int main(int argc, char **argv)
{
	opts o = {.rd = TOOL_READING_INIT, .currency = "CNY", .format = "text", .unit = "yuan",
		  .decimals = 2, .sup = DTS_SUPPRESS_OPTIONS_INIT, .threads = 1};
	agg a;
	int rc = EXIT_IO;

	tool_name = "dts-aggregate";
	if (parse_args(&o, argc, argv) < 0)
		return EXIT_USAGE;
	if (check_paths(&o, argv + optind, argc - optind) < 0)
		return EXIT_USAGE;
	if (o.merge && o.id_key) {
		tool_warn("--merge needs no --id-key: the partials' ids are hashed already "
			  "(and partials hashed with two keys are refused)");
		return EXIT_USAGE;
	}
	if (o.merge) {
		int m = merge_only(&a, &o, argv + optind, argc - optind);

		if (m < 0) {
			rc = m == -2 ? EXIT_USAGE : EXIT_IO;
			goto done;
		}
	} else {
		if (agg_init(&a, o.by, o.currency) < 0) {
			agg_free(&a);
			return EXIT_USAGE;
		}
		agg_set_reading(&a, &o.rd);
		if (dts_agg_set_threads(a.g, o.threads) < 0) {
			tool_lib_error(NULL);
			agg_free(&a);
			return EXIT_USAGE;
		}
		if (set_vintage(&a, &o) < 0) {
			agg_free(&a);
			return EXIT_USAGE;
		}
		if (o.id_key && dts_agg_load_id_key(a.g, o.id_key) < 0) {
			rc = tool_lib_error(NULL);
			goto done;
		}
		if (o.contributions && dts_agg_set_contributions(a.g, 1) < 0) {
			rc = tool_lib_error(NULL);
			goto done;
		}
		if (o.rates && dts_agg_load_rates(a.g, o.rates) < 0 && tool_lib_error(NULL))
			goto done;
		if (dts_agg_load_zones(a.g, o.zones ? o.zones :
				       tool_data_file("indicators/hangzhou-zones.csv")) < 0 &&
		    tool_lib_error(NULL))
			goto done;
		if ((rc = agg_inputs(&a, argv + optind, argc - optind)) != 0)
			goto done;
	}
	rc = !strcmp(o.format, "partial") ?
	     write_partial(dts_agg_cube(a.g), o.output, o.ids_in_clear) :
	     write_table(dts_agg_cube(a.g), &o);
	/* Nothing understood is not a success: an empty cube says so. */
	if (rc == EXIT_OK && dts_cube_count(dts_agg_cube(a.g)) == 0 && !dts_agg_rejects(a.g)) {
		tool_warn("no records in the input: the cube is empty");
		rc = EXIT_REJECTS;
	}
	if (rc == EXIT_OK && dts_agg_rejects(a.g)) {
		tool_warn("%llu records rejected, %llu aggregated",
			  (unsigned long long)dts_agg_rejects(a.g),
			  (unsigned long long)dts_agg_records(a.g));
		rc = EXIT_REJECTS;
	}
done:
	agg_free(&a);
	return rc;
}
