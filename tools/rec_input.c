/*
 * rec_input.c — one reconciliation input as rows of named values, on top
 * of tools/input.c (the reader dts-classify and dts-aggregate use: CSV in
 * any encoding, or customs XML with one row per List item carrying its
 * Head's leaves). Columns are resolved once by name, so the per-row cost
 * is an array access for CSV and a leaf lookup for XML.
 */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "rec_input.h"

#define MAX_COLS 64

struct rec_input {
	const char *path;
	input *in;
	input_row row;
	const char *const *hdr;  /* CSV header, or the XML record's fields */
	size_t nhdr;
	char *names[MAX_COLS];   /* XML: the leaf or field name of each handle */
	int fields[MAX_COLS];    /* XML: canonical field of each handle, or -1 */
	size_t ncols;
};

int rec_input_open(rec_input **out, const char *path, const char *const *map,
		   size_t nmap)
{
	rec_input *in = calloc(1, sizeof(*in));
	input_options io = {0};

	*out = NULL;
	if (!in) {
		tool_warn("out of memory");
		return -1;
	}
	in->path = path;
	io.map = map;
	io.nmap = nmap;
	if (input_open(&in->in, path, &io) < 0) { /* it said why */
		free(in);
		return -1;
	}
	in->nhdr = input_header(in->in, &in->hdr);
	*out = in;
	return 0;
}

void rec_input_free(rec_input *in)
{
	if (!in)
		return;
	input_free(in->in);
	for (size_t i = 0; i < in->ncols; i++)
		free(in->names[i]);
	free(in);
}

const char *rec_input_path(const rec_input *in) { return in->path; }
int rec_input_is_xml(const rec_input *in) { return input_is_xml(in->in); }
int64_t rec_input_size(const rec_input *in) { return input_size(in->in); }

/* The canonical field a name stands for: exact canonical name or alias. */
static int field_of(const char *name)
{
	int f = dts_field_lookup(name);

	return f >= 0 ? f : dts_field_alias(name, strlen(name));
}

int rec_input_column(rec_input *in, const char *name)
{
	int f;

	if (!input_is_xml(in->in)) {
		for (size_t c = 0; c < in->nhdr; c++)
			if (!strcmp(in->hdr[c], name))
				return (int)c;
		f = field_of(name);
		return f >= 0 ? dts_binding_column(input_binding(in->in), f) : -1;
	}
	for (size_t i = 0; i < in->ncols; i++)
		if (!strcmp(in->names[i], name))
			return (int)i;
	if (in->ncols == MAX_COLS || !(in->names[in->ncols] = strdup(name)))
		return -1;
	in->fields[in->ncols] = field_of(name);
	return (int)in->ncols++;
}

int rec_input_next(rec_input *in, uint64_t *line, const char **why)
{
	int rc = input_next(in->in, &in->row); /* prints read errors itself */

	*line = in->row.line;
	*why = in->row.error;
	return rc;
}

const char *rec_input_get(const rec_input *in, int col, size_t *len)
{
	const dts_ceb_record *rec = input_xml_record(in->in);
	const char *v;
	int c;

	*len = 0;
	if (col < 0)
		return "";
	if (!rec) {
		if ((size_t)col >= in->row.ncols)
			return "";
		*len = in->row.lens[col];
		return in->row.cols[col];
	}
	/* A leaf by its own name, else the canonical field the reader mapped. */
	if ((v = dts_ceb_get(rec, in->names[col], -1, len)))
		return v;
	c = in->fields[col] >= 0 ?
	    dts_binding_column(input_binding(in->in), in->fields[col]) : -1;
	if (c >= 0 && (size_t)c < in->row.ncols) {
		*len = in->row.lens[c];
		return in->row.cols[c];
	}
	*len = 0;
	return "";
}

int rec_input_classify(rec_input *in, dts_scanner *sc, dts_result *res,
		       char *why, size_t wn)
{
	/* The same checks and reasons as dts-classify: a record it would
	 * reject (bad amount, date, flow, code; a regex stopped by the match
	 * limit) is rejected here too. */
	return input_classify(res, why, wn, sc, input_binding(in->in),
			      in->row.cols, in->row.lens, in->row.ncols);
}
