/*
 * model_int.h — the model behind the rules, shared by lib/model/ and the
 * scanner (lib/scan/scanner.c). Never installed.
 */
#ifndef DTS_MODEL_INT_H
#define DTS_MODEL_INT_H

#include "dts/model.h"
#include "internal.h"

/* Longest feature key, bytes (longer Latin words are cut). */
#define DTS__MODEL_KEY_MAX 96

/* The fields the features read: the scanner normalises them for a model. */
#define DTS__MODEL_FIELDS                                                          \
	((1u << DTS_F_SOURCE) | (1u << DTS_F_FLOW) | (1u << DTS_F_HS_CODE) |       \
	 (1u << DTS_F_EBOPS_CODE) | (1u << DTS_F_BOP_CODE) | (1u << DTS_F_CPC_CODE) | \
	 (1u << DTS_F_INDUSTRY_CODE) | (1u << DTS_F_TRADE_MODE) |                  \
	 (1u << DTS_F_DESCRIPTION) | (1u << DTS_F_CHANNEL) | (1u << DTS_F_DELIVERY))

/* A feature: its key, and the key's dts__fnv (worked out as it is built). */
typedef void (*dts__feat_cb)(const char *key, size_t len, uint64_t hash, void *payload);

/*
 * The features of a record (features.c). txt[f] / len[f] is field f as
 * the scanner holds it: text fields normalised, traditional folded and
 * lower-cased (dts__fold_lower), code fields normalised. A feature may be
 * given more than once (it is counted each time).
 */
void dts__model_features(const char *const *txt, const size_t *len,
			 dts__feat_cb cb, void *payload);

/*
 * Field values normalised as the scanner normalises them, into bufs[f]
 * (malloc'd, grown as needed; free each). Fields not given are empty.
 * Errors: DTS_EINVAL, DTS_EINPUT (invalid UTF-8), DTS_ENOMEM.
 */
typedef struct dts__model_rec {
	char *buf[DTS_F_COUNT], *low[DTS_F_COUNT];
	size_t cap[DTS_F_COUNT];
	const char *txt[DTS_F_COUNT];
	size_t len[DTS_F_COUNT];
} dts__model_rec;

int dts__model_rec_load(dts__model_rec *r, const dts_value *values, size_t n);
void dts__model_rec_free(dts__model_rec *r);

struct dts_model {
	int kind;                 /* dts_model_kind */
	size_t ncls;
	char **cls;               /* arena, byte order */
	double prior[DTS_MODEL_MAX_CLASSES];
	size_t nfeat;
	char **keys;              /* arena, byte order */
	float *w;                 /* nfeat * ncls weights */
	uint32_t *slots;          /* feature index + 1, 0 empty */
	size_t mask;
	dts_arena arena;
};

/* The index of feature key, or -1; _hashed: with hash its dts__fnv. */
long dts__model_find(const dts_model *m, const char *key, size_t len);
long dts__model_find_hashed(const dts_model *m, const char *key, size_t len,
			    uint64_t hash);

/*
 * Score a record held as dts__model_features() reads it: out ranks the
 * classes; the weighing features are found only when `why` is non-zero
 * (a second pass). Never allocates. Thread-safe.
 */
void dts__model_score(dts_model_prediction *out, const dts_model *m,
		      const char *const *txt, const size_t *len, int why);

/*
 * dts__model_score in two halves, for a caller that needs only the best
 * class to know whether the prediction matters (scanner.c disagree_step):
 * dts__model_sums leaves the class scores (prior plus the weights of the
 * known features, added in feature order: the same doubles
 * dts__model_score ranks) in sums[0..ncls) and the known features'
 * count in *known; dts__model_best is the class first in rank (score
 * descending, then class index); dts__model_finish makes of them exactly
 * the prediction dts__model_score gives. Never allocate. Thread-safe.
 */
void dts__model_sums(double *sums, size_t *known, const dts_model *m,
		     const char *const *txt, const size_t *len);
size_t dts__model_best(const dts_model *m, const double *sums);
void dts__model_finish(dts_model_prediction *out, const dts_model *m,
		       const double *sums, size_t known,
		       const char *const *txt, const size_t *len, int why);

/* The prediction of the record `s` classified last, when the model was
 * asked for it; NULL otherwise (scanner.c, for explain.c). */
struct dts_scanner;
const dts_model_prediction *dts__scanner_model(const struct dts_scanner *s);

#endif
