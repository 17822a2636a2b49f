/* test_rates.c — rates files, lookups with fallback, currency codes. */
#include "check_main.h"
#include <check.h>
#include <string.h>

#include "dts.h"
#include "dts/rates.h"

static const char good[] =
	"period,currency,rate\n"
	"2025-01,USD,7.1879\n"
	"2025-Q1,USD,7.2\n"
	"2025,USD,7.15\n"
	"# comment\n"
	"\n"
	"2025-Q1,502,7.3\n"         /* duplicate of 2025-Q1 USD via customs code */
	;

static dts_rates *load(const char *text)
{
	dts_rates *r = NULL;

	ck_assert_int_eq(dts_rates_parse(&r, "t.csv", text, strlen(text)), 0);
	return r;
}

static dts_rate lookup(const dts_rates *r, const char *period, const char *cur)
{
	dts_period p;
	dts_rate rate = 0;

	ck_assert_int_eq(dts_period_parse(&p, period, strlen(period)), 0);
	ck_assert_int_eq(dts_rates_lookup(&rate, r, &p, cur), 0);
	return rate;
}

START_TEST(fallback)
{
	dts_rates *r = load("period,currency,rate\n2025-01,USD,7.1879\n"
			    "2025-Q1,USD,7.2\n2025,USD,7.15\n\"2024\",\"eur\",\"7.8\"\r\n");

	ck_assert_int_eq(dts_rates_count(r), 4);
	ck_assert(lookup(r, "2025-01-31", "USD") == 71879000000LL);
	ck_assert(lookup(r, "2025-02", "USD") == 72000000000LL);
	ck_assert(lookup(r, "2025-Q1", "USD") == 72000000000LL);
	ck_assert(lookup(r, "2025-11-02", "USD") == 71500000000LL);
	ck_assert(lookup(r, "2025", "USD") == 71500000000LL);
	ck_assert(lookup(r, "2024-05", "EUR") == 78000000000LL);
	dts_rates_free(r);
}
END_TEST

/* A rate for the reporting currency itself would be ignored: refused,
 * naming the file and the line of the first one. */
START_TEST(reporting_currency_rate_refused)
{
	dts_rates *r = NULL;

	ck_assert_int_eq(dts_rates_parse(&r, "rates.csv", "period,currency,rate\n"
			 "2025-01,USD,7.1879\n2025,RMB,1\n2025-02,CNY,1\n", 65), 0);
	ck_assert_int_eq(dts_rates_check_reporting(r, "CNY"), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "rates.csv");
	ck_assert_uint_eq(dts_error_last()->line, 3);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "reporting currency"));
	ck_assert_int_eq(dts_rates_check_reporting(r, "USD"), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 2);
	ck_assert_int_eq(dts_rates_check_reporting(r, "EUR"), 0);
	ck_assert_int_eq(dts_rates_check_reporting(NULL, "CNY"), 0);
	dts_rates_free(r);
}
END_TEST

START_TEST(missing_rate_names_both)
{
	dts_rates *r = load("period,currency,rate\n2025-01,USD,7.1879\n");
	dts_period p;
	dts_rate rate;

	ck_assert_int_eq(dts_period_parse(&p, "2025-02-03", 10), 0);
	ck_assert_int_eq(dts_rates_lookup(&rate, r, &p, "USD"), DTS_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "USD"));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "2025-02"));
	ck_assert_int_eq(dts_rates_lookup(&rate, r, &p, "EUR"), DTS_ENOTFOUND);
	dts_rates_free(r);
}
END_TEST

static void bad_file(const char *text, unsigned line, const char *what)
{
	dts_rates *r = (dts_rates *)1;

	ck_assert_int_lt(dts_rates_parse(&r, "bad.csv", text, strlen(text)), 0);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(dts_error_last()->file, "bad.csv");
	ck_assert_uint_eq(dts_error_last()->line, line);
	ck_assert_msg(strstr(dts_error_last()->message, what), "%s",
		      dts_error_last()->message);
}

START_TEST(malformed)
{
	bad_file(good, 7, "duplicate");
	bad_file("period,currency,rate\n2025-01,USD\n", 2, "3 columns");
	bad_file("2025-13,USD,7\n", 1, "invalid period");
	bad_file("2025-01,US,7\n", 1, "unknown currency");
	bad_file("2025-01,USD,0\n", 1, "bad rate");
	bad_file("2025-01,USD,-7\n", 1, "bad rate");
	bad_file("2025-01,USD,7.12345678901\n", 1, "bad rate");
	bad_file("2025-01,USD,1e3\n", 1, "bad rate");
	bad_file("2025-01-02,USD,7\n", 1, "daily");
	bad_file("2025-01,USD,7,8\n", 1, "3 columns");
	bad_file("2025-01,USD,99999999999\n", 1, "too large");
}
END_TEST

/*
 * Rates files are read by the library's CSV reader (dts/csv.h): quoted
 * fields may hold what a quote allows, a BOM and CRLF are dropped, and a
 * row the reader refuses (text after a closing quote, an unterminated
 * quote) is an error naming the file and line; comments are skipped even
 * when they are not valid CSV.
 */
START_TEST(read_as_csv)
{
	dts_rates *r = load("\xEF\xBB\xBF" "Period,Currency,Rate\r\n"
			    "# a comment, \"with\" quotes\"x\r\n"
			    "  \r\n"
			    " 2025-01 , usd , 7.1879 \r\n"
			    "\"2025-02\",\"EUR\",\"7.5\"\r\n"
			    "2025-03,\"\u7f8e\u5143\",7.2\n");

	ck_assert_int_eq(dts_rates_count(r), 3);
	ck_assert(lookup(r, "2025-01", "USD") == 71879000000LL);
	ck_assert(lookup(r, "2025-02", "EUR") == 75000000000LL);
	ck_assert(lookup(r, "2025-03", "USD") == 72000000000LL);
	dts_rates_free(r);
	bad_file("period,currency,rate\n2025-01,\"USD\"x,7\n", 2,
		 "after closing quote in column 2");
	bad_file("period,currency,rate\n2025-01,USD,7\n2025-02,\"USD,7\n", 3,
		 "unterminated quote");
	bad_file("2025-01,USD,\"7,1\"\n", 1, "bad rate");
	bad_file("2025-01,US\xC3,7\n", 1, "neither UTF-8 nor GB18030");
	/* UTF-16 with a byte-order mark is read (dts/csv.h), not read as no rates */
	{
		static const char u16[] = "\xFF\xFE" "2\0" "0\0" "2\0" "5\0" "-\0" "0\0" "1\0"
			",\0" "U\0" "S\0" "D\0" ",\0" "7\0" ".\0" "1\0" "\n\0";
		dts_rates *r16 = (dts_rates *)1;

		ck_assert_int_eq(dts_rates_parse(&r16, "u16.csv", u16, sizeof(u16) - 1), 0);
		ck_assert_int_eq(dts_rates_count(r16), 1);
		ck_assert(lookup(r16, "2025-01", "USD") == 71000000000LL);
		dts_rates_free(r16);
	}
	/* the header is skipped on line 1 only */
	bad_file("\nperiod,currency,rate\n", 2, "invalid period");
}
END_TEST

START_TEST(currencies)
{
	static const char *const in[][2] = {
		{"142", "CNY"}, {"502", "USD"}, {"300", "EUR"}, {"usd", "USD"},
		{" Jpy ", "JPY"}, {"人民币", "CNY"}, {"美元", "USD"}, {"RMB", "CNY"},
		{"110", "HKD"},
	};
	char out[4];

	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		ck_assert_int_eq(dts_currency_normalize(out, in[i][0],
							strlen(in[i][0])), 0);
		ck_assert_str_eq(out, in[i][1]);
	}
	ck_assert_int_eq(dts_currency_normalize(out, "999", 3), DTS_EINPUT);
	ck_assert_int_eq(dts_currency_normalize(out, "US$", 3), DTS_EINPUT);
	ck_assert_int_eq(dts_currency_normalize(out, "", 0), DTS_EINPUT);
}
END_TEST

START_TEST(file_io)
{
	dts_rates *r = (dts_rates *)1;

	ck_assert_int_eq(dts_rates_load(&r, "/nonexistent/rates.csv"), DTS_EIO);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(dts_error_last()->file, "/nonexistent/rates.csv");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rates");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fallback);
	tcase_add_test(tc, missing_rate_names_both);
	tcase_add_test(tc, reporting_currency_rate_refused);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, read_as_csv);
	tcase_add_test(tc, currencies);
	tcase_add_test(tc, file_io);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
