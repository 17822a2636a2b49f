/*
 * source.c — one input of records (CSV, customs XML or an Excel workbook) as rows of columns,
 * sniffed from its first bytes, and the shared reject policy (dts/source.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "internal.h"
#include "xlsx_int.h"

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

#define PARTIAL_PREFIX "dts-cube-partial "

struct dts_source {
	char *path;                  /* as given, "-" for stdin */
	const char *reader_name;     /* what the readers call it */
	int fd, own_fd;
	char separator;
	dts_csv *csv;
	dts_ceb *ceb;
	dts_binding *binding;
	dts_ceb_record rec;          /* XML: the last record read */
	const char *xml_names[NXML];
	const char *xml_cols[NXML];
	size_t xml_lens[NXML];
	int64_t size;
	dts_format fmt;              /* workbooks: DTS_FORMAT_XLSX or _XLS */
	dts_xlsx *xlsx;
	char **xhead;                /* workbooks: the first row, copied */
	size_t nxhead;
	const char **xcols;          /* a row padded to the header's width */
	size_t *xlens;
	dts__buf xraw;               /* a rejected row's cells, joined */
	char xerr[128];
};

/* ---- sniffing ------------------------------------------------------------ */

static dts_format sniff(const unsigned char *b, size_t n)
{
	size_t i = 0, step = 1, m = sizeof(PARTIAL_PREFIX) - 1;
	int le = 0;

	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

	if (n >= m && memcmp(b, PARTIAL_PREFIX, m) == 0)
		return DTS_FORMAT_PARTIAL;
	/* Workbooks: a zip's local header, an OLE compound file's magic. */
	if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
		return DTS_FORMAT_XLSX;
	if (n >= 8 && memcmp(b, ole, 8) == 0)
		return DTS_FORMAT_XLS;
	if (n > 0 && ((n < 4 && memcmp(b, "PK\x03\x04", n) == 0) || (n < 8 && memcmp(b, ole, n) == 0)))
		return DTS_FORMAT_UNKNOWN;
	/* A pipe's first read may stop inside the magic: not CSV yet. */
	if (n > 0 && n < m && memcmp(b, PARTIAL_PREFIX, n) == 0)
		return DTS_FORMAT_UNKNOWN;
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
			return c == '<' ? DTS_FORMAT_CEB_XML : DTS_FORMAT_CSV;
	}
	return DTS_FORMAT_UNKNOWN;
}

int dts_source_sniff(dts_format *out, const void *head, size_t len)
{
	if (!out || (!head && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_source_sniff: NULL argument");
	*out = sniff(head, len);
	return 0;
}

/* Read until the format is known, the end of input or DTS_SOURCE_SNIFF_MAX. */
static int peek(int fd, const char *name, unsigned char *b, size_t *n)
{
	ssize_t k = 1;

	*n = 0;
	while (k > 0 && *n < DTS_SOURCE_SNIFF_MAX && sniff(b, *n) == DTS_FORMAT_UNKNOWN) {
		do
			k = read(fd, b + *n, DTS_SOURCE_SNIFF_MAX - *n);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return dts__error(DTS_EIO, name, 0, 0, "read: %s", strerror(errno));
		*n += (size_t)k;
	}
	return 0;
}

static int open_path(int *fd, const char *path)
{
	do
		*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (*fd < 0 && errno == EINTR);
	if (*fd < 0)
		return dts__error(DTS_EIO, path, 0, 0, "%s", strerror(errno));
	return 0;
}

int dts_source_sniff_file(dts_format *out, const char *path)
{
	unsigned char head[DTS_SOURCE_SNIFF_MAX];
	struct stat st;
	size_t n;
	int fd, rc = 0;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_source_sniff_file: NULL argument");
	*out = DTS_FORMAT_UNKNOWN;
	if (!path || strcmp(path, "-") == 0)
		return 0;
	/* Without blocking: a FIFO's bytes, once read, would be lost. */
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return dts__error(DTS_EIO, path, 0, 0, "%s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (rc = peek(fd, path, head, &n)) == 0)
		*out = sniff(head, n);
	close(fd);
	return rc;
}

/* ---- opening --------------------------------------------------------------- */

static const char *err_name(const dts_source *s)
{
	return s->path;
}

static int bind_columns(dts_source *s, const char *const *names, size_t n,
			const dts_source_options *o)
{
	int rc = dts_binding_new(&s->binding, names, n, o->map, o->nmap);

	/* A --map mistake is about this input: name it in the error. */
	if (rc < 0 && rc != DTS_ENOMEM) {
		const dts_error *e = dts_error_last();
		char why[sizeof(e->message)];

		snprintf(why, sizeof(why), "%s", e ? e->message : "cannot bind the columns");
		rc = dts__error(rc, err_name(s), 0, 0, "%s", why);
	}
	return rc;
}

static int open_csv(dts_source *s, const dts_source_options *o, const void *head,
		    size_t nhead, const void *buf, size_t len)
{
	dts_csv_options co = DTS_CSV_OPTIONS_INIT;
	const char *const *names;
	size_t n;
	int rc;

	co.separator = s->separator;
	co.encoding = o->encoding;
	co.block_size = o->block_size;
	rc = buf ? dts_csv_open_buffer(&s->csv, buf, len, s->reader_name, &co)
		 : dts_csv_open_fd_head(&s->csv, s->fd, head, nhead, s->reader_name, &co);
	if (rc < 0)
		return rc;
	n = dts_csv_header(s->csv, &names);
	if (n == 0)
		return dts__error(DTS_EINPUT, err_name(s), 0, 0, "empty input: no header row");
	s->size = dts_csv_input_size(s->csv);
	return bind_columns(s, names, n, o);
}

static int open_xml(dts_source *s, const dts_source_options *o, const void *head,
		    size_t nhead, const void *buf, size_t len)
{
	dts_ceb_options xo = DTS_CEB_OPTIONS_INIT;
	struct stat st;
	size_t i;
	int rc;

	xo.block_size = o->block_size;
	for (i = 0; i < NFIELDS; i++)
		s->xml_names[i] = dts_field_name(xml_fields[i]);
	for (i = 0; i < NLEAVES; i++)
		s->xml_names[NFIELDS + i] = xml_leaves[i];
	rc = buf ? dts_ceb_open_buffer(&s->ceb, buf, len, s->reader_name, &xo)
		 : dts_ceb_open_fd_head(&s->ceb, s->fd, head, nhead, s->reader_name, &xo);
	if (rc < 0)
		return rc;
	if (buf)
		s->size = (int64_t)len;
	else if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		s->size = (int64_t)st.st_size;
	return bind_columns(s, s->xml_names, NXML, o);
}

/* A workbook: the whole input is read (a zip needs random access), the
 * first non-empty row is the header. */
static int open_workbook(dts_source *s, const dts_source_options *o, const void *head,
			 size_t nhead, const void *buf, size_t len)
{
	dts_xlsx_options xo = DTS_XLSX_OPTIONS_INIT;
	dts_xlsx_row r;
	struct stat st;
	int rc;

	xo.sheet = o->version >= 2 ? o->sheet : NULL;
	rc = buf ? dts_xlsx_open_buffer(&s->xlsx, buf, len, s->reader_name, &xo)
		 : dts__xlsx_open_fd_head(&s->xlsx, s->fd, head, nhead, s->reader_name, &xo);
	if (rc < 0)
		return rc;
	if (buf)
		s->size = (int64_t)len;
	else if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		s->size = (int64_t)st.st_size;
	if ((rc = dts_xlsx_next(&r, s->xlsx)) == 0)
		return dts__error(DTS_EINPUT, err_name(s), 0, 0, "empty input: no header row");
	if (rc == DTS_EINPUT) {
		char why[256]; /* r.error may be the thread's error message itself */

		snprintf(why, sizeof(why), "%s", r.error ? r.error : "malformed");
		return dts__error(DTS_EINPUT, err_name(s), (unsigned)r.line, 0, "header: %s", why);
	}
	if (rc < 0)
		return rc;
	if (!(s->xhead = calloc(r.ncols, sizeof(*s->xhead))) ||
	    !(s->xcols = calloc(r.ncols, sizeof(*s->xcols))) ||
	    !(s->xlens = calloc(r.ncols, sizeof(*s->xlens))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (s->nxhead = 0; s->nxhead < r.ncols; s->nxhead++)
		if (!(s->xhead[s->nxhead] = strdup(r.cols[s->nxhead])))
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return bind_columns(s, (const char *const *)s->xhead, s->nxhead, o);
}

static int open_reader(dts_source *s, const dts_source_options *o,
		       const void *buf, size_t len)
{
	unsigned char head[DTS_SOURCE_SNIFF_MAX];
	size_t nhead = 0;
	dts_format fmt;
	int rc;

	if (o->format != DTS_FORMAT_UNKNOWN && o->format != DTS_FORMAT_CSV &&
	    o->format != DTS_FORMAT_CEB_XML && o->format != DTS_FORMAT_XLSX &&
	    o->format != DTS_FORMAT_XLS)
		return dts__error(DTS_EINVAL, err_name(s), 0, 0,
				  "a source reads CSV, customs XML or workbooks, not format %d",
				  (int)o->format);
	if (!buf && (rc = peek(s->fd, err_name(s), head, &nhead)) < 0)
		return rc;
	fmt = buf ? sniff(buf, len < DTS_SOURCE_SNIFF_MAX ? len : DTS_SOURCE_SNIFF_MAX)
		  : sniff(head, nhead);
	if (o->format == DTS_FORMAT_UNKNOWN && fmt == DTS_FORMAT_PARTIAL)
		return dts__error(DTS_EINPUT, err_name(s), 0, 0,
				  "is a cube partial, not records");
	if (o->format)
		fmt = o->format;
	if (fmt == DTS_FORMAT_XLSX || fmt == DTS_FORMAT_XLS) {
		s->fmt = fmt;
		return open_workbook(s, o, head, nhead, buf, len);
	}
	return fmt == DTS_FORMAT_CEB_XML ? open_xml(s, o, head, nhead, buf, len)
					 : open_csv(s, o, head, nhead, buf, len);
}

static int source_new(dts_source **out, const char *name, const char *reader_name,
		      int fd, const dts_source_options *opts)
{
	dts_source *s;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_source_open: NULL out");
	*out = NULL;
	/* version 1 lacks `sheet`: still accepted (docs/abi.md) */
	if (opts && opts->version != DTS_SOURCE_OPTIONS_VERSION && opts->version != 1)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_source_options version %u, expected %u",
				  opts->version, DTS_SOURCE_OPTIONS_VERSION);
	if (!(s = calloc(1, sizeof(*s))) || !(s->path = strdup(name))) {
		free(s);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	s->reader_name = reader_name ? reader_name : s->path;
	s->fd = fd;
	s->size = -1;
	s->separator = opts && opts->separator ? opts->separator : ',';
	*out = s;
	return 0;
}

static int finish_open(dts_source **out, dts_source *s, const dts_source_options *opts,
		       const void *buf, size_t len)
{
	static const dts_source_options defaults = DTS_SOURCE_OPTIONS_INIT;
	int rc = open_reader(s, opts ? opts : &defaults, buf, len);

	if (rc < 0) {
		dts_source_free(s);
		*out = NULL;
	}
	return rc;
}

int dts_source_open(dts_source **out, const char *path, const dts_source_options *opts)
{
	int stdin_ = !path || strcmp(path, "-") == 0;
	dts_source *s;
	int rc;

	if ((rc = source_new(out, stdin_ ? "-" : path, stdin_ ? "(stdin)" : NULL,
			     STDIN_FILENO, opts)) < 0)
		return rc;
	s = *out;
	if (!stdin_) {
		if ((rc = open_path(&s->fd, path)) < 0) {
			dts_source_free(s);
			*out = NULL;
			return rc;
		}
		s->own_fd = 1;
	}
	return finish_open(out, s, opts, NULL, 0);
}

int dts_source_open_fd(dts_source **out, int fd, const char *name,
		       const dts_source_options *opts)
{
	int rc = source_new(out, name ? name : "(fd)", NULL, fd, opts);

	return rc < 0 ? rc : finish_open(out, *out, opts, NULL, 0);
}

int dts_source_open_buffer(dts_source **out, const void *data, size_t len,
			   const char *name, const dts_source_options *opts)
{
	int rc;

	if (!data && len)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_source_open_buffer: NULL data");
	if ((rc = source_new(out, name ? name : "(buffer)", NULL, -1, opts)) < 0)
		return rc;
	return finish_open(out, *out, opts, data ? data : "", len);
}

void dts_source_free(dts_source *s)
{
	if (!s)
		return;
	dts_csv_free(s->csv);
	dts_ceb_free(s->ceb);
	dts_xlsx_free(s->xlsx);
	for (size_t i = 0; i < s->nxhead; i++)
		free(s->xhead[i]);
	free(s->xhead);
	free(s->xcols);
	free(s->xlens);
	dts__buf_free(&s->xraw);
	if (s->own_fd)
		close(s->fd);
	dts_binding_free(s->binding);
	free(s->path);
	free(s);
}

/* ---- reading ------------------------------------------------------------- */

const char *dts_source_name(const dts_source *s)
{
	return s->path;
}

dts_format dts_source_format(const dts_source *s)
{
	return s->xlsx ? s->fmt : s->ceb ? DTS_FORMAT_CEB_XML : DTS_FORMAT_CSV;
}

size_t dts_source_header(const dts_source *s, const char *const **names)
{
	if (s->csv)
		return dts_csv_header(s->csv, names);
	if (s->xlsx) {
		*names = (const char *const *)s->xhead;
		return s->nxhead;
	}
	*names = s->xml_names;
	return NXML;
}

int dts_source_same_columns(const dts_source *a, const dts_source *b)
{
	const char *const *na, *const *nb;
	size_t n, i;

	if (!a || !b || (n = dts_source_header(a, &na)) != dts_source_header(b, &nb))
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(na[i], nb[i]) != 0)
			return 0;
	return 1;
}

const dts_binding *dts_source_binding(const dts_source *s)
{
	return s->binding;
}

char dts_source_separator(const dts_source *s)
{
	return s->separator;
}

int64_t dts_source_size(const dts_source *s)
{
	return s->size;
}

const char *dts_source_encoding(const dts_source *s)
{
	if (s->csv)
		return dts_csv_encoding(s->csv);
	if (s->xlsx)   /* a workbook's strings are XML, in UTF-8 */
		return s->fmt == DTS_FORMAT_XLS ? "xls" : "xlsx";
	return "XML";
}

const dts_ceb_record *dts_source_ceb_record(const dts_source *s)
{
	return s->ceb ? &s->rec : NULL;
}

static int next_csv(dts_source *s, dts_source_row *row)
{
	dts_csv_row r;
	int rc = dts_csv_next(&r, s->csv);

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
	}
	return rc;
}

static int next_xml(dts_source *s, dts_source_row *row)
{
	const dts_ceb_record *r = &s->rec;
	size_t i, j;
	int rc = dts_ceb_next(&s->rec, s->ceb);

	memset(row, 0, sizeof(*row));
	row->line = r->line;
	if (rc == DTS_EINPUT) {
		row->error = r->error;
		row->raw = r->raw;
		row->raw_len = r->raw_len;
		return rc;
	}
	if (rc != 1)
		return rc;
	for (i = 0; i < NFIELDS; i++) {
		s->xml_cols[i] = "";
		s->xml_lens[i] = 0;
		for (j = 0; j < r->nfields; j++)
			if (r->fields[j].field == xml_fields[i]) {
				s->xml_cols[i] = r->fields[j].data;
				s->xml_lens[i] = r->fields[j].len;
			}
	}
	for (i = 0; i < NLEAVES; i++) {
		const char *v = dts_ceb_get(r, xml_leaves[i], -1, &s->xml_lens[NFIELDS + i]);

		s->xml_cols[NFIELDS + i] = v ? v : "";
		if (!v)
			s->xml_lens[NFIELDS + i] = 0;
	}
	row->cols = s->xml_cols;
	row->lens = s->xml_lens;
	row->ncols = NXML;
	return 1;
}

/* A workbook row: padded with empty cells to the header's width, like a
 * CSV record of the same table; a row with more cells is rejected as CSV
 * rejects one (raw: its cells joined by the separator). */
static int next_xlsx(dts_source *s, dts_source_row *row)
{
	dts_xlsx_row r;
	int rc = dts_xlsx_next(&r, s->xlsx);
	size_t i;

	memset(row, 0, sizeof(*row));
	row->line = r.line;
	if (rc == DTS_EINPUT) {
		row->error = r.error;
		row->raw = "";
		return rc;
	}
	if (rc != 1)
		return rc;
	if (r.ncols > s->nxhead) {
		s->xraw.len = 0;
		for (i = 0; i < r.ncols; i++) {
			if (i)
				dts__buf_ch(&s->xraw, s->separator);
			dts__buf_csv(&s->xraw, r.cols[i], r.lens[i], s->separator);
		}
		if (s->xraw.oom)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		snprintf(s->xerr, sizeof(s->xerr), "wrong number of fields (got %zu, header has %zu)",
			 r.ncols, s->nxhead);
		dts__error(DTS_EINPUT, err_name(s), (unsigned)r.line, 0, "%s", s->xerr);
		row->error = s->xerr;
		row->raw = s->xraw.p ? s->xraw.p : "";
		row->raw_len = s->xraw.len;
		return DTS_EINPUT;
	}
	for (i = 0; i < s->nxhead; i++) {
		s->xcols[i] = i < r.ncols ? r.cols[i] : "";
		s->xlens[i] = i < r.ncols ? r.lens[i] : 0;
	}
	row->cols = s->xcols;
	row->lens = s->xlens;
	row->ncols = s->nxhead;
	return 1;
}

int dts_source_next(dts_source_row *row, dts_source *s)
{
	if (s->xlsx)
		return next_xlsx(s, row);
	return s->csv ? next_csv(s, row) : next_xml(s, row);
}

/* ---- the reject policy ----------------------------------------------------- */

int dts_source_classify(dts_result *out, dts_scanner *sc, const dts_binding *b,
			const char *const *cols, const size_t *lens, size_t ncols)
{
	dts_value vals[DTS_F_COUNT];
	size_t n = dts_binding_values(vals, b, cols, lens, ncols);
	int rc = dts_record_check(vals, n);

	if (rc == 0)
		rc = dts_scanner_classify(out, sc, vals, n);
	/* A regex stopped by its match limit would count the record in the
	 * wrong category: reject it, like a malformed value. */
	if (rc == DTS_ELIMIT) {
		const dts_error *e = dts_error_last();
		char why[sizeof(e->message)];

		snprintf(why, sizeof(why), "%s", e ? e->message : "regex match limit");
		rc = dts__error(DTS_EINPUT, NULL, 0, 0, "%s", why);
	}
	return rc;
}
