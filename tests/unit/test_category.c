/*
 * test_category.c — the fixed top of the category tree (dts/category.h):
 * the one list every part of the library and every tool reads. Its order,
 * names, ranks and roll-up are pinned here, and the rule set and the cube
 * are checked to agree with it.
 */
#include "check_main.h"
#include "helpers.h"

START_TEST(tops_in_order)
{
	static const char *const want[] = {"CBEC", "TECH", "SERV", "PROD",
					   "DATA", "NONE"};
	const char *c;
	size_t i;

	for (i = 0; (c = dts_category_top(i)); i++) {
		ck_assert_uint_lt(i, DTS_CATEGORY_TOPS);
		ck_assert_str_eq(c, want[i]);
		ck_assert_int_eq(dts_category_top_index(c), (int)i);
		ck_assert(!dts_category_is_aggregate(c));
	}
	ck_assert_uint_eq(i, DTS_CATEGORY_TOPS);
	ck_assert_ptr_null(dts_category_top((size_t)-1));
}
END_TEST

START_TEST(aggregates_and_canonical_order)
{
	static const char *const agg[] = {"DT", "DO", "DD"};
	static const char *const order[] = {"DT", "DO", "CBEC", "DD", "TECH",
					    "SERV", "PROD", "DATA", "NONE"};
	const char *c;
	size_t i;

	for (i = 0; (c = dts_category_aggregate(i)); i++) {
		ck_assert_str_eq(c, agg[i]);
		ck_assert(dts_category_is_aggregate(c));
		ck_assert_int_eq(dts_category_top_index(c), DTS_ENOTFOUND);
	}
	ck_assert_uint_eq(i, DTS_CATEGORY_AGGREGATES);
	for (i = 0; (c = dts_category_fixed(i)); i++) {
		ck_assert_str_eq(c, order[i]);
		ck_assert_int_eq(dts_category_rank(c), (int)i);
	}
	ck_assert_uint_eq(i, DTS_CATEGORY_FIXED);
	ck_assert_uint_eq(DTS_CATEGORY_FIXED,
			  DTS_CATEGORY_TOPS + DTS_CATEGORY_AGGREGATES);
}
END_TEST

START_TEST(ranks_of_leaves_and_others)
{
	ck_assert_int_eq(dts_category_rank("TECH.CLOUD"), 4);
	ck_assert_int_eq(dts_category_rank("CBEC.B2C.X"), 2);
	ck_assert_int_eq(dts_category_rank("NONE.GOODS"), 8);
	ck_assert_int_eq(dts_category_rank("TECHX"), 9);
	ck_assert_int_eq(dts_category_rank(""), 9);
	ck_assert_int_eq(dts_category_rank("tech"), 9);
	ck_assert_int_eq(dts_category_top_index("SERV.IP"), 2);
	ck_assert_int_eq(dts_category_top_index("DT.X"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_category_top_index("cloud"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_category_top_index(""), DTS_ENOTFOUND);
	ck_assert(!dts_category_is_aggregate("DT.X"));
	ck_assert(!dts_category_is_aggregate("D"));
}
END_TEST

/* Walk up from code and compare with the expected chain. */
static void chain_is(const char *code, const char *const *want, size_t n)
{
	const char *up = dts_category_parent(code);
	size_t i;

	for (i = 0; up; i++, up = dts_category_parent(up)) {
		ck_assert_msg(i < n, "%s: too long a chain at %s", code, up);
		ck_assert_str_eq(up, want[i]);
	}
	ck_assert_msg(i == n, "%s: chain of %zu, want %zu", code, i, n);
}

START_TEST(parents_roll_up)
{
	static const char *const cloud[] = {"TECH", "DD", "DT"};
	static const char *const b2c[] = {"CBEC", "DO", "DT"};
	static const char *const data[] = {"DD", "DT"};
	static const char *const none_leaf[] = {"NONE"};

	chain_is("TECH.CLOUD", cloud, 3);
	chain_is("CBEC.B2C", b2c, 3);
	chain_is("DATA", data, 2);
	chain_is("NONE.GOODS", none_leaf, 1);
	chain_is("NONE", NULL, 0);
	chain_is("DT", NULL, 0);
	chain_is("DT.X", NULL, 0);
	chain_is("OTHER", NULL, 0);
	ck_assert_str_eq(dts_category_parent("DO"), "DT");
	ck_assert_str_eq(dts_category_parent("DD"), "DT");
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(dts_category_name_zh("CBEC"), "跨境电商");
	ck_assert_str_eq(dts_category_name_en("CBEC"), "Cross-border e-commerce");
	ck_assert_str_eq(dts_category_name_zh("TECH"), "数字技术贸易");
	ck_assert_str_eq(dts_category_name_zh("NONE"), "非数字贸易");
	ck_assert_str_eq(dts_category_name_zh("DT"), "数字贸易");
	ck_assert_str_eq(dts_category_name_zh("DO"), "数字订购贸易");
	ck_assert_str_eq(dts_category_name_zh("DD"), "数字交付贸易");
	ck_assert_str_eq(dts_category_name_en("DD"), "Digitally delivered trade");
	ck_assert_ptr_null(dts_category_name_zh("TECH.CLOUD"));
	ck_assert_ptr_null(dts_category_name_en(""));
	for (size_t i = 0; i < DTS_CATEGORY_FIXED; i++) {
		ck_assert_ptr_nonnull(dts_category_name_zh(dts_category_fixed(i)));
		ck_assert_ptr_nonnull(dts_category_name_en(dts_category_fixed(i)));
	}
}
END_TEST

/* The rule set's first categories are the top codes, named from the list. */
START_TEST(rules_use_the_list)
{
	dts_rules *r = must_compile("");
	dts_category_info ci;

	for (size_t i = 0; i < DTS_CATEGORY_TOPS; i++) {
		ck_assert_int_eq(dts_rules_category(&ci, r, i), 0);
		ck_assert_str_eq(ci.code, dts_category_top(i));
		ck_assert_str_eq(ci.zh, dts_category_name_zh(ci.code));
		ck_assert_str_eq(ci.en, dts_category_name_en(ci.code));
	}
	dts_rules_free(r);
}
END_TEST

static Suite *category_suite(void)
{
	Suite *s = suite_create("category");
	TCase *tc = tcase_create("list");

	tcase_add_test(tc, tops_in_order);
	tcase_add_test(tc, aggregates_and_canonical_order);
	tcase_add_test(tc, ranks_of_leaves_and_others);
	tcase_add_test(tc, parents_roll_up);
	tcase_add_test(tc, names);
	tcase_add_test(tc, rules_use_the_list);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(category_suite());
}
