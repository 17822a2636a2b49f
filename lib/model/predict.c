/*
 * predict.c — scoring a record with a loaded model: the sum of the
 * weights of its known features plus the class prior, turned into
 * probabilities (softmax). Ties go to the class first in byte order, so
 * a prediction depends on nothing but the model and the record.
 */
#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h> /* part of x86-64 itself: no run-time check needed */
#endif

#include "model_int.h"

typedef struct acc {
	const dts_model *m;
	double s[DTS_MODEL_MAX_CLASSES];
	size_t known;
	/* second pass: the features weighing most for a against b */
	int why, a, b;
	dts_model_prediction *out;
} acc;

static void add(const char *key, size_t len, uint64_t hash, void *payload)
{
	acc *A = payload;
	long f = dts__model_find_hashed(A->m, key, len, hash);
	const float *row;
	size_t c, K = A->m->ncls;

	if (f < 0)
		return;
	row = &A->m->w[(size_t)f * K];
	if (!A->why) {
		c = 0;
#ifdef __SSE2__
		/* Two classes an instruction: each class's sum still takes its
		 * weights one by one in feature order, so the doubles are the
		 * same as the scalar loop's (IEEE addition, no reassociation). */
		for (; c + 2 <= K; c += 2) {
			double two; /* two floats, however the row is aligned */
			__m128d w;

			memcpy(&two, row + c, sizeof(two));
			w = _mm_cvtps_pd(_mm_castpd_ps(_mm_set_sd(two)));
			_mm_storeu_pd(A->s + c, _mm_add_pd(_mm_loadu_pd(A->s + c), w));
		}
#endif
		for (; c < K; c++)
			A->s[c] += row[c];
		A->known++;
		return;
	}
	{
		dts_model_prediction *o = A->out;
		double d = (double)row[A->a] - (double)row[A->b];
		const char *k = A->m->keys[f];
		size_t i, at;

		for (i = 0; i < o->nwhy; i++)
			if (o->why[i] == k) { /* counted each time it occurs */
				o->weight[i] += d;
				return;
			}
		if (o->nwhy < DTS_MODEL_WHY) {
			o->why[o->nwhy] = k;
			o->weight[o->nwhy++] = d;
			return;
		}
		for (at = 0, i = 1; i < o->nwhy; i++) /* replace the weakest */
			if (o->weight[i] < o->weight[at])
				at = i;
		if (d > o->weight[at]) {
			o->why[at] = k;
			o->weight[at] = d;
		}
	}
}

/* Ranks: score descending, then class index ascending (byte order). */
static void rank(size_t *best, const double *s, size_t K)
{
	size_t r, c;
	unsigned char used[DTS_MODEL_MAX_CLASSES] = {0};

	for (r = 0; r < DTS_MODEL_TOP && r < K; r++) {
		size_t b = SIZE_MAX;

		for (c = 0; c < K; c++)
			if (!used[c] && (b == SIZE_MAX || s[c] > s[b]))
				b = c;
		used[b] = 1;
		best[r] = b;
	}
}

static void sort_why(dts_model_prediction *o)
{
	for (size_t i = 1; i < o->nwhy; i++)
		for (size_t j = i; j > 0 && (o->weight[j] > o->weight[j - 1] ||
					     (o->weight[j] == o->weight[j - 1] &&
					      strcmp(o->why[j], o->why[j - 1]) < 0)); j--) {
			const char *k = o->why[j];
			double w = o->weight[j];

			o->why[j] = o->why[j - 1];
			o->weight[j] = o->weight[j - 1];
			o->why[j - 1] = k;
			o->weight[j - 1] = w;
		}
}

void dts__model_sums(double *sums, size_t *known, const dts_model *m,
		     const char *const *txt, const size_t *len)
{
	acc A;
	size_t c;

	memset(&A, 0, sizeof(A));
	A.m = m;
	for (c = 0; c < m->ncls; c++)
		A.s[c] = m->prior[c];
	dts__model_features(txt, len, add, &A);
	memcpy(sums, A.s, m->ncls * sizeof(*sums));
	*known = A.known;
}

size_t dts__model_best(const dts_model *m, const double *sums)
{
	size_t b = 0;

	for (size_t c = 1; c < m->ncls; c++) /* rank()'s first pick */
		if (sums[c] > sums[b])
			b = c;
	return b;
}

void dts__model_finish(dts_model_prediction *out, const dts_model *m,
		       const double *sums, size_t known,
		       const char *const *txt, const size_t *len, int why)
{
	acc A;
	size_t best[DTS_MODEL_TOP], c, r, K = m->ncls;
	double z = 0;

	memset(out, 0, sizeof(*out));
	rank(best, sums, K);
	for (c = 0; c < K; c++)
		z += exp(sums[c] - sums[best[0]]);
	out->nclasses = K < DTS_MODEL_TOP ? K : DTS_MODEL_TOP;
	for (r = 0; r < out->nclasses; r++) {
		out->cls[r] = m->cls[best[r]];
		out->prob[r] = exp(sums[best[r]] - sums[best[0]]) / z;
	}
	out->nfeatures = known;
	if (!why)
		return;
	memset(&A, 0, sizeof(A));
	A.m = m;
	A.why = 1;
	A.a = (int)best[0];
	A.b = (int)best[1];
	A.out = out;
	dts__model_features(txt, len, add, &A);
	sort_why(out);
}

void dts__model_score(dts_model_prediction *out, const dts_model *m,
		      const char *const *txt, const size_t *len, int why)
{
	double sums[DTS_MODEL_MAX_CLASSES];
	size_t known;

	dts__model_sums(sums, &known, m, txt, len);
	dts__model_finish(out, m, sums, known, txt, len, why);
}

int dts_model_predict(dts_model_prediction *out, const dts_model *m,
		      const dts_value *values, size_t nvalues)
{
	dts__model_rec rec = {0};
	int rc;

	if (!out || !m || (!values && nvalues))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_predict: NULL argument");
	if ((rc = dts__model_rec_load(&rec, values, nvalues)) >= 0)
		dts__model_score(out, m, rec.txt, rec.len, 1);
	else
		memset(out, 0, sizeof(*out));
	dts__model_rec_free(&rec);
	return rc < 0 ? rc : 0;
}
