/*
 * norm.c — a record's fields normalised for the model exactly as the
 * scanner normalises them (scanner.c set_value, text_fold, low_of):
 * dts_field_normalize, then for text fields traditional to simplified,
 * the variant folding and lower case. Used where no scanner holds the
 * record (training, dts_model_predict).
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

static int grow(dts__model_rec *r, int f, size_t need)
{
	char *b, *l;

	if (need <= r->cap[f])
		return 0;
	if (!(b = realloc(r->buf[f], need)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	r->buf[f] = b;
	if (!(l = realloc(r->low[f], need)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	r->low[f] = l;
	r->cap[f] = need;
	return 0;
}

/* Text: t2s (only when a traditional character is there), variants, lower. */
static int fold_text(dts__model_rec *r, int f, size_t *len)
{
	char *t = NULL;
	size_t tl = 0;
	int rc = dts__text_t2s(r->buf[f], *len, &t, &tl);

	if (rc < 0)
		return rc;
	if (rc > 0) {
		if ((rc = grow(r, f, tl + 1)) < 0) {
			free(t);
			return rc;
		}
		memcpy(r->buf[f], t, tl + 1);
		*len = tl;
		free(t);
	}
	*len = dts__text_fold_inplace(r->buf[f], *len);
	r->buf[f][*len] = '\0';
	*len = *len ? dts__fold_lower(r->low[f], r->buf[f], *len) : 0;
	r->txt[f] = r->low[f];
	return 0;
}

static int one(dts__model_rec *r, const dts_value *v)
{
	size_t bad, len = 0;
	int f = v->field, rc;

	if (f < 0 || f >= DTS_F_COUNT)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "field number %d out of range", f);
	if (!v->data && v->len)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "field %s: NULL data",
				  dts_field_name(f));
	if (!((DTS__MODEL_FIELDS >> f) & 1u))
		return 0;
	if (v->len && !dts_utf8_valid(v->data, v->len, &bad))
		return dts__error(DTS_EINPUT, NULL, 0, 0, "field %s: invalid UTF-8 at byte %zu",
				  dts_field_name(f), bad + 1);
	if ((rc = grow(r, f, v->len + 1)) < 0 ||
	    (rc = dts_field_normalize(r->buf[f], r->cap[f], &len, f,
				      v->data ? v->data : "", v->len)) < 0)
		return rc;
	r->txt[f] = r->buf[f];
	if (dts_field_kind_of(f) == DTS_KIND_TEXT && (rc = fold_text(r, f, &len)) < 0)
		return rc;
	r->len[f] = len;
	return 0;
}

int dts__model_rec_load(dts__model_rec *r, const dts_value *values, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < DTS_F_COUNT; i++) {
		r->len[i] = 0;
		r->txt[i] = "";
	}
	for (i = 0; i < n; i++)
		if ((rc = one(r, &values[i])) < 0)
			return rc;
	return 0;
}

void dts__model_rec_free(dts__model_rec *r)
{
	for (int f = 0; f < DTS_F_COUNT; f++) {
		free(r->buf[f]);
		free(r->low[f]);
		r->buf[f] = r->low[f] = NULL;
		r->cap[f] = 0;
	}
}
