/*
 * revision.c — what a revision changed: the annex of two vintages side by
 * side (dts_report_revision_table) and the cube's cells of two vintages
 * (dts_report_cells_revision_table). A bureau publishes provisional figures, then
 * final and revised ones; users of the figures ask what moved and why, so
 * both tables say which vintage each side is (classifier, status, cut-off).
 *
 * Revisions are taken between the figures as published (the values the
 * annex shows, with the same decimals), exactly (dts_amount, never double):
 * a user who subtracts the two published tables gets the same numbers.
 */
#include <stdio.h>
#include <string.h>

#include "report_int.h"
#include "dts/reconcile.h"

/* "cn-digital-trade@2025.2, final, cut-off 2026-01-31" */
static const char *vintage(char *buf, size_t n, const dts_cube *c)
{
	const char *cls = dts_cube_classifier(c), *cut = dts_cube_vintage(c);

	snprintf(buf, n, "%s, %s%s%s", cls && *cls ? cls : "classifier unknown",
		 dts_status_name(dts_cube_status(c)), cut ? ", cut-off " : "",
		 cut ? cut : "");
	return buf;
}

static int set_title(dts_table *t, const char *what, const dts_cube *old,
		     const dts_cube *new)
{
	char a[256], b[256], title[640];

	snprintf(title, sizeof(title), "Revision of %s: old (%s) -> new (%s)", what,
		 vintage(a, sizeof(a), old), vintage(b, sizeof(b), new));
	return dts_table_set_title(t, title);
}

/* A new table of `n` columns, the first `ndims` dimensions; columns listed
 * in `text` are not numeric. */
static int new_table(dts_table **out, const char *const *names, size_t n,
		     size_t ndims, const int *text, size_t ntext)
{
	int rc = dts_table_new(out, names, n, ndims);

	for (size_t i = 0; rc == 0 && i < ntext; i++)
		rc = dts_table_set_numeric(*out, (size_t)text[i], 0);
	return rc;
}

/* Digits after the point of a shown value ("12.50" -> 2). */
static int decimals_of(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (int)strlen(dot + 1) : 0;
}

/* revision = new - old and its percentage of old, from the shown values;
 * both "" when either side is missing or not a number; the percentage ""
 * for a percentage indicator (its revision is in points) or an old 0. */
static int revise(char *rev, char *pct, size_t n, const char *ov, const char *nv,
		  int points)
{
	dts_amount a, b;
	int d = decimals_of(ov) > decimals_of(nv) ? decimals_of(ov) : decimals_of(nv);

	*rev = *pct = '\0';
	if (!*ov || !*nv || d > DTS_AMOUNT_DECIMALS ||
	    dts_amount_parse(&a, ov, strlen(ov)) < 0 ||
	    dts_amount_parse(&b, nv, strlen(nv)) < 0)
		return 0;
	if (dts_amount_sub(&b, &a) < 0)
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0, "revision out of range");
	/* dts_amount is at 10^-14 of a unit: format in units, d decimals */
	if (dts_amount_format(rev, n, &b, 0, d) < 0)
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0, "revision out of range");
	if (!points)
		(void)dts_amount_percent(pct, n, &b, &a, 2);   /* "" when old is 0 */
	return 0;
}

static const char *note_of(const char *ov, const char *nv, const char *rev)
{
	if (!*ov && !*nv)
		return "missing in both";
	if (!*ov)
		return "new";
	if (!*nv)
		return "now missing";
	if (*rev && strspn(rev, "-0.") == strlen(rev))
		return "unchanged";
	return !strcmp(ov, nv) ? "unchanged" : "revised";
}

/* Year index of `year` in r, or -1. */
static long year_index(const dts_report *r, int year)
{
	const int *ys;
	size_t ny = dts_report_years(r, &ys);

	for (size_t y = 0; y < ny; y++)
		if (ys[y] == year)
			return (long)y;
	return -1;
}

/* Both reports' years, ascending and without repeats. */
static size_t union_years(int *out, size_t cap, const dts_report *a,
			  const dts_report *b)
{
	const dts_report *r[2] = {a, b};
	size_t n = 0;

	for (int s = 0; s < 2; s++) {
		const int *ys;
		size_t ny = dts_report_years(r[s], &ys);

		for (size_t y = 0; y < ny; y++) {
			size_t k = 0;

			while (k < n && out[k] < ys[y])
				k++;
			if ((k < n && out[k] == ys[y]) || n == cap)
				continue;
			memmove(out + k + 1, out + k, (n - k) * sizeof(*out));
			out[k] = ys[y];
			n++;
		}
	}
	return n;
}

/* One indicator row of the revision table: i of `new`, in year `year`. */
static int revision_row(dts_table *t, const dts_report *old, const dts_report *new,
			size_t i, int year)
{
	const dts_indicator *d = dts_report_indicator(new, i);
	dts_report_row w;
	const char *ov = "", *nv = "", *row[10];
	char ys[16], rev[64], pct[64], ub[64];
	long yo = year_index(old, year), yn = year_index(new, year);
	int k = dts_report_find(old, d->id), rc;

	if (k >= 0 && yo >= 0 && dts_report_row_get(&w, old, (size_t)k, (size_t)yo) == 0)
		ov = w.value;
	if (yn >= 0 && dts_report_row_get(&w, new, i, (size_t)yn) == 0)
		nv = w.value;
	if ((rc = revise(rev, pct, sizeof(rev), ov, nv, !strcmp(d->unit, "%"))) < 0)
		return rc;
	snprintf(ys, sizeof(ys), "%d", year);
	row[0] = d->id; row[1] = ys; row[2] = ov; row[3] = nv; row[4] = rev;
	row[5] = pct; row[6] = note_of(ov, nv, rev); row[7] = d->no;
	row[8] = d->name_zh;
	row[9] = dts__report_unit(new->currency, d, ub, sizeof(ub));
	return dts_table_add_row(t, row);
}

int dts_report_revision_table(dts_table **out, const dts_report *old,
			      const dts_cube *old_cube, const dts_report *new,
			      const dts_cube *new_cube, int year)
{
	static const char *const names[] = {"id", "year", "old", "new", "revision",
		"revision_pct", "note", "no", "indicator", "unit"};
	static const int text[] = {6, 7, 8, 9};
	int years[256];
	size_t ny;
	dts_table *t = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !old || !new || !old_cube || !new_cube || !old->cells || !new->cells)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "two computed reports and their cubes");
	ny = union_years(years, sizeof(years) / sizeof(*years), old, new);
	rc = new_table(&t, names, 10, 2, text, 4);
	if (rc == 0)
		rc = set_title(t, "the annex", old_cube, new_cube);
	for (size_t y = 0; rc == 0 && y < ny; y++) {
		if (year && years[y] != year)
			continue;
		for (size_t i = 0; rc == 0 && i < dts_report_count(new); i++)
			rc = revision_row(t, old, new, i, years[y]);
	}
	if (rc < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- cells ----------------------------------------------------------- */

typedef struct cell_ctx {
	dts_table *t;
	size_t ndims;
	int decimals;
} cell_ctx;

static int cell_row(const dts_recon_gap *g, void *payload)
{
	cell_ctx *c = payload;
	const char *row[16 + 7];
	char r0[32], r1[32], v0[64], v1[64], rev[64], pct[64] = "";
	size_t k = 0;

	for (size_t i = 0; i < g->nkeys; i++)
		row[k++] = g->keys[i];
	snprintf(r0, sizeof(r0), "%llu", (unsigned long long)g->records[0]);
	snprintf(r1, sizeof(r1), "%llu", (unsigned long long)g->records[1]);
	if (dts_amount_format(v0, sizeof(v0), &g->value[0], 0, c->decimals) < 0 ||
	    dts_amount_format(v1, sizeof(v1), &g->value[1], 0, c->decimals) < 0 ||
	    dts_amount_format(rev, sizeof(rev), &g->gap, 0, c->decimals) < 0)
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0, "value out of range");
	if (g->seen[0])
		(void)dts_amount_percent(pct, sizeof(pct), &g->gap, &g->value[0], 2);
	row[k++] = g->seen[0] ? r0 : "";
	row[k++] = g->seen[0] ? v0 : "";
	row[k++] = g->seen[1] ? r1 : "";
	row[k++] = g->seen[1] ? v1 : "";
	row[k++] = rev;
	row[k++] = pct;
	row[k++] = !g->seen[0] ? "new" : !g->seen[1] ? "dropped" :
		   g->differs ? "revised" : "unchanged";
	return dts_table_add_row(c->t, row);
}

static int cells_table(dts_table **out, dts_recon_totals *rt, const dts_cube *old,
		       const dts_cube *new, int decimals)
{
	static const char *const measures[] = {"old_records", "old_value",
		"new_records", "new_value", "revision", "revision_pct", "note"};
	const char *const *dims;
	const char *names[16 + 7];
	size_t nd = dts_recon_totals_dims(&dims, NULL, NULL, rt);
	cell_ctx c = {NULL, nd, decimals};
	int rc;

	for (size_t i = 0; i < nd; i++)
		names[i] = dims[i];
	memcpy(names + nd, measures, sizeof(measures));
	rc = dts_table_new(&c.t, names, nd + 7, nd);
	if (rc == 0)
		rc = dts_table_set_numeric(c.t, nd + 6, 0);
	if (rc == 0)
		rc = set_title(c.t, "the cube", old, new);
	if (rc == 0)
		rc = dts_recon_totals_foreach(rt, cell_row, &c);
	if (rc != 0) {
		dts_table_free(c.t);
		return rc < 0 ? rc : dts__error(DTS_EINVAL, NULL, 0, 0, "stopped");
	}
	*out = c.t;
	return 0;
}

int dts_report_cells_revision_table(dts_table **out, const dts_cube *old,
			    const dts_cube *new, int decimals)
{
	dts_recon_totals *rt = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !old || !new || decimals < 0 || decimals > DTS_AMOUNT_DECIMALS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "two cubes and 0..14 decimals");
	if ((rc = dts_recon_totals_new(&rt)) == 0 &&
	    (rc = dts_recon_totals_add_cube(rt, DTS_RECON_LEFT, old)) == 0 &&
	    (rc = dts_recon_totals_add_cube(rt, DTS_RECON_RIGHT, new)) == 0 &&
	    (rc = dts_recon_totals_run(rt, NULL, NULL)) == 0)
		rc = cells_table(out, rt, old, new, decimals);
	dts_recon_totals_free(rt);
	return rc;
}
