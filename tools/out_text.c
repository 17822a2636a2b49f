/*
 * out_text.c — an aligned table for the terminal (CJK counts two columns).
 * Control characters in a value are shown escaped (\n \t \r \\, others
 * \xHH), so each row is one line and the columns stay aligned; a plain
 * backslash is doubled so the escapes cannot be confused with the text.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* Display width of UTF-8 text: wide East Asian characters count 2. */
static size_t width(const char *s)
{
	size_t w = 0;

	while (*s) {
		unsigned char c = (unsigned char)*s;
		unsigned cp;
		int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

		cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
		for (int i = 1; i < n && s[i]; i++)
			cp = (cp << 6) | ((unsigned char)s[i] & 0x3Fu);
		w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		     (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFD) ? 2 : 1;
		for (int i = 0; i < n && *s; i++)
			s++;
	}
	return w;
}

static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7F || c == '\\';
}

/* s as shown: a malloc'd escaped copy, or NULL when s needs none. */
static char *visible(const char *s)
{
	size_t n = 0;
	char *out, *p;

	for (const char *q = s; *q; q++)
		n += needs_escape((unsigned char)*q) ? 4 : 1;
	if (n == strlen(s) || !(out = malloc(n + 1)))
		return NULL;   /* nothing to escape (or no memory: shown raw) */
	for (p = out; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *e = c == '\n' ? "\\n" : c == '\t' ? "\\t" :
				c == '\r' ? "\\r" : c == '\\' ? "\\\\" : NULL;

		if (e) {
			memcpy(p, e, 2);
			p += 2;
		} else if (needs_escape(c)) {
			snprintf(p, 5, "\\x%02X", c);
			p += 4;
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	return out;
}

static int pad(FILE *f, size_t n)
{
	while (n--)
		if (putc(' ', f) == EOF)
			return -1;
	return 0;
}

/* Display width of s as shown (escaped). */
static size_t shown_width(const char *s)
{
	char *v = visible(s);
	size_t w = width(v ? v : s);

	free(v);
	return w;
}

static int cell(FILE *f, const char *s, size_t w, int right, int last)
{
	char *v = visible(s);
	const char *t = v ? v : s;
	size_t sw = width(t);
	int rc = -1;

	if ((right && pad(f, w - sw) < 0) || fputs(t, f) < 0 ||
	    (!right && !last && pad(f, w - sw) < 0))
		goto done;
	rc = fputs(last ? "\n" : "  ", f) < 0 ? -1 : 0;
done:
	free(v);
	return rc;
}

int out_text(const tbl *t, FILE *f)
{
	size_t *w = calloc(t->ncols, sizeof(*w));
	const char *miss = t->missing ? t->missing : "-";
	int rc = -1;

	if (!w)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = shown_width(t->cols[c].name);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = tbl_cell(t, r, c);
			size_t cw = shown_width(*s ? s : c == t->ndims ? miss : "-");

			if (cw > w[c])
				w[c] = cw;
		}
	}
	if (t->title && fprintf(f, "%s\n\n", t->title) < 0)
		goto done;
	for (size_t c = 0; c < t->ncols; c++)
		if (cell(f, t->cols[c].name, w[c], t->cols[c].numeric,
			 c + 1 == t->ncols) < 0)
			goto done;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = tbl_cell(t, r, c);

			if (cell(f, *s ? s : c == t->ndims ? miss : "-", w[c], t->cols[c].numeric,
				 c + 1 == t->ncols) < 0)
				goto done;
		}
	rc = 0;
done:
	free(w);
	return rc;
}
