/*
 * out_xlsx.c — an Excel workbook (libxlsxwriter): one formatted sheet
 * (bold header, frozen header row, numbers as numbers, column widths) and,
 * when the table names a chart column, a second sheet "chart" holding a
 * native column chart of that column. Built only when libxlsxwriter is
 * found (HAVE_XLSXWRITER); otherwise the format reports that it is missing.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "tool.h"

#ifdef HAVE_XLSXWRITER
#include <xlsxwriter.h>

static void put_cell(lxw_worksheet *ws, const tbl *t, size_t r, size_t c,
		     lxw_format *num)
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
					       (lxw_col_t)c, d, num);
			return;
		}
	}
	worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, s, NULL);
}

static void add_chart(lxw_workbook *wb, lxw_worksheet *ws, const tbl *t,
		      const char *sheet)
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
		for (size_t c = 0; c < t->ndims; c++)
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
	(void)ws;
	(void)sheet;
}

int out_xlsx(const tbl *t, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *bold, *num;
	lxw_error err;

	if (!wb) {
		tool_warn("%s: cannot create the workbook", path);
		return -1;
	}
	ws = workbook_add_worksheet(wb, "data");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_bottom(bold, LXW_BORDER_THIN);
	num = workbook_add_format(wb);
	format_set_num_format(num, "#,##0.00");
	if (t->title) {
		workbook_set_properties(wb, &(lxw_doc_properties){
			.title = t->title });
	}
	for (size_t c = 0; c < t->ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].name, bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     t->cols[c].numeric ? 16 : 14, NULL);
		for (size_t r = 0; r < t->nrows; r++)
			put_cell(ws, t, r, c, num);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (t->nrows)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows,
				     (lxw_col_t)(t->ncols - 1));
	if (t->chart_col >= 0)
		add_chart(wb, ws, t, "data");
	err = workbook_close(wb);
	if (err != LXW_NO_ERROR) {
		tool_warn("%s: %s", path, lxw_strerror(err));
		return -1;
	}
	return 0;
}

#else

int out_xlsx(const tbl *t, const char *path)
{
	(void)t;
	tool_warn("%s: this build has no xlsx support (libxlsxwriter was not "
		  "found at build time)", path);
	return -1;
}

#endif
