/*
 * standard.c — the classification standard as a publication (dts/standard.h):
 * category definitions, evidence bands and boundary decisions read by the
 * loader, concordance tables made by classifying each code alone, and the
 * Markdown / HTML / CSV / xlsx writers of docs/classification.md.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "rules_int.h"
#include "../write/svg_int.h"

/* ---- what the loader read ------------------------------------------------ */

const char *dts_rules_category_definition(const dts_rules *r, size_t index,
					  const char *lang)
{
	const dts_category *c;
	const char *d;

	if (!r || !lang || index >= r->ncats)
		return NULL;
	c = r->cats[index];
	if (!strcmp(lang, "zh"))
		d = c->def_zh;
	else if (!strcmp(lang, "en"))
		d = c->def_en;
	else
		return NULL;
	return d ? d : "";
}

size_t dts_rules_band_count(const dts_rules *r)
{
	return r ? r->book.bands.len : 0;
}

int dts_rules_band(dts_band_info *out, const dts_rules *r, size_t index)
{
	if (!out || !r || index >= r->book.bands.len)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "band index %zu out of range", index);
	*out = *(const dts_band_info *)r->book.bands.items[index];
	return 0;
}

size_t dts_rules_decision_count(const dts_rules *r)
{
	return r ? r->book.decisions.len : 0;
}

int dts_rules_decision(dts_decision_info *out, const dts_rules *r,
		       size_t index)
{
	if (!out || !r || index >= r->book.decisions.len)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "decision index %zu out of range", index);
	*out = *(const dts_decision_info *)r->book.decisions.items[index];
	return 0;
}

/* ---- citations ------------------------------------------------------------ */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int has(const char *s, const char *w)
{
	return strstr(s, w) != NULL;
}

/*
 * Edition: a year 1900-2099 standing alone (not inside a longer number),
 * "ed.", "edition", "Rev.", "Ver.", "CPC 2.1", 版, or an announcement number
 * (第N号).
 * Place: §, ch., chapter, Annex, table, row, Box, para, heading, 表, 条, a
 * plan item (二(一)7: a Chinese numeral in brackets), an EBOPS code (SA..SN with or
 * without digits, as a word), or a number of 2-6 digits that is neither a
 * year nor an announcement number (an HS, CPC, GB/T 4754 or customs code).
 */
unsigned dts_source_cites(const char *s)
{
	static const char *const eds[] = { "ed.", "edition", "Edition", "Rev.",
					   "CPC 2.1", "Ver.", "版", "号", NULL };
	static const char *const places[] = {
		"§", "ch.", "chapter", "Chapter", "Annex", "annex", "table",
		"Table", "row", "Box", "para", "heading", "section", "表", "条",
		"部分", NULL };
	static const char *const numerals[] = { "一", "二", "三", "四", "五",
		"六", "七", "八", "九", "十", NULL };
	unsigned bits = 0;
	size_t i, n;

	if (!s)
		return 0;
	for (i = 0; eds[i]; i++)
		if (has(s, eds[i]))
			bits |= DTS_CITE_EDITION;
	for (i = 0; places[i]; i++)
		if (has(s, places[i]))
			bits |= DTS_CITE_PLACE;
	/* a plan item: a Chinese numeral in brackets, (一) or （一） */
	for (i = 0; numerals[i]; i++) {
		char a[16], b[16];

		snprintf(a, sizeof(a), "(%s)", numerals[i]);
		snprintf(b, sizeof(b), "（%s）", numerals[i]);
		if (has(s, a) || has(s, b))
			bits |= DTS_CITE_PLACE;
	}
	n = strlen(s);
	for (i = 0; i < n;) {
		size_t j = i;

		if (!is_digit(s[i])) {
			/* EBOPS: S + A..N, then digits, at a word boundary */
			if (s[i] == 'S' && i + 1 < n && s[i + 1] >= 'A' &&
			    s[i + 1] <= 'N' && (i == 0 || s[i - 1] == ' ' ||
						s[i - 1] == '(' || s[i - 1] == '/' ||
						s[i - 1] == ',')) {
				size_t k = i + 2;

				while (k < n && is_digit(s[k]))
					k++;
				if (k == n || !((s[k] >= 'A' && s[k] <= 'Z') ||
						(s[k] >= 'a' && s[k] <= 'z')))
					bits |= DTS_CITE_PLACE;
			}
			i++;
			continue;
		}
		while (j < n && is_digit(s[j]))
			j++;
		{
			size_t len = j - i;
			int year = len == 4 && (s[i] == '1' || s[i] == '2') &&
				   (s[i + 1] == '9' || s[i + 1] == '0');
			int numbered = i >= 3 && !memcmp(s + i - 3, "第", 3);

			if (year)
				bits |= DTS_CITE_EDITION;
			else if (!numbered && len >= 2 && len <= 6)
				bits |= DTS_CITE_PLACE;
		}
		i = j;
	}
	return bits;
}

/* ---- codes the rules name --------------------------------------------------- */

typedef struct code_ref {
	int field;
	const char *code;  /* normalised, owned by the rule set */
} code_ref;

typedef struct codes {
	code_ref *v;
	size_t n, cap;
} codes;

static int add_code(codes *c, int field, const char *code)
{
	if (!code || !*code)
		return 0;
	if (c->n == c->cap &&
	    dts__grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v)) < 0)
		return DTS_ENOMEM; /* dts__grow set the error */
	c->v[c->n].field = field;
	c->v[c->n++].code = code;
	return 0;
}

static int walk_codes(codes *c, const dts_node *n, int field)
{
	size_t i;
	int e = 0;

	if (!n)
		return 0;
	for (i = 0; i < n->nkids && e == 0; i++)
		e = walk_codes(c, n->kids[i], field);
	if (e || n->field != field)
		return e;
	if (n->kind == DTS_N_IN || n->kind == DTS_N_PREFIX)
		for (i = 0; i < n->nvalues && e == 0; i++)
			e = add_code(c, field, n->values[i]);
	else if (n->kind == DTS_N_RANGE)
		e = add_code(c, field, n->lo) ? DTS_ENOMEM :
						add_code(c, field, n->hi);
	return e;
}

static int cmp_code(const void *a, const void *b)
{
	const code_ref *x = a, *y = b;

	if (x->field != y->field)
		return x->field - y->field;
	return strcmp(x->code, y->code);
}

static void unique(codes *c)
{
	size_t i, o = 0;

	if (!c->n)   /* c->v may be NULL */
		return;
	qsort(c->v, c->n, sizeof(*c->v), cmp_code);
	for (i = 0; i < c->n; i++)
		if (!o || cmp_code(&c->v[o - 1], &c->v[i]))
			c->v[o++] = c->v[i];
	c->n = o;
}

static int rule_codes(codes *c, const dts_rules *r, int field)
{
	int e = 0;

	for (size_t i = 0; i < r->nrules && e == 0; i++)
		e = walk_codes(c, r->rules[i]->cond, field);
	return e;
}

/* ---- concordance tables ------------------------------------------------------ */

static const char *const conc_cols[] = { "system", "code", "name", "record",
					 "category", "rule", "source" };
#define NCONC 7

typedef struct conc {
	const dts_rules *r;
	dts_scanner *s;
	dts_table *t;
	dts__buf rec;
} conc;

/* Classify values[0..n-1] alone and add the row. */
static int conc_row(conc *c, const char *system, const char *code,
		    const char *name, const dts_value *v, size_t n)
{
	const char *cells[NCONC];
	dts_result res;
	dts_rule_info info;
	int e;

	c->rec.len = 0;
	if (c->rec.p)
		c->rec.p[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			dts__buf_ch(&c->rec, ' ');
		dts__buf_str(&c->rec, dts_field_name(v[i].field));
		dts__buf_ch(&c->rec, '=');
		dts__buf_add(&c->rec, v[i].data, v[i].len);
	}
	if (c->rec.oom)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((e = dts_scanner_classify(&res, c->s, v, n)) < 0)
		return e;
	cells[0] = system;
	cells[1] = code;
	cells[2] = name ? name : "";
	cells[3] = c->rec.p ? c->rec.p : "";
	cells[4] = res.category;
	cells[5] = res.rule;
	cells[6] = res.rule_index >= 0 &&
			   dts_rules_rule(&info, c->r, (size_t)res.rule_index) == 0 ?
		   info.source : "";
	return dts_table_add_row(c->t, cells);
}

static dts_value val(int field, const char *s)
{
	dts_value v;

	v.field = field;
	v.data = s;
	v.len = strlen(s);
	return v;
}

static int conc_codes(conc *c, const char *system, const codes *k,
		      int list)
{
	int e = 0;

	for (size_t i = 0; i < k->n && e == 0; i++) {
		dts_value v = val(k->v[i].field, k->v[i].code);

		e = conc_row(c, system, k->v[i].code,
			     list >= 0 ? dts_code_name((dts_code_list)list,
						       k->v[i].code) : NULL,
			     &v, 1);
	}
	return e;
}

static int conc_ebops(conc *c)
{
	codes k = { 0 };
	const char *bop, *eb;
	int e = rule_codes(&k, c->r, DTS_F_EBOPS_CODE);

	for (size_t i = 0; e == 0 && dts_code_at(&bop, NULL, DTS_CODES_BOP, i) == 0;
	     i++)
		if (dts_code_bop_ebops(&eb, bop, strlen(bop)) == 0)
			e = add_code(&k, DTS_F_EBOPS_CODE, eb);
	if (e == 0) {
		unique(&k);
		e = conc_codes(c, "EBOPS 2010", &k, -1);
	}
	free(k.v);
	return e;
}

static int conc_field(conc *c, const char *system, int field)
{
	codes k = { 0 };
	int e = rule_codes(&k, c->r, field);

	if (e == 0) {
		unique(&k);
		e = conc_codes(c, system, &k, -1);
	}
	free(k.v);
	return e;
}

/* HS chapters the rules name (first two digits of their HS codes). */
static int hs_chapters(codes *ch, dts_arena *a, const dts_rules *r)
{
	codes k = { 0 };
	int e = rule_codes(&k, r, DTS_F_HS_CODE);

	for (size_t i = 0; i < k.n && e == 0; i++)
		if (strlen(k.v[i].code) >= 2) {
			char *two = dts__arena_strndup(a, k.v[i].code, 2);

			e = two ? add_code(ch, DTS_F_HS_CODE, two) : DTS_ENOMEM;
		}
	free(k.v);
	unique(ch);
	return e;
}

static int conc_customs(conc *c)
{
	codes named = { 0 }, ch = { 0 };
	dts_arena a = { 0 };
	const char *mode, *name;
	int e;

	e = rule_codes(&named, c->r, DTS_F_TRADE_MODE);
	if (e == 0)
		e = add_code(&named, DTS_F_TRADE_MODE, "0110");
	if (e == 0) {
		unique(&named);
		e = hs_chapters(&ch, &a, c->r);
	}
	/* rules that name no HS chapter (only presence or one-digit
	   prefixes): every chapter of HS 2022, 01-97 (77 is reserved) */
	if (e == 0 && !ch.n)
		for (int k = 1; e == 0 && k <= 97; k++) {
			char two[3], *s;

			if (k == 77)
				continue;
			snprintf(two, sizeof(two), "%02d", k);
			s = dts__arena_strdup(&a, two);
			e = s ? add_code(&ch, DTS_F_HS_CODE, s) :
				dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		}
	/* every mode of the code list alone */
	for (size_t i = 0; e == 0 &&
	     dts_code_at(&mode, &name, DTS_CODES_TRADE_MODE, i) == 0; i++) {
		dts_value v = val(DTS_F_TRADE_MODE, mode);

		e = conc_row(c, "customs mode", mode, name, &v, 1);
	}
	/* the modes the rules name (4 digits: not the prefixes a rule for
	   "any mode" uses; and 0110) with each HS chapter */
	for (size_t i = 0; i < named.n && e == 0; i++)
		for (size_t j = 0; j < ch.n && e == 0 &&
		     strlen(named.v[i].code) == 4; j++) {
			dts_value v[2];
			char code[64];

			v[0] = val(DTS_F_TRADE_MODE, named.v[i].code);
			v[1] = val(DTS_F_HS_CODE, ch.v[j].code);
			snprintf(code, sizeof(code), "%s x HS %s",
				 named.v[i].code, ch.v[j].code);
			e = conc_row(c, "customs mode x HS chapter", code,
				     dts_code_name(DTS_CODES_TRADE_MODE,
						   named.v[i].code), v, 2);
		}
	free(named.v);
	free(ch.v);
	dts__arena_free(&a);
	return e;
}

static const char *const nbs_marks[] = { "数字经济及其核心产业统计分类", NULL };

/* The class a source cites after the NBS title ("（2021）03 数字技术应用业"). */
static const char *nbs_class(char *buf, size_t size, const char *src)
{
	const char *p = strstr(src, nbs_marks[0]), *q, *end;
	size_t len;

	if (!p)
		return "";
	p += strlen(nbs_marks[0]);
	q = strstr(p, "）");
	if (q && q - p < 40)
		p = q + strlen("）");
	while (*p == ' ' || *p == ':')
		p++;
	end = p;
	while (*end && *end != ';' && !(end[0] == '\xef' && end[1] == '\xbc' &&
					end[2] == '\x9b'))
		end++;
	len = (size_t)(end - p);
	if (len >= size)
		len = size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/* Rules whose sources cite NBS 2021, with their first example. */
static int conc_nbs(conc *c)
{
	int e = 0;

	for (size_t i = 0; i < c->r->nrules && e == 0; i++) {
		const dts_rule *ru = c->r->rules[i];
		char cls[512];

		if (!strstr(ru->source, nbs_marks[0]) || !ru->nexamples)
			continue;
		nbs_class(cls, sizeof(cls), ru->source);
		e = conc_row(c, "NBS 2021", cls[0] ? cls : "(class not named)",
			     NULL, ru->examples[0].values,
			     ru->examples[0].nvalues);
	}
	return e;
}

int dts_standard_concordance(dts_table **out, const dts_rules *r, int which)
{
	conc c = { 0 };
	int e;

	if (!out || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_standard_concordance: NULL argument");
	*out = NULL;
	if (which < DTS_CONC_EBOPS || which > DTS_CONC_NBS)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unknown concordance table %d", which);
	c.r = r;
	if ((e = dts_scanner_new(&c.s, r, 0)) < 0)
		return e;
	if ((e = dts_table_new(&c.t, conc_cols, NCONC, NCONC)) == 0) {
		switch (which) {
		case DTS_CONC_EBOPS: e = conc_ebops(&c); break;
		case DTS_CONC_CPC: e = conc_field(&c, "CPC 2.1", DTS_F_CPC_CODE); break;
		case DTS_CONC_INDUSTRY:
			e = conc_field(&c, "GB/T 4754-2017 / ISIC Rev.4",
				       DTS_F_INDUSTRY_CODE);
			break;
		case DTS_CONC_CUSTOMS: e = conc_customs(&c); break;
		default: e = conc_nbs(&c); break;
		}
	}
	dts_scanner_free(c.s);
	dts__buf_free(&c.rec);
	if (e < 0) {
		dts_table_free(c.t);
		return e;
	}
	*out = c.t;
	return 0;
}

/* ---- writers ------------------------------------------------------------------ */

typedef struct doc {
	dts__buf b;
	int html;
	size_t ncols;   /* of the open table */
} doc;

static void esc(doc *d, const char *s)
{
	if (d->html) {
		dts__svg_esc(&d->b, s);
		return;
	}
	for (; *s; s++)
		if (*s == '|')
			dts__buf_str(&d->b, "\\|");
		else if (*s == '\n' || *s == '\r')
			dts__buf_ch(&d->b, ' ');
		else
			dts__buf_ch(&d->b, *s);
}

static void heading(doc *d, int level, const char *text)
{
	if (d->html) {
		dts__buf_printf(&d->b, "<h%d>", level);
		esc(d, text);
		dts__buf_printf(&d->b, "</h%d>\n", level);
		return;
	}
	for (int i = 0; i < level; i++)
		dts__buf_ch(&d->b, '#');
	dts__buf_ch(&d->b, ' ');
	esc(d, text);
	dts__buf_str(&d->b, "\n\n");
}

static void para(doc *d, const char *text)
{
	dts__buf_str(&d->b, d->html ? "<p>" : "");
	esc(d, text);
	dts__buf_str(&d->b, d->html ? "</p>\n" : "\n\n");
}

static void row(doc *d, const char *const *cells, size_t n, int head)
{
	if (d->html) {
		dts__buf_str(&d->b, "<tr>");
		for (size_t i = 0; i < n; i++) {
			dts__buf_str(&d->b, head ? "<th>" : "<td>");
			esc(d, cells[i] ? cells[i] : "");
			dts__buf_str(&d->b, head ? "</th>" : "</td>");
		}
		dts__buf_str(&d->b, "</tr>\n");
		return;
	}
	dts__buf_ch(&d->b, '|');
	for (size_t i = 0; i < n; i++) {
		dts__buf_ch(&d->b, ' ');
		esc(d, cells[i] && cells[i][0] ? cells[i] : "");
		dts__buf_str(&d->b, " |");
	}
	dts__buf_ch(&d->b, '\n');
	if (head) {
		dts__buf_ch(&d->b, '|');
		for (size_t i = 0; i < n; i++)
			dts__buf_str(&d->b, "---|");
		dts__buf_ch(&d->b, '\n');
	}
}

static void table_begin(doc *d, const char *const *head, size_t n)
{
	d->ncols = n;
	if (d->html)
		dts__buf_str(&d->b, "<table>\n");
	row(d, head, n, 1);
}

static void table_end(doc *d)
{
	dts__buf_str(&d->b, d->html ? "</table>\n" : "\n");
}

static void sec_categories(doc *d, const dts_rules *r)
{
	static const char *const head[] = { "code", "中文名称", "English name",
					    "定义", "definition" };
	dts__buf line = { 0 };
	const char *agg;

	heading(d, 2, "1. The categories");
	para(d, "Every record is classified into exactly one category: a top code "
		"or one of its leaves. The aggregates are sums of top codes; no "
		"record is classified into an aggregate.");
	for (size_t i = 0; (agg = dts_category_aggregate(i)); i++) {
		const char *top;
		int first = 1;

		line.len = 0;
		dts__buf_printf(&line, "%s %s (%s) =", agg,
				dts_category_name_zh(agg),
				dts_category_name_en(agg));
		for (size_t j = 0; j < DTS_CATEGORY_FIXED; j++) {
			const char *p;

			top = dts_category_fixed(j);
			p = dts_category_parent(top);
			if (p && !strcmp(p, agg)) {
				dts__buf_printf(&line, "%s %s", first ? "" : " +",
						top);
				first = 0;
			}
		}
		if (line.oom)
			d->b.oom = 1;
		else
			para(d, line.p);
	}
	dts__buf_free(&line);
	table_begin(d, head, 5);
	for (size_t i = 0; i < r->ncats; i++) {
		size_t at = i;
		const dts_category *c;
		const char *cells[5];

		/* each top code followed by its leaves, in declared order */
		(void)at;
		c = r->cats[i];
		if (strcmp(c->code, c->top))
			continue;
		cells[0] = c->code;
		cells[1] = c->zh;
		cells[2] = c->en;
		cells[3] = c->def_zh ? c->def_zh : "";
		cells[4] = c->def_en ? c->def_en : "";
		row(d, cells, 5, 0);
		for (size_t j = 0; j < r->ncats; j++) {
			const dts_category *l = r->cats[j];

			if (!strcmp(l->top, c->code) && strcmp(l->code, l->top)) {
				cells[0] = l->code;
				cells[1] = l->zh;
				cells[2] = l->en;
				cells[3] = l->def_zh ? l->def_zh : "";
				cells[4] = l->def_en ? l->def_en : "";
				row(d, cells, 5, 0);
			}
		}
	}
	table_end(d);
}

static void sec_bands(doc *d, const dts_rules *r)
{
	static const char *const head[] = { "band", "evidence", "result",
					    "why this strength" };

	heading(d, 2, "2. Evidence, strongest first");
	para(d, "Each rule sits in a priority band; a higher band always beats a "
		"lower one. The order is the order in which the evidence is "
		"reliable and specific to the transaction.");
	table_begin(d, head, 4);
	for (size_t i = 0; i < r->book.bands.len; i++) {
		const dts_band_info *b = r->book.bands.items[i];
		const char *cells[4] = { b->priority, b->evidence, b->result,
					 b->reason };

		row(d, cells, 4, 0);
	}
	table_end(d);
}

/* A decision's six cells (id, case, decision, reason, sources, differs),
 * the joined lists in src and dif (reused by the caller); -1 when they
 * ran out of memory (their cells are then empty). */
static int decision_cells(const char *cells[6], const dts_decision_info *x,
			  dts__buf *src, dts__buf *dif)
{
	src->len = dif->len = 0;
	dts__buf_str(src, "");
	dts__buf_str(dif, "");
	for (size_t j = 0; j < x->nsources; j++)
		dts__buf_printf(src, "%s%s", j ? "; " : "", x->sources[j]);
	for (size_t j = 0; j < x->ndiffers; j++)
		dts__buf_printf(dif, "%s%s: %s", j ? "; " : "",
				x->differs[j].from, x->differs[j].text);
	cells[0] = x->id;
	cells[1] = x->question;
	cells[2] = x->answer;
	cells[3] = x->reason;
	cells[4] = src->oom ? "" : src->p;
	cells[5] = dif->oom ? "" : dif->p;
	return src->oom || dif->oom ? -1 : 0;
}

static void sec_decisions(doc *d, const dts_rules *r)
{
	static const char *const head[] = { "id", "case", "decision", "reason",
					    "source", "differs from" };
	dts__buf src = { 0 }, dif = { 0 };

	heading(d, 2, "3. Boundary decisions");
	table_begin(d, head, 6);
	for (size_t i = 0; i < r->book.decisions.len; i++) {
		const dts_decision_info *x = r->book.decisions.items[i];
		const char *cells[6];

		if (decision_cells(cells, x, &src, &dif) < 0)
			d->b.oom = 1;
		row(d, cells, 6, 0);
	}
	table_end(d);
	dts__buf_free(&src);
	dts__buf_free(&dif);
}

static void sec_rules(doc *d, const dts_rules *r)
{
	static const char *const head[] = { "priority", "rule", "review",
					    "source" };

	heading(d, 2, "4. What places a record in each category");
	para(d, "The rules that assign each category, in winning order "
		"(priority descending, then written order), with their "
		"sources; then the evidence rules of the dimensions.");
	for (size_t i = 0; i < r->ncats; i++) {
		const dts_category *c = r->cats[i];
		int any = 0;

		for (size_t j = 0; j < r->nrules; j++) {
			const dts_rule *ru = r->rules[j];
			char pr[24];
			const char *cells[4];

			if (ru->dimension != DTS_DIM_SOLD ||
			    strcmp(ru->category, c->code))
				continue;
			if (!any) {
				dts__buf hd = { 0 };

				dts__buf_printf(&hd, "%s %s / %s", c->code, c->zh,
						c->en);
				heading(d, 3, hd.oom ? c->code : hd.p);
				d->b.oom |= hd.oom;
				dts__buf_free(&hd);
				table_begin(d, head, 4);
				any = 1;
			}
			snprintf(pr, sizeof(pr), "%d", ru->priority);
			cells[0] = pr;
			cells[1] = ru->id;
			cells[2] = ru->review ? ru->review : "";
			cells[3] = ru->source;
			row(d, cells, 4, 0);
		}
		if (any)
			table_end(d);
	}
	{
		static const char *const ehead[] = { "priority", "rule",
						     "dimension:value", "source" };
		int any = 0;

		for (size_t j = 0; j < r->nrules; j++) {
			const dts_rule *ru = r->rules[j];
			char pr[24];
			const char *cells[4];

			if (ru->dimension == DTS_DIM_SOLD)
				continue;
			if (!any) {
				heading(d, 3, "Evidence rules (dimensions)");
				table_begin(d, ehead, 4);
				any = 1;
			}
			snprintf(pr, sizeof(pr), "%d", ru->priority);
			cells[0] = pr;
			cells[1] = ru->id;
			cells[2] = ru->category;
			cells[3] = ru->source;
			row(d, cells, 4, 0);
		}
		if (any)
			table_end(d);
	}
}

static const struct {
	int which;
	const char *title, *note;
} concs[] = {
	{ DTS_CONC_EBOPS, "5.1 EBOPS 2010",
	  "Every EBOPS 2010 code of the SAFE BOP code list's mapping and every "
	  "code a rule names, classified alone (no description, no delivery "
	  "field)." },
	{ DTS_CONC_CPC, "5.2 CPC 2.1", "Every CPC 2.1 code a rule names, classified alone." },
	{ DTS_CONC_INDUSTRY, "5.3 GB/T 4754-2017 and ISIC Rev.4",
	  "Every industry code a rule names, classified alone (bare digits are "
	  "GB/T 4754-2017; ISIC codes carry the prefix ISIC or a section letter)." },
	{ DTS_CONC_CUSTOMS, "5.4 Customs supervision modes x HS chapter",
	  "Every supervision mode of the customs code list alone, then the modes "
	  "the rules name (and 0110 一般贸易) with each HS chapter the rules name "
	  "(every chapter of HS 2022, 01-97, when they name none); consecutive "
	  "chapters with the same result are one row here, one row each in the "
	  "CSV and xlsx tables." },
	{ DTS_CONC_NBS, "5.5 NBS 数字经济及其核心产业统计分类（2021）",
	  "Only what the rules' sources cite: each rule citing NBS 2021, with its "
	  "first example classified. Missing: a full correspondence of the NBS "
	  "2021 classes to the categories needs the NBS 2021 class table, which "
	  "is not in the repository; the classifier reads no NBS code field." },
};

/* The HS chapter of a "MODE x HS CC" row, or NULL for another row. */
static const char *chapter_of(const dts_table *t, size_t k)
{
	const char *s = strstr(dts_table_cell(t, k, 1), " x HS ");

	return s ? s + 6 : NULL;
}

/* The last row of the run starting at k: rows of one mode crossed with
 * consecutive chapters that give the same category by the same rule (the
 * Markdown and HTML tables show a run as one row; CSV and xlsx keep every
 * row). k itself when there is no run. */
static size_t run_end(const dts_table *t, size_t k)
{
	size_t e = k;
	const char *c0 = dts_table_cell(t, k, 1);

	if (!chapter_of(t, k))
		return k;
	while (e + 1 < dts_table_nrows(t) && chapter_of(t, e + 1) &&
	       !strncmp(dts_table_cell(t, e + 1, 1), c0,
			(size_t)(chapter_of(t, k) - c0)) &&
	       !strcmp(dts_table_cell(t, e + 1, 4), dts_table_cell(t, k, 4)) &&
	       !strcmp(dts_table_cell(t, e + 1, 5), dts_table_cell(t, k, 5)))
		e++;
	return e;
}

static int sec_conc(doc *d, const dts_rules *r)
{
	static const char *const head[] = { "code", "name", "record", "category",
					    "rule", "source" };

	heading(d, 2, "5. Correspondence tables");
	para(d, "Made by running the compiled classifier: each row's record, "
		"classified alone, gives the row's category by the row's rule "
		"(tests/unit/test_standard.c checks every row).");
	for (size_t i = 0; i < sizeof(concs) / sizeof(concs[0]); i++) {
		dts_table *t;
		int e = dts_standard_concordance(&t, r, concs[i].which);

		if (e < 0)
			return e;
		heading(d, 3, concs[i].title);
		para(d, concs[i].note);
		table_begin(d, head, 6);
		for (size_t k = 0; k < dts_table_nrows(t); k++) {
			const char *cells[6];
			size_t end = run_end(t, k);
			char code[96], rec[160];

			for (size_t c = 0; c < 6; c++)
				cells[c] = dts_table_cell(t, k, c + 1);
			if (end > k) { /* one mode, consecutive chapters, one result */
				snprintf(code, sizeof(code), "%s-%s (%zu chapters)",
					 cells[0], chapter_of(t, end), end - k + 1);
				snprintf(rec, sizeof(rec), "%s .. %s", cells[2],
					 chapter_of(t, end));
				cells[0] = code;
				cells[2] = rec;
				k = end;
			}
			row(d, cells, 6, 0);
		}
		table_end(d);
		dts_table_free(t);
	}
	return 0;
}

static void sec_examples(doc *d, const dts_rules *r)
{
	static const char *const head[] = { "record", "rule" };
	dts__buf rec = { 0 };

	heading(d, 2, "6. Examples");
	para(d, "Every <example> of the classifier, by the category it expects "
		"(dts-rules test checks them all).");
	for (size_t i = 0; i < r->ncats; i++) {
		const dts_category *c = r->cats[i];
		int any = 0;

		for (size_t j = 0; j < r->book.rules.len; j++) {
			const dts_rule *ru = r->book.rules.items[j];

			for (size_t k = 0; k < ru->nexamples; k++) {
				const dts_example *ex = &ru->examples[k];
				const char *cells[2];

				if (strcmp(ex->expect, c->code))
					continue;
				if (!any) {
					heading(d, 3, c->code);
					table_begin(d, head, 2);
					any = 1;
				}
				rec.len = 0;
				dts__buf_str(&rec, "");
				for (size_t v = 0; v < ex->nvalues; v++) {
					dts__buf_printf(&rec, "%s%s=", v ? " " : "",
							dts_field_name(ex->values[v].field));
					dts__buf_add(&rec, ex->values[v].data,
						     ex->values[v].len);
				}
				cells[0] = rec.oom ? "" : rec.p;
				cells[1] = ru->id;
				d->b.oom |= rec.oom;
				row(d, cells, 2, 0);
			}
		}
		if (any)
			table_end(d);
	}
	dts__buf_free(&rec);
}

static int write_doc(doc *d, const dts_rules *r)
{
	int e;

	if (d->html) {
		dts__buf_str(&d->b, "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>"
			     "<meta charset=\"utf-8\"><title>");
		esc(d, r->book.id ? r->book.id : "");
		dts__buf_str(&d->b, "</title></head>\n<body>\n");
	}
	if (d->html) {
		dts__buf hd = { 0 };

		dts__buf_printf(&hd, "%s %s", dts_rules_id(r), dts_rules_version(r));
		heading(d, 1, hd.oom ? "" : hd.p);
		d->b.oom |= hd.oom;
		dts__buf_free(&hd);
	} else {
		dts__buf_printf(&d->b,
				"<!-- Generated from classifier %s version %s by "
				"`dts-rules standard`: edit the classifier, not "
				"this text (regenerate: scripts/regen-docs.sh). -->\n\n",
				dts_rules_id(r), dts_rules_version(r));
	}
	sec_categories(d, r);
	sec_bands(d, r);
	sec_decisions(d, r);
	sec_rules(d, r);
	if ((e = sec_conc(d, r)) < 0)
		return e;
	sec_examples(d, r);
	if (d->html)
		dts__buf_str(&d->b, "</body>\n</html>\n");
	return d->b.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

static int all_conc(dts_table **out, const dts_rules *r)
{
	dts_table *all;
	int e = dts_table_new(&all, conc_cols, NCONC, NCONC);

	for (size_t i = 0; e == 0 && i < sizeof(concs) / sizeof(concs[0]); i++) {
		dts_table *t;

		if ((e = dts_standard_concordance(&t, r, concs[i].which)) < 0)
			break;
		for (size_t k = 0; e == 0 && k < dts_table_nrows(t); k++) {
			const char *cells[NCONC];

			for (size_t c = 0; c < NCONC; c++)
				cells[c] = dts_table_cell(t, k, c);
			e = dts_table_add_row(all, cells);
		}
		dts_table_free(t);
	}
	if (e < 0) {
		dts_table_free(all);
		return e;
	}
	*out = all;
	return 0;
}

int dts_standard_format_parse(const char *name)
{
	static const char *const names[] = { "md", "html", "csv", "xlsx" };

	for (int i = 0; name && i < 4; i++)
		if (!strcmp(name, names[i]))
			return i + 1;
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
			  "unknown format '%s': md, html, csv or xlsx",
			  name ? name : "");
}

int dts_standard_write_cb(const dts_rules *r, int format, dts_write_cb cb,
			  void *payload)
{
	doc d = { 0 };
	int e;

	if (!r || !cb)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_standard_write: NULL argument");
	if (format == DTS_STANDARD_CSV) {
		dts_table *t;

		if ((e = all_conc(&t, r)) < 0)
			return e;
		e = dts_table_write_csv_cb(t, cb, payload);
		dts_table_free(t);
		return e;
	}
	if (format != DTS_STANDARD_MD && format != DTS_STANDARD_HTML)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_standard_write: format %d is not md, "
				  "html or csv (xlsx needs a path)", format);
	d.html = format == DTS_STANDARD_HTML;
	e = write_doc(&d, r);
	if (e == 0 && d.b.len)
		e = cb(d.b.p, d.b.len, payload);
	dts__buf_free(&d.b);
	return e;
}

static int to_file(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, payload) == len ? 0 :
		dts__error(DTS_EIO, NULL, 0, 0, "write failed");
}

int dts_standard_write(const dts_rules *r, int format, FILE *f)
{
	int e;

	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_standard_write: NULL stream");
	if ((e = dts_standard_write_cb(r, format, to_file, f)) < 0)
		return e;
	return fflush(f) ? dts__error(DTS_EIO, NULL, 0, 0, "write failed") : 0;
}

static int categories_table(dts_table **out, const dts_rules *r)
{
	static const char *const cols[] = { "code", "top", "name_zh", "name_en",
					    "definition_zh", "definition_en" };
	int e = dts_table_new(out, cols, 6, 6);

	for (size_t i = 0; e == 0 && i < r->ncats; i++) {
		const dts_category *c = r->cats[i];
		const char *cells[6] = { c->code, c->top, c->zh, c->en,
					 c->def_zh, c->def_en };

		e = dts_table_add_row(*out, cells);
	}
	return e;
}

static int decisions_table(dts_table **out, const dts_rules *r)
{
	static const char *const cols[] = { "id", "case", "decision", "reason",
					    "source", "differs" };
	dts__buf src = { 0 }, dif = { 0 };
	int e = dts_table_new(out, cols, 6, 6);

	for (size_t i = 0; e == 0 && i < r->book.decisions.len; i++) {
		const dts_decision_info *x = r->book.decisions.items[i];
		const char *cells[6];

		if (decision_cells(cells, x, &src, &dif) < 0) {
			e = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		e = dts_table_add_row(*out, cells);
	}
	dts__buf_free(&src);
	dts__buf_free(&dif);
	return e;
}

int dts_standard_write_xlsx(const dts_rules *r, const char *path)
{
	static const char *const sheets[] = { "ebops", "cpc", "industry",
					      "customs", "nbs" };
	dts_table *t[7] = { 0 };
	dts_book *b = NULL;
	int e;

	if (!r || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_standard_write_xlsx: NULL argument");
	e = dts_book_new(&b);
	if (e == 0 && (e = categories_table(&t[0], r)) == 0)
		e = dts_book_add_sheet(b, "categories", t[0]);
	for (size_t i = 0; e == 0 && i < 5; i++)
		if ((e = dts_standard_concordance(&t[i + 1], r, concs[i].which)) == 0)
			e = dts_book_add_sheet(b, sheets[i], t[i + 1]);
	if (e == 0 && (e = decisions_table(&t[6], r)) == 0)
		e = dts_book_add_sheet(b, "decisions", t[6]);
	if (e == 0)
		e = dts_book_write_xlsx(b, path);
	dts_book_free(b);
	for (size_t i = 0; i < 7; i++)
		dts_table_free(t[i]);
	return e;
}
