/*
 * agg.h — the tool layer over dts_agg (dts/aggregate.h), shared by
 * dts-aggregate and dts-report: records read as tool_reading says, the
 * classifier compiled only when an input needs it, rejects printed as
 * "prog: file:line: reason" (the first 20). Every aggregation itself is the library's.
 */
#ifndef DTS_TOOL_AGG_H
#define DTS_TOOL_AGG_H

#include "tool.h"

typedef struct agg {
	dts_agg *g;
	const tool_reading *rd;    /* NULL: the defaults */
	dts_rules *rules;          /* compiled on the first raw input */
	unsigned max_reject_msgs;  /* rejects printed to stderr */
} agg;

/* Read records the way *r says (r must outlive a). */
void agg_set_reading(agg *a, const tool_reading *r);

/* dts_agg_new with the problem printed: -1 (a usage error). */
int agg_init(agg *a, const char *by, const char *currency);
void agg_free(agg *a);

/* Add the n inputs in turn (dts_agg_add_file: a cube partial is merged,
 * records are aggregated). Rejected records are counted and reported as
 * "prog: file:line: reason". Returns 0, or at the first input that fails,
 * with the problem printed, EXIT_USAGE (the options are wrong: an unknown
 * --encoding, a bad --map) or EXIT_IO (the input cannot be used). */
int agg_inputs(agg *a, char *const *paths, int n);

/* The disclosure-control options of dts-aggregate and dts-report:
 * --suppress[=N] (N >= 2, default 3), --protect P (a percent 0..100, '%'
 * allowed), --p-rule P (a whole percent 1..100) and --nk-rule N,K (N
 * 1..1000 enterprises, K a whole percent 1..100). Codes above the reading
 * and fast-path options (tool.h), clear of every tool's letters. */
enum { TOOL_O_SUPPRESS = 0x174, TOOL_O_PROTECT, TOOL_O_P_RULE, TOOL_O_NK_RULE };
#define TOOL_SUPPRESS_LONGOPTS \
	{"suppress", optional_argument, NULL, TOOL_O_SUPPRESS}, \
	{"protect", required_argument, NULL, TOOL_O_PROTECT}, \
	{"p-rule", required_argument, NULL, TOOL_O_P_RULE}, \
	{"nk-rule", required_argument, NULL, TOOL_O_NK_RULE}

/* Take getopt option c with its argument into *sup when it is one of the
 * four: sets *suppress, and for a dominance rule (which needs each
 * enterprise's value) *contrib too. 1: taken; 0: not one of them; -1: a
 * bad argument, the problem printed. */
int tool_suppress_option(dts_suppress_options *sup, int *suppress, int *contrib,
			 int c, const char *arg);

#endif
