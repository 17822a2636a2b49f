/*
 * test_report.c — the exact percentage and the annex report: definitions
 * (errors name file:line), sums, shares, growth, targets, goals, reported
 * values, the boundary table and the report's tables, every figure exact.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- the report ------------------------------------------------------------ */

#define HDR "id,no,kind,categories,flows,base,of,target,unit,name_zh,name_en\n"

static const char *const rdims[] = {"period:year", "flow", "category:top",
				    "base"};

static dts_cube *new_cube(void)
{
	dts_cube *c = NULL;

	ck_assert_int_eq(dts_cube_new(&c, rdims, 4, "CNY"), 0);
	return c;
}

/* value in yuan (integer), rate one */
static void add(dts_cube *c, const char *year, const char *flow,
		const char *cat, const char *base, int64_t yuan)
{
	const char *k[4] = {year, flow, cat, base};

	ck_assert_int_eq(dts_cube_add(c, k, yuan * DTS_MONEY_SCALE,
				      DTS_RATE_ONE, ""), 0);
}

static dts_report *parse(const char *text)
{
	dts_report *r = NULL;
	int rc = dts_report_parse(&r, "defs.csv", text, strlen(text));

	ck_assert_msg(rc == 0, "parse: %s", dts_error_last() ?
		      dts_error_last()->message : "?");
	return r;
}

/* Row of indicator `id` in year index y. */
static dts_report_row row_of(const dts_report *r, const char *id, size_t y)
{
	dts_report_row w;
	int i = dts_report_find(r, id);

	ck_assert_int_ge(i, 0);
	ck_assert_int_eq(dts_report_row_get(&w, r, (size_t)i, y), 0);
	return w;
}

/* The error of parsing `body` after the header: file:line and a word. */
static void bad_def(const char *body, unsigned line, const char *word)
{
	char text[1024];
	dts_report *r = (dts_report *)1;

	snprintf(text, sizeof(text), HDR "%s", body);
	ck_assert_int_eq(dts_report_parse(&r, "defs.csv", text, strlen(text)),
			 DTS_EINPUT);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(dts_error_last()->file, "defs.csv");
	ck_assert_uint_eq(dts_error_last()->line, line);
	ck_assert_msg(strstr(dts_error_last()->message, word) != NULL,
		      "\"%s\" not in \"%s\"", word, dts_error_last()->message);
}

START_TEST(definition_errors_name_file_and_line)
{
	dts_report *r = NULL;

	bad_def("A,,sum,DT,X,,,,亿元,a,a\nB,,sum,XYZ,X,,,,亿元,b,b\n", 3,
		"unknown category");
	bad_def("A,,sum,DT,,,,,亿元,a,a\n", 2, "needs categories and flows");
	bad_def("A,,sum,DT,X,air,,,亿元,a,a\n", 2, "base must be");
	bad_def("A,,sum,DT,X,,,,亿元,a,a\nA,,sum,DT,M,,,,亿元,a,a\n", 3,
		"duplicate indicator id \"A\"");
	bad_def("A,,share,,,,B/C,,%,a,a\nB,,sum,DT,X,,,,亿元,b,b\n", 2,
		"not defined above it");
	bad_def("A,,growth,,,,A,,%,a,a\n", 2, "not defined above it");
	bad_def("A,,share,,,,A,,%,a,a\n", 2, "needs of=NUM/DEN");
	bad_def("A,,average,,,,,,%,a,a\n", 2, "kind must be");
	bad_def("A,,sum,DT,X,,,>=ten,亿元,a,a\n", 2, "bad target");
	bad_def("A,,sum,DT,X,,,-5,亿元,a,a\n", 2, "negative target");
	bad_def("A,,sum,DT,X,,,,亿元,a\n", 2, "wrong number of fields");
	/* a missing column is reported on the header line */
	ck_assert_int_eq(dts_report_parse(&r, "defs.csv", "id,no,kind\nA,,sum\n",
					  18), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 1);
	ck_assert_str_eq(dts_error_last()->message, "missing column \"categories\"");
	ck_assert_int_eq(dts_report_load(&r, "/nonexistent/defs.csv"), DTS_EIO);
	dts_report_free(NULL);
}
END_TEST

/* Two years: goods CBEC exports, services TECH exports, not digital both. */
static dts_cube *trade(void)
{
	dts_cube *c = new_cube();

	add(c, "2024", "X", "CBEC", "goods", 100000000);     /* 1 亿 */
	add(c, "2024", "X", "TECH", "services", 700000000);  /* 7 亿 */
	add(c, "2024", "M", "NONE", "goods", 200000000);
	add(c, "2025", "X", "CBEC", "goods", 100125000);     /* +0.125 % */
	add(c, "2025", "X", "TECH", "services", 0);
	add(c, "2025", "M", "NONE", "goods", 250000000);
	return c;
}

START_TEST(sums_shares_and_growth_are_exact)
{
	dts_report *r = parse(HDR
		"DT,1,sum,DT,X+M,,,,亿元,数字贸易,Digital trade\n"
		"CB,,sum,CBEC,X,,,,亿元,cb,cb\n"
		"TE,,sum,TECH,X,,,,万元,te,te\n"
		"ALLX,,sum,ALL,X,,,,亿元,all,all\n"
		"GX,,sum,ALL,X,goods,,,亿元,g,g\n"
		"S1,,share,,,,CB/ALLX,,%,s1,s1\n"
		"S2,,share,,,,TE/ALLX,,%,s2,s2\n"
		"GCB,,growth,,,,CB,,%,g,g\n"
		"GTE,,growth,,,,TE,,%,g,g\n");
	dts_cube *c = trade();
	const int *years;
	dts_report_row w;

	ck_assert_int_eq(dts_report_compute(r, c, 4), 0);
	ck_assert_uint_eq(dts_report_years(r, &years), 2);
	ck_assert_int_eq(years[0], 2024);
	ck_assert_int_eq(years[1], 2025);
	ck_assert_uint_eq(dts_report_count(r), 9);
	ck_assert_str_eq(dts_report_indicator(r, 0)->name_zh, "数字贸易");
	ck_assert_int_eq(dts_report_indicator(r, 2)->unit_exp, 4);
	ck_assert_ptr_null(dts_report_indicator(r, 9));
	ck_assert_int_eq(dts_report_find(r, "TE"), 2);
	ck_assert_int_eq(dts_report_find(r, "1"), 0);    /* by annex number */
	ck_assert_int_eq(dts_report_find(r, "I9"), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->message, "no indicator \"I9\"");
	ck_assert_str_eq(row_of(r, "DT", 0).value, "8.0000");
	ck_assert_str_eq(row_of(r, "TE", 0).value, "70000.0000");  /* 万元 */
	ck_assert_str_eq(row_of(r, "GX", 1).value, "1.0013");      /* 1.00125 */
	/* shares of parts add up to 100 (units differ: true quantities) */
	ck_assert_str_eq(row_of(r, "S1", 0).value, "12.50");
	ck_assert_str_eq(row_of(r, "S2", 0).value, "87.50");
	/* the share of a zero total is missing, not 0 or inf */
	w = row_of(r, "S2", 1);
	ck_assert_str_eq(w.value, "0.00");   /* TE is 0 of a non-zero total */
	/* growth 0.125 % rounds half away: 0.13 (doubles printed 0.12) */
	ck_assert_str_eq(row_of(r, "GCB", 1).value, "0.13");
	ck_assert_str_eq(row_of(r, "CB", 1).growth, "0.13");
	/* to zero: -100 %; and no growth in the first year */
	ck_assert_str_eq(row_of(r, "GTE", 1).value, "-100.00");
	w = row_of(r, "GTE", 0);
	ck_assert_int_eq(w.missing, 1);
	ck_assert_str_eq(w.value, "");
	ck_assert_str_eq(row_of(r, "TE", 0).growth, "");
	ck_assert_int_eq(dts_report_row_get(&w, r, 9, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_report_row_get(&w, r, 0, 2), DTS_EINVAL);
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(growth_with_a_zero_or_absent_base_is_missing)
{
	dts_report *r = parse(HDR
		"TE,,sum,TECH,X,,,,亿元,te,te\n"
		"G,,growth,,,,TE,,%,g,g\n"
		"TS,,share,,,,TE/TE,,%,s,s\n");
	dts_cube *c = new_cube();
	dts_report_row w;

	add(c, "2023", "X", "TECH", "services", 0);
	add(c, "2024", "X", "TECH", "services", 5);
	add(c, "2026", "X", "TECH", "services", 7);   /* 2025 absent */
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	w = row_of(r, "G", 1);            /* 2024 on a zero 2023 */
	ck_assert_int_eq(w.missing, 1);
	ck_assert_str_eq(row_of(r, "TE", 1).growth, "");
	ck_assert_int_eq(row_of(r, "G", 2).missing, 1);   /* 2026: no 2025 */
	ck_assert_int_eq(row_of(r, "TS", 0).missing, 1);  /* 0 of 0 */
	ck_assert_str_eq(row_of(r, "TS", 1).value, "100.00");
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(targets_and_attainment)
{
	dts_report *r = parse(HDR
		"A,1,reported,,,,,,个,a,a\n"
		"B,2,reported,,,,,>=2001,个,b,b\n"
		"C,,reported,,,,,>2001,个,c,c\n"
		"D,,reported,,,,,2000,个,d,d\n"
		"E,,reported,,,,,<=2001,个,e,e\n");
	const char *tg = "no,name,y2024,y2025\n1,a,2000,0\n2,b,,4000\n9,x,1,1\n";
	const char *rep = "id,year,value\n# a comment, ignored\nA,2024,2001\n"
		"A,2025,7\nB,2024,2001\nC,2024,2001\nD,2024,2001\nE,2024,2001\n"
		"2,2025,\n";
	dts_cube *c = new_cube();
	dts_report_row w;

	add(c, "2024", "X", "TECH", "services", 1);
	add(c, "2025", "X", "TECH", "services", 1);
	ck_assert_int_eq(dts_report_parse_targets(r, "t.csv", tg, strlen(tg)), 0);
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", rep, strlen(rep)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	/* 2001 of 2000 = 100.05 %: exactly half, so 100.1 (doubles: 100.0) */
	w = row_of(r, "A", 0);
	ck_assert_str_eq(w.value, "2001");
	ck_assert_str_eq(w.target, "2000");
	ck_assert_int_eq(w.yearly_target, 1);
	ck_assert_str_eq(w.attainment, "100.1");
	/* a zero target has no attainment */
	ck_assert_str_eq(row_of(r, "A", 1).attainment, "");
	ck_assert_str_eq(row_of(r, "A", 1).growth, "-99.65");
	/* goals: equal meets >= and <=, not > */
	ck_assert_str_eq(row_of(r, "B", 0).attainment, "met");
	ck_assert_str_eq(row_of(r, "B", 0).target, ">=2001");
	ck_assert_int_eq(row_of(r, "B", 0).yearly_target, 0);
	ck_assert_str_eq(row_of(r, "C", 0).attainment, "not met");
	ck_assert_str_eq(row_of(r, "E", 0).attainment, "met");
	/* a plain number is a target for every year */
	ck_assert_str_eq(row_of(r, "D", 0).attainment, "100.1");
	/* a reported value is shown as written, however long */
	rep = "id,year,value\nA,2024,"
	      "\"                                                  1,234,567.5\"\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", rep, strlen(rep)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_str_eq(row_of(r, "A", 0).value, "                          "
			 "                        1,234,567.5");
	ck_assert_str_eq(row_of(r, "A", 0).attainment, "61728.4");
	ck_assert_int_eq(row_of(r, "B", 0).missing, 1);   /* replaced */
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", rep, strlen(rep)), 0);
	rep = "id,year,value\nB,2024,5\nA,2024,x\n";    /* all or nothing */
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", rep, strlen(rep)),
			 DTS_EINPUT);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_int_eq(row_of(r, "B", 0).missing, 1);
	ck_assert_int_eq(row_of(r, "A", 0).missing, 0);
	/* the year's target wins over the goal; an empty value is missing */
	w = row_of(r, "B", 1);
	ck_assert_int_eq(w.missing, 1);
	ck_assert_str_eq(w.target, "4000");
	ck_assert_str_eq(w.attainment, "");
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(goals_on_percentages_are_decided_exactly)
{
	dts_report *r = parse(HDR
		"N,,sum,TECH,X,,,,元,n,n\n"
		"D,,sum,ALL,X,,,,元,d,d\n"
		"GT,,share,,,,N/D,>60,%,s,s\n"
		"GE,,share,,,,N/D,>=60,%,s,s\n"
		"LT,,share,,,,N/D,<60,%,s,s\n");
	dts_cube *c = new_cube();
	const char *k1[4] = {"2024", "X", "TECH", "services"};
	const char *k2[4] = {"2024", "X", "NONE", "services"};

	/* N = 600 yuan + 10^-14, D = 1000 yuan: 60.000000000000001 % */
	ck_assert_int_eq(dts_cube_add(c, k1, 6000000, DTS_RATE_ONE, ""), 0);
	ck_assert_int_eq(dts_cube_add(c, k1, 1, 1, ""), 0);
	ck_assert_int_eq(dts_cube_add(c, k2, 4000000, DTS_RATE_ONE, ""), 0);
	ck_assert_int_eq(dts_cube_add(c, k2, -1, 1, ""), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_str_eq(row_of(r, "GT", 0).value, "60.00");
	ck_assert_str_eq(row_of(r, "GT", 0).attainment, "met");
	ck_assert_str_eq(row_of(r, "GE", 0).attainment, "met");
	ck_assert_str_eq(row_of(r, "LT", 0).attainment, "not met");
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(targets_and_reported_errors)
{
	dts_report *r = parse(HDR "A,1,reported,,,,,,个,a,a\n"
			      "S,,sum,DT,X,,,,亿元,s,s\n");
	const char *t;

	t = "no,y2025\n1,5\n1,6\n";
	ck_assert_int_eq(dts_report_parse_targets(r, "t.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 3);
	ck_assert_str_eq(dts_error_last()->message, "a second target row for "
			 "indicator \"1\" (the first is on line 2)");
	t = "no,y2025\n1,-5\n";
	ck_assert_int_eq(dts_report_parse_targets(r, "t.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "negative target \"-5\"");
	t = "no,y2025\n1,five\n";
	ck_assert_int_eq(dts_report_parse_targets(r, "t.csv", t, strlen(t)), DTS_EINPUT);
	t = "no,year\n1,5\n";
	ck_assert_int_eq(dts_report_parse_targets(r, "t.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 1);
	t = "id,year,value\nA,2025,3\n1,2025,4\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "r.csv");
	ck_assert_uint_eq(dts_error_last()->line, 3);
	ck_assert_str_eq(dts_error_last()->message, "a second value for \"A\" in "
			 "2025 (the first is on line 2)");
	t = "id,year,value\nNOPE,2025,3\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "not a reported indicator \"NOPE\"");
	/* a sum may be supplied (an official total); role must be known */
	t = "id,year,value\nS,2025,3\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), 0);
	t = "id,year,value,role\nS,2025,3,total\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "role must be value, base or "
			 "empty \"total\"");
	t = "id,year,value,role\nS,2024,3,base\nS,2024,4,base\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "a second base for \"S\" in "
			 "2024 (the first is on line 2)");
	t = "id,year,value\nA,25,3\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	t = "id,year,value\nA,2025,many\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "bad value \"many\"");
	t = "id,year,value\nA,2025\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "too few fields");
	t = "id,year,value\nA,2025,1,234\n";   /* unquoted: never 1 */
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "wrong number of fields "
			 "(got 4, header has 3)");
	t = "id,value\nA,3\n";
	ck_assert_int_eq(dts_report_parse_reported(r, "r.csv", t, strlen(t)), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 1);
	dts_report_free(r);
}
END_TEST

START_TEST(boundary_adds_up)
{
	dts_cube *c = trade();
	dts_boundary b;
	dts_amount sum = DTS_AMOUNT_ZERO, v;
	dts_table *t = NULL;
	const char *k[4] = {"2024", "M", "NONE", ""};   /* no base */
	char buf[64];

	ck_assert_int_eq(dts_report_boundary(&b, c, 2024), 0);
	ck_assert_int_eq(b.year, 2024);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(dts_amount_add(&sum, &b.value[i][DTS_BOUNDARY_BOTH]
						[DTS_BOUNDARY_FLOWS]), 0);
	ck_assert_int_eq(dts_amount_cmp(&sum, &b.value[DTS_BOUNDARY_BASES]
					[DTS_BOUNDARY_BOTH][DTS_BOUNDARY_FLOWS]), 0);
	dts_amount_format(buf, sizeof(buf), &b.value[DTS_BOUNDARY_BASES]
			  [DTS_BOUNDARY_DIGITAL][DTS_BOUNDARY_EXPORT], 8, 2);
	ck_assert_str_eq(buf, "8.00");
	dts_amount_format(buf, sizeof(buf), &b.value[DTS_BOUNDARY_GOODS]
			  [DTS_BOUNDARY_ORDINARY][DTS_BOUNDARY_IMPORT], 8, 2);
	ck_assert_str_eq(buf, "2.00");
	ck_assert_int_eq(dts_report_boundary_table(&t, c, 2024, 2), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 9);   /* no unknown base */
	ck_assert_str_eq(dts_table_cell(t, 8, 5), "10.00");
	dts_table_free(t);
	ck_assert_int_eq(dts_cube_add(c, k, 1, DTS_RATE_ONE, ""), 0);
	ck_assert_int_eq(dts_report_boundary_table(&t, c, 2024, 2), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 12);
	ck_assert_str_eq(dts_table_cell(t, 6, 1), "unknown");
	dts_table_free(t);
	ck_assert_int_eq(dts_report_boundary_table(&t, c, 2024, 15), DTS_EINVAL);
	/* one sum, as an indicator would compute it */
	ck_assert_int_eq(dts_report_sum(&v, c, 2024, "CBEC+TECH", "X", NULL), 0);
	dts_amount_format(buf, sizeof(buf), &v, 8, 2);
	ck_assert_str_eq(buf, "8.00");
	ck_assert_int_eq(dts_report_sum(&v, c, 2024, "ALL", "X+M", "goods"), 0);
	dts_amount_format(buf, sizeof(buf), &v, 8, 2);
	ck_assert_str_eq(buf, "3.00");
	ck_assert_int_eq(dts_report_sum(&v, c, 2024, "TECH.CLOUD", "X", NULL),
			 DTS_EINPUT);
	ck_assert_int_eq(dts_report_sum(&v, c, 2024, "DT", "Q", NULL), DTS_EINPUT);
	dts_cube_free(c);
}
END_TEST

START_TEST(a_percentage_out_of_range_names_the_indicator)
{
	dts_report *r = parse(HDR "N,,sum,TECH,X,,,,元,n,n\n"
			      "D,,sum,DATA,X,,,,元,d,d\nS,,share,,,,N/D,,%,s,s\n");
	dts_cube *c = new_cube();
	const char *kn[4] = {"2024", "X", "TECH", "services"};
	const char *kd[4] = {"2024", "X", "DATA", "services"};

	ck_assert_int_eq(dts_cube_add(c, kn, INT64_MAX, DTS_RATE_ONE, ""), 0);
	ck_assert_int_eq(dts_cube_add(c, kd, 1, 1, ""), 0);   /* 10^-14 yuan */
	ck_assert_int_eq(dts_report_compute(r, c, 2), DTS_EOVERFLOW);
	ck_assert_str_eq(dts_error_last()->message,
			 "indicator S: percent out of range");
	ck_assert_uint_eq(dts_report_years(r, NULL), 0);   /* no half report */
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(a_cube_without_the_dimensions_is_refused)
{
	static const char *const two[] = {"period:year", "flow"};
	dts_report *r = parse(HDR "A,,sum,DT,X,,,,亿元,a,a\n");
	dts_cube *c = NULL;
	dts_boundary b;

	ck_assert_int_eq(dts_cube_new(&c, two, 2, "CNY"), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), DTS_EINVAL);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "no dimension \"category:top\""));
	ck_assert_int_eq(dts_report_boundary(&b, c, 2024), DTS_EINVAL);
	ck_assert_uint_eq(dts_report_years(r, NULL), 0);
	dts_cube_free(c);
	c = new_cube();
	ck_assert_int_eq(dts_report_compute(r, c, 15), DTS_EINVAL);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);   /* empty cube */
	ck_assert_uint_eq(dts_report_years(r, NULL), 0);
	dts_cube_free(c);
	dts_report_free(r);
}
END_TEST

START_TEST(annex_table_and_book)
{
	dts_report *r = parse(HDR "DT,1,sum,DT,X+M,,,,亿元,数字贸易,dt\n"
			      "R,2,reported,,,,,,个,r,r\n");
	const char *tg = "no,y2024,y2025\n1,9,10\n";
	dts_cube *c = trade();
	dts_table *t = NULL;
	const dts_book *b = NULL;

	ck_assert_int_eq(dts_report_annex_table(&t, r, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_report_parse_targets(r, "t", tg, strlen(tg)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_int_eq(dts_report_annex_table(&t, r, 0), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 4);
	ck_assert_uint_eq(dts_table_ncols(t), 11);
	ck_assert_str_eq(dts_table_col_name(t, 7), "attainment_pct");
	ck_assert_str_eq(dts_table_col_name(t, 10), "basis");
	ck_assert_str_eq(dts_table_cell(t, 0, 2), "8.00");
	ck_assert_str_eq(dts_table_cell(t, 0, 7), "88.9");   /* 8 of 9 */
	ck_assert_str_eq(dts_table_cell(t, 1, 2), "");       /* missing */
	ck_assert_str_eq(dts_table_dataflow(t), "DTS_ANNEX");
	dts_table_free(t);
	ck_assert_int_eq(dts_report_annex_table(&t, r, 2025), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 2);
	ck_assert_str_eq(dts_table_cell(t, 0, 1), "2025");
	dts_table_free(t);
	ck_assert_int_eq(dts_report_book(&b, r, c, 2023), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->message,
			 "no data for 2023: no workbook written");
	ck_assert_int_eq(dts_report_book(&b, r, c, 2025), 0);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(dts_report_book(&b, r, c, 2024), 0);   /* replaced */
	/* the annex's SDMX metadata: rows in their own units, the year as time */
	ck_assert_int_eq(dts_report_annex_table(&t, r, 0), 0);
	ck_assert_int_eq(dts_table_status(t), DTS_STATUS_PROVISIONAL);
	dts_table_free(t);
	/* notes and sources */
	ck_assert_int_eq(dts_report_targets_compared(r), 1);
	ck_assert_int_eq(dts_report_notes_table(&t, r, c), 0);
	ck_assert_str_eq(dts_table_col_name(t, 1), "note");
	ck_assert_str_eq(dts_table_cell(t, 0, 1), "none recorded");
	ck_assert_ptr_nonnull(strstr(dts_table_cell(t, dts_table_nrows(t) - 1, 1),
				     "DD = TECH + SERV + PROD + DATA"));
	dts_table_free(t);
	dts_report_free(r);   /* frees the book */
	dts_cube_free(c);
}
END_TEST

/* Under another reporting currency the plan's CNY targets are not
 * compared, and money sums are labelled in that currency. */
START_TEST(targets_only_in_their_currency)
{
	static const char *const dims[] = {"period:year", "flow", "category:top",
					   "base"};
	dts_report *r = parse(HDR "DT,1,sum,DT,X+M,,,>1,亿元,数字贸易,dt\n"
			      "P,2,reported,,,,,,亿元,p,p\n");
	const char *tg = "no,y2025\n1,9\n";
	const char *k[4] = {"2025", "X", "TECH", "services"};
	dts_table *t = NULL;
	dts_cube *c;

	ck_assert_int_eq(dts_report_targets_compared(r), 0);   /* before compute */
	ck_assert_int_eq(dts_cube_new(&c, dims, 4, "USD"), 0);
	ck_assert_int_eq(dts_cube_add(c, k, 1000000000000, DTS_RATE_ONE, "E"), 0);
	ck_assert_int_eq(dts_report_parse_targets(r, "t", tg, strlen(tg)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_int_eq(dts_report_targets_compared(r), 0);
	ck_assert_int_eq(dts_report_annex_table(&t, r, 0), 0);
	ck_assert_str_eq(dts_table_cell(t, 0, 5), "亿美元");
	ck_assert_str_eq(dts_table_cell(t, 0, 6), "");   /* no target */
	ck_assert_str_eq(dts_table_cell(t, 0, 7), "");   /* no attainment */
	ck_assert_str_eq(dts_table_cell(t, 1, 5), "亿元");   /* reported: as reported */
	ck_assert_ptr_nonnull(strstr(dts_table_title(t), "values in USD"));
	dts_table_free(t);
	ck_assert_int_eq(dts_report_notes_table(&t, r, c), 0);
	ck_assert_ptr_nonnull(strstr(dts_table_cell(t, dts_table_nrows(t) - 3, 1),
				     "not compared"));
	dts_table_free(t);
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

/* ---- bases, sources, goals with a reference (issue 15 items 3, 4) ---- */

#define SHDR "id,no,kind,categories,flows,base,of,target,unit,name_zh," \
	     "name_en,sources\n"

static void sadd(dts_cube *c, const char *y, const char *cat,
		 const char *base, const char *src, long yuan)
{
	const char *k[5] = {y, "X", cat, base, src};

	ck_assert_int_eq(dts_cube_add(c, k, (dts_money)yuan * DTS_MONEY_SCALE,
				      DTS_RATE_ONE, ""), 0);
}

static const char *basis_of(const dts_report *r, const char *id, size_t y)
{
	return dts_report_basis(r, (size_t)dts_report_find(r, id), y);
}

START_TEST(supplied_bases_coverage_and_reference_goals)
{
	static const char *const d5[] = {"period:year", "flow", "category:top",
					 "base", "source"};
	dts_report *r = parse(SHDR
		"CB,,sum,CBEC,X,,,,元,c,c,customs+cbec\n"
		"GD,,sum,ALL,X,goods,,,元,g,g,customs+cbec\n"
		"R2,,share,,,,CB/GD,>=20,%,r2,r2,\n"
		"DD,,sum,DD,X,,,,元,d,d,bop\n"
		"SV,,sum,ALL,X,services,,,元,s,s,bop\n"
		"REF,,reported,,,,,,%,ref,ref,\n"
		"R1,,share,,,,DD/SV,>60&>=REF+10,%,r1,r1,\n"
		"DT,,sum,DT,X,,,,元,t,t,\"CBEC=customs+cbec;DD=bop\"\n"
		"G,,growth,,,,DT,>=10,%,g,g,\n");
	const char *rep = "id,year,value,role\n"
			  "REF,2025,58,\n"
			  "SV,2025,200,\n"
			  "DT,2024,50,base\n";
	dts_cube *c = NULL;
	dts_table *t = NULL;

	ck_assert_int_eq(dts_cube_new(&c, d5, 5, "CNY"), 0);
	/* only platform data for goods: R2 would be 100 %, "met" */
	sadd(c, "2024", "CBEC", "goods", "cbec", 100);
	sadd(c, "2025", "CBEC", "goods", "cbec", 100);
	sadd(c, "2024", "TECH", "services", "bop", 10);
	sadd(c, "2024", "NONE", "services", "bop", 10);
	sadd(c, "2025", "TECH", "services", "bop", 70);
	sadd(c, "2025", "NONE", "services", "bop", 30);
	sadd(c, "2025", "NONE", "unknown", "bop", 5);    /* no base */
	sadd(c, "2025", "TECH", "services", "survey", 9); /* not DD's source */
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);

	/* coverage: CB and GD miss customs, R2 is never "met" */
	ck_assert_str_eq(row_of(r, "R2", 1).value, "100.00");
	ck_assert_str_eq(row_of(r, "R2", 1).attainment, "not comparable");
	ck_assert_int_eq(dts_report_comparable(r, (size_t)dts_report_find(r, "R2"), 1), 0);
	ck_assert_str_eq(basis_of(r, "GD", 1), "computed; covers only cbec (no "
			 "records of customs): not comparable");
	/* R1 on the computed SV: 70 of 100, REF absent in 2024 */
	ck_assert_str_eq(row_of(r, "R1", 0).value, "50.00");
	ck_assert_str_eq(row_of(r, "R1", 0).attainment, "no reference");
	ck_assert_str_eq(row_of(r, "R1", 1).value, "70.00");
	ck_assert_str_eq(row_of(r, "R1", 1).attainment, "no reference");
	ck_assert_str_eq(basis_of(r, "SV", 1), "computed; 1 record of unknown "
			 "base (5.00 元) not in it");
	ck_assert_str_eq(row_of(r, "DD", 1).value, "70.00");
	ck_assert_int_eq(dts_report_origin(r, (size_t)dts_report_find(r, "SV"), 1),
			 DTS_ORIGIN_COMPUTED);

	/* supplied: the official total replaces the sum, the base the growth's */
	ck_assert_int_eq(dts_report_parse_reported(r, "rep.csv", rep, strlen(rep)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_int_eq(dts_report_origin(r, (size_t)dts_report_find(r, "SV"), 1),
			 DTS_ORIGIN_SUPPLIED);
	ck_assert_int_eq(dts_report_origin(r, (size_t)dts_report_find(r, "REF"), 1),
			 DTS_ORIGIN_REPORTED);
	ck_assert_str_eq(row_of(r, "SV", 1).value, "200.00");
	ck_assert_str_eq(basis_of(r, "SV", 1), "supplied; 1 record of unknown "
			 "base (5.00 元) not in it");
	ck_assert_str_eq(row_of(r, "R1", 1).value, "35.00");
	ck_assert_str_eq(row_of(r, "R1", 1).attainment, "not met");
	ck_assert_str_eq(row_of(r, "R1", 1).target, ">60 & >=68.00 (REF 58 + 10)");
	ck_assert_str_eq(basis_of(r, "R1", 1), "DD computed / SV supplied");
	/* DT 2025 = 100 CBEC (cbec) + 70 TECH (bop): growth on the base 50 */
	ck_assert_str_eq(row_of(r, "DT", 1).value, "170.00");
	ck_assert_str_eq(row_of(r, "G", 1).value, "240.00");
	ck_assert_str_eq(basis_of(r, "G", 1), "DT computed (covers only cbec+bop "
			 "(no records of customs): not comparable); base 2024 "
			 "supplied");
	ck_assert_str_eq(row_of(r, "G", 1).attainment, "not comparable");
	ck_assert_ptr_null(dts_report_basis(r, 99, 0));
	ck_assert_int_eq(dts_report_origin(r, 0, 9), DTS_EINVAL);

	/* each source's contribution */
	ck_assert_int_eq(dts_report_sources_table(&t, r, c, 2025), 0);
	{
		int found = 0;

		for (size_t i = 0; i < dts_table_nrows(t); i++)
			if (!strcmp(dts_table_cell(t, i, 0), "DD") &&
			    !strcmp(dts_table_cell(t, i, 2), "survey")) {
				ck_assert_str_eq(dts_table_cell(t, i, 5),
						 "no: not among its sources");
				found = 1;
			}
		ck_assert_int_eq(found, 1);
	}
	dts_table_free(t);
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(sources_and_reference_goal_errors)
{
	dts_report *r = NULL;
	const char *d;
	char by[256];

	bad_def("A,,sum,DT,X,,,>B+10,%,a,a\n", 2, "not defined above");
	bad_def("A,,sum,DT,X,,,>60&,%,a,a\n", 2, "bad target");
	d = SHDR "A,,sum,DT,X,,,,元,a,a,cus toms\n";
	ck_assert_int_eq(dts_report_parse(&r, "d", d, strlen(d)), DTS_EINPUT);
	ck_assert_ptr_null(r);
	d = SHDR "A,,share,,,,,,%,a,a,bop\n";
	ck_assert_int_eq(dts_report_parse(&r, "d", d, strlen(d)), DTS_EINPUT);
	d = SHDR "A,,sum,DT,X,,,,元,a,a,\"DD=bop;TECH=x\"\n";
	ck_assert_int_eq(dts_report_parse(&r, "d", d, strlen(d)), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "sources name TECH twice");
	d = SHDR "A,,sum,DT,X,,,,元,a,a,\"DD=bop;cbec\"\n";
	ck_assert_int_eq(dts_report_parse(&r, "d", d, strlen(d)), 0);
	dts_report_free(r);
	ck_assert_int_eq(dts_report_dims_for(by, sizeof(by), "-"), 0);
	ck_assert_str_eq(by, DTS_REPORT_DIMS);
	ck_assert_int_eq(dts_report_dims_for(by, 4, "-"), 0);
	ck_assert_int_eq(dts_report_dims_for(NULL, 4, "-"), DTS_EINVAL);
}
END_TEST


/* Rows the cube would reject are rejected by the overlap check too, rows
 * of other sources are skipped, a key repeated in one source is not a
 * pair, and a pair across years is listed but counted twice. */
START_TEST(overlap_rejects_what_the_cube_rejects)
{
	static const char csv[] =
		"id,source,flow,period,value,currency,dts_category,dts_base,order_no\n"
		"O1,customs,X,2025-03,100,CNY,CBEC.B2C,goods,K1\n"
		"O2,cbec,X,2025-04,100,CNY,CBEC.B2C,goods,K1\n"
		"O3,customs,Z,2025-03,100,CNY,CBEC.B2C,goods,K5\n"
		"O4,cbec,X,2025-13,100,CNY,CBEC.B2C,goods,K5\n"
		"O5,customs,X,2025-03,100,USD,CBEC.B2C,goods,K6\n"
		"O6,cbec,X,2025-03,100,CNY,CBEC.B2C,goods,\n"
		"O7,survey,X,2025-03,100,CNY,CBEC.B2C,goods,K1\n"
		"O8,customs,X,2025-03,100,CNY,BOGUS.X,goods,K7\n"
		"O9,customs,X,2024-12,50,CNY,CBEC.B2C,,K2\n"
		"O10,cbec,X,2025-01,50,CNY,CBEC.B2B,goods,K2\n"
		"O11,customs,X,2025-03,10,CNY,NONE.GOODS,goods,K3\n"
		"O12,customs,X,2025-03,10,CNY,NONE.GOODS,goods,K3\n"
		"O13,cbec,X,2025-03,10,CNY,CBEC.B2C,goods,K3\n";
	char path[] = "/tmp/dts-test-overlap-XXXXXX.csv";
	int fd = mkstemps(path, 4);
	dts_overlap *ov = NULL;
	dts_table *t = NULL;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, csv, sizeof(csv) - 1), (ssize_t)(sizeof(csv) - 1));
	close(fd);
	ck_assert_int_eq(dts_report_overlap_new(NULL, "a+b:k", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, NULL, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "a+b", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "a:k+b", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "a+:k", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "a+b:k", "C$Y", NULL), DTS_EINVAL);
	ck_assert_ptr_null(ov);
	ck_assert_int_eq(dts_report_overlap_add_file(NULL, path, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "customs+cbec:order_no", "CNY", NULL), 0);
	ck_assert_int_lt(dts_report_overlap_add_file(ov, "/nonexistent/x.csv", NULL, NULL), 0);
	ck_assert_int_eq(dts_report_overlap_add_file(ov, path, NULL, NULL), 0);
	ck_assert_int_eq(dts_report_overlap_run(ov), 0);
	ck_assert_int_eq(dts_report_overlap_add_file(ov, path, NULL, NULL), DTS_EINVAL);
	ck_assert_uint_eq(dts_report_overlap_count(ov), 2);   /* K1 and K2; K3 twice in customs */
	ck_assert_uint_eq(dts_report_overlap_count(NULL), 0);
	ck_assert_int_eq(dts_report_overlap_table(&t, ov), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 2);
	ck_assert_str_eq(dts_table_cell(t, 0, 0), "K1");
	ck_assert_str_eq(dts_table_cell(t, 1, 0), "K2");
	ck_assert_ptr_nonnull(strstr(dts_table_cell(t, 1, dts_table_ncols(t) - 1), "twice"));
	ck_assert_ptr_nonnull(strstr(dts_table_cell(t, 0, dts_table_ncols(t) - 1), "once"));
	dts_table_free(t);
	dts_report_overlap_free(ov);
	dts_report_overlap_free(NULL);
	unlink(path);
}
END_TEST

START_TEST(overlap_counts_a_pair_once)
{
	const char *path = DTS_SRCDIR "/tests/cases/report-overlap/records.csv";
	const char *const rules_path[] = {DTS_SRCDIR "/classifiers/cn-digital-trade.xml"};
	static const char *const d5[] = {"period:year", "flow", "category:top",
					 "base", "source"};
	dts_report *r = parse(SHDR
		"CB,,sum,CBEC,X,,,,元,c,c,customs+cbec\n"
		"GD,,sum,ALL,X,goods,,,元,g,g,customs+cbec\n");
	dts_overlap *ov = NULL;
	dts_rules *rules = NULL;
	dts_table *t = NULL;
	dts_cube *c = NULL;

	ck_assert_int_eq(dts_report_overlap_new(&ov, "customs", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "+cbec:id", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "a+b:", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_rules_compile(&rules, rules_path, 1, NULL), 0);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "customs+cbec:waybill", NULL,
						NULL), 0);
	ck_assert_int_eq(dts_report_overlap_add_file(ov, path, NULL, rules),
			 DTS_ENOTFOUND);
	dts_report_overlap_free(ov);
	ck_assert_int_eq(dts_report_overlap_new(&ov, "customs+cbec:order_no",
						"CNY", NULL), 0);
	ck_assert_int_eq(dts_report_overlap_add_file(ov, path, NULL, NULL),
			 DTS_EINVAL);   /* raw records need a classifier */
	ck_assert_int_eq(dts_report_set_overlap(r, ov), DTS_EINVAL);  /* not run */
	ck_assert_int_eq(dts_report_overlap_add_file(ov, path, NULL, rules), 0);
	ck_assert_int_eq(dts_report_overlap_table(&t, ov), DTS_EINVAL);
	ck_assert_int_eq(dts_report_overlap_run(ov), 0);
	ck_assert_int_eq(dts_report_overlap_run(ov), DTS_EINVAL);
	ck_assert_uint_eq(dts_report_overlap_count(ov), 2);
	ck_assert_int_eq(dts_report_overlap_table(&t, ov), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 2);
	ck_assert_str_eq(dts_table_cell(t, 0, 0), "ORD-1");
	ck_assert_str_eq(dts_table_cell(t, 1, 6), "125000.00");
	dts_table_free(t);

	/* a cube of the same records, then the report counts each pair once */
	ck_assert_int_eq(dts_cube_new(&c, d5, 5, "CNY"), 0);
	sadd(c, "2025", "CBEC", "goods", "customs", 350000);   /* C1 C2 */
	sadd(c, "2025", "NONE", "goods", "customs", 120000);   /* C3 */
	sadd(c, "2025", "CBEC", "goods", "cbec", 355000);      /* P1..P4 */
	ck_assert_int_eq(dts_report_set_overlap(r, ov), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	/* P1 (180000) and P3 (125000) out: the pairs are the customs records */
	ck_assert_str_eq(row_of(r, "CB", 0).value, "400000.00");
	ck_assert_str_eq(row_of(r, "GD", 0).value, "520000.00");
	ck_assert_str_eq(basis_of(r, "GD", 0), "computed; 2 records in two "
			 "sources counted once (305000.00 元 taken out)");
	ck_assert_int_eq(dts_report_set_overlap(r, NULL), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	ck_assert_str_eq(row_of(r, "GD", 0).value, "825000.00");
	dts_report_free(r);
	dts_report_overlap_free(ov);
	dts_rules_free(rules);
	dts_cube_free(c);
}
END_TEST

/* Issue 15: a monthly cube (with not-allocated cells) gives the annual
 * annex, like for like, and tables by month, quarter, half and 1-N月 that
 * add up to it. */
static const char *const mdims[] = {"period:month", "flow", "category:top",
				    "base"};

/* Row of the period table whose id and period are these, or -1. */
static long table_row(const dts_table *t, const char *id, const char *period)
{
	for (size_t i = 0; i < dts_table_nrows(t); i++)
		if (!strcmp(dts_table_cell(t, i, 0), id) &&
		    !strcmp(dts_table_cell(t, i, 1), period))
			return (long)i;
	return -1;
}

static const char *cell_of(const dts_table *t, const char *id,
			   const char *period, size_t col)
{
	long i = table_row(t, id, period);

	ck_assert_msg(i >= 0, "no row %s %s", id, period);
	return dts_table_cell(t, (size_t)i, col);
}

START_TEST(periods_add_up_like_for_like)
{
	dts_report *r = parse(HDR
		"CB,1,sum,CBEC,X,,,,元,cb,cb\n"
		"AL,,sum,ALL,X+M,,,,元,all,all\n"
		"S,,share,,,,CB/AL,>50,%,s,s\n"
		"GCB,,growth,,,,CB,>=10,%,g,g\n"
		"REP,,reported,,,,,,个,rep,rep\n");
	const char *tg = "no,y2024,y2025\n1,10,10\n";
	const char *rep = "id,year,value\nREP,2025,7\n";
	dts_cube *c = NULL, *y = NULL;
	dts_table *t = NULL;
	char key[16];
	const char *k[4] = {key, "X", "CBEC", "goods"};
	const char *kn[4] = {key, "M", "NONE", "goods"};

	ck_assert_int_eq(dts_cube_new(&c, mdims, 4, "CNY"), 0);
	for (int m = 1; m <= 12; m++) {   /* 2024: 1 yuan a month, NA 5 */
		snprintf(key, sizeof(key), "2024-%02d", m);
		ck_assert_int_eq(dts_cube_add(c, k, DTS_MONEY_SCALE, DTS_RATE_ONE, ""), 0);
	}
	snprintf(key, sizeof(key), "2024-NA");
	ck_assert_int_eq(dts_cube_add(c, k, 5 * DTS_MONEY_SCALE, DTS_RATE_ONE, ""), 0);
	for (int m = 1; m <= 3; m++) {    /* 2025: months 1-3 only: 2, 3, 4 */
		snprintf(key, sizeof(key), "2025-%02d", m);
		ck_assert_int_eq(dts_cube_add(c, k, (m + 1) * DTS_MONEY_SCALE,
					      DTS_RATE_ONE, ""), 0);
		ck_assert_int_eq(dts_cube_add(c, kn, DTS_MONEY_SCALE,
					      DTS_RATE_ONE, ""), 0);
	}
	snprintf(key, sizeof(key), "2025-NA");
	ck_assert_int_eq(dts_cube_add(c, k, 7 * DTS_MONEY_SCALE, DTS_RATE_ONE, ""), 0);

	ck_assert_int_eq(dts_report_period_table(&t, r, c, DTS_REPORT_BY_MONTH, 0),
			 DTS_EINVAL);   /* before compute */
	ck_assert_int_eq(dts_report_parse_targets(r, "t", tg, strlen(tg)), 0);
	ck_assert_int_eq(dts_report_parse_reported(r, "p", rep, strlen(rep)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 0), 0);
	/* the year = its months + not allocated; a part year is not
	 * compared with a full one, nor judged against its goals */
	ck_assert_str_eq(row_of(r, "CB", 0).value, "17");
	ck_assert_str_eq(row_of(r, "CB", 0).attainment, "170.0");
	ck_assert_str_eq(row_of(r, "CB", 1).value, "16");
	ck_assert_str_eq(row_of(r, "CB", 1).growth, "not comparable: 1-3月 vs 1-12月");
	ck_assert_str_eq(row_of(r, "CB", 1).attainment, "year not complete");
	ck_assert_str_eq(row_of(r, "S", 1).attainment, "year not complete");
	ck_assert_int_eq(row_of(r, "GCB", 1).missing, 1);
	ck_assert_str_eq(row_of(r, "REP", 1).value, "7");   /* the bureau's own */

	/* by month: 2025-01..03 and 2025-NA, growth on the same month */
	ck_assert_int_eq(dts_report_period_table(&t, r, c, DTS_REPORT_BY_MONTH,
						 2025), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 4 * 4);   /* no reported rows */
	ck_assert_str_eq(dts_table_col_name(t, 7), "growth_basis");
	ck_assert_str_eq(dts_table_dataflow(t), "DTS_ANNEX_M");
	ck_assert_str_eq(cell_of(t, "CB", "2025-03", 2), "4");
	ck_assert_str_eq(cell_of(t, "CB", "2025-03", 6), "300.00");
	ck_assert_str_eq(cell_of(t, "CB", "2025-03", 7), "2024-03");
	ck_assert_str_eq(cell_of(t, "GCB", "2025-03", 2), "300.00");
	ck_assert_str_eq(cell_of(t, "S", "2025-03", 2), "80.00");   /* 4 of 5 */
	ck_assert_str_eq(cell_of(t, "CB", "2025-NA", 2), "7");
	ck_assert_str_eq(cell_of(t, "CB", "2025-NA", 6), "");
	ck_assert_int_eq(table_row(t, "REP", "2025-03"), -1);
	dts_table_free(t);
	/* 1-N月: the sum of months 1..N, on 1-N月 a year before */
	ck_assert_int_eq(dts_report_period_table(&t, r, c, DTS_REPORT_BY_YTD,
						 0), 0);
	ck_assert_str_eq(dts_table_dataflow(t), "DTS_ANNEX_YTD");
	ck_assert_str_eq(cell_of(t, "CB", "2025-01-01/P2M", 2), "5");
	ck_assert_str_eq(cell_of(t, "CB", "2025-01-01/P3M", 2), "9");
	ck_assert_str_eq(cell_of(t, "CB", "2025-01-01/P3M", 6), "200.00");
	ck_assert_str_eq(cell_of(t, "CB", "2025-01-01/P3M", 7), "2024-01-01/P3M");
	ck_assert_str_eq(cell_of(t, "CB", "2024-01-01/P12M", 2), "12");
	ck_assert_str_eq(cell_of(t, "CB", "2024-01-01/P12M", 6), "not comparable");
	ck_assert_str_eq(cell_of(t, "CB", "2024-01-01/P12M", 7), "no data for 2023");
	ck_assert_str_eq(cell_of(t, "CB", "2024-NA", 2), "5");
	ck_assert_int_eq(table_row(t, "CB", "2025-01-01/P4M"), -1);
	dts_table_free(t);
	/* quarters and halves: complete ones only, then not allocated */
	ck_assert_int_eq(dts_report_period_table(&t, r, c, DTS_REPORT_BY_QUARTER,
						 0), 0);
	ck_assert_str_eq(cell_of(t, "CB", "2024-Q4", 2), "3");
	ck_assert_str_eq(cell_of(t, "CB", "2025-Q1", 2), "9");
	ck_assert_str_eq(cell_of(t, "CB", "2025-Q1", 6), "200.00");
	ck_assert_int_eq(table_row(t, "CB", "2025-Q2"), -1);
	dts_table_free(t);
	ck_assert_int_eq(dts_report_period_table(&t, r, c, DTS_REPORT_BY_HALF,
						 2025), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 4);   /* only 2025-NA */
	ck_assert_str_eq(dts_table_cell(t, 0, 1), "2025-NA");
	dts_table_free(t);
	ck_assert_int_eq(dts_report_period_table(&t, r, c, 9, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_report_by_parse("ytd"), DTS_REPORT_BY_YTD);
	ck_assert_int_eq(dts_report_by_parse("half"), DTS_REPORT_BY_HALF);
	ck_assert_int_eq(dts_report_by_parse("week"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_report_by_parse(NULL), DTS_ENOTFOUND);

	/* a cube by year has no months: its years count as complete, and a
	 * table by period is refused */
	y = new_cube();
	add(y, "2024", "X", "CBEC", "goods", 10);
	add(y, "2025", "X", "CBEC", "goods", 11);
	ck_assert_int_eq(dts_report_compute(r, y, 0), 0);
	ck_assert_str_eq(row_of(r, "CB", 1).growth, "10.00");
	ck_assert_str_eq(row_of(r, "CB", 1).attainment, "110.0");
	ck_assert_int_eq(dts_report_period_table(&t, r, y, DTS_REPORT_BY_YTD, 0),
			 DTS_EINVAL);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "period:year"));
	dts_report_free(r);
	dts_cube_free(c);
	dts_cube_free(y);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, percent_rounds_half_away_from_zero);
	tcase_add_test(tc, periods_add_up_like_for_like);
	tcase_add_test(tc, percent_of_large_amounts_is_exact);
	tcase_add_test(tc, percent_errors);
	tcase_add_test(tc, definition_errors_name_file_and_line);
	tcase_add_test(tc, sums_shares_and_growth_are_exact);
	tcase_add_test(tc, growth_with_a_zero_or_absent_base_is_missing);
	tcase_add_test(tc, targets_and_attainment);
	tcase_add_test(tc, goals_on_percentages_are_decided_exactly);
	tcase_add_test(tc, targets_and_reported_errors);
	tcase_add_test(tc, boundary_adds_up);
	tcase_add_test(tc, a_percentage_out_of_range_names_the_indicator);
	tcase_add_test(tc, a_cube_without_the_dimensions_is_refused);
	tcase_add_test(tc, targets_only_in_their_currency);
	tcase_add_test(tc, annex_table_and_book);
	tcase_add_test(tc, supplied_bases_coverage_and_reference_goals);
	tcase_add_test(tc, sources_and_reference_goal_errors);
	tcase_add_test(tc, overlap_counts_a_pair_once);
	tcase_add_test(tc, overlap_rejects_what_the_cube_rejects);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
