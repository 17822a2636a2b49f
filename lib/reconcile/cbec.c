/*
 * cbec.c — the order / payment / waybill / inventory check (三单对碰,
 * customs notice 2018/194): dts_recon_cbec. Orders, payments and
 * waybills are held as rows of strings with hash indexes by join key;
 * inventories are checked in the order added, which is also the order the
 * buyer's annual total accumulates in.
 *
 * Joins: inventory -> order on orderNo + ebpCode; order -> payment on the
 * order's payTransactionId (else the payment's orderNo + ebpCode);
 * inventory -> waybill on logisticsNo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recon_int.h"

static const char *const check_names[DTS_RECON_CBEC_NCHECKS] = {
	"order_missing", "payment_missing", "waybill_missing", "paid_mismatch",
	"order_sum", "buyer_not_payer", "single_limit", "annual_limit",
	"malformed"};

enum { O_NO, O_EBP, O_GOODS, O_FREIGHT, O_DISC, O_TAX, O_PAID, O_BUYER,
       O_BUYERNAME, O_PAYTX };
static const char *const order_cols[] = {"orderNo", "ebpCode", "goodsValue",
	"freight", "discount", "taxTotal", "acturalPaid", "buyerIdNumber",
	"buyerName", "payTransactionId"};
enum { P_TX, P_NO, P_EBP, P_PAYER, P_PAYERNAME, P_AMOUNT };
static const char *const pay_cols[] = {"payTransactionId", "orderNo",
	"ebpCode", "payerIdNumber", "payerName", "amountPaid"};
enum { W_NO };
static const char *const way_cols[] = {"logisticsNo"};
enum { I_NO, I_EBP, I_LOG, I_INVT, I_IEFLAG, I_MODE, I_DATE, I_PRICE, I_COP };
static const char *const inv_cols[] = {"orderNo", "ebpCode", "logisticsNo",
	"invtNo", "ieFlag", "tradeMode", "ieDate", "totalPrice", "copNo"};

static const char *const *const doc_cols[DTS_RECON_CBEC_NDOCS] = {
	order_cols, pay_cols, way_cols, inv_cols};
static const size_t doc_ncols[DTS_RECON_CBEC_NDOCS] = {10, 6, 1, 9};

/* One document kind: rows of strings. */
typedef struct doc {
	size_t nnames;
	char **v;            /* nrows * nnames */
	uint64_t *line;
	size_t nrows, cap;
	dts__rtab idx, idx2; /* primary and secondary join keys -> row */
} doc;

struct dts_recon_cbec {
	dts_recon_cbec_options o;
	doc d[DTS_RECON_CBEC_NDOCS];
	dts__rtab annual;       /* buyer | year -> accumulated value */
	dts__rkey key;          /* scratch for join keys */
	dts_recon_cbec_summary sum;
	int ran;
};

#define ORD(c) (&(c)->d[DTS_RECON_CBEC_ORDER])
#define PAY(c) (&(c)->d[DTS_RECON_CBEC_PAYMENT])
#define WAY(c) (&(c)->d[DTS_RECON_CBEC_WAYBILL])
#define INV(c) (&(c)->d[DTS_RECON_CBEC_INVENTORY])

const char *dts_recon_cbec_check_name(int k)
{
	return k >= 0 && k < DTS_RECON_CBEC_NCHECKS ? check_names[k] : NULL;
}

size_t dts_recon_cbec_columns(const char *const **names, int kind)
{
	if (kind < 0 || kind >= DTS_RECON_CBEC_NDOCS)
		return 0;
	if (names)
		*names = doc_cols[kind];
	return doc_ncols[kind];
}

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

int dts_recon_cbec_new(dts_recon_cbec **out, const dts_recon_cbec_options *opts)
{
	dts_recon_cbec_options def = DTS_RECON_CBEC_OPTIONS_INIT;
	dts_recon_cbec *c;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_cbec_new: NULL out");
	*out = NULL;
	if (!opts)
		opts = &def;
	if (opts->version != DTS_RECON_CBEC_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_cbec_options: unknown version %u",
				  opts->version);
	if (opts->single_limit < 0 || opts->annual_limit < 0 ||
	    opts->tolerance.amount < 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_cbec_options: a negative limit or tolerance");
	if (!(c = calloc(1, sizeof(*c))))
		return oom();
	c->o = *opts;
	for (int k = 0; k < DTS_RECON_CBEC_NDOCS; k++)
		c->d[k].nnames = doc_ncols[k];
	*out = c;
	return 0;
}

static void doc_free(doc *d)
{
	for (size_t i = 0; i < d->nrows * d->nnames; i++)
		free(d->v[i]);
	free(d->v);
	free(d->line);
	dts__rtab_free(&d->idx);
	dts__rtab_free(&d->idx2);
}

void dts_recon_cbec_free(dts_recon_cbec *c)
{
	if (!c)
		return;
	for (int k = 0; k < DTS_RECON_CBEC_NDOCS; k++)
		doc_free(&c->d[k]);
	dts__rtab_free(&c->annual);
	dts__rkey_free(&c->key);
	free(c);
}

int dts_recon_cbec_add(dts_recon_cbec *c, int kind, uint64_t line,
		       const char *const *values, const size_t *lens)
{
	doc *d;

	if (!c || kind < 0 || kind >= DTS_RECON_CBEC_NDOCS || !values || c->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_cbec_add: "
				  "NULL handle or values, bad document, or after the run");
	d = &c->d[kind];
	if (d->nrows == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		char **v = realloc(d->v, cap * d->nnames * sizeof(*v));
		uint64_t *l;

		if (!v)
			return oom();
		d->v = v;
		if (!(l = realloc(d->line, cap * sizeof(*l))))
			return oom();
		d->line = l;
		d->cap = cap;
	}
	for (size_t i = 0; i < d->nnames; i++) {
		const char *s = values[i] ? values[i] : "";
		size_t len = values[i] && lens ? lens[i] : strlen(s);

		if (!(d->v[d->nrows * d->nnames + i] = strndup(s, len))) {
			for (size_t j = 0; j < i; j++)
				free(d->v[d->nrows * d->nnames + j]);
			return oom();
		}
	}
	d->line[d->nrows++] = line;
	return 0;
}

static const char *cell(const doc *d, size_t row, int col)
{
	return d->v[row * d->nnames + (size_t)col];
}

/* The join key of two fields in k (injective, no length limit). */
static const char *join2(dts__rkey *k, const char *a, const char *b)
{
	dts__rkey_reset(k);
	if (dts__rkey_part(k, a, strlen(a)) < 0 || dts__rkey_part(k, b, strlen(b)) < 0)
		return NULL;
	return k->p;
}

/* Row index for key in idx, or -1. */
static long doc_find(const dts__rtab *idx, const char *key, size_t len)
{
	const dts__rentry *e = dts__rtab_find(idx, dts__fnv(key, len), key, len);

	return e ? (long)e->first[0].value : -1;
}

static int index_row(dts__rtab *idx, const char *key, size_t len, size_t row)
{
	dts__rentry *e;

	if (!len || dts__rtab_find(idx, dts__fnv(key, len), key, len))
		return 0;    /* first record of a key wins (XML: one per List item) */
	if (!(e = dts__rtab_add(idx, dts__fnv(key, len), key, len)))
		return -1;
	e->first[0].value = (dts_money)row;
	return 0;
}

/* ---- the checks ------------------------------------------------------------ */

typedef struct verdict {
	int k[DTS_RECON_CBEC_NCHECKS];
	int bad;
	char why[2048];
} verdict;

static void note(verdict *v, const char *text)
{
	size_t n = strlen(v->why);

	snprintf(v->why + n, sizeof(v->why) - n, "%s%s", n ? "; " : "", text);
}

/* Parse an amount; on failure note the reason. Empty counts as 0. */
static int amount(dts_money *out, const char *s, const char *what, verdict *v)
{
	char m[1200];

	*out = 0;
	if (!*s || dts_money_parse(out, s, strlen(s)) == 0)
		return 0;
	snprintf(m, sizeof(m), "malformed %s: %s", what, dts_error_last()->message);
	note(v, m);
	v->bad = 1;
	return -1;
}

static void fail(verdict *v, int which, const char *reason)
{
	char m[300];

	v->k[which] = 1;
	snprintf(m, sizeof(m), "%s%s%s", check_names[which], *reason ? ": " : "",
		 reason);
	note(v, m);
}

static int is_retail_import(const dts_recon_cbec *c, size_t i)
{
	const char *f = cell(INV(c), i, I_IEFLAG), *m = cell(INV(c), i, I_MODE);

	return (!strcmp(f, "I") || !*f) &&
	       (!strcmp(m, "9610") || !strcmp(m, "1210") || !strcmp(m, "1239"));
}

static void check_buyer(const dts_recon_cbec *c, size_t o, size_t p, verdict *v)
{
	const char *bi = cell(ORD(c), o, O_BUYER), *pi = cell(PAY(c), p, P_PAYER);
	char reason[128];

	if (!*bi && !*pi) {
		bi = cell(ORD(c), o, O_BUYERNAME);
		pi = cell(PAY(c), p, P_PAYERNAME);
	}
	if (strcmp(bi, pi)) {
		snprintf(reason, sizeof(reason), "buyer %.40s, payer %.40s", bi, pi);
		fail(v, DTS_RECON_CBEC_BUYER_NOT_PAYER, reason);
	}
}

static void check_order_pay(const dts_recon_cbec *c, long o, long p, verdict *v)
{
	const doc *od = ORD(c);
	dts_money g, fr, d, t, paid, amt, sum;
	char a[32], b[32], reason[128];

	if (o < 0)
		return;
	if (amount(&g, cell(od, (size_t)o, O_GOODS), "goodsValue", v) |
	    amount(&fr, cell(od, (size_t)o, O_FREIGHT), "freight", v) |
	    amount(&d, cell(od, (size_t)o, O_DISC), "discount", v) |
	    amount(&t, cell(od, (size_t)o, O_TAX), "taxTotal", v) |
	    amount(&paid, cell(od, (size_t)o, O_PAID), "acturalPaid", v))
		return;
	/* Each term is a parsed int64: their sum can overflow it. */
	if (__builtin_add_overflow(g, fr, &sum) ||
	    __builtin_add_overflow(sum, t, &sum) ||
	    __builtin_sub_overflow(sum, d, &sum)) {
		note(v, "malformed order: goods+freight+tax-discount out of range");
		v->bad = 1;
		return;
	}
	if (!dts_recon_tolerance_within(&c->o.tolerance, paid, sum)) {
		dts_recon_money_format(a, sizeof(a), sum);
		dts_recon_money_format(b, sizeof(b), paid);
		snprintf(reason, sizeof(reason), "goods+freight+tax-discount %s, paid %s", a, b);
		fail(v, DTS_RECON_CBEC_ORDER_SUM, reason);
	}
	if (p < 0)
		return;
	if (amount(&amt, cell(PAY(c), (size_t)p, P_AMOUNT), "amountPaid", v) == 0 &&
	    amt != paid) {
		dts_recon_money_format(a, sizeof(a), paid);
		dts_recon_money_format(b, sizeof(b), amt);
		snprintf(reason, sizeof(reason), "order %s, payment %s", a, b);
		fail(v, DTS_RECON_CBEC_PAID_MISMATCH, reason);
	}
	check_buyer(c, (size_t)o, (size_t)p, v);
}

static int check_limits(dts_recon_cbec *c, size_t i, long o, dts_money value,
			verdict *v)
{
	char reason[128], a[32], year[5];
	const char *key;
	size_t klen;
	dts__rentry *e;
	dts_money total;
	int wrapped;

	if (!is_retail_import(c, i))
		return 0;
	if (value > c->o.single_limit) {
		dts_recon_money_format(a, sizeof(a), value);
		snprintf(reason, sizeof(reason), "%s over the single order limit", a);
		fail(v, DTS_RECON_CBEC_SINGLE_LIMIT, reason);
		return 0;   /* refused: does not count towards the year */
	}
	if (o < 0 || !*cell(ORD(c), (size_t)o, O_BUYER))
		return 0;
	snprintf(year, sizeof(year), "%.4s", cell(INV(c), i, I_DATE));
	if (!(key = join2(&c->key, cell(ORD(c), (size_t)o, O_BUYER), year)))
		return -1;
	klen = c->key.len;
	e = dts__rtab_find(&c->annual, dts__fnv(key, klen), key, klen);
	wrapped = __builtin_add_overflow(e ? e->first[0].value : 0, value, &total);
	if (wrapped || total > c->o.annual_limit) {
		if (wrapped)   /* beyond any limit */
			snprintf(reason, sizeof(reason), "buyer's year total "
				 "would be out of the money range");
		else {
			dts_recon_money_format(a, sizeof(a), total);
			snprintf(reason, sizeof(reason),
				 "buyer's year total would be %s", a);
		}
		fail(v, DTS_RECON_CBEC_ANNUAL_LIMIT, reason);
		return 0;
	}
	if (!e && !(e = dts__rtab_add(&c->annual, dts__fnv(key, klen), key, klen)))
		return -1;
	e->first[0].value = total;
	return 0;
}

static long find_payment(dts_recon_cbec *c, long o, const char *no, const char *ebp)
{
	const char *tx = o >= 0 ? cell(ORD(c), (size_t)o, O_PAYTX) : "";

	if (*tx)
		return doc_find(&PAY(c)->idx, tx, strlen(tx));
	if (!join2(&c->key, no, ebp))
		return -2;
	return doc_find(&PAY(c)->idx2, c->key.p, c->key.len);
}

/* The goods value of inventory rows i..j (one per List item in XML). */
static int goods(const dts_recon_cbec *c, size_t i, size_t j, dts_money *out,
		 verdict *v)
{
	dts_money x;

	*out = 0;
	for (size_t r = i; r <= j; r++) {
		if (amount(&x, cell(INV(c), r, I_PRICE), "totalPrice", v) < 0)
			return -1;
		if (dts_money_add(out, x) < 0) {
			note(v, "malformed totalPrice: the inventory's goods value "
			     "is out of range");
			v->bad = 1;
			return -1;
		}
	}
	return 0;
}

static int report(dts_recon_cbec *c, size_t i, dts_money value, const verdict *v,
		  dts_recon_cbec_cb cb, void *payload)
{
	dts_recon_cbec_failure f;

	memset(&f, 0, sizeof(f));
	for (int j = 0; j < DTS_RECON_CBEC_NCHECKS; j++)
		if (v->k[j]) {
			f.checks |= 1u << j;
			c->sum.check_failed[j]++;
			dts_amount_add_money(&c->sum.check_value[j], value,
					     DTS_RATE_ONE);   /* 2^63 records away */
		}
	c->sum.failed++;
	f.inventory = *cell(INV(c), i, I_INVT) ? cell(INV(c), i, I_INVT) :
		      cell(INV(c), i, I_COP);
	f.order_no = cell(INV(c), i, I_NO);
	f.line = INV(c)->line[i];
	f.value = value;
	f.reasons = v->why;
	return cb ? cb(&f, payload) : 0;
}

static int check_one(dts_recon_cbec *c, size_t i, size_t j, verdict *v,
		     dts_recon_cbec_cb cb, void *payload)
{
	const char *no = cell(INV(c), i, I_NO), *ebp = cell(INV(c), i, I_EBP);
	const char *log = cell(INV(c), i, I_LOG);
	int any = 0;
	long o, p;
	dts_money value = 0;

	memset(v, 0, sizeof(*v));
	if (!join2(&c->key, no, ebp))
		return oom();
	o = doc_find(&ORD(c)->idx, c->key.p, c->key.len);
	if ((p = find_payment(c, o, no, ebp)) == -2)
		return oom();
	if (o < 0)
		fail(v, DTS_RECON_CBEC_ORDER_MISSING, "");
	if (p < 0)
		fail(v, DTS_RECON_CBEC_PAYMENT_MISSING, "");
	if (doc_find(&WAY(c)->idx, log, strlen(log)) < 0)
		fail(v, DTS_RECON_CBEC_WAYBILL_MISSING, "");
	check_order_pay(c, o, p, v);
	/* The transaction value: the order's paid amount, else the goods. */
	if ((o >= 0 ? amount(&value, cell(ORD(c), (size_t)o, O_PAID), "acturalPaid", v) :
	     goods(c, i, j, &value, v)) == 0 &&
	    !v->bad && check_limits(c, i, o, value, v) < 0)
		return oom();
	v->k[DTS_RECON_CBEC_MALFORMED] = v->bad;
	for (int m = 0; m < DTS_RECON_CBEC_NCHECKS; m++)
		any |= v->k[m];
	return any ? report(c, i, value, v, cb, payload) : 0;
}

static int index_docs(dts_recon_cbec *c)
{
	for (size_t r = 0; r < ORD(c)->nrows; r++)
		if (!join2(&c->key, cell(ORD(c), r, O_NO), cell(ORD(c), r, O_EBP)) ||
		    index_row(&ORD(c)->idx, c->key.p, c->key.len, r) < 0)
			return oom();
	for (size_t r = 0; r < PAY(c)->nrows; r++) {
		const char *tx = cell(PAY(c), r, P_TX);

		if (index_row(&PAY(c)->idx, tx, strlen(tx), r) < 0 ||
		    !join2(&c->key, cell(PAY(c), r, P_NO), cell(PAY(c), r, P_EBP)) ||
		    index_row(&PAY(c)->idx2, c->key.p, c->key.len, r) < 0)
			return oom();
	}
	for (size_t r = 0; r < WAY(c)->nrows; r++) {
		const char *no = cell(WAY(c), r, W_NO);

		if (index_row(&WAY(c)->idx, no, strlen(no), r) < 0)
			return oom();
	}
	return 0;
}

static int same_inventory(const dts_recon_cbec *c, size_t a, size_t b)
{
	const doc *d = INV(c);

	return !strcmp(cell(d, a, I_INVT), cell(d, b, I_INVT)) &&
	       !strcmp(cell(d, a, I_COP), cell(d, b, I_COP)) &&
	       !strcmp(cell(d, a, I_NO), cell(d, b, I_NO));
}

int dts_recon_cbec_run(dts_recon_cbec *c, dts_recon_cbec_cb cb, void *payload)
{
	verdict *v;
	int rc;

	if (!c || c->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_cbec_run: NULL handle, or run twice");
	c->ran = 1;
	if ((rc = index_docs(c)) < 0)
		return rc;
	if (!(v = malloc(sizeof(*v))))
		return oom();
	for (size_t i = 0, j; i < INV(c)->nrows; i = j + 1) {
		for (j = i; j + 1 < INV(c)->nrows && same_inventory(c, i, j + 1); j++)
			;
		c->sum.inventories++;
		if ((rc = check_one(c, i, j, v, cb, payload)) != 0)
			break;
	}
	free(v);
	return rc;
}

int dts_recon_cbec_summary_get(dts_recon_cbec_summary *out, const dts_recon_cbec *c)
{
	if (!out || !c)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_cbec_summary_get: NULL argument");
	*out = c->sum;
	return 0;
}
