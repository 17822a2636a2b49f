/* tool_agg.c — the tool layer over dts_agg (see agg.h). */
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "tool.h"

int agg_init(agg *a, const char *by, const char *currency)
{
	memset(a, 0, sizeof(*a));
	a->max_reject_msgs = 20;
	if (dts_agg_new(&a->g, by, currency) < 0) {
		tool_lib_error(NULL);
		return -1;
	}
	return 0;
}

void agg_free(agg *a)
{
	dts_agg_free(a->g);
	dts_rules_free(a->rules);
	memset(a, 0, sizeof(*a));
}

void agg_set_reading(agg *a, const tool_reading *r)
{
	a->rd = r;
}

/* The classifier, compiled the first time an input has raw records;
 * DTS_EUSER when it failed (said on stderr). */
static int load_rules(const dts_rules **out, void *payload)
{
	agg *a = payload;

	a->rules = tool_load_rules(a->rd ? a->rd->rules : NULL,
				   a->rd ? a->rd->nrules : 0);
	*out = a->rules;
	return a->rules ? 0 : DTS_EUSER;
}

static int print_reject(const dts_agg_reject *r, void *payload)
{
	agg *a = payload;
	uint64_t n = dts_agg_rejects(a->g);

	if (n <= a->max_reject_msgs)
		tool_warn("%s:%llu: %s", r->input, (unsigned long long)r->line,
			  r->reason);
	else if (n == a->max_reject_msgs + 1)
		tool_warn("more rejected records follow; not shown");
	return 0;
}

/* Records (not a partial): opened here, so the input and its binding are
 * described (tool_source_report) and checked against the classifier the
 * records need — none when they carry dts_category already. */
static int add_records(agg *a, const char *path)
{
	const char *const *names;
	const dts_rules *rules = NULL;
	dts_source *src;
	size_t n, i;
	int rc, classify = 1;

	if ((rc = tool_source_open(&src, path, a->rd ? &a->rd->in : NULL)) < 0)
		return rc == -2 ? EXIT_USAGE : EXIT_IO;
	n = dts_source_header(src, &names);
	for (i = 0; i < n; i++)
		classify &= strcmp(names[i], "dts_category") != 0;
	if (classify && !a->rules && (load_rules(&rules, a) != 0 ||
				      (dts_agg_set_rules(a->g, rules) < 0 && tool_lib_error(NULL)))) {
		dts_source_free(src);
		return EXIT_IO;
	}
	if ((rc = tool_source_report(src, classify ? dts_rules_fields(a->rules) : 0, 0)) < 0) {
		dts_source_free(src);
		return rc == -2 ? EXIT_USAGE : EXIT_IO;
	}
	/* the input and its SHA-256 in the cube's vintage; refused when it
	 * is counted already (on threads > 1 the digest is computed
	 * alongside the records when that cannot happen) */
	rc = dts_agg_add_records(a->g, path, src, print_reject, a);
	dts_source_free(src);
	if (rc >= 0)
		return 0;
	/* DTS_EINVAL: the options are wrong (a usage error), not the input. */
	tool_lib_error(rc == DTS_EINVAL ? NULL : path);
	return rc == DTS_EINVAL ? EXIT_USAGE : EXIT_IO;
}

static int add_input(agg *a, const char *path)
{
	dts_format fmt = DTS_FORMAT_UNKNOWN;
	int rc;

	if (!path)
		path = "-";
	if (dts_source_sniff_file(&fmt, path) < 0) {
		tool_lib_error(NULL);
		return EXIT_IO;
	}
	if (fmt != DTS_FORMAT_PARTIAL)
		return add_records(a, path);
	if ((rc = dts_agg_add_file(a->g, path, a->rd ? &a->rd->in : NULL,
				   print_reject, a)) >= 0)
		return 0;
	tool_lib_error(rc == DTS_EINVAL ? NULL : path);
	return rc == DTS_EINVAL ? EXIT_USAGE : EXIT_IO;
}

int agg_inputs(agg *a, char *const *paths, int n)
{
	int rc = 0;

	for (int i = 0; i < n && rc == 0; i++)
		rc = add_input(a, paths[i]);
	return rc;
}

/* --suppress[=N] (protect 0) or --protect P (protect 1) into *sup. */
static int parse_suppress(dts_suppress_options *sup, int protect, const char *arg)
{
	char *end;

	if (!protect) {
		unsigned long n = arg ? strtoul(arg, &end, 10) : 3;

		if (arg && (*end || !*arg || n < 2 || n > 1000000)) {
			tool_warn("--suppress=N needs a whole number from 2");
			return -1;
		}
		sup->threshold = (unsigned)n;
		return 0;
	}
	sup->protection = strtod(arg, &end);
	if (*end == '%')
		end++;
	if (*end || end == arg || !(sup->protection >= 0 &&
				    sup->protection <= 100)) {
		tool_warn("--protect P needs a percent from 0 to 100");
		return -1;
	}
	return 0;
}

/* A whole number lo..hi, all of s. */
static int parse_uint(unsigned *out, const char *s, unsigned lo, unsigned hi)
{
	char *end;
	unsigned long n;

	if (*s < '0' || *s > '9')
		return -1;
	n = strtoul(s, &end, 10);
	if (*end || n < lo || n > hi)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* --p-rule P (nk 0) or --nk-rule N,K (nk 1) into *sup. */
static int parse_dominance(dts_suppress_options *sup, int nk, const char *arg)
{
	const char *comma = strchr(arg, ',');
	char n[16];

	if (!nk) {
		if (parse_uint(&sup->p_rule, arg, 1, 100) < 0) {
			tool_warn("--p-rule P needs a whole percent from 1 to 100");
			return -1;
		}
		return 0;
	}
	if (!comma || (size_t)(comma - arg) >= sizeof(n) ||
	    (snprintf(n, sizeof(n), "%.*s", (int)(comma - arg), arg),
	     parse_uint(&sup->nk_n, n, 1, 1000) < 0) ||
	    parse_uint(&sup->nk_k, comma + 1, 1, 100) < 0) {
		tool_warn("--nk-rule N,K needs N from 1 to 1000 enterprises and a "
			  "whole percent K from 1 to 100");
		return -1;
	}
	return 0;
}

int tool_suppress_option(dts_suppress_options *sup, int *suppress, int *contrib,
			 int c, const char *arg)
{
	switch (c) {
	case TOOL_O_SUPPRESS:
	case TOOL_O_PROTECT:
		*suppress = 1;
		return parse_suppress(sup, c == TOOL_O_PROTECT, arg) < 0 ? -1 : 1;
	case TOOL_O_P_RULE:
	case TOOL_O_NK_RULE:
		*suppress = *contrib = 1;
		return parse_dominance(sup, c == TOOL_O_NK_RULE, arg) < 0 ? -1 : 1;
	default:
		return 0;
	}
}
