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

/* Send formatted bytes to the writer's stream or callback. */
int dts__records_emit(dts_records *w, const void *data, size_t len);

#endif
