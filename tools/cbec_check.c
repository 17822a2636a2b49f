/*
 * cbec_check.c — the order / payment / waybill / inventory check (三单对碰,
 * customs notice 2018/194). Inputs are CSV files with the message's element
 * names as headers, or the CEB311 / CEB411 / CEB511 / CEB621 (CEB603) XML
 * messages themselves. Orders, payments and waybills are held in memory
 * (hash tables by join key); inventories are streamed in input order, which
 * is also the order the buyer's annual total accumulates in.
 *
 * Joins: inventory -> order on orderNo + ebpCode; order -> payment on the
 * order's payTransactionId (else the payment's orderNo + ebpCode);
 * inventory -> waybill on logisticsNo.
 */
#include <stdlib.h>
#include <string.h>

#include "rec_table.h"
#include "reconcile.h"
#include "table.h"
#include "tool.h"

enum { K_ORDER, K_PAYMENT, K_WAYBILL, K_PAID, K_SUM, K_BUYER, K_SINGLE,
       K_ANNUAL, K_MALFORMED, K_N };
static const char *const check_names[K_N] = {
	"order_missing", "payment_missing", "waybill_missing", "paid_mismatch",
	"order_sum", "buyer_not_payer", "single_limit", "annual_limit",
	"malformed"};

/* One document kind held in memory: its columns and rows of strings. */
typedef struct doc {
	const char *const *names;
	size_t nnames;
	char **v;            /* nrows * nnames */
	uint64_t *line;
	size_t nrows, cap;
	rec_table idx, idx2; /* primary and secondary join keys -> row */
} doc;

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

static const char *cell(const doc *d, size_t row, int col)
{
	return d->v[row * d->nnames + (size_t)col];
}

/* The join key of two fields in k (rec_key_part: injective, no length
 * limit; a fixed buffer cut long keys, so distinct ones could meet).
 * NULL on out of memory. */
static const char *join2(rec_key *k, const char *a, const char *b)
{
	rec_key_reset(k);
	if (rec_key_part(k, a, strlen(a)) < 0 || rec_key_part(k, b, strlen(b)) < 0)
		return NULL;
	return k->p;
}

/* Row index for key in idx, or -1. */
static long doc_find(const rec_table *idx, const char *key, size_t len)
{
	const rec_entry *e = rec_table_find(idx, rec_hash(key, len), key, len);

	return e ? (long)e->a.value : -1;
}

static int index_row(rec_table *idx, const char *key, size_t len, size_t row)
{
	rec_info r;

	if (!len || rec_table_find(idx, rec_hash(key, len), key, len))
		return 0;    /* first record of a key wins (XML: one per List item) */
	memset(&r, 0, sizeof(r));
	r.value = (dts_money)row;
	return rec_table_add(idx, rec_hash(key, len), key, len, &r) ? 0 : -1;
}

static int doc_push(doc *d, rec_input *in, const int *cols, uint64_t line)
{
	if (d->nrows == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		char **v = realloc(d->v, cap * d->nnames * sizeof(*v));
		uint64_t *l;

		if (!v)
			return -1;
		d->v = v;
		if (!(l = realloc(d->line, cap * sizeof(*l))))
			return -1;
		d->line = l;
		d->cap = cap;
	}
	for (size_t i = 0; i < d->nnames; i++) {
		size_t len;
		const char *s = rec_input_get(in, cols[i], &len);

		if (!(d->v[d->nrows * d->nnames + i] = strndup(s, len)))
			return -1;
	}
	d->line[d->nrows++] = line;
	return 0;
}

static int doc_load(doc *d, const char *path, const char *const *names,
		    size_t n)
{
	rec_input *in;
	int cols[16], rc = -1, got;
	uint64_t line;
	const char *why;

	d->names = names;
	d->nnames = n;
	if (rec_input_open(&in, path, NULL, 0) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		cols[i] = rec_input_column(in, names[i]);
	if (cols[0] < 0) {
		tool_warn("%s: no %s column", path, names[0]);
		goto done;
	}
	while ((got = rec_input_next(in, &line, &why)) != 0) {
		if (got == DTS_EINPUT) {
			tool_warn("%s:%llu: %s", path, (unsigned long long)line, why);
			goto done;   /* a document that cannot be read is an error */
		}
		if (got < 0 || doc_push(d, in, cols, line) < 0)
			goto done;
	}
	rc = 0;
done:
	rec_input_free(in);
	return rc;
}

static void doc_free(doc *d)
{
	for (size_t i = 0; i < d->nrows * d->nnames; i++)
		free(d->v[i]);
	free(d->v);
	free(d->line);
	rec_table_free(&d->idx);
	rec_table_free(&d->idx2);
}

/* ---- the checks ------------------------------------------------------------ */

typedef struct chk {
	const cbec_opts *o;
	doc ord, pay, way, inv;
	rec_table annual;       /* buyer | year -> accumulated value */
	rec_key key;            /* scratch for join keys */
	uint64_t failed[K_N], inventories, bad;
	dts_amount failed_value[K_N]; /* exact sums: past int64 */
	FILE *det;
	tbl fails;              /* invtNo, orderNo, line, value, reasons */
} chk;

/* Parse an amount; on failure note the reason. Empty counts as 0. */
static int amount(dts_money *out, const char *s, const char *what,
		  char *why, size_t wn, int *bad)
{
	*out = 0;
	if (!*s || dts_money_parse(out, s, strlen(s)) == 0)
		return 0;
	snprintf(why + strlen(why), wn - strlen(why), "%smalformed %s: %s",
		 *why ? "; " : "", what, dts_error_last()->message);
	*bad = 1;
	return -1;
}

static void fail(chk *c, int *k, int which, const char *reason, char *why,
		 size_t wn)
{
	k[which] = 1;
	snprintf(why + strlen(why), wn - strlen(why), "%s%s%s%s",
		 *why ? "; " : "", check_names[which], *reason ? ": " : "",
		 reason);
}

static int is_retail_import(const chk *c, size_t i)
{
	const char *f = cell(&c->inv, i, I_IEFLAG), *m = cell(&c->inv, i, I_MODE);

	return (!strcmp(f, "I") || !*f) &&
	       (!strcmp(m, "9610") || !strcmp(m, "1210") || !strcmp(m, "1239"));
}

static int check_order_pay(chk *c, long o, long p, int *k, char *why,
			   size_t wn, int *bad)
{
	dts_money g, fr, d, t, paid, amt, sum;
	char a[32], b[32], reason[128];

	if (o < 0)
		return 0;
	if (amount(&g, cell(&c->ord, (size_t)o, O_GOODS), "goodsValue", why, wn, bad) |
	    amount(&fr, cell(&c->ord, (size_t)o, O_FREIGHT), "freight", why, wn, bad) |
	    amount(&d, cell(&c->ord, (size_t)o, O_DISC), "discount", why, wn, bad) |
	    amount(&t, cell(&c->ord, (size_t)o, O_TAX), "taxTotal", why, wn, bad) |
	    amount(&paid, cell(&c->ord, (size_t)o, O_PAID), "acturalPaid", why, wn, bad))
		return 0;
	/* Each term is a parsed int64: their sum can overflow it. */
	if (__builtin_add_overflow(g, fr, &sum) ||
	    __builtin_add_overflow(sum, t, &sum) ||
	    __builtin_sub_overflow(sum, d, &sum)) {
		snprintf(why + strlen(why), wn - strlen(why), "%s%s", *why ? "; " : "",
			 "malformed order: goods+freight+tax-discount out of range");
		*bad = 1;
		return 0;
	}
	if (!rec_tol_within(&c->o->tol, paid, sum)) {
		rec_money_str(a, sizeof(a), sum);
		rec_money_str(b, sizeof(b), paid);
		snprintf(reason, sizeof(reason), "goods+freight+tax-discount %s, paid %s", a, b);
		fail(c, k, K_SUM, reason, why, wn);
	}
	if (p < 0)
		return 0;
	if (amount(&amt, cell(&c->pay, (size_t)p, P_AMOUNT), "amountPaid", why, wn, bad) == 0 &&
	    amt != paid) {
		rec_money_str(a, sizeof(a), paid);
		rec_money_str(b, sizeof(b), amt);
		snprintf(reason, sizeof(reason), "order %s, payment %s", a, b);
		fail(c, k, K_PAID, reason, why, wn);
	}
	{
		const char *bi = cell(&c->ord, (size_t)o, O_BUYER);
		const char *pi = cell(&c->pay, (size_t)p, P_PAYER);

		if (!*bi && !*pi) {
			bi = cell(&c->ord, (size_t)o, O_BUYERNAME);
			pi = cell(&c->pay, (size_t)p, P_PAYERNAME);
		}
		if (strcmp(bi, pi)) {
			snprintf(reason, sizeof(reason), "buyer %.40s, payer %.40s",
				 bi, pi);
			fail(c, k, K_BUYER, reason, why, wn);
		}
	}
	return 0;
}

static int check_limits(chk *c, size_t i, long o, dts_money value, int *k,
			char *why, size_t wn)
{
	char reason[128], a[32], year[5];
	const char *key;
	size_t klen;
	rec_entry *e;
	rec_info r;
	dts_money total;
	int wrapped;

	if (!is_retail_import(c, i))
		return 0;
	if (value > c->o->single_limit) {
		rec_money_str(a, sizeof(a), value);
		snprintf(reason, sizeof(reason), "%s over the single order limit", a);
		fail(c, k, K_SINGLE, reason, why, wn);
		return 0;   /* refused: does not count towards the year */
	}
	if (o < 0 || !*cell(&c->ord, (size_t)o, O_BUYER))
		return 0;
	snprintf(year, sizeof(year), "%.4s", cell(&c->inv, i, I_DATE));
	if (!(key = join2(&c->key, cell(&c->ord, (size_t)o, O_BUYER), year)))
		return -1;
	klen = c->key.len;
	e = rec_table_find(&c->annual, rec_hash(key, klen), key, klen);
	wrapped = __builtin_add_overflow(e ? e->a.value : 0, value, &total);
	if (wrapped || total > c->o->annual_limit) {
		if (wrapped)   /* beyond any limit */
			snprintf(reason, sizeof(reason), "buyer's year total "
				 "would be out of the money range");
		else {
			rec_money_str(a, sizeof(a), total);
			snprintf(reason, sizeof(reason),
				 "buyer's year total would be %s", a);
		}
		fail(c, k, K_ANNUAL, reason, why, wn);
		return 0;
	}
	if (e) {
		e->a.value = total;
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.value = total;
	return rec_table_add(&c->annual, rec_hash(key, klen), key, klen, &r) ? 0 : -1;
}

static long find_payment(chk *c, long o, const char *no, const char *ebp)
{
	const char *tx = o >= 0 ? cell(&c->ord, (size_t)o, O_PAYTX) : "";

	if (*tx)
		return doc_find(&c->pay.idx, tx, strlen(tx));
	if (!join2(&c->key, no, ebp))
		return -2;
	return doc_find(&c->pay.idx2, c->key.p, c->key.len);
}

static int record_failure(chk *c, size_t i, dts_money value, const int *k,
			  const char *why)
{
	char line[32], v[32];
	const char *id = *cell(&c->inv, i, I_INVT) ? cell(&c->inv, i, I_INVT) :
			 cell(&c->inv, i, I_COP);
	const char *row[5] = {id, cell(&c->inv, i, I_NO), line, v, why};

	for (int j = 0; j < K_N; j++)
		if (k[j]) {
			c->failed[j]++;
			dts_amount_add_money(&c->failed_value[j], value,
					     DTS_RATE_ONE);   /* 2^63 records away */
		}
	c->bad++;
	snprintf(line, sizeof(line), "%llu", (unsigned long long)c->inv.line[i]);
	rec_money_str(v, sizeof(v), value);
	return tbl_add_row(&c->fails, row);
}

/* The goods value of inventory rows i..j (one per List item in XML). */
static int goods(chk *c, size_t i, size_t j, dts_money *out, char *why,
		 size_t wn, int *bad)
{
	dts_money v;

	*out = 0;
	for (size_t r = i; r <= j; r++) {
		if (amount(&v, cell(&c->inv, r, I_PRICE), "totalPrice", why, wn, bad) < 0)
			return -1;
		if (dts_money_add(out, v) < 0) {
			snprintf(why + strlen(why), wn - strlen(why), "%s%s",
				 *why ? "; " : "", "malformed totalPrice: the "
				 "inventory's goods value is out of range");
			*bad = 1;
			return -1;
		}
	}
	return 0;
}

static int check_one(chk *c, size_t i, size_t j)
{
	char why[2048] = "";
	const char *no = cell(&c->inv, i, I_NO), *ebp = cell(&c->inv, i, I_EBP);
	const char *log = cell(&c->inv, i, I_LOG);
	int k[K_N] = {0}, bad = 0, any = 0;
	long o, p;
	dts_money value = 0;

	if (!join2(&c->key, no, ebp))
		return -1;
	o = doc_find(&c->ord.idx, c->key.p, c->key.len);
	if ((p = find_payment(c, o, no, ebp)) == -2)
		return -1;
	if (o < 0)
		fail(c, k, K_ORDER, "", why, sizeof(why));
	if (p < 0)
		fail(c, k, K_PAYMENT, "", why, sizeof(why));
	if (doc_find(&c->way.idx, log, strlen(log)) < 0)
		fail(c, k, K_WAYBILL, "", why, sizeof(why));
	check_order_pay(c, o, p, k, why, sizeof(why), &bad);
	/* The transaction value: the order's paid amount, else the goods. */
	if ((o >= 0 ? amount(&value, cell(&c->ord, (size_t)o, O_PAID),
			     "acturalPaid", why, sizeof(why), &bad) :
	     goods(c, i, j, &value, why, sizeof(why), &bad)) == 0 &&
	    !bad && check_limits(c, i, o, value, k, why, sizeof(why)) < 0)
		return -1;
	k[K_MALFORMED] = bad;
	for (int m = 0; m < K_N; m++)
		any |= k[m];
	return any ? record_failure(c, i, value, k, why) : 0;
}

static int index_docs(chk *c)
{
	for (size_t r = 0; r < c->ord.nrows; r++)
		if (!join2(&c->key, cell(&c->ord, r, O_NO), cell(&c->ord, r, O_EBP)) ||
		    index_row(&c->ord.idx, c->key.p, c->key.len, r) < 0)
			return -1;
	for (size_t r = 0; r < c->pay.nrows; r++) {
		const char *tx = cell(&c->pay, r, P_TX);

		if (index_row(&c->pay.idx, tx, strlen(tx), r) < 0 ||
		    !join2(&c->key, cell(&c->pay, r, P_NO), cell(&c->pay, r, P_EBP)) ||
		    index_row(&c->pay.idx2, c->key.p, c->key.len, r) < 0)
			return -1;
	}
	for (size_t r = 0; r < c->way.nrows; r++) {
		const char *no = cell(&c->way, r, W_NO);

		if (index_row(&c->way.idx, no, strlen(no), r) < 0)
			return -1;
	}
	return 0;
}

/* ---- output ---------------------------------------------------------------- */

static int summary(const chk *c, tbl *t)
{
	static const char *const names[] = {"check", "failed", "value"};

	if (tbl_init(t, names, 3, 1) < 0)
		return -1;
	for (int k = 0; k < K_N; k++) {
		char n[32], v[64];
		const char *row[3] = {check_names[k], n, v};

		snprintf(n, sizeof(n), "%llu", (unsigned long long)c->failed[k]);
		rec_amount_str(v, sizeof(v), &c->failed_value[k]);
		if (tbl_add_row(t, row) < 0)
			return -1;
	}
	return 0;
}

static int write_out(chk *c)
{
	const cbec_opts *o = c->o;
	FILE *f;
	tool_out out;
	tbl t;
	int rc = -1;

	memset(&t, 0, sizeof(t));
	if (summary(c, &t) < 0)
		goto done;
	if (strcmp(o->format, "text")) {
		rc = out_table(&t, o->format, o->output);
		goto done;
	}
	if (tool_out_open(&out, o->output) < 0)
		goto done;
	f = out.f;
	fprintf(f, "inventories: %llu checked, %llu passed, %llu failed\n\n",
		(unsigned long long)c->inventories,
		(unsigned long long)(c->inventories - c->bad),
		(unsigned long long)c->bad);
	rc = out_text(&t, f);
	if (rc == 0 && c->fails.nrows) {
		fputs("\nfailing inventories:\n", f);
		rc = out_text(&c->fails, f);
	}
	if (rc < 0)
		tool_out_abort(&out);
	else if (tool_out_commit(&out) < 0)
		rc = -1;
done:
	tbl_free(&t);
	return rc;
}

static int write_details(chk *c)
{
	if (!c->o->details)
		return 0;
	return out_table(&c->fails, "csv", c->o->details);
}

static int same_inventory(const chk *c, size_t a, size_t b)
{
	return !strcmp(cell(&c->inv, a, I_INVT), cell(&c->inv, b, I_INVT)) &&
	       !strcmp(cell(&c->inv, a, I_COP), cell(&c->inv, b, I_COP)) &&
	       !strcmp(cell(&c->inv, a, I_NO), cell(&c->inv, b, I_NO));
}

int rec_cbec(const cbec_opts *o)
{
	static const char *const fnames[] = {"inventory", "orderNo", "line",
					     "value", "reasons"};
	chk c;
	int rc = EXIT_IO;

	memset(&c, 0, sizeof(c));
	c.o = o;
	if (tbl_init(&c.fails, fnames, 5, 2) < 0)
		goto done;
	c.fails.cols[4].numeric = 0;
	if (doc_load(&c.ord, o->orders, order_cols, 10) < 0 ||
	    doc_load(&c.pay, o->payments, pay_cols, 6) < 0 ||
	    doc_load(&c.way, o->waybills, way_cols, 1) < 0 ||
	    doc_load(&c.inv, o->inventory, inv_cols, 9) < 0)
		goto done;
	if (index_docs(&c) < 0)
		goto oom;
	for (size_t i = 0, j; i < c.inv.nrows; i = j + 1) {
		for (j = i; j + 1 < c.inv.nrows && same_inventory(&c, i, j + 1); j++)
			;
		c.inventories++;
		if (check_one(&c, i, j) < 0)
			goto oom;
	}
	if (write_out(&c) < 0 || write_details(&c) < 0)
		goto done;
	rc = c.bad ? EXIT_REJECTS : EXIT_OK;
	goto done;
oom:
	tool_warn("out of memory");
done:
	doc_free(&c.ord);
	doc_free(&c.pay);
	doc_free(&c.way);
	doc_free(&c.inv);
	rec_table_free(&c.annual);
	rec_key_free(&c.key);
	tbl_free(&c.fails);
	return rc;
}
