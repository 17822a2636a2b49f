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

/* ---- amounts with currency marks -------------------------------------- */

typedef struct cur_ok {
	const char *in;
	dts_money want;
	const char *cur;
} cur_ok;

static const cur_ok cur_oks[] = {
	{"$89.98", 899800, "USD"},
	{"US$89.98", 899800, "USD"},
	{"£45.00", 450000, "GBP"},
	{"￡45", 450000, "GBP"},
	{"€12", 120000, "EUR"},
	{"HK$ 1,000", 10000000, "HKD"},
	{"NT$5", 50000, "TWD"},
	{"MOP$5", 50000, "MOP"},
	{"C$5", 50000, "CAD"},
	{"A$5", 50000, "AUD"},
	{"S$5", 50000, "SGD"},
	{"₩1,000", 10000000, "KRW"},
	{"¥12,800", 128000000, DTS_CURRENCY_YEN},
	{"￥12,800", 128000000, DTS_CURRENCY_YEN},
	{"¥ 1", 10000, DTS_CURRENCY_YEN},
	{"RMB 1,000", 10000000, "CNY"},
	{"CNY1000", 10000000, "CNY"},
	{"1,000 元", 10000000, "CNY"},
	{"1,000元", 10000000, "CNY"},
	{"5 円", 50000, "JPY"},
	{"1,000 人民币", 10000000, "CNY"},
	{"人民币1000", 10000000, "CNY"},
	{"100 美元", 1000000, "USD"},
	{"USD 12.00", 120000, "USD"},
	{"12.00 USD", 120000, "USD"},
	{"12.00 EUR", 120000, "EUR"},
	{"-12.00", -120000, ""},
	{"(12.00)", -120000, ""},
	{"( 12.00 )", -120000, ""},
	{"($12.00)", -120000, "USD"},
	{"(12.00 USD)", -120000, "USD"},
	{"\xe2\x88\x92" "12.00", -120000, ""}, /* U+2212 MINUS SIGN */
	{"－12", -120000, ""},                 /* full-width hyphen-minus */
	{"-$12", -120000, "USD"},
	{"$-12", -120000, "USD"},
	{"\xe2\x88\x92$12", -120000, "USD"},
	{"+$12", 120000, "USD"},
	{"＄１２．５", 125000, "USD"},          /* full-width dollar folds */
	{"  $5  ", 50000, "USD"},
	{"5,432,100", 54321000000, ""},
	{"$922,337,203,685,477.5807", INT64_MAX, "USD"},
	{"(922337203685477.5808)", INT64_MIN, ""},
	{"-$922337203685477.5808", INT64_MIN, "USD"},
};

START_TEST(test_currency_ok)
{
	const cur_ok *c = &cur_oks[_i];
	dts_money m = 777;
	char cur[DTS_CURRENCY_SIZE] = "?";

	ck_assert_msg(dts_money_parse_currency(&m, cur, c->in, strlen(c->in)) == 0,
		      "'%s' rejected: %s", c->in, dts_error_last()->message);
	ck_assert_msg(m == c->want, "'%s': got %lld, want %lld", c->in,
		      (long long)m, (long long)c->want);
	ck_assert_str_eq(cur, c->cur);
}
END_TEST

static const parse_bad cur_bads[] = {
	{"", DTS_EINPUT, "empty amount"},
	{"$", DTS_EINPUT, "not a number: '$'"},
	{"USD", DTS_EINPUT, "not a number: 'USD'"},
	{"abc", DTS_EINPUT, "not a number: 'abc'"},
	{"元", DTS_EINPUT, "not a number"},
	{"#12", DTS_EINPUT, "not a currency mark: '#12'"},
	{"$$1", DTS_EINPUT, "not a currency mark"},
	{"12abc", DTS_EINPUT, "not a currency mark: '12abc'"},
	{"usd 12", DTS_EINPUT, "not a currency mark"},  /* codes are upper case */
	{"12 usd", DTS_EINPUT, "not a currency mark"},
	{"1 000", DTS_EINPUT, "not a number: '1 000'"},
	{"1e5", DTS_EINPUT, "not a"},
	{"US$12 USD", DTS_EINPUT, "two currency marks: 'US$12 USD'"},
	{"$12 元", DTS_EINPUT, "two currency marks"},
	{"(-12)", DTS_EINPUT, "two signs: '(-12)'"},
	{"-(12)", DTS_EINPUT, "unbalanced parenthesis"},
	{"+-1", DTS_EINPUT, "two signs"},
	{"--1", DTS_EINPUT, "two signs"},
	{"-$-1", DTS_EINPUT, "two signs"},
	{"(12.00", DTS_EINPUT, "unbalanced parenthesis: '(12.00'"},
	{"12.00)", DTS_EINPUT, "unbalanced parenthesis"},
	{"()", DTS_EINPUT, "not a number"},
	{"$12,34", DTS_EINPUT, "misplaced thousands separator: '$12,34'"},
	{"$1.23456", DTS_EINPUT, "more than 4 decimal places: '$1.23456'"},
	{"$922337203685477.5808", DTS_EOVERFLOW, "amount out of range: '$922337203685477.5808'"},
	{"(922337203685477.5809)", DTS_EOVERFLOW, "amount out of range"},
};

START_TEST(test_currency_bad)
{
	const parse_bad *c = &cur_bads[_i];
	dts_money m = 777;
	char cur[DTS_CURRENCY_SIZE] = "?";

	ck_assert_int_eq(dts_money_parse_currency(&m, cur, c->in, strlen(c->in)),
			 c->code);
	ck_assert_msg(strstr(dts_error_last()->message, c->message),
		      "'%s': message '%s' lacks '%s'", c->in,
		      dts_error_last()->message, c->message);
	ck_assert_int_eq(m, 777);          /* untouched on failure */
	ck_assert_str_eq(cur, "?");
}
END_TEST

START_TEST(test_currency_args)
{
	dts_money m;
	char cur[DTS_CURRENCY_SIZE];

	ck_assert_int_eq(dts_money_parse_currency(NULL, cur, "1", 1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_parse_currency(&m, NULL, "1", 1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_parse_currency(&m, cur, NULL, 1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_parse_scaled(&m, NULL, "1", 1, -1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_parse_scaled(&m, NULL, "1", 1,
						DTS_MONEY_EXP_MAX + 1), DTS_EINVAL);
	ck_assert_int_eq(dts_money_scale(NULL, 1, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_money_scale(&m, 1, 19), DTS_EINVAL);
	ck_assert_int_eq(dts_money_currency_resolve(NULL, "", "", 0), DTS_EINVAL);
	ck_assert_int_eq(dts_money_currency_resolve(cur, NULL, "", 0), DTS_EINVAL);
	ck_assert_int_eq(dts_money_currency_resolve(cur, "", NULL, 1), DTS_EINVAL);
	/* a long amount goes through the heap path */
	{
		char big[300];

		memset(big, '0', sizeof(big));
		big[0] = '$';
		big[sizeof(big) - 1] = '7';
		ck_assert_int_eq(dts_money_parse_currency(&m, cur, big, sizeof(big)), 0);
		ck_assert_int_eq(m, 70000);
		ck_assert_str_eq(cur, "USD");
	}
}
END_TEST

/*
 * Differential: every string dts_money_parse accepts gives the same value
 * through dts_money_parse_currency, with no currency; over the table above
 * and random strings of the characters amounts are made of.
 */
START_TEST(test_currency_differential)
{
	static const char alphabet[] = "0123456789,.+-$() ¥元U";
	uint64_t seed = 0x5eed1234abcdULL;
	char buf[32], cur[DTS_CURRENCY_SIZE];
	dts_money a, b;
	size_t i, k, n, accepted = 0;

	for (i = 0; i < N_ELEMS(parse_oks); i++) {
		ck_assert_int_eq(dts_money_parse_currency(&b, cur, parse_oks[i].in,
							  strlen(parse_oks[i].in)), 0);
		ck_assert_int_eq(b, parse_oks[i].want);
		ck_assert_str_eq(cur, "");
	}
	for (i = 0; i < 300000; i++) {
		n = rng_next(&seed) % 14;
		for (k = 0; k < n; k++)
			buf[k] = alphabet[rng_next(&seed) % (sizeof(alphabet) - 1)];
		if (dts_money_parse(&a, buf, n) != 0)
			continue;
		accepted++;
		ck_assert_msg(dts_money_parse_currency(&b, cur, buf, n) == 0 &&
			      a == b && !cur[0], "'%.*s': %lld vs %lld '%s'",
			      (int)n, buf, (long long)a, (long long)b, cur);
		ck_assert_msg(dts_money_parse_scaled(&b, NULL, buf, n, 0) == 0 &&
			      a == b, "'%.*s' scaled at 0", (int)n, buf);
	}
	ck_assert_uint_gt(accepted, 1000);
}
END_TEST

/*
 * The fast path for plain ASCII decimals (money.c, parse_plain) against
 * the general parser it stands in front of: the same result code, value,
 * stated currency and message, at several units, with and without a
 * currency buffer, over edge cases (full-width digits, signs, exponents,
 * many decimals, huge values, blanks, empty) and random strings.
 */
static void same_as_general(const char *in, size_t n, int exp, int with_cur)
{
	char c1[DTS_CURRENCY_SIZE] = "?", c2[DTS_CURRENCY_SIZE] = "?";
	char msg[sizeof(((dts_error *)0)->message)] = "";
	dts_money a = 777, b = 777;
	int ra, rb;

	dts_error_clear();
	ra = dts_money_parse_scaled(&a, with_cur ? c1 : NULL, in, n, exp);
	if (ra < 0)
		snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
	dts_error_clear();
	rb = dts__money_parse_general(&b, with_cur ? c2 : NULL, in, n, exp);
	ck_assert_msg(ra == rb && a == b, "'%.*s' at 10^%d: %d %lld vs %d %lld",
		      (int)n, in, exp, ra, (long long)a, rb, (long long)b);
	ck_assert_msg(!with_cur || !strcmp(c1, c2), "'%.*s': currency '%s' vs '%s'",
		      (int)n, in, c1, c2);
	if (rb < 0)
		ck_assert_str_eq(msg, dts_error_last()->message);
}

START_TEST(test_plain_matches_general)
{
	static const char *const edges[] = {
		"", "0", "-0", "+0", "-", "+", ".", "-.", "5.", ".5", "-.5", "+5.",
		"00000000000000000000000001", "1.2345", "1.23456", "1.23450",
		"1.2345678", "1.234567800000", "12345678901234", "123456789012345",
		"99999999999999.9999", "100000000000000", "922337203685477.5807",
		"922337203685477.5808", "-922337203685477.5808", "9223372036854775807",
		"18446744073709551616", "99999999999999999999999999999",
		"1e5", "1E5", "1.5e-3", "0x10", "１２３", "１2.5", "12．5", "－5",
		"\xe2\x88\x92" "5", " 5", "5 ", "\t5", "5\r", "1 000", "1,000", "1,00",
		"--5", "+-5", "-+5", "5-", "5+", "1.2.3", "1..2", "(5)", "$5", "5USD",
		"5元", "¥5", "NaN", "inf", "0.0001", "-0.0001", "0.00001", "12a",
	};
	static const char alphabet[] = "0123456789000.-+ e,";
	static const int exps[] = {0, 1, 4, 8, 14, 18};
	uint64_t seed = 0xfa57f00dULL;
	char buf[40];

	for (size_t i = 0; i < N_ELEMS(edges); i++)
		for (size_t e = 0; e < N_ELEMS(exps); e++)
			for (int c = 0; c < 2; c++)
				same_as_general(edges[i], strlen(edges[i]), exps[e], c);
	for (int i = 0; i < 200000; i++) {
		size_t n = rng_next(&seed) % 24, k;

		for (k = 0; k < n; k++)
			buf[k] = alphabet[rng_next(&seed) % (sizeof(alphabet) - 1)];
		same_as_general(buf, n, exps[(size_t)i % N_ELEMS(exps)], i & 1);
	}
}
END_TEST

/* ---- units of 10^k ---------------------------------------------------- */

typedef struct scaled_case {
	const char *in;
	int exp;
	int code;
	dts_money want;
	const char *message;
} scaled_case;

static const scaled_case scaled_cases[] = {
	{"1.23456", 4, 0, 123456000, NULL},     /* 1.23456 万元 = 12345.6 元 */
	{"1.23456789", 4, 0, 123456789, NULL},  /* 8 decimals survive 10^4 */
	{"1.234567891", 4, DTS_EINPUT, 0, "more than 8 decimal places for a unit of 10^4: '1.234567891'"},
	{"1.2345678900", 4, 0, 123456789, NULL}, /* trailing zeros lose nothing */
	{"5,432.1", 4, 0, 543210000000, NULL},
	{"-0.5", 8, 0, -500000000000, NULL},    /* half of 亿 */
	{"3", 3, 0, 30000000, NULL},            /* 千 */
	{"12.5", 0, 0, 125000, NULL},
	{"12.34567", 0, DTS_EINPUT, 0, "more than 4 decimal places: '12.34567'"},
	{"92233720368547.75807", 1, 0, INT64_MAX, NULL},
	{"92233720368547.75808", 1, DTS_EOVERFLOW, 0, "amount out of range"},
	{"-92233720368547.75808", 1, 0, INT64_MIN, NULL},
	{"0.0000000000000000001", 15, 0, 1, NULL},  /* the 19th decimal survives 10^15 */
	{"0.00000000000000000001", 15, DTS_EINPUT, 0, "more than 19 decimal places"},
	{"922.3372036854775807", 12, 0, INT64_MAX, NULL},
	{"923", 12, DTS_EOVERFLOW, 0, "out of range"},
	{"0.000000000000000001", 18, 0, 10000, NULL}, /* 10^-18 times 10^18 = 1 */
	{"9.2233720368547758070", 14, 0, INT64_MAX, NULL},
};

START_TEST(test_scaled)
{
	const scaled_case *c = &scaled_cases[_i];
	dts_money m = 777;

	ck_assert_int_eq(dts_money_parse_scaled(&m, NULL, c->in, strlen(c->in),
						c->exp), c->code);
	if (c->code == 0) {
		ck_assert_msg(m == c->want, "'%s' at 10^%d: %lld, want %lld",
			      c->in, c->exp, (long long)m, (long long)c->want);
	} else {
		ck_assert_int_eq(m, 777);
		ck_assert_msg(strstr(dts_error_last()->message, c->message),
			      "'%s': '%s'", c->in, dts_error_last()->message);
	}
}
END_TEST

/* The scaled value is the integer arithmetic's, for every unit and
 * every number of decimals that survives, or an overflow exactly when
 * that value leaves int64. */
START_TEST(test_scaled_sweep)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char buf[64], num[48], cur[DTS_CURRENCY_SIZE];
	int i;

	for (i = 0; i < 200000; i++) {
		int exp = (int)(rng_next(&seed) % 13), keep = 4 + exp;
		int decimals = (int)(rng_next(&seed) % (keep + 1));
		uint64_t digits = rng_next(&seed) >> (rng_next(&seed) % 64);
		int neg = (int)(rng_next(&seed) & 1), rc, len;
		dts__i128 want = (dts__i128)digits;
		dts_money m = 0, back;

		/* digits / 10^decimals, written out */
		len = snprintf(num, sizeof(num), "%llu", (unsigned long long)digits);
		if (decimals > 0) {
			int pad = decimals + 1 - len;

			if (pad > 0) {
				memmove(num + pad, num, (size_t)len + 1);
				memset(num, '0', (size_t)pad);
				len += pad;
			}
			memmove(num + len - decimals + 1, num + len - decimals,
				(size_t)decimals + 1);
			num[len - decimals] = '.';
		}
		snprintf(buf, sizeof(buf), "%s%s", neg ? "-" : "", num);
		for (int k = decimals; k < keep; k++)
			want *= 10;
		if (neg)
			want = -want;
		rc = dts_money_parse_scaled(&m, i % 2 ? cur : NULL, buf,
					    strlen(buf), exp);
		if (want > INT64_MAX || want < INT64_MIN) {
			ck_assert_msg(rc == DTS_EOVERFLOW, "'%s' at 10^%d: %d",
				      buf, exp, rc);
			continue;
		}
		ck_assert_msg(rc == 0 && m == (dts_money)want,
			      "'%s' at 10^%d: rc %d, %lld", buf, exp, rc,
			      (long long)m);
		/* parse at 10^0 then scale: the same, when no decimal is lost */
		if (decimals <= 4 && dts_money_parse(&back, buf, strlen(buf)) == 0) {
			rc = dts_money_scale(&back, back, exp);
			ck_assert(rc == 0 && back == m);
		}
	}
}
END_TEST

START_TEST(test_scale_edges)
{
	dts_money m = 5;

	ck_assert_int_eq(dts_money_scale(&m, INT64_MAX / 10, 1), 0);
	ck_assert_int_eq(m, INT64_MAX / 10 * 10);
	m = 5;
	ck_assert_int_eq(dts_money_scale(&m, INT64_MAX / 10 + 1, 1), DTS_EOVERFLOW);
	ck_assert_int_eq(m, 5);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "times 10^1"));
	ck_assert_int_eq(dts_money_scale(&m, INT64_MIN, 0), 0);
	ck_assert_int_eq(m, INT64_MIN);
	ck_assert_int_eq(dts_money_scale(&m, INT64_MIN, 1), DTS_EOVERFLOW);
	ck_assert_int_eq(dts_money_scale(&m, 9, 18), 0);
	ck_assert_int_eq(m, 9000000000000000000LL);
	ck_assert_int_eq(dts_money_scale(&m, -9, 18), 0);
	ck_assert_int_eq(dts_money_scale(&m, 10, 18), DTS_EOVERFLOW);
	ck_assert_int_eq(dts_money_scale(&m, -10, 18), DTS_EOVERFLOW);
	ck_assert_int_eq(dts_money_scale(&m, 0, 18), 0);
	ck_assert_int_eq(m, 0);
	ck_assert_int_eq(dts_money_scale(&m, -922337203685477580LL, 1), 0);
	ck_assert_int_eq(m, -9223372036854775800LL);
}
END_TEST

/* ---- the currency of a record ----------------------------------------- */

START_TEST(test_resolve)
{
	static const struct {
		const char *stated, *field;
		int code;
		const char *want; /* currency, or a message substring */
	} c[] = {
		{"", "", 0, ""},
		{"", "  ", 0, ""},
		{"", "usd", 0, "USD"},
		{"", "美元", 0, "USD"},
		{"USD", "", 0, "USD"},
		{"USD", "USD", 0, "USD"},
		{"CNY", "RMB", 0, "CNY"},
		{"CNY", "人民币", 0, "CNY"},
		{"CNY", "142", 0, "CNY"},
		{DTS_CURRENCY_YEN, "CNY", 0, "CNY"},
		{DTS_CURRENCY_YEN, "jpy", 0, "JPY"},
		{DTS_CURRENCY_YEN, "日元", 0, "JPY"},
		{DTS_CURRENCY_YEN, "", DTS_EINPUT, "is CNY or JPY and the record has no currency"},
		{DTS_CURRENCY_YEN, "USD", DTS_EINPUT, "(CNY or JPY) but the currency field says USD"},
		{"USD", "CNY", DTS_EINPUT, "the amount is in USD but the currency field says CNY"},
		{"", "dollars", DTS_EINPUT, "currency 'dollars' is not a currency"},
	};

	for (size_t i = 0; i < N_ELEMS(c); i++) {
		char out[DTS_CURRENCY_SIZE] = "?";
		int rc = dts_money_currency_resolve(out, c[i].stated, c[i].field,
						    strlen(c[i].field));

		ck_assert_msg(rc == c[i].code, "%zu: %d", i, rc);
		if (rc == 0)
			ck_assert_str_eq(out, c[i].want);
		else
			ck_assert_msg(strstr(dts_error_last()->message, c[i].want),
				      "%zu: '%s'", i, dts_error_last()->message);
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
	tcase_add_loop_test(tc, test_currency_ok, 0, (int)N_ELEMS(cur_oks));
	tcase_add_loop_test(tc, test_currency_bad, 0, (int)N_ELEMS(cur_bads));
	tcase_add_test(tc, test_currency_args);
	tcase_add_test(tc, test_currency_differential);
	tcase_add_test(tc, test_plain_matches_general);
	tcase_add_loop_test(tc, test_scaled, 0, (int)N_ELEMS(scaled_cases));
	tcase_add_test(tc, test_scaled_sweep);
	tcase_add_test(tc, test_scale_edges);
	tcase_add_test(tc, test_resolve);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(money_suite());
}
