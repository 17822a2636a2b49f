/*
 * test_classifier.c — holds the default classifier (classifiers/cn-digital-trade.xml)
 * to the public code lists and to the hand-labelled records in tests/data:
 *   (a) every EBOPS 2010 code alone is digitally delivered (TECH SERV PROD DATA)
 *       exactly when it lies in SF SG SH SI SJ SK, and NONE otherwise;
 *   (b) each cross-border e-commerce supervision mode gives CBEC for every HS
 *       chapter, both flows; the contrast modes 0110 and 1039 give NONE; an
 *       import under the export-only modes 9710 / 9810, and only that, is sent
 *       to review as flow-mode-conflict;
 *   (c) every HS 2022 subheading with its own description under general trade
 *       (0110), and without any mode, is NONE;
 *   (d) the labelled set: top-level and leaf accuracy printed, fails below 95%.
 *   (e) the independent labelled set: the same, fails below 90% (out-of-sample).
 *   (f) the wave-2 set (fails below 95%) and the traditional-Chinese versions of
 *       the five sets (each within one point of its simplified set);
 *   (g) waves 3 and 4: at most 10% sent to review, at least 98% right among the
 *       rest (dts_scanner_evidence's review reason), 95% top-level.
 * The classifier path is argv[1] when given, else the source tree's file.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

#ifndef DTS_SRCDIR
#define DTS_SRCDIR "."
#endif

static const char *classifier_path = DTS_SRCDIR "/classifiers/cn-digital-trade.xml";
static dts_rules *R;
static dts_scanner *S;

static void setup(void)
{
	char buf[2048];
	const char *paths[1] = { classifier_path };

	if (dts_rules_compile(&R, paths, 1, NULL) < 0)
		ck_abort_msg("cannot load %s: %s", classifier_path,
			     dts_error_format(buf, sizeof(buf)));
	ck_assert_int_eq(dts_scanner_new(&S, R, 0), 0);
}

static void teardown(void)
{
	dts_scanner_free(S);
	dts_rules_free(R);
	S = NULL;
	R = NULL;
}

/* Classify a record given as up to 4 (field, value) pairs; NULL field ends. */
static dts_result classify(int f1, const char *v1, int f2, const char *v2,
			   int f3, const char *v3, int f4, const char *v4)
{
	dts_value vals[4];
	size_t n = 0;
	int fs[4] = { f1, f2, f3, f4 };
	const char *vs[4] = { v1, v2, v3, v4 };
	dts_result res;

	for (size_t i = 0; i < 4; i++) {
		if (fs[i] < 0)
			break;
		vals[n].field = fs[i];
		vals[n].data = vs[i];
		vals[n].len = strlen(vs[i]);
		n++;
	}
	ck_assert_int_eq(dts_scanner_classify(&res, S, vals, n), 0);
	return res;
}

/* Top-level code of a category: the part before the first '.'. */
static void top_of(char *out, size_t cap, const char *cat)
{
	size_t n = strcspn(cat, ".");

	if (n >= cap)
		n = cap - 1;
	memcpy(out, cat, n);
	out[n] = '\0';
}

static int is_dd(const char *top)
{
	return !strcmp(top, "TECH") || !strcmp(top, "SERV") ||
	       !strcmp(top, "PROD") || !strcmp(top, "DATA");
}

static dts_csv *open_data(const char *name)
{
	char path[1024];
	dts_csv *r = NULL;

	snprintf(path, sizeof(path), "%s/tests/data/%s", DTS_SRCDIR, name);
	ck_assert_msg(dts_csv_open_file(&r, path, NULL) == 0, "cannot open %s", path);
	return r;
}

static int column(const dts_csv *r, const char *name)
{
	const char *const *names;
	size_t n = dts_csv_header(r, &names);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	ck_abort_msg("no column %s", name);
	return -1;
}

START_TEST(ebops_codes_alone)
{
	dts_csv *r = open_data("ebops2010.csv");
	int ccode = column(r, "code");
	dts_csv_row row;
	size_t n = 0, bad = 0;

	while (dts_csv_next(&row, r) == 1) {
		const char *code = row.fields[ccode];
		char lower[32], top[16];
		int deliverable = strlen(code) >= 2 && code[1] >= 'F' && code[1] <= 'K';
		dts_result a, b;
		size_t i;

		a = classify(DTS_F_EBOPS_CODE, code, -1, NULL, -1, NULL, -1, NULL);
		for (i = 0; code[i] && i + 1 < sizeof(lower); i++)
			lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
		lower[i] = '\0';
		b = classify(DTS_F_EBOPS_CODE, lower, -1, NULL, -1, NULL, -1, NULL);
		top_of(top, sizeof(top), a.category);
		n++;
		if (is_dd(top) != deliverable || (!deliverable && strcmp(top, "NONE")) ||
		    strcmp(a.category, b.category) ||
		    (deliverable && (a.base != DTS_BASE_SERVICES || !a.delivered))) {
			fprintf(stderr, "EBOPS %s -> %s (rule %s, base %d, delivered %d); %s -> %s\n",
				code, a.category, a.rule, (int)a.base, a.delivered, lower, b.category);
			bad++;
		}
	}
	dts_csv_free(r);
	printf("EBOPS 2010: %zu codes, %zu wrong\n", n, bad);
	ck_assert_uint_gt(n, 70);
	ck_assert_uint_eq(bad, 0);
}
END_TEST

/* HS chapters (level 2) except 99 and TOTAL, into chapters[][3]. */
static size_t hs_chapters(char chapters[][3], size_t cap)
{
	dts_csv *r = open_data("hs2022.csv");
	int ccode = column(r, "hscode"), clevel = column(r, "level");
	dts_csv_row row;
	size_t n = 0;

	while (dts_csv_next(&row, r) == 1) {
		const char *c = row.fields[ccode];

		if (strcmp(row.fields[clevel], "2") || strlen(c) != 2 || !strcmp(c, "99"))
			continue;
		if (n < cap) {
			memcpy(chapters[n], c, 3);
			n++;
		}
	}
	dts_csv_free(r);
	return n;
}

START_TEST(cbec_modes_every_chapter)
{
	static char chapters[128][3];
	size_t nch = hs_chapters(chapters, 128);
	dts_csv *r = open_data("cbec-trade-modes.csv");
	int ccode = column(r, "code"), ccbec = column(r, "cbec");
	static const char *const flows[] = { "X", "M", "出口", "进口" };
	dts_csv_row row;
	size_t modes = 0, contrast = 0, bad = 0;

	ck_assert_uint_ge(nch, 96);
	while (dts_csv_next(&row, r) == 1) {
		const char *mode = row.fields[ccode];
		int cbec = row.fields[ccbec][0] != '\0';

		cbec ? modes++ : contrast++;
		for (size_t i = 0; i < nch; i++) {
			for (size_t f = 0; f < 4; f++) {
				dts_result res = classify(DTS_F_TRADE_MODE, mode, DTS_F_HS_CODE, chapters[i],
							  DTS_F_FLOW, flows[f], -1, NULL);
				char top[16];
				int ok;

				dts_evidence ev;
				int export_only = !strcmp(mode, "9710") || !strcmp(mode, "9810");
				int import = f == 1 || f == 3;

				ev.version = DTS_EVIDENCE_VERSION;
				top_of(top, sizeof(top), res.category);
				ok = cbec ? !strcmp(top, "CBEC") && res.base == DTS_BASE_GOODS && res.ordered
					  : !strcmp(top, "NONE") && res.base == DTS_BASE_GOODS;
				/* an import under an export-only mode: kept, sent to review */
				ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
				if ((export_only && import) !=
				    (ev.review && !strcmp(ev.review, "flow-mode-conflict")))
					ok = 0;
				if (!ok) {
					if (bad < 20)
						fprintf(stderr, "mode %s HS %s flow %s -> %s (%s)\n", mode,
							chapters[i], flows[f], res.category, res.rule);
					bad++;
				}
			}
		}
	}
	dts_csv_free(r);
	printf("trade modes: %zu CBEC and %zu contrast modes x %zu chapters x 4 flows, %zu wrong\n",
	       modes, contrast, nch, bad);
	ck_assert_uint_eq(modes, 5);
	ck_assert_uint_eq(bad, 0);
}
END_TEST

START_TEST(hs_subheadings_general_trade)
{
	dts_csv *r = open_data("hs2022.csv");
	int ccode = column(r, "hscode"), cdesc = column(r, "description"),
	    clevel = column(r, "level");
	dts_csv_row row;
	size_t n = 0, bad = 0;

	while (dts_csv_next(&row, r) == 1) {
		const char *c = row.fields[ccode], *d = row.fields[cdesc];
		dts_result a, b;

		if (strcmp(row.fields[clevel], "6") || strlen(c) != 6 || !strcmp(c, "999999"))
			continue;
		n++;
		a = classify(DTS_F_TRADE_MODE, "0110", DTS_F_HS_CODE, c, DTS_F_DESCRIPTION, d, -1, NULL);
		b = classify(DTS_F_HS_CODE, c, DTS_F_DESCRIPTION, d, -1, NULL, -1, NULL);
		if (strncmp(a.category, "NONE", 4) || strncmp(b.category, "NONE", 4) ||
		    a.base != DTS_BASE_GOODS || b.base != DTS_BASE_GOODS) {
			if (bad < 20)
				fprintf(stderr, "HS %s \"%s\" -> %s (%s) / no mode %s (%s)\n", c, d,
					a.category, a.rule, b.category, b.rule);
			bad++;
		}
	}
	dts_csv_free(r);
	printf("HS 2022: %zu subheadings, %zu wrong\n", n, bad);
	ck_assert_uint_gt(n, 5000);
	ck_assert_uint_eq(bad, 0);
}
END_TEST

/*
 * Score one labelled file: returns the record count, sets *top_acc and *leaf_acc
 * (percent) and prints each miss as "id: expected X, got Y (rule R)".
 */
/* Of the last score_labelled(): records sent to review, and of the others
   how many are right at top level (dts_scanner_evidence's review reason). */
static size_t last_review, last_rest, last_rest_ok;

static size_t score_labelled(const char *name, double *top_acc, double *leaf_acc)
{
	dts_csv *r = open_data(name);
	const char *const *names;
	size_t ncols = dts_csv_header(r, &names);
	int fields[64];
	int ctop = column(r, "expect_top"), cleaf = column(r, "expect_leaf"), cid = column(r, "id");
	dts_csv_row row;
	size_t n = 0, top_ok = 0, nleaf = 0, leaf_ok = 0;

	ck_assert_uint_le(ncols, 64);
	last_review = last_rest = last_rest_ok = 0;
	for (size_t i = 0; i < ncols; i++)
		fields[i] = dts_field_lookup(names[i]);
	while (dts_csv_next(&row, r) == 1) {
		dts_value vals[64];
		size_t nv = 0;
		dts_result res;
		char top[16];
		int top_hit;

		for (size_t i = 0; i < row.nfields && i < ncols; i++) {
			if (fields[i] < 0 || row.lens[i] == 0)
				continue;
			vals[nv].field = fields[i];
			vals[nv].data = row.fields[i];
			vals[nv].len = row.lens[i];
			nv++;
		}
		ck_assert_int_eq(dts_scanner_classify(&res, S, vals, nv), 0);
		top_of(top, sizeof(top), res.category);
		n++;
		top_hit = !strcmp(top, row.fields[ctop]);
		top_ok += (size_t)top_hit;
		{
			dts_evidence ev;

			ev.version = DTS_EVIDENCE_VERSION;

			ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
			if (ev.review) {
				last_review++;
			} else {
				last_rest++;
				last_rest_ok += (size_t)top_hit;
			}
		}
		if (!top_hit)
			printf("  %s top miss %s: expected %s, got %s (rule %s)\n", name,
			       row.fields[cid], row.fields[ctop], res.category, res.rule);
		if (!row.fields[cleaf][0])
			continue;
		nleaf++;
		if (!strcmp(res.category, row.fields[cleaf]))
			leaf_ok++;
		else if (top_hit)
			printf("  %s leaf miss %s: expected %s, got %s (rule %s)\n", name,
			       row.fields[cid], row.fields[cleaf], res.category, res.rule);
	}
	dts_csv_free(r);
	*top_acc = n ? 100.0 * (double)top_ok / (double)n : 0.0;
	*leaf_acc = nleaf ? 100.0 * (double)leaf_ok / (double)nleaf : 0.0;
	printf("%s: %zu records; top-level accuracy %.1f%% (%zu/%zu); "
	       "leaf accuracy %.1f%% (%zu/%zu with a leaf); "
	       "sent to review %zu (%.1f%%), right among the rest %zu/%zu\n",
	       name, n, *top_acc, top_ok, n, *leaf_acc, leaf_ok, nleaf, last_review,
	       n ? 100.0 * (double)last_review / (double)n : 0.0, last_rest_ok, last_rest);
	fflush(stdout);
	return n;
}

START_TEST(labelled_set)
{
	double top_acc, leaf_acc;
	size_t n = score_labelled("labelled.csv", &top_acc, &leaf_acc);

	ck_assert_uint_ge(n, 500);
	ck_assert_msg(top_acc >= 95.0, "top-level accuracy %.1f%% below 95%%", top_acc);
}
END_TEST

/*
 * The independent set (tests/data/labelled-independent.csv, see
 * README-independent.md) was labelled from docs/classification.md alone, without
 * reading the rules or labelled.csv: it is out-of-sample, so it measures how the
 * rules generalise rather than how well they fit their author's own examples.
 * Its threshold is therefore lower than the 95% of labelled_set: 90% top-level.
 */
START_TEST(labelled_independent)
{
	double top_acc, leaf_acc;
	size_t n = score_labelled("labelled-independent.csv", &top_acc, &leaf_acc);

	ck_assert_uint_ge(n, 300);
	ck_assert_msg(top_acc >= 90.0, "independent set: top-level accuracy %.1f%% below 90%%",
		      top_acc);
}
END_TEST

/*
 * The wave-2 set (README-wave2.md: 400 records labelled blind; its first run,
 * before any change for it, scored 77.5% top-level) is in-sample since the
 * fixes of issue 14, so its floor guards against regressions: 95% top-level.
 * Each traditional-Chinese version (the set through OpenCC s2twp,
 * tests/data/README.md) must score within one point of its simplified set.
 */
START_TEST(labelled_wave2_and_traditional)
{
	/* floor: the top-level accuracy the set must keep (0: none). Wave 5
	 * was out of sample for round 3 at 91.9% (docs/evaluation.md §6),
	 * wave 6 for round 4 at 93.6% (§8), wave 7 for round 4 at 95.7%
	 * (§9), wave 8 for round 5 at 94.5% (§12); each is in-sample since
	 * the next round (§7, §10, §11) and its floor guards against
	 * regressions. Wave 9 was out of sample for round 6 at 91.4% (§12,
	 * labelled-wave9-first-run.txt) and is in-sample since round 7
	 * (§13: 97.2%). Wave 10 was out of sample for round 7 at 92.1% (§14,
	 * labelled-wave10-first-run.txt) and is in-sample since round 8
	 * (§15: 96.2%). Wave 11 was out of sample for round 8 at 90.6%
	 * (§16, labelled-wave11-first-run.txt); its floor is that first run.
	 * Waves 12 and 13 (two writers) were out of sample for round 8 at
	 * 95.2% each and for round 9 with the model at 95.4% and 96.3% (§19,
	 * labelled-wave1[23]-first-run.txt, -round9-model.txt); floor 95.
	 * Waves 14 and 15 were out of sample for round 9 at 93.8% and 95.6%
	 * (§21), wave 16 for round 10 at 91.5% (§22, first-run files); all
	 * three are in-sample since rounds 10 and 11 (96.0%, 97.6%, 96.8%).
	 * Wave 17 was out of sample for round 11 at 93.4% (§23), in-sample
	 * since round 12 (98.0%). Wave 18 was out of sample for round 12 at
	 * 98.5% (§24); its floor is a point below that first run. */
	static const struct { const char *set, *tw; double floor; } sets[] = {
		{"labelled.csv", "labelled-tw.csv", 0},
		{"labelled-independent.csv", "labelled-independent-tw.csv", 0},
		{"labelled-wave2.csv", "labelled-wave2-tw.csv", 95.0},
		{"labelled-wave3.csv", "labelled-wave3-tw.csv", 0},
		{"labelled-wave4.csv", "labelled-wave4-tw.csv", 0},
		{"labelled-wave5.csv", "labelled-wave5-tw.csv", 98.0},
		{"labelled-wave6.csv", "labelled-wave6-tw.csv", 98.5},
		{"labelled-wave7.csv", "labelled-wave7-tw.csv", 97.5},
		{"labelled-wave8.csv", "labelled-wave8-tw.csv", 99.0},
		{"labelled-wave9.csv", "labelled-wave9-tw.csv", 97.0},
		{"labelled-wave10.csv", "labelled-wave10-tw.csv", 96.0},
		{"labelled-wave11.csv", "labelled-wave11-tw.csv", 90.0},
		{"labelled-wave12.csv", "labelled-wave12-tw.csv", 95.0},
		{"labelled-wave13.csv", "labelled-wave13-tw.csv", 95.0},
		{"labelled-wave14.csv", "labelled-wave14-tw.csv", 95.0},
		{"labelled-wave15.csv", "labelled-wave15-tw.csv", 96.5},
		{"labelled-wave16.csv", "labelled-wave16-tw.csv", 95.5},
		{"labelled-wave17.csv", "labelled-wave17-tw.csv", 96.5},
		{"labelled-wave18.csv", "labelled-wave18-tw.csv", 97.5},
	};
	double top, leaf, top_tw, leaf_tw;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		size_t n = score_labelled(sets[i].set, &top, &leaf);
		size_t n_tw = score_labelled(sets[i].tw, &top_tw, &leaf_tw);

		ck_assert_uint_eq(n, n_tw);
		ck_assert_msg(top_tw >= top - 1.0,
			      "%s: top-level %.1f%%, more than one point below %s (%.1f%%)",
			      sets[i].tw, top_tw, sets[i].set, top);
		ck_assert_msg(top >= sets[i].floor, "%s: top-level accuracy %.1f%% below %.1f%%",
			      sets[i].set, top, sets[i].floor);
	}
}
END_TEST

/*
 * Waves 3 to 9 (README-wave3.md ... README-wave9.md) were blind when first
 * scored (docs/evaluation.md §3, §4, §6, §8, §9, §11, §12) and are in-sample
 * since rounds 2 to 7: their floors guard the review the bar asks for
 * against regressions: at most 10% sent to review, at least 98% right among
 * the rest, 95% top-level.
 */
START_TEST(labelled_wave3_wave4_review)
{
	static const char *const sets[] = {"labelled-wave3.csv", "labelled-wave4.csv",
					   "labelled-wave5.csv", "labelled-wave6.csv",
					   "labelled-wave7.csv", "labelled-wave8.csv",
					   "labelled-wave9.csv"};
	double top, leaf;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		size_t n = score_labelled(sets[i], &top, &leaf);

		ck_assert_uint_ge(n, 300);
		ck_assert_msg(top >= 95.0, "%s: top-level accuracy %.1f%% below 95%%", sets[i], top);
		ck_assert_msg(10 * last_review <= n, "%s: %zu of %zu sent to review, over 10%%",
			      sets[i], last_review, n);
		ck_assert_msg(100 * last_rest_ok >= 98 * last_rest,
			      "%s: %zu of %zu right among the records not sent to review, below 98%%",
			      sets[i], last_rest_ok, last_rest);
	}
}
END_TEST

/*
 * Round 4 (docs/evaluation.md §7): a deliverable EBOPS code with no
 * description is confident (combining row 1b), the same code with a text
 * no rule reads stays code-only; a typo of a four-character term is read
 * with review fuzzy-term, and a text no rule reads is not.
 */
START_TEST(bare_codes_and_typos)
{
	static const char *const typos[][2] = {
		{"数剧标注", "DATA.SERVICE"},
		{"动慢制作（２６集）", "PROD.ANIMATION"},
		{"软见开发外包", "TECH.SOFTWARE"},
		{"手机游喜海外发行", "PROD.GAME"},
	};
	static const char *const codes[] = {"SI21", "SJ211", "SK21", "SF11", "SH3"};
	dts_evidence ev = {0};
	dts_result r;

	ev.version = DTS_EVIDENCE_VERSION;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		r = classify(DTS_F_EBOPS_CODE, codes[i], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
		ck_assert_msg(ev.review == NULL, "%s alone: review %s", codes[i], ev.review);
		ck_assert_int_eq(r.delivered, 1);
		classify(DTS_F_EBOPS_CODE, codes[i], DTS_F_DESCRIPTION, "见合同附件", -1, NULL, -1, NULL);
		ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
		ck_assert_str_eq(ev.review, "code-only");
	}
	for (size_t i = 0; i < sizeof(typos) / sizeof(typos[0]); i++) {
		r = classify(DTS_F_DESCRIPTION, typos[i][0], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
		ck_assert_msg(!strcmp(r.category, typos[i][1]) && ev.review &&
			      !strcmp(ev.review, "fuzzy-term"),
			      "%s -> %s review %s", typos[i][0], r.category,
			      ev.review ? ev.review : "(none)");
	}
	/* no rule decides: the rules alone leave it NONE in review no-evidence;
	 * the shipped classifier then asks its model M1 */
	{
		dts_scanner *bare = NULL;
		dts_value v = {DTS_F_DESCRIPTION, "某某公司年度合同款项结算说明",
			       strlen("某某公司年度合同款项结算说明")};

		ck_assert_int_eq(dts_scanner_new(&bare, R, DTS_SCAN_NO_MODEL), 0);
		ck_assert_int_eq(dts_scanner_classify(&r, bare, &v, 1), 0);
		ck_assert_int_eq(dts_scanner_evidence(&ev, bare), 0);
		ck_assert_str_eq(ev.review, "no-evidence");
		ck_assert_str_eq(r.category, "NONE");
		dts_scanner_free(bare);
	}
	r = classify(DTS_F_DESCRIPTION, "某某公司年度合同款项结算说明", -1, NULL, -1, NULL, -1, NULL);
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(r.rule, "M1");
	ck_assert_ptr_nonnull(strstr(ev.combine, "model M1"));
}
END_TEST

/*
 * Round 5 (docs/evaluation.md §10; decisions D32-D36), one case per class
 * of wording, none copied from a labelled set: a topic word joined to a
 * customer noun does not decide; a system of a named kind built to order is
 * software; an online word naming how the service was ordered is not
 * remote delivery; Taiwan and Hong Kong words tw2sp keeps reach the rules.
 */
START_TEST(round5_classes)
{
	static const char *const cases[][2] = {
		{"为游戏工作室提供税务咨询", "SERV.BUSINESS"},
		{"为动画公司提供云服务器托管", "TECH.CLOUD"},
		{"人工智能企业员工团体医疗保险", "SERV.INSURANCE"},
		{"连锁药店CRM系统定制开发", "TECH.SOFTWARE"},
		{"为物流企业开发一套WMS", "TECH.SOFTWARE"},
		{"Customisation of an ERP for a textile mill", "TECH.SOFTWARE"},
		{"网上预约的线下体检服务", "NONE.SERVICES"},
		{"手機應用程式外判開發（香港）", "TECH.SOFTWARE"},
		{"人臉辨識API呼叫", "TECH.AI"},
		{"線上諮商（青少年）", "SERV.HEALTH"},
		{"行動支付通道手續費", "SERV.FINANCE"},
		{"码头装卸费", "NONE.SERVICES"},
	};
	dts_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = classify(DTS_F_DESCRIPTION, cases[i][0], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_msg(!strcmp(r.category, cases[i][1]), "%s -> %s, want %s",
			      cases[i][0], r.category, cases[i][1]);
	}
}
END_TEST

/*
 * Round 6 (docs/evaluation.md §11; decisions D37-D41), one case per class
 * of wording, none copied from a labelled set: digital services named in
 * the EBOPS / NBS item texts; a content revenue share is the content; the
 * service sold, not the topic; spelt-out letters; 'on site' with a space.
 */
START_TEST(round6_classes)
{
	static const char *const cases[][2] = {
		{"Remote server monitoring for a logistics firm", "TECH.IT"},
		{"道路图像多边形标注", "DATA.SERVICE"},
		{"Distance learning module fees for overseas students", "SERV.EDUCATION"},
		{"品牌在Instagram上的推广费", "PROD.ADVERTISING"},
		{"度假村预订网站的佣金收入", "SERV.PLATFORM"},
		{"反洗钱合规咨询（券商）", "SERV.BUSINESS"},
		{"视频平台版税分成（纪录片）", "PROD.AV"},
		{"为连锁酒店开发会员平台", "TECH.SOFTWARE"},
		{"外派人员团体意外险", "SERV.INSURANCE"},
		{"为研究所提供GPU卡时", "TECH.CLOUD"},
		{"授权海外电视台播出国产纪录片", "PROD.AV"},
		{"远程协助配置门店交换机", "TECH.IT"},
		{"S a a S 年费", "TECH.SOFTWARE"},
	};
	dts_evidence ev = {0};
	dts_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = classify(DTS_F_DESCRIPTION, cases[i][0], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_msg(!strcmp(r.category, cases[i][1]), "%s -> %s, want %s",
			      cases[i][0], r.category, cases[i][1]);
	}
	r = classify(DTS_F_EBOPS_CODE, "SJ35", DTS_F_DESCRIPTION,
		     "Inspection with the inspector on site at the mill", -1, NULL, -1, NULL);
	ck_assert_str_eq(r.category, "NONE.SERVICES");
	ck_assert_int_eq(r.delivered, 0);
	/* a typo behind an online word: only the no-leaf fallback matched */
	ev.version = DTS_EVIDENCE_VERSION;
	r = classify(DTS_F_DESCRIPTION, "在线语音转泻", -1, NULL, -1, NULL, -1, NULL);
	ck_assert_int_eq(dts_scanner_evidence(&ev, S), 0);
	ck_assert_str_eq(r.category, "DATA.SERVICE");
	ck_assert_str_eq(ev.review, "fuzzy-term");
}
END_TEST

/*
 * Round 7 (docs/evaluation.md §13; decisions D42-D44), one case per class
 * of wording, none copied from a labelled set: English service vocabulary
 * of the EBOPS 2010 / CPC 2.1 items; the service sold, not the customer's
 * trade; marketplaces by name, Ozon as a whole word only.
 */
START_TEST(round7_classes)
{
	static const char *const cases[][2] = {
		{"Load testing of an airline booking engine, run remotely", "TECH.IT"},
		{"Wildcard SSL certificate renewal for an online shop", "TECH.IT"},
		{"IT help desk for a retail chain, 120 seats", "TECH.IT"},
		{"Transcription of recorded interviews for a research firm", "DATA.SERVICE"},
		{"Escrow fees on an export contract", "SERV.FINANCE"},
		{"TOEFL preparation course by video", "SERV.EDUCATION"},
		{"远程病理切片第二诊疗意见", "SERV.HEALTH"},
		{"Subscriptions to our scholarly journal for a university library", "PROD.PUBLISHING"},
		{"预留实例三年期费用", "TECH.CLOUD"},
		{"为电商平台提供短信验证码通道", "TECH.TELECOM"},
		{"授权饮料厂商使用赛事吉祥物", "SERV.IP"},
		{"为游戏开发商提供海外客服外包", "SERV.BUSINESS"},
		{"为跨境电商卖家办理德国VAT税号注册", "SERV.BUSINESS"},
		{"为游戏公司录制英文配音", "PROD.AV"},
		{"为物流企业提供仓储管理系统许可", "TECH.SOFTWARE"},
		{"跨境电商智能客服大模型部署", "TECH.AI"},
		{"通过Mercado Libre销往智利的手机壳", "CBEC.OTHER"},
		{"Coupang 平台 卖家佣金", "SERV.PLATFORM"},
		{"Software maintenance and support, remote patches and helpdesk", "TECH.SOFTWARE"},
	};
	dts_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = classify(DTS_F_DESCRIPTION, cases[i][0], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_msg(!strcmp(r.category, cases[i][1]), "%s -> %s, want %s",
			      cases[i][0], r.category, cases[i][1]);
	}
	/* ozone is not the Ozon marketplace */
	r = classify(DTS_F_DESCRIPTION, "ozone therapy apparatus", -1, NULL, -1, NULL, -1, NULL);
	ck_assert_str_ne(r.category, "CBEC.OTHER");
}
END_TEST

/*
 * Round 8 (docs/evaluation.md §15; decisions D45-D47), one case per family
 * of wording, none copied from a labelled set: in-game purchases,
 * audiovisual and music licensing, insurance lines, compute rental,
 * tele-X health services, blockchain and data work; "definition" is not
 * DeFi and a supply chain is not a blockchain.
 */
START_TEST(round8_classes)
{
	static const char *const cases[][2] = {
		{"Gacha and in-game currency sales, mobile RPG", "PROD.GAME"},
		{"TVOD window for a feature film, Southeast Asia", "PROD.AV"},
		{"Mechanical royalties collected abroad on streamed tracks", "PROD.MUSIC"},
		{"Hull and machinery cover for a container ship", "SERV.INSURANCE"},
		{"GPU cluster rented for 2,000 GPU hours", "TECH.CLOUD"},
		{"Telecardiology consultations for patients in Kenya", "SERV.HEALTH"},
		{"联盟链节点部署与跨链接入", "TECH.IT"},
		{"客户主数据去重与补全", "DATA.SERVICE"},
		{"视频内容人工审核（海外短视频平台）", "DATA.SERVICE"},
		{"缺陷检测机器视觉算法授权", "TECH.AI"},
	};
	dts_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = classify(DTS_F_DESCRIPTION, cases[i][0], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_msg(!strcmp(r.category, cases[i][1]), "%s -> %s, want %s",
			      cases[i][0], r.category, cases[i][1]);
	}
	r = classify(DTS_F_DESCRIPTION, "definition of export controls, legal advice", -1, NULL, -1,
		     NULL, -1, NULL);
	ck_assert_str_ne(r.category, "TECH.IT");
	r = classify(DTS_F_DESCRIPTION, "产业链上下游对接咨询", -1, NULL, -1, NULL, -1, NULL);
	ck_assert_str_ne(r.category, "TECH.IT");
}
END_TEST

/*
 * Round 9 (docs/evaluation.md §17): the EBOPS 2010 / CPC 2.1 items walked one
 * by one, one case per item family, none copied from a labelled set:
 * postal and courier, construction, waste and mining services and embassies
 * are not digital; insurance auxiliaries, underwriting, telephony, IT
 * infrastructure, research and weather services, trade agents and credit
 * reports are; mixing with no film named is music; a web-novel
 * subscription share is publishing; consulting by video conference is not
 * telecom; "graphic design" does not hold "IC design".
 */
START_TEST(round9_classes)
{
	static const char *const cases[][2] = {
		{"international courier charges for document shipments", "NONE.SERVICES"},
		{"油气田钻井技术服务", "NONE.SERVICES"},
		{"embassy and consulate expenditure", "NONE.SERVICES"},
		{"claims adjusting and loss assessment fees, marine", "SERV.INSURANCE"},
		{"承销费（境外债券发行）", "SERV.FINANCE"},
		{"internet backbone transit and peering fees", "TECH.TELECOM"},
		{"IT infrastructure and network management services", "TECH.IT"},
		{"weather forecasting services for shipping routes", "SERV.BUSINESS"},
		{"commission paid to a foreign sales agent", "SERV.BUSINESS"},
		{"企业资信调查报告", "SERV.BUSINESS"},
		{"混音费", "PROD.MUSIC"},
		{"网络小说平台订阅分成", "PROD.PUBLISHING"},
		{"视频会议咨询服务", "SERV.BUSINESS"},
		{"game compatibility testing on 300 devices", "TECH.IT"},
		{"specialty design services, packaging and graphic design", "SERV.BUSINESS"},
	};
	dts_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = classify(DTS_F_DESCRIPTION, cases[i][0], -1, NULL, -1, NULL, -1, NULL);
		ck_assert_msg(!strcmp(r.category, cases[i][1]), "%s -> %s, want %s",
			      cases[i][0], r.category, cases[i][1]);
	}
	/* the typo fallback does not read 外包服务 as a non-digital service (打包服务);
	 * the bare generic word then goes to the model, whose decision is referred */
	r = classify(DTS_F_DESCRIPTION, "外包服务费（印尼客户）", -1, NULL, -1, NULL, -1, NULL);
	ck_assert_str_ne(r.category, "NONE.SERVICES");
	/* a video-conference subscription stays telecom */
	r = classify(DTS_F_DESCRIPTION, "云端视频会议服务订阅", -1, NULL, -1, NULL, -1, NULL);
	ck_assert_str_eq(r.category, "TECH.TELECOM");
}
END_TEST

/*
 * The scanner keeps the last bytes of each short field and their normal
 * form, and takes them again when the next record has the same bytes
 * (scanner.c set_value). Records drawn from small pools, so that fields
 * repeat, differ by a blank, a full-width form or a traditional
 * character, go empty and come back (typos and model-read texts too),
 * classified one after another by one scanner and each by a fresh one:
 * the same results and evidence.
 */
START_TEST(scanner_memo_same_as_fresh)
{
	static const char *const src[] = {"customs", "bop", "survey", " bop", "\xef\xbc\xa2OP", ""};
	static const char *const flow[] = {"X", "M", "\xe5\x87\xba\xe5\x8f\xa3", " x", ""};
	static const char *const mode[] = {"0110", "9610", "9610 ", "\xef\xbc\x99\xef\xbc\x96\xef\xbc\x91\xef\xbc\x90", "1210", ""};
	static const char *const hs[] = {"8523.49", "852349", "8471", "8471.30", ""};
	static const char *const ebops[] = {"SI2", "si2", "SI-2", "SD", ""};
	static const char *const desc[] = {
		"软件开发服务", "軟體授權費", "云服务 SaaS", "软见开发服务", "运计算", "",
		"跨境电商平台佣金", "电动牙刷 型号EY-6522", "旅游住宿 合同号HZ68053572",
	};
	static const char *const deliv[] = {"digital", "physical", "线上交付", "Digital", ""};
	static const char *const chan[] = {"online", "platform", "", "线上"};
	const char *const *pool[] = {src, flow, mode, hs, ebops, desc, deliv, chan};
	const size_t npool[] = {6, 5, 6, 5, 5, 9, 5, 4};
	const int field[] = {DTS_F_SOURCE, DTS_F_FLOW, DTS_F_TRADE_MODE, DTS_F_HS_CODE,
			     DTS_F_EBOPS_CODE, DTS_F_DESCRIPTION, DTS_F_DELIVERY, DTS_F_CHANNEL};
	uint64_t x = 0x9E3779B97F4A7C15ull;
	dts_value vals[8];

	for (int t = 0; t < 3000; t++) {
		dts_result a, b;
		dts_evidence ea = {.version = DTS_EVIDENCE_VERSION}, eb = ea;
		dts_scanner *fresh;

		for (size_t k = 0; k < 8; k++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			/* a field repeats from the record before more often than not */
			if (t && (x >> 60) < 10)
				continue;
			vals[k].field = field[k];
			vals[k].data = pool[k][(x >> 8) % npool[k]];
			vals[k].len = strlen(vals[k].data);
		}
		ck_assert_int_eq(dts_scanner_classify(&a, S, vals, 8), 0);
		ck_assert_int_eq(dts_scanner_new(&fresh, R, 0), 0);
		ck_assert_int_eq(dts_scanner_classify(&b, fresh, vals, 8), 0);
		ck_assert_int_eq(dts_scanner_evidence(&ea, S), 0);
		ck_assert_int_eq(dts_scanner_evidence(&eb, fresh), 0);
		ck_assert_msg(!strcmp(a.rule, b.rule) && !strcmp(a.category, b.category) &&
			      a.base == b.base && a.ordered == b.ordered &&
			      a.delivered == b.delivered && a.platform == b.platform,
			      "record %d: %s %s against %s %s", t, a.rule, a.category, b.rule, b.category);
		ck_assert_msg(!strcmp(ea.review ? ea.review : "", eb.review ? eb.review : "") &&
			      !strcmp(ea.combine, eb.combine),
			      "record %d: evidence '%s' against '%s'", t, ea.combine, eb.combine);
		dts_scanner_free(fresh);
	}
}
END_TEST

START_TEST(examples_pass)
{
	size_t total = 0, failed = 0;

	ck_assert_int_eq(dts_rules_test(&total, &failed, R, NULL, NULL), 0);
	ck_assert_uint_ge(total, 300);
	ck_assert_uint_eq(failed, 0);
}
END_TEST

static Suite *classifier_suite(void)
{
	Suite *s = suite_create("classifier");
	TCase *tc = tcase_create("code lists");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, examples_pass);
	tcase_add_test(tc, scanner_memo_same_as_fresh);
	tcase_add_test(tc, ebops_codes_alone);
	tcase_add_test(tc, cbec_modes_every_chapter);
	tcase_add_test(tc, hs_subheadings_general_trade);
	tcase_add_test(tc, labelled_set);
	tcase_add_test(tc, labelled_independent);
	tcase_add_test(tc, labelled_wave2_and_traditional);
	tcase_add_test(tc, labelled_wave3_wave4_review);
	tcase_add_test(tc, bare_codes_and_typos);
	tcase_add_test(tc, round5_classes);
	tcase_add_test(tc, round6_classes);
	tcase_add_test(tc, round7_classes);
	tcase_add_test(tc, round8_classes);
	tcase_add_test(tc, round9_classes);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		classifier_path = argv[1];
	return dts_test_run(classifier_suite());
}
