/*
 * buf.h — a growable byte buffer and the escapings the tools write:
 * RFC 4180 CSV fields and JSON strings.
 */
#ifndef DTS_TOOL_BUF_H
#define DTS_TOOL_BUF_H

#include <stddef.h>

typedef struct buf {
	char *p;
	size_t len, cap;
	int oom; /* set once an allocation failed; further appends are dropped */
} buf;

#include <string.h>

/* Make room for n more bytes (and a NUL); -1 once out of memory. */
int buf_grow(buf *b, size_t n);

/* Appends are inline: output formatting calls them several times a field. */
static inline void buf_add(buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap && buf_grow(b, n) < 0)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void buf_ch(buf *b, char c)
{
	if (b->len + 2 > b->cap && buf_grow(b, 1) < 0)
		return;
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void buf_str(buf *b, const char *s);
void buf_u64(buf *b, unsigned long long v);
void buf_free(buf *b);

/* A CSV field, quoted when it holds sep, '"', CR or LF (or starts/ends
 * with a space, so readers that trim keep it). */
void buf_csv(buf *b, const char *s, size_t n, char sep);

/* A JSON string with its quotes; control characters escaped. Bytes that
 * are not valid UTF-8 become U+FFFD (callers pass validated text). */
void buf_json(buf *b, const char *s, size_t n);

/* Raw input bytes for a rejects file: valid UTF-8 kept, NUL and invalid
 * bytes written as \xHH, so the file stays valid UTF-8. Not quoted. */
void buf_escape_raw(buf *b, const char *s, size_t n);

#endif
