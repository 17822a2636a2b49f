/*
 * out_xlsx.c — Excel workbooks (libxlsxwriter). out_xlsx: one formatted
 * sheet (bold header, frozen header row, numbers as numbers, column widths)
 * and, when the table names a chart column, a second sheet "chart" holding
 * a native column chart of that column. out_xlsx_book: several such sheets
 * and the charts a tbl_book describes (dts-report's annex workbook). Built
 * only when libxlsxwriter is found (HAVE_XLSXWRITER); otherwise the
 * formats report that it is missing.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "tool.h"

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

static void put_cell(lxw_worksheet *ws, const tbl *t, size_t r, size_t c,
		     const fmts *f)
{
	const char *s = tbl_cell(t, r, c);
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
				  const tbl *t, const fmts *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);

	if (!ws)
		return NULL;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t w = text_width(t->cols[c].name);

		worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].name,
				       f->bold);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = text_width(tbl_cell(t, r, c));

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

static void add_chart(lxw_workbook *wb, const tbl *t)
{
	lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_chart_series *series;
	lxw_worksheet *cs;
	lxw_row_t n = 0;

	/* Chart data rows are copied to a helper range on the chart sheet
	   so the chart can pick a subset of rows (e.g. the top categories). */
	cs = workbook_add_worksheet(wb, "chart");
	for (size_t r = 0; r < t->nrows; r++) {
		char label[512] = "";
		size_t len = 0;

		if (t->chart_row && !t->chart_row(t, r))
			continue;
		for (size_t c = 0; c < t->ndims && len < sizeof(label); c++)
			len += (size_t)snprintf(label + len, sizeof(label) - len,
						"%s%s", c ? " " : "",
						tbl_cell(t, r, c));
		worksheet_write_string(cs, n, 0, label, NULL);
		worksheet_write_number(cs, n, 1,
				       strtod(tbl_cell(t, r, (size_t)t->chart_col),
					      NULL), NULL);
		n++;
	}
	if (n == 0)
		return;
	series = chart_add_series(chart, NULL, NULL);
	chart_series_set_categories(series, "chart", 0, 0, n - 1, 0);
	chart_series_set_values(series, "chart", 0, 1, n - 1, 1);
	chart_series_set_name(series, t->cols[t->chart_col].name);
	chart_title_set_name(chart, t->chart_title ? t->chart_title :
			     t->cols[t->chart_col].name);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart(cs, 0, 3, chart);
}

static int close_book(lxw_workbook *wb, const char *path)
{
	lxw_error err = workbook_close(wb);

	if (err != LXW_NO_ERROR) {
		tool_warn("%s: %s", path, lxw_strerror(err));
		return -1;
	}
	return 0;
}

/* The workbook is written under a temporary name, renamed when closed. */
static lxw_workbook *open_book(tool_out *o, const char *path)
{
	lxw_workbook *wb;

	if (tool_out_open_path(o, path) < 0)
		return NULL;
	if (!(wb = workbook_new(o->tmp ? o->tmp : path))) {
		tool_warn("%s: cannot create the workbook", path);
		tool_out_abort(o);
	}
	return wb;
}

static int finish_book(lxw_workbook *wb, tool_out *o, const char *path)
{
	if (close_book(wb, path) < 0) {
		tool_out_abort(o);
		return -1;
	}
	return tool_out_commit(o);
}

int out_xlsx(const tbl *t, const char *path)
{
	tool_out o;
	lxw_workbook *wb = open_book(&o, path);
	fmts f;

	if (!wb)
		return -1;
	make_fmts(wb, &f);
	if (t->title) {
		workbook_set_properties(wb, &(lxw_doc_properties){
			.title = t->title });
	}
	write_sheet(wb, "data", t, &f);
	if (t->chart_col >= 0)
		add_chart(wb, t);
	return finish_book(wb, &o, path);
}

/* One chart of the book. Overlapping columns (overlap 100): a series
   marked `outline` is an unfilled dark frame drawn over the filled value
   column, so a target reads as the box the value should fill (Debian's
   libxlsxwriter 1.1.4 cannot combine a column and a line chart). */
static lxw_chart *book_chart(lxw_workbook *wb, const tbl_book *b,
			     const tbl_chart *c)
{
	lxw_chart *chart = workbook_add_chart(wb, c->stacked ?
					      LXW_CHART_COLUMN_STACKED :
					      LXW_CHART_COLUMN);
	const tbl_range *k = &c->categories;

	if (!chart)
		return NULL;
	for (size_t i = 0; i < c->nseries; i++) {
		const tbl_series *s = &c->series[i];
		const tbl_range *v = &s->values;
		lxw_chart_series *cs = chart_add_series(chart, NULL, NULL);

		chart_series_set_categories(cs, b->names[k->sheet], k->row0,
					    (lxw_col_t)k->col0, k->row1,
					    (lxw_col_t)k->col1);
		chart_series_set_values(cs, b->names[v->sheet], v->row0,
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
			 const tbl_book *b)
{
	for (size_t i = 0; i < b->ncharts; i++) {
		lxw_chart *chart = book_chart(wb, b, &b->charts[i]);

		if (chart)
			worksheet_insert_chart(cs, (lxw_row_t)(i / 2 * 16),
					       (lxw_col_t)(i % 2 * 8), chart);
	}
}

int out_xlsx_book(const tbl_book *b, const char *path)
{
	tool_out o;
	lxw_workbook *wb;
	lxw_worksheet *cs = NULL;
	fmts f;

	for (size_t i = 0; i < b->nsheets; i++)
		if (tbl_check_text(b->sheets[i], "xlsx") < 0)
			return -1;
	if (!(wb = open_book(&o, path)))
		return -1;
	make_fmts(wb, &f);
	if (b->nsheets && b->sheets[0]->title) {
		workbook_set_properties(wb, &(lxw_doc_properties){
			.title = b->sheets[0]->title });
	}
	for (size_t i = 0; i < b->nsheets; i++) {
		write_sheet(wb, b->names[i], b->sheets[i], &f);
		if (i == 0 && b->ncharts)
			cs = workbook_add_worksheet(wb, b->chart_sheet ?
						    b->chart_sheet : "charts");
	}
	if (cs)
		place_charts(wb, cs, b);
	return finish_book(wb, &o, path);
}

#else

int out_xlsx(const tbl *t, const char *path)
{
	(void)t;
	tool_warn("%s: this build has no xlsx support (libxlsxwriter was not "
		  "found at build time)", path);
	return -1;
}

int out_xlsx_book(const tbl_book *b, const char *path)
{
	(void)b;
	return out_xlsx(NULL, path);
}

#endif
