/*
 * features.c — what the model sees of a record (dts/model.h): CJK
 * character bigrams and trigrams (a lone character as itself), Latin words
 * and word pairs of the text fields, code prefixes, source and flow.
 *
 * Why n-grams and not words: Chinese has no blanks, and a segmenter would
 * be a second vocabulary to keep; bigrams and trigrams carry most service
 * phrases (软件, 云服务, 数据标注) and are robust to a changed character.
 */
#include <string.h>

#include "model_int.h"

/* A text field's feature tags, written out once: "d2" "d3" "d1" "dw" "dp"
 * for the description (snprintf per run was a fifth of scoring a record). */
typedef struct tags {
	const char *t2, *t3, *t1, *tw, *tp;
} tags;

static const tags desc_tags = {"d2", "d3", "d1", "dw", "dp"};
static const tags chan_tags = {"c2", "c3", "c1", "cw", "cp"};
static const tags deliv_tags = {"v2", "v3", "v1", "vw", "vp"};

typedef struct emit {
	dts__feat_cb cb;
	void *payload;
	char key[DTS__MODEL_KEY_MAX + 1];
} emit;

/* Give "TAG:" + the bytes, cut to the key limit. */
static void give(emit *e, const char *tag, const char *p, size_t n)
{
	size_t t;
	uint64_t h = DTS__FNV_OFFSET; /* dts__fnv of the key, as it is built */

	for (t = 0; tag[t]; t++) { /* one or two letters: no strlen, no memcpy */
		e->key[t] = tag[t];
		h = dts__fnv_step(h, (unsigned char)tag[t]);
	}
	if (t + 1 + n > DTS__MODEL_KEY_MAX)
		n = DTS__MODEL_KEY_MAX - t - 1;
	e->key[t] = ':';
	h = dts__fnv_step(h, ':');
	for (size_t i = 0; i < n; i++) { /* keys are blank-free in the file */
		unsigned char c = (unsigned char)p[i] <= ' ' ? '_' : (unsigned char)p[i];

		e->key[t + 1 + i] = (char)c;
		h = dts__fnv_step(h, c);
	}
	e->key[t + 1 + n] = '\0';
	e->cb(e->key, t + 1 + n, h, e->payload);
}

/* Bytes of the UTF-8 sequence at p (valid input), and its code point. */
static size_t u8(const unsigned char *p, size_t left, unsigned *cp)
{
	size_t n = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
	size_t i;

	if (n > left)
		n = left;
	*cp = n == 1 ? p[0] : (unsigned)(p[0] & (0x3F >> (n - 1)));
	for (i = 1; i < n; i++)
		*cp = (*cp << 6) | (p[i] & 0x3Fu);
	return n;
}

/* A character of a CJK (or other non-Latin) word: not ASCII, not a blank
 * or punctuation block (general punctuation, CJK symbols, full-width
 * forms, Latin-1 symbols, BOM). */
static int wordish(unsigned cp)
{
	return cp >= 0x80 && !(cp >= 0x80 && cp <= 0xBF) &&
	       !(cp >= 0x2000 && cp <= 0x206F) && !(cp >= 0x3000 && cp <= 0x303F) &&
	       !(cp >= 0xFE30 && cp <= 0xFE4F) && !(cp >= 0xFF00 && cp <= 0xFFEF) &&
	       cp != 0xFEFF;
}

static int latin(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= '0' && cp <= '9');
}

/* Character n-grams of one run of wordish characters (offsets in off[]). */
static void cjk_run(emit *e, const tags *tg, const char *s, const size_t *off,
		    size_t nch)
{
	size_t i;

	if (nch == 1) {
		give(e, tg->t1, s + off[0], off[1] - off[0]);
		return;
	}
	for (i = 0; i + 2 <= nch; i++)
		give(e, tg->t2, s + off[i], off[i + 2] - off[i]);
	for (i = 0; i + 3 <= nch; i++)
		give(e, tg->t3, s + off[i], off[i + 3] - off[i]);
}

static int has_letter(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z')
			return 1;
	return 0;
}

#define RUN_MAX 256 /* characters of one CJK run looked at */

/*
 * A text field: CJK runs as n-grams ("TAG2:", "TAG3:", "TAG1:"), Latin
 * words of two or more characters with a letter ("TAGw:") and pairs of
 * neighbouring words ("TAGp:a_b").
 */
static void text(emit *e, const tags *tg, const char *s, size_t len)
{
	size_t off[RUN_MAX + 1], nch = 0, i = 0, prev = 0, prevlen = 0;
	char pair[2 * DTS__MODEL_KEY_MAX + 2];
	int have_prev = 0;
	while (i <= len) {
		unsigned cp = 0;
		size_t n = i < len ? u8((const unsigned char *)s + i, len - i, &cp) : 1;

		if (i < len && wordish(cp)) {
			if (nch < RUN_MAX)
				off[nch++] = i;
			i += n;
			have_prev = 0;
			continue;
		}
		if (nch) {
			off[nch] = i;
			cjk_run(e, tg, s, off, nch);
			nch = 0;
		}
		if (i < len && latin(cp)) {
			size_t j = i;

			while (j < len && latin((unsigned char)s[j]))
				j++;
			if (j - i >= 2 && has_letter(s + i, j - i)) {
				give(e, tg->tw, s + i, j - i);
				if (have_prev && prevlen + 1 + (j - i) < sizeof(pair)) {
					memcpy(pair, s + prev, prevlen);
					pair[prevlen] = '_';
					memcpy(pair + prevlen + 1, s + i, j - i);
					give(e, tg->tp, pair, prevlen + 1 + (j - i));
				}
				prev = i;
				prevlen = j - i;
				have_prev = 1;
			}
			i = j;
			continue;
		}
		if (i < len && cp != ' ')
			have_prev = 0; /* punctuation ends a phrase */
		i += n;
	}
}

/* The first n bytes of a code, when it has them. */
static void prefix(emit *e, const char *tag, const char *s, size_t len, size_t n)
{
	if (len >= n)
		give(e, tag, s, n);
}

void dts__model_features(const char *const *txt, const size_t *len,
			 dts__feat_cb cb, void *payload)
{
	emit e = {cb, payload, {0}};
	const size_t *L = len;
	int coded = 0;

	if (L[DTS_F_DESCRIPTION])
		text(&e, &desc_tags, txt[DTS_F_DESCRIPTION], L[DTS_F_DESCRIPTION]);
	if (L[DTS_F_CHANNEL])
		text(&e, &chan_tags, txt[DTS_F_CHANNEL], L[DTS_F_CHANNEL]);
	if (L[DTS_F_DELIVERY])
		text(&e, &deliv_tags, txt[DTS_F_DELIVERY], L[DTS_F_DELIVERY]);
	if (L[DTS_F_SOURCE])
		give(&e, "s", txt[DTS_F_SOURCE], L[DTS_F_SOURCE]);
	if (L[DTS_F_FLOW])
		give(&e, "f", txt[DTS_F_FLOW], L[DTS_F_FLOW]);
	if (L[DTS_F_EBOPS_CODE]) {
		prefix(&e, "e2", txt[DTS_F_EBOPS_CODE], L[DTS_F_EBOPS_CODE], 2);
		prefix(&e, "e3", txt[DTS_F_EBOPS_CODE], L[DTS_F_EBOPS_CODE], 3);
		coded = 1;
	}
	if (L[DTS_F_HS_CODE]) {
		prefix(&e, "h2", txt[DTS_F_HS_CODE], L[DTS_F_HS_CODE], 2);
		prefix(&e, "h4", txt[DTS_F_HS_CODE], L[DTS_F_HS_CODE], 4);
		coded = 1;
	}
	if (L[DTS_F_BOP_CODE]) {
		prefix(&e, "b3", txt[DTS_F_BOP_CODE], L[DTS_F_BOP_CODE], 3);
		coded = 1;
	}
	if (L[DTS_F_CPC_CODE]) {
		prefix(&e, "p2", txt[DTS_F_CPC_CODE], L[DTS_F_CPC_CODE], 2);
		coded = 1;
	}
	if (L[DTS_F_INDUSTRY_CODE])
		prefix(&e, "i2", txt[DTS_F_INDUSTRY_CODE], L[DTS_F_INDUSTRY_CODE], 2);
	if (L[DTS_F_TRADE_MODE]) {
		give(&e, "t", txt[DTS_F_TRADE_MODE], L[DTS_F_TRADE_MODE]);
		coded = 1;
	}
	if (!coded)
		give(&e, "n", "nocode", 6); /* no product code at all */
}
