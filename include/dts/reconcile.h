/*
 * dts/reconcile.h — comparing two sources: record by record on a key,
 * cube total by cube total, and the customs order / payment / waybill /
 * inventory check (三单对碰).
 *
 * Three handles, one prefix (dts_recon_):
 *   dts_recon         records of a left and a right source matched on key
 *                     columns; every record lands in exactly one bucket
 *                     (matched, a disagreement, duplicate, one side only,
 *                     rejected), summed per top category, with a matrix of
 *                     category disagreements;
 *   dts_recon_totals  two cubes (partials or dts-aggregate CSV) compared
 *                     cell by cell along the dimensions they share, with
 *                     the currency check dts_cube_merge makes;
 *   dts_recon_cbec    the 三单对碰 check of customs notice 2018/194.
 * Each is filled by the caller (the records read by whatever reader it
 * uses), then run once: results come through a callback, one call per
 * item, and a callback that returns non-zero stops the run, which returns
 * that value unchanged (DTS_EUSER is reserved for that; see common.h).
 * The counts a report prints are then read from the handle.
 *
 * Money is exact: values are dts_money, sums dts_amount (128 bits), a
 * percentage tolerance is compared with integer arithmetic.
 *
 * Threads: a handle is used by one thread at a time; different handles
 * are independent. The free functions (tolerance, formatting, names) are
 * thread-safe.
 */
#ifndef DTS_RECONCILE_H
#define DTS_RECONCILE_H

#include "common.h"
#include "cube.h"
#include "csv.h"
#include "money.h"
#include "scanner.h"
#include "source.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The two sides. */
#define DTS_RECON_LEFT 0
#define DTS_RECON_RIGHT 1

/* ---- tolerance and formatting ------------------------------------------ */

/** A value tolerance: absolute money, or a percentage of the left value. */
typedef struct dts_recon_tolerance {
	int percent;      /**< 1: amount is a percentage of the left value */
	dts_money amount; /**< money, or the percentage in money units (5% = 5 * DTS_MONEY_SCALE) */
} dts_recon_tolerance;

/**
 * Parse "0.50" (absolute) or "5%" (of the left value) from `len` bytes of
 * `s`. Returns 0, or DTS_EINPUT for anything else (a negative amount
 * included). Thread-safe.
 */
DTS_API int dts_recon_tolerance_parse(dts_recon_tolerance *out, const char *s,
				      size_t len);

/**
 * 1 when |right - left| is within the tolerance, else 0. Exact: a
 * percentage is compared as |right - left| * 100 <= pct * |left| in 128
 * bits, so "exactly at the tolerance" is within. A NULL tolerance is 0
 * (values must be equal). Thread-safe.
 */
DTS_API int dts_recon_tolerance_within(const dts_recon_tolerance *tol,
				       dts_money left, dts_money right);

/**
 * Format an exact amount as reconciliation reports show it: two to four
 * decimals, trailing zeros after the second cut (12.5 -> "12.50",
 * 12.345 -> "12.345"), so nothing the input could say is lost.
 * NUL-terminated, truncated to size (64 bytes always suffice). Returns
 * the length written, or DTS_EINVAL when size is 0. Thread-safe.
 */
DTS_API int dts_recon_amount_format(char *buf, size_t size, const dts_amount *v);

/** The same for one money value. Thread-safe. */
DTS_API int dts_recon_money_format(char *buf, size_t size, dts_money v);

/* ---- record matching ----------------------------------------------------- */

/** What to compare in a pair (bits of dts_recon_options.compare). */
#define DTS_RECON_CMP_VALUE 0x1u    /**< values, within the tolerance */
#define DTS_RECON_CMP_CATEGORY 0x2u /**< category codes */
#define DTS_RECON_CMP_PERIOD 0x4u   /**< periods, at the coarser level of the two */
#define DTS_RECON_CMP_FLOW 0x8u     /**< flows (X / M) */

/**
 * Parse a compare list, "value,category,period,flow" or any of them
 * (comma separated, in any order; "" is none) into DTS_RECON_CMP_* bits.
 * Returns 0, or DTS_EINPUT naming the unknown word ("unknown \"size\"
 * (value, category, period, flow)"). Thread-safe.
 */
DTS_API int dts_recon_compare_parse(unsigned *out, const char *s);

/**
 * Buckets. A pair (one record with the key on each side) goes to its first
 * disagreement in the order category, value, period, flow, else MATCHED;
 * a key present more than once on either side puts every record with it
 * in DUPLICATE; a key on one side only gives LEFT_ONLY or RIGHT_ONLY; a
 * record that cannot be used is REJECTED. The values are part of the ABI.
 */
typedef enum dts_recon_bucket {
	DTS_RECON_MATCHED = 0,
	DTS_RECON_CATEGORY_DIFF,
	DTS_RECON_VALUE_DIFF,
	DTS_RECON_PERIOD_DIFF,
	DTS_RECON_FLOW_DIFF,
	DTS_RECON_DUPLICATE,
	DTS_RECON_LEFT_ONLY,
	DTS_RECON_RIGHT_ONLY,
	DTS_RECON_REJECTED,
	DTS_RECON_NBUCKETS
} dts_recon_bucket;

/** Number of pair buckets (MATCHED .. FLOW_DIFF). */
#define DTS_RECON_NPAIR 5

/**
 * The bucket's name as reports show it: "matched", "category_diff",
 * "value_diff", "period_diff", "flow_diff", "duplicate", "left_only",
 * "right_only", "rejected"; NULL when out of range. Thread-safe.
 */
DTS_API const char *dts_recon_bucket_name(int bucket);

/** The compare bit a pair bucket needs (0 for MATCHED and non-pair buckets). */
DTS_API unsigned dts_recon_bucket_compare(int bucket);

/** Options of dts_recon_new(): initialise with DTS_RECON_OPTIONS_INIT. */
typedef struct dts_recon_options {
	unsigned version;                /**< DTS_RECON_OPTIONS_VERSION */
	unsigned compare;                /**< DTS_RECON_CMP_* bits */
	dts_recon_tolerance tolerance;   /**< for DTS_RECON_CMP_VALUE */
} dts_recon_options;

#define DTS_RECON_OPTIONS_VERSION 1
#define DTS_RECON_OPTIONS_INIT                                            \
	{ DTS_RECON_OPTIONS_VERSION,                                      \
	  DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY, { 0, 0 } }

typedef struct dts_recon dts_recon;

/**
 * A new reconciliation of records keyed by `nkeys` key fields (1 to 16);
 * `keys` are their names, copied, used in reasons ("empty key field
 * \"id\""). `opts` may be NULL for the defaults (compare value and
 * category, tolerance 0). Errors: DTS_EINVAL (no key, more than 16, an
 * empty name, an unknown option version or compare bit), DTS_ENOMEM.
 * Free with dts_recon_free().
 */
DTS_API int dts_recon_new(dts_recon **out, const char *const *keys,
			  size_t nkeys, const dts_recon_options *opts);

/**
 * dts_recon_new() with the key fields given as one comma-separated list
 * ("order_id,line", the syntax of `dts-reconcile --key`): every name
 * non-empty, 1 to 16 of them; a trailing comma is allowed. Errors:
 * DTS_EINVAL "no field given" (an empty list) or "bad field list \"...\""
 * (an empty name, more than 16), and those of dts_recon_new(). Nothing
 * of `keys` is kept. Thread-safe.
 */
DTS_API int dts_recon_new_list(dts_recon **out, const char *keys,
			       const dts_recon_options *opts);

/** Free a reconciliation. NULL is a no-op. */
DTS_API void dts_recon_free(dts_recon *rec);

/**
 * One record as the caller read it. Every text is `len` bytes, not
 * necessarily NUL-terminated, and is copied (nothing is kept).
 */
typedef struct dts_recon_record {
	uint64_t line;               /**< where it starts in its input (1-based), for the items */
	const char *const *keys;     /**< nkeys key values, in key order; blanks around are trimmed */
	const size_t *key_lens;
	const char *value;           /**< the amount, a decimal (dts_money_parse) */
	size_t value_len;
	const char *category;        /**< its category code ("TECH.CLOUD"); NULL: none, see category_error */
	size_t category_len;
	const char *category_error;  /**< why it has no category (e.g. the classifier refused it); NULL for "empty dts_category" */
	const char *period;          /**< read with DTS_RECON_CMP_PERIOD; empty = none */
	size_t period_len;
	const char *flow;            /**< read with DTS_RECON_CMP_FLOW (dts_flow_parse) */
	size_t flow_len;
} dts_recon_record;

/**
 * Add one record of `side` (DTS_RECON_LEFT or DTS_RECON_RIGHT). The
 * record is checked in this order, and the first failure rejects it with
 * that reason: an empty key field, a value that is not an amount
 * ("value: ..."), a period that does not parse ("period: ..."), no
 * category (category_error, else "empty dts_category"). Returns 0 when
 * the record was taken, DTS_EINPUT when it was rejected (counted and
 * reported as a REJECTED item by dts_recon_run; the reason is also the
 * error message) — neither stops the caller.
 *
 * Keys are reported in the order first added: add one source whole, then
 * the other, for a stable order. Memory: about 90 bytes per distinct key
 * plus its bytes, 40 per further record of a key, and each rejected
 * record's key and reason. Adding a record costs O(1).
 *
 * Errors: DTS_EINVAL (bad side, NULL record or keys, after dts_recon_run),
 * DTS_ELIMIT (more than 65535 distinct categories or 2^32 - 1 keys),
 * DTS_ENOMEM. After such an error the handle may only be freed.
 */
DTS_API int dts_recon_add(dts_recon *rec, int side, const dts_recon_record *record);

/**
 * Count a record of `side` that could not be read at all (a malformed
 * row) as REJECTED with `reason` (copied; NULL = "malformed record"),
 * at `line`, with an empty key. Errors: as dts_recon_add().
 */
DTS_API int dts_recon_reject(dts_recon *rec, int side, uint64_t line,
			     const char *reason);

/**
 * Find the columns of `side` in `src` (a record source, dts/source.h), by
 * the names a file may use: each key field as a header name, else as the
 * canonical field it names (name or alias, bound by the source); "value"
 * the same way (value, 金额, ...); "dts_category" (a dts-classify output)
 * when there is one; "period" and "flow" when compared. In customs XML
 * every name is a message leaf (orderNo, ebpCode ...) or a canonical field,
 * and records are always classified. Sets *classify (may be NULL) to 1
 * when the rows have no category and dts_recon_add_source() needs a
 * scanner, else 0. The source is remembered, not owned: keep it open
 * until its rows are added. Errors: DTS_ENOTFOUND naming the source and
 * the column ("key field \"id\" is not in the header"), DTS_EINVAL as
 * dts_recon_add().
 */
DTS_API int dts_recon_bind_source(int *classify, dts_recon *rec, int side,
				  dts_source *src);

/**
 * Read every row of `src` (bound to `side` by dts_recon_bind_source())
 * into the reconciliation: a row the source rejects is dts_recon_reject()
 * with its reason; one without a category is classified with `scanner`
 * under the one reject policy (dts_source_classify: a record it refuses is
 * rejected with its reason); then dts_recon_add(). Returns 0 at the end of
 * the source; the source's read errors (DTS_EIO, DTS_ENOMEM); the errors
 * of dts_recon_add() other than DTS_EINPUT; DTS_EINVAL (not bound, or no
 * scanner when one is needed). Uses the scanner from this thread only.
 */
DTS_API int dts_recon_add_source(dts_recon *rec, int side, dts_source *src,
				 dts_scanner *scanner);

/**
 * Both sides with dts_recon_add_source(), the smaller source (by
 * dts_source_size(); a size not known, standard input, counts as larger)
 * first, as dts-reconcile does: the order of the items follows from it.
 * Errors: as dts_recon_add_source(); DTS_EINVAL for a NULL source.
 */
DTS_API int dts_recon_add_sources(dts_recon *rec, dts_source *left,
				  dts_source *right, dts_scanner *scanner);

/**
 * Supplies the classifier dts_recon_add_files() needs when a side has raw
 * records: set *out to compiled rules that outlive the call and return 0,
 * or return non-zero (returned unchanged). Called at most once per call.
 */
typedef int (*dts_recon_rules_cb)(const dts_rules **out, void *payload);

/**
 * What dts-reconcile does with its two inputs: open `left` and `right`
 * ("-" or NULL: standard input) as record sources with `opts` (may be
 * NULL), bind each (dts_recon_bind_source()), ask `rules_cb` for the
 * classifier only when a side needs one, and add both with
 * dts_recon_add_sources() (a scanner made here, DTS_SCAN_VALID_UTF8).
 * The sources are closed before it returns. Errors: those of
 * dts_source_open() (the left input first), dts_recon_bind_source(),
 * dts_scanner_new() and dts_recon_add_sources(); the callback's non-zero
 * return, unchanged; DTS_EINVAL when a side needs a classifier and
 * rules_cb is NULL. Records added before an error stay added.
 */
DTS_API int dts_recon_add_files(dts_recon *rec, const char *left, const char *right,
				const dts_source_options *opts,
				dts_recon_rules_cb rules_cb, void *payload);

/** One side of an item: the record's line, value and category. */
typedef struct dts_recon_side {
	int present;          /**< 0: this side has no record in the item */
	uint64_t line;
	dts_money value;      /**< 0 for a rejected record */
	const char *category; /**< "" for a rejected record */
} dts_recon_side;

/** One record (or pair) and its bucket, as given to the callback. */
typedef struct dts_recon_item {
	dts_recon_bucket bucket;
	const char *key;          /**< the key parts joined with "|", a "|" or "\" in a part written "\|", "\\"; "" for a malformed row */
	size_t key_len;
	dts_recon_side left, right;
	dts_amount difference;    /**< right - left value when both sides are present, else 0 */
	const char *reason;       /**< "category_diff; value_diff", "key on left 2 times, on right 1 times", a reject reason, or "" */
} dts_recon_item;

/** Called for each item; return 0 to go on, non-zero to stop. */
typedef int (*dts_recon_item_cb)(const dts_recon_item *item, void *payload);

/**
 * Put every key in its bucket and call `cb` (may be NULL) once per item:
 * first the rejected records in the order added, then each key in the
 * order first added — a pair as one item (MATCHED included), each record
 * of a duplicated key (the first left, the first right, then the rest in
 * the order added), a one-sided record. An item's key and category
 * strings live until dts_recon_free(), its reason until the callback
 * returns. Once only: the counts below are complete after it.
 * Returns 0; the callback's non-zero value when it stopped the run (the
 * counts are then partial); DTS_EOVERFLOW when an exact sum overflowed;
 * DTS_ENOMEM; DTS_EINVAL when called twice.
 */
DTS_API int dts_recon_run(dts_recon *rec, dts_recon_item_cb cb, void *payload);

/** Counts of one top category, or of all (dts_recon_summary()). */
typedef struct dts_recon_counts {
	uint64_t read[2];                 /**< records given (taken + rejected); totals only */
	uint64_t records[2];              /**< records taken, per side */
	dts_amount value[2];              /**< their exact value sums */
	uint64_t pairs[DTS_RECON_NPAIR];  /**< pairs per pair bucket, under the left record's category */
	dts_amount value_diff;            /**< sum of right - left over the VALUE_DIFF pairs */
	uint64_t duplicate[2], only[2];   /**< records in DUPLICATE, in LEFT_ONLY (only[0]) / RIGHT_ONLY (only[1]) */
	uint64_t rejected[2];             /**< rejected records (no category: totals only) */
} dts_recon_counts;

/** Number of top categories seen (codes up to the first '.'). */
DTS_API size_t dts_recon_category_count(const dts_recon *rec);

/**
 * The i-th top category in the cube's canonical order (dts_category_rank,
 * then bytewise: CBEC TECH SERV PROD DATA NONE, then others) and its
 * counts; *code lives until dts_recon_free(). Call after dts_recon_run().
 * Returns 0 or DTS_EINVAL (i out of range).
 */
DTS_API int dts_recon_category(const char **code, dts_recon_counts *out,
			       const dts_recon *rec, size_t i);

/**
 * The counts over every category plus the rejected and read records. A
 * run that finished puts every record read in exactly one bucket:
 * read[s] = the pairs + duplicate[s] + only[s] + rejected[s].
 * Returns 0, or DTS_EOVERFLOW when a sum overflowed.
 */
DTS_API int dts_recon_summary(dts_recon_counts *out, const dts_recon *rec);

/** One cell of the category disagreement matrix. */
typedef struct dts_recon_matrix_cell {
	const char *left_category, *right_category;
	uint64_t records;              /**< CATEGORY_DIFF pairs with these categories */
	dts_amount left_value, right_value;
} dts_recon_matrix_cell;

typedef int (*dts_recon_matrix_cb)(const dts_recon_matrix_cell *cell, void *payload);

/**
 * Call `cb` for each (left category, right category) of the CATEGORY_DIFF
 * pairs, in the order first met by dts_recon_run(). Leaf codes, not top
 * codes. A non-zero return stops the walk and is returned; else 0.
 */
DTS_API int dts_recon_matrix_foreach(const dts_recon *rec, dts_recon_matrix_cb cb,
				     void *payload);

/** Number of key fields, and the name of key field i (NULL past the end). */
DTS_API size_t dts_recon_key_count(const dts_recon *rec);
DTS_API const char *dts_recon_key(const dts_recon *rec, size_t i);

/** The compare bits the reconciliation was made with (0 for NULL). */
DTS_API unsigned dts_recon_compare(const dts_recon *rec);

/* ---- what reports show ---------------------------------------------------- */

/** The header line of the details CSV that dts_recon_write_item() writes. */
#define DTS_RECON_DETAILS_HEADER                                              \
	"bucket,key,left_line,left_value,right_line,right_value,difference,"   \
	"left_category,right_category,reason\n"

/**
 * Write one item as a line of the details CSV (DTS_RECON_DETAILS_HEADER):
 * bucket, key, each side's line and value (money as
 * dts_recon_money_format(); a rejected record's line only), the
 * difference when both sides are present, the categories and the reason,
 * fields quoted as RFC 4180 wants. A MATCHED item writes nothing: the
 * details list every record that is not a clean match. Usable from a
 * dts_recon_item_cb. Returns 0; DTS_EIO (the FILE failed), DTS_ENOMEM,
 * DTS_EINVAL (NULL); the _cb form returns the callback's non-zero value.
 * Thread-safe.
 */
DTS_API int dts_recon_write_item(const dts_recon_item *item, FILE *f);
DTS_API int dts_recon_write_item_cb(const dts_recon_item *item,
				    dts_write_cb cb, void *payload);

/**
 * The summary after dts_recon_run(): one row per top category in
 * canonical order, then TOTAL; columns category, left_records,
 * left_value, right_records, right_value, then for each pair bucket that
 * was compared its count (matched, category_diff, value_diff with
 * value_diff_sum, period_diff, flow_diff), duplicate_left,
 * duplicate_right, left_only, right_only, rejected_left, rejected_right
 * (rejected only in TOTAL). Values as dts_recon_amount_format(). *out is
 * a new table the caller frees (dts_table_free). Errors: DTS_EINVAL
 * (before the run), DTS_EOVERFLOW, DTS_ENOMEM.
 */
DTS_API int dts_recon_summary_table(dts_table **out, const dts_recon *rec);

/**
 * The category disagreement matrix as a table: left_category,
 * right_category (the two dimensions), records, left_value, right_value;
 * no rows when no pair disagreed on its category. *out is the caller's.
 * Errors: DTS_EINVAL, DTS_ENOMEM.
 */
DTS_API int dts_recon_matrix_table(dts_table **out, const dts_recon *rec);

/**
 * The text report dts-reconcile prints after dts_recon_run(): the inputs
 * ("left:  LEFT", "right: RIGHT"; NULL names print "left" / "right") and
 * the key, the summary table and the matrix as aligned text (dts/table.h),
 * then for each side the accounting "left  11 read = 3 matched + ... + 2
 * rejected" and "every record is in exactly one bucket". Returns 0;
 * DTS_EIO (the FILE failed), DTS_ENOMEM, DTS_EINVAL; DTS_ERROR when the
 * buckets do not add up to the records read (an internal error: the
 * report is written all the same, saying so); the _cb form the
 * callback's non-zero value.
 */
DTS_API int dts_recon_write_text(const dts_recon *rec, const char *left,
				 const char *right, FILE *f);
DTS_API int dts_recon_write_text_cb(const dts_recon *rec, const char *left,
				    const char *right, dts_write_cb cb,
				    void *payload);

/* ---- total matching ------------------------------------------------------- */

typedef struct dts_recon_totals dts_recon_totals;

/** A new, empty comparison of two cubes. DTS_ENOMEM. */
DTS_API int dts_recon_totals_new(dts_recon_totals **out);

/** Free it. NULL is a no-op. */
DTS_API void dts_recon_totals_free(dts_recon_totals *t);

/**
 * Make `cube` the `side` cube (its cells are copied; the cube is not
 * kept). Its reporting currency is checked against the other side's at
 * dts_recon_totals_run(). Errors: DTS_EINVAL (bad side, the side already
 * given, more than 16 dimensions), DTS_ENOMEM.
 */
DTS_API int dts_recon_totals_add_cube(dts_recon_totals *t, int side,
				      const dts_cube *cube);

/**
 * Read `side` from a dts-aggregate CSV cube: dimension columns, then
 * "value" and "records" (further columns ignored). A CSV does not say its
 * currency: it is not checked. `name` (may be NULL) names the input in
 * errors, which give name:line. The reader stays the caller's, read to
 * its end. Errors: DTS_EINVAL (bad side, already given), DTS_EINPUT (not
 * a cube; a value or count that does not parse, naming the row's line),
 * the reader's errors, DTS_ENOMEM.
 */
DTS_API int dts_recon_totals_add_csv(dts_recon_totals *t, int side,
				     dts_csv *reader, const char *name);

/**
 * Read `side` from the file `path`: a partial (dts_cube_load_partial)
 * when it starts like one (dts_source_sniff_file), else a CSV cube.
 * Errors: DTS_EIO (cannot open), as the two above.
 */
DTS_API int dts_recon_totals_load(dts_recon_totals *t, int side,
				  const char *path);

/** One cell of the comparison, on the common dimensions. */
typedef struct dts_recon_gap {
	const char *const *keys;   /**< ndims keys, the common dimensions' */
	size_t nkeys;
	uint64_t records[2];
	dts_amount value[2];       /**< exact sums */
	dts_amount gap;            /**< right - left; in percent of the left: dts_amount_percent(buf, n, &gap, &value[0], 2) */
	int seen[2];               /**< 0: no cell of that side reaches it ("left only" / "right only") */
	int differs;               /**< values or record counts differ */
} dts_recon_gap;

typedef int (*dts_recon_gap_cb)(const dts_recon_gap *gap, void *payload);

/**
 * Compare the two sides. The common dimensions are those both cubes have,
 * in the left cube's order; a dimension only one side has is summed out,
 * and when it is a category dimension only its top codes and NONE are
 * summed (DT, DO, DD and leaves would count a record twice). Calls `cb`
 * (may be NULL) once per common cell, in the order first met (left cube
 * first). Strings live until dts_recon_totals_free(). Once only.
 * Returns 0 or the callback's non-zero value; DTS_EINVAL (a side missing,
 * called twice, or two partials in different reporting currencies: "L and
 * R: " and the message of dts_cube_check_currency()), DTS_ENOTFOUND ("L
 * and R share no dimension"), DTS_EOVERFLOW, DTS_ENOMEM. L and R name the
 * sides: the path given to dts_recon_totals_load(), the name given to
 * dts_recon_totals_add_csv(), else "left" and "right".
 */
DTS_API int dts_recon_totals_run(dts_recon_totals *t, dts_recon_gap_cb cb,
				 void *payload);

/**
 * Call `cb` for every common cell again, as dts_recon_totals_run() did
 * (after it succeeded). Returns 0, the callback's non-zero value,
 * DTS_EINVAL (NULL argument, before the run), DTS_EOVERFLOW (a gap out
 * of the 128-bit range).
 */
DTS_API int dts_recon_totals_foreach(const dts_recon_totals *t,
				     dts_recon_gap_cb cb, void *payload);

/**
 * The common dimensions (after dts_recon_totals_run(); 0 before), names
 * owned by t. Also the number of cells that differ in *ndiffer and of
 * cells in *ncells (either may be NULL).
 */
DTS_API size_t dts_recon_totals_dims(const char *const **names, size_t *ncells,
				     size_t *ndiffer, const dts_recon_totals *t);

/**
 * The gaps after dts_recon_totals_run() as a table: the common dimensions,
 * then left_records, left_value, right_records, right_value, gap (right -
 * left), gap_percent (of the left value, 2 decimals, dts_amount_percent;
 * "" when the left is 0) and note ("left only", "right only" or "").
 * Values with `decimals` (0..14) digits, rounded half away from zero.
 * *out is the caller's. Errors: DTS_EINVAL (before the run, decimals out
 * of range), DTS_EOVERFLOW, DTS_ENOMEM.
 */
DTS_API int dts_recon_totals_table(dts_table **out, const dts_recon_totals *t,
				   int decimals);

/* ---- 三单对碰: order, payment, waybill, inventory ------------------------- */

/** The four documents (CEB311 order, CEB411 payment, CEB511 waybill, CEB621 inventory). */
typedef enum dts_recon_cbec_doc {
	DTS_RECON_CBEC_ORDER = 0,
	DTS_RECON_CBEC_PAYMENT,
	DTS_RECON_CBEC_WAYBILL,
	DTS_RECON_CBEC_INVENTORY,
	DTS_RECON_CBEC_NDOCS
} dts_recon_cbec_doc;

/** The checks (bits 1u << check of dts_recon_cbec_failure.checks). */
typedef enum dts_recon_cbec_check {
	DTS_RECON_CBEC_ORDER_MISSING = 0, /**< no order with the inventory's orderNo + ebpCode */
	DTS_RECON_CBEC_PAYMENT_MISSING,   /**< no payment (payTransactionId, else orderNo + ebpCode) */
	DTS_RECON_CBEC_WAYBILL_MISSING,   /**< no waybill with its logisticsNo */
	DTS_RECON_CBEC_PAID_MISMATCH,     /**< order acturalPaid != payment amountPaid */
	DTS_RECON_CBEC_ORDER_SUM,         /**< goods + freight + tax - discount != paid, beyond the tolerance */
	DTS_RECON_CBEC_BUYER_NOT_PAYER,   /**< buyer id (else name) != payer id (name) */
	DTS_RECON_CBEC_SINGLE_LIMIT,      /**< retail import over the single order limit */
	DTS_RECON_CBEC_ANNUAL_LIMIT,      /**< buyer's year total over the annual limit */
	DTS_RECON_CBEC_MALFORMED,         /**< an amount that does not parse */
	DTS_RECON_CBEC_NCHECKS
} dts_recon_cbec_check;

/**
 * The check's name as reports show it ("order_missing", "payment_missing",
 * "waybill_missing", "paid_mismatch", "order_sum", "buyer_not_payer",
 * "single_limit", "annual_limit", "malformed"); NULL out of range.
 */
DTS_API const char *dts_recon_cbec_check_name(int check);

/**
 * The element names a document's rows carry, in the order
 * dts_recon_cbec_add() takes them: order orderNo ebpCode goodsValue
 * freight discount taxTotal acturalPaid buyerIdNumber buyerName
 * payTransactionId; payment payTransactionId orderNo ebpCode
 * payerIdNumber payerName amountPaid; waybill logisticsNo; inventory
 * orderNo ebpCode logisticsNo invtNo ieFlag tradeMode ieDate totalPrice
 * copNo. The first is required (a file without it is not that
 * document). Returns the count with *names set (static), or 0 for an
 * unknown doc.
 */
DTS_API size_t dts_recon_cbec_columns(const char *const **names, int doc);

/** Options of dts_recon_cbec_new(): initialise with DTS_RECON_CBEC_OPTIONS_INIT. */
typedef struct dts_recon_cbec_options {
	unsigned version;              /**< DTS_RECON_CBEC_OPTIONS_VERSION */
	dts_recon_tolerance tolerance; /**< goods + freight + tax - discount vs paid */
	dts_money single_limit;        /**< retail import single order limit (5,000 yuan) */
	dts_money annual_limit;        /**< buyer's annual limit (26,000 yuan) */
} dts_recon_cbec_options;

#define DTS_RECON_CBEC_OPTIONS_VERSION 1
#define DTS_RECON_CBEC_OPTIONS_INIT                                        \
	{ DTS_RECON_CBEC_OPTIONS_VERSION, { 0, 0 },                         \
	  (dts_money)5000 * DTS_MONEY_SCALE, (dts_money)26000 * DTS_MONEY_SCALE }

typedef struct dts_recon_cbec dts_recon_cbec;

/**
 * A new check. `opts` may be NULL for the defaults. Errors: DTS_EINVAL
 * (unknown version, a negative limit or tolerance), DTS_ENOMEM. Free
 * with dts_recon_cbec_free().
 */
DTS_API int dts_recon_cbec_new(dts_recon_cbec **out,
			       const dts_recon_cbec_options *opts);

/** Free it. NULL is a no-op. */
DTS_API void dts_recon_cbec_free(dts_recon_cbec *c);

/**
 * Add one row of document `doc` read at `line`: values[i] (lens[i] bytes,
 * copied; values[i] NULL or lens NULL: "" / strlen) is the element
 * dts_recon_cbec_columns(doc) names at i. An XML message gives one row
 * per List item with its Head's elements; consecutive inventory rows with
 * the same invtNo, copNo and orderNo are one inventory, whose goods value
 * is the sum of their totalPrice. For orders, payments and waybills the
 * first row of a join key wins. Errors: DTS_EINVAL (bad doc, after the
 * run), DTS_ENOMEM.
 */
DTS_API int dts_recon_cbec_add(dts_recon_cbec *c, int doc, uint64_t line,
			       const char *const *values, const size_t *lens);

/**
 * Add every row of `src` as document `doc`: the columns are found by the
 * names dts_recon_cbec_columns() gives (a header name, a canonical field,
 * or in customs XML a message leaf, one row per List item with its Head's
 * leaves). Errors: DTS_ENOTFOUND (no column for the document's first
 * element: "no orderNo column"), DTS_EINPUT (a row the source rejects,
 * naming its line: a document that cannot be read is not checked), the
 * source's read errors, DTS_EINVAL, DTS_ENOMEM.
 */
DTS_API int dts_recon_cbec_add_source(dts_recon_cbec *c, int doc,
				      dts_source *src);

/**
 * Open `path` (NULL or "-": standard input) as a record source with the
 * default options (CSV or customs XML, sniffed) and add it as document
 * `doc` with dts_recon_cbec_add_source(). Errors: those of
 * dts_source_open() and dts_recon_cbec_add_source().
 */
DTS_API int dts_recon_cbec_load(dts_recon_cbec *c, int doc, const char *path);

/** An inventory that failed at least one check. */
typedef struct dts_recon_cbec_failure {
	const char *inventory;  /**< invtNo, else copNo */
	const char *order_no;
	uint64_t line;          /**< line of its first row */
	dts_money value;        /**< the order's acturalPaid, else the goods value */
	unsigned checks;        /**< 1u << dts_recon_cbec_check for each failed check */
	const char *reasons;    /**< "order_sum: goods+freight+tax-discount 100.00, paid 90.00; ..." */
} dts_recon_cbec_failure;

typedef int (*dts_recon_cbec_cb)(const dts_recon_cbec_failure *f, void *payload);

/**
 * Run every check over the inventories in the order added (which is the
 * order a buyer's annual total accumulates in; an inventory over the
 * single limit is refused and does not count towards the year) and call
 * `cb` (may be NULL) for each failing one. Joins: inventory -> order on
 * orderNo + ebpCode; order -> payment on the order's payTransactionId,
 * else the payment's orderNo + ebpCode; inventory -> waybill on
 * logisticsNo. Limits apply to retail imports only (ieFlag I or empty,
 * tradeMode 9610, 1210 or 1239). Strings in a failure live until the
 * callback returns. Once only. Returns 0, the callback's non-zero value,
 * DTS_EINVAL (called twice), DTS_ENOMEM.
 */
DTS_API int dts_recon_cbec_run(dts_recon_cbec *c, dts_recon_cbec_cb cb,
			       void *payload);

/** What dts_recon_cbec_run() found. */
typedef struct dts_recon_cbec_summary {
	uint64_t inventories;                          /**< checked */
	uint64_t failed;                               /**< inventories failing any check */
	uint64_t check_failed[DTS_RECON_CBEC_NCHECKS]; /**< inventories failing each check */
	dts_amount check_value[DTS_RECON_CBEC_NCHECKS];/**< their values, exact */
} dts_recon_cbec_summary;

/** The summary (complete after dts_recon_cbec_run()). Returns 0. */
DTS_API int dts_recon_cbec_summary_get(dts_recon_cbec_summary *out,
				       const dts_recon_cbec *c);

/**
 * The summary as a table: one row per check (dts_recon_cbec_check_name
 * order) with the inventories that failed it and their value. *out is the
 * caller's. Errors: DTS_EINVAL, DTS_ENOMEM.
 */
DTS_API int dts_recon_cbec_summary_table(dts_table **out,
					 const dts_recon_cbec *c);

/**
 * An empty table of failures: inventory, orderNo (dimensions), line,
 * value, reasons (text). Fill it by passing dts_recon_cbec_failure_row as
 * the callback of dts_recon_cbec_run() with the table as payload.
 * *out is the caller's. DTS_ENOMEM.
 */
DTS_API int dts_recon_cbec_failures_new(dts_table **out);

/**
 * Append failure `f` to `table` (a dts_table * from
 * dts_recon_cbec_failures_new()), the value as dts_recon_money_format().
 * A dts_recon_cbec_cb. Returns 0, DTS_EINVAL, DTS_ENOMEM.
 */
DTS_API int dts_recon_cbec_failure_row(const dts_recon_cbec_failure *f,
				       void *table);

/**
 * The text report of the check after dts_recon_cbec_run(): "inventories:
 * N checked, P passed, F failed", the summary table, and when `failures`
 * (may be NULL; a table from dts_recon_cbec_failures_new()) has rows,
 * "failing inventories:" and that table. Returns 0, DTS_EIO, DTS_ENOMEM,
 * DTS_EINVAL, or the callback's non-zero value.
 */
DTS_API int dts_recon_cbec_write_text(const dts_recon_cbec *c,
				      const dts_table *failures, FILE *f);
DTS_API int dts_recon_cbec_write_text_cb(const dts_recon_cbec *c,
					 const dts_table *failures,
					 dts_write_cb cb, void *payload);

#ifdef __cplusplus
}
#endif
#endif
