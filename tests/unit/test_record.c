/*
 * test_record.c — dts_record_check: the values a statistics run depends on
 * are rejected with a reason naming the field when malformed, and accepted
 * in every spelling the readers meet (after normalisation).
 */
#include "check_main.h"
#include "helpers.h"
#include "../../lib/record/check_int.h"

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

/* Bureau periods and written amounts pass, spans included. */
START_TEST(bureau_values)
{
	static const char *const periods[] = {
		"2025-01-03 10:21:33", "2025-01-03T10:21:33Z", "2025/01/07 08:15",
		"2025/1/7", "2025年3月", "2025年03月", "2025年3月5日", "2025年第一季度",
		"2025年第1季度", "2025年一季度", "2025年", "2025年度", "2025年1-3月",
		"2025年1-12月", "2025年全年", "2025年1-6月", "2025年上半年",
		"2025年下半年", "2025-H1", "2025H2", "2025年1-5月", "2025年1—5月",
		"2025年1～5月",
	};
	static const char *const values[] = {
		"5,432,100", "-12.00", "(12.00)", "\xe2\x88\x92" "12.00", "1,000 元",
		"RMB 1,000", "CNY1000", "12.00 CNY",
	};

	for (size_t i = 0; i < sizeof(periods) / sizeof(*periods); i++)
		ck_assert_msg(check1(DTS_F_PERIOD, periods[i]) == 0, "'%s': %s",
			      periods[i], dts_error_last()->message);
	for (size_t i = 0; i < sizeof(values) / sizeof(*values); i++) {
		dts_value v[2] = {{DTS_F_VALUE, values[i], strlen(values[i])},
				  {DTS_F_CURRENCY, "CNY", 3}};

		ck_assert_msg(dts_record_check(v, 2) == 0, "'%s': %s", values[i],
			      dts_error_last()->message);
		ck_assert_int_eq(dts_record_check(v, 1), 0); /* no currency field */
	}
}
END_TEST

static int check_vc(const char *value, const char *currency)
{
	dts_value v[3] = {{DTS_F_CURRENCY, currency, strlen(currency)},
			  {DTS_F_PERIOD, "2025-03", 7},
			  {DTS_F_VALUE, value, strlen(value)}};

	dts_error_clear();
	return dts_record_check(v, 3);
}

/* A currency mark must agree with the record's currency field. */
START_TEST(currency_agreement)
{
	ck_assert_int_eq(check_vc("$89.98", "USD"), 0);
	ck_assert_int_eq(check_vc("$89.98", "usd"), 0);
	ck_assert_int_eq(check_vc("$89.98", "美元"), 0);
	ck_assert_int_eq(check_vc("$89.98", ""), 0);
	ck_assert_int_eq(check_vc("£45.00", ""), 0);
	ck_assert_int_eq(check_vc("89.98", "USD"), 0);
	ck_assert_int_eq(check_vc("89.98", "XX?"), 0); /* checked only against a mark */
	ck_assert_int_eq(check_vc("¥12,800", "CNY"), 0);
	ck_assert_int_eq(check_vc("￥12,800", "JPY"), 0);
	ck_assert_int_eq(check_vc("¥12,800", "人民币"), 0);
	ck_assert_int_eq(check_vc("$89.98", "CNY"), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message,
			 "value '$89.98' is in USD but the record's currency is CNY");
	ck_assert_int_eq(check_vc("¥12,800", ""), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message,
			 "value '¥12,800' is in yen or yuan (CNY or JPY) and the "
			 "record has no currency to say which");
	ck_assert_int_eq(check_vc("¥12,800", "USD"), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "is in yen or yuan but"));
	ck_assert_int_eq(check_vc("$5", "dollars"), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "currency 'dollars' is not a currency");
	ck_assert_int_eq(check_vc("$", "USD"), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "not an amount"));
	ck_assert_int_eq(check_vc("$922337203685477.5808", "USD"), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "out of range"));
}
END_TEST

START_TEST(record_value)
{
	dts_value v[3] = {{DTS_F_VALUE, "¥12,800", strlen("¥12,800")},
			  {DTS_F_CURRENCY, "jpy", 3},
			  {DTS_F_PERIOD, "2025", 4}};
	dts_money m = 0;
	char cur[DTS_CURRENCY_SIZE];

	ck_assert_int_eq(dts_record_value(&m, cur, v, 3), 0);
	ck_assert_int_eq(m, 128000000);
	ck_assert_str_eq(cur, "JPY");
	ck_assert_int_eq(dts_record_value(&m, NULL, v, 3), 0);
	ck_assert_int_eq(dts_record_value(&m, cur, v, 1), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "value: "));
	v[0].data = "(3.5)";
	v[0].len = 5;
	v[1].len = 0;
	ck_assert_int_eq(dts_record_value(&m, cur, v, 3), 0);
	ck_assert_int_eq(m, -35000);
	ck_assert_str_eq(cur, "");
	v[0].data = "12 EUR";
	v[0].len = 6;
	ck_assert_int_eq(dts_record_value(&m, cur, v, 2), 0);
	ck_assert_str_eq(cur, "EUR");
	v[0].data = "x";
	v[0].len = 1;
	ck_assert_int_eq(dts_record_value(&m, cur, v, 2), DTS_EINPUT);
	ck_assert_int_eq(dts_record_value(&m, cur, v + 1, 2), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_record_value(NULL, cur, v, 2), DTS_EINVAL);
	ck_assert_int_eq(dts_record_value(&m, cur, NULL, 2), DTS_EINVAL);
}
END_TEST

/* The checks keep what they parsed: the same money, stated currency and
 * span as parsing the bytes again, and nothing for an absent field. */
START_TEST(keeps_what_it_parsed)
{
	static const char *const periods[] = {
		"2025-03-14", "202503", "2025-Q1", "2025", "2025年上半年",
		"2025年1-5月", "２０２５年３月", " 2025-03 ",
	};
	static const char *const values[] = {
		"12,345.67", "$89.98", "(3.5)", "１２３．４", "12 EUR", "RMB 1,000",
	};
	dts__checked k;

	for (size_t i = 0; i < sizeof(periods) / sizeof(*periods); i++) {
		dts_value v = {DTS_F_PERIOD, periods[i], strlen(periods[i])};
		dts_period_span sp;

		ck_assert_int_eq(dts__record_check_keep(&v, 1, &k), 0);
		ck_assert_int_eq(k.have_period, 1);
		ck_assert_int_eq(k.have_value, 0);
		ck_assert_int_eq(dts_period_parse_span(&sp, v.data, v.len), 0);
		ck_assert_int_eq(k.span.year, sp.year);
		ck_assert_int_eq(k.span.first_month, sp.first_month);
		ck_assert_int_eq(k.span.last_month, sp.last_month);
		ck_assert_int_eq(k.span.day, sp.day);
		/* the plain ISO forms also keep their dts_period, which is
		 * the span's */
		ck_assert_int_eq(k.period_iso, i < 2);
		if (k.period_iso) {
			dts_period p, q;

			ck_assert_int_eq(dts_period_parse(&p, v.data, v.len), 0);
			ck_assert_int_eq(dts_period_from_span(&q, &sp), 0);
			ck_assert(!memcmp(&k.period, &p, sizeof(p)));
			ck_assert(!memcmp(&k.period, &q, sizeof(q)));
		}
	}
	for (size_t i = 0; i < sizeof(values) / sizeof(*values); i++) {
		dts_value v[2] = {{DTS_F_VALUE, values[i], strlen(values[i])},
				  {DTS_F_PERIOD, "", 0}};
		char stated[DTS_CURRENCY_SIZE];
		dts_money m;

		ck_assert_int_eq(dts__record_check_keep(v, 2, &k), 0);
		ck_assert_int_eq(k.have_value, 1);
		ck_assert_int_eq(k.have_period, 0);   /* empty = absent */
		ck_assert_int_eq(dts_money_parse_currency(&m, stated, v[0].data, v[0].len), 0);
		ck_assert_int_eq(k.value, m);
		ck_assert_str_eq(k.stated, stated);
	}
	{
		dts_value v[2] = {{DTS_F_VALUE, "5", 1}, {DTS_F_FLOW, "?", 1}};

		ck_assert_int_eq(dts__record_check_keep(v, 2, &k), DTS_EINPUT);
		ck_assert_int_eq(dts__record_check_keep(v, 1, NULL), 0);
		ck_assert_int_eq(dts__record_check_keep(NULL, 0, &k), 0);
		ck_assert_int_eq(k.have_value + k.have_period, 0);
	}
}
END_TEST

/* The reference for a code of digits: dts_field_normalize, then every
 * byte a digit, byte by byte, min..max of them (what the checks did
 * before their direct reading of codes already in digits). */
static int digit_code_ref(int field, const char *in, size_t n, size_t min, size_t max)
{
	char out[64];
	size_t len = 0;

	if (n >= sizeof(out) || dts_field_normalize(out, sizeof(out), &len, field, in, n) < 0)
		return 0;
	if (len < min || len > max)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (out[i] < '0' || out[i] > '9')
			return 0;
	return 1;
}

static void digit_code_agrees(const char *in, size_t n)
{
	static const struct { int field; size_t min, max; } codes[] = {
		{DTS_F_HS_CODE, 2, 10}, {DTS_F_TRADE_MODE, 4, 4},
	};

	for (size_t c = 0; c < 2; c++) {
		dts_value v = {codes[c].field, in, n};
		int want = n == 0 || digit_code_ref(codes[c].field, in, n, codes[c].min,
						    codes[c].max);

		dts_error_clear();
		ck_assert_msg((dts_record_check(&v, 1) == 0) == want, "%s '%.*s': %d",
			      dts_field_name(codes[c].field), (int)n, in, want);
	}
}

/* HS codes and trade modes read 8 and 4 bytes at a time: the same verdict
 * as normalising and reading byte by byte, for every byte value at every
 * position of 1 to 20 digits, and for random strings of digits,
 * separators, blanks, letters and full-width digits. */
START_TEST(digit_codes_as_normalised)
{
	static const char *const atoms[] = {
		"0", "1", "5", "9", "/", ":", ".", "-", " ", "a", "A", "\xef\xbc\x91",
		"\xe3\x80\x80", "\xff", "\xf9", "\xc0", "_", "\x00",
	};
	uint64_t r = 88172645463325252u;
	char in[64];

	for (size_t n = 1; n <= 20; n++)
		for (size_t at = 0; at < n; at++)
			for (int b = 0; b < 256; b++) {
				for (size_t i = 0; i < n; i++)
					in[i] = (char)('0' + (i * 7 + n) % 10);
				in[at] = (char)b;
				digit_code_agrees(in, n);
			}
	for (int t = 0; t < 100000; t++) {
		size_t n = 0;

		r ^= r << 13; r ^= r >> 7; r ^= r << 17;
		for (int k = (int)(r % 13); k >= 0 && n < 40; k--) {
			const char *a = atoms[(r >> (4 + 4 * k)) % (sizeof(atoms) / sizeof(*atoms))];
			size_t al = a[0] ? strlen(a) : 1;

			memcpy(in + n, a, al);
			n += al;
		}
		digit_code_agrees(in, n);
	}
}
END_TEST

/* dts__field_normalised never says "unchanged" of a field that
 * dts_field_normalize changes: random strings over the bytes that matter
 * (blanks, separators, cases, full-width and CJK-space sequences, other
 * UTF-8), every field, and a few that must be found unchanged. */
START_TEST(normalised_means_unchanged)
{
	static const char *const atoms[] = {
		"a", "Z", "0", "9", " ", "\t", ".", "-", "_", "/", ",", "\xef\xbc\x91",
		"\xe3\x80\x80", "\xe5\xb9\xb4", "\xef\xbd\x81", "\xe3\x81\x82", "\xc3\xa9", "X", "M",
	};
	uint64_t r = 2463534242u;
	size_t said = 0;

	for (int t = 0; t < 20000; t++) {
		char in[64], out[64];
		size_t n = 0, len = 0;
		int f = t % DTS_F_COUNT, k;

		r ^= r << 13; r ^= r >> 7; r ^= r << 17;
		for (k = (int)(r % 6); k >= 0 && n < 40; k--) {
			const char *a = atoms[(r >> (8 + 5 * k)) % (sizeof(atoms) / sizeof(*atoms))];

			memcpy(in + n, a, strlen(a));
			n += strlen(a);
		}
		ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &len, f, in, n), 0);
		if (dts__field_normalised(f, in, n)) {
			said++;
			ck_assert_msg(len == n && !memcmp(out, in, n), "%s '%.*s' changes",
				      dts_field_name(f), (int)n, in);
		}
	}
	ck_assert_uint_gt(said, 2000);
	ck_assert(dts__field_normalised(DTS_F_ENTERPRISE_ID, "913301099MYD68CR4T", 18));
	ck_assert(dts__field_normalised(DTS_F_CURRENCY, "USD", 3));
	ck_assert(dts__field_normalised(DTS_F_PERIOD, "2025\xe5\xb9\xb4" "3\xe6\x9c\x88", 10));
	ck_assert(!dts__field_normalised(DTS_F_CURRENCY, "usd", 3));
	ck_assert(!dts__field_normalised(DTS_F_PERIOD, " 2025", 5));
	ck_assert(!dts__field_normalised(DTS_F_FLOW, "X", 1));
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, accepts_what_readers_meet);
	tcase_add_test(tc, rejects_with_a_reason);
	tcase_add_test(tc, first_bad_value_decides);
	tcase_add_test(tc, bureau_values);
	tcase_add_test(tc, currency_agreement);
	tcase_add_test(tc, record_value);
	tcase_add_test(tc, keeps_what_it_parsed);
	tcase_add_test(tc, normalised_means_unchanged);
	tcase_add_test(tc, digit_codes_as_normalised);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(record_suite());
}
