/*
 * fuzz_values.c — libFuzzer target for the values bureau files write:
 * amounts with currency marks and units (dts_money_parse_currency,
 * dts_money_parse_scaled), periods and spans (dts_period_parse,
 * dts_period_parse_span) and units (dts_unit_find). The first byte picks
 * the parser (and the power of ten). Invariants, not only "no crash":
 *   - whatever dts_money_parse accepts, dts_money_parse_currency accepts
 *     with the same value and no currency (the differential);
 *   - an accepted amount formats and parses back to itself;
 *   - parsing at 10^k is parsing at 10^0 and scaling, when both succeed;
 *   - every dts_period is a span with the same key; every span's key
 *     reads back as the same span.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void amount(const char *s, size_t n, int exp)
{
	dts_money a, b, c;
	char cur[DTS_CURRENCY_SIZE], buf[32];
	int rc_plain = dts_money_parse(&a, s, n);
	int rc_cur = dts_money_parse_currency(&b, cur, s, n);

	if (rc_plain == 0 && (rc_cur != 0 || a != b || cur[0]))
		abort(); /* the differential */
	if (rc_cur == 0) {
		int len = dts_money_format(buf, sizeof(buf), b, 4);

		if (len <= 0 || dts_money_parse(&c, buf, (size_t)len) != 0 ||
		    c != b)
			abort();
		if (dts_money_parse_scaled(&c, cur, s, n, exp) == 0 &&
		    dts_money_scale(&a, b, exp) == 0 && a != c)
			abort();
	}
}

static void period(const char *s, size_t n)
{
	dts_period p, q;
	dts_period_span sp, back;
	char k1[DTS_PERIOD_SPAN_KEY_SIZE], k2[16];
	int rc_span = dts_period_parse_span(&sp, s, n);
	int len;

	if (dts_period_parse(&p, s, n) == 0) {
		if (rc_span != 0 || dts_period_from_span(&q, &sp) != 0 ||
		    memcmp(&p, &q, sizeof(p)) ||
		    dts_period_key(k2, sizeof(k2), &p, p.level) < 0 ||
		    dts_period_span_key(k1, sizeof(k1), &sp) < 0 ||
		    strcmp(k1, k2))
			abort();
	}
	if (rc_span == 0) {
		if ((len = dts_period_span_key(k1, sizeof(k1), &sp)) < 0 ||
		    dts_period_parse_span(&back, k1, (size_t)len) != 0 ||
		    memcmp(&back, &sp, sizeof(sp)))
			abort();
	}
}

static void unit(const char *s, size_t n)
{
	dts_unit u;
	size_t name = 0;

	if (dts_unit_find(&u, &name, s, n) == 0 &&
	    (name > n || u.exp < 0 || u.exp > 12 || strlen(u.currency) > 3))
		abort();
	if (dts_unit_parse(&u, s, n) == 0 && (u.exp < 0 || u.exp > 12))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;

	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		amount(s, n, (data[0] / 3) % (DTS_MONEY_EXP_MAX + 1));
		break;
	case 1:
		period(s, n);
		break;
	default:
		unit(s, n);
		break;
	}
	dts_error_clear();
	return 0;
}
