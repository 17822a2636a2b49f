/*
 * table.h — writing the library's tables (dts/table.h) to a tool's output
 * path: tool_write_table, tool_write_xlsx.
 *
 * Below them, a compatibility layer for tools not yet converted: the old
 * `tbl` struct and out_* functions, written by copying into a dts_table.
 * New code uses dts_table; this part goes once nothing uses it.
 */
#ifndef DTS_TOOL_TABLE_H
#define DTS_TOOL_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "dts.h"

/* Write t in `format` (text csv sdmx-csv sdmx-ml xlsx) to path (NULL or
 * "-" = stdout; xlsx needs a path), all or nothing (tool_out.h). Sets the
 * SDMX-ML Prepared time from $SOURCE_DATE_EPOCH. 0, or -1 with the
 * problem printed. */
int tool_write_table(dts_table *t, const char *format, const char *path);
/* The table t, or else the book b, as an xlsx file at path. 0 or -1. */
int tool_write_xlsx(const dts_table *t, const dts_book *b, const char *path);
/* 0 when XML can carry every cell of t; else "FORMAT output: row R, column
 * C: ..." on stderr and -1. */
int tool_table_check_text(const dts_table *t, const char *format);

/* ---- compatibility: the old tbl ------------------------------------------ */

typedef struct tbl_col {
	char *name;     /* header as shown ("period:year", "指标") */
	char *id;       /* SDMX id (upper case, [A-Z0-9_]) */
	int numeric;    /* right-aligned; a number in xlsx */
} tbl_col;

typedef struct tbl {
	char *title;        /* sheet title / text heading, may be NULL */
	char *dataflow;     /* SDMX dataflow id, e.g. "DTS_CUBE" */
	char *unit;         /* UNIT_MEASURE, e.g. "CNY" */
	int unit_mult;      /* UNIT_MULT (power of ten of the value column) */
	tbl_col *cols;
	size_t ncols, ndims;
	char **cells;       /* nrows * ncols, malloc'd */
	size_t nrows, cap;
	/* xlsx chart: categories are the row labels (dims joined), values
	   the chart_col column of the rows for which chart_row says yes */
	int chart_col;      /* -1: no chart */
	int (*chart_row)(const struct tbl *t, size_t row);
	char *chart_title;
	const char *missing; /* text output: shown for an empty primary measure (default "-") */
} tbl;

/* A table with these columns (names copied; ids derived). */
int tbl_init(tbl *t, const char *const *names, size_t ncols, size_t ndims);
void tbl_free(tbl *t);
/* Append a row of ncols strings (copied). 0 or -1 on out of memory. */
int tbl_add_row(tbl *t, const char *const *cells);
const char *tbl_cell(const tbl *t, size_t row, size_t col);
/* "PERIOD_YEAR" from "period:year": upper-cased, other bytes -> '_'. */
char *tbl_sdmx_id(const char *name);

/* 0 when every header and cell is text XML can carry (dts_text_check);
 * else -1 with a message naming the row and column, for `format`. The XML
 * writers (sdmx-ml, xlsx) refuse such a table rather than drop characters. */
int tbl_check_text(const tbl *t, const char *format);

/* Writers: 0, or -1 with a message printed (tool_warn). */
int out_text(const tbl *t, FILE *f);
int out_csv(const tbl *t, FILE *f);
int out_sdmx_csv(const tbl *t, FILE *f);
int out_sdmx_ml(const tbl *t, FILE *f);
int out_xlsx(const tbl *t, const char *path);  /* needs a file name */

/* A workbook of several tables and native charts (dts-report -f xlsx).
 * Ranges are worksheet cells, 0-based: row 0 is a table's header row and
 * data row r is worksheet row r + 1. */
typedef struct tbl_range {
	size_t sheet;                  /* index into tbl_book.sheets */
	unsigned row0, col0, row1, col1;
} tbl_range;

typedef struct tbl_series {
	const char *name;
	tbl_range values;
	int outline;    /* drawn as an unfilled frame (a target) */
} tbl_series;

typedef struct tbl_chart {
	char *title;                   /* malloc'd */
	const char *y_title;
	int stacked;                   /* stacked columns, else overlapping */
	tbl_range categories;
	tbl_series series[8];
	size_t nseries;
} tbl_chart;

typedef struct tbl_book {
	const tbl *sheets[8];
	const char *names[8];          /* sheet names, ASCII, no quotes */
	size_t nsheets;
	const tbl_chart *charts;
	size_t ncharts;
	const char *chart_sheet;       /* sheet for the charts, placed second */
} tbl_book;

int out_xlsx_book(const tbl_book *b, const char *path);

/* Write the table in `format` (text csv sdmx-csv sdmx-ml xlsx) to path
 * (NULL or "-" = stdout; xlsx needs a path). -1 on an unknown format. */
int out_table(const tbl *t, const char *format, const char *path);
/* 1 when out_table knows the format. */
int out_format_known(const char *format);

#endif
