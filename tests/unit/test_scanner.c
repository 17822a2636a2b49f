/*
 * test_scanner.c — rule semantics as the scanner applies them: winner by
 * priority then written order, all/any/not, sets, prefixes, ranges,
 * normalisation and full-width folding, Chinese regexes, amounts, flags,
 * bad input, explain, column binding.
 */
#include "check_main.h"
#include "helpers.h"

static dts_rules *R;
static dts_scanner *S;

static void setup_body(const char *body)
{
	R = must_compile(body);
	ck_assert_int_eq(dts_scanner_new(&S, R, 0), 0);
}

static void teardown(void)
{
	dts_scanner_free(S);
	dts_rules_free(R);
	S = NULL;
	R = NULL;
}

#define CLASSIFY(res, ...) ck_assert_int_eq(classify_kv(&(res), S, __VA_ARGS__, NULL), 0)

START_TEST(priority_then_written_order)
{
	dts_result r;

	setup_body(
		"<rule id=\"low\" category=\"TECH.SOFTWARE\" priority=\"10\"><prefix field=\"ebops_code\">SI</prefix></rule>"
		"<rule id=\"first\" category=\"TECH.CLOUD\" priority=\"50\"><prefix field=\"ebops_code\">SI2</prefix></rule>"
		"<rule id=\"second\" category=\"PROD.GAME\" priority=\"50\"><prefix field=\"ebops_code\">SI22</prefix></rule>"
		"<rule id=\"high\" category=\"DATA.PRODUCT\" priority=\"90\"><eq field=\"ebops_code\">SI3</eq></rule>");
	CLASSIFY(r, "ebops_code=SI22");
	ck_assert_str_eq(r.rule, "first"); /* tie at 50: first written wins */
	ck_assert_str_eq(r.category, "TECH.CLOUD");
	CLASSIFY(r, "ebops_code=SI1");
	ck_assert_str_eq(r.rule, "low");
	CLASSIFY(r, "ebops_code=SI3");
	ck_assert_str_eq(r.rule, "high");
	CLASSIFY(r, "ebops_code=SJ1");
	ck_assert_str_eq(r.category, "NONE");
	ck_assert_str_eq(r.rule, "");
	ck_assert_int_eq(r.rule_index, -1);
	ck_assert_int_eq(r.base, DTS_BASE_UNKNOWN);
	teardown();
}
END_TEST

START_TEST(combinators)
{
	dts_result r;

	setup_body(
		"<rule id=\"a\" category=\"TECH.CLOUD\" priority=\"5\">"
		"  <all><prefix field=\"ebops_code\">SI2</prefix>"
		"       <any><contains field=\"description\" caseless=\"yes\">cloud</contains>"
		"            <contains field=\"description\">云</contains></any>"
		"       <not><eq field=\"delivery\">physical</eq></not></all></rule>"
		"<rule id=\"b\" category=\"TECH.SOFTWARE\"><prefix field=\"ebops_code\">SI2</prefix></rule>");
	CLASSIFY(r, "ebops_code=SI22", "description=Cloud hosting");
	ck_assert_str_eq(r.rule, "a");
	CLASSIFY(r, "ebops_code=SI22", "description=阿里云");
	ck_assert_str_eq(r.rule, "a");
	CLASSIFY(r, "ebops_code=SI22", "description=阿里云", "delivery=Physical");
	ck_assert_str_eq(r.rule, "b"); /* not(eq) on text is caseless */
	CLASSIFY(r, "ebops_code=SI22", "description=consulting");
	ck_assert_str_eq(r.rule, "b");
	teardown();
}
END_TEST

START_TEST(sets_ranges_and_code_normalisation)
{
	dts_result r;

	setup_body(
		"<rule id=\"mode\" category=\"CBEC.B2C\" priority=\"9\"><in field=\"trade_mode\">9610 1210</in></rule>"
		"<rule id=\"range\" category=\"TECH.SOFTWARE\"><range field=\"hs_code\" from=\"8471\" to=\"8473\"/></rule>"
		"<rule id=\"media\" category=\"PROD.GAME\"><prefix field=\"hs_code\">8523.49</prefix></rule>");
	CLASSIFY(r, "trade_mode=９６１０", "hs_code=0101");
	ck_assert_str_eq(r.rule, "mode"); /* full-width digits fold */
	CLASSIFY(r, "trade_mode=0110", "hs_code=8471.30.00");
	ck_assert_str_eq(r.rule, "range");
	CLASSIFY(r, "hs_code=8473 30");
	ck_assert_str_eq(r.rule, "range");
	CLASSIFY(r, "hs_code=8474");
	ck_assert_str_eq(r.category, "NONE");
	CLASSIFY(r, "hs_code=847");
	ck_assert_str_eq(r.category, "NONE"); /* shorter than the bound */
	CLASSIFY(r, "hs_code=8523-49-10");
	ck_assert_str_eq(r.rule, "media");
	CLASSIFY(r, "hs_code=８５２３．４９");
	ck_assert_str_eq(r.rule, "media");
	teardown();
}
END_TEST

/*
 * A code already in normal form is copied as it is (scanner.c set_value,
 * dts__field_normalised); any other is normalised. Random codes over the
 * bytes that matter, given raw (either path) and normalised first (the
 * copy), decide the same rule; and some of them decide one.
 */
START_TEST(code_copy_same_as_normalised)
{
	static const char *const atoms[] = {
		"8", "5", "2", "3", "A", "a", "B", "b", ".", "-", " ", "/",
		"\xef\xbc\x98", "\xef\xbc\xa1", "\xe3\x80\x80",
	};
	uint64_t x = 88172645463325252ull;
	size_t matched = 0;
	dts_result r1, r2;

	setup_body(
		"<rule id=\"eq\" category=\"CBEC.B2C\" priority=\"9\"><in field=\"trade_mode\">85 8A 2B3</in></rule>"
		"<rule id=\"pre\" category=\"TECH.SOFTWARE\"><prefix field=\"hs_code\">8523 AB</prefix></rule>"
		"<rule id=\"rng\" category=\"PROD.GAME\"><range field=\"ebops_code\" from=\"2\" to=\"3A\"/></rule>");
	for (int t = 0; t < 6000; t++) {
		static const char *const fields[] = {"trade_mode", "hs_code", "ebops_code"};
		char raw[64], norm[64], kv1[96], kv2[96];
		size_t n = 0, len = 0;

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		for (int k = (int)(x % 5); k >= 0 && n < 40; k--) {
			const char *a = atoms[(x >> (8 + 4 * k)) % (sizeof(atoms) / sizeof(*atoms))];

			memcpy(raw + n, a, strlen(a));
			n += strlen(a);
		}
		raw[n] = '\0';
		ck_assert_int_eq(dts_field_normalize(norm, sizeof(norm), &len,
						     dts_field_lookup(fields[t % 3]), raw, n), 0);
		snprintf(kv1, sizeof(kv1), "%s=%s", fields[t % 3], raw);
		snprintf(kv2, sizeof(kv2), "%s=%s", fields[t % 3], norm);
		CLASSIFY(r1, kv1);
		CLASSIFY(r2, kv2);
		ck_assert_msg(!strcmp(r1.rule, r2.rule), "%s: '%s' vs '%s'", kv1, r1.rule, r2.rule);
		matched += r1.rule_index >= 0;
	}
	ck_assert_uint_gt(matched, 300);
	teardown();
}
END_TEST

START_TEST(fullwidth_and_chinese_regex)
{
	dts_result r;

	setup_body(
		"<rule id=\"ai\" category=\"TECH.CLOUD\"><regex field=\"description\" caseless=\"yes\">\\b(AI|大模型)\\b|人工智能</regex></rule>"
		"<rule id=\"game\" category=\"PROD.GAME\"><regex field=\"description\">网络游戏|手游</regex></rule>");
	CLASSIFY(r, "description=ＡＩ 训练服务");
	ck_assert_str_eq(r.rule, "ai");
	CLASSIFY(r, "description=提供人工智能平台");
	ck_assert_str_eq(r.rule, "ai");
	CLASSIFY(r, "description=ai inference");
	ck_assert_str_eq(r.rule, "ai");
	CLASSIFY(r, "description=MAIL service");
	ck_assert_str_eq(r.category, "NONE"); /* \b keeps "AI" inside MAIL out */
	CLASSIFY(r, "description=出口网络游戏点卡");
	ck_assert_str_eq(r.rule, "game");
	teardown();
}
END_TEST

START_TEST(contains_except_and_text_folding)
{
	dts_result r;

	setup_body(
		"<rule id=\"human\" category=\"PROD.GAME\"><contains field=\"description\" except=\"数字人民币|数字人文\">数字人</contains></rule>"
		"<rule id=\"sw\" category=\"TECH.SOFTWARE\"><contains field=\"description\">软件|数据 标注|账单</contains></rule>");
	CLASSIFY(r, "description=数字人直播");
	ck_assert_str_eq(r.rule, "human");
	CLASSIFY(r, "description=数字人民币钱包");
	ck_assert_str_eq(r.category, "NONE"); /* only inside the longer term */
	CLASSIFY(r, "description=数字人文研究");
	ck_assert_str_eq(r.category, "NONE");
	CLASSIFY(r, "description=数字人民币支付 数字人主播");
	ck_assert_str_eq(r.rule, "human"); /* a second occurrence outside counts */
	CLASSIFY(r, "description=數字人民幣"); /* traditional folds first */
	ck_assert_str_eq(r.category, "NONE");
	CLASSIFY(r, "description=軟體授權");
	ck_assert_str_eq(r.rule, "sw");
	CLASSIFY(r, "description=数据标注"); /* the rule's 数据 标注 folded too */
	ck_assert_str_eq(r.rule, "sw");
	CLASSIFY(r, "description=帳單處理");
	ck_assert_str_eq(r.rule, "sw");
	teardown();
}
END_TEST

/*
 * <contains> answered from the literal scan's stamps (rules_int.h) against
 * memmem (DTS_SCAN_NO_PREFILTER tries every rule and scans nothing): the
 * same winner on every record, for caseless values, a case-sensitive
 * node, except terms, a value under <not>, values shared between rules,
 * and the shipped classifier.
 */
START_TEST(contains_from_stamps_equals_memmem)
{
	static const char *descs[] = {
		"Cloud ERP subscription", "CLOUD storage", "cloudy weather",
		"数字人直播", "数字人民币钱包", "数字人民币支付 数字人主播",
		"軟體授權", "软件开发服务", "game app in-app purchase", "Game",
		"furniture", "", "SaaS platform fee", "saas", "视频会员 流媒体",
		"跨境电商 平台 订单", "data annotation 数据标注", "Online Course",
		"software license and cloud hosting", "in person consulting",
	};
	static const char *modes[] = {"", "9610", "0110", "1210"};
	const char *path = DTS_SRCDIR "/classifiers/cn-digital-trade.xml";
	dts_scanner *ref = NULL;
	dts_result a, b;
	size_t d, m, k;

	for (k = 0; k < 2; k++) {
		if (k == 0)
			setup_body(
				"<rule id=\"c1\" category=\"TECH.CLOUD\" priority=\"5\"><all><contains field=\"description\" caseless=\"yes\">cloud|saas</contains><not><contains field=\"description\" caseless=\"yes\">weather</contains></not></all></rule>"
				"<rule id=\"cs\" category=\"TECH.SOFTWARE\" priority=\"4\"><contains field=\"description\" caseless=\"no\">Game</contains></rule>"
				"<rule id=\"hu\" category=\"PROD.GAME\"><contains field=\"description\" caseless=\"yes\" except=\"数字人民币\">数字人</contains></rule>"
				"<rule id=\"sw\" category=\"TECH.SOFTWARE\"><any><contains field=\"description\" caseless=\"yes\">软件|software</contains><contains field=\"description\" caseless=\"yes\">cloud|数据</contains></any></rule>");
		else {
			ck_assert_int_eq(dts_rules_compile(&R, &path, 1, NULL), 0);
			ck_assert_int_eq(dts_scanner_new(&S, R, 0), 0);
		}
		ck_assert_int_eq(dts_scanner_new(&ref, R, DTS_SCAN_NO_PREFILTER), 0);
		for (d = 0; d < sizeof(descs) / sizeof(descs[0]); d++)
			for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
				dts_value v[2] = {{DTS_F_DESCRIPTION, descs[d], strlen(descs[d])},
						  {DTS_F_TRADE_MODE, modes[m], strlen(modes[m])}};

				ck_assert_int_eq(dts_scanner_classify(&a, S, v, 2), 0);
				ck_assert_int_eq(dts_scanner_classify(&b, ref, v, 2), 0);
				if (a.rule_index != b.rule_index)
					ck_abort_msg("%s / %s: stamps gave '%s', memmem '%s'",
						     descs[d], modes[m], a.rule, b.rule);
				ck_assert_str_eq(a.category, b.category);
				ck_assert_int_eq(a.ordered, b.ordered);
				ck_assert_int_eq(a.delivered, b.delivered);
			}
		dts_scanner_free(ref);
		teardown();
	}
}
END_TEST

START_TEST(review_reasons)
{
	dts_result r;
	size_t i, n;
	int found = 0;

	setup_body(
		"<rule id=\"code\" category=\"TECH.CLOUD\" review=\"code-only\"><prefix field=\"ebops_code\">SI</prefix></rule>"
		"<rule id=\"word\" category=\"PROD.GAME\" priority=\"10\"><contains field=\"description\">游戏</contains></rule>");
	CLASSIFY(r, "ebops_code=SI22");
	ck_assert_str_eq(dts_rules_rule_review(R, r.rule_index), "code-only");
	CLASSIFY(r, "ebops_code=SI22", "description=手机游戏");
	ck_assert_ptr_null(dts_rules_rule_review(R, r.rule_index));
	CLASSIFY(r, "description=nothing");
	ck_assert_int_eq(r.rule_index, -1);
	ck_assert_str_eq(dts_rules_rule_review(R, r.rule_index), "no-evidence");
	n = dts_rules_count(R);
	ck_assert_ptr_null(dts_rules_rule_review(R, (int)n));
	ck_assert_ptr_null(dts_rules_rule_review(R, -2));
	ck_assert_ptr_null(dts_rules_rule_review(NULL, 0));
	for (i = 0; i < n; i++)
		found += dts_rules_rule_review(R, (int)i) != NULL;
	ck_assert_int_eq(found, 1);
	teardown();
}
END_TEST

START_TEST(fuzzy_term_fallback)
{
	dts_result r;
	dts_evidence ev = {0};

	setup_body(
		"<rule id=\"soft\" category=\"TECH.SOFTWARE\" base=\"services\" delivered=\"yes\"><contains field=\"description\">软件开发|短视频</contains></rule>"
		"<rule id=\"outs\" category=\"DATA.PRODUCT\" priority=\"-10\" review=\"generic-word\"><contains field=\"description\">外包</contains></rule>"
		"<rule id=\"code\" category=\"TECH.CLOUD\" review=\"code-only\"><prefix field=\"ebops_code\">SI</prefix></rule>");
	ev.version = DTS_EVIDENCE_VERSION;
	/* one character replaced in a four-character term: read, reviewed */
	CLASSIFY(r, "description=软见开发（海外客户）");
	ck_assert_str_eq(r.category, "TECH.SOFTWARE");
	ck_assert_int_eq(r.delivered, 1);
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "fuzzy-term");
	ck_assert_ptr_nonnull(strstr(ev.combine, "\"软见开发\" read as \"软件开发\""));
	ck_assert_ptr_nonnull(strstr(ev.combine, "rule soft"));
	/* the exact term: confident, no fuzzy reading */
	CLASSIFY(r, "description=软件开发");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_ptr_null(ev.review);
	/* two characters replaced: no evidence */
	CLASSIFY(r, "description=软见开花");
	ck_assert_int_eq(r.rule_index, -1);
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "no-evidence");
	/* a three-character term is read only through a homophone: 屏
	 * (ping) is not 频 (pin), 实 is 视 (shi) */
	CLASSIFY(r, "description=短视屏授权");
	ck_assert_int_eq(r.rule_index, -1);
	CLASSIFY(r, "description=短实频授权");
	ck_assert_str_eq(r.category, "TECH.SOFTWARE");
	/* a generic word only: the corrected text's confident rule wins */
	CLASSIFY(r, "description=软见开发外包");
	ck_assert_str_eq(r.category, "TECH.SOFTWARE");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "fuzzy-term");
	ck_assert_ptr_nonnull(strstr(ev.combine, "generic word only"));
	CLASSIFY(r, "description=数据外包");
	ck_assert_str_eq(r.category, "DATA.PRODUCT");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "generic-word");
	/* a code decides: no fuzzy reading of its text */
	CLASSIFY(r, "ebops_code=SI22", "description=软见开发");
	ck_assert_str_eq(r.category, "TECH.CLOUD");
	/* not CJK: no fuzzy reading */
	CLASSIFY(r, "description=softwere");
	ck_assert_int_eq(r.rule_index, -1);
	teardown();
}
END_TEST

START_TEST(evidence_dimensions_and_combining)
{
	dts_result r;
	dts_evidence ev = {0};
	size_t i, n;
	int dims[4] = {0};

	setup_body(
		"<rule id=\"code\" category=\"TECH\" base=\"services\" delivered=\"yes\" review=\"code-only\"><prefix field=\"ebops_code\">SI</prefix></rule>"
		"<rule id=\"text\" category=\"TECH\" priority=\"-5\"><empty field=\"ebops_code\"/><contains field=\"description\">运维</contains></rule>"
		"<rule id=\"text2\" category=\"PROD\" priority=\"-6\"><empty field=\"ebops_code\"/><contains field=\"description\">游戏</contains></rule>"
		"<rule id=\"goods\" category=\"NONE\" base=\"goods\"><present field=\"hs_code\"/><eq field=\"trade_mode\">0110</eq></rule>"
		"<evidence id=\"remote\" dimension=\"delivery\" value=\"digital\"><contains field=\"description\">远程</contains></evidence>"
		"<evidence id=\"both\" dimension=\"delivery\" value=\"mixed\" priority=\"1\"><contains field=\"description\">远程</contains><contains field=\"description\">到场</contains></evidence>"
		"<evidence id=\"shop\" dimension=\"ordered\" value=\"platform\" priority=\"5\"><contains field=\"channel\">平台</contains></evidence>"
		"<evidence id=\"web\" dimension=\"ordered\" value=\"online\"><contains field=\"channel\">网</contains></evidence>"
		"<evidence id=\"sj\" dimension=\"deliverable\" value=\"yes\"><prefix field=\"ebops_code\">SI</prefix></evidence>");
	/* the version is checked */
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), DTS_EINVAL);
	ck_assert_int_eq(dts_scanner_evidence(NULL, S), DTS_EINVAL);
	ev.version = DTS_EVIDENCE_VERSION;
	ck_assert_int_eq(dts_scanner_evidence(&ev, NULL), DTS_EINVAL);
	/* before any record */
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_int_eq(ev.sold_rule, -1);
	ck_assert_ptr_null(ev.review);

	/* a bare code (no description): nothing contradicts it, confident */
	CLASSIFY(r, "ebops_code=SI22");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_ptr_null(ev.review);
	ck_assert_ptr_nonnull(strstr(ev.combine, "no description"));
	/* a code with a text no rule reads: code-only, deliverable by its group */
	CLASSIFY(r, "ebops_code=SI22", "description=见合同附件");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "code-only");
	ck_assert_int_eq(ev.deliverable, 1);
	ck_assert_int_ge(ev.deliverable_rule, 0);
	ck_assert_int_eq(ev.text_rule, -1);
	/* digital delivery evidence makes it confident */
	CLASSIFY(r, "ebops_code=SI22", "description=远程支持");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_ptr_null(ev.review);
	ck_assert_int_eq(ev.delivery, DTS_DELIVERY_DIGITAL);
	ck_assert_str_eq(r.category, "TECH");
	/* the text alone agrees (same top): confident */
	CLASSIFY(r, "ebops_code=SI22", "description=系统运维");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_ptr_null(ev.review);
	ck_assert_int_ge(ev.text_rule, 0);
	ck_assert_str_eq(r.category, "TECH");
	/* the text alone disagrees: review, the code still decides */
	CLASSIFY(r, "ebops_code=SI22", "description=游戏");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "code-text-disagree");
	ck_assert_str_eq(r.category, "TECH");
	/* remote and in person: conflicting delivery evidence */
	CLASSIFY(r, "ebops_code=SI22", "description=系统运维：远程为主，每月到场");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_int_eq(ev.delivery, DTS_DELIVERY_MIXED);
	ck_assert_str_eq(ev.review, "delivery-conflict");
	ck_assert_str_eq(r.category, "TECH");
	/* goods ordered on a platform under general trade */
	CLASSIFY(r, "hs_code=6110.20", "trade_mode=0110", "channel=亚马逊平台网店");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_int_eq(ev.ordered, DTS_ORDER_PLATFORM);
	ck_assert_int_eq(r.ordered, 1);
	ck_assert_int_eq(r.platform, 1);
	ck_assert_int_eq(ev.deliverable, 0);
	CLASSIFY(r, "hs_code=6110.20", "trade_mode=0110", "channel=网店");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_int_eq(ev.ordered, DTS_ORDER_ONLINE);
	ck_assert_int_eq(r.ordered, 1);
	ck_assert_int_eq(r.platform, 0);
	CLASSIFY(r, "hs_code=6110.20", "trade_mode=0110");
	ck_assert_int_eq(r.ordered, 0);
	/* nothing matches */
	CLASSIFY(r, "description=nothing");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "no-evidence");
	ck_assert_int_eq(ev.deliverable, 0);

	/* dimensions of the rules */
	n = dts_rules_count(R);
	ck_assert_uint_eq(n, 9);
	for (i = 0; i < n; i++) {
		int d = dts_rules_rule_dimension(R, i);

		ck_assert_int_ge(d, 0);
		ck_assert_int_le(d, 3);
		dims[d]++;
	}
	ck_assert_int_eq(dims[DTS_DIM_SOLD], 4);
	ck_assert_int_eq(dims[DTS_DIM_DELIVERY], 2);
	ck_assert_int_eq(dims[DTS_DIM_ORDERED], 2);
	ck_assert_int_eq(dims[DTS_DIM_DELIVERABLE], 1);
	ck_assert_int_eq(dts_rules_rule_dimension(R, n), DTS_EINVAL);
	ck_assert_int_eq(dts_rules_rule_dimension(NULL, 0), DTS_EINVAL);
	teardown();
}
END_TEST

START_TEST(evidence_rules_are_checked)
{
	static const char *const bad[] = {
		"<evidence id=\"e\" dimension=\"delivery\" value=\"yes\"><present field=\"id\"/></evidence>",
		"<evidence id=\"e\" dimension=\"colour\" value=\"yes\"><present field=\"id\"/></evidence>",
		"<evidence id=\"e\" dimension=\"ordered\"><present field=\"id\"/></evidence>",
		"<evidence id=\"e\" dimension=\"ordered\" value=\"online\" category=\"TECH\"><present field=\"id\"/></evidence>",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dts_rules *x = NULL;
		char xml[1024];

		snprintf(xml, sizeof(xml), "<classifier xmlns=\"urn:libdts:classifier:1\" id=\"t\" version=\"1\">%s</classifier>", bad[i]);
		ck_assert_int_eq(dts_rules_compile_buffer(&x, "bad.xml", NULL, xml, strlen(xml), NULL), DTS_ESYNTAX);
		ck_assert_ptr_null(x);
		/* the loader checks what the schema checks too */
		ck_assert_int_eq(dts_rules_compile_buffer(&x, "bad.xml", NULL, xml, strlen(xml),
							  &(dts_rules_options){DTS_RULES_OPTIONS_VERSION, 0, 0, 0,
									       DTS_RULES_NO_SCHEMA, NULL}), DTS_ESYNTAX);
		ck_assert_ptr_null(x);
	}
}
END_TEST

START_TEST(present_empty_amount_flags)
{
	dts_result r;

	setup_body(
		"<rule id=\"big\" category=\"DATA.PRODUCT\" priority=\"3\" base=\"services\" delivered=\"yes\" platform=\"yes\">"
		"  <present field=\"enterprise_id\"/><amount op=\"ge\" value=\"10000\"/></rule>"
		"<rule id=\"nohs\" category=\"TECH.SOFTWARE\" base=\"goods\" ordered=\"yes\"><empty field=\"hs_code\"/></rule>");
	CLASSIFY(r, "enterprise_id=91330100MA2XXXXX0X", "value=10,000.00", "hs_code=1");
	ck_assert_str_eq(r.rule, "big");
	ck_assert_int_eq(r.base, DTS_BASE_SERVICES);
	ck_assert_int_eq(r.delivered, 1);
	ck_assert_int_eq(r.platform, 1);
	ck_assert_int_eq(r.ordered, 0);
	CLASSIFY(r, "enterprise_id=X", "value=9999.9999", "hs_code=1");
	ck_assert_str_eq(r.category, "NONE");
	CLASSIFY(r, "enterprise_id=X", "value=abc", "hs_code=1");
	ck_assert_str_eq(r.category, "NONE"); /* not a number: amount is false */
	ck_assert_ptr_null(dts_error_last()); /* ... and no error leaks out */
	CLASSIFY(r, "enterprise_id=X", "value=12000");
	ck_assert_str_eq(r.rule, "big");
	CLASSIFY(r, "value=1");
	ck_assert_str_eq(r.rule, "nohs");
	ck_assert_int_eq(r.base, DTS_BASE_GOODS);
	ck_assert_int_eq(r.ordered, 1);
	teardown();
}
END_TEST

START_TEST(invalid_utf8_is_rejected)
{
	dts_result r;
	dts_value v = {DTS_F_DESCRIPTION, "ab\xff", 3};

	setup_body("<rule id=\"x\" category=\"TECH.CLOUD\"><contains field=\"description\">a</contains></rule>");
	dts_error_clear();
	ck_assert_int_eq(dts_scanner_classify(&r, S, &v, 1), DTS_EINPUT);
	ck_assert_str_eq(r.category, "NONE");
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "description"));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "byte 3"));
	v.field = 99;
	ck_assert_int_eq(dts_scanner_classify(&r, S, &v, 1), DTS_EINVAL);
	teardown();
}
END_TEST

START_TEST(match_limit_is_reported)
{
	dts_result r;
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;
	char *xml = wrap_classifier(
		"<rule id=\"slow\" category=\"TECH.CLOUD\"><regex field=\"description\">x(a+)+[bc]</regex></rule>");
	char subject[64];

	o.match_limit = 1000;
	o.flags = _i ? 0 : DTS_RULES_NO_JIT; /* the interpreter, then JIT code */
	ck_assert_int_eq(dts_rules_compile_buffer(&R, "slow.xml", NULL, xml, strlen(xml), &o), 0);
	free(xml);
	ck_assert_int_eq(dts_scanner_new(&S, R, 0), 0);
	memset(subject, 'a', sizeof(subject) - 1);
	subject[0] = 'x';
	subject[sizeof(subject) - 1] = '\0';
	{
		dts_value v = {DTS_F_DESCRIPTION, subject, strlen(subject)};

		ck_assert_int_eq(dts_scanner_classify(&r, S, &v, 1), DTS_ELIMIT);
	}
	ck_assert_str_eq(r.category, "NONE");
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "slow"));
	teardown();
}
END_TEST

static int collect_match(const dts_match *m, void *payload)
{
	char *buf = payload;
	size_t used = strlen(buf);

	snprintf(buf + used, 4096 - used, "%s%s:%s|", m->winner ? "*" : "", m->rule, m->why);
	return 0;
}

START_TEST(explain_lists_every_match)
{
	dts_result r;
	char buf[4096] = "";
	dts_value v[2] = {{DTS_F_EBOPS_CODE, "SI 22", 5},
			  {DTS_F_DESCRIPTION, "阿里云 云服务器租用", strlen("阿里云 云服务器租用")}};

	setup_body(
		"<rule id=\"cloud\" category=\"TECH.CLOUD\" priority=\"9\"><prefix field=\"ebops_code\">SI2</prefix>"
		"<regex field=\"description\">云服务|云计算</regex></rule>"
		"<rule id=\"sw\" category=\"TECH.SOFTWARE\"><prefix field=\"ebops_code\">SI2</prefix></rule>"
		"<rule id=\"game\" category=\"PROD.GAME\"><contains field=\"description\">游戏</contains></rule>");
	ck_assert_int_eq(dts_scanner_explain(&r, S, v, 2, collect_match, buf), 0);
	ck_assert_str_eq(r.rule, "cloud");
	ck_assert_ptr_nonnull(strstr(buf, "*cloud:"));
	ck_assert_ptr_nonnull(strstr(buf, "found \"云服务\""));
	ck_assert_ptr_nonnull(strstr(buf, "sw:prefix(ebops_code \"SI2\") on \"SI22\""));
	ck_assert_ptr_null(strstr(buf, "game"));
	teardown();
}
END_TEST

typedef struct sink {
	char p[4096];
	size_t len;
	int calls, stop_at;
} sink;

static int to_sink(const void *data, size_t len, void *payload)
{
	sink *k = payload;

	if (++k->calls == k->stop_at)
		return DTS_EUSER;
	ck_assert_uint_lt(k->len + len, sizeof(k->p));
	memcpy(k->p + k->len, data, len);
	k->len += len;
	k->p[k->len] = '\0';
	return 0;
}

/* The text is `dts-rules explain`'s (tests/cases/rules-explain), byte for byte. */
START_TEST(explain_text)
{
	const char *path = DTS_SRCDIR "/tests/cases/rules-explain/c.xml";
	dts_value v[2] = {{DTS_F_EBOPS_CODE, "ｓｉ ２１", strlen("ｓｉ ２１")},
			  {DTS_F_DESCRIPTION, "Cloud ERP", 9}};
	dts_value none = {DTS_F_DESCRIPTION, "furniture", 9};
	char want[2048];
	sink k = {"", 0, 0, 0};
	FILE *f = tmpfile();
	size_t n;

	ck_assert_int_eq(dts_rules_compile(&R, &path, 1, NULL), 0);
	ck_assert_int_eq(dts_scanner_new(&S, R, 0), 0);
	snprintf(want, sizeof(want),
		 "record: ebops_code=ｓｉ ２１ description=Cloud ERP\n"
		 "* cloud -> TECH.CLOUD  priority 20  %s:4\n"
		 "    prefix(ebops_code \"SI2\") on \"SI21\"; contains(description \"cloud\") on \"Cloud ERP\"\n"
		 "  software -> TECH.SOFTWARE  priority 10  %s:10\n"
		 "    prefix(ebops_code \"SI21\") on \"SI21\"\n"
		 "result: TECH.CLOUD  rule cloud  base -  ordered 0  delivered 0  platform 0\n",
		 path, path);
	ck_assert_int_eq(dts_scanner_explain_text_cb(S, v, 2, to_sink, &k), 0);
	ck_assert_str_eq(k.p, want);
	ck_assert_int_eq(k.calls, 4);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_scanner_explain_text(S, &none, 1, f), 0);
	rewind(f);
	n = fread(want, 1, sizeof(want) - 1, f);
	want[n] = '\0';
	fclose(f);
	ck_assert_str_eq(want, "record: description=furniture\n  no rule matches\n"
			 "result: NONE  rule -  base -  ordered 0  delivered 0  platform 0  review no-evidence\n");
	/* The callback's code stops the text (here at the first match). */
	k.len = 0;
	k.calls = 0;
	k.stop_at = 2;
	ck_assert_int_eq(dts_scanner_explain_text_cb(S, v, 2, to_sink, &k), DTS_EUSER);
	ck_assert_str_eq(k.p, "record: ebops_code=ｓｉ ２１ description=Cloud ERP\n");
	ck_assert_int_eq(dts_scanner_explain_text(S, v, 2, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_scanner_explain_text_cb(NULL, v, 2, to_sink, &k), DTS_EINVAL);
	ck_assert_int_eq(dts_scanner_explain_text_cb(S, NULL, 2, to_sink, &k), DTS_EINVAL);
	teardown();
}
END_TEST

START_TEST(binding_rows)
{
	const char *header[] = {"商品编码", "监管方式", "备注", "hs_code"};
	const char *map[] = {"备注=description"};
	const char *cols[] = {"8471300000", "9610", "cloud", "x"};
	size_t lens[] = {10, 4, 5, 1};
	dts_binding *b = NULL;
	dts_result r;

	setup_body("<rule id=\"m\" category=\"CBEC.B2C\"><in field=\"trade_mode\">9610</in>"
		   "<prefix field=\"hs_code\">8471</prefix><contains field=\"description\">cloud</contains></rule>");
	ck_assert_int_eq(dts_binding_new(&b, header, 4, map, 1), 0);
	ck_assert_int_eq(dts_binding_field(b, 0), DTS_F_HS_CODE);
	ck_assert_int_eq(dts_binding_field(b, 3), -1); /* the first column wins */
	ck_assert_int_eq(dts_binding_column(b, DTS_F_DESCRIPTION), 2);
	ck_assert_int_eq(dts_scanner_classify_row(&r, S, b, cols, lens, 4), 0);
	ck_assert_str_eq(r.rule, "m");
	dts_binding_free(b);
	{
		const char *bad[] = {"nosuch=description"};
		const char *bad2[] = {"备注=nosuchfield"};
		const char *bad3[] = {"no-equals"};

		ck_assert_int_eq(dts_binding_new(&b, header, 4, bad, 1), DTS_EINVAL);
		ck_assert_int_eq(dts_binding_new(&b, header, 4, bad2, 1), DTS_EINVAL);
		ck_assert_int_eq(dts_binding_new(&b, header, 4, bad3, 1), DTS_EINVAL);
	}
	dts_binding_free(NULL);
	teardown();
}
END_TEST

START_TEST(free_null_is_harmless)
{
	dts_rules_free(NULL);
	dts_scanner_free(NULL);
	dts_binding_free(NULL);
}
END_TEST

/* Input-method typos of short terms: one character, same toneless pinyin. */
START_TEST(homophone_fallback)
{
	dts_result r;
	dts_evidence ev = {0};

	setup_body(
		"<rule id=\"cloud\" category=\"TECH.CLOUD\" base=\"services\" delivered=\"yes\"><contains field=\"description\">云计算</contains></rule>"
		"<rule id=\"data\" category=\"DATA.PRODUCT\" base=\"services\" delivered=\"yes\"><contains field=\"description\">数据</contains></rule>"
		"<rule id=\"tr\" category=\"TECH.SOFTWARE\" base=\"services\" delivered=\"yes\"><contains field=\"description\">翻译</contains></rule>");
	ev.version = DTS_EVIDENCE_VERSION;
	/* yun ji suan: 运 for 云, read and reviewed, the explain text names it */
	CLASSIFY(r, "description=运计算资源租赁");
	ck_assert_str_eq(r.category, "TECH.CLOUD");
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "fuzzy-term");
	ck_assert_ptr_nonnull(strstr(ev.combine, "\"运计算\" read as \"云计算\""));
	ck_assert_ptr_nonnull(strstr(ev.combine, "homophone"));
	ck_assert_ptr_nonnull(strstr(ev.combine, "rule cloud"));
	/* a two-character term: 宜 (yi) for 译 */
	CLASSIFY(r, "description=合同翻宜费");
	ck_assert_str_eq(r.category, "TECH.SOFTWARE");
	/* shu ju, but both characters differ from 数据: not read */
	CLASSIFY(r, "description=书局门市");
	ck_assert_int_eq(r.rule_index, -1);
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(ev.review, "no-evidence");
	/* one character replaced, not a homophone (看 kan, 译 yi): not read */
	CLASSIFY(r, "description=合同翻看费");
	ck_assert_int_eq(r.rule_index, -1);
	CLASSIFY(r, "description=风计算资源");
	ck_assert_int_eq(r.rule_index, -1);
	teardown();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("scanner");
	TCase *tc = tcase_create("semantics");

	tcase_add_test(tc, priority_then_written_order);
	tcase_add_test(tc, combinators);
	tcase_add_test(tc, sets_ranges_and_code_normalisation);
	tcase_add_test(tc, code_copy_same_as_normalised);
	tcase_add_test(tc, fullwidth_and_chinese_regex);
	tcase_add_test(tc, present_empty_amount_flags);
	tcase_add_test(tc, contains_except_and_text_folding);
	tcase_add_test(tc, review_reasons);
	tcase_add_test(tc, evidence_dimensions_and_combining);
	tcase_add_test(tc, fuzzy_term_fallback);
	tcase_add_test(tc, evidence_rules_are_checked);
	tcase_add_test(tc, invalid_utf8_is_rejected);
	tcase_add_loop_test(tc, match_limit_is_reported, 0, 2);
	tcase_add_test(tc, explain_lists_every_match);
	tcase_add_test(tc, explain_text);
	tcase_add_test(tc, contains_from_stamps_equals_memmem);
	tcase_add_test(tc, binding_rows);
	tcase_add_test(tc, free_null_is_harmless);
	tcase_add_test(tc, homophone_fallback);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(suite());
}
