/*
 * agg.h — records into a cube, shared by dts-aggregate and dts-report:
 * reads CSV inputs (raw records are classified on the fly, records with
 * a dts_category column are taken as they are) or cube partials, derives
 * the dimension keys and converts values to the reporting currency.
 */
#ifndef DTS_AGG_H
#define DTS_AGG_H

#include "dts.h"
#include "dts/cube.h"
#include "dts/rates.h"

enum agg_kind {
	AGG_PERIOD, AGG_FLOW, AGG_CATEGORY, AGG_BASE, AGG_REGION, AGG_ZONE,
	AGG_COUNTERPART, AGG_COLUMN
};

typedef struct agg_dim {
	enum agg_kind kind;
	int level;          /* AGG_PERIOD: dts_period_level; AGG_CATEGORY: 1 leaf */
	const char *column; /* AGG_COLUMN: the header name */
} agg_dim;

typedef struct agg_zone {
	char *code, *zone;
	size_t row;         /* order in the file: the first row of a code wins */
} agg_zone;

typedef struct agg {
	agg_dim dims[16];
	size_t ndims;
	dts_cube *cube;
	char currency[4];
	dts_rates *rates;          /* may be NULL: then every record must be in `currency` */
	agg_zone *zones;
	size_t nzones;
	const char *const *rule_paths;
	size_t nrule_paths;
	dts_rules *rules;          /* compiled on first raw input */
	dts_scanner *scanner;
	const char *const *map;    /* COLUMN=FIELD overrides */
	size_t nmap;
	const char *encoding;      /* CSV input encoding, NULL = UTF-8 */
	char separator;            /* CSV separator, 0 = ',' */
	uint64_t records, rejects, classified;
	unsigned max_reject_msgs;  /* rejects printed to stderr */
	char *keybuf[16];          /* per dimension, grown to the longest value */
	size_t keycap[16];
} agg;

/*
 * How raw records are read, as the command line gave it: classifier
 * files (-r), column bindings (-m), CSV separator (-d) and encoding
 * (--encoding). Shared by dts-aggregate and dts-report.
 */
typedef struct agg_reading {
	const char *rules[64];
	size_t nrules;
	const char *map[256];
	size_t nmap;
	const char *encoding;
	char separator;
} agg_reading;

/* Take getopt option c ('r', 'm', 'd', or 'E' for --encoding) with its
 * argument into *r: 1 when it was one of these, 0 when not, -1 when its
 * value is wrong (said on stderr). */
int agg_reading_option(agg_reading *r, int c, const char *arg);

/* Read records the way *r says (r must outlive a). */
void agg_set_reading(agg *a, const agg_reading *r);

/* Parse "period:month,flow,category:top" into a->dims and create the cube.
 * Prints the problem and returns -1 on an unknown dimension. */
int agg_init(agg *a, const char *by, const char *currency);
void agg_free(agg *a);

/* Load the rates file for a->currency (after agg_init): a rate for the
 * reporting currency itself is refused (dts_rates_check_reporting).
 * Prints the problem and returns -1. */
int agg_load_rates(agg *a, const char *path);

/* Load the zone map (code,...,zone columns by header name). -1 on error. */
int agg_load_zones(agg *a, const char *path);

/* Add one input: a cube partial (merged), or records as CSV or customs
 * XML (read by tools/input.c, as dts-classify reads them). Rejected
 * records are counted and reported as "prog: file:line: reason".
 * Returns 0, -2 for a usage error (an unknown --encoding, a bad --map),
 * or -1 when the input cannot be used at all. */
int agg_input(agg *a, const char *path);

/* The shipped data directory (indicators/, zones), installed or source. */
const char *agg_data_file(const char *name);

#endif
