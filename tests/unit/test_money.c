/* test_money.c — exact decimal amounts: parse, add, format. */
#include "check_main.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

typedef struct parse_ok {
	const char *in;
	dts_money want;
} parse_ok;

static const parse_ok parse_oks[] = {
	{"0", 0},
	{"-0", 0},
	{"+0.0000", 0},
	{"1", 10000},
	{"12345.67", 123456700},
	{"-12345.67", -123456700},
	{"+5", 50000},
	{"0.1", 1000},
	{"0.0001", 1},
	{"-0.0001", -1},
	{"1.2345", 12345},
	{".5", 5000},
	{"5.", 50000},
	{"007", 70000},
	{"1,234", 12340000},
	{"1,234,567.89", 12345678900},
	{"-1,234,567.89", -12345678900},
	{"123,456", 1234560000},
	{"  42  ", 420000},
	{"\t42\r\n", 420000},
	{"1.23450", 12345},               /* zeros past the 4th lose nothing */
	{"2.000000000", 20000},
	/* full width */
	{"１２３４５．６７", 123456700},
	{"１，２３４．５", 12345000},
	{"－３", -30000},
	{"＋３", 30000},
	{"\xE3\x80\x80" "8\xE3\x80\x80", 80000},
	/* the exact boundaries */
	{"922337203685477.5807", INT64_MAX},
	{"922,337,203,685,477.5807", INT64_MAX},
	{"-922337203685477.5808", INT64_MIN},
	{"922337203685477", INT64_MAX / 10000 * 10000},
	{"-922337203685477", -(INT64_MAX / 10000) * 10000},
	{"0000000000000000000000000000000001", 10000},
};

START_TEST(test_parse_ok)
{
	const parse_ok *c = &parse_oks[_i];
	dts_money m = 777;

	ck_assert_msg(dts_money_parse(&m, c->in, strlen(c->in)) == 0,
		      "'%s' rejected: %s", c->in,
		      dts_error_last() ? dts_error_last()->message : "");
	ck_assert_msg(m == c->want, "'%s': got %lld, want %lld", c->in,
		      (long long)m, (long long)c->want);
}
END_TEST

typedef struct parse_bad {
	const char *in;
	int code;
	const char *message; /* expected substring */
} parse_bad;

static const parse_bad parse_bads[] = {
	{"", DTS_EINPUT, "empty"},
	{"   ", DTS_EINPUT, "empty"},
	{"-", DTS_EINPUT, "not a number: '-'"},
	{"+", DTS_EINPUT, "not a number"},
	{".", DTS_EINPUT, "not a number: '.'"},
	{"-.", DTS_EINPUT, "not a number"},
	{"abc", DTS_EINPUT, "not a number: 'abc'"},
	{"1e5", DTS_EINPUT, "not a number: '1e5'"},
	{"1E5", DTS_EINPUT, "not a number"},
	{"0x10", DTS_EINPUT, "not a number"},
	{"12a", DTS_EINPUT, "not a number"},
	{"1.2.3", DTS_EINPUT, "not a number"},
	{"- 5", DTS_EINPUT, "not a number"},
	{"+-5", DTS_EINPUT, "not a number"},
	{"--5", DTS_EINPUT, "not a number"},
	{"5-", DTS_EINPUT, "not a number"},
	{"1 000", DTS_EINPUT, "not a number"},
	{"inf", DTS_EINPUT, "not a number"},
	{"nan", DTS_EINPUT, "not a number"},
	{"12.34e1", DTS_EINPUT, "not a number"},
	{"1.2,3", DTS_EINPUT, "not a number"},
	{"$5", DTS_EINPUT, "not a number"},
	{"5\0", DTS_EINPUT, "not a number"}, /* len counts the NUL below */
	{"１２ａ", DTS_EINPUT, "not a number: '12a'"},
	{"\xFF", DTS_EINPUT, "not a number"},
	{"12.34567", DTS_EINPUT, "more than 4 decimal places: '12.34567'"},
	{"1.23456", DTS_EINPUT, "more than 4 decimal places: '1.23456'"},
	{"0.00001", DTS_EINPUT, "more than 4 decimal places"},
	{"1.000010", DTS_EINPUT, "more than 4 decimal places"},
	{"12,34", DTS_EINPUT, "thousands separator: '12,34'"},
	{"1234,567", DTS_EINPUT, "thousands separator"},
	{"1,2345", DTS_EINPUT, "thousands separator"},
	{",123", DTS_EINPUT, "thousands separator"},
	{"1,,234", DTS_EINPUT, "thousands separator"},
	{"1,", DTS_EINPUT, "thousands separator"},
	{"1,234,56", DTS_EINPUT, "thousands separator"},
	{"1,234.5,6", DTS_EINPUT, "not a number"},
	{"１２，３４", DTS_EINPUT, "thousands separator"},
	{"922337203685477.5808", DTS_EOVERFLOW, "amount out of range"},
	{"-922337203685477.5809", DTS_EOVERFLOW, "amount out of range"},
	{"922337203685478", DTS_EOVERFLOW, "amount out of range"},
	{"99999999999999999999", DTS_EOVERFLOW, "amount out of range"},
	{"1234567890123456789012345", DTS_EOVERFLOW, "amount out of range"},
	{"1,234,567,890,123,456,789,012,345.5", DTS_EOVERFLOW, "out of range"},
	{"-99999999999999999999999999999", DTS_EOVERFLOW, "out of range"},
};

START_TEST(test_parse_bad)
{
	const parse_bad *c = &parse_bads[_i];
	size_t len = strlen(c->in);
	dts_money m = 777;
	const dts_error *e;

	if (strcmp(c->in, "5") == 0)
		len = 2; /* the embedded NUL case */
	dts_error_clear();
	ck_assert_msg(dts_money_parse(&m, c->in, len) == c->code,
		      "'%s' not rejected with %d", c->in, c->code);
	ck_assert_int_eq(m, 777); /* untouched on failure */
	e = dts_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, c->code);
	ck_assert_msg(strstr(e->message, c->message) != NULL,
		      "'%s': message '%s' lacks '%s'", c->in, e->message,
		      c->message);
}
END_TEST

START_TEST(test_parse_args)
{
	dts_money m;
	char big[4096];

	ck_assert_int_eq(dts_money_parse(NULL, "1", 1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_parse(&m, NULL, 1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_parse(&m, NULL, 0), DTS_EINPUT);
	/* Only len bytes are read. */
	ck_assert_int_eq(dts_money_parse(&m, "12.5abc", 4), 0);
	ck_assert_int_eq(m, 125000);
	/* Long inputs take the heap path; blanks around still trim. */
	memset(big, ' ', sizeof(big));
	memcpy(big + 2000, "-1,234.5", 8);
	ck_assert_int_eq(dts_money_parse(&m, big, sizeof(big)), 0);
	ck_assert_int_eq(m, -12345000);
	/* A long message input is quoted, not overflowed. */
	memset(big, '7', sizeof(big));
	ck_assert_int_eq(dts_money_parse(&m, big, sizeof(big)),
			 DTS_EOVERFLOW);
	big[3000] = 'x';
	ck_assert_int_eq(dts_money_parse(&m, big, sizeof(big)), DTS_EINPUT);
	ck_assert_uint_lt(strlen(dts_error_last()->message), 200);
}
END_TEST

START_TEST(test_add)
{
	dts_money acc = 0;

	ck_assert_int_eq(dts_money_add(&acc, 123456700), 0);
	ck_assert_int_eq(dts_money_add(&acc, -23456700), 0);
	ck_assert_int_eq(acc, 100000000);

	acc = INT64_MAX - 1;
	ck_assert_int_eq(dts_money_add(&acc, 1), 0);
	ck_assert(acc == INT64_MAX);
	ck_assert_int_eq(dts_money_add(&acc, 1), DTS_EOVERFLOW);
	ck_assert(acc == INT64_MAX);
	ck_assert_int_eq(dts_error_last()->code, DTS_EOVERFLOW);
	ck_assert_int_eq(dts_money_add(&acc, INT64_MIN), 0);
	ck_assert_int_eq(acc, -1);

	acc = INT64_MIN + 1;
	ck_assert_int_eq(dts_money_add(&acc, -1), 0);
	ck_assert(acc == INT64_MIN);
	ck_assert_int_eq(dts_money_add(&acc, -1), DTS_EOVERFLOW);
	ck_assert(acc == INT64_MIN);
	ck_assert_int_eq(dts_money_add(&acc, INT64_MIN), DTS_EOVERFLOW);
	ck_assert_int_eq(dts_money_add(&acc, INT64_MAX), 0);
	ck_assert_int_eq(acc, -1);
	ck_assert_int_eq(dts_money_add(NULL, 1), DTS_EINVAL);
}
END_TEST

/* Summing parsed amounts: the overflow shows at the exact boundary. */
START_TEST(test_add_parsed_boundary)
{
	dts_money acc, v;

	ck_assert_int_eq(dts_money_parse(&acc, "922337203685477", 15), 0);
	ck_assert_int_eq(dts_money_parse(&v, "0.5807", 6), 0);
	ck_assert_int_eq(dts_money_add(&acc, v), 0);
	ck_assert(acc == INT64_MAX);
	ck_assert_int_eq(dts_money_parse(&v, "0.0001", 6), 0);
	ck_assert_int_eq(dts_money_add(&acc, v), DTS_EOVERFLOW);
}
END_TEST

typedef struct format_case {
	dts_money v;
	int decimals;
	const char *want;
} format_case;

static const format_case format_cases[] = {
	{0, 0, "0"},
	{0, 2, "0.00"},
	{0, 4, "0.0000"},
	{123456700, 2, "12345.67"},
	{123456700, 4, "12345.6700"},
	{123456700, 0, "12346"},
	{-123456700, 2, "-12345.67"},
	{-123456700, 0, "-12346"},
	/* half away from zero */
	{5000, 0, "1"},
	{-5000, 0, "-1"},
	{4999, 0, "0"},
	{-4999, 0, "0"},  /* no negative zero */
	{-1, 3, "0.000"},
	{15000, 0, "2"},
	{25000, 0, "3"},
	{-25000, 0, "-3"},
	{12350, 2, "1.24"},
	{12349, 2, "1.23"},
	{-12350, 2, "-1.24"},
	{12345, 3, "1.235"},
	{12344, 3, "1.234"},
	{12345, 1, "1.2"},
	{12500, 1, "1.3"},
	{99995, 2, "10.00"},
	{-99995, 2, "-10.00"},
	{1, 4, "0.0001"},
	{-1, 4, "-0.0001"},
	/* the extremes */
	{INT64_MAX, 4, "922337203685477.5807"},
	{INT64_MAX, 2, "922337203685477.58"},
	{INT64_MAX, 0, "922337203685478"},
	{INT64_MIN, 4, "-922337203685477.5808"},
	{INT64_MIN, 3, "-922337203685477.581"},
	{INT64_MIN, 0, "-922337203685478"},
};

START_TEST(test_format)
{
	const format_case *c = &format_cases[_i];
	char buf[32];
	int n = dts_money_format(buf, sizeof(buf), c->v, c->decimals);

	ck_assert_msg(n >= 0 && strcmp(buf, c->want) == 0,
		      "%lld/%d: got '%s' (%d), want '%s'", (long long)c->v,
		      c->decimals, n >= 0 ? buf : "", n, c->want);
	ck_assert_int_eq(n, (int)strlen(c->want));
}
END_TEST

START_TEST(test_format_errors)
{
	char buf[32];

	ck_assert_int_eq(dts_money_format(buf, sizeof(buf), 1, -1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_format(buf, sizeof(buf), 1, 5), DTS_EINVAL);
	ck_assert_int_eq(dts_money_format(NULL, 10, 1, 2), DTS_EINVAL);
	/* "12345.67" needs 9 bytes with its NUL */
	ck_assert_int_eq(dts_money_format(buf, 8, 123456700, 2), DTS_EINVAL);
	ck_assert_int_eq(dts_money_format(buf, 9, 123456700, 2), 8);
	ck_assert_str_eq(buf, "12345.67");
	ck_assert_int_eq(dts_money_format(buf, 0, 0, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_money_format(buf, 22, INT64_MIN, 4), 21);
	ck_assert_int_eq(dts_money_format(buf, 21, INT64_MIN, 4), DTS_EINVAL);
}
END_TEST

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* format(v, 4) parses back to v for any v, extremes included. */
START_TEST(test_round_trip)
{
	static const dts_money fixed[] = {
		0, 1, -1, 9999, 10000, -10000, INT64_MAX, INT64_MIN,
		INT64_MAX - 1, INT64_MIN + 1, INT64_MAX / 10000 * 10000,
	};
	uint64_t seed = 12345;
	char buf[32];
	dts_money v, back;
	int i, n;

	for (i = 0; i < 200000 + (int)N_ELEMS(fixed); i++) {
		if (i < (int)N_ELEMS(fixed))
			v = fixed[i];
		else /* vary the magnitude, not only the low bits */
			v = (dts_money)(rng_next(&seed) >> (rng_next(&seed) % 64));
		if (i % 2)
			v = v == INT64_MIN ? v : -v;
		n = dts_money_format(buf, sizeof(buf), v, 4);
		if (n <= 0 || dts_money_parse(&back, buf, (size_t)n) != 0 ||
		    back != v)
			ck_abort_msg("%lld -> '%s' -> %lld", (long long)v, buf,
				     (long long)back);
	}
}
END_TEST

static Suite *money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_ok, 0, (int)N_ELEMS(parse_oks));
	tcase_add_loop_test(tc, test_parse_bad, 0, (int)N_ELEMS(parse_bads));
	tcase_add_test(tc, test_parse_args);
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_add_parsed_boundary);
	tcase_add_loop_test(tc, test_format, 0, (int)N_ELEMS(format_cases));
	tcase_add_test(tc, test_format_errors);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(money_suite());
}
