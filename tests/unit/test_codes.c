/*
 * test_codes.c — the code lists (dts/codes.h). Every row of every CSV in
 * data/codes/ is re-read here with the library's CSV reader (not the
 * generator) and looked up by code, by name and by alias, so the compiled
 * tables are checked to equal the files; then the 2021 Hangzhou
 * re-division, the three region outcomes, the scheme ambiguity of
 * numeric country codes, unknown inputs, and the calls the reading path
 * makes to harmonise a customs statistics export and a SAFE extract.
 */
#include <pthread.h>

#include "check_main.h"
#include "helpers.h"
#include "codes_int.h"

#define CODES DTS_SRCDIR "/data/codes/"

/* ---- the CSV files, read independently of scripts/codes-gen.py ---------- */

typedef struct table {
	char **cells; /* nrows x ncols, strdup'd */
	const char *const *names;
	size_t nrows, ncols;
	dts_csv *r;
} table;

static void table_load(table *t, const char *path)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	dts_csv_row row;
	size_t cap = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(dts_csv_open_file(&t->r, path, &o), 0);
	while ((rc = dts_csv_next(&row, t->r)) != 0) {
		ck_assert_msg(rc == 1, "%s:%llu: %s", path,
			      (unsigned long long)row.line,
			      row.error ? row.error : dts_error_last()->message);
		if (!t->ncols)
			t->ncols = dts_csv_header(t->r, &t->names);
		ck_assert_uint_eq(row.nfields, t->ncols);
		if ((t->nrows + 1) * t->ncols > cap) {
			cap = cap ? cap * 2 : 256 * t->ncols;
			t->cells = realloc(t->cells, cap * sizeof(char *));
			ck_assert_ptr_nonnull(t->cells);
		}
		for (size_t j = 0; j < t->ncols; j++)
			t->cells[t->nrows * t->ncols + j] = strdup(row.fields[j]);
		t->nrows++;
	}
	ck_assert_uint_gt(t->nrows, 0);
}

static const char *cell(const table *t, size_t i, const char *col)
{
	for (size_t j = 0; j < t->ncols; j++)
		if (!strcmp(t->names[j], col))
			return t->cells[i * t->ncols + j];
	ck_abort_msg("no column %s", col);
	return NULL;
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	dts_csv_free(t->r);
}

/* Each ';'-separated alias of s, through fn(alias, want). */
static void each_alias(const char *s, const char *want,
		       void (*fn)(const char *, const char *))
{
	char buf[512];
	char *p, *q;

	snprintf(buf, sizeof(buf), "%s", s);
	for (p = buf; *p; p = q) {
		q = strchr(p, ';');
		if (q)
			*q++ = '\0';
		else
			q = p + strlen(p);
		if (*p)
			fn(p, want);
	}
}

/* The list has exactly the CSV's codes, in code order. */
static void list_equals(dts_code_list list, const table *t, const char *col)
{
	const char *c, *prev = NULL;
	size_t i, n = 0;

	for (i = 0; dts_code_at(&c, NULL, list, i) == 0; i++) {
		if (prev)
			ck_assert_int_lt(strcmp(prev, c), 0);
		prev = c;
		n++;
	}
	ck_assert_uint_eq(n, t->nrows);
	for (i = 0; i < t->nrows; i++)
		ck_assert_ptr_nonnull(dts_code_name(list, cell(t, i, col)));
}

/* ---- trade modes ---------------------------------------------------------- */

static void mode_is(const char *in, const char *want)
{
	const char *out = NULL;

	ck_assert_msg(dts_code_trade_mode(&out, in, strlen(in)) == 0,
		      "%s: %s", in, dts_error_last()->message);
	ck_assert_str_eq(out, want);
}

static void stat_is(const char *in, const char *want)
{
	const char *out = NULL;

	ck_assert_msg(dts_code_trade_mode_stat(&out, in, strlen(in)) == 0,
		      "%s: %s", in, dts_error_last()->message);
	ck_assert_str_eq(out, want);
}

START_TEST(trade_modes_every_row)
{
	table m, s;
	const char *out;

	table_load(&m, CODES "trade-modes.csv");
	table_load(&s, CODES "trade-modes-stat.csv");
	list_equals(DTS_CODES_TRADE_MODE, &m, "code");
	for (size_t i = 0; i < m.nrows; i++) {
		const char *code = cell(&m, i, "code"), *st = code + 2;
		int is_stat = dts_code_name(DTS_CODES_TRADE_MODE_STAT, st) != NULL;

		mode_is(code, code);
		mode_is(cell(&m, i, "name_zh"), code);
		if (*cell(&m, i, "full_zh"))
			mode_is(cell(&m, i, "full_zh"), code);
		each_alias(cell(&m, i, "aliases"), code, mode_is);
		ck_assert_str_eq(dts_code_name(DTS_CODES_TRADE_MODE, code),
				 cell(&m, i, "name_zh"));
		/* the statistical mode is the last two digits, when one */
		ck_assert_int_eq(dts_code_trade_mode_stat_of(&out, code, 4),
				 is_stat ? 0 : DTS_ENOTFOUND);
		if (is_stat)
			ck_assert_str_eq(out, st);
	}
	list_equals(DTS_CODES_TRADE_MODE_STAT, &s, "code");
	for (size_t i = 0; i < s.nrows; i++) {
		const char *code = cell(&s, i, "code");
		int cbec = 0;

		stat_is(code, code);
		stat_is(cell(&s, i, "name_zh"), code);
		stat_is(cell(&s, i, "name_en"), code);
		each_alias(cell(&s, i, "aliases"), code, stat_is);
		/* CBEC-capable: some e-commerce supervision mode ends in it */
		for (size_t j = 0; j < m.nrows; j++)
			if (*cell(&m, j, "cbec") &&
			    !strcmp(cell(&m, j, "code") + 2, code))
				cbec = 1;
		ck_assert_int_eq(dts_code_trade_mode_stat_cbec(code), cbec);
	}
	table_free(&m);
	table_free(&s);
}
END_TEST

START_TEST(trade_modes_by_name)
{
	const char *out = "x";

	mode_is("一般贸易", "0110");
	mode_is("来料加工", "0214");
	mode_is("进料对口", "0615");
	mode_is("保税电商", "1210");
	mode_is("保税跨境贸易电子商务 A", "1239");
	mode_is("保税跨境贸易电子商务Ａ", "1239");
	mode_is("跨境贸易电子商务", "9610");
	mode_is("跨境电商", "9610");
	mode_is("跨境电子商务企业对企业直接出口", "9710");
	mode_is("跨境电子商务出口海外仓", "9810");
	mode_is("市场采购", "1039");
	mode_is("１２１０", "1210");
	mode_is(" 0110\t", "0110");
	mode_is("110", "0110"); /* the leading zero a spreadsheet drops */
	mode_is("615", "0615");
	ck_assert_int_eq(dts_code_trade_mode(&out, "961", 3), DTS_ENOTFOUND);
	/* 2-digit statistical codes are another scheme */
	ck_assert_int_eq(dts_code_trade_mode(&out, "10", 2), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_trade_mode(&out, "9999", 4), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->message, "trade mode: '9999' not found");
	ck_assert_int_eq(dts_code_trade_mode(&out, "", 0), DTS_ENOTFOUND);
	ck_assert_str_eq(out, "x");
	ck_assert_int_eq(dts_code_trade_mode(NULL, "0110", 4), DTS_EINVAL);
	ck_assert_int_eq(dts_code_trade_mode(&out, NULL, 3), DTS_EINVAL);

	stat_is("一般贸易", "10");
	stat_is("其他", "39");
	stat_is("保税监管场所进出境货物", "33");
	ck_assert_int_eq(dts_code_trade_mode_stat(&out, "0110", 4), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_trade_mode_stat_of(&out, "9610", 4), 0);
	ck_assert_str_eq(out, "10");
	ck_assert_int_eq(dts_code_trade_mode_stat_of(&out, "保税电商A", 13), 0);
	ck_assert_str_eq(out, "39");
	ck_assert_int_eq(dts_code_trade_mode_stat_of(&out, "1300", 4), DTS_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "修理物品"));
	/* 9610 9710 9810 1210 all land in 10: not separable there */
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec("10"), 1);
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec("39"), 1);
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec("14"), 0);
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec("33"), 0);
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec("99"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec(NULL), DTS_ENOTFOUND);
}
END_TEST

/* ---- BOP ---------------------------------------------------------------- */

START_TEST(bop_every_row)
{
	table b, e;
	const char *out = "x";

	table_load(&b, CODES "bop-ebops.csv");
	table_load(&e, DTS_SRCDIR "/tests/data/ebops2010.csv");
	list_equals(DTS_CODES_BOP, &b, "code");
	for (size_t i = 0; i < b.nrows; i++) {
		const char *code = cell(&b, i, "code"), *want = cell(&b, i, "ebops");
		int known = 0;

		ck_assert_int_eq(dts_code_bop_ebops(&out, code, strlen(code)), 0);
		ck_assert_str_eq(out, want);
		for (size_t j = 0; j < e.nrows; j++)
			known |= !strcmp(cell(&e, j, "code"), want);
		ck_assert_msg(known, "%s -> %s is not EBOPS 2010", code, want);
	}
	ck_assert_int_eq(dts_code_bop_ebops(&out, "221000", 6), 0);
	ck_assert_str_eq(out, "SA");
	ck_assert_int_eq(dts_code_bop_ebops(&out, " 222014 ", 8), 0);
	ck_assert_str_eq(out, "SC1");
	ck_assert_int_eq(dts_code_bop_ebops(&out, "207010", 6), 0); /* 2010 table */
	ck_assert_str_eq(out, "SI2");
	/* not verified, so not mapped: never guessed from the digits */
	out = "x";
	ck_assert_int_eq(dts_code_bop_ebops(&out, "227010", 6), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_bop_ebops(&out, "121010", 6), DTS_ENOTFOUND);
	ck_assert_str_eq(out, "x");
	ck_assert_int_eq(dts_code_bop_ebops(NULL, "221000", 6), DTS_EINVAL);
	table_free(&b);
	table_free(&e);
}
END_TEST

/* ---- countries ------------------------------------------------------------ */

static void country_is(const char *in, const char *want)
{
	const char *out = NULL;

	ck_assert_msg(dts_code_country(&out, DTS_SCHEME_ANY, in, strlen(in)) == 0,
		      "%s: %s", in, dts_error_last()->message);
	ck_assert_str_eq(out, want);
}

static void customs_is(const char *in, const char *want)
{
	const char *out = NULL;
	int rc = dts_code_country(&out, DTS_SCHEME_CUSTOMS, in, strlen(in));

	if (!*want) {
		ck_assert_int_eq(rc, DTS_ENOTFOUND);
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", in, dts_error_last()->message);
	ck_assert_str_eq(out, want);
}

START_TEST(countries_every_row)
{
	table c, u;
	const char *out;

	table_load(&c, CODES "countries.csv");
	table_load(&u, CODES "customs-countries.csv");
	list_equals(DTS_CODES_COUNTRY, &c, "alpha2");
	for (size_t i = 0; i < c.nrows; i++) {
		const char *a2 = cell(&c, i, "alpha2"), *num = cell(&c, i, "numeric");

		country_is(a2, a2);
		country_is(cell(&c, i, "alpha3"), a2);
		country_is(cell(&c, i, "name_zh"), a2);
		country_is(cell(&c, i, "name_en"), a2);
		each_alias(cell(&c, i, "aliases"), a2, country_is);
		ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_ISO, num,
						  strlen(num)), 0);
		ck_assert_str_eq(out, a2);
	}
	list_equals(DTS_CODES_CUSTOMS_COUNTRY, &u, "code");
	for (size_t i = 0; i < u.nrows; i++) {
		const char *want = cell(&u, i, "alpha2");

		customs_is(cell(&u, i, "code"), want);
		customs_is(cell(&u, i, "name_zh"), want);
		each_alias(cell(&u, i, "aliases"), want, customs_is);
	}
	table_free(&c);
	table_free(&u);
}
END_TEST

START_TEST(countries_by_scheme)
{
	static const char *const cust[][2] = {
		{"110", "HK"}, {"116", "JP"}, {"133", "KR"}, {"142", "CN"},
		{"303", "GB"}, {"304", "DE"}, {"305", "FR"}, {"502", "US"},
		{"601", "AU"}, {"143", "TW"}, {"121", "MO"}};
	const char *out = "x";

	for (size_t i = 0; i < sizeof(cust) / sizeof(cust[0]); i++)
		customs_is(cust[i][0], cust[i][1]);
	country_is("美国", "US");
	country_is("英国", "GB");
	country_is("韩国", "KR");
	country_is("中国香港", "HK");
	country_is("香港", "HK");
	country_is("中国台湾", "TW");
	country_is("台湾", "TW");
	country_is("United States", "US");
	country_is("u.s.a.", "US");
	country_is("ｕｓ", "US");
	country_is("NA", "NA");
	country_is("502", "US");   /* no ISO 502: customs */
	country_is("840", "US");   /* no customs 840: ISO */
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_ISO, "116", 3), 0);
	ck_assert_str_eq(out, "KH");
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_ISO, "36", 2), 0);
	ck_assert_str_eq(out, "AU");
	out = "x";
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_ANY, "116", 3), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message,
			 "country: '116' is customs JP but ISO 3166 KH; name the scheme");
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_CUSTOMS, "840", 3), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_CUSTOMS, "701", 3), DTS_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "no ISO 3166-1 code"));
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_ANY, "N/A", 3), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_country(&out, DTS_SCHEME_ANY, "Atlantis", 8), DTS_ENOTFOUND);
	ck_assert_str_eq(out, "x");
	ck_assert_int_eq(dts_code_country(&out, (dts_code_scheme)7, "US", 2), DTS_EINVAL);
	ck_assert_int_eq(dts_code_country(NULL, DTS_SCHEME_ANY, "US", 2), DTS_EINVAL);
}
END_TEST

/* ---- regions -------------------------------------------------------------- */

static void region_is(const char *in, const char *want, dts_region_kind k)
{
	const char *out = NULL;
	dts_region_kind kind = (dts_region_kind)-1;

	ck_assert_msg(dts_code_region(&out, &kind, in, strlen(in)) == 0,
		      "%s: %s", in, dts_error_last()->message);
	ck_assert_msg(!strcmp(out, want), "%s -> %s, want %s", in, out, want);
	ck_assert_int_eq(kind, k);
}

static dts_region_kind kind_of(const char *code)
{
	return !strcmp(code, "3301") ? DTS_REGION_HANGZHOU
	       : !strcmp(code, "OUTSIDE") ? DTS_REGION_OUTSIDE
					  : DTS_REGION_DISTRICT;
}

START_TEST(regions_every_row)
{
	table h, a, n;
	size_t inside = 0;

	table_load(&h, CODES "hangzhou-regions.csv");
	table_load(&a, CODES "customs-areas.csv");
	table_load(&n, CODES "cn-areas-2023.csv");
	for (size_t i = 0; i < h.nrows; i++) {
		const char *d = cell(&h, i, "district");

		if (*cell(&h, i, "code"))
			region_is(cell(&h, i, "code"), d, kind_of(d));
		region_is(cell(&h, i, "name_zh"), d, kind_of(d));
	}
	list_equals(DTS_CODES_CUSTOMS_AREA, &a, "code");
	for (size_t i = 0; i < a.nrows; i++) {
		const char *d = cell(&a, i, "district");

		region_is(cell(&a, i, "code"), d, kind_of(d));
		region_is(cell(&a, i, "name_zh"), d, kind_of(d));
	}
	/* every NBS 2023 county: Hangzhou's are districts, the rest outside */
	for (size_t i = 0; i < n.nrows; i++) {
		const char *code = cell(&n, i, "code");

		if (!strcmp(cell(&n, i, "cityCode"), "3301")) {
			region_is(code, code, DTS_REGION_DISTRICT);
			region_is(cell(&n, i, "name"), code, DTS_REGION_DISTRICT);
			ck_assert_str_eq(dts_code_name(DTS_CODES_REGION, code),
					 cell(&n, i, "name"));
			inside++;
		} else {
			region_is(code, "OUTSIDE", DTS_REGION_OUTSIDE);
		}
	}
	ck_assert_uint_eq(inside, 13);
	/* 13 districts + 3301 + OUTSIDE */
	ck_assert_int_eq(dts_code_at(NULL, NULL, DTS_CODES_REGION, 14), 0);
	ck_assert_int_eq(dts_code_at(NULL, NULL, DTS_CODES_REGION, 15), DTS_ENOTFOUND);
	table_free(&h);
	table_free(&a);
	table_free(&n);
}
END_TEST

START_TEST(regions_2021_and_outcomes)
{
	const char *out = "x";
	dts_region_kind k = DTS_REGION_DISTRICT;

	/* 国务院 2021: 上城+江干 -> 上城; 下城+拱墅 -> 拱墅; 临平 from 余杭;
	 * 钱塘 from 杭州经济技术开发区 + 大江东 */
	region_is("330104", "330102", DTS_REGION_DISTRICT);
	region_is("江干区", "330102", DTS_REGION_DISTRICT);
	region_is("330103", "330105", DTS_REGION_DISTRICT);
	region_is("下城", "330105", DTS_REGION_DISTRICT);
	region_is("330110", "330110", DTS_REGION_DISTRICT);
	region_is("临平区", "330113", DTS_REGION_DISTRICT);
	region_is("杭州经济技术开发区", "330114", DTS_REGION_DISTRICT);
	region_is("大江东", "330114", DTS_REGION_DISTRICT);
	region_is("330185", "330112", DTS_REGION_DISTRICT);
	/* the three outcomes */
	region_is("上城区", "330102", DTS_REGION_DISTRICT);
	region_is("杭州市上城区", "330102", DTS_REGION_DISTRICT);
	region_is("浙江省杭州市西湖区", "330106", DTS_REGION_DISTRICT);
	region_is("西湖区", "330106", DTS_REGION_DISTRICT); /* not 南昌's */
	region_is("33019", "3301", DTS_REGION_HANGZHOU);
	region_is("33016", "3301", DTS_REGION_HANGZHOU);
	region_is("330199", "3301", DTS_REGION_HANGZHOU);
	region_is("杭州", "3301", DTS_REGION_HANGZHOU);
	region_is("浙江省杭州市", "3301", DTS_REGION_HANGZHOU);
	region_is("110101", "OUTSIDE", DTS_REGION_OUTSIDE);
	region_is("朝阳区", "OUTSIDE", DTS_REGION_OUTSIDE);
	region_is("11909", "OUTSIDE", DTS_REGION_OUTSIDE); /* 北京其他 */
	region_is("33022", "OUTSIDE", DTS_REGION_OUTSIDE); /* 宁波 */
	region_is("3302", "OUTSIDE", DTS_REGION_OUTSIDE);
	ck_assert_str_eq(dts_code_name(DTS_CODES_REGION, "3301"), "杭州市（区县不详）");
	ck_assert_str_eq(dts_code_name(DTS_CODES_REGION, "OUTSIDE"), "杭州市以外");
	/* unknown: not placed anywhere */
	ck_assert_int_eq(dts_code_region(&out, &k, "33179", 5), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_region(&out, &k, "999999", 6), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_region(&out, &k, "00000", 5), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_code_region(&out, &k, "火星", 6), DTS_ENOTFOUND);
	ck_assert_str_eq(out, "x");
	ck_assert_int_eq(k, DTS_REGION_DISTRICT);
	ck_assert_int_eq(dts_code_region(NULL, NULL, "330102", 6), DTS_EINVAL);
	ck_assert_int_eq(dts_code_region(NULL, &k, "33019", 5), 0);
	ck_assert_int_eq(k, DTS_REGION_HANGZHOU);
}
END_TEST

/* ---- the tables themselves ------------------------------------------------ */

static void keys_sound(const dts__code_key *keys, size_t n)
{
	char buf[DTS__CODE_MAX];
	size_t len;

	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(dts_field_normalize(buf, sizeof(buf), &len,
						     DTS_F_TRADE_MODE, keys[i].key,
						     strlen(keys[i].key)), 0);
		ck_assert_msg(!strcmp(buf, keys[i].key), "key %s normalises to %s",
			      keys[i].key, buf);
		if (i)
			ck_assert_int_lt(strcmp(keys[i - 1].key, keys[i].key), 0);
	}
}

START_TEST(keys_normalised_and_sorted)
{
	keys_sound(dts__codes_trade_mode_keys, dts__codes_trade_mode_keys_n);
	keys_sound(dts__codes_stat_keys, dts__codes_stat_keys_n);
	keys_sound(dts__codes_country_keys, dts__codes_country_keys_n);
	keys_sound(dts__codes_country_iso_num, dts__codes_country_iso_num_n);
	keys_sound(dts__codes_customs_country_keys, dts__codes_customs_country_keys_n);
	keys_sound(dts__codes_region_keys, dts__codes_region_keys_n);
	keys_sound(dts__codes_outside_cities, dts__codes_outside_cities_n);
	keys_sound(dts__codes_outside_names, dts__codes_outside_names_n);
	for (int l = 0; l < DTS_CODES_LISTS; l++)
		ck_assert_ptr_nonnull(dts_code_source((dts_code_list)l));
	ck_assert_ptr_null(dts_code_source(DTS_CODES_LISTS));
	ck_assert_int_eq(dts_code_at(NULL, NULL, DTS_CODES_LISTS, 0), DTS_EINVAL);
	ck_assert_ptr_null(dts_code_name(DTS_CODES_COUNTRY, "ZZ"));
	ck_assert_ptr_null(dts_code_name(DTS_CODES_COUNTRY, NULL));
	ck_assert_str_eq(dts_code_name(DTS_CODES_CUSTOMS_AREA, "33019"), "杭州其他");
}
END_TEST

/* ---- what the reading path (lib/read/source.c) calls ------------------------ */

START_TEST(harmonise_bureau_rows)
{
	/* a customs statistics export row: 贸易方式编码 10, 贸易方式 一般贸易,
	 * 贸易伙伴编码 502, 贸易伙伴名称 美国, 注册地编码 330104 */
	const char *mode = NULL, *by_name = NULL, *partner = NULL, *by_pname = NULL;
	const char *region = NULL, *ebops = NULL, *m4 = NULL;
	dts_region_kind kind;

	ck_assert_int_eq(dts_code_trade_mode_stat(&mode, "10", 2), 0);
	ck_assert_int_eq(dts_code_trade_mode_stat(&by_name, "一般贸易", strlen("一般贸易")), 0);
	ck_assert_str_eq(mode, by_name);
	ck_assert_int_eq(dts_code_trade_mode_stat_cbec(mode), 1); /* may hold 9610 */
	ck_assert_int_eq(dts_code_country(&partner, DTS_SCHEME_CUSTOMS, "502", 3), 0);
	ck_assert_int_eq(dts_code_country(&by_pname, DTS_SCHEME_ANY, "美国", strlen("美国")), 0);
	ck_assert_str_eq(partner, by_pname);
	ck_assert_int_eq(dts_code_region(&region, &kind, "330104", 6), 0);
	ck_assert_str_eq(region, "330102");
	ck_assert_int_eq(kind, DTS_REGION_DISTRICT);
	/* a customs declaration with the supervision mode by name */
	ck_assert_int_eq(dts_code_trade_mode(&m4, "保税电商", strlen("保税电商")), 0);
	ck_assert_str_eq(m4, "1210");
	/* a SAFE extract: 交易编码 */
	ck_assert_int_eq(dts_code_bop_ebops(&ebops, "222011", 6), 0);
	ck_assert_str_eq(ebops, "SC1");
}
END_TEST

/* ---- threads: const tables, stack keys ------------------------------------ */

static void *hammer(void *arg)
{
	const char *out;
	dts_region_kind k;
	long bad = 0;

	for (int i = 0; i < 20000; i++) {
		bad += dts_code_trade_mode(&out, "保税电商", strlen("保税电商")) != 0 ||
		       strcmp(out, "1210");
		bad += dts_code_country(&out, DTS_SCHEME_CUSTOMS, "116", 3) != 0 ||
		       strcmp(out, "JP");
		bad += dts_code_region(&out, &k, "江干区", strlen("江干区")) != 0 ||
		       strcmp(out, "330102");
	}
	return (void *)bad;
}

START_TEST(thread_safe)
{
	pthread_t t[4];
	void *bad;

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("codes");
	TCase *tc = tcase_create("codes");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, trade_modes_every_row);
	tcase_add_test(tc, trade_modes_by_name);
	tcase_add_test(tc, bop_every_row);
	tcase_add_test(tc, countries_every_row);
	tcase_add_test(tc, countries_by_scheme);
	tcase_add_test(tc, regions_every_row);
	tcase_add_test(tc, regions_2021_and_outcomes);
	tcase_add_test(tc, keys_normalised_and_sorted);
	tcase_add_test(tc, harmonise_bureau_rows);
	tcase_add_test(tc, thread_safe);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
