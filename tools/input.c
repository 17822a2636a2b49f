/* input.c — CSV or customs XML records for the tools (see input.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"

/* The canonical fields a customs message record carries, as columns. */
static const int xml_fields[] = {
	DTS_F_ID, DTS_F_SOURCE, DTS_F_FLOW, DTS_F_PERIOD, DTS_F_TRADE_MODE,
	DTS_F_HS_CODE, DTS_F_DESCRIPTION, DTS_F_COUNTERPART, DTS_F_CURRENCY,
	DTS_F_VALUE, DTS_F_PLATFORM,
};
#define NFIELDS (sizeof(xml_fields) / sizeof(xml_fields[0]))

/*
 * Message leaves passed through after the fields, under their own names:
 * the keys reconciliation joins on (orderNo, logisticsNo, invtNo + gnum)
 * and the quantities a statistician checks. Head or List, List first.
 */
static const char *const xml_leaves[] = {
	"orderNo", "logisticsNo", "invtNo", "gnum", "customsCode", "qty",
	"unit", "price",
};
#define NLEAVES (sizeof(xml_leaves) / sizeof(xml_leaves[0]))
#define NXML (NFIELDS + NLEAVES)

struct input {
	char *path;
	dts_csv *csv;
	dts_ceb *ceb;
	dts_binding *binding;
	dts_ceb_record rec;          /* XML: the last record read */
	const char *xml_names[NXML];
	const char *xml_cols[NXML];
	size_t xml_lens[NXML];
	int64_t size;
};

const char *input_path(const input *in);

static input_format sniff(const char *path)
{
	FILE *f;
	int c;

	if (!path || strcmp(path, "-") == 0)
		return INPUT_CSV; /* cannot peek at a pipe without consuming it */
	if (!(f = fopen(path, "rb")))
		return INPUT_CSV; /* the CSV reader reports the error */
	while ((c = getc(f)) == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == 0xEF || c == 0xBB || c == 0xBF)
		;
	fclose(f);
	return c == '<' ? INPUT_XML : INPUT_CSV;
}

/* A bad --map is the user's mistake, not the input's: -3. */
static int bind_columns(input *in, const char *const *names, size_t n,
		const input_options *o)
{
	int rc = dts_binding_new(&in->binding, names, n, o->map, o->nmap);

	if (rc == DTS_EINVAL || rc == DTS_ENOTFOUND) {
		tool_lib_error(input_path(in));
		return -3;
	}
	return rc < 0 ? -1 : 0;
}

static int open_csv(input *in, const input_options *o)
{
	dts_csv_options co = DTS_CSV_OPTIONS_INIT;
	const char *const *names;
	size_t n;

	if (o->separator)
		co.separator = o->separator;
	co.encoding = o->encoding;
	if (dts_csv_open_file(&in->csv, in->path, &co) < 0)
		return -1;
	n = dts_csv_header(in->csv, &names);
	if (n == 0) {
		dts_csv_free(in->csv);
		in->csv = NULL;
		tool_warn("%s: empty input: no header row", in->path ? in->path : "-");
		return -2;
	}
	in->size = dts_csv_input_size(in->csv);
	return bind_columns(in, names, n, o);
}

static int open_xml(input *in, const input_options *o)
{
	struct stat st;
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		in->xml_names[i] = dts_field_name(xml_fields[i]);
	for (i = 0; i < NLEAVES; i++)
		in->xml_names[NFIELDS + i] = xml_leaves[i];
	if (dts_ceb_open_file(&in->ceb, in->path, NULL) < 0)
		return -1;
	if (in->path && stat(in->path, &st) == 0 && S_ISREG(st.st_mode))
		in->size = (int64_t)st.st_size;
	return bind_columns(in, in->xml_names, NXML, o);
}

int input_open(input **out, const char *path, const input_options *o)
{
	input *in = calloc(1, sizeof(*in));
	input_format fmt = o->format ? o->format : sniff(path);
	int rc;

	*out = NULL;
	if (!in || (path && !(in->path = strdup(path)))) {
		free(in);
		tool_warn("out of memory");
		return -1;
	}
	in->size = -1;
	rc = fmt == INPUT_XML ? open_xml(in, o) : open_csv(in, o);
	if (rc < 0) {
		if (rc == -1)
			tool_lib_error(NULL);
		input_free(in);
		return rc == -3 ? -2 : -1;
	}
	*out = in;
	return 0;
}

void input_free(input *in)
{
	if (!in)
		return;
	dts_csv_free(in->csv);
	dts_ceb_free(in->ceb);
	dts_binding_free(in->binding);
	free(in->path);
	free(in);
}

const char *input_path(const input *in)
{
	return in->path ? in->path : "-";
}

size_t input_header(const input *in, const char *const **names)
{
	if (in->csv)
		return dts_csv_header(in->csv, names);
	*names = in->xml_names;
	return NXML;
}

const dts_binding *input_binding(const input *in)
{
	return in->binding;
}

int64_t input_size(const input *in)
{
	return in->size;
}

int input_is_xml(const input *in)
{
	return in->ceb != NULL;
}

const dts_ceb_record *input_xml_record(const input *in)
{
	return in->ceb ? &in->rec : NULL;
}

static int next_csv(input *in, input_row *row)
{
	dts_csv_row r;
	int rc = dts_csv_next(&r, in->csv);

	memset(row, 0, sizeof(*row));
	row->line = r.line;
	row->offset = r.offset;
	if (rc == 1) {
		row->cols = r.fields;
		row->lens = r.lens;
		row->ncols = r.nfields;
	} else if (rc == DTS_EINPUT) {
		row->error = r.error;
		row->raw = r.raw;
		row->raw_len = r.raw_len;
	} else if (rc < 0) {
		tool_lib_error(input_path(in));
	}
	return rc;
}

static int next_xml(input *in, input_row *row)
{
	dts_ceb_record r;
	size_t i, j;
	int rc = dts_ceb_next(&in->rec, in->ceb);

	r = in->rec;

	memset(row, 0, sizeof(*row));
	row->line = r.line;
	if (rc == DTS_EINPUT) {
		row->error = r.error;
		row->raw = r.raw;
		row->raw_len = r.raw_len;
		return rc;
	}
	if (rc < 0)
		tool_lib_error(input_path(in));
	if (rc != 1)
		return rc;
	for (i = 0; i < NFIELDS; i++) {
		in->xml_cols[i] = "";
		in->xml_lens[i] = 0;
		for (j = 0; j < r.nfields; j++)
			if (r.fields[j].field == xml_fields[i]) {
				in->xml_cols[i] = r.fields[j].data;
				in->xml_lens[i] = r.fields[j].len;
			}
	}
	for (i = 0; i < NLEAVES; i++) {
		const char *v = dts_ceb_get(&r, xml_leaves[i], -1, &in->xml_lens[NFIELDS + i]);

		in->xml_cols[NFIELDS + i] = v ? v : "";
		if (!v)
			in->xml_lens[NFIELDS + i] = 0;
	}
	row->cols = in->xml_cols;
	row->lens = in->xml_lens;
	row->ncols = NXML;
	return 1;
}

int input_next(input *in, input_row *row)
{
	return in->csv ? next_csv(in, row) : next_xml(in, row);
}

int input_classify(dts_result *res, char *why, size_t whylen,
		   dts_scanner *sc, const dts_binding *b,
		   const char *const *cols, const size_t *lens, size_t ncols)
{
	dts_value vals[DTS_F_COUNT];
	size_t n = dts_binding_values(vals, b, cols, lens, ncols);
	int rc;

	rc = dts_record_check(vals, n);
	if (rc == 0)
		rc = dts_scanner_classify(res, sc, vals, n);
	if (rc == DTS_EINPUT || rc == DTS_ELIMIT) {
		snprintf(why, whylen, "%s", dts_error_last()->message);
		return DTS_EINPUT;
	}
	return rc;
}
