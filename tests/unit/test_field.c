/* test_field.c — field table, header aliases, normalisation, UTF-8. */
#include "check_main.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <opencc.h>
#include <unicode/unorm2.h>
#include <unicode/utypes.h>

#include "internal.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- field table -------------------------------------------------------- */

START_TEST(test_table_round_trip)
{
	int f;

	for (f = 0; f < DTS_F_COUNT; f++) {
		const char *name = dts_field_name(f);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(dts_field_lookup(name), f);
		ck_assert_int_eq(dts_field_alias(name, strlen(name)), f);
	}
	ck_assert_ptr_null(dts_field_name(-1));
	ck_assert_ptr_null(dts_field_name(DTS_F_COUNT));
	ck_assert_int_eq(dts_field_kind_of(-1), DTS_KIND_TEXT);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_COUNT), DTS_KIND_TEXT);
}
END_TEST

START_TEST(test_table_values)
{
	ck_assert_str_eq(dts_field_name(DTS_F_ID), "id");
	ck_assert_str_eq(dts_field_name(DTS_F_HS_CODE), "hs_code");
	ck_assert_str_eq(dts_field_name(DTS_F_CURRENCY), "currency");
	ck_assert_int_eq(dts_field_kind_of(DTS_F_FLOW), DTS_KIND_FLOW);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_VALUE), DTS_KIND_AMOUNT);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_DESCRIPTION), DTS_KIND_TEXT);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_PERIOD), DTS_KIND_TEXT);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_COUNTERPART), DTS_KIND_CODE);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_TRADE_MODE), DTS_KIND_CODE);
	ck_assert_int_eq(dts_field_kind_of(DTS_F_CURRENCY), DTS_KIND_CODE);
}
END_TEST

START_TEST(test_lookup_is_strict)
{
	ck_assert_int_eq(dts_field_lookup("HS_CODE"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_field_lookup("hs code"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_field_lookup("商品编码"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_field_lookup(" id"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_field_lookup(""), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_field_lookup(NULL), DTS_ENOTFOUND);
}
END_TEST

/* ---- aliases ------------------------------------------------------------- */

typedef struct alias_case {
	const char *header;
	int field;
} alias_case;

/* Every built-in alias (so a misplaced row in the sorted table fails). */
static const alias_case alias_cases[] = {
	{"商品编码", DTS_F_HS_CODE}, {"商品编号", DTS_F_HS_CODE},
	{"HS编码", DTS_F_HS_CODE}, {"hs编码", DTS_F_HS_CODE},
	{"税则号列", DTS_F_HS_CODE}, {"海关编码", DTS_F_HS_CODE},
	{"hs code", DTS_F_HS_CODE}, {"HS Code", DTS_F_HS_CODE},
	{"HS-CODE", DTS_F_HS_CODE}, {"hscode", DTS_F_HS_CODE},
	{"HSCode", DTS_F_HS_CODE}, {"HS", DTS_F_HS_CODE},
	{"commodity code", DTS_F_HS_CODE}, {"gcode", DTS_F_HS_CODE},
	{"gCode", DTS_F_HS_CODE}, {"CODE_TS", DTS_F_HS_CODE},
	{"codeTs", DTS_F_HS_CODE},
	{"监管方式", DTS_F_TRADE_MODE}, {"监管方式代码", DTS_F_TRADE_MODE},
	{"贸易方式", DTS_F_TRADE_MODE}, {"贸易方式代码", DTS_F_TRADE_MODE},
	{"trade mode", DTS_F_TRADE_MODE}, {"Trade mode", DTS_F_TRADE_MODE},
	{"tradeMode", DTS_F_TRADE_MODE},
	{"supervision mode", DTS_F_TRADE_MODE},
	{"进出口", DTS_F_FLOW}, {"进出口标志", DTS_F_FLOW},
	{"进出口标记", DTS_F_FLOW}, {"收支方向", DTS_F_FLOW},
	{"ieFlag", DTS_F_FLOW}, {"IE flag", DTS_F_FLOW}, {"I/E", DTS_F_FLOW},
	{"direction", DTS_F_FLOW}, {"Flow", DTS_F_FLOW},
	{"trade flow", DTS_F_FLOW},
	{"商品名称", DTS_F_DESCRIPTION}, {"品名", DTS_F_DESCRIPTION},
	{"商品描述", DTS_F_DESCRIPTION}, {"交易附言", DTS_F_DESCRIPTION},
	{"服务描述", DTS_F_DESCRIPTION}, {"货物名称", DTS_F_DESCRIPTION},
	{"gname", DTS_F_DESCRIPTION}, {"gName", DTS_F_DESCRIPTION},
	{"itemName", DTS_F_DESCRIPTION}, {"item name", DTS_F_DESCRIPTION},
	{"goods name", DTS_F_DESCRIPTION}, {"Description", DTS_F_DESCRIPTION},
	{"desc", DTS_F_DESCRIPTION},
	{"贸易国别", DTS_F_COUNTERPART}, {"贸易国", DTS_F_COUNTERPART},
	{"原产国", DTS_F_COUNTERPART}, {"目的国", DTS_F_COUNTERPART},
	{"国别", DTS_F_COUNTERPART}, {"交易对手国别", DTS_F_COUNTERPART},
	{"贸易伙伴", DTS_F_COUNTERPART}, {"country", DTS_F_COUNTERPART},
	{"Partner", DTS_F_COUNTERPART},
	{"partner country", DTS_F_COUNTERPART},
	{"counterpart", DTS_F_COUNTERPART},
	{"币制", DTS_F_CURRENCY}, {"币制代码", DTS_F_CURRENCY},
	{"币种", DTS_F_CURRENCY}, {"货币", DTS_F_CURRENCY},
	{"Currency", DTS_F_CURRENCY}, {"currency code", DTS_F_CURRENCY},
	{"金额", DTS_F_VALUE}, {"总价", DTS_F_VALUE}, {"美元金额", DTS_F_VALUE},
	{"人民币金额", DTS_F_VALUE}, {"成交总价", DTS_F_VALUE},
	{"交易金额", DTS_F_VALUE}, {"totalPrice", DTS_F_VALUE},
	{"total price", DTS_F_VALUE}, {"Amount", DTS_F_VALUE},
	{"VALUE", DTS_F_VALUE}, {"trade value", DTS_F_VALUE},
	{"申报日期", DTS_F_PERIOD}, {"日期", DTS_F_PERIOD},
	{"月份", DTS_F_PERIOD}, {"交易日期", DTS_F_PERIOD},
	{"统计月份", DTS_F_PERIOD}, {"年月", DTS_F_PERIOD},
	{"ieDate", DTS_F_PERIOD}, {"Date", DTS_F_PERIOD},
	{"month", DTS_F_PERIOD}, {"period", DTS_F_PERIOD},
	{"EBOPS", DTS_F_EBOPS_CODE}, {"EBOPS code", DTS_F_EBOPS_CODE},
	{"服务类别代码", DTS_F_EBOPS_CODE},
	{"交易编码", DTS_F_BOP_CODE}, {"国际收支交易编码", DTS_F_BOP_CODE},
	{"BOP code", DTS_F_BOP_CODE},
	{"统一社会信用代码", DTS_F_ENTERPRISE_ID},
	{"社会信用代码", DTS_F_ENTERPRISE_ID},
	{"企业代码", DTS_F_ENTERPRISE_ID},
	{"enterprise id", DTS_F_ENTERPRISE_ID},
	{"USCC", DTS_F_ENTERPRISE_ID},
	{"行政区划", DTS_F_REGION}, {"行政区划代码", DTS_F_REGION},
	{"地区代码", DTS_F_REGION}, {"境内货源地", DTS_F_REGION},
	{"境内目的地", DTS_F_REGION}, {"Region", DTS_F_REGION},
	{"电商平台代码", DTS_F_PLATFORM}, {"电商平台", DTS_F_PLATFORM},
	{"ebpCode", DTS_F_PLATFORM}, {"platform", DTS_F_PLATFORM},
	{"报关单号", DTS_F_ID}, {"报关单编号", DTS_F_ID},
	{"清单编号", DTS_F_ID}, {"订单编号", DTS_F_ID}, {"订单号", DTS_F_ID},
	{"invtNo", DTS_F_ID}, {"orderNo", DTS_F_ID}, {"ID", DTS_F_ID},
	{"行业代码", DTS_F_INDUSTRY_CODE},
	{"国民经济行业", DTS_F_INDUSTRY_CODE},
	{"国民经济行业代码", DTS_F_INDUSTRY_CODE},
	{"ISIC", DTS_F_INDUSTRY_CODE},
	{"industry code", DTS_F_INDUSTRY_CODE},
	{"CPC", DTS_F_CPC_CODE}, {"cpc code", DTS_F_CPC_CODE},
	{"订购方式", DTS_F_CHANNEL}, {"订购渠道", DTS_F_CHANNEL},
	{"Channel", DTS_F_CHANNEL},
	{"交付方式", DTS_F_DELIVERY}, {"delivery", DTS_F_DELIVERY},
	{"数据来源", DTS_F_SOURCE}, {"来源", DTS_F_SOURCE},
	{"source", DTS_F_SOURCE},
	/* surroundings and spelling variants */
	{"  hs_code  ", DTS_F_HS_CODE},
	{"\xEF\xBB\xBFhs_code", DTS_F_HS_CODE},
	{"\xEF\xBB\xBF商品编码", DTS_F_HS_CODE},
	{"\t商品编码\r\n", DTS_F_HS_CODE},
	{"\xE3\x80\x80商品编码\xE3\x80\x80", DTS_F_HS_CODE}, /* U+3000 */
	{"ＨＳ编码", DTS_F_HS_CODE},                        /* full width */
	{"HS  __ Code", DTS_F_HS_CODE},
	{"Trade_Mode", DTS_F_TRADE_MODE},
	{"enterprise-id", DTS_F_ENTERPRISE_ID},
	{"_id_", DTS_F_ID},
};

START_TEST(test_alias_table)
{
	const alias_case *c = &alias_cases[_i];

	ck_assert_msg(dts_field_alias(c->header, strlen(c->header)) == c->field,
		      "alias '%s': got %d, want %d", c->header,
		      dts_field_alias(c->header, strlen(c->header)), c->field);
}
END_TEST

START_TEST(test_alias_unknown)
{
	static const char *const unknown[] = {
		"", " ", "\xEF\xBB\xBF", "商品", "hs codes", "h s code", "xyz",
		"金额(美元)", "hs.code", "desc ription", "\xFF\xFE",
		"ieflagg",
		/* longer than any key */
		("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	};
	size_t i;

	for (i = 0; i < N_ELEMS(unknown); i++)
		ck_assert_msg(dts_field_alias(unknown[i], strlen(unknown[i])) ==
				      DTS_ENOTFOUND,
			      "'%s' should be unknown", unknown[i]);
	ck_assert_int_eq(dts_field_alias(NULL, 0), DTS_ENOTFOUND);
}
END_TEST

START_TEST(test_alias_length_bounded)
{
	/* Only the first len bytes count, the rest is not read. */
	ck_assert_int_eq(dts_field_alias("hs_codeXYZ", 7), DTS_F_HS_CODE);
	ck_assert_int_eq(dts_field_alias("商品编码XYZ", 12), DTS_F_HS_CODE);
	/* Long trailing blanks after a known header still match. */
	{
		char buf[300];

		memset(buf, ' ', sizeof(buf));
		memcpy(buf, "currency", 8);
		ck_assert_int_eq(dts_field_alias(buf, sizeof(buf)),
				 DTS_F_CURRENCY);
	}
}
END_TEST

/* ---- normalisation -------------------------------------------------------- */

typedef struct norm_case {
	int field;
	const char *in;
	const char *out;
} norm_case;

static const norm_case norm_cases[] = {
	/* every field: full-width fold, U+3000, trimming */
	{DTS_F_DESCRIPTION, "ＡＩ", "AI"},
	{DTS_F_DESCRIPTION, "ａｉ", "ai"},
	{DTS_F_DESCRIPTION, "！～", "!~"},            /* U+FF01, U+FF5E */
	{DTS_F_DESCRIPTION, "\xEF\xBD\x9F", "\xEF\xBD\x9F"}, /* U+FF5F stays */
	{DTS_F_DESCRIPTION, "\xEF\xBC\x80", "\xEF\xBC\x80"}, /* U+FF00 stays */
	{DTS_F_DESCRIPTION, "  云服务器 租用\t", "云服务器 租用"},
	{DTS_F_DESCRIPTION, "\xE3\x80\x80云服务\xE3\x80\x80", "云服务"},
	{DTS_F_DESCRIPTION, "SaaS\xE3\x80\x80" "CRM", "SaaS CRM"},
	{DTS_F_DESCRIPTION, "Ｓａａｓ　ＣＲＭ ", "Saas CRM"},
	{DTS_F_DESCRIPTION, "", ""},
	{DTS_F_DESCRIPTION, " \t\r\n\v\f", ""},
	{DTS_F_DESCRIPTION, "\xE3\x80\x80", ""},
	{DTS_F_PERIOD, " 2025-03 ", "2025-03"},
	{DTS_F_ID, " abc-01 ", "abc-01"},
	{DTS_F_CHANNEL, " Online ", "Online"},
	{DTS_F_VALUE, " １２，３４５．６７ ", "12,345.67"},
	/* code fields: separators dropped, ASCII upper-cased */
	{DTS_F_HS_CODE, "８５２３．４９", "852349"},
	{DTS_F_HS_CODE, "8523.49", "852349"},
	{DTS_F_HS_CODE, " 8471 30-00_00/ ", "8471300000"},
	{DTS_F_EBOPS_CODE, "si 21", "SI21"},
	{DTS_F_EBOPS_CODE, "ｓｉ　２１", "SI21"},
	{DTS_F_EBOPS_CODE, "S.I.2.1", "SI21"},
	{DTS_F_TRADE_MODE, " 9610 ", "9610"},
	{DTS_F_COUNTERPART, "usa", "USA"},
	{DTS_F_COUNTERPART, "美国", "美国"},
	{DTS_F_CURRENCY, "usd", "USD"},
	{DTS_F_CURRENCY, "142", "142"},
	{DTS_F_REGION, "330106", "330106"},
	{DTS_F_ENTERPRISE_ID, "91330100-mA27xxxx", "91330100MA27XXXX"},
	{DTS_F_PLATFORM, "tmall.hk", "TMALLHK"},
	{DTS_F_CPC_CODE, "84.34", "8434"},
	{DTS_F_INDUSTRY_CODE, "i 6513", "I6513"},
	{DTS_F_BOP_CODE, "22-2011", "222011"},
	{DTS_F_HS_CODE, "...", ""},
	{DTS_F_HS_CODE, ". \t8523\t49", "852349"},
	{DTS_F_HS_CODE, "\xE2\x84\xAA", "\xE2\x84\xAA"}, /* no Unicode case */
	/* flow */
	{DTS_F_FLOW, "X", "X"}, {DTS_F_FLOW, "x", "X"},
	{DTS_F_FLOW, "E", "X"}, {DTS_F_FLOW, "e", "X"},
	{DTS_F_FLOW, "Export", "X"}, {DTS_F_FLOW, "EXPORTS", "X"},
	{DTS_F_FLOW, "exp", "X"}, {DTS_F_FLOW, "Credit", "X"},
	{DTS_F_FLOW, "receipt", "X"}, {DTS_F_FLOW, "Receipts", "X"},
	{DTS_F_FLOW, "出口", "X"}, {DTS_F_FLOW, "出", "X"},
	{DTS_F_FLOW, "收入", "X"}, {DTS_F_FLOW, "收", "X"},
	{DTS_F_FLOW, "M", "M"}, {DTS_F_FLOW, "m", "M"},
	{DTS_F_FLOW, "I", "M"}, {DTS_F_FLOW, "i", "M"},
	{DTS_F_FLOW, "import", "M"}, {DTS_F_FLOW, "Imports", "M"},
	{DTS_F_FLOW, "IMP", "M"}, {DTS_F_FLOW, "debit", "M"},
	{DTS_F_FLOW, "payment", "M"}, {DTS_F_FLOW, "PAYMENTS", "M"},
	{DTS_F_FLOW, "进口", "M"}, {DTS_F_FLOW, "进", "M"},
	{DTS_F_FLOW, "支出", "M"}, {DTS_F_FLOW, "支", "M"},
	{DTS_F_FLOW, " ｅ ", "X"}, {DTS_F_FLOW, "\xE3\x80\x80进口\t", "M"},
	{DTS_F_FLOW, "Ｉｍｐｏｒｔ", "M"},
	/* unknown flows stay folded text; digits are not guessed */
	{DTS_F_FLOW, " Re-export ", "Re-export"},
	{DTS_F_FLOW, "1", "1"}, {DTS_F_FLOW, "０", "0"},
	{DTS_F_FLOW, "ex port", "ex port"}, {DTS_F_FLOW, "", ""},
	{DTS_F_FLOW, "出口额", "出口额"},
	/* out-of-range field: treated as text */
	{-1, " ａＢ ", "aB"},
	{DTS_F_COUNT, " ａ.Ｂ ", "a.B"},
};

START_TEST(test_normalize_table)
{
	const norm_case *c = &norm_cases[_i];
	size_t len = strlen(c->in), n = 99;
	char *out = malloc(len + 1);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(dts_field_normalize(out, len + 1, &n, c->field, c->in,
					     len), 0);
	ck_assert_msg(strcmp(out, c->out) == 0,
		      "field %d '%s': got '%s', want '%s'", c->field, c->in,
		      out, c->out);
	ck_assert_uint_eq(n, strlen(c->out));
	free(out);
}
END_TEST

START_TEST(test_normalize_errors)
{
	char out[8];
	size_t n = 7;

	ck_assert_int_eq(dts_field_normalize(out, 4, &n, DTS_F_ID, "abcd", 4),
			 DTS_EINVAL);
	ck_assert_ptr_nonnull(dts_error_last());
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(dts_field_normalize(NULL, 8, &n, DTS_F_ID, "a", 1),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_field_normalize(out, 8, &n, DTS_F_ID, NULL, 1),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_field_normalize(out, 1, &n, DTS_F_ID, NULL, 0), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dts_field_normalize(out, 5, NULL, DTS_F_ID, "abcd", 4),
			 0);
	ck_assert_str_eq(out, "abcd");
}
END_TEST

START_TEST(test_normalize_not_terminated)
{
	/* The input is a slice: bytes after len must not be read or used. */
	const char buf[] = "si 21 tail";
	char out[6];
	size_t n;

	ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &n,
					     DTS_F_EBOPS_CODE, buf, 5), 0);
	ck_assert_str_eq(out, "SI21");
	/* A full-width sequence cut by len is copied, not folded. */
	ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &n,
					     DTS_F_DESCRIPTION, "\xEF\xBC\x81",
					     2), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(memcmp(out, "\xEF\xBC", 3), 0);
}
END_TEST

START_TEST(test_normalize_invalid_utf8_copied)
{
	const char in[] = " \xFF\xC0\x80 a\xED\xA0\x80 ";
	char out[sizeof(in)];
	size_t n;

	ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &n,
					     DTS_F_DESCRIPTION, in,
					     sizeof(in) - 1), 0);
	ck_assert_str_eq(out, "\xFF\xC0\x80 a\xED\xA0\x80");
	ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &n,
					     DTS_F_HS_CODE, in,
					     sizeof(in) - 1), 0);
	ck_assert_str_eq(out, "\xFF\xC0\x80" "A\xED\xA0\x80");
}
END_TEST

START_TEST(test_flow_parse)
{
	ck_assert_int_eq(dts_flow_parse("E", 1), 'X');
	ck_assert_int_eq(dts_flow_parse("I", 1), 'M');
	ck_assert_int_eq(dts_flow_parse("出口", strlen("出口")), 'X');
	ck_assert_int_eq(dts_flow_parse("支出", strlen("支出")), 'M');
	ck_assert_int_eq(dts_flow_parse("進口", strlen("進口")), 'M');
	ck_assert_int_eq(dts_flow_parse("進", strlen("進")), 'M');
	ck_assert_int_eq(dts_flow_parse("  Export\t", 9), 'X');
	ck_assert_int_eq(dts_flow_parse("ＩＭＰＯＲＴ", strlen("ＩＭＰＯＲＴ")),
			 'M');
	ck_assert_int_eq(dts_flow_parse("exportXYZ", 6), 'X');
	ck_assert_int_eq(dts_flow_parse("1", 1), 0);
	ck_assert_int_eq(dts_flow_parse("2", 1), 0);
	ck_assert_int_eq(dts_flow_parse("", 0), 0);
	ck_assert_int_eq(dts_flow_parse("   ", 3), 0);
	ck_assert_int_eq(dts_flow_parse(NULL, 0), 0);
	ck_assert_int_eq(dts_flow_parse("e x", 3), 0);
	ck_assert_int_eq(dts_flow_parse("X\0", 2), 0);
	ck_assert_int_eq(dts_flow_parse("exportsexportsexports", 21), 0);
	{
		char buf[200];

		memset(buf, ' ', sizeof(buf));
		buf[0] = 'm';
		ck_assert_int_eq(dts_flow_parse(buf, sizeof(buf)), 'M');
		buf[199] = 'x';
		ck_assert_int_eq(dts_flow_parse(buf, sizeof(buf)), 0);
	}
}
END_TEST

/* ---- fold_lower ----------------------------------------------------------- */

START_TEST(test_fold_lower)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"", ""},
		{"ABC xyz 123", "abc xyz 123"},
		{"\xE2\x84\xAA" "ELVIN", "kelvin"},
		{"CLA\xC5\xBF\xC5\xBF", "class"},
		{"云服务 SaaS", "云服务 saas"},
		{"\xC5", "\xC5"},             /* cut sequences copied */
		{"\xE2\x84", "\xE2\x84"},
		{"ÀÉ", "ÀÉ"},                 /* no Unicode lower-casing */
	};
	char out[32];
	size_t i, n;

	for (i = 0; i < N_ELEMS(cases); i++) {
		n = dts__fold_lower(out, cases[i].in, strlen(cases[i].in));
		ck_assert_str_eq(out, cases[i].out);
		ck_assert_uint_eq(n, strlen(cases[i].out));
	}
	/* Only len bytes are read: the Kelvin sign cut at 2 stays raw. */
	n = dts__fold_lower(out, "\xE2\x84\xAA", 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(memcmp(out, "\xE2\x84\0", 3), 0);
}
END_TEST

/* dts__fold_lower as it was before its SSE2 blocks: one byte at a time. */
static size_t lower_ref(char *out, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, n = 0;

	while (i < len) {
		if (s[i] == 0xE2 && len - i >= 3 && s[i + 1] == 0x84 && s[i + 2] == 0xAA) {
			out[n++] = 'k';
			i += 3;
		} else if (s[i] == 0xC5 && len - i >= 2 && s[i + 1] == 0xBF) {
			out[n++] = 's';
			i += 2;
		} else {
			out[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
			i++;
		}
	}
	out[n] = '\0';
	return n;
}

/*
 * The 16-byte blocks of dts__fold_lower against the byte-by-byte folding:
 * texts of 0 to 99 bytes drawn from pieces that meet the blocks' edges at
 * every offset (both signs, their leads alone or cut, a curly quote that
 * shares the Kelvin sign's lead, the bytes around A-Z, ideographs), into
 * another buffer and in place (the rule loader folds in place).
 */
START_TEST(test_fold_lower_blocks)
{
	static const char *pieces[] = {
		"A", "Z", "a", "z", "@", "[", "`", "{", "M", "q", "0", " ", "\x7f",
		"\x80", "\xC0", "\xFF", "\xE2\x84\xAA", "\xC5\xBF", "\xE2", "\xC5",
		"\xE2\x84", "\xE2\x80\x9C", "\xC5\xBE", "软件", "务", "ＡＢ", "SaaS",
	};
	char in[128], got[128], want[128];
	unsigned seed = 12345;

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0, target, n, w;

		seed = seed * 1103515245u + 12345u;
		target = (seed >> 8) % 100;
		while (len < target) {
			const char *p;
			size_t pl;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 8) % N_ELEMS(pieces)];
			pl = strlen(p);
			if (len + pl > target)
				break;
			memcpy(in + len, p, pl);
			len += pl;
		}
		w = lower_ref(want, in, len);
		n = dts__fold_lower(got, in, len);
		ck_assert_uint_eq(n, w);
		ck_assert_msg(!memcmp(got, want, w + 1), "iteration %d: copy differs", iter);
		memcpy(got, in, len);
		n = dts__fold_lower(got, got, len);
		ck_assert_uint_eq(n, w);
		ck_assert_msg(!memcmp(got, want, w + 1), "iteration %d: in place differs", iter);
	}
}
END_TEST

/* ---- UTF-8 -------------------------------------------------------------- */

typedef struct utf8_case {
	const char *s;
	size_t len;
	int valid;
	size_t bad_at;
} utf8_case;

#define U(lit, ok, at) {lit, sizeof(lit) - 1, ok, at}

static const utf8_case utf8_cases[] = {
	U("", 1, 0),
	U("plain ASCII, long enough for the 8-byte path", 1, 0),
	U("\x7F", 1, 0),
	U("\xC2\x80", 1, 0),                 /* U+0080 */
	U("\xDF\xBF", 1, 0),                 /* U+07FF */
	U("\xE0\xA0\x80", 1, 0),             /* U+0800 */
	U("\xED\x9F\xBF", 1, 0),             /* U+D7FF */
	U("\xEE\x80\x80", 1, 0),             /* U+E000 */
	U("\xEF\xBF\xBF", 1, 0),             /* U+FFFF */
	U("\xF0\x90\x80\x80", 1, 0),         /* U+10000 */
	U("\xF4\x8F\xBF\xBF", 1, 0),         /* U+10FFFF */
	U("数字贸易 digital trade 跨境电商", 1, 0),
	/* lone continuation bytes and bytes that never occur */
	U("\x80", 0, 0),
	U("abc\xBF", 0, 3),
	U("\xFF", 0, 0),
	U("\xFE", 0, 0),
	U("\xF5\x80\x80\x80", 0, 0),
	/* overlongs */
	U("\xC0\x80", 0, 0),
	U("\xC1\xBF", 0, 0),
	U("\xE0\x80\x80", 0, 0),
	U("\xE0\x9F\xBF", 0, 0),
	U("\xF0\x80\x80\x80", 0, 0),
	U("\xF0\x8F\xBF\xBF", 0, 0),
	/* surrogates */
	U("\xED\xA0\x80", 0, 0),
	U("ok\xED\xBF\xBF", 0, 2),
	/* above U+10FFFF */
	U("\xF4\x90\x80\x80", 0, 0),
	/* truncated and interrupted sequences */
	U("\xC2", 0, 0),
	U("abcdefgh\xE4\xB8", 0, 8),
	U("\xF0\x90\x80", 0, 0),
	U("\xE4\xB8\x41", 0, 0),
	U("\xC2\x41", 0, 0),
	U("12345678\xF0\x90\x80\x41xyz", 0, 8),
	/* the offset is the start of the first bad sequence */
	U("数\xE5\xAD", 0, 3),
	U("0123456789abcdef\xC0\xAF", 0, 16),
};

START_TEST(test_utf8_table)
{
	const utf8_case *c = &utf8_cases[_i];
	size_t at = 12345;
	int ok = dts_utf8_valid(c->s, c->len, &at);

	ck_assert_msg(ok == c->valid, "case %d: got %d", _i, ok);
	if (!c->valid)
		ck_assert_msg(at == c->bad_at, "case %d: bad_at %zu, want %zu",
			      _i, at, c->bad_at);
	else
		ck_assert_uint_eq(at, 12345); /* untouched when valid */
	ck_assert_int_eq(dts_utf8_valid(c->s, c->len, NULL), c->valid);
}
END_TEST

/* Every code point encodes to valid UTF-8, except the surrogates. */
START_TEST(test_utf8_all_code_points)
{
	unsigned char b[4];
	uint32_t cp;
	size_t n;

	for (cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp < 0x80) {
			b[0] = (unsigned char)cp;
			n = 1;
		} else if (cp < 0x800) {
			b[0] = (unsigned char)(0xC0 | cp >> 6);
			b[1] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			b[0] = (unsigned char)(0xE0 | cp >> 12);
			b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			b[2] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | cp >> 18);
			b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
			b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			b[3] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		/* Plain ifs: a ck_assert per code point is a syscall each. */
		if (dts_utf8_valid((const char *)b, n, NULL) !=
		    !(cp >= 0xD800 && cp <= 0xDFFF))
			ck_abort_msg("U+%04X misjudged", (unsigned)cp);
		/* Any proper prefix of a multi-byte sequence is truncated. */
		if (n > 1 && dts_utf8_valid((const char *)b, n - 1, NULL))
			ck_abort_msg("U+%04X prefix accepted", (unsigned)cp);
	}
}
END_TEST

/* ---- randomized ----------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* Bytes biased towards the interesting ones: fold leads, blanks, codes. */
static unsigned char rng_byte(uint64_t *s)
{
	static const unsigned char hot[] = {
		0xEF, 0xBC, 0xBD, 0x81, 0x80, 0x9E, 0xBF, 0xE3, 0xE2, 0x84,
		0xAA, 0xC5, ' ',  '\t', '.',  '-',  '_',  '/',  'e',  'X',
		'i',  'm',  0x00, 0xFF,
	};
	uint64_t r = rng_next(s);

	if (r & 1)
		return hot[(r >> 8) % sizeof(hot)];
	return (unsigned char)(r >> 16);
}

START_TEST(test_normalize_random)
{
	uint64_t seed = UINT64_C(0x9E3779B97F4A7C15) + (uint64_t)_i;
	int field = _i;
	int iter;

	for (iter = 0; iter < 100000; iter++) {
		size_t len = (size_t)(rng_next(&seed) % 24), i, n = 0;
		/* Exact sizes: ASan flags any read or write past them. */
		char *in = malloc(len ? len : 1), *out = malloc(len + 1);

		/* Plain ifs in the loop: each ck_assert costs a syscall. */
		if (!in || !out)
			ck_abort_msg("out of memory");
		for (i = 0; i < len; i++)
			in[i] = (char)rng_byte(&seed);
		if (dts_field_normalize(out, len + 1, &n, field, in, len) != 0)
			ck_abort_msg("iteration %d: normalise failed", iter);
		if (n > len || out[n] != '\0')
			ck_abort_msg("iteration %d: %zu bytes from %zu", iter, n,
				     len);
		if (dts_field_kind_of(field) == DTS_KIND_FLOW && n == 1 &&
		    (out[0] == 'X' || out[0] == 'M') &&
		    dts_flow_parse(in, len) != out[0])
			ck_abort_msg("iteration %d: flow_parse disagrees", iter);
		n = dts__fold_lower(out, in, len);
		if (n > len || out[n] != '\0')
			ck_abort_msg("iteration %d: fold_lower %zu from %zu",
				     iter, n, len);
		(void)dts_utf8_valid(in, len, NULL);
		(void)dts_field_alias(in, len);
		free(in);
		free(out);
	}
}
END_TEST

/* On valid UTF-8, normalising twice changes nothing. */
START_TEST(test_normalize_idempotent)
{
	static const char *const tokens[] = {
		"a", "Z", "0", "9", " ", "\t", ".", "-", "_", "/", "ｓ",
		"Ａ", "８", "．", "\xE3\x80\x80", "云", "出口", "进口", "E",
		"import", "\xE2\x84\xAA", "\xC5\xBF",
	};
	uint64_t seed = UINT64_C(42);
	int field, iter;

	for (field = 0; field < DTS_F_COUNT; field++) {
		for (iter = 0; iter < 2000; iter++) {
			char in[128], a[128], b[128];
			size_t len = 0, na, nb, k = rng_next(&seed) % 6;

			while (k--) {
				const char *t = tokens[rng_next(&seed) %
						       N_ELEMS(tokens)];

				memcpy(in + len, t, strlen(t));
				len += strlen(t);
			}
			if (!dts_utf8_valid(in, len, NULL) ||
			    dts_field_normalize(a, sizeof(a), &na, field, in,
						len) != 0 ||
			    dts_field_normalize(b, sizeof(b), &nb, field, a,
						na) != 0 ||
			    !dts_utf8_valid(a, na, NULL))
				ck_abort_msg("field %d: setup failed", field);
			if (na != nb || memcmp(a, b, na) != 0)
				ck_abort_msg("field %d: '%.*s' -> '%s' -> '%s'",
					     field, (int)len, in, a, b);
		}
	}
}
END_TEST

/* FIELD=VALUE, as dts-rules explain takes it. */
START_TEST(test_value_parse)
{
	dts_value v = {-1, NULL, 0};
	const char *arg = "HS code=84.71=x";

	ck_assert_int_eq(dts_value_parse(&v, "hs_code=8471"), 0);
	ck_assert_int_eq(v.field, DTS_F_HS_CODE);
	ck_assert_str_eq(v.data, "8471");
	ck_assert_uint_eq(v.len, 4);
	ck_assert_int_eq(dts_value_parse(&v, arg), 0);
	ck_assert_int_eq(v.field, DTS_F_HS_CODE);
	ck_assert_ptr_eq(v.data, arg + 8);
	ck_assert_int_eq(dts_value_parse(&v, "description="), 0);
	ck_assert_uint_eq(v.len, 0);
	ck_assert_int_eq(dts_value_parse(&v, "hs_code"), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message, "'hs_code' is not FIELD=VALUE");
	ck_assert_int_eq(dts_value_parse(&v, "colour=red"), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->message, "unknown field 'colour'");
	ck_assert_int_eq(v.field, DTS_F_DESCRIPTION);
	ck_assert_int_eq(dts_value_parse(NULL, "a=b"), DTS_EINVAL);
	ck_assert_int_eq(dts_value_parse(&v, NULL), DTS_EINVAL);
}
END_TEST

/* ---- text folding ---------------------------------------------------------- */

/* UTF-8 of one code point; returns its length. */
static size_t put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (c >> 12));
	o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

/*
 * The hand-written full-width folding against ICU's NFKC over the whole
 * block it touches: U+3000 and every code point of U+FF00..U+FFEF (the
 * Halfwidth and Fullwidth Forms). Inside U+FF01..U+FF5E and at U+3000 the
 * fold must give what NFKC gives (one ASCII character); everywhere else in
 * the block it must leave the character alone (NFKC folds half-width kana
 * and the other forms, the normalisation deliberately does not: it only
 * makes ASCII of what is ASCII in disguise).
 */
START_TEST(test_fullwidth_fold_matches_icu_nfkc)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
	unsigned c;
	int folded = 0;

	ck_assert_msg(U_SUCCESS(err), "ICU NFKC: %s", u_errorName(err));
	for (c = 0x3000; c <= 0xFFEF; c++) {
		UChar src[1] = {(UChar)c}, dst[8];
		char in[8], out[8], want[32];
		size_t n, len;
		int32_t k;

		if (c == 0x3001)
			c = 0xFF00; /* U+3000 alone, then the forms block */
		err = U_ZERO_ERROR;
		k = unorm2_normalize(nfkc, src, 1, dst, 8, &err);
		ck_assert(U_SUCCESS(err));
		len = put_utf8(in + 1, c) + 2;
		in[0] = 'a';
		in[len - 1] = 'b';
		ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &n,
						     DTS_F_DESCRIPTION, in, len), 0);
		if ((c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000) {
			ck_assert_int_eq(k, 1);
			ck_assert_msg(dst[0] < 0x80, "U+%04X: NFKC is not ASCII", c);
			snprintf(want, sizeof(want), "a%cb", (char)dst[0]);
			ck_assert_msg(strcmp(out, want) == 0,
				      "U+%04X: fold '%s', NFKC '%s'", c, out, want);
			folded++;
		} else {
			ck_assert_msg(n == len && memcmp(out, in, len) == 0,
				      "U+%04X changed outside the folded range", c);
		}
	}
	ck_assert_int_eq(folded, 0x5E + 1);
}
END_TEST

/*
 * The folding's scans (plain_run, fold_start in field.c) go 16 bytes at
 * a time where SSE2 is there: what they look for, placed at every offset
 * from 1 to 47 bytes behind ASCII and behind ideographs that share the
 * variant's lead byte (务 E5 8A A1), with a suffix long enough for a
 * second block, comes out folded exactly as it would at any other place.
 */
START_TEST(test_fold_at_every_offset)
{
	static const struct { const char *put, *norm, *text; } cases[] = {
		{"\xef\xbc\xa1", "A", "A"},            /* Ａ: folded by normalising */
		{"\xe3\x80\x80", " ", ""},             /* U+3000 between ideographs */
		{" ", " ", ""},                        /* a blank between them goes */
		{"\t", "\t", ""},
		{"帐", "帐", "账"},                     /* the variant */
		{"\xef\xbd\x9e", "~", "~"},            /* ～ */
	};
	/* from long to one character, so that the folded form also lands in
	 * the last, overlapping block of the scans (plain_run, fold_start) */
	static const char *const suffixes[] = {
		"务b务务cc务服务数据标注务务", "务b务务cc务", "务务cc", "务b", "务",
	};
	char in[256], want_n[256], want_t[256], out[256];

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (size_t x = 0; x < sizeof(suffixes) / sizeof(suffixes[0]); x++)
		for (int m = 0; m < 8; m++)
			for (int k = 1; k < 17; k++) {
				const char *suffix = suffixes[x];
				char pre[128] = "";
				size_t n = 0, len;

				for (int i = 0; i < m; i++)
					strcat(pre, "务");
				for (int i = 0; i < k; i++)
					strcat(pre, "x");
				strcat(pre, "务");
				snprintf(in, sizeof(in), "%s%s%s", pre, cases[c].put, suffix);
				snprintf(want_n, sizeof(want_n), "%s%s%s", pre, cases[c].norm, suffix);
				snprintf(want_t, sizeof(want_t), "%s%s%s", pre, cases[c].text, suffix);
				len = strlen(in);
				ck_assert_int_eq(dts_field_normalize(out, sizeof(out), &n,
						 DTS_F_DESCRIPTION, in, len), 0);
				ck_assert_msg(n == strlen(want_n) && !strcmp(out, want_n),
					      "normalise '%s': '%s'", in, out);
				memcpy(out, in, len + 1);
				n = dts__text_fold_inplace(out, len);
				out[n] = '\0';
				if (cases[c].put[0] != '\xef' && cases[c].put[0] != '\xe3')
					ck_assert_msg(!strcmp(out, want_t),
						      "fold '%s': '%s'", in, out);
			}
}
END_TEST

typedef struct fold_case {
	const char *in, *out; /* out NULL: dts__text_t2s leaves it alone */
} fold_case;

static const fold_case t2s_cases[] = {
	{"軟體授權費", "软件授权费"},
	{"雲端伺服器租用", "云端服务器租用"},       /* phrase: 伺服器 -> 服务器 */
	{"資料集授權", "数据集授权"},               /* Taiwan 資料 -> mainland 数据 */
	{"數位音樂串流", "数字音乐串流"},
	{"人工智慧模型API呼叫費", "人工智能模型API调用费"},
	{"線下", "线下"},
	{"軟體 ＡＩ", "软件 ＡＩ"},
	{"软件授权费", NULL},                       /* simplified: not converted */
	{"伺服器", NULL},                           /* no traditional character */
	{"cloud hosting 8471", NULL},
	{"", NULL},
};

START_TEST(test_text_t2s)
{
	const fold_case *c = &t2s_cases[_i];
	char *out = (char *)"unchanged";
	size_t n = 0;
	int rc = dts__text_t2s(c->in, strlen(c->in), &out, &n);

	if (!c->out) {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(out, "unchanged");
		return;
	}
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strcmp(out, c->out) == 0, "'%s': got '%s', want '%s'",
		      c->in, out, c->out);
	ck_assert_uint_eq(n, strlen(c->out));
	free(out);
}
END_TEST

static const fold_case inplace_cases[] = {
	{"帐单", "账单"},
	{"记帐 服务", "记账服务"},
	{"数据 标注", "数据标注"},
	{"数据  \t标注", "数据标注"},
	{"AI 数据", "AI 数据"},            /* a letter is not an ideograph */
	{"数据 API", "数据 API"},
	{"数据，标注", "数据，标注"},
	{"a  b", "a  b"},
	{"", ""},
};

START_TEST(test_text_fold_inplace)
{
	const fold_case *c = &inplace_cases[_i];
	char buf[64];
	size_t n;

	strcpy(buf, c->in);
	n = dts__text_fold_inplace(buf, strlen(buf));
	buf[n] = '\0';
	ck_assert_msg(strcmp(buf, c->out) == 0, "'%s': got '%s', want '%s'",
		      c->in, buf, c->out);
}
END_TEST

/*
 * lib/record/trad_set.h against the installed OpenCC: every ideograph the
 * set leaves out is one tw2sp leaves alone, so skipping the converter for
 * a text without a listed character changes nothing at the character
 * level; every listed one is converted. Fails when OpenCC's data changed:
 * regenerate the set with scripts/gen-trad-set.py.
 */
START_TEST(test_trad_set_matches_opencc)
{
	opencc_t cc = opencc_open("tw2sp.json");
	unsigned c;
	int listed = 0;

	ck_assert_msg(cc != (opencc_t)-1, "OpenCC: %s", opencc_error());
	for (c = 0x3400; c <= 0xFAFF; c++) {
		char in[4], *r, *out = NULL;
		size_t n = 0, len;
		int rc;

		if (c == 0xA000)
			c = 0xF900;
		len = put_utf8(in, c);
		r = opencc_convert_utf8(cc, in, len);
		ck_assert_ptr_nonnull(r);
		rc = dts__text_t2s(in, len, &out, &n);
		ck_assert_int_ge(rc, 0);
		if (rc == 0)
			ck_assert_msg(strlen(r) == len && memcmp(r, in, len) == 0,
				      "U+%04X is converted by OpenCC but not in trad_set.h", c);
		else {
			ck_assert_msg(strcmp(r, out) == 0, "U+%04X", c);
			ck_assert_msg(strlen(r) != len || memcmp(r, in, len) != 0,
				      "U+%04X is in trad_set.h but OpenCC keeps it", c);
			listed++;
			free(out);
		}
		opencc_convert_utf8_free(r);
	}
	opencc_close(cc);
	ck_assert_int_gt(listed, 3000);
}
END_TEST

/*
 * needs_t2s's SSE2 scan (bytes >= E3 wherever they are) against the
 * reference character walk: random valid UTF-8 from pieces of every
 * length class (ASCII, 2-, 3- and 4-byte; simplified, traditional and
 * compatibility ideographs, full-width forms, U+3000, blanks), then one
 * traditional character or one 4-byte character at every offset from 0 to
 * 47 behind ASCII and simplified text, so each lands at every place of a
 * block and of the last, overlapping one.
 */
START_TEST(test_needs_t2s_fast_same_as_ref)
{
	static const char *pieces[] = {
		"a", "Z", " ", "\t", "0", "\xC3\xA9", "\xD7\x90", "\xE2\x80\x9C",
		"\xE2\x84\xAA", "软件", "数据", "标注", "帐", "務", "軟體", "資料",
		"\xEF\xA4\x80" /* U+F900 */, "\xE3\x80\x80", "ＡＢ", "，",
		"\xF0\x9F\x98\x80" /* U+1F600 */, "\xF0\xA0\x80\x80", "型号EC-3947",
		"\xE4\xB8\x80", "\xE9\xBE\xA5", "\xEA\xB0\x80" /* U+AC00 */,
	};
	static const char *fillers[] = {"x", "数", "\xC3\xA9", " "};
	/* converted: two traditional, one 4-byte; not: U+F900 (no
	 * compatibility ideograph is listed) and a simplified one */
	static const char *odd[] = {"務", "體", "\xF0\x9F\x98\x80", "\xEF\xA4\x80", "数"};
	char in[256];
	unsigned seed = 4242;
	int conv = 0;

	for (int iter = 0; iter < 50000; iter++) {
		size_t len = 0, target;

		seed = seed * 1103515245u + 12345u;
		target = (seed >> 8) % 120;
		while (len < target) {
			const char *p;
			size_t pl;

			seed = seed * 1103515245u + 12345u;
			/* mostly plain pieces, so that many texts convert nothing */
			p = pieces[(seed >> 8) % ((seed >> 20) % 4 ? 10 : N_ELEMS(pieces))];
			pl = strlen(p);
			if (len + pl > target)
				break;
			memcpy(in + len, p, pl);
			len += pl;
		}
		int want = dts__needs_t2s(in, len, 1);

		conv += want;
		ck_assert_msg(dts__needs_t2s(in, len, 0) == want, "iteration %d (%zu bytes)",
			      iter, len);
	}
	ck_assert_int_gt(conv, 1000);
	ck_assert_int_lt(conv, 49000);
	for (size_t o = 0; o < N_ELEMS(odd); o++)
		for (size_t fi = 0; fi < N_ELEMS(fillers); fi++)
			for (size_t at = 0; at < 48; at++)
				for (size_t after = 0; after < 20; after += 3) {
					size_t len = 0, fl = strlen(fillers[fi]);

					while (len + fl <= at) {
						memcpy(in + len, fillers[fi], fl);
						len += fl;
					}
					memcpy(in + len, odd[o], strlen(odd[o]));
					len += strlen(odd[o]);
					for (size_t k = 0; k < after; k++)
						in[len++] = 'q';
					ck_assert_int_eq(dts__needs_t2s(in, len, 0),
							 dts__needs_t2s(in, len, 1));
					ck_assert_int_eq(dts__needs_t2s(in, len, 0), o < 3);
				}
}
END_TEST

static Suite *field_suite(void)
{
	Suite *s = suite_create("field");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_table_round_trip);
	tcase_add_test(tc, test_table_values);
	tcase_add_test(tc, test_lookup_is_strict);
	tcase_add_loop_test(tc, test_alias_table, 0, (int)N_ELEMS(alias_cases));
	tcase_add_test(tc, test_alias_unknown);
	tcase_add_test(tc, test_alias_length_bounded);
	tcase_add_loop_test(tc, test_normalize_table, 0,
			    (int)N_ELEMS(norm_cases));
	tcase_add_test(tc, test_normalize_errors);
	tcase_add_test(tc, test_normalize_not_terminated);
	tcase_add_test(tc, test_normalize_invalid_utf8_copied);
	tcase_add_test(tc, test_flow_parse);
	tcase_add_test(tc, test_value_parse);
	tcase_add_test(tc, test_fold_lower);
	tcase_add_test(tc, test_fold_lower_blocks);
	tcase_add_loop_test(tc, test_utf8_table, 0, (int)N_ELEMS(utf8_cases));
	tcase_add_test(tc, test_utf8_all_code_points);
	tcase_add_loop_test(tc, test_normalize_random, 0, DTS_F_COUNT);
	tcase_add_test(tc, test_normalize_idempotent);
	tcase_add_test(tc, test_fullwidth_fold_matches_icu_nfkc);
	tcase_add_test(tc, test_fold_at_every_offset);
	tcase_add_loop_test(tc, test_text_t2s, 0, (int)N_ELEMS(t2s_cases));
	tcase_add_loop_test(tc, test_text_fold_inplace, 0,
			    (int)N_ELEMS(inplace_cases));
	tcase_add_test(tc, test_trad_set_matches_opencc);
	tcase_add_test(tc, test_needs_t2s_fast_same_as_ref);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(field_suite());
}
