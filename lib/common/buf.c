/* buf.c — growable buffer and output escapings (see buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dts.h"

int dts__buf_grow(dts__buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if (!(p = realloc(b->p, cap))) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void dts__buf_printf(dts__buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || dts__buf_grow(b, (size_t)n) < 0) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void dts__buf_str(dts__buf *b, const char *s)
{
	dts__buf_add(b, s, strlen(s));
}

void dts__buf_u64(dts__buf *b, unsigned long long v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	dts__buf_add(b, tmp + n, sizeof(tmp) - n);
}

void dts__buf_free(dts__buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Bytes of w equal to the byte repeated in r: the high bit of each set. */
static uint64_t eq_bytes(uint64_t w, uint64_t r)
{
	uint64_t x = w ^ r;

	return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

static int needs_quotes(const char *s, size_t n, char sep)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t rs = ones * (unsigned char)sep, rq = ones * '"',
		 rn = ones * '\n', rr = ones * '\r';
	size_t i = 0;

	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return 1;
	/* Eight bytes at a time: a field is written once per record. */
	for (; n - i >= 8; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (eq_bytes(w, rs) | eq_bytes(w, rq) | eq_bytes(w, rn) |
		    eq_bytes(w, rr))
			return 1;
	}
	for (; i < n; i++)
		if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

void dts__buf_csv(dts__buf *b, const char *s, size_t n, char sep)
{
	const char *q;

	if (!needs_quotes(s, n, sep)) {
		dts__buf_add(b, s, n);
		return;
	}
	dts__buf_ch(b, '"');
	while (n && (q = memchr(s, '"', n))) {
		dts__buf_add(b, s, (size_t)(q - s) + 1);
		dts__buf_ch(b, '"');
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	dts__buf_add(b, s, n);
	dts__buf_ch(b, '"');
}

void dts__buf_json(dts__buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;

	dts__buf_ch(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		dts__buf_add(b, s + start, i - start);
		start = i + 1;
		if (c == '"' || c == '\\') {
			dts__buf_ch(b, '\\');
			dts__buf_ch(b, (char)c);
		} else if (c == '\n') {
			dts__buf_str(b, "\\n");
		} else if (c == '\r') {
			dts__buf_str(b, "\\r");
		} else if (c == '\t') {
			dts__buf_str(b, "\\t");
		} else {
			dts__buf_add(b, esc, 6);
		}
	}
	dts__buf_add(b, s + start, n - start);
	dts__buf_ch(b, '"');
}

void dts__buf_escape_raw(dts__buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;

	while (i < n) {
		/* The longest valid, NUL-free run: a NUL is ASCII, so cutting
		 * before it stays on a character boundary. */
		const char *nul = memchr(s + i, '\0', n - i);
		size_t stop = nul ? (size_t)(nul - (s + i)) : n - i, bad;

		if (!dts_utf8_valid(s + i, n - i, &bad) && bad < stop)
			stop = bad;
		dts__buf_add(b, s + i, stop);
		i += stop;
		if (i < n) {
			char esc[4] = {'\\', 'x', hex[(unsigned char)s[i] >> 4],
				       hex[(unsigned char)s[i] & 15]};

			dts__buf_add(b, esc, 4);
			i++;
		}
	}
}
