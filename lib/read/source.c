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

#include <dirent.h>
#include <stddef.h>

#include "buf.h"
#include "internal.h"
#include "../record/check_int.h"
#include "csv_int.h"
#include "harmonise.h"
#include "profile_int.h"
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
#define HEAD_ROWS_MAX 12 /* HEAD_ROWS, below */

struct dts_source {
	char *path;                  /* as given, "-" for stdin */
	const char *reader_name;     /* what the readers call it */
	int fd, own_fd;
	char separator;
	dts_csv *csv;
	dts_ceb *ceb;
	dts_binding *binding;
	dts_ceb_record rec;          /* XML: the last record read */
	dts_profile *profile;        /* the profile chosen (NULL: canonical) */
	int profile_owned;           /* else a shared built-in one */
	const char *profile_name;    /* its name, or "canonical", "ceb-xml" */
	dts__plan *plan;             /* rows -> canonical records, or NULL */
	uint64_t line_base;          /* CSV: lines cut above the header */
	uint64_t skipped;            /* rows skipped above the header */
	char unit[64];               /* a 单位 row's unit */
	size_t nrec, irec;           /* records of the row being rewritten */
	uint64_t rec_line;
	const char *rec_raw;
	size_t rec_raw_len;
	uint64_t rec_offset;
	size_t ncsv;                 /* the CSV header's columns */
	char *own_buf;               /* a buffer input without the rows above the header */
	char why[96];
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
	struct xrow {                /* workbooks: rows read ahead, copied */
		char **cells;
		size_t *lens, n;
		uint64_t line;
		char *error;
	} xq[HEAD_ROWS_MAX];
	size_t nxq, ixq;
	char xerr[128];
	dts__harm *harm;             /* canonical reading: codes harmonised (harmonise.c) */
};

/* ---- sniffing ------------------------------------------------------------ */

static dts_format sniff(const unsigned char *b, size_t n)
{
	size_t i = 0, step = 1, m = sizeof(PARTIAL_PREFIX) - 1;
	int le = 0;

	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

	if (n >= m && memcmp(b, PARTIAL_PREFIX, m) == 0)
		return DTS_FORMAT_PARTIAL;
	/* The binary partial (dts_cube_write_binary_cb), by its magic. */
	if (n > 0 && memcmp(b, DTS_CUBE_BINARY_MAGIC, n < DTS_CUBE_BINARY_MAGIC_LEN ? n :
			    DTS_CUBE_BINARY_MAGIC_LEN) == 0)
		return n < DTS_CUBE_BINARY_MAGIC_LEN ? DTS_FORMAT_UNKNOWN : DTS_FORMAT_PARTIAL;
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

/* Read until the format is known, the end of input or DTS_SOURCE_SNIFF_MAX;
 * then, when more > 0 and it is CSV, on to `more` bytes or the end (the
 * header row may lie under a title). */
static int peek_more(int fd, const char *name, unsigned char *b, size_t *n, size_t more)
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
	while (k > 0 && *n < more && sniff(b, *n) == DTS_FORMAT_CSV) {
		do
			k = read(fd, b + *n, more - *n);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return dts__error(DTS_EIO, name, 0, 0, "read: %s", strerror(errno));
		*n += (size_t)k;
	}
	return 0;
}

static int peek(int fd, const char *name, unsigned char *b, size_t *n)
{
	return peek_more(fd, name, b, n, 0);
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

/* ---- profiles: which one, and where the header row is -------------------- */

/* Bytes of a CSV input read ahead to find its header row. */
#define HEAD_MAX ((size_t)64 << 10)
/* Rows looked at for a header row under a title and a 单位 row. */
#define HEAD_ROWS HEAD_ROWS_MAX

/* The profiles a header is scored against: the shared built-in ones
 * (not owned), then the caller's directory's (owned). */
typedef struct profiles {
	dts_profile *p[72];
	size_t n, nshared;
} profiles;

static void profiles_free(profiles *ps, const dts_profile *keep)
{
	for (size_t i = ps->nshared; i < ps->n; i++)
		if (ps->p[i] != keep)
			dts_profile_free(ps->p[i]);
	ps->n = ps->nshared = 0;
}

static int ends_with(const char *s, const char *t)
{
	size_t a = strlen(s), b = strlen(t);

	return a >= b && strcmp(s + a - b, t) == 0;
}

/* The built-in profiles, then the caller's directory (sorted by name). */
static int profiles_load(profiles *ps, const char *name, const char *dir)
{
	dts_profile *const *shared;
	size_t n;
	struct dirent **ents = NULL;
	int rc, m = 0;

	ps->n = ps->nshared = 0;
	if ((rc = dts__profile_builtins(&shared, &n)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		ps->p[ps->n++] = shared[i];
	ps->nshared = n;
	if (dir) {
		if ((m = scandir(dir, &ents, NULL, alphasort)) < 0)
			return dts__error(DTS_EINVAL, dir, 0, 0, "profile directory: %s",
					  strerror(errno));
		for (int i = 0; i < m; i++) {
			char path[4096];

			if (rc == 0 && ents[i]->d_name[0] != '.' && ends_with(ents[i]->d_name, ".xml") &&
			    ps->n < sizeof(ps->p) / sizeof(ps->p[0])) {
				snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
				if ((rc = dts_profile_load(&ps->p[ps->n], path)) == 0)
					ps->n++;
			}
			free(ents[i]);
		}
		free(ents);
	}
	(void)name;
	return rc;
}

/* The profile named by the caller: a file path, else a name. */
static int profile_named(dts_profile **out, int *owned, profiles *ps, const char *name,
			 const char *dir)
{
	int rc;

	*owned = 1;
	if (strchr(name, '/') || ends_with(name, ".xml"))
		return dts_profile_load(out, name);
	if ((rc = profiles_load(ps, name, dir)) < 0)
		return rc;
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(dts_profile_name(ps->p[i]), name) == 0) {
			*out = ps->p[i];
			*owned = i >= ps->nshared;
			profiles_free(ps, *out);
			return 0;
		}
	profiles_free(ps, NULL);
	return dts__error(DTS_EINVAL, NULL, 0, 0, "no profile '%s' (built-in: customs-stats, "
			  "declaration, bop, platform-orders, survey, canonical%s)", name,
			  dir ? "; or a NAME.xml in the profile directory" : "");
}

/* The best profile for a header row: *best (NULL = canonical), its score. */
static int profile_choose(const dts_profile **best, int *score, profiles *ps,
			  const char *const *names, size_t n, const char *what)
{
	int top = DTS_ENOTFOUND, canon = DTS_ENOTFOUND;
	const dts_profile *tie = NULL;

	*best = NULL;
	for (size_t i = 0; i < ps->n; i++) {
		int sc = dts_profile_score(ps->p[i], names, n);

		if (dts__profile_is_canonical(ps->p[i])) {
			canon = sc;
			continue;
		}
		if (sc > top)
			top = sc, *best = ps->p[i], tie = NULL;
		else if (sc == top && sc > 0)
			tie = ps->p[i];
	}
	/* The canonical reading wins a tie: today's files read as they did. */
	if (top < 2 || top <= canon) {
		*best = NULL;
		*score = canon;
		return 0;
	}
	*score = top;
	if (tie)
		return dts__error(DTS_EINPUT, what, 0, 0,
				  "the header fits profiles '%s' and '%s' equally (%d columns "
				  "each): name one with --profile", dts_profile_name(*best),
				  dts_profile_name(tie), top);
	return 0;
}

static size_t nonempty(const char *const *c, const size_t *l, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < l[i] && (c[i][j] == ' ' || c[i][j] == '\t'))
			j++;
		k += j < l[i];
	}
	(void)c;
	return k;
}

/*
 * Find the header row in the first bytes of a CSV input: the first of the
 * first HEAD_ROWS rows that some profile recognises at least 2 columns
 * of, when every row above it is a title or a 单位 row (one non-empty
 * cell). Returns its 1-based line (1 when the first row is the header, as
 * without profiles), and the unit a 单位 row stated.
 */
static uint64_t header_line(const char *b, size_t n, const dts_source_options *o,
			    profiles *ps, char *unit, size_t ucap, int *profiled)
{
	dts_csv_options co = DTS_CSV_OPTIONS_INIT;
	dts_csv *r = NULL;
	dts_csv_row row;
	uint64_t found = 1;
	int k;

	*unit = '\0';
	co.separator = o->separator ? o->separator : ',';
	co.header = 0;
	co.encoding = o->encoding;
	co.flags = DTS_CSV_RAGGED | (o->flags & DTS_SOURCE_REFERENCE ? DTS_CSV_REFERENCE : 0);
	if (dts_csv_open_buffer(&r, b, n, "(head)", &co) < 0)
		goto done;
	for (int i = 0; i < HEAD_ROWS && (k = dts_csv_next(&row, r)) != 0; i++) {
		const dts_profile *best;
		int score;

		if (k != 1)
			break;
		if (profile_choose(&best, &score, ps, row.fields, row.nfields, NULL) < 0 ||
		    best || score >= 2) {
			*profiled = best != NULL;
			found = row.line;
			break;
		}
		if (nonempty(row.fields, row.lens, row.nfields) > 1)
			break;
		dts__profile_unit_row(unit, ucap, row.fields, row.lens, row.nfields);
	}
done:
	dts_csv_free(r);
	if (found == 1)
		*unit = '\0';
	return found;
}

/* Byte offset where line `line` starts (LF ends a line, or a lone CR when
 * the first line end is one, as the CSV reader counts them). */
static size_t bom_len(const char *b, size_t n)
{
	const unsigned char *u = (const unsigned char *)b;

	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3;
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return 2;
	return 0;
}

static size_t line_start(const char *b, size_t n, uint64_t line)
{
	const unsigned char *u = (const unsigned char *)b;

	/* UTF-16 with its mark: LF is a code unit, not a byte */
	if (bom_len(b, n) == 2) {
		int le = u[0] == 0xFF;
		uint64_t l = 1;
		size_t i;

		for (i = 2; i + 1 < n && l < line; i += 2)
			if ((le ? (unsigned)u[i] | (unsigned)u[i + 1] << 8
				: (unsigned)u[i] << 8 | u[i + 1]) == '\n')
				l++;
		return i;
	}
	const char *lf = memchr(b, '\n', n), *cr = memchr(b, '\r', n);
	int cr_mode = cr && (!lf || cr < lf) && (size_t)(cr - b) + 1 < n && cr[1] != '\n';
	uint64_t l = 1;
	size_t i;

	for (i = 0; i < n && l < line; i++)
		if (b[i] == '\n' || (cr_mode && b[i] == '\r' && (i + 1 >= n || b[i + 1] != '\n')))
			l++;
	return i;
}

/* Choose the profile for header `names` and make the plan. */
static int apply_profile(dts_source *s, const dts_source_options *o, profiles *ps,
			 const char *const *names, size_t n)
{
	const dts_profile *best = NULL;
	int score, rc;

	if (s->profile)
		best = dts__profile_is_canonical(s->profile) ? NULL : s->profile;
	else if ((rc = profile_choose(&best, &score, ps, names, n, err_name(s))) < 0)
		return rc;
	(void)o;
	if (!s->profile && best) {
		/* the source keeps it: profiles_free leaves it alone */
		for (size_t i = 0; i < ps->n; i++)
			if (ps->p[i] == best)
				s->profile_owned = i >= ps->nshared;
		s->profile = (dts_profile *)best;
	}
	s->profile_name = s->profile ? dts_profile_name(s->profile) : DTS_PROFILE_CANONICAL;
	if (!best)
		return 0;
	return dts__plan_new(&s->plan, best, names, n, s->unit[0] ? s->unit : NULL);
}

static int open_csv(dts_source *s, const dts_source_options *o, const void *head,
		    size_t nhead, const void *buf, size_t len)
{
	dts_csv_options co = DTS_CSV_OPTIONS_INIT;
	const char *const *names;
	size_t n;
	int rc;

	profiles ps = { .n = 0 };
	size_t skip = 0;

	co.separator = s->separator;
	co.encoding = o->encoding;
	co.block_size = o->block_size;
	co.flags |= o->flags & DTS_SOURCE_REFERENCE ? DTS_CSV_REFERENCE : 0;
	co.verify_every = o->verify_every;
	if (o->profile && (rc = profile_named(&s->profile, &s->profile_owned, &ps, o->profile,
					      o->profile_dir)) < 0)
		return rc;
	if (!s->profile && (rc = profiles_load(&ps, NULL, o->profile_dir)) < 0)
		goto done;
	{
		const char *b = buf ? buf : head;
		size_t bn = buf ? (len < HEAD_MAX ? len : HEAD_MAX) : nhead;
		profiles one = { .p = { s->profile }, .n = 1 };
		int profiled = 0;
		uint64_t h = header_line(b, bn, o, s->profile ? &one : &ps, s->unit,
					 sizeof(s->unit), &profiled);

		/* A profile's rows are counted against the header after the total
		 * and note rows are told apart (a note is one cell). */
		if (profiled)
			co.flags |= DTS_CSV_RAGGED;

		if (h > 1) {
			size_t bom = bom_len(b, bn);

			skip = line_start(b, bn, h);
			s->line_base = s->skipped = h - 1;
			/* the rows above go, the byte-order mark stays: it tells the encoding */
			if (bom && buf) {
				if (!(s->own_buf = malloc(len - skip + bom))) {
					rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
					goto done;
				}
				memcpy(s->own_buf, buf, bom);
				memcpy(s->own_buf + bom, (const char *)buf + skip, len - skip);
				buf = s->own_buf;
				len = len - skip + bom;
				skip = 0;
			} else if (bom) {
				memmove((char *)head + bom, (const char *)head + skip, nhead - skip);
				nhead = nhead - skip + bom;
				skip = 0;
			}
		}
	}
	rc = buf ? dts_csv_open_buffer(&s->csv, (const char *)buf + skip, len - skip,
				       s->reader_name, &co)
		 : dts_csv_open_fd_head(&s->csv, s->fd, (const char *)head + skip, nhead - skip,
					s->reader_name, &co);
	if (rc < 0)
		goto done;
	n = dts_csv_header(s->csv, &names);
	if (n == 0) {
		rc = dts__error(DTS_EINPUT, err_name(s), 0, 0, "empty input: no header row");
		goto done;
	}
	s->size = buf ? (int64_t)len : dts_csv_input_size(s->csv);
	s->ncsv = n;
	if ((rc = apply_profile(s, o, &ps, names, n)) < 0)
		goto done;
	if (s->plan)
		n = dts__plan_header(s->plan, &names);
	else   /* raw is read of rejected rows only (next_csv): fields in place */
		dts__csv_in_place(s->csv);
	rc = bind_columns(s, names, n, o);
done:
	profiles_free(&ps, s->profile);
	return rc;
}

/* The input's size for progress (dts_source_size): a buffer's length, a
 * regular file's size, else -1 (a pipe). The CSV reader knows its own. */
static void set_size(dts_source *s, const void *buf, size_t len)
{
	struct stat st;

	if (buf)
		s->size = (int64_t)len;
	else if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		s->size = (int64_t)st.st_size;
}

static int open_xml(dts_source *s, const dts_source_options *o, const void *head,
		    size_t nhead, const void *buf, size_t len)
{
	dts_ceb_options xo = DTS_CEB_OPTIONS_INIT;
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
	set_size(s, buf, len);
	return bind_columns(s, s->xml_names, NXML, o);
}

/* ---- workbooks: rows read ahead to find the header row ---------------------- */

static void xq_free(dts_source *s)
{
	for (size_t i = 0; i < s->nxq; i++) {
		for (size_t j = 0; j < s->xq[i].n; j++)
			free(s->xq[i].cells[j]);
		free(s->xq[i].cells);
		free(s->xq[i].lens);
		free(s->xq[i].error);
	}
	s->nxq = s->ixq = 0;
}

/* Keep a copy of row r (read ahead: the reader's row is gone at the next read). */
static int xq_push(dts_source *s, const dts_xlsx_row *r, int rc)
{
	struct xrow *q = &s->xq[s->nxq];

	memset(q, 0, sizeof(*q));
	q->line = r->line;
	if (rc == DTS_EINPUT)
		q->error = strdup(r->error ? r->error : "malformed");
	else if ((q->cells = calloc(r->ncols + 1, sizeof(char *))) &&
		 (q->lens = calloc(r->ncols + 1, sizeof(size_t))))
		for (; q->n < r->ncols; q->n++) {
			if (!(q->cells[q->n] = malloc(r->lens[q->n] + 1)))
				break;
			memcpy(q->cells[q->n], r->cols[q->n], r->lens[q->n] + 1);
			q->lens[q->n] = r->lens[q->n];
		}
	s->nxq++;
	if (rc == DTS_EINPUT ? !q->error : !q->cells || !q->lens || q->n < r->ncols)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* The next workbook row: one read ahead first, then the reader's. */
static int xlsx_pull(dts_source *s, dts_xlsx_row *r)
{
	if (s->ixq < s->nxq) {
		struct xrow *q = &s->xq[s->ixq++];

		memset(r, 0, sizeof(*r));
		r->line = q->line;
		if (q->error) {
			r->error = q->error;
			return dts__error(DTS_EINPUT, err_name(s), (unsigned)q->line, 0, "%s", q->error);
		}
		r->cols = (const char *const *)q->cells;
		r->lens = q->lens;
		r->ncols = q->n;
		return 1;
	}
	return dts_xlsx_next(r, s->xlsx);
}

/*
 * Read the first rows of a sheet to find its header row, as header_line()
 * does for CSV: under rows of one non-empty cell (a title, a 单位 row), the
 * first row a profile recognises; else the first row. Returns the index
 * of the header row in s->xq (-1: the sheet is empty).
 */
static int xlsx_header(dts_source *s, profiles *ps)
{
	dts_xlsx_row r;
	int rc, found = -1;

	s->unit[0] = '\0';
	while (s->nxq < HEAD_ROWS && (rc = dts_xlsx_next(&r, s->xlsx)) != 0) {
		const dts_profile *best = NULL;
		int score = 0, err;

		if (rc < 0 && rc != DTS_EINPUT)
			return rc;
		if ((err = xq_push(s, &r, rc)) < 0)
			return err;
		if (rc == DTS_EINPUT)
			break;
		if (profile_choose(&best, &score, ps, r.cols, r.ncols, NULL) < 0 || best ||
		    score >= 2) {
			found = (int)s->nxq - 1;
			break;
		}
		if (nonempty(r.cols, r.lens, r.ncols) > 1)
			break;
		dts__profile_unit_row(s->unit, sizeof(s->unit), r.cols, r.lens, r.ncols);
	}
	if (found < 0) {
		s->unit[0] = '\0';
		found = s->nxq ? 0 : -1;
	}
	return found;
}

/* A workbook: the whole input is read (a zip needs random access); the
 * header row is found as in a CSV file (the first non-empty row when no
 * profile recognises a later one). */
static int open_workbook(dts_source *s, const dts_source_options *o, const void *head,
			 size_t nhead, const void *buf, size_t len)
{
	dts_xlsx_options xo = DTS_XLSX_OPTIONS_INIT;
	profiles ps = { .n = 0 };
	struct xrow *h;
	int rc, at;

	xo.sheet = o->version >= 2 ? o->sheet : NULL;
	rc = buf ? dts_xlsx_open_buffer(&s->xlsx, buf, len, s->reader_name, &xo)
		 : dts__xlsx_open_fd_head(&s->xlsx, s->fd, head, nhead, s->reader_name, &xo);
	if (rc < 0)
		return rc;
	set_size(s, buf, len);
	if (o->profile && (rc = profile_named(&s->profile, &s->profile_owned, &ps, o->profile,
					      o->profile_dir)) < 0)
		return rc;
	if (!s->profile && (rc = profiles_load(&ps, NULL, o->profile_dir)) < 0)
		goto done;
	{
		profiles one = { .p = { s->profile }, .n = 1, .nshared = 1 };

		if ((at = xlsx_header(s, s->profile ? &one : &ps)) < 0) {
			rc = at == -1 ? dts__error(DTS_EINPUT, err_name(s), 0, 0,
						   "empty input: no header row") : at;
			goto done;
		}
	}
	h = &s->xq[at];
	if (h->error) {
		rc = dts__error(DTS_EINPUT, err_name(s), (unsigned)h->line, 0, "header: %s", h->error);
		goto done;
	}
	s->skipped = (uint64_t)at;
	s->ixq = (size_t)at + 1; /* the rows after the header are read again */
	if (!(s->xhead = calloc(h->n + 1, sizeof(*s->xhead))) ||
	    !(s->xcols = calloc(h->n + 1, sizeof(*s->xcols))) ||
	    !(s->xlens = calloc(h->n + 1, sizeof(*s->xlens)))) {
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (s->nxhead = 0; s->nxhead < h->n; s->nxhead++)
		if (!(s->xhead[s->nxhead] = strdup(h->cells[s->nxhead]))) {
			rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
	s->ncsv = s->nxhead;
	if ((rc = apply_profile(s, o, &ps, (const char *const *)s->xhead, s->nxhead)) < 0)
		goto done;
	if (s->plan) {
		const char *const *names;
		size_t n = dts__plan_header(s->plan, &names);

		rc = bind_columns(s, names, n, o);
	} else {
		rc = bind_columns(s, (const char *const *)s->xhead, s->nxhead, o);
	}
done:
	profiles_free(&ps, s->profile);
	return rc;
}

static int open_reader(dts_source *s, const dts_source_options *o,
		       const void *buf, size_t len)
{
	unsigned char *head = NULL;
	size_t nhead = 0;
	dts_format fmt;
	int rc;

	if (o->format != DTS_FORMAT_UNKNOWN && o->format != DTS_FORMAT_CSV &&
	    o->format != DTS_FORMAT_CEB_XML && o->format != DTS_FORMAT_XLSX &&
	    o->format != DTS_FORMAT_XLS)
		return dts__error(DTS_EINVAL, err_name(s), 0, 0,
				  "a source reads CSV, customs XML or workbooks, not format %d",
				  (int)o->format);
	if (!buf && !(head = malloc(HEAD_MAX)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!buf && (rc = peek_more(s->fd, err_name(s), head, &nhead, HEAD_MAX)) < 0) {
		free(head);
		return rc;
	}
	fmt = buf ? sniff(buf, len < DTS_SOURCE_SNIFF_MAX ? len : DTS_SOURCE_SNIFF_MAX)
		  : sniff(head, nhead);
	if (o->format == DTS_FORMAT_UNKNOWN && fmt == DTS_FORMAT_PARTIAL)
		rc = dts__error(DTS_EINPUT, err_name(s), 0, 0,
				"is a cube partial, not records");
	else if ((fmt = o->format ? o->format : fmt) == DTS_FORMAT_XLSX || fmt == DTS_FORMAT_XLS) {
		s->fmt = fmt;
		rc = open_workbook(s, o, head, nhead, buf, len);
	} else if (fmt == DTS_FORMAT_CEB_XML)
		rc = open_xml(s, o, head, nhead, buf, len);
	else
		rc = open_csv(s, o, head, nhead, buf, len);
	free(head);
	return rc;
}

static int source_new(dts_source **out, const char *name, const char *reader_name,
		      int fd, const dts_source_options *opts)
{
	dts_source *s;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_source_open: NULL out");
	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > DTS_SOURCE_OPTIONS_VERSION))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_source_options version %u, expected 1 to %u",
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
	/* An older caller's struct is shorter: what it lacks is the default. */
	static const size_t size_of[] = { 0, offsetof(dts_source_options, sheet),
					  offsetof(dts_source_options, profile),
					  offsetof(dts_source_options, flags),
					  sizeof(dts_source_options) };
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	int rc;

	if (opts)
		memcpy(&o, opts, size_of[opts->version]);
	o.version = DTS_SOURCE_OPTIONS_VERSION;
	rc = open_reader(s, &o, buf, len);

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
	xq_free(s);
	for (size_t i = 0; i < s->nxhead; i++)
		free(s->xhead[i]);
	free(s->xhead);
	free(s->xcols);
	free(s->xlens);
	dts__buf_free(&s->xraw);
	if (s->own_fd)
		close(s->fd);
	dts_binding_free(s->binding);
	dts__plan_free(s->plan);
	if (s->profile_owned)
		dts_profile_free(s->profile);
	free(s->own_buf);
	dts__harm_free(s->harm);
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

const char *dts_source_profile(const dts_source *s)
{
	return s->ceb ? "ceb-xml" : s->profile_name ? s->profile_name : DTS_PROFILE_CANONICAL;
}

uint64_t dts_source_skipped(const dts_source *s, const char **unit)
{
	if (unit)
		*unit = s->unit;
	return s->skipped;
}

size_t dts_source_header(const dts_source *s, const char *const **names)
{
	if (s->plan)
		return dts__plan_header(s->plan, names);
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

/* A row of the file not taken as a record: rejected with `why`. */
static int reject_row(dts_source_row *row, const char *why, const char *raw, size_t raw_len)
{
	row->cols = NULL;
	row->lens = NULL;
	row->ncols = 0;
	row->error = why;
	row->raw = raw;
	row->raw_len = raw_len;
	return dts__error(DTS_EINPUT, NULL, 0, 0, "%s", why);
}

/* The next record of the row being rewritten by the profile's plan. */
static int next_record(dts_source *s, dts_source_row *row)
{
	const char *why;
	int rc = dts__plan_record(s->plan, &row->cols, &row->lens, &row->ncols, &why, s->irec++);

	row->line = s->rec_line;
	row->offset = s->rec_offset;
	if (rc < 0)
		return rc;
	return rc == 1 ? 1 : reject_row(row, why, s->rec_raw, s->rec_raw_len);
}

/* A workbook row as a CSV row: padded to the header's width, its cells
 * joined as the raw record (for the rejects). */
static int pull_xlsx(dts_source *s, dts_csv_row *out)
{
	dts_xlsx_row r;
	int rc = xlsx_pull(s, &r);
	size_t i;

	memset(out, 0, sizeof(*out));
	out->line = r.line;
	if (rc == DTS_EINPUT) {
		out->error = r.error;
		out->raw = "";
		return rc;
	}
	if (rc != 1)
		return rc;
	s->xraw.len = 0;
	for (i = 0; i < r.ncols; i++) {
		if (i)
			dts__buf_ch(&s->xraw, s->separator);
		dts__buf_csv(&s->xraw, r.cols[i], r.lens[i], s->separator);
	}
	if (s->xraw.oom)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	out->raw = s->xraw.p ? s->xraw.p : "";
	out->raw_len = s->xraw.len;
	if (r.ncols > s->nxhead) { /* too wide: counted as such by the caller */
		out->fields = r.cols;
		out->lens = r.lens;
		out->nfields = r.ncols;
		return 1;
	}
	for (i = 0; i < s->nxhead; i++) {
		s->xcols[i] = i < r.ncols ? r.cols[i] : "";
		s->xlens[i] = i < r.ncols ? r.lens[i] : 0;
	}
	out->fields = s->xcols;
	out->lens = s->xlens;
	out->nfields = s->nxhead;
	return 1;
}

static int next_planned(dts_source *s, dts_source_row *row)
{
	static const char total[] = "total row, not a record";
	dts_csv_row r;
	const char *why;
	int rc, kind;

	memset(row, 0, sizeof(*row));
	if (s->irec < s->nrec)
		return next_record(s, row);
	do {
		rc = s->xlsx ? pull_xlsx(s, &r) : dts_csv_next(&r, s->csv);
		row->line = r.line + s->line_base;
		row->offset = r.offset;
		if (rc != 1)
			break;
		kind = dts__profile_row_kind(r.fields, r.lens, r.nfields);
	} while (kind >= 2); /* notes and blank rows are not records */
	if (rc == DTS_EINPUT)
		return reject_row(row, r.error, r.raw, r.raw_len);
	if (rc != 1)
		return rc;
	if (kind == 1)
		return reject_row(row, total, r.raw, r.raw_len);
	if (r.nfields != s->ncsv) {
		snprintf(s->why, sizeof(s->why), "wrong number of fields (got %zu, header has %zu)",
			 r.nfields, s->ncsv);
		return reject_row(row, s->why, r.raw, r.raw_len);
	}
	s->rec_line = row->line;
	s->rec_offset = r.offset;
	s->rec_raw = r.raw;
	s->rec_raw_len = r.raw_len;
	s->irec = s->nrec = 0;
	if ((rc = dts__plan_row(s->plan, &why, r.fields, r.lens, r.nfields, row->line)) < 0)
		return rc;
	if (rc == 0)
		return reject_row(row, why, r.raw, r.raw_len);
	s->nrec = (size_t)rc;
	return next_record(s, row);
}

static int next_csv(dts_source *s, dts_source_row *row)
{
	dts_csv_row r;
	int rc;

	if (s->plan)
		return next_planned(s, row);
	rc = dts_csv_next(&r, s->csv);
	memset(row, 0, sizeof(*row));
	row->line = r.line + s->line_base;
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
 * CSV record of the same table (pull_xlsx); a row with more cells is
 * rejected as CSV rejects one (raw: its cells joined by the separator). */
static int next_xlsx(dts_source *s, dts_source_row *row)
{
	dts_csv_row r;
	int rc = pull_xlsx(s, &r);

	memset(row, 0, sizeof(*row));
	row->line = r.line;
	if (rc == DTS_EINPUT) {
		row->error = r.error;
		row->raw = r.raw;
		return rc;
	}
	if (rc != 1)
		return rc;
	if (r.nfields > s->nxhead) {
		snprintf(s->xerr, sizeof(s->xerr), "wrong number of fields (got %zu, header has %zu)",
			 r.nfields, s->nxhead);
		dts__error(DTS_EINPUT, err_name(s), (unsigned)r.line, 0, "%s", s->xerr);
		row->error = s->xerr;
		row->raw = r.raw;
		row->raw_len = r.raw_len;
		return DTS_EINPUT;
	}
	row->cols = r.fields;
	row->lens = r.lens;
	row->ncols = r.nfields;
	return 1;
}

int dts_source_next(dts_source_row *row, dts_source *s)
{
	int rc;

	if (s->plan)
		return next_planned(s, row);
	if (s->xlsx)
		rc = next_xlsx(s, row);
	else
		rc = s->csv ? next_csv(s, row) : next_xml(s, row);
	return rc == 1 && s->binding ? dts__harmonise(&s->harm, s->binding, s->ceb != NULL, row) :
	       rc;
}

/* ---- the reject policy ----------------------------------------------------- */

int dts__classify_values(dts_result *out, dts__checked *kept, dts_scanner *sc,
			 const dts_value *vals, size_t n)
{
	int rc = dts__record_check_keep(vals, n, kept);

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

int dts_source_classify(dts_result *out, dts_scanner *sc, const dts_binding *b,
			const char *const *cols, const size_t *lens, size_t ncols)
{
	dts_value vals[DTS_F_COUNT];
	size_t n = dts_binding_values(vals, b, cols, lens, ncols);

	return dts__classify_values(out, NULL, sc, vals, n);
}
