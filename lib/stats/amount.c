/*
 * amount.c — exact amounts in the reporting currency (dts/amount.h): a
 * money value times a rate as a signed 128-bit count of 10^-14 units,
 * summed, compared, parsed and formatted without rounding until the one
 * rounding of dts_amount_format(). The cube (cube.c) keeps its cells in
 * the same representation (internal.h: dts__amount_get/_set).
 */
#include <stdio.h>

#include "internal.h"

typedef dts__i128 i128;
typedef dts__u128 u128;

void dts_amount_convert(dts_amount *out, dts_money value, dts_rate rate)
{
	dts__amount_set(out, (i128)value * rate);
}

int dts_amount_add(dts_amount *acc, const dts_amount *v)
{
	i128 a = dts__amount_get(acc);
	int error = dts__add128(&a, dts__amount_get(v));

	if (error == 0)
		dts__amount_set(acc, a);
	return error;
}

int dts_amount_add_money(dts_amount *acc, dts_money value, dts_rate rate)
{
	i128 a = dts__amount_get(acc);
	int error = dts__add128(&a, (i128)value * rate);

	if (error == 0)
		dts__amount_set(acc, a);
	return error;
}

int dts_amount_sub(dts_amount *acc, const dts_amount *v)
{
	i128 r;

	if (__builtin_sub_overflow(dts__amount_get(acc), dts__amount_get(v), &r))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "amount difference overflows 128 bits");
	dts__amount_set(acc, r);
	return 0;
}

int dts_amount_cmp(const dts_amount *a, const dts_amount *b)
{
	i128 x = dts__amount_get(a), y = dts__amount_get(b);

	return x < y ? -1 : x > y;
}

static u128 pow10u(int n)
{
	u128 p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* Digits of v into tmp (reversed), returns count. */
static int u128_digits(char *tmp, u128 v)
{
	int n = 0;

	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	return n;
}

int dts_amount_format(char *buf, size_t size, const dts_amount *a,
		      int unit_exp, int decimals)
{
	char tmp[48];
	i128 v = dts__amount_get(a);
	int neg = v < 0, drop, n, len = 0;
	u128 mag = neg ? (u128)0 - (u128)v : (u128)v, div, q, r;

	if (!buf || unit_exp < 0 || unit_exp > 12 || decimals < 0 ||
	    decimals > DTS_AMOUNT_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad format arguments");
	drop = DTS_AMOUNT_DECIMALS + unit_exp - decimals;
	div = pow10u(drop);
	q = mag / div;
	r = mag % div;
	if (div > 1 && r >= div - r)  /* half away from zero */
		q++;
	n = u128_digits(tmp, q);
	while (n <= decimals)
		tmp[n++] = '0';
	if ((size_t)n + 3 > size)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "buffer too small");
	if (neg && q != 0)
		buf[len++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		buf[len++] = tmp[i];
		if (i == decimals && decimals > 0)
			buf[len++] = '.';
	}
	buf[len] = '\0';
	return len;
}

int dts_amount_parse(dts_amount *out, const char *s, size_t len)
{
	const u128 max = ((u128)1 << 127) - 1;
	u128 v = 0;
	size_t i = 0;
	int neg = 0, frac = -1, nd = 0;

	if (len && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	for (; i < len; i++) {
		if (s[i] == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || frac >= DTS_AMOUNT_DECIMALS)
			goto bad;
		if (v > (max - 9) / 10)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "amount \"%.*s\" out of range",
					  (int)len, s);
		v = v * 10 + (u128)(s[i] - '0');
		nd++;
		if (frac >= 0)
			frac++;
	}
	if (nd == 0)
		goto bad;
	for (frac = frac < 0 ? 0 : frac; frac < DTS_AMOUNT_DECIMALS; frac++) {
		if (v > max / 10)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "amount \"%.*s\" out of range",
					  (int)len, s);
		v *= 10;
	}
	dts__amount_set(out, neg ? -(i128)v : (i128)v);
	return 0;
bad:
	return dts__error(DTS_EINPUT, NULL, 0, 0, "malformed amount \"%.*s\"",
			  (int)(len > 64 ? 64 : len), s);
}

double dts_amount_to_double(const dts_amount *a)
{
	return (double)dts__amount_get(a) / 1e14;
}
