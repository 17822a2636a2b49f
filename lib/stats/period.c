/* period.c — record periods (dates, months, quarters, years) and their keys. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "dts/cube.h"
#include "period_int.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Value of n digits at s, or -1 when one is not a digit. */
static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

static int bad(const char *s, size_t len, const char *why)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "invalid period \"%.*s\": %s",
			  (int)(len > 64 ? 64 : len), s, why);
}

/* Append v in exactly `width` decimal digits (years are 1000..9999). */
static void put_digits(char *k, int *n, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		k[*n + i] = (char)('0' + v % 10);
	*n += width;
}

/*
 * The parser reads the text after the year into a span of months (and a
 * day): every form, ISO, compact, date-time, Chinese, half year, is one
 * path, and dts_period_parse() takes the spans that are a dts_period.
 */
typedef struct cursor {
	const char *s;
	size_t n, i;
} cursor;

static int at_end(const cursor *c)
{
	return c->i == c->n;
}

static int eat(cursor *c, const char *w)
{
	size_t k = strlen(w);

	if (c->n - c->i < k || memcmp(c->s + c->i, w, k))
		return 0;
	c->i += k;
	return 1;
}

static int eat_char_caseless(cursor *c, char upper)
{
	if (c->i < c->n && (c->s[c->i] == upper || c->s[c->i] == upper + 32)) {
		c->i++;
		return 1;
	}
	return 0;
}

/* 1..max digits as a number, or -1 when there is none. */
static int number(cursor *c, size_t max)
{
	size_t b = c->i;
	int v = 0;

	while (c->i < c->n && c->i - b < max && is_digit(c->s[c->i]))
		v = v * 10 + (c->s[c->i++] - '0');
	if (c->i == b || (c->i < c->n && is_digit(c->s[c->i])))
		return -1; /* none, or more than max */
	return v;
}

/* Exactly w digits, or -1. */
static int fixed(cursor *c, size_t w)
{
	int v;

	if (c->n - c->i < w || (v = digits(c->s + c->i, w)) < 0)
		return -1;
	c->i += w;
	return v;
}

/* Reasons, in the message after the quoted input. */
#define R_FORMS "expected YYYY, YYYY-MM, YYYYMM, YYYY-MM-DD, YYYYMMDD, " \
		"YYYY-Qn, a date with a time (2025-01-03 10:21:33), or a " \
		"Chinese form (2025年3月, 2025年第一季度)"
#define R_MONTH "the month must be 1 to 12"
#define R_DAY "no such day in that month"
#define R_TIME "the time must be HH:MM[:SS] (hour 0-23, minute 0-59) " \
	       "with an optional Z or +hh:mm"
#define R_ORDER "the first month comes after the last"

/* " 10:21:33", "T10:21:33.5Z", " 8:15 +08:00" after a date; NULL when ok. */
static const char *time_of_day(cursor *c)
{
	int h, m, sec;

	if (at_end(c))
		return NULL;
	if (c->s[c->i] == 'T' || c->s[c->i] == 't')
		c->i++;
	else if (c->s[c->i] == ' ')
		while (c->i < c->n && c->s[c->i] == ' ')
			c->i++;
	else
		return R_FORMS;
	if ((h = number(c, 2)) < 0 || h > 23 || !eat(c, ":") ||
	    (m = fixed(c, 2)) < 0 || m > 59)
		return R_TIME;
	if (eat(c, ":")) {
		if ((sec = fixed(c, 2)) < 0 || sec > 60)
			return R_TIME;
		if (eat(c, ".") || eat(c, ",")) {
			size_t b = c->i;

			while (c->i < c->n && is_digit(c->s[c->i]))
				c->i++;
			if (c->i == b)
				return R_TIME;
		}
	}
	if (eat_char_caseless(c, 'Z'))
		return at_end(c) ? NULL : R_TIME;
	if (eat(c, "+") || eat(c, "-")) {
		int oh = fixed(c, 2), om;

		(void)eat(c, ":");
		om = fixed(c, 2);
		if (oh < 0 || oh > 14 || om < 0 || om > 59)
			return R_TIME;
	}
	return at_end(c) ? NULL : R_TIME;
}

/* Check month and day, then the optional time. */
static const char *finish_date(dts_period_span *p, cursor *c, int month,
			       int day)
{
	if (month < 1 || month > 12)
		return R_MONTH;
	p->first_month = p->last_month = month;
	if (day == 0)
		return at_end(c) ? NULL : R_FORMS;
	if (day < 1 || day > days_in_month(p->year, month))
		return R_DAY;
	p->day = day;
	return time_of_day(c);
}

static const char *span_of(dts_period_span *p, int first, int last)
{
	if (first < 1 || first > 12 || last < 1 || last > 12)
		return R_MONTH;
	if (first > last)
		return R_ORDER;
	p->first_month = first;
	p->last_month = last;
	return NULL;
}

/* A range dash of "1-5月": - ~ — – 至 到 (－ and ～ arrive folded). */
static int range_dash(cursor *c)
{
	return eat(c, "-") || eat(c, "~") || eat(c, "\xe2\x80\x94") ||
	       eat(c, "\xe2\x80\x93") || eat(c, "至") || eat(c, "到");
}

/* 第一季度, 第1季度, 一季度, 1季度, 第一季, Q1 (after 年). */
static int quarter_zh(cursor *c)
{
	static const char *const zh[] = {"一", "二", "三", "四"};
	int q = -1;

	if (eat_char_caseless(c, 'Q'))
		return (q = number(c, 1)) >= 1 && q <= 4 && at_end(c) ? q : -1;
	(void)eat(c, "第");
	for (int k = 0; k < 4 && q < 0; k++)
		if (eat(c, zh[k]))
			q = k + 1;
	if (q < 0 && ((q = number(c, 1)) < 1 || q > 4))
		return -1;
	if (!eat(c, "季度") && !eat(c, "季"))
		return -1;
	return at_end(c) ? q : -1;
}

/* After "2025年". */
static const char *rest_zh(dts_period_span *p, cursor *c)
{
	cursor save = *c;
	int m, m2, d, q;

	if (at_end(c) || eat(c, "度") || eat(c, "全年"))
		return at_end(c) ? span_of(p, 1, 12) : R_FORMS;
	if (eat(c, "上半年"))
		return at_end(c) ? span_of(p, 1, 6) : R_FORMS;
	if (eat(c, "下半年"))
		return at_end(c) ? span_of(p, 7, 12) : R_FORMS;
	if ((q = quarter_zh(c)) > 0)
		return span_of(p, 3 * q - 2, 3 * q);
	*c = save;
	if ((m = number(c, 2)) < 0)
		return R_FORMS;
	if (eat(c, "月")) {
		if (at_end(c))
			return finish_date(p, c, m, 0);
		if (!range_dash(c)) {
			if ((d = number(c, 2)) < 0 ||
			    !(eat(c, "日") || eat(c, "号")))
				return R_FORMS;
			return finish_date(p, c, m, d);
		}
	} else if (!range_dash(c)) {
		return R_FORMS;
	}
	if ((m2 = number(c, 2)) < 0 || !eat(c, "月") || !at_end(c))
		return R_FORMS;
	return span_of(p, m, m2);
}

/* "-01-01/P5M", "-01-01/P1Y" after the year: an SDMX time range. */
static const char *rest_range(dts_period_span *p, cursor *c)
{
	int m, len;

	if (!eat(c, "-") || (m = fixed(c, 2)) < 0 || !eat(c, "-01/P") ||
	    (len = number(c, 2)) < 1)
		return R_FORMS;
	if (eat(c, "Y") && len == 1 && m == 1)
		return at_end(c) ? span_of(p, 1, 12) : R_FORMS;
	if (!eat(c, "M") || !at_end(c))
		return R_FORMS;
	if (m < 1 || m + len - 1 > 12)
		return "the range must stay in one year";
	return span_of(p, m, m + len - 1);
}

/* The text after the year: every form but the Chinese ones. */
static const char *rest(dts_period_span *p, cursor *c)
{
	const char *r = c->s + c->i;
	size_t n = c->n - c->i;
	char sep;
	int m, d, q;

	if (n == 0)
		return span_of(p, 1, 12);
	if (n > 7 && r[6] == '/' && r[7] == 'P')
		return rest_range(p, c);
	(void)(eat(c, "-") || eat(c, ".") || eat(c, "/"));
	if (eat_char_caseless(c, 'Q')) {
		if ((q = fixed(c, 1)) < 1 || q > 4 || !at_end(c))
			return R_FORMS;
		return span_of(p, 3 * q - 2, 3 * q);
	}
	if (eat_char_caseless(c, 'H') || eat_char_caseless(c, 'S')) {
		if ((q = fixed(c, 1)) < 1 || q > 2 || !at_end(c))
			return R_FORMS;
		return span_of(p, 6 * q - 5, 6 * q);
	}
	c->i = c->n - n;
	sep = r[0];
	if (is_digit(sep)) {                  /* 202503, 20250314[ time] */
		if ((m = fixed(c, 2)) < 0)
			return R_FORMS;
		if (at_end(c))
			return finish_date(p, c, m, 0);
		if ((d = fixed(c, 2)) < 0)
			return R_FORMS;
		return finish_date(p, c, m, d);
	}
	if (sep != '-' && sep != '/' && sep != '.')
		return R_FORMS;
	c->i++;
	/* 2025-03, 2025-03-14; with '/' one-digit parts too: 2025/1/7. */
	if ((m = sep == '/' ? number(c, 2) : fixed(c, 2)) < 0)
		return R_FORMS;
	if (at_end(c))
		return finish_date(p, c, m, 0);
	if (c->s[c->i] != sep)
		return R_FORMS;
	c->i++;
	if ((d = sep == '/' ? number(c, 2) : fixed(c, 2)) < 0)
		return R_FORMS;
	return finish_date(p, c, m, d);
}


/* Longer text is not a period. */
#define PERIOD_MAX 96

static int parse_any(dts_period_span *out, const char *s, size_t len)
{
	char buf[PERIOD_MAX];
	size_t n = 0;
	dts_period_span p = {0, 0, 0, 0};
	cursor c;
	const char *why;

	if (!out || (!s && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "NULL argument");
	if (len >= sizeof(buf))
		return bad(s, len, R_FORMS);
	if (memchr(s, 0xE3, len) || memchr(s, 0xEF, len)) {
		/* Full-width digits, dashes or U+3000 to fold (field.c). */
		(void)dts_field_normalize(buf, sizeof(buf), &n, DTS_F_PERIOD,
					  s, len);
		s = buf;
	} else {
		/* Nothing to fold: this runs for every record aggregated. */
		while (len && dts__is_space((unsigned char)s[0]))
			s++, len--;
		n = len;
	}
	while (n && dts__is_space((unsigned char)s[n - 1]))
		n--;
	if (n < 4)
		return bad(s, n, R_FORMS);
	p.year = digits(s, 4);
	if (p.year < 1000)
		return bad(s, n, "the year must be four digits");
	c.s = s;
	c.n = n;
	c.i = 4;
	why = eat(&c, "年") ? rest_zh(&p, &c) : rest(&p, &c);
	if (why)
		return bad(s, n, why);
	*out = p;
	return 0;
}

static int fast_iso(dts_period *out, const char *s, size_t n);

int dts__period_parse_span_iso(dts_period_span *out, dts_period *iso,
			       const char *s, size_t len)
{
	dts_period p;

	/* Most records: the span of fast_iso's day or month, which is what
	 * parse_any gives (test_period.c, iso_fast_path_agrees) */
	if (out && s && fast_iso(&p, s, len)) {
		out->year = p.year;
		out->first_month = out->last_month = p.month;
		out->day = p.day;
		if (iso)
			*iso = p;
		return 1;
	}
	return parse_any(out, s, len);
}

int dts_period_parse_span(dts_period_span *out, const char *s, size_t len)
{
	int rc = dts__period_parse_span_iso(out, NULL, s, len);

	return rc < 0 ? rc : 0;
}

/* The level of a span that is a dts_period, else 0. */
static dts_period_level level_of(const dts_period_span *sp)
{
	int f = sp->first_month, l = sp->last_month;

	if (sp->day)
		return f == l ? DTS_PERIOD_DAY : 0;
	if (f == 1 && l == 12)
		return DTS_PERIOD_YEAR;
	if (f == l)
		return DTS_PERIOD_MONTH;
	if (l - f == 2 && (f - 1) % 3 == 0)
		return DTS_PERIOD_QUARTER;
	return 0;
}

static int span_valid(const dts_period_span *sp)
{
	return sp->year >= 1000 && sp->year <= 9999 && sp->first_month >= 1 &&
	       sp->first_month <= sp->last_month && sp->last_month <= 12 &&
	       (sp->day == 0 || (sp->first_month == sp->last_month &&
				 sp->day >= 1 &&
				 sp->day <= days_in_month(sp->year,
							  sp->first_month)));
}

int dts_period_from_span(dts_period *out, const dts_period_span *sp)
{
	dts_period p = {0, 0, 0, 0, DTS_PERIOD_YEAR};
	char key[DTS_PERIOD_SPAN_KEY_SIZE];

	if (!out || !sp)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "NULL argument");
	if (!span_valid(sp))
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "not a period: year %d, months %d to %d, day %d",
				  sp->year, sp->first_month, sp->last_month,
				  sp->day);
	p.year = sp->year;
	switch ((p.level = level_of(sp))) {
	case DTS_PERIOD_DAY:
		p.day = sp->day;
		/* fall through */
	case DTS_PERIOD_MONTH:
		p.month = sp->first_month;
		/* fall through */
	case DTS_PERIOD_QUARTER:
		p.quarter = (sp->first_month - 1) / 3 + 1;
		break;
	case DTS_PERIOD_YEAR:
		break;
	default:
		dts_period_span_key(key, sizeof(key), sp);
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "%s is %s, not a year, quarter, month or day",
				  key, key[5] == 'S' ? "a half year" :
				  "a span of months");
	}
	*out = p;
	return 0;
}

/* The n <= 8 bytes at s as the low bytes of a little-endian word (the
 * first byte lowest), whatever the machine's byte order. */
static inline uint64_t load_le(const char *s, size_t n)
{
	uint64_t x = 0;

	memcpy(&x, s, n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);   /* s[0] lowest, the rest zero */
#endif
	return x;
}

/*
 * The forms of most records, "2025-03-14", "2025-03", "202503" and
 * "20250314" with nothing around them, read directly: 1 when s is one
 * of them and valid, 0 to take the general parser (which also words the
 * errors). The eight digits YYYYMMDD (a month's day taken as "01") are
 * gathered into one word, tested as digits and read two at a time.
 */
static int fast_iso(dts_period *out, const char *s, size_t n)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0u, three = 0x3030303030303030u;
	uint64_t a, x;
	int y, m, d;

	/* each load of a constant size, so that it is one move */
	switch (n) {
	case 8:
		x = load_le(s, 8);
		break;
	case 6:
		x = load_le(s, 4) | load_le(s + 4, 2) << 32 | 0x3130ull << 48;
		break;
	case 10:
	case 7:
		a = n == 10 ? load_le(s, 8) :
		    load_le(s, 4) | load_le(s + 4, 2) << 32 | load_le(s + 6, 1) << 48;
		if ((a >> 32 & 0xFF) != '-' || (n == 10 && a >> 56 != '-'))
			return 0;
		x = (a & 0xFFFFFFFFu) | (a >> 8 & 0xFFFF00000000u) |
		    (n == 10 ? load_le(s + 8, 2) : 0x3130u) << 48;
		break;
	default:
		return 0;
	}
	/* all digits: every high nibble 3, still 3 with 6 added (no byte
	 * carries once the first test holds, each being at most 0x3F) */
	if ((x & hi) != three || ((x + 0x0606060606060606u) & hi) != three)
		return 0;
	x -= three;
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFu;  /* two digits a lane */
	y = (int)(x & 0xFF) * 100 + (int)(x >> 16 & 0xFF);
	m = (int)(x >> 32 & 0xFF);
	d = n == 10 || n == 8 ? (int)(x >> 48) : 0;
	if (y < 1000 || m < 1 || m > 12 ||
	    ((n == 10 || n == 8) && (d < 1 || (d > 28 && d > days_in_month(y, m)))))
		return 0;
	out->year = y;
	out->month = m;
	out->quarter = (m - 1) / 3 + 1;
	out->day = d;
	out->level = d ? DTS_PERIOD_DAY : DTS_PERIOD_MONTH;
	return 1;
}

int dts_period_parse(dts_period *out, const char *s, size_t len)
{
	dts_period_span sp;
	char key[DTS_PERIOD_SPAN_KEY_SIZE];
	int rc;

	if (out && s && fast_iso(out, s, len))
		return 0;
	if ((rc = parse_any(&sp, s, len)) < 0)
		return rc;
	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "NULL argument");
	if (level_of(&sp) == 0) {
		dts_period_span_key(key, sizeof(key), &sp);
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "invalid period \"%.*s\": %s (%s) is not a "
				  "year, quarter, month or day; "
				  "dts_period_parse_span reads it",
				  (int)(len > 64 ? 64 : len), s,
				  key[5] == 'S' ? "a half year" :
				  "a span of months", key);
	}
	return dts_period_from_span(out, &sp);
}

int dts_period_span_key(char *buf, size_t size, const dts_period_span *sp)
{
	char k[DTS_PERIOD_SPAN_KEY_SIZE];
	int n = 0, f, l;

	if (!buf || !sp)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad span key call");
	if (!span_valid(sp))
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "not a period: year %d, months %d to %d, day %d",
				  sp->year, sp->first_month, sp->last_month,
				  sp->day);
	f = sp->first_month;
	l = sp->last_month;
	put_digits(k, &n, sp->year, 4);
	if (sp->day || f == l) {                 /* 2025-03, 2025-03-14 */
		k[n++] = '-';
		put_digits(k, &n, f, 2);
		if (sp->day) {
			k[n++] = '-';
			put_digits(k, &n, sp->day, 2);
		}
	} else if (level_of(sp) == DTS_PERIOD_QUARTER) {
		k[n++] = '-';
		k[n++] = 'Q';
		put_digits(k, &n, (f - 1) / 3 + 1, 1);
	} else if (l - f == 5 && (f == 1 || f == 7)) {
		k[n++] = '-';
		k[n++] = 'S';
		put_digits(k, &n, f == 1 ? 1 : 2, 1);
	} else if (!(f == 1 && l == 12)) {       /* 2025-01-01/P5M */
		k[n++] = '-';
		put_digits(k, &n, f, 2);
		memcpy(k + n, "-01/P", 5);
		n += 5;
		put_digits(k, &n, l - f + 1, l - f + 1 >= 10 ? 2 : 1);
		k[n++] = 'M';
	}
	k[n] = '\0';
	if ((size_t)n >= size)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "buffer too small");
	memcpy(buf, k, (size_t)n + 1);
	return n;
}

int dts_period_key(char *buf, size_t size, const dts_period *p,
		   dts_period_level level)
{
	int n;

	if (!buf || !p || level < DTS_PERIOD_YEAR || level > DTS_PERIOD_DAY)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad period key call");
	if (p->level < level) {
		char own[16];

		/* Name the period as it is: "2025-Q2", not only its year. */
		if (p->level < DTS_PERIOD_YEAR || p->level > DTS_PERIOD_DAY ||
		    dts_period_key(own, sizeof(own), p, p->level) < 0)
			snprintf(own, sizeof(own), "%04d", p->year);
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "period %s is less precise than a %s",
				  own, level == DTS_PERIOD_QUARTER ? "quarter" :
				  level == DTS_PERIOD_MONTH ? "month" : "day");
	}
	/* By hand, not snprintf: this runs for every record aggregated. */
	{
		char k[16];

		n = 0;
		put_digits(k, &n, p->year, 4);
		if (level == DTS_PERIOD_QUARTER) {
			k[n++] = '-';
			k[n++] = 'Q';
			put_digits(k, &n, p->quarter, 1);
		} else if (level >= DTS_PERIOD_MONTH) {
			k[n++] = '-';
			put_digits(k, &n, p->month, 2);
			if (level == DTS_PERIOD_DAY) {
				k[n++] = '-';
				put_digits(k, &n, p->day, 2);
			}
		}
		k[n] = '\0';
		if ((size_t)n < size)
			memcpy(buf, k, (size_t)n + 1);
	}
	if (n < 0 || (size_t)n >= size)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "buffer too small");
	return n;
}

int dts_period_level_parse(const char *name)
{
	static const char *const names[] = {"year", "quarter", "month", "day"};

	for (int i = 0; name && i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i + 1;
	return DTS_ENOTFOUND;
}


/* ---- cells of a period dimension -------------------------------------------- */

int dts_period_grain_parse(const char *name)
{
	static const char *const names[] = {"year", "half", "quarter", "month"};

	for (int i = 0; name && i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i + 1;
	return DTS_ENOTFOUND;
}

/* Months per cell of a grain: 12, 6, 3, 1. */
static int grain_months(dts_period_grain g)
{
	return g == DTS_GRAIN_YEAR ? 12 : g == DTS_GRAIN_HALF ? 6 :
	       g == DTS_GRAIN_QUARTER ? 3 : 1;
}

int dts_period_cell_key(char *buf, size_t size, const dts_period_span *sp,
			dts_period_grain grain)
{
	dts_period_span cell;
	int w, first;

	if (!buf || !sp || grain < DTS_GRAIN_YEAR || grain > DTS_GRAIN_MONTH)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad cell key call");
	if (!span_valid(sp))
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "not a period: year %d, months %d to %d, day %d",
				  sp->year, sp->first_month, sp->last_month,
				  sp->day);
	w = grain_months(grain);
	first = (sp->first_month - 1) / w * w + 1;
	if (sp->last_month > first + w - 1) {
		/* Coarser than a cell: the year's not-allocated cell. */
		char k[8];
		int n = 0;

		put_digits(k, &n, sp->year, 4);
		memcpy(k + n, "-" DTS_PERIOD_NA, sizeof(DTS_PERIOD_NA) + 1);
		n += (int)sizeof(DTS_PERIOD_NA);
		if ((size_t)n >= size)
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "buffer too small");
		memcpy(buf, k, (size_t)n + 1);
		return n;
	}
	cell.year = sp->year;
	cell.first_month = first;
	cell.last_month = first + w - 1;
	cell.day = 0;
	return dts_period_span_key(buf, size, &cell);
}

int dts_period_cell_parse(dts_period_span *out, const char *s, size_t n)
{
	dts_period_span p = {0, 1, 12, 0};
	int g = DTS_GRAIN_YEAR, v;

	if (!out || (!s && n))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "NULL argument");
	if (n < 4 || (p.year = digits(s, 4)) < 1000)
		goto bad;
	if (n == 4)
		goto ok;
	if (n != 7 || s[4] != '-')
		goto bad;
	if (!memcmp(s + 5, DTS_PERIOD_NA, 2)) {
		g = 0;
	} else if ((s[5] == 'S' || s[5] == 'Q') && (v = digits(s + 6, 1)) >= 1 &&
		   v <= (s[5] == 'S' ? 2 : 4)) {
		int w = s[5] == 'S' ? 6 : 3;

		g = w == 6 ? DTS_GRAIN_HALF : DTS_GRAIN_QUARTER;
		p.first_month = (v - 1) * w + 1;
		p.last_month = v * w;
	} else if ((v = digits(s + 5, 2)) >= 1 && v <= 12) {
		g = DTS_GRAIN_MONTH;
		p.first_month = p.last_month = v;
	} else {
		goto bad;
	}
ok:
	*out = p;
	return g;
bad:
	return bad(s, n, "not a cell key of a period dimension (2025, 2025-S1, "
		   "2025-Q1, 2025-03 or 2025-NA)");
}
