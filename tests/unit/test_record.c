/*
 * test_record.c — dts_record_check: the values a statistics run depends on
 * are rejected with a reason naming the field when malformed, and accepted
 * in every spelling the readers meet (after normalisation).
 */
#include "check_main.h"
#include "helpers.h"

static int check1(int field, const char *v)
{
	dts_value val = {field, v, strlen(v)};

	dts_error_clear();
	return dts_record_check(&val, 1);
}

START_TEST(accepts_what_readers_meet)
{
	static const struct {
		int field;
		const char *v;
	} ok[] = {
		{DTS_F_VALUE, "12,345.67"}, {DTS_F_VALUE, "-5"}, {DTS_F_VALUE, "１２３．４"},
		{DTS_F_PERIOD, "2025-03-14"}, {DTS_F_PERIOD, "202503"}, {DTS_F_PERIOD, "2025-Q1"},
		{DTS_F_PERIOD, "2025"}, {DTS_F_FLOW, "出口"}, {DTS_F_FLOW, "import"}, {DTS_F_FLOW, "E"},
		{DTS_F_HS_CODE, "8471.30.00"}, {DTS_F_HS_CODE, "85 23 49"}, {DTS_F_HS_CODE, "84"},
		{DTS_F_TRADE_MODE, "９６１０"}, {DTS_F_EBOPS_CODE, "si 21"}, {DTS_F_EBOPS_CODE, "SJ211"},
		{DTS_F_EBOPS_CODE, "SN"}, {DTS_F_DESCRIPTION, "anything at all"},
		{DTS_F_VALUE, ""}, {DTS_F_PERIOD, ""}, {DTS_F_FLOW, ""}, /* empty = absent */
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(check1(ok[i].field, ok[i].v) == 0, "%s '%s' was rejected",
			      dts_field_name(ok[i].field), ok[i].v);
}
END_TEST

START_TEST(rejects_with_a_reason)
{
	static const struct {
		int field;
		const char *v, *words;
	} bad[] = {
		{DTS_F_VALUE, "12.3.4", "not an amount"},
		{DTS_F_VALUE, "1e5", "not an amount"},
		{DTS_F_PERIOD, "2025-02-30", "not a date"},
		{DTS_F_PERIOD, "March", "not a date"},
		{DTS_F_FLOW, "transit", "neither import nor export"},
		{DTS_F_HS_CODE, "84A1", "not an HS code"},
		{DTS_F_HS_CODE, "84713000001", "not an HS code"},
		{DTS_F_HS_CODE, "8", "not an HS code"},
		{DTS_F_TRADE_MODE, "961", "supervision mode"},
		{DTS_F_EBOPS_CODE, "SZ1", "EBOPS"},
		{DTS_F_EBOPS_CODE, "XI21", "EBOPS"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(check1(bad[i].field, bad[i].v), DTS_EINPUT);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message, bad[i].words));
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
					     dts_field_name(bad[i].field)));
	}
}
END_TEST

START_TEST(first_bad_value_decides)
{
	dts_value v[3] = {{DTS_F_HS_CODE, "8471", 4}, {DTS_F_FLOW, "?", 1},
			  {DTS_F_VALUE, "x", 1}};

	ck_assert_int_eq(dts_record_check(v, 3), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "flow"));
	ck_assert_int_eq(dts_record_check(v, 1), 0);
	ck_assert_int_eq(dts_record_check(NULL, 0), 0);
	ck_assert_int_eq(dts_record_check(NULL, 1), DTS_EINVAL);
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, accepts_what_readers_meet);
	tcase_add_test(tc, rejects_with_a_reason);
	tcase_add_test(tc, first_bad_value_decides);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(record_suite());
}
