/* test_binding.c — the binding report: names, describe, JSON, the check
 * against what a classifier reads; the summary with encoding and binding. */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "helpers.h"

#define BIT(f) (UINT64_C(1) << (f))

START_TEST(names_and_fields)
{
	static const char *const hdr[] = {"商品编码", "监管方式", "备注", "金额"};
	static const char *const map[] = {"备注=description"};
	dts_binding *b;

	ck_assert_int_eq(dts_binding_new(&b, hdr, 4, NULL, 0), 0);
	ck_assert_uint_eq(dts_binding_ncols(b), 4);
	ck_assert_str_eq(dts_binding_column_name(b, 0), "商品编码");
	ck_assert_str_eq(dts_binding_column_name(b, 3), "金额");
	ck_assert_ptr_null(dts_binding_column_name(b, 4));
	ck_assert(dts_binding_fields(b) ==
		  (BIT(DTS_F_HS_CODE) | BIT(DTS_F_TRADE_MODE) | BIT(DTS_F_VALUE)));
	dts_binding_free(b);
	ck_assert_int_eq(dts_binding_new(&b, hdr, 4, map, 1), 0);
	ck_assert(dts_binding_fields(b) & BIT(DTS_F_DESCRIPTION));
	dts_binding_free(b);
	ck_assert_uint_eq(dts_binding_ncols(NULL), 0);
	ck_assert_ptr_null(dts_binding_column_name(NULL, 0));
	ck_assert(dts_binding_fields(NULL) == 0);
}
END_TEST

START_TEST(describe_and_json)
{
	static const char *const hdr[] = {"商品编码", "监管方式", "备注", "say \"x\"\t"};
	static const char *const none[] = {"remark", "x"};
	dts_binding *b;
	char *s;

	ck_assert_int_eq(dts_binding_new(&b, hdr, 4, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_describe(&s, b), 0);
	ck_assert_str_eq(s, "商品编码→hs_code, 监管方式→trade_mode; unbound: 备注, say \"x\"?");
	free(s);
	ck_assert_int_eq(dts_binding_json(&s, b), 0);
	ck_assert_str_eq(s, "{\"bound\":{\"商品编码\":\"hs_code\",\"监管方式\":\"trade_mode\"},"
			    "\"unbound\":[\"备注\",\"say \\\"x\\\"\\t\"]}");
	free(s);
	dts_binding_free(b);
	/* all bound: no unbound part; none bound: "none" */
	ck_assert_int_eq(dts_binding_new(&b, hdr, 2, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_describe(&s, b), 0);
	ck_assert_str_eq(s, "商品编码→hs_code, 监管方式→trade_mode");
	free(s);
	ck_assert_int_eq(dts_binding_json(&s, b), 0);
	ck_assert_str_eq(s, "{\"bound\":{\"商品编码\":\"hs_code\",\"监管方式\":\"trade_mode\"},\"unbound\":[]}");
	free(s);
	dts_binding_free(b);
	ck_assert_int_eq(dts_binding_new(&b, none, 2, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_describe(&s, b), 0);
	ck_assert_str_eq(s, "none; unbound: remark, x");
	free(s);
	dts_binding_free(b);
	ck_assert_int_eq(dts_binding_new(&b, NULL, 0, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_json(&s, b), 0);
	ck_assert_str_eq(s, "{\"bound\":{},\"unbound\":[]}");
	free(s);
	dts_binding_free(b);
	ck_assert_int_eq(dts_binding_describe(&s, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_binding_json(NULL, b), DTS_EINVAL);
}
END_TEST

START_TEST(check_against_the_classifier)
{
	static const char *const orders[] = {"订单号", "金额", "币种"};
	static const char *const goods[] = {"id", "hs_code", "value"};
	static const char *const text[] = {"id", "商品名称"};
	dts_rules *R;
	dts_binding *b;
	uint64_t fields, missing = 1;

	ck_assert_int_eq(compile_body(&R,
		"<rule id=\"c\" category=\"TECH.CLOUD\"><prefix field=\"ebops_code\">SI2</prefix></rule>"
		"<rule id=\"g\" category=\"CBEC.B2C\"><all><prefix field=\"hs_code\">85</prefix>"
		"<contains field=\"description\">game</contains></all></rule>"), 0);
	fields = dts_rules_fields(R);
	ck_assert(fields == (BIT(DTS_F_EBOPS_CODE) | BIT(DTS_F_HS_CODE) | BIT(DTS_F_DESCRIPTION)));
	ck_assert(dts_rules_fields(NULL) == 0);
	/* nothing the classifier reads: refused, naming the input and its columns */
	ck_assert_int_eq(dts_binding_new(&b, orders, 3, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_check(&missing, b, fields, "trade.csv"), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "trade.csv");
	ck_assert_str_eq(dts_error_last()->message, "no column binds to a field the classifier"
			 " reads (columns: 订单号, 金额, 币种)");
	/* a classifier that reads nothing asks nothing */
	ck_assert_int_eq(dts_binding_check(&missing, b, 0, "trade.csv"), 0);
	ck_assert(missing == 0);
	dts_binding_free(b);
	/* a goods file lacks the description, not the EBOPS code */
	ck_assert_int_eq(dts_binding_new(&b, goods, 3, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_check(&missing, b, fields, "g.csv"), 0);
	ck_assert(missing == BIT(DTS_F_DESCRIPTION));
	dts_binding_free(b);
	/* a text-only file lacks every code the classifier reads */
	ck_assert_int_eq(dts_binding_new(&b, text, 2, NULL, 0), 0);
	ck_assert_int_eq(dts_binding_check(NULL, b, fields, "t.csv"), 0);
	ck_assert_int_eq(dts_binding_check(&missing, b, fields, "t.csv"), 0);
	ck_assert(missing == (BIT(DTS_F_EBOPS_CODE) | BIT(DTS_F_HS_CODE)));
	dts_binding_free(b);
	ck_assert_int_eq(dts_binding_check(&missing, NULL, fields, "x"), DTS_EINVAL);
	dts_rules_free(R);
}
END_TEST

START_TEST(summary_with_the_source)
{
	static const char csv[] = "\xEF\xBB\xBFid,hs_code,备注\n1,8471,x\n";
	dts_batch_stats st;
	dts_rules *R;
	dts_source *src;
	char buf[1024];
	FILE *f;

	memset(&st, 0, sizeof(st));
	st.records_in = st.records_out = 1;
	ck_assert_int_eq(compile_body(&R,
		"<rule id=\"g\" category=\"CBEC.B2C\"><prefix field=\"hs_code\">84</prefix></rule>"), 0);
	ck_assert_int_eq(dts_source_open_buffer(&src, csv, sizeof(csv) - 1, "b.csv", NULL), 0);
	ck_assert_str_eq(dts_source_encoding(src), "UTF-8 (BOM)");
	ck_assert_ptr_nonnull(f = fmemopen(buf, sizeof(buf), "w"));
	ck_assert_int_eq(dts_records_summary_source_file(f, R, &st, src), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "\"by_category\":{\"CBEC\":0,"));
	ck_assert_ptr_nonnull(strstr(buf, "\"NONE\":0},\"encoding\":\"UTF-8 (BOM)\",\"profile\":\"canonical\",\"binding\":"
				      "{\"bound\":{\"id\":\"id\",\"hs_code\":\"hs_code\"},"
				      "\"unbound\":[\"备注\"]}}\n"));
	/* no source: the plain summary */
	ck_assert_ptr_nonnull(f = fmemopen(buf, sizeof(buf), "w"));
	ck_assert_int_eq(dts_records_summary_source_file(f, R, &st, NULL), 0);
	fclose(f);
	ck_assert_ptr_null(strstr(buf, "encoding"));
	ck_assert_int_eq(dts_records_summary_source_file(NULL, R, &st, src), DTS_EINVAL);
	dts_source_free(src);
	dts_rules_free(R);
}
END_TEST

/* dts_binding_values (its list of bound columns, made once) against a loop
 * over the fields with dts_binding_column: random headers of aliases,
 * duplicates and unknown names, maps that move and unbind columns, rows
 * of every length up to one longer than the header. */
START_TEST(values_same_as_field_loop)
{
	static const char *const names[] = {"id", "flow", "period", "hs_code", "description",
					    "value", "currency", "counterpart", "region", "x", "y",
					    "trade_mode", "source", "enterprise_id", "ebops_code"};
	static const char *const maps[] = {"x=description", "flow=-", "y=value", "id=-",
					   "region=counterpart", "hs_code=-"};
	const size_t nn = sizeof(names) / sizeof(names[0]), nm = sizeof(maps) / sizeof(maps[0]);
	unsigned long long st = 0x2545F4914F6CDD1DULL;

	for (int iter = 0; iter < 2000; iter++) {
		const char *hdr[24], *cols[25], *map[3];
		size_t lens[25], ncols, nmap = 0;
		dts_binding *b;

		st ^= st << 13, st ^= st >> 7, st ^= st << 17;
		ncols = 1 + st % 20;
		for (size_t i = 0; i < ncols; i++) {
			st ^= st << 13, st ^= st >> 7, st ^= st << 17;
			hdr[i] = names[st % nn];
		}
		for (size_t i = 0; i < nm && nmap < 3; i++) {
			/* only maps whose column is in this header */
			size_t k, cl = strcspn(maps[i], "=");

			st ^= st << 13, st ^= st >> 7, st ^= st << 17;
			for (k = 0; k < ncols; k++)
				if (strlen(hdr[k]) == cl && !strncmp(hdr[k], maps[i], cl))
					break;
			if (k < ncols && st % 2)
				map[nmap++] = maps[i];
		}
		ck_assert_int_eq(dts_binding_new(&b, hdr, ncols, map, nmap), 0);
		for (size_t i = 0; i <= ncols; i++) {
			cols[i] = names[i % nn];
			lens[i] = i;
		}
		for (size_t n = 0; n <= ncols + 1 && n <= 24; n++) {
			dts_value got[DTS_F_COUNT], want[DTS_F_COUNT];
			size_t ng = dts_binding_values(got, b, cols, lens, n), nw = 0;

			for (int f = 0; f < DTS_F_COUNT; f++) {
				int c = dts_binding_column(b, f);

				if (c >= 0 && (size_t)c < n)
					want[nw++] = (dts_value){f, cols[c], lens[c]};
			}
			ck_assert_uint_eq(ng, nw);
			for (size_t i = 0; i < nw; i++) {
				ck_assert_int_eq(got[i].field, want[i].field);
				ck_assert_ptr_eq(got[i].data, want[i].data);
				ck_assert_uint_eq(got[i].len, want[i].len);
			}
		}
		dts_binding_free(b);
	}
}
END_TEST

static Suite *binding_suite(void)
{
	Suite *s = suite_create("binding");
	TCase *t = tcase_create("binding");

	tcase_add_test(t, names_and_fields);
	tcase_add_test(t, values_same_as_field_loop);
	tcase_add_test(t, describe_and_json);
	tcase_add_test(t, check_against_the_classifier);
	tcase_add_test(t, summary_with_the_source);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return dts_test_run(binding_suite());
}
