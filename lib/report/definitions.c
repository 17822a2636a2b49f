/*
 * definitions.c — the indicator system as a publication (`dts-report
 * --definitions`, docs/indicators.md): per indicator its annex number,
 * names, definition, formula in terms of categories and flags, unit,
 * sources, frequency, the responsible units the plan names, and the
 * targets by year, all from the definition and targets files.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "report_int.h"
#include "../write/svg_int.h"

const char *dts_report_indicator_text(const dts_report *r, size_t i,
				      const char *column)
{
	static const char *const names[RPT_NTEXT] = RPT_TEXT_COLUMNS;

	if (!r || !column || i >= r->n)
		return NULL;
	for (int k = 0; k < RPT_NTEXT; k++)
		if (!strcmp(column, names[k]))
			return r->ind[i].text[k];
	return NULL;
}

/* The Handbook flags a category's records carry (docs/classification.md,
   "Reading the standard"). */
static const char *flags_of(const char *code)
{
	if (!strcmp(code, "CBEC") || !strcmp(code, "DO"))
		return "goods, ordered=1, delivered=0";
	if (!strcmp(code, "DD") || !strcmp(code, "TECH") ||
	    !strcmp(code, "SERV") || !strcmp(code, "PROD") ||
	    !strcmp(code, "DATA"))
		return "services, delivered=1";
	if (!strcmp(code, "DT"))
		return "ordered=1 or delivered=1";
	return "ordered=0, delivered=0";
}

/* "Σ value of records in DT (...) with flow X or M, base goods". */
static void formula(dts__buf *b, const dts_report *r, const rpt_ind *d)
{
	switch (d->pub.kind) {
	case DTS_INDICATOR_SUM: {
		int first = 1, all = 1;

		for (size_t i = 0; i < DTS_CATEGORY_TOPS; i++)
			if (!(d->cats & (1u << dts__report_code(dts_category_top(i)))))
				all = 0;
		dts__buf_str(b, "sum of the records' value in ");
		if (all) {
			dts__buf_str(b, "every category (all trade)");
		} else {
			for (size_t i = 0; i < DTS_CATEGORY_FIXED; i++) {
				const char *c = dts_category_fixed(i);

				if (!(d->cats & (1u << i)))
					continue;
				dts__buf_printf(b, "%s%s [%s]", first ? "" : " + ",
						c, flags_of(c));
				first = 0;
			}
		}
		dts__buf_printf(b, "; flow %s",
				d->flows == 3 ? "X + M" : d->flows == 1 ? "X (exports)" :
							       "M (imports)");
		if (d->base && d->base[0])
			dts__buf_printf(b, "; base %s", d->base);
		break;
	}
	case DTS_INDICATOR_SHARE:
		dts__buf_printf(b, "%s / %s x 100", r->ind[d->of[0]].pub.id,
				r->ind[d->of[1]].pub.id);
		break;
	case DTS_INDICATOR_GROWTH:
		dts__buf_printf(b, "(%s(t) - %s(t-1)) / %s(t-1) x 100",
				r->ind[d->of[0]].pub.id, r->ind[d->of[0]].pub.id,
				r->ind[d->of[0]].pub.id);
		break;
	default:
		dts__buf_str(b, "reported value (not computed from records)");
	}
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The target years, sorted and unique, into *years (malloc). */
static size_t target_years(const dts_report *r, int **years)
{
	size_t n = 0;
	int *v = malloc((r->targets.n + 1) * sizeof(*v));

	*years = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < r->targets.n; i++)
		v[n++] = r->targets.v[i].year;
	qsort(v, n, sizeof(*v), cmp_int);
	size_t o = 0;

	for (size_t i = 0; i < n; i++)
		if (!o || v[o - 1] != v[i])
			v[o++] = v[i];
	return o;
}

static const char *target_of(const dts_report *r, size_t ind, int year)
{
	for (size_t i = 0; i < r->targets.n; i++)
		if ((size_t)r->targets.v[i].ind == ind && r->targets.v[i].year == year)
			return r->targets.v[i].text;
	return "";
}

typedef struct out {
	dts__buf b;
	int format;
} out;

static void cell(out *o, const char *s, int last)
{
	if (o->format == DTS_STANDARD_CSV) {
		dts__buf_csv(&o->b, s, strlen(s), ',');
		dts__buf_ch(&o->b, last ? '\n' : ',');
		return;
	}
	if (o->format == DTS_STANDARD_HTML) {
		dts__buf_str(&o->b, "<td>");
		dts__svg_esc(&o->b, s);
		dts__buf_str(&o->b, last ? "</td></tr>\n" : "</td>");
		return;
	}
	for (; *s; s++)
		if (*s == '|')
			dts__buf_str(&o->b, "\\|");
		else if (*s == '\n')
			dts__buf_ch(&o->b, ' ');
		else
			dts__buf_ch(&o->b, *s);
	dts__buf_str(&o->b, last ? " |\n" : " | ");
}

static void row_start(out *o)
{
	if (o->format == DTS_STANDARD_HTML)
		dts__buf_str(&o->b, "<tr>");
	else if (o->format == DTS_STANDARD_MD)
		dts__buf_str(&o->b, "| ");
}

int dts_report_write_definitions_cb(const dts_report *r, int format,
				    dts_write_cb cb, void *payload)
{
	static const char *const head[] = { "id", "no", "name_zh", "name_en",
		"definition_zh", "definition_en", "formula", "unit", "goal",
		"sources", "data_sources", "frequency", "responsible" };
	enum { NHEAD = sizeof(head) / sizeof(head[0]) };
	out o = { { 0 }, format };
	int *years = NULL, e;
	size_t ny;
	dts__buf f = { 0 };

	if (!r || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_report_write_definitions: NULL argument");
	if (format != DTS_STANDARD_MD && format != DTS_STANDARD_HTML &&
	    format != DTS_STANDARD_CSV)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_report_write_definitions: format %d is "
				  "not md, html or csv", format);
	ny = target_years(r, &years);
	if (!years)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (format == DTS_STANDARD_HTML)
		dts__buf_str(&o.b, "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>"
			     "<meta charset=\"utf-8\"><title>数字贸易统计指标体系 "
			     "Indicator system</title></head>\n<body>\n"
			     "<h1>数字贸易统计指标体系 / The indicator system</h1>\n"
			     "<table>\n");
	if (format == DTS_STANDARD_MD)
		dts__buf_str(&o.b, "<!-- Generated by `dts-report --definitions` "
			     "from the indicator definition and targets files "
			     "(by default indicators/hangzhou-annex.csv and "
			     "indicators/hangzhou-targets.csv): edit those files, "
			     "not this text (regenerate: scripts/regen-docs.sh). "
			     "-->\n\n");
	if (format == DTS_STANDARD_MD)
		dts__buf_str(&o.b, "# 数字贸易统计指标体系 / The indicator system\n\n");
	for (size_t k = 0; format != DTS_STANDARD_MD && k < NHEAD + ny; k++) {
		char y[16];
		const char *h = head[k < NHEAD ? k : 0];

		if (k >= NHEAD) {
			snprintf(y, sizeof(y), "y%d", years[k - NHEAD]);
			h = y;
		}
		if (format == DTS_STANDARD_HTML) {
			dts__buf_str(&o.b, k ? "<th>" : "<tr><th>");
			dts__svg_esc(&o.b, h);
			dts__buf_str(&o.b, k + 1 == NHEAD + ny ? "</th></tr>\n" : "</th>");
		} else {
			cell(&o, h, k + 1 == NHEAD + ny);
		}
	}
	for (size_t i = 0; i < r->n; i++) {
		const rpt_ind *d = &r->ind[i];
		const char *cells[NHEAD];

		f.len = 0;
		dts__buf_str(&f, "");
		formula(&f, r, d);
		cells[0] = d->pub.id;
		cells[1] = d->pub.no;
		cells[2] = d->pub.name_zh;
		cells[3] = d->pub.name_en;
		cells[4] = d->text[0];
		cells[5] = d->text[1];
		cells[6] = f.oom ? "" : f.p;
		cells[7] = d->pub.unit;
		cells[8] = d->pub.goal;
		cells[9] = d->sources ? d->sources : "";
		cells[10] = d->text[3];
		cells[11] = d->text[2];
		cells[12] = d->text[4];
		if (format == DTS_STANDARD_MD) {
			/* one section per indicator: a table would be 16 wide */
			dts__buf_printf(&o.b, "## %s%s%s %s / %s\n\n| | |\n|---|---|\n",
					d->pub.no[0] ? "附件指标 " : "", d->pub.no[0] ?
					d->pub.no : d->pub.id, d->pub.no[0] ? "" : "",
					d->pub.name_zh, d->pub.name_en);
			for (size_t k = 0; k < NHEAD; k++) {
				if (k == 2 || k == 3 || !cells[k][0])
					continue;
				row_start(&o);
				cell(&o, head[k], 0);
				cell(&o, cells[k], 1);
			}
			for (size_t y = 0; y < ny; y++) {
				char yh[32];

				if (!target_of(r, i, years[y])[0])
					continue;
				snprintf(yh, sizeof(yh), "target %d", years[y]);
				row_start(&o);
				cell(&o, yh, 0);
				cell(&o, target_of(r, i, years[y]), 1);
			}
			dts__buf_ch(&o.b, '\n');
			continue;
		}
		row_start(&o);
		for (size_t k = 0; k < NHEAD; k++)
			cell(&o, cells[k], !ny && k + 1 == NHEAD);
		for (size_t y = 0; y < ny; y++)
			cell(&o, target_of(r, i, years[y]), y + 1 == ny);
	}
	if (format == DTS_STANDARD_HTML)
		dts__buf_str(&o.b, "</table>\n</body>\n</html>\n");
	if (format == DTS_STANDARD_MD)
		dts__buf_str(&o.b, "formula: the categories summed, with the "
			     "Handbook flags their records carry "
			     "(docs/classification.md, \"Reading the standard\"); sources: the sources "
			     "each sum takes (docs/statistics.md); goal: the plan's "
			     "goal for the indicator; yYYYY: the annex's target "
			     "for the year; responsible: the plan's item and the "
			     "units it names (杭州市推进数字贸易强市三年行动计划"
			     "（2024—2026年）).\n");
	free(years);
	if (f.oom || o.b.oom)
		e = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	else
		e = cb(o.b.p, o.b.len, payload);
	dts__buf_free(&f);
	dts__buf_free(&o.b);
	return e;
}
