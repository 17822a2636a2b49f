/*
 * dts/diff.h — two versions of a classifier over the same records: which
 * records, and how much value, move from one category to another. This is
 * how a bureau tries a new version of its standard on last year's data
 * before adopting it (`dts-rules diff`).
 *
 *   dts_diff *d;  dts_diff_stats st;
 *   if (dts_diff_new(&d, old_rules, new_rules, DTS_SCAN_VALID_UTF8) < 0) ...
 *   for each input: dts_source_open(&src, path, NULL);
 *                   dts_diff_source(d, src, on_record, ctx);   // moved and rejected records
 *                   dts_source_free(src);
 *   dts_diff_stats_get(&st, d);                // records, rejected, moved, value moved
 *   dts_diff_moves(d, on_move, ctx);           // old category -> new category: records, value
 *   dts_diff_totals(d, on_total, ctx);         // each category under both versions
 *   dts_diff_free(d);
 *
 * Every record read is counted once: records = rejected + counted, and
 * each counted record sits in exactly one (old category, new category)
 * cell. A record is rejected by the one reject policy of
 * dts_source_classify() (a malformed value, invalid UTF-8, a regex at its
 * match limit under either version) or by the reader. Values are summed
 * exactly in the records' own amounts (dts_amount: 128 bits), whatever
 * their currency: a diff compares versions, it does not convert.
 *
 * Name: dts_diff_ has its own header because it sits above the scanner
 * and the record source in the data path; dts/rules.h, which the scanner
 * includes, stays about one rule set.
 *
 * Callbacks return 0 to go on; any other value stops the call, which
 * returns it unchanged (use DTS_EUSER or below, see dts/common.h).
 *
 * Threads: a diff holds two scanners, so the calls that add rows
 * (dts_diff_row, dts_diff_source) are made by one thread at a time; the
 * read-only calls (stats, moves, totals) may run in several threads at
 * once while no row is being added. Every string a callback or a result
 * struct points to is owned by the rules or the diff.
 */
#ifndef DTS_DIFF_H
#define DTS_DIFF_H

#include <stdio.h>

#include "common.h"
#include "amount.h"
#include "money.h"
#include "rules.h"
#include "scanner.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_diff dts_diff;

/**
 * Start a diff of `old_rules` against `new_rules`; both must outlive the
 * diff, which only reads them (other threads may use them meanwhile).
 * `flags` are the DTS_SCAN_* flags of its two scanners: give
 * DTS_SCAN_VALID_UTF8 only when every row comes from a dts_source (whose
 * readers validate UTF-8). Errors: DTS_EINVAL (NULL rules), DTS_ENOMEM.
 * *out is NULL on error. Thread-safe; a diff is used by one thread at a
 * time.
 */
DTS_API int dts_diff_new(dts_diff **out, const dts_rules *old_rules,
			 const dts_rules *new_rules, unsigned flags);

/** Free a diff. NULL is a no-op. */
DTS_API void dts_diff_free(dts_diff *diff);

/** What a dts_diff_record reports. */
typedef enum dts_diff_event {
	DTS_DIFF_MOVED = 1,   /**< counted, and the two versions disagree */
	DTS_DIFF_REJECTED = 2 /**< not counted: rejected by the reader or the reject policy */
} dts_diff_event;

/**
 * One record worth reporting. Everything it points to is valid during the
 * callback only.
 */
typedef struct dts_diff_record {
	dts_diff_event event;
	const char *input;             /**< the input's name, as given */
	uint64_t line;                 /**< 1-based line where the record starts */
	const dts_result *old_result;  /**< MOVED: under the old rules; else NULL */
	const dts_result *new_result;  /**< MOVED: under the new rules; else NULL */
	const char *value;             /**< MOVED: the value field as written ("" none) */
	size_t value_len;
	dts_money amount;              /**< MOVED: the value parsed, 0 when none */
	const char *error;             /**< REJECTED: the reason */
	const char *raw;               /**< REJECTED by the reader: the record as written;
					    else NULL */
	size_t raw_len;
} dts_diff_record;

typedef int (*dts_diff_record_cb)(const dts_diff_record *record, void *payload);

/**
 * Classify one row bound by `binding` (cols[i], lens[i] bytes, is column
 * i; see dts_source_classify) with both versions and count it. `input`
 * and `line` (may be NULL and 0) only name the row in what cb gets. cb
 * (may be NULL) is called when the row moves or is rejected.
 *
 * Returns 0 when the row was counted or rejected; cb's non-zero value
 * (the row stays counted); DTS_EOVERFLOW when a sum would leave the exact
 * range (the row is not counted); DTS_ENOMEM; DTS_EINVAL (NULL diff or
 * binding).
 */
DTS_API int dts_diff_row(dts_diff *diff, const dts_binding *binding,
			 const char *const *cols, const size_t *lens,
			 size_t ncols, const char *input, uint64_t line,
			 dts_diff_record_cb cb, void *payload);

/** The header line of the details CSV (dts_diff_write_record()), with its LF. */
#define DTS_DIFF_DETAILS_HEADER \
	"file,line,old_category,old_rule,new_category,new_rule,value\n"

/**
 * Write a moved record as one row of the details CSV (the columns of
 * DTS_DIFF_DETAILS_HEADER; file, rules and value quoted as RFC 4180 needs,
 * the value as written) to `f`; nothing for a rejected record. For use
 * inside a dts_diff_record_cb. Errors: DTS_EIO (the write failed; the
 * message is the system's reason), DTS_ENOMEM, DTS_EINVAL (NULL argument).
 * Thread-safe on distinct streams.
 */
DTS_API int dts_diff_write_record(FILE *f, const dts_diff_record *record);

/**
 * Like dts_diff_write_record(), handing the row to `cb` in one piece. A
 * non-zero return from cb is returned unchanged.
 */
DTS_API int dts_diff_write_record_cb(dts_write_cb cb, void *payload,
				     const dts_diff_record *record);

/**
 * Read every remaining row of `src` (dts/source.h) into the diff, as
 * dts_diff_row() does; rows the reader rejects are counted as rejected
 * and reported to cb with their raw bytes. Returns 0 at the end of the
 * input; the source's DTS_EIO or DTS_ENOMEM (the source is then unusable);
 * DTS_EOVERFLOW; or cb's non-zero value (reading can go on with another
 * call).
 */
DTS_API int dts_diff_source(dts_diff *diff, dts_source *src,
			    dts_diff_record_cb cb, void *payload);

/** The diff's counts so far. */
typedef struct dts_diff_stats {
	uint64_t records;       /**< rows given, rejected ones included */
	uint64_t rejected;      /**< rows not counted */
	uint64_t moved;         /**< counted rows whose category code differs */
	dts_amount moved_value; /**< exact sum of the moved rows' values */
} dts_diff_stats;

/** Fill *out with the counts so far. Never fails; thread-safe as above. */
DTS_API void dts_diff_stats_get(dts_diff_stats *out, const dts_diff *diff);

/** Records and value that go from one category to another. */
typedef struct dts_diff_cell {
	const char *old_category; /**< code under the old rules (owned by them) */
	const char *new_category; /**< code under the new rules (owned by them) */
	uint64_t records;
	dts_amount value;         /**< exact sum of their values */
} dts_diff_cell;

typedef int (*dts_diff_cell_cb)(const dts_diff_cell *cell, void *payload);

/**
 * Call cb for every pair of categories with different codes between
 * which at least one record moved: by old category in the old rules'
 * order, then by new category in the new rules' order. Returns 0, cb's
 * non-zero value, or DTS_EINVAL (NULL argument).
 */
DTS_API int dts_diff_moves(const dts_diff *diff, dts_diff_cell_cb cb,
			   void *payload);

/** One category's records and value under each version. */
typedef struct dts_diff_total {
	const char *category;    /**< code (owned by the rules) */
	uint64_t old_records, new_records;
	dts_amount old_value, new_value;
} dts_diff_total;

typedef int (*dts_diff_total_cb)(const dts_diff_total *total, void *payload);

/**
 * Call cb for every category that holds a record under either version:
 * the old rules' categories in their order, then those only the new rules
 * have, in theirs. Returns 0, cb's non-zero value, DTS_EOVERFLOW (a total
 * beyond the exact range), or DTS_EINVAL (NULL argument).
 */
DTS_API int dts_diff_totals(const dts_diff *diff, dts_diff_total_cb cb,
			    void *payload);

/**
 * Write the diff as the text report of `dts-rules diff` to `f`: a line
 * "LABEL: N records, R rejected, M change category, value moved V" (the
 * "LABEL: " only when `label` is not NULL); when records moved, a blank
 * line and the moves (dts_diff_moves()) as aligned columns old category,
 * new category, records, value; then a blank line and every category's
 * totals (dts_diff_totals()): category, old and new records, old and new
 * value. Values have 2 decimals, in the records' own amounts. Lines are
 * written one at a time, so a failure leaves the lines before it.
 *
 * Returns 0; DTS_EIO (a write failed: the system's reason); DTS_EOVERFLOW
 * (a category total beyond the exact range, after the lines before it);
 * DTS_ENOMEM; DTS_EINVAL (NULL argument). Only reads the diff: the
 * thread rules of the read-only calls above; distinct streams.
 */
DTS_API int dts_diff_write_text(const dts_diff *diff, const char *label, FILE *f);

/**
 * Like dts_diff_write_text(), handing each line to `cb`; a non-zero
 * return from cb stops the report and is returned unchanged.
 */
DTS_API int dts_diff_write_text_cb(const dts_diff *diff, const char *label,
				   dts_write_cb cb, void *payload);

#ifdef __cplusplus
}
#endif
#endif
