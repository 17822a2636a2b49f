/*
 * batch_int.h — the batch's blocks and threads (batch.c) for work other
 * than classification: dts_agg on N threads (lib/stats/aggregate.c).
 *
 * The caller's thread reads blocks of rows from the source, the workers
 * (and the caller's thread when it has nothing else to do) run `row` on
 * every row the reader accepted, each thread with its own context, and
 * the caller's thread delivers every row in input order to `deliver`.
 */
#ifndef DTS_BATCH_INT_H
#define DTS_BATCH_INT_H

#include "buf.h"
#include "dts/batch.h"

/* Results of dts__batch_work.row besides 0 (counted) and DTS_EINPUT. */
typedef struct dts__batch_work {
	/* In a worker thread, for each row the reader accepted (row->raw is
	 * NULL): 0 when the row is counted, DTS_EINPUT when it is rejected
	 * with the reason in *why (NUL-terminated); any other negative value
	 * stops the run at this row with that error (dts_error_last() of the
	 * worker, raised again in the caller's thread once the rows before
	 * it are delivered). *flags (0 on entry) is given to deliver. ctx is
	 * ctx[i] of the thread running it (0: the caller's). */
	int (*row)(void *ctx, const dts_source_row *row, dts__buf *why,
		   unsigned *flags);
	void *const *ctx;
	/* In the caller's thread, for every row in input order: it->reason
	 * set when rejected (it->raw the reader's bytes for a row the reader
	 * refused, else NULL), else counted; flags as row set them; no values
	 * (it->cols NULL, it->ncols 0: row had them). Non-zero stops the run
	 * and is returned. */
	int (*deliver)(const dts_batch_item *it, unsigned flags, void *payload);
} dts__batch_work;

/* A batch of `threads` threads (1..DTS_BATCH_MAX_THREADS) with no
 * classifier, for dts__batch_run_work(); block_rows 0 = the work
 * default (1024, smaller than a classifying batch's: batch.c).
 * Errors as dts_batch_new(). Free with dts_batch_free(). */
int dts__batch_new_work(dts_batch **out, int threads, size_t block_rows);

/* Run `w` over every remaining row of `src` (w->ctx has one context per
 * thread of the batch). Returns 0 at the end of the source, deliver's
 * non-zero value, a row's error, the source's read error, DTS_ENOMEM.
 * When it returns no thread uses src or the contexts. */
int dts__batch_run_work(dts_batch *B, dts_source *src, const dts__batch_work *w,
			void *payload);

/* Threads of the batch (the caller's included). */
int dts__batch_threads(const dts_batch *B);

#endif
