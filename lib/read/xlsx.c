/*
 * xlsx.c — Excel workbooks as rows of cell strings (dts/xlsx.h).
 *
 * The zip is read with libzip: it opens an archive straight from memory
 * (zip_source_buffer_create), stats each entry (sizes, method, encryption)
 * before inflating it, checks the directory's consistency (ZIP_CHECKCONS)
 * and the CRC of what it inflates, and streams an entry with zip_fread —
 * what a zip-bomb check needs. minizip (1.1 in bookworm) has no memory
 * source without writing our own I/O shim, and no consistency check.
 *
 * Each XML part is streamed through libxml2's xmlTextReader fed by
 * zip_fread: no network, no entity substitution, a DOCTYPE refused, and
 * every byte inflated counted against the limits. The workbook's own
 * parts (relationships, workbook.xml, styles.xml, sharedStrings.xml) are
 * read at open; the sheet streams a row per dts_xlsx_next. Old .xls
 * files are recognised and refused (open_ole says why).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "buf.h"
#include "internal.h"
#include "xlsx_int.h"

#define RATIO_GRACE ((uint64_t)1 << 20) /* parts this small are never bombs */
#define ATTR_MAX 32                       /* r, t, s, numFmtId values */

#define K_NUMBER DTS__XK_NUMBER
#define K_DATE DTS__XK_DATE
#define K_DATETIME DTS__XK_DATETIME
#define K_TIME DTS__XK_TIME

struct dts_xlsx {
	char *name;
	dts_xlsx_options o;
	char *sheet_want;
	char *owned;                 /* the file's bytes, when we read them */
	zip_t *zip;
	uint64_t inflated;           /* bytes inflated so far, all parts */
	int date1904;
	/* sheets: names and part paths, workbook order */
	char **sheets, **targets;
	size_t nsheets;
	size_t cur;                  /* index of the sheet read */
	/* shared strings: offsets into sst */
	dts__buf sst;
	size_t *sst_off, *sst_len, nsst, sst_cap;
	/* styles: kind of each cellXfs entry */
	unsigned char *xf;
	size_t nxf;
	/* the part being read */
	zip_file_t *zf;
	const char *part;
	uint64_t part_read, part_csize;
	int io_err;                  /* DTS_E* set by the read callback */
	int ntype;                   /* the current node's type and local name */
	const char *lname;
	char xml_err[300];
	/* the sheet */
	xmlTextReaderPtr rd;
	int done, in_data;
	uint64_t row_no;
	unsigned col;
	dts__buf row, val;
	size_t *off, *len;           /* per column; len SIZE_MAX = unset */
	const char **ptr;
	size_t cap;
	char row_err[200];
};

/* ---- errors ------------------------------------------------------------- */

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- parts: zip entries through xmlTextReader ----------------------------- */

static int io_read(void *ctx, char *buf, int len)
{
	dts_xlsx *x = ctx;
	zip_int64_t n = zip_fread(x->zf, buf, (zip_uint64_t)len);

	if (n < 0) {
		x->io_err = dts__error(DTS_EINPUT, x->name, 0, 0,
				       "%s: damaged zip entry (%s)", x->part,
				       zip_file_strerror(x->zf));
		return -1;
	}
	x->inflated += (uint64_t)n;
	x->part_read += (uint64_t)n;
	if (x->inflated > x->o.max_size) {
		x->io_err = dts__error(DTS_ELIMIT, x->name, 0, 0,
				       "%s: the workbook inflates to more than %" PRIu64
				       " bytes", x->part, x->o.max_size);
		return -1;
	}
	if (x->part_read > RATIO_GRACE && x->part_read / x->o.max_ratio > x->part_csize) {
		x->io_err = dts__error(DTS_ELIMIT, x->name, 0, 0,
				       "%s: zip bomb: inflates more than %u times its "
				       "compressed size of %" PRIu64 " bytes",
				       x->part, x->o.max_ratio, x->part_csize);
		return -1;
	}
	return (int)n;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void on_xml_error(void *arg, xmlErrorPtr e)
{
	dts_xlsx *x = arg;

	size_t n;

	if (e && !x->xml_err[0]) {
		snprintf(x->xml_err, sizeof(x->xml_err), "line %d: %s", e->line,
			 e->message ? e->message : "malformed XML");
		n = strlen(x->xml_err);
		while (n > 0 && (x->xml_err[n - 1] == '\n' || x->xml_err[n - 1] == ' '))
			x->xml_err[--n] = '\0';
	}
}

static void part_close(dts_xlsx *x)
{
	if (x->rd)
		xmlFreeTextReader(x->rd);
	x->rd = NULL;
	if (x->zf)
		zip_fclose(x->zf);
	x->zf = NULL;
}

/* Find `path` (OPC part names ignore case); -1 when absent. */
static zip_int64_t locate(dts_xlsx *x, const char *path)
{
	return zip_name_locate(x->zip, path, ZIP_FL_NOCASE);
}

/* Open part `path` (index idx) as an XML reader in x->rd. */
static int part_open(dts_xlsx *x, zip_int64_t idx, const char *path)
{
	zip_stat_t st;

	part_close(x);
	x->part = path;
	x->part_read = 0;
	x->io_err = 0;
	x->xml_err[0] = '\0';
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) < 0)
		return dts__error(DTS_EINPUT, x->name, 0, 0, "%s: %s", path,
				  zip_strerror(x->zip));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return dts__error(DTS_EINPUT, x->name, 0, 0,
				  "%s: the zip entry is encrypted (password-protected)", path);
	x->part_csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->o.max_size - x->inflated)
		return dts__error(DTS_ELIMIT, x->name, 0, 0,
				  "%s: inflates to %" PRIu64 " bytes, more than the %" PRIu64
				  " the workbook may hold", path, (uint64_t)st.size,
				  x->o.max_size);
	if ((st.valid & ZIP_STAT_SIZE) && st.size > RATIO_GRACE &&
	    st.size / x->o.max_ratio > x->part_csize)
		return dts__error(DTS_ELIMIT, x->name, 0, 0,
				  "%s: zip bomb: %" PRIu64 " bytes compressed to %" PRIu64
				  ", more than %u times", path, (uint64_t)st.size,
				  x->part_csize, x->o.max_ratio);
	if (!(x->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0)))
		return dts__error(DTS_EINPUT, x->name, 0, 0, "%s: %s", path,
				  zip_strerror(x->zip));
	x->rd = xmlReaderForIO(io_read, io_close, x, path, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x->rd)
		return oom();
	xmlTextReaderSetStructuredErrorHandler(x->rd, on_xml_error, x);
	return 0;
}

/* The next node: 1, 0 at the end of the part, or a negative error. */
static int step(dts_xlsx *x)
{
	int rc = xmlTextReaderRead(x->rd);

	x->ntype = rc == 1 ? xmlTextReaderNodeType(x->rd) : -1;
	x->lname = NULL;
	if (x->ntype == XML_READER_TYPE_ELEMENT || x->ntype == XML_READER_TYPE_END_ELEMENT)
		x->lname = (const char *)xmlTextReaderConstLocalName(x->rd);
	if (x->ntype == XML_READER_TYPE_DOCUMENT_TYPE)
		return dts__error(DTS_EINPUT, x->name, 0, 0, "%s: DTD not allowed", x->part);
	if (rc >= 0)
		return rc;
	if (x->io_err)
		return x->io_err;
	return dts__error(DTS_EINPUT, x->name, 0, 0, "%s: malformed XML: %s", x->part,
			  x->xml_err[0] ? x->xml_err : "cannot parse");
}

static int is_elem(dts_xlsx *x, const char *local)
{
	return x->ntype == XML_READER_TYPE_ELEMENT && x->lname && strcmp(x->lname, local) == 0;
}

static int is_end(dts_xlsx *x, const char *local)
{
	return x->ntype == XML_READER_TYPE_END_ELEMENT && x->lname && strcmp(x->lname, local) == 0;
}

static int is_text(dts_xlsx *x)
{
	int t = x->ntype;

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_WHITESPACE ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* An element that will have children and an end tag. */
static int has_body(dts_xlsx *x)
{
	return !xmlTextReaderIsEmptyElement(x->rd);
}

/* Attribute by local name (namespaces ignored: transitional and strict
 * OOXML differ only there) into buf; 1 found, 0 not, -1 too long. */
static int attr(dts_xlsx *x, const char *local, char *buf, size_t size)
{
	int found = 0;

	buf[0] = '\0';
	if (xmlTextReaderMoveToFirstAttribute(x->rd) != 1)
		return 0;
	do {
		if (strcmp((const char *)xmlTextReaderConstLocalName(x->rd), local) == 0) {
			const char *v = (const char *)xmlTextReaderConstValue(x->rd);
			size_t n = v ? strlen(v) : 0;

			found = n < size ? 1 : -1;
			if (found > 0)
				memcpy(buf, v, n + 1);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(x->rd) == 1);
	xmlTextReaderMoveToElement(x->rd);
	return found;
}

/* A cell's r, t and s in one pass over its attributes (each "" when
 * absent; a value too long is "?", which matches nothing). */
static void cell_attrs(dts_xlsx *x, char r[ATTR_MAX], char t[ATTR_MAX], char s[ATTR_MAX])
{
	r[0] = t[0] = s[0] = '\0';
	if (xmlTextReaderMoveToFirstAttribute(x->rd) != 1)
		return;
	do {
		const char *name = (const char *)xmlTextReaderConstLocalName(x->rd);
		char *to = !name || name[1] ? NULL : name[0] == 'r' ? r : name[0] == 't' ? t
						  : name[0] == 's' ? s : NULL;

		if (to) {
			const char *v = (const char *)xmlTextReaderConstValue(x->rd);
			size_t n = v ? strlen(v) : 0;

			if (n < ATTR_MAX)
				memcpy(to, v ? v : "", n + 1);
			else
				memcpy(to, "?", 2);
		}
	} while (xmlTextReaderMoveToNextAttribute(x->rd) == 1);
	xmlTextReaderMoveToElement(x->rd);
}

/* The attribute as a malloc'd string (NULL when absent or out of memory). */
static char *attr_dup(dts_xlsx *x, const char *local)
{
	char *s = NULL;

	if (xmlTextReaderMoveToFirstAttribute(x->rd) != 1)
		return NULL;
	do
		if (strcmp((const char *)xmlTextReaderConstLocalName(x->rd), local) == 0) {
			const char *v = (const char *)xmlTextReaderConstValue(x->rd);

			s = strdup(v ? v : "");
			break;
		}
	while (xmlTextReaderMoveToNextAttribute(x->rd) == 1);
	xmlTextReaderMoveToElement(x->rd);
	return s;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* ---- relationships and the workbook -------------------------------------- */

/* dir (ending in '/' or "") + target, with "." and ".." resolved; a target
 * starting with '/' is from the package root. */
static char *resolve(const char *dir, const char *target)
{
	size_t n = strlen(dir) + strlen(target) + 1;
	char *p = malloc(n), *o;
	const char *s;

	if (!p)
		return NULL;
	if (target[0] == '/')
		snprintf(p, n, "%s", target + 1);
	else
		snprintf(p, n, "%s%s", dir, target);
	/* collapse segments in place */
	o = p;
	for (s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t k = e ? (size_t)(e - s) : strlen(s);

		if (k == 1 && s[0] == '.') {
		} else if (k == 2 && s[0] == '.' && s[1] == '.') {
			if (o > p) {
				o--;
				while (o > p && o[-1] != '/')
					o--;
			}
		} else if (k > 0) {
			memmove(o, s, k);
			o += k;
			if (e)
				*o++ = '/';
		}
		s += k + (e ? 1 : 0);
	}
	*o = '\0';
	return p;
}

/* A relationships part: for each Relationship whose Type ends in
 * "/" + type, call fn with its Id and resolved Target. */
typedef int (*rel_fn)(dts_xlsx *x, const char *id, char *target, void *arg);

static int read_rels(dts_xlsx *x, const char *rels, const char *dir,
		     const char *const *types, rel_fn fn, void *arg)
{
	zip_int64_t idx = locate(x, rels);
	int rc;

	if (idx < 0)
		return 0;
	if ((rc = part_open(x, idx, rels)) < 0)
		return rc;
	while ((rc = step(x)) == 1) {
		char *type, *id, *target, *mode, *full;
		size_t i, tl;
		int want = -1;

		if (!is_elem(x, "Relationship"))
			continue;
		type = attr_dup(x, "Type");
		id = attr_dup(x, "Id");
		target = attr_dup(x, "Target");
		mode = attr_dup(x, "TargetMode");
		for (i = 0; type && types[i]; i++) {
			tl = strlen(types[i]);
			if (strlen(type) > tl && type[strlen(type) - tl - 1] == '/' &&
			    strcmp(type + strlen(type) - tl, types[i]) == 0)
				want = (int)i;
		}
		rc = 0;
		if (want >= 0 && id && target && !(mode && strcmp(mode, "External") == 0)) {
			if (!(full = resolve(dir, target)))
				rc = oom();
			else
				rc = fn(x, id, full, arg);
		}
		free(type);
		free(id);
		free(target);
		free(mode);
		if (rc < 0)
			return rc;
	}
	part_close(x);
	return rc;
}

static int take_target(dts_xlsx *x, const char *id, char *target, void *arg)
{
	char **slot = arg;

	(void)x;
	(void)id;
	if (*slot)
		free(target);
	else
		*slot = target;
	return 0;
}

typedef struct wb_rels {
	char **ids, **targets;
	size_t n;
	char *sst, *styles;
} wb_rels;

static int take_sheet_rel(dts_xlsx *x, const char *id, char *target, void *arg)
{
	wb_rels *w = arg;
	char **ni, **nt;

	(void)x;
	if (!(ni = realloc(w->ids, (w->n + 1) * sizeof(*ni)))) {
		free(target);
		return oom();
	}
	w->ids = ni;
	if (!(nt = realloc(w->targets, (w->n + 1) * sizeof(*nt)))) {
		free(target);
		return oom();
	}
	w->targets = nt;
	if (!(w->ids[w->n] = strdup(id))) {
		free(target);
		return oom();
	}
	w->targets[w->n++] = target;
	return 0;
}

static void wb_rels_free(wb_rels *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->ids[i]);
		free(w->targets[i]);
	}
	free(w->ids);
	free(w->targets);
	free(w->sst);
	free(w->styles);
}

/* The workbook part's directory ("xl/") and its .rels path. */
static int rels_of(char **dir, char **rels, const char *part)
{
	const char *slash = strrchr(part, '/');
	size_t d = slash ? (size_t)(slash - part) + 1 : 0;
	size_t n = d + strlen(part) + 16;

	*dir = malloc(d + 1);
	*rels = malloc(n);
	if (!*dir || !*rels)
		return oom();
	memcpy(*dir, part, d);
	(*dir)[d] = '\0';
	snprintf(*rels, n, "%s_rels/%s.rels", *dir, part + d);
	return 0;
}

static int add_sheet(dts_xlsx *x, char *name, char *target, int hidden, size_t *nvisible)
{
	char **ns = realloc(x->sheets, (x->nsheets + 1) * sizeof(*ns)), **nt;

	if (!ns)
		return oom();
	x->sheets = ns;
	if (!(nt = realloc(x->targets, (x->nsheets + 1) * sizeof(*nt))))
		return oom();
	x->targets = nt;
	/* The first visible sheet comes first for "the first worksheet"; the
	 * names list keeps workbook order, so remember its index instead. */
	if (!hidden && (*nvisible)++ == 0)
		x->cur = x->nsheets;
	x->sheets[x->nsheets] = name;
	x->targets[x->nsheets++] = target;
	return 0;
}

static int read_workbook(dts_xlsx *x, const char *wb, wb_rels *w)
{
	zip_int64_t idx = locate(x, wb);
	size_t nvisible = 0;
	char buf[ATTR_MAX];
	int rc;

	if (idx < 0)
		return dts__error(DTS_EINPUT, x->name, 0, 0,
				  "not an Excel workbook: the zip has no %s", wb);
	if ((rc = part_open(x, idx, wb)) < 0)
		return rc;
	while ((rc = step(x)) == 1) {
		if (is_elem(x, "workbookPr")) {
			if (attr(x, "date1904", buf, sizeof(buf)) > 0)
				x->date1904 = strcmp(buf, "1") == 0 || strcmp(buf, "true") == 0;
		} else if (is_elem(x, "sheet")) {
			char *name = attr_dup(x, "name"), *id = attr_dup(x, "id"), *target = NULL;
			int hidden = attr(x, "state", buf, sizeof(buf)) > 0 && strcmp(buf, "visible") != 0;

			for (size_t i = 0; id && i < w->n; i++)
				if (strcmp(w->ids[i], id) == 0 && !(target = strdup(w->targets[i])))
					rc = oom();
			free(id);
			if (rc == 1 && name && target)
				rc = add_sheet(x, name, target, hidden, &nvisible);
			else {
				free(name);
				free(target);
			}
			if (rc < 0)
				return rc;
			rc = 1;
		}
	}
	part_close(x);
	if (rc == 0 && x->nsheets == 0)
		rc = dts__error(DTS_EINPUT, x->name, 0, 0, "%s: the workbook has no worksheet", wb);
	return rc;
}

/* ---- shared strings ---------------------------------------------------------- */

/* Append text to b, keeping at most max + 1 bytes (so "too long" shows). */
static void add_capped(dts__buf *b, size_t start, const char *s, size_t n, size_t max)
{
	size_t have = b->len - start;

	if (have > max)
		return;
	if (n > max + 1 - have)
		n = max + 1 - have;
	dts__buf_add(b, s, n);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * Strings in OOXML escape characters XML cannot hold as _xHHHH_ (ECMA-376
 * 22.9.2.19 ST_Xstring): Excel writes a CR in a cell as _x000D_, and an
 * underscore that would start such a sequence as _x005F_. Decoded in place
 * at b->p[start..]; the result is never longer.
 */
static void unescape_x(dts__buf *b, size_t start)
{
	char *p, *e, *o;

	if (!b->p)   /* an empty string: nothing to decode, no offset from NULL */
		return;
	p = b->p + start, e = b->p + b->len, o = p;
	if (!memmem(p, (size_t)(e - p), "_x", 2))
		return;
	while (p < e) {
		int h[4], ok = e - p >= 7 && p[0] == '_' && p[1] == 'x' && p[6] == '_';

		for (int i = 0; ok && i < 4; i++)
			ok = (h[i] = hexval(p[2 + i])) >= 0;
		if (ok) {
			unsigned c = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);

			if (c < 0x80) {
				*o++ = (char)c;
			} else if (c < 0x800) {
				*o++ = (char)(0xC0 | c >> 6);
				*o++ = (char)(0x80 | (c & 0x3F));
			} else {
				*o++ = (char)(0xE0 | c >> 12);
				*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
				*o++ = (char)(0x80 | (c & 0x3F));
			}
			p += 7;
		} else {
			*o++ = *p++;
		}
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

static int push_sst(dts_xlsx *x, size_t start)
{
	if (x->nsst == x->sst_cap) {
		size_t cap = x->sst_cap ? x->sst_cap * 2 : 256;
		size_t *o = realloc(x->sst_off, cap * sizeof(*o)), *l;

		if (!o)
			return oom();
		x->sst_off = o;
		if (!(l = realloc(x->sst_len, cap * sizeof(*l))))
			return oom();
		x->sst_len = l;
		x->sst_cap = cap;
	}
	unescape_x(&x->sst, start);
	x->sst_off[x->nsst] = start;
	x->sst_len[x->nsst++] = x->sst.len - start;
	dts__buf_ch(&x->sst, '\0');
	return x->sst.oom ? oom() : 0;
}

/* <si> holds <t>, or runs <r><t>...</t></r>; <rPh> (phonetic guide) is
 * not part of the text. */
static int read_sst(dts_xlsx *x, const char *path)
{
	zip_int64_t idx;
	size_t start = 0;
	int rc, in_si = 0, in_t = 0, rph = 0;

	if (!path || (idx = locate(x, path)) < 0)
		return 0;
	if ((rc = part_open(x, idx, path)) < 0)
		return rc;
	while ((rc = step(x)) == 1) {
		if (is_elem(x, "si")) {
			in_si = 1;
			start = x->sst.len;
			if (!has_body(x) && (rc = push_sst(x, start)) < 0)
				return rc;
			if (!has_body(x))
				in_si = 0;
		} else if (in_si && is_end(x, "si")) {
			in_si = 0;
			if ((rc = push_sst(x, start)) < 0)
				return rc;
		} else if (in_si && is_elem(x, "rPh") && has_body(x)) {
			rph++;
		} else if (in_si && is_end(x, "rPh")) {
			rph--;
		} else if (in_si && !rph && is_elem(x, "t") && has_body(x)) {
			in_t = 1;
		} else if (is_end(x, "t")) {
			in_t = 0;
		} else if (in_t && !rph && is_text(x)) {
			const char *v = (const char *)xmlTextReaderConstValue(x->rd);

			add_capped(&x->sst, start, v, strlen(v), x->o.max_field);
			if (x->sst.oom)
				return oom();
		}
	}
	part_close(x);
	return rc;
}

/* ---- styles: which cell formats are dates --------------------------------- */

int dts__xlsx_builtin_kind(unsigned id)
{
	if (id >= 14 && id <= 17)
		return K_DATE;
	if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
		return K_TIME;
	if (id == 22)
		return K_DATETIME;
	/* East Asian locales' built-in dates and times (ECMA-376 18.8.30) */
	if ((id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 || id == 58)
		return K_DATE;
	if ((id >= 32 && id <= 35) || id == 55 || id == 56)
		return K_TIME;
	return K_NUMBER;
}

int dts__xlsx_format_kind(const char *f)
{
	int y = 0, m = 0, d = 0, h = 0, s = 0;

	for (; *f && *f != ';'; f++) {
		char c = *f;

		if (c == '"') {
			while (f[1] && f[1] != '"')
				f++;
			if (f[1])
				f++;
		} else if (c == '\\' || c == '_' || c == '*') {
			if (f[1])
				f++;
		} else if (c == '[') {
			const char *e = strchr(f, ']');
			int elapsed = e && e > f + 1;

			if (!e)
				break;
			for (const char *p = f + 1; p < e; p++)
				if (!strchr("hHmMsS", *p))
					elapsed = 0;
			if (elapsed)
				h = 1; /* [h] [mm] [ss]: elapsed time */
			f = e;
		} else if (c == 'y' || c == 'Y') {
			y = 1;
		} else if (c == 'd' || c == 'D') {
			d = 1;
		} else if (c == 'm' || c == 'M') {
			m = 1;
		} else if (c == 'h' || c == 'H') {
			h = 1;
		} else if (c == 's' || c == 'S') {
			s = 1;
		}
	}
	{
		int date = y || d || (m && !h && !s), time = h || s;

		return date && time ? K_DATETIME : date ? K_DATE : time ? K_TIME : K_NUMBER;
	}
}

typedef struct fmt_def {
	unsigned id;
	int kind;
} fmt_def;

static int read_styles(dts_xlsx *x, const char *path)
{
	fmt_def *defs = NULL;
	unsigned *ids = NULL;
	size_t ndefs = 0, nids = 0, cap_ids = 0;
	zip_int64_t idx;
	char buf[ATTR_MAX];
	int rc, in_fmts = 0, in_xfs = 0;
	uint64_t v;

	if (!path || (idx = locate(x, path)) < 0)
		return 0;
	if ((rc = part_open(x, idx, path)) < 0)
		return rc;
	while ((rc = step(x)) == 1) {
		if (is_elem(x, "numFmts") && has_body(x))
			in_fmts = 1;
		else if (is_end(x, "numFmts"))
			in_fmts = 0;
		else if (is_elem(x, "cellXfs") && has_body(x))
			in_xfs = 1;
		else if (is_end(x, "cellXfs"))
			in_xfs = 0;
		else if (in_fmts && is_elem(x, "numFmt")) {
			char *code = attr_dup(x, "formatCode");
			fmt_def *nd;

			if (attr(x, "numFmtId", buf, sizeof(buf)) > 0 &&
			    parse_uint(buf, 0xFFFFFFFFu, &v) == 0 && code) {
				if (!(nd = realloc(defs, (ndefs + 1) * sizeof(*nd)))) {
					free(code);
					rc = oom();
					break;
				}
				defs = nd;
				defs[ndefs].id = (unsigned)v;
				defs[ndefs++].kind = dts__xlsx_format_kind(code);
			}
			free(code);
		} else if (in_xfs && is_elem(x, "xf")) {
			if (nids == cap_ids) {
				unsigned *ni;

				cap_ids = cap_ids ? cap_ids * 2 : 64;
				if (!(ni = realloc(ids, cap_ids * sizeof(*ni)))) {
					rc = oom();
					break;
				}
				ids = ni;
			}
			ids[nids++] = attr(x, "numFmtId", buf, sizeof(buf)) > 0 &&
				      parse_uint(buf, 0xFFFFFFFFu, &v) == 0 ? (unsigned)v : 0;
		}
	}
	if (rc == 0 && nids && !(x->xf = malloc(nids)))
		rc = oom();
	if (rc == 0) {
		x->nxf = nids;
		for (size_t i = 0; i < nids; i++) {
			int kind = dts__xlsx_builtin_kind(ids[i]);

			/* a numFmt of the workbook's own overrides a built-in id */
			for (size_t j = 0; j < ndefs; j++)
				if (defs[j].id == ids[i])
					kind = defs[j].kind;
			x->xf[i] = (unsigned char)kind;
		}
		part_close(x);
	}
	free(defs);
	free(ids);
	return rc;
}

/* ---- Excel serial dates, exactly ----------------------------------------- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's civil_from_days). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

/*
 * A decimal number as written ("45292", "45292.75", "4.529275E4") into
 * its whole part and its fraction of a day rounded to seconds, without a
 * double: the digits are shifted by the exponent as a string. -1 when it
 * is not a non-negative number below 10^7 days.
 */
static int split_serial(const char *s, size_t n, uint64_t *days, uint64_t *secs)
{
	char dig[64];
	size_t nd = 0, i = 0;
	long point = -1, exp = 0;
	int esign = 1, any = 0;
	uint64_t whole = 0;
	dts__u128 frac = 0, scale = 1, num, rem;
	long k;

	if (i < n && s[i] == '+')
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			any = 1;
			if (nd == 0 && s[i] == '0' && point < 0)
				continue; /* leading zeros of the whole part */
			if (nd < sizeof(dig))
				dig[nd++] = s[i];
			else if (point < 0)
				return -1;
		} else if (s[i] == '.' && point < 0) {
			point = (long)nd;
		} else {
			break;
		}
	}
	if (!any)
		return -1;
	if (point < 0)
		point = (long)nd;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			esign = s[i++] == '-' ? -1 : 1;
		if (i >= n)
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if ((exp = exp * 10 + (s[i] - '0')) > 1000)
				return -1;
		exp *= esign;
	}
	if (i != n)
		return -1;
	point += exp; /* digits before the point */
	for (k = 0; k < point; k++) {
		if (k >= 7)
			return -1;
		whole = whole * 10 + (k < (long)nd ? (uint64_t)(dig[k] - '0') : 0);
	}
	/* fraction digits: positions point .. nd-1, at most 30 kept */
	for (k = point; k < (long)nd; k++) {
		if (k - point >= 30)
			break;
		frac = frac * 10 + (k >= 0 ? (unsigned)(dig[k] - '0') : 0);
		scale *= 10;
	}
	num = frac * 86400;
	rem = num % scale;
	*secs = (uint64_t)(num / scale) + (2 * rem >= scale ? 1 : 0);
	*days = whole;
	if (*secs >= 86400) {
		*secs -= 86400;
		(*days)++;
	}
	return 0;
}

int dts__xlsx_serial(char *out, size_t size, const char *v, size_t n, int kind,
		     int date1904)
{
	uint64_t days, secs;
	int64_t y, z;
	unsigned m, d;

	if (kind == K_NUMBER || split_serial(v, n, &days, &secs) < 0)
		return -1;
	if (kind == K_TIME && days == 0)
		return snprintf(out, size, "%02u:%02u:%02u", (unsigned)(secs / 3600),
				(unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
	if (date1904) {
		if (days > 2957003)
			return -1;
		z = (int64_t)days - 24107; /* 1904-01-01 is day -24107 of 1970 */
	} else {
		if (days == 0 || days > 2958465)
			return -1;
		/* Excel counts 1900-02-29, which never was: serial 60. Before
		 * it, serial 1 is 1900-01-01; after it, day 25569 is 1970-01-01. */
		if (days == 60) {
			y = 1900, m = 2, d = 29;
			goto print;
		}
		z = (int64_t)days - (days < 60 ? 25568 : 25569);
	}
	civil(z, &y, &m, &d);
print:
	if (kind == K_DATE && secs == 0)
		return snprintf(out, size, "%04" PRId64 "-%02u-%02u", y, m, d);
	return snprintf(out, size, "%04" PRId64 "-%02u-%02u %02u:%02u:%02u", y, m, d,
			(unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
			(unsigned)(secs % 60));
}

/* ---- the sheet: rows ----------------------------------------------------- */

/* "C5" -> column 3 (1-based) and row 5; 0 for a missing part. */
static void parse_ref(const char *r, uint64_t *col, uint64_t *row)
{
	uint64_t c = 0, w = 0;

	for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++)
		if (c < (uint64_t)1 << 40)
			c = c * 26 + (uint64_t)((*r | 0x20) - 'a' + 1);
	if (parse_uint(r, UINT32_MAX, &w) < 0)
		w = 0;
	*col = c;
	*row = w;
}

static void col_name(char *buf, size_t size, uint64_t col, uint64_t row)
{
	char tmp[16];
	size_t n = 0;

	while (col > 0 && n < sizeof(tmp)) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (size_t i = 0; i < n && i + 1 < size; i++)
		buf[i] = tmp[n - 1 - i];
	snprintf(buf + (n < size ? n : size - 1), size - (n < size ? n : size - 1),
		 "%" PRIu64, row);
}

static int grow_cols(dts_xlsx *x, size_t need)
{
	size_t cap = x->cap;

	if (need <= cap)
		return 0;
	while (cap < need)
		cap = cap ? cap * 2 : 64;
	{
		size_t *o = realloc(x->off, cap * sizeof(*o)), *l;
		const char **p;

		if (!o)
			return oom();
		x->off = o;
		if (!(l = realloc(x->len, cap * sizeof(*l))))
			return oom();
		x->len = l;
		if (!(p = realloc(x->ptr, cap * sizeof(*p))))
			return oom();
		x->ptr = p;
	}
	for (size_t i = x->cap; i < cap; i++)
		x->len[i] = SIZE_MAX;
	x->cap = cap;
	return 0;
}

static void row_reject(dts_xlsx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row_reject(dts_xlsx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->row_err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(x->row_err, sizeof(x->row_err), fmt, ap);
	va_end(ap);
}

typedef struct cell {
	uint64_t col;
	char ref[ATTR_MAX], type[ATTR_MAX];
	unsigned style;
} cell;

/* The cell's value from its raw text in x->val, into the row. */
static int finish_cell(dts_xlsx *x, const cell *c)
{
	const char *v = x->val.p ? x->val.p : "";
	size_t n = x->val.len, start;
	char ref[48], date[40];
	int k;

	if (c->ref[0])
		snprintf(ref, sizeof(ref), "%s", c->ref);
	else
		col_name(ref, sizeof(ref), c->col, x->row_no);
	if (c->col > x->o.max_cols) {
		row_reject(x, "cell %s is past column %u", ref, x->o.max_cols);
		return 0;
	}
	if (strcmp(c->type, "s") == 0) {
		uint64_t i;
		char idx[24];

		if (n >= sizeof(idx) || (memcpy(idx, v, n), idx[n] = '\0',
					 parse_uint(idx, UINT64_MAX, &i)) < 0 || i >= x->nsst) {
			row_reject(x, "cell %s: shared string %.*s does not exist", ref,
				   n > 20 ? 20 : (int)n, v);
			return 0;
		}
		v = x->sst.p + x->sst_off[i];
		n = x->sst_len[i];
	} else if (strcmp(c->type, "inlineStr") == 0) {
		unescape_x(&x->val, 0);
		v = x->val.p ? x->val.p : "";
		n = x->val.len;
	} else if (strcmp(c->type, "b") == 0) {
		if (n == 1 && (v[0] == '0' || v[0] == '1'))
			v = v[0] == '1' ? "TRUE" : "FALSE", n = strlen(v);
	} else if (strcmp(c->type, "d") == 0) {
		char *t = memchr(x->val.p ? x->val.p : "", 'T', n);

		if (t)
			*t = ' ';
	} else if ((c->type[0] == '\0' || strcmp(c->type, "n") == 0) && c->style < x->nxf &&
		   x->xf[c->style] != K_NUMBER &&
		   (k = dts__xlsx_serial(date, sizeof(date), v, n, x->xf[c->style],
					 x->date1904)) > 0) {
		v = date;
		n = (size_t)k;
	}
	if (n > x->o.max_field) {
		row_reject(x, "cell %s longer than %zu bytes", ref, x->o.max_field);
		return 0;
	}
	if (n == 0)
		return 0;
	if (grow_cols(x, (size_t)c->col) < 0)
		return DTS_ENOMEM;
	start = x->row.len;
	dts__buf_add(&x->row, v, n);
	dts__buf_ch(&x->row, '\0');
	if (x->row.oom)
		return oom();
	x->off[c->col - 1] = start;
	x->len[c->col - 1] = n;
	return 0;
}

static int start_row(dts_xlsx *x)
{
	char buf[ATTR_MAX];
	uint64_t r;

	if (attr(x, "r", buf, sizeof(buf)) > 0 && parse_uint(buf, UINT32_MAX, &r) == 0 && r > 0)
		x->row_no = r;
	else
		x->row_no++;
	if (x->row_no > x->o.max_rows)
		return dts__error(DTS_ELIMIT, x->name, 0, 0,
				  "%s: row %" PRIu64 " is past the limit of %u rows",
				  x->part, x->row_no, x->o.max_rows);
	x->col = 0;
	x->row.len = 0;
	x->row_err[0] = '\0';
	for (size_t i = 0; i < x->cap; i++)
		x->len[i] = SIZE_MAX;
	return 0;
}

/* The row assembled: 1 when it has a non-empty cell (or was rejected). */
static int end_row(dts_xlsx *x, dts_xlsx_row *row)
{
	size_t n = 0;

	if (x->row_err[0]) {
		row->line = x->row_no;
		row->error = x->row_err;
		dts__error(DTS_EINPUT, x->name, (unsigned)x->row_no, 0, "%s", x->row_err);
		return DTS_EINPUT;
	}
	for (size_t i = 0; i < x->cap; i++)
		if (x->len[i] != SIZE_MAX)
			n = i + 1;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (x->len[i] == SIZE_MAX) {
			x->ptr[i] = "";
			x->len[i] = 0;
		} else {
			x->ptr[i] = x->row.p + x->off[i];
		}
	}
	row->line = x->row_no;
	row->cols = x->ptr;
	row->lens = x->len;
	row->ncols = n;
	return 1;
}

/* Stream the sheet to the end of the next row worth returning. */
static int sheet_next(dts_xlsx *x, dts_xlsx_row *row)
{
	cell c = {0};
	int rc, in_row = 0, in_cell = 0, in_is = 0, collect = 0, rph = 0;
	char buf[ATTR_MAX];
	uint64_t col, r;

	while ((rc = step(x)) == 1) {
		if (!in_row) {
			if (is_elem(x, "sheetData"))
				x->in_data = 1;
			else if (x->in_data && is_elem(x, "row")) {
				if ((rc = start_row(x)) < 0)
					return rc;
				if (has_body(x))
					in_row = 1;
				else if ((rc = end_row(x, row)) != 0)
					return rc;
			}
			continue;
		}
		if (!in_cell) {
			if (is_elem(x, "c")) {
				cell_attrs(x, c.ref, c.type, buf);
				if (c.ref[0]) {
					parse_ref(c.ref, &col, &r);
					c.col = col ? col : (uint64_t)x->col + 1;
				} else {
					c.col = (uint64_t)x->col + 1;
				}
				if (c.col > UINT32_MAX)
					c.col = UINT32_MAX;
				x->col = (unsigned)c.col;
				c.style = buf[0] && parse_uint(buf, UINT32_MAX, &r) == 0 ? (unsigned)r : 0;
				x->val.len = 0;
				if (x->val.p)
					x->val.p[0] = '\0';
				if (has_body(x))
					in_cell = 1;
				else if ((rc = finish_cell(x, &c)) < 0)
					return rc;
			} else if (is_end(x, "row")) {
				in_row = 0;
				if ((rc = end_row(x, row)) != 0)
					return rc;
			}
			continue;
		}
		/* inside <c> */
		if (is_end(x, "c")) {
			in_cell = in_is = collect = rph = 0;
			if ((rc = finish_cell(x, &c)) < 0)
				return rc;
		} else if (is_elem(x, "v") && !in_is && has_body(x)) {
			collect = 1;
			x->val.len = 0;
		} else if (is_elem(x, "is") && has_body(x)) {
			in_is = 1;
		} else if (in_is && is_elem(x, "rPh") && has_body(x)) {
			rph++;
		} else if (in_is && is_end(x, "rPh")) {
			rph--;
		} else if (in_is && !rph && is_elem(x, "t") && has_body(x)) {
			collect = 1;
		} else if (is_end(x, "v") || is_end(x, "t")) {
			collect = 0;
		} else if (is_end(x, "is")) {
			in_is = 0;
		} else if (collect && is_text(x)) {
			const char *v = (const char *)xmlTextReaderConstValue(x->rd);

			add_capped(&x->val, 0, v, strlen(v), x->o.max_field);
			if (x->val.oom)
				return oom();
		}
	}
	return rc;
}

int dts_xlsx_next(dts_xlsx_row *row, dts_xlsx *x)
{
	dts_xml_saved saved;
	int rc;

	if (!row || !x)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_xlsx_next: NULL argument");
	memset(row, 0, sizeof(*row));
	if (x->done)
		return 0;
	dts__xml_quiet(&saved);
	rc = sheet_next(x, row);
	dts__xml_restore(&saved);
	if (rc == DTS_EINPUT && !row->error) {
		/* malformed XML or a damaged entry: the rest of the sheet cannot
		 * be read, which is not one bad row (rows would go uncounted) */
		char why[sizeof(dts_error_last()->message)];

		snprintf(why, sizeof(why), "%s",
			 dts_error_last() ? dts_error_last()->message : "cannot read the sheet");
		rc = dts__error(DTS_EIO, x->name, 0, 0, "%s", why);
	}
	if (rc < 0 && rc != DTS_EINPUT) {
		x->done = 1;
		row->line = 0;
		row->error = dts_error_last() ? dts_error_last()->message : "cannot read the sheet";
		part_close(x);
	} else if (rc == 0) {
		x->done = 1;
		part_close(x);
	}
	return rc;
}

/* ---- opening ------------------------------------------------------------- */

static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/*
 * An OLE compound file: an encrypted .xlsx (its EncryptedPackage stream)
 * or an Excel 97-2003 .xls. Those are refused: libfreexl 1.0.6 (bookworm)
 * reads well-formed .xls files right, dates included, but its
 * freexl_open reads past a heap block and crashes on a malformed one (a
 * 5.6 KB file the fuzz target found in under 400 runs), and bureaus'
 * files are not to be trusted that far.
 */
static int open_ole(dts_xlsx *x, const void *data, size_t len)
{
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

	if (memmem(data, len, enc, sizeof(enc) - 1))
		return dts__error(DTS_EINPUT, x->name, 0, 0,
				  "password-protected workbook: remove the password in "
				  "Excel and save it again");
	return dts__error(DTS_EINPUT, x->name, 0, 0,
			  "is an Excel 97-2003 .xls workbook: save it as .xlsx or CSV");
}

static int choose_sheet(dts_xlsx *x)
{
	dts__buf b = {0};
	int rc;

	if (!x->sheet_want)
		return 0;
	for (size_t i = 0; i < x->nsheets; i++)
		if (strcmp(x->sheets[i], x->sheet_want) == 0) {
			x->cur = i;
			return 0;
		}
	for (size_t i = 0; i < x->nsheets; i++) {
		dts__buf_str(&b, i ? ", '" : "'");
		dts__buf_str(&b, x->sheets[i]);
		dts__buf_ch(&b, '\'');
	}
	rc = b.oom ? oom()
		   : dts__error(DTS_EINVAL, x->name, 0, 0,
				"no sheet named '%s': the workbook has %s",
				x->sheet_want, b.p ? b.p : "none");
	dts__buf_free(&b);
	return rc;
}

static int open_zip(dts_xlsx *x, const void *data, size_t len)
{
	static const char *const office[] = {"officeDocument", NULL};
	static const char *const sheet_t[] = {"worksheet", NULL};
	static const char *const sst_t[] = {"sharedStrings", NULL};
	static const char *const sty_t[] = {"styles", NULL};
	zip_error_t ze;
	zip_source_t *src;
	char *wb = NULL, *dir = NULL, *rels = NULL;
	wb_rels w = {0};
	zip_int64_t n;
	int rc;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		zip_error_fini(&ze);
		return oom();
	}
	if (!(x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
		zip_source_free(src);
		rc = dts__error(DTS_EINPUT, x->name, 0, 0,
				"not a readable .xlsx workbook: truncated or damaged zip (%s)",
				zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	if ((n = zip_get_num_entries(x->zip, 0)) < 0 || (uint64_t)n > x->o.max_parts)
		return dts__error(DTS_ELIMIT, x->name, 0, 0,
				  "the zip has %" PRId64 " parts, more than the %zu allowed",
				  (int64_t)n, x->o.max_parts);
	if ((rc = read_rels(x, "_rels/.rels", "", office, take_target, &wb)) < 0)
		goto done;
	if (!wb && !(wb = strdup("xl/workbook.xml"))) {
		rc = oom();
		goto done;
	}
	if ((rc = rels_of(&dir, &rels, wb)) < 0)
		goto done;
	if ((rc = read_rels(x, rels, dir, sheet_t, take_sheet_rel, &w)) < 0 ||
	    (rc = read_rels(x, rels, dir, sst_t, take_target, &w.sst)) < 0 ||
	    (rc = read_rels(x, rels, dir, sty_t, take_target, &w.styles)) < 0)
		goto done;
	/* parts a writer forgot to relate: where Excel puts them */
	if ((!w.sst && !(w.sst = resolve(dir, "sharedStrings.xml"))) ||
	    (!w.styles && !(w.styles = resolve(dir, "styles.xml")))) {
		rc = oom();
		goto done;
	}
	if ((rc = read_workbook(x, wb, &w)) < 0 || (rc = choose_sheet(x)) < 0 ||
	    (rc = read_sst(x, w.sst)) < 0 || (rc = read_styles(x, w.styles)) < 0)
		goto done;
	if ((n = locate(x, x->targets[x->cur])) < 0) {
		rc = dts__error(DTS_EINPUT, x->name, 0, 0, "%s: sheet '%s' is missing from the zip",
				x->targets[x->cur], x->sheets[x->cur]);
		goto done;
	}
	rc = part_open(x, n, x->targets[x->cur]);
done:
	wb_rels_free(&w);
	free(wb);
	free(dir);
	free(rels);
	return rc;
}

static int xlsx_new(dts_xlsx **out, const char *name, const dts_xlsx_options *opts)
{
	dts_xlsx *x;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_xlsx_open: NULL out");
	*out = NULL;
	if (opts && opts->version != DTS_XLSX_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, name, 0, 0,
				  "dts_xlsx_options version %u, expected %u", opts->version,
				  DTS_XLSX_OPTIONS_VERSION);
	if (!(x = calloc(1, sizeof(*x))) || !(x->name = strdup(name))) {
		free(x);
		return oom();
	}
	if (opts)
		x->o = *opts;
	x->o.sheet = NULL;
	if (opts && opts->sheet && !(x->sheet_want = strdup(opts->sheet))) {
		dts_xlsx_free(x);
		return oom();
	}
	if (!x->o.max_size)
		x->o.max_size = DTS_XLSX_MAX_SIZE;
	if (!x->o.max_ratio)
		x->o.max_ratio = DTS_XLSX_MAX_RATIO;
	if (!x->o.max_parts)
		x->o.max_parts = DTS_XLSX_MAX_PARTS;
	if (!x->o.max_field)
		x->o.max_field = DTS_CSV_MAX_FIELD;
	if (!x->o.max_cols)
		x->o.max_cols = DTS_XLSX_MAX_COLS;
	if (!x->o.max_rows)
		x->o.max_rows = DTS_XLSX_MAX_ROWS;
	*out = x;
	return 0;
}

static int finish_open(dts_xlsx **out, const void *data, size_t len)
{
	dts_xlsx *x = *out;
	dts_xml_saved saved;
	int rc;

	dts__xml_init();
	if (len >= 8 && memcmp(data, ole_magic, 8) == 0)
		rc = open_ole(x, data, len);
	else if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		dts__xml_quiet(&saved);
		rc = open_zip(x, data, len);
		dts__xml_restore(&saved);
	} else
		rc = dts__error(DTS_EINPUT, x->name, 0, 0,
				"not an Excel workbook (no zip or OLE signature)");
	if (rc < 0) {
		dts_xlsx_free(x);
		*out = NULL;
	}
	return rc;
}

int dts_xlsx_open_buffer(dts_xlsx **out, const void *data, size_t len, const char *name,
			 const dts_xlsx_options *opts)
{
	int rc;

	if (!data && len)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_xlsx_open_buffer: NULL data");
	if ((rc = xlsx_new(out, name ? name : "(buffer)", opts)) < 0)
		return rc;
	if (len > (*out)->o.max_size) {
		rc = dts__error(DTS_ELIMIT, (*out)->name, 0, 0,
				"the workbook is %zu bytes, more than the %" PRIu64 " allowed",
				len, (*out)->o.max_size);
		dts_xlsx_free(*out);
		*out = NULL;
		return rc;
	}
	return finish_open(out, data ? data : "", len);
}

/* The rest of fd after `head`, whole, within the size limit. */
int dts__xlsx_open_fd_head(dts_xlsx **out, int fd, const void *head, size_t nhead,
			   const char *name, const dts_xlsx_options *opts)
{
	dts__buf b = {0};
	int rc;

	if ((rc = xlsx_new(out, name ? name : "(fd)", opts)) < 0)
		return rc;
	if (nhead)   /* head may be NULL when nothing was peeked */
		dts__buf_add(&b, head, nhead);
	for (;;) {
		ssize_t k;

		if (dts__buf_grow(&b, 1 << 16) < 0) {
			rc = oom();
			break;
		}
		k = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = dts__error(DTS_EIO, (*out)->name, 0, 0, "read: %s", strerror(errno));
			break;
		}
		if (k == 0)
			break;
		b.len += (size_t)k;
		if (b.len > (*out)->o.max_size) {
			rc = dts__error(DTS_ELIMIT, (*out)->name, 0, 0,
					"the workbook is more than %" PRIu64 " bytes",
					(*out)->o.max_size);
			break;
		}
	}
	if (rc < 0 || b.oom) {
		dts__buf_free(&b);
		dts_xlsx_free(*out);
		*out = NULL;
		return rc < 0 ? rc : oom();
	}
	(*out)->owned = b.p;
	return finish_open(out, b.p ? b.p : "", b.len);
}

int dts_xlsx_open_fd(dts_xlsx **out, int fd, const char *name, const dts_xlsx_options *opts)
{
	return dts__xlsx_open_fd_head(out, fd, NULL, 0, name, opts);
}

int dts_xlsx_open_file(dts_xlsx **out, const char *path, const dts_xlsx_options *opts)
{
	int stdin_ = !path || strcmp(path, "-") == 0;
	char *data;
	size_t len;
	int rc;

	if ((rc = xlsx_new(out, stdin_ ? "(stdin)" : path, opts)) < 0)
		return rc;
	if ((rc = dts__read_file(&data, &len, NULL, stdin_ ? "-" : path, DTS__READ_STREAM,
				 (*out)->o.max_size > SIZE_MAX ? SIZE_MAX
							      : (size_t)(*out)->o.max_size,
				 (*out)->name, 0, 0)) < 0) {
		dts_xlsx_free(*out);
		*out = NULL;
		return rc;
	}
	(*out)->owned = data;
	return finish_open(out, data, len);
}

void dts_xlsx_free(dts_xlsx *x)
{
	if (!x)
		return;
	part_close(x);
	if (x->zip)
		zip_discard(x->zip);
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheets[i]);
		free(x->targets[i]);
	}
	free(x->sheets);
	free(x->targets);
	dts__buf_free(&x->sst);
	free(x->sst_off);
	free(x->sst_len);
	free(x->xf);
	dts__buf_free(&x->row);
	dts__buf_free(&x->val);
	free(x->off);
	free(x->len);
	free(x->ptr);
	free(x->sheet_want);
	free(x->owned);
	free(x->name);
	free(x);
}

size_t dts_xlsx_sheets(const dts_xlsx *x, const char *const **names)
{
	*names = (const char *const *)x->sheets;
	return x->nsheets;
}

const char *dts_xlsx_sheet(const dts_xlsx *x)
{
	return x->nsheets ? x->sheets[x->cur] : "";
}
