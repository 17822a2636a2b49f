/*
 * percent.c — the one exact percentage of libdts (dts_amount_percent):
 * shares, growth rates, attainment and reconciliation gaps.
 *
 * 100 * num / den is found by long division on 128-bit magnitudes, never
 * through double, and rounded once. The truncated form (dts__amount_percent)
 * tells callers which way the cut-off rest lies, so a comparison with a
 * goal ("> 60") is decided exactly too.
 */
#include "internal.h"

typedef dts__i128 i128;
typedef dts__u128 u128;

/*
 * 100 * |num| / |den| in units of 10^-DTS_AMOUNT_DECIMALS, truncated, by
 * long division so no intermediate product can overflow: the integer
 * quotient, then one decimal digit at a time. A digit is 10r / den with
 * r < den <= 2^127; 10r may not fit 128 bits, so it is built as ten
 * additions of r modulo den. *rest classifies what was cut off: 0 none,
 * 1 under half a unit, 2 exactly half, 3 over half.
 */
static int percent_core(u128 *out, int *rest, u128 n, u128 d)
{
	const u128 max = ((u128)1 << 127) - 1;
	u128 q = n / d, r = n % d;

	for (int k = 0; k < DTS_AMOUNT_DECIMALS + 2; k++) {
		u128 acc = 0;
		unsigned digit = 0;

		for (int i = 0; i < 10; i++) {
			if (acc >= d - r) {
				acc -= d - r;
				digit++;
			} else {
				acc += r;
			}
		}
		if (q > (max - digit) / 10)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "percent out of range");
		q = q * 10 + digit;
		r = acc;
	}
	*out = q;
	*rest = r == 0 ? 0 : r < d - r ? 1 : r == d - r ? 2 : 3;
	return 0;
}

static int percent_split(u128 *mag, int *rest, int *neg,
			 const dts_amount *num, const dts_amount *den)
{
	i128 n = dts__amount_get(num), d = dts__amount_get(den);

	if (d == 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "percent of zero");
	*neg = (n < 0) != (d < 0);
	return percent_core(mag, rest, n < 0 ? (u128)0 - (u128)n : (u128)n,
			    d < 0 ? (u128)0 - (u128)d : (u128)d);
}

int dts__amount_percent(dts_amount *out, int *inexact, const dts_amount *num,
			const dts_amount *den)
{
	u128 mag;
	int rest, neg, error = percent_split(&mag, &rest, &neg, num, den);

	if (error < 0)
		return error;
	dts__amount_set(out, neg ? -(i128)mag : (i128)mag);
	*inexact = rest != 0;
	return 0;
}

int dts_amount_percent(char *buf, size_t size, const dts_amount *num,
		       const dts_amount *den, int decimals)
{
	dts_amount a;
	u128 mag;
	int rest, neg, error;

	if (!buf || !num || !den || decimals < 0 ||
	    decimals > DTS_AMOUNT_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad percent arguments");
	if ((error = percent_split(&mag, &rest, &neg, num, den)) < 0)
		return error;
	/* Below 14 decimals the truncated magnitude rounds like the exact
	   quotient: every half-way point is a multiple of 10^-14, so none
	   lies strictly inside what was cut off. At 14 the rest decides. */
	if (decimals == DTS_AMOUNT_DECIMALS && rest >= 2)
		mag++;
	dts__amount_set(&a, neg ? -(i128)mag : (i128)mag);
	return dts_amount_format(buf, size, &a, 0, decimals);
}
