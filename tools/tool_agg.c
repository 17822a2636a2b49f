/* tool_agg.c — the tool layer over dts_agg (see agg.h). */
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

static int add_input(agg *a, const char *path)
{
	int rc;

	if (!a->rules)
		dts_agg_set_rules_cb(a->g, load_rules, a);
	rc = dts_agg_add_file(a->g, path, a->rd ? &a->rd->in : NULL,
			      print_reject, a);
	if (rc == DTS_EUSER || rc >= 0)   /* the classifier's failure is said */
		return rc < 0 ? EXIT_IO : 0;
	/* DTS_EINVAL: the options are wrong (a usage error), not the input. */
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
