/*
 * rec_util.c — tolerance and money formatting for dts-reconcile. Money is
 * fixed point (dts/money.h); a percentage tolerance is compared with a
 * 128-bit product, never through double, so "exactly at the tolerance" is
 * exact.
 */
#include <stdlib.h>
#include <string.h>

#include "dts/cube.h"
#include "reconcile.h"

__extension__ typedef unsigned __int128 u128;

int rec_tol_parse(rec_tol *out, const char *s)
{
	size_t n = strlen(s);

	out->percent = n > 0 && s[n - 1] == '%';
	if (out->percent)
		n--;
	if (dts_money_parse(&out->amount, s, n) < 0 || out->amount < 0)
		return -1;
	return 0;
}

static uint64_t mag(dts_money v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

int rec_tol_within(const rec_tol *t, dts_money left, dts_money right)
{
	/* |right - left| in unsigned arithmetic: cannot overflow. */
	uint64_t d = right >= left ? (uint64_t)right - (uint64_t)left :
		     (uint64_t)left - (uint64_t)right;

	if (!t->percent)
		return d <= (uint64_t)t->amount;
	/* d / |left| <= pct / 100  <=>  d * 100 * SCALE <= amount * |left| */
	return (u128)d * 100u * DTS_MONEY_SCALE <=
	       (u128)(uint64_t)t->amount * mag(left);
}

void rec_amount_str(char *buf, size_t n, const dts_amount *v)
{
	int len = dts_amount_format(buf, n, v, 0, 4);

	/* 12.5000 -> 12.50, 12.3450 -> 12.345: keep what the input could say. */
	while (len > 0 && buf[len - 1] == '0' && len >= 3 &&
	       buf[len - 3] != '.') {
		buf[--len] = '\0';
	}
}

void rec_money_str(char *buf, size_t n, dts_money v)
{
	dts_amount a = DTS_AMOUNT_ZERO;

	dts_amount_add_money(&a, v, DTS_RATE_ONE);   /* cannot overflow */
	rec_amount_str(buf, n, &a);
}

void rec_key_reset(rec_key *k)
{
	k->len = 0;
	k->nparts = 0;
	if (k->p)
		k->p[0] = '\0';
}

int rec_key_part(rec_key *k, const char *s, size_t len)
{
	size_t need = k->len + 2 * len + 2;   /* worst case: all escaped */

	if (need > k->cap) {
		char *p = realloc(k->p, need * 2);

		if (!p)
			return -1;
		k->p = p;
		k->cap = need * 2;
	}
	if (k->nparts++)
		k->p[k->len++] = '|';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '|' || s[i] == '\\')
			k->p[k->len++] = '\\';
		k->p[k->len++] = s[i];
	}
	k->p[k->len] = '\0';
	return 0;
}

void rec_key_free(rec_key *k)
{
	free(k->p);
	memset(k, 0, sizeof(*k));
}
