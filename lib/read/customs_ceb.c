/*
 * read/customs_ceb.c — customs cross-border e-commerce (CEB) XML messages as records (dts/ceb.h).
 *
 * Each document is parsed with libxml2's push parser (SAX2, no tree), and
 * the parser itself says where a document ends: the end tag of its root
 * element, then any comments and processing instructions after it. The
 * next document starts where that parser stops, so a "<?xml" inside a
 * CDATA section, a comment or a <?xml-stylesheet?> is data, never a
 * boundary. Only after a document the parser gave up on (a fatal error:
 * its structure is unknown past it) does reading resume at the next
 * "<?xml" after the error; past a non-fatal one it parses on to the end.
 *
 * The parser is fed fixed FEED-byte pieces counted from the document's
 * first byte, whatever the read size, so what it sees (and so every
 * verdict, the size limit included) depends on the bytes alone. A
 * document's records are kept in an arena and handed out only when its
 * root element closed with no error, so a broken message is rejected as
 * one unit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "internal.h"
#include "dts/ceb.h"

#define MAX_DEPTH 16
#define MAX_RAW 1024
#define FEED 4096 /* bytes per xmlParseChunk (see above) */
#define CEB_NS "http://www.chinaport.gov.cn/ceb"

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

typedef struct walk {
	const char *entity;
	uint64_t entity_line;
	int section;       /* 0 none, 1 Head, 2 List, -1 ignored */
	int skip;          /* inside a skipped depth-1 element */
	unsigned group;
	char leaf[128];
	int in_leaf;
} walk;

struct dts_ceb {
	dts_ceb_options o;
	char *name;
	int fd, own_fd;
	const char *mem;
	size_t mem_len, mem_pos;
	char *head;             /* bytes the caller read from fd before us */
	size_t head_len, head_pos;
	int64_t size;           /* regular file: its size at open, else -1 */

	char *alloc;            /* cap bytes; buf points into it */
	char *buf;              /* input [buf_off, buf_off + len) */
	size_t cap, len;
	uint64_t buf_off;
	uint64_t line;          /* line of buf[0] */
	int eof, dead;
	uint64_t records;

	/* the document being parsed */
	xmlParserCtxtPtr ctxt;
	uint64_t doc_off, doc_line; /* its first byte and line */
	uint64_t fed, piece_off;    /* fed to the parser so far; last piece */
	int depth, finished, discard, oversized, given;
	int root_open, root_closed;
	char root[80];              /* root element as written, for messages */
	uint64_t root_line;
	uint64_t end_off;           /* past the root end tag, or an epilog
				       comment or PI after it */
	walk w;

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

	int err, err_domain, err_code; /* first error before the root closed:
					  the document is broken */
	unsigned err_line;      /* within the document, 1-based */
	int err_after;          /* an error after the root: the next
				   document starts there */
	int rejected;           /* this document has been rejected */
	uint64_t last_off;      /* stream offset near the latest error */
	int last_code;
	int fatal;              /* DTS_ENOMEM inside a callback */
	char msg[512];
	char raw[MAX_RAW + 1];
};

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- input --------------------------------------------------------------- */

/* A regular file that ends before the size it had at open was cut short
 * by someone else while we read it: say so rather than end quietly. */
static int check_shrink(dts_ceb *r)
{
	off_t pos;

	if (r->size < 0 || (pos = lseek(r->fd, 0, SEEK_CUR)) < 0 || (int64_t)pos >= r->size)
		return 0;
	return dts__error(DTS_EIO, r->name, 0, 0,
			  "file shrank while being read (%lld bytes at open, ends at %lld):"
			  " truncated by another process?",
			  (long long)r->size, (long long)pos);
}

/*
 * Room for `want` more bytes after the input. The consumed prefix is
 * dropped lazily, once it outweighs what is left (or room runs out), so
 * each byte is moved O(1) times however many small documents a block
 * holds.
 */
static int room(dts_ceb *r, size_t want)
{
	size_t gap = (size_t)(r->buf - r->alloc);
	int error;

	if (gap > 0 && (gap >= r->len || gap + r->len + want + 1 > r->cap)) {
		memmove(r->alloc, r->buf, r->len);
		gap = 0;
	}
	error = dts__grow((void **)&r->alloc, &r->cap, gap + r->len + want + 1, 1);
	r->buf = r->alloc + gap;
	return error;
}

static int src_read(dts_ceb *r)
{
	size_t want = r->o.block_size;
	ssize_t k;
	int error;

	if ((error = room(r, want)) < 0)
		return error;
	if (r->mem || r->head_pos < r->head_len) {
		const char *src = r->mem ? r->mem + r->mem_pos : r->head + r->head_pos;
		size_t left = r->mem ? r->mem_len - r->mem_pos : r->head_len - r->head_pos;
		k = (ssize_t)(want < left ? want : left);
		memcpy(r->buf + r->len, src, (size_t)k);
		*(r->mem ? &r->mem_pos : &r->head_pos) += (size_t)k;
	} else {
		do
			k = read(r->fd, r->buf + r->len, want);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return dts__error(DTS_EIO, r->name, 0, 0, "%s: read: %s",
					  r->name, strerror(errno));
		if (k == 0 && (error = check_shrink(r)) < 0)
			return error;
	}
	if (k == 0)
		r->eof = 1;
	r->len += (size_t)k;
	return 0;
}

/* Read until the buffer reaches stream offset `upto` or the input ends. */
static int need(dts_ceb *r, uint64_t upto)
{
	int error;

	while (r->buf_off + r->len < upto && !r->eof)
		if ((error = src_read(r)) < 0)
			return error;
	return 0;
}

/* Drop the input before stream offset `upto`, counting its lines. */
static void consume(dts_ceb *r, uint64_t upto)
{
	size_t n = upto > r->buf_off ? (size_t)(upto - r->buf_off) : 0;

	if (n > r->len)
		n = r->len;
	r->line += dts__count_nl(r->buf, n);
	r->buf += n;
	r->len -= n;
	r->buf_off += n;
}

/*
 * After a malformed document: drop input up to the next "<?xml" at or
 * after stream offset `from`, or all of it. This is the one byte search
 * left, and only where no parser can tell structure any more.
 */
static int resync(dts_ceb *r, uint64_t from)
{
	int error;

	consume(r, from);
	for (;;) {
		const char *p = memmem(r->buf, r->len, "<?xml", 5);

		if (p) {
			consume(r, r->buf_off + (uint64_t)(p - r->buf));
			return 0;
		}
		if (r->eof) {
			consume(r, r->buf_off + r->len);
			return 0;
		}
		if (r->len > 4)
			consume(r, r->buf_off + r->len - 4);
		if ((error = src_read(r)) < 0)
			return error;
	}
}

/* Skip blank bytes between documents; 1 when a document starts, 0 at the end. */
static int skip_blanks(dts_ceb *r)
{
	int error;

	for (;;) {
		size_t i = 0;

		while (i < r->len && strchr(" \t\r\n", r->buf[i]) && r->buf[i])
			i++;
		consume(r, r->buf_off + i);
		if (r->len > 0)
			return 1;
		if (r->eof)
			return 0;
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

/* ---- errors ------------------------------------------------------------- */

static uint64_t consumed(dts_ceb *r)
{
	long n = r->ctxt ? xmlByteConsumed(r->ctxt) : -1;

	/* -1 when libxml2 cannot map back through an encoding: the piece */
	return n >= 0 ? r->doc_off + (uint64_t)n : r->piece_off;
}

static unsigned doc_line_now(dts_ceb *r)
{
	return r->ctxt && r->ctxt->input && r->ctxt->input->line > 0
		       ? (unsigned)r->ctxt->input->line : 1;
}

static void trim_msg(dts_ceb *r)
{
	size_t n = strlen(r->msg);

	while (n > 0 && (r->msg[n - 1] == '\n' || r->msg[n - 1] == ' '))
		r->msg[--n] = '\0';
}

/* libxml2's errors, of the parser and (without a context) of encoding
 * conversion: keep the first of the document. */
static void on_xml_error(void *payload, xmlErrorPtr e)
{
	dts_ceb *r = payload;
	int i18n;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	/* Raised without a parser context (encoding conversion, I/O): a
	 * whole piece failed to convert, before any of it was parsed, and
	 * mid-push the parser's input pointers are stale — asking it for a
	 * position then reads freed memory. */
	i18n = !e->ctxt || e->domain == XML_FROM_I18N || e->domain == XML_FROM_IO;
	r->last_off = i18n ? r->piece_off : consumed(r);
	r->last_code = e->code;
	if (r->root_closed)
		r->err_after = 1;
	if (r->err || r->root_closed)
		return;
	r->err = 1;
	r->err_domain = e->domain;
	r->err_code = e->code;
	/* for encoding errors, blame the declaration that named it */
	r->err_line = i18n ? 1 : e->line > 0 ? (unsigned)e->line : doc_line_now(r);
	snprintf(r->msg, sizeof(r->msg), "malformed XML: %s", e->message ? e->message : "?");
	trim_msg(r);
}

static void fail(dts_ceb *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Our own verdict on the document: stop its parser. */
static void fail(dts_ceb *r, const char *fmt, ...)
{
	va_list ap;

	r->last_off = consumed(r);
	r->last_code = 0;
	if (!r->err) {
		r->err = 1;
		r->err_domain = 0;
		r->err_line = doc_line_now(r);
		va_start(ap, fmt);
		vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
		va_end(ap);
	}
	xmlStopParser(r->ctxt);
}

static void fail_oom(dts_ceb *r)
{
	r->fatal = DTS_ENOMEM;
	fail(r, "out of memory");
}

/* ---- SAX callbacks -------------------------------------------------------- */

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

static uint64_t abs_line(dts_ceb *r)
{
	return r->doc_line + doc_line_now(r) - 1;
}

/* The root must be a CEBnnnMessage in the customs namespace: anything
 * else is some other XML, and reading it as customs data would be a guess. */
static void on_root(dts_ceb *r, const char *local, const char *prefix, const char *uri)
{
	char kind[16];

	snprintf(r->root, sizeof(r->root), "%s%s%s", prefix ? prefix : "",
		 prefix ? ":" : "", local);
	r->root_open = 1;
	r->root_line = abs_line(r);
	if (strlen(local) != 13 || strncmp(local, "CEB", 3) != 0 ||
	    strcmp(local + 6, "Message") != 0 ||
	    local[3] < '0' || local[3] > '9' || local[4] < '0' || local[4] > '9' ||
	    local[5] < '0' || local[5] > '9') {
		fail(r, "not a CEB message: root element <%s>, expected <CEBnnnMessage>"
		     " in namespace " CEB_NS, r->root);
		return;
	}
	if (!uri || strcmp(uri, CEB_NS) != 0) {
		fail(r, "not a CEB message: root element <%s> is in %s%s, expected"
		     " namespace " CEB_NS, r->root, uri ? "namespace " : "no namespace",
		     uri ? uri : "");
		return;
	}
	memcpy(kind, local, 6);
	kind[6] = '\0';
	if (!(r->message = dts__arena_strdup(&r->arena, kind)))
		fail_oom(r);
}

static void on_list(dts_ceb *r, walk *w)
{
	if (dts__grow((void **)&r->list_lines, &r->lines_cap, r->nlists + 1,
		      sizeof(uint64_t)) < 0) {
		fail_oom(r);
		return;
	}
	r->list_lines[r->nlists++] = abs_line(r);
	w->section = 2;
	w->group = (unsigned)r->nlists;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
		     int ndef, const xmlChar **attrs)
{
	dts_ceb *r = ctx;
	walk *w = &r->w;
	const char *local = (const char *)localname;
	int depth = r->depth++;

	(void)nns, (void)ns, (void)nattr, (void)ndef, (void)attrs;
	if (depth > MAX_DEPTH) {
		fail(r, "elements nested deeper than %d", MAX_DEPTH);
		return;
	}
	if (depth == 0) {
		on_root(r, local, (const char *)prefix, (const char *)uri);
		return;
	}
	if (w->skip || r->discard)
		return;
	if (depth == 1) {
		if (is_skipped(local)) {
			w->skip = 1;
			return;
		}
		w->entity = dts__arena_strdup(&r->arena, local);
		w->entity_line = abs_line(r);
		r->ntmp = r->nlists = 0;
		if (!w->entity)
			fail_oom(r);
	} else if (depth == 2) {
		w->section = -1;
		if (has_suffix(local, "Head")) {
			w->section = 1;
			w->group = 0;
		} else if (has_suffix(local, "List")) {
			on_list(r, w);
		}
	} else if (depth == 3 && w->section > 0) {
		snprintf(w->leaf, sizeof(w->leaf), "%s", local);
		r->vlen = 0;
		w->in_leaf = 1;
	}
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *uri)
{
	dts_ceb *r = ctx;
	walk *w = &r->w;
	int depth = --r->depth;

	(void)localname, (void)prefix, (void)uri;
	if (depth == 0) {
		r->root_closed = 1;
		r->end_off = consumed(r);
		return;
	}
	if (w->skip || r->discard) {
		w->skip = w->skip && depth != 1;
		return;
	}
	if (depth == 3 && w->in_leaf) {
		w->in_leaf = 0;
		if (add_tmp(r, w->leaf, w->group) < 0)
			fail_oom(r);
	} else if (depth == 2) {
		w->section = 0;
	} else if (depth == 1 && w->entity) {
		if (end_entity(r, w->entity, w->entity_line) < 0)
			fail_oom(r);
		w->entity = NULL;
	}
}

static void on_text(void *ctx, const xmlChar *t, int n)
{
	dts_ceb *r = ctx;

	if (!r->w.in_leaf || r->depth != 4 || r->w.skip || r->discard || n <= 0)
		return;
	if (dts__grow((void **)&r->val, &r->vcap, r->vlen + (size_t)n + 1, 1) < 0) {
		fail_oom(r);
		return;
	}
	memcpy(r->val + r->vlen, t, (size_t)n);
	r->vlen += (size_t)n;
	r->val[r->vlen] = '\0';
}

/* A comment or PI after the root belongs to this document: the next one
 * starts after it. */
static void on_misc(dts_ceb *r)
{
	if (r->root_closed && !r->err)
		r->end_off = consumed(r);
}

static void on_comment(void *ctx, const xmlChar *value)
{
	(void)value;
	on_misc(ctx);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target, (void)data;
	on_misc(ctx);
}

/* A DOCTYPE is refused before its internal subset is read: no entity
 * (internal or external) is ever declared, so none is expanded. */
static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name, (void)ext, (void)sys;
	fail(ctx, "DTD not allowed");
}

/* ---- one document ------------------------------------------------------------ */

static int start_doc(dts_ceb *r)
{
	xmlSAXHandler sax;
	dts_xml_saved saved;
	int rc;

	if ((rc = skip_blanks(r)) <= 0)
		return rc;
	dts__arena_free(&r->arena);
	r->nrecs = r->next = 0;
	r->message = NULL;
	r->doc_off = r->fed = r->piece_off = r->end_off = r->buf_off;
	r->doc_line = r->line;
	r->depth = r->finished = r->discard = r->oversized = r->given = 0;
	r->root_open = r->root_closed = 0;
	r->err = r->err_code = r->err_domain = r->err_after = r->rejected = 0;
	r->err_line = 0;
	r->root[0] = '\0';
	memset(&r->w, 0, sizeof(r->w));
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.ignorableWhitespace = on_text;
	sax.comment = on_comment;
	sax.processingInstruction = on_pi;
	sax.internalSubset = on_dtd;
	sax.serror = on_xml_error;
	dts__xml_quiet(&saved);
	r->ctxt = xmlCreatePushParserCtxt(&sax, r, NULL, 0, r->name);
	if (r->ctxt)
		xmlCtxtUseOptions(r->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
					   XML_PARSE_NOWARNING);
	dts__xml_restore(&saved);
	return r->ctxt ? 1 : oom();
}

static void end_doc(dts_ceb *r)
{
	dts_xml_saved saved;

	dts__xml_quiet(&saved);
	xmlFreeParserCtxt(r->ctxt);
	dts__xml_restore(&saved);
	r->ctxt = NULL;
}

/* One xmlParseChunk, with encoding errors (reported without a parser
 * context) routed to this document too. */
static void parse(dts_ceb *r, const char *p, size_t n, int terminate)
{
	xmlStructuredErrorFunc sfunc = xmlStructuredError;
	void *sctx = xmlStructuredErrorContext;
	dts_xml_saved saved;

	dts__xml_quiet(&saved);
	xmlSetStructuredErrorFunc(r, on_xml_error);
	xmlParseChunk(r->ctxt, p, (int)n, terminate);
	xmlSetStructuredErrorFunc(sctx, sfunc);
	dts__xml_restore(&saved);
}

/*
 * Give the parser its next FEED-byte piece, or the end of input. Until
 * the root closes a document gets at most max_message bytes: one still
 * open after that, with more input to come, is over the limit.
 */
static int feed(dts_ceb *r)
{
	uint64_t end = r->fed + FEED, have, cap = r->doc_off + r->o.max_message;
	int capped = !r->root_closed && !r->discard && end > cap;
	int error;

	if (capped)
		end = cap;
	if ((error = need(r, end + (uint64_t)capped)) < 0)
		return error;
	have = r->buf_off + r->len;
	if (capped && r->fed == cap && have > cap) {
		r->oversized = 1;
		return 0;
	}
	if (end > have)
		end = have;
	if (end > r->fed) {
		r->piece_off = r->fed;
		parse(r, r->buf + (r->fed - r->buf_off), (size_t)(end - r->fed), 0);
		r->fed = end;
	} else {
		r->piece_off = r->fed;
		parse(r, NULL, 0, 1);
		r->finished = 1;
	}
	if (r->discard && !r->root_closed) /* an oversized document is not kept */
		consume(r, r->fed);
	return r->fatal;
}

/* The line `line` (1-based) of the document at buf[0], cut to MAX_RAW bytes. */
static void raw_line(dts_ceb *r, unsigned line)
{
	const char *p = r->buf, *e = r->buf + r->len, *nl;
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

/* Bytes the declared (or, without a declaration, detected) encoding
 * cannot convert: say so, and what they look like. */
static void explain_encoding(dts_ceb *r, const xmlCharEncodingHandler *enc)
{
	const char *decl = r->ctxt && r->ctxt->input && r->ctxt->input->encoding
				   ? (const char *)r->ctxt->input->encoding : NULL;
	size_t bad;

	if (!decl)
		snprintf(r->msg, sizeof(r->msg), "bytes do not match the encoding their first"
			 " bytes suggest (%s)", enc && enc->name ? enc->name : "not UTF-8");
	else if (dts_utf8_valid(r->buf, (size_t)(r->fed - r->buf_off), &bad))
		snprintf(r->msg, sizeof(r->msg),
			 "bytes do not match the declared encoding %s: they are UTF-8"
			 " (declare encoding=\"UTF-8\", or convert with iconv -f UTF-8 -t %s)",
			 decl, decl);
	else
		snprintf(r->msg, sizeof(r->msg), "bytes do not match the declared encoding %s",
			 decl);
}

/* Name what went wrong when libxml2's own words would mislead. */
static void explain(dts_ceb *r)
{
	const xmlCharEncodingHandler *enc = r->ctxt && r->ctxt->input && r->ctxt->input->buf
						    ? r->ctxt->input->buf->encoder : NULL;

	if (r->err_domain == XML_FROM_I18N || r->err_domain == XML_FROM_IO ||
	    (enc && r->err_code == XML_ERR_INTERNAL_ERROR)) {
		explain_encoding(r, enc);
	} else if (r->root_open && r->err_code == XML_ERR_RESERVED_XML_NAME) {
		snprintf(r->msg, sizeof(r->msg),
			 "truncated: message not closed before the next XML declaration"
			 " (<%s> opened at line %llu)", r->root,
			 (unsigned long long)r->root_line);
	} else if (r->root_open && r->finished && r->err_domain != 0) {
		snprintf(r->msg, sizeof(r->msg),
			 "truncated: message not closed at end of input (<%s> opened at line %llu)",
			 r->root, (unsigned long long)r->root_line);
	}
}

static int reject(dts_ceb_record *rec, dts_ceb *r, uint64_t line)
{
	rec->line = line;
	rec->record = ++r->records;
	rec->error = r->msg;
	rec->raw = r->raw;
	rec->raw_len = strlen(r->raw);
	return dts__error(DTS_EINPUT, r->name, (unsigned)line, 0, "%s", r->msg);
}

/* The parser gave up (a fatal error, or ours): nothing more comes from it. */
static int halted(const dts_ceb *r)
{
	return r->ctxt->disableSAX || r->ctxt->instate == XML_PARSER_EOF;
}

/* A broken document the parser gave up on: on at the next XML
 * declaration after where it stopped. */
static int give_up(dts_ceb *r)
{
	uint64_t from = r->last_off;

	if (r->last_code == XML_ERR_RESERVED_XML_NAME && from >= 5)
		from -= 5; /* the parser stops past the "<?xml" it refused */
	if (from <= r->doc_off)
		from = r->doc_off + 1;
	end_doc(r);
	return resync(r, from);
}

/*
 * A malformed document: one rejected record, none of its items. Past a
 * non-fatal error (an undeclared namespace prefix) the parser goes on and
 * still finds the document's end; only after a fatal one is the rest of
 * it unknown.
 */
static int bad_doc(dts_ceb_record *rec, dts_ceb *r)
{
	uint64_t line = r->doc_line + r->err_line - 1;
	int error;

	explain(r);
	raw_line(r, r->err_line);
	r->rejected = r->discard = 1;
	r->nrecs = 0;
	if (r->root_closed) /* its end is known: the epilog, then the next one */
		return reject(rec, r, line);
	if (halted(r)) {
		if ((error = give_up(r)) < 0)
			return error;
	} else {
		consume(r, r->fed);
	}
	return reject(rec, r, line);
}

static int too_long(dts_ceb_record *rec, dts_ceb *r)
{
	snprintf(r->msg, sizeof(r->msg), "message longer than %zu bytes", r->o.max_message);
	raw_line(r, 1);
	r->oversized = 0;
	r->rejected = r->discard = 1;
	r->nrecs = 0;
	consume(r, r->fed);
	return reject(rec, r, r->doc_line);
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

/*
 * A document that ended well: after an error past its root, the next one
 * is what the parser refused, from end_off; at the end of input, nothing.
 * (Should libxml2 be unable to say where the root ended, fall back to the
 * next "<?xml".)
 */
static int next_after(dts_ceb *r)
{
	uint64_t next = r->err_after ? r->end_off : r->buf_off + r->len;

	end_doc(r);
	if (next <= r->doc_off)
		return resync(r, r->doc_off + 1);
	consume(r, next);
	return 0;
}

/*
 * Drive the current document (starting one when none is open) until it
 * has something to say: its records once its root closed cleanly, a
 * rejection, or its end. Returns 1, DTS_EINPUT, 0 at the end of input.
 */
static int next_doc(dts_ceb_record *rec, dts_ceb *r)
{
	int rc;

	for (;;) {
		if (!r->ctxt && (rc = start_doc(r)) <= 0)
			return rc;
		if (r->fatal)
			return r->fatal;
		if (r->oversized)
			return too_long(rec, r);
		if (r->err && !r->rejected)
			return bad_doc(rec, r);
		if (r->rejected && !r->root_closed && (halted(r) || r->finished)) {
			if ((rc = give_up(r)) < 0)
				return rc;
			continue;
		}
		if (r->root_closed && !r->given && !r->discard) {
			r->given = 1;
			if (r->nrecs > 0)
				return give(rec, r);
		}
		if (r->root_closed && (r->err_after || r->finished)) {
			if ((rc = next_after(r)) < 0)
				return rc;
			continue;
		}
		if (r->finished) { /* ended without an error or a root: cannot be */
			fail(r, "truncated: message not closed at end of input");
			continue;
		}
		if ((rc = feed(r)) < 0)
			return rc;
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
	if (rc < 0 && rc != DTS_EINPUT) {
		if (rc == DTS_ENOMEM && r->fatal)
			oom();
		r->dead = rc;
	}
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
	r->size = -1;
	r->line = 1;
	if (!(r->name = strdup(name)) || dts__grow((void **)&r->alloc, &r->cap, 64, 1) < 0) {
		free(r->name);
		free(r);
		return oom();
	}
	r->buf = r->alloc;
	dts__xml_init();
	*out = r;
	return 0;
}

int dts_ceb_open_fd_head(dts_ceb **out, int fd, const void *head, size_t head_len,
			 const char *name, const dts_ceb_options *opts)
{
	struct stat st;
	int error;

	if (!out || fd < 0 || (!head && head_len > 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_ceb_open_fd_head: bad argument");
	if ((error = ceb_new(out, name ? name : "(input)", opts)) < 0)
		return error;
	(*out)->fd = fd;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		(*out)->size = (int64_t)st.st_size;
	if (head_len > 0) {
		if (!((*out)->head = malloc(head_len))) {
			dts_ceb_free(*out);
			*out = NULL;
			return oom();
		}
		memcpy((*out)->head, head, head_len);
		(*out)->head_len = head_len;
	}
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
	error = dts_ceb_open_fd_head(out, fd, NULL, 0,
				     fd == STDIN_FILENO ? "(stdin)" : path, opts);
	if (error < 0) {
		if (fd != STDIN_FILENO)
			close(fd);
		return error;
	}
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
	if (r->ctxt)
		end_doc(r);
	if (r->own_fd)
		close(r->fd);
	dts__arena_free(&r->arena);
	free(r->name);
	free(r->head);
	free(r->alloc);
	free(r->recs);
	free(r->tmp);
	free(r->list_lines);
	free(r->val);
	free(r);
}
