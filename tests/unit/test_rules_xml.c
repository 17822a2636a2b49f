/* test_rules_xml.c — the classifier loader: AST shape, every error, safety. */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "internal.h"

#ifndef DTS_SRCDIR
#define DTS_SRCDIR "."
#endif
#define RULES_DIR DTS_SRCDIR "/tests/data/rules"
#define HEAD "<classifier xmlns=\"urn:libdts:classifier:1\" id=\"t\" version=\"1\">\n"
#define RULE "<rule id=\"r\" category=\"CBEC\">\n"
#define TAIL "</rule></classifier>\n"

static dts_rulebook book;

static void book_free(dts_rulebook *b)
{
	for (size_t i = 0; i < b->regexes.len; i++)
		pcre2_code_free(b->regexes.items[i]);
	dts__vec_free(&b->regexes);
	dts__vec_free(&b->rules);
	dts__vec_free(&b->categories);
	dts__vec_free(&b->files);
	pcre2_match_context_free(b->mctx);
	dts__arena_free(&b->arena);
	memset(b, 0, sizeof(*b));
}

static void setup(void)
{
	memset(&book, 0, sizeof(book));
	dts_error_clear();
}

static void teardown(void)
{
	book_free(&book);
}

static int load_flags(const char *xml, unsigned flags)
{
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;

	o.flags = flags;
	return dts__load_buffer(&book, "t.xml", RULES_DIR, xml, strlen(xml), &o);
}

static int load(const char *xml)
{
	return dts__load_buffer(&book, "t.xml", RULES_DIR, xml, strlen(xml), NULL);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	ck_assert(buf != NULL);
	ck_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return buf;
}

/* The last error has `code`, `line`, and every word of `words` ('|'-separated). */
static void expect_error(int rc, int code, unsigned line, const char *words)
{
	const dts_error *e = dts_error_last();
	char buf[256];
	const char *w = words;

	ck_assert_int_eq(rc, code);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, code);
	ck_assert_msg(e->line == line, "line %u, want %u: %s", e->line, line,
		      e->message);
	while (w && *w) {
		const char *bar = strchr(w, '|');
		size_t n = bar ? (size_t)(bar - w) : strlen(w);

		snprintf(buf, sizeof(buf), "%.*s", (int)n, w);
		ck_assert_msg(strstr(e->message, buf), "'%s' not in: %s", buf,
			      e->message);
		w = bar ? bar + 1 : NULL;
	}
	ck_assert_uint_eq(book.rules.len, 0);
}

static dts_rule *rule(size_t i)
{
	ck_assert_uint_lt(i, book.rules.len);
	return book.rules.items[i];
}

static void assert_values(const dts_node *n, const char *const *want, size_t nw)
{
	ck_assert_uint_eq(n->nvalues, nw);
	for (size_t i = 0; i < nw; i++) {
		ck_assert_str_eq(n->values[i], want[i]);
		ck_assert_uint_eq(n->lens[i], strlen(want[i]));
	}
}

/* ---- good fixtures ------------------------------------------------------ */

START_TEST(good_fixture_shape)
{
	char *xml = slurp(RULES_DIR "/good.xml");
	int rc = load(xml);
	dts_rule *r;
	dts_node *c, *k;

	free(xml);
	ck_assert_msg(rc == 0, "%s", dts_error_last()->message);
	ck_assert_uint_eq(book.rules.len, 3);
	ck_assert_uint_eq(book.categories.len, 1);
	ck_assert_str_eq(book.id, "test-good");
	ck_assert_str_eq(book.version, "1.0");
	ck_assert_uint_eq(book.files.len, 1);
	ck_assert_str_eq(book.files.items[0], "t.xml");
	ck_assert_ptr_nonnull(book.mctx);

	dts_category *cat = book.categories.items[0];
	ck_assert_str_eq(cat->code, "TECH.CLOUD");
	ck_assert_str_eq(cat->top, "TECH");
	ck_assert_str_eq(cat->zh, "云计算服务");
	ck_assert_uint_eq(cat->line, 4);

	r = rule(0);
	ck_assert_str_eq(r->id, "tech.cloud");
	ck_assert_str_eq(r->category, "TECH.CLOUD");
	ck_assert_int_eq(r->priority, 600);
	ck_assert_int_eq(r->base, DTS_BASE_SERVICES);
	ck_assert_int_eq(r->delivered, 1);
	ck_assert_int_eq(r->ordered, -1);
	ck_assert_int_eq(r->platform, -1);
	ck_assert_uint_eq(r->line, 5);
	ck_assert_str_eq(r->file, "t.xml");
	ck_assert_str_eq(r->source, "MOFCOM report; EBOPS 2010");
	ck_assert_uint_eq(r->written, 0);
	c = r->cond; /* two conditions: implicit ALL */
	ck_assert_int_eq(c->kind, DTS_N_ALL);
	ck_assert_uint_eq(c->nkids, 2);
	k = c->kids[0];
	ck_assert_int_eq(k->kind, DTS_N_PREFIX);
	ck_assert_int_eq(k->field, DTS_F_EBOPS_CODE);
	ck_assert_str_eq(k->elem, "prefix");
	ck_assert_uint_eq(k->line, 9);
	assert_values(k, (const char *[]){ "SI2", "SH3" }, 2);
	k = c->kids[1];
	ck_assert_int_eq(k->kind, DTS_N_REGEX);
	ck_assert_str_eq(k->pattern, "云计算|cloud");
	ck_assert(k->caseless);
	ck_assert_ptr_nonnull(k->re);
	ck_assert_uint_eq(book.regexes.len, 1);
	ck_assert_uint_eq(r->nexamples, 1);
	ck_assert_str_eq(r->examples[0].expect, "TECH.CLOUD");
	ck_assert_uint_eq(r->examples[0].line, 11);
	ck_assert_uint_eq(r->examples[0].nvalues, 2);
	ck_assert_int_eq(r->examples[0].values[0].field, DTS_F_EBOPS_CODE);
	ck_assert_int_eq(r->examples[0].values[1].field, DTS_F_DESCRIPTION);
	ck_assert_uint_eq(r->examples[0].values[1].len,
			  strlen("阿里云 云服务器租用"));

	r = rule(1);
	ck_assert_int_eq(r->priority, -5);
	ck_assert_int_eq(r->base, -1);
	ck_assert_int_eq(r->ordered, 1);
	ck_assert_int_eq(r->platform, 0);
	ck_assert_str_eq(r->source, "");
	ck_assert_uint_eq(r->written, 1);
	c = r->cond; /* one condition: no wrapper */
	ck_assert_int_eq(c->kind, DTS_N_ANY);
	ck_assert_uint_eq(c->nkids, 3);
	ck_assert_int_eq(c->field, -1);
	/* sorted, unique, full-width digits folded */
	assert_values(c->kids[0], (const char *[]){ "1210", "9610", "9639" }, 3);
	ck_assert_int_eq(c->kids[1]->kind, DTS_N_NOT);
	ck_assert_uint_eq(c->kids[1]->nkids, 1);
	ck_assert_int_eq(c->kids[1]->kids[0]->kind, DTS_N_EMPTY);
	ck_assert_int_eq(c->kids[1]->kids[0]->field, DTS_F_PLATFORM);
	/* text field: lower-cased */
	assert_values(c->kids[2], (const char *[]){ "online", "platform" }, 2);

	r = rule(2);
	c = r->cond;
	ck_assert_int_eq(c->kind, DTS_N_ALL);
	ck_assert_uint_eq(c->nkids, 7);
	ck_assert_int_eq(c->kids[0]->kind, DTS_N_RANGE);
	ck_assert_str_eq(c->kids[0]->lo, "8471");
	ck_assert_str_eq(c->kids[0]->hi, "847330");
	ck_assert_int_eq(c->kids[1]->kind, DTS_N_CONTAINS);
	ck_assert(c->kids[1]->caseless);
	assert_values(c->kids[1], (const char *[]){ "ai", "model" }, 2);
	ck_assert(!c->kids[2]->caseless);
	assert_values(c->kids[2], (const char *[]){ "Foo", "Bar" }, 2);
	ck_assert_int_eq(c->kids[3]->kind, DTS_N_PRESENT);
	ck_assert_int_eq(c->kids[3]->field, DTS_F_ENTERPRISE_ID);
	ck_assert_int_eq(c->kids[4]->kind, DTS_N_AMOUNT);
	ck_assert_int_eq(c->kids[4]->op, DTS_OP_GE);
	ck_assert(c->kids[4]->amount == (dts_money)50005000);
	ck_assert_int_eq(c->kids[4]->field, DTS_F_VALUE);
	/* list declared after use; '#' row skipped, quoted comma kept, dedup */
	ck_assert_int_eq(c->kids[5]->kind, DTS_N_IN);
	ck_assert_str_eq(c->kids[5]->list, "ebops");
	assert_values(c->kids[5], (const char *[]){ "SI1", "SI2", "SI22" }, 3);
	ck_assert_int_eq(c->kids[6]->kind, DTS_N_IN);
	ck_assert_str_eq(c->kids[6]->elem, "eq");
	assert_values(c->kids[6], (const char *[]){ "hello world" }, 1);
	ck_assert_uint_eq(r->nexamples, 2);
	ck_assert_str_eq(r->examples[0].values[1].data, "出口"); /* raw */
	ck_assert_int_eq(r->examples[0].values[1].field, DTS_F_FLOW);
	ck_assert_uint_eq(r->examples[1].nvalues, 0);
}
END_TEST

START_TEST(written_order_across_buffers)
{
	char *a = slurp(RULES_DIR "/good.xml"), *b = slurp(RULES_DIR "/good2.xml");
	int rc1 = dts__load_buffer(&book, "a.xml", RULES_DIR, a, strlen(a), NULL);
	int rc2 = dts__load_buffer(&book, "b.xml", RULES_DIR, b, strlen(b), NULL);

	free(a);
	free(b);
	ck_assert_int_eq(rc1, 0);
	ck_assert_int_eq(rc2, 0);
	ck_assert_uint_eq(book.rules.len, 4);
	ck_assert_str_eq(rule(3)->id, "data.flow");
	ck_assert_uint_eq(rule(3)->written, 3);
	ck_assert_str_eq(rule(3)->file, "b.xml");
	/* flow alias folded */
	assert_values(rule(3)->cond, (const char *[]){ "X" }, 1);
	ck_assert_uint_eq(book.categories.len, 2);
	ck_assert_str_eq(book.id, "test-good"); /* first file wins */
	ck_assert_uint_eq(book.files.len, 2);
	ck_assert_str_eq(book.files.items[1], "b.xml");
}
END_TEST

START_TEST(load_file_resolves_lists)
{
	int rc = dts__load_file(&book, RULES_DIR "/good.xml", NULL);

	ck_assert_msg(rc == 0, "%s", dts_error_last()->message);
	ck_assert_uint_eq(book.rules.len, 3);
	ck_assert_str_eq(rule(0)->file, RULES_DIR "/good.xml");
	ck_assert_uint_eq(rule(2)->cond->kids[5]->nvalues, 3);
}
END_TEST

START_TEST(load_file_missing)
{
	int rc = dts__load_file(&book, RULES_DIR "/no-such-file.xml", NULL);

	ck_assert_int_eq(rc, DTS_EIO);
	ck_assert(strstr(dts_error_last()->message, "no-such-file.xml"));
}
END_TEST

START_TEST(failed_load_leaves_book)
{
	char *a = slurp(RULES_DIR "/good2.xml");

	ck_assert_int_eq(load(a), 0);
	free(a);
	ck_assert_int_eq(load(HEAD RULE "<eq field=\"id\">1</eq></rule>"
			      RULE "<eq field=\"nope\">1</eq>" TAIL), DTS_ESYNTAX);
	ck_assert_uint_eq(book.rules.len, 1);
	ck_assert_uint_eq(book.files.len, 1);
}
END_TEST

START_TEST(jit_flag)
{
	uint32_t jit = 0;
	size_t size = 1;
	const char *xml = HEAD RULE "<regex field=\"id\">a+b</regex>" TAIL;

	pcre2_config(PCRE2_CONFIG_JIT, &jit);
	ck_assert_int_eq(load_flags(xml, DTS_RULES_NO_JIT), 0);
	pcre2_pattern_info(rule(0)->cond->re, PCRE2_INFO_JITSIZE, &size);
	ck_assert_uint_eq(size, 0);
	ck_assert_int_eq(load(xml), 0);
	pcre2_pattern_info(rule(1)->cond->re, PCRE2_INFO_JITSIZE, &size);
	if (jit)
		ck_assert_uint_gt(size, 0);
	ck_assert_uint_eq(rule(1)->written, 1);
}
END_TEST

START_TEST(match_limits_from_options)
{
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;
	const char *xml = HEAD RULE "<regex field=\"id\">(a+)+$</regex>" TAIL;
	pcre2_match_data *md;
	const char *subject = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
	int rc;

	o.match_limit = 1000;
	o.flags = DTS_RULES_NO_JIT;
	ck_assert_int_eq(dts__load_buffer(&book, "t", NULL, xml, strlen(xml), &o), 0);
	md = pcre2_match_data_create_from_pattern(rule(0)->cond->re, NULL);
	rc = pcre2_match(rule(0)->cond->re, (PCRE2_SPTR)subject, strlen(subject),
			 0, 0, md, book.mctx);
	pcre2_match_data_free(md);
	ck_assert_int_eq(rc, PCRE2_ERROR_MATCHLIMIT);
}
END_TEST

START_TEST(interleaved_and_no_schema_agree)
{
	char *xml = slurp(RULES_DIR "/good.xml");

	ck_assert_int_eq(load_flags(xml, DTS_RULES_NO_SCHEMA), 0);
	free(xml);
	ck_assert_uint_eq(book.rules.len, 3);
	ck_assert_uint_eq(rule(2)->cond->kids[5]->nvalues, 3);
}
END_TEST

/* ---- errors --------------------------------------------------------------- */

START_TEST(err_unknown_field)
{
	int rc = load(HEAD RULE "<eq field=\"hscode\">1</eq>" TAIL);

	expect_error(rc, DTS_ESYNTAX, 3, "unknown field 'hscode'|hs_code|ebops_code");
	ck_assert_str_eq(dts_error_last()->file, "t.xml");
}
END_TEST

START_TEST(err_unknown_field_no_schema)
{
	int rc = load_flags(HEAD RULE "\n<all><in field=\"Flow\">x</in></all>" TAIL,
			    DTS_RULES_NO_SCHEMA);

	expect_error(rc, DTS_ESYNTAX, 4, "unknown field 'Flow'");
}
END_TEST

START_TEST(err_priority)
{
	expect_error(load(HEAD "\n<rule id=\"r\" category=\"CBEC\" priority=\"high\">"
			  "<present field=\"id\"/>" TAIL),
		     DTS_ESYNTAX, 3, "bad priority 'high'|integer");
	dts_error_clear();
	expect_error(load(HEAD "<rule id=\"r\" category=\"CBEC\" priority=\"99999999999\">"
			  "<present field=\"id\"/>" TAIL),
		     DTS_ESYNTAX, 2, "bad priority");
}
END_TEST

START_TEST(err_yes_no)
{
	expect_error(load(HEAD "<rule id=\"r\" category=\"CBEC\" ordered=\"maybe\">"
			  "<present field=\"id\"/>" TAIL),
		     DTS_ESYNTAX, 2, "'maybe'|ordered|yes or no");
	dts_error_clear();
	expect_error(load_flags(HEAD RULE "<regex field=\"id\" caseless=\"1\">a</regex>" TAIL,
				DTS_RULES_NO_SCHEMA),
		     DTS_ESYNTAX, 3, "caseless|yes or no");
}
END_TEST

START_TEST(err_base)
{
	expect_error(load(HEAD "<rule id=\"r\" category=\"CBEC\" base=\"both\">"
			  "<present field=\"id\"/>" TAIL),
		     DTS_ESYNTAX, 2, "bad base 'both'|goods or services");
}
END_TEST

START_TEST(err_amount_and_op)
{
	expect_error(load(HEAD RULE "\n<amount op=\"gt\" value=\"1e5\"/>" TAIL),
		     DTS_ESYNTAX, 4, "bad amount '1e5'");
	dts_error_clear();
	expect_error(load(HEAD RULE "<amount op=\"greater\" value=\"5\"/>" TAIL),
		     DTS_ESYNTAX, 3, "bad op 'greater'|lt, le");
}
END_TEST

START_TEST(err_not_arity)
{
	expect_error(load(HEAD RULE "<not>\n<present field=\"id\"/><empty field=\"id\"/></not>" TAIL),
		     DTS_ESYNTAX, 3, "<not> takes exactly one condition|found 2");
	dts_error_clear();
	expect_error(load_flags(HEAD RULE "<not/>" TAIL, DTS_RULES_NO_SCHEMA),
		     DTS_ESYNTAX, 3, "exactly one|found 0");
}
END_TEST

START_TEST(err_regex)
{
	expect_error(load(HEAD RULE "\n\n<regex field=\"description\">ab(c</regex>" TAIL),
		     DTS_ESYNTAX, 5, "regex does not compile|missing closing parenthesis|offset 4|ab(c");
}
END_TEST


/*
 * (*NO_JIT) passed check, then every record was "stopped by the PCRE2
 * match limit" (pcre2_jit_match on a pattern with no JIT code). Verbs
 * that change limits or the engine are refused at load, at their column.
 */
START_TEST(err_regex_engine_verbs)
{
	/* column of the verb: 2 spaces and <regex field="id"> come first */
	static const struct { const char *pat; unsigned col; } bad[] = {
		{ "(*NO_JIT)cloud", 21 }, { "(*LIMIT_MATCH=1)cloud", 21 },
		{ "(*LIMIT_DEPTH=1)a", 21 }, { "(*LIMIT_HEAP=0)a", 21 },
		{ "(*NO_START_OPT)a", 21 }, { "(*NO_AUTO_POSSESS)a+", 21 },
		{ "(*NO_DOTSTAR_ANCHOR).*a", 21 }, { "(*NOTEMPTY)a?", 21 },
		{ "(*UCP)(*NO_JIT)a", 27 }, { "(*NEW_OPTION_SOMEDAY)a", 21 },
	};
	char xml[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(xml, sizeof(xml), HEAD RULE "\n  <regex field=\"id\">%s</regex>" TAIL,
			 bad[i].pat);
		dts_error_clear();
		expect_error(load(xml), DTS_ESYNTAX, 4, "regex starts with|remove it");
		ck_assert_msg(dts_error_last()->column == bad[i].col,
			      "%s: column %u", bad[i].pat, dts_error_last()->column);
	}
}
END_TEST

/* Verbs that only say how text is read, and control verbs, still work,
 * and such a rule classifies as check promised (no limit error). */
START_TEST(regex_allowed_verbs_classify)
{
	static const char *const good[] = {
		"(*UCP)cloud", "(*UTF)(*CRLF)cloud", "(*COMMIT)cloud",
		"(*MARK:m)cloud", "(*BSR_UNICODE)(*ANY)cloud",
	};
	char xml[512];

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		dts_rules *r = NULL;
		dts_scanner *sc = NULL;
		dts_value v = { DTS_F_DESCRIPTION, "a cloud service", 15 };
		dts_result res;

		snprintf(xml, sizeof(xml), HEAD RULE "<regex field=\"description\">%s</regex>" TAIL,
			 good[i]);
		ck_assert_msg(dts_rules_compile_buffer(&r, "t.xml", NULL, xml,
						       strlen(xml), NULL) == 0,
			      "%s: %s", good[i], dts_error_last()->message);
		ck_assert_int_eq(dts_scanner_new(&sc, r, 0), 0);
		ck_assert_msg(dts_scanner_classify(&res, sc, &v, 1) == 0, "%s: %s",
			      good[i], dts_error_last()->message);
		ck_assert_str_eq(res.category, "CBEC");
		dts_scanner_free(sc);
		dts_rules_free(r);
	}
}
END_TEST

START_TEST(err_list_undeclared)
{
	expect_error(load(HEAD RULE "<in field=\"hs_code\" list=\"codes\"/>" TAIL),
		     DTS_ESYNTAX, 3, "list 'codes' is not declared");
}
END_TEST

START_TEST(err_list_unreadable)
{
	expect_error(load(HEAD "<list id=\"l\" file=\"lists/nope.csv\"/>\n" RULE
			  "<in field=\"hs_code\" list=\"l\"/>" TAIL),
		     DTS_EIO, 2, "lists/nope.csv|cannot read");
}
END_TEST

START_TEST(err_list_column)
{
	expect_error(load(HEAD "\n<list id=\"l\" file=\"lists/ebops.csv\" column=\"zzz\"/>\n" RULE
			  "<in field=\"hs_code\" list=\"l\"/>" TAIL),
		     DTS_ESYNTAX, 3, "column 'zzz'|lists/ebops.csv|3 columns");
	/* the header is file content: never echoed (issue 11, defect 10) */
	ck_assert_ptr_null(strstr(dts_error_last()->message, "note"));
	dts_error_clear();
	expect_error(load(HEAD "<list id=\"l\" file=\"lists/empty.csv\"/>\n" RULE
			  "<in field=\"hs_code\" list=\"l\"/>" TAIL),
		     DTS_ESYNTAX, 2, "empty");
}
END_TEST

START_TEST(err_range)
{
	expect_error(load(HEAD RULE "<range field=\"hs_code\" from=\"85\" to=\"8471\"/>" TAIL),
		     DTS_ESYNTAX, 3, "range from '85' to '8471' is empty");
	dts_error_clear();
	/* different lengths that overlap are a valid range */
	ck_assert_int_eq(load(HEAD RULE "<range field=\"hs_code\" from=\"8471\" to=\"847\"/>" TAIL), 0);
}
END_TEST

START_TEST(err_example)
{
	expect_error(load(HEAD RULE "<present field=\"id\"/>\n"
			  "<example expect=\"CBEC\" hscode=\"1\"/>" TAIL),
		     DTS_ESYNTAX, 4, "<example> attribute 'hscode' is not a field|hs_code");
	dts_error_clear();
	expect_error(load_flags(HEAD RULE "<present field=\"id\"/>\n"
				"<example hs_code=\"1\"/>" TAIL, DTS_RULES_NO_SCHEMA),
		     DTS_ESYNTAX, 4, "expect");
}
END_TEST

START_TEST(err_empty_values)
{
	expect_error(load(HEAD RULE "<in field=\"hs_code\">  \n </in>" TAIL),
		     DTS_ESYNTAX, 3, "<in> has no values");
	dts_error_clear();
	expect_error(load(HEAD RULE "<contains field=\"id\">a||b</contains>" TAIL),
		     DTS_ESYNTAX, 3, "empty literal");
	dts_error_clear();
	expect_error(load(HEAD RULE "<contains field=\"description\" except=\"人民币\">数字人</contains>" TAIL),
		     DTS_ESYNTAX, 3, "contains none of the element's literals");
	dts_error_clear();
	expect_error(load(HEAD "<rule id=\"r\" category=\"CBEC\" review=\"Code Only\">\n<present field=\"id\"/>" TAIL),
		     DTS_ESYNTAX, 2, "review");
	dts_error_clear();
	expect_error(load(HEAD RULE "<contains field=\"description\" except=\"数字人民币||x\">数字人</contains>" TAIL),
		     DTS_ESYNTAX, 3, "empty literal");
	dts_error_clear();
	expect_error(load(HEAD RULE "<eq field=\"hs_code\">..</eq>" TAIL),
		     DTS_ESYNTAX, 3, "empty once normalised");
	dts_error_clear();
	expect_error(load(HEAD RULE "<in field=\"hs_code\" list=\"x\">1</in>" TAIL),
		     DTS_ESYNTAX, 3, "both");
}
END_TEST

START_TEST(err_structure)
{
	expect_error(load(HEAD RULE "<foo field=\"id\"/>" TAIL),
		     DTS_ESYNTAX, 3, "<foo> is not a condition");
	dts_error_clear();
	expect_error(load(HEAD "<rule id=\"r\" category=\"CBEC\">\n<source>x</source></rule></classifier>"),
		     DTS_ESYNTAX, 2, "rule 'r' has no condition");
	dts_error_clear();
	expect_error(load("<classifier id=\"t\" version=\"1\"/>"),
		     DTS_ESYNTAX, 1, "root element|urn:libdts:classifier:1");
	dts_error_clear();
	expect_error(load(HEAD "\n<extra/></classifier>"),
		     DTS_ESYNTAX, 3, "unknown element <extra>");
	dts_error_clear();
	expect_error(load("<classifier xmlns=\"urn:libdts:classifier:1\" id=\"t\"/>"),
		     DTS_ESYNTAX, 1, "'version'");
	dts_error_clear();
	expect_error(load(HEAD RULE "<eq field=\"id\">a<b/></eq>" TAIL),
		     DTS_ESYNTAX, 3, "takes text");
}
END_TEST

START_TEST(err_schema_only)
{
	const char *attr = HEAD RULE "\n<eq field=\"id\" bogus=\"1\">a</eq>" TAIL;
	const char *order = HEAD RULE "<eq field=\"id\">a</eq>\n<source>late</source>" TAIL;

	expect_error(load(attr), DTS_ESYNTAX, 4, "attribute 'bogus' is not allowed on <eq>");
	dts_error_clear();
	expect_error(load(order), DTS_ESYNTAX, 4, "<source> is not allowed|in that order");
	/* the loader itself does not rely on either */
	ck_assert_int_eq(load_flags(attr, DTS_RULES_NO_SCHEMA), 0);
	ck_assert_int_eq(load_flags(order, DTS_RULES_NO_SCHEMA), 0);
	ck_assert_str_eq(rule(1)->source, "late");
}
END_TEST

START_TEST(err_malformed_xml)
{
	const dts_error *e;

	expect_error(load(HEAD RULE "<eq field=\"id\">a</in>" TAIL),
		     DTS_ESYNTAX, 3, "malformed XML|mismatch");
	e = dts_error_last();
	ck_assert_uint_gt(e->column, 0);
	dts_error_clear();
	expect_error(load(""), DTS_ESYNTAX, 1, "malformed XML");
}
END_TEST

/* ---- safety ----------------------------------------------------------------- */

static int loader_calls;

static xmlParserInputPtr counting_loader(const char *url, const char *id,
					 xmlParserCtxtPtr ctxt)
{
	loader_calls++;
	return NULL;
}

START_TEST(refuse_billion_laughs)
{
	const char *xml =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE classifier [\n"
		" <!ENTITY a \"aaaaaaaaaa\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		" <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
		"]>\n" HEAD RULE "<eq field=\"id\">&h;</eq>" TAIL;

	expect_error(load(xml), DTS_ESYNTAX, 2, "DTD and entities are not allowed");
}
END_TEST

START_TEST(refuse_external_entity)
{
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	const char *xml =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE classifier SYSTEM \"" RULES_DIR "/good2.xml\" [\n"
		" <!ENTITY x SYSTEM \"file://" RULES_DIR "/lists/ebops.csv\">\n"
		"]>\n" HEAD RULE "<eq field=\"id\">&x;</eq>" TAIL;
	int rc;

	loader_calls = 0;
	xmlSetExternalEntityLoader(counting_loader);
	rc = load(xml);
	xmlSetExternalEntityLoader(old);
	expect_error(rc, DTS_ESYNTAX, 2, "DTD and entities are not allowed");
	ck_assert_int_eq(loader_calls, 0);
	ck_assert(!strstr(dts_error_last()->message, "Computer"));
	/* no schema does not open the door */
	dts_error_clear();
	expect_error(load_flags(xml, DTS_RULES_NO_SCHEMA), DTS_ESYNTAX, 2, "DTD");
}
END_TEST

static char *nest(int depth)
{
	size_t cap = (size_t)depth * 16 + 512, off = 0;
	char *buf = malloc(cap);

	ck_assert(buf != NULL);
	off += (size_t)snprintf(buf + off, cap - off, "%s%s", HEAD, RULE);
	for (int i = 0; i < depth; i++)
		off += (size_t)snprintf(buf + off, cap - off, "<not>");
	off += (size_t)snprintf(buf + off, cap - off, "<present field=\"id\"/>");
	for (int i = 0; i < depth; i++)
		off += (size_t)snprintf(buf + off, cap - off, "</not>");
	snprintf(buf + off, cap - off, "%s", TAIL);
	return buf;
}

START_TEST(refuse_deep_nesting)
{
	char *ok = nest(61), *deep = nest(62), *deeper = nest(300);
	int rc;

	/* classifier, rule, 61 <not>, present: depth 64 */
	ck_assert_msg((rc = load(ok)) == 0, "%s", dts_error_last()->message);
	book_free(&book);
	expect_error(load(deep), DTS_ELIMIT, 3, "deeper than 64");
	rc = load_flags(deeper, DTS_RULES_NO_SCHEMA);
	ck_assert(rc == DTS_ELIMIT || rc == DTS_ESYNTAX);
	free(ok);
	free(deep);
	free(deeper);
}
END_TEST

START_TEST(refuse_big_file)
{
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;
	const char *xml = HEAD RULE "<present field=\"id\"/>" TAIL;
	int rc;

	o.max_file_size = 16;
	rc = dts__load_buffer(&book, "t.xml", NULL, xml, strlen(xml), &o);
	expect_error(rc, DTS_ELIMIT, 0, "limit");
	dts_error_clear();
	rc = dts__load_file(&book, RULES_DIR "/good.xml", &o);
	expect_error(rc, DTS_ELIMIT, 0, "limit");
	/* a list file over the limit, classifier under it */
	o.max_file_size = 120; /* classifier 114 bytes, list 139 */
	dts_error_clear();
	xml = HEAD "<list id=\"l\" file=\"lists/ebops.csv\"/></classifier>";
	rc = dts__load_buffer(&book, "t.xml", RULES_DIR, xml, strlen(xml), &o);
	ck_assert_int_eq(rc, DTS_ELIMIT);
}
END_TEST


/* ---- files: only regular files, list files only inside their folder ---- */

static char tmpdir[64];

static void tmp_setup(void)
{
	setup();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dts-rules-xml-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
	char cmd[128];

	teardown();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *tpath(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", tmpdir, rel);
	return buf;
}

static void put(const char *rel, const char *text)
{
	char p[256];
	FILE *f = fopen(tpath(p, sizeof(p), rel), "wb");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

#define SECRET "root:x:0:0:secret-first-line\nbin:x:1:1:other\n"
#define LIST(file) HEAD "<list id=\"l\" file=\"" file "\" column=\"code\"/>\n" \
	RULE "<in field=\"hs_code\" list=\"l\"/>" TAIL

/* Load classifier text `xml` as the file tmpdir/c.xml. */
static int load_tmp(const char *xml, const dts_rules_options *o)
{
	char p[256];

	put("c.xml", xml);
	return dts__load_file(&book, tpath(p, sizeof(p), "c.xml"), o);
}

static void expect_no_secret(void)
{
	ck_assert_ptr_null(strstr(dts_error_last()->message, "root:x"));
	ck_assert_ptr_null(strstr(dts_error_last()->message, "//_"));
}

/* Opened before the type check, a FIFO blocked for ever (defect 4). */
START_TEST(fifo_classifier_refused)
{
	char p[256];

	ck_assert_int_eq(mkfifo(tpath(p, sizeof(p), "c.xml"), 0600), 0);
	expect_error(dts__load_file(&book, p, NULL), DTS_EIO, 0,
		     "c.xml|FIFO|not a regular file");
}
END_TEST

START_TEST(fifo_and_directory_as_list_refused)
{
	char p[256];

	ck_assert_int_eq(mkfifo(tpath(p, sizeof(p), "fifo.csv"), 0600), 0);
	expect_error(load_tmp(LIST("fifo.csv"), NULL), DTS_EIO, 2,
		     "'fifo.csv'|FIFO|not a regular file");
	dts_error_clear();
	ck_assert_int_eq(mkdir(tpath(p, sizeof(p), "dir.csv"), 0700), 0);
	expect_error(load_tmp(LIST("dir.csv"), NULL), DTS_EIO, 2,
		     "'dir.csv'|directory");
}
END_TEST

/* List files read anything: absolute, "..", symlinks (defect 10). */
START_TEST(list_outside_folder_refused)
{
	char p[256], q[256];

	put("secret.txt", SECRET);
	ck_assert_int_eq(mkdir(tpath(p, sizeof(p), "sub"), 0700), 0);
	expect_error(load_tmp(LIST("/etc/passwd"), NULL), DTS_EIO, 2,
		     "'/etc/passwd'|absolute");
	expect_no_secret();
	dts_error_clear();
	expect_error(load_tmp(LIST("sub/../secret.txt"), NULL), DTS_EIO, 2,
		     "sub/../secret.txt|'..'");
	dts_error_clear();
	expect_error(load_tmp(LIST("../x.csv"), NULL), DTS_EIO, 2, "'..'");
	dts_error_clear();
	/* a symlink as the file, and as a directory on the way */
	ck_assert_int_eq(symlink("/etc/passwd", tpath(p, sizeof(p), "l.csv")), 0);
	expect_error(load_tmp(LIST("l.csv"), NULL), DTS_EIO, 2,
		     "'l.csv'|symbolic link");
	expect_no_secret();
	dts_error_clear();
	ck_assert_int_eq(symlink("/etc", tpath(q, sizeof(q), "etc")), 0);
	expect_error(load_tmp(LIST("etc/passwd"), NULL), DTS_EIO, 2,
		     "'etc/passwd'|symbolic link");
	expect_no_secret();
}
END_TEST

/* The missing-column message printed the file's first line. */
START_TEST(list_errors_never_echo_contents)
{
	put("passwd.csv", SECRET);
	expect_error(load_tmp(LIST("passwd.csv"), NULL), DTS_ESYNTAX, 2,
		     "column 'code'|passwd.csv");
	expect_no_secret();
	dts_error_clear();
	/* a cell that normalises to nothing: named by line, not quoted */
	put("dots.csv", "code\nSI2\n.-.//_._\n");
	expect_error(load_tmp(LIST("dots.csv"), NULL), DTS_ESYNTAX, 4,
		     "line 3 of list file 'dots.csv'|empty");
	ck_assert_ptr_null(strstr(dts_error_last()->message, "//_"));
}
END_TEST

/*
 * List files are read by the library's CSV reader (dts/csv.h): text after
 * a closing quote, once ignored ("SI2"x read as SI2), is now an error at
 * the <list> element naming the list file and its line; so is a quote
 * that never closes, and a malformed header. Rows of any length, blank
 * rows, '#' rows, CRLF and a BOM still read as before.
 */
START_TEST(list_read_as_csv)
{
	put("after.csv", "code,name\nSI2,a\n\"SI3\"x,b\n");
	expect_error(load_tmp(LIST("after.csv"), NULL), DTS_ESYNTAX, 2,
		     "list file 'after.csv' line 3|after closing quote in column 1");
	expect_no_secret();
	dts_error_clear();
	put("unterm.csv", "code\nSI2\n\"SI3\nSI4\n");
	expect_error(load_tmp(LIST("unterm.csv"), NULL), DTS_ESYNTAX, 2,
		     "list file 'unterm.csv' line 3|unterminated quote");
	dts_error_clear();
	put("header.csv", "\"code\"x\nSI2\n");
	expect_error(load_tmp(LIST("header.csv"), NULL), DTS_ESYNTAX, 2,
		     "list file 'header.csv' line 1|header|after closing quote");
	dts_error_clear();
	put("ok.csv", "\xEF\xBB\xBF" "code,x\r\n\r\n# note,x\r\nSI2\r\n"
	    "\"S,I 3\",y,z\r\n");
	ck_assert_int_eq(load_tmp(LIST("ok.csv"), NULL), 0);
	ck_assert_uint_eq(rule(0)->cond->nvalues, 2);
	ck_assert_str_eq(rule(0)->cond->values[0], "S,I3"); /* normalised, sorted */
	ck_assert_str_eq(rule(0)->cond->values[1], "SI2");
}
END_TEST

START_TEST(list_dir_option)
{
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;
	char p[256];

	ck_assert_int_eq(mkdir(tpath(p, sizeof(p), "vetted"), 0700), 0);
	put("vetted/codes.csv", "code\nSI2\n");
	put("codes.csv", "code\nSI9\n");
	o.list_dir = tpath(p, sizeof(p), "vetted");
	ck_assert_int_eq(load_tmp(LIST("codes.csv"), &o), 0);
	ck_assert_str_eq(rule(0)->cond->values[0], "SI2");
	book_free(&book);
	/* without the option, the classifier's own folder */
	ck_assert_int_eq(load_tmp(LIST("codes.csv"), NULL), 0);
	ck_assert_str_eq(rule(0)->cond->values[0], "SI9");
	book_free(&book);
	/* and a list declared twice names both lines */
	expect_error(load_tmp(HEAD "<list id=\"l\" file=\"codes.csv\"/>\n"
			      "<list id=\"l\" file=\"codes.csv\"/>\n" RULE
			      "<in field=\"hs_code\" list=\"l\"/>" TAIL, NULL),
		     DTS_ESYNTAX, 3, "list 'l' is declared twice|line 2");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rules_xml");
	TCase *good = tcase_create("good"), *err = tcase_create("errors"),
	      *safe = tcase_create("safety"), *files = tcase_create("files");

	tcase_add_checked_fixture(good, setup, teardown);
	tcase_add_checked_fixture(err, setup, teardown);
	tcase_add_checked_fixture(safe, setup, teardown);
	tcase_add_test(good, good_fixture_shape);
	tcase_add_test(good, written_order_across_buffers);
	tcase_add_test(good, load_file_resolves_lists);
	tcase_add_test(good, load_file_missing);
	tcase_add_test(good, failed_load_leaves_book);
	tcase_add_test(good, jit_flag);
	tcase_add_test(good, match_limits_from_options);
	tcase_add_test(good, interleaved_and_no_schema_agree);
	tcase_add_test(err, err_unknown_field);
	tcase_add_test(err, err_unknown_field_no_schema);
	tcase_add_test(err, err_priority);
	tcase_add_test(err, err_yes_no);
	tcase_add_test(err, err_base);
	tcase_add_test(err, err_amount_and_op);
	tcase_add_test(err, err_not_arity);
	tcase_add_test(err, err_regex);
	tcase_add_test(err, err_regex_engine_verbs);
	tcase_add_test(good, regex_allowed_verbs_classify);
	tcase_add_test(err, err_list_undeclared);
	tcase_add_test(err, err_list_unreadable);
	tcase_add_test(err, err_list_column);
	tcase_add_test(err, err_range);
	tcase_add_test(err, err_example);
	tcase_add_test(err, err_empty_values);
	tcase_add_test(err, err_structure);
	tcase_add_test(err, err_schema_only);
	tcase_add_test(err, err_malformed_xml);
	tcase_add_test(safe, refuse_billion_laughs);
	tcase_add_test(safe, refuse_external_entity);
	tcase_add_test(safe, refuse_deep_nesting);
	tcase_add_test(safe, refuse_big_file);
	tcase_add_checked_fixture(files, tmp_setup, tmp_teardown);
	tcase_set_timeout(files, 10); /* a FIFO hang fails here, not in 5 min */
	tcase_add_test(files, fifo_classifier_refused);
	tcase_add_test(files, fifo_and_directory_as_list_refused);
	tcase_add_test(files, list_outside_folder_refused);
	tcase_add_test(files, list_errors_never_echo_contents);
	tcase_add_test(files, list_dir_option);
	tcase_add_test(files, list_read_as_csv);
	suite_add_tcase(s, files);
	suite_add_tcase(s, good);
	suite_add_tcase(s, err);
	suite_add_tcase(s, safe);
	return s;
}

int main(void)
{
	return dts_test_run(suite());
}
