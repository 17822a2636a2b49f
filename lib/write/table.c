/* table.c — the table of text the writers publish (see dts/table.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "write_int.h"
#include "dts/cube.h"

int dts_table_sdmx_id(char **out, const char *name)
{
	size_t n = strlen(name);
	char *id = malloc(n + 2), *p = id;

	*out = NULL;
	if (!id)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!((name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= 'a' && name[0] <= 'z')))
		*p++ = 'X';
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			c = '_';
		*p++ = c;
	}
	*p = '\0';
	*out = id;
	return 0;
}

int dts_table_new(dts_table **out, const char *const *names, size_t ncols,
		  size_t ndims)
{
	dts_table *t;

	*out = NULL;
	if (!names || ncols == 0 || ndims > ncols)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a table needs columns, at most as many "
				  "dimensions as columns");
	for (size_t i = 0; i < ncols; i++)
		if (!names[i])
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "column %zu has no name", i + 1);
	if (!(t = calloc(1, sizeof(*t))) ||
	    !(t->cols = calloc(ncols, sizeof(*t->cols))))
		goto nomem;
	t->chart_col = -1;
	t->time_col = -1;
	t->ncols = ncols;
	t->ndims = ndims;
	for (size_t i = 0; i < ncols; i++) {
		t->cols[i].numeric = i >= ndims;
		if (!(t->cols[i].name = strdup(names[i])) ||
		    dts_table_sdmx_id(&t->cols[i].id, names[i]) < 0)
			goto nomem;
	}
	*out = t;
	return 0;
nomem:
	dts_table_free(t);
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

void dts_table_free(dts_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->cols && i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].id);
		free(t->cols[i].zh);
		free(t->cols[i].en);
		for (size_t k = 0; k < t->cols[i].ncodes; k++) {
			free(t->cols[i].codes[k].code);
			free(t->cols[i].codes[k].zh);
			free(t->cols[i].codes[k].en);
		}
		free(t->cols[i].codes);
	}
	for (size_t r = 0; r < t->row_units_cap; r++)
		free(t->row_units[r].unit);
	free(t->row_units);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	free(t->title);
	free(t->dataflow);
	free(t->unit);
	free(t->missing);
	free(t->chart_title);
	free(t);
}

int dts_table_add_row(dts_table *t, const char *const *cells)
{
	size_t base = t->nrows * t->ncols, i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **c;

		if (cap > SIZE_MAX / sizeof(*c) / t->ncols ||
		    !(c = realloc(t->cells, cap * t->ncols * sizeof(*c))))
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		t->cells = c;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++)
		if (!(t->cells[base + i] = strdup(cells[i] ? cells[i] : "")))
			break;
	if (i < t->ncols) {
		while (i--)
			free(t->cells[base + i]);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	t->nrows++;
	return 0;
}

size_t dts_table_nrows(const dts_table *t) { return t->nrows; }
size_t dts_table_ncols(const dts_table *t) { return t->ncols; }
size_t dts_table_ndims(const dts_table *t) { return t->ndims; }

const char *dts_table_cell(const dts_table *t, size_t row, size_t col)
{
	return row < t->nrows && col < t->ncols ? dts__cell(t, row, col) : NULL;
}

const char *dts_table_col_name(const dts_table *t, size_t col)
{
	return col < t->ncols ? t->cols[col].name : NULL;
}

const char *dts_table_col_id(const dts_table *t, size_t col)
{
	return col < t->ncols ? t->cols[col].id : NULL;
}

int dts_table_col_numeric(const dts_table *t, size_t col)
{
	return col < t->ncols && t->cols[col].numeric;
}

int dts_table_set_numeric(dts_table *t, size_t col, int numeric)
{
	if (col >= t->ncols)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "no column %zu (the table has %zu)", col + 1,
				  t->ncols);
	t->cols[col].numeric = numeric != 0;
	return 0;
}

static int set_str(char **slot, const char *s)
{
	char *copy = NULL;

	if (s && !(copy = strdup(s)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

int dts_table_set_title(dts_table *t, const char *s) { return set_str(&t->title, s); }
int dts_table_set_dataflow(dts_table *t, const char *s) { return set_str(&t->dataflow, s); }
int dts_table_set_unit(dts_table *t, const char *s) { return set_str(&t->unit, s); }
int dts_table_set_missing(dts_table *t, const char *s) { return set_str(&t->missing, s); }
const char *dts_table_title(const dts_table *t) { return t->title; }
const char *dts_table_dataflow(const dts_table *t) { return t->dataflow; }
const char *dts_table_unit(const dts_table *t) { return t->unit; }
void dts_table_set_unit_mult(dts_table *t, int m) { t->unit_mult = m; }
int dts_table_unit_mult(const dts_table *t) { return t->unit_mult; }

void dts_table_set_prepared(dts_table *t, int64_t unix_seconds)
{
	t->prepared = unix_seconds;
	t->has_prepared = 1;
}

int dts_table_set_chart(dts_table *t, int col, const char *title)
{
	if (col < -1 || (col >= 0 && (size_t)col >= t->ncols))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "no column %d for the chart", col + 1);
	if (set_str(&t->chart_title, col >= 0 ? title : NULL) < 0)
		return DTS_ENOMEM;
	t->chart_col = col;
	return 0;
}

/* Copy the check's message: dts__error would overwrite what it reads. */
static int text_error(size_t row, size_t col, const char *name)
{
	char why[sizeof(((dts_error *)0)->message)];

	snprintf(why, sizeof(why), "%s", dts_error_last()->message);
	return name ? dts__error(DTS_EINPUT, NULL, 0, 0,
				 "row %zu, column %s: %s", row, name, why) :
	       dts__error(DTS_EINPUT, NULL, 0, 0, "column %zu header: %s",
			  col, why);
}

int dts_table_check_text(const dts_table *t)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (dts_text_check(t->cols[c].name, strlen(t->cols[c].name)) < 0)
			return text_error(0, c + 1, NULL);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = dts__cell(t, r, c);

			if (dts_text_check(s, strlen(s)) < 0)
				return text_error(r + 1, c + 1,
						  t->cols[c].name);
		}
	return 0;
}

static const char *const format_names[] = {NULL, "text", "csv", "sdmx-csv",
					   "sdmx-ml", "xlsx", "sdmx-structure"};

int dts_table_format_parse(const char *name)
{
	for (int i = DTS_TABLE_TEXT; i <= DTS_TABLE_SDMX_STRUCTURE; i++)
		if (name && !strcmp(name, format_names[i]))
			return i;
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
			  "unknown format \"%s\" (text, csv, sdmx-csv, "
			  "sdmx-ml, sdmx-structure, xlsx)", name ? name : "");
}

/* ---- SDMX and Excel metadata --------------------------------------------- */

void dts_table_set_status(dts_table *t, int status)
{
	t->status = dts_status_name(status) ? status : 0;
}

int dts_table_status(const dts_table *t)
{
	return t->status;
}

int dts_table_set_time(dts_table *t, int col)
{
	if (col < -1 || (col >= 0 && (size_t)col >= t->ndims))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "the time column must "
				  "be a dimension");
	t->time_col = col;
	return 0;
}

void dts_table_set_bom(dts_table *t, int bom)
{
	t->bom = bom != 0;
}

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

int dts_table_set_row_unit(dts_table *t, size_t row, const char *unit,
			   int unit_mult)
{
	char *u = NULL;

	if (row >= t->nrows)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no row %zu", row);
	if (row >= t->row_units_cap) {
		size_t cap = t->cap > row ? t->cap : row + 1;
		dts__row_unit *ru = realloc(t->row_units, cap * sizeof(*ru));

		if (!ru)
			return nomem();
		memset(ru + t->row_units_cap, 0,
		       (cap - t->row_units_cap) * sizeof(*ru));
		t->row_units = ru;
		t->row_units_cap = cap;
	}
	if (unit && !(u = strdup(unit)))
		return nomem();
	free(t->row_units[row].unit);
	t->row_units[row].unit = u;
	t->row_units[row].mult = unit_mult;
	t->row_units[row].set = 1;
	return 0;
}

/* Copies of zh and en (either may be NULL) into *pz, *pe. */
static int two_names(char **pz, char **pe, const char *zh, const char *en)
{
	char *z = zh ? strdup(zh) : NULL, *e = en ? strdup(en) : NULL;

	if ((zh && !z) || (en && !e)) {
		free(z);
		free(e);
		return nomem();
	}
	*pz = z;
	*pe = e;
	return 0;
}

int dts_table_set_concept(dts_table *t, size_t col, const char *name_zh,
			  const char *name_en)
{
	char *z, *e;
	int rc;

	if (col >= t->ncols)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no column %zu", col);
	if ((rc = two_names(&z, &e, name_zh, name_en)) < 0)
		return rc;
	free(t->cols[col].zh);
	free(t->cols[col].en);
	t->cols[col].zh = z;
	t->cols[col].en = e;
	return 0;
}

int dts_table_add_code(dts_table *t, size_t col, const char *code,
		       const char *name_zh, const char *name_en)
{
	dts__col *c;
	dts__code *k;

	if (col >= t->ndims || !code)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "codes belong to a "
				  "dimension column");
	c = &t->cols[col];
	for (size_t i = 0; i < c->ncodes; i++)
		if (!strcmp(c->codes[i].code, code))
			return 0;   /* the first names stay */
	if (c->ncodes == c->codes_cap) {
		size_t cap = c->codes_cap ? 2 * c->codes_cap : 8;

		if (!(k = realloc(c->codes, cap * sizeof(*k))))
			return nomem();
		c->codes = k;
		c->codes_cap = cap;
	}
	k = &c->codes[c->ncodes];
	if (!(k->code = strdup(code)))
		return nomem();
	if (two_names(&k->zh, &k->en, name_zh, name_en) < 0) {
		free(k->code);
		return nomem();
	}
	c->ncodes++;
	return 0;
}

/* ---- the sink ------------------------------------------------------------ */

#define SINK_CHUNK 65536

void dts__sink_init(dts__sink *s, dts_write_cb cb, void *payload)
{
	memset(s, 0, sizeof(*s));
	s->cb = cb;
	s->payload = payload;
}

int dts__sink_flush(dts__sink *s)
{
	if (s->rc == 0 && s->b.oom)
		s->rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (s->rc == 0 && s->b.len)
		s->rc = s->cb(s->b.p, s->b.len, s->payload);
	s->b.len = 0;
	return s->rc;
}

int dts__sink_maybe_flush(dts__sink *s)
{
	return s->b.len >= SINK_CHUNK || s->b.oom ? dts__sink_flush(s) : s->rc;
}

int dts__sink_done(dts__sink *s)
{
	int rc = dts__sink_flush(s);

	dts__buf_free(&s->b);
	return rc;
}

int dts__write_file(const void *data, size_t len, void *payload)
{
	FILE *f = payload;

	if (fwrite(data, 1, len, f) != len)
		return dts__error(DTS_EIO, NULL, 0, 0, "write error: %s",
				  strerror(errno ? errno : EIO));
	return 0;
}

int dts_table_write_cb(const dts_table *t, int format, dts_write_cb cb,
		       void *payload)
{
	switch (format) {
	case DTS_TABLE_TEXT:
		return dts_table_write_text_cb(t, cb, payload);
	case DTS_TABLE_CSV:
		return dts_table_write_csv_cb(t, cb, payload);
	case DTS_TABLE_SDMX_CSV:
		return dts_table_write_sdmx_csv_cb(t, cb, payload);
	case DTS_TABLE_SDMX_ML:
		return dts_table_write_sdmx_ml_cb(t, cb, payload);
	case DTS_TABLE_SDMX_STRUCTURE:
		return dts_table_write_sdmx_structure_cb(t, cb, payload);
	case DTS_TABLE_XLSX:
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "xlsx output needs a file: use "
				  "dts_table_write_xlsx()");
	default:
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unknown table format %d", format);
	}
}

int dts_table_write(const dts_table *t, int format, FILE *f)
{
	return dts_table_write_cb(t, format, dts__write_file, f);
}
