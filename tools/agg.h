/*
 * agg.h — the tool layer over dts_agg (dts/aggregate.h), shared by
 * dts-aggregate and dts-report: the reading options (-r -m -d --encoding),
 * the classifier compiled only when an input needs it, rates and zones
 * loaded with the tools' messages, rejects printed as "prog: file:line:
 * reason" (the first 20), and the installed data directory. Every
 * aggregation itself is the library's.
 */
#ifndef DTS_TOOL_AGG_H
#define DTS_TOOL_AGG_H

#include "dts.h"

/*
 * How raw records are read, as the command line gave it: classifier
 * files (-r), column bindings (-m), CSV separator (-d) and encoding
 * (--encoding).
 */
typedef struct agg_reading {
	const char *rules[64];
	size_t nrules;
	const char *map[256];
	size_t nmap;
	const char *encoding;
	char separator;
} agg_reading;

typedef struct agg {
	dts_agg *g;
	const dts_cube *cube;      /* dts_agg_cube(g), or a merged partial's */
	uint64_t records, rejects; /* as dts_agg_records/_rejects, after each input */
	const agg_reading *rd;     /* NULL: the defaults */
	dts_rules *rules;          /* compiled on the first raw input */
	dts_rates *rates;
	unsigned max_reject_msgs;  /* rejects printed to stderr */
} agg;

/* Take getopt option c ('r', 'm', 'd', or 'E' for --encoding) with its
 * argument into *r: 1 when it was one of these, 0 when not, -1 when its
 * value is wrong (said on stderr). */
int agg_reading_option(agg_reading *r, int c, const char *arg);

/* Read records the way *r says (r must outlive a). */
void agg_set_reading(agg *a, const agg_reading *r);

/* dts_agg_new with the problem printed: -1 (a usage error). */
int agg_init(agg *a, const char *by, const char *currency);
void agg_free(agg *a);

/* Load and set the rates file; -1 with the problem printed. */
int agg_load_rates(agg *a, const char *path);

/* Load the zone map; -1 with the problem printed. */
int agg_load_zones(agg *a, const char *path);

/* Add one input: a cube partial (merged), or records as CSV or customs
 * XML. Rejected records are counted and reported as "prog: file:line:
 * reason". Returns 0, -2 for a usage error (an unknown --encoding, a bad
 * --map), or -1 when the input cannot be used at all. */
int agg_input(agg *a, const char *path);

/* The shipped data directory (indicators/, zones), installed or source. */
const char *agg_data_file(const char *name);

#endif
