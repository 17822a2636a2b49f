/*
 * csv_int.h — what the CSV reader (read/csv.c) offers the record source
 * (read/source.c) beyond dts/csv.h. Never installed.
 */
#ifndef DTS_CSV_INT_H
#define DTS_CSV_INT_H

#include "dts/csv.h"

/*
 * From the next record on, a record read on the fast path hands its fields
 * on as views of the reader's buffer, each NUL-terminated in place (its
 * separator, or the record's line end, overwritten): no copy. The fields
 * stay valid until the next dts_csv_next(), as always, but `raw` of such an
 * accepted record then shows NULs where its separators were; a rejected
 * record's raw is as written. For a caller that reads raw of rejected
 * records only (dts_source_next without a profile's plan).
 */
void dts__csv_in_place(dts_csv *r);

#endif
