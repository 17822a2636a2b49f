/*
 * dts/batch.h — ordered batch classification with worker threads.
 *
 * A batch classifies every row of a record source (dts/source.h) with the
 * shared reject policy (dts_source_classify) on N threads, and hands the
 * results back in input order: to a callback, called in the caller's
 * thread for each row, and to classified-record writers (dts/records.h),
 * which format in the worker threads. The output is the same bytes for
 * any number of threads (zstd's ZSTD_c_nbWorkers is the model: the
 * library owns the threads).
 *
 *   dts_batch_options o = DTS_BATCH_OPTIONS_INIT;
 *   dts_batch *b;
 *   o.threads = 4;
 *   if (dts_batch_new(&b, rules, &o) < 0) ...
 *   rc = dts_batch_run(b, src, writer, rejects, on_item, payload);
 *   dts_batch_free(b);
 *
 * Rows travel in blocks: the caller's thread reads a block, the workers
 * (each with its own scanner) classify and format it, the caller's thread
 * delivers blocks in input order, and classifies blocks itself while it
 * has nothing to read or deliver.
 */
#ifndef DTS_BATCH_H
#define DTS_BATCH_H

#include "common.h"
#include "category.h"
#include "rules.h"
#include "scanner.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_batch dts_batch;
typedef struct dts_records dts_records; /* dts/records.h */

/** The most threads a batch takes. */
#define DTS_BATCH_MAX_THREADS 256

/** dts_batch_options.flags: say why each record got its category
 *  (dts_batch_item.explain; classifies twice, the second time slowly). */
#define DTS_BATCH_EXPLAIN 0x1u
/** Format every output row on the record writers' general path, the
 *  reference for the fast one (which copies a row needing no quoting as it
 *  lies in the batch and keeps the formatted result columns per result):
 *  the same bytes, slower; for differential tests (--reference-path). */
#define DTS_BATCH_REFERENCE 0x2u

#define DTS_BATCH_OPTIONS_VERSION 1

/** Batch options. Start from DTS_BATCH_OPTIONS_INIT. */
typedef struct dts_batch_options {
	unsigned int version; /**< DTS_BATCH_OPTIONS_VERSION */
	int threads;          /**< threads that classify, the caller's included:
				   0 or 1 = the caller's thread only; at most
				   DTS_BATCH_MAX_THREADS */
	unsigned int flags;   /**< DTS_BATCH_EXPLAIN */
	size_t block_rows;    /**< rows per block, 0 = 4096; tiny values for tests */
} dts_batch_options;

#define DTS_BATCH_OPTIONS_INIT { DTS_BATCH_OPTIONS_VERSION, 1, 0, 0 }

/**
 * One row's outcome. Everything it points to belongs to the batch and is
 * valid during the callback only.
 */
typedef struct dts_batch_item {
	uint64_t line;              /**< 1-based line where the record starts */
	uint64_t offset;            /**< input bytes read so far (progress), 0 when unknown */
	const char *const *cols;    /**< the row's values; NULL for a row the reader rejected */
	const size_t *lens;
	size_t ncols;
	const dts_result *result;   /**< the classification; NULL when rejected */
	int top;                    /**< classified: index of the result's top category
					 for dts_category_top(); -1 when rejected */
	const char *explain;        /**< with DTS_BATCH_EXPLAIN: the leaves that decided
					 ("" when no rule matched); else NULL */
	const char *reason;         /**< rejected: why; NULL when classified */
	const char *raw;            /**< rejected: the record as written (the reader's
					 bytes, or the values joined with the source's
					 separator); NULL when classified */
	size_t raw_len;
	const dts_evidence *evidence; /**< classified: the record's dimensions, the
					 combining step and the final review reason
					 (dts_scanner_evidence); NULL when rejected */
} dts_batch_item;

/**
 * Called for every row in input order, in the thread that called
 * dts_batch_run(). Return 0 to go on; any other value stops the run,
 * which returns it unchanged (use DTS_EUSER or below): the writers get
 * the rows up to and including this one, nothing after it.
 */
typedef int (*dts_batch_cb)(const dts_batch_item *item, void *payload);

/** Number of top categories counted by dts_batch_stats. */

/** Counts over every run of a batch since dts_batch_new(). */
typedef struct dts_batch_stats {
	uint64_t records_in;              /**< rows delivered: out + rejected */
	uint64_t records_out;             /**< classified */
	uint64_t rejected;                /**< rejected by the reader or the policy */
	uint64_t by_top[DTS_CATEGORY_TOPS];  /**< classified, by top category (dts_category_top(i)) */
	uint64_t bytes;                   /**< input bytes read by the last run, as far as known */
	int stopped;                      /**< 1 when a callback stopped the last run */
} dts_batch_stats;


/**
 * Create a batch for `rules` (which must outlive it) and start its worker
 * threads (opts->threads - 1 of them), each with its own scanner. opts may
 * be NULL (one thread). Errors: DTS_EINVAL (bad options, threads out of
 * range), DTS_ENOMEM, DTS_ERROR (a thread could not be started).
 * The workers block every signal: process signals reach the caller's
 * threads, where the program's handlers expect to run.
 * Thread-safe; the batch is then used by one thread at a time.
 */
DTS_API int dts_batch_new(dts_batch **out, const dts_rules *rules,
			  const dts_batch_options *opts);

/** Stop the workers and free the batch. NULL is a no-op. */
DTS_API void dts_batch_free(dts_batch *batch);

/**
 * Classify every remaining row of `src` and deliver the results in input
 * order: to `writer` (classified rows; a writer of classified records,
 * dts/records.h), to `rejects` (rejected rows; a DTS_RECORDS_REJECTS
 * writer), and to `cb` with `payload` — each may be NULL. The writers
 * format in the worker threads; their bytes for a block reach their FILE
 * or callback after the callbacks for that block's rows. Call it once per
 * source, as often as you like on one batch (writers and counts go on).
 *
 * Returns 0 when the source is read to its end; the callback's non-zero
 * value when it stopped the run; a writer's error (DTS_EIO, or its
 * callback's value); the source's read error (DTS_EIO, DTS_ENOMEM), after
 * every row before it was delivered; DTS_ENOMEM. When it returns, no
 * thread uses `src` or the writers any more. The per-thread error
 * (dts_error_last) describes a library error in the calling thread.
 */
DTS_API int dts_batch_run(dts_batch *batch, dts_source *src,
			  dts_records *writer, dts_records *rejects,
			  dts_batch_cb cb, void *payload);

/** The counts so far (see dts_batch_stats). */
DTS_API void dts_batch_stats_get(dts_batch_stats *out, const dts_batch *batch);

#ifdef __cplusplus
}
#endif
#endif
