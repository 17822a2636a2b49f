/* test_model.c — the model behind the rules: training, the file format,
 * loading errors (file:line), prediction, determinism, tie-breaking, and
 * the <model> element of the rule language. */
#include "check_main.h"
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "model_int.h"

#define V(f, s) { f, s, sizeof(s) - 1 }

typedef struct sbuf {
	char *p;
	size_t len;
} sbuf;

static int to_sbuf(const void *data, size_t len, void *payload)
{
	sbuf *b = payload;
	char *n = realloc(b->p, b->len + len + 1);

	if (!n)
		return DTS_ENOMEM;
	memcpy(n + b->len, data, len);
	b->p = n;
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

static const struct rec {
	const char *desc, *label;
} recs[] = {
	{"云服务器租用费", "TECH.CLOUD"}, {"云主机与云存储服务", "TECH.CLOUD"},
	{"云服务器按月计费", "TECH.CLOUD"}, {"游戏内购道具收入", "PROD.GAME"},
	{"手机游戏道具充值", "PROD.GAME"}, {"游戏道具分成", "PROD.GAME"},
	{"cloud server rental", "TECH.CLOUD"}, {"cloud server hosting", "TECH.CLOUD"},
	{"mobile game in-app purchase", "PROD.GAME"}, {"game in-app items", "PROD.GAME"},
};

/* A model trained on recs in the given order (1 forward, -1 backward). */
static sbuf train(int dir, int kind)
{
	dts_model_train_options o = DTS_MODEL_TRAIN_OPTIONS_INIT;
	dts_model_trainer *t = NULL;
	sbuf b = {0};
	size_t n = sizeof(recs) / sizeof(recs[0]);

	o.kind = kind;
	ck_assert_int_eq(dts_model_trainer_new(&t, &o), 0);
	for (size_t i = 0; i < n; i++) {
		const struct rec *r = &recs[dir > 0 ? i : n - 1 - i];
		dts_value v[2] = {{DTS_F_DESCRIPTION, r->desc, strlen(r->desc)},
				  V(DTS_F_FLOW, "出口")};

		ck_assert_int_eq(dts_model_trainer_add(t, v, 2, r->label), 0);
	}
	ck_assert_int_eq(dts_model_trainer_write(t, to_sbuf, &b), 0);
	dts_model_trainer_free(t);
	return b;
}

START_TEST(test_same_records_same_bytes)
{
	sbuf a = train(1, 0), b = train(-1, 0);

	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.p, b.p, a.len), 0);
	ck_assert(strncmp(a.p, "dts-model 1\nkind cnb\n", 21) == 0);
	ck_assert_ptr_nonnull(strstr(a.p, "c\tPROD.GAME\t5\nc\tTECH.CLOUD\t5\n"));
	ck_assert_ptr_nonnull(strstr(a.p, "f\td2:游戏\t0:3\n"));
	ck_assert(a.len > 5 && !strcmp(a.p + a.len - 4, "end\n"));
	free(a.p);
	free(b.p);
}
END_TEST

static void predicts(int kind)
{
	sbuf b = train(1, kind);
	dts_model *m = NULL;
	dts_model_prediction p;
	/* traditional and full-width: folded as the scanner folds them */
	dts_value v[1] = {V(DTS_F_DESCRIPTION, "雲服務器　ＣＬＯＵＤ")};
	dts_value g[1] = {V(DTS_F_DESCRIPTION, "Game items")};

	ck_assert_int_eq(dts_model_load_buffer(&m, "t.model", b.p, b.len), 0);
	ck_assert_uint_eq(dts_model_class_count(m), 2);
	ck_assert_str_eq(dts_model_class(m, 0), "PROD.GAME");
	ck_assert_ptr_null(dts_model_class(m, 2));
	ck_assert_int_eq(dts_model_predict(&p, m, v, 1), 0);
	ck_assert_str_eq(p.cls[0], "TECH.CLOUD");
	ck_assert(p.prob[0] > 0.5 && p.prob[0] <= 1.0);
	ck_assert(p.prob[0] + p.prob[1] > 0.999 && p.prob[0] + p.prob[1] < 1.001);
	ck_assert_uint_gt(p.nfeatures, 2);
	ck_assert_uint_gt(p.nwhy, 0);
	ck_assert(p.weight[0] > 0);
	ck_assert_int_eq(dts_model_predict(&p, m, g, 1), 0);
	ck_assert_str_eq(p.cls[0], "PROD.GAME");
	dts_model_free(m);
	free(b.p);
}

START_TEST(test_predict_cnb)
{
	predicts(DTS_MODEL_CNB);
}
END_TEST

START_TEST(test_predict_mnb)
{
	predicts(DTS_MODEL_MNB);
}
END_TEST

/* Equal scores: the class first in byte order; no feature: the prior. */
START_TEST(test_ties_first_class)
{
	static const char text[] =
		"dts-model 1\nkind mnb\nalpha 1.000\nmin-count 1\nmin-records 1\nrecords 4\n"
		"classes 2\nc\tB.X\t2\nc\tC.Y\t2\nfeatures 1\nf\tdw:same\t0:1 1:1\nend\n";
	dts_model *m = NULL;
	dts_model_prediction p;
	dts_value v[1] = {V(DTS_F_DESCRIPTION, "same")};

	ck_assert_int_eq(dts_model_load_buffer(&m, "tie.model", text, sizeof(text) - 1), 0);
	ck_assert_int_eq(dts_model_predict(&p, m, v, 1), 0);
	ck_assert_str_eq(p.cls[0], "B.X");
	ck_assert(p.prob[0] == p.prob[1]);
	ck_assert_int_eq(dts_model_predict(&p, m, NULL, 0), 0);
	ck_assert_str_eq(p.cls[0], "B.X");
	ck_assert_uint_eq(p.nfeatures, 0);
	dts_model_free(m);
}
END_TEST

static const struct bad {
	const char *text;
	unsigned line;
	const char *msg;
} bads[] = {
	{"", 0, "empty file"},
	{"dts-model 1\r\n", 1, "CR"},
	{"dts-model 1\n", 1, "ends early"},
	{"dts-model 1\nkind cnb\n", 2, "ends early"},
	{"dts-model 1\nkind cnb\nalpha 0.3000\n", 3, "alpha"},
	{"dts-model 1\nkind cnb\nalpha x.300\n", 3, "alpha"},
	{"dts-model 1\nkind cnb\nalpha 0,300\n", 3, "alpha"},
	{"dts-model 1\nkind cnb\nalpha 0.300\n", 3, "ends early"},
	{"dts-model 1\nkind cnb\nalpha 0.300\nmin-count 1 \n", 4, "min-count"},
	{"dts-model 1\nkind cnb\nalpha 0.300\nmin-countX1\n", 4, "min-count"},
	{"dts-model 1\nkind cnb\nalpha 0.300\nmin-count 99999999999\n", 4, "min-count"},
	{"dts-model 1\nkind cnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 0\n", 6, "above 0"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\n", 8, "ends early"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\n", 8, "RECORDS"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\t\t1\n", 8, "RECORDS"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""x\tA\t1\n", 8, "RECORDS"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t0\n", 8, "RECORDS"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1x\n", 8, "RECORDS"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA B\t1\n", 8, "blank"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tA\t1\n", 9, "out of order"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features x\n", 10, "features"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\ng\td:x\t0:1\nend\n", 11, "expected"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\n", 11, "expected"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:a b\t0:1\nend\n", 11, "TAG:TEXT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\t\t0:1\nend\n", 11, "TAG:TEXT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:\xff\t0:1\nend\n", 11, "TAG:TEXT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\t0:1\nend\n", 11, "TAG:TEXT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 2\nf\td:x\t0:1\nf\td:x\t0:1\nend\n", 12, "out of order"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\t0:0\nend\n", 11, "counts above 0"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\t1:1 0:1\nend\n", 11, "ascending"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\tA:1\nend\n", 11, "CLASS:COUNT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\t0-1\nend\n", 11, "CLASS:COUNT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\t0:1  1:1\nend\n", 11, "CLASS:COUNT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 1\nf\td:x\t0:1,1:1\nend\n", 11, "one space"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n""c\tA\t1\nc\tB\t1\n""features 0\nfin\n", 11, "expected \"end\""},
	{"dts-model 2\n", 1, "unknown model version"},
	{"hello\n", 1, "not a model file"},
	{"dts-model 1\nkind svm\n", 2, "kind"},
	{"dts-model 1\nkind mnb\nalpha 0.3\n", 3, "alpha"},
	{"dts-model 1\nkind mnb\nalpha 0.000\n", 3, "above 0"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count x\n", 4, "min-count"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 1\n", 7, "at least 2"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tB\t1\nc\tA\t1\n", 9, "out of order"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tA\t1\nc\tB\t1\nfeatures 1\nf\tnocolon\t0:1\nend\n", 11, "TAG:TEXT"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tA\t1\nc\tB\t1\nfeatures 1\nf\td:x\t2:1\nend\n", 11, "in range"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tA\t1\nc\tB\t1\nfeatures 2\nf\td:y\t0:1\nf\td:x\t1:1\nend\n", 12, "out of order"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tA\t1\nc\tB\t1\nfeatures 2\nf\td:x\t0:1\n", 11, "ends before"},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tA\t1\nc\tB\t1\nfeatures 0\n", 10, "no \"end\""},
	{"dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 2\nclasses 2\n"
	 "c\tA\t1\nc\tB\t1\nfeatures 0\nend\nmore\n", 12, "after \"end\""},
};

/* The class scores worked out the plain way: the prior, then every known
 * feature's weights added class by class (what dts__model_sums does two
 * classes at a time). */
typedef struct ref_acc {
	const dts_model *m;
	double s[DTS_MODEL_MAX_CLASSES];
	size_t known;
} ref_acc;

/* ... and the key looked up by its bytes alone: the hash the features
 * give with it must be its dts__fnv. */
static void ref_add(const char *key, size_t len, uint64_t hash, void *payload)
{
	ref_acc *A = payload;
	long f = dts__model_find(A->m, key, len);

	ck_assert_msg(hash == dts__fnv(key, len), "feature %s: hash", key);

	if (f < 0)
		return;
	for (size_t c = 0; c < A->m->ncls; c++)
		A->s[c] += A->m->w[(size_t)f * A->m->ncls + c];
	A->known++;
}

/*
 * The halves the scanner's disagreement check uses against the whole and
 * the plain sums, on the shipped model (29 classes: pairs and a last one):
 * the same doubles, the same best class, the same prediction with and
 * without the weighing features.
 */
START_TEST(test_score_halves_same_as_whole)
{
	static const char *const descs[] = {
		"云服务器租用费", "軟體授權費 SaaS", "游戏内购道具收入", "cloud server hosting",
		"跨境电商平台佣金", "旅游住宿 合同号HZ68053572", "电动牙刷 型号EY-6522",
		"数据标注服务", "mobile game in-app purchase", "广告投放 推广费", "", "x",
	};
	static const char *const chans[] = {"", "online", "platform", "线上"};
	static const char *const codes[] = {"", "SI2", "SD", "8523", "9610"};
	dts_model *m = NULL;

	ck_assert_int_eq(dts_model_load(&m, DTS_SRCDIR "/classifiers/cn-digital-trade.model"), 0);
	for (size_t d = 0; d < sizeof(descs) / sizeof(*descs); d++)
		for (size_t c = 0; c < 4; c++)
			for (size_t k = 0; k < 5; k++) {
				const char *txt[DTS_F_COUNT];
				size_t len[DTS_F_COUNT], known;
				double sums[DTS_MODEL_MAX_CLASSES];
				ref_acc A = {m, {0}, 0};
				dts_model_prediction whole, half;

				for (int f = 0; f < DTS_F_COUNT; f++) {
					txt[f] = "";
					len[f] = 0;
				}
				txt[DTS_F_DESCRIPTION] = descs[d];
				len[DTS_F_DESCRIPTION] = strlen(descs[d]);
				txt[DTS_F_CHANNEL] = chans[c];
				len[DTS_F_CHANNEL] = strlen(chans[c]);
				txt[k == 4 ? DTS_F_TRADE_MODE : k == 3 ? DTS_F_HS_CODE : DTS_F_EBOPS_CODE] = codes[k];
				len[k == 4 ? DTS_F_TRADE_MODE : k == 3 ? DTS_F_HS_CODE : DTS_F_EBOPS_CODE] = strlen(codes[k]);
				for (size_t i = 0; i < m->ncls; i++)
					A.s[i] = m->prior[i];
				dts__model_features(txt, len, ref_add, &A);
				dts__model_sums(sums, &known, m, txt, len);
				ck_assert_uint_eq(known, A.known);
				ck_assert_int_eq(memcmp(sums, A.s, m->ncls * sizeof(*sums)), 0);
				for (int why = 0; why < 2; why++) {
					dts__model_score(&whole, m, txt, len, why);
					dts__model_finish(&half, m, sums, known, txt, len, why);
					ck_assert_int_eq(memcmp(&whole, &half, sizeof(whole)), 0);
					ck_assert_ptr_eq(m->cls[dts__model_best(m, sums)], whole.cls[0]);
				}
			}
	dts_model_free(m);
}
END_TEST

/*
 * The weights as the loader made them before session 11, two log() calls
 * per (feature, class), from the file's text (a plain reading of it):
 * out[f * ncls + c], and the prior in prior[].
 */
static void ref_weights(const char *text, float **out, double *prior, size_t *nf_out)
{
	char kind[8];
	unsigned a, af;
	size_t K, F, f, c;
	double nc[DTS_MODEL_MAX_CLASSES] = {0}, nrec[DTS_MODEL_MAX_CLASSES], total = 0, all = 0;
	double alpha;
	const char *p;
	float *w;

	ck_assert_int_eq(sscanf(strstr(text, "kind "), "kind %7s", kind), 1);
	ck_assert_int_eq(sscanf(strstr(text, "alpha "), "alpha %u.%u", &a, &af), 2);
	alpha = (a * 1000 + af) / 1000.0;
	ck_assert_int_eq(sscanf(strstr(text, "\nclasses "), "\nclasses %zu", &K), 1);
	p = strstr(text, "\nc\t");
	for (c = 0; c < K; c++) {
		p = strchr(p + 3, '\t'); /* "\nc\tCODE\tRECORDS" */
		nrec[c] = strtod(p + 1, NULL);
		total += nrec[c];
		p = strchr(p, '\n');
	}
	ck_assert_int_eq(sscanf(strstr(text, "\nfeatures "), "\nfeatures %zu", &F), 1);
	w = calloc(F * K + 1, sizeof(*w));
	p = strstr(text, "\nf\t");
	for (f = 0; f < F; f++) {
		const char *e = strchr(p + 1, '\n');

		p = strchr(p + 3, '\t') + 1;
		while (p < e) {
			char *q;
			unsigned long cl = strtoul(p, &q, 10), n = strtoul(q + 1, &q, 10);

			w[f * K + cl] = (float)n;
			p = q + (*q == ' ');
		}
		p = e;
	}
	for (f = 0; f < F; f++)
		for (c = 0; c < K; c++)
			nc[c] += w[f * K + c];
	for (c = 0; c < K; c++)
		all += nc[c];
	for (c = 0; c < K; c++)
		prior[c] = strcmp(kind, "cnb") ? log(nrec[c] / total) : 0;
	for (f = 0; f < F; f++) {
		float *row = &w[f * K];
		double nf = 0;

		for (c = 0; c < K; c++)
			nf += row[c];
		for (c = 0; c < K; c++)
			row[c] = strcmp(kind, "cnb") ?
				 (float)(log(row[c] + alpha) - log(nc[c] + alpha * (double)F)) :
				 (float)-(log(nf - row[c] + alpha) - log(all - nc[c] + alpha * (double)F));
	}
	*out = w;
	*nf_out = F;
}

static void weights_same(const char *text)
{
	dts_model *m = NULL;
	double prior[DTS_MODEL_MAX_CLASSES];
	float *w;
	size_t F;

	ref_weights(text, &w, prior, &F);
	ck_assert_int_eq(dts_model_load_buffer(&m, "t", text, strlen(text)), 0);
	ck_assert_uint_eq(m->nfeat, F);
	ck_assert_int_eq(memcmp(m->w, w, F * m->ncls * sizeof(*w)), 0);
	ck_assert_int_eq(memcmp(m->prior, prior, m->ncls * sizeof(*prior)), 0);
	dts_model_free(m);
	free(w);
}

/*
 * The weights (logs of the counts worked out once each, the class term
 * once a class) are the floats of two log() calls per (feature, class):
 * on the shipped model, on trained ones of both kinds, and on counts past
 * the memo (65,536), past 2^24 (floats that round) and at 2^32 - 1.
 */
START_TEST(test_weights_same_as_formula)
{
	static const char *const big[] = {
		"dts-model 1\nkind cnb\nalpha 0.300\nmin-count 1\nmin-records 1\nrecords 9\n"
		"classes 3\nc\tA.X\t3\nc\tB.Y\t3\nc\tC.Z\t3\nfeatures 4\n"
		"f\ta:w\t0:4294967295 2:70000\nf\ta:x\t1:5\nf\ta:y\t0:1 1:16777217 2:3\n"
		"f\ta:z\t0:65535 1:65536 2:65537\nend\n",
		"dts-model 1\nkind mnb\nalpha 1.250\nmin-count 1\nmin-records 1\nrecords 9\n"
		"classes 3\nc\tA.X\t2\nc\tB.Y\t3\nc\tC.Z\t4\nfeatures 4\n"
		"f\ta:w\t0:4294967295 2:70000\nf\ta:x\t1:5\nf\ta:y\t0:1 1:16777217 2:3\n"
		"f\ta:z\t0:65535 1:65536 2:65537\nend\n",
		"dts-model 1\nkind cnb\nalpha 0.001\nmin-count 1\nmin-records 1\nrecords 4\n"
		"classes 2\nc\tA.X\t2\nc\tB.Y\t2\nfeatures 2\nf\ta:x\t0:1\nf\ta:y\t0:2 1:1\nend\n",
	};
	char *text = NULL;
	size_t len = 0;
	sbuf b;

	ck_assert_int_eq(dts__read_file(&text, &len, NULL,
					DTS_SRCDIR "/classifiers/cn-digital-trade.model",
					0, (size_t)256 << 20, NULL, 0, 0), 0);
	weights_same(text);
	free(text);
	for (int kind = DTS_MODEL_MNB; kind <= DTS_MODEL_CNB; kind++) {
		b = train(1, kind);
		weights_same(b.p);
		free(b.p);
	}
	for (size_t i = 0; i < sizeof(big) / sizeof(*big); i++)
		weights_same(big[i]);
}
END_TEST

START_TEST(test_bad_files)
{
	const struct bad *b = &bads[_i];
	dts_model *m = (dts_model *)1;
	const dts_error *e;

	ck_assert_int_eq(dts_model_load_buffer(&m, "bad.model", b->text, strlen(b->text)),
			 DTS_ESYNTAX);
	ck_assert_ptr_null(m);
	e = dts_error_last();
	ck_assert_str_eq(e->file, "bad.model");
	ck_assert_uint_eq(e->line, b->line);
	ck_assert_msg(strstr(e->message, b->msg), "%s: %s", b->msg, e->message);
}
END_TEST

/* Errors the table cannot hold: a NUL inside a line, too many classes. */
START_TEST(test_bad_limits)
{
	static const char nul[] = "dts-model 1\nkind\0mnb\n";
	static const char many[] = "dts-model 1\nkind mnb\nalpha 0.300\nmin-count 1\n"
				   "min-records 1\nrecords 2\nclasses 65\n";
	dts_model *m = NULL;

	ck_assert_int_eq(dts_model_load_buffer(&m, "nul.model", nul, sizeof(nul) - 1), DTS_ESYNTAX);
	ck_assert_uint_eq(dts_error_last()->line, 2);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "NUL"));
	ck_assert_int_eq(dts_model_load_buffer(&m, "many.model", many, sizeof(many) - 1), DTS_ELIMIT);
	ck_assert_uint_eq(dts_error_last()->line, 7);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "at most 64"));
	ck_assert_int_eq(dts_model_load_buffer(NULL, "x", "", 0), DTS_EINVAL);
	ck_assert_int_eq(dts_model_load_buffer(&m, "x", NULL, 3), DTS_EINVAL);
	ck_assert_int_eq(dts_model_load_buffer(&m, NULL, NULL, 0), DTS_ESYNTAX);
	ck_assert_str_eq(dts_error_last()->file, "(buffer)");
	ck_assert_int_eq(dts_model_load(&m, NULL), DTS_EINVAL);
	ck_assert_uint_eq(dts_model_class_count(NULL), 0);
	ck_assert_ptr_null(dts_model_class(NULL, 0));
	ck_assert_uint_eq(dts_model_feature_count(NULL), 0);
}
END_TEST

/* The model reads a record as the scanner does: traditional script, case
 * and full-width forms fold onto the trained text; punctuation, emoji and
 * overlong words are features or separators, never errors. */
START_TEST(test_predict_folds)
{
	sbuf b = train(1, 0);
	dts_model *m = NULL;
	dts_model_prediction s, t;
	dts_value simp[1] = {V(DTS_F_DESCRIPTION, "云服务器租用费")};
	dts_value trad[1] = {V(DTS_F_DESCRIPTION, "雲伺服器租用費")};
	dts_value wide[1] = {V(DTS_F_DESCRIPTION, "ＣＬＯＵＤ　ＳＥＲＶＥＲ ｒｅｎｔａｌ")};
	dts_value odd[2] = {V(DTS_F_DESCRIPTION, "游戏道具\xf0\x9f\x8e\xae\xe2\x80\x94\xc2\xa9"
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					   "，道具。"),
			    V(DTS_F_CHANNEL, "")};
	dts_value errs[][1] = {{{-1, "x", 1}}, {{DTS_F_COUNT, "x", 1}}, {{DTS_F_DESCRIPTION, NULL, 2}}};

	ck_assert_int_eq(dts_model_load_buffer(&m, "t.model", b.p, b.len), 0);
	ck_assert_int_eq(dts_model_predict(&s, m, simp, 1), 0);
	ck_assert_int_eq(dts_model_predict(&t, m, trad, 1), 0);
	ck_assert_str_eq(s.cls[0], "TECH.CLOUD");
	ck_assert_str_eq(t.cls[0], "TECH.CLOUD");
	ck_assert_uint_eq(t.nfeatures, s.nfeatures);
	ck_assert(t.prob[0] == s.prob[0]);
	ck_assert_int_eq(dts_model_predict(&t, m, wide, 1), 0);
	ck_assert_str_eq(t.cls[0], "TECH.CLOUD");
	ck_assert_uint_gt(t.nfeatures, 0);
	ck_assert_int_eq(dts_model_predict(&t, m, odd, 2), 0);
	ck_assert_str_eq(t.cls[0], "PROD.GAME");
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		ck_assert_int_eq(dts_model_predict(&t, m, errs[i], 1), DTS_EINVAL);
	ck_assert_int_eq(dts_model_predict(NULL, m, simp, 1), DTS_EINVAL);
	ck_assert_int_eq(dts_model_predict(&t, NULL, simp, 1), DTS_EINVAL);
	dts_model_free(m);
	free(b.p);
}
END_TEST

START_TEST(test_trainer_errors)
{
	dts_model_trainer *t = NULL;
	dts_value v[1] = {V(DTS_F_DESCRIPTION, "x\xff")};
	sbuf b = {0};

	ck_assert_int_eq(dts_model_trainer_new(&t, NULL), 0);
	ck_assert_int_eq(dts_model_trainer_write(t, to_sbuf, &b), DTS_EINVAL);
	ck_assert_int_eq(dts_model_trainer_add(t, v, 1, "A.B"), DTS_EINPUT);
	ck_assert_int_eq(dts_model_trainer_add(t, NULL, 0, "A B"), DTS_EINVAL);
	ck_assert_int_eq(dts_model_trainer_add(t, NULL, 0, ""), DTS_EINVAL);
	dts_model_trainer_free(t);
	ck_assert_int_eq(dts_model_load(&(dts_model *){NULL}, "/nonexistent/x.model"), DTS_EIO);
}
END_TEST

/* <model> in a classifier: decides only what no rule decides. */
static const char xml_head[] =
	"<classifier xmlns=\"urn:libdts:classifier:1\" id=\"t\" version=\"1\">\n"
	"  <category code=\"TECH.CLOUD\"/><category code=\"PROD.GAME\"/>\n";
static const char xml_rules[] =
	"  <rule id=\"R1\" category=\"TECH.CLOUD\" priority=\"10\" base=\"services\" delivered=\"yes\">\n"
	"    <contains field=\"description\">云</contains></rule>\n"
	"  <rule id=\"R2\" category=\"PROD.GAME\" priority=\"10\" base=\"services\" delivered=\"yes\">\n"
	"    <contains field=\"description\">道具</contains></rule>\n"
	"</classifier>\n";

static dts_rules *with_model(const char *model_elem, const char *dir)
{
	char xml[2048];
	dts_rules *r = NULL;
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;

	o.flags = DTS_RULES_NO_SCHEMA;
	snprintf(xml, sizeof(xml), "%s%s%s", xml_head, model_elem, xml_rules);
	dts_rules_compile_buffer(&r, "t.xml", dir, xml, strlen(xml), &o);
	return r;
}

static char *model_dir(void)
{
	static char dir[] = "/tmp/dts-test-model.XXXXXX";
	char path[256];
	sbuf b = train(1, 0);
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.model", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(b.p, 1, b.len, f), b.len);
	fclose(f);
	free(b.p);
	return dir;
}

/* <model disagree>: a confident rule decision the model contradicts at the
 * threshold is referred, keeping the rules' category; one it agrees with
 * is not. */
START_TEST(test_rules_model_disagrees)
{
	char *dir = model_dir(), path[256];
	dts_rules *r = with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"0.9\" "
				  "disagree=\"0.5\"/>\n", dir);
	dts_scanner *sc = NULL;
	dts_result res;
	dts_evidence ev = {.version = DTS_EVIDENCE_VERSION};
	dts_value against[1] = {V(DTS_F_DESCRIPTION, "云 mobile game in-app purchase items")};
	dts_value agrees[1] = {V(DTS_F_DESCRIPTION, "云服务器租用费")};

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(dts_scanner_new(&sc, r, 0), 0);
	ck_assert_int_eq(dts_scanner_classify(&res, sc, against, 1), 0);
	ck_assert_str_eq(res.rule, "R1");
	ck_assert_str_eq(res.category, "TECH.CLOUD");
	ck_assert_int_eq(dts_scanner_evidence(&ev, sc), 0);
	ck_assert_str_eq(ev.review, "model-disagrees");
	ck_assert_ptr_nonnull(strstr(ev.combine, "model M: PROD.GAME"));
	ck_assert_int_eq(dts_scanner_classify(&res, sc, agrees, 1), 0);
	ck_assert_int_eq(dts_scanner_evidence(&ev, sc), 0);
	ck_assert_ptr_null(ev.review);
	dts_scanner_free(sc);
	ck_assert_int_eq(dts_scanner_new(&sc, r, DTS_SCAN_NO_MODEL), 0);
	ck_assert_int_eq(dts_scanner_classify(&res, sc, against, 1), 0);
	ck_assert_int_eq(dts_scanner_evidence(&ev, sc), 0);
	ck_assert_ptr_null(ev.review);
	dts_scanner_free(sc);
	dts_rules_free(r);
	ck_assert_ptr_null(with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"0.9\" "
				      "disagree=\"2\"/>\n", dir));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "disagree"));
	snprintf(path, sizeof(path), "%s/m.model", dir);
	remove(path);
	remove(dir);
}
END_TEST

START_TEST(test_rules_use_model)
{
	char *dir = model_dir(), path[256];
	dts_rules *r = with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"0.5\"/>\n", dir);
	dts_rules_model_info mi;
	dts_scanner *sc = NULL;
	dts_result res;
	dts_evidence ev = {.version = DTS_EVIDENCE_VERSION};
	dts_value by_rule[1] = {V(DTS_F_DESCRIPTION, "云")};
	dts_value by_model[1] = {V(DTS_F_DESCRIPTION, "mobile game purchase")};
	dts_value nothing[1] = {V(DTS_F_DESCRIPTION, "zzzz qqqq")};

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(dts_rules_model(&mi, r), 0);
	ck_assert_str_eq(mi.id, "M");
	ck_assert_str_eq(mi.when, "no-evidence");
	ck_assert(mi.min_prob == 0.5);
	ck_assert_int_eq(dts_scanner_new(&sc, r, 0), 0);
	ck_assert_int_eq(dts_scanner_classify(&res, sc, by_rule, 1), 0);
	ck_assert_str_eq(res.rule, "R1");
	ck_assert_int_eq(dts_scanner_classify(&res, sc, by_model, 1), 0);
	ck_assert_str_eq(res.category, "PROD.GAME");
	ck_assert_str_eq(res.rule, "M");
	ck_assert_int_eq(res.rule_index, -1);
	ck_assert_int_eq(res.base, DTS_BASE_SERVICES); /* R2's flags */
	ck_assert_int_eq(res.delivered, 1);
	ck_assert_int_eq(dts_scanner_evidence(&ev, sc), 0);
	ck_assert_ptr_null(ev.review);
	ck_assert_ptr_nonnull(strstr(ev.combine, "model M: PROD.GAME"));
	/* nothing the model knows: the prior (a tie here) is below min-prob 0.5? no:
	 * two classes at 0.5 each reach 0.5, so ask for more */
	dts_scanner_free(sc);
	dts_rules_free(r);
	r = with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"0.99\"/>\n", dir);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(dts_scanner_new(&sc, r, 0), 0);
	ck_assert_int_eq(dts_scanner_classify(&res, sc, nothing, 1), 0);
	ck_assert_str_eq(res.category, "NONE");
	ck_assert_int_eq(dts_scanner_evidence(&ev, sc), 0);
	ck_assert_str_eq(ev.review, "no-evidence");
	ck_assert_ptr_nonnull(strstr(ev.combine, "below min-prob"));
	dts_scanner_free(sc);
	dts_rules_free(r);
	snprintf(path, sizeof(path), "%s/m.model", dir);
	remove(path);
	remove(dir);
}
END_TEST

START_TEST(test_rules_model_errors)
{
	char *dir = model_dir(), path[256];
	const dts_error *e;

	ck_assert_ptr_null(with_model("  <model id=\"M\" src=\"none.model\" min-prob=\"0.5\"/>\n", dir));
	e = dts_error_last();
	ck_assert_uint_eq(e->line, 3);
	ck_assert_ptr_null(with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"2\"/>\n", dir));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "min-prob"));
	ck_assert_ptr_null(with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"0.5\" for=\"always\"/>\n", dir));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "always"));
	ck_assert_ptr_null(with_model("  <model id=\"M\" src=\"m.model\" min-prob=\"0.5\"/>\n"
				      "  <model id=\"N\" src=\"m.model\" min-prob=\"0.5\"/>\n", dir));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "at most one"));
	ck_assert_ptr_null(with_model("  <model id=\"M\" src=\"../x.model\" min-prob=\"0.5\"/>\n", dir));
	snprintf(path, sizeof(path), "%s/m.model", dir);
	remove(path);
	remove(dir);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_same_records_same_bytes);
	tcase_add_test(tc, test_predict_cnb);
	tcase_add_test(tc, test_predict_mnb);
	tcase_add_test(tc, test_ties_first_class);
	tcase_add_test(tc, test_score_halves_same_as_whole);
	tcase_add_test(tc, test_weights_same_as_formula);
	tcase_add_test(tc, test_bad_limits);
	tcase_add_test(tc, test_predict_folds);
	tcase_add_loop_test(tc, test_bad_files, 0, (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_test(tc, test_trainer_errors);
	tcase_add_test(tc, test_rules_use_model);
	tcase_add_test(tc, test_rules_model_disagrees);
	tcase_add_test(tc, test_rules_model_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(model_suite());
}
