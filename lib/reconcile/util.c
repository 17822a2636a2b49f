/*
 * util.c — tolerance, formatting and names of reconciliation. Money is fixed point (dts/money.h); a percentage
 * tolerance is compared with a 128-bit product, never through double, so
 * "exactly at the tolerance" is exact.
 */
#include <stdlib.h>
#include <string.h>

#include "recon_int.h"

__extension__ typedef unsigned __int128 u128;

int dts_recon_tolerance_parse(dts_recon_tolerance *out, const char *s,
			      size_t len)
{
	dts_recon_tolerance t = {0, 0};

	if (!out || !s)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "tolerance: NULL argument");
	t.percent = len > 0 && s[len - 1] == '%';
	if (t.percent)
		len--;
	if (dts_money_parse(&t.amount, s, len) < 0 || t.amount < 0)
		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "tolerance: \"%.*s\" is not 0.50 or 5%%",
				  (int)(len + (size_t)t.percent), s);
	*out = t;
	return 0;
}

static uint64_t mag(dts_money v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

int dts_recon_tolerance_within(const dts_recon_tolerance *t, dts_money left,
			       dts_money right)
{
	/* |right - left| in unsigned arithmetic: cannot overflow. */
	uint64_t d = right >= left ? (uint64_t)right - (uint64_t)left :
		     (uint64_t)left - (uint64_t)right;

	if (!t)
		return d == 0;
	if (!t->percent)
		return d <= (uint64_t)t->amount;
	/* d / |left| <= pct / 100  <=>  d * 100 * SCALE <= amount * |left| */
	return (u128)d * 100u * DTS_MONEY_SCALE <=
	       (u128)(uint64_t)t->amount * mag(left);
}

int dts_recon_amount_format(char *buf, size_t n, const dts_amount *v)
{
	int len;

	if (!buf || !n)
		return DTS_EINVAL;
	if ((len = dts_amount_format(buf, n, v, 0, 4)) < 0)
		return len;
	/* 12.5000 -> 12.50, 12.3450 -> 12.345: keep what the input could say. */
	while (len > 0 && buf[len - 1] == '0' && len >= 3 &&
	       buf[len - 3] != '.')
		buf[--len] = '\0';
	return len;
}

int dts_recon_money_format(char *buf, size_t n, dts_money v)
{
	dts_amount a = DTS_AMOUNT_ZERO;

	dts_amount_add_money(&a, v, DTS_RATE_ONE);   /* cannot overflow */
	return dts_recon_amount_format(buf, n, &a);
}

static const char *const bucket_names[DTS_RECON_NBUCKETS] = {
	"matched", "category_diff", "value_diff", "period_diff", "flow_diff",
	"duplicate", "left_only", "right_only", "rejected"};

const char *dts_recon_bucket_name(int b)
{
	return b >= 0 && b < DTS_RECON_NBUCKETS ? bucket_names[b] : NULL;
}

unsigned dts_recon_bucket_compare(int b)
{
	static const unsigned need[DTS_RECON_NPAIR] = {0, DTS_RECON_CMP_CATEGORY,
		DTS_RECON_CMP_VALUE, DTS_RECON_CMP_PERIOD, DTS_RECON_CMP_FLOW};

	return b >= 0 && b < DTS_RECON_NPAIR ? need[b] : 0;
}

int dts_recon_compare_parse(unsigned *out, const char *s)
{
	static const char *const names[] = {"value", "category", "period", "flow"};
	unsigned bits = 0;

	if (!out || !s)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "compare: NULL argument");
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < 4; i++)
			if (strlen(names[i]) == n && !strncmp(p, names[i], n))
				break;
		if (i == 4)
			return dts__error(DTS_EINPUT, NULL, 0, 0, "unknown \"%.*s\" "
					  "(value, category, period, flow)", (int)n, p);
		bits |= 1u << i;
		p += n + (p[n] == ',');
	}
	*out = bits;
	return 0;
}
