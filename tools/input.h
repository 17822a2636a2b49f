/*
 * input.h — the tools' old names for a record source (dts/source.h), kept
 * as thin wrappers that print errors the tools' way until every tool calls
 * dts_source_* itself.
 */
#ifndef DTS_TOOL_INPUT_H
#define DTS_TOOL_INPUT_H

#include "tool.h"

typedef enum input_format {
	INPUT_AUTO = DTS_FORMAT_UNKNOWN, /* sniffed (dts_source_sniff) */
	INPUT_CSV = DTS_FORMAT_CSV,
	INPUT_XML = DTS_FORMAT_CEB_XML
} input_format;

typedef struct input_options {
	input_format format;
	char separator;              /* CSV: 0 = ',' */
	const char *encoding;        /* CSV: NULL = UTF-8 */
	const char *const *map;      /* "COLUMN=FIELD" overrides */
	size_t nmap;
} input_options;

typedef dts_source_row input_row;
typedef dts_source input;

/* Open `path` (NULL or "-" = stdin). Prints the error naming the path and
 * returns -1 when the input cannot be used, -2 when an option or --map
 * entry is wrong (a usage error). */
int input_open(input **out, const char *path, const input_options *o);
void input_free(input *in);

const char *input_path(const input *in);
size_t input_header(const input *in, const char *const **names);
const dts_binding *input_binding(const input *in);
int64_t input_size(const input *in);
int input_is_xml(const input *in);
const dts_ceb_record *input_xml_record(const input *in);

/* dts_source_next, printing a read error (the input is then unusable). */
int input_next(input *in, input_row *row);

/* dts_source_classify, with the reason copied into `why`. */
int input_classify(dts_result *res, char *why, size_t whylen,
		   dts_scanner *sc, const dts_binding *b,
		   const char *const *cols, const size_t *lens, size_t ncols);

#endif
