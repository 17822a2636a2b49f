/*
 * scope.c — which sources an indicator sums (the definition's `sources`
 * column), the cell match that applies it, and the table of each
 * source's contribution to each sum (docs/statistics.md, "Sources").
 *
 * The report learns a record's source from the cube's `source` dimension
 * (the canonical field `source`, "unknown" when a record has none;
 * DTS_REPORT_SOURCE_DIMS). A cube without it (a partial written with
 * DTS_REPORT_DIMS) sums every source and says the scope was not checked.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define SCOPE_ERROR(name, line, ...) \
	dts__error(DTS_EINPUT, name, (unsigned)(line), 0, __VA_ARGS__)

/* Is top code t (index of dts_category_top) under one of the bits (ranks
   of fixed codes)? TECH is under TECH, DD and DT. */
static int top_in(unsigned bits, size_t t)
{
	for (const char *c = dts_category_top(t); c; c = dts_category_parent(c)) {
		int code = dts__report_code(c);

		if (code >= 0 && (bits & (1u << code)))
			return 1;
	}
	return 0;
}

/* A source name: letters, digits, '_' '-' '.' (the values of the
   canonical field source: customs, cbec, bop, survey ...). */
static int good_sources(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] == '+' || s[n - 1] == '+')
		return 0;
	for (i = 0; i < n; i++)
		if (!(s[i] == '+' || s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')) ||
		    (s[i] == '+' && s[i + 1] == '+'))
			return 0;
	return 1;
}

/* One clause "CATS=SRC+SRC" (or "SRC+SRC" for every category no other
   clause names) of n bytes. */
static int parse_clause(dts_report *r, rpt_ind *d, const char *p, size_t n,
			unsigned *named, const char *name, uint64_t line)
{
	const char *eq = memchr(p, '=', n);
	const char *src = eq ? eq + 1 : p;
	size_t sn = n - (size_t)(src - p);
	unsigned cats = 0;
	int flows;
	char buf[128], *list;

	if (!good_sources(src, sn))
		return SCOPE_ERROR(name, line, "bad sources \"%.*s\" (CATS=src+src;"
				   "... or src+src)", (int)n, p);
	if (eq) {
		if ((size_t)(eq - p) >= sizeof(buf))
			return SCOPE_ERROR(name, line, "bad sources \"%.*s\"", (int)n, p);
		snprintf(buf, sizeof(buf), "%.*s", (int)(eq - p), p);
		if (dts__report_parse_sum(&cats, &flows, buf, "X", NULL, name,
					  line) < 0)
			return DTS_EINPUT;
	}
	if (!(list = dts__arena_alloc(&r->arena, sn + 1)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	memcpy(list, src, sn);
	for (size_t t = 0; t < DTS_CATEGORY_TOPS; t++) {
		if (eq ? !top_in(cats, t) : (*named & (1u << t)) != 0)
			continue;
		if (eq && (*named & (1u << t)))
			return SCOPE_ERROR(name, line, "sources name %s twice",
					   dts_category_top(t));
		d->scope[t] = list;
		if (eq)
			*named |= 1u << t;
	}
	return 0;
}

int dts__report_parse_sources(dts_report *r, rpt_ind *d, const char *s,
			      const char *name, uint64_t line)
{
	unsigned named = 0;
	const char *bare = NULL;
	size_t bare_len = 0;

	if (!(d->sources = dts__arena_strdup(&r->arena, s)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!*s)
		return 0;
	if (d->pub.kind != DTS_INDICATOR_SUM)
		return SCOPE_ERROR(name, line, "only a sum has sources \"%s\"", s);
	d->scoped = 1;
	/* named clauses first, so a bare one takes what they leave */
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ";");

		if (n && memchr(p, '=', n)) {
			if (parse_clause(r, d, p, n, &named, name, line) < 0)
				return DTS_EINPUT;
		} else if (n) {
			if (bare)
				return SCOPE_ERROR(name, line, "two clauses without "
						   "categories \"%s\"", s);
			bare = p;
			bare_len = n;
		}
		p += n + (p[n] == ';');
	}
	return bare ? parse_clause(r, d, bare, bare_len, &named, name, line) : 0;
}

/* Is `src` one of the '+'-separated names of `list`? */
static int in_list(const char *list, const char *src)
{
	size_t n = strlen(src);

	for (const char *p = list; *p;) {
		size_t k = strcspn(p, "+");

		if (k == n && !memcmp(p, src, n))
			return 1;
		p += k + (p[k] == '+');
	}
	return 0;
}

int dts__report_in_scope(const rpt_ind *d, const char *cat, const char *src)
{
	int t = dts_category_top_index(cat);

	if (!d->scoped || !strcmp(src, RPT_NO_SOURCE))
		return 1;   /* a record that does not say its source counts */
	return t >= 0 && (!d->scope[t] || in_list(d->scope[t], src));
}

static int flow_bit(const char *f)
{
	return !strcmp(f, "X") ? 1 : !strcmp(f, "M") ? 2 : 0;
}

int dts__report_match_ex(const rpt_ind *d, const char *const *keys,
			 const rpt_dims *dm, int any_base, int any_source)
{
	const char *cat = keys[dm->cat];

	if (!(d->flows & flow_bit(keys[dm->flow])) ||
	    (!any_base && d->base[0] && strcmp(keys[dm->base], d->base)))
		return 0;
	if (!d->scoped) {
		int code = dts__report_code(cat);

		return code >= 0 && (d->cats & (1u << code));
	}
	/* a scoped sum adds top codes: each record once, under its source */
	int t = dts_category_top_index(cat);

	if (t < 0 || strcmp(cat, dts_category_top((size_t)t)) ||
	    !top_in(d->cats, (size_t)t))
		return 0;
	return any_source || dm->source < 0 ||
	       dts__report_in_scope(d, cat, keys[dm->source]);
}

int dts__report_counts(const rpt_ind *d, const char *const *keys,
		       const rpt_dims *dm)
{
	int t = dts_category_top_index(keys[dm->cat]);

	if (d->scoped)
		return dts__report_match(d, keys, dm);
	return t >= 0 && top_in(d->cats, (size_t)t) &&
	       (d->flows & flow_bit(keys[dm->flow])) &&
	       (!d->base[0] || !strcmp(keys[dm->base], d->base));
}

int dts__report_match(const rpt_ind *d, const char *const *keys,
		      const rpt_dims *dm)
{
	return dts__report_match_ex(d, keys, dm, 0, 0);
}

/* ---- the sources table ---------------------------------------------------- */

typedef struct contrib {
	const char *source;     /* the cube's key */
	uint64_t records;
	dts_amount value;
	int counted;
} contrib;

typedef struct srcctx {
	const rpt_ind *d;
	const rpt_dims *dm;
	int year;
	contrib *v;
	size_t n, cap;
	uint64_t unknown_records;
	dts_amount unknown_value;
} srcctx;

/* The cell's year: "2025", "2025-03", "2025-NA" are all of 2025. */
static int year_key(const char *s, int year)
{
	return dts__report_key_year(s) == year;
}

static int contrib_cell(const dts_cube_cell *cell, void *payload)
{
	srcctx *c = payload;
	const char *src = c->dm->source >= 0 ? cell->keys[c->dm->source] :
			  "(all)";
	size_t i;

	if (!year_key(cell->keys[c->dm->year], c->year) ||
	    !dts__report_match_ex(c->d, cell->keys, c->dm, 1, 1))
		return 0;
	if (c->d->base[0] && strcmp(cell->keys[c->dm->base], c->d->base)) {
		if (!strcmp(cell->keys[c->dm->base], "goods") ||
		    !strcmp(cell->keys[c->dm->base], "services"))
			return 0;   /* the other base */
		if (c->dm->source >= 0 &&
		    !dts__report_in_scope(c->d, cell->keys[c->dm->cat], src))
			return 0;
		c->unknown_records += cell->records;
		return dts_amount_add(&c->unknown_value, &cell->value);
	}
	for (i = 0; i < c->n && strcmp(c->v[i].source, src); i++)
		;
	if (i == c->n) {
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 8;
			contrib *v = realloc(c->v, cap * sizeof(*v));

			if (!v)
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			c->v = v;
			c->cap = cap;
		}
		memset(&c->v[c->n], 0, sizeof(c->v[0]));
		c->v[c->n].source = src;
		c->n++;
	}
	/* in scope per category: a source may count for one and not another */
	if (c->dm->source < 0 ||
	    dts__report_in_scope(c->d, cell->keys[c->dm->cat], src))
		c->v[i].counted = 1;
	else if (!c->v[i].counted)
		c->v[i].counted = -1;
	c->v[i].records += cell->records;
	return dts_amount_add(&c->v[i].value, &cell->value);
}

static int contrib_row(dts_table *t, const rpt_ind *d, const char *ys,
		       const char *src, uint64_t records, const dts_amount *v,
		       const char *counted, int decimals)
{
	char rs[32], vs[64];
	const char *row[7] = {d->pub.id, ys, src, rs, vs, counted, d->pub.name_en};

	snprintf(rs, sizeof(rs), "%llu", (unsigned long long)records);
	dts_amount_format(vs, sizeof(vs), v, d->pub.unit_exp, decimals);
	return dts_table_add_row(t, row);
}

/* The rows of sum d in `year`: each source, unknown base, the total. */
static int contrib_rows(dts_table *t, const dts_report *r, const rpt_ind *d,
			const dts_cube *cube, const rpt_dims *dm, int year)
{
	srcctx c = {d, dm, year, NULL, 0, 0, 0, DTS_AMOUNT_ZERO};
	dts_amount total = DTS_AMOUNT_ZERO;
	uint64_t records = 0;
	char ys[16];
	int rc = dts_cube_foreach(cube, contrib_cell, &c);

	snprintf(ys, sizeof(ys), "%d", year);
	for (size_t i = 0; rc == 0 && i < c.n; i++) {
		rc = contrib_row(t, d, ys, c.v[i].source, c.v[i].records,
				 &c.v[i].value, c.v[i].counted <= 0 ?
				 "no: not among its sources" :
				 d->scoped && !strcmp(c.v[i].source, RPT_NO_SOURCE) ?
				 "yes: source not known" : "yes", r->decimals);
		if (c.v[i].counted > 0) {
			records += c.v[i].records;
			if (rc == 0)
				rc = dts_amount_add(&total, &c.v[i].value);
		}
	}
	if (rc == 0 && c.unknown_records)
		rc = contrib_row(t, d, ys, "(unknown base)", c.unknown_records,
				 &c.unknown_value, "no: neither goods nor services",
				 r->decimals);
	{
		int y = dts__report_year_index(r, year);
		const rpt_cell *cell = y < 0 ? NULL :
			&r->cells[(size_t)(d - r->ind) * r->nyears + (size_t)y];

		if (rc == 0 && cell && cell->overlap_records) {
			dts_amount neg = DTS_AMOUNT_ZERO;

			if ((rc = dts_amount_sub(&neg, &cell->overlap_value)) == 0 &&
			    (rc = dts_amount_sub(&total, &cell->overlap_value)) == 0)
				rc = contrib_row(t, d, ys, "(in two sources)",
						 cell->overlap_records, &neg,
						 "taken out: counted once",
						 r->decimals);
			records -= cell->overlap_records;
		}
	}
	if (rc == 0)
		rc = contrib_row(t, d, ys, "(total)", records, &total,
				 dm->source < 0 && d->scoped ? "sources not checked: "
				 "the cube has no source dimension" : "",
				 r->decimals);
	free(c.v);
	return rc;
}

int dts_report_sources_table(dts_table **out, const dts_report *r,
			     const dts_cube *cube, int year)
{
	static const char *const names[] = {"id", "year", "source", "records",
		"value", "counted", "indicator_en"};
	dts_table *t = NULL;
	rpt_dims dm;
	int rc;

	if (!out || !r || !r->cells)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no computed report");
	*out = NULL;
	if ((rc = dts__report_dims(&dm, cube)) < 0 ||
	    (rc = dts_table_new(&t, names, 7, 3)) < 0)
		return rc;
	for (int k = 5; rc == 0 && k < 7; k++)
		rc = dts_table_set_numeric(t, (size_t)k, 0);
	if (rc == 0)
		rc = dts_table_set_title(t, "Sources of each sum indicator: each "
					 "source's records and value, counted or "
					 "not (values in the indicator's unit)");
	if (rc == 0)
		rc = dts_table_set_dataflow(t, "DTS_ANNEX_SOURCES");
	for (size_t y = 0; rc == 0 && y < r->nyears; y++) {
		if (year && r->years[y] != year)
			continue;
		for (size_t i = 0; rc == 0 && i < r->n; i++)
			if (r->ind[i].pub.kind == DTS_INDICATOR_SUM)
				rc = contrib_rows(t, r, &r->ind[i], cube, &dm,
						  r->years[y]);
	}
	if (rc < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- the dimensions a report aggregates by ------------------------------------ */

int dts_report_dims_for(char *out, size_t size, const char *path)
{
	dts_format fmt = DTS_FORMAT_UNKNOWN;
	dts_cube *cube = NULL;
	size_t o = 0;
	int rc;

	if (!out || !size || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	/* standard input cannot be read twice: the dimensions of 0.1.0 */
	if (!strcmp(path, "-")) {
		snprintf(out, size, "%s", DTS_REPORT_DIMS);
		return 0;
	}
	if ((rc = dts_source_sniff_file(&fmt, path)) < 0)
		return rc;
	if (fmt != DTS_FORMAT_PARTIAL) {
		snprintf(out, size, "%s", DTS_REPORT_SOURCE_DIMS);
		return 0;
	}
	if ((rc = dts_cube_load_partial(&cube, path)) < 0)
		return rc;
	out[0] = '\0';
	for (size_t i = 0; i < dts_cube_ndims(cube); i++) {
		int k = snprintf(out + o, size - o, "%s%s", i ? "," : "",
				 dts_cube_dim(cube, i));

		if (k < 0 || (size_t)k >= size - o) {
			dts_cube_free(cube);
			return dts__error(DTS_EINVAL, NULL, 0, 0, "dimensions of "
					  "%s do not fit in %zu bytes", path, size);
		}
		o += (size_t)k;
	}
	dts_cube_free(cube);
	return 0;
}
