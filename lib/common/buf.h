/*
 * buf.h — a growable byte buffer and the escapings the writers use:
 * RFC 4180 CSV fields and JSON strings.
 */
#ifndef DTS_BUF_H
#define DTS_BUF_H

#include <stddef.h>

typedef struct dts__buf {
	char *p;
	size_t len, cap;
	int oom; /* set once an allocation failed; further appends are dropped */
} dts__buf;

#include <string.h>

/* Make room for n more bytes (and a NUL); -1 once out of memory. */
int dts__buf_grow(dts__buf *b, size_t n);

/* Appends are inline: output formatting calls them several times a field. */
static inline void dts__buf_add(dts__buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap && dts__buf_grow(b, n) < 0)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void dts__buf_ch(dts__buf *b, char c)
{
	if (b->len + 2 > b->cap && dts__buf_grow(b, 1) < 0)
		return;
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void dts__buf_str(dts__buf *b, const char *s);
void dts__buf_u64(dts__buf *b, unsigned long long v);
void dts__buf_free(dts__buf *b);
/* Append printf-formatted text (no length limit). */
void dts__buf_printf(dts__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A CSV field, quoted when it holds sep, '"', CR or LF (or starts/ends
 * with a space, so readers that trim keep it). */
void dts__buf_csv(dts__buf *b, const char *s, size_t n, char sep);

/* A JSON string with its quotes; control characters escaped. Bytes that
 * are not valid UTF-8 become U+FFFD (callers pass validated text). */
void dts__buf_json(dts__buf *b, const char *s, size_t n);

/* Raw input bytes for a rejects file: valid UTF-8 kept, NUL and invalid
 * bytes written as \xHH, so the file stays valid UTF-8. Not quoted. */
void dts__buf_escape_raw(dts__buf *b, const char *s, size_t n);

#endif
