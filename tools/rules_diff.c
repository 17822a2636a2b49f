/*
 * rules_diff.c — `dts-rules diff OLD NEW INPUT...`: run two classifier
 * versions over the same records and show which records, and how much
 * value, move between categories. This is how a bureau tries a new
 * version of its standard before adopting it.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "input.h"
#include "rules_diff.h"

/* Sums are exact (dts_amount_add_money, the cube's own routine): an int64
 * sum of money overflowed where dts-aggregate summed the same records. */
typedef struct cell {
	uint64_t records;
	dts_amount value;
} cell;

typedef struct diff {
	dts_rules *rules[2];
	dts_scanner *sc[2];
	size_t ncats[2];
	cell *m;               /* ncats[0] x ncats[1] */
	uint64_t in, rejected, moved;
	dts_amount moved_value;
	int overflow;
	tool_out details;
} diff;

static int load(diff *d, const char *old_path, const char *new_path)
{
	const char *paths[2] = {old_path, new_path};
	int i;

	for (i = 0; i < 2; i++) {
		if (!(d->rules[i] = tool_load_rules(&paths[i], 1)))
			return -1;
		if (dts_scanner_new(&d->sc[i], d->rules[i], DTS_SCAN_VALID_UTF8) < 0) {
			tool_lib_error(NULL);
			return -1;
		}
		d->ncats[i] = dts_rules_category_count(d->rules[i]);
	}
	d->m = calloc(d->ncats[0] * d->ncats[1], sizeof(*d->m));
	if (!d->m) {
		tool_warn("out of memory");
		return -1;
	}
	return 0;
}

static void detail(diff *d, const input *in, uint64_t line,
		   const dts_result *a, const dts_result *b, const char *value)
{
	dts__buf row = {0};

	if (!d->details.f)
		return;
	dts__buf_csv(&row, input_path(in), strlen(input_path(in)), ',');
	dts__buf_ch(&row, ',');
	dts__buf_u64(&row, line);
	dts__buf_ch(&row, ',');
	dts__buf_str(&row, a->category);
	dts__buf_ch(&row, ',');
	dts__buf_csv(&row, a->rule, strlen(a->rule), ',');
	dts__buf_ch(&row, ',');
	dts__buf_str(&row, b->category);
	dts__buf_ch(&row, ',');
	dts__buf_csv(&row, b->rule, strlen(b->rule), ',');
	dts__buf_ch(&row, ',');
	dts__buf_csv(&row, value, strlen(value), ',');
	dts__buf_ch(&row, '\n');
	fwrite(row.p, 1, row.len, d->details.f);
	dts__buf_free(&row);
}

static void count(diff *d, const input *in, const input_row *r,
		  const dts_result res[2])
{
	const dts_binding *b = input_binding(in);
	int vc = dts_binding_column(b, DTS_F_VALUE);
	const char *value = vc >= 0 && (size_t)vc < r->ncols ? r->cols[vc] : "";
	cell *c = &d->m[(size_t)res[0].category_index * d->ncats[1] +
			(size_t)res[1].category_index];
	dts_money v = 0;

	if (value[0])
		dts_money_parse(&v, value, strlen(value)); /* checked already */
	c->records++;
	if (dts_amount_add_money(&c->value, v, DTS_RATE_ONE) < 0)
		d->overflow = 1;
	if (strcmp(res[0].category, res[1].category) == 0)
		return;
	d->moved++;
	if (dts_amount_add_money(&d->moved_value, v, DTS_RATE_ONE) < 0)
		d->overflow = 1;
	detail(d, in, r->line, &res[0], &res[1], value);
}

static int run_input(diff *d, const char *path)
{
	input_options io = {0};
	input *in = NULL;
	input_row r;
	char why[1200];
	int rc;

	if (input_open(&in, path, &io) < 0)
		return -1;
	while ((rc = input_next(in, &r)) != 0) {
		dts_result res[2];
		int i, bad = 0;

		if (rc < 0 && rc != DTS_EINPUT)
			break;
		d->in++;
		for (i = 0; i < 2 && rc == 1 && !bad; i++)
			bad = input_classify(&res[i], why, sizeof(why), d->sc[i],
					     input_binding(in), r.cols, r.lens,
					     r.ncols) < 0;
		if (rc == DTS_EINPUT || bad) {
			d->rejected++;
			continue;
		}
		count(d, in, &r, res);
	}
	input_free(in);
	return rc < 0 && rc != DTS_EINPUT ? -1 : 0;
}

static const char *cat_code(const diff *d, int side, size_t i)
{
	dts_category_info ci;

	return dts_rules_category(&ci, d->rules[side], i) == 0 ? ci.code : "?";
}

static void money_str(char *out, size_t n, const dts_amount *v)
{
	if (dts_amount_format(out, n, v, 0, 2) < 0)
		snprintf(out, n, "?");
}

static void report(const diff *d)
{
	char v[64];
	size_t i, j;

	money_str(v, sizeof(v), &d->moved_value);
	printf("%s: %llu records, %llu rejected, %llu change category, value moved %s\n",
	       tool_name, (unsigned long long)d->in,
	       (unsigned long long)d->rejected, (unsigned long long)d->moved, v);
	if (!d->moved)
		return;
	printf("\n%-24s %-24s %10s %20s\n", "old category", "new category",
	       "records", "value");
	for (i = 0; i < d->ncats[0]; i++)
		for (j = 0; j < d->ncats[1]; j++) {
			const cell *c = &d->m[i * d->ncats[1] + j];
			const char *a = cat_code(d, 0, i), *b = cat_code(d, 1, j);

			if (!c->records || strcmp(a, b) == 0)
				continue;
			money_str(v, sizeof(v), &c->value);
			printf("%-24s %-24s %10llu %20s\n", a, b,
			       (unsigned long long)c->records, v);
		}
}

/* Records and value per category under each version (categories of both). */
static void totals(const diff *d)
{
	char va[64], vb[64];
	size_t i, j, k;

	printf("\n%-24s %10s %10s %20s %20s\n", "category", "old", "new",
	       "old value", "new value");
	for (k = 0; k < d->ncats[0] + d->ncats[1]; k++) {
		int side = k < d->ncats[0] ? 0 : 1;
		size_t idx = side ? k - d->ncats[0] : k;
		const char *code = cat_code(d, side, idx);
		uint64_t rec[2] = {0, 0};
		dts_amount val[2] = {DTS_AMOUNT_ZERO, DTS_AMOUNT_ZERO};
		int seen = 0;

		if (side == 1 && dts_rules_find_category(d->rules[0], code) >= 0)
			continue; /* listed with the old version's categories */
		for (i = 0; i < d->ncats[0]; i++)
			for (j = 0; j < d->ncats[1]; j++) {
				const cell *c = &d->m[i * d->ncats[1] + j];

				if (!strcmp(cat_code(d, 0, i), code)) {
					rec[0] += c->records;
					dts_amount_add(&val[0], &c->value);
					seen |= c->records > 0;
				}
				if (!strcmp(cat_code(d, 1, j), code)) {
					rec[1] += c->records;
					dts_amount_add(&val[1], &c->value);
					seen |= c->records > 0;
				}
			}
		if (!seen)
			continue;
		money_str(va, sizeof(va), &val[0]);
		money_str(vb, sizeof(vb), &val[1]);
		printf("%-24s %10llu %10llu %20s %20s\n", code,
		       (unsigned long long)rec[0], (unsigned long long)rec[1], va, vb);
	}
}

int rules_diff(const char *old_path, const char *new_path,
	       char *const *inputs, int ninputs, const char *details)
{
	diff d;
	int i, rc = EXIT_IO;

	memset(&d, 0, sizeof(d));
	if (ninputs == 0) {
		tool_warn("diff: give OLD.xml NEW.xml and at least one input file");
		return EXIT_USAGE;
	}
	if (load(&d, old_path, new_path) < 0)
		goto done;
	if (details) {
		if (tool_out_open(&d.details, details) < 0)
			goto done;
		fputs("file,line,old_category,old_rule,new_category,new_rule,value\n",
		      d.details.f);
	}
	for (i = 0; i < ninputs; i++)
		if (run_input(&d, inputs[i]) < 0)
			goto done;
	if (d.overflow) {
		tool_warn("diff: a value sum overflowed the exact money range");
		goto done;
	}
	if (details && tool_out_commit(&d.details) < 0)
		goto done;
	report(&d);
	totals(&d);
	rc = d.moved ? EXIT_REJECTS : EXIT_OK;
done:
	if (rc == EXIT_IO)
		tool_out_abort(&d.details);
	for (i = 0; i < 2; i++) {
		dts_scanner_free(d.sc[i]);
		dts_rules_free(d.rules[i]);
	}
	free(d.m);
	return rc;
}
