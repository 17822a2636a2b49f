/*
 * ceb.c — customs CBEC XML messages as records (dts/ceb.h).
 *
 * The input is cut into XML documents at each "<?xml" (a file may hold
 * several messages one after another); each document is parsed whole with
 * xmlTextReader into records kept in an arena, and the records are handed
 * out only when the document was well-formed, so a broken message is
 * rejected as one unit and the next document is read normally.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "internal.h"
#include "dts/ceb.h"

#define MAX_DEPTH 16
#define MAX_RAW 1024

typedef struct tpair {
	const char *name, *value;
	size_t len;
	unsigned group;  /* 0 = Head, k = k-th List */
} tpair;

typedef struct rec {
	const char *entity;
	dts_ceb_pair *pairs;
	size_t npairs;
	dts_value fields[DTS_F_COUNT];
	size_t nfields;
	uint64_t line;
} crec;

struct dts_ceb {
	dts_ceb_options o;
	char *name;
	int fd, own_fd;
	const char *mem;
	size_t mem_len, mem_pos;

	char *buf;              /* [0, len): input from a document start on */
	size_t cap, len;
	int eof, dead;
	uint64_t line;          /* line of buf[0] */
	uint64_t records;

	dts_arena arena;        /* the current document's records */
	crec *recs;
	size_t nrecs, recs_cap, next;
	const char *message;    /* "CEB621" of the current document */

	tpair *tmp;             /* leaves of the entity being read */
	size_t ntmp, tmp_cap;
	uint64_t *list_lines;   /* line of each List of the entity */
	size_t nlists, lines_cap;
	char *val;              /* text of the leaf being read */
	size_t vlen, vcap;

	unsigned err_line;      /* first libxml2 error of the document */
	char msg[512];
	char raw[MAX_RAW + 1];
};

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- input and documents ------------------------------------------------- */

static int src_read(dts_ceb *r)
{
	size_t want = r->o.block_size;
	ssize_t k;
	int error;

	if ((error = dts__grow((void **)&r->buf, &r->cap, r->len + want + 1, 1)) < 0)
		return error;
	if (r->mem) {
		size_t left = r->mem_len - r->mem_pos;
		k = (ssize_t)(want < left ? want : left);
		memcpy(r->buf + r->len, r->mem + r->mem_pos, (size_t)k);
		r->mem_pos += (size_t)k;
	} else {
		do
			k = read(r->fd, r->buf + r->len, want);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return dts__error(DTS_EIO, r->name, 0, 0, "%s: read: %s",
					  r->name, strerror(errno));
	}
	if (k == 0)
		r->eof = 1;
	r->len += (size_t)k;
	return 0;
}

/* Drop the first n bytes of the buffer, counting their lines. */
static void consume(dts_ceb *r, size_t n)
{
	r->line += dts__count_nl(r->buf, n);
	memmove(r->buf, r->buf + n, r->len - n);
	r->len -= n;
}

/*
 * Find the end of the document at buf[0]: *doclen bytes. Returns 1, 0 at
 * the end of input, 2 when the document is over max_message bytes.
 */
static int find_doc(dts_ceb *r, size_t *doclen)
{
	size_t from = 1;
	int error;

	for (;;) {
		const char *p = r->len > from ? memmem(r->buf + from, r->len - from, "<?xml", 5)
					      : NULL;
		if (p) {
			*doclen = (size_t)(p - r->buf);
			return *doclen > r->o.max_message ? 2 : 1;
		}
		if (r->eof) {
			*doclen = r->len;
			return r->len > r->o.max_message ? 2 : r->len > 0;
		}
		if (r->len > r->o.max_message)
			return 2;
		from = r->len > 5 ? r->len - 4 : 1;
		if ((error = src_read(r)) < 0)
			return error;
	}
}

/* Skip an oversized document up to the next "<?xml". */
static int skip_doc(dts_ceb *r)
{
	size_t from = 1; /* buf[0] starts the skipped document itself */
	int error;

	for (;;) {
		const char *p = r->len > from ? memmem(r->buf + from, r->len - from, "<?xml", 5)
					      : NULL;
		if (p) {
			consume(r, (size_t)(p - r->buf));
			return 0;
		}
		if (r->eof) {
			consume(r, r->len);
			return 0;
		}
		if (r->len > 5) {
			consume(r, r->len - 4);
			from = 0;
		}
		if ((error = src_read(r)) < 0)
			return error;
	}
}

/* ---- building records ----------------------------------------------------- */

static int add_tmp(dts_ceb *r, const char *name, unsigned group)
{
	size_t s = 0, e = r->vlen;
	tpair *t;
	int error;

	while (s < e && strchr(" \t\r\n", r->val[s]))
		s++;
	while (e > s && strchr(" \t\r\n", r->val[e - 1]))
		e--;
	if ((error = dts__grow((void **)&r->tmp, &r->tmp_cap, r->ntmp + 1, sizeof(*t))) < 0)
		return error;
	t = &r->tmp[r->ntmp++];
	t->name = dts__arena_strdup(&r->arena, name);
	t->value = dts__arena_strndup(&r->arena, r->val ? r->val + s : "", e - s);
	t->len = e - s;
	t->group = group;
	return t->name && t->value ? 0 : oom();
}

static const char *rec_get(const crec *k, const char *name, int list, size_t *len)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		int want = list >= 0 ? list : !pass;
		if (list >= 0 && pass > 0)
			break;
		for (i = 0; i < k->npairs; i++) {
			if (k->pairs[i].list == want && strcmp(k->pairs[i].name, name) == 0) {
				if (len)
					*len = k->pairs[i].len;
				return k->pairs[i].value;
			}
		}
	}
	return NULL;
}

static void set_field(crec *k, int field, const char *v)
{
	if (!v || !*v)
		return;
	k->fields[k->nfields].field = field;
	k->fields[k->nfields].data = v;
	k->fields[k->nfields].len = strlen(v);
	k->nfields++;
}

/* yyyyMMdd[HHmmss] -> YYYY-MM-DD; anything else unchanged. */
static const char *norm_date(dts_ceb *r, const char *d)
{
	size_t n = d ? strlen(d) : 0, i;
	char *o;

	if (n != 8 && n != 14)
		return d;
	for (i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return d;
	if (!(o = dts__arena_alloc(&r->arena, 11)))
		return d;
	memcpy(o, d, 4);
	o[4] = '-';
	memcpy(o + 5, d + 4, 2);
	o[7] = '-';
	memcpy(o + 8, d + 6, 2);
	return o;
}

static const char *join_id(dts_ceb *r, const char *a, const char *b)
{
	size_t la, lb;
	char *o;

	if (!a || !*a)
		return b;
	if (!b || !*b)
		return a;
	la = strlen(a);
	lb = strlen(b);
	if (!(o = dts__arena_alloc(&r->arena, la + lb + 2)))
		return a;
	memcpy(o, a, la);
	o[la] = '-';
	memcpy(o + la + 1, b, lb + 1);
	return o;
}

static const char *nonempty(const char *a, const char *b)
{
	return a && *a ? a : b;
}

static void map_fields(dts_ceb *r, crec *k)
{
	const char *m = r->message, *flow;

	set_field(k, DTS_F_SOURCE, "cbec");
	if (!strcmp(m, "CEB621") || !strcmp(m, "CEB603")) {
		flow = rec_get(k, "ieFlag", 0, NULL);
		set_field(k, DTS_F_FLOW, nonempty(flow, m[3] == '6' && m[4] == '2' ? "I" : "E"));
		set_field(k, DTS_F_PERIOD, norm_date(r, rec_get(k, "ieDate", 0, NULL)));
		set_field(k, DTS_F_TRADE_MODE, rec_get(k, "tradeMode", 0, NULL));
		set_field(k, DTS_F_COUNTERPART, rec_get(k, "country", 0, NULL));
		set_field(k, DTS_F_CURRENCY, rec_get(k, "currency", -1, NULL));
		set_field(k, DTS_F_PLATFORM, rec_get(k, "ebpCode", 0, NULL));
		set_field(k, DTS_F_ID, join_id(r, nonempty(rec_get(k, "invtNo", 0, NULL),
							   rec_get(k, "copNo", 0, NULL)),
					       rec_get(k, "gnum", 1, NULL)));
		set_field(k, DTS_F_HS_CODE, rec_get(k, "gcode", 1, NULL));
		set_field(k, DTS_F_DESCRIPTION, nonempty(rec_get(k, "gname", 1, NULL),
							 rec_get(k, "itemName", 1, NULL)));
		set_field(k, DTS_F_VALUE, rec_get(k, "totalPrice", 1, NULL));
	} else if (!strcmp(m, "CEB311") || !strcmp(m, "CEB303")) {
		set_field(k, DTS_F_PLATFORM, rec_get(k, "ebpCode", 0, NULL));
		set_field(k, DTS_F_CURRENCY, rec_get(k, "currency", -1, NULL));
		set_field(k, DTS_F_ID, join_id(r, rec_get(k, "orderNo", 0, NULL),
					       rec_get(k, "gnum", 1, NULL)));
		set_field(k, DTS_F_DESCRIPTION, rec_get(k, "itemName", 1, NULL));
		set_field(k, DTS_F_VALUE, rec_get(k, "totalPrice", 1, NULL));
		set_field(k, DTS_F_COUNTERPART, rec_get(k, "country", 1, NULL));
	} else {
		set_field(k, DTS_F_ID, rec_get(k, "orderNo", 0, NULL));
	}
}

/* One record of the entity: its Head leaves plus the leaves of List `group`. */
static int emit(dts_ceb *r, const char *entity, unsigned group, uint64_t line)
{
	size_t i, n = 0;
	crec *k;
	int error;

	if ((error = dts__grow((void **)&r->recs, &r->recs_cap, r->nrecs + 1, sizeof(*k))) < 0)
		return error;
	k = &r->recs[r->nrecs++];
	memset(k, 0, sizeof(*k));
	k->entity = entity;
	k->line = line;
	k->pairs = dts__arena_alloc(&r->arena, (r->ntmp + 1) * sizeof(*k->pairs));
	if (!k->pairs)
		return oom();
	for (i = 0; i < r->ntmp; i++) {
		const tpair *t = &r->tmp[i];
		if (t->group != 0 && t->group != group)
			continue;
		k->pairs[n].name = t->name;
		k->pairs[n].value = t->value;
		k->pairs[n].len = t->len;
		k->pairs[n].list = t->group != 0;
		n++;
	}
	k->npairs = n;
	map_fields(r, k);
	return 0;
}

static int end_entity(dts_ceb *r, const char *entity, uint64_t line)
{
	size_t g;
	int error;

	if (r->nlists == 0 && r->ntmp > 0)
		return emit(r, entity, 0, line);
	for (g = 1; g <= r->nlists; g++)
		if ((error = emit(r, entity, (unsigned)g, r->list_lines[g - 1])) < 0)
			return error;
	return 0;
}

/* ---- parsing one document ----------------------------------------------------- */

static void on_xml_error(void *payload, xmlErrorPtr e)
{
	dts_ceb *r = payload;
	size_t n;

	if (r->err_line || !e || e->level < XML_ERR_ERROR)
		return;
	r->err_line = e->line > 0 ? (unsigned)e->line : 1;
	snprintf(r->msg, sizeof(r->msg), "malformed XML: %s", e->message ? e->message : "?");
	n = strlen(r->msg);
	while (n > 0 && (r->msg[n - 1] == '\n' || r->msg[n - 1] == ' '))
		r->msg[--n] = '\0';
}

static int fail(dts_ceb *r, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(dts_ceb *r, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (r->err_line)
		return DTS_EINPUT;
	r->err_line = line ? line : 1;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return DTS_EINPUT;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a > b && strcmp(s + a - b, suf) == 0;
}

static int is_skipped(const char *name)
{
	return !strcmp(name, "BaseTransfer") || !strcmp(name, "BaseSubscribe") ||
	       !strcmp(name, "ExtendMessage") || !strcmp(name, "Signature");
}

typedef struct walk {
	const char *entity;
	uint64_t entity_line;
	int section;       /* 0 none, 1 Head, 2 List, -1 ignored */
	int skip;          /* inside a skipped depth-1 element */
	unsigned group;
	char leaf[128];
	int in_leaf;
} walk;

static int on_root(dts_ceb *r, const char *local, unsigned line)
{
	char kind[16];

	if (strlen(local) != 13 || strncmp(local, "CEB", 3) != 0 ||
	    strcmp(local + 6, "Message") != 0 ||
	    local[3] < '0' || local[3] > '9' || local[4] < '0' || local[4] > '9' ||
	    local[5] < '0' || local[5] > '9')
		return fail(r, line, "not a CEB message: root element <%s>", local);
	memcpy(kind, local, 6);
	kind[6] = '\0';
	r->message = dts__arena_strdup(&r->arena, kind);
	return r->message ? 0 : oom();
}

static int on_element(dts_ceb *r, walk *w, xmlTextReaderPtr x, int depth)
{
	const char *local = (const char *)xmlTextReaderConstLocalName(x);
	unsigned line = (unsigned)xmlGetLineNo(xmlTextReaderCurrentNode(x));
	int empty = xmlTextReaderIsEmptyElement(x) == 1, error;

	if (depth == 0)
		return on_root(r, local, line);
	if (w->skip)
		return 0;
	if (depth == 1) {
		if (is_skipped(local)) {
			w->skip = !empty;
			return 0;
		}
		w->entity = dts__arena_strdup(&r->arena, local);
		w->entity_line = line;
		r->ntmp = r->nlists = 0;
		return w->entity ? 0 : oom();
	}
	if (depth == 2) {
		w->section = -1;
		if (has_suffix(local, "Head")) {
			w->section = 1;
			w->group = 0;
		} else if (has_suffix(local, "List")) {
			if ((error = dts__grow((void **)&r->list_lines, &r->lines_cap,
					  r->nlists + 1, sizeof(uint64_t))) < 0)
				return error;
			r->list_lines[r->nlists++] = line;
			w->section = 2;
			w->group = (unsigned)r->nlists;
		}
		if (empty)
			w->section = 0;
		return 0;
	}
	if (depth == 3 && w->section > 0) {
		snprintf(w->leaf, sizeof(w->leaf), "%s", local);
		r->vlen = 0;
		w->in_leaf = !empty;
		if (empty)
			return add_tmp(r, w->leaf, w->group);
	}
	return 0;
}

static int on_end(dts_ceb *r, walk *w, int depth)
{
	if (w->skip) {
		w->skip = depth != 1;
		return 0;
	}
	if (depth == 3 && w->in_leaf) {
		w->in_leaf = 0;
		return add_tmp(r, w->leaf, w->group);
	}
	if (depth == 2)
		w->section = 0;
	if (depth == 1 && w->entity) {
		int error = end_entity(r, w->entity, w->entity_line);
		w->entity = NULL;
		return error;
	}
	return 0;
}

static int on_text(dts_ceb *r, walk *w, xmlTextReaderPtr x, int depth)
{
	const char *t = (const char *)xmlTextReaderConstValue(x);
	size_t n = t ? strlen(t) : 0;
	int error;

	if (!w->in_leaf || depth != 4 || w->skip)
		return 0;
	if ((error = dts__grow((void **)&r->val, &r->vcap, r->vlen + n + 1, 1)) < 0)
		return error;
	memcpy(r->val + r->vlen, t, n);
	r->vlen += n;
	r->val[r->vlen] = '\0';
	return 0;
}

static int walk_doc(dts_ceb *r, xmlTextReaderPtr x)
{
	walk w;
	int ret, error = 0;

	memset(&w, 0, sizeof(w));
	while (error == 0 && (ret = xmlTextReaderRead(x)) == 1) {
		int type = xmlTextReaderNodeType(x), depth = xmlTextReaderDepth(x);
		unsigned line = (unsigned)xmlGetLineNo(xmlTextReaderCurrentNode(x));

		if (depth > MAX_DEPTH)
			return fail(r, line, "elements nested deeper than %d", MAX_DEPTH);
		switch (type) {
		case XML_READER_TYPE_DOCUMENT_TYPE:
			return fail(r, line, "DTD not allowed");
		case XML_READER_TYPE_ENTITY_REFERENCE:
			return fail(r, line, "entity reference not allowed");
		case XML_READER_TYPE_ELEMENT:
			error = on_element(r, &w, x, depth);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			error = on_end(r, &w, depth);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			error = on_text(r, &w, x, depth);
			break;
		default:
			break;
		}
	}
	if (error == 0 && ret < 0)
		return fail(r, 0, "malformed XML");
	return error;
}

static int parse_doc(dts_ceb *r, const char *doc, size_t len)
{
	dts_xml_saved saved;
	xmlTextReaderPtr x;
	const char *dt;
	int error;

	dts__arena_free(&r->arena);
	r->nrecs = r->next = 0;
	r->err_line = 0;
	r->message = NULL;
	if ((dt = memmem(doc, len, "<!DOCTYPE", 9)) != NULL)
		return fail(r, 1 + (unsigned)dts__count_nl(doc, (size_t)(dt - doc)),
			    "DTD not allowed");
	dts__xml_quiet(&saved); /* libxml2 must not print, from here on */
	x = xmlReaderForMemory(doc, (int)len, r->name, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x) {
		dts__xml_restore(&saved);
		return oom();
	}
	xmlTextReaderSetStructuredErrorHandler(x, on_xml_error, r);
	error = walk_doc(r, x);
	xmlFreeTextReader(x);
	dts__xml_restore(&saved);
	if (error == 0 && !r->message)
		return fail(r, 1, "no message element");
	return error;
}

static int blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr(" \t\r\n", s[i]))
			return 0;
	return 1;
}

/* The line `line` (1-based) of the document, cut to MAX_RAW bytes. */
static void raw_line(dts_ceb *r, const char *doc, size_t len, unsigned line)
{
	const char *p = doc, *e = doc + len, *nl;
	size_t n;

	while (--line > 0 && (nl = memchr(p, '\n', (size_t)(e - p))) != NULL)
		p = nl + 1;
	nl = memchr(p, '\n', (size_t)(e - p));
	n = (size_t)((nl ? nl : e) - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n > MAX_RAW)
		n = MAX_RAW;
	memcpy(r->raw, p, n);
	r->raw[n] = '\0';
}

/* ---- the API ---------------------------------------------------------------------- */

static int reject(dts_ceb_record *rec, dts_ceb *r, uint64_t line)
{
	rec->line = line;
	rec->record = ++r->records;
	rec->error = r->msg;
	rec->raw = r->raw;
	rec->raw_len = strlen(r->raw);
	return dts__error(DTS_EINPUT, r->name, (unsigned)line, 0, "%s", r->msg);
}

static int give(dts_ceb_record *rec, dts_ceb *r)
{
	const crec *k = &r->recs[r->next++];

	rec->message = r->message;
	rec->entity = k->entity;
	rec->pairs = k->pairs;
	rec->npairs = k->npairs;
	rec->fields = k->fields;
	rec->nfields = k->nfields;
	rec->line = k->line;
	rec->record = ++r->records;
	return 1;
}

static int next_doc(dts_ceb_record *rec, dts_ceb *r)
{
	size_t len;
	int rc;

	for (;;) {
		uint64_t line0 = r->line;

		if ((rc = find_doc(r, &len)) <= 0)
			return rc;
		if (rc == 2) {
			snprintf(r->msg, sizeof(r->msg), "message longer than %zu bytes",
				 r->o.max_message);
			raw_line(r, r->buf, r->len, 1);
			if ((rc = skip_doc(r)) < 0)
				return rc;
			return reject(rec, r, line0);
		}
		if (blank(r->buf, len)) {
			consume(r, len);
			continue;
		}
		if (len > INT_MAX) {
			consume(r, len);
			snprintf(r->msg, sizeof(r->msg), "message longer than %d bytes", INT_MAX);
			r->raw[0] = '\0';
			return reject(rec, r, line0);
		}
		rc = parse_doc(r, r->buf, len);
		if (rc == DTS_EINPUT)
			raw_line(r, r->buf, len, r->err_line);
		consume(r, len);
		if (rc == DTS_EINPUT)
			return reject(rec, r, line0 + r->err_line - 1);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < r->nrecs; i++)
			r->recs[i].line += line0 - 1;
		if (r->nrecs > 0)
			return give(rec, r);
	}
}

int dts_ceb_next(dts_ceb_record *rec, dts_ceb *r)
{
	int rc;

	if (!rec || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_ceb_next: NULL argument");
	memset(rec, 0, sizeof(*rec));
	if (r->dead)
		return r->dead;
	if (r->next < r->nrecs)
		return give(rec, r);
	rc = next_doc(rec, r);
	if (rc < 0 && rc != DTS_EINPUT)
		r->dead = rc;
	return rc;
}

const char *dts_ceb_get(const dts_ceb_record *rec, const char *name, int list,
			size_t *len)
{
	crec k;

	if (!rec || !name)
		return NULL;
	memset(&k, 0, sizeof(k));
	k.pairs = (dts_ceb_pair *)rec->pairs;
	k.npairs = rec->npairs;
	return rec_get(&k, name, list, len);
}

static int ceb_new(dts_ceb **out, const char *name, const dts_ceb_options *opts)
{
	static const dts_ceb_options defaults = DTS_CEB_OPTIONS_INIT;
	dts_ceb *r;

	*out = NULL;
	if (opts && opts->version != DTS_CEB_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unsupported dts_ceb_options version %u", opts->version);
	if (!(r = calloc(1, sizeof(*r))))
		return oom();
	r->o = opts ? *opts : defaults;
	if (!r->o.max_message)
		r->o.max_message = DTS_CEB_MAX_MESSAGE;
	if (!r->o.block_size)
		r->o.block_size = (size_t)1 << 20;
	r->fd = -1;
	r->line = 1;
	if (!(r->name = strdup(name)) || dts__grow((void **)&r->buf, &r->cap, 64, 1) < 0) {
		free(r->name);
		free(r);
		return oom();
	}
	dts__xml_init();
	*out = r;
	return 0;
}

int dts_ceb_open_file(dts_ceb **out, const char *path, const dts_ceb_options *opts)
{
	int fd = STDIN_FILENO, error;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_ceb_open_file: NULL out");
	*out = NULL;
	if (path && strcmp(path, "-") != 0) {
		do
			fd = open(path, O_RDONLY | O_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			return dts__error(DTS_EIO, path, 0, 0, "%s: %s", path, strerror(errno));
	}
	if ((error = ceb_new(out, fd == STDIN_FILENO ? "(stdin)" : path, opts)) < 0) {
		if (fd != STDIN_FILENO)
			close(fd);
		return error;
	}
	(*out)->fd = fd;
	(*out)->own_fd = fd != STDIN_FILENO;
	return 0;
}

int dts_ceb_open_buffer(dts_ceb **out, const char *data, size_t len,
			const char *name, const dts_ceb_options *opts)
{
	int error;

	if (!out || (!data && len > 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_ceb_open_buffer: bad argument");
	if ((error = ceb_new(out, name ? name : "(buffer)", opts)) < 0)
		return error;
	(*out)->mem = data ? data : "";
	(*out)->mem_len = len;
	return 0;
}

void dts_ceb_free(dts_ceb *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	dts__arena_free(&r->arena);
	free(r->name);
	free(r->buf);
	free(r->recs);
	free(r->tmp);
	free(r->list_lines);
	free(r->val);
	free(r);
}
