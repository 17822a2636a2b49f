/*
 * reconcile.c — record-by-record reconciliation of two sources.
 *
 * The smaller input (by bytes) is read into a key table; the larger is
 * streamed against it. Memory is proportional to the smaller side plus the
 * records of the larger side whose key the smaller lacks (kept so that a
 * duplicate among them is reported, not merged). Every record read lands
 * in exactly one bucket:
 *   rejected     bad row, empty key, value not a number, ...
 *   duplicate    its key occurs more than once on either side (all the
 *                records with that key, on both sides)
 *   left_only / right_only
 *   a matched pair (one record each side), under its first disagreement
 *   in the order category, value, period, flow; else clean.
 * Per top category, a pair counts under the left record's category.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dts/cube.h"
#include "rec_table.h"
#include "reconcile.h"
#include "table.h"
#include "tool.h"

#define MAX_KEYS 16

enum { P_CLEAN, P_CATEGORY, P_VALUE, P_PERIOD, P_FLOW, P_N };
static const char *const pair_names[P_N] = {
	"matched", "category_diff", "value_diff", "period_diff", "flow_diff"};

typedef struct cat_stats {
	uint64_t n[2];
	dts_amount v[2];        /* exact sums (dts_amount_add_money): past int64 */
	uint64_t pair[P_N];
	dts_amount value_diff;  /* sum of right - left over value_diff pairs */
	uint64_t dup[2], only[2];
} cat_stats;

typedef struct mcell {
	uint16_t l, r;
	uint64_t n;
	dts_amount lv, rv;
} mcell;

typedef struct ctx {
	const rec_opts *o;
	rec_input *in[2];
	char *keyname[MAX_KEYS];
	size_t nkeys;
	int keycol[2][MAX_KEYS], valcol[2], catcol[2], percol[2], flowcol[2];
	dts_rules *rules;
	dts_scanner *sc;
	rec_strs cats, tops;
	uint16_t *top_of;       /* category id -> top id */
	cat_stats *st;          /* per top id */
	size_t nst, stcap;      /* stcap: capacity of st and top_of */
	uint64_t read[2], rejected[2];
	rec_table build, extra_probe;
	int bside;              /* side read into the table: 0 left, 1 right */
	FILE *det;           /* det_out.f, or NULL without --details */
	tool_out det_out;
	mcell *mx;
	size_t nmx, mxcap;
	rec_table mxidx;        /* (left cat, right cat) -> index into mx */
	rec_key key;            /* the current record's key */
	int overflow;
} ctx;

static const char *side_name(int s) { return s ? "right" : "left"; }

/* ---- details ------------------------------------------------------------- */

static void csv_str(FILE *f, const char *s, size_t n)
{
	int q = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			q = 1;
	if (q)
		putc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			putc('"', f);
		putc(s[i], f);
	}
	if (q)
		putc('"', f);
}

static void det_info(ctx *c, const rec_info *r)
{
	char v[32];

	if (r) {
		rec_money_str(v, sizeof(v), r->value);
		fprintf(c->det, "%llu,%s,", (unsigned long long)r->line, v);
	} else {
		fputs(",,", c->det);
	}
}

/* right - left, exact: the int64 difference itself can overflow. */
static int sub_into(dts_amount *acc, const rec_info *l, const rec_info *r)
{
	dts_amount d = DTS_AMOUNT_ZERO, lv = DTS_AMOUNT_ZERO;

	dts_amount_add_money(&d, r->value, DTS_RATE_ONE);
	dts_amount_add_money(&lv, l->value, DTS_RATE_ONE);
	if (dts_amount_sub(&d, &lv) < 0)
		return -1;
	return dts_amount_add(acc, &d);
}

static void diff_str(char *buf, size_t n, const rec_info *l, const rec_info *r)
{
	dts_amount d = DTS_AMOUNT_ZERO;

	sub_into(&d, l, r);   /* two int64 values: cannot overflow 128 bits */
	rec_amount_str(buf, n, &d);
}

/* bucket,key,left_line,left_value,right_line,right_value,difference,
 * left_category,right_category,reason */
static void det_row(ctx *c, const char *bucket, const char *key, size_t klen,
		    const rec_info *l, const rec_info *r, const char *reason)
{
	char d[64] = "";

	if (!c->det)
		return;
	fprintf(c->det, "%s,", bucket);
	csv_str(c->det, key, klen);
	putc(',', c->det);
	det_info(c, l);
	det_info(c, r);
	if (l && r)
		diff_str(d, sizeof(d), l, r);
	fprintf(c->det, "%s,%s,%s,", d, l ? c->cats.s[l->cat] : "",
		r ? c->cats.s[r->cat] : "");
	csv_str(c->det, reason, strlen(reason));
	putc('\n', c->det);
}

static void det_reject(ctx *c, int s, uint64_t line, const char *key,
		       size_t klen, const char *why)
{
	if (!c->det)
		return;
	fprintf(c->det, "rejected,");
	csv_str(c->det, key, klen);
	putc(',', c->det);
	if (s)
		fprintf(c->det, ",,%llu,,", (unsigned long long)line);
	else
		fprintf(c->det, "%llu,,,,", (unsigned long long)line);
	fprintf(c->det, ",,,");
	csv_str(c->det, why, strlen(why));
	putc('\n', c->det);
}

/* ---- columns and categories ---------------------------------------------- */

static int resolve(ctx *c, int s)
{
	rec_input *in = c->in[s];
	const char *path = rec_input_path(in);

	for (size_t k = 0; k < c->nkeys; k++)
		if ((c->keycol[s][k] = rec_input_column(in, c->keyname[k])) < 0) {
			tool_warn("%s: key field \"%s\" is not in the header",
				  path, c->keyname[k]);
			return -1;
		}
	if ((c->valcol[s] = rec_input_column(in, "value")) < 0) {
		tool_warn("%s: no value column (value, 金额, ...)", path);
		return -1;
	}
	c->catcol[s] = rec_input_is_xml(in) ? -1 :
		       rec_input_column(in, "dts_category");
	c->percol[s] = rec_input_column(in, "period");
	c->flowcol[s] = rec_input_column(in, "flow");
	if ((c->o->compare & REC_CMP_PERIOD) && c->percol[s] < 0) {
		tool_warn("%s: --compare period but no period column", path);
		return -1;
	}
	if ((c->o->compare & REC_CMP_FLOW) && c->flowcol[s] < 0) {
		tool_warn("%s: --compare flow but no flow column", path);
		return -1;
	}
	if (c->catcol[s] < 0 && !c->sc) {
		if (!(c->rules = tool_load_rules(c->o->rules, c->o->nrules)))
			return -1;
		if (dts_scanner_new(&c->sc, c->rules, DTS_SCAN_VALID_UTF8) < 0) {
			tool_lib_error(NULL);
			return -1;
		}
	}
	return 0;
}

/* Category id of a code, with its top code interned and stats grown. */
static int cat_id(ctx *c, const char *s, size_t len)
{
	int id = rec_strs_id(&c->cats, s, len), top;
	const char *dot;

	if (id < 0 || (size_t)id < c->nst)
		return id;
	/* new category: c->cats.n grew by one */
	dot = memchr(s, '.', len);
	top = rec_strs_id(&c->tops, s, dot ? (size_t)(dot - s) : len);
	if (top < 0)
		return -1;
	if (c->cats.n > c->stcap) {   /* doubling: one realloc per category was n^2 */
		size_t cap = c->stcap ? c->stcap * 2 : 64;
		uint16_t *t = realloc(c->top_of, cap * sizeof(*t));
		cat_stats *st;

		if (!t)
			return -1;
		c->top_of = t;
		if (!(st = realloc(c->st, cap * sizeof(*st))))
			return -1;
		c->st = st;
		c->stcap = cap;
	}
	memset(&c->st[c->nst], 0, sizeof(*c->st));
	c->top_of[id] = (uint16_t)top;
	c->nst = c->cats.n;
	return id;
}

/* Stats are indexed by top id (which is <= category count). */
static cat_stats *top_stats(ctx *c, uint16_t cat)
{
	return &c->st[c->top_of[cat]];
}

/* ---- reading one row ------------------------------------------------------ */

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

/* The record's key in c->key: the trimmed key fields, joined injectively
 * (rec_key_part), so distinct field lists never match. */
static int build_key(ctx *c, int s, size_t *klen, char *why, size_t wn)
{
	rec_key_reset(&c->key);
	for (size_t k = 0; k < c->nkeys; k++) {
		size_t len;
		const char *v = rec_input_get(c->in[s], c->keycol[s][k], &len);

		v = trim(v, &len);
		if (!len) {
			snprintf(why, wn, "empty key field \"%s\"", c->keyname[k]);
			return -1;
		}
		if (rec_key_part(&c->key, v, len) < 0) {
			snprintf(why, wn, "out of memory");
			return -2;
		}
	}
	*klen = c->key.len;
	return 0;
}

static uint32_t pack_period(const dts_period *p)
{
	return (uint32_t)p->level | (uint32_t)p->year << 3 |
	       (uint32_t)p->quarter << 17 | (uint32_t)p->month << 20 |
	       (uint32_t)p->day << 24;
}

static int read_attrs(ctx *c, int s, rec_info *r, char *why, size_t wn)
{
	size_t len;
	const char *v = rec_input_get(c->in[s], c->valcol[s], &len);
	dts_period p;
	int id;

	if (dts_money_parse(&r->value, v, len) < 0) {
		snprintf(why, wn, "value: %s", dts_error_last()->message);
		return -1;
	}
	if (c->o->compare & REC_CMP_PERIOD) {
		v = trim(rec_input_get(c->in[s], c->percol[s], &len), &len);
		if (len && dts_period_parse(&p, v, len) < 0) {
			snprintf(why, wn, "period: %s", dts_error_last()->message);
			return -1;
		}
		r->period = len ? pack_period(&p) : 0;
	}
	if (c->o->compare & REC_CMP_FLOW) {
		v = rec_input_get(c->in[s], c->flowcol[s], &len);
		r->flow = (uint8_t)dts_flow_parse(v, len);
	}
	if (c->catcol[s] >= 0) {
		v = trim(rec_input_get(c->in[s], c->catcol[s], &len), &len);
		if (!len) {
			snprintf(why, wn, "empty dts_category");
			return -1;
		}
	} else {
		dts_result res;

		if (rec_input_classify(c->in[s], c->sc, &res, why, wn) < 0)
			return -1;
		v = res.category;
		len = strlen(v);
	}
	if ((id = cat_id(c, v, len)) < 0) {
		snprintf(why, wn, "out of memory or more than 65535 categories");
		return -2;
	}
	r->cat = (uint16_t)id;
	return 0;
}

/* 1: a record in r and c->key; 0: rejected (reported); 0 > : fatal. */
static int read_row(ctx *c, int s, rec_info *r, size_t *klen)
{
	char why[1200];
	const char *err;
	cat_stats *st;
	int rc = rec_input_next(c->in[s], &r->line, &err);

	if (rc == 0 || (rc < 0 && rc != DTS_EINPUT))
		return rc == 0 ? 2 : -1;
	c->read[s]++;
	memset(&r->period, 0, sizeof(*r) - offsetof(rec_info, period));
	*klen = 0;
	if (rc == DTS_EINPUT)
		snprintf(why, sizeof(why), "%s", err ? err : "malformed record");
	else if ((rc = build_key(c, s, klen, why, sizeof(why))) == 0)
		rc = read_attrs(c, s, r, why, sizeof(why)); /* key known: named */
	if (rc == -2) {
		tool_warn("%s", why);
		return -1;
	}
	if (rc < 0) {
		c->rejected[s]++;
		det_reject(c, s, r->line, c->key.p, *klen, why);
		return 0;
	}
	st = top_stats(c, r->cat);
	st->n[s]++;
	if (dts_amount_add_money(&st->v[s], r->value, DTS_RATE_ONE) < 0)
		c->overflow = 1;
	return 1;
}

/* ---- the two passes -------------------------------------------------------- */

static int load_build(ctx *c)
{
	rec_info r;
	size_t klen;
	int rc;

	while ((rc = read_row(c, c->bside, &r, &klen)) != 2) {
		uint64_t h;
		rec_entry *e;

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		h = rec_hash(c->key.p, klen);
		if ((e = rec_table_find(&c->build, h, c->key.p, klen))) {
			e->na++;
			if (rec_table_extra(&c->build, e, 0, &r) < 0)
				goto oom;
		} else if (!rec_table_add(&c->build, h, c->key.p, klen, &r)) {
			goto oom;
		}
	}
	return 0;
oom:
	tool_warn("out of memory (or more than 2^32 keys)");
	return -1;
}

static int probe_one(ctx *c, const rec_info *r, size_t klen)
{
	uint64_t h = rec_hash(c->key.p, klen);
	rec_entry *e = rec_table_find(&c->build, h, c->key.p, klen);

	if (e) {
		if (e->nb++ == 0) {
			e->b = *r;
			return 0;
		}
		return rec_table_extra(&c->build, e, 1, r);
	}
	if ((e = rec_table_find(&c->extra_probe, h, c->key.p, klen))) {
		e->na++;
		return rec_table_extra(&c->extra_probe, e, 0, r);
	}
	return rec_table_add(&c->extra_probe, h, c->key.p, klen, r) ? 0 : -1;
}

static int stream_probe(ctx *c)
{
	rec_info r;
	size_t klen;
	int rc;

	while ((rc = read_row(c, 1 - c->bside, &r, &klen)) != 2) {
		if (rc < 0)
			return -1;
		if (rc == 1 && probe_one(c, &r, klen) < 0) {
			tool_warn("out of memory (or more than 2^32 keys)");
			return -1;
		}
	}
	return 0;
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

/* The matrix cell of (left category, right category), found through a
 * key table: a linear search made n distinct disagreements cost n^2. */
static int matrix_add(ctx *c, const rec_info *l, const rec_info *r)
{
	unsigned char k[4] = {(unsigned char)(l->cat >> 8), (unsigned char)l->cat,
			      (unsigned char)(r->cat >> 8), (unsigned char)r->cat};
	uint64_t h = rec_hash((const char *)k, 4);
	rec_entry *e = rec_table_find(&c->mxidx, h, (const char *)k, 4);
	mcell *m;

	if (!e) {
		rec_info at;

		if (c->nmx == c->mxcap) {
			size_t cap = c->mxcap ? c->mxcap * 2 : 16;
			mcell *n = realloc(c->mx, cap * sizeof(*n));

			if (!n)
				return -1;
			c->mx = n;
			c->mxcap = cap;
		}
		memset(&at, 0, sizeof(at));
		at.value = (dts_money)c->nmx;
		if (!(e = rec_table_add(&c->mxidx, h, (const char *)k, 4, &at)))
			return -1;
		m = &c->mx[c->nmx++];
		memset(m, 0, sizeof(*m));
		m->l = l->cat;
		m->r = r->cat;
	}
	m = &c->mx[e->a.value];
	m->n++;
	if (dts_amount_add_money(&m->lv, l->value, DTS_RATE_ONE) < 0 ||
	    dts_amount_add_money(&m->rv, r->value, DTS_RATE_ONE) < 0)
		c->overflow = 1;
	return 0;
}

static int pair(ctx *c, const char *key, size_t klen, const rec_info *l,
		const rec_info *r)
{
	unsigned cmp = c->o->compare;
	int diff[P_N] = {0};
	char why[256] = "";
	int b = P_CLEAN;
	cat_stats *st = top_stats(c, l->cat);

	diff[P_CATEGORY] = (cmp & REC_CMP_CATEGORY) && l->cat != r->cat;
	diff[P_VALUE] = (cmp & REC_CMP_VALUE) &&
			!rec_tol_within(&c->o->tol, l->value, r->value);
	diff[P_PERIOD] = (cmp & REC_CMP_PERIOD) &&
			 period_differs(l->period, r->period);
	diff[P_FLOW] = (cmp & REC_CMP_FLOW) && l->flow != r->flow;
	for (int i = P_N - 1; i > P_CLEAN; i--)
		if (diff[i])
			b = i;
	st->pair[b]++;
	if (b == P_CLEAN)
		return 0;
	for (int i = P_CATEGORY; i < P_N; i++)
		if (diff[i]) {
			size_t n = strlen(why);

			snprintf(why + n, sizeof(why) - n, "%s%s",
				 n ? "; " : "", pair_names[i]);
		}
	if (b == P_VALUE && sub_into(&st->value_diff, l, r) < 0)
		c->overflow = 1;
	det_row(c, pair_names[b], key, klen, l, r, why);
	return b == P_CATEGORY ? matrix_add(c, l, r) : 0;
}

/* Every record of a duplicated key, each side. */
static void dup_group(ctx *c, const rec_table *t, const rec_entry *e, int sa)
{
	char why[96];
	uint32_t n[2];

	n[sa] = e->na;
	n[1 - sa] = t == &c->build ? e->nb : 0;
	snprintf(why, sizeof(why), "key on left %u times, on right %u times",
		 n[0], n[1]);
	for (int s = 0; s < 2; s++) {
		const rec_info *first = s == sa ? &e->a : &e->b;

		if (!n[s])
			continue;
		top_stats(c, first->cat)->dup[s]++;
		det_row(c, "duplicate", e->key, e->klen, s ? NULL : first,
			s ? first : NULL, why);
	}
	for (uint32_t k = e->extra; k; k = t->x[k - 1].next) {
		const rec_extra *x = &t->x[k - 1];
		int s = x->side ? 1 - sa : sa;

		top_stats(c, x->info.cat)->dup[s]++;
		det_row(c, "duplicate", e->key, e->klen, s ? NULL : &x->info,
			s ? &x->info : NULL, why);
	}
}

static void only(ctx *c, const rec_entry *e, int s)
{
	top_stats(c, e->a.cat)->only[s]++;
	det_row(c, s ? "right_only" : "left_only", e->key, e->klen,
		s ? NULL : &e->a, s ? &e->a : NULL, "");
}

static int finish(ctx *c)
{
	int a = c->bside;

	for (size_t i = 0; i < c->build.n; i++) {
		const rec_entry *e = &c->build.e[i];

		if (e->na > 1 || e->nb > 1)
			dup_group(c, &c->build, e, a);
		else if (!e->nb)
			only(c, e, a);
		else if (pair(c, e->key, e->klen, a ? &e->b : &e->a,
			      a ? &e->a : &e->b) < 0)
			return -1;
	}
	for (size_t i = 0; i < c->extra_probe.n; i++) {
		const rec_entry *e = &c->extra_probe.e[i];

		if (e->na > 1)
			dup_group(c, &c->extra_probe, e, 1 - a);
		else
			only(c, e, 1 - a);
	}
	return 0;
}

/* ---- report ------------------------------------------------------------------ */

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
static int sort_tops(const rec_strs *tops, uint16_t *ord)
{
	top_ord *t = malloc((tops->n + 1) * sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i < tops->n; i++) {
		t[i].rank = dts_category_rank(tops->s[i]);
		t[i].name = tops->s[i];
		t[i].id = (uint16_t)i;
	}
	if (tops->n > 1)
		qsort(t, tops->n, sizeof(*t), top_cmp);
	for (size_t i = 0; i < tops->n; i++)
		ord[i] = t[i].id;
	free(t);
	return 0;
}

static int stats_add(cat_stats *t, const cat_stats *s)
{
	int rc = 0;

	for (int k = 0; k < 2; k++) {
		t->n[k] += s->n[k];
		t->dup[k] += s->dup[k];
		t->only[k] += s->only[k];
		rc |= dts_amount_add(&t->v[k], &s->v[k]);
	}
	for (int k = 0; k < P_N; k++)
		t->pair[k] += s->pair[k];
	return rc | dts_amount_add(&t->value_diff, &s->value_diff);
}

/* The columns shown: pair buckets only for what was compared. */
static int shown(const ctx *c, int p)
{
	static const unsigned need[P_N] = {0, REC_CMP_CATEGORY, REC_CMP_VALUE,
					   REC_CMP_PERIOD, REC_CMP_FLOW};

	return p == P_CLEAN || (c->o->compare & need[p]);
}

static int summary_row(const ctx *c, tbl *t, const char *name,
		       const cat_stats *s, int total)
{
	char buf[20][64];
	const char *row[20];
	size_t n = 0;

	row[n++] = name;
#define U(x) (snprintf(buf[n], 64, "%llu", (unsigned long long)(x)), row[n] = buf[n], n++)
#define M(x) (rec_amount_str(buf[n], 64, &(x)), row[n] = buf[n], n++)
	U(s->n[0]); M(s->v[0]); U(s->n[1]); M(s->v[1]);
	for (int p = 0; p < P_N; p++) {
		if (!shown(c, p))
			continue;
		U(s->pair[p]);
		if (p == P_VALUE)
			M(s->value_diff);
	}
	U(s->dup[0]); U(s->dup[1]); U(s->only[0]); U(s->only[1]);
	/* rejected records have no category: only the total has them */
	U(total ? c->rejected[0] : 0); U(total ? c->rejected[1] : 0);
#undef U
#undef M
	return tbl_add_row(t, row);
}

static int summary_table(const ctx *c, tbl *t, cat_stats *total)
{
	const char *names[20];
	size_t n = 0;
	uint16_t *ord = malloc((c->tops.n + 1) * sizeof(*ord));
	int rc = -1;

	names[n++] = "category";
	names[n++] = "left_records";
	names[n++] = "left_value";
	names[n++] = "right_records";
	names[n++] = "right_value";
	for (int p = 0; p < P_N; p++)
		if (shown(c, p)) {
			names[n++] = pair_names[p];
			if (p == P_VALUE)
				names[n++] = "value_diff_sum";
		}
	names[n++] = "duplicate_left";
	names[n++] = "duplicate_right";
	names[n++] = "left_only";
	names[n++] = "right_only";
	names[n++] = "rejected_left";
	names[n++] = "rejected_right";
	memset(total, 0, sizeof(*total));
	if (!ord || tbl_init(t, names, n, 1) < 0 || sort_tops(&c->tops, ord) < 0)
		goto done;
	for (size_t i = 0; i < c->tops.n; i++) {
		if (summary_row(c, t, c->tops.s[ord[i]], &c->st[ord[i]], 0) < 0)
			goto done;
		if (stats_add(total, &c->st[ord[i]]) < 0) {
			tool_warn("a value sum overflowed the exact money range");
			goto done;
		}
	}
	rc = summary_row(c, t, "TOTAL", total, 1);
done:
	free(ord);
	return rc;
}

static int matrix_table(const ctx *c, tbl *t)
{
	static const char *const names[] = {"left_category", "right_category",
		"records", "left_value", "right_value"};

	if (tbl_init(t, names, 5, 2) < 0)
		return -1;
	for (size_t i = 0; i < c->nmx; i++) {
		const mcell *m = &c->mx[i];
		char n[32], lv[64], rv[64];
		const char *row[5] = {c->cats.s[m->l], c->cats.s[m->r], n, lv, rv};

		snprintf(n, sizeof(n), "%llu", (unsigned long long)m->n);
		rec_amount_str(lv, sizeof(lv), &m->lv);
		rec_amount_str(rv, sizeof(rv), &m->rv);
		if (tbl_add_row(t, row) < 0)
			return -1;
	}
	return 0;
}

static uint64_t bucket_sum(const ctx *c, const cat_stats *t, int s)
{
	uint64_t sum = t->dup[s] + t->only[s] + c->rejected[s];

	for (int p = 0; p < P_N; p++)
		if (shown(c, p))
			sum += t->pair[p];
	return sum;
}

/* "left  10 read = 6 matched + ... + 1 rejected"; 1 when it adds up. */
static int accounting(const ctx *c, FILE *f, const cat_stats *t, int s)
{
	fprintf(f, "%-5s %llu read =", side_name(s),
		(unsigned long long)c->read[s]);
	for (int p = 0; p < P_N; p++)
		if (shown(c, p))
			fprintf(f, " %llu %s +", (unsigned long long)t->pair[p],
				pair_names[p]);
	fprintf(f, " %llu duplicate + %llu %s_only + %llu rejected\n",
		(unsigned long long)t->dup[s], (unsigned long long)t->only[s],
		side_name(s), (unsigned long long)c->rejected[s]);
	return bucket_sum(c, t, s) == c->read[s];
}

static int write_text(const ctx *c, FILE *f, const tbl *sum, const tbl *mx,
		      const cat_stats *total)
{
	int ok;

	fprintf(f, "left:  %s\nright: %s\nkey: ", c->o->left, c->o->right);
	for (size_t k = 0; k < c->nkeys; k++)
		fprintf(f, "%s%s", k ? "," : "", c->keyname[k]);
	fprintf(f, "\n\n");
	if (out_text(sum, f) < 0)
		return -1;
	if (mx->nrows) {
		fprintf(f, "\ncategory disagreements (left -> right):\n");
		if (out_text(mx, f) < 0)
			return -1;
	}
	fputc('\n', f);
	ok = accounting(c, f, total, 0);
	ok &= accounting(c, f, total, 1);
	fprintf(f, "%s\n", ok ? "every record is in exactly one bucket" :
		"ERROR: the buckets do not add up to the records read");
	return ok ? 0 : -2;
}

/* The summary, the matrix and the details are renamed into place
 * together, or none is (tool_out_commit_all). */
static int write_outputs(ctx *c, const tbl *sum, const tbl *mx,
			 const cat_stats *total)
{
	const rec_opts *o = c->o;
	tool_out out = {0}, mxo = {0};
	int rc;

	if (!strcmp(o->format, "xlsx")) { /* a workbook commits itself */
		rc = out_table(sum, "xlsx", o->output);
		if (rc == 0 && o->matrix)
			rc = out_table(mx, "csv", o->matrix);
		return rc;
	}
	if (tool_out_open(&out, o->output) < 0 ||
	    (o->matrix && tool_out_open(&mxo, o->matrix) < 0)) {
		tool_out_abort(&out);
		return -1;
	}
	rc = !strcmp(o->format, "csv") ? out_csv(sum, out.f) :
	     write_text(c, out.f, sum, mx, total);
	if (rc == -1 || (o->matrix && out_csv(mx, mxo.f) < 0)) {
		tool_out_write_failed(rc == -1 ? &out : &mxo);
		tool_out_abort(&out);
		tool_out_abort(&mxo);
		return -1;
	}
	c->det = NULL; /* committed here, with the others */
	if (tool_out_commit_all((tool_out *[]){&out, &mxo, &c->det_out}, 3) < 0)
		return -1;
	return rc;
}

static int report(ctx *c)
{
	tbl sum, mx;
	cat_stats total;
	int rc = EXIT_IO, w;

	memset(&sum, 0, sizeof(sum));
	memset(&mx, 0, sizeof(mx));
	if (summary_table(c, &sum, &total) < 0 || matrix_table(c, &mx) < 0) {
		tool_warn("out of memory");
		goto done;
	}
	if ((w = write_outputs(c, &sum, &mx, &total)) == -1)
		goto done;
	if (w == -2 || bucket_sum(c, &total, 0) != c->read[0] ||
	    bucket_sum(c, &total, 1) != c->read[1]) {
		tool_warn("internal error: the buckets do not add up");
		goto done;
	}
	rc = total.pair[P_CLEAN] == total.n[0] && total.n[0] == total.n[1] &&
	     !c->rejected[0] && !c->rejected[1] ? EXIT_OK : EXIT_REJECTS;
done:
	tbl_free(&sum);
	tbl_free(&mx);
	return rc;
}

/* ---- driver ------------------------------------------------------------------- */

static int split_keys(ctx *c, const char *keys)
{
	const char *p = keys;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (!n || c->nkeys == MAX_KEYS ||
		    !(c->keyname[c->nkeys] = strndup(p, n))) {
			tool_warn("--key: bad field list \"%s\"", keys);
			return -1;
		}
		c->nkeys++;
		p += n + (p[n] == ',');
	}
	if (!c->nkeys) {
		tool_warn("--key: no field given");
		return -1;
	}
	return 0;
}

static void ctx_free(ctx *c)
{
	for (int s = 0; s < 2; s++)
		rec_input_free(c->in[s]);
	for (size_t k = 0; k < c->nkeys; k++)
		free(c->keyname[k]);
	dts_scanner_free(c->sc);
	dts_rules_free(c->rules);
	rec_strs_free(&c->cats);
	rec_strs_free(&c->tops);
	free(c->top_of);
	free(c->st);
	rec_table_free(&c->build);
	rec_table_free(&c->extra_probe);
	free(c->mx);
	rec_table_free(&c->mxidx);
	rec_key_free(&c->key);
}

static int open_details(ctx *c)
{
	if (!c->o->details)
		return 0;
	if (tool_out_open(&c->det_out, c->o->details) < 0)
		return -1;
	c->det = c->det_out.f;
	fputs("bucket,key,left_line,left_value,right_line,right_value,"
	      "difference,left_category,right_category,reason\n", c->det);
	return 0;
}

int rec_reconcile(const rec_opts *o)
{
	ctx c;
	int rc = EXIT_IO;

	memset(&c, 0, sizeof(c));
	c.o = o;
	if (split_keys(&c, o->keys) < 0) {
		ctx_free(&c);
		return EXIT_USAGE;
	}
	if (rec_input_open(&c.in[0], o->left, o->map, o->nmap) < 0 ||
	    rec_input_open(&c.in[1], o->right, o->map, o->nmap) < 0 ||
	    resolve(&c, 0) < 0 || resolve(&c, 1) < 0 || open_details(&c) < 0)
		goto done;
	/* Hash the smaller side; a size unknown (stdin) is taken as larger. */
	{
		int64_t l = rec_input_size(c.in[0]), r = rec_input_size(c.in[1]);

		c.bside = (r >= 0 && (l < 0 || r < l)) ? 1 : 0;
	}
	if (load_build(&c) < 0 || stream_probe(&c) < 0 || finish(&c) < 0)
		goto done;
	if (c.overflow) {
		tool_warn("a value sum overflowed the exact money range");
		goto done;
	}
	rc = report(&c);
done:
	/* Normally committed with the summary; here only after an error. */
	if (c.det && rc == EXIT_IO)
		tool_out_abort(&c.det_out);
	else if (c.det && tool_out_commit(&c.det_out) < 0)
		rc = EXIT_IO;
	ctx_free(&c);
	return rc;
}
