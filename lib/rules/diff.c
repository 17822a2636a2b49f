/*
 * diff.c — two classifier versions over the same records (dts/diff.h):
 * a matrix of (old category, new category) cells, each with a record
 * count and an exact value sum. Moved in from the dts-rules tool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "internal.h"

typedef struct cell {
	uint64_t records;
	dts_amount value;
} cell;

struct dts_diff {
	const dts_rules *rules[2];
	dts_scanner *sc[2];
	size_t ncats[2];
	cell *m;                 /* ncats[0] x ncats[1], row = old category */
	dts_diff_stats st;
};

int dts_diff_new(dts_diff **out, const dts_rules *old_rules,
		 const dts_rules *new_rules, unsigned flags)
{
	dts_diff *d;
	int i, rc;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_new: out is NULL");
	*out = NULL;
	if (!old_rules || !new_rules)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_new: no rules");
	if (!(d = calloc(1, sizeof(*d))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	d->rules[0] = old_rules;
	d->rules[1] = new_rules;
	for (i = 0; i < 2; i++) {
		if ((rc = dts_scanner_new(&d->sc[i], d->rules[i], flags)) < 0)
			goto fail;
		d->ncats[i] = dts_rules_category_count(d->rules[i]);
	}
	d->m = calloc(d->ncats[0] * d->ncats[1] + 1, sizeof(*d->m));
	if (!d->m) {
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	*out = d;
	return 0;
fail:
	dts_diff_free(d);
	return rc;
}

void dts_diff_free(dts_diff *d)
{
	if (!d)
		return;
	dts_scanner_free(d->sc[0]);
	dts_scanner_free(d->sc[1]);
	free(d->m);
	free(d);
}

static int reject(dts_diff *d, const char *input, uint64_t line,
		  const char *why, const char *raw, size_t raw_len,
		  dts_diff_record_cb cb, void *payload)
{
	dts_diff_record r;

	d->st.records++;
	d->st.rejected++;
	if (!cb)
		return 0;
	memset(&r, 0, sizeof(r));
	r.event = DTS_DIFF_REJECTED;
	r.input = input;
	r.line = line;
	r.error = why;
	r.raw = raw;
	r.raw_len = raw_len;
	return cb(&r, payload);
}

/* Count a classified row: both sums are computed first, so an overflow
 * leaves the diff as it was. */
static int count(dts_diff *d, const dts_result res[2], const char *value,
		 size_t len, dts_diff_record *r)
{
	cell *c = &d->m[(size_t)res[0].category_index * d->ncats[1] +
			(size_t)res[1].category_index];
	dts_amount sum = c->value, moved = d->st.moved_value;
	dts_money v = 0;
	int moves = strcmp(res[0].category, res[1].category) != 0;

	if (len) {
		char cur[DTS_CURRENCY_SIZE];

		/* dts_record_check passed it, currency marks included */
		dts_money_parse_currency(&v, cur, value, len);
	}
	if (dts_amount_add_money(&sum, v, DTS_RATE_ONE) < 0 ||
	    (moves && dts_amount_add_money(&moved, v, DTS_RATE_ONE) < 0))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "a value sum overflowed the exact money range");
	c->records++;
	c->value = sum;
	d->st.records++;
	if (!moves)
		return 0;
	d->st.moved++;
	d->st.moved_value = moved;
	r->amount = v;
	return 1;
}

int dts_diff_row(dts_diff *d, const dts_binding *b, const char *const *cols,
		 const size_t *lens, size_t ncols, const char *input,
		 uint64_t line, dts_diff_record_cb cb, void *payload)
{
	dts_result res[2];
	dts_diff_record r;
	int vc, i, rc;

	if (!d || !b)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_row: NULL argument");
	for (i = 0; i < 2; i++) {
		rc = dts_source_classify(&res[i], d->sc[i], b, cols, lens, ncols);
		if (rc == DTS_EINPUT)
			return reject(d, input, line, dts_error_last()->message,
				      NULL, 0, cb, payload);
		if (rc < 0)
			return rc;
	}
	memset(&r, 0, sizeof(r));
	vc = dts_binding_column(b, DTS_F_VALUE);
	r.value = vc >= 0 && (size_t)vc < ncols ? cols[vc] : "";
	r.value_len = vc >= 0 && (size_t)vc < ncols ? lens[vc] : 0;
	if ((rc = count(d, res, r.value, r.value_len, &r)) <= 0 || !cb)
		return rc < 0 ? rc : 0;
	r.event = DTS_DIFF_MOVED;
	r.input = input;
	r.line = line;
	r.old_result = &res[0];
	r.new_result = &res[1];
	return cb(&r, payload);
}

int dts_diff_source(dts_diff *d, dts_source *src, dts_diff_record_cb cb,
		    void *payload)
{
	const char *name;
	dts_source_row row;
	int rc;

	if (!d || !src)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_source: NULL argument");
	name = dts_source_name(src);
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc == DTS_EINPUT)
			rc = reject(d, name, row.line, row.error, row.raw,
				    row.raw_len, cb, payload);
		else if (rc > 0)
			rc = dts_diff_row(d, dts_source_binding(src), row.cols,
					  row.lens, row.ncols, name, row.line,
					  cb, payload);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int dts_diff_write_record_cb(dts_write_cb cb, void *payload,
			     const dts_diff_record *r)
{
	const dts_result *a, *b;
	dts__buf row = {0};
	int rc;

	if (!cb || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_write_record: NULL argument");
	if (r->event != DTS_DIFF_MOVED)
		return 0;
	a = r->old_result;
	b = r->new_result;
	dts__buf_csv(&row, r->input ? r->input : "", r->input ? strlen(r->input) : 0, ',');
	dts__buf_ch(&row, ',');
	dts__buf_u64(&row, r->line);
	dts__buf_ch(&row, ',');
	dts__buf_str(&row, a->category);
	dts__buf_ch(&row, ',');
	dts__buf_csv(&row, a->rule, strlen(a->rule), ',');
	dts__buf_ch(&row, ',');
	dts__buf_str(&row, b->category);
	dts__buf_ch(&row, ',');
	dts__buf_csv(&row, b->rule, strlen(b->rule), ',');
	dts__buf_ch(&row, ',');
	dts__buf_csv(&row, r->value, r->value_len, ',');
	dts__buf_ch(&row, '\n');
	rc = row.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory")
		     : cb(row.p, row.len, payload);
	dts__buf_free(&row);
	return rc;
}

static int write_file(const void *data, size_t len, void *payload)
{
	if (fwrite(data, 1, len, payload) == len)
		return 0;
	return dts__error(DTS_EIO, NULL, 0, 0, "%s", strerror(errno ? errno : EIO));
}

int dts_diff_write_record(FILE *f, const dts_diff_record *r)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_write_record: no stream");
	errno = 0;
	return dts_diff_write_record_cb(write_file, f, r);
}

void dts_diff_stats_get(dts_diff_stats *out, const dts_diff *d)
{
	*out = d->st;
}

static const char *code(const dts_diff *d, int side, size_t i)
{
	dts_category_info ci;

	return dts_rules_category(&ci, d->rules[side], i) == 0 ? ci.code : "?";
}

int dts_diff_moves(const dts_diff *d, dts_diff_cell_cb cb, void *payload)
{
	size_t i, j;
	int rc;

	if (!d || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_moves: NULL argument");
	for (i = 0; i < d->ncats[0]; i++)
		for (j = 0; j < d->ncats[1]; j++) {
			const cell *c = &d->m[i * d->ncats[1] + j];
			dts_diff_cell out;

			out.old_category = code(d, 0, i);
			out.new_category = code(d, 1, j);
			if (!c->records || !strcmp(out.old_category, out.new_category))
				continue;
			out.records = c->records;
			out.value = c->value;
			if ((rc = cb(&out, payload)) != 0)
				return rc;
		}
	return 0;
}

/* Add row `i` (side 0) or column `i` (side 1) of the matrix into *t. */
static int sum_line(const dts_diff *d, int side, size_t i, uint64_t *records,
		    dts_amount *value)
{
	size_t k, n = d->ncats[!side];

	for (k = 0; k < n; k++) {
		const cell *c = side ? &d->m[k * d->ncats[1] + i]
				     : &d->m[i * d->ncats[1] + k];

		*records += c->records;
		if (dts_amount_add(value, &c->value) < 0)
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "a category total overflowed the exact money range");
	}
	return 0;
}

/* One category: its row under the old rules and its column under the new
 * (either may be missing: index -1). */
static int total(const dts_diff *d, const char *category, int old_i, int new_i,
		 dts_diff_total_cb cb, void *payload)
{
	dts_diff_total t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.category = category;
	if ((old_i >= 0 && (rc = sum_line(d, 0, (size_t)old_i, &t.old_records,
					  &t.old_value)) < 0) ||
	    (new_i >= 0 && (rc = sum_line(d, 1, (size_t)new_i, &t.new_records,
					  &t.new_value)) < 0))
		return rc;
	if (!t.old_records && !t.new_records)
		return 0;
	return cb(&t, payload);
}

int dts_diff_totals(const dts_diff *d, dts_diff_total_cb cb, void *payload)
{
	size_t i;
	int rc;

	if (!d || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_totals: NULL argument");
	for (i = 0; i < d->ncats[0]; i++) {
		const char *c = code(d, 0, i);

		if ((rc = total(d, c, (int)i, dts_rules_find_category(d->rules[1], c),
				cb, payload)) != 0)
			return rc;
	}
	for (i = 0; i < d->ncats[1]; i++) {
		const char *c = code(d, 1, i);

		if (dts_rules_find_category(d->rules[0], c) >= 0)
			continue; /* listed with the old version's categories */
		if ((rc = total(d, c, -1, (int)i, cb, payload)) != 0)
			return rc;
	}
	return 0;
}

/* ---- the text report ------------------------------------------------------ */

typedef struct text {
	dts_write_cb cb;
	void *payload;
	dts__buf line;
} text;

/* Hand the line built in t->line to the callback, and start the next. */
static int flush_line(text *t)
{
	int rc = t->line.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory")
			     : t->cb(t->line.p, t->line.len, t->payload);

	t->line.len = 0;
	return rc;
}

static void money_str(char *out, size_t n, const dts_amount *v)
{
	if (dts_amount_format(out, n, v, 0, 2) < 0)
		snprintf(out, n, "?");
}

static int text_move(const dts_diff_cell *c, void *payload)
{
	text *t = payload;
	char v[64];

	money_str(v, sizeof(v), &c->value);
	dts__buf_printf(&t->line, "%-24s %-24s %10llu %20s\n", c->old_category,
			c->new_category, (unsigned long long)c->records, v);
	return flush_line(t);
}

static int text_total(const dts_diff_total *tot, void *payload)
{
	text *t = payload;
	char va[64], vb[64];

	money_str(va, sizeof(va), &tot->old_value);
	money_str(vb, sizeof(vb), &tot->new_value);
	dts__buf_printf(&t->line, "%-24s %10llu %10llu %20s %20s\n", tot->category,
			(unsigned long long)tot->old_records,
			(unsigned long long)tot->new_records, va, vb);
	return flush_line(t);
}

int dts_diff_write_text_cb(const dts_diff *d, const char *label, dts_write_cb cb,
			   void *payload)
{
	text t = {cb, payload, {0}};
	char v[64];
	int rc;

	if (!d || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_write_text: NULL argument");
	money_str(v, sizeof(v), &d->st.moved_value);
	dts__buf_printf(&t.line, "%s%s%llu records, %llu rejected, %llu change category, "
			"value moved %s\n", label ? label : "", label ? ": " : "",
			(unsigned long long)d->st.records, (unsigned long long)d->st.rejected,
			(unsigned long long)d->st.moved, v);
	if ((rc = flush_line(&t)) != 0)
		goto done;
	if (d->st.moved) {
		dts__buf_printf(&t.line, "\n%-24s %-24s %10s %20s\n", "old category",
				"new category", "records", "value");
		if ((rc = flush_line(&t)) != 0 || (rc = dts_diff_moves(d, text_move, &t)) != 0)
			goto done;
	}
	dts__buf_printf(&t.line, "\n%-24s %10s %10s %20s %20s\n", "category", "old", "new",
			"old value", "new value");
	if ((rc = flush_line(&t)) == 0)
		rc = dts_diff_totals(d, text_total, &t);
done:
	dts__buf_free(&t.line);
	return rc;
}

int dts_diff_write_text(const dts_diff *d, const char *label, FILE *f)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_diff_write_text: no stream");
	errno = 0;
	return dts_diff_write_text_cb(d, label, write_file, f);
}
