/*
 * rulescale — compile a classifier and time classifying in-memory records.
 *
 *   rulescale [--no-prefilter] [--passes N] RULES.xml DATA.csv [MAX_RECORDS]
 *
 * Prints one line of key=value pairs:
 *   rules compile_ms records ns_per_record candidates_per_record
 *   regex_per_record
 * The records are read into memory first, so the time is the scanner's
 * alone (no I/O, no CSV parsing). ns_per_record is the best of N passes
 * (default 3): these machines are noisy and the minimum is the most
 * repeatable. Used by bench/run.sh for the rule-scaling table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dts.h"

typedef struct table {
	char **cells;   /* nrows * ncols, each a copy */
	size_t *lens;
	size_t nrows, ncols, cap;
} table;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int fail(const char *what)
{
	char buf[2048];

	fprintf(stderr, "rulescale: %s: %s\n", what, dts_error_format(buf, sizeof(buf)));
	return 1;
}

static int table_add(table *t, const dts_csv_row *row)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		char **c = realloc(t->cells, cap * t->ncols * sizeof(*c));
		size_t *l;

		if (!c)
			return -1;
		t->cells = c;
		if (!(l = realloc(t->lens, cap * t->ncols * sizeof(*l))))
			return -1;
		t->lens = l;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		size_t k = t->nrows * t->ncols + i;
		size_t n = i < row->nfields ? row->lens[i] : 0;

		if (!(t->cells[k] = malloc(n + 1)))
			return -1;
		if (n)
			memcpy(t->cells[k], row->fields[i], n);
		t->cells[k][n] = '\0';
		t->lens[k] = n;
	}
	t->nrows++;
	return 0;
}

static int load(table *t, dts_binding **binding, const char *path, size_t max)
{
	dts_csv *r = NULL;
	dts_csv_row row;
	const char *const *names;
	int rc, ret = -1;

	if (dts_csv_open_file(&r, path, NULL) < 0)
		return fail(path) ? -1 : -1;
	t->ncols = dts_csv_header(r, &names);
	if (dts_binding_new(binding, names, t->ncols, NULL, 0) < 0) {
		fail("binding");
		goto done;
	}
	while (t->nrows < max && (rc = dts_csv_next(&row, r)) != 0) {
		if (rc == DTS_EINPUT)
			continue;
		if (rc < 0 || table_add(t, &row) < 0) {
			fail(path);
			goto done;
		}
	}
	ret = 0;
done:
	dts_csv_free(r);
	return ret;
}

/* One pass over every row; returns elapsed ns. */
static double pass(dts_scanner *s, const dts_binding *b, const table *t)
{
	double t0 = now_ns();
	dts_result res;
	size_t i;

	for (i = 0; i < t->nrows; i++)
		dts_scanner_classify_row(&res, s, b,
					 (const char *const *)t->cells + i * t->ncols,
					 t->lens + i * t->ncols, t->ncols);
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	dts_rules_options ro = DTS_RULES_OPTIONS_INIT;
	dts_rules *rules = NULL;
	dts_scanner *s = NULL;
	dts_binding *b = NULL;
	dts_scanner_stats st;
	table t = {0};
	unsigned flags = 0;
	int argi = 1, passes = 3, p;
	size_t max = (size_t)-1;
	double t0, compile_ns, best = 0;
	const char *rpath;

	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (!strcmp(argv[argi], "--no-prefilter"))
			flags |= DTS_SCAN_NO_PREFILTER;
		else if (!strcmp(argv[argi], "--passes") && argi + 1 < argc)
			passes = (int)strtol(argv[++argi], NULL, 10);
		else
			break;
	}
	if (argc - argi < 2 || passes < 1) {
		fprintf(stderr, "usage: rulescale [--no-prefilter] [--passes N] RULES.xml DATA.csv [MAX_RECORDS]\n");
		return 2;
	}
	rpath = argv[argi];
	if (argc - argi > 2)
		max = (size_t)strtoull(argv[argi + 2], NULL, 10);
	t0 = now_ns();
	if (dts_rules_compile(&rules, &rpath, 1, &ro) < 0)
		return fail(rpath);
	compile_ns = now_ns() - t0;
	if (dts_scanner_new(&s, rules, flags) < 0)
		return fail("scanner");
	if (load(&t, &b, argv[argi + 1], max) < 0 || t.nrows == 0)
		return 1;
	pass(s, b, &t); /* warm up: caches, first-use allocations */
	for (p = 0; p < passes; p++) {
		double ns = pass(s, b, &t);

		if (p == 0 || ns < best)
			best = ns;
	}
	dts_scanner_stats_get(&st, s);
	printf("rules=%zu compile_ms=%.1f records=%zu ns_per_record=%.1f "
	       "candidates_per_record=%.2f regex_per_record=%.2f\n",
	       dts_rules_count(rules), compile_ns / 1e6, t.nrows,
	       best / (double)t.nrows,
	       (double)st.candidates / (double)st.records,
	       (double)st.regex_runs / (double)st.records);
	dts_scanner_free(s);
	dts_binding_free(b);
	dts_rules_free(rules);
	return 0;
}
