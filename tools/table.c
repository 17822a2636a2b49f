/*
 * table.c — compatibility for tools not yet converted to dts_table
 * (dts/table.h): the old tbl struct is copied into a dts_table and written
 * by the library's writers. Only output paths (temp file and rename),
 * $SOURCE_DATE_EPOCH and messages are the tool layer's.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "tool.h"

char *tbl_sdmx_id(const char *name)
{
	char *id;

	return dts_table_sdmx_id(&id, name) < 0 ? NULL : id;
}

int tbl_init(tbl *t, const char *const *names, size_t ncols, size_t ndims)
{
	memset(t, 0, sizeof(*t));
	t->chart_col = -1;
	t->cols = calloc(ncols, sizeof(*t->cols));
	if (!t->cols)
		return -1;
	t->ncols = ncols;
	t->ndims = ndims;
	for (size_t i = 0; i < ncols; i++) {
		t->cols[i].name = strdup(names[i]);
		t->cols[i].id = tbl_sdmx_id(names[i]);
		t->cols[i].numeric = i >= ndims;
		if (!t->cols[i].name || !t->cols[i].id)
			return -1;
	}
	return 0;
}

void tbl_free(tbl *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].id);
	}
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	free(t->title);
	free(t->dataflow);
	free(t->unit);
	free(t->chart_title);
	memset(t, 0, sizeof(*t));
}

int tbl_add_row(tbl *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **c = realloc(t->cells, cap * t->ncols * sizeof(*c));

		if (!c)
			return -1;
		t->cells = c;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		char *s = strdup(cells[i] ? cells[i] : "");

		if (!s)
			return -1;
		t->cells[t->nrows * t->ncols + i] = s;
	}
	t->nrows++;
	return 0;
}

const char *tbl_cell(const tbl *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

/* The library's table for t, or NULL (said on stderr). */
static dts_table *to_table(const tbl *t)
{
	const char **names = calloc(t->ncols ? t->ncols : 1, sizeof(*names));
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	dts_table *d = NULL;
	int rc;

	if (!names)
		goto fail;
	for (size_t c = 0; c < t->ncols; c++)
		names[c] = t->cols[c].name;
	rc = dts_table_new(&d, names, t->ncols, t->ndims);
	free(names);
	if (rc < 0)
		goto fail;
	for (size_t c = 0; c < t->ncols; c++)
		dts_table_set_numeric(d, c, t->cols[c].numeric);
	for (size_t r = 0; r < t->nrows; r++)
		if (dts_table_add_row(d, (const char *const *)t->cells +
				      r * t->ncols) < 0)
			goto fail;
	if (dts_table_set_title(d, t->title) < 0 ||
	    dts_table_set_dataflow(d, t->dataflow) < 0 ||
	    dts_table_set_unit(d, t->unit) < 0 ||
	    dts_table_set_missing(d, t->missing) < 0 ||
	    dts_table_set_chart(d, t->chart_col, t->chart_title) < 0)
		goto fail;
	dts_table_set_unit_mult(d, t->unit_mult);
	if (sde && *sde)
		dts_table_set_prepared(d, (int64_t)strtoll(sde, NULL, 10));
	return d;
fail:
	dts_table_free(d);
	tool_lib_error(NULL);
	return NULL;
}

int tbl_check_text(const tbl *t, const char *format)
{
	dts_table *d = to_table(t);
	int rc;

	if (!d)
		return -1;
	rc = dts_table_check_text(d);
	if (rc < 0)
		tool_warn("%s output: %s", format, dts_error_last()->message);
	dts_table_free(d);
	return rc < 0 ? -1 : 0;
}

static int write_fmt(const tbl *t, int format, FILE *f)
{
	dts_table *d = to_table(t);
	int rc;

	if (!d)
		return -1;
	rc = dts_table_write(d, format, f);
	dts_table_free(d);
	return rc < 0 ? -1 : 0;
}

int out_text(const tbl *t, FILE *f) { return write_fmt(t, DTS_TABLE_TEXT, f); }
int out_csv(const tbl *t, FILE *f) { return write_fmt(t, DTS_TABLE_CSV, f); }
int out_sdmx_csv(const tbl *t, FILE *f) { return write_fmt(t, DTS_TABLE_SDMX_CSV, f); }
int out_sdmx_ml(const tbl *t, FILE *f) { return write_fmt(t, DTS_TABLE_SDMX_ML, f); }

int out_xlsx(const tbl *t, const char *path)
{
	dts_table *d = to_table(t);
	int rc;

	if (!d)
		return -1;
	rc = tool_write_xlsx(d, NULL, path);
	dts_table_free(d);
	return rc;
}

int out_xlsx_book(const tbl_book *b, const char *path)
{
	dts_table *d[8] = {0};
	dts_book *book = NULL;
	int rc = -1;

	if (dts_book_new(&book) < 0)
		return tool_lib_error(NULL), -1;
	for (size_t i = 0; i < b->nsheets; i++)
		if (!(d[i] = to_table(b->sheets[i])) ||
		    dts_book_add_sheet(book, b->names[i], d[i]) < 0)
			goto done;
	if (b->chart_sheet && dts_book_set_chart_sheet(book, b->chart_sheet) < 0)
		goto done;
	for (size_t i = 0; i < b->ncharts; i++) {
		const tbl_chart *c = &b->charts[i];
		dts_range k = {c->categories.sheet, c->categories.row0,
			       c->categories.col0, c->categories.row1,
			       c->categories.col1};

		if (dts_book_add_chart(book, c->title, c->y_title, c->stacked,
				       &k) < 0)
			goto done;
		for (size_t s = 0; s < c->nseries; s++) {
			const tbl_range *v = &c->series[s].values;
			dts_range r = {v->sheet, v->row0, v->col0, v->row1,
				       v->col1};

			if (dts_book_add_series(book, c->series[s].name, &r,
						c->series[s].outline) < 0)
				goto done;
		}
	}
	rc = tool_write_xlsx(NULL, book, path);
	goto written;
done:
	tool_lib_error(NULL);
written:
	dts_book_free(book);
	for (size_t i = 0; i < 8; i++)
		dts_table_free(d[i]);
	return rc;
}

int out_format_known(const char *format)
{
	return dts_table_format_parse(format) > 0;
}

int out_table(const tbl *t, const char *format, const char *path)
{
	dts_table *d = to_table(t);
	int rc;

	if (!d)
		return -1;
	rc = tool_write_table(d, format, path);
	dts_table_free(d);
	return rc;
}
