/*
 * input.h — one input file of records for the tools: a CSV file (any
 * encoding the CSV reader takes) or a customs CBEC XML message file, seen
 * the same way: a header of column names and rows of values, with bad
 * rows returned as rejects carrying their line and reason.
 */
#ifndef DTS_TOOL_INPUT_H
#define DTS_TOOL_INPUT_H

#include "tool.h"

typedef enum input_format {
	INPUT_AUTO = 0, /* XML when the first non-blank character is '<', else
			   CSV; files and stdin alike (input.c peeks, then
			   hands the peeked bytes and the rest to the reader) */
	INPUT_CSV,
	INPUT_XML
} input_format;

typedef struct input_options {
	input_format format;
	char separator;              /* CSV: 0 = ',' */
	const char *encoding;        /* CSV: NULL = UTF-8 */
	const char *const *map;      /* "COLUMN=FIELD" overrides */
	size_t nmap;
} input_options;

typedef struct input_row {
	const char *const *cols;  /* ncols values, NUL-terminated */
	const size_t *lens;
	size_t ncols;
	uint64_t line;            /* 1-based line where the record starts */
	const char *error;        /* rejected: the reason; else NULL */
	const char *raw;          /* rejected: the record as written */
	size_t raw_len;
	uint64_t offset;          /* input bytes consumed so far (progress) */
} input_row;

typedef struct input input;

/* Open `path` (NULL or "-" = stdin). Prints the error naming the path and
 * returns -1 when the input cannot be used, -2 when a --map entry is wrong
 * (a usage error). */
int input_open(input **out, const char *path, const input_options *o);
void input_free(input *in);

const char *input_path(const input *in);
/* Column names: the CSV header, or the canonical fields an XML record carries. */
size_t input_header(const input *in, const char *const **names);
const dts_binding *input_binding(const input *in);
/* Total size in bytes when known, else -1 (for the progress line). */
int64_t input_size(const input *in);

/* 1 when the input is customs XML. */
int input_is_xml(const input *in);
/* XML: the record the last input_next() returned, with every Head and List
 * leaf by name (dts_ceb_get); NULL for CSV. Valid until the next call. */
const dts_ceb_record *input_xml_record(const input *in);

/* Next row: 1 with a row, 0 at the end, DTS_EINPUT for a rejected row
 * (row->line, row->error, row->raw; call again to go on), or another
 * negative code after printing the error (the input is then unusable). */
int input_next(input *in, input_row *row);

/*
 * Check and classify one row bound by `b`: dts_record_check, then the
 * scanner. Returns 0 with *res filled, or DTS_EINPUT with the reason in
 * `why` (a malformed value, invalid UTF-8, or a regex stopped by the
 * match limit, which would otherwise count the record wrongly).
 */
int input_classify(dts_result *res, char *why, size_t whylen,
		   dts_scanner *sc, const dts_binding *b,
		   const char *const *cols, const size_t *lens, size_t ncols);

#endif
