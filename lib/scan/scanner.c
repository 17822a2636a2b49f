/*
 * scanner.c — one thread's classification of records against a rule set.
 *
 * Per record: validate and normalise the fields into scanner-owned buffers,
 * collect the candidate rules the prefilter allows (rules_int.h), try them
 * in winning order, stop at the first full match. Buffers only grow, so a
 * scanner stops allocating once it has seen its longest field.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../record/check_int.h"
#include "homophone.h"
#include "model_int.h"
#include "model_use.h"
#include "rules_int.h"

#define MEMO_MAX 32 /* bytes of a value the scanner keeps to know it again */
#define KEY_MEMO 8  /* key postings of a kept value replayed, at most */

struct dts_scanner {
	const dts_rules *rules;
	unsigned flags;

	char *norm[DTS_F_COUNT];   /* normalised value */
	char *low[DTS_F_COUNT];    /* dts__fold_lower of norm, computed lazily */
	size_t len[DTS_F_COUNT], lowlen[DTS_F_COUNT], cap[DTS_F_COUNT];
	uint8_t lowered[DTS_F_COUNT];
	uint32_t read;             /* bit f: field f is normalised (the rules' or
				      the model's); the others are skipped */
	uint32_t keyed;            /* bit f: field f has equality or prefix keys */
	uint32_t given;            /* bit f: len[f] > 0 (load, text_alone) */
	uint32_t text, code;       /* bit f: field f is of kind text, code (a
				      call into field.c per look, else) */
	/*
	 * The bytes field f had when norm[f] was made from them (short values
	 * only; the description, which fuzzy() rewrites in place and which
	 * seldom repeats, never): the same bytes in the next record are the
	 * same normal form, so flows, sources, trade modes and delivery words
	 * that repeat from record to record are not normalised again.
	 */
	char memo_raw[DTS_F_COUNT][MEMO_MAX];
	uint8_t memo_len[DTS_F_COUNT];  /* raw length + 1; 0: nothing kept */
	size_t memo_norm[DTS_F_COUNT];  /* the normal form's length */
	uint32_t low_memo;         /* bit f: low[f] is the kept normal form
				      lowered, so a repeat is not lowered again */
	/* bit f: key_memo[f] holds the postings key_hits() found for the
	 * kept normal form (at most KEY_MEMO of them), replayed for a repeat */
	uint32_t keys_memo;
	struct key_post {
		uint32_t post, npost;
	} key_memo[DTS_F_COUNT][KEY_MEMO];
	uint8_t nkey_memo[DTS_F_COUNT];

	int amount_state;          /* 0 not parsed, 1 valid, 2 invalid */
	dts_money amount;

	/*
	 * Candidates of the current record, as streams: each fired key or
	 * literal contributes its posting list (ranks ascending, rules_int.h)
	 * and the scanner merges them lazily, lowest rank first. Only the
	 * candidates tried are ever looked at, so a key that selects hundreds
	 * of rules costs nothing beyond the first that matches.
	 */
	struct stream {
		const uint32_t *p, *end;
	} *streams;
	size_t nstreams, cap_streams;
	uint32_t *lit_stamp;       /* per literal: epoch it was last added */
	uint32_t epoch;
	uint32_t lit_scanned;      /* bit f: field f's folded text was scanned
				      this epoch, so its stamps answer <contains> */

	pcre2_match_data *md;
	const dts_rule *limit_rule; /* rule whose regex hit the limit */
	int nomem;                 /* a regex run could not get its memory */
	const dts_rule *current;

	int dim_win[4];            /* per dts_dimension: winning rank, -1 */
	dts_evidence ev;           /* of the last record (dts_scanner_evidence) */

	char *why;                 /* explain text */
	size_t whylen, whycap;
	int why_oom;

	dts_scanner_stats stats;

	/*
	 * The one-character typo fallback (fuzzy()): the CJK terms of at
	 * least FUZZY_SHORT characters that <contains> on the description
	 * tests in category rules (outside <not>), in rank order; the saved
	 * description while a correction is tried; the combine text.
	 */
	struct fz_term {
		const char *p;
		uint32_t len, rank;
	} *fz;
	size_t nfz;
	/* sorted keys: of a term of FUZZY_MIN or more characters its first
	 * and last two (6 bytes; one of them is intact when one character
	 * is replaced), of a shorter one each character (3 bytes, tagged
	 * FZ_ONE) */
	struct fz_key {
		uint64_t key;
		uint32_t term;
		uint32_t off;      /* byte offset of the key in the term */
	} *fzk;
	size_t nfzk;
	char *fz_save;
	size_t fz_cap;
	int fz_hit;                /* the result comes from a corrected text */
	char fz_msg[320];

	/* The model behind the rules (model_step()): 0 not asked, 1 it
	 * decided, 2 it was asked and unsure, 3 it contradicts a confident
	 * decision (disagree_step()); its prediction and the combine text
	 * that says so. */
	int mdl_state;
	dts_model_prediction mdl;
	char mdl_msg[320];
};

const char *dts_base_name(dts_base base)
{
	return base == DTS_BASE_GOODS ? "goods" :
	       base == DTS_BASE_SERVICES ? "services" : "";
}

/* The evidence before any record, or of a record refused. */
static void ev_reset(dts_scanner *s)
{
	memset(&s->ev, 0, sizeof(s->ev));
	s->ev.version = DTS_EVIDENCE_VERSION;
	s->ev.sold_rule = s->ev.text_rule = s->ev.delivery_rule = -1;
	s->ev.ordered_rule = s->ev.deliverable_rule = -1;
	s->ev.combine = "";
}

/* ---- the one-character typo fallback: terms ------------------------------ */

/*
 * CJK characters a term needs to be read with any one character replaced.
 * Three was measured and refused: one character of three replaced reads a
 * two-character word next to any other (视频上 as 视频库, 开发费 as 开店费).
 * Shorter terms, down to FUZZY_SHORT, are read only when the replaced
 * character has the same toneless pinyin (homophone.c): the input-method
 * typo (运计算 for 云计算, 彪注 for 标注), never 书局 as 数据.
 */
#define FUZZY_MIN 4
#define FUZZY_SHORT 2
#define FZ_ONE (1ULL << 63) /* a key of one character */
#define FUZZY_TRIES 8    /* corrections tried per record, at most */
#define FUZZY_CANDS 64   /* corrections collected per record, at most */

/* A CJK unified ideograph (U+4E00..U+9FFF): 3 bytes, lead E4..E9. */
static int cjk_at(const unsigned char *p)
{
	return p[0] >= 0xE4 && p[0] <= 0xE9 && (p[1] & 0xC0) == 0x80 &&
	       (p[2] & 0xC0) == 0x80;
}

static int all_cjk(const char *v, size_t len)
{
	size_t i;

	if (len % 3 || len < 3 * FUZZY_SHORT)
		return 0;
	for (i = 0; i < len; i += 3)
		if (!cjk_at((const unsigned char *)v + i))
			return 0;
	return 1;
}

/* Counts (out NULL) or stores the fuzzy terms of node n, <not> skipped. */
static size_t fz_collect(struct fz_term *out, const dts_node *n, uint32_t rank)
{
	size_t i, k = 0;

	if (n->kind == DTS_N_NOT)
		return 0;
	if (n->kind == DTS_N_ALL || n->kind == DTS_N_ANY) {
		for (i = 0; i < n->nkids; i++)
			k += fz_collect(out ? out + k : NULL, n->kids[i], rank);
		return k;
	}
	if (n->kind != DTS_N_CONTAINS || n->field != DTS_F_DESCRIPTION)
		return 0;
	for (i = 0; i < n->nvalues; i++)
		if (all_cjk(n->values[i], n->lens[i])) {
			if (out) {
				out[k].p = n->values[i];
				out[k].len = (uint32_t)n->lens[i];
				out[k].rank = rank;
			}
			k++;
		}
	return k;
}

/* n bytes (3: one CJK character, 6: two) as one key. */
static uint64_t fz_pack(const char *p, int n)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < n; i++)
		k = k << 8 | (unsigned char)p[i];
	return n == 3 ? k | FZ_ONE : k;
}

/* The keys of term i at out (NULL: count them). */
static size_t fz_keys(struct fz_key *out, const struct fz_term *ft, uint32_t i)
{
	uint32_t off, n = 0;

	if (ft->len >= 3 * FUZZY_MIN) {
		if (out) {
			out[0] = (struct fz_key){ fz_pack(ft->p, 6), i, 0 };
			out[1] = (struct fz_key){ fz_pack(ft->p + ft->len - 6, 6),
						  i, ft->len - 6 };
		}
		return 2;
	}
	for (off = 0; off < ft->len; off += 3, n++)
		if (out)
			out[n] = (struct fz_key){ fz_pack(ft->p + off, 3), i, off };
	return n;
}

static int fz_key_cmp(const void *a, const void *b)
{
	const struct fz_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->term < y->term ? -1 : x->term > y->term;
}

static int fz_cand_cmp(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b; /* {term, position} */

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

static int fz_init(dts_scanner *s)
{
	const dts_rules *r = s->rules;
	size_t i, n = 0;

	for (i = 0; i < r->nrules; i++)
		if (r->rules[i]->dimension == DTS_DIM_SOLD && !r->rules[i]->review)
			n += fz_collect(NULL, r->rules[i]->cond, (uint32_t)i);
	if (!n)
		return 0;
	s->fz = malloc(n * sizeof(*s->fz));
	if (!s->fz)
		return DTS_ENOMEM;
	for (i = 0; i < r->nrules; i++)
		if (r->rules[i]->dimension == DTS_DIM_SOLD && !r->rules[i]->review)
			s->nfz += fz_collect(s->fz + s->nfz, r->rules[i]->cond,
					     (uint32_t)i);
	for (i = n = 0; i < s->nfz; i++)
		n += fz_keys(NULL, &s->fz[i], (uint32_t)i);
	s->fzk = malloc(n * sizeof(*s->fzk));
	if (!s->fzk)
		return DTS_ENOMEM;
	for (i = 0; i < s->nfz; i++)
		s->nfzk += fz_keys(s->fzk + s->nfzk, &s->fz[i], (uint32_t)i);
	qsort(s->fzk, s->nfzk, sizeof(*s->fzk), fz_key_cmp);
	return 0;
}

int dts_scanner_new(dts_scanner **out, const dts_rules *rules, unsigned flags)
{
	dts_scanner *s;

	if (!out || !rules)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_new: NULL argument");
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto oom;
	s->rules = rules;
	s->flags = flags;
	/* the model's fields too: not in dts_rules_fields(), which says what
	 * the rules need a column for */
	s->read = rules->fields_used | (rules->book.model ? DTS__MODEL_FIELDS : 0);
	s->keyed = rules->eq_fields;
	for (int f = 0; f < DTS_F_COUNT; f++) {
		if (rules->prefix_lens[f])
			s->keyed |= 1u << f;
		if (dts_field_kind_of(f) == DTS_KIND_TEXT)
			s->text |= 1u << f;
		if (dts_field_kind_of(f) == DTS_KIND_CODE)
			s->code |= 1u << f;
	}
	ev_reset(s);
	/* At most: the unindexed list, one EQ and 63 prefix keys per field,
	 * and each literal once. Sized once: no allocation per record. */
	s->cap_streams = 1 + (size_t)DTS_F_COUNT * 64 + rules->nlits;
	s->streams = malloc(s->cap_streams * sizeof(*s->streams));
	s->lit_stamp = calloc(rules->nlits ? rules->nlits : 1, sizeof(*s->lit_stamp));
	s->md = pcre2_match_data_create(32, NULL);
	if (!s->streams || !s->lit_stamp || !s->md || fz_init(s) < 0)
		goto oom;
	*out = s;
	return 0;
oom:
	dts_scanner_free(s);
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

void dts_scanner_free(dts_scanner *s)
{
	int f;

	if (!s)
		return;
	for (f = 0; f < DTS_F_COUNT; f++) {
		free(s->norm[f]);
		free(s->low[f]);
	}
	free(s->streams);
	free(s->lit_stamp);
	free(s->why);
	free(s->fz);
	free(s->fzk);
	free(s->fz_save);
	pcre2_match_data_free(s->md);
	free(s);
}

const dts_model_prediction *dts__scanner_model(const dts_scanner *s)
{
	return s->mdl_state ? &s->mdl : NULL;
}

const dts_rules *dts__scanner_rules(const dts_scanner *s)
{
	return s ? s->rules : NULL;
}

void dts_scanner_stats_get(dts_scanner_stats *out, const dts_scanner *s)
{
	if (out)
		*out = s ? s->stats : (dts_scanner_stats){0};
}

/* ---- the record ---------------------------------------------------------- */

static int grow(dts_scanner *s, int f, size_t need)
{
	char *n, *l;
	size_t cap = s->cap[f] ? s->cap[f] : 64;

	while (cap < need)
		cap *= 2;
	n = realloc(s->norm[f], cap);
	if (!n)
		return DTS_ENOMEM;
	s->norm[f] = n;
	l = realloc(s->low[f], cap);
	if (!l)
		return DTS_ENOMEM;
	s->low[f] = l;
	s->cap[f] = cap;
	return 0;
}

/*
 * Text fields after dts_field_normalize: traditional to simplified
 * (OpenCC, only for a text with a traditional character), variants and
 * blanks inside CJK text, as the loader folds the rules' values.
 */
static int text_fold(dts_scanner *s, int f)
{
	char *t = NULL;
	size_t tl = 0;
	int rc = dts__text_t2s(s->norm[f], s->len[f], &t, &tl);

	if (rc < 0)
		return rc;
	if (rc > 0) {
		if (tl + 1 > s->cap[f] && grow(s, f, tl + 1) < 0) {
			free(t);
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		memcpy(s->norm[f], t, tl + 1);
		s->len[f] = tl;
		free(t);
	}
	s->len[f] = dts__text_fold_inplace(s->norm[f], s->len[f]);
	s->norm[f][s->len[f]] = '\0';
	return 0;
}

static int normalise(dts_scanner *s, int f, const dts_value *v);

/* 1 when the n bytes at b (n < MEMO_MAX) are the n kept at a: two
 * overlapping loads of 16, 8 or 4 bytes each, or three single bytes,
 * instead of a call to memcmp; b is read only inside [0, n). */
static inline int memo_same(const char *a, const char *b, size_t n)
{
	uint64_t x[2], y[2];

	if (n >= 16) {
		memcpy(x, a, 16), memcpy(y, b, 16);
		if ((x[0] ^ y[0]) | (x[1] ^ y[1]))
			return 0;
		memcpy(x, a + n - 16, 16), memcpy(y, b + n - 16, 16);
		return !((x[0] ^ y[0]) | (x[1] ^ y[1]));
	}
	if (n >= 8) {
		memcpy(x, a, 8), memcpy(y, b, 8);
		memcpy(x + 1, a + n - 8, 8), memcpy(y + 1, b + n - 8, 8);
		return !((x[0] ^ y[0]) | (x[1] ^ y[1]));
	}
	if (n >= 4) {
		uint32_t p, q, r, t;

		memcpy(&p, a, 4), memcpy(&q, b, 4);
		memcpy(&r, a + n - 4, 4), memcpy(&t, b + n - 4, 4);
		return !((p ^ q) | (r ^ t));
	}
	return !n || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

static int set_value(dts_scanner *s, const dts_value *v)
{
	int error;
	size_t bad;
	int f = v->field;

	if (f < 0 || f >= DTS_F_COUNT)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "field number %d out of range", f);
	if (!v->data && v->len)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "field %s: NULL data", dts_field_name(f));
	if (v->len && !(s->flags & DTS_SCAN_VALID_UTF8) &&
	    !dts_utf8_valid(v->data, v->len, &bad))
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "field %s: invalid UTF-8 at byte %zu",
				  dts_field_name(f), bad + 1);
	if (!((s->read >> f) & 1u)) {
		s->len[f] = 0; /* nothing reads it: skip the work */
		return 0;
	}
	if (s->memo_len[f] == v->len + 1 && memo_same(s->memo_raw[f], v->data, v->len)) {
		s->len[f] = s->memo_norm[f]; /* norm[f] holds its normal form */
		s->lowered[f] = (uint8_t)((s->low_memo >> f) & 1u); /* and low[f] */
		return 0;
	}
	s->memo_len[f] = 0; /* norm[f] is rewritten below */
	s->low_memo &= ~(1u << f);
	s->keys_memo &= ~(1u << f);
	if (v->len + 1 > s->cap[f] && grow(s, f, v->len + 1) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((error = normalise(s, f, v)) < 0)
		return error;
	if (v->len < MEMO_MAX && f != DTS_F_DESCRIPTION) {
		if (v->len)
			memcpy(s->memo_raw[f], v->data, v->len);
		s->memo_len[f] = (uint8_t)(v->len + 1);
		s->memo_norm[f] = s->len[f];
	}
	return 0;
}

/* Field f's normal form into norm[f] (room for it made). */
static int normalise(dts_scanner *s, int f, const dts_value *v)
{
	int error;

	s->lowered[f] = 0;
	/* A code normalising would leave as it is (most are) is copied: the
	 * byte-table test is about half of normalising one (check.c). */
	if (((s->code >> f) & 1u) && dts__field_normalised(f, v->data, v->len)) {
		if (v->len)
			memcpy(s->norm[f], v->data, v->len);
		s->norm[f][v->len] = '\0';
		s->len[f] = v->len;
		return 0;
	}
	if ((error = dts_field_normalize(s->norm[f], s->cap[f], &s->len[f], f,
					 v->data ? v->data : "", v->len)) < 0)
		return error;
	return (s->text >> f) & 1u ? text_fold(s, f) : 0;
}

static int load(dts_scanner *s, const dts_value *values, size_t n)
{
	size_t i;
	int error;

	memset(s->len, 0, sizeof(s->len));
	memset(s->lowered, 0, sizeof(s->lowered));
	s->amount_state = 0;
	s->lit_scanned = 0;
	s->fz_hit = 0;
	s->mdl_state = 0;
	s->limit_rule = NULL;
	s->nomem = 0;
	s->given = 0;
	for (i = 0; i < n; i++)
		if ((error = set_value(s, &values[i])) < 0) {
			memset(s->len, 0, sizeof(s->len));
			return error;
		}
	for (uint32_t m = s->read; m; m &= m - 1) /* only these can be set */
		if (s->len[__builtin_ctz(m)])
			s->given |= m & -m;
	return 0;
}

static const char *low_of(dts_scanner *s, int f, size_t *len)
{
	if (!s->lowered[f]) {
		s->lit_scanned &= ~(1u << f); /* the text changed since */
		s->lowlen[f] = s->len[f] ?
			       dts__fold_lower(s->low[f], s->norm[f], s->len[f]) : 0;
		s->lowered[f] = 1;
		if (s->memo_len[f]) /* norm[f] is the kept normal form */
			s->low_memo |= 1u << f;
	}
	*len = s->lowlen[f];
	return s->lowlen[f] ? s->low[f] : "";
}

/* The bytes IN/PREFIX/RANGE compare: lower-cased for text fields. */
static const char *cmp_of(dts_scanner *s, int f, size_t *len)
{
	if ((s->text >> f) & 1u)
		return low_of(s, f, len);
	*len = s->len[f];
	return s->len[f] ? s->norm[f] : "";
}

/* ---- candidates ------------------------------------------------------------ */

static void add_postings(dts_scanner *s, uint32_t post, uint32_t npost)
{
	if (npost && s->nstreams < s->cap_streams) {
		s->streams[s->nstreams].p = s->rules->postings + post;
		s->streams[s->nstreams].end = s->rules->postings + post + npost;
		s->nstreams++;
	}
}

static void lit_hit(uint32_t id, void *payload)
{
	dts_scanner *s = payload;

	if (s->lit_stamp[id] == s->epoch)
		return; /* this literal occurred before in the record */
	s->lit_stamp[id] = s->epoch;
	add_postings(s, s->rules->lit_post[id], s->rules->lit_npost[id]);
}

/* A key of field f fired: its postings become a stream, and are kept
 * for a repeat of f's value while there is room (n counts them all). */
static void key_hit(dts_scanner *s, int f, const dts_key *k, size_t *n)
{
	if (*n < KEY_MEMO)
		s->key_memo[f][*n] = (struct key_post){k->post, k->npost};
	(*n)++;
	add_postings(s, k->post, k->npost);
}

static void key_hits(dts_scanner *s, int f)
{
	const dts_rules *r = s->rules;
	const dts_key *k;
	uint64_t lens = r->prefix_lens[f], h;
	size_t len, l, n = 0;
	const char *v;

	/* The same normal form as when they were found (set_value): the
	 * same keys fire, in the same order. */
	if ((s->keys_memo >> f) & 1u) {
		for (size_t i = 0; i < s->nkey_memo[f]; i++)
			add_postings(s, s->key_memo[f][i].post, s->key_memo[f][i].npost);
		return;
	}
	v = cmp_of(s, f, &len);
	if ((r->eq_fields >> f) & 1u) {
		k = dts__key_find(r, dts__hash(DTS_T_EQ, (uint32_t)f, v, len),
				  DTS_T_EQ, (uint32_t)f, v, len);
		if (k)
			key_hit(s, f, k, &n);
	}
	/* One pass over the value hashes every prefix length in use. */
	h = dts__hash_init(DTS_T_PREFIX, (uint32_t)f);
	for (l = 1; lens >> l && l <= len; l++) {
		h = dts__hash_step(h, (unsigned char)v[l - 1]);
		if (!((lens >> l) & 1u))
			continue;
		k = dts__key_find(r, dts__hash_final(h), DTS_T_PREFIX,
				  (uint32_t)f, v, l);
		if (k)
			key_hit(s, f, k, &n);
	}
	if (s->memo_len[f] && n <= KEY_MEMO) { /* norm[f] is the kept form */
		s->nkey_memo[f] = (uint8_t)n;
		s->keys_memo |= 1u << f;
	}
}

/* Candidates from equality and prefix keys, and the unindexed rules. */
static void collect_keys(dts_scanner *s)
{
	const dts_rules *r = s->rules;

	s->nstreams = 0;
	s->lit_scanned = 0;
	if (r->nalways) {
		s->streams[0].p = r->always;
		s->streams[0].end = r->always + r->nalways;
		s->nstreams = 1;
	}
	if (++s->epoch == 0) { /* wrapped: stamps from 2^32 records ago */
		memset(s->lit_stamp, 0, (r->nlits ? r->nlits : 1) * sizeof(*s->lit_stamp));
		s->epoch = 1;
	}
	for (uint32_t m = s->given & s->keyed; m; m &= m - 1)
		key_hits(s, __builtin_ctz(m));
}

/*
 * Candidates from literals, scanned only when needed: before trying the
 * candidate of rank `next`, every field whose literals can select a rule
 * ranked before it must have been scanned (lit_min_rank). A record decided
 * by a high-priority code rule (a customs trade mode) is never scanned.
 * Returns 1 when it scanned something.
 */
static int collect_lits(dts_scanner *s, uint32_t *scanned, size_t next,
			int cat_open, unsigned open_dims)
{
	const dts_rules *r = s->rules;
	size_t len;
	int f, did = 0;
	uint32_t todo = r->lit_fields & ~*scanned; /* the few fields with literals */

	for (; todo; todo &= todo - 1) {
		f = __builtin_ctz(todo);
		if (r->lit_min_rank[f] >= next)
			continue;
		/* Once the category is decided, only the open dimensions'
		 * literals matter: a field none of them reads is not scanned. */
		if (!cat_open && !(r->lit_dims[f] & open_dims))
			continue;
		*scanned |= 1u << f;
		if (s->len[f]) {
			const char *low = low_of(s, f, &len);

			dts__aho_scan(r->aho[f], low, len, lit_hit, s);
			s->lit_scanned |= 1u << f;
			did = 1;
		}
	}
	return did;
}

/* The lowest candidate rank >= from, or SIZE_MAX; spent streams go. */
static size_t next_cand(dts_scanner *s, size_t from)
{
	size_t best = SIZE_MAX, k = 0;

	while (k < s->nstreams) {
		struct stream *st = &s->streams[k];

		while (st->p < st->end && *st->p < from)
			st->p++;
		if (st->p == st->end) {
			*st = s->streams[--s->nstreams];
			continue;
		}
		if (*st->p < best)
			best = *st->p;
		k++;
	}
	return best;
}

/* ---- evaluation -------------------------------------------------------------- */

static int in_values(const dts_node *n, const char *v, size_t len)
{
	size_t lo = 0, hi = n->nvalues;

	while (lo < hi) { /* values are sorted by strcmp */
		size_t mid = lo + (hi - lo) / 2, ml = n->lens[mid];
		int c = memcmp(n->values[mid], v, ml < len ? ml : len);

		if (c == 0)
			c = ml < len ? -1 : (ml > len);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int prefix_at(const dts_node *n, const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < n->nvalues; i++)
		if (n->lens[i] <= len && memcmp(n->values[i], v, n->lens[i]) == 0)
			return (int)i;
	return -1;
}

/* Compare v cut to the bound's length with the bound (DESIGN: code ranges). */
static int cmp_cut(const char *v, size_t len, const char *bound)
{
	size_t bl = strlen(bound), m = len < bl ? len : bl;
	int c = memcmp(v, bound, m);

	if (c)
		return c;
	return len < bl ? -1 : 0;
}

/* 1 when [p, p + l) of v lies inside an occurrence of an except term. */
static int excepted(const dts_node *n, const char *v, size_t len, size_t p,
		    size_t l)
{
	size_t e, q;

	for (e = 0; e < n->nexcept; e++) {
		size_t el = n->except_lens[e];

		if (el <= l)
			continue;
		/* an occurrence at q covers p..p+l when q <= p, q + el >= p + l */
		for (q = p + l > el ? p + l - el : 0; q <= p; q++)
			if (q + el <= len && !memcmp(v + q, n->except[e], el))
				return 1;
	}
	return 0;
}

/* 1 when value i occurs in v outside every except term. */
static int occurs(const dts_node *n, size_t i, const char *v, size_t len)
{
	const char *at = v, *end = v + len;

	if (!v)   /* an unset field (a code classified alone): nothing occurs */
		return 0;
	while ((at = memmem(at, (size_t)(end - at), n->values[i], n->lens[i]))) {
		if (!n->nexcept || !excepted(n, v, len, (size_t)(at - v), n->lens[i]))
			return 1;
		at++;
	}
	return 0;
}

/*
 * The first value of n found in the field, or -1. When the field's folded
 * text was scanned this record, the literals' stamps say which values
 * occur (rules_int.h: every value is a literal); except terms, case and
 * unscanned fields take memmem.
 */
static int contains_at(dts_scanner *s, const dts_node *n)
{
	size_t len, i;
	const char *v;
	const uint32_t *ids;

	if (((s->lit_scanned >> n->field) & 1u) &&
	    (ids = dts__check_ids(s->rules, n))) {
		for (i = 0; i < n->nvalues; i++)
			if (ids[i] != DTS_NO_LIT && s->lit_stamp[ids[i]] == s->epoch)
				return (int)i;
		return -1;
	}
	if (n->caseless)
		v = low_of(s, n->field, &len);
	else {
		v = s->norm[n->field];
		len = s->len[n->field];
	}
	for (i = 0; i < n->nvalues; i++)
		if (n->lens[i] && occurs(n, i, v, len))
			return (int)i;
	return -1;
}

static int regex_match(dts_scanner *s, const dts_node *n)
{
	int rc;
	const char *v = s->len[n->field] ? s->norm[n->field] : "";

	s->stats.regex_runs++;
	rc = dts__regex_exec(n, v, s->len[n->field], s->md,
			     s->rules->book.mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMEMORY) { /* the interpreter's heap frames */
		s->nomem = 1;
		return 0;
	}
	if (rc != PCRE2_ERROR_NOMATCH) { /* match or depth limit, or worse */
		s->stats.limit_hits++;
		if (!s->limit_rule)
			s->limit_rule = s->current;
	}
	return 0;
}

static int amount_cmp(dts_scanner *s, const dts_node *n)
{
	dts_money a;

	if (s->amount_state == 0) {
		dts_error saved;
		const dts_error *e = dts_error_last();
		char cur[DTS_CURRENCY_SIZE]; /* "$89.98": what record_check accepts */

		/* Parsing may record an error; an invalid amount only means the
		 * leaf is false, so keep the caller's error state as it was. */
		if (e)
			saved = *e;

		s->amount_state = dts_money_parse_currency(&s->amount, cur,
						  s->norm[DTS_F_VALUE],
						  s->len[DTS_F_VALUE]) == 0 ? 1 : 2;
		if (e)
			dts__error(saved.code, saved.file, saved.line,
				   saved.column, "%s", saved.message);
		else
			dts_error_clear();
	}
	if (s->amount_state != 1)
		return 0;
	a = s->amount;
	switch (n->op) {
	case DTS_OP_LT: return a < n->amount;
	case DTS_OP_LE: return a <= n->amount;
	case DTS_OP_GT: return a > n->amount;
	case DTS_OP_GE: return a >= n->amount;
	case DTS_OP_EQ: return a == n->amount;
	case DTS_OP_NE: return a != n->amount;
	}
	return 0;
}

static int eval(dts_scanner *s, const dts_node *n)
{
	size_t i, len;
	const char *v;

	switch (n->kind) {
	case DTS_N_ALL:
		for (i = 0; i < n->nkids; i++)
			if (!eval(s, n->kids[i]))
				return 0;
		return 1;
	case DTS_N_ANY:
		for (i = 0; i < n->nkids; i++)
			if (eval(s, n->kids[i]))
				return 1;
		return 0;
	case DTS_N_NOT:
		return n->nkids == 1 && !eval(s, n->kids[0]);
	case DTS_N_IN:
		v = cmp_of(s, n->field, &len);
		return len && in_values(n, v, len);
	case DTS_N_PREFIX:
		v = cmp_of(s, n->field, &len);
		return len && prefix_at(n, v, len) >= 0;
	case DTS_N_RANGE:
		v = cmp_of(s, n->field, &len);
		return len && cmp_cut(v, len, n->lo) >= 0 &&
		       cmp_cut(v, len, n->hi) <= 0;
	case DTS_N_REGEX:
		return regex_match(s, n);
	case DTS_N_CONTAINS:
		return contains_at(s, n) >= 0;
	case DTS_N_PRESENT:
		return s->len[n->field] > 0;
	case DTS_N_EMPTY:
		return s->len[n->field] == 0;
	case DTS_N_AMOUNT:
		return amount_cmp(s, n);
	}
	return 0;
}

static void fill(dts_result *out, const dts_scanner *s, int index)
{
	const dts_rules *r = s->rules;
	const dts_rule *rule;

	memset(out, 0, sizeof(*out));
	out->rule_index = -1;
	out->rule = "";
	out->category = "NONE";
	out->category_index = r->none_index;
	if (index < 0)
		return;
	rule = r->rules[index];
	out->rule_index = index;
	out->rule = rule->id;
	out->category = r->cats[rule->category_index]->code;
	out->category_index = rule->category_index;
	out->base = rule->base < 0 ? DTS_BASE_UNKNOWN : (dts_base)rule->base;
	out->ordered = rule->ordered > 0;
	out->delivered = rule->delivered > 0;
	out->platform = rule->platform > 0;
}

static int limit_error(const dts_scanner *s)
{
	if (s->nomem)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return dts__error(DTS_ELIMIT, s->limit_rule->file, s->limit_rule->line,
			  0, "rule '%s': regex stopped by the PCRE2 match limit; the rule was counted as not matching",
			  s->limit_rule->id);
}

static int try_rule(dts_scanner *s, size_t i)
{
	const dts_rule *rule = s->rules->rules[i];

	s->current = rule;
	s->stats.candidates++;
	return eval(s, rule->cond);
}

/*
 * Whether rank i still needs trying, and what a match means: a category
 * rule decides the category (the first in rank order wins), a dimension
 * rule its dimension (idem, independently). `*win` is the category
 * winner so far. Returns 1 when the search is over.
 */
static int try_cand(dts_scanner *s, size_t i, int *win, unsigned *open_dims)
{
	const dts_rule *rule = s->rules->rules[i];
	int d = rule->dimension;

	if (d == DTS_DIM_SOLD) {
		if (*win < 0 && try_rule(s, i))
			*win = (int)i;
	} else if (((*open_dims >> d) & 1u) && try_rule(s, i)) {
		s->dim_win[d] = (int)i;
		*open_dims &= ~(1u << d);
	}
	return *win >= 0 && !*open_dims;
}

/*
 * The category winner's rank, or -1: the first category candidate, in
 * rank order, that matches; with it the first matching rule of each
 * dimension (s->dim_win). With s->cat_only, dimension rules are skipped.
 */
static int first_match(dts_scanner *s, int want_cat, unsigned dims)
{
	size_t i, at;
	uint32_t scanned = 0;
	int win = want_cat ? -1 : INT_MAX;
	unsigned open_dims = dims & s->rules->dims_present;
	uint32_t given = s->given;
	for (i = 0; i < 4; i++)
		if ((dims >> i) & 1u) {
			s->dim_win[i] = -1;
			/* no trigger of the dimension can fire on this record */
			if (!(s->rules->dim_fields[i] & given))
				open_dims &= ~(1u << i);
		}
	if (!want_cat && !open_dims)
		return -1;
	if (s->flags & DTS_SCAN_NO_PREFILTER) {
		for (i = 0; i < s->rules->nrules; i++)
			if (try_cand(s, i, &win, &open_dims))
				break;
		return win == INT_MAX ? -1 : win;
	}
	collect_keys(s);
	for (at = 0;;) {
		if (win >= 0 && !open_dims)
			break;
		i = next_cand(s, at);
		/* Literal candidates ranked before i may not be known yet. */
		if (collect_lits(s, &scanned, i == SIZE_MAX ? SIZE_MAX : i,
				 win < 0, open_dims))
			continue; /* new candidates: look again from `at` */
		if (i == SIZE_MAX)
			break;
		if (try_cand(s, i, &win, &open_dims))
			break;
		at = i + 1;
	}
	return win == INT_MAX ? -1 : win;
}

#define DIM_BIT(d) (1u << (d))

/* Product codes: what the text-alone look-up blanks. */
static const int code_fields[] = {
	DTS_F_HS_CODE, DTS_F_EBOPS_CODE, DTS_F_BOP_CODE, DTS_F_CPC_CODE,
	DTS_F_INDUSTRY_CODE, DTS_F_TRADE_MODE,
};
#define NCODE_FIELDS (sizeof(code_fields) / sizeof(code_fields[0]))

/* The category rule the record's text gives on its own: codes blanked. */
static int text_alone(dts_scanner *s)
{
	size_t saved[NCODE_FIELDS], k;
	int dims[4], win;
	uint32_t given = s->given;

	memcpy(dims, s->dim_win, sizeof(dims));
	for (k = 0; k < NCODE_FIELDS; k++) {
		saved[k] = s->len[code_fields[k]];
		s->len[code_fields[k]] = 0;
		s->given &= ~(1u << code_fields[k]);
	}
	win = first_match(s, 1, 0);
	for (k = 0; k < NCODE_FIELDS; k++)
		s->len[code_fields[k]] = saved[k];
	s->given = given;
	memcpy(s->dim_win, dims, sizeof(dims));
	return win;
}

/*
 * Adds to cand the terms of key (the text's at byte q) that, aligned there,
 * differ from the text in exactly one CJK character, for a short term a
 * homophone (homophone.c). A short term is taken only from the key of its
 * first intact character, so once per place.
 */
static size_t fz_find(dts_scanner *s, size_t q, uint64_t key,
		      uint32_t (*cand)[2], size_t nc)
{
	const char *d = s->norm[DTS_F_DESCRIPTION];
	size_t len = s->len[DTS_F_DESCRIPTION], lo = 0, hi = s->nfzk, k, c;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->fzk[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < s->nfzk && s->fzk[k].key == key && nc < FUZZY_CANDS; k++) {
		const struct fz_term *ft = &s->fz[s->fzk[k].term];
		int shrt = ft->len < 3 * FUZZY_MIN;
		size_t p, miss = 0, at = 0;

		if (q < s->fzk[k].off)
			continue;
		p = q - s->fzk[k].off;
		if (p + ft->len > len)
			continue;
		for (c = 0; c < ft->len && miss < 2; c += 3) {
			if (!cjk_at((const unsigned char *)d + p + c))
				miss = 2;
			else if (memcmp(d + p + c, ft->p + c, 3)) {
				miss++;
				at = c;
			}
		}
		if (miss != 1 || (shrt && (!dts__homophone(d + p + at, ft->p + at) ||
					   s->fzk[k].off != (at ? 0 : 3))))
			continue;
		cand[nc][0] = s->fzk[k].term;
		cand[nc][1] = (uint32_t)p;
		nc++;
	}
	return nc;
}

/*
 * The one-character typo fallback (docs/rule-language.md "Typos"). When
 * no category rule matched, or only one whose review is generic-word or
 * no-leaf (digital, kind unknown: the typo may hide the kind), a
 * CJK term of at least FUZZY_MIN (4) characters that a confident category
 * rule looks for in the description, found there with exactly one
 * character replaced (软见开发 for 软件开发), or a term of 2-3 characters
 * with one replaced by a homophone (运计算 for 云计算), is read as the
 * rule writes it and the record is classified again. The first correction, in rank
 * order, that gives a confident result is kept; the result is sent to
 * review as fuzzy-term and the combine text says what was read. Else the
 * description is restored. Cost: only such records pay; a binary search
 * per pair of CJK characters of the description finds the terms that
 * begin or end with it (one of the two is intact in a term of four or
 * more characters with one replaced), at most FUZZY_TRIES classifications.
 */
static int fuzzy(dts_scanner *s, int win)
{
	const int f = DTS_F_DESCRIPTION;
	const dts_rules *r = s->rules;
	size_t len = s->len[f], q, k, nc = 0, tries = 0;
	uint32_t cand[FUZZY_CANDS][2];
	int noleaf;
	char *d = s->norm[f];

	s->fz_hit = 0;
	if (!s->nfz || len < 3 * FUZZY_SHORT)
		return win;
	noleaf = win >= 0 && r->rules[win]->review &&
		 !strcmp(r->rules[win]->review, "no-leaf");
	if (win >= 0 && (!r->rules[win]->review ||
			 (strcmp(r->rules[win]->review, "generic-word") &&
			  strcmp(r->rules[win]->review, "no-leaf"))))
		return win;
	/* Candidates: at each CJK character of the description, the short
	 * terms with it, at each pair the long ones that begin or end with
	 * it, aligned there, that differ from the text in one character. */
	for (q = 0; q + 3 <= len && nc < FUZZY_CANDS; q++) {
		if (!cjk_at((const unsigned char *)d + q))
			continue;
		nc = fz_find(s, q, fz_pack(d + q, 3), cand, nc);
		if (q + 6 <= len && cjk_at((const unsigned char *)d + q + 3))
			nc = fz_find(s, q, fz_pack(d + q, 6), cand, nc);
	}
	if (!nc)
		return win;
	qsort(cand, nc, sizeof(cand[0]), fz_cand_cmp); /* rank order */
	if (len > s->fz_cap) {
		char *n = realloc(s->fz_save, len);

		if (!n) {
			s->nomem = 1;
			return win;
		}
		s->fz_save = n;
		s->fz_cap = len;
	}
	memcpy(s->fz_save, d, len);
	for (k = 0; k < nc && tries < FUZZY_TRIES; k++) {
		const struct fz_term *ft = &s->fz[cand[k][0]];
		size_t p = cand[k][1];
		int w;

		if (k && cand[k - 1][1] == p &&
		    s->fz[cand[k - 1][0]].len == ft->len &&
		    !memcmp(s->fz[cand[k - 1][0]].p, ft->p, ft->len))
			continue; /* the same correction, from another rule */
		tries++;
		memcpy(d + p, ft->p, ft->len);
		s->lowered[f] = 0;
		w = first_match(s, 1, 0);
		/* after no-leaf (a digital service of unknown kind) a reading
		 * may name the kind, not turn the record into goods */
		if (w >= 0 && !r->rules[w]->review &&
		    (!noleaf || r->rules[w]->base == DTS_BASE_SERVICES)) {
			snprintf(s->fz_msg, sizeof(s->fz_msg),
				 "%s + \"%.*s\" read as \"%.*s\" (%s a term of rule %.64s): review fuzzy-term",
				 win < 0 ? "no evidence" :
				 !strcmp(r->rules[win]->review, "no-leaf") ? "digital, kind unknown" :
				 "generic word only",
				 (int)(ft->len < 96 ? ft->len : 96), s->fz_save + p,
				 (int)(ft->len < 96 ? ft->len : 96), ft->p,
				 ft->len < 3 * FUZZY_MIN ?
				 "one character a homophone of one in" :
				 "one character differs from",
				 r->rules[ft->rank]->id);
			s->fz_hit = 1;
			return w;
		}
		memcpy(d + p, s->fz_save + p, ft->len);
		s->lowered[f] = 0;
	}
	return win;
}

/* ---- the model behind the rules ---------------------------------------------- */

/* Whether the sold dimension's state is one the <model for="..."> names. */
static int model_wanted(const dts_scanner *s, const dts__model_use *u, int win)
{
	const char *rv;

	if (s->fz_hit)
		return 0; /* a typo reading decided: the rules' own */
	if (win < 0)
		return (u->when & DTS__MODEL_NO_EVIDENCE) != 0;
	rv = s->rules->rules[win]->review;
	if (!rv)
		return 0;
	return (!strcmp(rv, "generic-word") && (u->when & DTS__MODEL_GENERIC)) ||
	       (!strcmp(rv, "no-leaf") && (u->when & DTS__MODEL_NO_LEAF));
}

static long model_class_index(const dts_model *m, const char *code)
{
	for (size_t i = 0; i < m->ncls; i++)
		if (m->cls[i] == code)
			return (long)i;
	return -1;
}

/* The record's fields as the model reads them: as the rules read them. */
static void model_fields(dts_scanner *s, const char **txt, size_t *len)
{
	for (int f = 0; f < DTS_F_COUNT; f++) {
		len[f] = 0;
		txt[f] = "";
		if (!((DTS__MODEL_FIELDS >> f) & 1u) || !s->len[f])
			continue;
		if ((s->text >> f) & 1u)
			txt[f] = low_of(s, f, &len[f]);
		else {
			txt[f] = s->norm[f];
			len[f] = s->len[f];
		}
	}
}

/* The model's prediction for the record into s->mdl. */
static void model_score(dts_scanner *s, const dts__model_use *u, int why)
{
	const char *txt[DTS_F_COUNT];
	size_t len[DTS_F_COUNT];

	model_fields(s, txt, len);
	dts__model_score(&s->mdl, u->model, txt, len, why);
}

/*
 * Ask the model for a record the rules leave undecided (docs/rule-language.md
 * "<model>"): a prediction at min-prob or above gives the category, with
 * the base and flags the classifier's rules give that category; below, the
 * result stays as the rules left it and the guess is only shown. Goods
 * decided by codes never come here: a code rule is confident.
 */
static void model_step(dts_result *out, dts_scanner *s, int win, int why)
{
	const dts__model_use *u = s->rules->book.model;
	const dts__model_flags *fl;
	const dts_model_prediction *p = &s->mdl;

	s->mdl_state = 0;
	if (!u || (s->flags & DTS_SCAN_NO_MODEL) || !model_wanted(s, u, win))
		return;
	model_score(s, u, why);
	if (p->prob[0] < u->min_prob) {
		s->mdl_state = 2;
		snprintf(s->mdl_msg, sizeof(s->mdl_msg),
			 "%s + model %.64s: %s %.2f (%s %.2f), below min-prob %.2f: the rules' result stays",
			 win < 0 ? "no evidence" : s->rules->rules[win]->review, u->id,
			 p->cls[0], p->prob[0], p->nclasses > 1 ? p->cls[1] : "-",
			 p->nclasses > 1 ? p->prob[1] : 0.0, u->min_prob);
		return;
	}
	fl = &u->cls[model_class_index(u->model, p->cls[0])];
	memset(out, 0, sizeof(*out));
	out->rule_index = -1;
	out->rule = u->id;
	out->category_index = fl->cat;
	out->category = s->rules->cats[fl->cat]->code;
	out->base = fl->base < 0 ? DTS_BASE_UNKNOWN : (dts_base)fl->base;
	out->ordered = fl->ordered > 0;
	out->delivered = fl->delivered > 0;
	out->platform = fl->platform > 0;
	s->mdl_state = 1;
	snprintf(s->mdl_msg, sizeof(s->mdl_msg),
		 "%s + model %.64s: %s %.2f (%s %.2f), min-prob %.2f: %s%.32s",
		 win < 0 ? "no evidence" : s->rules->rules[win]->review, u->id,
		 p->cls[0], p->prob[0], p->nclasses > 1 ? p->cls[1] : "-",
		 p->nclasses > 1 ? p->prob[1] : 0.0, u->min_prob,
		 u->review ? "decided, still referred: " : "confident",
		 u->review ? u->review : "");
}

static int same_top(const dts_rules *r, int a, int b)
{
	return !strcmp(r->cats[r->rules[a]->category_index]->top,
		       r->cats[r->rules[b]->category_index]->top);
}

static int is_digital_top(const char *top)
{
	return !strcmp(top, "TECH") || !strcmp(top, "SERV") ||
	       !strcmp(top, "PROD") || !strcmp(top, "DATA");
}

/*
 * The combining table (docs/classification.md §2 "Dimensions and the
 * combining table"): the category winner, the three dimensions and, for a
 * code-only result, what the text alone says, give the final review
 * reason, the ordered / platform flags and deliverable. Rows in order;
 * each row that applies names itself in ev->combine (the last one wins
 * the text; the effects add up).
 */
static void combine(dts_result *out, dts_scanner *s, int win, int lookup)
{
	const dts_rules *r = s->rules;
	dts_evidence *ev = &s->ev;
	const char *top = r->cats[out->category_index]->top;
	int d;

	ev->version = DTS_EVIDENCE_VERSION;
	if (lookup) { /* the dimensions this result needs (explain has all) */
		unsigned need = 0;
		const char *rv = win >= 0 ? r->rules[win]->review : NULL;

		if ((rv && !strcmp(rv, "code-only")) || out->delivered)
			need |= DIM_BIT(DTS_DIM_DELIVERY);
		if (out->base == DTS_BASE_GOODS && !out->ordered)
			need |= DIM_BIT(DTS_DIM_ORDERED);
		if (need & r->dims_present)
			first_match(s, 0, need);
	}
	ev->sold_rule = win;
	ev->text_rule = -1;
	ev->delivery_rule = s->dim_win[DTS_DIM_DELIVERY];
	ev->ordered_rule = s->dim_win[DTS_DIM_ORDERED];
	ev->deliverable_rule = s->dim_win[DTS_DIM_DELIVERABLE];
	d = ev->delivery_rule;
	ev->delivery = d >= 0 ? r->rules[d]->evidence : DTS_DELIVERY_NONE;
	d = ev->ordered_rule;
	ev->ordered = d >= 0 ? r->rules[d]->evidence : DTS_ORDER_NONE;
	d = ev->deliverable_rule;
	ev->deliverable = d >= 0 ? r->rules[d]->evidence == 1 : is_digital_top(top);
	ev->review = win >= 0 ? r->rules[win]->review : "no-evidence";
	ev->combine = "";
	if (s->fz_hit) { /* 0. read with a one-character typo (fuzzy()) */
		ev->review = "fuzzy-term";
		ev->combine = s->fz_msg;
	}
	if (s->mdl_state) { /* 0b. the model behind the rules (model_step()) */
		if (s->mdl_state == 1) /* decided; referred when <model review> says */
			ev->review = r->book.model->review;
		ev->combine = s->mdl_msg;
	}

	/* 1. A code-only result with digital delivery evidence in the text. */
	if (ev->review && !strcmp(ev->review, "code-only") &&
	    ev->delivery == DTS_DELIVERY_DIGITAL) {
		ev->review = NULL;
		ev->combine = "code-only + digital delivery evidence: confident";
	}
	/* 1b. A bare code: no description at all, so nothing can contradict
	 * the reporter's code, and no field said otherwise (those rules rank
	 * above the code rules). */
	if (ev->review && !strcmp(ev->review, "code-only") &&
	    !s->len[DTS_F_DESCRIPTION]) {
		ev->review = NULL;
		ev->combine = "code-only + no description, nothing contradicts the code: confident";
	}
	/* 2, 3. A code-only result: does the text alone say the same? */
	if (ev->review && !strcmp(ev->review, "code-only")) {
		int t = ev->text_rule = text_alone(s);

		if (t >= 0 && !r->rules[t]->review && same_top(r, t, win)) {
			ev->review = NULL;
			ev->combine = "code-only + the text alone gives the same top category: confident";
		} else if (t >= 0 && !r->rules[t]->review) {
			ev->review = "code-text-disagree";
			ev->combine = "code-only + the text alone gives another top category: review code-text-disagree";
		}
	}
	if (ev->review && !strcmp(ev->review, "code-only"))
		ev->combine = "code-only + no delivery evidence, the text alone says nothing: review code-only";
	/* 5. Digitally delivered by the sold rule, but the text also says in
	 * person: conflicting delivery evidence (the rule's own reason first). */
	if (out->delivered && ev->delivery == DTS_DELIVERY_MIXED && !ev->review) {
		ev->review = "delivery-conflict";
		ev->combine = "delivered 1 + remote and in-person delivery both stated: review delivery-conflict";
	}
	/* 6. Goods ordered on a platform or online, whatever the mode. */
	if (out->base == DTS_BASE_GOODS && !out->ordered &&
	    (ev->ordered == DTS_ORDER_PLATFORM || ev->ordered == DTS_ORDER_ONLINE)) {
		out->ordered = 1;
		if (ev->ordered == DTS_ORDER_PLATFORM)
			out->platform = 1;
		ev->combine = ev->ordered == DTS_ORDER_PLATFORM ?
			      "goods + ordered on a platform: ordered 1, platform 1" :
			      "goods + ordered online: ordered 1";
	}
}

/*
 * <model disagree="P">: a record the rules decided with confidence from its
 * text is referred (model-disagrees) when the model gives another top
 * category at P or above. Not asked where the model cannot speak to what
 * decided: a rule that reads no description (codes, the delivery field:
 * the model reads words), or a service the rules found not digitally
 * delivered where the model's class is a digitally delivered one (the
 * model weighs no delivery evidence). docs/rule-language.md "<model>".
 */
static void disagree_step(const dts_result *out, dts_scanner *s, int win, int why)
{
	const dts_rules *r = s->rules;
	const dts__model_use *u = r->book.model;
	const dts_model_prediction *p = &s->mdl;
	const dts__model_flags *fl;
	const char *top = r->cats[out->category_index]->top;
	const char *txt[DTS_F_COUNT];
	size_t len[DTS_F_COUNT], known;
	double sums[DTS_MODEL_MAX_CLASSES];

	if (!u || u->disagree < 0 || (s->flags & DTS_SCAN_NO_MODEL) || s->mdl_state ||
	    s->ev.review || win < 0 || !(r->rules[win]->fields & (1u << DTS_F_DESCRIPTION)))
		return;
	/* Only the best class can refer the record, and most often it has
	 * the winner's top category: then its probability does not matter,
	 * and the softmax, the ranks and the weighing features (explain) are
	 * not worked out. s->mdl is read only once mdl_state says so. */
	model_fields(s, txt, len);
	dts__model_sums(sums, &known, u->model, txt, len);
	fl = &u->cls[dts__model_best(u->model, sums)];
	if (!strcmp(r->cats[fl->cat]->top, top) ||
	    (out->base == DTS_BASE_SERVICES && !out->delivered && fl->delivered > 0))
		return;
	dts__model_finish(&s->mdl, u->model, sums, known, txt, len, why);
	if (p->prob[0] < u->disagree)
		return;
	s->mdl_state = 3;
	s->ev.review = "model-disagrees";
	snprintf(s->mdl_msg, sizeof(s->mdl_msg),
		 "confident + model %.64s: %s %.2f (%s %.2f), another top category at disagree %.2f: review model-disagrees",
		 u->id, p->cls[0], p->prob[0], p->nclasses > 1 ? p->cls[1] : "-",
		 p->nclasses > 1 ? p->prob[1] : 0.0, u->disagree);
	s->ev.combine = s->mdl_msg;
}

int dts_scanner_evidence(dts_evidence *out, const dts_scanner *s)
{
	if (!out || !s)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_evidence: NULL argument");
	if (out->version != DTS_EVIDENCE_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_evidence: unknown version %u (this library knows %u)",
				  out->version, (unsigned)DTS_EVIDENCE_VERSION);
	*out = s->ev;
	return 0;
}

int dts_scanner_classify(dts_result *out, dts_scanner *s,
			 const dts_value *values, size_t nvalues)
{
	int error, win;

	if (!out || !s || (!values && nvalues))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_classify: NULL argument");
	fill(out, s, -1);
	ev_reset(s);
	if ((error = load(s, values, nvalues)) < 0)
		return error;
	s->stats.records++;
	s->dim_win[0] = s->dim_win[1] = s->dim_win[2] = s->dim_win[3] = -1;
	win = first_match(s, 1, DIM_BIT(DTS_DIM_DELIVERABLE));
	win = fuzzy(s, win);
	fill(out, s, win);
	model_step(out, s, win, 0);
	combine(out, s, win, 1);
	disagree_step(out, s, win, 0);
	return s->limit_rule || s->nomem ? limit_error(s) : 0;
}

/* ---- explain -------------------------------------------------------------------- */

static void why_add(dts_scanner *s, const char *p, size_t len)
{
	if (s->whylen + len + 1 > s->whycap) {
		size_t cap = (s->whylen + len + 1) * 2;
		char *n = realloc(s->why, cap);

		if (!n) {
			s->why_oom = 1;
			return;
		}
		s->why = n;
		s->whycap = cap;
	}
	memcpy(s->why + s->whylen, p, len);
	s->whylen += len;
	s->why[s->whylen] = '\0';
}

static void why_str(dts_scanner *s, const char *p)
{
	why_add(s, p, strlen(p));
}

static void why_leaf(dts_scanner *s, const dts_node *n, const char *what,
		     size_t wlen)
{
	if (s->whylen)
		why_str(s, "; ");
	why_str(s, n->elem ? n->elem : "leaf");
	why_str(s, "(");
	why_str(s, n->field >= 0 ? dts_field_name(n->field) : "");
	if (what) {
		why_str(s, " \"");
		why_add(s, what, wlen);
		why_str(s, "\"");
	}
	if (what && n->nexcept) { /* <contains except="..."> */
		size_t e;

		why_str(s, " outside \"");
		for (e = 0; e < n->nexcept; e++) {
			if (e)
				why_str(s, "|");
			why_add(s, n->except[e], n->except_lens[e]);
		}
		why_str(s, "\"");
	}
	why_str(s, ")");
	if (n->field >= 0 && n->kind != DTS_N_EMPTY) {
		why_str(s, " on \"");
		why_add(s, s->norm[n->field], s->len[n->field]);
		why_str(s, "\"");
	}
}

static void describe(dts_scanner *s, const dts_node *n)
{
	size_t i;
	int at;
	PCRE2_SIZE *ov;

	switch (n->kind) {
	case DTS_N_ALL:
		for (i = 0; i < n->nkids; i++)
			describe(s, n->kids[i]);
		return;
	case DTS_N_ANY:
		for (i = 0; i < n->nkids; i++)
			if (eval(s, n->kids[i])) {
				describe(s, n->kids[i]);
				return;
			}
		return;
	case DTS_N_NOT:
		if (s->whylen)
			why_str(s, "; ");
		why_str(s, "not(");
		why_str(s, n->kids[0]->elem ? n->kids[0]->elem : "");
		if (n->kids[0]->field >= 0) {
			why_str(s, " ");
			why_str(s, dts_field_name(n->kids[0]->field));
		}
		why_str(s, ")");
		return;
	case DTS_N_PREFIX: {
		size_t len;
		const char *v = cmp_of(s, n->field, &len);

		at = prefix_at(n, v, len);
		why_leaf(s, n, at >= 0 ? n->values[at] : NULL,
			 at >= 0 ? n->lens[at] : 0);
		return;
	}
	case DTS_N_CONTAINS:
		at = contains_at(s, n);
		why_leaf(s, n, at >= 0 ? n->values[at] : NULL,
			 at >= 0 ? n->lens[at] : 0);
		return;
	case DTS_N_REGEX:
		if (regex_match(s, n)) {
			ov = pcre2_get_ovector_pointer(s->md);
			if (s->whylen)
				why_str(s, "; ");
			why_str(s, "regex(");
			why_str(s, dts_field_name(n->field));
			why_str(s, ") found \"");
			why_add(s, s->norm[n->field] + ov[0], ov[1] - ov[0]);
			why_str(s, "\"");
		}
		return;
	case DTS_N_RANGE:
		why_leaf(s, n, n->lo, strlen(n->lo));
		why_str(s, " ..");
		why_str(s, n->hi);
		return;
	case DTS_N_AMOUNT:
		why_leaf(s, n, NULL, 0);
		return;
	default:
		why_leaf(s, n, NULL, 0);
		return;
	}
}

int dts_scanner_explain(dts_result *out, dts_scanner *s,
			const dts_value *values, size_t nvalues,
			dts_match_cb cb, void *payload)
{
	size_t i;
	int error, win = -1, rc;

	if (!out || !s || (!values && nvalues))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_explain: NULL argument");
	fill(out, s, -1);
	ev_reset(s);
	if ((error = load(s, values, nvalues)) < 0)
		return error;
	s->dim_win[0] = s->dim_win[1] = s->dim_win[2] = s->dim_win[3] = -1;
	for (i = 0; i < s->rules->nrules; i++) {
		const dts_rule *rule = s->rules->rules[i];
		dts_match m;

		s->current = rule;
		if (!eval(s, rule->cond))
			continue;
		if (rule->dimension != DTS_DIM_SOLD) {
			if (s->dim_win[rule->dimension] < 0)
				s->dim_win[rule->dimension] = (int)i;
		} else if (win < 0)
			win = (int)i;
		s->whylen = 0;
		s->why_oom = 0;
		why_str(s, "");
		describe(s, rule->cond);
		m.rule_index = (int)i;
		m.rule = rule->id;
		m.category = rule->dimension != DTS_DIM_SOLD ? rule->category :
			     s->rules->cats[rule->category_index]->code;
		m.priority = rule->priority;
		m.file = rule->file;
		m.line = rule->line;
		if (s->why_oom || !s->why) {
			fill(out, s, win);
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		m.why = s->why;
		m.winner = win == (int)i;
		if (cb && (rc = cb(&m, payload)) != 0) {
			fill(out, s, win);
			return rc;
		}
	}
	win = fuzzy(s, win);
	fill(out, s, win);
	model_step(out, s, win, 1);
	combine(out, s, win, 0);
	disagree_step(out, s, win, 1);
	return s->limit_rule || s->nomem ? limit_error(s) : 0;
}
