/*
 * records_int.h — what a batch (lib/scan/batch.c) needs of the record
 * writers (lib/write/records.c): format in a worker, emit in order.
 */
#ifndef DTS_RECORDS_INT_H
#define DTS_RECORDS_INT_H

#include "buf.h"
#include "internal.h"
#include "dts/records.h"

/* Append item's line to `out` when the writer takes such items (a
 * classified one for CSV/JSONL, a rejected one for rejects). Reads the
 * writer only: safe from many threads at once. */
void dts__records_format(const dts_records *w, dts__buf *out,
			 const dts_batch_item *item);

/* A thread's memo of formatted result columns (records.c): 2^BITS slots. */
#define DTS__RECORDS_MEMO_BITS 8
#define DTS__RECORDS_MEMO_ARENA ((size_t)1 << 20) /* then start again */

typedef struct dts__records_memo_slot {
	const char *category, *rule, *review;  /* the rule set's strings */
	int base;
	unsigned bits;       /* 1 | ordered, delivered, platform, deliverable; 0: empty */
	size_t off, len;     /* the formatted bytes in the arena */
} dts__records_memo_slot;

typedef struct dts__records_memo {
	dts__records_memo_slot slot[1u << DTS__RECORDS_MEMO_BITS];
	dts__buf arena;
	int ready, format, nocols;   /* what the bytes were made for */
	unsigned flags;
} dts__records_memo;

/* As dts__records_format, the same bytes, faster: a row whose values lie
 * back to back in memory (a batch block) and need no quoting is copied
 * once, and the result columns come from the memo m (one per thread,
 * zeroed before first use). Rejects and JSON values take the usual path. */
void dts__records_format_memo(const dts_records *w, dts__records_memo *m, dts__buf *out,
			      const dts_batch_item *item);

void dts__records_memo_free(dts__records_memo *m);

/* Send formatted bytes to the writer's stream or callback. */
int dts__records_emit(dts_records *w, const void *data, size_t len);

#endif
