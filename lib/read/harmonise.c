/*
 * harmonise.c — the canonical reading's codes (CSV, workbook, customs XML):
 * trade modes by name (一般贸易 -> 0110), partners in any scheme (502, 美国,
 * USA -> US) and regions (330103 下城 -> 330105 拱墅, 33019 -> 3301,
 * 310101 -> OUTSIDE) become the code lists' one code, as a profile's
 * columns do, so one partner or district is one cell whatever file it came
 * from.
 *
 * A file repeats a few dozen distinct values of these columns on every
 * row, and each lookup normalises and searches a code list (about 1,700
 * instructions a record for the three, callgrind on dts-gen data). So each
 * distinct value's answer is memoised per source: a row then costs a hash
 * and a compare per column. The answers are static strings of the code
 * lists (dts/codes.h), so a memo holds pointers only; it stops growing at
 * MEMO_MAX values a column (a column of unique values gains nothing from
 * it) and values longer than MEMO_KEY bytes are looked up every time.
 * A value of at most 8 bytes (a partner's, a trade mode's or a region's
 * code) is its own key: one word (short_word) compared whole, no hash loop
 * and no memcmp; the columns are found in the binding once per source.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "harmonise.h"
#include "profile_convert.h"

#define MEMO_BITS 9
#define MEMO_SLOTS (1u << MEMO_BITS)
#define MEMO_MAX 384            /* values kept a column: load <= 3/4 */
#define MEMO_KEY 47             /* longest value kept, bytes */

static const int fields[DTS__HARM_NFIELDS] = {DTS_F_TRADE_MODE, DTS_F_COUNTERPART,
					      DTS_F_REGION};

typedef struct memo_slot {
	uint64_t hash;          /* short_word() up to 8 bytes, else the FNV hash */
	const char *out;        /* the one code, or NULL: keep as written */
	unsigned char len;      /* 0: empty slot (empty values are never looked up) */
	char key[MEMO_KEY];
} memo_slot;

struct dts__harm {
	const dts_binding *bound;   /* the binding col[] was read from */
	int col[DTS__HARM_NFIELDS]; /* each field's column, or -1 */
	memo_slot *memo[DTS__HARM_NFIELDS];
	size_t nmemo[DTS__HARM_NFIELDS];
	const char **cols;      /* a row with its codes harmonised */
	size_t *lens, cap;
};

void dts__harm_free(dts__harm *h)
{
	if (!h)
		return;
	for (int i = 0; i < DTS__HARM_NFIELDS; i++)
		free(h->memo[i]);
	free(h->cols);
	free(h->lens);
	free(h);
}

/* The one code a lookup gives for a canonical column's value, or NULL to
 * keep the value as written (unknown, ambiguous or blank: the record checks
 * and the rules see it as before). A profile states each column's scheme
 * (profile_convert.c); a canonical file does not, so a partner's digits
 * are read in whichever scheme knows them unambiguously — except in a
 * customs message, whose partners are customs codes (116 is Japan there,
 * Cambodia in ISO 3166). */
static const char *lookup(int field, dts_code_scheme scheme, const char *v, size_t len)
{
	const char *out = NULL;

	if (dts__code_lookup(&out, field, scheme, v, len) < 0)
		return NULL;
	return strlen(out) != len || memcmp(out, v, len) ? out : NULL;
}

/* A value of 1 to 8 bytes as one word: its first and last 4 bytes (of 1
 * to 3 bytes: its first, middle and last), which with its length tell it
 * from every other value of 1 to 8 bytes. */
static inline uint64_t short_word(const char *v, size_t len)
{
	const unsigned char *u = (const unsigned char *)v;
	uint32_t lo, hi;

	if (len < 4)
		return u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16;
	memcpy(&lo, v, 4);
	memcpy(&hi, v + len - 4, 4);
	return lo | (uint64_t)hi << 32;
}

/* lookup() through column k's memo (allocated on first use); len > 0. */
static const char *memo_lookup(dts__harm *h, int k, dts_code_scheme scheme, const char *v,
			       size_t len)
{
	uint64_t hash;
	size_t j;
	memo_slot *m;

	if (len > MEMO_KEY)
		return lookup(fields[k], scheme, v, len);
	if (!h->memo[k] && !(h->memo[k] = calloc(MEMO_SLOTS, sizeof(memo_slot))))
		return lookup(fields[k], scheme, v, len);   /* no memory: no memo */
	hash = len <= 8 ? short_word(v, len) : dts__fnv(v, len);
	/* the first slot from the high bits of a multiplicative mix */
	for (j = (size_t)((hash * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - MEMO_BITS));;
	     j = (j + 1) & (MEMO_SLOTS - 1)) {
		m = &h->memo[k][j];
		if (!m->len)
			break;
		if (m->hash == hash && m->len == len && (len <= 8 || !memcmp(m->key, v, len)))
			return m->out;
	}
	if (h->nmemo[k] >= MEMO_MAX)
		return lookup(fields[k], scheme, v, len);
	m->out = lookup(fields[k], scheme, v, len);
	m->hash = hash;
	m->len = (unsigned char)len;
	memcpy(m->key, v, len);
	h->nmemo[k]++;
	return m->out;
}

/* Point row at h's copy of its columns (once a row: the reader's stay). */
static int copy_row(dts__harm *h, dts_source_row *row)
{
	if (row->ncols > h->cap) {
		const char **nc = realloc(h->cols, row->ncols * sizeof(*nc));
		size_t *nl;

		if (nc)
			h->cols = nc;
		nl = nc ? realloc(h->lens, row->ncols * sizeof(*nl)) : NULL;
		if (!nl)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		h->lens = nl;
		h->cap = row->ncols;
	}
	memcpy(h->cols, row->cols, row->ncols * sizeof(*h->cols));
	memcpy(h->lens, row->lens, row->ncols * sizeof(*h->lens));
	row->cols = h->cols;
	row->lens = h->lens;
	return 0;
}

int dts__harmonise(dts__harm **hp, const dts_binding *b, int customs, dts_source_row *row)
{
	dts_code_scheme scheme = customs ? DTS_SCHEME_CUSTOMS : DTS_SCHEME_ANY;
	dts__harm *h = *hp;
	int copied = 0;

	if (!h && !(h = *hp = calloc(1, sizeof(*h))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (h->bound != b) {   /* once per source: its binding stays */
		for (int k = 0; k < DTS__HARM_NFIELDS; k++)
			h->col[k] = dts_binding_column(b, fields[k]);
		h->bound = b;
	}
	for (int k = 0; k < DTS__HARM_NFIELDS; k++) {
		int c = h->col[k];
		const char *out;

		if (c < 0 || (size_t)c >= row->ncols || row->lens[c] == 0 ||
		    !(out = memo_lookup(h, k, scheme, row->cols[c], row->lens[c])))
			continue;
		if (!copied && copy_row(h, row) < 0)
			return DTS_ENOMEM;
		copied = 1;
		h->cols[c] = out;
		h->lens[c] = strlen(out);
	}
	return 1;
}
