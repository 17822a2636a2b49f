/* table.c — the string table the output writers share (see table.h). */
#include <stdlib.h>
#include <string.h>

#include "dts/cube.h"
#include "table.h"
#include "tool.h"

char *tbl_sdmx_id(const char *name)
{
	size_t n = strlen(name);
	char *id = malloc(n + 2), *p = id;

	if (!id)
		return NULL;
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
	return id;
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

int tbl_check_text(const tbl *t, const char *format)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (dts_text_check(t->cols[c].name, strlen(t->cols[c].name)) < 0) {
			tool_warn("%s output: column %zu header: %s", format,
				  c + 1, dts_error_last()->message);
			return -1;
		}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = tbl_cell(t, r, c);

			if (dts_text_check(s, strlen(s)) < 0) {
				tool_warn("%s output: row %zu, column %s: %s",
					  format, r + 1, t->cols[c].name,
					  dts_error_last()->message);
				return -1;
			}
		}
	return 0;
}

static const char *const formats[] = {"text", "csv", "sdmx-csv", "sdmx-ml",
				      "xlsx"};

int out_format_known(const char *format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(format, formats[i]))
			return 1;
	return 0;
}

int out_table(const tbl *t, const char *format, const char *path)
{
	tool_out o;
	int rc;

	if (!out_format_known(format))
		return -1;
	if ((!strcmp(format, "sdmx-ml") || !strcmp(format, "xlsx")) &&
	    tbl_check_text(t, format) < 0)
		return -1;
	if (!strcmp(format, "xlsx")) {
		if (!path || !strcmp(path, "-")) {
			tool_warn("xlsx output needs a file: use -o FILE.xlsx");
			return -1;
		}
		return out_xlsx(t, path);
	}
	if (tool_out_open(&o, path) < 0)
		return -1;
	rc = !strcmp(format, "text") ? out_text(t, o.f) :
	     !strcmp(format, "csv") ? out_csv(t, o.f) :
	     !strcmp(format, "sdmx-csv") ? out_sdmx_csv(t, o.f) :
	     out_sdmx_ml(t, o.f);
	if (rc < 0) {
		tool_warn("%s: write error", path ? path : "stdout");
		tool_out_abort(&o);
		return -1;
	}
	return tool_out_commit(&o);
}
