/* test_period.c — record periods: accepted forms, keys, rejects. */
#include "check_main.h"
#include <check.h>
#include <stdint.h>
#include <stdio.h>
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

/* Every form a bureau file writes, and the key at its own level. */
START_TEST(bureau_forms)
{
	static const struct {
		const char *in, *key;
		dts_period_level level;
	} c[] = {
		{"2025-01-03 10:21:33", "2025-01-03", DTS_PERIOD_DAY},
		{"2025-01-03T10:21:33Z", "2025-01-03", DTS_PERIOD_DAY},
		{"2025-01-03t10:21:33z", "2025-01-03", DTS_PERIOD_DAY},
		{"2025-01-03T23:59:60.123+08:00", "2025-01-03", DTS_PERIOD_DAY},
		{"2025-01-03T00:00-0530", "2025-01-03", DTS_PERIOD_DAY},
		{"2025-01-03  10:21", "2025-01-03", DTS_PERIOD_DAY},
		{"2025/01/07 08:15", "2025-01-07", DTS_PERIOD_DAY},
		{"2025/1/7 8:15", "2025-01-07", DTS_PERIOD_DAY},
		{"2025/1/7", "2025-01-07", DTS_PERIOD_DAY},
		{"2025/12/31", "2025-12-31", DTS_PERIOD_DAY},
		{"2025/3", "2025-03", DTS_PERIOD_MONTH},
		{"20250314 10:21:33", "2025-03-14", DTS_PERIOD_DAY},
		{"2025.03.14", "2025-03-14", DTS_PERIOD_DAY},
		{"2025/Q2", "2025-Q2", DTS_PERIOD_QUARTER},
		{"2025年3月", "2025-03", DTS_PERIOD_MONTH},
		{"2025年03月", "2025-03", DTS_PERIOD_MONTH},
		{"２０２５年３月", "2025-03", DTS_PERIOD_MONTH},
		{"2025年3月5日", "2025-03-05", DTS_PERIOD_DAY},
		{"2025年3月5号", "2025-03-05", DTS_PERIOD_DAY},
		{"2024年2月29日", "2024-02-29", DTS_PERIOD_DAY},
		{"2025年3月5日 10:21", "2025-03-05", DTS_PERIOD_DAY},
		{"2025年第一季度", "2025-Q1", DTS_PERIOD_QUARTER},
		{"2025年第1季度", "2025-Q1", DTS_PERIOD_QUARTER},
		{"2025年一季度", "2025-Q1", DTS_PERIOD_QUARTER},
		{"2025年4季度", "2025-Q4", DTS_PERIOD_QUARTER},
		{"2025年第三季", "2025-Q3", DTS_PERIOD_QUARTER},
		{"2025年Q2", "2025-Q2", DTS_PERIOD_QUARTER},
		{"2025年", "2025", DTS_PERIOD_YEAR},
		{"2025年度", "2025", DTS_PERIOD_YEAR},
		{"2025年全年", "2025", DTS_PERIOD_YEAR},
		{"2025年1-12月", "2025", DTS_PERIOD_YEAR},
		{"2025年1-3月", "2025-Q1", DTS_PERIOD_QUARTER},
		{"2025年1月-3月", "2025-Q1", DTS_PERIOD_QUARTER},
		{"2025年1～3月", "2025-Q1", DTS_PERIOD_QUARTER},
		{"2025年4-6月", "2025-Q2", DTS_PERIOD_QUARTER},
		{"2025年10至12月", "2025-Q4", DTS_PERIOD_QUARTER},
		{"2025年3-3月", "2025-03", DTS_PERIOD_MONTH},
		{"2025-10-01/P3M", "2025-Q4", DTS_PERIOD_QUARTER},
		{"2025-01-01/P1Y", "2025", DTS_PERIOD_YEAR},
		{" 2025年3月\r", "2025-03", DTS_PERIOD_MONTH},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		dts_period p;
		char buf[16];

		ck_assert_msg(dts_period_parse(&p, c[i].in, strlen(c[i].in)) == 0,
			      "'%s': %s", c[i].in, dts_error_last()->message);
		ck_assert_msg(p.level == c[i].level, "'%s' level %d", c[i].in,
			      p.level);
		ck_assert_int_eq(dts_period_key(buf, sizeof(buf), &p, p.level),
				 (int)strlen(c[i].key));
		ck_assert_str_eq(buf, c[i].key);
	}
}
END_TEST

/* Half years and other spans: refused by dts_period_parse with a message
 * naming dts_period_parse_span, read by it, keyed in SDMX form. */
START_TEST(spans)
{
	static const struct {
		const char *in, *key;
		int first, last;
	} c[] = {
		{"2025年1-6月", "2025-S1", 1, 6},
		{"2025年7-12月", "2025-S2", 7, 12},
		{"2025年上半年", "2025-S1", 1, 6},
		{"2025年下半年", "2025-S2", 7, 12},
		{"2025-H1", "2025-S1", 1, 6},
		{"2025H2", "2025-S2", 7, 12},
		{"2025h1", "2025-S1", 1, 6},
		{"2025-S2", "2025-S2", 7, 12},
		{"2025年1-5月", "2025-01-01/P5M", 1, 5},
		{"2025年1—5月", "2025-01-01/P5M", 1, 5},
		{"2025年1～5月", "2025-01-01/P5M", 1, 5},
		{"2025年1~5月", "2025-01-01/P5M", 1, 5},
		{"2025年1–5月", "2025-01-01/P5M", 1, 5},
		{"2025年1－5月", "2025-01-01/P5M", 1, 5},
		{"2025年1到5月", "2025-01-01/P5M", 1, 5},
		{"2025年3-5月", "2025-03-01/P3M", 3, 5},
		{"2025年1-11月", "2025-01-01/P11M", 1, 11},
		{"2025年2-12月", "2025-02-01/P11M", 2, 12},
		{"2025-01-01/P5M", "2025-01-01/P5M", 1, 5},
		{"2025-07-01/P6M", "2025-S2", 7, 12},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		dts_period p;
		dts_period_span sp;
		char key[DTS_PERIOD_SPAN_KEY_SIZE];

		ck_assert_int_eq(dts_period_parse(&p, c[i].in, strlen(c[i].in)),
				 DTS_EINPUT);
		ck_assert_msg(strstr(dts_error_last()->message, "dts_period_parse_span") &&
			      strstr(dts_error_last()->message, c[i].key) &&
			      strstr(dts_error_last()->message, "invalid period"),
			      "'%s': %s", c[i].in, dts_error_last()->message);
		ck_assert_msg(dts_period_parse_span(&sp, c[i].in, strlen(c[i].in)) == 0,
			      "'%s': %s", c[i].in, dts_error_last()->message);
		ck_assert_int_eq(sp.year, 2025);
		ck_assert_int_eq(sp.first_month, c[i].first);
		ck_assert_int_eq(sp.last_month, c[i].last);
		ck_assert_int_eq(sp.day, 0);
		ck_assert_int_eq(dts_period_span_key(key, sizeof(key), &sp),
				 (int)strlen(c[i].key));
		ck_assert_str_eq(key, c[i].key);
		/* the key reads back as the same span */
		{
			dts_period_span back;

			ck_assert_int_eq(dts_period_parse_span(&back, key, strlen(key)), 0);
			ck_assert(back.first_month == sp.first_month &&
				  back.last_month == sp.last_month);
		}
		ck_assert_int_eq(dts_period_from_span(&p, &sp), DTS_EINPUT);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
					     "not a year, quarter, month or day"));
	}
}
END_TEST

/* Every dts_period is a span; from_span gives it back, keys agree. */
START_TEST(periods_are_spans)
{
	static const char *const in[] = {
		"2025", "2025-Q3", "2025-07", "2025-07-14", "2025年3月5日 10:21",
		"2024/2/29",
	};
	static const char *const key[] = {
		"2025", "2025-Q3", "2025-07", "2025-07-14", "2025-03-05",
		"2024-02-29",
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		dts_period p, q;
		dts_period_span sp;
		char k[DTS_PERIOD_SPAN_KEY_SIZE], k2[16];

		ck_assert_int_eq(dts_period_parse(&p, in[i], strlen(in[i])), 0);
		ck_assert_int_eq(dts_period_parse_span(&sp, in[i], strlen(in[i])), 0);
		ck_assert_int_eq(dts_period_from_span(&q, &sp), 0);
		ck_assert(memcmp(&p, &q, sizeof(p)) == 0);
		ck_assert_int_eq(dts_period_span_key(k, sizeof(k), &sp),
				 (int)strlen(key[i]));
		ck_assert_str_eq(k, key[i]);
		dts_period_key(k2, sizeof(k2), &p, p.level);
		ck_assert_str_eq(k, k2);
	}
}
END_TEST

START_TEST(bureau_rejects)
{
	static const struct {
		const char *in, *why;
	} c[] = {
		{"2025-01-03 24:00", "the time must be"},
		{"2025-01-03 10:60", "the time must be"},
		{"2025-01-03 10:21:61", "the time must be"},
		{"2025-01-03 10", "the time must be"},
		{"2025-01-03T10:21:33+15:00", "the time must be"},
		{"2025-01-03T10:21:33Zx", "the time must be"},
		{"2025-01-03T10:21:33.", "the time must be"},
		{"2025-01-03 x", "the time must be"},
		{"2025-01-03x", "expected YYYY"},
		{"2025/13/1", "the month must be 1 to 12"},
		{"2025/2/30", "no such day"},
		{"2025/1/123", "expected YYYY"},
		{"2025年13月", "the month must be 1 to 12"},
		{"2025年0月", "the month must be 1 to 12"},
		{"2025年2月30日", "no such day"},
		{"2025年3月5", "expected YYYY"},
		{"2025年第五季度", "expected YYYY"},
		{"2025年第一", "expected YYYY"},
		{"2025年5-3月", "the first month comes after the last"},
		{"2025年1-13月", "the month must be 1 to 12"},
		{"2025年1-3", "expected YYYY"},
		{"2025年上半", "expected YYYY"},
		{"2025年全年度", "expected YYYY"},
		{"2025年x", "expected YYYY"},
		{"2025-H3", "expected YYYY"},
		{"2025-S0", "expected YYYY"},
		{"2025-10-01/P4M", "the range must stay in one year"},
		{"2025-01-02/P4M", "expected YYYY"},
		{"2025-01-01/P0M", "expected YYYY"},
		{"2025-01-01/P2Y", "expected YYYY"},
		{"25年3月", "the year must be four digits"},
		{"0999年", "the year must be four digits"},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		dts_period p;
		dts_period_span sp;

		ck_assert_msg(dts_period_parse(&p, c[i].in, strlen(c[i].in)) == DTS_EINPUT,
			      "accepted '%s'", c[i].in);
		ck_assert_msg(strstr(dts_error_last()->message, c[i].why) &&
			      strstr(dts_error_last()->message, "invalid period"),
			      "'%s': %s", c[i].in, dts_error_last()->message);
		ck_assert_int_eq(dts_period_parse_span(&sp, c[i].in, strlen(c[i].in)),
				 DTS_EINPUT);
	}
}
END_TEST

START_TEST(span_errors)
{
	dts_period_span sp = {2025, 1, 5, 0}, bad1 = {2025, 6, 5, 0},
			bad2 = {2025, 1, 3, 4}, bad3 = {2025, 2, 2, 30},
			bad4 = {999, 1, 1, 0};
	dts_period p;
	char key[DTS_PERIOD_SPAN_KEY_SIZE];
	char big[300];

	ck_assert_int_eq(dts_period_span_key(key, 5, &sp), DTS_EINVAL);
	ck_assert_int_eq(dts_period_span_key(NULL, 5, &sp), DTS_EINVAL);
	ck_assert_int_eq(dts_period_span_key(key, sizeof(key), NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_period_span_key(key, sizeof(key), &bad1), DTS_EINPUT);
	ck_assert_int_eq(dts_period_span_key(key, sizeof(key), &bad2), DTS_EINPUT);
	ck_assert_int_eq(dts_period_span_key(key, sizeof(key), &bad3), DTS_EINPUT);
	ck_assert_int_eq(dts_period_span_key(key, sizeof(key), &bad4), DTS_EINPUT);
	ck_assert_int_eq(dts_period_from_span(&p, &bad1), DTS_EINPUT);
	ck_assert_int_eq(dts_period_from_span(NULL, &sp), DTS_EINVAL);
	ck_assert_int_eq(dts_period_from_span(&p, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_period_parse_span(NULL, "2025", 4), DTS_EINVAL);
	ck_assert_int_eq(dts_period_parse_span(&sp, NULL, 4), DTS_EINVAL);
	ck_assert_int_eq(dts_period_parse(NULL, "2025", 4), DTS_EINVAL);
	memset(big, '1', sizeof(big));
	ck_assert_int_eq(dts_period_parse_span(&sp, big, sizeof(big)), DTS_EINPUT);
	/* the longest key fits DTS_PERIOD_SPAN_KEY_SIZE */
	sp.first_month = 2;
	sp.last_month = 12;
	ck_assert_int_eq(dts_period_span_key(key, sizeof(key), &sp), 15);
	ck_assert_str_eq(key, "2025-02-01/P11M");
}
END_TEST

/* dts_period_parse's direct path for the ISO forms agrees with the
 * general parser (through dts_period_parse_span) on every month and day,
 * valid or not, of a leap year and two others. */
START_TEST(iso_fast_path_agrees)
{
	static const int years[] = {1000, 2024, 2025, 2100, 9999};

	for (size_t y = 0; y < sizeof(years) / sizeof(*years); y++)
		for (int m = 0; m <= 13; m++)
			for (int d = 0; d <= 32; d++)
				for (int f = 0; f < 4; f++) {
					char in[32];
					dts_period a, b;
					dts_period_span sp;
					int n = f == 0 ? snprintf(in, sizeof(in), "%04d-%02d-%02d", years[y], m, d) :
						f == 1 ? snprintf(in, sizeof(in), "%04d%02d%02d", years[y], m, d) :
						f == 2 ? snprintf(in, sizeof(in), "%04d-%02d", years[y], m) :
						snprintf(in, sizeof(in), "%04d%02d", years[y], m);
					int ra = dts_period_parse(&a, in, (size_t)n);
					int rb, rs, rg;
					dts_period_span gen;
					char blank_in[40];

					/* a leading blank: the general parser, not
					 * the fast path (both functions have one) */
					snprintf(blank_in, sizeof(blank_in), " %s", in);
					rg = dts_period_parse_span(&gen, blank_in, (size_t)n + 1);
					rs = dts_period_parse_span(&sp, in, (size_t)n);
					ck_assert_msg(rs == rg, "%s: span %d vs %d", in, rs, rg);
					if (rs == 0)
						ck_assert_msg(!memcmp(&sp, &gen, sizeof(sp)), "%s: span", in);
					rb = rg;
					if (rb == 0)
						rb = dts_period_from_span(&b, &gen);
					ck_assert_msg(ra == rb, "%s: %d vs %d", in, ra, rb);
					if (ra == 0)
						ck_assert_msg(!memcmp(&a, &b, sizeof(a)), "%s", in);
					if (f >= 2)
						break; /* no day in a month */
				}
}
END_TEST

/* The fast path and the general parser (reached through a leading
 * blank) agree on s: result, span and dts_period. */
static void fast_agrees(const char *in, size_t n)
{
	char blank_in[40];
	dts_period a, b;
	dts_period_span sp, gen;
	int ra, rs, rg, rb;

	blank_in[0] = ' ';
	memcpy(blank_in + 1, in, n);
	rg = dts_period_parse_span(&gen, blank_in, n + 1);
	rs = dts_period_parse_span(&sp, in, n);
	ck_assert_msg(rs == rg, "'%.*s': span %d vs %d", (int)n, in, rs, rg);
	if (rs == 0)
		ck_assert_msg(!memcmp(&sp, &gen, sizeof(sp)), "'%.*s': span", (int)n, in);
	ra = dts_period_parse(&a, in, n);
	rb = rg == 0 ? dts_period_from_span(&b, &gen) : rg;
	ck_assert_msg(ra == rb, "'%.*s': %d vs %d", (int)n, in, ra, rb);
	if (ra == 0)
		ck_assert_msg(!memcmp(&a, &b, sizeof(a)), "'%.*s'", (int)n, in);
}

/* The fast path reads the eight digits as one word: every byte value at
 * every position of each of its four forms (digits next to '/' and ':',
 * bytes that would carry, '-' misplaced, NUL), every year of each form,
 * and random digit strings of each length. */
START_TEST(iso_fast_path_every_byte)
{
	static const char *const iso[] = {"2024-02-29", "20240229", "2024-02", "202402",
					    "2023-12-31", "20231231", "2023-11", "202311"};
	uint64_t r = 2463534242u;
	char in[16];

	for (size_t f = 0; f < sizeof(iso) / sizeof(*iso); f++) {
		size_t n = strlen(iso[f]);

		for (size_t at = 0; at < n; at++)
			for (int b = 0; b < 256; b++) {
				memcpy(in, iso[f], n);
				in[at] = (char)b;
				fast_agrees(in, n);
			}
	}
	for (int y = 0; y <= 9999; y++) {
		int m = y % 14, d = y % 33;
		fast_agrees(in, (size_t)snprintf(in, sizeof(in), "%04d-%02d-%02d", y, m, d));
		fast_agrees(in, (size_t)snprintf(in, sizeof(in), "%04d%02d%02d", y, m, d));
		fast_agrees(in, (size_t)snprintf(in, sizeof(in), "%04d-%02d", y, m));
		fast_agrees(in, (size_t)snprintf(in, sizeof(in), "%04d%02d", y, m));
	}
	for (int t = 0; t < 200000; t++) {
		size_t n = (size_t)(5 + t % 7);

		for (size_t i = 0; i < n; i++) {
			r ^= r << 13; r ^= r >> 7; r ^= r << 17;
			in[i] = (char)('0' + r % 10);
		}
		if (n >= 7 && (r >> 20) % 2)
			in[4] = '-';
		if (n == 10 && (r >> 21) % 2)
			in[7] = '-';
		fast_agrees(in, n);
	}
}
END_TEST

/* Issue 15: every span lands in one cell of each grain, its own or the
 * year's not-allocated one, and the key reads back. */
START_TEST(cell_keys)
{
	static const struct { const char *in, *key[4]; } cases[] = {
		/*            year    half        quarter     month */
		{"2025-03-14", {"2025", "2025-S1", "2025-Q1", "2025-03"}},
		{"2025-03", {"2025", "2025-S1", "2025-Q1", "2025-03"}},
		{"2025-Q2", {"2025", "2025-S1", "2025-Q2", "2025-NA"}},
		{"2025-Q3", {"2025", "2025-S2", "2025-Q3", "2025-NA"}},
		{"2025年上半年", {"2025", "2025-S1", "2025-NA", "2025-NA"}},
		{"2025-S2", {"2025", "2025-S2", "2025-NA", "2025-NA"}},
		{"2025年1-5月", {"2025", "2025-S1", "2025-NA", "2025-NA"}},
		{"2025年5-7月", {"2025", "2025-NA", "2025-NA", "2025-NA"}},
		{"2025年3-4月", {"2025", "2025-S1", "2025-NA", "2025-NA"}},
		{"2025年4-5月", {"2025", "2025-S1", "2025-Q2", "2025-NA"}},
		{"2025", {"2025", "2025-NA", "2025-NA", "2025-NA"}},
		{"2024-12-31", {"2024", "2024-S2", "2024-Q4", "2024-12"}}};
	char k[DTS_PERIOD_SPAN_KEY_SIZE];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		dts_period_span sp, back;

		ck_assert_int_eq(dts_period_parse_span(&sp, cases[i].in,
						       strlen(cases[i].in)), 0);
		for (int g = DTS_GRAIN_YEAR; g <= DTS_GRAIN_MONTH; g++) {
			const char *want = cases[i].key[g - 1];
			int n = dts_period_cell_key(k, sizeof(k), &sp,
						    (dts_period_grain)g);
			int rg;

			ck_assert_msg(n == (int)strlen(want) && !strcmp(k, want),
				      "%s grain %d: %s, want %s", cases[i].in, g,
				      k, want);
			rg = dts_period_cell_parse(&back, k, (size_t)n);
			ck_assert_int_eq(rg, strstr(want, "NA") ? 0 : g);
			ck_assert_int_eq(back.year, sp.year);
			if (rg)   /* the cell contains the span */
				ck_assert(back.first_month <= sp.first_month &&
					  back.last_month >= sp.last_month);
		}
	}
	ck_assert_int_eq(dts_period_grain_parse("half"), DTS_GRAIN_HALF);
	ck_assert_int_eq(dts_period_grain_parse("month"), DTS_GRAIN_MONTH);
	ck_assert_int_eq(dts_period_grain_parse("day"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_period_grain_parse(NULL), DTS_ENOTFOUND);
	{
		dts_period_span sp = {2025, 1, 3, 0}, bad = {2025, 4, 3, 0};

		ck_assert_int_eq(dts_period_cell_key(k, 5, &sp, DTS_GRAIN_QUARTER),
				 DTS_EINVAL);
		ck_assert_int_eq(dts_period_cell_key(k, sizeof(k), &sp,
						     (dts_period_grain)5), DTS_EINVAL);
		ck_assert_int_eq(dts_period_cell_key(k, sizeof(k), &bad,
						     DTS_GRAIN_YEAR), DTS_EINPUT);
		ck_assert_int_eq(dts_period_cell_key(k, 7, &bad, DTS_GRAIN_YEAR),
				 DTS_EINPUT);
		sp.last_month = 12;
		ck_assert_int_eq(dts_period_cell_key(k, 7, &sp, DTS_GRAIN_MONTH),
				 DTS_EINVAL);   /* "2025-NA" and its NUL need 8 */
	}
	{
		static const char *const bad[] = {"2025-13", "2025-Q5", "2025-S3",
			"2025-N", "2025-M03", "202", "2025-01-01/P3M", "x025"};
		dts_period_span sp;

		for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
			ck_assert_msg(dts_period_cell_parse(&sp, bad[i],
							   strlen(bad[i])) ==
				      DTS_EINPUT, "%s", bad[i]);
		ck_assert_int_eq(dts_period_cell_parse(NULL, "2025", 4), DTS_EINVAL);
	}
}
END_TEST

/* A day's cell is its month's in every grain: dts-aggregate keeps one
 * period key per month and grain for the records of all its days
 * (aggregate.c, pkey_tag). */
START_TEST(day_cell_is_its_month)
{
	static const int years[] = {1000, 1900, 2000, 2024, 2025, 9999};

	for (size_t y = 0; y < sizeof(years) / sizeof(*years); y++)
		for (int m = 1; m <= 12; m++)
			for (int g = DTS_GRAIN_YEAR; g <= DTS_GRAIN_MONTH; g++) {
				dts_period_span month = {years[y], m, m, 0};
				char km[DTS_PERIOD_SPAN_KEY_SIZE], kd[DTS_PERIOD_SPAN_KEY_SIZE];

				ck_assert_int_gt(dts_period_cell_key(km, sizeof(km), &month,
								     (dts_period_grain)g), 0);
				for (int d = 1; d <= 28; d++) {
					dts_period_span day = {years[y], m, m, d};

					ck_assert_int_gt(dts_period_cell_key(kd, sizeof(kd), &day,
									     (dts_period_grain)g), 0);
					ck_assert_str_eq(kd, km);
				}
			}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("period");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, forms);
	tcase_add_test(tc, rejects);
	tcase_add_test(tc, coarser_input);
	tcase_add_test(tc, bureau_forms);
	tcase_add_test(tc, spans);
	tcase_add_test(tc, periods_are_spans);
	tcase_add_test(tc, bureau_rejects);
	tcase_add_test(tc, span_errors);
	tcase_add_test(tc, iso_fast_path_agrees);
	tcase_add_test(tc, iso_fast_path_every_byte);
	tcase_add_test(tc, cell_keys);
	tcase_add_test(tc, day_cell_is_its_month);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
