/*
 * dts/source.h — a record source: one input of trade records, whatever its
 * format, and the one reject policy every program shares.
 *
 * A source opens a path, a descriptor (standard input included) or a
 * buffer, decides its format from the first bytes (dts_source_sniff), and
 * returns rows of column values: a CSV file in any encoding the CSV reader
 * takes (dts/csv.h), a customs CBEC XML message file (dts/ceb.h) seen as
 * the same kind of table, or an Excel .xlsx workbook's sheet (dts/xlsx.h:
 * the input is read whole into memory; the first row with a value is the
 * header, later rows are padded with empty columns to its width, a row
 * wider than it is rejected as a CSV record would be, row.line is the
 * sheet's row number). Columns are bound to canonical fields once
 * (dts_binding, with COLUMN=FIELD overrides). A bad row comes back as a
 * reject with its line, raw bytes and reason; reading goes on.
 *
 *   dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
 *   dts_source *src;  dts_source_row row;  dts_result res;  int rc;
 *   if (dts_source_open(&src, "trade.csv", &o) < 0) ...
 *   while ((rc = dts_source_next(&row, src)) != 0) {
 *           if (rc == DTS_EINPUT) { reject(row.line, row.error, row.raw, row.raw_len); continue; }
 *           if (rc < 0) break;                                    // DTS_EIO, DTS_ENOMEM
 *           if (dts_source_classify(&res, scanner, dts_source_binding(src),
 *                                   row.cols, row.lens, row.ncols) < 0)
 *                   reject(row.line, dts_error_last()->message, ...);
 *           else
 *                   count(&res);
 *   }
 *   dts_source_free(src);
 *
 * A customs XML record is a row of these columns, in this order: the
 * canonical fields id, source, flow, period, trade_mode, hs_code,
 * description, counterpart, currency, value, platform, then the message
 * leaves orderNo, logisticsNo, invtNo, gnum, customsCode, qty, unit, price
 * (List first, then Head; "" when absent).
 */
#ifndef DTS_SOURCE_H
#define DTS_SOURCE_H

#include "common.h"
#include "scanner.h"
#include "ceb.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What an input holds, as told by its first bytes. */
typedef enum dts_format {
	DTS_FORMAT_UNKNOWN = 0, /**< nothing but blanks yet: read more (or CSV) */
	DTS_FORMAT_CSV,         /**< anything else: a CSV table */
	DTS_FORMAT_CEB_XML,     /**< first non-blank character '<': customs XML */
	DTS_FORMAT_PARTIAL,     /**< "dts-cube-partial ": a cube partial (dts/cube.h) */
	DTS_FORMAT_XLSX,        /**< "PK\x03\x04": a zip, read as an .xlsx workbook (dts/xlsx.h) */
	DTS_FORMAT_XLS          /**< D0 CF 11 E0 A1 B1 1A E1: an OLE compound file, an
				     .xls workbook (or a password-protected .xlsx):
				     opening it says which, and refuses it */
} dts_format;

/** Bytes dts_source_sniff needs at most to decide (a source peeks this much). */
#define DTS_SOURCE_SNIFF_MAX 4096

/**
 * Tell the format of an input from its first `len` bytes: an Excel
 * workbook when it starts with a zip's "PK\x03\x04" (DTS_FORMAT_XLSX) or
 * an OLE compound file's D0 CF 11 E0 A1 B1 1A E1 (DTS_FORMAT_XLS; a
 * strict start of either is DTS_FORMAT_UNKNOWN); a cube partial
 * when it starts with "dts-cube-partial " (any format version, so an old
 * one gets a clear error rather than a CSV reading); customs XML when the
 * first character that is not blank (after a byte-order mark) is '<'; CSV
 * when it is anything else; DTS_FORMAT_UNKNOWN while all is blank or the
 * bytes are a strict start of "dts-cube-partial " (give more bytes; at the
 * end of input, read it as CSV). UTF-16 (marked, or NUL-interleaved) is
 * read by code units, so UTF-16 XML goes to the XML reader (libxml2 reads
 * it) and UTF-16 CSV to the CSV reader (which names it). The same bytes
 * decide for a file and for a pipe.
 *
 * Writes the format to *out and returns 0; DTS_EINVAL when out is NULL or
 * head is NULL with len > 0. Thread-safe, allocates nothing.
 */
DTS_API int dts_source_sniff(dts_format *out, const void *head, size_t len);

/**
 * Sniff the regular file at `path` by reading its first bytes (the file
 * is opened and closed; nothing is consumed). For "-" or NULL (standard
 * input) and anything not a regular file (a FIFO, a device: its bytes
 * cannot be peeked without consuming them) *out is DTS_FORMAT_UNKNOWN and
 * nothing is read: open it with dts_source_open(), which sniffs and keeps
 * the bytes. Never blocks. Errors: DTS_EIO (cannot open or read; the
 * message names the path), DTS_EINVAL. Thread-safe.
 */
DTS_API int dts_source_sniff_file(dts_format *out, const char *path);

typedef struct dts_source dts_source;

#define DTS_SOURCE_OPTIONS_VERSION 4

/** dts_source_options.flags (version 4): read CSV on the reference path
 *  (DTS_CSV_REFERENCE, dts/csv.h): the same rows, more slowly; for
 *  differential tests and as a fallback. */
#define DTS_SOURCE_REFERENCE 0x1u

/** Source options. Start from DTS_SOURCE_OPTIONS_INIT. */
typedef struct dts_source_options {
	unsigned int version;        /**< DTS_SOURCE_OPTIONS_VERSION */
	dts_format format;           /**< DTS_FORMAT_UNKNOWN (default): sniff;
					  DTS_FORMAT_CSV, _CEB_XML, _XLSX or _XLS: force */
	char separator;              /**< CSV: 0 = ','; also joins the fields of a
					  record rejected after reading (dts/batch.h) */
	const char *encoding;        /**< CSV: NULL or "auto" = detect (dts/csv.h);
					  "utf-8", "utf-16le", "utf-16be",
					  "gb18030", "gbk" force one */
	const char *const *map;      /**< "COLUMN=FIELD" binding overrides
					  (dts_binding_new); FIELD "-" unbinds */
	size_t nmap;
	size_t block_size;           /**< bytes per read, 0 = the readers' default;
					  tiny values for tests */
	const char *sheet;           /**< workbooks (version 2): the worksheet to
					  read; NULL = the first */
	const char *profile;         /**< version 3: the source profile
					  (dts/profile.h) to read with: a built-in
					  name, a name found in profile_dir, or a
					  file path (holding '/' or ending ".xml");
					  NULL = chosen from the header row */
	const char *profile_dir;     /**< version 3: a directory of more profiles
					  (*.xml), tried with the built-in ones;
					  NULL = the built-in ones only */
	unsigned int flags;          /**< version 4: DTS_SOURCE_REFERENCE */
	size_t verify_every;         /**< version 4: CSV: 0 = off; N = every Nth
					  record read on the fast path is read
					  again on the reference path and
					  compared (dts_csv_options.verify_every):
					  a difference stops reading with
					  DTS_ERROR */
} dts_source_options;

#define DTS_SOURCE_OPTIONS_INIT { DTS_SOURCE_OPTIONS_VERSION, DTS_FORMAT_UNKNOWN, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, 0, 0 }

/**
 * One row. Everything it points to belongs to the source and stays valid
 * until the next dts_source_next() or dts_source_free().
 */
typedef struct dts_source_row {
	const char *const *cols;  /**< ncols values, NUL-terminated; NULL when rejected */
	const size_t *lens;       /**< their lengths in bytes */
	size_t ncols;             /**< 0 for a rejected row */
	uint64_t line;            /**< 1-based line where the record starts */
	const char *error;        /**< rejected: the reason; else NULL */
	const char *raw;          /**< rejected: the record as written */
	size_t raw_len;
	uint64_t offset;          /**< input bytes consumed so far (progress);
					 0 when not known (XML) */
} dts_source_row;

/**
 * Open `path` (NULL or "-" = standard input, which is not closed), peek
 * at its first bytes to decide the format (unless opts->format forces
 * one), and open the CSV or XML reader on the peeked bytes and the rest:
 * pipes work like files. The columns are bound here (the CSV header, or
 * the XML columns above) with opts->map.
 *
 * Errors (dts_error_last() says which, naming the input): DTS_EIO (cannot
 * open or read); DTS_EINVAL (bad options: an unknown encoding, a malformed
 * map entry or one naming a column or field that does not exist, a forced
 * format other than CSV or XML); DTS_EINPUT (a CSV
 * input with no header row: "empty input: no header row", or a malformed
 * header, or a cube partial when the format is sniffed: "is a cube
 * partial, not records" — load those with dts_cube_load_partial after
 * dts_source_sniff_file; a workbook that cannot be read, an .xls, a
 * password-protected workbook: dts/xlsx.h); DTS_ELIMIT (a workbook over
 * the dts/xlsx.h limits: a zip bomb); DTS_EINVAL also for opts->sheet
 * naming no sheet of the workbook (the message lists them); DTS_ENOMEM.
 * opts may be NULL for the defaults;
 * nothing in them is kept after the call. *out is NULL on error.
 *
 * Thread-safe; a source is used by one thread at a time.
 */
DTS_API int dts_source_open(dts_source **out, const char *path,
			    const dts_source_options *opts);

/**
 * Like dts_source_open(), on descriptor `fd`, which the source reads from
 * its current position and does not close. `name` (may be NULL: "(fd)")
 * names it in errors and is copied.
 */
DTS_API int dts_source_open_fd(dts_source **out, int fd, const char *name,
			       const dts_source_options *opts);

/**
 * Like dts_source_open(), on `len` bytes at `data`, which must stay valid
 * until dts_source_free(). `name` (may be NULL) is copied.
 */
DTS_API int dts_source_open_buffer(dts_source **out, const void *data,
				   size_t len, const char *name,
				   const dts_source_options *opts);

/** Close the source (and the file it opened). NULL is a no-op. */
DTS_API void dts_source_free(dts_source *src);

/**
 * Next row into *row: 1 with a row; 0 at the end of input; DTS_EINPUT for
 * a row the reader rejected (row->line, row->error, row->raw; call again
 * to go on); DTS_EIO (a read error, or a regular file that shrank while
 * read) or DTS_ENOMEM, after which the source is unusable.
 */
DTS_API int dts_source_next(dts_source_row *row, dts_source *src);

/** The input's name as given ("-" for standard input). Owned by the source. */
DTS_API const char *dts_source_name(const dts_source *src);

/** DTS_FORMAT_CSV, DTS_FORMAT_CEB_XML or DTS_FORMAT_XLSX: the format being read. */
DTS_API dts_format dts_source_format(const dts_source *src);

/**
 * Column names: the CSV header, or the XML columns listed above. *names
 * gets an array owned by the source (valid until dts_source_free).
 * Returns the number of columns.
 */
DTS_API size_t dts_source_header(const dts_source *src, const char *const **names);

/**
 * Is this the same table layout? 1 when both sources have the same column
 * names in the same order (byte for byte), else 0 (also when either is
 * NULL). Lets a program that writes several inputs into one output with
 * one header (dts-classify) refuse an input that does not fit. Never
 * fails; reads only.
 */
DTS_API int dts_source_same_columns(const dts_source *a, const dts_source *b);

/** The columns bound to fields. Owned by the source (until dts_source_free). */
DTS_API const dts_binding *dts_source_binding(const dts_source *src);

/** The CSV separator the source uses (',' when none was given; XML too). */
DTS_API char dts_source_separator(const dts_source *src);

/** Total size in bytes when known (a regular file, a buffer), else -1. */
DTS_API int64_t dts_source_size(const dts_source *src);

/**
 * The encoding the input was read in: for CSV dts_csv_encoding() ("UTF-8",
 * "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GB18030", "GBK"); for customs
 * XML "XML" (libxml2 reads the encoding its declaration names); for an
 * Excel workbook "xlsx" (or "xls"). A static string, never NULL for a
 * source.
 */
DTS_API const char *dts_source_encoding(const dts_source *src);

/**
 * The source profile the input is read with (dts/profile.h): its name
 * ("customs-stats", "survey", DTS_PROFILE_CANONICAL; "ceb-xml" for customs
 * XML). Owned by the source. When it is not the canonical one, the rows
 * dts_source_next() returns are canonical records: the columns are the
 * canonical fields the profile fills (in dts_field order, values
 * converted: amounts in canonical decimals after the unit, periods in
 * canonical form, codes harmonised), then the file's other columns as
 * they are; dts_source_header() names them.
 */
DTS_API const char *dts_source_profile(const dts_source *src);

/**
 * Rows above the header row that the source skipped (a title, a 单位 row),
 * and the unit a 单位 row stated ("" when none). Line numbers stay those
 * of the file. Never fails.
 */
DTS_API uint64_t dts_source_skipped(const dts_source *src, const char **unit);

/**
 * XML: the record the last dts_source_next() returned, with every Head and
 * List leaf by name (dts_ceb_get); NULL for CSV. Valid until the next call.
 */
DTS_API const dts_ceb_record *dts_source_ceb_record(const dts_source *src);

/**
 * The reject policy every libdts program shares: check the bound values of
 * one row (dts_record_check: amounts, dates, flows, codes), then classify
 * it with `scanner`. Returns 0 with *out filled; DTS_EINPUT when the row
 * must be rejected rather than counted: a malformed value, invalid UTF-8,
 * or a regex stopped by its PCRE2 match limit (which would otherwise count
 * the record in the wrong category). The reason is dts_error_last()->message
 * (its code is DTS_EINPUT). Other errors: DTS_ENOMEM, DTS_EINVAL. Rows
 * shorter than the header leave the missing columns empty.
 * Thread-safe with one scanner per thread.
 */
DTS_API int dts_source_classify(dts_result *out, dts_scanner *scanner,
				const dts_binding *binding,
				const char *const *cols, const size_t *lens,
				size_t ncols);

#ifdef __cplusplus
}
#endif
#endif
