/*
 * money.c — exact amounts as int64 counts of 1/10,000 unit.
 *
 * No floating point anywhere: a decimal string is read digit by digit
 * into an unsigned magnitude with explicit range checks, so "0.1" is
 * exactly 1000 and sums of a year of records do not drift.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Inputs are quoted in messages up to this many bytes. */
#define QUOTE_MAX 64

/* Up to this length the folded text lives on the stack. */
#define STACK_MAX 128

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int not_number(const char *s, size_t n)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "not a number: '%.*s'",
			  (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s);
}

/*
 * Integer part "1234" or "1,234,567": with separators, the first group
 * has 1-3 digits and every later group exactly 3. Returns the bytes
 * consumed, or 0 when the grouping is wrong (the caller reports it).
 * *ndigits counts the digits seen.
 */
static size_t scan_int(const char *s, size_t n, size_t *ndigits,
		       int *bad_group)
{
	size_t i = 0, group = 0, digits = 0;
	int grouped = 0;

	*bad_group = 0;
	for (; i < n; i++) {
		if (is_digit((unsigned char)s[i])) {
			group++;
			digits++;
			continue;
		}
		if (s[i] != ',')
			break;
		if (group == 0 || (grouped ? group != 3 : group > 3)) {
			*bad_group = 1;
			return i;
		}
		grouped = 1;
		group = 0;
	}
	if (grouped && group != 3)
		*bad_group = 1;
	*ndigits = digits;
	return i;
}

/*
 * Magnitude of "int[.frac]" in 1/10,000 units into *mag, at most `limit`.
 * s holds only digits, ',' and one '.', already checked. Returns 0,
 * DTS_EINPUT for a nonzero fifth decimal, DTS_EOVERFLOW beyond limit.
 */
static int accumulate(uint64_t *mag, const char *s, size_t n, uint64_t limit)
{
	uint64_t m = 0;
	size_t i = 0;
	int decimals = -1, d;

	for (; i < n; i++) {
		if (s[i] == ',')
			continue;
		if (s[i] == '.') {
			decimals = 0;
			continue;
		}
		d = s[i] - '0';
		if (decimals >= DTS_MONEY_DECIMALS) {
			if (d != 0)
				return DTS_EINPUT;
			continue; /* trailing zeros lose nothing */
		}
		if (decimals >= 0)
			decimals++;
		if (m > (limit - (uint64_t)d) / 10)
			return DTS_EOVERFLOW;
		m = m * 10 + (uint64_t)d;
	}
	for (d = decimals < 0 ? 0 : decimals; d < DTS_MONEY_DECIMALS; d++) {
		if (m > limit / 10)
			return DTS_EOVERFLOW;
		m *= 10;
	}
	*mag = m;
	return 0;
}

/* Parse n folded, trimmed bytes. */
static int parse_folded(dts_money *out, const char *s, size_t n)
{
	size_t i = 0, j, intdigits = 0, fracdigits = 0;
	int neg = 0, bad_group, rc;
	uint64_t mag, limit;

	if (n == 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0, "empty amount");
	if (s[0] == '+' || s[0] == '-')
		neg = s[i++] == '-';
	j = i + scan_int(s + i, n - i, &intdigits, &bad_group);
	if (bad_group)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "misplaced thousands separator: '%.*s'",
				  (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s);
	if (j < n && s[j] == '.')
		for (j++; j < n && is_digit((unsigned char)s[j]); j++)
			fracdigits++;
	if (j != n || intdigits + fracdigits == 0)
		return not_number(s, n);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	rc = accumulate(&mag, s + i, n - i, limit);
	if (rc == DTS_EINPUT)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "more than %d decimal places: '%.*s'",
				  DTS_MONEY_DECIMALS,
				  (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s);
	if (rc == DTS_EOVERFLOW)
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount out of range: '%.*s'",
				  (int)(n < QUOTE_MAX ? n : QUOTE_MAX), s);
	/* -(2^63) is representable; negate in unsigned to avoid UB. */
	*out = neg ? (dts_money)(0 - mag) : (dts_money)mag;
	return 0;
}

int dts_money_parse(dts_money *out, const char *s, size_t len)
{
	char stack[STACK_MAX], *buf = stack;
	size_t n;
	int rc;

	if (!out || (!s && len > 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_parse: NULL argument");
	/* The one folding routine (field.c) turns '１２．５' into "12.5". */
	if (len >= sizeof(stack) && !(buf = malloc(len + 1)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	rc = dts_field_normalize(buf, len + 1, &n, DTS_F_VALUE, s, len);
	if (rc == 0)
		rc = parse_folded(out, buf, n);
	if (buf != stack)
		free(buf);
	return rc;
}

int dts_money_add(dts_money *acc, dts_money v)
{
	dts_money sum;

	if (!acc)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "money_add: NULL");
	if (__builtin_add_overflow(*acc, v, &sum))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount out of range: sum overflows");
	*acc = sum;
	return 0;
}

static const uint64_t pow10_tab[] = {1, 10, 100, 1000, 10000};

int dts_money_format(char *buf, size_t size, dts_money v, int decimals)
{
	uint64_t mag, div, q, r, unit;
	int n;

	if (!buf || decimals < 0 || decimals > DTS_MONEY_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_format: bad buffer or decimals %d",
				  decimals);
	/* Magnitude in unsigned arithmetic, so INT64_MIN has one too. */
	mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	div = pow10_tab[DTS_MONEY_DECIMALS - decimals];
	q = mag / div;
	r = mag % div;
	if (r >= div - r)
		q++; /* half away from zero: ties go up in magnitude */
	unit = pow10_tab[decimals];
	if (decimals == 0)
		n = snprintf(buf, size, "%s%llu", v < 0 && q ? "-" : "",
			     (unsigned long long)q);
	else
		n = snprintf(buf, size, "%s%llu.%0*llu", v < 0 && q ? "-" : "",
			     (unsigned long long)(q / unit), decimals,
			     (unsigned long long)(q % unit));
	if (n < 0 || (size_t)n >= size)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "money_format: buffer of %zu bytes too small",
				  size);
	return n;
}

/* API published first; implementations follow. */
int dts_money_parse_currency(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			     const char *s, size_t len)
{
	(void)out; (void)currency; (void)s; (void)len;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}

int dts_money_parse_scaled(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			   const char *s, size_t len, int exp)
{
	(void)out; (void)currency; (void)s; (void)len; (void)exp;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}

int dts_money_scale(dts_money *out, dts_money v, int exp)
{
	(void)out; (void)v; (void)exp;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}

int dts_money_currency_resolve(char out[DTS_CURRENCY_SIZE], const char *stated,
			       const char *field, size_t field_len)
{
	(void)out; (void)stated; (void)field; (void)field_len;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}
