/* test_unit.c — units of amounts: names, headers, unit rows, and applying them exactly. */
#include "check_main.h"
#include <check.h>
#include <string.h>

#include "dts.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(names)
{
	static const struct {
		const char *in;
		int exp;
		const char *cur;
	} c[] = {
		{"元", 0, "CNY"},             {"万元", 4, "CNY"},
		{"亿元", 8, "CNY"},           {"千元", 3, "CNY"},
		{"百万元", 6, "CNY"},         {"十万元", 5, "CNY"},
		{"千万元", 7, "CNY"},         {"万亿元", 12, "CNY"},
		{"美元", 0, "USD"},           {"千美元", 3, "USD"},
		{"万美元", 4, "USD"},         {"亿美元", 8, "USD"},
		{"百万美元", 6, "USD"},       {"万港元", 4, "HKD"},
		{"万欧元", 4, "EUR"},         {"千英镑", 3, "GBP"},
		{"万日元", 4, "JPY"},         {"人民币", 0, "CNY"},
		{"人民币元", 0, "CNY"},       {"人民币万元", 4, "CNY"},
		{"万元人民币", 4, "CNY"},     {"万", 4, ""},
		{"千", 3, ""},                {" 万元 ", 4, "CNY"},
		{"USD thousand", 3, "USD"},   {"thousand US dollars", 3, "USD"},
		{"Thousands of US Dollars", 3, "USD"},
		{"USD '000", 3, "USD"},       {"USD'000", 3, "USD"},
		{"US$ '000", 3, "USD"},       {"USD million", 6, "USD"},
		{"USD mn", 6, "USD"},         {"CNY bn", 9, "CNY"},
		{"million yuan", 6, "CNY"},   {"RMB million", 6, "CNY"},
		{"hundred million yuan", 8, "CNY"},
		{"ten thousand CNY", 4, "CNY"},
		{"in thousands of euros", 3, "EUR"},
		{"thousand", 3, ""},          {"USD", 0, "USD"},
		{"CNY", 0, "CNY"},            {"RMB", 0, "CNY"},
		{"ＵＳＤ ｔｈｏｕｓａｎｄ", 3, "USD"},
		{"US$ 1,000", 3, "USD"},      {"USD 1000000", 6, "USD"},
	};

	for (size_t i = 0; i < N_ELEMS(c); i++) {
		dts_unit u;

		ck_assert_msg(dts_unit_parse(&u, c[i].in, strlen(c[i].in)) == 0,
			      "'%s': %s", c[i].in, dts_error_last()->message);
		ck_assert_msg(u.exp == c[i].exp, "'%s': 10^%d", c[i].in, u.exp);
		ck_assert_str_eq(u.currency, c[i].cur);
	}
}
END_TEST

START_TEST(bad_names)
{
	static const char *const bad[] = {
		"", "  ", "千克", "吨", "kg", "KGM", "ABC", "usd", "US", "US euros",
		"USD EUR", "人民币美元", "万万元", "元元", "thousand thousand thousand thousand thousand",
		"dollars yuan", "10k CNY", "%",
	};

	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		dts_unit u = {77, "?"};

		ck_assert_msg(dts_unit_parse(&u, bad[i], strlen(bad[i])) == DTS_EINPUT,
			      "accepted '%s'", bad[i]);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "unknown unit"));
		ck_assert_int_eq(u.exp, 77);
	}
	{
		dts_unit u;
		char big[200];

		memset(big, 'a', sizeof(big));
		ck_assert_int_eq(dts_unit_parse(&u, big, sizeof(big)), DTS_EINPUT);
		ck_assert_int_eq(dts_unit_parse(NULL, "元", 3), DTS_EINVAL);
		ck_assert_int_eq(dts_unit_parse(&u, NULL, 3), DTS_EINVAL);
	}
}
END_TEST

START_TEST(find)
{
	static const struct {
		const char *in;
		int rc, exp;
		const char *cur, *name;
	} c[] = {
		{"出口额（万元）", 0, 4, "CNY", "出口额"},
		{"进口额（万元）", 0, 4, "CNY", "进口额"},
		{"出口额 （万元） ", 0, 4, "CNY", "出口额"},
		{"金额(千美元)", 0, 3, "USD", "金额"},
		{"进口额【亿美元】", 0, 8, "USD", "进口额"},
		{"Value [USD thousand]", 0, 3, "USD", "Value"},
		{"Value (USD thousand)", 0, 3, "USD", "Value"},
		{"Value (US$ '000)", 0, 3, "USD", "Value"},
		{"Trade Value (US$ 1,000)", 0, 3, "USD", "Trade Value"},
		{"Trade Value (US$)", 0, 0, "USD", "Trade Value"},
		{"Trade value (thousand)", 0, 3, "", "Trade value"},
		{"单位：万元", 0, 4, "CNY", ""},
		{"单位:万元", 0, 4, "CNY", ""},
		{"单位 : 万元", 0, 4, "CNY", ""},
		{"金额单位：千美元", 0, 3, "USD", ""},
		{"单位: 万美元", 0, 4, "USD", ""},
		{"Unit: USD thousand", 0, 3, "USD", ""},
		{"units: CNY million", 0, 6, "CNY", ""},
		{"万元", 0, 4, "CNY", ""},
		{"美元", 0, 0, "USD", ""},
		{"出口额", DTS_ENOTFOUND, 0, NULL, NULL},
		{"商品名称(中文)", DTS_ENOTFOUND, 0, NULL, NULL},
		{"重量(千克)", DTS_ENOTFOUND, 0, NULL, NULL},
		{"Weight (KGM)", DTS_ENOTFOUND, 0, NULL, NULL},
		{"(万元", DTS_ENOTFOUND, 0, NULL, NULL},
		{"万元)", DTS_ENOTFOUND, 0, NULL, NULL},
		{"", DTS_ENOTFOUND, 0, NULL, NULL},
		{"单位：千克", DTS_EINPUT, 0, NULL, "unknown unit '千克' in '单位：千克'"},
		{"Unit: pieces", DTS_EINPUT, 0, NULL, "unknown unit"},
	};

	for (size_t i = 0; i < N_ELEMS(c); i++) {
		dts_unit u = {77, "?"};
		size_t name = 999;
		int rc;

		dts_error_clear();
		rc = dts_unit_find(&u, &name, c[i].in, strlen(c[i].in));
		ck_assert_msg(rc == c[i].rc, "'%s': %d", c[i].in, rc);
		if (rc == 0) {
			ck_assert_int_eq(u.exp, c[i].exp);
			ck_assert_str_eq(u.currency, c[i].cur);
			ck_assert_uint_eq(name, strlen(c[i].name));
			ck_assert(!memcmp(c[i].in, c[i].name, name));
		} else if (rc == DTS_ENOTFOUND) {
			ck_assert_int_eq(u.exp, 77);
			ck_assert_ptr_null(dts_error_last()); /* not an error */
		} else {
			ck_assert_ptr_nonnull(strstr(dts_error_last()->message, c[i].name));
		}
	}
	{
		dts_unit u;

		ck_assert_int_eq(dts_unit_find(&u, NULL, "万元", strlen("万元")), 0);
		ck_assert_int_eq(dts_unit_find(NULL, NULL, "万元", 6), DTS_EINVAL);
		ck_assert_int_eq(dts_unit_find(&u, NULL, NULL, 6), DTS_EINVAL);
	}
}
END_TEST

/* A unit found in a header, applied to the column's values: exact. */
START_TEST(apply)
{
	static const struct {
		const char *header, *value, *want;
	} c[] = {
		{"出口额（万元）", "1.23456", "12345.6000"},
		{"出口额（万元）", "5,432.1", "54321000.0000"},
		{"出口额（万元）", "0.00000001", "0.0001"},
		{"金额(千美元)", "-12.5", "-12500.0000"},
		{"进口额（亿元）", "92233.7203685477", "9223372036854.7700"},
	};

	for (size_t i = 0; i < N_ELEMS(c); i++) {
		dts_unit u;
		dts_money m;
		char buf[32];

		ck_assert_int_eq(dts_unit_find(&u, NULL, c[i].header, strlen(c[i].header)), 0);
		ck_assert_msg(dts_money_parse_scaled(&m, NULL, c[i].value,
						     strlen(c[i].value), u.exp) == 0,
			      "%s: %s", c[i].value, dts_error_last()->message);
		dts_money_format(buf, sizeof(buf), m, 4);
		ck_assert_str_eq(buf, c[i].want);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names);
	tcase_add_test(tc, bad_names);
	tcase_add_test(tc, find);
	tcase_add_test(tc, apply);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
