/*
 * dts/xlsx.h — a streaming reader of Excel workbooks (.xlsx: Office Open
 * XML, ECMA-376).
 *
 * Opens a workbook from a path, a descriptor or a buffer, picks its first
 * worksheet (the first not hidden, when there is one) or one named by the
 * caller, and returns the sheet one row at a
 * time as cell strings, the way the CSV reader (dts/csv.h) returns records.
 * The sheet's XML is streamed (libxml2's xmlTextReader over libzip), so
 * memory is bounded by the shared strings and one row, not the sheet.
 *
 *   dts_xlsx_options o = DTS_XLSX_OPTIONS_INIT;
 *   dts_xlsx *x;  dts_xlsx_row row;  int rc;
 *   o.sheet = "2025";                        // NULL: the first worksheet
 *   if (dts_xlsx_open_file(&x, "trade.xlsx", &o) < 0) ...
 *   while ((rc = dts_xlsx_next(&row, x)) != 0) {
 *           if (rc == DTS_EINPUT) { reject(row.line, row.error); continue; }
 *           if (rc < 0) break;           // DTS_EIO, DTS_ELIMIT, DTS_ENOMEM
 *           use(row.line, row.cols, row.lens, row.ncols);
 *   }
 *   dts_xlsx_free(x);
 *
 * Cells, exactly:
 * - Shared strings (t="s", xl/sharedStrings.xml) and inline strings
 *   (t="inlineStr"): the text; rich text runs are concatenated, phonetic
 *   runs (<rPh>) left out. Formula results (t="str") and errors (t="e",
 *   "#N/A") as written in <v>; the formula itself is not read.
 * - Numbers: the characters of <v> exactly as written ("1.5E-3",
 *   "12345678901234567890"), never converted through a double.
 * - Booleans (t="b"): "TRUE" or "FALSE", as Excel writes them to CSV.
 * - A number whose cell style (styles.xml cellXfs) has a date or time
 *   format — built-in numFmtId 14-22, 27-36, 45-47, 50-58 (the last ones
 *   are the East Asian locales' dates), or a custom format holding y, m,
 *   d, h or s outside quotes, escapes and brackets other than [h] [m] [s]
 *   — is an Excel serial date and comes back as "YYYY-MM-DD" (a date-only
 *   format and no time of day), "YYYY-MM-DD HH:MM:SS" (a format with a
 *   time, or a time of day), or "HH:MM:SS" (a time-only format and day
 *   0). The conversion is exact, in integers over the decimal digits:
 *   the time is rounded to the nearest second. The 1900 date system
 *   keeps Excel's bug: serial 60 is "1900-02-29" and serials before it are
 *   one day off from the proleptic calendar, as Excel shows them; the
 *   1904 system (workbook.xml date1904) counts from 1904-01-01. Negative
 *   serials and serials past 9999-12-31 are returned as written.
 * - t="d" (an ISO 8601 date): as written, with a 'T' before the time
 *   replaced by a space.
 * - Columns are placed by their reference (r="C5"): cells skipped are
 *   empty strings, so columns line up. A row's ncols is one past its last
 *   non-empty cell. Rows with no non-empty cell are skipped (like CSV's
 *   empty lines); row.line is the sheet's row number (1-based, gaps kept).
 *
 * The workbook is refused at open with DTS_ELIMIT, the message naming the
 * file and the part, when its zip directory has more than max_parts
 * entries, when a part read would inflate past max_size bytes in all, or
 * when a part larger than 1 MiB inflates more than max_ratio times its
 * compressed size (a zip bomb); the same limits are checked on the bytes
 * actually inflated while the sheet streams (DTS_ELIMIT from
 * dts_xlsx_next, after which the reader is unusable). An OLE compound
 * file (D0 CF 11 E0) that holds an EncryptedPackage is "password-protected
 * workbook"; a zip that is not a workbook, a truncated zip or malformed
 * XML in the parts read at open is DTS_EINPUT naming the part.
 *
 * A row is rejected (DTS_EINPUT, reading goes on with the next row) when
 * a cell is longer than max_field bytes ("cell C5 longer than N bytes") or
 * lies past column max_cols ("cell XFD5 is past column N"). A row number
 * past max_rows ends the sheet with DTS_ELIMIT.
 *
 * An old .xls (Excel 97-2003, an OLE compound file without an
 * EncryptedPackage) is refused: DTS_EINPUT "is an Excel 97-2003 .xls
 * workbook: save it as .xlsx or CSV". (Debian's libfreexl reads good .xls
 * files right, but crashes on malformed ones: see lib/read/xlsx.c.)
 *
 * Whole files are held in memory while read (a zip needs random access):
 * the file's size counts against max_size too.
 */
#ifndef DTS_XLSX_H
#define DTS_XLSX_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_xlsx dts_xlsx;

/** Default limit on the bytes of all parts read, inflated (1 GiB). */
#define DTS_XLSX_MAX_SIZE ((uint64_t)1 << 30)
/** Default limit on inflated / compressed size of a part over 1 MiB. */
#define DTS_XLSX_MAX_RATIO 100
/** Default limit on the number of entries in the zip directory. */
#define DTS_XLSX_MAX_PARTS 10000
/** Default limit on a sheet's row numbers (Excel's own: 1048576). */
#define DTS_XLSX_MAX_ROWS 1048576u
/** Default limit on a row's columns (as dts/csv.h's DTS_CSV_MAX_FIELDS). */
#define DTS_XLSX_MAX_COLS 4096u

#define DTS_XLSX_OPTIONS_VERSION 1

/**
 * Reader options. Start from DTS_XLSX_OPTIONS_INIT; zero limits mean the
 * defaults above.
 */
typedef struct dts_xlsx_options {
	unsigned int version; /**< DTS_XLSX_OPTIONS_VERSION */
	const char *sheet;    /**< worksheet name (exact, UTF-8); NULL: the first */
	uint64_t max_size;    /**< 0 = DTS_XLSX_MAX_SIZE */
	unsigned max_ratio;   /**< 0 = DTS_XLSX_MAX_RATIO */
	size_t max_parts;     /**< 0 = DTS_XLSX_MAX_PARTS */
	size_t max_field;     /**< bytes of one cell; 0 = DTS_CSV_MAX_FIELD (1 MiB) */
	unsigned max_cols;    /**< 0 = DTS_XLSX_MAX_COLS */
	unsigned max_rows;    /**< 0 = DTS_XLSX_MAX_ROWS */
} dts_xlsx_options;

#define DTS_XLSX_OPTIONS_INIT { DTS_XLSX_OPTIONS_VERSION, NULL, 0, 0, 0, 0, 0, 0 }

/**
 * One row. Everything it points to belongs to the reader and stays valid
 * until the next dts_xlsx_next() or dts_xlsx_free().
 */
typedef struct dts_xlsx_row {
	const char *const *cols; /**< ncols cell values, NUL-terminated; NULL when rejected */
	const size_t *lens;      /**< their lengths in bytes */
	size_t ncols;            /**< 0 for a rejected row */
	uint64_t line;           /**< the sheet's 1-based row number */
	const char *error;       /**< the reason when rejected, else NULL */
} dts_xlsx_row;

/**
 * Open the workbook at `path` (NULL or "-": standard input, read whole
 * into memory within max_size, then opened as a buffer; not closed).
 * The workbook's parts are read here up to the first row of the sheet:
 * the sheet list, shared strings and styles. Errors (the message names the
 * file, and the part when one is at fault): DTS_EIO (cannot open or read),
 * DTS_EINVAL (bad options; a sheet name that does not exist: the message
 * lists the sheet names), DTS_EINPUT (not a workbook, truncated, malformed
 * XML, encrypted, an .xls), DTS_ELIMIT (the limits
 * above), DTS_ENOMEM. opts may be NULL for the defaults; opts->sheet is
 * copied. *out is NULL on error. Thread-safe; the reader itself must be
 * used by one thread at a time.
 */
DTS_API int dts_xlsx_open_file(dts_xlsx **out, const char *path,
			       const dts_xlsx_options *opts);

/**
 * Read the workbook from descriptor `fd` (its current position to the
 * end, which must fit max_size), which the reader does not close. `name`
 * (may be NULL: "(fd)") names it in errors.
 */
DTS_API int dts_xlsx_open_fd(dts_xlsx **out, int fd, const char *name,
			     const dts_xlsx_options *opts);

/**
 * Read the `len` bytes at `data`, a whole .xlsx file. The bytes are
 * borrowed: they must stay valid and unchanged until dts_xlsx_free().
 * `name` (may be NULL: "(buffer)") names the input in errors.
 */
DTS_API int dts_xlsx_open_buffer(dts_xlsx **out, const void *data, size_t len,
				 const char *name, const dts_xlsx_options *opts);

/** Close the reader. NULL is a no-op. */
DTS_API void dts_xlsx_free(dts_xlsx *reader);

/**
 * Read the next non-empty row into *row. Returns 1 with a row; 0 at the
 * end of the sheet; DTS_EINPUT for a rejected row (row->line and
 * row->error say which and why; the per-thread error is set too) — call
 * again to go on; DTS_EIO when the rest of the sheet cannot be read
 * (malformed XML, a DOCTYPE, a damaged zip entry: row->error names the
 * part), DTS_ELIMIT (a limit above) or DTS_ENOMEM, after which the reader
 * is unusable (further calls return 0; row->line is 0, row->error says
 * why).
 */
DTS_API int dts_xlsx_next(dts_xlsx_row *row, dts_xlsx *reader);

/**
 * The workbook's worksheet names in workbook order: *names gets an array
 * owned by the reader (valid until dts_xlsx_free). Returns their number.
 */
DTS_API size_t dts_xlsx_sheets(const dts_xlsx *reader, const char *const **names);

/** The name of the sheet being read. Owned by the reader. */
DTS_API const char *dts_xlsx_sheet(const dts_xlsx *reader);

#ifdef __cplusplus
}
#endif
#endif
