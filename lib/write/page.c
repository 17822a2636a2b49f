/*
 * page.c — the monitoring page (dts/page.h): the report of one year as a
 * self-contained HTML file. Every figure comes from the library's tables
 * (dts_report_annex_table, dts_report_boundary, dts_geo_table,
 * dts_report_notes_table) or exact sums (dts_report_sum), formatted once;
 * the charts (svg.c) only draw them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "svg_int.h"
#include "write_int.h"
#include "dts/page.h"

typedef struct page {
	dts__buf b;
	const dts_report *r;
	const dts_cube *cube;
	const dts_page_options *o;
	int en, year, unit_exp;   /* charts' unit: 4 万元 or 8 亿元 */
	const char *unit;         /* its name */
	const int *years;
	size_t ny;
} page;

static const char *const cat_color[5] = {"#1f5fa8", "#e08a1e", "#3a9a6b",
					 "#8a5cb0", "#c8463d"};

/* Chinese with the English after it, or English alone. */
static void both(page *p, const char *zh, const char *en)
{
	if (p->en) {
		dts__svg_esc(&p->b, en);
		return;
	}
	dts__svg_esc(&p->b, zh);
	dts__buf_str(&p->b, " <span class=\"en\" lang=\"en\">");
	dts__svg_esc(&p->b, en);
	dts__buf_str(&p->b, "</span>");
}

static const char *pick(const page *p, const char *zh, const char *en)
{
	return p->en ? en : zh;
}

/* One header cell; numeric columns are right-aligned by class "n". */
static void th(page *p, int num, const char *zh, const char *en)
{
	dts__buf_str(&p->b, num ? "<th class=\"n\">" : "<th>");
	both(p, zh, en);
	dts__buf_str(&p->b, "</th>");
}

/* A unit of the annex in English: 亿元 -> CNY 100 million ... */
static const char *unit_en(const char *u)
{
	static const struct { const char *zh, *en; } map[] = {
		{"亿元", "CNY 100 million"}, {"万元", "CNY 10,000"}, {"元", "CNY"},
		{"家", "enterprises"}, {"个", "number"}, {"件", "items"},
		{"项", "items"}, {"万吨", "10,000 t"}};

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(u, map[i].zh))
			return map[i].en;
	return u;
}

static void heading(page *p, const char *id, const char *zh, const char *en)
{
	dts__buf_printf(&p->b, "<h2 id=\"%s\">", id);
	both(p, zh, en);
	dts__buf_str(&p->b, "</h2>\n");
}

/* The source line under a chart. */
static void source_line(page *p)
{
	const char *cls = dts_cube_classifier(p->cube);

	dts__buf_str(&p->b, "<p class=\"src\">");
	dts__buf_str(&p->b, pick(p, "资料来源：", "Source: "));
	for (size_t i = 0; i < dts_cube_ninputs(p->cube); i++) {
		const char *name;

		dts_cube_input(&name, NULL, p->cube, i);
		if (i)
			dts__buf_str(&p->b, pick(p, "、", ", "));
		dts__svg_esc(&p->b, name);
	}
	if (!dts_cube_ninputs(p->cube))
		dts__buf_str(&p->b, pick(p, "未记录", "not recorded"));
	dts__buf_str(&p->b, pick(p, "；分类器 ", "; classifier "));
	dts__svg_esc(&p->b, cls ? cls : pick(p, "未知", "unknown"));
	dts__buf_str(&p->b, pick(p, "；libdts 计算，", "; computed by libdts, "));
	dts__buf_str(&p->b, dts_status_name(dts_cube_status(p->cube)));
	dts__buf_str(&p->b, pick(p, "。</p>\n", ".</p>\n"));
}

/* ---- header -------------------------------------------------------------- */

static void head(page *p)
{
	const char *v = dts_cube_vintage(p->cube), *cls = dts_cube_classifier(p->cube);

	dts__buf_printf(&p->b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
			"<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-"
			"Security-Policy\" content=\"default-src 'none'; style-src "
			"'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width="
			"device-width, initial-scale=1\">\n<title>", p->en ? "en" : "zh-CN");
	if (p->en)
		dts__buf_printf(&p->b, "Hangzhou digital trade monitoring %d", p->year);
	else
		dts__buf_printf(&p->b, "杭州市数字贸易发展监测 %d年", p->year);
	dts__buf_str(&p->b, "</title>\n<style>\n"
"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif;"
"color:#222;margin:0 auto;max-width:1240px;padding:16px 24px;font-size:14px;line-height:1.45}\n"
"h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;border-bottom:2px solid #1f5fa8;padding-bottom:3px;margin:26px 0 10px}\n"
".en{color:#667;font-size:.86em;font-weight:normal}.meta{color:#444;margin:0 0 8px}\n"
".badge{display:inline-block;padding:1px 8px;border-radius:3px;background:#e08a1e;color:#fff;font-size:12px}\n"
".badge.final{background:#2f7d4f}\n"
"table{border-collapse:collapse;font-size:13px;margin:4px 0}th,td{border-bottom:1px solid #dde;padding:3px 7px;text-align:left;vertical-align:top}\n"
"th{background:#f2f4f8;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
"caption{text-align:left;font-weight:600;padding:2px 0 4px}\n"
".pair{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}.pair>figure{margin:0;max-width:530px}\n.nw{white-space:nowrap}\n"
"figure svg{display:block;max-width:100%;height:auto}figcaption{font-weight:600;margin-bottom:2px}\n"
"svg text{font-family:inherit}.tk,.ct{font-size:11px;fill:#333}.ax{font-size:11px;fill:#555}.lg{font-size:11px;fill:#333}.vl{font-size:11px;fill:#111}\n"
"line.grid{stroke:#e3e6ec}line.base{stroke:#333;stroke-width:1.2}\n"
".src{color:#666;font-size:12px;margin:2px 0 0}.met{color:#2f7d4f;font-weight:600}.notmet{color:#c0503a;font-weight:600}\n"
".x{color:#777;font-style:italic}.meter{vertical-align:middle;margin-right:6px}dl.notes dt{font-weight:600;margin-top:6px}dl.notes dd{margin:0 0 0 16px}\n"
"@page{size:A4;margin:14mm 12mm}\n"
"@media print{body{max-width:none;padding:0;font-size:10.5pt}section{break-inside:avoid}h2{break-after:avoid}"
".pair{display:block}figure,table{break-inside:avoid}svg{max-width:100%}a{color:inherit;text-decoration:none}}\n"
"</style>\n</head>\n<body>\n<header>\n<h1>");
	both(p, "杭州市数字贸易发展监测", "Hangzhou digital trade monitoring");
	dts__buf_printf(&p->b, "</h1>\n<p class=\"meta\">%d%s <span class=\"badge%s\">",
			p->year, pick(p, "年", ""),
			dts_cube_status(p->cube) == DTS_STATUS_FINAL ? " final" : "");
	switch (dts_cube_status(p->cube)) {
	case DTS_STATUS_FINAL: both(p, "终值", "final"); break;
	case DTS_STATUS_REVISED: both(p, "修订值", "revised"); break;
	default: both(p, "初步数", "provisional"); break;
	}
	dts__buf_str(&p->b, "</span> · ");
	dts__buf_str(&p->b, pick(p, "数据截至 ", "data cut-off "));
	dts__svg_esc(&p->b, v ? v : pick(p, "未注明", "not stated"));
	dts__buf_str(&p->b, pick(p, " · 分类器 ", " · classifier "));
	dts__svg_esc(&p->b, cls ? cls : pick(p, "未知", "unknown"));
	dts__buf_str(&p->b, pick(p, " · 币种 ", " · currency "));
	dts__svg_esc(&p->b, dts_cube_currency(p->cube));
	dts__buf_str(&p->b, "</p>\n</header>\n");
}

/* ---- the annex table ---------------------------------------------------- */

static void fig(page *p, const char *field, const char *v)
{
	dts__buf_printf(&p->b, "<span class=\"fig\" data-f=\"%s\">", field);
	dts__svg_esc(&p->b, v);
	dts__buf_str(&p->b, "</span>");
}

static void annex_row(page *p, const dts_table *t, size_t i)
{
	const char *id = dts_table_cell(t, i, 0), *val = dts_table_cell(t, i, 2);
	const char *no = dts_table_cell(t, i, 3), *unit = dts_table_cell(t, i, 5);
	const char *tgt = dts_table_cell(t, i, 6), *att = dts_table_cell(t, i, 7);
	const char *gr = dts_table_cell(t, i, 8);

	dts__buf_str(&p->b, "<tr data-id=\"");
	dts__svg_esc(&p->b, id);
	dts__buf_str(&p->b, "\"><td>");
	dts__svg_esc(&p->b, no);
	dts__buf_str(&p->b, "</td><td>");
	both(p, dts_table_cell(t, i, 4), dts_table_cell(t, i, 9));
	dts__buf_str(&p->b, "</td><td class=\"nw\">");
	dts__svg_esc(&p->b, p->en ? unit_en(unit) : unit);
	dts__buf_str(&p->b, "</td><td class=\"n\">");
	fig(p, "value", val);
	if (!*val)
		dts__buf_str(&p->b, pick(p, "<span class=\"x\">缺失</span>",
					 "<span class=\"x\">missing</span>"));
	dts__buf_str(&p->b, "</td><td class=\"n\">");
	fig(p, "target", tgt);
	dts__buf_str(&p->b, "</td><td>");
	if (!strcmp(att, "met") || !strcmp(att, "not met")) {
		dts__buf_printf(&p->b, "<span class=\"%s\">", *att == 'm' ? "met" : "notmet");
		dts__buf_str(&p->b, *att == 'm' ? pick(p, "✔ 达成 ", "✔ ") :
			     pick(p, "✘ 未达成 ", "✘ "));
		fig(p, "attainment", att);
		dts__buf_str(&p->b, "</span>");
	} else if (*att) {
		double pct = strtod(att, NULL);

		dts__buf_str(&p->b, "<span class=\"nw\">");
		dts__svg_meter(&p->b, pct, pct >= 100);
		fig(p, "attainment", att);
		dts__buf_str(&p->b, "%</span>");
	} else {
		fig(p, "attainment", att);
	}
	dts__buf_str(&p->b, "</td><td class=\"n\">");
	fig(p, "growth", gr);
	dts__buf_str(&p->b, "</td></tr>\n");
}

static int annex(page *p)
{
	dts_table *t;
	int rc;

	if ((rc = dts_report_annex_table(&t, p->r, p->year)) < 0)
		return rc;
	dts__buf_str(&p->b, "<section id=\"annex\">\n");
	heading(p, "h-annex", "附件指标：数值、目标与完成度",
		"Annex indicators: value, target, attainment");
	dts__buf_printf(&p->b, "<table class=\"annex\" data-year=\"%d\"><caption>", p->year);
	both(p, "行动计划附件指标", "Action plan annex indicators");
	dts__buf_str(&p->b, "</caption>\n<thead><tr>");
	th(p, 0, "序号", "No.");
	th(p, 0, "指标", "Indicator");
	th(p, 0, "单位", "Unit");
	dts__buf_printf(&p->b, "<th class=\"n\">%d ", p->year);
	both(p, "数值", "value");
	dts__buf_str(&p->b, "</th>");
	th(p, 1, "目标", "Target");
	th(p, 0, "完成度（%）", "Attainment (%)");
	th(p, 1, "同比（%）", "YoY (%)");
	dts__buf_str(&p->b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < dts_table_nrows(t); i++)
		annex_row(p, t, i);
	dts__buf_str(&p->b, "</tbody></table>\n<p class=\"src\">");
	dts__buf_str(&p->b, pick(p, "完成度条以 150% 为满格，竖线为 100%；比例目标显示达成/未达成。"
				 "目标为行动计划附件所列（人民币）。",
				 "Attainment bars are full at 150%, the line marks 100%; "
				 "ratio goals show met / not met. Targets are the plan "
				 "annex's (CNY)."));
	dts__buf_str(&p->b, "</p>\n");
	source_line(p);
	dts__buf_str(&p->b, "</section>\n");
	dts_table_free(t);
	return 0;
}

/* ---- categories and DO / DD by year ------------------------------------- */

static void money(page *p, char *buf, size_t n, const dts_amount *a)
{
	dts_amount_format(buf, n, a, p->unit_exp, 2);
}

static void unit_head(page *p)
{
	dts__buf_str(&p->b, p->unit_exp == 8 ? pick(p, "亿元", "100 million yuan") :
		     pick(p, "万元", "10,000 yuan"));
}

/* The figures of one by-year chart: ny years x ns series, the text of
 * each figure and of DT (ns + 1 per year), the doubles the chart draws. */
typedef struct yearly {
	size_t ny, ns;
	const char *codes[5];
	char names[5][96];
	const char *ser[5];
	double *v;
	char (*txt)[64];
	char (*yl)[16];
	const char **cat, **lab;
} yearly;

static void yearly_free(yearly *y)
{
	free(y->v);
	free(y->txt);
	free(y->yl);
	free(y->cat);
	free(y->lab);
}

static void series_names(page *p, yearly *y)
{
	for (size_t k = 0; k < y->ns; k++) {
		const char *code = y->codes[k];

		if (p->en)
			snprintf(y->names[k], sizeof(y->names[k]), "%s %s", code,
				 dts_category_name_en(code));
		else
			snprintf(y->names[k], sizeof(y->names[k]), "%s%s",
				 dts_category_name_zh(code),
				 !strcmp(code, "SERV") ? "（窄口径）" : "");
		y->ser[k] = y->names[k];
	}
}

/* Imports + exports of each series and DT, each year, exact, formatted once. */
static int yearly_sums(page *p, yearly *y)
{
	size_t w = y->ns + 1;
	int rc = 0;

	y->v = calloc(y->ny * y->ns + 1, sizeof(*y->v));
	y->txt = calloc(y->ny * w + 1, sizeof(*y->txt));
	y->yl = calloc(y->ny + 1, sizeof(*y->yl));
	y->cat = calloc(y->ny + 1, sizeof(*y->cat));
	y->lab = calloc(y->ny + 1, sizeof(*y->lab));
	if (!y->v || !y->txt || !y->yl || !y->cat || !y->lab)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; rc == 0 && i < y->ny; i++) {
		snprintf(y->yl[i], sizeof(y->yl[i]), "%d", p->years[i]);
		y->cat[i] = y->yl[i];
		for (size_t k = 0; rc == 0 && k <= y->ns; k++) {
			dts_amount a;

			rc = dts_report_sum(&a, p->cube, p->years[i],
					    k < y->ns ? y->codes[k] : "DT", "X+M", NULL);
			money(p, y->txt[i * w + k], sizeof(y->txt[0]), &a);
			if (k < y->ns)
				y->v[i * y->ns + k] = strtod(y->txt[i * w + k], NULL);
		}
		y->lab[i] = y->txt[i * w + y->ns];
	}
	return rc;
}

/* A chart, its note and its source line. */
static void figure(page *p, const dts__bars *c, const char *note)
{
	dts__buf_str(&p->b, "<div class=\"pair\"><figure><figcaption>");
	dts__svg_esc(&p->b, c->title);
	dts__buf_str(&p->b, "</figcaption>");
	dts__svg_bars(&p->b, c);
	if (note) {
		dts__buf_str(&p->b, "<p class=\"src\">");
		dts__buf_str(&p->b, note);
		dts__buf_str(&p->b, "</p>");
	}
	source_line(p);
	dts__buf_str(&p->b, "</figure>\n");
}

static void chart_data_caption(page *p)
{
	dts__buf_str(&p->b, "<caption>");
	both(p, "图表数据", "Chart data");
	dts__buf_str(&p->b, " (");
	unit_head(p);
	dts__buf_str(&p->b, ")</caption>");
}

static void yearly_table(page *p, const yearly *y)
{
	dts__buf_str(&p->b, "<table>");
	chart_data_caption(p);
	dts__buf_str(&p->b, "<thead><tr>");
	th(p, 0, "年份", "Year");
	for (size_t k = 0; k < y->ns; k++) {
		dts__buf_str(&p->b, "<th class=\"n\">");
		dts__svg_esc(&p->b, y->ser[k]);
		dts__buf_str(&p->b, "</th>");
	}
	th(p, 1, "数字贸易合计", "DT total");
	dts__buf_str(&p->b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < y->ny; i++) {
		dts__buf_printf(&p->b, "<tr><td>%s</td>", y->yl[i]);
		for (size_t k = 0; k <= y->ns; k++)
			dts__buf_printf(&p->b, "<td class=\"n\">%s</td>",
					y->txt[i * (y->ns + 1) + k]);
		dts__buf_str(&p->b, "</tr>\n");
	}
	dts__buf_str(&p->b, "</tbody></table></div>\n");
}

/* The five categories (dodd 0) or DO and DD (dodd 1), stacked by year. */
static int by_year(page *p, int dodd)
{
	static const char *const dd_color[2] = {"#e08a1e", "#1f5fa8"};
	yearly y;
	dts__bars c = {0};
	int rc;

	memset(&y, 0, sizeof(y));
	y.ny = p->ny;
	y.ns = dodd ? 2 : 5;
	for (size_t k = 0; k < y.ns; k++)
		y.codes[k] = dodd ? (k ? "DD" : "DO") : dts_category_top(k);
	series_names(p, &y);
	if ((rc = yearly_sums(p, &y)) == 0) {
		c.title = dodd ? pick(p, "数字订购贸易与数字交付贸易（进出口）",
				      "Digitally ordered and digitally delivered trade (X+M)") :
			  pick(p, "数字贸易五类（进出口）", "Digital trade by category (X+M)");
		c.unit = p->unit_exp == 8 ? pick(p, "亿元", "CNY 100 million") :
			 pick(p, "万元", "CNY 10,000");
		c.ncat = y.ny;
		c.nser = y.ns;
		c.cat = y.cat;
		c.ser = y.ser;
		c.color = dodd ? dd_color : cat_color;
		c.v = y.v;
		c.label = y.lab;
		dts__buf_printf(&p->b, "<section id=\"%s\">\n", dodd ? "dodd" : "categories");
		if (dodd)
			heading(p, "h-dodd", "数字订购与数字交付，按年",
				"Digitally ordered and delivered, by year");
		else
			heading(p, "h-categories", "数字贸易五类，按年",
				"The five categories, by year");
		figure(p, &c, NULL);
		yearly_table(p, &y);
		dts__buf_str(&p->b, "</section>\n");
	}
	yearly_free(&y);
	return rc;
}

/* ---- monthly and cumulative trends --------------------------------------- */

/* DT and its parts, as the annex sums them (I1, I3, I2). */
static const char *const tr_ind[3] = {"I1", "I3", "I2"};
static const char *const tr_code[3] = {"DT", "CBEC", "DD"};
static const char *const tr_color[3] = {"#1f5fa8", "#e08a1e", "#3a9a6b"};

typedef struct trend {
	dts__period_point pt[2][3][13];   /* [year, year - 1][series][month] */
	char txt[2][3][12][32];
	char names[3][96];
	int months;                       /* the report year's last month */
} trend;

static void growth_cell(page *p, const char *g)
{
	dts__buf_str(&p->b, "<td class=\"n\">");
	if (!strcmp(g, "not comparable"))
		dts__buf_str(&p->b, pick(p, "<span class=\"x\">不可比</span>",
					 "<span class=\"x\">n/c</span>"));
	else
		dts__svg_esc(&p->b, g);
	dts__buf_str(&p->b, "</td>");
}

static void month_label(page *p, char *buf, size_t n, int m, int ytd)
{
	static const char *const en[12] = {"Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

	if (p->en)
		snprintf(buf, n, "%s%s", ytd && m > 1 ? "Jan–" : "", en[m - 1]);
	else if (ytd && m > 1)
		snprintf(buf, n, "1—%d月", m);
	else
		snprintf(buf, n, "%d月", m);
}

static void trend_table(page *p, const trend *t, int ytd)
{
	char lab[32];

	dts__buf_printf(&p->b, "<table class=\"trend\" data-by=\"%s\">",
			ytd ? "ytd" : "month");
	chart_data_caption(p);
	dts__buf_str(&p->b, "<thead><tr>");
	th(p, 0, ytd ? "累计" : "月份", ytd ? "Year to date" : "Month");
	for (size_t k = 0; k < 3; k++) {
		for (int y = 0; y < 2; y++) {
			dts__buf_str(&p->b, "<th class=\"n\">");
			dts__svg_esc(&p->b, t->names[k]);
			dts__buf_printf(&p->b, " %d</th>", p->year - y);
		}
		th(p, 1, ytd ? "累计同比（%）" : "同比（%）", ytd ? "YTD YoY (%)" : "YoY (%)");
	}
	dts__buf_str(&p->b, "</tr></thead><tbody>\n");
	for (int m = 1; m <= t->months; m++) {
		month_label(p, lab, sizeof(lab), m, ytd);
		dts__buf_printf(&p->b, "<tr data-m=\"%d\"><td class=\"nw\">%s</td>", m, lab);
		for (size_t k = 0; k < 3; k++) {
			for (int y = 0; y < 2; y++)
				dts__buf_printf(&p->b, "<td class=\"n\">%s</td>",
						t->pt[y][k][m - 1].have ?
						t->txt[y][k][m - 1] : "");
			growth_cell(p, t->pt[0][k][m - 1].growth);
		}
		dts__buf_str(&p->b, "</tr>\n");
	}
	dts__buf_str(&p->b, "</tbody></table></div>\n");
}

/* The note under a chart: the months covered and the not-allocated cells
 * (records coarser than a month), so that the totals add up. */
static void trend_note(page *p, const trend *t)
{
	char buf[64];
	int any = 0;

	dts__buf_str(&p->b, "<p class=\"src\">");
	if (t->months < 12)
		dts__buf_printf(&p->b, p->en ? "%d data to month %d. " :
				"%d年数据截至%d月。", p->year, t->months);
	for (int y = 0; y < 2; y++) {
		int have = 0;

		for (size_t k = 0; k < 3; k++)
			have |= t->pt[y][k][12].have;
		if (!have)
			continue;
		dts__buf_printf(&p->b, p->en ? "Not allocated to a month (%d-NA): " :
				"未分摊到月份（%d-NA）：", p->year - y);
		for (size_t k = 0; k < 3; k++) {
			money(p, buf, sizeof(buf), &t->pt[y][k][12].value);
			if (k)
				dts__buf_str(&p->b, pick(p, "，", ", "));
			dts__svg_esc(&p->b, t->names[k]);
			dts__buf_printf(&p->b, " %s ", buf);
			unit_head(p);
		}
		dts__buf_str(&p->b, pick(p, "。", ". "));
		any = 1;
	}
	if (any)
		dts__buf_str(&p->b, pick(p, "这些记录按季或按年报送，不计入各月和累计；"
					 "全年合计 = 1—12月累计 + 未分摊金额。",
					 "These records are quarterly or annual: they are "
					 "in no month and no cumulative; the year's total is "
					 "Jan–Dec plus the amount not allocated."));
	else
		dts__buf_str(&p->b, pick(p, "全部金额均分摊到月份，1—12月累计即全年合计。",
					 "Every amount is allocated to a month: Jan–Dec "
					 "is the year's total."));
	dts__buf_str(&p->b, pick(p, "虚线为上年同期。", " Dashed: the same months last year."));
	dts__buf_str(&p->b, "</p>");
}

static void trend_chart(page *p, const trend *t, int ytd)
{
	char cats[12][32], sern[6][112];
	const char *cat[12], *ser[6], *col[6];
	double v[6 * 12];
	int have[6 * 12], dashed[6];
	dts__lines c = {0};
	char title[160];

	for (int m = 1; m <= t->months; m++) {
		month_label(p, cats[m - 1], sizeof(cats[0]), m, 0);
		cat[m - 1] = cats[m - 1];
	}
	for (size_t s = 0; s < 6; s++) {
		size_t k = s / 2;
		int y = (int)(s % 2);

		snprintf(sern[s], sizeof(sern[s]), "%s %d", t->names[k], p->year - y);
		ser[s] = sern[s];
		col[s] = tr_color[k];
		dashed[s] = y;
		for (int m = 0; m < t->months; m++) {
			have[s * (size_t)t->months + (size_t)m] = t->pt[y][k][m].have;
			v[s * (size_t)t->months + (size_t)m] =
				t->pt[y][k][m].have ? strtod(t->txt[y][k][m], NULL) : 0;
		}
	}
	snprintf(title, sizeof(title), "%s %d", ytd ?
		 pick(p, "1—N月累计数字贸易及其构成（进出口）",
		      "Digital trade and its parts, year to date (X+M)") :
		 pick(p, "月度数字贸易及其构成（进出口）",
		      "Digital trade and its parts by month (X+M)"), p->year);
	c.title = title;
	c.unit = p->unit_exp == 8 ? pick(p, "亿元", "CNY 100 million") :
		 pick(p, "万元", "CNY 10,000");
	c.ncat = (size_t)t->months;
	c.nser = 6;
	c.cat = cat;
	c.ser = ser;
	c.color = col;
	c.dashed = dashed;
	c.v = v;
	c.have = have;
	dts__buf_str(&p->b, "<div class=\"pair\"><figure><figcaption>");
	dts__svg_esc(&p->b, title);
	dts__buf_str(&p->b, "</figcaption>");
	dts__svg_lines(&p->b, &c);
	trend_note(p, t);
	source_line(p);
	dts__buf_str(&p->b, "</figure>\n");
	trend_table(p, t, ytd);
}

/* Months and 1-N月 of the report year against the same months of the
 * year before, from the report by period (dts_report_period_table: its
 * values and like-for-like growth). Only over a cube by month. In 万元
 * unless a month's digital trade reaches 1 亿元 (a month is a twelfth of
 * the year the other charts are scaled for). */
static int trends(page *p)
{
	trend *t;
	int rc = 0, keep = p->unit_exp;
	dts_amount yi;

	if (dts_cube_find_dim(p->cube, "period:month") < 0 &&
	    dts_cube_find_dim(p->cube, "period") < 0)
		return 0;
	if (!(t = calloc(2, sizeof(*t))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	p->unit_exp = 4;
	dts_amount_parse(&yi, "100000000", 9);
	for (int ytd = 0; rc == 0 && ytd < 2; ytd++) {
		int by = ytd ? DTS_REPORT_BY_YTD : DTS_REPORT_BY_MONTH;

		for (size_t k = 0; k < 3; k++)
			snprintf(t[ytd].names[k], sizeof(t[ytd].names[k]), "%s",
				 p->en ? tr_code[k] : dts_category_name_zh(tr_code[k]));
		dts__period_point *pt = calloc(3 * 2 * 13, sizeof(*pt));

		rc = pt ? dts__report_period_points(pt, p->r, p->cube, by, p->year,
						    tr_ind, 3) :
		     dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		for (int y = 0; rc == 0 && y < 2; y++)
			for (size_t k = 0; k < 3; k++)
				memcpy(t[ytd].pt[y][k], &pt[(k * 2 + (size_t)y) * 13],
				       sizeof(t[ytd].pt[y][k]));
		free(pt);
		for (int m = 1; m <= 12; m++)
			if (t[ytd].pt[0][0][m - 1].have)
				t[ytd].months = m;
		for (int y = 0; !ytd && y < 2; y++)
			for (int m = 0; m < 12; m++)
				if (dts_amount_cmp(&t[0].pt[y][0][m].value, &yi) >= 0)
					p->unit_exp = 8;
	}
	if (rc == 0 && t[0].months) {
		dts__buf_str(&p->b, "<section id=\"trends\">\n");
		heading(p, "h-trends", "月度与累计走势", "Monthly and cumulative trends");
		for (int ytd = 0; ytd < 2; ytd++) {
			for (int y = 0; y < 2; y++)
				for (size_t k = 0; k < 3; k++)
					for (int m = 0; m < 12; m++)
						money(p, t[ytd].txt[y][k][m],
						      sizeof(t->txt[0][0][0]),
						      &t[ytd].pt[y][k][m].value);
			trend_chart(p, &t[ytd], ytd);
		}
		dts__buf_str(&p->b, "</section>\n");
	}
	p->unit_exp = keep;
	free(t);
	return rc;
}

/* ---- the boundary table ------------------------------------------------- */

static int boundary(page *p)
{
	static const char *const bz[4] = {"货物贸易", "服务贸易", "口径不详", "合计"};
	static const char *const be[4] = {"Goods", "Services", "Base unknown", "Total"};
	static const char *const dz[3] = {"数字贸易", "非数字贸易", "小计"};
	static const char *const de[3] = {"Digital trade", "Not digital", "Subtotal"};
	dts_boundary bt;
	int rc;

	if ((rc = dts_report_boundary(&bt, p->cube, p->year)) < 0)
		return rc;
	dts__buf_str(&p->b, "<section id=\"boundary\">\n");
	heading(p, "h-boundary", "数字贸易与一般货物、服务贸易的边界",
		"The boundary: digital trade within goods and services trade");
	dts__buf_printf(&p->b, "<table class=\"boundary\"><caption>%d ", p->year);
	both(p, "边界表", "boundary table");
	dts__buf_str(&p->b, " (");
	unit_head(p);
	dts__buf_str(&p->b, ")</caption><thead><tr><th></th><th></th>");
	th(p, 1, "出口", "Exports");
	th(p, 1, "进口", "Imports");
	th(p, 1, "进出口", "Total");
	dts__buf_str(&p->b, "</tr></thead><tbody>\n");
	for (int b = 0; b < 4; b++) {
		int any = 0;

		for (int d = 0; d < 3; d++)
			for (int f = 0; f < 3; f++)
				any |= bt.value[b][d][f].lo != 0 ||
				       bt.value[b][d][f].hi != 0;
		if (b == DTS_BOUNDARY_UNKNOWN && !any)
			continue;
		for (int d = 0; d < 3; d++) {
			dts__buf_str(&p->b, "<tr><th>");
			if (d == 0)
				both(p, bz[b], be[b]);
			dts__buf_str(&p->b, "</th><td>");
			both(p, dz[d], de[d]);
			dts__buf_str(&p->b, "</td>");
			for (int f = 0; f < 3; f++) {
				char s[64];

				money(p, s, sizeof(s), &bt.value[b][d][f]);
				dts__buf_printf(&p->b, "<td class=\"n\">%s</td>", s);
			}
			dts__buf_str(&p->b, "</tr>\n");
		}
	}
	dts__buf_str(&p->b, "</tbody></table>\n");
	source_line(p);
	dts__buf_str(&p->b, "</section>\n");
	return 0;
}

/* ---- districts and zones ------------------------------------------------ */

typedef struct drow {
	size_t row;
	double v;
	int hidden;
} drow;

static int drow_cmp(const void *a, const void *b)
{
	const drow *x = a, *y = b;

	if (x->hidden != y->hidden)
		return x->hidden - y->hidden;
	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static const char *zone_color(const char *zone)
{
	return !strcmp(zone, "FTZ") ? "#1f5fa8" : !strcmp(zone, "COORD") ? "#3a9a6b" :
	       !strcmp(zone, "LINKED") ? "#e08a1e" : "#8a5cb0";
}

static void district_table(page *p, const dts_table *t, const drow *d, size_t n)
{
	dts__buf_str(&p->b, "<table class=\"districts\">");
	chart_data_caption(p);
	dts__buf_str(&p->b, "<thead><tr>");
	th(p, 1, "排名", "Rank");
	th(p, 0, "区县（功能区）", "District (zone)");
	th(p, 0, "布局", "Layout");
	th(p, 1, "数字贸易", "Digital trade");
	th(p, 1, "企业数", "Enterprises");
	dts__buf_str(&p->b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < dts_table_nrows(t); i++) {
		size_t r = i < n ? d[i].row : i;
		const char *val = dts_table_cell(t, r, 1), *conf = dts_table_cell(t, r, 8);

		dts__buf_str(&p->b, "<tr><td class=\"n\">");
		if (i < n && !d[i].hidden)
			dts__buf_printf(&p->b, "%zu", i + 1);
		dts__buf_str(&p->b, "</td><td>");
		dts__svg_esc(&p->b, dts_table_cell(t, r, p->en ? 3 : 2));
		dts__buf_str(&p->b, "</td><td>");
		dts__svg_esc(&p->b, dts_table_cell(t, r, p->en ? 6 : 5));
		dts__buf_str(&p->b, "</td><td class=\"n\">");
		if (!strcmp(val, "x")) {
			dts__buf_str(&p->b, "<span class=\"x\">");
			dts__buf_str(&p->b, pick(p, "x 保密", "x suppressed"));
			dts__buf_printf(&p->b, " (%s)</span>", conf);
		} else {
			dts__svg_esc(&p->b, val);
		}
		dts__buf_str(&p->b, "</td><td class=\"n\">");
		dts__svg_esc(&p->b, dts_table_cell(t, r, 7));
		dts__buf_str(&p->b, "</td></tr>\n");
	}
	dts__buf_str(&p->b, "</tbody></table>\n");
}

/* The ranked chart's bars: the layout rows (they have a zone), largest
 * first, suppressed ones last; one series per zone, so a bar is coloured
 * by its zone and the legend names the zones. */
typedef struct ranked {
	drow *d;
	size_t n, nz, *zrow;
	const char **cat, **lab, **ser, **col;
	double *zv;
	int *hid;
} ranked;

static void ranked_free(ranked *k)
{
	free(k->d);
	free(k->zrow);
	free(k->cat);
	free(k->lab);
	free(k->ser);
	free(k->col);
	free(k->zv);
	free(k->hid);
}

static int ranked_bars(page *p, ranked *k, const dts_table *t)
{
	size_t nr = dts_table_nrows(t);

	k->d = calloc(nr + 1, sizeof(*k->d));
	k->zrow = calloc(nr + 1, sizeof(*k->zrow));
	k->cat = calloc(nr + 1, sizeof(*k->cat));
	k->lab = calloc(nr + 1, sizeof(*k->lab));
	k->ser = calloc(nr + 1, sizeof(*k->ser));
	k->col = calloc(nr + 1, sizeof(*k->col));
	k->zv = calloc((nr + 1) * (nr + 1), sizeof(*k->zv));
	k->hid = calloc(nr + 1, sizeof(*k->hid));
	if (!k->d || !k->zrow || !k->cat || !k->lab || !k->ser || !k->col ||
	    !k->zv || !k->hid)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < nr && *dts_table_cell(t, i, 4); i++) {
		size_t z = 0;

		k->d[k->n].row = i;
		k->d[k->n].hidden = !strcmp(dts_table_cell(t, i, 1), "x");
		k->d[k->n].v = k->d[k->n].hidden ? 0 :
			       strtod(dts_table_cell(t, i, 1), NULL);
		k->n++;
		while (z < k->nz && strcmp(dts_table_cell(t, k->zrow[z], 4),
					   dts_table_cell(t, i, 4)))
			z++;
		if (z == k->nz) {
			k->zrow[z] = i;
			k->ser[z] = dts_table_cell(t, i, p->en ? 6 : 5);
			k->col[z] = zone_color(dts_table_cell(t, i, 4));
			k->nz++;
		}
	}
	qsort(k->d, k->n, sizeof(*k->d), drow_cmp);
	for (size_t i = 0; i < k->n; i++) {
		const char *zone = dts_table_cell(t, k->d[i].row, 4);

		k->cat[i] = dts_table_cell(t, k->d[i].row, p->en ? 3 : 2);
		k->lab[i] = k->d[i].hidden ? pick(p, "x 保密", "x suppressed") :
			    dts_table_cell(t, k->d[i].row, 1);
		k->hid[i] = k->d[i].hidden;
		for (size_t z = 0; z < k->nz; z++)
			if (!strcmp(dts_table_cell(t, k->zrow[z], 4), zone))
				k->zv[i * k->nz + z] = k->d[i].v;
	}
	return 0;
}

static int districts(page *p)
{
	char title[160];
	dts_table *t;
	ranked k;
	dts__bars c = {0};
	int rc;

	memset(&k, 0, sizeof(k));
	if ((rc = dts_geo_table(&t, p->o->geo, p->cube, p->year, "DT",
				p->unit_exp, 2, p->o->suppress)) < 0)
		return rc;
	if ((rc = ranked_bars(p, &k, t)) == 0) {
		snprintf(title, sizeof(title), "%s %d",
			 pick(p, "各区县（功能区）数字贸易排名",
			      "Digital trade by district and zone, ranked"), p->year);
		c.title = title;
		c.unit = p->unit_exp == 8 ? pick(p, "亿元", "CNY 100 million") :
			 pick(p, "万元", "CNY 10,000");
		c.ncat = k.n;
		c.nser = k.nz;
		c.cat = k.cat;
		c.ser = k.ser;
		c.color = k.col;
		c.v = k.zv;
		c.label = k.lab;
		c.hidden = k.hid;
		c.horizontal = 1;
		dts__buf_str(&p->b, "<section id=\"districts\">\n");
		heading(p, "h-districts", "区县与功能区（“4+4+1+5”布局）",
			"Districts and zones (the 4+4+1+5 layout)");
		figure(p, &c, p->o->suppress ?
		       pick(p, "x：保密（企业数少于阈值的单元格及其保护单元格，A 为主保护、D 为次保护）。"
			    "萧山区含杭州临空经济示范区。",
			    "x: suppressed (cells with too few enterprises, A primary, D "
			    "secondary). Xiaoshan includes the airport economy zone.") :
		       pick(p, "未做保密处理。萧山区含杭州临空经济示范区。",
			    "Not suppressed. Xiaoshan includes the airport economy zone."));
		district_table(p, t, k.d, k.n);
		dts__buf_str(&p->b, "</div>\n</section>\n");
	}
	ranked_free(&k);
	dts_table_free(t);
	return rc;
}

/* ---- notes and sources --------------------------------------------------- */

static int notes(page *p)
{
	dts_table *t;
	int rc;

	if ((rc = dts_report_notes_table(&t, p->r, p->cube)) < 0)
		return rc;
	dts__buf_str(&p->b, "<section id=\"notes\">\n");
	heading(p, "h-notes", "说明与资料来源", "Notes and sources");
	dts__buf_str(&p->b, "<dl class=\"notes\">\n");
	for (size_t i = 0; i < dts_table_nrows(t); i++) {
		const char *item = dts_table_cell(t, i, 0);

		dts__buf_str(&p->b, "<dt>");
		dts__svg_esc(&p->b, item);
		dts__buf_str(&p->b, "</dt><dd>");
		if (p->o->suppress && p->o->geo && strstr(item, "Suppression")) {
			dts__buf_printf(&p->b, "district and zone table: cells of "
					"fewer than %u enterprises are suppressed "
					"(A), and the cells that would reveal them "
					"(D; audited by linear programming, protection "
					"%g%%)", p->o->suppress->threshold,
					p->o->suppress->protection);
			if (p->o->suppress->p_rule)
				dts__buf_printf(&p->b, "; also cells whose second "
						"largest enterprise could estimate "
						"the largest within %u%% (p%% rule)",
						p->o->suppress->p_rule);
			if (p->o->suppress->nk_n)
				dts__buf_printf(&p->b, "; also cells where %u "
						"enterprises hold more than %u%% "
						"((n,k) rule)", p->o->suppress->nk_n,
						p->o->suppress->nk_k);
			dts__buf_str(&p->b, "; the city-wide tables are published "
				     "in full");
		} else {
			dts__svg_esc(&p->b, dts_table_cell(t, i, 1));
		}
		dts__buf_str(&p->b, "</dd>\n");
	}
	dts__buf_str(&p->b, "</dl>\n</section>\n");
	dts_table_free(t);
	return 0;
}

/* ---- the page ------------------------------------------------------------ */

/* 万元 unless some year's digital trade reaches 1 亿元. */
static int chart_unit(page *p)
{
	dts_amount yi;

	p->unit_exp = 4;
	dts_amount_parse(&yi, "100000000", 9);
	for (size_t y = 0; y < p->ny; y++) {
		dts_amount a;
		int rc = dts_report_sum(&a, p->cube, p->years[y], "ALL", "X+M", NULL);

		if (rc < 0)
			return rc;
		if (dts_amount_cmp(&a, &yi) >= 0)
			p->unit_exp = 8;
	}
	return 0;
}

static int build(page *p)
{
	int rc, found = 0;

	p->ny = dts_report_years(p->r, &p->years);
	if (!p->ny)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "the report is not computed "
				  "(or has no data)");
	if (!p->year)
		p->year = p->years[p->ny - 1];
	for (size_t y = 0; y < p->ny; y++)
		found |= p->years[y] == p->year;
	if (!found)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "no data for %d", p->year);
	if ((rc = chart_unit(p)) < 0)
		return rc;
	head(p);
	dts__buf_str(&p->b, "<main>\n");
	if ((rc = annex(p)) < 0 || (rc = trends(p)) < 0 || (rc = by_year(p, 0)) < 0 ||
	    (rc = by_year(p, 1)) < 0 || (rc = boundary(p)) < 0 ||
	    (p->o->geo && (rc = districts(p)) < 0) || (rc = notes(p)) < 0)
		return rc;
	dts__buf_str(&p->b, "</main>\n<footer><p class=\"src\">");
	dts__buf_str(&p->b, pick(p, "由 libdts 生成；图表与表格同源于统计立方体，数值精确计算、只舍入一次。",
				 "Made by libdts; charts and tables come from the same "
				 "statistics cube, exact figures rounded once."));
	dts__buf_str(&p->b, "</p></footer>\n</body>\n</html>\n");
	return p->b.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

int dts_page_write_cb(const dts_report *report, const dts_cube *cube,
		      const dts_page_options *opts, dts_write_cb cb, void *payload)
{
	static const dts_page_options defaults = DTS_PAGE_OPTIONS_INIT;
	page p;
	int rc;

	memset(&p, 0, sizeof(p));
	if (!opts)
		opts = &defaults;
	if (!report || !cube || !cb || opts->version != DTS_PAGE_OPTIONS_VERSION ||
	    (opts->lang != DTS_PAGE_ZH && opts->lang != DTS_PAGE_EN))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad page arguments "
				  "(options version, language)");
	p.r = report;
	p.cube = cube;
	p.o = opts;
	p.en = opts->lang == DTS_PAGE_EN;
	p.year = opts->year;
	if ((rc = build(&p)) == 0)
		rc = cb(p.b.p, p.b.len, payload);
	dts__buf_free(&p.b);
	return rc;
}

int dts_page_write(const dts_report *report, const dts_cube *cube,
		   const dts_page_options *opts, FILE *f)
{
	return dts_page_write_cb(report, cube, opts, dts__write_file, f);
}
