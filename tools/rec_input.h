/*
 * rec_input.h — one dts-reconcile input (CSV or customs XML, through
 * tools/input.c) as rows of named values. Goes when the library's record
 * source (dts/source.h) takes its job.
 */
#ifndef DTS_TOOL_REC_INPUT_H
#define DTS_TOOL_REC_INPUT_H

#include <stdint.h>

#include "tool.h"

typedef struct rec_input rec_input;

/* Open a CSV file or a customs XML file (sniffed). Prints the problem and
 * returns -1 when it cannot be opened. */
int rec_input_open(rec_input **out, const char *path, const char *const *map,
		   size_t nmap);
void rec_input_free(rec_input *in);
const char *rec_input_path(const rec_input *in);
int rec_input_is_xml(const rec_input *in);
int64_t rec_input_size(const rec_input *in);   /* bytes, or -1 */
/* A column: a header name, else a canonical field; -1 when a CSV header
 * has none (XML accepts every name: an absent leaf is empty). */
int rec_input_column(rec_input *in, const char *name);
/* 1 with a row, 0 at the end, DTS_EINPUT for a rejected row (*line and
 * *why set), < 0 on a read error (printed). */
int rec_input_next(rec_input *in, uint64_t *line, const char **why);
const char *rec_input_get(const rec_input *in, int col, size_t *len);
/* Check and classify the current row: 0, or DTS_EINPUT with why. */
int rec_input_classify(rec_input *in, dts_scanner *sc, dts_result *res,
		       char *why, size_t wn);

#endif
