/* input.c — CSV or customs XML records for the tools (see input.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Bytes read to tell XML from CSV before any reader is opened. */
#define SNIFF_MAX 4096

struct input {
	char *path;
	int fd, own_fd;
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

/*
 * XML when the first character that is not blank (after a byte-order
 * mark) is '<', CSV when it is anything else, 0 while all is blank. UTF-16
 * (marked, or NUL-interleaved) is read by code units, so UTF-16 XML goes
 * to libxml2, which reads it, and UTF-16 CSV to the CSV reader, which
 * names it. The same bytes decide for a file and for a pipe.
 */
static input_format sniff(const unsigned char *b, size_t n)
{
	size_t i = 0, step = 1;
	int le = 0;

	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		le = b[0] == 0xFF;
		i = step = 2;
	} else if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		i = 3;
	} else if (n >= 2 && (!b[0]) != (!b[1])) {
		le = b[0] != 0;
		step = 2;
	}
	for (; i + step <= n; i += step) {
		unsigned c = step == 1 ? b[i] : le ? b[i] | (unsigned)b[i + 1] << 8
						  : (unsigned)b[i] << 8 | b[i + 1];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return c == '<' ? INPUT_XML : INPUT_CSV;
	}
	return INPUT_AUTO;
}

/* Read the start of the input, until its format is known (or SNIFF_MAX). */
static int peek(input *in, unsigned char *b, size_t *n)
{
	ssize_t k = 1;

	*n = 0;
	while (k > 0 && *n < SNIFF_MAX && sniff(b, *n) == INPUT_AUTO) {
		do
			k = read(in->fd, b + *n, SNIFF_MAX - *n);
		while (k < 0 && errno == EINTR);
		if (k < 0) {
			tool_warn("%s: read: %s", input_path(in), strerror(errno));
			return -2;
		}
		*n += (size_t)k;
	}
	return 0;
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

static const char *lib_name(const input *in)
{
	return in->own_fd ? in->path : "(stdin)";
}

static int open_csv(input *in, const input_options *o, const unsigned char *head,
		    size_t nhead)
{
	dts_csv_options co = DTS_CSV_OPTIONS_INIT;
	const char *const *names;
	size_t n;

	if (o->separator)
		co.separator = o->separator;
	co.encoding = o->encoding;
	if (dts_csv_open_fd_head(&in->csv, in->fd, head, nhead, lib_name(in), &co) < 0)
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

static int open_xml(input *in, const input_options *o, const unsigned char *head,
		    size_t nhead)
{
	struct stat st;
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		in->xml_names[i] = dts_field_name(xml_fields[i]);
	for (i = 0; i < NLEAVES; i++)
		in->xml_names[NFIELDS + i] = xml_leaves[i];
	if (dts_ceb_open_fd_head(&in->ceb, in->fd, head, nhead, lib_name(in), NULL) < 0)
		return -1;
	if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
		in->size = (int64_t)st.st_size;
	return bind_columns(in, in->xml_names, NXML, o);
}

/* The descriptor to read: the file, or standard input for NULL and "-". */
static int open_fd(input *in)
{
	in->fd = STDIN_FILENO;
	if (!in->path || strcmp(in->path, "-") == 0)
		return 0;
	do
		in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
	while (in->fd < 0 && errno == EINTR);
	if (in->fd < 0) {
		tool_warn("%s: %s", in->path, strerror(errno));
		return -2;
	}
	in->own_fd = 1;
	return 0;
}

/* Files and pipes alike: peek, decide, then give the reader the peeked
 * bytes and the rest of the stream. */
static int open_reader(input *in, const input_options *o)
{
	unsigned char head[SNIFF_MAX];
	size_t nhead;
	input_format fmt;
	int rc;

	if ((rc = open_fd(in)) < 0 || (rc = peek(in, head, &nhead)) < 0)
		return rc;
	fmt = o->format ? o->format : sniff(head, nhead);
	return fmt == INPUT_XML ? open_xml(in, o, head, nhead) : open_csv(in, o, head, nhead);
}

int input_open(input **out, const char *path, const input_options *o)
{
	input *in = calloc(1, sizeof(*in));
	int rc;

	*out = NULL;
	if (!in || (path && !(in->path = strdup(path)))) {
		free(in);
		tool_warn("out of memory");
		return -1;
	}
	in->size = -1;
	in->fd = -1;
	rc = open_reader(in, o);
	/* The library says DTS_EINVAL for an option it cannot use (an unknown
	 * --encoding): the user's mistake, exit 2 like a bad --map. */
	if (rc == -1 && tool_lib_error(NULL) == EXIT_USAGE)
		rc = -3;
	if (rc < 0) {
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
	if (in->own_fd)
		close(in->fd);
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
