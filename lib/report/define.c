/*
 * define.c — the report's input files: indicator definitions, yearly
 * targets and reported values, all read with the library's CSV reader.
 *
 * Every error names file:line. Nothing read is overwritten silently: a
 * second targets row for one indicator or a second reported value for
 * one indicator and year is an error naming both lines.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define COL_ERROR(name, line, ...) \
	dts__error(DTS_EINPUT, name, (unsigned)(line), 0, __VA_ARGS__)

/* The codes a sum may name are the nine fixed ones (dts/category.h), as
   bits by their canonical rank; leaves and other codes are not summed. */
int dts__report_code(const char *key)
{
	int rank = dts_category_rank(key);

	return rank < DTS_CATEGORY_FIXED &&
	       !strcmp(key, dts_category_fixed((size_t)rank)) ? rank : -1;
}

/* ALL: the six top codes (the five and NONE), each record once. */
static unsigned all_codes(void)
{
	unsigned bits = 0;

	for (size_t i = 0; i < DTS_CATEGORY_TOPS; i++)
		bits |= 1u << dts__report_code(dts_category_top(i));
	return bits;
}

static int col_of(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

/* A record the CSV reader refused, or its own DTS_EIO / DTS_ENOMEM. */
static int row_error(int rc, const dts_csv_row *row, const char *name)
{
	if (rc != DTS_EINPUT)
		return rc;
	return COL_ERROR(name, row->line, "%s", row->error ? row->error :
			 "read error");
}

/* "file:LINE: WHAT "ID"[ in YEAR] (the first is on line FIRST)" */
static int dup_error(const char *name, uint64_t line, uint64_t first,
		     const char *what, const char *id, const char *year)
{
	return COL_ERROR(name, line, "%s \"%s\"%s%s (the first is on line %llu)",
			 what, id, year ? " in " : "", year ? year : "",
			 (unsigned long long)first);
}

int dts__report_parse_sum(unsigned *cats, int *flows, const char *categories,
			  const char *flow, const char *base, const char *name,
			  uint64_t line)
{
	const char *p = categories;

	*cats = 0;
	while (*p) {
		size_t len = strcspn(p, "+");
		char tok[16];
		int code;

		if (len == 0) {   /* "A++B", "+A": empty parts are skipped */
			p++;
			continue;
		}
		snprintf(tok, sizeof(tok), "%.*s", (int)(len < 15 ? len : 15), p);
		if (len < 15 && !strcmp(tok, "ALL"))
			*cats |= all_codes();
		else if (len < 15 && (code = dts__report_code(tok)) >= 0)
			*cats |= 1u << code;
		else
			return COL_ERROR(name, line, "unknown category (DT DO DD "
					 "CBEC TECH SERV PROD DATA NONE ALL) "
					 "\"%.*s\"", (int)len, p);
		p += len;
	}
	*flows = (strchr(flow, 'X') ? 1 : 0) | (strchr(flow, 'M') ? 2 : 0);
	if (!*cats || !*flows || strspn(flow, "XM+") != strlen(flow))
		return COL_ERROR(name, line, "a sum needs categories and flows "
				 "(X, M, X+M)");
	if (base && *base && strcmp(base, "goods") && strcmp(base, "services"))
		return COL_ERROR(name, line, "base must be goods, services or "
				 "empty \"%s\"", base);
	return 0;
}

int dts_report_find(const dts_report *r, const char *id)
{
	for (size_t i = 0; r && id && i < r->n; i++)
		if (!strcmp(r->ind[i].pub.id, id) ||
		    (r->ind[i].pub.no[0] && !strcmp(r->ind[i].pub.no, id)))
			return (int)i;
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "no indicator \"%s\"",
			  id ? id : "");
}

/* An indicator defined above the one being read (r->n of them). */
static int find_above(const dts_report *r, const char *s, size_t len)
{
	char buf[256];

	if (len >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
	return dts_report_find(r, buf);
}

static int parse_of(dts_report *r, rpt_ind *d, const char *of,
		    const char *name, uint64_t line)
{
	const char *slash = strchr(of, '/');

	if (d->pub.kind == DTS_INDICATOR_SHARE) {
		if (!slash)
			return COL_ERROR(name, line, "a share needs of=NUM/DEN "
					 "\"%s\"", of);
		d->of[0] = find_above(r, of, (size_t)(slash - of));
		d->of[1] = find_above(r, slash + 1, strlen(slash + 1));
		if (d->of[0] < 0 || d->of[1] < 0)
			return COL_ERROR(name, line, "a share names an indicator "
					 "not defined above it \"%s\"", of);
		return 0;
	}
	d->of[0] = find_above(r, of, strlen(of));
	if (d->of[0] < 0)
		return COL_ERROR(name, line, "a growth names an indicator not "
				 "defined above it \"%s\"", of);
	return 0;
}

static int unit_exp_of(const char *unit)
{
	return !strcmp(unit, "亿元") ? 8 : !strcmp(unit, "万元") ? 4 : 0;
}

static int kind_of(const char *k)
{
	return !strcmp(k, "sum") ? DTS_INDICATOR_SUM :
	       !strcmp(k, "share") ? DTS_INDICATOR_SHARE :
	       !strcmp(k, "growth") ? DTS_INDICATOR_GROWTH :
	       !strcmp(k, "reported") ? DTS_INDICATOR_REPORTED : 0;
}

enum { C_ID, C_NO, C_KIND, C_CATS, C_FLOWS, C_BASE, C_OF, C_TARGET, C_UNIT,
       C_ZH, C_EN, NCOLS, C_SOURCES = NCOLS, C_TEXT, NALL = C_TEXT + RPT_NTEXT };

static int add_indicator(dts_report *r, const char *const *f, const int *c,
			 const char *name, uint64_t line)
{
	rpt_ind *d;
	dts_arena *a = &r->arena;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		rpt_ind *v = realloc(r->ind, cap * sizeof(*v));

		if (!v)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		r->ind = v;
		r->cap = cap;
	}
	d = &r->ind[r->n];
	memset(d, 0, sizeof(*d));
	if (!f[c[C_ID]][0] || dts_report_find(r, f[c[C_ID]]) >= 0)
		return COL_ERROR(name, line, "empty or duplicate indicator id "
				 "\"%s\"", f[c[C_ID]]);
	d->pub.id = dts__arena_strdup(a, f[c[C_ID]]);
	d->pub.no = dts__arena_strdup(a, f[c[C_NO]]);
	d->pub.unit = dts__arena_strdup(a, f[c[C_UNIT]]);
	d->pub.goal = dts__arena_strdup(a, f[c[C_TARGET]]);
	d->pub.name_zh = dts__arena_strdup(a, f[c[C_ZH]]);
	d->pub.name_en = dts__arena_strdup(a, f[c[C_EN]]);
	d->base = dts__arena_strdup(a, f[c[C_BASE]]);
	if (!d->pub.id || !d->pub.no || !d->pub.unit || !d->pub.goal ||
	    !d->pub.name_zh || !d->pub.name_en || !d->base)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	d->pub.unit_exp = unit_exp_of(d->pub.unit);
	d->pub.line = line;
	if (!(d->pub.kind = (dts_indicator_kind)kind_of(f[c[C_KIND]])))
		return COL_ERROR(name, line, "kind must be sum, share, growth or "
				 "reported \"%s\"", f[c[C_KIND]]);
	if (d->pub.kind == DTS_INDICATOR_SUM &&
	    dts__report_parse_sum(&d->cats, &d->flows, f[c[C_CATS]],
				  f[c[C_FLOWS]], d->base, name, line) < 0)
		return DTS_EINPUT;
	if ((d->pub.kind == DTS_INDICATOR_SHARE ||
	     d->pub.kind == DTS_INDICATOR_GROWTH) &&
	    parse_of(r, d, f[c[C_OF]], name, line) < 0)
		return DTS_EINPUT;
	if (dts__report_parse_goal(r, d, f[c[C_TARGET]], name, line) < 0)
		return DTS_EINPUT;
	/* the descriptive columns: optional, so older files still read */
	for (int i = 0; i < RPT_NTEXT; i++)
		if (!(d->text[i] = c[C_TEXT + i] < 0 ? "" :
		      dts__arena_strdup(a, f[c[C_TEXT + i]])))
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	/* sources: optional, so definition files without it still read */
	if (dts__report_parse_sources(r, d, c[C_SOURCES] < 0 ? "" :
				      f[c[C_SOURCES]], name, line) < 0)
		return DTS_EINPUT;
	r->n++;
	return 0;
}

static int read_definitions(dts_report *r, dts_csv *in, const char *name)
{
	static const char *const cols[NCOLS] = {"id", "no", "kind",
		"categories", "flows", "base", "of", "target", "unit",
		"name_zh", "name_en"};
	static const char *const text[RPT_NTEXT] = RPT_TEXT_COLUMNS;
	const char *const *hdr;
	size_t n = dts_csv_header(in, &hdr);
	dts_csv_row row;
	int c[NALL], rc;

	for (int i = 0; i < NCOLS; i++)
		if ((c[i] = col_of(hdr, n, cols[i])) < 0)
			return COL_ERROR(name, 1, "missing column \"%s\"", cols[i]);
	c[C_SOURCES] = col_of(hdr, n, "sources");
	for (int i = 0; i < RPT_NTEXT; i++)
		c[C_TEXT + i] = col_of(hdr, n, text[i]);
	while ((rc = dts_csv_next(&row, in)) != 0) {
		if (rc < 0)
			return row_error(rc, &row, name);
		if ((rc = add_indicator(r, row.fields, c, name, row.line)) < 0)
			return rc;
	}
	return 0;
}

static int definitions(dts_report **out, dts_csv *in, int rc,
		       const char *name)
{
	dts_report *r;

	*out = NULL;
	if (rc < 0)
		return rc;
	if (!(r = calloc(1, sizeof(*r)))) {
		dts_csv_free(in);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	rc = read_definitions(r, in, name);
	dts_csv_free(in);
	if (rc < 0) {
		dts_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int dts_report_parse(dts_report **out, const char *name, const char *buf,
		     size_t len)
{
	dts_csv *in = NULL;

	if (!out || (!buf && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	int rc = dts_csv_open_buffer(&in, buf ? buf : "", len, name, NULL);

	return definitions(out, in, rc, name);
}

int dts_report_load(dts_report **out, const char *path)
{
	dts_csv *in = NULL;

	if (!out || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	int rc = dts_csv_open_file(&in, path, NULL);

	return definitions(out, in, rc, path);
}

void dts_report_free(dts_report *r)
{
	if (!r)
		return;
	dts__report_free_book(r);
	dts__arena_free(&r->arena);
	free(r->ind);
	free(r->targets.v);
	free(r->reported.v);
	free(r->years);
	free(r->cells);
	free(r->covered);
	free(r);
}

size_t dts_report_count(const dts_report *r)
{
	return r ? r->n : 0;
}

const dts_indicator *dts_report_indicator(const dts_report *r, size_t i)
{
	return r && i < r->n ? &r->ind[i].pub : NULL;
}

/* ---- entries: targets and reported values ------------------------------ */

static rpt_entry *list_add(rpt_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		rpt_entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* Where each (indicator, year) was first given: open addressing on
   ind * 10000 + year, so a duplicate is found in O(1) with its line. */
typedef struct seen_tab {
	uint64_t *key, *line;
	size_t cap, n;
} seen_tab;

static uint64_t *seen_slot(seen_tab *t, uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15u) & (t->cap - 1);

	while (t->key[i] && t->key[i] != key)
		i = (i + 1) & (t->cap - 1);
	return &t->key[i];
}

/* 0 and *first = 0 when new (now recorded), else *first is its line. */
static int seen_put(seen_tab *t, int ind, int year, uint64_t line,
		    uint64_t *first)
{
	uint64_t key = (uint64_t)ind * 10000 + (uint64_t)year + 1, *k;

	if (2 * (t->n + 1) > t->cap) {
		seen_tab g = {calloc(t->cap ? t->cap * 2 : 64, 8),
			      calloc(t->cap ? t->cap * 2 : 64, 8),
			      t->cap ? t->cap * 2 : 64, t->n};

		if (!g.key || !g.line) {
			free(g.key);
			free(g.line);
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		for (size_t i = 0; i < t->cap; i++)
			if (t->key[i]) {
				k = seen_slot(&g, t->key[i]);
				*k = t->key[i];
				g.line[k - g.key] = t->line[i];
			}
		free(t->key);
		free(t->line);
		*t = g;
	}
	k = seen_slot(t, key);
	*first = *k ? t->line[k - t->key] : 0;
	if (!*k) {
		*k = key;
		t->line[k - t->key] = line;
		t->n++;
	}
	return 0;
}

static int year_of(const char *s, int prefix)
{
	char *end;
	long y;

	if (prefix && *s++ != 'y')
		return -1;
	if (*s < '0' || *s > '9')
		return -1;
	y = strtol(s, &end, 10);
	return *end || y < 1000 || y > 9999 ? -1 : (int)y;
}

static int target_row(dts_report *r, rpt_list *l, const dts_csv_row *row,
		      int cno, const int *cy, const int *ty, size_t nty,
		      const char *name)
{
	int i = dts_report_find(r, row->fields[cno]);
	rpt_ind *d;

	if (i < 0)
		return 0;   /* a target for an indicator not reported */
	d = &r->ind[i];
	if (d->target_line)   /* the last row would win without a word */
		return dup_error(name, row->line, d->target_line,
				 "a second target row for indicator",
				 row->fields[cno], NULL);
	d->target_line = row->line;
	for (size_t t = 0; t < nty; t++) {
		const char *s = row->fields[cy[t]];
		rpt_entry *e;
		dts_money m;

		if (!*s)
			continue;
		if (dts_money_parse(&m, s, strlen(s)) < 0)
			return COL_ERROR(name, row->line, "bad target \"%s\"", s);
		if (m < 0)   /* attainment would be negative */
			return COL_ERROR(name, row->line, "negative target \"%s\"", s);
		if (!(e = list_add(l)) ||
		    !(e->text = dts__arena_strdup(&r->arena, s)))
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		e->ind = i;
		e->year = ty[t];
		e->have = 1;
		e->line = row->line;
		e->money = m;
	}
	return 0;
}

static int read_targets(dts_report *r, rpt_list *l, dts_csv *in,
			const char *name)
{
	const char *const *hdr;
	size_t n = dts_csv_header(in, &hdr), nty = 0;
	int cno = col_of(hdr, n, "no"), rc = 0;
	int *cy = calloc(n + 1, sizeof(int)), *ty = calloc(n + 1, sizeof(int));
	dts_csv_row row;

	if (!cy || !ty) {
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (year_of(hdr[i], 1) > 0) {
			cy[nty] = (int)i;
			ty[nty++] = year_of(hdr[i], 1);
		}
	if (cno < 0 || nty == 0) {
		rc = COL_ERROR(name, 1, "a targets file needs a column no and "
			       "year columns such as y2025");
		goto done;
	}
	while ((rc = dts_csv_next(&row, in)) != 0) {
		if (rc < 0) {
			rc = row_error(rc, &row, name);
			goto done;
		}
		if ((rc = target_row(r, l, &row, cno, cy, ty, nty, name)) < 0)
			goto done;
	}
done:
	free(cy);
	free(ty);
	return rc;
}

static int targets(dts_report *r, dts_csv *in, int rc, const char *name)
{
	rpt_list l = {0};

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < r->n; i++)
		r->ind[i].target_line = 0;
	rc = read_targets(r, &l, in, name);
	dts_csv_free(in);
	if (rc < 0) {
		free(l.v);
		return rc;
	}
	free(r->targets.v);
	r->targets = l;
	return 0;
}

int dts_report_parse_targets(dts_report *r, const char *name, const char *buf,
			     size_t len)
{
	dts_csv *in = NULL;

	if (!r || (!buf && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	int rc = dts_csv_open_buffer(&in, buf ? buf : "", len, name, NULL);

	return targets(r, in, rc, name);
}

int dts_report_load_targets(dts_report *r, const char *path)
{
	dts_csv *in = NULL;

	if (!r || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	int rc = dts_csv_open_file(&in, path, NULL);

	return targets(r, in, rc, path);
}

/* The role column: "" or "value" (the year's value), "base" (only the
   base of the next year's growth); -1 for anything else. */
static int role_of(const char *s)
{
	return !*s || !strcmp(s, "value") ? RPT_VALUE :
	       !strcmp(s, "base") ? RPT_BASE : -1;
}

/* One data row of a reported file: c[] is id, year, value, role (-1:
   no role column). A sum's value is supplied: it replaces the computed
   one (an official total); shares and growth rates are always computed. */
static int reported_row(dts_report *r, rpt_list *l, seen_tab *seen,
			const dts_csv_row *row, const int *c, const char *name)
{
	const char *id = row->fields[c[0]], *ys = row->fields[c[1]];
	const char *vs = row->fields[c[2]];
	const char *rs = c[3] < 0 ? "" : row->fields[c[3]];
	int i = dts_report_find(r, id), year = year_of(ys, 0), rc;
	int role = role_of(rs);
	uint64_t first = 0;
	rpt_entry *e;

	if (i < 0)
		return COL_ERROR(name, row->line, "not a reported indicator "
				 "\"%s\"", id);
	if (r->ind[i].pub.kind != DTS_INDICATOR_REPORTED &&
	    r->ind[i].pub.kind != DTS_INDICATOR_SUM)
		return COL_ERROR(name, row->line, "a share or growth is computed, "
				 "never supplied (supply what it is computed "
				 "from) \"%s\"", id);
	if (role < 0)
		return COL_ERROR(name, row->line, "role must be value, base or "
				 "empty \"%s\"", rs);
	if (year < 0)
		return COL_ERROR(name, row->line, "bad year \"%s\"", ys);
	if ((rc = seen_put(seen, i * 2 + role, year, row->line, &first)) < 0)
		return rc;
	if (first)   /* the last would win silently */
		return dup_error(name, row->line, first, role ?
				 "a second base for" : "a second value for",
				 r->ind[i].pub.id, ys);
	if (!vs[0])
		return 0;   /* stays missing */
	if (!(e = list_add(l)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (dts_money_parse(&e->money, vs, row->lens[c[2]]) < 0) {
		l->n--;
		return COL_ERROR(name, row->line, "bad value \"%s\"", vs);
	}
	if (!(e->text = dts__arena_strdup(&r->arena, vs)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	e->ind = i;
	e->year = year;
	e->have = 1;
	e->role = role;
	e->line = row->line;
	return 0;
}

static int read_reported(dts_report *r, rpt_list *l, dts_csv *in,
			 const char *name)
{
	const char *const *hdr;
	size_t n = dts_csv_header(in, &hdr);
	int c[4], rc;
	seen_tab seen = {0};
	dts_csv_row row;

	c[0] = col_of(hdr, n, "id") >= 0 ? col_of(hdr, n, "id") :
	       col_of(hdr, n, "no");
	c[1] = col_of(hdr, n, "year");
	c[2] = col_of(hdr, n, "value");
	c[3] = col_of(hdr, n, "role");
	if (c[0] < 0 || c[1] < 0 || c[2] < 0)
		return COL_ERROR(name, 1, "a reported file needs columns id (or "
				 "no), year, value");
	while ((rc = dts_csv_next(&row, in)) != 0) {
		if (rc < 0) {
			rc = row_error(rc, &row, name);
			break;
		}
		if (row.fields[0][0] == '#')
			continue;
		if (row.nfields < n) {
			rc = COL_ERROR(name, row.line, "too few fields");
			break;
		}
		if (row.nfields > n) {   /* an unquoted 1,234 would read as 1 */
			rc = COL_ERROR(name, row.line, "wrong number of fields "
				       "(got %zu, header has %zu)", row.nfields, n);
			break;
		}
		if ((rc = reported_row(r, l, &seen, &row, c, name)) < 0)
			break;
	}
	free(seen.key);
	free(seen.line);
	return rc;
}

static int reported(dts_report *r, dts_csv *in, int rc, const char *name)
{
	rpt_list l = {0};

	if (rc < 0)
		return rc;
	rc = read_reported(r, &l, in, name);
	dts_csv_free(in);
	if (rc < 0) {
		free(l.v);
		return rc;
	}
	free(r->reported.v);
	r->reported = l;
	return 0;
}

/* Ragged so that a comment line ("# example data ...") is read whole;
   data rows are then checked against the header here. */
static const dts_csv_options *ragged(dts_csv_options *o)
{
	dts_csv_options init = DTS_CSV_OPTIONS_INIT;

	*o = init;
	o->flags = DTS_CSV_RAGGED;
	return o;
}

int dts_report_parse_reported(dts_report *r, const char *name,
			      const char *buf, size_t len)
{
	dts_csv_options o;
	dts_csv *in = NULL;

	if (!r || (!buf && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	int rc = dts_csv_open_buffer(&in, buf ? buf : "", len, name, ragged(&o));

	return reported(r, in, rc, name);
}

int dts_report_load_reported(dts_report *r, const char *path)
{
	dts_csv_options o;
	dts_csv *in = NULL;

	if (!r || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	int rc = dts_csv_open_file(&in, path, ragged(&o));

	return reported(r, in, rc, path);
}
