/*
 * rec_input.c — one reconciliation input as rows of named values: a CSV
 * file through dts/csv.h, or a customs XML file through dts/ceb.h (one row
 * per List item, carrying its Head's leaves). Columns are resolved once by
 * name so the per-row cost is an array access for CSV.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reconcile.h"
#include "tool.h"
#ifdef HAVE_DTS_CEB
#include "dts/ceb.h"
#endif

#define MAX_COLS 64

struct rec_input {
	const char *path;
	int xml;
	int64_t size;
	/* CSV */
	dts_csv *csv;
	dts_binding *binding;
	const char *const *hdr;
	size_t nhdr;
	dts_csv_row row;
	/* XML */
#ifdef HAVE_DTS_CEB
	dts_ceb *ceb;
	dts_ceb_record rec;
#endif
	char *names[MAX_COLS];   /* XML: the leaf or field name of each handle */
	int fields[MAX_COLS];    /* XML: canonical field of each handle, or -1 */
	size_t ncols;
};

/* Customs XML starts with '<' after an optional BOM and blanks. */
static int sniff_xml(const char *path)
{
	unsigned char buf[256];
	size_t n, i = 0;
	FILE *f;

	if (!path || !strcmp(path, "-") || !(f = fopen(path, "rb")))
		return 0;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
			 buf[i] == '\n'))
		i++;
	return i < n && buf[i] == '<';
}

static int open_csv(rec_input *in, const char *const *map, size_t nmap)
{
	if (dts_csv_open_file(&in->csv, in->path, NULL) < 0) {
		tool_lib_error(NULL);
		return -1;
	}
	in->nhdr = dts_csv_header(in->csv, &in->hdr);
	if (in->nhdr == 0) {
		tool_warn("%s: empty input (no header)", in->path);
		return -1;
	}
	if (dts_binding_new(&in->binding, in->hdr, in->nhdr, map, nmap) < 0) {
		tool_lib_error(in->path);
		return -1;
	}
	return 0;
}

int rec_input_open(rec_input **out, const char *path, const char *const *map,
		   size_t nmap)
{
	rec_input *in = calloc(1, sizeof(*in));
	struct stat st;

	*out = NULL;
	if (!in) {
		tool_warn("out of memory");
		return -1;
	}
	in->path = path;
	in->xml = sniff_xml(path);
	in->size = path && strcmp(path, "-") && stat(path, &st) == 0 ?
		   (int64_t)st.st_size : -1;
	if (in->xml) {
#ifdef HAVE_DTS_CEB
		if (dts_ceb_open_file(&in->ceb, path, NULL) < 0) {
			tool_lib_error(NULL);
			rec_input_free(in);
			return -1;
		}
#else
		tool_warn("%s: customs XML input needs libdts built with the "
			  "CEB reader", path);
		rec_input_free(in);
		return -1;
#endif
	} else if (open_csv(in, map, nmap) < 0) {
		rec_input_free(in);
		return -1;
	}
	*out = in;
	return 0;
}

void rec_input_free(rec_input *in)
{
	if (!in)
		return;
	dts_csv_free(in->csv);
	dts_binding_free(in->binding);
#ifdef HAVE_DTS_CEB
	dts_ceb_free(in->ceb);
#endif
	for (size_t i = 0; i < in->ncols; i++)
		free(in->names[i]);
	free(in);
}

const char *rec_input_path(const rec_input *in) { return in->path; }
int rec_input_is_xml(const rec_input *in) { return in->xml; }
int64_t rec_input_size(const rec_input *in) { return in->size; }

/* The canonical field a name stands for: exact canonical name or alias. */
static int field_of(const char *name)
{
	int f = dts_field_lookup(name);

	return f >= 0 ? f : dts_field_alias(name, strlen(name));
}

int rec_input_column(rec_input *in, const char *name)
{
	int f;

	if (!in->xml) {
		for (size_t c = 0; c < in->nhdr; c++)
			if (!strcmp(in->hdr[c], name))
				return (int)c;
		f = field_of(name);
		return f >= 0 ? dts_binding_column(in->binding, f) : -1;
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
	int rc;

	if (!in->xml) {
		rc = dts_csv_next(&in->row, in->csv);
		*line = in->row.line;
		*why = in->row.error;
		if (rc < 0 && rc != DTS_EINPUT)
			tool_lib_error(in->path);
		return rc;
	}
#ifdef HAVE_DTS_CEB
	rc = dts_ceb_next(&in->rec, in->ceb);
	*line = in->rec.line;
	*why = in->rec.error;
	if (rc < 0 && rc != DTS_EINPUT)
		tool_lib_error(in->path);
	return rc;
#else
	return DTS_EIO;
#endif
}

const char *rec_input_get(const rec_input *in, int col, size_t *len)
{
	*len = 0;
	if (col < 0)
		return "";
	if (!in->xml) {
		if ((size_t)col >= in->row.nfields)
			return "";
		*len = in->row.lens[col];
		return in->row.fields[col];
	}
#ifdef HAVE_DTS_CEB
	{
		const char *v = dts_ceb_get(&in->rec, in->names[col], -1, len);

		if (v)
			return v;
		for (size_t i = 0; in->fields[col] >= 0 && i < in->rec.nfields; i++)
			if (in->rec.fields[i].field == in->fields[col]) {
				*len = in->rec.fields[i].len;
				return in->rec.fields[i].data;
			}
	}
#endif
	*len = 0;
	return "";
}

int rec_input_classify(rec_input *in, dts_scanner *sc, dts_result *res,
		       char *why, size_t wn)
{
	int rc;

	if (!in->xml)
		rc = dts_scanner_classify_row(res, sc, in->binding,
					      in->row.fields, in->row.lens,
					      in->row.nfields);
#ifdef HAVE_DTS_CEB
	else
		rc = dts_scanner_classify(res, sc, in->rec.fields,
					  in->rec.nfields);
#else
	else
		rc = DTS_EINVAL;
#endif
	if (rc == DTS_EINPUT) {
		snprintf(why, wn, "%s", dts_error_last()->message);
		return rc;
	}
	/* DTS_ELIMIT keeps the result with that regex counted as no match. */
	return rc == DTS_ELIMIT ? 0 : rc;
}
