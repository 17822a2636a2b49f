/*
 * write_int.h — the table the writers share and the sink they write
 * through (lib/write). Never installed.
 */
#ifndef DTS_WRITE_INT_H
#define DTS_WRITE_INT_H

#include <stdio.h>

#include "buf.h"
#include "dts/table.h"

/* A code of a dimension for the SDMX structure (dts_table_add_code). */
typedef struct dts__code {
	char *code, *zh, *en;
} dts__code;

typedef struct dts__col {
	char *name;   /* header as shown ("period:year", "指标") */
	char *id;     /* SDMX id */
	int numeric;
	char *zh, *en;          /* concept names (dts_table_set_concept) */
	dts__code *codes;       /* registered codes, in order */
	size_t ncodes, codes_cap;
} dts__col;

/* A row's own UNIT_MEASURE and UNIT_MULT (dts_table_set_row_unit). */
typedef struct dts__row_unit {
	char *unit;
	int mult, set;
} dts__row_unit;

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
	/* SDMX and Excel metadata (after the fields xlsx.c reads) */
	int status;             /* dts_status of every value, 0 unset */
	int time_col;           /* dimension written as TIME_PERIOD, -1 none */
	int bom;                /* CSV writers start with a UTF-8 BOM */
	dts__row_unit *row_units;   /* per row, NULL until one is set */
	size_t row_units_cap;
};

static inline const char *dts__row_unit_of(const dts_table *t, size_t r)
{
	return t->row_units && r < t->row_units_cap && t->row_units[r].set ?
	       t->row_units[r].unit : t->unit;
}

static inline int dts__row_mult_of(const dts_table *t, size_t r)
{
	return t->row_units && r < t->row_units_cap && t->row_units[r].set ?
	       t->row_units[r].mult : t->unit_mult;
}

/* SDMX (sdmx_ml.c): a valid SDMX IDType code for a dimension value ("" is
 * "_Z"; a byte outside A-Z a-z 0-9 _ @ $ - is '_'), into buf (n bytes);
 * the value itself when the column has no registered codes. */
const char *dts__sdmx_code(const dts_table *t, size_t col, const char *v,
			   char *buf, size_t n);
/* FREQ of a TIME_PERIOD value: "A" 2025, "S" 2025-S1, "Q" 2025-Q1, "M"
 * 2025-03, "D" 2025-03-01; "_Z" otherwise. */
const char *dts__sdmx_freq(const char *period);
/* TIME_PERIOD of a time cell: a year's not-allocated cell "2025-NA" as
   the year's time range "2025-01-01/P1Y" (into buf), anything else as is. */
const char *dts__sdmx_time(const char *period, char *buf, size_t size);
/* The OBS_STATUS of row r: "M" when the primary measure is empty, the
 * table's status code, or NULL. */
const char *dts__sdmx_obs_status(const dts_table *t, size_t r);

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
