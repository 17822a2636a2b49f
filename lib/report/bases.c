/*
 * bases.c — what a figure is computed from: supplied values (official
 * totals that replace a computed sum), published bases for growth,
 * coverage of the sources a sum names, records of unknown base, goals
 * with a reference ("national average + 10 points"), and the annex's
 * basis column that says all of it (docs/statistics.md, "Bases").
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "buf.h"

#define GOAL_ERROR(name, line, ...) \
	dts__error(DTS_EINPUT, name, (unsigned)(line), 0, __VA_ARGS__)

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- goals ---------------------------------------------------------------- */

/* An amount with an optional trailing '%' (">=10%" as well as ">=10"). */
static int parse_number(dts_money *out, const char *s, size_t len)
{
	if (len && s[len - 1] == '%')
		len--;
	return dts_money_parse(out, s, len);
}

/* One condition "OP N", "OP REF", "OP REF+N" or "OP REF-N" of n bytes. */
static int parse_cond(dts_report *r, rpt_cond *c, const char *s, size_t n)
{
	static const struct { const char *op; rpt_goal g; } ops[] = {
		{">=", GOAL_GE}, {"<=", GOAL_LE}, {">", GOAL_GT}, {"<", GOAL_LT}};
	size_t k, len;

	c->op = GOAL_NONE;
	c->ref = -1;
	c->value = 0;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (n >= strlen(ops[k].op) && !strncmp(s, ops[k].op, strlen(ops[k].op))) {
			c->op = ops[k].g;
			s += strlen(ops[k].op);
			n -= strlen(ops[k].op);
			break;
		}
	if (c->op == GOAL_NONE || !n)
		return -1;
	if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '.')
		return parse_number(&c->value, s, n);
	/* a reference: an indicator above, then an optional offset */
	len = strcspn(s, "+-");
	if (len > n)
		len = n;
	{
		char id[128];

		if (len == 0 || len >= sizeof(id))
			return -1;
		snprintf(id, sizeof(id), "%.*s", (int)len, s);
		if ((c->ref = dts_report_find(r, id)) < 0)
			return -2;
	}
	if (len == n)
		return 0;
	if (parse_number(&c->value, s + len + 1, n - len - 1) < 0 ||
	    c->value < 0)
		return -1;
	if (s[len] == '-')
		c->value = -c->value;
	return 0;
}

int dts__report_parse_goal(dts_report *r, rpt_ind *d, const char *s,
			   const char *name, uint64_t line)
{
	d->goal = GOAL_NONE;
	d->ncond = 0;
	if (!*s)
		return 0;
	if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '.') {
		d->goal = GOAL_TARGET;   /* a number: a target for every year */
		if (parse_number(&d->goal_value, s, strlen(s)) < 0)
			return GOAL_ERROR(name, line, "bad target \"%s\" (a number, "
					  "or >N >=N <N <=N)", s);
		if (d->goal_value < 0)
			return GOAL_ERROR(name, line, "negative target \"%s\"", s);
		return 0;
	}
	for (const char *p = s;;) {
		size_t n = strcspn(p, "&");
		int rc;

		if (d->ncond == RPT_MAX_COND)
			return GOAL_ERROR(name, line, "a goal has at most %d "
					  "conditions \"%s\"", RPT_MAX_COND, s);
		rc = parse_cond(r, &d->cond[d->ncond], p, n);
		if (rc == -2)
			return GOAL_ERROR(name, line, "bad target \"%.*s\": a goal "
					  "names an indicator not defined above "
					  "it", (int)n, p);
		if (rc < 0)
			return GOAL_ERROR(name, line, "bad target \"%s\" (a number, "
					  "or >N >=N <N <=N, REF+N for a reference "
					  "indicator, joined by &)", s);
		d->ncond++;
		if (!p[n])
			break;
		p += n + 1;
	}
	d->goal = d->cond[0].op;
	d->goal_value = d->cond[0].value;
	return 0;
}

/* The threshold of condition k in year y: its number, plus the
   reference's value when it has one; 0 when the reference is missing. */
static int threshold(dts_amount *out, const dts_report *r, const rpt_ind *d,
		     int k, size_t y)
{
	const rpt_cond *c = &d->cond[k];

	dts__report_scale(out, c->value, d->pub.unit_exp);
	if (c->ref < 0)
		return 1;
	const rpt_val *v = &r->cells[(size_t)c->ref * r->nyears + y].v;

	return v->have && dts_amount_add(out, &v->a) == 0;
}

static int holds(rpt_goal op, int cmp)
{
	return op == GOAL_GE ? cmp >= 0 : op == GOAL_GT ? cmp > 0 :
	       op == GOAL_LE ? cmp <= 0 : cmp < 0;
}

static const char *op_text(rpt_goal op)
{
	return op == GOAL_GE ? ">=" : op == GOAL_GT ? ">" : op == GOAL_LE ?
	       "<=" : "<";
}

/* A number as a goal writes it: 10, 0.5 (no trailing zeros). */
static void trimmed(char *buf, size_t n, dts_money v)
{
	size_t len;

	dts_money_format(buf, n, v, 4);
	len = strlen(buf);
	while (len && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '.')
		buf[--len] = '\0';
}

/* The target as the year resolves it: ">60 & >=58.30 (NAT1 48.30 + 10)". */
static const char *resolved(dts_report *r, const rpt_ind *d, size_t y)
{
	dts__buf b = {0};
	char *out;
	int any = 0;

	for (int k = 0; k < d->ncond; k++)
		any |= d->cond[k].ref >= 0;
	if (!any)
		return d->pub.goal;
	for (int k = 0; k < d->ncond; k++) {
		const rpt_cond *c = &d->cond[k];
		dts_amount t;
		char num[64], off[64];

		dts__buf_printf(&b, "%s%s", k ? " & " : "", op_text(c->op));
		trimmed(off, sizeof(off), c->value < 0 ? -c->value : c->value);
		if (c->ref < 0) {
			dts__buf_str(&b, off);
			continue;
		}
		const rpt_cell *ref = &r->cells[(size_t)c->ref * r->nyears + y];

		if (!threshold(&t, r, d, k, y)) {
			dts__buf_printf(&b, "%s%s%s (%s missing)", r->ind[c->ref].pub.id,
					c->value ? (c->value < 0 ? "-" : "+") : "",
					c->value ? off : "", r->ind[c->ref].pub.id);
			continue;
		}
		dts_amount_format(num, sizeof(num), &t, d->pub.unit_exp, 2);
		dts__buf_printf(&b, "%s (%s %s%s%s)", num, r->ind[c->ref].pub.id,
				ref->shown ? ref->shown : ref->v.text,
				c->value ? (c->value < 0 ? " - " : " + ") : "",
				c->value ? off : "");
	}
	out = b.p && !b.oom ? dts__arena_strdup(&r->arena, b.p) : NULL;
	dts__buf_free(&b);
	if (!out)
		r->oom = 1;   /* dts_report_compute fails with DTS_ENOMEM */
	return out ? out : d->pub.goal;
}

void dts__report_goal(dts_report *r, rpt_cell *c, const rpt_ind *d, size_t y)
{
	int met = 1;

	c->target = resolved(r, d, y);
	if (!c->v.have)
		return;
	for (int k = 0; k < d->ncond; k++) {
		dts_amount t;

		if (!threshold(&t, r, d, k, y)) {
			snprintf(c->attain, sizeof(c->attain), "no reference");
			return;
		}
		met &= holds(d->cond[k].op, dts__report_cmp(&c->v, &t));
	}
	snprintf(c->attain, sizeof(c->attain), "%s", met ? "met" : "not met");
}

/* ---- supplied values and published bases ------------------------------------ */

void dts__report_supply(dts_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++)
			if (r->ind[i].pub.kind == DTS_INDICATOR_REPORTED)
				r->cells[i * r->nyears + y].origin = DTS_ORIGIN_REPORTED;
	for (size_t k = 0; k < r->reported.n; k++) {
		const rpt_entry *e = &r->reported.v[k];
		const rpt_ind *d = &r->ind[e->ind];
		int y = dts__report_year_index(r, e->year + (e->role == RPT_BASE));
		rpt_cell *c;

		if (y < 0 || !e->have)
			continue;
		c = &r->cells[(size_t)e->ind * r->nyears + (size_t)y];
		if (e->role == RPT_BASE) {
			c->base = e;   /* the growth of the year after e's */
			continue;
		}
		if (d->pub.kind != DTS_INDICATOR_SUM)
			continue;   /* reported indicators: place_reported */
		c->origin = DTS_ORIGIN_SUPPLIED;
		c->v.have = 1;
		dts__report_scale(&c->v.a, e->money, d->pub.unit_exp);
		dts_amount_format(c->v.text, sizeof(c->v.text), &c->v.a,
				  d->pub.unit_exp, r->decimals);
	}
}

const rpt_val *dts__report_base(const dts_report *r, size_t i, size_t y,
				rpt_val *tmp)
{
	const rpt_cell *c = &r->cells[i * r->nyears + y];

	if (c->base) {
		memset(tmp, 0, sizeof(*tmp));
		tmp->have = 1;
		dts__report_scale(&tmp->a, c->base->money, r->ind[i].pub.unit_exp);
		return tmp;
	}
	if (dts__report_has_prev(r, y))
		return &c[-1].v;
	return NULL;
}

/* ---- coverage ---------------------------------------------------------------- */

#define MAX_SEEN 16

typedef struct covctx {
	dts_report *r;
	const rpt_dims *dm;
	const char *(*seen)[MAX_SEEN];   /* per year: the sources loaded */
} covctx;

static void see(const char **seen, const char *src)
{
	for (size_t k = 0; k < MAX_SEEN; k++) {
		if (seen[k] && !strcmp(seen[k], src))
			return;
		if (!seen[k]) {
			seen[k] = src;
			return;
		}
	}
}

static int cover_cell(const dts_cube_cell *cell, void *payload)
{
	covctx *x = payload;
	dts_report *r = x->r;
	const rpt_dims *dm = x->dm;
	int y = dts__report_year_index(r, dts__report_key_year(cell->keys[dm->year]));
	const char *base = cell->keys[dm->base];
	int known = !strcmp(base, "goods") || !strcmp(base, "services");

	if (y < 0 || !cell->records)
		return 0;
	/* a source is there when it has records of the year at all: one that
	   contributes nothing to a category still covers it */
	if (dm->source >= 0 && strcmp(cell->keys[dm->source], RPT_NO_SOURCE))
		see(x->seen[y], cell->keys[dm->source]);
	for (size_t i = 0; i < r->n; i++) {
		const rpt_ind *d = &r->ind[i];
		size_t at = i * r->nyears + (size_t)y;
		rpt_cell *c = &r->cells[at];

		if (d->pub.kind != DTS_INDICATOR_SUM ||
		    !dts__report_match_ex(d, cell->keys, dm, 1, 0))
			continue;
		if (d->base[0] && !known) {   /* neither goods nor services */
			c->unknown_records += cell->records;
			if (dts_amount_add(&c->unknown_value, &cell->value) < 0)
				return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
						  "indicator %s: unknown base "
						  "overflows", d->pub.id);
			continue;
		}
		if (d->scoped && dm->source >= 0 &&
		    !strcmp(cell->keys[dm->source], RPT_NO_SOURCE))
			c->nosource_records += cell->records;
	}
	return 0;
}

/* "bop+survey" minus the seen: the missing sources, into b. */
static void missing_of(dts__buf *miss, dts__buf *have, const rpt_ind *d,
		       const char **seen)
{
	for (size_t t = 0; t < DTS_CATEGORY_TOPS; t++) {
		const char *p = d->scope[t];

		if (!p || (t > 0 && d->scope[t - 1] == p))
			continue;   /* one clause covers several tops */
		while (*p) {
			size_t k = strcspn(p, "+"), j;
			char name[64];
			dts__buf *to;

			snprintf(name, sizeof(name), "%.*s", (int)(k < 63 ? k : 63), p);
			for (j = 0; j < MAX_SEEN && seen[j] && strcmp(seen[j], name); j++)
				;
			to = j < MAX_SEEN && seen[j] ? have : miss;
			if (!to->p || !strstr(to->p, name))
				dts__buf_printf(to, "%s%s", to->len ? "+" : "", name);
			p += k + (p[k] == '+');
		}
	}
}

static int cover_text(dts_report *r, rpt_cell *c, const rpt_ind *d,
		      const char **seen, int has_source)
{
	dts__buf miss = {0}, have = {0};
	int rc = 0;

	if (!d->scoped || c->origin == DTS_ORIGIN_SUPPLIED)
		return 0;
	if (!has_source) {
		c->cover = "sources not checked (the cube has no source dimension)";
		return 0;
	}
	if (!seen[0]) {   /* no record of the year says its source */
		c->cover = "sources not checked (the records do not say their "
			   "source)";
		return 0;
	}
	missing_of(&miss, &have, d, seen);
	if (miss.oom || have.oom)
		rc = nomem();
	else if (miss.len) {
		dts__buf b = {0};

		c->partial = 1;
		if (have.len)
			dts__buf_printf(&b, "covers only %s (no records of %s): "
					"not comparable", have.p, miss.p);
		else
			dts__buf_printf(&b, "no records of %s: not comparable",
					miss.p);
		if (!b.p || b.oom ||
		    !(c->cover = dts__arena_strdup(&r->arena, b.p)))
			rc = nomem();
		dts__buf_free(&b);
	}
	dts__buf_free(&miss);
	dts__buf_free(&have);
	return rc;
}

/* A share or growth is comparable when what it is computed from is. */
static void comparable(dts_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++) {
			const rpt_ind *d = &r->ind[i];
			rpt_cell *c = &r->cells[i * r->nyears + y];
			const rpt_cell *of = &r->cells[(size_t)d->of[0] * r->nyears + y];

			c->comparable = !c->partial;
			if (d->pub.kind == DTS_INDICATOR_SHARE)
				c->comparable = of->comparable &&
					r->cells[(size_t)d->of[1] * r->nyears + y].comparable;
			else if (d->pub.kind == DTS_INDICATOR_GROWTH)
				c->comparable = of->comparable && (of->base || y == 0 ||
								   of[-1].comparable);
		}
}

int dts__report_scope_coverage(dts_report *r, const dts_cube *cube,
			       const rpt_dims *dm)
{
	covctx x = {r, dm, calloc(r->nyears + 1, sizeof(*x.seen))};
	int rc;

	if (!x.seen)
		return nomem();
	rc = dts_cube_foreach(cube, cover_cell, &x);
	for (size_t i = 0; rc == 0 && i < r->n; i++)
		for (size_t y = 0; rc == 0 && y < r->nyears; y++) {
			size_t at = i * r->nyears + y;

			if (r->ind[i].pub.kind == DTS_INDICATOR_SUM)
				rc = cover_text(r, &r->cells[at], &r->ind[i],
						x.seen[y], dm->source >= 0);
		}
	free(x.seen);
	if (rc == 0)
		comparable(r);
	return rc;
}

/* ---- the basis column -------------------------------------------------------- */

static const char *origin_name(int origin)
{
	return origin == DTS_ORIGIN_SUPPLIED ? "supplied" :
	       origin == DTS_ORIGIN_REPORTED ? "reported" : "computed";
}

/* "ID computed", with the coverage of a partial sum. */
static void part(dts__buf *b, const dts_report *r, int i, size_t y)
{
	const rpt_cell *c = &r->cells[(size_t)i * r->nyears + y];

	dts__buf_printf(b, "%s %s", r->ind[i].pub.id, origin_name(c->origin));
	if (c->partial)
		dts__buf_printf(b, " (%s)", c->cover);
}

/* The growth base: "base 2024 supplied" / "base 2024 computed". */
static void base_part(dts__buf *b, const dts_report *r, size_t i, size_t y)
{
	const rpt_cell *c = &r->cells[i * r->nyears + y];

	if (c->base)
		dts__buf_printf(b, "base %d supplied", r->years[y] - 1);
	else if (y > 0 && r->years[y - 1] == r->years[y] - 1)
		dts__buf_printf(b, "base %d %s", r->years[y - 1],
				origin_name(c[-1].origin));
}

static void basis_of(dts__buf *b, const dts_report *r, size_t i, size_t y)
{
	const rpt_ind *d = &r->ind[i];
	const rpt_cell *c = &r->cells[i * r->nyears + y];
	size_t mark;

	switch (d->pub.kind) {
	case DTS_INDICATOR_SHARE:
		part(b, r, d->of[0], y);
		dts__buf_str(b, " / ");
		part(b, r, d->of[1], y);
		return;
	case DTS_INDICATOR_GROWTH:
		part(b, r, d->of[0], y);
		mark = b->len;
		base_part(b, r, (size_t)d->of[0], y);
		if (b->len > mark) {   /* no base: no growth, nothing to say */
			char tail[128];

			snprintf(tail, sizeof(tail), "%s", b->p + mark);
			b->len = mark;
			dts__buf_printf(b, "; %s", tail);
		}
		return;
	default:
		break;
	}
	dts__buf_str(b, origin_name(c->origin));
	if (c->cover)
		dts__buf_printf(b, "; %s", c->cover);
	if (c->unknown_records) {
		char v[64];

		dts_amount_format(v, sizeof(v), &c->unknown_value, d->pub.unit_exp,
				  r->decimals);
		dts__buf_printf(b, "; %llu record%s of unknown base (%s %s) not "
				"in it", (unsigned long long)c->unknown_records,
				c->unknown_records == 1 ? "" : "s", v, d->pub.unit);
	}
	if (c->nosource_records && !(c->cover && strstr(c->cover, "not checked")))
		dts__buf_printf(b, "; %llu record%s of unknown source counted",
				(unsigned long long)c->nosource_records,
				c->nosource_records == 1 ? "" : "s");
	if (c->overlap_records) {
		char v[64];

		dts_amount_format(v, sizeof(v), &c->overlap_value, d->pub.unit_exp,
				  r->decimals);
		dts__buf_printf(b, "; %llu record%s in two sources counted once "
				"(%s %s taken out)",
				(unsigned long long)c->overlap_records,
				c->overlap_records == 1 ? "" : "s", v, d->pub.unit);
	}
	if (c->base || (y > 0 && r->years[y - 1] == r->years[y] - 1 &&
			c[-1].origin == DTS_ORIGIN_SUPPLIED)) {
		dts__buf_str(b, "; growth on ");
		base_part(b, r, i, y);
	}
}

int dts__report_bases(dts_report *r)
{
	dts__buf b = {0};

	for (size_t i = 0; i < r->n; i++)
		for (size_t y = 0; y < r->nyears; y++) {
			rpt_cell *c = &r->cells[i * r->nyears + y];

			b.len = 0;
			dts__buf_str(&b, "");
			basis_of(&b, r, i, y);
			if (!b.p || b.oom || r->oom ||
			    !(c->basis = dts__arena_strdup(&r->arena, b.p))) {
				dts__buf_free(&b);
				return nomem();
			}
		}
	dts__buf_free(&b);
	return 0;
}

/* ---- public --------------------------------------------------------------------- */

static const rpt_cell *cell_at(const dts_report *r, size_t i, size_t y)
{
	return r && r->cells && i < r->n && y < r->nyears ?
	       &r->cells[i * r->nyears + y] : NULL;
}

int dts_report_origin(const dts_report *r, size_t i, size_t y)
{
	const rpt_cell *c = cell_at(r, i, y);

	return c ? c->origin : dts__error(DTS_EINVAL, NULL, 0, 0,
					  "no such report row");
}

const char *dts_report_basis(const dts_report *r, size_t i, size_t y)
{
	const rpt_cell *c = cell_at(r, i, y);

	return c ? (c->basis ? c->basis : "") : NULL;
}

int dts_report_comparable(const dts_report *r, size_t i, size_t y)
{
	const rpt_cell *c = cell_at(r, i, y);

	return c ? c->comparable : 0;
}
