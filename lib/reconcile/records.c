/*
 * records.c — record-by-record reconciliation of two sources (dts_recon).
 *
 * One key table holds every distinct key with the first record of each
 * side in compact form and a chain of the further ones, so memory is
 * about 90 bytes a key whatever order the sides come in. dts_recon_run
 * puts every record in exactly one bucket:
 *   rejected     bad row, empty key, value not a number, ...
 *   duplicate    its key occurs more than once on either side (all the
 *                records with that key, on both sides)
 *   left_only / right_only
 *   a pair (one record each side), under its first disagreement in the
 *   order category, value, period, flow; else matched.
 * Per top category, a pair counts under the left record's category.
 */
#include <stdlib.h>
#include <string.h>

#include "recon_int.h"

#define MAX_KEYS 16

typedef struct mcell {
	uint16_t l, r;
	uint64_t n;
	dts_amount lv, rv;
} mcell;

typedef struct reject {
	int side;
	uint64_t line;
	char *key, *reason;
	size_t klen;
} reject;

struct dts_recon {
	char *keyname[MAX_KEYS];
	size_t nkeys;
	dts_recon_options o;
	dts__rstrs cats, tops;
	uint16_t *top_of;        /* category id -> top id */
	dts_recon_counts *st;    /* per top id */
	size_t nst, stcap;       /* stcap: capacity of st and top_of */
	uint16_t *ord;           /* tops in canonical order (after run) */
	uint64_t read[2], rejected[2];
	dts__rtab tab;
	reject *rej;
	size_t nrej, rejcap;
	dts_arena arena;         /* rejected keys and reasons */
	mcell *mx;
	size_t nmx, mxcap;
	dts__rtab mxidx;         /* (left cat, right cat) -> index into mx */
	dts__rkey key;           /* the current record's key */
	int overflow, ran;
	char why[1200];
	struct bound {            /* dts_recon_bind_source */
		const dts_source *src;
		dts__rcol key[MAX_KEYS], value, category, period, flow;
		int classify;
	} side[2];
	char cerr[1200];          /* a classification's reason */
};

/* ---- set-up ---------------------------------------------------------------- */

int dts_recon_new(dts_recon **out, const char *const *keys, size_t nkeys,
		  const dts_recon_options *opts)
{
	dts_recon_options def = DTS_RECON_OPTIONS_INIT;
	dts_recon *r;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_new: NULL out");
	*out = NULL;
	if (!opts)
		opts = &def;
	if (opts->version != DTS_RECON_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_options: unknown version %u",
				  opts->version);
	if (opts->compare & ~0xFu)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_options: unknown compare bits 0x%x",
				  opts->compare);
	if (opts->tolerance.amount < 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "negative tolerance");
	if (!keys || !nkeys || nkeys > MAX_KEYS)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a reconciliation needs 1 to %d key fields",
				  MAX_KEYS);
	if (!(r = calloc(1, sizeof(*r))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	r->o = *opts;
	for (size_t k = 0; k < nkeys; k++) {
		if (!keys[k] || !*keys[k]) {
			dts_recon_free(r);
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "key field %zu has no name", k + 1);
		}
		if (!(r->keyname[k] = strdup(keys[k]))) {
			dts_recon_free(r);
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		r->nkeys++;
	}
	*out = r;
	return 0;
}

int dts_recon_new_list(dts_recon **out, const char *keys,
		       const dts_recon_options *opts)
{
	char *names[MAX_KEYS];
	size_t n = 0, len;
	int rc = 0;

	if (!out || !keys)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_new_list: NULL argument");
	*out = NULL;
	/* "a,,b" and ",a" are malformed; a trailing comma ends the list. */
	for (const char *p = keys; *p && !rc; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (!len || n == MAX_KEYS)
			rc = dts__error(DTS_EINVAL, NULL, 0, 0, "bad field list \"%s\"", keys);
		else if (!(names[n] = strndup(p, len)))
			rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		else
			n++;
	}
	if (!rc && !n)
		rc = dts__error(DTS_EINVAL, NULL, 0, 0, "no field given");
	if (!rc)
		rc = dts_recon_new(out, (const char *const *)names, n, opts);
	for (size_t k = 0; k < n; k++)
		free(names[k]);
	return rc;
}

void dts_recon_free(dts_recon *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->nkeys; k++)
		free(r->keyname[k]);
	dts__rstrs_free(&r->cats);
	dts__rstrs_free(&r->tops);
	free(r->top_of);
	free(r->st);
	free(r->ord);
	dts__rtab_free(&r->tab);
	free(r->rej);
	dts__arena_free(&r->arena);
	free(r->mx);
	dts__rtab_free(&r->mxidx);
	dts__rkey_free(&r->key);
	free(r);
}

/* ---- adding records -------------------------------------------------------- */

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int usable(const dts_recon *r, int side, const void *p)
{
	if (!r || (side != DTS_RECON_LEFT && side != DTS_RECON_RIGHT) || !p)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon: NULL handle or record, or bad side");
	if (r->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon: records added after the run");
	return 0;
}

/* Category id of a code, with its top code interned and stats grown. */
static int cat_id(dts_recon *r, const char *s, size_t len)
{
	int id = dts__rstrs_id(&r->cats, s, len), top;
	const char *dot;

	if (id < 0 || (size_t)id < r->nst)
		return id;
	/* new category: r->cats.n grew by one */
	dot = memchr(s, '.', len);
	if ((top = dts__rstrs_id(&r->tops, s, dot ? (size_t)(dot - s) : len)) < 0)
		return -1;
	if (r->cats.n > r->stcap) {   /* doubling: one realloc per category was n^2 */
		size_t cap = r->stcap ? r->stcap * 2 : 64;
		uint16_t *t = realloc(r->top_of, cap * sizeof(*t));
		dts_recon_counts *st;

		if (!t)
			return -1;
		r->top_of = t;
		if (!(st = realloc(r->st, cap * sizeof(*st))))
			return -1;
		r->st = st;
		r->stcap = cap;
	}
	memset(&r->st[r->nst], 0, sizeof(*r->st));
	r->top_of[id] = (uint16_t)top;
	r->nst = r->cats.n;
	return id;
}

/* Stats are indexed by top id (which is <= category count). */
static dts_recon_counts *top_stats(dts_recon *r, uint16_t cat)
{
	return &r->st[r->top_of[cat]];
}

static const char *trim(const char *s, size_t *len)
{
	while (*len && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

static uint32_t pack_period(const dts_period *p)
{
	return (uint32_t)p->level | (uint32_t)p->year << 3 |
	       (uint32_t)p->quarter << 17 | (uint32_t)p->month << 20 |
	       (uint32_t)p->day << 24;
}

/* Keep a rejected record for the run's items; DTS_EINPUT, or ENOMEM. */
static int keep_reject(dts_recon *r, int side, uint64_t line, const char *key,
		       size_t klen, const char *why)
{
	reject *j;

	if (r->nrej == r->rejcap) {
		size_t cap = r->rejcap ? r->rejcap * 2 : 16;
		reject *n = realloc(r->rej, cap * sizeof(*n));

		if (!n)
			return oom();
		r->rej = n;
		r->rejcap = cap;
	}
	j = &r->rej[r->nrej];
	j->side = side;
	j->line = line;
	j->klen = klen;
	if (!(j->key = dts__arena_strndup(&r->arena, klen ? key : "", klen)) ||
	    !(j->reason = dts__arena_strdup(&r->arena, why)))
		return oom();
	r->nrej++;
	r->rejected[side]++;
	return dts__error(DTS_EINPUT, NULL, (unsigned)line, 0, "%s", why);
}

int dts_recon_reject(dts_recon *r, int side, uint64_t line, const char *reason)
{
	int rc;

	if ((rc = usable(r, side, r)) < 0)
		return rc;
	r->read[side]++;
	rc = keep_reject(r, side, line, NULL, 0, reason ? reason : "malformed record");
	return rc == DTS_EINPUT ? 0 : rc;
}

/* The record's key in r->key: the trimmed key fields, joined injectively. */
static int build_key(dts_recon *r, const dts_recon_record *rec)
{
	dts__rkey_reset(&r->key);
	for (size_t k = 0; k < r->nkeys; k++) {
		size_t len = rec->key_lens ? rec->key_lens[k] :
			     rec->keys[k] ? strlen(rec->keys[k]) : 0;
		const char *v = trim(rec->keys[k] ? rec->keys[k] : "", &len);

		if (!len) {
			snprintf(r->why, sizeof(r->why), "empty key field \"%s\"",
				 r->keyname[k]);
			return 1;
		}
		if (dts__rkey_part(&r->key, v, len) < 0)
			return oom();
	}
	return 0;
}

/* 0 with *info filled; 1 rejected (r->why); < 0 fatal. */
static int read_attrs(dts_recon *r, const dts_recon_record *rec, dts__rinfo *info)
{
	size_t len = rec->value_len;
	const char *v;
	dts_period p;
	int id;

	if (dts_money_parse(&info->value, rec->value ? rec->value : "",
			    rec->value ? len : 0) < 0) {
		snprintf(r->why, sizeof(r->why), "value: %s", dts_error_last()->message);
		return 1;
	}
	if (r->o.compare & DTS_RECON_CMP_PERIOD) {
		len = rec->period ? rec->period_len : 0;
		v = trim(rec->period ? rec->period : "", &len);
		if (len && dts_period_parse(&p, v, len) < 0) {
			snprintf(r->why, sizeof(r->why), "period: %s",
				 dts_error_last()->message);
			return 1;
		}
		info->period = len ? pack_period(&p) : 0;
	}
	if (r->o.compare & DTS_RECON_CMP_FLOW)
		info->flow = (uint8_t)dts_flow_parse(rec->flow ? rec->flow : "",
						     rec->flow ? rec->flow_len : 0);
	len = rec->category ? rec->category_len : 0;
	v = rec->category ? trim(rec->category, &len) : "";
	if (!len) {
		snprintf(r->why, sizeof(r->why), "%s", rec->category || !rec->category_error ?
			 "empty dts_category" : rec->category_error);
		return 1;
	}
	if ((id = cat_id(r, v, len)) < 0 && r->cats.n >= 65535)
		return dts__error(DTS_ELIMIT, NULL, 0, 0,
				  "more than 65535 categories");
	if (id < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	info->cat = (uint16_t)id;
	return 0;
}

static int insert(dts_recon *r, int side, const dts__rinfo *info)
{
	uint64_t h = dts__fnv(r->key.p, r->key.len);
	dts__rentry *e = dts__rtab_find(&r->tab, h, r->key.p, r->key.len);

	if (!e && r->tab.n >= UINT32_MAX - 1)
		return dts__error(DTS_ELIMIT, NULL, 0, 0, "more than 2^32 keys");
	if (!e && !(e = dts__rtab_add(&r->tab, h, r->key.p, r->key.len)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (e->n[side]++ == 0) {
		e->first[side] = *info;
		return 0;
	}
	if (r->tab.nx >= UINT32_MAX - 1)
		return dts__error(DTS_ELIMIT, NULL, 0, 0, "more than 2^32 records");
	if (dts__rtab_extra(&r->tab, e, side, info) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

int dts_recon_add(dts_recon *r, int side, const dts_recon_record *rec)
{
	dts__rinfo info;
	dts_recon_counts *st;
	int rc;

	if ((rc = usable(r, side, rec)) < 0)
		return rc;
	if (!rec->keys)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_add: no keys");
	r->read[side]++;
	memset(&info, 0, sizeof(info));
	info.line = rec->line;
	if ((rc = build_key(r, rec)) < 0)
		return rc;
	if (rc)   /* the key is not known: shown empty */
		return keep_reject(r, side, rec->line, NULL, 0, r->why);
	if ((rc = read_attrs(r, rec, &info)) < 0)
		return rc;
	if (rc)
		return keep_reject(r, side, rec->line, r->key.p, r->key.len, r->why);
	st = top_stats(r, info.cat);
	st->records[side]++;
	if (dts_amount_add_money(&st->value[side], info.value, DTS_RATE_ONE) < 0)
		r->overflow = 1;
	return insert(r, side, &info);
}

/* ---- buckets --------------------------------------------------------------- */

static int period_differs(uint32_t a, uint32_t b)
{
	unsigned la = a & 7u, lb = b & 7u, lv = la < lb ? la : lb;

	if (!a || !b)
		return a != b;
	if ((a >> 3 & 0x3FFFu) != (b >> 3 & 0x3FFFu))
		return 1;
	if (lv >= DTS_PERIOD_QUARTER && (a >> 17 & 7u) != (b >> 17 & 7u))
		return 1;
	if (lv >= DTS_PERIOD_MONTH && (a >> 20 & 15u) != (b >> 20 & 15u))
		return 1;
	return lv >= DTS_PERIOD_DAY && (a >> 24 & 31u) != (b >> 24 & 31u);
}

/* right - left, exact: the int64 difference itself can overflow. */
static dts_amount diff_of(const dts__rinfo *l, const dts__rinfo *r)
{
	dts_amount d = DTS_AMOUNT_ZERO, lv = DTS_AMOUNT_ZERO;

	dts_amount_add_money(&d, r->value, DTS_RATE_ONE);
	dts_amount_add_money(&lv, l->value, DTS_RATE_ONE);
	dts_amount_sub(&d, &lv);   /* two int64 values: cannot overflow 128 bits */
	return d;
}

/* The matrix cell of (left category, right category), through a key
 * table: a linear search made n distinct disagreements cost n^2. */
static int matrix_add(dts_recon *r, const dts__rinfo *l, const dts__rinfo *rr)
{
	char k[4] = {(char)(l->cat >> 8), (char)l->cat, (char)(rr->cat >> 8),
		     (char)rr->cat};
	uint64_t h = dts__fnv(k, 4);
	dts__rentry *e = dts__rtab_find(&r->mxidx, h, k, 4);
	mcell *m;

	if (!e) {
		if (r->nmx == r->mxcap) {
			size_t cap = r->mxcap ? r->mxcap * 2 : 16;
			mcell *n = realloc(r->mx, cap * sizeof(*n));

			if (!n)
				return oom();
			r->mx = n;
			r->mxcap = cap;
		}
		if (!(e = dts__rtab_add(&r->mxidx, h, k, 4)))
			return oom();
		e->first[0].value = (dts_money)r->nmx;
		m = &r->mx[r->nmx++];
		memset(m, 0, sizeof(*m));
		m->l = l->cat;
		m->r = rr->cat;
	}
	m = &r->mx[e->first[0].value];
	m->n++;
	if (dts_amount_add_money(&m->lv, l->value, DTS_RATE_ONE) < 0 ||
	    dts_amount_add_money(&m->rv, rr->value, DTS_RATE_ONE) < 0)
		r->overflow = 1;
	return 0;
}

static void side_of(dts_recon_side *s, const dts_recon *r, const dts__rinfo *i)
{
	s->present = i != NULL;
	s->line = i ? i->line : 0;
	s->value = i ? i->value : 0;
	s->category = i ? r->cats.s[i->cat] : "";
}

static int emit(const dts_recon *r, dts_recon_item_cb cb, void *payload,
		int bucket, const dts__rentry *e, const dts__rinfo *l,
		const dts__rinfo *rr, const char *reason)
{
	dts_recon_item it;

	if (!cb)
		return 0;
	memset(&it, 0, sizeof(it));
	it.bucket = (dts_recon_bucket)bucket;
	it.key = e->key;
	it.key_len = e->klen;
	side_of(&it.left, r, l);
	side_of(&it.right, r, rr);
	if (l && rr)
		it.difference = diff_of(l, rr);
	it.reason = reason;
	return cb(&it, payload);
}

static int pair(dts_recon *r, const dts__rentry *e, dts_recon_item_cb cb,
		void *payload)
{
	const dts__rinfo *l = &e->first[0], *rr = &e->first[1];
	unsigned cmp = r->o.compare;
	int diff[DTS_RECON_NPAIR] = {0}, b = DTS_RECON_MATCHED, rc;
	dts_recon_counts *st = top_stats(r, l->cat);

	diff[DTS_RECON_CATEGORY_DIFF] = (cmp & DTS_RECON_CMP_CATEGORY) && l->cat != rr->cat;
	diff[DTS_RECON_VALUE_DIFF] = (cmp & DTS_RECON_CMP_VALUE) &&
		!dts_recon_tolerance_within(&r->o.tolerance, l->value, rr->value);
	diff[DTS_RECON_PERIOD_DIFF] = (cmp & DTS_RECON_CMP_PERIOD) &&
		period_differs(l->period, rr->period);
	diff[DTS_RECON_FLOW_DIFF] = (cmp & DTS_RECON_CMP_FLOW) && l->flow != rr->flow;
	for (int i = DTS_RECON_NPAIR - 1; i > DTS_RECON_MATCHED; i--)
		if (diff[i])
			b = i;
	st->pairs[b]++;
	r->why[0] = '\0';
	for (int i = DTS_RECON_CATEGORY_DIFF; i < DTS_RECON_NPAIR; i++)
		if (diff[i]) {
			size_t n = strlen(r->why);

			snprintf(r->why + n, sizeof(r->why) - n, "%s%s",
				 n ? "; " : "", dts_recon_bucket_name(i));
		}
	if (b == DTS_RECON_VALUE_DIFF) {
		dts_amount d = diff_of(l, rr);

		if (dts_amount_add(&st->value_diff, &d) < 0)
			r->overflow = 1;
	}
	if ((rc = emit(r, cb, payload, b, e, l, rr, r->why)) != 0)
		return rc;
	return b == DTS_RECON_CATEGORY_DIFF ? matrix_add(r, l, rr) : 0;
}

/* Every record of a duplicated key, each side. */
static int dup_group(dts_recon *r, const dts__rentry *e, dts_recon_item_cb cb,
		     void *payload)
{
	int rc;

	snprintf(r->why, sizeof(r->why), "key on left %u times, on right %u times",
		 e->n[0], e->n[1]);
	for (int s = 0; s < 2; s++) {
		const dts__rinfo *first = &e->first[s];

		if (!e->n[s])
			continue;
		top_stats(r, first->cat)->duplicate[s]++;
		if ((rc = emit(r, cb, payload, DTS_RECON_DUPLICATE, e,
			       s ? NULL : first, s ? first : NULL, r->why)) != 0)
			return rc;
	}
	for (uint32_t k = e->extra; k; k = r->tab.x[k - 1].next) {
		const dts__rextra *x = &r->tab.x[k - 1];
		int s = x->side;

		top_stats(r, x->info.cat)->duplicate[s]++;
		if ((rc = emit(r, cb, payload, DTS_RECON_DUPLICATE, e,
			       s ? NULL : &x->info, s ? &x->info : NULL, r->why)) != 0)
			return rc;
	}
	return 0;
}

/* Tops in the cube's canonical order (CBEC TECH SERV PROD DATA NONE ...). */
typedef struct top_ord {
	int rank;
	const char *name;
	uint16_t id;
} top_ord;

static int top_cmp(const void *pa, const void *pb)
{
	const top_ord *a = pa, *b = pb;

	return a->rank != b->rank ? (a->rank < b->rank ? -1 : 1) :
	       strcmp(a->name, b->name);
}

/* qsort, not insertion: up to 65535 tops (an insertion sort was n^2). */
static int sort_tops(dts_recon *r)
{
	top_ord *t = malloc((r->tops.n + 1) * sizeof(*t));

	if (!t || !(r->ord = malloc((r->tops.n + 1) * sizeof(*r->ord)))) {
		free(t);
		return oom();
	}
	for (size_t i = 0; i < r->tops.n; i++) {
		t[i].rank = dts_category_rank(r->tops.s[i]);
		t[i].name = r->tops.s[i];
		t[i].id = (uint16_t)i;
	}
	if (r->tops.n > 1)
		qsort(t, r->tops.n, sizeof(*t), top_cmp);
	for (size_t i = 0; i < r->tops.n; i++)
		r->ord[i] = t[i].id;
	free(t);
	return 0;
}

static int overflowed(void)
{
	return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
			  "a value sum overflowed the exact money range");
}

int dts_recon_run(dts_recon *r, dts_recon_item_cb cb, void *payload)
{
	int rc;

	if (!r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_run: NULL handle");
	if (r->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_run: run twice");
	r->ran = 1;
	if ((rc = sort_tops(r)) < 0)
		return rc;
	if (r->overflow)
		return overflowed();
	for (size_t i = 0; i < r->nrej; i++) {
		const reject *j = &r->rej[i];

		if (cb) {
			dts_recon_item it;

			memset(&it, 0, sizeof(it));
			it.bucket = DTS_RECON_REJECTED;
			it.key = j->key;
			it.key_len = j->klen;
			it.reason = j->reason;
			it.left.category = it.right.category = "";
			(j->side ? &it.right : &it.left)->present = 1;
			(j->side ? &it.right : &it.left)->line = j->line;
			if ((rc = cb(&it, payload)) != 0)
				return rc;
		}
	}
	for (size_t i = 0; i < r->tab.n; i++) {
		const dts__rentry *e = &r->tab.e[i];

		if (e->n[0] > 1 || e->n[1] > 1)
			rc = dup_group(r, e, cb, payload);
		else if (!e->n[0] || !e->n[1]) {
			int s = e->n[1] ? 1 : 0;

			top_stats(r, e->first[s].cat)->only[s]++;
			rc = emit(r, cb, payload, s ? DTS_RECON_RIGHT_ONLY :
				  DTS_RECON_LEFT_ONLY, e, s ? NULL : &e->first[0],
				  s ? &e->first[1] : NULL, "");
		} else
			rc = pair(r, e, cb, payload);
		if (rc != 0)
			return rc;
	}
	return r->overflow ? overflowed() : 0;
}

/* ---- counts ---------------------------------------------------------------- */

size_t dts_recon_key_count(const dts_recon *r)
{
	return r ? r->nkeys : 0;
}

const char *dts_recon_key(const dts_recon *r, size_t i)
{
	return r && i < r->nkeys ? r->keyname[i] : NULL;
}

unsigned dts_recon_compare(const dts_recon *r)
{
	return r ? r->o.compare : 0;
}

size_t dts_recon_category_count(const dts_recon *r)
{
	return r ? r->tops.n : 0;
}

int dts_recon_category(const char **code, dts_recon_counts *out,
		       const dts_recon *r, size_t i)
{
	if (!r || !r->ord || i >= r->tops.n)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_category: no category %zu (before the run?)", i);
	if (code)
		*code = r->tops.s[r->ord[i]];
	if (out)
		*out = r->st[r->ord[i]];
	return 0;
}

static int counts_add(dts_recon_counts *t, const dts_recon_counts *s)
{
	int rc = 0;

	for (int k = 0; k < 2; k++) {
		t->records[k] += s->records[k];
		t->duplicate[k] += s->duplicate[k];
		t->only[k] += s->only[k];
		rc |= dts_amount_add(&t->value[k], &s->value[k]);
	}
	for (int k = 0; k < DTS_RECON_NPAIR; k++)
		t->pairs[k] += s->pairs[k];
	return rc | dts_amount_add(&t->value_diff, &s->value_diff);
}

int dts_recon_summary(dts_recon_counts *out, const dts_recon *r)
{
	if (!out || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_summary: NULL");
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->tops.n; i++)
		if (counts_add(out, &r->st[i]) < 0)
			return overflowed();
	for (int s = 0; s < 2; s++) {
		out->read[s] = r->read[s];
		out->rejected[s] = r->rejected[s];
	}
	return 0;
}

int dts_recon_matrix_foreach(const dts_recon *r, dts_recon_matrix_cb cb,
			     void *payload)
{
	if (!r || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_matrix_foreach: NULL argument");
	for (size_t i = 0; i < r->nmx; i++) {
		const mcell *m = &r->mx[i];
		dts_recon_matrix_cell c;
		int rc;

		c.left_category = r->cats.s[m->l];
		c.right_category = r->cats.s[m->r];
		c.records = m->n;
		c.left_value = m->lv;
		c.right_value = m->rv;
		if ((rc = cb(&c, payload)) != 0)
			return rc;
	}
	return 0;
}

/* ---- records from a source ------------------------------------------------- */

int dts_recon_bind_source(int *classify, dts_recon *r, int side, dts_source *src)
{
	struct bound *b;
	const char *name;
	int rc;

	if ((rc = usable(r, side, src)) < 0)
		return rc;
	b = &r->side[side];
	name = dts_source_name(src);
	for (size_t k = 0; k < r->nkeys; k++)
		if (dts__rcol_find(&b->key[k], src, r->keyname[k]) < 0)
			return dts__error(DTS_ENOTFOUND, name, 0, 0, "key field \"%s\" "
					  "is not in the header", r->keyname[k]);
	if (dts__rcol_find(&b->value, src, "value") < 0)
		return dts__error(DTS_ENOTFOUND, name, 0, 0,
				  "no value column (value, 金额, ...)");
	if (dts_source_format(src) == DTS_FORMAT_CEB_XML)
		b->category.col = -1;    /* XML records are always classified */
	else
		dts__rcol_find(&b->category, src, "dts_category");
	if (dts__rcol_find(&b->period, src, "period") < 0 &&
	    (r->o.compare & DTS_RECON_CMP_PERIOD))
		return dts__error(DTS_ENOTFOUND, name, 0, 0,
				  "periods are compared but there is no period column");
	if (dts__rcol_find(&b->flow, src, "flow") < 0 &&
	    (r->o.compare & DTS_RECON_CMP_FLOW))
		return dts__error(DTS_ENOTFOUND, name, 0, 0,
				  "flows are compared but there is no flow column");
	b->classify = b->category.col == -1;
	b->src = src;
	if (classify)
		*classify = b->classify;
	return 0;
}

/* The record of the row just read, classified when it has no category. */
static int row_record(dts_recon *r, const struct bound *b, dts_source *src,
		      const dts_source_row *row, dts_scanner *sc,
		      dts_recon_record *x, const char **keys, size_t *lens)
{
	dts_result res;
	int rc;

	memset(x, 0, sizeof(*x));
	x->line = row->line;
	x->keys = keys;
	x->key_lens = lens;
	for (size_t k = 0; k < r->nkeys; k++)
		keys[k] = dts__rcol_get(&b->key[k], src, row, &lens[k]);
	x->value = dts__rcol_get(&b->value, src, row, &x->value_len);
	x->period = dts__rcol_get(&b->period, src, row, &x->period_len);
	x->flow = dts__rcol_get(&b->flow, src, row, &x->flow_len);
	if (!b->classify) {
		x->category = dts__rcol_get(&b->category, src, row, &x->category_len);
		return 0;
	}
	rc = dts_source_classify(&res, sc, dts_source_binding(src), row->cols,
				 row->lens, row->ncols);
	if (rc == DTS_EINPUT) {   /* the one reject policy: its reason */
		snprintf(r->cerr, sizeof(r->cerr), "%s", dts_error_last()->message);
		x->category_error = r->cerr;
		return 0;
	}
	if (rc < 0)
		return rc;
	x->category = res.category;
	x->category_len = strlen(res.category);
	return 0;
}

int dts_recon_add_source(dts_recon *r, int side, dts_source *src,
			 dts_scanner *scanner)
{
	const char *keys[MAX_KEYS];
	size_t lens[MAX_KEYS];
	dts_source_row row;
	dts_recon_record x;
	const struct bound *b;
	int rc;

	if ((rc = usable(r, side, src)) < 0)
		return rc;
	b = &r->side[side];
	if (b->src != src || (b->classify && !scanner))
		return dts__error(DTS_EINVAL, dts_source_name(src), 0, 0,
				  b->src != src ? "source not bound (dts_recon_bind_source)" :
				  "records without dts_category need a scanner");
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc == DTS_EINPUT)
			rc = dts_recon_reject(r, side, row.line, row.error);
		else if (rc > 0 && (rc = row_record(r, b, src, &row, scanner, &x,
						    keys, lens)) == 0)
			rc = dts_recon_add(r, side, &x);
		if (rc < 0 && rc != DTS_EINPUT)
			return rc;
	}
	return 0;
}

int dts_recon_add_sources(dts_recon *r, dts_source *left, dts_source *right,
			  dts_scanner *scanner)
{
	int64_t ls, rs;
	int first, rc;

	if (!left || !right)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_add_sources: NULL source");
	/* The smaller first; a size not known (standard input) counts as larger. */
	ls = dts_source_size(left);
	rs = dts_source_size(right);
	first = rs >= 0 && (ls < 0 || rs < ls);
	if ((rc = dts_recon_add_source(r, first, first ? right : left, scanner)) < 0)
		return rc;
	return dts_recon_add_source(r, !first, first ? left : right, scanner);
}

int dts_recon_add_files(dts_recon *r, const char *left, const char *right,
			const dts_source_options *opts, dts_recon_rules_cb rules_cb,
			void *payload)
{
	const char *path[2] = {left, right};
	dts_source *src[2] = {NULL, NULL};
	const dts_rules *rules = NULL;
	dts_scanner *sc = NULL;
	int classify[2] = {0, 0}, rc = 0, s;

	if (!r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_add_files: NULL argument");
	for (s = 0; s < 2 && !rc; s++)
		rc = dts_source_open(&src[s], path[s], opts);
	for (s = 0; s < 2 && !rc; s++)
		rc = dts_recon_bind_source(&classify[s], r, s, src[s]);
	if (!rc && (classify[0] || classify[1])) {
		if (!rules_cb)
			rc = dts__error(DTS_EINVAL, NULL, 0, 0,
					"raw records need a classifier: no rules callback");
		else if ((rc = rules_cb(&rules, payload)) == 0)
			rc = dts_scanner_new(&sc, rules, DTS_SCAN_VALID_UTF8);
	}
	if (!rc)
		rc = dts_recon_add_sources(r, src[0], src[1], sc);
	dts_scanner_free(sc);
	dts_source_free(src[0]);
	dts_source_free(src[1]);
	return rc;
}
