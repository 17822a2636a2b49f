/* test_period.c — record periods: accepted forms, keys, rejects. */
#include "check_main.h"
#include <check.h>
#include <string.h>

#include "dts.h"
#include "dts/cube.h"

static dts_period parse_ok(const char *s)
{
	dts_period p;

	ck_assert_msg(dts_period_parse(&p, s, strlen(s)) == 0, "%s", s);
	return p;
}

static void key_is(const char *in, dts_period_level level, const char *want)
{
	dts_period p = parse_ok(in);
	char buf[16];

	ck_assert_int_eq(dts_period_key(buf, sizeof(buf), &p, level),
			 (int)strlen(want));
	ck_assert_str_eq(buf, want);
}

START_TEST(forms)
{
	key_is("2025-03-14", DTS_PERIOD_DAY, "2025-03-14");
	key_is("2025-03-14", DTS_PERIOD_MONTH, "2025-03");
	key_is("2025-03-14", DTS_PERIOD_QUARTER, "2025-Q1");
	key_is("2025-03-14", DTS_PERIOD_YEAR, "2025");
	key_is("20251231", DTS_PERIOD_QUARTER, "2025-Q4");
	key_is("2025-07", DTS_PERIOD_QUARTER, "2025-Q3");
	key_is("202504", DTS_PERIOD_MONTH, "2025-04");
	key_is("2025-Q2", DTS_PERIOD_QUARTER, "2025-Q2");
	key_is("2025q2", DTS_PERIOD_YEAR, "2025");
	key_is(" 2024 ", DTS_PERIOD_YEAR, "2024");
	key_is("2024/02/29", DTS_PERIOD_DAY, "2024-02-29");
	ck_assert_int_eq(parse_ok("2025").level, DTS_PERIOD_YEAR);
	ck_assert_int_eq(parse_ok("2025-Q3").level, DTS_PERIOD_QUARTER);
	ck_assert_int_eq(parse_ok("202503").level, DTS_PERIOD_MONTH);
	ck_assert_int_eq(parse_ok("20250314").level, DTS_PERIOD_DAY);
}
END_TEST

START_TEST(rejects)
{
	static const char *const bad[] = {
		"", "25", "2025-13", "2025-00", "2025-02-29", "2023-04-31",
		"2025-Q5", "2025-Q", "20251", "2025-3", "abcd", "2025-03-1",
		"2025-03/14", "0999", "2025Q12", "2025-03-14T00",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		dts_period p;

		ck_assert_msg(dts_period_parse(&p, bad[i], strlen(bad[i])) ==
			      DTS_EINPUT, "accepted \"%s\"", bad[i]);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
					     "invalid period"));
	}
}
END_TEST

START_TEST(coarser_input)
{
	dts_period p = parse_ok("2025");
	char buf[16];

	ck_assert_int_eq(dts_period_key(buf, sizeof(buf), &p, DTS_PERIOD_MONTH),
			 DTS_EINPUT);
	p = parse_ok("2025-Q1");
	ck_assert_int_eq(dts_period_key(buf, sizeof(buf), &p, DTS_PERIOD_MONTH),
			 DTS_EINPUT);
	ck_assert_int_eq(dts_period_key(buf, 4, &p, DTS_PERIOD_YEAR), DTS_EINVAL);
	ck_assert_int_eq(dts_period_level_parse("quarter"), DTS_PERIOD_QUARTER);
	ck_assert_int_eq(dts_period_level_parse("week"), DTS_ENOTFOUND);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("period");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, forms);
	tcase_add_test(tc, rejects);
	tcase_add_test(tc, coarser_input);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
