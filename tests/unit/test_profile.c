/*
 * test_profile.c — source profiles (dts/profile.h) and how a source reads
 * with them (dts/source.h): loading and schema errors, scoring a header,
 * the choice (a clear winner, the canonical reading on a tie with it, an
 * error on a tie between two), the header row under a title and a 单位
 * row, total and note rows, status exclusions, unpivoting with its
 * empty/zero policy, and the canonical rows a profile gives.
 */
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"
#include "profile_int.h"

#define LOAD(p, xml) dts_profile_load_buffer(p, xml, strlen(xml), "t.xml")

START_TEST(load_and_errors)
{
	dts_profile *p = NULL;
	const char *const hdr[] = {"单号", "金额", "状态"};

	ck_assert_int_eq(LOAD(&p, "<profile name=\"t\" version=\"1\"><title>T</title>"
			      "<column field=\"id\" required=\"yes\"><header>单号</header></column>"
			      "<column field=\"value\" currency=\"CNY\"><header>金额</header></column>"
			      "</profile>"), 0);
	ck_assert_str_eq(dts_profile_name(p), "t");
	ck_assert_str_eq(dts_profile_title(p), "T");
	ck_assert_int_eq(dts_profile_score(p, hdr, 3), 2);
	ck_assert_int_eq(dts_profile_score(p, hdr + 1, 2), DTS_ENOTFOUND); /* required 单号 */
	dts_profile_free(p);
	dts_profile_free(NULL);
	/* not well-formed, not valid, an unknown field, a bad scheme, a bad pattern */
	ck_assert_int_eq(LOAD(&p, "<profile"), DTS_ESYNTAX);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(LOAD(&p, "<profile name=\"t\" version=\"1\"><colum/></profile>"), DTS_ESYNTAX);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "profile schema"));
	ck_assert_int_eq(LOAD(&p, "<profile name=\"t\" version=\"1\"><column field=\"nope\">"
			      "<header>x</header></column></profile>"), DTS_ESYNTAX);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "unknown field 'nope'"));
	ck_assert_int_eq(LOAD(&p, "<profile name=\"t\" version=\"1\"><column field=\"region\" "
			      "scheme=\"iso\"><header>x</header></column></profile>"), DTS_ESYNTAX);
	ck_assert_int_eq(LOAD(&p, "<profile name=\"t\" version=\"1\"><column field=\"id\">"
			      "<pattern>(</pattern></column></profile>"), DTS_ESYNTAX);
	ck_assert_int_eq(dts_profile_load(&p, "/nonexistent/p.xml"), DTS_EIO);
	ck_assert_int_eq(dts_profile_load(NULL, "x"), DTS_EINVAL);
}
END_TEST

START_TEST(builtin_profiles)
{
	const char *const *names;
	size_t n = dts_profile_builtin_names(&names);
	const char *const stats[] = {"数据年月", "进出口", "商品编码", "商品名称", "贸易方式编码",
				     "贸易方式", "贸易伙伴编码", "贸易伙伴名称", "人民币", "美元"};
	const char *const canon[] = {"id", "hs_code", "description"};
	dts_profile *p;

	ck_assert_uint_ge(n, 7);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(dts_profile_builtin(&p, names[i]), 0);
		ck_assert_str_eq(dts_profile_name(p), names[i]);
		dts_profile_free(p);
	}
	ck_assert_int_eq(dts_profile_builtin(&p, "customs-stats"), 0);
	ck_assert_int_eq(dts_profile_score(p, stats, 10), 10);
	ck_assert_int_eq(dts_profile_score(p, canon, 3), DTS_ENOTFOUND);
	dts_profile_free(p);
	ck_assert_int_eq(dts_profile_builtin(&p, DTS_PROFILE_CANONICAL), 0);
	ck_assert_int_eq(dts_profile_score(p, canon, 3), 3);
	dts_profile_free(p);
	ck_assert_int_eq(dts_profile_builtin(&p, "nope"), DTS_ENOTFOUND);
}
END_TEST

/*
 * The shared built-in profiles (validated against one parse of the schema)
 * are the ones dts_profile_builtin loads alone: the same names, titles and
 * header scores, in the order of dts_profile_builtin_names.
 */
START_TEST(shared_builtins_same_as_alone)
{
	const char *const *names;
	size_t n = dts_profile_builtin_names(&names), m;
	dts_profile *const *set;
	const char *const hdrs[][4] = {
		{"数据年月", "商品编码", "商品名称", "美元"}, {"id", "hs_code", "description", "value"},
		{"申报日期", "商品编号", "成交总价", "币制"}, {"period", "bop_code", "credit", "debit"},
		{"订单号", "商品名称", "订单金额", "币种"}, {"企业名称", "服务类别", "金额", "年月"},
	};
	dts_profile *p;

	ck_assert_int_eq(dts__profile_builtins(&set, &m), 0);
	ck_assert_uint_eq(m, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(dts_profile_builtin(&p, names[i]), 0);
		ck_assert_str_eq(dts_profile_name(set[i]), dts_profile_name(p));
		ck_assert_str_eq(dts_profile_title(set[i]) ? dts_profile_title(set[i]) : "",
				 dts_profile_title(p) ? dts_profile_title(p) : "");
		for (size_t h = 0; h < sizeof(hdrs) / sizeof(*hdrs); h++)
			for (size_t k = 1; k <= 4; k++)
				ck_assert_int_eq(dts_profile_score(set[i], hdrs[h], k),
						 dts_profile_score(p, hdrs[h], k));
		dts_profile_free(p);
	}
}
END_TEST

/* Read every row of a buffer: "L:col|col|..." or "L!reason", one a line. */
static char *read_all(const char *csv, const char *profile, const char **chosen)
{
	static char out[8192], name[64];
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src;
	dts_source_row row;
	const char *const *hdr;
	size_t k = 0, n;
	int rc;

	o.profile = profile;
	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", &o), 0);
	snprintf(name, sizeof(name), "%s", dts_source_profile(src));
	*chosen = name;
	n = dts_source_header(src, &hdr);
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s", i ? "|" : "", hdr[i]);
	k += (size_t)snprintf(out + k, sizeof(out) - k, "\n");
	while ((rc = dts_source_next(&row, src)) != 0) {
		ck_assert_int_ge(rc, DTS_EINPUT);
		if (rc == DTS_EINPUT) {
			k += (size_t)snprintf(out + k, sizeof(out) - k, "%llu!%s\n",
					      (unsigned long long)row.line, row.error);
			continue;
		}
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%llu:", (unsigned long long)row.line);
		for (size_t i = 0; i < row.ncols; i++)
			k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s", i ? "|" : "", row.cols[i]);
		k += (size_t)snprintf(out + k, sizeof(out) - k, "\n");
	}
	dts_source_free(src);
	return out;
}

START_TEST(canonical_files_read_as_before)
{
	const char *chosen;
	const char *got = read_all("id,hs_code,description\n1,8471,laptop\n", NULL, &chosen);

	ck_assert_str_eq(chosen, "canonical");
	ck_assert_str_eq(got, "id|hs_code|description\n2:1|8471|laptop\n");
}
END_TEST

START_TEST(platform_orders_excluded)
{
	const char *chosen;
	const char *got = read_all(
		"订单编号,下单时间,平台,商品名称,订单金额,币种,订单状态\n"
		"A1,2025-01-03,AMZ,耳机,89.98,USD,已完成\n"
		"A2,2025-01-04,AMZ,手表,12.00,USD,已取消\n"
		"A3,2025-01-05,AMZ,手表,12.00,USD,Refunded\n"
		"A3R,2025-01-06,AMZ,手表,-12.00,USD,退款\n", NULL, &chosen);

	ck_assert_str_eq(chosen, "platform-orders");
	ck_assert_str_eq(got,
		"id|source|period|description|platform|channel|value|currency|订单状态\n"
		"2:A1|cbec|2025-01-03|耳机|AMZ|platform|89.98|USD|已完成\n"
		"3!cancelled order, not trade (已取消)\n"
		"4!refunded order, not trade (Refunded)\n"
		"5!refund line (negative amount), not trade\n");
}
END_TEST

START_TEST(survey_title_unit_total_note_unpivot)
{
	const char *chosen;
	const char *got = read_all(
		"某市企业调查表,,,,\n"
		"单位：万元,,,,\n"
		"统一社会信用代码,所在区县,报告期,出口额,进口额（千美元）\n"
		"E1,西湖区,2025-03,10,5\n"
		"E2,滨江区,2025-03,,0\n"
		"E3,上城区,2025-03,0,7\n"
		"合计,,,10,12\n"
		"注：虚构数据\n", NULL, &chosen);

	ck_assert_str_eq(chosen, "survey");
	/* one row -> a record per non-empty, non-zero cell; ids say line and
	 * flow; 出口额 in the 单位 row's 万元 (CNY), 进口额 in its header's 千美元
	 * (USD); district names -> codes */
	ck_assert_str_eq(got,
		"id|source|flow|period|region|enterprise_id|value|currency\n"
		"4:4-X|survey|X|2025-03|330106|E1|100000|CNY\n"
		"4:4-M|survey|M|2025-03|330106|E1|5000|USD\n"
		"5!no amount: 出口额, 进口额（千美元） empty or zero\n"
		"6:6-M|survey|M|2025-03|330102|E3|7000|USD\n"
		"7!total row, not a record\n");
}
END_TEST

START_TEST(choice_ties_and_named)
{
	const char *chosen;
	dts_source *src;
	const char *csv = "单号,金额\n1,2\n";
	const char *prof = "<profile name=\"a\" version=\"1\"><column field=\"id\"><header>单号</header>"
			   "</column><column field=\"value\"><header>金额</header></column></profile>";
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	char dir[] = "/tmp/test_profile.XXXXXX", path[128];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%c.xml", dir, 'a' + i);
		ck_assert_ptr_nonnull(f = fopen(path, "w"));
		fputs(prof, f);
		if (i == 0)
			fputs("", f);
		fclose(f);
		if (i == 0) {
			/* one user profile: it wins over the canonical reading (金额 only) */
			o.profile_dir = dir;
			ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", &o), 0);
			ck_assert_str_eq(dts_source_profile(src), "a");
			dts_source_free(src);
		}
	}
	/* two that fit equally: an error naming both */
	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", &o), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "equally"));
	/* named: the file, or by name */
	o.profile = path;
	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", &o), 0);
	dts_source_free(src);
	o.profile = "nope";
	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", &o), DTS_EINVAL);
	remove(path);
	snprintf(path, sizeof(path), "%s/a.xml", dir);
	remove(path);
	rmdir(dir);
	(void)read_all(csv, DTS_PROFILE_CANONICAL, &chosen);
	ck_assert_str_eq(chosen, "canonical");
}
END_TEST

START_TEST(skipped_rows_and_unit)
{
	const char *csv = "标题,,\n单位：万元,,\n统一社会信用代码,所在区县,出口额\nE1,西湖区,1\n";
	const char *unit = NULL;
	dts_source *src;
	dts_source_row row;

	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv", NULL), 0);
	ck_assert_uint_eq(dts_source_skipped(src, &unit), 2);
	ck_assert_str_eq(unit, "单位：万元");
	ck_assert_int_eq(dts_source_next(&row, src), 1);
	ck_assert_uint_eq(row.line, 4); /* the file's line, not the table's */
	dts_source_free(src);
	/* no rows above the header: nothing skipped, no unit */
	ck_assert_int_eq(dts_source_open_buffer(&src, "id\n1\n", 5, "t.csv", NULL), 0);
	ck_assert_uint_eq(dts_source_skipped(src, &unit), 0);
	ck_assert_str_eq(unit, "");
	ck_assert_str_eq(dts_source_profile(src), DTS_PROFILE_CANONICAL);
	dts_source_free(src);
}
END_TEST

START_TEST(old_options_versions)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src;

	o.version = 1;
	ck_assert_int_eq(dts_source_open_buffer(&src, "id\n1\n", 5, NULL, &o), 0);
	dts_source_free(src);
	o.version = 99;
	ck_assert_int_eq(dts_source_open_buffer(&src, "id\n1\n", 5, NULL, &o), DTS_EINVAL);
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");

	tcase_add_test(tc, load_and_errors);
	tcase_add_test(tc, builtin_profiles);
	tcase_add_test(tc, shared_builtins_same_as_alone);
	tcase_add_test(tc, canonical_files_read_as_before);
	tcase_add_test(tc, platform_orders_excluded);
	tcase_add_test(tc, survey_title_unit_total_note_unpivot);
	tcase_add_test(tc, choice_ties_and_named);
	tcase_add_test(tc, skipped_rows_and_unit);
	tcase_add_test(tc, old_options_versions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(profile_suite());
}
