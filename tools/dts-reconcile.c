/*
 * dts-reconcile — compare two sources record by record (or two cubes
 * total by total), and run the customs order / payment / waybill /
 * inventory check: the command line over dts/reconcile.h (argv, output
 * files, the text layout, exit codes). See man/dts-reconcile.1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define U64(x) ((unsigned long long)(x))

static void usage(FILE *f)
{
	fprintf(f,
"usage: dts-reconcile [options] --key FIELDS LEFT RIGHT\n"
"       dts-reconcile --totals [-f FMT] [-o OUT] LEFT_CUBE RIGHT_CUBE\n"
"       dts-reconcile --cbec [options] ORDERS PAYMENTS WAYBILLS INVENTORY\n"
"  -k, --key FIELDS       key columns or fields, comma separated\n"
"  -t, --tolerance T      value tolerance: 0.50 (absolute) or 5%% (of the\n"
"                         left value); default 0\n"
"  -c, --compare LIST     value,category,period,flow (default value,category)\n"
"  -r, --rules FILE       classifier (repeatable; default installed)\n"
"  -m, --map COL=FIELD    bind an input column to a field (repeatable)\n"
"      --sheet NAME       the worksheet of .xlsx/.xls inputs (default: the first)\n" TOOL_PROFILE_USAGE
"  -f, --format FMT       text (default), csv, xlsx\n"
"  -o, --output FILE      summary (default stdout)\n"
"      --details FILE     CSV of every record that is not a clean match\n"
"      --matrix FILE      CSV of the category disagreement matrix\n"
"      --totals           compare two cubes (partials or dts-aggregate CSV)\n"
"      --decimals N       --totals: digits after the point (default 2)\n"
"      --cbec             the order/payment/waybill/inventory check\n"
"      --single-limit V   --cbec: retail import single order limit (5000)\n"
"      --annual-limit V   --cbec: buyer's annual limit (26000)\n"
"  -h, --help             this help\n"
"  -V, --version          version\n"
"Exit: 0 all clean, 1 differences, rejects or failed checks, 2 usage,\n"
"3 input/output error.\n");
}

typedef struct opts {
	const char *keys, *format, *output, *details, *matrix;
	dts_recon_tolerance tol;
	unsigned compare;
	tool_reading rd;        /* -r -m */
	int mode;               /* 0 records, 't' totals, 'c' cbec */
	int decimals;
	dts_money single, annual;
	char **inputs;
} opts;

static int parse_compare(unsigned *out, const char *s)
{
	if (dts_recon_compare_parse(out, s) == 0)
		return 0;
	tool_warn("--compare: %s", dts_error_last()->message);
	return -1;
}

static int parse_money_opt(dts_money *out, const char *name, const char *s)
{
	if (dts_money_parse(out, s, strlen(s)) < 0 || *out < 0) {
		tool_warn("%s: not an amount: \"%s\"", name, s);
		return -1;
	}
	return 0;
}

static int parse_one(opts *o, int c, const char *arg)
{
	switch (c) {
	case 'k': o->keys = arg; return 0;
	case 't':
		if (dts_recon_tolerance_parse(&o->tol, arg, strlen(arg)) < 0) {
			tool_warn("--tolerance: \"%s\" is not 0.50 or 5%%", arg);
			return -1;
		}
		return 0;
	case 'c': return parse_compare(&o->compare, arg);
	case 'r': case 'm': case TOOL_O_SHEET:
	case TOOL_O_PROFILE: case TOOL_O_PROFILE_DIR:
		return tool_reading_option(&o->rd, c, arg) < 0 ? -1 : 0;
	case 'f': o->format = arg; return 0;
	case 'o': o->output = arg; return 0;
	case 'D': o->details = arg; return 0;
	case 'X': o->matrix = arg; return 0;
	case 'T': o->mode = 't'; return 0;
	case 'C': o->mode = 'c'; return 0;
	case 'S': return parse_money_opt(&o->single, "--single-limit", arg);
	case 'A': return parse_money_opt(&o->annual, "--annual-limit", arg);
	case 'd': return tool_parse_decimals(&o->decimals, arg);
	case 'h': usage(stdout); exit(EXIT_OK);
	case 'V': tool_version(); return 0;
	default: usage(stderr); return -1;
	}
}

static int parse_args(opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"key", required_argument, NULL, 'k'},
		{"tolerance", required_argument, NULL, 't'},
		{"compare", required_argument, NULL, 'c'},
		{"rules", required_argument, NULL, 'r'},
		{"map", required_argument, NULL, 'm'},
		TOOL_SHEET_OPTION, TOOL_PROFILE_LONGOPTS,
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"details", required_argument, NULL, 'D'},
		{"matrix", required_argument, NULL, 'X'},
		{"totals", no_argument, NULL, 'T'},
		{"cbec", no_argument, NULL, 'C'},
		{"single-limit", required_argument, NULL, 'S'},
		{"annual-limit", required_argument, NULL, 'A'},
		{"decimals", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	int c, want;

	while ((c = getopt_long(argc, argv, "k:t:c:r:m:f:o:hV", longopts,
				NULL)) != -1)
		if (parse_one(o, c, optarg) < 0)
			return -1;
	if (strcmp(o->format, "text") && strcmp(o->format, "csv") &&
	    strcmp(o->format, "xlsx")) {
		tool_warn("unknown format \"%s\" (text, csv, xlsx)", o->format);
		return -1;
	}
	want = o->mode == 'c' ? 4 : 2;
	if (argc - optind != want) {
		tool_warn("expected %d input files, got %d", want, argc - optind);
		return -1;
	}
	if (!o->mode && !o->keys) {
		tool_warn("--key FIELDS is required");
		return -1;
	}
	return 0;
}

/* ---- records --------------------------------------------------------------- */

typedef struct run {
	const opts *o;
	dts_recon *rec;
	dts_rules *rules;
	tool_out det;
	dts_table *sum, *mx;
} run;

/* What dts_recon_add_files does, step by step, so that each input is
 * described and its binding checked (tool_source_report) against the
 * classifier, which is compiled only when a side has raw records. 0, or
 * the exit code with the problem said. */
static int add_files(run *r)
{
	const opts *o = r->o;
	dts_source *src[2] = {NULL, NULL};
	dts_scanner *sc = NULL;
	int classify[2] = {0, 0}, rc = 0, w, s;

	for (s = 0; s < 2 && !rc; s++)
		if ((w = tool_source_open(&src[s], o->inputs[s], &o->rd.in)) < 0)
			rc = w == -2 ? EXIT_USAGE : EXIT_IO;
	for (s = 0; s < 2 && !rc; s++)
		if (dts_recon_bind_source(&classify[s], r->rec, s, src[s]) < 0)
			rc = tool_lib_error(NULL);
	if (!rc && (classify[0] || classify[1]) &&
	    !(r->rules = tool_load_rules(o->rd.rules, o->rd.nrules)))
		rc = EXIT_IO;
	for (s = 0; s < 2 && !rc; s++)
		if ((w = tool_source_report(src[s], classify[s] ? dts_rules_fields(r->rules) : 0,
					    0)) < 0)
			rc = w == -2 ? EXIT_USAGE : EXIT_IO;
	if (!rc && r->rules && dts_scanner_new(&sc, r->rules, DTS_SCAN_VALID_UTF8) < 0)
		rc = tool_lib_error(NULL);
	if (!rc && dts_recon_add_sources(r->rec, src[0], src[1], sc) < 0)
		rc = tool_lib_error(NULL);
	dts_scanner_free(sc);
	dts_source_free(src[0]);
	dts_source_free(src[1]);
	return rc;
}

static int det_item(const dts_recon_item *it, void *f)
{
	return f ? dts_recon_write_item(it, f) : 0;
}

/* The summary, the matrix and the details are renamed into place
 * together, or none is (tool_out_commit_all). */
static int write_outputs(run *r)
{
	const opts *o = r->o;
	tool_out out = {0}, mxo = {0};
	int rc;

	if (!strcmp(o->format, "xlsx")) /* a workbook commits itself */
		return tool_write_table(r->sum, "xlsx", o->output) < 0 ||
		       (o->matrix && tool_write_table(r->mx, "csv", o->matrix) < 0) ||
		       tool_out_commit(&r->det) < 0 ? -1 : 0;
	if (tool_out_open(&out, o->output) < 0 || (o->matrix && tool_out_open(&mxo, o->matrix) < 0)) {
		tool_out_abort(&out);
		return -1;
	}
	rc = !strcmp(o->format, "csv") ? dts_table_write_csv(r->sum, out.f) :
	     dts_recon_write_text(r->rec, o->inputs[0], o->inputs[1], out.f);
	if ((rc < 0 && rc != DTS_ERROR) || (o->matrix && dts_table_write_csv(r->mx, mxo.f) < 0)) {
		tool_out_write_failed(rc < 0 ? &out : &mxo);
		tool_out_abort(&out);
		tool_out_abort(&mxo);
		return -1;
	}
	return tool_out_commit_all((tool_out *[]){&out, &mxo, &r->det}, 3) < 0 ? -1 : rc;
}

static int records(const opts *o)
{
	dts_recon_options ro = DTS_RECON_OPTIONS_INIT;
	dts_recon_counts total;
	run r = {o, NULL, NULL, {0}, NULL, NULL};
	int rc = EXIT_IO, w;

	ro.compare = o->compare;
	ro.tolerance = o->tol;
	/* The options are valid: DTS_EINVAL is about the --key list. */
	if ((w = dts_recon_new_list(&r.rec, o->keys, &ro)) < 0) {
		if (w == DTS_EINVAL)
			tool_warn("--key: %s", dts_error_last()->message);
		rc = w == DTS_EINVAL ? EXIT_USAGE : tool_lib_error(NULL);
		goto done;
	}
	if ((w = add_files(&r)) != 0) {   /* a bad --map is a usage error, as in every tool */
		rc = w;
		goto done;
	}
	if (o->details && tool_out_open(&r.det, o->details) < 0)
		goto done;
	if (r.det.f)
		fputs(DTS_RECON_DETAILS_HEADER, r.det.f);
	if (dts_recon_run(r.rec, det_item, r.det.f) != 0 ||
	    dts_recon_summary_table(&r.sum, r.rec) < 0 ||
	    dts_recon_matrix_table(&r.mx, r.rec) < 0 || dts_recon_summary(&total, r.rec) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	if ((w = write_outputs(&r)) == -1)
		goto done;
	if (w == DTS_ERROR) {   /* the buckets do not add up */
		tool_lib_error(NULL);
		goto done;
	}
	rc = total.pairs[DTS_RECON_MATCHED] == total.records[0] &&
	     total.records[0] == total.records[1] && !total.rejected[0] &&
	     !total.rejected[1] ? EXIT_OK : EXIT_REJECTS;
done:
	tool_out_abort(&r.det);
	dts_recon_free(r.rec);
	dts_rules_free(r.rules);
	dts_table_free(r.sum);
	dts_table_free(r.mx);
	return rc;
}

/* ---- totals and 三单对碰 ------------------------------------------------------ */

static int totals(const opts *o)
{
	dts_recon_totals *t = NULL;
	dts_table *gaps = NULL;
	size_t ndiff;
	int rc = EXIT_IO, e;

	if (dts_recon_totals_new(&t) < 0 || dts_recon_totals_load(t, 0, o->inputs[0]) < 0 ||
	    dts_recon_totals_load(t, 1, o->inputs[1]) < 0) {
		tool_lib_error(NULL);
	} else if ((e = dts_recon_totals_run(t, NULL, NULL)) < 0) {
		tool_lib_error(NULL);   /* no common dimension is a usage error */
		rc = e == DTS_ENOTFOUND ? EXIT_USAGE : EXIT_IO;
	} else if (dts_recon_totals_table(&gaps, t, o->decimals) < 0) {
		tool_lib_error(NULL);
	} else if (tool_write_table(gaps, o->format, o->output) == 0) {
		dts_recon_totals_dims(NULL, NULL, &ndiff, t);
		rc = ndiff ? EXIT_REJECTS : EXIT_OK;
	}
	dts_table_free(gaps);
	dts_recon_totals_free(t);
	return rc;
}

static int cbec(const opts *o)
{
	dts_recon_cbec_options co = DTS_RECON_CBEC_OPTIONS_INIT;
	dts_recon_cbec *c = NULL;
	dts_recon_cbec_summary s;
	dts_table *fails = NULL, *sum = NULL;
	tool_out out = {0};
	int rc = EXIT_IO;

	co.tolerance = o->tol;
	co.single_limit = o->single;
	co.annual_limit = o->annual;
	if (dts_recon_cbec_failures_new(&fails) < 0 || dts_recon_cbec_new(&c, &co) < 0)
		goto fail;
	for (int k = 0; k < DTS_RECON_CBEC_NDOCS; k++)
		if (dts_recon_cbec_load(c, k, o->inputs[k]) < 0)
			goto fail;
	if (dts_recon_cbec_run(c, dts_recon_cbec_failure_row, fails) != 0 ||
	    dts_recon_cbec_summary_get(&s, c) < 0 || dts_recon_cbec_summary_table(&sum, c) < 0)
		goto fail;
	if (strcmp(o->format, "text") ? tool_write_table(sum, o->format, o->output) < 0 :
	    tool_out_open(&out, o->output) < 0 ||
	    (dts_recon_cbec_write_text(c, fails, out.f) < 0 && tool_out_write_failed(&out)) ||
	    tool_out_commit(&out) < 0)
		goto done;
	if (o->details && tool_write_table(fails, "csv", o->details) < 0)
		goto done;
	rc = s.failed ? EXIT_REJECTS : EXIT_OK;
	goto done;
fail:
	tool_lib_error(NULL);
done:
	tool_out_abort(&out);
	dts_recon_cbec_free(c);
	dts_table_free(fails);
	dts_table_free(sum);
	return rc;
}

int main(int argc, char **argv)
{
	opts o = {.rd = TOOL_READING_INIT};

	tool_name = "dts-reconcile";
	o.format = "text";
	o.compare = DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY;
	o.decimals = 2;
	o.single = (dts_money)5000 * DTS_MONEY_SCALE;
	o.annual = (dts_money)26000 * DTS_MONEY_SCALE;
	if (parse_args(&o, argc, argv) < 0 ||
	    tool_check_paths((const char *[]){o.output, o.details, o.matrix}, 3,
			     argv + optind, argc - optind, o.rd.rules, o.rd.nrules) < 0)
		return EXIT_USAGE;
	o.inputs = argv + optind;
	return o.mode == 't' ? totals(&o) : o.mode == 'c' ? cbec(&o) : records(&o);
}
