/*
 * dts-reconcile — compare two sources record by record (or two cubes
 * total by total), and run the customs order / payment / waybill /
 * inventory check: the command line over dts/reconcile.h. See
 * man/dts-reconcile.1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
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
	const char *rules[64], *map[256];
	size_t nrules, nmap;
	int mode;               /* 0 records, 't' totals, 'c' cbec */
	int decimals;
	dts_money single, annual;
	char **inputs;
} opts;

static int parse_compare(unsigned *out, const char *s)
{
	static const char *const names[] = {"value", "category", "period", "flow"};
	const char *p = s;

	*out = 0;
	while (*p) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < 4; i++)
			if (strlen(names[i]) == n && !strncmp(p, names[i], n))
				break;
		if (i == 4) {
			tool_warn("--compare: unknown \"%.*s\" (value, category, "
				  "period, flow)", (int)n, p);
			return -1;
		}
		*out |= 1u << i;
		p += n + (p[n] == ',');
	}
	return 0;
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
	char *end;

	switch (c) {
	case 'k': o->keys = arg; return 0;
	case 't':
		if (dts_recon_tolerance_parse(&o->tol, arg, strlen(arg)) < 0) {
			tool_warn("--tolerance: \"%s\" is not 0.50 or 5%%", arg);
			return -1;
		}
		return 0;
	case 'c': return parse_compare(&o->compare, arg);
	case 'r': if (o->nrules < 64) o->rules[o->nrules++] = arg; return 0;
	case 'm': if (o->nmap < 256) o->map[o->nmap++] = arg; return 0;
	case 'f': o->format = arg; return 0;
	case 'o': o->output = arg; return 0;
	case 'D': o->details = arg; return 0;
	case 'X': o->matrix = arg; return 0;
	case 'T': o->mode = 't'; return 0;
	case 'C': o->mode = 'c'; return 0;
	case 'S': return parse_money_opt(&o->single, "--single-limit", arg);
	case 'A': return parse_money_opt(&o->annual, "--annual-limit", arg);
	case 'd':
		o->decimals = (int)strtol(arg, &end, 10);
		if (*end || o->decimals < 0 || o->decimals > 14) {
			tool_warn("--decimals must be 0..14");
			return -1;
		}
		return 0;
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
	char *keys[16];
	size_t nkeys;
	dts_recon *rec;
	dts_source *in[2];
	dts_rules *rules;
	dts_scanner *sc;
	tool_out det;
	tbl sum, mx;
} run;

static int split_keys(run *r, const char *keys)
{
	for (const char *p = keys; *p;) {
		size_t n = strcspn(p, ",");

		if (!n || r->nkeys == 16 || !(r->keys[r->nkeys] = strndup(p, n))) {
			tool_warn("--key: bad field list \"%s\"", keys);
			return -1;
		}
		r->nkeys++;
		p += n + (p[n] == ',');
	}
	if (!r->nkeys)
		tool_warn("--key: no field given");
	return r->nkeys ? 0 : -1;
}

/* Open and bind both inputs, and the classifier when a side needs one. */
static int open_inputs(run *r)
{
	dts_source_options so = DTS_SOURCE_OPTIONS_INIT;
	int classify[2] = {0, 0};

	so.map = r->o->map;
	so.nmap = r->o->nmap;
	for (int s = 0; s < 2; s++)
		if (dts_source_open(&r->in[s], r->o->inputs[s], &so) < 0)
			return tool_lib_error(NULL), -1;
	for (int s = 0; s < 2; s++)
		if (dts_recon_bind_source(&classify[s], r->rec, s, r->in[s]) < 0)
			return tool_lib_error(NULL), -1;
	if (!classify[0] && !classify[1])
		return 0;
	if (!(r->rules = tool_load_rules(r->o->rules, r->o->nrules)))
		return -1;
	if (dts_scanner_new(&r->sc, r->rules, DTS_SCAN_VALID_UTF8) < 0)
		return tool_lib_error(NULL), -1;
	return 0;
}

static void det_side(FILE *f, const dts_recon_side *s, int value)
{
	char v[64] = "";

	if (s->present && value)
		dts_recon_money_format(v, sizeof(v), s->value);
	if (s->present)
		fprintf(f, "%llu,%s,", U64(s->line), v);
	else
		fputs(",,", f);
}

/* bucket,key,left_line,left_value,right_line,right_value,difference,
 * left_category,right_category,reason: every record not a clean match. */
static int det_item(const dts_recon_item *it, void *payload)
{
	FILE *f = payload;
	char d[64] = "";
	int rej = it->bucket == DTS_RECON_REJECTED;

	if (!f || it->bucket == DTS_RECON_MATCHED)
		return 0;
	fprintf(f, "%s,", dts_recon_bucket_name(it->bucket));
	out_csv_field(f, it->key);
	putc(',', f);
	det_side(f, &it->left, !rej);
	det_side(f, &it->right, !rej);
	if (it->left.present && it->right.present)
		dts_recon_amount_format(d, sizeof(d), &it->difference);
	fprintf(f, "%s,%s,%s,", d, it->left.category, it->right.category);
	out_csv_field(f, it->reason);
	putc('\n', f);
	return 0;
}

static int shown(const opts *o, int p)
{
	return p == DTS_RECON_MATCHED || (o->compare & dts_recon_bucket_compare(p));
}

static int summary_row(run *r, const char *name, const dts_recon_counts *s, int total)
{
	char buf[20][64];
	const char *row[20];
	size_t n = 0;

	row[n++] = name;
#define U(x) (snprintf(buf[n], 64, "%llu", U64(x)), row[n] = buf[n], n++)
#define M(x) (dts_recon_amount_format(buf[n], 64, &(x)), row[n] = buf[n], n++)
	U(s->records[0]); M(s->value[0]); U(s->records[1]); M(s->value[1]);
	for (int p = 0; p < DTS_RECON_NPAIR; p++) {
		if (!shown(r->o, p))
			continue;
		U(s->pairs[p]);
		if (p == DTS_RECON_VALUE_DIFF)
			M(s->value_diff);
	}
	U(s->duplicate[0]); U(s->duplicate[1]); U(s->only[0]); U(s->only[1]);
	/* rejected records have no category: only the total has them */
	U(total ? s->rejected[0] : 0); U(total ? s->rejected[1] : 0);
#undef U
#undef M
	return tbl_add_row(&r->sum, row);
}

static int matrix_row(const dts_recon_matrix_cell *m, void *payload)
{
	char n[32], lv[64], rv[64];
	const char *row[5] = {m->left_category, m->right_category, n, lv, rv};

	snprintf(n, sizeof(n), "%llu", U64(m->records));
	dts_recon_amount_format(lv, sizeof(lv), &m->left_value);
	dts_recon_amount_format(rv, sizeof(rv), &m->right_value);
	return tbl_add_row(payload, row);
}

static int tables(run *r, dts_recon_counts *total)
{
	static const char *const mnames[] = {"left_category", "right_category",
		"records", "left_value", "right_value"};
	const char *names[20] = {"category", "left_records", "left_value",
				 "right_records", "right_value"};
	size_t n = 5;

	for (int p = 0; p < DTS_RECON_NPAIR; p++)
		if (shown(r->o, p)) {
			names[n++] = dts_recon_bucket_name(p);
			if (p == DTS_RECON_VALUE_DIFF)
				names[n++] = "value_diff_sum";
		}
	memcpy(names + n, (const char *[]){"duplicate_left", "duplicate_right",
	       "left_only", "right_only", "rejected_left", "rejected_right"},
	       6 * sizeof(*names));
	if (tbl_init(&r->sum, names, n + 6, 1) < 0 || tbl_init(&r->mx, mnames, 5, 2) < 0 ||
	    dts_recon_matrix_foreach(r->rec, matrix_row, &r->mx) != 0)
		return -1;
	for (size_t i = 0; i < dts_recon_category_count(r->rec); i++) {
		const char *code;
		dts_recon_counts c;

		if (dts_recon_category(&code, &c, r->rec, i) < 0 ||
		    summary_row(r, code, &c, 0) < 0)
			return -1;
	}
	return dts_recon_summary(total, r->rec) < 0 ? -1 : summary_row(r, "TOTAL", total, 1);
}

/* "left  10 read = 6 matched + ... + 1 rejected"; 1 when it adds up. */
static int accounting(const run *r, FILE *f, const dts_recon_counts *t, int s)
{
	uint64_t sum = t->duplicate[s] + t->only[s] + t->rejected[s];

	fprintf(f, "%-5s %llu read =", s ? "right" : "left", U64(t->read[s]));
	for (int p = 0; p < DTS_RECON_NPAIR; p++)
		if (shown(r->o, p)) {
			fprintf(f, " %llu %s +", U64(t->pairs[p]), dts_recon_bucket_name(p));
			sum += t->pairs[p];
		}
	fprintf(f, " %llu duplicate + %llu %s_only + %llu rejected\n", U64(t->duplicate[s]),
		U64(t->only[s]), s ? "right" : "left", U64(t->rejected[s]));
	return sum == t->read[s];
}

static int write_text(const run *r, FILE *f, const dts_recon_counts *total)
{
	int ok;

	fprintf(f, "left:  %s\nright: %s\nkey: ", r->o->inputs[0], r->o->inputs[1]);
	for (size_t k = 0; k < r->nkeys; k++)
		fprintf(f, "%s%s", k ? "," : "", r->keys[k]);
	fprintf(f, "\n\n");
	if (out_text(&r->sum, f) < 0)
		return -1;
	if (r->mx.nrows) {
		fprintf(f, "\ncategory disagreements (left -> right):\n");
		if (out_text(&r->mx, f) < 0)
			return -1;
	}
	fputc('\n', f);
	ok = accounting(r, f, total, 0);
	ok &= accounting(r, f, total, 1);
	fprintf(f, "%s\n", ok ? "every record is in exactly one bucket" :
		"ERROR: the buckets do not add up to the records read");
	return ok ? 0 : -2;
}

/* The summary, the matrix and the details are renamed into place
 * together, or none is (tool_out_commit_all). */
static int write_outputs(run *r, const dts_recon_counts *total)
{
	const opts *o = r->o;
	tool_out out = {0}, mxo = {0};
	int rc;

	if (!strcmp(o->format, "xlsx")) { /* a workbook commits itself */
		rc = out_table(&r->sum, "xlsx", o->output);
		if (rc == 0 && o->matrix)
			rc = out_table(&r->mx, "csv", o->matrix);
		return rc < 0 || tool_out_commit(&r->det) < 0 ? -1 : 0;
	}
	if (tool_out_open(&out, o->output) < 0 ||
	    (o->matrix && tool_out_open(&mxo, o->matrix) < 0)) {
		tool_out_abort(&out);
		return -1;
	}
	rc = !strcmp(o->format, "csv") ? out_csv(&r->sum, out.f) : write_text(r, out.f, total);
	if (rc == -1 || (o->matrix && out_csv(&r->mx, mxo.f) < 0)) {
		tool_out_write_failed(rc == -1 ? &out : &mxo);
		tool_out_abort(&out);
		tool_out_abort(&mxo);
		return -1;
	}
	if (tool_out_commit_all((tool_out *[]){&out, &mxo, &r->det}, 3) < 0)
		return -1;
	return rc;
}

static int records(const opts *o)
{
	dts_recon_options ro = DTS_RECON_OPTIONS_INIT;
	dts_recon_counts total;
	run r;
	int rc = EXIT_IO, w;

	memset(&r, 0, sizeof(r));
	r.o = o;
	ro.compare = o->compare;
	ro.tolerance = o->tol;
	if (split_keys(&r, o->keys) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (dts_recon_new(&r.rec, (const char *const *)r.keys, r.nkeys, &ro) < 0) {
		rc = tool_lib_error(NULL);
		goto done;
	}
	if (open_inputs(&r) < 0 || (o->details && tool_out_open(&r.det, o->details) < 0))
		goto done;
	if (r.det.f)
		fputs("bucket,key,left_line,left_value,right_line,right_value,"
		      "difference,left_category,right_category,reason\n", r.det.f);
	{	/* The smaller side first (a size unknown, stdin, is larger):
		 * keys are reported in the order first added. */
		int64_t ls = dts_source_size(r.in[0]), rs = dts_source_size(r.in[1]);
		int b = (rs >= 0 && (ls < 0 || rs < ls)) ? 1 : 0;

		if (dts_recon_add_source(r.rec, b, r.in[b], r.sc) < 0 ||
		    dts_recon_add_source(r.rec, 1 - b, r.in[1 - b], r.sc) < 0) {
			tool_lib_error(NULL);
			goto done;
		}
	}
	if (dts_recon_run(r.rec, det_item, r.det.f) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	if (tables(&r, &total) < 0) {
		tool_warn("out of memory");
		goto done;
	}
	if ((w = write_outputs(&r, &total)) == -1)
		goto done;
	if (w == -2) {
		tool_warn("internal error: the buckets do not add up");
		goto done;
	}
	rc = total.pairs[DTS_RECON_MATCHED] == total.records[0] &&
	     total.records[0] == total.records[1] && !total.rejected[0] &&
	     !total.rejected[1] ? EXIT_OK : EXIT_REJECTS;
done:
	tool_out_abort(&r.det);
	for (int s = 0; s < 2; s++)
		dts_source_free(r.in[s]);
	for (size_t k = 0; k < r.nkeys; k++)
		free(r.keys[k]);
	dts_recon_free(r.rec);
	dts_scanner_free(r.sc);
	dts_rules_free(r.rules);
	tbl_free(&r.sum);
	tbl_free(&r.mx);
	return rc;
}

/* ---- totals ---------------------------------------------------------------- */

typedef struct tot {
	tbl t;
	int decimals;
} tot;

static int gap_row(const dts_recon_gap *g, void *payload)
{
	tot *t = payload;
	const char *row[24];
	char buf[6][64];
	size_t n = 0;

	for (size_t k = 0; k < g->nkeys; k++)
		row[n++] = g->keys[k];
	snprintf(buf[0], 64, "%llu", U64(g->records[0]));
	dts_amount_format(buf[1], 64, &g->value[0], 0, t->decimals);
	snprintf(buf[2], 64, "%llu", U64(g->records[1]));
	dts_amount_format(buf[3], 64, &g->value[1], 0, t->decimals);
	dts_amount_format(buf[4], 64, &g->gap, 0, t->decimals);
	if (dts_amount_percent(buf[5], 64, &g->gap, &g->value[0], 2) < 0)
		buf[5][0] = '\0';   /* of zero */
	for (int j = 0; j < 6; j++)
		row[n++] = buf[j];
	row[n++] = !g->seen[0] ? "right only" : !g->seen[1] ? "left only" : "";
	return tbl_add_row(&t->t, row);
}

static int totals(const opts *o)
{
	static const char *const cols[] = {"left_records", "left_value",
		"right_records", "right_value", "gap", "gap_percent", "note"};
	const char *names[24], *const *dims;
	dts_recon_totals *t = NULL;
	tot g = {{0}, o->decimals};
	size_t n, ndiff;
	int rc = EXIT_IO;

	if (dts_recon_totals_new(&t) < 0 ||
	    dts_recon_totals_load(t, 0, o->inputs[0]) < 0 ||
	    dts_recon_totals_load(t, 1, o->inputs[1]) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	/* The gap table's columns are known once the common dimensions are:
	 * collect the gaps first. */
	if ((rc = dts_recon_totals_run(t, NULL, NULL)) < 0) {
		if (rc == DTS_ENOTFOUND)
			tool_warn("%s and %s share no dimension", o->inputs[0], o->inputs[1]);
		else
			tool_warn("%s and %s: %s", o->inputs[0], o->inputs[1],
				  dts_error_last()->message);
		rc = rc == DTS_ENOTFOUND ? EXIT_USAGE : EXIT_IO;
		goto done;
	}
	rc = EXIT_IO;
	n = dts_recon_totals_dims(&dims, NULL, &ndiff, t);
	memcpy(names, dims, n * sizeof(*names));
	memcpy(names + n, cols, sizeof(cols));
	if (tbl_init(&g.t, names, n + 7, n) < 0)
		goto done;
	g.t.cols[n + 6].numeric = 0;
	if (dts_recon_totals_foreach(t, gap_row, &g) != 0 ||
	    out_table(&g.t, o->format, o->output) < 0)
		goto done;
	rc = ndiff ? EXIT_REJECTS : EXIT_OK;
done:
	tbl_free(&g.t);
	dts_recon_totals_free(t);
	return rc;
}

/* ---- 三单对碰 --------------------------------------------------------------- */

static int doc_load(dts_recon_cbec *c, int kind, const char *path)
{
	dts_source *src;
	int rc = dts_source_open(&src, path, NULL);

	if (rc == 0)
		rc = dts_recon_cbec_add_source(c, kind, src);
	dts_source_free(src);
	return rc < 0 ? tool_lib_error(NULL), -1 : 0;
}

static int fail_row(const dts_recon_cbec_failure *f, void *payload)
{
	char line[32], v[32];
	const char *row[5] = {f->inventory, f->order_no, line, v, f->reasons};

	snprintf(line, sizeof(line), "%llu", U64(f->line));
	dts_recon_money_format(v, sizeof(v), f->value);
	return tbl_add_row(payload, row);
}

static int cbec_text(const tbl *sum, const tbl *fails, const dts_recon_cbec_summary *s,
		     const char *path)
{
	tool_out out;
	int rc;

	if (tool_out_open(&out, path) < 0)
		return -1;
	fprintf(out.f, "inventories: %llu checked, %llu passed, %llu failed\n\n",
		U64(s->inventories), U64(s->inventories - s->failed), U64(s->failed));
	rc = out_text(sum, out.f);
	if (rc == 0 && fails->nrows) {
		fputs("\nfailing inventories:\n", out.f);
		rc = out_text(fails, out.f);
	}
	if (rc < 0)
		tool_out_abort(&out);
	return rc < 0 || tool_out_commit(&out) < 0 ? -1 : 0;
}

static int cbec(const opts *o)
{
	static const char *const fnames[] = {"inventory", "orderNo", "line", "value", "reasons"};
	static const char *const snames[] = {"check", "failed", "value"};
	dts_recon_cbec_options co = DTS_RECON_CBEC_OPTIONS_INIT;
	dts_recon_cbec *c = NULL;
	dts_recon_cbec_summary s;
	tbl fails = {0}, sum = {0};
	int rc = EXIT_IO;

	co.tolerance = o->tol;
	co.single_limit = o->single;
	co.annual_limit = o->annual;
	if (tbl_init(&fails, fnames, 5, 2) < 0 || tbl_init(&sum, snames, 3, 1) < 0 ||
	    dts_recon_cbec_new(&c, &co) < 0)
		goto oom;
	fails.cols[4].numeric = 0;
	for (int k = 0; k < DTS_RECON_CBEC_NDOCS; k++)
		if (doc_load(c, k, o->inputs[k]) < 0)
			goto done;
	if (dts_recon_cbec_run(c, fail_row, &fails) != 0)
		goto oom;
	dts_recon_cbec_summary_get(&s, c);
	for (int k = 0; k < DTS_RECON_CBEC_NCHECKS; k++) {
		char n[32], v[64];
		const char *row[3] = {dts_recon_cbec_check_name(k), n, v};

		snprintf(n, sizeof(n), "%llu", U64(s.check_failed[k]));
		dts_recon_amount_format(v, sizeof(v), &s.check_value[k]);
		if (tbl_add_row(&sum, row) < 0)
			goto oom;
	}
	if ((strcmp(o->format, "text") ? out_table(&sum, o->format, o->output) :
	     cbec_text(&sum, &fails, &s, o->output)) < 0 ||
	    (o->details && out_table(&fails, "csv", o->details) < 0))
		goto done;
	rc = s.failed ? EXIT_REJECTS : EXIT_OK;
	goto done;
oom:
	tool_warn("out of memory");
done:
	dts_recon_cbec_free(c);
	tbl_free(&fails);
	tbl_free(&sum);
	return rc;
}

int main(int argc, char **argv)
{
	opts o;

	memset(&o, 0, sizeof(o));
	tool_name = "dts-reconcile";
	o.format = "text";
	o.compare = DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY;
	o.decimals = 2;
	o.single = (dts_money)5000 * DTS_MONEY_SCALE;
	o.annual = (dts_money)26000 * DTS_MONEY_SCALE;
	if (parse_args(&o, argc, argv) < 0 ||
	    tool_check_paths((const char *[]){o.output, o.details, o.matrix}, 3,
			     argv + optind, argc - optind, o.rules, o.nrules) < 0)
		return EXIT_USAGE;
	o.inputs = argv + optind;
	return o.mode == 't' ? totals(&o) : o.mode == 'c' ? cbec(&o) : records(&o);
}
