/*
 * xlsx.c — Excel workbooks with libxlsxwriter (see dts/table.h):
 * dts_table_write_xlsx, one formatted sheet and an optional chart sheet;
 * dts_book_*, several sheets and the charts the book describes. Built
 * with HAVE_XLSXWRITER (meson option xlsx); without it the writers return
 * DTS_ERROR saying so. The book description itself is always built.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "write_int.h"

typedef struct book_series {
	char *name;
	dts_range values;
	int outline;
} book_series;

typedef struct bchart {
	char *title, *y_title;
	int stacked;
	dts_range categories;
	book_series *series;
	size_t nseries;
} bchart;

typedef struct book_sheet {
	char *name;
	const dts_table *table;
} book_sheet;

struct dts_book {
	book_sheet *sheets;
	size_t nsheets;
	bchart *charts;
	size_t ncharts;
	char *chart_sheet;
};

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

int dts_book_new(dts_book **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return nomem();
	return 0;
}

void dts_book_free(dts_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nsheets; i++)
		free(b->sheets[i].name);
	for (size_t i = 0; i < b->ncharts; i++) {
		for (size_t k = 0; k < b->charts[i].nseries; k++)
			free(b->charts[i].series[k].name);
		free(b->charts[i].series);
		free(b->charts[i].title);
		free(b->charts[i].y_title);
	}
	free(b->sheets);
	free(b->charts);
	free(b->chart_sheet);
	free(b);
}

int dts_book_add_sheet(dts_book *b, const char *name, const dts_table *t)
{
	book_sheet *s;
	char *copy;

	if (!name || !t)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a sheet needs a name and a table");
	if (!(copy = strdup(name)))
		return nomem();
	if (!(s = realloc(b->sheets, (b->nsheets + 1) * sizeof(*s)))) {
		free(copy);
		return nomem();
	}
	b->sheets = s;
	s[b->nsheets].name = copy;
	s[b->nsheets++].table = t;
	return 0;
}

int dts_book_set_chart_sheet(dts_book *b, const char *name)
{
	char *copy = name ? strdup(name) : NULL;

	if (name && !copy)
		return nomem();
	free(b->chart_sheet);
	b->chart_sheet = copy;
	return 0;
}

int dts_book_add_chart(dts_book *b, const char *title, const char *y_title,
		       int stacked, const dts_range *categories)
{
	bchart *c, ch = {0};

	if (!title || !categories)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a chart needs a title and categories");
	ch.stacked = stacked;
	ch.categories = *categories;
	if (!(ch.title = strdup(title)) ||
	    (y_title && !(ch.y_title = strdup(y_title))) ||
	    !(c = realloc(b->charts, (b->ncharts + 1) * sizeof(*c)))) {
		free(ch.title);
		free(ch.y_title);
		return nomem();
	}
	b->charts = c;
	c[b->ncharts++] = ch;
	return 0;
}

int dts_book_add_series(dts_book *b, const char *name, const dts_range *values,
			int outline)
{
	bchart *c;
	book_series *s;
	char *copy;

	if (!b->ncharts || !name || !values)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a series needs a chart, a name and values");
	c = &b->charts[b->ncharts - 1];
	if (!(copy = strdup(name)))
		return nomem();
	if (!(s = realloc(c->series, (c->nseries + 1) * sizeof(*s)))) {
		free(copy);
		return nomem();
	}
	c->series = s;
	s[c->nseries].name = copy;
	s[c->nseries].values = *values;
	s[c->nseries++].outline = outline;
	return 0;
}

/* Every range names a sheet of the book. */
static int check_ranges(const dts_book *b)
{
	for (size_t i = 0; i < b->ncharts; i++) {
		const bchart *c = &b->charts[i];
		int bad = c->categories.sheet >= b->nsheets;

		for (size_t k = 0; k < c->nseries; k++)
			bad |= c->series[k].values.sheet >= b->nsheets;
		if (bad)
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "chart \"%s\" names a sheet the book "
					  "does not have", c->title);
	}
	return 0;
}

#ifdef HAVE_XLSXWRITER
#include <xlsxwriter.h>

typedef struct fmts {
	lxw_format *bold, *text, *num[5]; /* num[k]: k decimals, as written */
} fmts;

static void make_fmts(lxw_workbook *wb, fmts *f)
{
	static const char *const nf[5] = {"#,##0", "#,##0.0", "#,##0.00",
					  "#,##0.000", "#,##0.0000"};

	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
	format_set_bottom(f->bold, LXW_BORDER_THIN);
	/* Text in a numeric column ("missing", a goal like ">=10"): set off
	   so nobody reads it as a number. */
	f->text = workbook_add_format(wb);
	format_set_italic(f->text);
	format_set_align(f->text, LXW_ALIGN_RIGHT);
	for (int k = 0; k < 5; k++) {
		f->num[k] = workbook_add_format(wb);
		format_set_num_format(f->num[k], nf[k]);
	}
}

/* Shown with as many decimals as the text has, so counts stay counts. */
static lxw_format *num_fmt(const fmts *f, const char *s)
{
	const char *dot = strchr(s, '.');
	size_t k = dot ? strlen(dot + 1) : 0;

	return k < 5 ? f->num[k] : NULL;
}

static void put_cell(lxw_worksheet *ws, const dts_table *t, size_t r, size_t c,
		     const fmts *f)
{
	const char *s = dts__cell(t, r, c);
	char *end;
	double d;

	if (!*s)
		return;
	if (t->cols[c].numeric) {
		d = strtod(s, &end);
		if (*end == '\0') {
			worksheet_write_number(ws, (lxw_row_t)(r + 1),
					       (lxw_col_t)c, d, num_fmt(f, s));
			return;
		}
	}
	worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, s,
			       t->cols[c].numeric ? f->text : NULL);
}

/* Display width: CJK (3- and 4-byte UTF-8) counts as two columns. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w += *p >= 0xE0 ? 2 : 1;
	return w;
}

static lxw_worksheet *write_sheet(lxw_workbook *wb, const char *name,
				  const dts_table *t, const fmts *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);

	if (!ws)
		return NULL;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t w = text_width(t->cols[c].name);

		worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].name,
				       f->bold);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = text_width(dts__cell(t, r, c));

			w = cw > w ? cw : w;
			put_cell(ws, t, r, c, f);
		}
		w = w < 8 ? 8 : w > 60 ? 60 : w;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     (double)w + 2, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (t->nrows)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows,
				     (lxw_col_t)(t->ncols - 1));
	return ws;
}

/* The chart of a single table: its data rows are copied to a helper
   range on the chart sheet, labelled by the dimension cells. */
static int add_chart(lxw_workbook *wb, const dts_table *t)
{
	lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_worksheet *cs = workbook_add_worksheet(wb, "chart");
	lxw_chart_series *series;
	dts__buf label = {0};
	lxw_row_t n = 0;

	if (!chart || !cs)
		return nomem();
	for (size_t r = 0; r < t->nrows; r++, n++) {
		label.len = 0;
		dts__buf_add(&label, "", 0);
		for (size_t c = 0; c < t->ndims; c++) {
			if (c)
				dts__buf_ch(&label, ' ');
			dts__buf_str(&label, dts__cell(t, r, c));
		}
		if (label.oom)
			break;
		worksheet_write_string(cs, n, 0, label.p, NULL);
		worksheet_write_number(cs, n, 1,
				       strtod(dts__cell(t, r, (size_t)t->chart_col),
					      NULL), NULL);
	}
	if (label.oom) {
		dts__buf_free(&label);
		return nomem();
	}
	dts__buf_free(&label);
	if (n == 0)
		return 0;
	series = chart_add_series(chart, NULL, NULL);
	chart_series_set_categories(series, "chart", 0, 0, n - 1, 0);
	chart_series_set_values(series, "chart", 0, 1, n - 1, 1);
	chart_series_set_name(series, t->cols[t->chart_col].name);
	chart_title_set_name(chart, t->chart_title ? t->chart_title :
			     t->cols[t->chart_col].name);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart(cs, 0, 3, chart);
	return 0;
}

static lxw_workbook *open_book(const char *path)
{
	lxw_workbook *wb = workbook_new(path);

	if (!wb)
		dts__error(DTS_EIO, path, 0, 0, "cannot create the workbook");
	return wb;
}

static int close_book(lxw_workbook *wb, const char *path, int rc)
{
	lxw_error err = workbook_close(wb);

	if (rc == 0 && err != LXW_NO_ERROR)
		rc = dts__error(DTS_EIO, path, 0, 0, "%s", lxw_strerror(err));
	return rc;
}

int dts_table_write_xlsx(const dts_table *t, const char *path)
{
	lxw_workbook *wb;
	fmts f;
	int rc;

	if ((rc = dts_table_check_text(t)) < 0)
		return rc;
	if (!(wb = open_book(path)))
		return DTS_EIO;
	make_fmts(wb, &f);
	if (t->title) {
		workbook_set_properties(wb, &(lxw_doc_properties){
			.title = t->title });
	}
	if (!write_sheet(wb, "data", t, &f))
		rc = nomem();
	if (rc == 0 && t->chart_col >= 0)
		rc = add_chart(wb, t);
	return close_book(wb, path, rc);
}

/* One chart of the book. Overlapping columns (overlap 100): a series
   marked `outline` is an unfilled dark frame drawn over the filled value
   column, so a target reads as the box the value should fill (Debian's
   libxlsxwriter 1.1.4 cannot combine a column and a line chart). */
static lxw_chart *make_chart(lxw_workbook *wb, const dts_book *b,
			     const bchart *c)
{
	lxw_chart *chart = workbook_add_chart(wb, c->stacked ?
					      LXW_CHART_COLUMN_STACKED :
					      LXW_CHART_COLUMN);
	const dts_range *k = &c->categories;

	if (!chart)
		return NULL;
	for (size_t i = 0; i < c->nseries; i++) {
		const book_series *s = &c->series[i];
		const dts_range *v = &s->values;
		lxw_chart_series *cs = chart_add_series(chart, NULL, NULL);

		chart_series_set_categories(cs, b->sheets[k->sheet].name, k->row0,
					    (lxw_col_t)k->col0, k->row1,
					    (lxw_col_t)k->col1);
		chart_series_set_values(cs, b->sheets[v->sheet].name, v->row0,
					(lxw_col_t)v->col0, v->row1,
					(lxw_col_t)v->col1);
		chart_series_set_name(cs, s->name);
		if (s->outline) {
			lxw_chart_fill none = {.none = LXW_TRUE};
			lxw_chart_line frame = {.color = 0x404040, .width = 1.75,
				.dash_type = LXW_CHART_LINE_DASH_DASH};

			chart_series_set_fill(cs, &none);
			chart_series_set_line(cs, &frame);
		}
	}
	if (!c->stacked)
		chart_set_series_overlap(chart, 100);
	chart_title_set_name(chart, c->title);
	if (c->y_title)
		chart_axis_set_name(chart->y_axis, c->y_title);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	return chart;
}

/* Charts two to a row, each 8 columns x 16 rows (the default size). */
static void place_charts(lxw_workbook *wb, lxw_worksheet *cs,
			 const dts_book *b)
{
	for (size_t i = 0; i < b->ncharts; i++) {
		lxw_chart *chart = make_chart(wb, b, &b->charts[i]);

		if (chart)
			worksheet_insert_chart(cs, (lxw_row_t)(i / 2 * 16),
					       (lxw_col_t)(i % 2 * 8), chart);
	}
}

int dts_book_write_xlsx(const dts_book *b, const char *path)
{
	lxw_workbook *wb;
	lxw_worksheet *cs = NULL;
	fmts f;
	int rc;

	if ((rc = check_ranges(b)) < 0)
		return rc;
	for (size_t i = 0; i < b->nsheets; i++)
		if ((rc = dts_table_check_text(b->sheets[i].table)) < 0)
			return rc;
	if (!(wb = open_book(path)))
		return DTS_EIO;
	make_fmts(wb, &f);
	if (b->nsheets && b->sheets[0].table->title) {
		workbook_set_properties(wb, &(lxw_doc_properties){
			.title = b->sheets[0].table->title });
	}
	for (size_t i = 0; i < b->nsheets && rc == 0; i++) {
		if (!write_sheet(wb, b->sheets[i].name, b->sheets[i].table, &f))
			rc = dts__error(DTS_EINVAL, NULL, 0, 0,
					"sheet \"%s\": not a valid or a new "
					"sheet name", b->sheets[i].name);
		if (i == 0 && b->ncharts)
			cs = workbook_add_worksheet(wb, b->chart_sheet ?
						    b->chart_sheet : "charts");
	}
	if (rc == 0 && cs)
		place_charts(wb, cs, b);
	return close_book(wb, path, rc);
}

#else

static int no_xlsx(void)
{
	return dts__error(DTS_ERROR, NULL, 0, 0,
			  "this build has no xlsx support (libxlsxwriter was "
			  "not found at build time)");
}

/* The same checks as with xlsx support, so a caller sees the same errors
 * first; then the missing support. */
int dts_table_write_xlsx(const dts_table *t, const char *path)
{
	int rc = dts_table_check_text(t);

	(void)path;
	return rc < 0 ? rc : no_xlsx();
}

int dts_book_write_xlsx(const dts_book *b, const char *path)
{
	int rc = check_ranges(b);

	(void)path;
	for (size_t i = 0; rc == 0 && i < b->nsheets; i++)
		rc = dts_table_check_text(b->sheets[i].table);
	return rc < 0 ? rc : no_xlsx();
}

#endif
