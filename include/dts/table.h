/*
 * dts/table.h — tables of text and the writers that publish them: an
 * aligned text table, RFC 4180 CSV, SDMX-CSV 2.0, SDMX-ML 2.1 (generic
 * data) and Excel workbooks (xlsx, with native charts).
 *
 * A dts_table has columns (a header name, an SDMX id derived from it and
 * a numeric flag) and rows of cells, all UTF-8 text as it should appear;
 * "" is a missing value. The first `ndims` columns are dimensions (SDMX
 * dimension ids), the next one is the primary measure (OBS_VALUE in SDMX)
 * and the rest are further measures or attributes. A table also carries a
 * title, an SDMX dataflow id, a unit (UNIT_MEASURE) and its power of ten
 * (UNIT_MULT), and a chart hint for xlsx.
 *
 * Every writer comes in two forms: one writing to a FILE * and one handing
 * the bytes to a dts_write_cb (common.h), so output can go to a socket, a
 * buffer or a PostgreSQL text stream. xlsx is the exception: libxlsxwriter
 * writes files, so the xlsx writers take a path. They exist only when
 * libdts was built with libxlsxwriter (meson option `xlsx`); otherwise they
 * return DTS_ERROR saying so.
 *
 * Threads: a table is not locked. Building one (add, set) needs one thread
 * at a time; once built, any number of threads may write the same table
 * concurrently (the writers only read it).
 */
#ifndef DTS_TABLE_H
#define DTS_TABLE_H

#include <stdio.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_table dts_table;

/** Output formats, for dts_table_write() and dts_table_format_parse(). */
typedef enum dts_table_format {
	DTS_TABLE_TEXT = 1,   /**< aligned columns for a terminal */
	DTS_TABLE_CSV = 2,    /**< RFC 4180, header row, LF line ends */
	DTS_TABLE_SDMX_CSV = 3, /**< SDMX-CSV 2.0 */
	DTS_TABLE_SDMX_ML = 4,  /**< SDMX-ML 2.1 GenericData */
	DTS_TABLE_XLSX = 5,   /**< Excel workbook (needs a path) */
	DTS_TABLE_SDMX_STRUCTURE = 6 /**< SDMX-ML 2.1 structure message */
} dts_table_format;

/**
 * The format named `name`: "text", "csv", "sdmx-csv", "sdmx-ml", "xlsx"
 * or "sdmx-structure". Returns the dts_table_format (positive), or DTS_ENOTFOUND with a
 * message listing the names. Thread-safe.
 */
DTS_API int dts_table_format_parse(const char *name);

/**
 * Create an empty table with `ncols` columns named names[0..ncols-1]
 * (copied), the first `ndims` of them dimensions (ndims <= ncols). Each
 * column's SDMX id is derived from its name (dts_table_sdmx_id()); the
 * columns after the dimensions are numeric (right-aligned in text, numbers
 * in xlsx) until dts_table_set_numeric() says otherwise. No title, no
 * dataflow (written as "DTS_CUBE"), no unit, unit_mult 0, no chart.
 * Errors: DTS_EINVAL (ncols 0, ndims > ncols, a NULL name), DTS_ENOMEM.
 * Free with dts_table_free().
 */
DTS_API int dts_table_new(dts_table **out, const char *const *names,
			  size_t ncols, size_t ndims);

/** Free a table and everything it owns. NULL is a no-op. */
DTS_API void dts_table_free(dts_table *t);

/**
 * Append a row of ncols cells (copied; a NULL cell is ""). All or
 * nothing: on DTS_ENOMEM the table is unchanged.
 */
DTS_API int dts_table_add_row(dts_table *t, const char *const *cells);

/** Number of rows, columns and dimension columns. */
DTS_API size_t dts_table_nrows(const dts_table *t);
DTS_API size_t dts_table_ncols(const dts_table *t);
DTS_API size_t dts_table_ndims(const dts_table *t);

/** The cell at (row, col), owned by the table; NULL when out of range. */
DTS_API const char *dts_table_cell(const dts_table *t, size_t row,
				   size_t col);

/** Column col's header name and SDMX id (owned by the table), NULL when
 * out of range. */
DTS_API const char *dts_table_col_name(const dts_table *t, size_t col);
DTS_API const char *dts_table_col_id(const dts_table *t, size_t col);

/** 1 when column col is numeric, 0 when it is text or out of range. */
DTS_API int dts_table_col_numeric(const dts_table *t, size_t col);

/** Mark column col numeric (1) or text (0). DTS_EINVAL when out of range. */
DTS_API int dts_table_set_numeric(dts_table *t, size_t col, int numeric);

/**
 * Set the title (the text heading and the workbook's title), the SDMX
 * dataflow id (default "DTS_CUBE"), the unit (UNIT_MEASURE, e.g. "CNY")
 * or the text shown by the text writer for an empty primary measure
 * (default "-"). The string is copied; NULL clears it. DTS_ENOMEM leaves
 * the old value.
 */
DTS_API int dts_table_set_title(dts_table *t, const char *title);
DTS_API int dts_table_set_dataflow(dts_table *t, const char *dataflow);
DTS_API int dts_table_set_unit(dts_table *t, const char *unit);
DTS_API int dts_table_set_missing(dts_table *t, const char *missing);

/** The values set above (owned by the table), or NULL when unset. */
DTS_API const char *dts_table_title(const dts_table *t);
DTS_API const char *dts_table_dataflow(const dts_table *t);
DTS_API const char *dts_table_unit(const dts_table *t);

/** UNIT_MULT: the power of ten the values are in (0 yuan, 4 wan, 8 yi). */
DTS_API void dts_table_set_unit_mult(dts_table *t, int unit_mult);
DTS_API int dts_table_unit_mult(const dts_table *t);

/**
 * The time written as SDMX-ML's Prepared, in seconds since 1970 UTC
 * (reproducible output: pass $SOURCE_DATE_EPOCH). Without it the writer
 * uses the current time. The library never reads the environment.
 */
DTS_API void dts_table_set_prepared(dts_table *t, int64_t unix_seconds);

/**
 * Chart hint for dts_table_write_xlsx(): a native column chart of column
 * `col` (its row labels are the dimension cells joined by spaces) on a
 * second sheet "chart", titled `title` (copied; NULL: the column name).
 * col -1 removes the chart. DTS_EINVAL when col is out of range,
 * DTS_ENOMEM.
 */
DTS_API int dts_table_set_chart(dts_table *t, int col, const char *title);

/* ---- SDMX metadata (structure and data messages) ------------------------
 * The SDMX writers publish a table under the data structure definition
 * (DSD) LIBDTS:<dataflow>(1.0) that dts_table_write_sdmx_structure()
 * writes: the dimension columns (one of them may be the time, written as
 * TIME_PERIOD with a FREQ dimension before the others), OBS_VALUE, and
 * the attributes: the further columns, OBS_STATUS, UNIT_MEASURE,
 * UNIT_MULT and CONF_STATUS (declared, not yet written: confidentiality
 * is not computed). Values of a dimension with registered codes
 * (dts_table_add_code) are written as SDMX code ids (dts__sdmx_code:
 * "TECH.CLOUD" becomes "TECH_CLOUD", "" "_Z").
 */

/**
 * The release status of every value (a dts_status, dts/cube.h): the SDMX
 * writers write its OBS_STATUS (dts_status_obs(): P or A; M for a missing
 * value whatever the status) and mark a revised table as replacing the
 * earlier figures (SDMX-ML action Replace, SDMX-CSV ACTION R; otherwise
 * I, information). 0 (the default) writes no OBS_STATUS but M.
 */
DTS_API void dts_table_set_status(dts_table *t, int status);
DTS_API int dts_table_status(const dts_table *t);

/**
 * Dimension column `col` is the time (keys "2025", "2025-Q1", "2025-03",
 * the SDMX reporting-period forms the cube writes): SDMX outputs name it
 * TIME_PERIOD and add FREQ (A, S, Q, M or D, from each value's form).
 * -1 (the default) for none. DTS_EINVAL when col is not a dimension.
 */
DTS_API int dts_table_set_time(dts_table *t, int col);

/**
 * Row `row`'s own UNIT_MEASURE (copied; NULL: none) and UNIT_MULT, for a
 * table whose rows are in different units (the annex: 亿元 is CNY and 8,
 * % is PC and 0). The table-wide unit applies to rows without one.
 * DTS_EINVAL (no such row yet), DTS_ENOMEM.
 */
DTS_API int dts_table_set_row_unit(dts_table *t, size_t row, const char *unit,
				   int unit_mult);

/**
 * The concept of column `col` in the structure message: its Chinese and
 * English names (copied; either may be NULL: the column name is used).
 * DTS_EINVAL when out of range, DTS_ENOMEM.
 */
DTS_API int dts_table_set_concept(dts_table *t, size_t col,
				  const char *name_zh, const char *name_en);

/**
 * Register a code of dimension `col` with its names (copied; NULL: the
 * code): the structure message's code list of that dimension holds every
 * registered code, in the order registered, then any other value of the
 * column; a dimension without registered codes gets a code list of its
 * values when they are all SDMX ids, else free text. A code registered
 * twice keeps its first names. DTS_EINVAL (not a dimension, NULL code),
 * DTS_ENOMEM.
 */
DTS_API int dts_table_add_code(dts_table *t, size_t col, const char *code,
			       const char *name_zh, const char *name_en);

/**
 * Start the CSV and SDMX-CSV outputs with a UTF-8 byte order mark (EF BB
 * BF), which Excel needs to read UTF-8 (else it shows Chinese as
 * mojibake); other readers take it as part of the first header. Off by
 * default. The other writers ignore it.
 */
DTS_API void dts_table_set_bom(dts_table *t, int bom);

/**
 * "PERIOD_YEAR" from "period:year": ASCII letters upper-cased, digits
 * kept, every other byte '_', and an 'X' in front when the name does not
 * start with a letter (SDMX ids start with a letter). *out is malloc'd:
 * the caller frees it. DTS_ENOMEM. Thread-safe.
 */
DTS_API int dts_table_sdmx_id(char **out, const char *name);

/**
 * 0 when every header and cell is text XML 1.0 can carry
 * (dts_text_check(), cube.h); else DTS_EINPUT with a message naming it
 * ("row 3, column shop: U+0001 at byte 2 cannot be written in XML ..." or
 * "column 2 header: ..."). The SDMX-ML and xlsx writers call it first and
 * refuse such a table rather than drop characters. Thread-safe.
 */
DTS_API int dts_table_check_text(const dts_table *t);

/* ---- writers ------------------------------------------------------------
 * Each returns 0; DTS_EIO when writing to the FILE failed (the message
 * says why; the FILE's contents are then undefined); DTS_ENOMEM; or the
 * non-zero value a callback returned, unchanged, after which nothing more
 * is written. The FILE is neither flushed nor closed.
 */

/**
 * The aligned text table: the title and a blank line when set, a header
 * row, then one line per row. Columns are two spaces apart, numeric ones
 * right-aligned; wide East Asian characters count two columns. Control
 * characters are shown escaped (\n \t \r \\, others \xHH), so a row is
 * one line; an empty cell is shown as "-" (the primary measure: the
 * dts_table_set_missing() text).
 */
DTS_API int dts_table_write_text(const dts_table *t, FILE *f);
DTS_API int dts_table_write_text_cb(const dts_table *t, dts_write_cb cb,
				    void *payload);

/**
 * RFC 4180 CSV: a header row of the column names, then the rows, LF line
 * ends. A field is quoted when it holds a comma, a quote, CR or LF, or
 * starts or ends with a space; a quote inside is doubled.
 */
DTS_API int dts_table_write_csv(const dts_table *t, FILE *f);
DTS_API int dts_table_write_csv_cb(const dts_table *t, dts_write_cb cb,
				   void *payload);

/**
 * SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, FREQ (with a time
 * column), the dimension columns by their ids (the time one as
 * TIME_PERIOD), OBS_VALUE (the primary measure), the further columns by
 * their ids, OBS_STATUS, UNIT_MEASURE and UNIT_MULT (each row's own when
 * set). Each row starts "dataflow,LIBDTS:<dataflow>(1.0),I" (R for a
 * revised table). Fields quoted as in CSV; a BOM first with
 * dts_table_set_bom().
 */
DTS_API int dts_table_write_sdmx_csv(const dts_table *t, FILE *f);
DTS_API int dts_table_write_sdmx_csv_cb(const dts_table *t, dts_write_cb cb,
					void *payload);

/**
 * An SDMX-ML 2.1 GenericData message (libxml2's xmlTextWriter) with all
 * dimensions at the observation level, referencing the DSD
 * LIBDTS:<dataflow>(1.0) of dts_table_write_sdmx_structure(): one Obs per
 * row, ObsKey holding FREQ (with a time column) and the dimension cells
 * ("" written as "_Z", not applicable; coded values as code ids; the time
 * as TIME_PERIOD), ObsValue the primary measure, Attributes the further
 * non-empty cells, OBS_STATUS ("M" when the primary measure is empty,
 * else the status's code), UNIT_MEASURE (when set) and UNIT_MULT (each
 * row's own when set); a revised table's DataSet has action Replace. Validates against the official SDMX 2.1 schemas. DTS_EINPUT
 * when the table fails dts_table_check_text() (nothing is written).
 */
DTS_API int dts_table_write_sdmx_ml(const dts_table *t, FILE *f);
DTS_API int dts_table_write_sdmx_ml_cb(const dts_table *t, dts_write_cb cb,
				       void *payload);

/**
 * An SDMX-ML 2.1 structure message (libxml2's xmlTextWriter, as the data
 * writer) for the table's data: code lists (CL_FREQ, one per coded
 * dimension, CL_OBS_STATUS, CL_CONF_STATUS, CL_UNIT, CL_UNIT_MULT: the
 * units the table uses), the concept scheme CS_<dataflow> (every
 * dimension, TIME_PERIOD, FREQ, OBS_VALUE and attribute, named in zh and
 * en), the DSD <dataflow> of agency LIBDTS, version 1.0, which SDMX-ML
 * data messages reference, and the dataflow of that id over it, which
 * SDMX-CSV names. Validates against the official SDMX 2.1
 * schemas. Errors as for dts_table_write_sdmx_ml().
 */
DTS_API int dts_table_write_sdmx_structure(const dts_table *t, FILE *f);
DTS_API int dts_table_write_sdmx_structure_cb(const dts_table *t,
					      dts_write_cb cb, void *payload);

/**
 * Write `t` in `format` (a dts_table_format) to f or to cb. DTS_EINVAL for
 * an unknown format and for DTS_TABLE_XLSX (it needs a path: use
 * dts_table_write_xlsx()).
 */
DTS_API int dts_table_write(const dts_table *t, int format, FILE *f);
DTS_API int dts_table_write_cb(const dts_table *t, int format,
			       dts_write_cb cb, void *payload);

/**
 * An Excel workbook at `path` (created or replaced; libxlsxwriter writes
 * files, so there is no FILE * or callback form — write to a temporary
 * name and rename it for all-or-nothing output). One sheet "data": bold
 * header, frozen header row, an autofilter, numeric cells written as
 * numbers with as many decimals as their text, text in a numeric column
 * in italics, column widths from the content; and with a chart hint
 * (dts_table_set_chart()) a second sheet "chart" with the chart.
 * Errors: DTS_EINPUT (dts_table_check_text()), DTS_EIO (the file could not
 * be written; the message is libxlsxwriter's), DTS_ERROR when this build
 * has no xlsx support.
 */
DTS_API int dts_table_write_xlsx(const dts_table *t, const char *path);

/* ---- workbooks of several tables and charts (xlsx) ---------------------- */

typedef struct dts_book dts_book;

/**
 * A range of worksheet cells, 0-based and inclusive: `sheet` is the index
 * of a sheet in the order dts_book_add_sheet() added them; row 0 is a
 * table's header row, so data row r is worksheet row r + 1.
 */
typedef struct dts_range {
	size_t sheet;
	unsigned row0, col0, row1, col1;
} dts_range;

/** An empty workbook description. DTS_ENOMEM. Free with dts_book_free(). */
DTS_API int dts_book_new(dts_book **out);

/** Free a book (not the tables it names). NULL is a no-op. */
DTS_API void dts_book_free(dts_book *b);

/**
 * Add a sheet named `name` (copied; at most 31 characters, no []:*?/\)
 * showing table `t`, which is borrowed: it must stay unchanged until the
 * book is written. DTS_EINVAL (NULL arguments), DTS_ENOMEM.
 */
DTS_API int dts_book_add_sheet(dts_book *b, const char *name,
			       const dts_table *t);

/**
 * The sheet that holds the charts (default "charts"), placed second, after
 * the first table's sheet. Copied. DTS_ENOMEM.
 */
DTS_API int dts_book_set_chart_sheet(dts_book *b, const char *name);

/**
 * Add a column chart titled `title` (copied), its y axis titled `y_title`
 * (copied, may be NULL), stacked columns when `stacked`, else overlapping
 * ones; `categories` is the range of its category labels. Series are added
 * with dts_book_add_series(). Charts are placed two to a row.
 * DTS_EINVAL (NULL title or categories), DTS_ENOMEM.
 */
DTS_API int dts_book_add_chart(dts_book *b, const char *title,
			       const char *y_title, int stacked,
			       const dts_range *categories);

/**
 * Add a series named `name` (copied) with the values in `values` to the
 * chart added last. With `outline` it is drawn as an unfilled dashed frame
 * over the filled columns (a target the value should fill).
 * DTS_EINVAL (no chart yet, NULL arguments), DTS_ENOMEM.
 */
DTS_API int dts_book_add_series(dts_book *b, const char *name,
				const dts_range *values, int outline);

/**
 * Write the book to `path` (created or replaced): each sheet formatted as
 * dts_table_write_xlsx() formats its "data" sheet, the chart sheet after
 * the first, the first table's title as the workbook title. A range
 * naming a sheet that does not exist is DTS_EINVAL; other errors as for
 * dts_table_write_xlsx(). Thread-safe for distinct paths.
 */
DTS_API int dts_book_write_xlsx(const dts_book *b, const char *path);

#ifdef __cplusplus
}
#endif
#endif
