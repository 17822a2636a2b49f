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

/* --suppress[=N] (protect 0: N >= 2, NULL arg: 3) or --protect P
 * (protect 1: a percent 0..100, '%' allowed) into *sup; -1 with the
 * problem printed. dts-aggregate and dts-report. */
int tool_parse_suppress(dts_suppress_options *sup, int protect, const char *arg);

/* --p-rule P (nk 0: a whole percent 1..100) or --nk-rule N,K (nk 1: N
 * 1..1000, K a whole percent 1..100) into *sup; -1 with the problem
 * printed. */
int tool_parse_dominance(dts_suppress_options *sup, int nk, const char *arg);

#endif
