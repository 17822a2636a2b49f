/*
 * dts/aggregate.h — records into a statistics cube: dimension specs, keys,
 * currency conversion, the zone map, and the cube as a table.
 *
 * An aggregation (dts_agg) is made from a dimension list in the syntax of
 * `dts-aggregate --by`: comma-separated, each one of
 *
 *   period[:month|quarter|half|year]  the cell of that grain holding
 *                                 the record's period (default month):
 *                                 dts_period_cell_key(), so a record
 *                                 coarser than a cell (a year in a month
 *                                 dimension) is in its year's
 *                                 not-allocated cell "2025-NA"; a half
 *                                 year or span of months is converted at
 *                                 its year's rate
 *   flow                          X or M (anything else rejects the record)
 *   category[:top|leaf]           the category (default leaf); the cube adds
 *                                 the aggregates DT, DO, DD (dts/cube.h)
 *   base                          the legal base of the classification
 *   region, region:zone           the region code, or its zone from the
 *                                 zone map ("OTHER" when not listed)
 *   region:district               the Hangzhou district (dts_code_region:
 *                                 "330109"; "3301" Hangzhou with the
 *                                 district unknown, also for an empty
 *                                 region; "OUTSIDE" outside Hangzhou;
 *                                 "UNKNOWN" when it cannot be placed),
 *                                 with ".AREA" when the enterprise is in
 *                                 the area list ("330109.AIRPORT")
 *   counterpart                   the counterpart country
 *   source                        the record's source field (customs, cbec,
 *                                 bop, survey ...; "unknown" when empty)
 *   any other name                the input column of that name, as written
 *
 * Records come from record sources (dts/source.h) and pass the one reject
 * policy (dts_source_classify: checks, then classification; a regex stopped
 * by its match limit rejects), or, when the input has a dts_category column
 * (a classified file), the checks alone with that category and dts_base.
 * Values are converted to the reporting currency with exact rates
 * (dts/rates.h): a record in another currency needs a rate for its period.
 * A record that fails anything is rejected with a reason given to the
 * caller's callback; the cube never sees it. Keys have no length limit
 * below the cube's own (two values that differ after any byte stay two
 * cells).
 *
 * Cube partials (dts/cube.h) merge into the same cube, so shards
 * aggregated apart and merged give the cube of one run.
 *
 * Threads: a dts_agg is used by one thread at a time; aggregate shards in
 * separate dts_agg objects and merge their cubes.
 */
#ifndef DTS_AGGREGATE_H
#define DTS_AGGREGATE_H

#include "common.h"
#include "cube.h"
#include "rates.h"
#include "rules.h"
#include "source.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_agg dts_agg;

/**
 * Parse `by` (the syntax above) and create an aggregation with an empty
 * cube over those dimensions (named as written, e.g. "period:year") in the
 * reporting `currency` (ISO 4217, any case; NULL = "CNY"). Errors:
 * DTS_EINVAL with a message for the user — an unknown dimension (listing
 * the known ones), more than 16, none, a duplicate, an unknown currency;
 * DTS_ENOMEM. Free with dts_agg_free().
 */
DTS_API int dts_agg_new(dts_agg **out, const char *by, const char *currency);

/** Free an aggregation, its cube and its scanner. NULL is a no-op. */
DTS_API void dts_agg_free(dts_agg *a);

/**
 * Convert values with `rates` (borrowed: it must outlive the aggregation;
 * NULL removes them, so every record must then be in the reporting
 * currency). A rates table that gives a rate for the reporting currency
 * itself is refused (dts_rates_check_reporting): DTS_EINPUT naming it.
 */
DTS_API int dts_agg_set_rates(dts_agg *a, const dts_rates *rates);

/**
 * Load the rates file at `path` (dts_rates_load) and set it as above; the
 * aggregation owns these rates (freed with it, or when rates are loaded
 * again). Errors: those of dts_rates_load() (DTS_EIO, DTS_EINPUT, ...) and
 * of dts_agg_set_rates(); on error the rates set before stay.
 */
DTS_API int dts_agg_load_rates(dts_agg *a, const char *path);

/**
 * Load the zone map for region:zone from the CSV file `path` (columns
 * "code" and "zone", found by header name; other columns ignored). When a
 * code is listed twice, its first row wins. Replaces a map loaded before.
 * Errors: DTS_EIO, DTS_EINPUT (a malformed file, or no code or zone
 * column: "PATH:1: the zone file needs columns code and zone"),
 * DTS_ENOMEM.
 */
DTS_API int dts_agg_load_zones(dts_agg *a, const char *path);

/**
 * Load the area list for region:district from the CSV file `path`
 * (columns "enterprise_id" and "area", found by header name; other
 * columns ignored): a record of a listed enterprise in a Hangzhou
 * district gets the key DISTRICT.AREA ("330109.AIRPORT": the airport
 * economy zone inside 萧山区, the "1" of the plan's 4+4+1+5), so the zone
 * is its own row and still adds up into its district (dts_geo_table).
 * Ids are matched as the records write them, before any keyed hash
 * (dts_agg_set_id_key). The first row of an id wins; replaces a list
 * loaded before. Errors: DTS_EIO, DTS_EINPUT ("PATH:1: the area file
 * needs columns enterprise_id and area"), DTS_ENOMEM.
 */
DTS_API int dts_agg_load_areas(dts_agg *a, const char *path);

/**
 * Classify raw records with `rules` (borrowed: it must outlive the
 * aggregation). The scanner is made here. DTS_ENOMEM.
 */
DTS_API int dts_agg_set_rules(dts_agg *a, const dts_rules *rules);

/**
 * Called once, the first time a source holds raw records (no dts_category
 * column) and no rules are set, to supply them: set *out to compiled rules
 * that outlive the aggregation and return 0, or return non-zero (returned
 * unchanged by dts_agg_add_source()). Lets a program compile a classifier
 * only when an input needs one.
 */
typedef int (*dts_agg_rules_cb)(const dts_rules **out, void *payload);

/** Set the rules callback above. */
DTS_API void dts_agg_set_rules_cb(dts_agg *a, dts_agg_rules_cb cb,
				  void *payload);

/** A record that was not counted, as given to a dts_agg_reject_cb. */
typedef struct dts_agg_reject {
	const char *input;    /**< the source's name */
	uint64_t line;        /**< 1-based line where the record starts */
	const char *reason;   /**< why, in words */
	const char *raw;      /**< the record as read, when the reader refused
				   it; else NULL */
	size_t raw_len;
} dts_agg_reject;

/** Told about each rejected record; non-zero stops the input (returned). */
typedef int (*dts_agg_reject_cb)(const dts_agg_reject *r, void *payload);

/**
 * Aggregate every row of `src` (from its current row to its end). The
 * columns named by --by column dimensions must be in its header, else
 * DTS_EINPUT ("NAME:1: no column \"shop\" (named in --by)") before any
 * row is read. Rejected rows go to `cb` (may be NULL) and are counted.
 * Stops with: cb's or the rules callback's non-zero return, unchanged;
 * DTS_EOVERFLOW (a sum would overflow: "NAME:LINE: ..."); DTS_EIO or
 * DTS_ENOMEM from the source (then unusable); DTS_EINVAL when raw records
 * need a classifier and none was given. What was added before an error
 * stays in the cube.
 */
DTS_API int dts_agg_add_source(dts_agg *a, dts_source *src,
			       dts_agg_reject_cb cb, void *payload);

/**
 * Aggregate the input at `path` ("-" or NULL: standard input): a cube
 * partial (dts_source_sniff_file) is loaded and merged, anything else is
 * opened as a record source with `opts` (may be NULL) and added as by
 * dts_agg_add_source(), and recorded as an input of the cube with the
 * SHA-256 of a regular file (dts_cube_add_input; no digest for standard
 * input or a pipe). Errors: those of dts_source_sniff_file(),
 * dts_source_open(), dts_cube_load_partial(), dts_agg_merge() and
 * dts_agg_add_source(). DTS_EINVAL always means the caller's options
 * (opts: an unknown encoding, a bad map entry; no classifier); anything
 * the input itself gets wrong is another code (DTS_EINPUT for a partial
 * that does not fit, or a --by column the input lacks), so a program can
 * tell a usage error from a bad input.
 */
DTS_API int dts_agg_add_file(dts_agg *a, const char *path,
			     const dts_source_options *opts,
			     dts_agg_reject_cb cb, void *payload);

/**
 * Record the file at `path` ("-" or NULL: standard input) as an input of
 * the cube (dts_cube_add_input) with its SHA-256 (nettle), read here: a
 * regular file only; standard input and pipes are listed without a digest
 * (reading them twice would consume them). Call it before adding the
 * file's records with dts_agg_add_source(); dts_agg_add_file() does.
 * Errors: DTS_EINPUT when an input of that digest is counted already
 * ("input a.csv (sha256:...) is counted already (as a.csv): adding it
 * again would count its records twice"), DTS_EIO (the file cannot be
 * read), DTS_ENOMEM.
 */
DTS_API int dts_agg_add_input(dts_agg *a, const char *path);

/**
 * dts_agg_add_input(a, path) then dts_agg_add_source(a, src, cb,
 * payload), src being the records of the file at `path`, opened by the
 * caller: the same refusals, errors and cube, except that the input is
 * listed once its records are in. On threads > 1 (dts_agg_set_threads),
 * when no input counted already has the file's size (so none can have its
 * digest), the digest is computed on its own thread while the records are
 * aggregated, and checked before they are merged into the cube.
 */
DTS_API int dts_agg_add_records(dts_agg *a, const char *path, dts_source *src,
				dts_agg_reject_cb cb, void *payload);

/**
 * An aggregation over the dimensions and reporting currency of the cube
 * partial at `path` ("-": standard input), with that partial merged in:
 * `dts-aggregate --merge` without --by. Errors: those of
 * dts_cube_load_partial() and dts_agg_new(), DTS_ENOMEM. *out is NULL on
 * error; free it with dts_agg_free().
 */
DTS_API int dts_agg_new_partial(dts_agg **out, const char *path);

/**
 * Merge a cube (a loaded partial) into the aggregation's cube: same
 * dimensions in the same order, same currency and same classifier (see
 * dts_agg_merge_file()), else DTS_EINPUT naming the difference (the
 * partial does not fit: its data, not a bad argument). DTS_ENOMEM.
 */
DTS_API int dts_agg_merge(dts_agg *a, const dts_cube *part);

/**
 * Merge the cube partial at `path` ("-": standard input) into the
 * aggregation, as dts-aggregate --merge does for each input; refusals name
 * `path` and the input they conflict with. Besides dts_agg_merge()'s
 * checks, the classifier: the first partial or raw input gives the
 * aggregation its classifier (dts_cube_classifier(): "id@version", or
 * unknown for a format 2 partial); a partial or raw records of another
 * classifier are refused with DTS_EINPUT ("classifier X differs from Y of
 * a.part: ..."). Records from a classified file (dts_category column)
 * are not checked: their classifier is not known. Unless the caller set
 * them (dts_agg_set_status, dts_agg_set_vintage), the status becomes the
 * least final of the merged ones (provisional < revised < final) and the
 * vintage the latest cut-off; the partial's inputs are added to the
 * cube's. Errors: those of dts_cube_load_partial(), DTS_EINPUT, DTS_ENOMEM.
 */
DTS_API int dts_agg_merge_file(dts_agg *a, const char *path);

/**
 * The status (dts_status, cube.h) and the data cut-off date
 * ("YYYY-MM-DD", NULL clears) of the aggregation's cube, kept through
 * later merges. DTS_EINVAL for an unknown status or a bad date.
 */
DTS_API int dts_agg_set_status(dts_agg *a, int status);
DTS_API int dts_agg_set_vintage(dts_agg *a, const char *date);

/** Bytes a key for dts_agg_set_id_key() has at least and at most. */
#define DTS_AGG_ID_KEY_MIN 16
#define DTS_AGG_ID_KEY_MAX 64

/**
 * Keep enterprise ids only as keyed hashes: from now on every record's
 * enterprise_id is replaced by the first 128 bits of HMAC-SHA256(key, id)
 * in hex before it reaches the cube, so partials never hold a unified
 * social credit code in clear (统计法 第二十五条). Distinct-enterprise counts
 * stay exact across shards hashed with the same key (a collision among
 * 10^9 ids has probability below 10^-20). The cube records the key's
 * fingerprint (dts_cube_ids: "hmac-sha256:" + the first 64 bits of
 * HMAC-SHA256(key, "libdts enterprise-id key") in hex), and inputs hashed
 * with another key or not at all are refused. The key (DTS_AGG_ID_KEY_MIN
 * to _MAX bytes; the bureau holds it, never the partials) is copied.
 * Call before adding anything: DTS_EINVAL when records or partials are
 * already in, or for a key of the wrong length. Not thread-safe.
 */
DTS_API int dts_agg_set_id_key(dts_agg *a, const void *key, size_t len);

/**
 * dts_agg_set_id_key() with the bytes of the file at `path` (a trailing
 * newline, LF or CRLF, is not part of the key). Errors: DTS_EIO naming
 * the file, DTS_EINVAL (wrong length, already adding), DTS_ENOMEM.
 */
DTS_API int dts_agg_load_id_key(dts_agg *a, const char *path);

/**
 * Keep per-enterprise contributions in the cube (dts_cube_set_contributions),
 * which the dominance rules of dts/suppress.h need; `on` 0 turns it off
 * again. Call before adding anything: DTS_EINVAL when records or partials
 * are already in. When never called, the first partial merged decides
 * (records add to what the cube keeps: off by default). A partial that
 * keeps contributions merged into an aggregation that does not, or the
 * other way round, is refused (DTS_EINPUT naming both inputs): the
 * dominance rules would see only part of every cell. Not thread-safe.
 */
DTS_API int dts_agg_set_contributions(dts_agg *a, int on);

/** The cube built so far, owned by the aggregation. */
DTS_API const dts_cube *dts_agg_cube(const dts_agg *a);

/** Records counted, rows rejected, and records classified by the rules
 * (not taken from a dts_category column), over every input so far. */
DTS_API uint64_t dts_agg_records(const dts_agg *a);
DTS_API uint64_t dts_agg_rejects(const dts_agg *a);
DTS_API uint64_t dts_agg_classified(const dts_agg *a);

/**
 * The power of ten of a unit name: "yuan" or "元" 0, "wan" or "万元" 4,
 * "yi" or "亿元" 8; DTS_ENOTFOUND for anything else. Thread-safe.
 */
DTS_API int dts_agg_unit_parse(const char *name);

/**
 * The cube as a table for the writers (dts/table.h): the dimension
 * columns (named as the cube's dimensions), then value (in units of
 * 10^unit_exp with `decimals` digits, rounded once), records and
 * enterprises; one row per cell in the cube's canonical order. Dataflow
 * DTS_CUBE, unit the cube's currency, UNIT_MULT unit_exp, the cube's
 * status (OBS_STATUS), a period dimension as the SDMX time dimension,
 * zh/en names and codes of the dimensions for the structure message
 * (dts_table_write_sdmx_structure), title "Digital trade statistics
 * cube", chart of the value column. `decimals` may be DTS_AGG_EXACT.
 * Errors: DTS_EINVAL (unit_exp or decimals out of dts_amount_format's
 * range), DTS_ENOMEM.
 * The caller frees *out with dts_table_free(). Only reads the cube:
 * thread-safe with other readers of it.
 */
DTS_API int dts_agg_table(dts_table **out, const dts_cube *cube, int unit_exp,
			  int decimals);

/**
 * The notes-and-sources table of a cube, for the "notes" sheet of a
 * workbook (dts-aggregate and dts-report -f xlsx): rows item, note (both
 * text) saying the inputs (name and SHA-256), the classifier
 * (id@version, or unknown), the status and the vintage (data cut-off),
 * the currency and the unit (10^unit_exp), the definitions of DT, DO and
 * DD, and how figures are rounded (once, from exact sums) and suppressed
 * (not yet: every cell is published). Title "Notes and sources", dataflow
 * DTS_NOTES. *out is a new table the caller frees. DTS_ENOMEM.
 */
DTS_API int dts_agg_notes_table(dts_table **out, const dts_cube *cube,
				int unit_exp);

/**
 * `decimals` for dts_agg_table(): every value exact, in units of
 * 10^unit_exp with as many digits as it needs and no trailing zeros
 * ("3.1034567812" in 亿元; "120" for 120 yuan), as SDMX output should
 * carry them (UNIT_MULT says the unit; nothing is rounded away).
 */
#define DTS_AGG_EXACT (-1)

/**
 * Aggregate on `threads` threads (1 to DTS_BATCH_MAX_THREADS of
 * dts/batch.h; 1, the default, is the caller's thread only) in
 * dts_agg_add_source() and dts_agg_add_file() from now on. Rows are read
 * in the caller's thread and travel in blocks, as in dts/batch.h; each
 * thread checks, classifies, keys, converts and counts them into a cube
 * of its own (with its own scanner), rejects reach the callback in input
 * order in the caller's thread, and at the end of each source the
 * threads' cubes are merged exactly (dts_cube_merge): the cube, the
 * counts and the rejects are the same for any number of threads. One
 * difference: when a source stops early (the callback's or the rules
 * callback's non-zero return, an error), nothing of that source is added
 * to the cube with threads > 1 (the threads may have counted rows past
 * the stop), where one thread keeps the rows before it.
 * Errors: DTS_EINVAL (out of range). Not thread-safe.
 */
DTS_API int dts_agg_set_threads(dts_agg *a, int threads);

#ifdef __cplusplus
}
#endif
#endif
