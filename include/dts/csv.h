/*
 * dts/csv.h — a streaming RFC 4180 CSV reader.
 *
 * Reads a file, a descriptor or a memory buffer in large blocks with
 * bounded memory, tells its encoding (UTF-8, UTF-16 with a byte-order
 * mark, GB18030/GBK) and converts it to UTF-8, and returns one record at
 * a time. A malformed record is returned as an error row (its
 * line, raw bytes and the reason) and reading goes on with the next record:
 * nothing in the input is lost silently.
 *
 *   dts_csv_options o = DTS_CSV_OPTIONS_INIT;
 *   dts_csv *r;  dts_csv_row row;  int rc;
 *   if (dts_csv_open_file(&r, "trade.csv", &o) < 0) ...
 *   while ((rc = dts_csv_next(&row, r)) != 0) {
 *           if (rc == DTS_EINPUT) { reject(row.line, row.error, row.raw, row.raw_len); continue; }
 *           if (rc < 0) break;            // DTS_EIO, DTS_ENOMEM
 *           use(row.fields, row.lens, row.nfields);
 *   }
 *   dts_csv_free(r);
 *
 * Dialect, exactly:
 * - A record ends at LF; a CR just before the LF is dropped (CRLF or LF
 *   files, mixed too). A CR anywhere else is data. The last record may
 *   lack its line end.
 * - Except when the input's first line end is a lone CR (old Mac files,
 *   some Excel exports): then a lone CR ends a line too, as do LF and
 *   CRLF (one line end), for line numbers as well.
 * - A CR inside a quoted field is always data.
 * - Empty lines (nothing before the line end, or only a CR) are skipped:
 *   they are not records.
 * - A field starting with '"' is quoted: it may hold separators, LFs and
 *   doubled quotes ("" stands for one "), and ends at the next single '"'.
 *   That quote must be followed by the separator, the end of the line or
 *   the end of input; anything else rejects the record.
 * - A '"' inside an unquoted field is an ordinary character (5" disk).
 * - A byte-order mark at the start of the input is dropped.
 * - Encodings, when none is given (encoding NULL or "auto"), decided at
 *   open from the bytes:
 *   - a UTF-8 mark EF BB BF: UTF-8 ("UTF-8 (BOM)");
 *   - a UTF-16 mark FF FE or FE FF: UTF-16LE or UTF-16BE, converted with
 *     iconv(3);
 *   - else the input is UTF-8 when it is valid UTF-8, else GB18030 when it
 *     is valid GB18030 (GBK is a subset; GB/T 18030-2005 byte structure:
 *     1 byte 00-7F, 2 bytes 81-FE 40-7E|80-FE, 4 bytes 81-FE 30-39 81-FE
 *     30-39), else the open fails with DTS_EINPUT naming the input, the
 *     line and the byte: "input is neither UTF-8 nor GB18030 (line L, byte
 *     B: 0xNN); name its encoding (--encoding)".
 *   A buffer is checked whole before the first record. A descriptor (a
 *   regular file, a pipe, a terminal) is decided on its first
 *   DTS_CSV_DETECT bytes (or all of it, when shorter), so memory stays
 *   bounded whatever the file's size; the rest is validated as it is
 *   read: a later row that is not in the encoding so assumed is rejected
 *   with the usual reason and " (UTF-8 assumed from the first 1 MiB of
 *   the input: name its encoding with --encoding)" (GB18030 likewise).
 *   A given encoding is used as it is, with no detection.
 * - UTF-16 without a byte-order mark (NULs after or before every other
 *   byte) read as UTF-8 is refused as one rejected record, "input is
 *   UTF-16 (...) without a byte-order mark: name it (--encoding utf-16le
 *   or utf-16be) or convert it with iconv -f UTF-16LE -t UTF-8" (with a
 *   header: the open fails with that reason), and nothing more is read;
 *   so is UTF-16 with a mark when UTF-8 is forced.
 * - A regular file that ends before the size it had at open (truncated
 *   by another process while read) gives DTS_EIO saying so.
 * - Fields are not trimmed.
 *
 * A record is rejected (DTS_EINPUT) with one of these reasons, checked in
 * this order:
 *   record longer than N bytes    (resumes at the line after the record's first line;
 *                                  raw is that line, cut to N bytes)
 *   unterminated quote            (resumes at the line after the record's first line;
 *                                  raw is that line)
 *   unexpected character after closing quote in column C
 *   more than N fields
 *   wrong number of fields (got N, header has M)   (or "first record has M")
 *   field in column C longer than N bytes   (length as written, between the quotes)
 *   NUL byte in column C
 *   invalid UTF-8 at byte N in column C     (N 1-based within the field)
 *   invalid ENC byte sequence in column C   (input not convertible from ENC,
 *                                            e.g. GB18030 or UTF-16LE)
 * Except where noted, reading resumes after the end of the rejected record.
 *
 * The fast path. Unless DTS_CSV_SIMPLE or DTS_CSV_REFERENCE is set, a
 * record is first tried with a structural index of 64-byte blocks
 * (separators, line ends, and the bytes that need care: '"', CR, NUL;
 * AVX2, SSE2 or portable kernels, the best the CPU has, chosen at run
 * time) and a UTF-8 check of the buffer, 16 KiB at a time (AVX2, else the portable
 * check): a record with no quote, NUL or CR (but for a CRLF line end,
 * outside CR mode), valid UTF-8, the expected number of fields and no
 * longer than max_field is copied out in one piece, its separators made
 * NULs. Any other record (and the header)
 * is read on the reference path, which gives every reject reason above:
 * the rows are the same either way, byte for byte (tests/diff/).
 */
#ifndef DTS_CSV_H
#define DTS_CSV_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_csv dts_csv;

/** Default limit on one field's length, as written (1 MiB). */
#define DTS_CSV_MAX_FIELD ((size_t)1 << 20)
/** Default limit on the number of fields of one record. */
#define DTS_CSV_MAX_FIELDS 4096
/** Default limit on one record's length, as written (16 MiB). */
#define DTS_CSV_MAX_RECORD ((size_t)16 << 20)
/** Default read block (1 MiB). */
#define DTS_CSV_BLOCK ((size_t)1 << 20)
/** Bytes of a pipe its encoding is decided on (1 MiB; see "Encodings"). */
#define DTS_CSV_DETECT ((size_t)1 << 20)

/** dts_csv_options.flags: parse byte by byte with the reference parser
 *  instead of the word-at-a-time one (for differential tests). */
#define DTS_CSV_SIMPLE 0x1u
/** dts_csv_options.flags: do not check the number of fields per record. */
#define DTS_CSV_RAGGED 0x2u
/** dts_csv_options.flags (0.1.x): read every record on the reference path
 *  (the word-at-a-time scan, each field checked and copied alone) rather
 *  than the fast path (see "The fast path" below); the same rows either
 *  way, for differential tests and as a fallback. */
#define DTS_CSV_REFERENCE 0x4u
/** dts_csv_options.flags (0.1.x): the fast path's kernels at most SSE2
 *  (no AVX2), for tests on a machine that has AVX2. */
#define DTS_CSV_KERNEL_SSE2 0x8u
/** dts_csv_options.flags (0.1.x): the fast path's portable kernels only. */
#define DTS_CSV_KERNEL_SCALAR 0x10u

#define DTS_CSV_OPTIONS_VERSION 3

/**
 * Reader options. Start from DTS_CSV_OPTIONS_INIT; zero limits mean the
 * defaults above.
 */
typedef struct dts_csv_options {
	unsigned int version; /**< DTS_CSV_OPTIONS_VERSION */
	char separator;       /**< ',' (default), '\t', ';', '|' ...; not '"', CR or LF */
	int header;           /**< 1 (default): the first record is the header */
	const char *encoding; /**< NULL or "auto" (default): detect; "utf-8",
				   "utf-16le", "utf-16be", "gb18030", "gbk"
				   (any case): use that one. With version 1
				   (0.1.0), NULL keeps its old meaning: UTF-8 */
	size_t max_field;     /**< 0 = DTS_CSV_MAX_FIELD */
	size_t max_fields;    /**< 0 = DTS_CSV_MAX_FIELDS */
	size_t max_record;    /**< 0 = DTS_CSV_MAX_RECORD; at least max_field */
	size_t block_size;    /**< bytes per read, 0 = DTS_CSV_BLOCK; tiny values for tests */
	unsigned int flags;   /**< DTS_CSV_SIMPLE, DTS_CSV_RAGGED, DTS_CSV_REFERENCE,
				   DTS_CSV_KERNEL_SSE2, DTS_CSV_KERNEL_SCALAR */
	size_t verify_every;  /**< version 3: 0 (default) = off; N = every Nth
				   record the fast path reads is read again on
				   the reference path and the two compared: a
				   difference is DTS_ERROR ("fast and reference
				   paths differ at line L"), the reader then
				   unusable */
} dts_csv_options;

#define DTS_CSV_OPTIONS_INIT { DTS_CSV_OPTIONS_VERSION, ',', 1, NULL, 0, 0, 0, 0, 0, 0 }

/**
 * One record. Everything it points to belongs to the reader and stays
 * valid until the next dts_csv_next() or dts_csv_free().
 */
typedef struct dts_csv_row {
	const char *const *fields; /**< nfields values, unquoted, NUL-terminated */
	const size_t *lens;        /**< their lengths in bytes */
	size_t nfields;            /**< 0 for a rejected record */
	uint64_t line;             /**< 1-based line where the record starts */
	uint64_t record;           /**< 1-based record number, rejected ones
					included, the header not */
	const char *raw;           /**< the record as written (after encoding
					conversion), without its line end */
	size_t raw_len;
	uint64_t offset;           /**< input bytes consumed so far, for progress
					(converted input: within one block) */
	const char *error;         /**< the reason when rejected, else NULL */
	size_t column;             /**< 1-based column of the error, or 0 */
} dts_csv_row;

/**
 * Open `path` for reading; NULL or "-" reads standard input (not closed by
 * dts_csv_free). When the options ask for a header, the header record is
 * read here. Errors: DTS_EIO (the message names the path), DTS_EINVAL (bad
 * options or encoding), DTS_EINPUT (malformed header), DTS_ENOMEM.
 * opts may be NULL for the defaults. Thread-safe; the reader itself must
 * be used by one thread at a time.
 */
DTS_API int dts_csv_open_file(dts_csv **out, const char *path,
			      const dts_csv_options *opts);

/**
 * Read from an open descriptor, which the reader does not close. `name`
 * (may be NULL) names the input in error messages.
 */
DTS_API int dts_csv_open_fd(dts_csv **out, int fd, const char *name,
			    const dts_csv_options *opts);

/**
 * Like dts_csv_open_fd(), for a descriptor whose first `head_len` bytes
 * the caller has already read into `head` (copied), e.g. to sniff the
 * format of a pipe: the reader sees head, then the rest of fd.
 */
DTS_API int dts_csv_open_fd_head(dts_csv **out, int fd, const void *head,
				 size_t head_len, const char *name,
				 const dts_csv_options *opts);

/**
 * Read `len` bytes at `data` (the in-memory reader): the same records,
 * rejections and line numbers as a file holding those bytes, and
 * dts_csv_input_size() is `len`. The bytes are borrowed, not copied at
 * open: they must stay valid and unchanged until dts_csv_free(). `name`
 * (may be NULL: "(buffer)") names the input in errors, which give
 * name:line. data may be NULL when len is 0 (an empty input). The
 * library's own CSV inputs held in memory (classifier list files, rates
 * files) are read with it. Errors: DTS_EINVAL (NULL out, NULL data with
 * len > 0, bad options), DTS_EINPUT (malformed header), DTS_ENOMEM.
 * Thread-safe; the reader itself must be used by one thread at a time.
 */
DTS_API int dts_csv_open_buffer(dts_csv **out, const char *data, size_t len,
				const char *name, const dts_csv_options *opts);

/** Close the reader. NULL is a no-op. */
DTS_API void dts_csv_free(dts_csv *reader);

/**
 * Read the next record into *row. Returns 1 with a record; 0 at the end
 * of input; DTS_EINPUT for a rejected record (row->line, row->raw,
 * row->error say which and why; the per-thread error is set too) — call
 * again to go on with the next record; DTS_EIO on a read error and
 * DTS_ENOMEM, after which the reader is unusable.
 */
DTS_API int dts_csv_next(dts_csv_row *row, dts_csv *reader);

/**
 * The header: *names gets an array of NUL-terminated column names owned by
 * the reader (valid until dts_csv_free). Returns the number of columns;
 * 0 when the options asked for no header or the input is empty.
 */
DTS_API size_t dts_csv_header(const dts_csv *reader,
			      const char *const **names);

/** Size of the input in bytes when known (regular file, buffer), else -1. */
DTS_API int64_t dts_csv_input_size(const dts_csv *reader);

/**
 * The encoding being read, as decided at open (see "Encodings" above):
 * "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GB18030" or, when
 * forced, "GBK". A static string; NULL only for a NULL reader.
 */
DTS_API const char *dts_csv_encoding(const dts_csv *reader);

#ifdef __cplusplus
}
#endif
#endif
