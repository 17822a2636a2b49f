/*
 * train.c — counting features by class and writing the model file
 * (dts/model.h, docs/rule-language.md "The model file").
 *
 * The file holds counts, not weights: integers print the same on every
 * machine, so the same records give the same bytes; the loader derives
 * the weights. Rare features are pruned here (min_count, min_records):
 * they are most of the distinct n-grams and carry almost nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "model_int.h"

typedef struct tfeat {
	char *key;
	uint32_t len;
	uint32_t total, records, last; /* last: record number that last gave it, + 1 */
	uint32_t n, cap;
	uint32_t (*cc)[2];             /* (class, count), by class first seen */
} tfeat;

struct dts_model_trainer {
	dts_model_train_options o;
	char *cls[DTS_MODEL_MAX_CLASSES];
	uint32_t cls_records[DTS_MODEL_MAX_CLASSES];
	size_t ncls;
	tfeat *f;
	size_t nf, capf;
	uint32_t *slots;               /* feature index + 1 */
	size_t mask;
	uint32_t records;
	dts__model_rec rec;
	int cur, oom;                  /* class of the record being added */
};

int dts_model_trainer_new(dts_model_trainer **out, const dts_model_train_options *opts)
{
	dts_model_trainer *t;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_trainer_new: NULL argument");
	*out = NULL;
	if (opts && opts->version != DTS_MODEL_TRAIN_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_trainer_new: unknown options version %u",
				  opts->version);
	if (opts && opts->kind && opts->kind != DTS_MODEL_MNB && opts->kind != DTS_MODEL_CNB)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_trainer_new: unknown kind %d",
				  opts->kind);
	if (!(t = calloc(1, sizeof(*t))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (opts)
		t->o = *opts;
	t->o.kind = t->o.kind ? t->o.kind : DTS_MODEL_CNB;
	t->o.min_count = t->o.min_count ? t->o.min_count : 2;
	t->o.min_records = t->o.min_records ? t->o.min_records : 2;
	t->o.alpha_milli = t->o.alpha_milli ? t->o.alpha_milli : 300;
	*out = t;
	return 0;
}

void dts_model_trainer_free(dts_model_trainer *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->ncls; i++)
		free(t->cls[i]);
	for (i = 0; i < t->nf; i++) {
		free(t->f[i].key);
		free(t->f[i].cc);
	}
	free(t->f);
	free(t->slots);
	dts__model_rec_free(&t->rec);
	free(t);
}

static int rehash(dts_model_trainer *t)
{
	size_t cap = t->mask ? 2 * (t->mask + 1) : 1024, i;
	uint32_t *s = calloc(cap, sizeof(*s));

	if (!s)
		return -1;
	for (i = 0; i < t->nf; i++) {
		size_t h = (size_t)dts__fnv(t->f[i].key, t->f[i].len) & (cap - 1);

		while (s[h])
			h = (h + 1) & (cap - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->mask = cap - 1;
	return 0;
}

/* The feature `key` (hash: its dts__fnv), added when new; NULL when out
 * of memory. */
static tfeat *feature(dts_model_trainer *t, const char *key, size_t len, uint64_t hash)
{
	size_t h;
	tfeat *f;

	if ((t->nf + 1) * 2 > t->mask + 1 && rehash(t) < 0)
		return NULL;
	for (h = (size_t)hash & t->mask; t->slots[h]; h = (h + 1) & t->mask) {
		f = &t->f[t->slots[h] - 1];
		if (f->len == len && !memcmp(f->key, key, len))
			return f;
	}
	if (t->nf == t->capf) {
		size_t cap = t->capf ? 2 * t->capf : 1024;
		tfeat *n = realloc(t->f, cap * sizeof(*n));

		if (!n)
			return NULL;
		t->f = n;
		t->capf = cap;
	}
	f = &t->f[t->nf];
	memset(f, 0, sizeof(*f));
	if (!(f->key = malloc(len + 1)))
		return NULL;
	memcpy(f->key, key, len);
	f->key[len] = '\0';
	f->len = (uint32_t)len;
	t->slots[h] = (uint32_t)++t->nf;
	return f;
}

static void count(const char *key, size_t len, uint64_t hash, void *payload)
{
	dts_model_trainer *t = payload;
	tfeat *f = t->oom ? NULL : feature(t, key, len, hash);
	uint32_t i;

	if (!f) {
		t->oom = 1;
		return;
	}
	f->total++;
	if (f->last != t->records + 1) {
		f->last = t->records + 1;
		f->records++;
	}
	for (i = 0; i < f->n; i++)
		if (f->cc[i][0] == (uint32_t)t->cur) {
			f->cc[i][1]++;
			return;
		}
	if (f->n == f->cap) {
		uint32_t cap = f->cap ? 2 * f->cap : 2;
		void *n = realloc(f->cc, cap * sizeof(*f->cc));

		if (!n) {
			t->oom = 1;
			return;
		}
		f->cc = n;
		f->cap = cap;
	}
	f->cc[f->n][0] = (uint32_t)t->cur;
	f->cc[f->n++][1] = 1;
}

static int label_ok(const char *label)
{
	if (!*label)
		return 0;
	for (const char *p = label; *p; p++)
		if ((unsigned char)*p <= ' ')
			return 0;
	return 1;
}

/* The class number of label, added when new. */
static int class_of(dts_model_trainer *t, const char *label)
{
	size_t i;

	for (i = 0; i < t->ncls; i++)
		if (!strcmp(t->cls[i], label))
			return (int)i;
	if (t->ncls == DTS_MODEL_MAX_CLASSES)
		return dts__error(DTS_ELIMIT, NULL, 0, 0, "more than %d classes (label '%s')",
				  DTS_MODEL_MAX_CLASSES, label);
	if (!(t->cls[t->ncls] = strdup(label)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return (int)t->ncls++;
}

int dts_model_trainer_add(dts_model_trainer *t, const dts_value *values, size_t nvalues,
			  const char *label)
{
	int rc;

	if (!t || !label || (!values && nvalues))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_trainer_add: NULL argument");
	if (!label_ok(label))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_model_trainer_add: label '%s' is empty or has blanks", label);
	if ((rc = dts__model_rec_load(&t->rec, values, nvalues)) < 0)
		return rc;
	if ((rc = class_of(t, label)) < 0)
		return rc;
	t->cur = rc;
	dts__model_features(t->rec.txt, t->rec.len, count, t);
	if (t->oom)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	t->cls_records[t->cur]++;
	t->records++;
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_feat(const void *a, const void *b)
{
	return strcmp(((const tfeat *)a)->key, ((const tfeat *)b)->key);
}

/* One feature line: "f\tKEY\tC:N C:N" with classes in file order. */
static void feature_line(dts__buf *b, const tfeat *f, const int *rank, size_t ncls)
{
	uint32_t by[DTS_MODEL_MAX_CLASSES] = {0};
	size_t c;
	int first = 1;

	for (uint32_t i = 0; i < f->n; i++)
		by[rank[f->cc[i][0]]] = f->cc[i][1];
	dts__buf_str(b, "f\t");
	dts__buf_add(b, f->key, f->len);
	dts__buf_ch(b, '\t');
	for (c = 0; c < ncls; c++)
		if (by[c]) {
			dts__buf_printf(b, "%s%zu:%u", first ? "" : " ", c, by[c]);
			first = 0;
		}
	dts__buf_ch(b, '\n');
}

int dts_model_trainer_write(dts_model_trainer *t, dts_write_cb cb, void *payload)
{
	char *sorted[DTS_MODEL_MAX_CLASSES];
	int rank[DTS_MODEL_MAX_CLASSES];
	dts__buf b = {0};
	size_t i, j, kept = 0;
	int rc = 0;

	if (!t || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_trainer_write: NULL argument");
	if (!t->records)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_model_trainer_write: no record added");
	memcpy(sorted, t->cls, t->ncls * sizeof(*sorted));
	qsort(sorted, t->ncls, sizeof(*sorted), cmp_str);
	for (i = 0; i < t->ncls; i++)
		for (j = 0; j < t->ncls; j++)
			if (t->cls[i] == sorted[j])
				rank[i] = (int)j;
	qsort(t->f, t->nf, sizeof(*t->f), cmp_feat);
	if (rehash(t) < 0) /* the table points at the old order */
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < t->nf; i++)
		kept += t->f[i].total >= t->o.min_count && t->f[i].records >= t->o.min_records;
	dts__buf_printf(&b, "dts-model 1\nkind %s\nalpha %u.%03u\nmin-count %u\nmin-records %u\n"
			"records %u\nclasses %zu\n",
			t->o.kind == DTS_MODEL_CNB ? "cnb" : "mnb", t->o.alpha_milli / 1000,
			t->o.alpha_milli % 1000, t->o.min_count, t->o.min_records, t->records,
			t->ncls);
	for (j = 0; j < t->ncls; j++)
		for (i = 0; i < t->ncls; i++)
			if (rank[i] == (int)j)
				dts__buf_printf(&b, "c\t%s\t%u\n", t->cls[i], t->cls_records[i]);
	dts__buf_printf(&b, "features %zu\n", kept);
	for (i = 0; i < t->nf && !b.oom; i++) {
		if (t->f[i].total < t->o.min_count || t->f[i].records < t->o.min_records)
			continue;
		feature_line(&b, &t->f[i], rank, t->ncls);
		if (b.len > 65536) {
			if ((rc = cb(b.p, b.len, payload)) != 0)
				break;
			b.len = 0;
		}
	}
	dts__buf_str(&b, "end\n");
	if (b.oom)
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	else if (!rc && b.len)
		rc = cb(b.p, b.len, payload);
	dts__buf_free(&b);
	return rc;
}
