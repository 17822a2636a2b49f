/*
 * report.c — what reconciliation reports show, built once here so every
 * program shows the same: the details CSV line of an item, the summary
 * per top category, the category disagreement matrix, the totals gap
 * table and the 三单对碰 tables, as dts_table (dts/table.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "recon_int.h"

#define U64(x) ((unsigned long long)(x))

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- details --------------------------------------------------------------- */

static void side_csv(dts__buf *b, const dts_recon_side *s, int value)
{
	char v[64] = "";

	if (s->present) {
		dts__buf_u64(b, U64(s->line));
		if (value)
			dts_recon_money_format(v, sizeof(v), s->value);
	}
	dts__buf_ch(b, ',');
	dts__buf_str(b, v);
	dts__buf_ch(b, ',');
}

int dts_recon_write_item_cb(const dts_recon_item *it, dts_write_cb cb,
			    void *payload)
{
	dts__buf b = {0};
	char d[64] = "";
	int rej, rc;

	if (!it || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_write_item: NULL argument");
	if (it->bucket == DTS_RECON_MATCHED)
		return 0;
	rej = it->bucket == DTS_RECON_REJECTED;
	dts__buf_str(&b, dts_recon_bucket_name(it->bucket));
	dts__buf_ch(&b, ',');
	dts__buf_csv(&b, it->key, it->key_len, ',');
	dts__buf_ch(&b, ',');
	side_csv(&b, &it->left, !rej);
	side_csv(&b, &it->right, !rej);
	if (it->left.present && it->right.present && !rej)
		dts_recon_amount_format(d, sizeof(d), &it->difference);
	dts__buf_str(&b, d);
	dts__buf_ch(&b, ',');
	dts__buf_csv(&b, it->left.category, strlen(it->left.category), ',');
	dts__buf_ch(&b, ',');
	dts__buf_csv(&b, it->right.category, strlen(it->right.category), ',');
	dts__buf_ch(&b, ',');
	dts__buf_csv(&b, it->reason, strlen(it->reason), ',');
	dts__buf_ch(&b, '\n');
	rc = b.oom ? oom() : cb(b.p, b.len, payload);
	dts__buf_free(&b);
	return rc;
}

static int to_file(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, payload) == len ? 0 :
	       dts__error(DTS_EIO, NULL, 0, 0, "write failed");
}

int dts_recon_write_item(const dts_recon_item *it, FILE *f)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_write_item: NULL file");
	return dts_recon_write_item_cb(it, to_file, f);
}

/* ---- records: summary and matrix --------------------------------------------- */

static int shown(unsigned compare, int p)
{
	return p == DTS_RECON_MATCHED || (compare & dts_recon_bucket_compare(p));
}

static int summary_row(dts_table *t, unsigned compare, const char *name,
		       const dts_recon_counts *s, int total)
{
	char buf[20][64];
	const char *row[20];
	size_t n = 0;

	row[n++] = name;
#define U(x) (snprintf(buf[n], 64, "%llu", U64(x)), row[n] = buf[n], n++)
#define M(x) (dts_recon_amount_format(buf[n], 64, &(x)), row[n] = buf[n], n++)
	U(s->records[0]); M(s->value[0]); U(s->records[1]); M(s->value[1]);
	for (int p = 0; p < DTS_RECON_NPAIR; p++) {
		if (!shown(compare, p))
			continue;
		U(s->pairs[p]);
		if (p == DTS_RECON_VALUE_DIFF)
			M(s->value_diff);
	}
	U(s->duplicate[0]); U(s->duplicate[1]); U(s->only[0]); U(s->only[1]);
	/* rejected records have no category: only the total has them */
	U(total ? s->rejected[0] : 0); U(total ? s->rejected[1] : 0);
#undef U
#undef M
	return dts_table_add_row(t, row);
}

int dts_recon_summary_table(dts_table **out, const dts_recon *r)
{
	static const char *const tail[] = {"duplicate_left", "duplicate_right",
		"left_only", "right_only", "rejected_left", "rejected_right"};
	const char *names[20] = {"category", "left_records", "left_value",
				 "right_records", "right_value"};
	unsigned compare = dts_recon_compare(r);
	dts_recon_counts c;
	dts_table *t = NULL;
	size_t n = 5;
	int rc;

	if (!out || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_summary_table: NULL");
	*out = NULL;
	for (int p = 0; p < DTS_RECON_NPAIR; p++)
		if (shown(compare, p)) {
			names[n++] = dts_recon_bucket_name(p);
			if (p == DTS_RECON_VALUE_DIFF)
				names[n++] = "value_diff_sum";
		}
	memcpy(names + n, tail, sizeof(tail));
	if ((rc = dts_table_new(&t, names, n + 6, 1)) < 0)
		return rc;
	for (size_t i = 0; i < dts_recon_category_count(r); i++) {
		const char *code;

		if ((rc = dts_recon_category(&code, &c, r, i)) < 0 ||
		    (rc = summary_row(t, compare, code, &c, 0)) < 0)
			goto fail;
	}
	if ((rc = dts_recon_summary(&c, r)) < 0 ||
	    (rc = summary_row(t, compare, "TOTAL", &c, 1)) < 0)
		goto fail;
	*out = t;
	return 0;
fail:
	dts_table_free(t);
	return rc;
}

static int matrix_row(const dts_recon_matrix_cell *m, void *payload)
{
	char n[32], lv[64], rv[64];
	const char *row[5] = {m->left_category, m->right_category, n, lv, rv};

	snprintf(n, sizeof(n), "%llu", U64(m->records));
	dts_recon_amount_format(lv, sizeof(lv), &m->left_value);
	dts_recon_amount_format(rv, sizeof(rv), &m->right_value);
	return dts_table_add_row(payload, row);
}

int dts_recon_matrix_table(dts_table **out, const dts_recon *r)
{
	static const char *const names[] = {"left_category", "right_category",
		"records", "left_value", "right_value"};
	dts_table *t;
	int rc;

	if (!out || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_matrix_table: NULL");
	*out = NULL;
	if ((rc = dts_table_new(&t, names, 5, 2)) < 0)
		return rc;
	if ((rc = dts_recon_matrix_foreach(r, matrix_row, t)) < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- totals ---------------------------------------------------------------- */

typedef struct gap_ctx {
	dts_table *t;
	int decimals;
} gap_ctx;

static int gap_row(const dts_recon_gap *g, void *payload)
{
	const gap_ctx *c = payload;
	const char *row[24];
	char buf[6][64];
	size_t n = 0;

	for (size_t k = 0; k < g->nkeys; k++)
		row[n++] = g->keys[k];
	snprintf(buf[0], 64, "%llu", U64(g->records[0]));
	dts_amount_format(buf[1], 64, &g->value[0], 0, c->decimals);
	snprintf(buf[2], 64, "%llu", U64(g->records[1]));
	dts_amount_format(buf[3], 64, &g->value[1], 0, c->decimals);
	dts_amount_format(buf[4], 64, &g->gap, 0, c->decimals);
	if (dts_amount_percent(buf[5], 64, &g->gap, &g->value[0], 2) < 0)
		buf[5][0] = '\0';   /* a percentage of zero: missing */
	for (int j = 0; j < 6; j++)
		row[n++] = buf[j];
	row[n++] = !g->seen[0] ? "right only" : !g->seen[1] ? "left only" : "";
	return dts_table_add_row(c->t, row);
}

int dts_recon_totals_table(dts_table **out, const dts_recon_totals *t,
			   int decimals)
{
	static const char *const cols[] = {"left_records", "left_value",
		"right_records", "right_value", "gap", "gap_percent", "note"};
	const char *names[24], *const *dims;
	gap_ctx c = {NULL, decimals};
	size_t n;
	int rc;

	if (!out || !t || decimals < 0 || decimals > 14)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_totals_table: "
				  "NULL argument or decimals not 0..14");
	*out = NULL;
	if (!(n = dts_recon_totals_dims(&dims, NULL, NULL, t)))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_totals_table: before dts_recon_totals_run");
	memcpy(names, dims, n * sizeof(*names));
	memcpy(names + n, cols, sizeof(cols));
	if ((rc = dts_table_new(&c.t, names, n + 7, n)) < 0)
		return rc;
	if ((rc = dts_table_set_numeric(c.t, n + 6, 0)) < 0 ||
	    (rc = dts_recon_totals_foreach(t, gap_row, &c)) < 0) {
		dts_table_free(c.t);
		return rc;
	}
	*out = c.t;
	return 0;
}

/* ---- 三单对碰 --------------------------------------------------------------- */

int dts_recon_cbec_summary_table(dts_table **out, const dts_recon_cbec *c)
{
	static const char *const names[] = {"check", "failed", "value"};
	dts_recon_cbec_summary s;
	dts_table *t;
	int rc;

	if (!out || (rc = dts_recon_cbec_summary_get(&s, c)) < 0)
		return out ? rc : dts__error(DTS_EINVAL, NULL, 0, 0,
					     "dts_recon_cbec_summary_table: NULL");
	*out = NULL;
	if ((rc = dts_table_new(&t, names, 3, 1)) < 0)
		return rc;
	for (int k = 0; k < DTS_RECON_CBEC_NCHECKS; k++) {
		char n[32], v[64];
		const char *row[3] = {dts_recon_cbec_check_name(k), n, v};

		snprintf(n, sizeof(n), "%llu", U64(s.check_failed[k]));
		dts_recon_amount_format(v, sizeof(v), &s.check_value[k]);
		if ((rc = dts_table_add_row(t, row)) < 0) {
			dts_table_free(t);
			return rc;
		}
	}
	*out = t;
	return 0;
}

int dts_recon_cbec_failures_new(dts_table **out)
{
	static const char *const names[] = {"inventory", "orderNo", "line",
					    "value", "reasons"};
	int rc;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_cbec_failures_new: NULL");
	if ((rc = dts_table_new(out, names, 5, 2)) < 0)
		return rc;
	return dts_table_set_numeric(*out, 4, 0);
}

int dts_recon_cbec_failure_row(const dts_recon_cbec_failure *f, void *table)
{
	char line[32], v[32];
	const char *row[5];

	if (!f || !table)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_cbec_failure_row: NULL");
	row[0] = f->inventory;
	row[1] = f->order_no;
	row[2] = line;
	row[3] = v;
	row[4] = f->reasons;
	snprintf(line, sizeof(line), "%llu", U64(f->line));
	dts_recon_money_format(v, sizeof(v), f->value);
	return dts_table_add_row(table, row);
}

/* ---- text reports ------------------------------------------------------------ */

typedef struct out {
	dts_write_cb cb;
	void *payload;
	int rc;        /* the first failure; nothing more is written after it */
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
	dts__buf b = {0};
	char tmp[512];
	va_list ap;
	int n;

	if (o->rc)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->rc = dts__error(DTS_ERROR, NULL, 0, 0, "formatting failed");
		return;
	}
	if ((size_t)n < sizeof(tmp)) {
		o->rc = o->cb(tmp, (size_t)n, o->payload);
		return;
	}
	if (dts__buf_grow(&b, (size_t)n + 1) < 0) {
		o->rc = oom();
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->rc = o->cb(b.p, (size_t)n, o->payload);
	dts__buf_free(&b);
}

static void put_table(out *o, const dts_table *t)
{
	if (!o->rc)
		o->rc = dts_table_write_text_cb(t, o->cb, o->payload);
}

/* "left  10 read = 6 matched + ... + 1 rejected"; 1 when it adds up. */
static int accounting(out *o, unsigned cmp, const dts_recon_counts *t, int s)
{
	uint64_t sum = t->duplicate[s] + t->only[s] + t->rejected[s];

	put(o, "%-5s %llu read =", s ? "right" : "left", U64(t->read[s]));
	for (int p = 0; p < DTS_RECON_NPAIR; p++)
		if (shown(cmp, p)) {
			put(o, " %llu %s +", U64(t->pairs[p]), dts_recon_bucket_name(p));
			sum += t->pairs[p];
		}
	put(o, " %llu duplicate + %llu %s_only + %llu rejected\n", U64(t->duplicate[s]),
	    U64(t->only[s]), s ? "right" : "left", U64(t->rejected[s]));
	return sum == t->read[s];
}

int dts_recon_write_text_cb(const dts_recon *r, const char *left,
			    const char *right, dts_write_cb cb, void *payload)
{
	dts_table *sum = NULL, *mx = NULL;
	dts_recon_counts total;
	out o = {cb, payload, 0};
	int ok = 0;

	if (!r || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_write_text: NULL argument");
	if ((o.rc = dts_recon_summary(&total, r)) < 0 ||
	    (o.rc = dts_recon_summary_table(&sum, r)) < 0 ||
	    (o.rc = dts_recon_matrix_table(&mx, r)) < 0)
		goto done;
	put(&o, "left:  %s\nright: %s\nkey: ", left ? left : "left", right ? right : "right");
	for (size_t k = 0; k < dts_recon_key_count(r); k++)
		put(&o, "%s%s", k ? "," : "", dts_recon_key(r, k));
	put(&o, "\n\n");
	put_table(&o, sum);
	if (dts_table_nrows(mx)) {
		put(&o, "\ncategory disagreements (left -> right):\n");
		put_table(&o, mx);
	}
	put(&o, "\n");
	ok = accounting(&o, dts_recon_compare(r), &total, 0);
	ok &= accounting(&o, dts_recon_compare(r), &total, 1);
	put(&o, "%s\n", ok ? "every record is in exactly one bucket" :
	    "ERROR: the buckets do not add up to the records read");
	if (!o.rc && !ok)
		o.rc = dts__error(DTS_ERROR, NULL, 0, 0, "internal error: "
				  "the buckets do not add up to the records read");
done:
	dts_table_free(sum);
	dts_table_free(mx);
	return o.rc;
}

int dts_recon_write_text(const dts_recon *r, const char *left, const char *right,
			 FILE *f)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_write_text: NULL file");
	return dts_recon_write_text_cb(r, left, right, to_file, f);
}

int dts_recon_cbec_write_text_cb(const dts_recon_cbec *c, const dts_table *failures,
				 dts_write_cb cb, void *payload)
{
	dts_recon_cbec_summary s;
	dts_table *sum = NULL;
	out o = {cb, payload, 0};

	if (!c || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_cbec_write_text: NULL argument");
	if ((o.rc = dts_recon_cbec_summary_get(&s, c)) < 0 ||
	    (o.rc = dts_recon_cbec_summary_table(&sum, c)) < 0)
		return o.rc;
	put(&o, "inventories: %llu checked, %llu passed, %llu failed\n\n",
	    U64(s.inventories), U64(s.inventories - s.failed), U64(s.failed));
	put_table(&o, sum);
	if (failures && dts_table_nrows(failures)) {
		put(&o, "\nfailing inventories:\n");
		put_table(&o, failures);
	}
	dts_table_free(sum);
	return o.rc;
}

int dts_recon_cbec_write_text(const dts_recon_cbec *c, const dts_table *failures,
			      FILE *f)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_recon_cbec_write_text: NULL file");
	return dts_recon_cbec_write_text_cb(c, failures, to_file, f);
}
