/*
 * test_standard.c — the standard as a publication (dts/standard.h):
 * definitions, bands and decisions read from the classifier, every
 * correspondence row true of the compiled classifier, the citation lint of
 * decisions (strict) and of rules (strict only with DTS_LINT_RULE_SOURCES=
 * strict: the `rule-sources` test), the writers, and the indicator system
 * (dts_report_write_definitions_cb).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "dts.h"

#define CLASSIFIER DTS_SRCDIR "/classifiers/cn-digital-trade.xml"

static dts_rules *load(void)
{
	const char *p = CLASSIFIER;
	dts_rules *r = NULL;

	ck_assert_int_eq(dts_rules_compile(&r, &p, 1, NULL), 0);
	return r;
}

START_TEST(test_definitions)
{
	dts_rules *r = load();
	dts_category_info c;

	for (size_t i = 0; i < dts_rules_category_count(r); i++) {
		ck_assert_int_eq(dts_rules_category(&c, r, i), 0);
		ck_assert_msg(dts_rules_category_definition(r, i, "zh")[0],
			      "%s has no zh definition", c.code);
		ck_assert_msg(dts_rules_category_definition(r, i, "en")[0],
			      "%s has no en definition", c.code);
	}
	ck_assert_ptr_null(dts_rules_category_definition(r, 0, "fr"));
	ck_assert_ptr_null(dts_rules_category_definition(r, 9999, "zh"));
	ck_assert_ptr_null(dts_rules_category_definition(NULL, 0, "zh"));
	dts_rules_free(r);
}
END_TEST

START_TEST(test_bands_decisions)
{
	dts_rules *r = load();
	dts_band_info b;
	dts_decision_info d;

	ck_assert_uint_eq(dts_rules_band_count(r), 17);
	ck_assert_int_eq(dts_rules_band(&b, r, 0), 0);
	ck_assert_str_eq(b.priority, "1010");
	ck_assert_int_eq(dts_rules_band(&b, r, 17), DTS_EINVAL);
	ck_assert_uint_ge(dts_rules_decision_count(r), 29);
	ck_assert_int_eq(dts_rules_decision(&d, r, 0), 0);
	ck_assert_str_eq(d.id, "D1");
	ck_assert_uint_ge(d.nsources, 1);
	ck_assert_uint_eq(d.ndiffers, 1);
	ck_assert_str_eq(d.differs[0].from, "NBS 2021");
	ck_assert_int_eq(dts_rules_decision(&d, r, 9999), DTS_EINVAL);
	ck_assert_uint_eq(dts_rules_decision_count(NULL), 0);
	dts_rules_free(r);
}
END_TEST

static const char *mini =
	"<classifier xmlns=\"urn:libdts:classifier:1\" id=\"m\" version=\"1\">"
	"<category code=\"TECH.X\" zh=\"x\" en=\"x\" definition-en=\"An x.\"/>"
	"<rule id=\"r\" category=\"TECH.X\"><eq field=\"hs_code\">1</eq></rule>"
	"<standard><decision id=\"a\"><question>q</question><answer>a</answer>"
	"<reason>r</reason><source>EBOPS 2010 SJ22</source>"
	"<differs from=\"MOFCOM\">m</differs></decision></standard>"
	"</classifier>";

START_TEST(test_older_and_minimal)
{
	dts_rules *r = NULL;
	dts_decision_info d;
	int i;

	ck_assert_int_eq(dts_rules_compile_buffer(&r, "mini", NULL, mini,
						  strlen(mini), NULL), 0);
	i = dts_rules_find_category(r, "TECH.X");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(dts_rules_category_definition(r, (size_t)i, "en"), "An x.");
	ck_assert_str_eq(dts_rules_category_definition(r, (size_t)i, "zh"), "");
	ck_assert_uint_eq(dts_rules_band_count(r), 0);
	ck_assert_int_eq(dts_rules_decision(&d, r, 0), 0);
	ck_assert_str_eq(d.sources[0], "EBOPS 2010 SJ22");
	ck_assert_str_eq(d.differs[0].text, "m");
	dts_rules_free(r);
	/* a definition is an attribute: a <definition> child is refused */
	{
		const char *bad =
			"<classifier xmlns=\"urn:libdts:classifier:1\" id=\"m\" version=\"1\">"
			"<category code=\"TECH.X\"><definition>a</definition></category>"
			"<rule id=\"r\" category=\"TECH.X\"><eq field=\"hs_code\">1</eq></rule>"
			"</classifier>";

		ck_assert_int_eq(dts_rules_compile_buffer(&r, "bad", NULL, bad,
							  strlen(bad), NULL),
				 DTS_ESYNTAX);
	}
}
END_TEST

START_TEST(test_cites)
{
	const unsigned both = DTS_CITE_EDITION | DTS_CITE_PLACE;

	ck_assert_uint_eq(dts_source_cites("MSITS 2010 §§3.26-3.38"), both);
	ck_assert_uint_eq(dts_source_cites("EBOPS 2010 SJ22"), both);
	ck_assert_uint_eq(dts_source_cites("HS 2022 (8471, 8517)"), both);
	ck_assert_uint_eq(dts_source_cites("Handbook 2nd ed. (2023) ch. 2"), both);
	ck_assert_uint_eq(dts_source_cites("商务部 中国数字贸易发展报告"), 0);
	ck_assert_uint_eq(dts_source_cites("plan 二(一)7"), DTS_CITE_PLACE);
	ck_assert_uint_eq(dts_source_cites("UN CPC Ver. 2.1 73311"), both);
	ck_assert_uint_eq(dts_source_cites("海关总署公告2020年第75号"), DTS_CITE_EDITION);
	ck_assert_uint_eq(dts_source_cites(NULL), 0);
}
END_TEST

/* "f=v f=v" back into values: a token that is not FIELD=VALUE continues
 * the value before it (descriptions hold spaces). */
static size_t parse_record(dts_value *v, size_t max, char *rec)
{
	size_t n = 0;
	char *save = NULL;

	for (char *t = strtok_r(rec, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		dts_value x;

		if (dts_value_parse(&x, t) == 0 && n < max) {
			v[n++] = x;
		} else {
			ck_assert_uint_gt(n, 0);
			/* rejoin: the tokens are contiguous in rec */
			v[n - 1].len = (size_t)(t + strlen(t) - v[n - 1].data);
			t[-1] = ' ';
		}
	}
	return n;
}

START_TEST(test_concordance_rows_hold)
{
	dts_rules *r = load();
	dts_scanner *s;
	size_t total = 0;

	ck_assert_int_eq(dts_scanner_new(&s, r, 0), 0);
	for (int which = DTS_CONC_EBOPS; which <= DTS_CONC_NBS; which++) {
		dts_table *t;

		ck_assert_int_eq(dts_standard_concordance(&t, r, which), 0);
		ck_assert_uint_gt(dts_table_nrows(t), 0);
		ck_assert_str_eq(dts_table_col_name(t, 3), "record");
		for (size_t i = 0; i < dts_table_nrows(t); i++) {
			char rec[4096];
			dts_value v[16];
			dts_result res;
			size_t n;

			snprintf(rec, sizeof(rec), "%s", dts_table_cell(t, i, 3));
			n = parse_record(v, 16, rec);
			ck_assert_int_eq(dts_scanner_classify(&res, s, v, n), 0);
			ck_assert_msg(!strcmp(res.category, dts_table_cell(t, i, 4)) &&
				      !strcmp(res.rule, dts_table_cell(t, i, 5)),
				      "%s row %s: table says %s (%s), classifier %s (%s)",
				      dts_table_cell(t, i, 0), dts_table_cell(t, i, 3),
				      dts_table_cell(t, i, 4), dts_table_cell(t, i, 5),
				      res.category, res.rule);
			total++;
		}
		dts_table_free(t);
	}
	ck_assert_uint_gt(total, 300);
	ck_assert_int_eq(dts_standard_concordance(NULL, r, 1), DTS_EINVAL);
	{
		dts_table *t = NULL;

		ck_assert_int_eq(dts_standard_concordance(&t, r, 99), DTS_EINVAL);
	}
	dts_scanner_free(s);
	dts_rules_free(r);
}
END_TEST

START_TEST(test_decision_sources_cite)
{
	dts_rules *r = load();
	const unsigned both = DTS_CITE_EDITION | DTS_CITE_PLACE;
	size_t bad = 0;

	for (size_t i = 0; i < dts_rules_decision_count(r); i++) {
		dts_decision_info d;
		unsigned any = 0;

		ck_assert_int_eq(dts_rules_decision(&d, r, i), 0);
		for (size_t k = 0; k < d.nsources; k++)
			if (dts_source_cites(d.sources[k]) == both)
				any = 1;
		if (!any) {
			fprintf(stderr, "%s:%u: decision %s: no source names an "
				"edition and a paragraph, table or row\n",
				d.file, d.line, d.id);
			bad++;
		}
	}
	ck_assert_uint_eq(bad, 0);
	dts_rules_free(r);
}
END_TEST

/* Every rule's sources together name an edition and a place. Reported
 * always; a failure only with DTS_LINT_RULE_SOURCES=strict. */
START_TEST(test_rule_sources_cite)
{
	dts_rules *r = load();
	const char *mode = getenv("DTS_LINT_RULE_SOURCES");
	size_t bad = 0;

	for (size_t i = 0; i < dts_rules_count(r); i++) {
		dts_rule_info ri;

		ck_assert_int_eq(dts_rules_rule(&ri, r, i), 0);
		if (dts_source_cites(ri.source) != (DTS_CITE_EDITION | DTS_CITE_PLACE)) {
			fprintf(stderr, "%s:%u: rule %s: its sources name no %s\n",
				ri.file, ri.line, ri.id,
				dts_source_cites(ri.source) & DTS_CITE_EDITION ?
				"paragraph, table or row" : "edition or year");
			bad++;
		}
	}
	fprintf(stderr, "rule sources: %zu of %zu rules cite no edition and place\n",
		bad, dts_rules_count(r));
	if (mode && !strcmp(mode, "strict"))
		ck_assert_uint_eq(bad, 0);
	dts_rules_free(r);
}
END_TEST

typedef struct sink {
	char *p;
	size_t len;
} sink;

static int to_sink(const void *data, size_t len, void *payload)
{
	sink *s = payload;
	char *p = realloc(s->p, s->len + len + 1);

	if (!p)
		return DTS_ENOMEM;
	memcpy(p + s->len, data, len);
	s->p = p;
	s->len += len;
	s->p[s->len] = '\0';
	return 0;
}

START_TEST(test_writers)
{
	dts_rules *r = load();
	sink md = { 0 }, md2 = { 0 }, html = { 0 }, csv = { 0 };

	ck_assert_int_eq(dts_standard_write_cb(r, DTS_STANDARD_MD, to_sink, &md), 0);
	ck_assert_int_eq(dts_standard_write_cb(r, DTS_STANDARD_MD, to_sink, &md2), 0);
	ck_assert_str_eq(md.p, md2.p); /* deterministic */
	ck_assert_ptr_nonnull(strstr(md.p, "## 3. Boundary decisions"));
	ck_assert_ptr_nonnull(strstr(md.p, "| TECH.CLOUD | 云计算服务 |"));
	ck_assert_int_eq(dts_standard_write_cb(r, DTS_STANDARD_HTML, to_sink, &html), 0);
	ck_assert_ptr_nonnull(strstr(html.p, "<table>"));
	ck_assert_int_eq(dts_standard_write_cb(r, DTS_STANDARD_CSV, to_sink, &csv), 0);
	ck_assert(!strncmp(csv.p, "system,code,name,record,category,rule,source\n", 45));
	ck_assert_int_eq(dts_standard_write_cb(r, DTS_STANDARD_XLSX, to_sink, &csv),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_standard_format_parse("html"), DTS_STANDARD_HTML);
	ck_assert_int_eq(dts_standard_format_parse("pdf"), DTS_ENOTFOUND);
	free(md.p);
	free(md2.p);
	free(html.p);
	free(csv.p);
	dts_rules_free(r);
}
END_TEST

START_TEST(test_indicator_system)
{
	dts_report *rep = NULL;
	sink md = { 0 }, csv = { 0 };
	const char *old = "id,no,kind,categories,flows,base,of,target,unit,name_zh,name_en\n"
			  "A,1,sum,DD,X,,,,亿元,甲,A\n";

	ck_assert_int_eq(dts_report_load(&rep, DTS_SRCDIR "/indicators/hangzhou-annex.csv"), 0);
	ck_assert_int_eq(dts_report_load_targets(rep, DTS_SRCDIR "/indicators/hangzhou-targets.csv"), 0);
	ck_assert_ptr_nonnull(strstr(dts_report_indicator_text(rep, 0, "responsible"),
				     "市统计局"));
	ck_assert_ptr_null(dts_report_indicator_text(rep, 0, "nope"));
	ck_assert_int_eq(dts_report_write_definitions_cb(rep, DTS_STANDARD_MD, to_sink, &md), 0);
	ck_assert_ptr_nonnull(strstr(md.p, "| target 2026 | 4300 |"));
	ck_assert_int_eq(dts_report_write_definitions_cb(rep, DTS_STANDARD_CSV, to_sink, &csv), 0);
	ck_assert_ptr_nonnull(strstr(csv.p, ",y2024,y2025,y2026\n"));
	ck_assert_int_eq(dts_report_write_definitions_cb(rep, 99, to_sink, &csv), DTS_EINVAL);
	dts_report_free(rep);
	/* a definition file without the descriptive columns still reads */
	ck_assert_int_eq(dts_report_parse(&rep, "old", old, strlen(old)), 0);
	ck_assert_str_eq(dts_report_indicator_text(rep, 0, "definition_zh"), "");
	dts_report_free(rep);
	free(md.p);
	free(csv.p);
}
END_TEST

static Suite *standard_suite(void)
{
	Suite *s = suite_create("standard");
	TCase *tc = tcase_create("core");
	TCase *rs = tcase_create("rule_sources");

	tcase_add_test(tc, test_definitions);
	tcase_add_test(tc, test_bands_decisions);
	tcase_add_test(tc, test_older_and_minimal);
	tcase_add_test(tc, test_cites);
	tcase_add_test(tc, test_concordance_rows_hold);
	tcase_add_test(tc, test_decision_sources_cite);
	tcase_add_test(tc, test_writers);
	tcase_add_test(tc, test_indicator_system);
	tcase_add_test(rs, test_rule_sources_cite);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, rs);
	return s;
}

int main(void)
{
	return dts_test_run(standard_suite());
}
