/*
 * unit.c — the units of amounts statistical tables state (万元, 千美元,
 * "USD thousand"), in a header's brackets or a unit row, as a power of
 * ten and a currency. Applying one is dts_money_parse_scaled() or
 * dts_money_scale() (money.c): exact, no double.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "dts/unit.h"

/* Units are short; longer text is not one. */
#define UNIT_MAX 96

static int unknown(const char *s, size_t len)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "unknown unit: '%.*s'",
			  (int)(len > 64 ? 64 : len), s);
}

/* Does s[i..n) start with word w? Then advance *i past it. */
static int eat(const char *s, size_t n, size_t *i, const char *w)
{
	size_t k = strlen(w);

	if (n - *i < k || memcmp(s + *i, w, k))
		return 0;
	*i += k;
	return 1;
}

/* ---- Chinese: [人民币] [multiplier] [currency] [人民币] ------------------ */

static const struct {
	const char *word;
	int exp;
} zh_mult[] = {
	/* Longest first: 十万 before 十, 万亿 before 万. */
	{"万亿", 12}, {"千亿", 11}, {"百亿", 10}, {"十亿", 9}, {"千万", 7},
	{"百万", 6},  {"十万", 5},  {"亿", 8},    {"万", 4},   {"千", 3},
	{"百", 2},    {"十", 1},
};

static const struct {
	const char *word, *iso;
} zh_cur[] = {
	{"人民币元", "CNY"}, {"人民币", "CNY"}, {"元", "CNY"},
	{"美元", "USD"},     {"港元", "HKD"},   {"港币", "HKD"},
	{"欧元", "EUR"},     {"英镑", "GBP"},   {"日元", "JPY"},
};

static int parse_zh(dts_unit *u, const char *s, size_t n)
{
	size_t i = 0, k;
	int rmb = eat(s, n, &i, "人民币"), any = rmb;

	u->exp = 0;
	u->currency[0] = '\0';
	for (k = 0; k < sizeof(zh_mult) / sizeof(*zh_mult); k++)
		if (eat(s, n, &i, zh_mult[k].word)) {
			u->exp = zh_mult[k].exp;
			any = 1;
			break;
		}
	for (k = 0; k < sizeof(zh_cur) / sizeof(*zh_cur); k++)
		if (eat(s, n, &i, zh_cur[k].word)) {
			memcpy(u->currency, zh_cur[k].iso, DTS_CURRENCY_SIZE);
			any = 1;
			break;
		}
	if (rmb && u->currency[0] && strcmp(u->currency, "CNY"))
		return 0;            /* 人民币美元 */
	if (rmb)
		memcpy(u->currency, "CNY", DTS_CURRENCY_SIZE);
	if (!rmb && !strcmp(u->currency, "CNY"))
		(void)eat(s, n, &i, "人民币"); /* 万元人民币 */
	return any && i == n;
}

/* ---- English: a currency and multiplier words, either order ------------ */

static const struct {
	const char *word;
	int exp;
} en_mult[] = {
	{"ten", 1},       {"hundred", 2},   {"hundreds", 2}, {"thousand", 3},
	{"thousands", 3}, {"'000", 3},      {"million", 6},  {"millions", 6},
	{"mn", 6},        {"billion", 9},   {"billions", 9}, {"bn", 9},
	{"1,000", 3},     {"1000", 3},      {"1,000,000", 6}, {"1000000", 6},
};

static const struct {
	const char *word, *iso;
} en_cur[] = {
	{"dollar", "USD"}, {"dollars", "USD"}, {"us$", "USD"},
	{"yuan", "CNY"},   {"rmb", "CNY"},     {"euro", "EUR"},
	{"euros", "EUR"},
};

/* Codes taken alone, with no multiplier: the currencies of rates.c's
 * customs table, so "Weight (KGM)" is not a currency. */
static const char *const bare_codes[] = {
	"AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "HKD", "JPY", "KRW",
	"MOP", "NZD", "RMB", "RUB", "SEK", "SGD", "TWD", "USD",
};

static int is_upper3(const char *w, size_t k)
{
	return k == 3 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' &&
	       w[1] <= 'Z' && w[2] >= 'A' && w[2] <= 'Z';
}

/* One word w (k bytes, as written) of an English unit. */
static int en_word(dts_unit *u, int *mults, int *curs, const char *w,
		   size_t k, int *us)
{
	char low[16];
	size_t i;

	if (k >= sizeof(low))
		return 0;
	for (i = 0; i < k; i++)
		low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
	low[k] = '\0';
	if (!strcmp(low, "in") || !strcmp(low, "of"))
		return 1;
	if (!strcmp(low, "us")) {
		*us = 1;             /* "US dollars" */
		return 1;
	}
	for (i = 0; i < sizeof(en_mult) / sizeof(*en_mult); i++)
		if (!strcmp(low, en_mult[i].word)) {
			u->exp += en_mult[i].exp;
			(*mults)++;
			return u->exp <= 12;
		}
	for (i = 0; i < sizeof(en_cur) / sizeof(*en_cur); i++)
		if (!strcmp(low, en_cur[i].word)) {
			memcpy(u->currency, en_cur[i].iso, DTS_CURRENCY_SIZE);
			return ++(*curs) == 1;
		}
	if (is_upper3(w, k)) {
		memcpy(u->currency, w, 3);
		u->currency[3] = '\0';
		if (!strcmp(u->currency, "RMB"))
			memcpy(u->currency, "CNY", DTS_CURRENCY_SIZE);
		return ++(*curs) == 1;
	}
	return 0;
}

static int parse_en(dts_unit *u, const char *s, size_t n)
{
	size_t i = 0, b;
	int mults = 0, curs = 0, us = 0;

	u->exp = 0;
	u->currency[0] = '\0';
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		/* A word; "USD'000" is two: the code and '000. */
		for (b = i++; i < n && s[i] != ' ' && s[i] != '\t' &&
			      s[i] != '\''; i++)
			;
		if (!en_word(u, &mults, &curs, s + b, i - b, &us))
			return 0;
	}
	if (us && strcmp(u->currency, "USD"))
		return 0;            /* "US" without dollars */
	if (mults == 0 && curs == 1 && is_upper3(u->currency, 3)) {
		for (i = 0; i < sizeof(bare_codes) / sizeof(*bare_codes); i++)
			if (!strcmp(u->currency, bare_codes[i]))
				return 1;
		return 0;
	}
	return mults + curs > 0;
}

int dts_unit_parse(dts_unit *out, const char *s, size_t len)
{
	char buf[UNIT_MAX];
	size_t n = 0;
	dts_unit u;

	if (!out || (!s && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unit_parse: NULL argument");
	if (len >= sizeof(buf) ||
	    dts_field_normalize(buf, sizeof(buf), &n, DTS_F_PERIOD, s, len) < 0)
		return unknown(s, len);
	if (n == 0 || !(parse_zh(&u, buf, n) || parse_en(&u, buf, n)))
		return unknown(s, len);
	*out = u;
	return 0;
}

/* ---- finding the unit in a header or a unit row ------------------------ */

/* dts_unit_parse without touching the caller's error state. */
static int quiet_parse(dts_unit *u, const char *s, size_t len)
{
	dts_error saved;
	const dts_error *e = dts_error_last();
	int rc;

	if (e)
		saved = *e;
	rc = dts_unit_parse(u, s, len);
	if (e)
		dts__error(saved.code, saved.file, saved.line, saved.column,
			   "%s", saved.message);
	else
		dts_error_clear();
	return rc;
}

static const char *const openers[] = {"(", "\xef\xbc\x88", "[", "\xef\xbc\xbb",
				      "\xe3\x80\x90"}; /* ( （ [ ［ 【 */
static const char *const closers[] = {")", "\xef\xbc\x89", "]", "\xef\xbc\xbd",
				      "\xe3\x80\x91"}; /* ) ） ] ］ 】 */

/* Trailing blanks (ASCII and U+3000) before `end`. */
static size_t rtrim(const char *s, size_t end)
{
	while (end > 0) {
		if (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r')
			end--;
		else if (end >= 3 && !memcmp(s + end - 3, "\xe3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	return end;
}

/* "NAME (UNIT)": 0 with the unit and the name's length, else ENOTFOUND. */
static int bracketed(dts_unit *u, size_t *name_len, const char *s, size_t n)
{
	size_t k, cl, ol, j;

	for (k = 0; k < sizeof(closers) / sizeof(*closers); k++) {
		cl = strlen(closers[k]);
		ol = strlen(openers[k]);
		if (n < cl + ol || memcmp(s + n - cl, closers[k], cl))
			continue;
		for (j = n - cl; j >= ol; j--)
			if (!memcmp(s + j - ol, openers[k], ol))
				break;
		if (j < ol)
			return DTS_ENOTFOUND;
		if (quiet_parse(u, s + j, n - cl - j) < 0)
			return DTS_ENOTFOUND;
		*name_len = rtrim(s, j - ol);
		return 0;
	}
	return DTS_ENOTFOUND;
}

/* "…单位：UNIT" or "Unit: UNIT": the offset of UNIT, or 0 when not a unit row. */
static size_t unit_row(const char *s, size_t n)
{
	size_t i, j;

	for (i = 0; i + 6 <= n; i++) {
		if (memcmp(s + i, "单位", 6))
			continue;
		j = i + 6;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < n && s[j] == ':')
			return j + 1;
		if (n - j >= 3 && !memcmp(s + j, "\xef\xbc\x9a", 3)) /* ： */
			return j + 3;
	}
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (n - i >= 5 && !strncasecmp(s + i, "unit:", 5))
		return i + 5;
	if (n - i >= 6 && !strncasecmp(s + i, "units:", 6))
		return i + 6;
	return 0;
}

int dts_unit_find(dts_unit *out, size_t *name_len, const char *text,
		  size_t len)
{
	size_t n, at, name = 0;
	dts_unit u;

	if (!out || (!text && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unit_find: NULL argument");
	n = rtrim(text, len);
	if ((at = unit_row(text, n)) > 0) {
		if (dts_unit_parse(&u, text + at, n - at) < 0)
			return dts__error(DTS_EINPUT, NULL, 0, 0,
					  "unknown unit '%.*s' in '%.*s'",
					  (int)(n - at > 64 ? 64 : n - at),
					  text + at, (int)(n > 64 ? 64 : n),
					  text);
	} else if (quiet_parse(&u, text, n) < 0 &&
		   bracketed(&u, &name, text, n) < 0) {
		return DTS_ENOTFOUND;
	}
	*out = u;
	if (name_len)
		*name_len = name;
	return 0;
}
