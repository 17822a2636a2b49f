/*
 * dts-reconcile — compare two sources record by record (or two cubes
 * total by total), and run the customs order / payment / waybill /
 * inventory check. See man/dts-reconcile.1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"
#include "tool.h"

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
	rec_opts rec;
	const char *rules[64], *map[256];
	int mode;               /* 0 records, 't' totals, 'c' cbec */
	int decimals;
	dts_money single, annual;
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
	rec_opts *r = &o->rec;
	char *end;

	switch (c) {
	case 'k': r->keys = arg; return 0;
	case 't':
		if (rec_tol_parse(&r->tol, arg) < 0) {
			tool_warn("--tolerance: \"%s\" is not 0.50 or 5%%", arg);
			return -1;
		}
		return 0;
	case 'c': return parse_compare(&r->compare, arg);
	case 'r': if (r->nrules < 64) o->rules[r->nrules++] = arg; return 0;
	case 'm': if (r->nmap < 256) o->map[r->nmap++] = arg; return 0;
	case 'f': r->format = arg; return 0;
	case 'o': r->output = arg; return 0;
	case 'D': r->details = arg; return 0;
	case 'X': r->matrix = arg; return 0;
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
	if (strcmp(o->rec.format, "text") && strcmp(o->rec.format, "csv") &&
	    strcmp(o->rec.format, "xlsx")) {
		tool_warn("unknown format \"%s\" (text, csv, xlsx)", o->rec.format);
		return -1;
	}
	want = o->mode == 'c' ? 4 : 2;
	if (argc - optind != want) {
		tool_warn("expected %d input files, got %d", want, argc - optind);
		return -1;
	}
	if (!o->mode && !o->rec.keys) {
		tool_warn("--key FIELDS is required");
		return -1;
	}
	return 0;
}

/* No output may be another output or an input (exit 2). */
static int check_paths(const opts *o, char **inputs, int n)
{
	const char *outs[3] = {o->rec.output, o->rec.details, o->rec.matrix};

	return tool_check_paths(outs, 3, inputs, n, o->rec.rules, o->rec.nrules);
}

int main(int argc, char **argv)
{
	opts o;

	memset(&o, 0, sizeof(o));
	tool_name = "dts-reconcile";
	o.rec.format = "text";
	o.rec.compare = REC_CMP_VALUE | REC_CMP_CATEGORY;
	o.rec.rules = o.rules;
	o.rec.map = o.map;
	o.decimals = 2;
	o.single = (dts_money)5000 * DTS_MONEY_SCALE;
	o.annual = (dts_money)26000 * DTS_MONEY_SCALE;
	if (parse_args(&o, argc, argv) < 0 || check_paths(&o, argv + optind, argc - optind) < 0)
		return EXIT_USAGE;
	if (o.mode == 't') {
		tot_opts t = {argv[optind], argv[optind + 1], o.rec.format,
			      o.rec.output, o.decimals};

		return rec_totals(&t);
	}
	if (o.mode == 'c') {
		cbec_opts b = {argv[optind], argv[optind + 1], argv[optind + 2],
			       argv[optind + 3], o.rec.tol, o.single, o.annual,
			       o.rec.format, o.rec.output, o.rec.details};

		return rec_cbec(&b);
	}
	o.rec.left = argv[optind];
	o.rec.right = argv[optind + 1];
	return rec_reconcile(&o.rec);
}
