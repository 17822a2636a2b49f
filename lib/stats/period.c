/* period.c — record periods (dates, months, quarters, years) and their keys. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "dts/cube.h"

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

static int is_sep(char c)
{
	return c == '-' || c == '/' || c == '.';
}

/* Split the text after the year into month/day or quarter. */
static int parse_rest(dts_period *p, const char *r, size_t n)
{
	if (n == 0) {
		p->level = DTS_PERIOD_YEAR;
		return 0;
	}
	if (is_sep(r[0]) && n >= 2 && (r[1] == 'Q' || r[1] == 'q')) {
		r++;
		n--;
	}
	if (r[0] == 'Q' || r[0] == 'q') {
		if (n != 2 || r[1] < '1' || r[1] > '4')
			return -1;
		p->quarter = r[1] - '0';
		p->level = DTS_PERIOD_QUARTER;
		return 0;
	}
	if (n == 2 || n == 4) {            /* 202503, 20250314 */
		p->month = digits(r, 2);
		p->day = n == 4 ? digits(r + 2, 2) : 0;
	} else if (n == 3 && is_sep(r[0])) { /* 2025-03 */
		p->month = digits(r + 1, 2);
	} else if (n == 6 && is_sep(r[0]) && r[3] == r[0]) { /* 2025-03-14 */
		p->month = digits(r + 1, 2);
		p->day = digits(r + 4, 2);
	} else {
		return -1;
	}
	if (p->month < 1 || p->month > 12 || p->day < 0)
		return -1;
	p->quarter = (p->month - 1) / 3 + 1;
	p->level = n == 4 || n == 6 ? DTS_PERIOD_DAY : DTS_PERIOD_MONTH;
	if (p->level == DTS_PERIOD_DAY &&
	    (p->day < 1 || p->day > days_in_month(p->year, p->month)))
		return -1;
	return 0;
}

int dts_period_parse(dts_period *out, const char *s, size_t len)
{
	dts_period p = {0, 0, 0, 0, DTS_PERIOD_YEAR};

	if (!out || (!s && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "NULL argument");
	while (len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r'))
		len--;
	if (len < 4)
		return bad(s, len, "expected YYYY, YYYY-MM, YYYYMM, YYYY-MM-DD, "
			   "YYYYMMDD or YYYY-Qn");
	p.year = digits(s, 4);
	if (p.year < 1000)
		return bad(s, len, "the year must be four digits");
	if (parse_rest(&p, s + 4, len - 4) < 0)
		return bad(s, len, "expected YYYY, YYYY-MM, YYYYMM, YYYY-MM-DD, "
			   "YYYYMMDD or YYYY-Qn with a valid month, day or "
			   "quarter");
	*out = p;
	return 0;
}

/* Append v in exactly `width` decimal digits (years are 1000..9999). */
static void put_digits(char *k, int *n, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		k[*n + i] = (char)('0' + v % 10);
	*n += width;
}

int dts_period_key(char *buf, size_t size, const dts_period *p,
		   dts_period_level level)
{
	int n;

	if (!buf || !p || level < DTS_PERIOD_YEAR || level > DTS_PERIOD_DAY)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad period key call");
	if (p->level < level)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "period %04d is less precise than a %s",
				  p->year, level == DTS_PERIOD_QUARTER ? "quarter" :
				  level == DTS_PERIOD_MONTH ? "month" : "day");
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

/* API published first; implementations follow. */
int dts_period_parse_span(dts_period_span *out, const char *s, size_t len)
{
	(void)out; (void)s; (void)len;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}

int dts_period_span_key(char *buf, size_t size, const dts_period_span *span)
{
	(void)buf; (void)size; (void)span;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}

int dts_period_from_span(dts_period *out, const dts_period_span *span)
{
	(void)out; (void)span;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}
