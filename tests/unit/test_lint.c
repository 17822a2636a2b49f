/*
 * test_lint.c — dts_rules_lint finds what it promises (shadowed rules,
 * rules tried on every record, regexes without atoms, rules without
 * examples, unused categories) and says nothing about rules that can win.
 */
#include "check_main.h"
#include "helpers.h"

typedef struct found {
	int n[8];
	char shadowed[256];
} found;

static int collect(const dts_lint *f, void *payload)
{
	found *x = payload;
	size_t used = strlen(x->shadowed);

	x->n[f->kind]++;
	if (f->kind == DTS_LINT_SHADOWED)
		snprintf(x->shadowed + used, sizeof(x->shadowed) - used, "%s ", f->rule);
	return 0;
}

static found lint_of(const char *body)
{
	dts_rules *r = must_compile(body);
	found x;

	memset(&x, 0, sizeof(x));
	ck_assert_int_eq(dts_rules_lint(r, collect, &x), 0);
	dts_rules_free(r);
	return x;
}

#define EX(cat) "<example expect=\"" cat "\" description=\"x\"/>"

START_TEST(shadowed_rules_are_found)
{
	found x = lint_of(
		"<rule id=\"wide\" category=\"TECH.CLOUD\" priority=\"9\"><prefix field=\"ebops_code\">SI2</prefix>" EX("NONE") "</rule>"
		/* every SI22 record is SI2: never wins */
		"<rule id=\"narrow\" category=\"TECH.SOFTWARE\" priority=\"5\"><in field=\"ebops_code\">SI22 SI21</in>" EX("NONE") "</rule>"
		/* an all() whose one part already implies the wide rule */
		"<rule id=\"narrow2\" category=\"PROD.GAME\"><all><prefix field=\"ebops_code\">SI21</prefix>"
		"<contains field=\"description\">game</contains></all>" EX("NONE") "</rule>"
		/* case-sensitive text implies the caseless literal */
		"<rule id=\"cl\" category=\"DATA.PRODUCT\" priority=\"8\"><contains field=\"description\" caseless=\"yes\">data</contains>" EX("NONE") "</rule>"
		"<rule id=\"cs\" category=\"DATA.PRODUCT\" priority=\"7\"><contains field=\"description\">big data</contains>" EX("NONE") "</rule>");

	ck_assert_int_eq(x.n[DTS_LINT_SHADOWED], 3);
	ck_assert_ptr_nonnull(strstr(x.shadowed, "narrow "));
	ck_assert_ptr_nonnull(strstr(x.shadowed, "narrow2 "));
	ck_assert_ptr_nonnull(strstr(x.shadowed, "cs "));
}
END_TEST

START_TEST(rules_that_can_win_are_not_shadowed)
{
	found x = lint_of(
		"<rule id=\"a\" category=\"TECH.CLOUD\" priority=\"9\"><all><prefix field=\"ebops_code\">SI2</prefix>"
		"<contains field=\"description\">cloud</contains></all>" EX("NONE") "</rule>"
		/* wider than a: wins whenever the description lacks cloud */
		"<rule id=\"b\" category=\"TECH.SOFTWARE\"><prefix field=\"ebops_code\">SI2</prefix>" EX("NONE") "</rule>"
		/* caseless cannot follow from case-sensitive */
		"<rule id=\"cs\" category=\"DATA.PRODUCT\" priority=\"8\"><contains field=\"description\">Data</contains>" EX("NONE") "</rule>"
		"<rule id=\"cl\" category=\"DATA.PRODUCT\" priority=\"7\"><contains field=\"description\" caseless=\"yes\">data</contains>" EX("NONE") "</rule>"
		/* a regex may match the empty string: present() does not follow */
		"<rule id=\"p\" category=\"PROD.GAME\" priority=\"6\"><all><present field=\"channel\"/><eq field=\"flow\">X</eq></all>" EX("NONE") "</rule>"
		"<rule id=\"r\" category=\"PROD.GAME\" priority=\"5\"><all><regex field=\"channel\">x?</regex><eq field=\"flow\">X</eq></all>" EX("NONE") "</rule>");

	ck_assert_int_eq(x.n[DTS_LINT_SHADOWED], 0);
}
END_TEST

START_TEST(unindexed_atomless_unused_no_example)
{
	found x = lint_of(
		"<rule id=\"ranges\" category=\"TECH.CLOUD\"><range field=\"hs_code\" from=\"8471\" to=\"8473\"/>" EX("NONE") "</rule>"
		"<rule id=\"classes\" category=\"TECH.SOFTWARE\"><regex field=\"description\">[0-9]+x</regex></rule>");

	ck_assert_int_eq(x.n[DTS_LINT_UNINDEXED], 2);
	ck_assert_int_eq(x.n[DTS_LINT_NO_ATOM], 1);
	ck_assert_int_eq(x.n[DTS_LINT_NO_EXAMPLE], 1);
	/* helpers.h declares PROD.GAME, CBEC.B2C, DATA.PRODUCT: none assigned */
	ck_assert_int_eq(x.n[DTS_LINT_UNUSED_CATEGORY], 3);
}
END_TEST

/* The index that replaced the all-pairs scan (issue 11, defect 3) must
 * find shadowers through every case implies() knows: NOT, ANY on either
 * side, IN values inside a caseless literal, prefixes of IN values. */
START_TEST(shadowers_found_through_the_index)
{
	found x = lint_of(
		"<rule id=\"n1\" category=\"TECH.CLOUD\" priority=\"9\"><not><contains field=\"description\">ab</contains></not>" EX("NONE") "</rule>"
		"<rule id=\"n2\" category=\"TECH.CLOUD\" priority=\"8\"><not><contains field=\"description\">a</contains></not>" EX("NONE") "</rule>"
		"<rule id=\"y1\" category=\"TECH.SOFTWARE\" priority=\"7\"><any><eq field=\"trade_mode\">9610</eq><eq field=\"trade_mode\">9710</eq></any>" EX("NONE") "</rule>"
		"<rule id=\"y2\" category=\"TECH.SOFTWARE\" priority=\"6\"><in field=\"trade_mode\">9710</in>" EX("NONE") "</rule>"
		"<rule id=\"p1\" category=\"PROD.GAME\" priority=\"5\"><prefix field=\"hs_code\">847</prefix>" EX("NONE") "</rule>"
		"<rule id=\"p2\" category=\"PROD.GAME\" priority=\"4\"><any><prefix field=\"hs_code\">8471</prefix><in field=\"hs_code\">84729</in></any>" EX("NONE") "</rule>"
		"<rule id=\"c1\" category=\"DATA.PRODUCT\" priority=\"3\"><contains field=\"description\" caseless=\"yes\">cloud</contains>" EX("NONE") "</rule>"
		"<rule id=\"c2\" category=\"DATA.PRODUCT\" priority=\"2\"><all><in field=\"description\">cloud-hosting</in><eq field=\"flow\">X</eq></all>" EX("NONE") "</rule>"
		/* not shadowed: 9810 is outside y1, and "ab" does not imply "abc" */
		"<rule id=\"y3\" category=\"TECH.SOFTWARE\" priority=\"1\"><in field=\"trade_mode\">9610 9810</in>" EX("NONE") "</rule>"
		"<rule id=\"n3\" category=\"TECH.CLOUD\" priority=\"0\"><not><contains field=\"description\">abc</contains></not>" EX("NONE") "</rule>");

	ck_assert_int_eq(x.n[DTS_LINT_SHADOWED], 4);
	ck_assert_str_eq(x.shadowed, "n2 y2 p2 c2 ");
}
END_TEST

/* check runs each regex on its rule's examples as classification will
 * (issue 11, defect 11): a pattern that stops at the PCRE2 limits there
 * is reported, one that does not is not. */
START_TEST(regex_limit_on_examples)
{
	found x = lint_of(
		"<rule id=\"slow\" category=\"TECH.CLOUD\"><all><eq field=\"flow\">X</eq>"
		"<regex field=\"description\">(a+)+$</regex></all>"
		"<example expect=\"TECH.CLOUD\" flow=\"X\" description=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"/></rule>"
		"<rule id=\"fine\" category=\"TECH.SOFTWARE\"><all><eq field=\"flow\">M</eq>"
		"<regex field=\"description\">a+b$</regex></all>"
		"<example expect=\"TECH.SOFTWARE\" flow=\"M\" description=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"/></rule>");

	ck_assert_int_eq(x.n[DTS_LINT_REGEX_LIMIT], 1);
}
END_TEST

static int stop_at_first(const dts_lint *f, void *payload)
{
	(void)f;
	(*(int *)payload)++;
	return 42;
}

/* The names dts-rules check prints in brackets. */
START_TEST(kind_names)
{
	ck_assert_str_eq(dts_lint_kind_name(DTS_LINT_UNINDEXED), "unindexed");
	ck_assert_str_eq(dts_lint_kind_name(DTS_LINT_NO_ATOM), "no-atom");
	ck_assert_str_eq(dts_lint_kind_name(DTS_LINT_SHADOWED), "shadowed");
	ck_assert_str_eq(dts_lint_kind_name(DTS_LINT_NO_EXAMPLE), "no-example");
	ck_assert_str_eq(dts_lint_kind_name(DTS_LINT_UNUSED_CATEGORY), "unused-category");
	ck_assert_str_eq(dts_lint_kind_name(DTS_LINT_REGEX_LIMIT), "regex-limit");
	ck_assert_str_eq(dts_lint_kind_name((dts_lint_kind)0), "lint");
}
END_TEST

START_TEST(callback_can_stop_the_walk)
{
	dts_rules *r = must_compile(
		"<rule id=\"u1\" category=\"TECH.CLOUD\"><empty field=\"hs_code\"/></rule>"
		"<rule id=\"u2\" category=\"TECH.SOFTWARE\"><empty field=\"hs_code\"/></rule>");
	int calls = 0;

	ck_assert_int_eq(dts_rules_lint(r, stop_at_first, &calls), 42);
	ck_assert_int_eq(calls, 1);
	dts_rules_free(r);
}
END_TEST

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("lint");

	tcase_add_test(tc, shadowed_rules_are_found);
	tcase_add_test(tc, rules_that_can_win_are_not_shadowed);
	tcase_add_test(tc, unindexed_atomless_unused_no_example);
	tcase_add_test(tc, callback_can_stop_the_walk);
	tcase_add_test(tc, kind_names);
	tcase_add_test(tc, shadowers_found_through_the_index);
	tcase_add_test(tc, regex_limit_on_examples);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(lint_suite());
}
