/*
 * csv.c — streaming RFC 4180 reader (dts/csv.h).
 *
 * The input sits in one buffer from the start of the current record to the
 * end of what has been read, followed by PAD zero bytes. A record is first
 * tried on the fast path (fast_scan: a structural index of 64-byte blocks
 * and a UTF-8 check of the buffer in 16 KiB chunks, kernels in csv_simd.c): a plain record's
 * separators are made NULs in the buffer as it is indexed, its fields
 * views of the buffer (no per-field scan, check or copy); in place
 * (dts__csv_in_place, the record source) they are handed on as they lie,
 * else the record is copied out in one piece and the buffer put back as
 * written, so that raw stays as written. Any other record
 * (quotes, CR, NUL, bad UTF-8, a wrong field count, one not wholly in the
 * buffer) and every record under DTS_CSV_REFERENCE or DTS_CSV_SIMPLE is
 * read on the reference path, in two steps: a structural scan finds its
 * fields and its end (word-at-a-time in unquoted fields, memchr in quoted
 * ones; or byte by byte with DTS_CSV_SIMPLE), then the fields are checked
 * and copied out one by one. When the scan runs off the end of the
 * buffer the buffer is compacted or grown, refilled and the record scanned
 * again from its start; growth is geometric, so a record is scanned O(1)
 * times on average, and max_record bounds the buffer. verify_every reads
 * every Nth fast record again on the reference path and compares.
 *
 * GB18030/GBK and UTF-16 input is converted with iconv(3) as it is read;
 * a byte sequence iconv refuses becomes a 0xFF byte, which can never
 * appear in UTF-8, so the row holding it is rejected by the UTF-8 check.
 *
 * With no encoding given, detect() decides before the first record: a
 * byte-order mark; else a check for UTF-8, then, when that fails, for
 * GB18030's byte structure, of a buffer whole or of a descriptor's first
 * DTS_CSV_DETECT bytes, read ahead into `head` (which src_read serves
 * first, as for bytes a caller peeked): memory stays bounded, and the
 * rest is validated record by record as it is read.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "csv_int.h"
#include "csv_simd.h"
#include "dts/csv.h"

enum { SCAN_DONE = 0, SCAN_MORE = 1 };
enum { BAD_NONE = 0, BAD_UNTERM, BAD_AFTER_QUOTE };

#define BAD_MARK 0xFF /* stands for an unconvertible byte sequence */
#define PAD 65        /* zeros kept after the buffer's bytes: a block and a NUL */

typedef struct span {
	size_t off, len;  /* content, quotes excluded, as written */
	int escaped;      /* holds doubled quotes */
} span;

typedef struct scan {
	size_t end;       /* past the record's line end */
	size_t raw_end;   /* end of the record's content */
	size_t nfields;
	uint64_t newlines;
	int bad;
	size_t bad_col;
} scan;

struct dts_csv {
	dts_csv_options o;
	char *name;
	int fd, own_fd;
	const char *mem;          /* buffer source */
	size_t mem_len, mem_pos;
	char *head;               /* bytes the caller read from fd before us,
				     and those detect() read ahead */
	size_t head_len, head_pos;
	int head_eof;             /* detect() saw the end of input */
	char *win;                /* a regular file's first bytes, for detect() */
	size_t win_len;
	int win_last;             /* they are all of it */
	int detect;               /* no encoding given: detect() at open */
	int assumed;              /* decided on the first DTS_CSV_DETECT bytes only */
	const char *enc_name;     /* dts_csv_encoding() */
	int64_t size;

	char *buf;                /* [start, len) unparsed */
	size_t cap, start, len;
	int eof, bom_done, skip_nl, skip_lf, dead;
	int eol_known, cr_eol;    /* cr_eol: a lone CR ends lines too */
	int utf16;                /* refused as UTF-16: nothing more to read */
	uint64_t line, records, in_total;

	iconv_t cd;               /* (iconv_t)-1 for UTF-8 */
	char *in;                 /* raw bytes waiting for conversion */
	size_t in_cap, in_off, in_len;
	int in_eof;

	span *spans;              /* at most max_fields + 1 kept */
	size_t span_cap;
	char *fbuf;               /* unescaped, NUL-terminated fields */
	size_t fbuf_cap;
	const char **fptr;
	size_t *flen;
	size_t expect;            /* fields per record, 0 until known */

	int fast;                 /* the fast path is on */
	dts__csv_index_fn index;  /* its kernels (csv_simd.c) */
	dts__utf8_fn utf8;
	int in_place;             /* dts__csv_in_place: fields NUL-terminated in buf */
	char *xbuf;               /* else a fast record: copied, separators made NULs */
	size_t xbuf_cap;
	const char **xptr;        /* its fields, in buf or xbuf */
	size_t *xlen;
	uint64_t nfast;           /* records read on the fast path (verify_every) */
	size_t u8_from, u8_to;    /* buf[u8_from, u8_to) is known valid UTF-8 */
	size_t u8_bad_to;         /* a chunk before this failed: check records alone */

	char **header;
	size_t nheader;
	char msg[256];
};

/* ---- reading ------------------------------------------------------------- */

/* A regular file that ends before the size it had at open was cut short
 * by someone else while we read it: say so rather than end quietly. */
static int check_shrink(dts_csv *r)
{
	off_t pos;

	if (r->mem || r->size < 0 || (pos = lseek(r->fd, 0, SEEK_CUR)) < 0 ||
	    (int64_t)pos >= r->size)
		return 0;
	return dts__error(DTS_EIO, r->name, 0, 0,
			  "file shrank while being read (%lld bytes at open, ends at %lld):"
			  " truncated by another process?",
			  (long long)r->size, (long long)pos);
}

static int src_read(dts_csv *r, char *dst, size_t n, size_t *got)
{
	ssize_t k;

	if (r->mem || r->head_pos < r->head_len) {
		const char *src = r->mem ? r->mem + r->mem_pos : r->head + r->head_pos;
		size_t left = r->mem ? r->mem_len - r->mem_pos : r->head_len - r->head_pos;
		*got = n < left ? n : left;
		memcpy(dst, src, *got);
		*(r->mem ? &r->mem_pos : &r->head_pos) += *got;
		return 0;
	}
	do
		k = read(r->fd, dst, n);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return dts__error(DTS_EIO, r->name, 0, 0, "%s: read: %s",
				  r->name, strerror(errno));
	*got = (size_t)k;
	return k == 0 ? check_shrink(r) : 0;
}

/* Read more raw bytes into r->in; sets in_eof at the end. */
static int in_fill(dts_csv *r)
{
	size_t got;
	int error;

	if (r->in_off > 0) {
		memmove(r->in, r->in + r->in_off, r->in_len);
		r->in_off = 0;
	}
	if ((error = src_read(r, r->in + r->in_len, r->in_cap - r->in_len,
			      &got)) < 0)
		return error;
	if (got == 0)
		r->in_eof = 1;
	r->in_len += got;
	r->in_total += got;
	return 0;
}

/* Convert into out (room >= 8). Returns bytes produced, 0 at the end. */
static int convert(dts_csv *r, char *out, size_t room, size_t *made)
{
	int error;

	*made = 0;
	for (;;) {
		char *ip = r->in + r->in_off, *op = out + *made;
		size_t il = r->in_len, ol = room - *made;
		size_t rc;

		if (il == 0 && !r->in_eof) {
			if ((error = in_fill(r)) < 0)
				return error;
			continue;
		}
		if (il == 0)
			return 0;
		rc = iconv(r->cd, &ip, &il, &op, &ol);
		r->in_off += r->in_len - il;
		r->in_len = il;
		*made = room - ol;
		if (rc != (size_t)-1) {
			if (*made > 0)
				return 0;
			continue;
		}
		if (errno == E2BIG)
			return 0;
		if (errno == EINVAL && !r->in_eof) {
			/* a sequence split at the block end: read on */
			if (*made > 0)
				return 0;
			if ((error = in_fill(r)) < 0)
				return error;
			continue;
		}
		if (*made == room)
			return 0;
		/* EILSEQ, or a truncated sequence at the end of input */
		out[(*made)++] = (char)BAD_MARK;
		r->in_off++;
		r->in_len--;
		if (*made >= 4)
			return 0;
	}
}

/* Compact, make room for a block, and read it. Sets eof at the end. */
static int refill(dts_csv *r)
{
	size_t want = r->o.block_size, got = 0;
	int error;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	r->u8_from = r->u8_to = r->u8_bad_to = 0; /* offsets moved */
	if (want < 8 && r->cd != (iconv_t)-1)
		want = 8;
	if ((error = dts__grow((void **)&r->buf, &r->cap, r->len + want + PAD, 1)) < 0)
		return error;
	if (r->cd == (iconv_t)-1) {
		if ((error = src_read(r, r->buf + r->len, want, &got)) < 0)
			return error;
		r->in_total += got;
	} else if ((error = convert(r, r->buf + r->len, want, &got)) < 0) {
		return error;
	}
	if (got == 0)
		r->eof = 1;
	r->len += got;
	memset(r->buf + r->len, 0, PAD); /* the index reads whole blocks */
	return 0;
}

/* UTF-16 read as bytes is NUL-interleaved garbage: name it instead. */
static const char *utf16_kind(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
		return "byte-order mark FF FE";
	if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
		return "byte-order mark FE FF";
	if (n >= 4 && b[0] && !b[1] && b[2] && !b[3])
		return "NUL after every other byte: little-endian";
	if (n >= 4 && !b[0] && b[1] && !b[2] && b[3])
		return "NUL before every other byte: big-endian";
	return NULL;
}

/* ---- encodings ------------------------------------------------------------ */

/* Start converting from `enc` (an iconv name) to UTF-8. */
static int use_iconv(dts_csv *r, const char *enc)
{
	if ((r->cd = iconv_open("UTF-8", enc)) == (iconv_t)-1)
		return dts__error(errno == ENOMEM ? DTS_ENOMEM : DTS_EINVAL, NULL, 0, 0,
				  "encoding %s: %s", enc, strerror(errno));
	r->o.encoding = r->enc_name = enc;
	r->in_cap = r->o.block_size < 16 ? 16 : r->o.block_size;
	if (!(r->in = malloc(r->in_cap)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/*
 * Checkers: is b[0..n) valid? 1 with *used = n, or, when !final, the
 * start of a sequence cut at the end (carried into the next piece); 0
 * with *used at the first invalid byte.
 */
typedef int (*enc_check)(const unsigned char *b, size_t n, int final, size_t *used);

static int check_utf8(const unsigned char *b, size_t n, int final, size_t *used)
{
	size_t bad, need, i;

	if (dts_utf8_valid((const char *)b, n, &bad)) {
		*used = n;
		return 1;
	}
	/* A lead byte too close to the end to judge: decide with more bytes. */
	need = b[bad] >= 0xF0 ? 4 : b[bad] >= 0xE0 ? 3 : 2;
	*used = bad;
	if (final || b[bad] < 0xC2 || b[bad] > 0xF4 || n - bad >= need)
		return 0;
	for (i = bad + 1; i < n; i++)
		if ((b[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* GB 18030-2005 byte structure: 00-7F; 81-FE 40-7E|80-FE; 81-FE 30-39 81-FE 30-39. */
static int check_gb18030(const unsigned char *b, size_t n, int final, size_t *used)
{
	size_t i = 0;

	while (i < n) {
		if (b[i] < 0x80) {
			i++;
			continue;
		}
		if (b[i] == 0x80 || b[i] == 0xFF)
			break;
		if (i + 1 == n)
			goto cut;
		if ((b[i + 1] >= 0x40 && b[i + 1] <= 0x7E) || (b[i + 1] >= 0x80 && b[i + 1] <= 0xFE)) {
			i += 2;
			continue;
		}
		if (b[i + 1] < 0x30 || b[i + 1] > 0x39)
			break;
		if (i + 3 >= n) {
			if (i + 2 < n && (b[i + 2] < 0x81 || b[i + 2] == 0xFF))
				break;
			goto cut;
		}
		if (b[i + 2] < 0x81 || b[i + 2] == 0xFF || b[i + 3] < 0x30 || b[i + 3] > 0x39)
			break;
		i += 4;
	}
	*used = i;
	return i == n;
cut:
	*used = i;
	return !final;
}

/* Where a check failed: 1-based line, byte within the line, the byte. */
typedef struct enc_where {
	uint64_t line, col;
	unsigned byte;
} enc_where;

/*
 * The input detect() sees: a buffer whole; a pipe's head (its first
 * DTS_CSV_DETECT bytes, or all when shorter: head_eof); a regular file's
 * first DTS_CSV_DETECT bytes in `win` (the head, then pread(2) from the
 * file offset, which stays where it is: the file is read once more as
 * records, so a file cut short later is still seen to shrink).
 */
static void seen(const dts_csv *r, const unsigned char **p, size_t *n, int *last)
{
	if (r->win) {
		*p = (const unsigned char *)r->win;
		*n = r->win_len;
		*last = r->win_last;
		return;
	}
	*p = (const unsigned char *)(r->mem ? r->mem + r->mem_pos : r->head + r->head_pos);
	*n = r->mem ? r->mem_len - r->mem_pos : r->head_len - r->head_pos;
	*last = r->mem || r->head_eof;
}

/* A regular file's window for detect(). */
static int window_fill(dts_csv *r)
{
	size_t have = r->head_len - r->head_pos;
	off_t at = lseek(r->fd, 0, SEEK_CUR);

	if (!(r->win = malloc(DTS_CSV_DETECT + (have > DTS_CSV_DETECT ? have : 0))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (have)   /* no head at all: r->head may be NULL */
		memcpy(r->win, r->head + r->head_pos, have);
	r->win_len = have;
	while (at >= 0 && r->win_len < DTS_CSV_DETECT) {
		ssize_t k;

		do
			k = pread(r->fd, r->win + r->win_len, DTS_CSV_DETECT - r->win_len, at);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return dts__error(DTS_EIO, r->name, 0, 0, "%s: read: %s", r->name,
					  strerror(errno));
		if (k == 0)
			break;
		r->win_len += (size_t)k;
		at += k;
	}
	r->win_last = at < 0 || (int64_t)at >= r->size;
	return 0;
}

/* Line, column and value of the byte at offset `bad` of what detect() saw. */
static void locate(const dts_csv *r, size_t bad, enc_where *w)
{
	const unsigned char *p, *nl;
	size_t n, lstart = 0;
	int last;

	seen(r, &p, &n, &last);
	w->line = 1 + dts__count_nl((const char *)p, bad);
	if ((nl = memrchr(p, '\n', bad)))
		lstart = (size_t)(nl - p) + 1;
	w->byte = bad < n ? p[bad] : 0;
	w->col = bad - lstart + 1;
}

/* Run `chk` over what detect() sees: 1 when it passes (a sequence cut at
 * the end of a head that is not all of the input passes), else 0 with *w
 * at the first bad byte. */
static int check_input(const dts_csv *r, enc_check chk, enc_where *w)
{
	const unsigned char *p;
	size_t n, used;
	int last;

	seen(r, &p, &n, &last);
	if (chk(p, n, last, &used))
		return 1;
	locate(r, used, w);
	return 0;
}

/* Read ahead into head until it holds `want` bytes or the input ends. */
static int head_fill(dts_csv *r, size_t want)
{
	size_t cap = r->head_len, got;
	int error;

	if (r->mem || r->head_len - r->head_pos >= want)
		return 0;
	want += r->head_pos;
	if ((error = dts__grow((void **)&r->head, &cap, want, 1)) < 0)
		return error;
	while (r->head_len < want) {
		ssize_t k;
		do
			k = read(r->fd, r->head + r->head_len, want - r->head_len);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return dts__error(DTS_EIO, r->name, 0, 0, "%s: read: %s",
					  r->name, strerror(errno));
		if (k == 0) {
			r->head_eof = 1;
			break;
		}
		got = (size_t)k;
		r->head_len += got;
	}
	return 0;
}

/* No encoding given: decide it from the bytes (dts/csv.h, "Encodings"):
 * a buffer on all of it, a descriptor on its first DTS_CSV_DETECT bytes,
 * so memory stays bounded however large a file is. */
static int detect(dts_csv *r)
{
	const unsigned char *b;
	size_t n;
	enc_where u, g;
	int rc, last;

	r->enc_name = "UTF-8";
	if ((rc = r->mem || r->size < 0 ? head_fill(r, DTS_CSV_DETECT) : window_fill(r)) < 0)
		return rc;
	seen(r, &b, &n, &last);
	if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
		return r->enc_name = "UTF-8 (BOM)", 0;
	if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
		return use_iconv(r, "UTF-16LE");
	if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
		return use_iconv(r, "UTF-16BE");
	if (utf16_kind(b, n))   /* unmarked UTF-16: refused, by name, as UTF-8 */
		return 0;
	r->assumed = !last;
	if (check_input(r, check_utf8, &u))
		return 0;
	if (check_input(r, check_gb18030, &g))
		return use_iconv(r, "GB18030");
	{
		char also[80] = "";

		if (u.line != g.line || u.col != g.col)
			snprintf(also, sizeof(also), "; the first byte that is not UTF-8:"
				 " line %llu, byte %llu (0x%02X)", (unsigned long long)u.line,
				 (unsigned long long)u.col, u.byte);
		return dts__error(DTS_EINPUT, r->name, (unsigned)g.line, (unsigned)g.col,
				  "input is neither UTF-8 nor GB18030%s: byte 0x%02X at line %llu,"
				  " byte %llu%s; name its encoding (--encoding)",
				  r->assumed ? " in its first 1 MiB" : "", g.byte,
				  (unsigned long long)g.line, (unsigned long long)g.col, also);
	}
}

/* ---- the structural scan -------------------------------------------------- */

static void add_span(dts_csv *r, scan *s, size_t off, size_t len, int esc)
{
	if (s->nfields < r->span_cap) {
		r->spans[s->nfields].off = off;
		r->spans[s->nfields].len = len;
		r->spans[s->nfields].escaped = esc;
	}
	s->nfields++;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t haszero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

/* Offset of the first separator or LF (or CR, in CR mode) in [p, end), or end. */
static size_t find_sep_nl(const char *b, size_t p, size_t end,
			  unsigned char sep, int cr)
{
	const char c2 = cr ? '\r' : '\n';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ms = ONES * sep, mn = ONES * '\n', mc = ONES * (unsigned char)c2;

	/* The lowest flagged byte of haszero() is exact on little-endian. */
	while (end - p >= 8) {
		uint64_t w, m;

		memcpy(&w, b + p, sizeof(w));
		m = haszero(w ^ ms) | haszero(w ^ mn) | haszero(w ^ mc);
		if (m)
			return p + ((size_t)__builtin_ctzll(m) >> 3);
		p += 8;
	}
#endif
	while (p < end && (unsigned char)b[p] != sep && b[p] != '\n' && b[p] != c2)
		p++;
	return p;
}

/* End the record at a lone CR at q (CR mode; q + 1 is known): past it, and
 * past an LF after it, CRLF being one line end. */
static int finish_cr(const char *b, size_t q, size_t len, scan *s)
{
	s->raw_end = q;
	s->end = q + 1 + (q + 1 < len && b[q + 1] == '\n');
	s->newlines++;
	return SCAN_DONE;
}

/* Line ends in b[0..n): each LF, and in CR mode each CR not before an LF. */
static uint64_t count_lines(const dts_csv *r, const char *b, size_t n)
{
	uint64_t k = dts__count_nl(b, n);
	size_t i;

	for (i = 0; r->cr_eol && i < n; i++)
		k += b[i] == '\r' && (i + 1 == n || b[i + 1] != '\n');
	return k;
}

/* End the record at q (a LF, or the end of input). */
static int finish(const char *b, size_t start, size_t q, size_t len, scan *s)
{
	s->raw_end = (q > start && b[q - 1] == '\r') ? q - 1 : q;
	if (q < len) {
		s->end = q + 1;
		s->newlines++;
	} else {
		s->end = q;
	}
	return SCAN_DONE;
}

/* A quoted field at b[fs] == '"'. Sets *p past the closing quote. */
static int scan_quoted(dts_csv *r, scan *s, size_t fs, size_t *p)
{
	const char *b = r->buf, *hit;
	size_t q = fs + 1, len = r->len;
	int esc = 0;

	for (;;) {
		hit = q < len ? memchr(b + q, '"', len - q) : NULL;
		if (!hit) {
			if (!r->eof)
				return SCAN_MORE;
			s->bad = BAD_UNTERM;
			s->end = s->raw_end = len;
			return SCAN_DONE;
		}
		q = (size_t)(hit - b) + 1;
		if (q == len && !r->eof)
			return SCAN_MORE;
		if (q < len && b[q] == '"') {
			esc = 1;
			q++;
			continue;
		}
		break;
	}
	add_span(r, s, fs + 1, q - fs - 2, esc);
	s->newlines += count_lines(r, b + fs + 1, q - fs - 2);
	*p = q;
	return -1; /* field done, record goes on */
}

static int scan_fast(dts_csv *r, size_t start, scan *s)
{
	const char *b = r->buf;
	const unsigned char sep = (unsigned char)r->o.separator;
	size_t p = start, q, len = r->len, flen;
	int rc;

	for (;;) {
		size_t fs = p;

		if (p < len && b[p] == '"') {
			if ((rc = scan_quoted(r, s, fs, &p)) >= 0)
				return rc;
			if (p == len)
				return finish(b, start, p, len, s);
			if ((unsigned char)b[p] == sep) {
				p++;
				continue;
			}
			if (b[p] == '\n')
				return finish(b, start, p, len, s);
			if (b[p] == '\r') {
				if (p + 1 == len && !r->eof)
					return SCAN_MORE;
				if (p + 1 == len || b[p + 1] == '\n')
					return finish(b, start, p + 1, len, s);
				if (r->cr_eol)
					return finish_cr(b, p, len, s);
			}
			if (!s->bad) {
				s->bad = BAD_AFTER_QUOTE;
				s->bad_col = s->nfields;
			}
			q = find_sep_nl(b, p, len, sep, r->cr_eol);
			if (q == len && !r->eof)
				return SCAN_MORE;
		} else {
			q = find_sep_nl(b, p, len, sep, r->cr_eol);
			if (q == len && !r->eof)
				return SCAN_MORE;
			flen = q - fs;
			if (flen > 0 && b[q - 1] == '\r' &&
			    (q == len || b[q] == '\n'))
				flen--;
			add_span(r, s, fs, flen, 0);
		}
		if (q < len && (unsigned char)b[q] == sep) {
			p = q + 1;
			continue;
		}
		if (q < len && b[q] == '\r') { /* only found in CR mode */
			if (q + 1 == len && !r->eof)
				return SCAN_MORE;
			return finish_cr(b, q, len, s);
		}
		return finish(b, start, q, len, s);
	}
}

/* The reference scanner: one byte at a time, same results as scan_fast. */
enum { ST_START, ST_UNQ, ST_QUOTED, ST_QQ, ST_BAD };

static int scan_simple(dts_csv *r, size_t start, scan *s)
{
	const char *b = r->buf;
	const int sep = (unsigned char)r->o.separator;
	size_t p = start, fs = start, len = r->len, flen;
	int st = ST_START, esc = 0, c;
	uint64_t nl = 0;

	for (;;) {
		if (p == len && !r->eof)
			return SCAN_MORE;
		c = p < len ? (unsigned char)b[p] : -1;
		switch (st) {
		case ST_START:
			fs = p;
			esc = 0;
			nl = 0;
			if (c == '"') {
				st = ST_QUOTED;
				p++;
			} else {
				st = ST_UNQ;
			}
			break;
		case ST_UNQ:
		case ST_BAD:
			if (c != sep && c != '\n' && c != -1 && !(c == '\r' && r->cr_eol)) {
				p++;
				break;
			}
			if (st == ST_UNQ) {
				flen = p - fs;
				if (c != sep && flen > 0 && b[p - 1] == '\r')
					flen--;
				add_span(r, s, fs, flen, 0);
			}
			if (c == sep) {
				st = ST_START;
				p++;
				break;
			}
			if (c == '\r') { /* CR mode */
				if (p + 1 == len && !r->eof)
					return SCAN_MORE;
				return finish_cr(b, p, len, s);
			}
			return finish(b, start, p, len, s);
		case ST_QUOTED:
			if (c == -1) {
				s->bad = BAD_UNTERM;
				s->end = s->raw_end = len;
				return SCAN_DONE;
			}
			if (c == '"') {
				st = ST_QQ;
			} else if (c == '\n') {
				nl++;
			} else if (c == '\r' && r->cr_eol) {
				if (p + 1 == len && !r->eof)
					return SCAN_MORE;
				nl += p + 1 == len || b[p + 1] != '\n';
			}
			p++;
			break;
		case ST_QQ:
			if (c == '"') {
				esc = 1;
				st = ST_QUOTED;
				p++;
				break;
			}
			add_span(r, s, fs + 1, p - fs - 2, esc);
			s->newlines += nl;
			if (c == sep) {
				st = ST_START;
				p++;
				break;
			}
			if (c == '\n' || c == -1)
				return finish(b, start, p, len, s);
			if (c == '\r') {
				if (p + 1 == len && !r->eof)
					return SCAN_MORE;
				if (p + 1 == len || b[p + 1] == '\n')
					return finish(b, start, p + 1, len, s);
				if (r->cr_eol)
					return finish_cr(b, p, len, s);
			}
			if (!s->bad) {
				s->bad = BAD_AFTER_QUOTE;
				s->bad_col = s->nfields;
			}
			st = ST_BAD;
			break;
		}
	}
}

/* ---- records ---------------------------------------------------------------- */

static int reject(dts_csv_row *row, dts_csv *r, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int reject(dts_csv_row *row, dts_csv *r, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	row->nfields = 0;
	row->error = r->msg;
	row->column = col;
	return dts__error(DTS_EINPUT, r->name, (unsigned)row->line,
			  (unsigned)col, "%s", r->msg);
}

/*
 * The first line end decides the convention: when it is a lone CR (old
 * Mac files, some Excel exports), a lone CR ends lines too; otherwise a
 * CR not before an LF is data. 0 when more input is needed to tell.
 */
static int detect_eol(dts_csv *r)
{
	const char *b = r->buf + r->start;
	size_t n = r->len - r->start, i = 0;

	/* Only the first max_record bytes count, however they were read. */
	while (i < n && i < r->o.max_record && b[i] != '\n' && b[i] != '\r')
		i++;
	if (i == r->o.max_record)
		r->cr_eol = 0;
	else if ((i == n || (b[i] == '\r' && i + 1 == n)) && !r->eof)
		return 0;
	else
		r->cr_eol = i < n && b[i] == '\r' && (i + 1 == n || b[i + 1] != '\n');
	r->eol_known = 1;
	return 1;
}

/* The first line end in b[0..n) (LF, or in CR mode also CR), or NULL. */
static const char *find_eol(const dts_csv *r, const char *b, size_t n)
{
	const char *lf = memchr(b, '\n', n), *cr;

	if (!r->cr_eol || !(cr = memchr(b, '\r', lf ? (size_t)(lf - b) : n)))
		return lf;
	return cr;
}

/* Buffer offset past the line end at `at`; an LF after a CR that ends
 * the buffer is skipped when it comes. */
static size_t past_eol(dts_csv *r, size_t at)
{
	if (r->buf[at] == '\r' && at + 1 == r->len && !r->eof)
		r->skip_lf = 1;
	return at + 1 + (r->buf[at] == '\r' && at + 1 < r->len && r->buf[at + 1] == '\n');
}

/* Blank line at b (n > 0 bytes, more known unless n == 1 at the end): its length. */
static size_t blank_line(const dts_csv *r, const char *b, size_t n)
{
	if (b[0] == '\n')
		return 1;
	if (b[0] == '\r' && n > 1 && b[1] == '\n')
		return 2;
	return b[0] == '\r' && (n == 1 || r->cr_eol) ? 1 : 0;
}

enum { AT_END = 0, AT_RECORD = 1, AT_UTF16 = 2 };

/* Skip blank lines and a BOM; AT_RECORD when a record starts at r->start. */
static int at_record(dts_csv *r)
{
	int error;

	while (!r->utf16) {
		size_t n = r->len - r->start, k;
		const char *b = r->buf + r->start;

		if ((n == 0 || (!r->bom_done && n < 4) ||
		     (b[0] == '\r' && n == 1)) && !r->eof) {
			if ((error = refill(r)) < 0)
				return error;
			continue;
		}
		if (!r->bom_done) {
			r->bom_done = 1;
			if (utf16_kind((const unsigned char *)b, n))
				return AT_UTF16;
			if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
				r->start += 3;
			continue;
		}
		if (!r->eol_known) {
			if (!detect_eol(r) && (error = refill(r)) < 0)
				return error;
			continue;
		}
		if (r->skip_lf) {
			r->skip_lf = 0;
			r->start += n > 0 && b[0] == '\n';
			continue;
		}
		if (r->skip_nl) {
			const char *nl = find_eol(r, b, n);
			if (!nl && !r->eof) {
				r->start = r->len;
				continue;
			}
			r->skip_nl = 0;
			r->start = nl ? past_eol(r, (size_t)(nl - r->buf)) : r->len;
			continue;
		}
		if (n == 0)
			return AT_END;
		if ((k = blank_line(r, b, n)) > 0) {
			r->start += k;
			r->line += b[0] == '\n' || n > 1 || r->cr_eol;
			continue;
		}
		return AT_RECORD;
	}
	return AT_END;
}

/* Reject a record whose end is unknown; resume at its second line. */
static int resync(dts_csv_row *row, dts_csv *r, const char *why)
{
	const char *b = r->buf + r->start;
	size_t n = r->len - r->start;
	const char *nl = find_eol(r, b, n);

	row->raw = b;
	row->raw_len = nl ? (size_t)(nl - b) : n;
	if (row->raw_len > 0 && b[row->raw_len - 1] == '\r')
		row->raw_len--;
	if (row->raw_len > r->o.max_record)
		row->raw_len = r->o.max_record;
	r->start = nl ? past_eol(r, (size_t)(nl - r->buf)) : r->len;
	r->skip_nl = !nl && !r->eof;
	r->line++;
	return reject(row, r, 0, "%s", why);
}

/* The whole input is UTF-16: one rejected record, then nothing more. */
static int refuse_utf16(dts_csv_row *row, dts_csv *r)
{
	const char *kind = utf16_kind((const unsigned char *)r->buf + r->start,
				      r->len - r->start);
	int le;

	r->utf16 = 1;
	row->line = r->line;
	row->record = ++r->records;
	row->raw = "";
	if (kind[0] == 'b')   /* marked, but UTF-8 was asked for */
		return reject(row, r, 0, "input is UTF-16 (%s), not UTF-8: read it"
			      " as UTF-16 (--encoding auto) or convert it with"
			      " iconv -f UTF-16 -t UTF-8", kind);
	le = strstr(kind, "little") != NULL;
	return reject(row, r, 0, "input is UTF-16 (%s) without a byte-order mark:"
		      " name it (--encoding utf-16%s) or convert it with"
		      " iconv -f UTF-16%s -t UTF-8", kind, le ? "le" : "be", le ? "LE" : "BE");
}

/* Check each field and copy it out, unescaped and NUL-terminated. */
static int take_fields(dts_csv_row *row, dts_csv *r, size_t n)
{
	size_t i, total = 0, bad;
	char *o;
	int error;

	for (i = 0; i < n; i++)
		total += r->spans[i].len + 1;
	if ((error = dts__grow((void **)&r->fbuf, &r->fbuf_cap, total, 1)) < 0)
		return error;
	o = r->fbuf;
	for (i = 0; i < n; i++) {
		const span *sp = &r->spans[i];
		const char *f = r->buf + sp->off;
		size_t len = sp->len, k;

		if (len > r->o.max_field)
			return reject(row, r, i + 1, "field in column %zu longer than %zu bytes",
				      i + 1, r->o.max_field);
		if (memchr(f, '\0', len))
			return reject(row, r, i + 1, "NUL byte in column %zu", i + 1);
		r->fptr[i] = o;
		if (sp->escaped) {
			for (k = 0; k < len; k++) {
				*o++ = f[k];
				k += f[k] == '"'; /* "" stands for " */
			}
		} else {
			memcpy(o, f, len);
			o += len;
		}
		r->flen[i] = (size_t)(o - r->fptr[i]);
		*o++ = '\0';
		if (!dts_utf8_valid(r->fptr[i], r->flen[i], &bad)) {
			char hint[96] = "";

			if (r->assumed)   /* a pipe, decided on its first bytes */
				snprintf(hint, sizeof(hint), " (%s assumed from the first 1 MiB"
					 " of the input: name its encoding with --encoding)",
					 r->enc_name);
			if (r->cd != (iconv_t)-1 &&
			    (unsigned char)r->fptr[i][bad] == BAD_MARK)
				return reject(row, r, i + 1,
					      "invalid %s byte sequence in column %zu%s",
					      r->o.encoding, i + 1, hint);
			return reject(row, r, i + 1, "invalid UTF-8 at byte %zu in column %zu%s",
				      bad + 1, i + 1, hint);
		}
	}
	row->fields = r->fptr;
	row->lens = r->flen;
	row->nfields = n;
	return 1;
}

static int check_record(dts_csv_row *row, dts_csv *r, const scan *s)
{
	if (s->bad == BAD_AFTER_QUOTE)
		return reject(row, r, s->bad_col,
			      "unexpected character after closing quote in column %zu",
			      s->bad_col);
	if (s->nfields > r->o.max_fields)
		return reject(row, r, 0, "more than %zu fields", r->o.max_fields);
	if (!(r->o.flags & DTS_CSV_RAGGED)) {
		if (r->expect == 0)
			r->expect = s->nfields;
		else if (s->nfields != r->expect)
			return reject(row, r, 0,
				      "wrong number of fields (got %zu, %s has %zu)",
				      s->nfields,
				      r->o.header ? "header" : "first record",
				      r->expect);
	}
	return take_fields(row, r, s->nfields);
}

/* ---- the fast path -------------------------------------------------------- */

/*
 * Whole-buffer UTF-8 validation: check the buffer from the record at
 * `start` (a line start) to the last LF of the next U8_CHUNK bytes (at
 * least to `past`, the record's end) in one call, so the records in it
 * need no check of their own (a valid text cut at ASCII bytes is valid).
 * 1 when it is valid; 0 when not, or when a chunk failed lately: then
 * each record is checked alone until past that chunk.
 */
#define U8_CHUNK ((size_t)16 << 10)

static int utf8_chunk(dts_csv *r, size_t start, size_t past)
{
	size_t end = r->len - start > U8_CHUNK ? start + U8_CHUNK : r->len;
	const char *q;

	if (start < r->u8_bad_to)
		return 0;
	if (end > past && (q = memrchr(r->buf + past, '\n', end - past)))
		end = (size_t)(q - r->buf) + 1;
	else
		end = past;
	if (!r->utf8(r->buf + start, end - start)) {
		r->u8_bad_to = end;
		return 0;
	}
	r->u8_from = start;
	r->u8_to = end;
	return 1;
}

/* Write c after each of the first n fields of the record in xptr/xlen:
 * NUL to end them, the separator to put the bytes back as written. */
static void fast_mark(dts_csv *r, size_t n, char c)
{
	char *b = r->buf;

	for (size_t i = 0; i < n; i++)
		b[(size_t)(r->xptr[i] - b) + r->xlen[i]] = c;
}

/*
 * The record at r->start, when it is plain: no quote, CR or NUL, valid
 * UTF-8, the expected number of fields, no longer than max_field, and
 * wholly in the buffer (its LF seen, or the end of input); a CR just
 * before its LF is its CRLF line end (not in CR mode). Its fields go to
 * xptr/xlen as views of the buffer, each separator made a NUL as it is
 * found (the record's end is not: fast_take), *rec_end is the end of its
 * content, *past the end of its line end, *nl 1 when it has one; 1. Else
 * 0 with the separators put back: the reference path reads it as written.
 */
static int fast_scan(dts_csv *r, size_t *nf_out, size_t *rec_end, size_t *past, int *nl)
{
	char *b = r->buf;
	const unsigned char sep = (unsigned char)r->o.separator;
	const size_t start = r->start, len = r->len, cap = r->span_cap;
	const char **xp = r->xptr;
	size_t *xl = r->xlen;
	size_t pos = start, nf = 0, prev = start, rec_len;
	uint64_t high = 0;
	dts__csv_block k;
	int found = 0;

	for (;;) {
		uint64_t valid, lf, upto, seps;

		if (pos >= len) {
			if (!r->eof)
				goto plain_not;
			*rec_end = *past = len;
			break;
		}
		r->index(&k, b + pos, sep);
		valid = len - pos >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (len - pos)) - 1;
		lf = k.lf & valid;
		upto = lf ? lf ^ (lf - 1) : valid;   /* up to the first LF */
		seps = k.sep & upto;
		if (nf + 65 >= cap)   /* room for a block's separators */
			goto plain_not;
		if (k.special & upto) {
			/* only a CR right before the LF, in this block: CRLF */
			uint64_t first = lf & (~lf + 1);

			if (r->cr_eol || first < 2 || (k.special & upto) != first >> 1 ||
			    b[pos + (size_t)__builtin_ctzll(first) - 1] != '\r')
				goto plain_not;
		}
		high |= k.high & upto;
		/* (a NUL in this block, once indexed, is seen by no later index) */
		for (; seps; seps &= seps - 1) {
			size_t at = pos + (size_t)__builtin_ctzll(seps);

			b[at] = '\0';
			xp[nf] = b + prev;
			xl[nf++] = at - prev;
			prev = at + 1;
		}
		if (lf) {
			*past = pos + (size_t)__builtin_ctzll(lf) + 1;
			*rec_end = *past - 1 - (b[*past - 2] == '\r');
			found = 1;
			break;
		}
		pos += 64;
		if (pos - start > r->o.max_field)
			goto plain_not;
	}
	rec_len = *rec_end - start;
	if (rec_len > r->o.max_field || *past - start > r->o.max_record ||
	    nf + 1 > r->o.max_fields || (found && *rec_end < prev))
		goto plain_not;
	if (!(r->o.flags & DTS_CSV_RAGGED) && nf + 1 != r->expect)
		goto plain_not;
	/* NULs for separators: valid UTF-8 exactly when the bytes as written are */
	if (high && !(start >= r->u8_from && *rec_end <= r->u8_to) && !utf8_chunk(r, start, *past) &&
	    !r->utf8(b + start, rec_len))
		goto plain_not;
	xp[nf] = b + prev;
	xl[nf] = *rec_end - prev;
	*nf_out = nf + 1;
	*nl = found;
	return 1;
plain_not:
	fast_mark(r, nf, (char)sep);
	return 0;
}

/*
 * End the last field of the record fast_scan read. In place
 * (dts__csv_in_place): its NUL is the record's line end (its CR in a
 * CRLF; at the end of input, the PAD zeros), so every field is a view of
 * the buffer, which the reader owns and scans no more before the next
 * record: no copy. Else the record goes to xbuf in one piece, its
 * separators put back in the buffer, so that raw stays as written.
 */
static int fast_take(dts_csv *r, size_t nf, size_t rec_end)
{
	const char *from = r->buf + r->start;
	size_t n = rec_end - r->start, i;
	int error;

	if (r->in_place) {
		r->buf[rec_end] = '\0';
		return 0;
	}
	if ((error = dts__grow((void **)&r->xbuf, &r->xbuf_cap, n + 1, 1)) < 0) {
		fast_mark(r, nf - 1, r->o.separator);
		return error;
	}
	memcpy(r->xbuf, from, n);
	r->xbuf[n] = '\0';
	fast_mark(r, nf - 1, r->o.separator);
	for (i = 0; i < nf; i++)
		r->xptr[i] = r->xbuf + (r->xptr[i] - from);
	return 0;
}

/* verify_every: read the record just read on the fast path again on the
 * reference path and compare; DTS_ERROR on a difference. */
static int fast_verify(dts_csv *r, size_t nf, size_t rec_end, size_t past, int nl)
{
	dts_csv_row ref;
	scan s;
	size_t i, col = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&ref, 0, sizeof(ref));
	ref.line = r->line;
	rc = scan_fast(r, r->start, &s);
	if (rc != SCAN_DONE || s.bad || s.nfields != nf || s.raw_end != rec_end ||
	    s.end != past || s.newlines != (uint64_t)nl)
		goto differ;
	if ((rc = take_fields(&ref, r, nf)) != 1) {
		if (rc == DTS_ENOMEM)
			return rc;
		goto differ;
	}
	for (i = 0; i < nf; i++)
		if (ref.lens[i] != r->xlen[i] || memcmp(ref.fields[i], r->xptr[i], r->xlen[i])) {
			col = i + 1;
			goto differ;
		}
	return 0;
differ:
	return dts__error(DTS_ERROR, r->name, (unsigned)r->line, (unsigned)col,
			  "fast and reference paths differ at line %llu%s: a libdts bug;"
			  " read it with the reference path (--reference-path) and report it",
			  (unsigned long long)r->line, col ? " (a field)" : "");
}

static int fast_record(dts_csv_row *row, dts_csv *r)
{
	size_t nf, rec_end, past;
	int nl, rc;

	if (!fast_scan(r, &nf, &rec_end, &past, &nl))
		return 0;
	if (r->o.verify_every && ++r->nfast % r->o.verify_every == 0) {
		/* the reference path reads the record as written */
		fast_mark(r, nf - 1, r->o.separator);
		rc = fast_verify(r, nf, rec_end, past, nl);
		fast_mark(r, nf - 1, '\0');
		if (rc < 0)
			return rc;
	}
	if ((rc = fast_take(r, nf, rec_end)) < 0)
		return rc;
	row->line = r->line;
	row->record = ++r->records;
	row->raw = r->buf + r->start;
	row->raw_len = rec_end - r->start;
	row->fields = r->xptr;
	row->lens = r->xlen;
	row->nfields = nf;
	r->start = past;
	r->line += (uint64_t)nl;
	return 1;
}

static int next_record(dts_csv_row *row, dts_csv *r)
{
	scan s;
	int rc;

	memset(row, 0, sizeof(*row));
	if ((rc = at_record(r)) <= 0)
		return rc;
	if (rc == AT_UTF16)
		return refuse_utf16(row, r);
	if (r->fast && (rc = fast_record(row, r)) != 0)
		return rc;
	for (;;) {
		memset(&s, 0, sizeof(s));
		rc = (r->o.flags & DTS_CSV_SIMPLE) ? scan_simple(r, r->start, &s)
						   : scan_fast(r, r->start, &s);
		if (rc == SCAN_DONE || r->len - r->start > r->o.max_record)
			break;
		if ((rc = refill(r)) < 0)
			return rc;
	}
	row->line = r->line;
	row->record = ++r->records;
	if (rc == SCAN_MORE || s.end - r->start > r->o.max_record) {
		char why[64];
		snprintf(why, sizeof(why), "record longer than %zu bytes",
			 r->o.max_record);
		return resync(row, r, why);
	}
	if (s.bad == BAD_UNTERM)
		return resync(row, r, "unterminated quote");
	row->raw = r->buf + r->start;
	row->raw_len = s.raw_end - r->start;
	r->start = s.end;
	r->line += s.newlines;
	return check_record(row, r, &s);
}

void dts__csv_in_place(dts_csv *r)
{
	r->in_place = 1;
}

int dts_csv_next(dts_csv_row *row, dts_csv *r)
{
	int rc;

	if (!row || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_csv_next: NULL argument");
	if (r->dead)
		return r->dead;
	rc = next_record(row, r);
	if (rc < 0 && rc != DTS_EINPUT)
		r->dead = rc;
	if (r->cd == (iconv_t)-1)
		row->offset = r->in_total - (r->len - r->start);
	else
		row->offset = r->in_total - r->in_len;
	return rc;
}

/* ---- opening ----------------------------------------------------------------- */

/* The encodings that can be forced besides UTF-8, by their iconv names. */
static const char *const iconv_names[] = {"GB18030", "GBK", "UTF-16LE", "UTF-16BE"};

static int set_options(dts_csv *r, const dts_csv_options *opts)
{
	static const dts_csv_options defaults = DTS_CSV_OPTIONS_INIT;
	dts_csv_options *o = &r->o;
	const char *enc;

	*o = defaults;
	if (opts && opts->version >= 1 && opts->version <= DTS_CSV_OPTIONS_VERSION)
		/* an older caller's struct is shorter: what it lacks is the default */
		memcpy(o, opts, opts->version >= 3 ? sizeof(*o)
			       : offsetof(dts_csv_options, verify_every));
	else if (opts)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "unsupported dts_csv_options version %u",
				  opts->version);
	/* A program built against 0.1.0 (version 1) meant UTF-8 by NULL: it
	 * keeps that meaning (docs/abi.md); from version 2 NULL detects. */
	if (o->version == 1 && !o->encoding)
		o->encoding = "utf-8";
	if (o->separator == 0)
		o->separator = ',';
	if (o->separator == '"' || o->separator == '\r' || o->separator == '\n' ||
	    (unsigned char)o->separator >= 0x80)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "invalid CSV separator");
	o->max_field = o->max_field ? o->max_field : DTS_CSV_MAX_FIELD;
	o->max_fields = o->max_fields ? o->max_fields : DTS_CSV_MAX_FIELDS;
	o->max_record = o->max_record ? o->max_record : DTS_CSV_MAX_RECORD;
	o->block_size = o->block_size ? o->block_size : DTS_CSV_BLOCK;
	if (o->max_record < o->max_field)
		o->max_record = o->max_field;
	enc = o->encoding;
	o->encoding = r->enc_name = "UTF-8";
	if (!enc || !strcasecmp(enc, "auto")) {
		r->detect = 1;
		return 0;
	}
	if (!strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8"))
		return 0;
	for (size_t i = 0; i < sizeof(iconv_names) / sizeof(iconv_names[0]); i++)
		if (!strcasecmp(enc, iconv_names[i]))
			return use_iconv(r, iconv_names[i]);
	return dts__error(DTS_EINVAL, NULL, 0, 0, "unknown encoding \"%s\" (auto, utf-8, "
			  "utf-16le, utf-16be, gb18030 or gbk)", enc);
}

static int read_header(dts_csv *r)
{
	dts_csv_row row;
	size_t i, total = 0;
	char *p;
	int rc = next_record(&row, r);

	r->records = 0;
	if (rc <= 0) {
		if (rc == DTS_EINPUT)
			return dts__error(DTS_EINPUT, r->name, (unsigned)row.line, 0,
					  "header: %s", row.error);
		return rc;
	}
	for (i = 0; i < row.nfields; i++)
		total += row.lens[i] + 1;
	r->header = malloc(row.nfields * sizeof(char *) + total);
	if (!r->header)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	p = (char *)(r->header + row.nfields);
	for (i = 0; i < row.nfields; i++) {
		r->header[i] = p;
		memcpy(p, row.fields[i], row.lens[i] + 1);
		p += row.lens[i] + 1;
	}
	r->nheader = row.nfields;
	return 0;
}

static int csv_new(dts_csv **out, const char *name, const dts_csv_options *opts)
{
	dts_csv *r;
	int error;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	r->fd = -1;
	r->size = -1;
	r->line = 1;
	r->cd = (iconv_t)-1;
	*out = r;
	if ((error = set_options(r, opts)) < 0)
		return error;
	if (!(r->name = strdup(name ? name : "(input)")))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	r->span_cap = r->o.max_fields + 1;
	r->spans = malloc(r->span_cap * sizeof(*r->spans));
	r->fptr = malloc(r->span_cap * sizeof(*r->fptr));
	r->flen = malloc(r->span_cap * sizeof(*r->flen));
	if (!r->spans || !r->fptr || !r->flen)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!(r->o.flags & (DTS_CSV_SIMPLE | DTS_CSV_REFERENCE))) {
		int level = dts__kernel_best();

		if (r->o.flags & DTS_CSV_KERNEL_SCALAR)
			level = DTS__KERNEL_SCALAR;
		else if ((r->o.flags & DTS_CSV_KERNEL_SSE2) && level > DTS__KERNEL_SSE2)
			level = DTS__KERNEL_SSE2;
		r->index = dts__csv_index_kernel(level);
		r->utf8 = dts__utf8_kernel(level);
		r->xptr = malloc(r->span_cap * sizeof(*r->xptr));
		r->xlen = malloc(r->span_cap * sizeof(*r->xlen));
		if (!r->xptr || !r->xlen)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		r->fast = 1;
	}
	if ((error = dts__grow((void **)&r->buf, &r->cap, 2 * PAD, 1)) < 0)
		return error;
	memset(r->buf, 0, 2 * PAD);
	return 0;
}

static int csv_start(dts_csv **out, dts_csv *r, int error)
{
	if (error == 0 && r->detect) {
		error = detect(r);
		free(r->win);
		r->win = NULL;
	}
	if (error == 0 && r->o.header)
		error = read_header(r);
	if (error < 0) {
		dts_csv_free(r);
		*out = NULL;
		return error;
	}
	*out = r;
	return 0;
}

int dts_csv_open_fd_head(dts_csv **out, int fd, const void *head, size_t head_len,
			 const char *name, const dts_csv_options *opts)
{
	struct stat st;
	dts_csv *r;
	int error;

	if (!out || fd < 0 || (!head && head_len > 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_csv_open_fd: bad argument");
	error = csv_new(&r, name, opts);
	if (r) {
		r->fd = fd;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			r->size = (int64_t)st.st_size;
		if (error == 0 && head_len > 0) {
			if (!(r->head = malloc(head_len)))
				error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			else
				memcpy(r->head, head, head_len);
			r->head_len = r->head ? head_len : 0;
		}
	}
	return csv_start(out, r, error);
}

int dts_csv_open_fd(dts_csv **out, int fd, const char *name,
		    const dts_csv_options *opts)
{
	return dts_csv_open_fd_head(out, fd, NULL, 0, name, opts);
}

int dts_csv_open_file(dts_csv **out, const char *path,
		      const dts_csv_options *opts)
{
	int fd, error;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_csv_open_file: NULL out");
	*out = NULL;
	if (!path || strcmp(path, "-") == 0)
		return dts_csv_open_fd(out, STDIN_FILENO, "(stdin)", opts);
	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return dts__error(DTS_EIO, path, 0, 0, "%s: %s", path, strerror(errno));
	if ((error = dts_csv_open_fd(out, fd, path, opts)) < 0) {
		close(fd);
		return error;
	}
	(*out)->own_fd = 1;
	return 0;
}

int dts_csv_open_buffer(dts_csv **out, const char *data, size_t len,
			const char *name, const dts_csv_options *opts)
{
	dts_csv *r;
	int error;

	if (!out || (!data && len > 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_csv_open_buffer: bad argument");
	error = csv_new(&r, name ? name : "(buffer)", opts);
	if (r) {
		r->mem = data ? data : "";
		r->mem_len = len;
		r->size = (int64_t)len;
	}
	return csv_start(out, r, error);
}

void dts_csv_free(dts_csv *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->name);
	free(r->head);
	free(r->buf);
	free(r->in);
	free(r->spans);
	free(r->fbuf);
	free(r->fptr);
	free(r->flen);
	free(r->xbuf);
	free(r->xptr);
	free(r->xlen);
	free(r->header);
	free(r);
}

size_t dts_csv_header(const dts_csv *r, const char *const **names)
{
	if (names)
		*names = r ? (const char *const *)r->header : NULL;
	return r ? r->nheader : 0;
}

int64_t dts_csv_input_size(const dts_csv *r)
{
	return r ? r->size : -1;
}

const char *dts_csv_encoding(const dts_csv *r)
{
	return r ? r->enc_name : NULL;
}
