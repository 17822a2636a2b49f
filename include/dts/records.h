/*
 * dts/records.h — writers of classified records: the input's columns with
 * the result columns (CSV or JSON lines), the rejects file, and the
 * summary of a batch.
 *
 * Each writer writes to a FILE * or through a dts_write_cb (dts/common.h).
 * A batch (dts/batch.h) feeds them in input order and lets them format in
 * its worker threads; a program may also give them rows one at a time.
 *
 * Formats, exactly:
 *   DTS_RECORDS_CSV      header: the input columns, then dts_category,
 *                        dts_rule, dts_base, dts_ordered, dts_delivered,
 *                        dts_platform (and dts_reason with
 *                        DTS_RECORDS_EXPLAIN, then dts_review with
 *                        DTS_RECORDS_REVIEW); rows: the values (quoted as
 *                        RFC 4180 needs, missing ones empty), then the
 *                        category code, rule id, "goods"/"services"/"",
 *                        0 or 1 three times (and the reason).
 *   DTS_RECORDS_JSONL    one JSON object a line, no header: every input
 *                        column by name, then the same result keys (the
 *                        three flags as numbers 0 or 1).
 *   DTS_RECORDS_REJECTS  header "line,reason,raw"; rows: the line, the
 *                        reason, and the record as written with NUL and
 *                        bytes that are not UTF-8 as \xHH (so the file is
 *                        UTF-8), each CSV-quoted as needed.
 * Every line ends with LF.
 */
#ifndef DTS_RECORDS_H
#define DTS_RECORDS_H

#include <stdio.h>

#include "common.h"
#include "batch.h"
#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_records dts_records;

/** What a writer writes. */
typedef enum dts_records_format {
	DTS_RECORDS_CSV = 0,  /**< classified rows as CSV with result columns */
	DTS_RECORDS_JSONL,    /**< classified rows as JSON lines */
	DTS_RECORDS_REJECTS   /**< rejected rows: line,reason,raw */
} dts_records_format;

/** Writer flag: add the dts_reason column (items from a DTS_BATCH_EXPLAIN batch). */
#define DTS_RECORDS_EXPLAIN 0x1u
/** Writer flag: a CSV or rejects writer starts its header with a UTF-8
 * byte order mark (EF BB BF), so Excel reads the Chinese right. */
#define DTS_RECORDS_BOM 0x2u
/**
 * Writer flag: add the dts_review column (after dts_reason): why the
 * result is to be checked by hand, dts_rules_rule_review() of its rule
 * ("code-only", "enterprise-code", "no-leaf", "no-evidence", ...), empty
 * when the result is confident. Needs dts_records_set_rules().
 */
#define DTS_RECORDS_REVIEW 0x4u
/**
 * Writer flag: write only the classified rows whose result needs review
 * (any other row is skipped), and count them by reason for
 * dts_records_summary_review_file(). Rows are counted by
 * dts_records_write() only. Needs dts_records_set_rules().
 */
#define DTS_RECORDS_REVIEW_ONLY 0x8u

/**
 * A writer of `format` to the stream `f` (not closed by the writer; the
 * caller checks and closes it). `header` names the `ncols` input columns
 * (dts_source_header), copied: rows are written with exactly these
 * columns. header may be NULL for DTS_RECORDS_REJECTS. Nothing is written
 * until dts_records_write_header() or a row. Errors: DTS_EINVAL,
 * DTS_ENOMEM. Thread-safe; a writer is used by one thread at a time
 * (a batch makes its workers only read it).
 */
DTS_API int dts_records_new_file(dts_records **out, dts_records_format format,
				 unsigned flags, const char *const *header,
				 size_t ncols, FILE *f);

/** Like dts_records_new_file(), writing through `cb` with `payload`. */
DTS_API int dts_records_new_cb(dts_records **out, dts_records_format format,
			       unsigned flags, const char *const *header,
			       size_t ncols, dts_write_cb cb, void *payload);

/**
 * The rule set the written results come from (not copied: it must outlive
 * the writer), for DTS_RECORDS_REVIEW and DTS_RECORDS_REVIEW_ONLY. Call
 * before the first row. Returns 0; DTS_EINVAL when writer or rules is
 * NULL. Not thread-safe with writes on the same writer.
 */
DTS_API int dts_records_set_rules(dts_records *writer, const dts_rules *rules);

/** Free the writer (not its stream). NULL is a no-op. */
DTS_API void dts_records_free(dts_records *writer);

/**
 * Write the header line: the columns for CSV, "line,reason,raw" for
 * rejects, nothing for JSON lines. Returns 0; DTS_EIO when the stream
 * fails (a short fwrite); the callback's non-zero value; DTS_ENOMEM.
 */
DTS_API int dts_records_write_header(dts_records *writer);

/**
 * Write one row: a classified item to a CSV or JSONL writer, a rejected
 * one to a rejects writer; any other item is skipped (returns 0). One
 * call of the callback (or one fwrite) per row. Errors as above.
 */
DTS_API int dts_records_write(dts_records *writer, const dts_batch_item *item);

/**
 * The summary of a run as one JSON line:
 *   {"classifier":ID,"classifier_version":V,"records_in":N,
 *    "records_out":N,"rejected":N,"stopped_at_first_reject":BOOL,
 *    "by_category":{"CBEC":N,"TECH":N,"SERV":N,"PROD":N,"DATA":N,"NONE":N}}
 * with ID and V from `rules` and the counts (and stopped) from `stats`.
 * Returns 0 or DTS_EIO. Thread-safe on distinct streams.
 */
DTS_API int dts_records_summary_file(FILE *f, const dts_rules *rules,
				     const dts_batch_stats *stats);

/** Like dts_records_summary_file(), in one call of `cb`; returns its value
 *  when not 0, or DTS_ENOMEM. */
DTS_API int dts_records_summary_cb(dts_write_cb cb, void *payload,
				   const dts_rules *rules,
				   const dts_batch_stats *stats);

/**
 * Like dts_records_summary_file(), with what the input was, after
 * "by_category": ,"encoding":E,"profile":P,"binding":B — E is
 * dts_source_encoding(), P dts_source_profile() ("canonical", "survey"
 * ...), B dts_binding_json() of its binding — for `src`, the input (the
 * first, when several with the same columns were read). src NULL writes
 * what dts_records_summary_file() writes. Returns 0, DTS_EIO, DTS_ENOMEM
 * or DTS_EINVAL (NULL f, rules or stats).
 */
DTS_API int dts_records_summary_source_file(FILE *f, const dts_rules *rules,
					    const dts_batch_stats *stats,
					    const dts_source *src);

/**
 * Like dts_records_summary_source_file(), with the rows `review` (a
 * DTS_RECORDS_REVIEW_ONLY writer) wrote, after "binding" (or
 * "by_category" when src is NULL):
 *   ,"review":{"total":N,"by_reason":{REASON:N,...}}
 * reasons in byte order. review NULL writes what
 * dts_records_summary_source_file() writes. Errors as there.
 */
DTS_API int dts_records_summary_review_file(FILE *f, const dts_rules *rules,
					    const dts_batch_stats *stats,
					    const dts_source *src,
					    const dts_records *review);

#ifdef __cplusplus
}
#endif
#endif
