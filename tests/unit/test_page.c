/*
 * test_page.c — geography and the monitoring page: the region:district
 * keys and the area list (dts_agg_load_areas), the 4+4+1+5 layout
 * (dts_geo_load) and its table (areas add up into their district,
 * Hangzhou apart from outside, suppression), and the page
 * (dts_page_write_cb): self-contained, deterministic, both languages.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dts.h"

#define ZONES DTS_SRCDIR "/indicators/hangzhou-zones.csv"
#define DISTRICTS DTS_SRCDIR "/indicators/hangzhou-districts.csv"

static void write_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static const char *value_of(const dts_cube *c, const char *const *keys,
			    char *buf, size_t n)
{
	dts_cube_cell cell;

	if (dts_cube_lookup(&cell, c, keys) < 0)
		return NULL;
	dts_amount_format(buf, n, &cell.value, 0, 2);
	return buf;
}

START_TEST(district_keys_and_areas)
{
	char path[] = "/tmp/dts-areas-XXXXXX";
	const char csv[] = "id,flow,period,region,enterprise_id,value,currency,dts_category\n"
		"1,X,2025-01,330109,E1,1.00,CNY,TECH\n"    /* listed: the zone */
		"2,X,2025-01,330109,E2,2.00,CNY,TECH\n"    /* not listed */
		"3,X,2025-01,上城区,E1,4.00,CNY,TECH\n"     /* a name; listed, own district */
		"4,X,2025-01,,E3,8.00,CNY,TECH\n"          /* no region: Hangzhou */
		"5,X,2025-01,310101,E3,16.00,CNY,TECH\n"   /* Shanghai */
		"6,X,2025-01,33179,E3,32.00,CNY,TECH\n"    /* cannot be placed */
		"7,X,2025-01,330100,E3,64.00,CNY,TECH\n";  /* the city code */
	const char *k[][1] = {{"330109.AIRPORT"}, {"330109"}, {"330102.AIRPORT"},
			      {"3301"}, {"OUTSIDE"}, {"UNKNOWN"}};
	const char *want[] = {"1.00", "2.00", "4.00", "72.00", "16.00", "32.00"};
	dts_source *src;
	dts_agg *a;
	char buf[64];

	write_file(path, "enterprise_id,area\nE1,AIRPORT\nE1,LATER\n");
	ck_assert_int_eq(dts_agg_new(&a, "region:district", NULL), 0);
	ck_assert_int_eq(dts_agg_load_areas(a, path), 0);
	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", NULL), 0);
	ck_assert_int_eq(dts_agg_add_source(a, src, NULL, NULL), 0);
	dts_source_free(src);
	ck_assert_uint_eq(dts_agg_rejects(a), 0);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(value_of(dts_agg_cube(a), k[i], buf, sizeof(buf)), want[i]);
	dts_agg_free(a);
	unlink(path);
	/* an area list needs its columns */
	strcpy(path, "/tmp/dts-areas-XXXXXX");
	write_file(path, "id,zone\nE1,AIRPORT\n");
	ck_assert_int_eq(dts_agg_new(&a, "region:district", NULL), 0);
	ck_assert_int_eq(dts_agg_load_areas(a, path), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "needs columns enterprise_id and area"));
	dts_agg_free(a);
	unlink(path);
}
END_TEST

START_TEST(geo_load_errors)
{
	char z[] = "/tmp/dts-z-XXXXXX", d[] = "/tmp/dts-d-XXXXXX";
	dts_geo *g;

	ck_assert_int_eq(dts_geo_load(&g, ZONES, DISTRICTS), 0);
	dts_geo_free(g);
	dts_geo_free(NULL);
	ck_assert_int_eq(dts_geo_load(&g, DISTRICTS, DISTRICTS), DTS_EINPUT);
	ck_assert_ptr_null(g);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "missing column \"zone\""));
	write_file(z, "code,zone,zone_zh,zone_en\n330108,FTZ,a,b\n330999,FTZ,a,b\n");
	write_file(d, "code,parent,name_zh,name_en\n330108,,滨江区,Binjiang\n"
		   "AIR,330999,x,y\n");
	ck_assert_int_eq(dts_geo_load(&g, z, d), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "330999"));
	ck_assert_int_eq(dts_error_last()->line, 3);
	unlink(z);
	strcpy(z, "/tmp/dts-z-XXXXXX");
	write_file(z, "code,zone,zone_zh,zone_en\n330108,FTZ,a,b\n");
	ck_assert_int_eq(dts_geo_load(&g, z, d), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "parent \"330999\" is not a district"));
	unlink(z);
	unlink(d);
}
END_TEST

/* A report cube with a district dimension: year, flow, category, base,
 * district. */
static dts_cube *district_cube(void)
{
	static const char *dims[] = {"period:year", "flow", "category:top", "base",
				     "region:district"};
	static const struct { const char *cat, *dist, *ent; long v; } rec[] = {
		{"TECH", "330109", "E1", 100}, {"TECH", "330109", "E2", 100},
		{"TECH", "330109", "E3", 100}, {"CBEC", "330109.AIRPORT", "E4", 50},
		{"TECH", "330108", "E5", 30}, {"TECH", "330108", "E6", 30},
		{"TECH", "330108", "E7", 30}, {"SERV", "3301", "E8", 7},
		{"SERV", "3301", "E9", 3}, {"SERV", "3301", "E10", 1},
		{"TECH", "OUTSIDE", "E11", 5}, {"TECH", "OUTSIDE", "E12", 5},
		{"TECH", "OUTSIDE", "E13", 5}, {"NONE", "330108", "E5", 1000}};
	dts_cube *c;

	ck_assert_int_eq(dts_cube_new(&c, dims, 5, "CNY"), 0);
	for (size_t i = 0; i < sizeof(rec) / sizeof(*rec); i++) {
		const char *keys[5] = {"2025", "X", rec[i].cat, "services", rec[i].dist};
		char v[32];
		dts_money m;

		snprintf(v, sizeof(v), "%ld", rec[i].v);
		ck_assert_int_eq(dts_money_parse(&m, v, strlen(v)), 0);
		ck_assert_int_eq(dts_cube_add(c, keys, m, DTS_RATE_ONE, rec[i].ent), 0);
	}
	return c;
}

static size_t row_of(const dts_table *t, const char *code)
{
	for (size_t i = 0; i < dts_table_nrows(t); i++)
		if (!strcmp(dts_table_cell(t, i, 0), code))
			return i;
	ck_abort_msg("no row %s", code);
	return 0;
}

START_TEST(geo_table_adds_areas_into_districts)
{
	dts_cube *c = district_cube();
	dts_suppress_options so = DTS_SUPPRESS_OPTIONS_INIT;
	dts_table *t;
	dts_geo *g;

	ck_assert_int_eq(dts_geo_load(&g, ZONES, DISTRICTS), 0);
	ck_assert_int_eq(dts_geo_table(&t, g, c, 2025, "DT", 0, 2, NULL), 0);
	/* 14 layout rows, 3301 and OUTSIDE (UNKNOWN holds nothing), 2 totals */
	ck_assert_uint_eq(dts_table_nrows(t), 18);
	ck_assert_str_eq(dts_table_cell(t, 0, 0), "330108");   /* the file's order */
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330109"), 1), "350.00");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330109"), 7), "4");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "AIRPORT"), 1), "50.00");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "AIRPORT"), 4), "AIRPORT");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330108"), 1), "90.00");  /* not NONE */
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "3301"), 1), "11.00");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "3301"), 2), "杭州市，区县不详");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "OUTSIDE"), 1), "15.00");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "HANGZHOU"), 1), "451.00");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "_T"), 1), "466.00");
	ck_assert_str_eq(dts_table_cell(t, 0, 8), "");   /* no suppression asked */
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330127"), 1), "0.00");
	dts_table_free(t);
	/* suppressed: the zone has one enterprise, so 萧山区 is shown x too */
	ck_assert_int_eq(dts_geo_table(&t, g, c, 2025, "DT", 0, 2, &so), 0);
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "AIRPORT"), 1), "x");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "AIRPORT"), 8), "A");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330109"), 1), "x");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330109"), 7), "x");
	ck_assert_str_eq(dts_table_cell(t, row_of(t, "330108"), 8), "F");
	dts_table_free(t);
	ck_assert_int_eq(dts_geo_table(&t, g, c, 2025, "DT", 0, 15, NULL), DTS_EINVAL);
	dts_geo_free(g);
	dts_cube_free(c);
	{	/* a cube without the district dimension */
		static const char *dims[] = {"period:year", "category:top"};

		ck_assert_int_eq(dts_cube_new(&c, dims, 2, "CNY"), 0);
		ck_assert_int_eq(dts_geo_load(&g, ZONES, DISTRICTS), 0);
		ck_assert_int_eq(dts_geo_table(&t, g, c, 2025, "DT", 0, 2, NULL), DTS_EINVAL);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "region:district"));
		dts_geo_free(g);
		dts_cube_free(c);
	}
}
END_TEST

static int to_buf(const void *data, size_t len, void *payload)
{
	FILE *f = payload;

	return fwrite(data, 1, len, f) == len ? 0 : DTS_EIO;
}

static char *page_of(const dts_report *r, const dts_cube *c,
		     const dts_page_options *o, int *rc)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	*rc = dts_page_write_cb(r, c, o, to_buf, f);
	fclose(f);
	return p;
}

static int stop(const void *data, size_t len, void *payload)
{
	return DTS_EUSER;
}

START_TEST(page_is_self_contained_and_deterministic)
{
	dts_cube *c = district_cube();
	dts_page_options o = DTS_PAGE_OPTIONS_INIT;
	dts_report *r;
	dts_geo *g;
	char *p1, *p2;
	int rc;

	ck_assert_int_eq(dts_report_load(&r, DTS_SRCDIR "/indicators/hangzhou-annex.csv"), 0);
	ck_assert_int_eq(dts_report_load_targets(r, DTS_SRCDIR "/indicators/hangzhou-targets.csv"), 0);
	ck_assert_int_eq(dts_geo_load(&g, ZONES, DISTRICTS), 0);
	/* before compute */
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, DTS_EINVAL);
	free(p1);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	o.geo = g;
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, 0);
	p2 = page_of(r, c, &o, &rc);
	ck_assert_str_eq(p1, p2);   /* same inputs, same bytes */
	ck_assert_ptr_nonnull(strstr(p1, "default-src 'none'; style-src 'unsafe-inline'"));
	ck_assert_ptr_null(strstr(p1, "<script"));
	ck_assert_ptr_null(strstr(p1, "https:"));
	ck_assert_ptr_null(strstr(p1, "src=\""));
	ck_assert_ptr_nonnull(strstr(p1, "<tr data-id=\"I1\">"));
	ck_assert_ptr_nonnull(strstr(p1, "杭州临空经济示范区"));
	ck_assert_ptr_nonnull(strstr(p1, "万元"));   /* below 1 亿元: 万元 charts */
	ck_assert_ptr_nonnull(strstr(p1, "@page{size:A4"));
	ck_assert_ptr_null(strstr(p1, "id=\"trends\""));   /* a cube by year */
	free(p1);
	free(p2);
	/* English; the district section is left out without a layout */
	o.lang = DTS_PAGE_EN;
	o.geo = NULL;
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(p1, "<html lang=\"en\">"));
	ck_assert_ptr_nonnull(strstr(p1, "Annex indicators"));
	ck_assert_ptr_null(strstr(p1, "id=\"districts\""));
	free(p1);
	/* errors: a year without data, a bad version or language, the callback's */
	o.year = 2019;
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, DTS_ENOTFOUND);
	free(p1);
	o.year = 0;
	o.lang = 7;
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, DTS_EINVAL);
	free(p1);
	o.lang = DTS_PAGE_ZH;
	o.version = 99;
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, DTS_EINVAL);
	free(p1);
	ck_assert_int_eq(dts_page_write_cb(r, c, NULL, stop, NULL), DTS_EUSER);
	{
		FILE *f = tmpfile();

		ck_assert_int_eq(dts_page_write(r, c, NULL, f), 0);
		ck_assert_int_gt(ftell(f), 1000);
		fclose(f);
	}
	dts_geo_free(g);
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

/* Over a cube by month: the trends section, its 1-N月 growth like for like
 * from the report by period and the not-allocated cell in the note. */
START_TEST(page_trends_by_month)
{
	static const char *const dims[4] = {"period:month", "flow", "category:top",
					    "base"};
	static const struct { const char *m; const char *v; } rec[] = {
		{"2024-01", "1000000"}, {"2024-02", "500000"}, {"2024-12", "100000"},
		{"2025-01", "1500000"}, {"2025-02", "500000"}, {"2025-NA", "300000"}};
	dts_page_options o = DTS_PAGE_OPTIONS_INIT;
	dts_report *r;
	dts_cube *c;
	char *p1, *p2;
	int rc;

	ck_assert_int_eq(dts_cube_new(&c, dims, 4, "CNY"), 0);
	for (size_t i = 0; i < sizeof(rec) / sizeof(*rec); i++) {
		const char *keys[4] = {rec[i].m, "X", "CBEC", "goods"};
		dts_money m;

		ck_assert_int_eq(dts_money_parse(&m, rec[i].v, strlen(rec[i].v)), 0);
		ck_assert_int_eq(dts_cube_add(c, keys, m, DTS_RATE_ONE, "E1"), 0);
	}
	ck_assert_int_eq(dts_report_load(&r, DTS_SRCDIR "/indicators/hangzhou-annex.csv"), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	p1 = page_of(r, c, &o, &rc);
	ck_assert_int_eq(rc, 0);
	p2 = page_of(r, c, &o, &rc);
	ck_assert_str_eq(p1, p2);
	ck_assert_ptr_nonnull(strstr(p1, "<section id=\"trends\">"));
	ck_assert_ptr_nonnull(strstr(p1, "<polyline"));
	ck_assert_ptr_nonnull(strstr(p1, "stroke-dasharray"));   /* 2024 */
	/* 1—2月: 200 万元 on 150 万元 */
	ck_assert_ptr_nonnull(strstr(p1, "<tr data-m=\"2\"><td class=\"nw\">1—2月</td>"
				     "<td class=\"n\">200.00</td><td class=\"n\">150.00</td>"
				     "<td class=\"n\">33.33</td>"));
	ck_assert_ptr_nonnull(strstr(p1, "<tr data-m=\"1\"><td class=\"nw\">1月</td>"
				     "<td class=\"n\">150.00</td><td class=\"n\">100.00</td>"
				     "<td class=\"n\">50.00</td>"));
	ck_assert_ptr_nonnull(strstr(p1, "未分摊到月份（2025-NA）：数字贸易 30.00 万元"));
	ck_assert_ptr_null(strstr(p1, "data-m=\"3\""));   /* 2025 to month 2 */
	free(p1);
	free(p2);
	dts_report_free(r);
	dts_cube_free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("page");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, district_keys_and_areas);
	tcase_add_test(tc, geo_load_errors);
	tcase_add_test(tc, geo_table_adds_areas_into_districts);
	tcase_add_test(tc, page_is_self_contained_and_deterministic);
	tcase_add_test(tc, page_trends_by_month);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
