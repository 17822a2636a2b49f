/*
 * write_int.h — the table the writers share and the sink they write
 * through (lib/write). Never installed.
 */
#ifndef DTS_WRITE_INT_H
#define DTS_WRITE_INT_H

#include <stdio.h>

#include "buf.h"
#include "dts/table.h"

typedef struct dts__col {
	char *name;   /* header as shown ("period:year", "指标") */
	char *id;     /* SDMX id */
	int numeric;
} dts__col;

struct dts_table {
	char *title, *dataflow, *unit, *missing, *chart_title;
	int unit_mult;
	int chart_col;          /* -1: no chart */
	int has_prepared;
	int64_t prepared;
	dts__col *cols;
	size_t ncols, ndims;
	char **cells;           /* nrows * ncols */
	size_t nrows, cap;
};

static inline const char *dts__cell(const dts_table *t, size_t r, size_t c)
{
	return t->cells[r * t->ncols + c];
}

/*
 * Output in pieces: bytes gather in `b` and go to cb when 64 KiB have
 * gathered and at the end. rc keeps the first non-zero return of cb (or
 * DTS_ENOMEM); once set, nothing more is sent.
 */
typedef struct dts__sink {
	dts_write_cb cb;
	void *payload;
	dts__buf b;
	int rc;
} dts__sink;

void dts__sink_init(dts__sink *s, dts_write_cb cb, void *payload);
/* Send what has gathered. Returns s->rc. */
int dts__sink_flush(dts__sink *s);
/* Flush when enough has gathered. Returns s->rc. */
int dts__sink_maybe_flush(dts__sink *s);
/* Final flush and free; returns the first error (0 when none). */
int dts__sink_done(dts__sink *s);

/* A dts_write_cb writing to the FILE * payload; DTS_EIO on a short write. */
int dts__write_file(const void *data, size_t len, void *payload);

#endif
