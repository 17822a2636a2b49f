/*
 * text.c — an aligned table for the terminal (CJK counts two columns).
 * Control characters in a value are shown escaped (\n \t \r \\, others
 * \xHH), so each row is one line and the columns stay aligned; a plain
 * backslash is doubled so the escapes cannot be confused with the text.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "write_int.h"

/* Display width of UTF-8 text: wide East Asian characters count 2. */
static size_t width(const char *s, size_t len)
{
	const char *e = s + len;
	size_t w = 0;

	while (s < e) {
		unsigned char c = (unsigned char)*s;
		unsigned cp;
		int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

		cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
		for (int i = 1; i < n && s + i < e; i++)
			cp = (cp << 6) | ((unsigned char)s[i] & 0x3Fu);
		w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		     (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFD) ? 2 : 1;
		for (int i = 0; i < n && s < e; i++)
			s++;
	}
	return w;
}

static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7F || c == '\\';
}

/* s as shown (escaped) into v, replacing its contents. */
static void visible(dts__buf *v, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	v->len = 0;
	dts__buf_add(v, "", 0);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = c == '\n' ? "\\n" : c == '\t' ? "\\t" :
				c == '\r' ? "\\r" : c == '\\' ? "\\\\" : NULL;

		if (e) {
			dts__buf_add(v, e, 2);
		} else if (needs_escape(c)) {
			char x[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

			dts__buf_add(v, x, 4);
		} else {
			dts__buf_ch(v, (char)c);
		}
	}
}

static void pad(dts__buf *b, size_t n)
{
	while (n--)
		dts__buf_ch(b, ' ');
}

static const char *shown(const dts_table *t, size_t r, size_t c)
{
	const char *s = dts__cell(t, r, c);

	return *s ? s : c == t->ndims && t->missing ? t->missing : "-";
}

static void cell(dts__sink *o, dts__buf *v, const char *s, size_t w,
		 int right, int last)
{
	size_t sw;

	visible(v, s);
	if (v->oom)
		return;
	sw = width(v->p, v->len);
	if (right)
		pad(&o->b, w - sw);
	dts__buf_add(&o->b, v->p, v->len);
	if (!right && !last)
		pad(&o->b, w - sw);
	dts__buf_str(&o->b, last ? "\n" : "  ");
}

static size_t *col_widths(const dts_table *t, dts__buf *v)
{
	size_t *w = calloc(t->ncols, sizeof(*w));

	if (!w)
		return NULL;
	for (size_t c = 0; c < t->ncols; c++) {
		visible(v, t->cols[c].name);
		w[c] = width(v->p, v->len);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw;

			visible(v, shown(t, r, c));
			cw = width(v->p, v->len);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	return w;
}

int dts_table_write_text_cb(const dts_table *t, dts_write_cb cb, void *payload)
{
	dts__buf v = {0};
	dts__sink o;
	size_t *w = col_widths(t, &v);
	int rc;

	dts__sink_init(&o, cb, payload);
	if (!w || v.oom) {
		free(w);
		dts__buf_free(&v);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (t->title) {
		dts__buf_str(&o.b, t->title);
		dts__buf_str(&o.b, "\n\n");
	}
	for (size_t c = 0; c < t->ncols; c++)
		cell(&o, &v, t->cols[c].name, w[c], t->cols[c].numeric,
		     c + 1 == t->ncols);
	for (size_t r = 0; r < t->nrows && dts__sink_maybe_flush(&o) == 0; r++)
		for (size_t c = 0; c < t->ncols; c++)
			cell(&o, &v, shown(t, r, c), w[c], t->cols[c].numeric,
			     c + 1 == t->ncols);
	if (v.oom)
		o.b.oom = 1;
	rc = dts__sink_done(&o);
	free(w);
	dts__buf_free(&v);
	return rc;
}

int dts_table_write_text(const dts_table *t, FILE *f)
{
	return dts_table_write_text_cb(t, dts__write_file, f);
}
