/*
 * test_report.c — the exact percentage and the annex report: definitions
 * (errors name file:line), sums, shares, growth, targets and the boundary
 * table, every figure exact.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "dts/cube.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

static dts_amount amt(i128 v)
{
	dts_amount a;

	a.lo = (uint64_t)(u128)v;
	a.hi = (int64_t)(v >> 64);
	return a;
}

/* 100 * n / d at `dec` decimals, as text. */
static const char *pct(i128 n, i128 d, int dec)
{
	static char buf[64];
	dts_amount a = amt(n), b = amt(d);

	if (dts_amount_percent(buf, sizeof(buf), &a, &b, dec) < 0)
		return "ERR";
	return buf;
}

START_TEST(percent_rounds_half_away_from_zero)
{
	ck_assert_str_eq(pct(1, 8, 2), "12.50");
	ck_assert_str_eq(pct(1, 8, 1), "12.5");
	ck_assert_str_eq(pct(1, 8, 0), "13");      /* 12.5 -> 13 */
	ck_assert_str_eq(pct(1, 3, 2), "33.33");
	ck_assert_str_eq(pct(2, 3, 2), "66.67");
	/* exactly half at the last digit: 1/16 = 6.25 % */
	ck_assert_str_eq(pct(1, 16, 1), "6.3");
	ck_assert_str_eq(pct(-1, 16, 1), "-6.3");
	ck_assert_str_eq(pct(1, -16, 1), "-6.3");
	ck_assert_str_eq(pct(-1, -16, 1), "6.3");
	/* just under half stays down, whatever double would say */
	ck_assert_str_eq(pct(100049999, 100000000, 1), "100.0");
	ck_assert_str_eq(pct(100050000, 100000000, 1), "100.1");
	/* 2001/2000 = 100.05 %: a double computes 100.0499999... */
	ck_assert_str_eq(pct(2001, 2000, 1), "100.1");
	/* 1.005 * 100 = 100.5 exactly, a double 100.49999... */
	ck_assert_str_eq(pct(1005, 1000, 0), "101");
	/* negative values and no negative zero */
	ck_assert_str_eq(pct(-1, 8, 2), "-12.50");
	ck_assert_str_eq(pct(-1, 30000, 2), "0.00");
	ck_assert_str_eq(pct(-1, 2000, 2), "-0.05");
	ck_assert_str_eq(pct(-1, 3000, 2), "-0.03");
	ck_assert_str_eq(pct(0, 7, 2), "0.00");
	ck_assert_str_eq(pct(-5, 1, 0), "-500");
	ck_assert_str_eq(pct(7, 7, 2), "100.00");
	/* 14 decimals: the rest beyond them still rounds once */
	ck_assert_str_eq(pct(2, 3, 14), "66.66666666666667");
	ck_assert_str_eq(pct(1, 3, 14), "33.33333333333333");
	ck_assert_str_eq(pct(1, 3, 13), "33.3333333333333");
}
END_TEST

START_TEST(percent_of_large_amounts_is_exact)
{
	const i128 big = ((i128)1 << 126) + 12345;   /* about 8.5e37 */
	const i128 max = (i128)(((u128)1 << 127) - 1);
	char buf[64];
	dts_amount a, b;

	/* no intermediate 100 * n or 10 * r overflows */
	ck_assert_str_eq(pct(big, big, 2), "100.00");
	ck_assert_str_eq(pct(big / 2, big, 2), "50.00");
	ck_assert_str_eq(pct(big - 1, big, 14), "100.00000000000000");
	ck_assert_str_eq(pct(-big, big / 4, 3), "-400.000");
	/* the largest amount, (1 << 127) - 1, over itself less one */
	ck_assert_str_eq(pct(max - 1, max, 2), "100.00");
	ck_assert_str_eq(pct(-max, max, 2), "-100.00");
	/* a percentage beyond the amount range */
	a = amt(big);
	b = amt(1);
	ck_assert_int_eq(dts_amount_percent(buf, sizeof(buf), &a, &b, 2),
			 DTS_EOVERFLOW);
	/* a ratio of 10^20 is fine: 10^22 percent */
	ck_assert_str_eq(pct((i128)10000000000 * 10000000000, 1, 0),
			 "10000000000000000000000");
}
END_TEST

START_TEST(percent_errors)
{
	char buf[64] = "untouched";
	dts_amount a = amt(1), z = amt(0);

	ck_assert_int_eq(dts_amount_percent(buf, sizeof(buf), &a, &z, 2),
			 DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message, "percent of zero");
	ck_assert_str_eq(buf, "untouched");
	ck_assert_int_eq(dts_amount_percent(buf, sizeof(buf), &a, &a, 15),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_amount_percent(buf, sizeof(buf), &a, &a, -1),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_amount_percent(buf, 4, &a, &a, 2), DTS_EINVAL);
	ck_assert_int_eq(dts_amount_percent(buf, 8, &a, &a, 2), 6);
	ck_assert_str_eq(buf, "100.00");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, percent_rounds_half_away_from_zero);
	tcase_add_test(tc, percent_of_large_amounts_is_exact);
	tcase_add_test(tc, percent_errors);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
