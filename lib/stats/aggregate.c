/*
 * aggregate.c — records into a cube (see dts/aggregate.h): dimension
 * specs, per-dimension keys in growable buffers (never cut short),
 * currency conversion, the zone map, partials, and the cube as a table.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "internal.h"
#include "dts/aggregate.h"
#include "dts/csv.h"

#define MAX_DIMS 16

enum kind {
	K_PERIOD, K_FLOW, K_CATEGORY, K_BASE, K_REGION, K_ZONE,
	K_COUNTERPART, K_COLUMN
};

typedef struct dim {
	enum kind kind;
	int level;          /* K_PERIOD: dts_period_level; K_CATEGORY: 1 leaf */
	char *name;         /* as written in --by; K_COLUMN: the header name */
} dim;

typedef struct zone {
	char *code, *zone;
	size_t row;         /* order in the file: the first row of a code wins */
} zone;

struct dts_agg {
	dim dims[MAX_DIMS];
	size_t ndims;
	dts_cube *cube;
	char currency[4];
	const dts_rates *rates;
	dts_rates *own_rates;   /* loaded by dts_agg_load_rates */
	zone *zones;
	size_t nzones;
	const dts_rules *rules;
	dts_scanner *scanner;
	dts_agg_rules_cb rules_cb;
	void *rules_payload;
	uint64_t records, rejects, classified;
	dts__buf key[MAX_DIMS];   /* per dimension, grown to the longest value */
	dts__buf why;             /* the reason of the current reject */
	dts__buf scratch;         /* period, currency, enterprise fields */
};

/* The columns of one source. */
typedef struct bound {
	const char *name;
	const dts_binding *binding;
	int col[DTS_F_COUNT];
	int cat_col, base_col;
	int dim_col[MAX_DIMS];
} bound;

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- dimension specs -------------------------------------------------------- */

static int parse_dim(dim *d, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : NULL;
	int lvl;

	if (n == 6 && !strncmp(spec, "period", 6)) {
		d->kind = K_PERIOD;
		lvl = dts_period_level_parse(arg ? arg : "month");
		if (lvl < 0 || lvl == DTS_PERIOD_DAY)
			return -1;
		d->level = lvl;
	} else if (n == 8 && !strncmp(spec, "category", 8)) {
		d->kind = K_CATEGORY;
		if (arg && strcmp(arg, "top") && strcmp(arg, "leaf"))
			return -1;
		d->level = !arg || !strcmp(arg, "leaf");
	} else if (n == 6 && !strncmp(spec, "region", 6)) {
		if (arg && strcmp(arg, "zone"))
			return -1;
		d->kind = arg ? K_ZONE : K_REGION;
	} else if (!arg && !strcmp(spec, "flow")) {
		d->kind = K_FLOW;
	} else if (!arg && !strcmp(spec, "base")) {
		d->kind = K_BASE;
	} else if (!arg && !strcmp(spec, "counterpart")) {
		d->kind = K_COUNTERPART;
	} else if (!arg && *spec) {
		d->kind = K_COLUMN;
	} else {
		return -1;
	}
	return 0;
}

static int parse_by(dts_agg *a, const char *by)
{
	const char *p = by;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		dim *d;

		if (n) {   /* empty items are skipped, as strtok did */
			if (a->ndims == MAX_DIMS)
				return dts__error(DTS_EINVAL, NULL, 0, 0,
						  "too many dimensions in --by "
						  "(at most %d)", MAX_DIMS);
			d = &a->dims[a->ndims];
			if (!(d->name = strndup(p, n)))
				return nomem();
			a->ndims++;
			if (parse_dim(d, d->name) < 0)
				return dts__error(DTS_EINVAL, NULL, 0, 0,
					"unknown dimension \"%s\" (known: period:"
					"month|quarter|year, flow, category:top|leaf, "
					"base, region, region:zone, counterpart, or a "
					"column name)", d->name);
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	if (a->ndims == 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "--by needs at least one dimension");
	return 0;
}

int dts_agg_new(dts_agg **out, const char *by, const char *currency)
{
	const char *names[MAX_DIMS];
	dts_agg *a;
	int rc;

	*out = NULL;
	if (!currency)
		currency = "CNY";
	if (!by)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "--by needs at least one dimension");
	if (!(a = calloc(1, sizeof(*a))))
		return nomem();
	if (dts_currency_normalize(a->currency, currency, strlen(currency)) < 0) {
		rc = dts__error(DTS_EINVAL, NULL, 0, 0,
				"unknown reporting currency \"%s\"", currency);
		goto fail;
	}
	if ((rc = parse_by(a, by)) < 0)
		goto fail;
	for (size_t i = 0; i < a->ndims; i++)
		names[i] = a->dims[i].name;
	if ((rc = dts_cube_new(&a->cube, names, a->ndims, a->currency)) < 0) {
		char why[sizeof(((dts_error *)0)->message)];

		snprintf(why, sizeof(why), "%s", dts_error_last()->message);
		rc = dts__error(rc, NULL, 0, 0, "--by: %s", why);
		goto fail;
	}
	*out = a;
	return 0;
fail:
	dts_agg_free(a);
	return rc;
}

static void free_zones(dts_agg *a)
{
	for (size_t i = 0; i < a->nzones; i++) {
		free(a->zones[i].code);
		free(a->zones[i].zone);
	}
	free(a->zones);
	a->zones = NULL;
	a->nzones = 0;
}

void dts_agg_free(dts_agg *a)
{
	if (!a)
		return;
	dts_cube_free(a->cube);
	dts_rates_free(a->own_rates);
	dts_scanner_free(a->scanner);
	free_zones(a);
	for (size_t i = 0; i < MAX_DIMS; i++) {
		free(a->dims[i].name);
		dts__buf_free(&a->key[i]);
	}
	dts__buf_free(&a->why);
	dts__buf_free(&a->scratch);
	free(a);
}

const dts_cube *dts_agg_cube(const dts_agg *a) { return a->cube; }
uint64_t dts_agg_records(const dts_agg *a) { return a->records; }
uint64_t dts_agg_rejects(const dts_agg *a) { return a->rejects; }
uint64_t dts_agg_classified(const dts_agg *a) { return a->classified; }

int dts_agg_set_rates(dts_agg *a, const dts_rates *rates)
{
	int rc;

	if (rates && (rc = dts_rates_check_reporting(rates, a->currency)) < 0)
		return rc;
	a->rates = rates;
	return 0;
}

int dts_agg_load_rates(dts_agg *a, const char *path)
{
	dts_rates *r;
	int rc;

	if ((rc = dts_rates_load(&r, path)) < 0)
		return rc;
	if ((rc = dts_agg_set_rates(a, r)) < 0) {
		dts_rates_free(r);
		return rc;
	}
	dts_rates_free(a->own_rates);
	a->own_rates = r;
	return 0;
}

int dts_agg_set_rules(dts_agg *a, const dts_rules *rules)
{
	dts_scanner *sc = NULL;
	int rc;

	/* The sources validate every field's UTF-8. */
	if (rules && (rc = dts_scanner_new(&sc, rules, DTS_SCAN_VALID_UTF8)) < 0)
		return rc;
	dts_scanner_free(a->scanner);
	a->scanner = sc;
	a->rules = rules;
	return 0;
}

void dts_agg_set_rules_cb(dts_agg *a, dts_agg_rules_cb cb, void *payload)
{
	a->rules_cb = cb;
	a->rules_payload = payload;
}

int dts_agg_new_partial(dts_agg **out, const char *path)
{
	dts__buf by = {0};
	dts_cube *part;
	int rc;

	*out = NULL;
	if ((rc = dts_cube_load_partial(&part, path)) < 0)
		return rc;
	for (size_t i = 0; i < dts_cube_ndims(part); i++) {
		if (i)
			dts__buf_ch(&by, ',');
		dts__buf_str(&by, dts_cube_dim(part, i));
	}
	rc = by.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory") :
	     dts_agg_new(out, by.p, dts_cube_currency(part));
	if (rc == 0 && (rc = dts_agg_merge(*out, part)) < 0) {
		dts_agg_free(*out);
		*out = NULL;
	}
	dts__buf_free(&by);
	dts_cube_free(part);
	return rc;
}

int dts_agg_merge(dts_agg *a, const dts_cube *part)
{
	char msg[sizeof(dts_error_last()->message)];
	int rc = dts_cube_merge(a->cube, part);

	if (rc != DTS_EINVAL)
		return rc;
	/* The partial's dimensions or currency: the data's, not the caller's. */
	snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
	return dts__error(DTS_EINPUT, NULL, 0, 0, "%s", msg);
}

/* ---- the zone map --------------------------------------------------------- */

static int col_index(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

static int zone_cmp(const void *pa, const void *pb)
{
	const zone *x = pa, *y = pb;
	int c = strcmp(x->code, y->code);

	return c ? c : x->row < y->row ? -1 : x->row > y->row;
}

static int zone_push(dts_agg *a, size_t *cap, const char *code, const char *z)
{
	zone *slot;

	if (a->nzones == *cap) {   /* doubling, not one realloc per row */
		size_t ncap = *cap ? *cap * 2 : 64;
		zone *n = realloc(a->zones, ncap * sizeof(*n));

		if (!n)
			return nomem();
		a->zones = n;
		*cap = ncap;
	}
	slot = &a->zones[a->nzones];
	slot->row = a->nzones;
	slot->code = strdup(code);
	slot->zone = strdup(z);
	a->nzones++;   /* counted, so free_zones frees what was copied */
	return slot->code && slot->zone ? 0 : nomem();
}

int dts_agg_load_zones(dts_agg *a, const char *path)
{
	const char *const *hdr;
	dts_csv_row row;
	dts_csv *r;
	size_t n, cap = 0;
	int code, z, rc;

	if ((rc = dts_csv_open_file(&r, path, NULL)) < 0)
		return rc;
	free_zones(a);
	n = dts_csv_header(r, &hdr);
	code = col_index(hdr, n, "code");
	z = col_index(hdr, n, "zone");
	if (code < 0 || z < 0) {
		dts_csv_free(r);
		return dts__error(DTS_EINPUT, path, 1, 0,
				  "the zone file needs columns code and zone");
	}
	while ((rc = dts_csv_next(&row, r)) > 0)
		if ((rc = zone_push(a, &cap, row.fields[code], row.fields[z])) < 0)
			break;
	dts_csv_free(r);
	if (rc < 0) {
		free_zones(a);
		return rc;
	}
	/* Sorted for bsearch: a linear search cost records x zones. Stable on
	 * the row number, so the first row of a duplicated code wins. */
	if (a->nzones > 1)
		qsort(a->zones, a->nzones, sizeof(*a->zones), zone_cmp);
	return 0;
}

/* The first row of `code` in the sorted zones, or "OTHER". */
static const char *zone_of(const dts_agg *a, const char *code)
{
	size_t lo = 0, hi = a->nzones;

	while (lo < hi) {   /* lower bound: the first row among equal codes */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(a->zones[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->nzones && !strcmp(a->zones[lo].code, code) ?
	       a->zones[lo].zone : "OTHER";
}

/* ---- one row --------------------------------------------------------------- */

typedef struct rowctx {
	const dts_source_row *row;
	const char *category, *base;
	dts_period period;
	int have_period;
	const char *keys[MAX_DIMS];
} rowctx;

/* Say why the row is rejected (into a->why); returns DTS_EINPUT. */
__attribute__((format(printf, 2, 3)))
static int why(dts_agg *a, const char *fmt, ...)
{
	char tmp[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	a->why.len = 0;
	a->why.oom = 0; /* a reason that could not be kept stops the input */
	dts__buf_str(&a->why, tmp);
	return DTS_EINPUT;
}

/* The last library error is the reason. */
static int why_last(dts_agg *a)
{
	const dts_error *e = dts_error_last();

	return why(a, "%s", e ? e->message : "rejected");
}

/* Normalised value of field f into b ("" when the column is absent).
 * Normalising never lengthens, so the column's length bounds it. */
static const char *field(dts__buf *b, const bound *s, const dts_source_row *row,
			 int f)
{
	int c = s->col[f];
	size_t len = 0, need;

	b->len = 0;
	dts__buf_add(b, "", 0);
	if (c < 0 || (size_t)c >= row->ncols)
		return b->p ? b->p : "";
	need = row->lens[c] + 1;
	if (need < 64)
		need = 64;
	if (dts__buf_grow(b, need) < 0)
		return NULL;
	dts_field_normalize(b->p, b->cap, &len, f, row->cols[c], row->lens[c]);
	b->len = len;
	return b->p;
}

static int need_period(dts_agg *a, const bound *s, rowctx *x)
{
	const char *p;

	if (x->have_period)
		return 0;
	if (!(p = field(&a->scratch, s, x->row, DTS_F_PERIOD)))
		return nomem();
	if (dts_period_parse(&x->period, p, a->scratch.len) < 0)
		return why_last(a);
	x->have_period = 1;
	return 0;
}

static int make_key(dts_agg *a, const bound *s, rowctx *x, size_t i)
{
	const dim *d = &a->dims[i];
	dts__buf *b = &a->key[i];
	const char *k;
	int f = d->kind == K_FLOW ? DTS_F_FLOW :
		d->kind == K_COUNTERPART ? DTS_F_COUNTERPART : DTS_F_REGION;
	int rc;

	switch (d->kind) {
	case K_PERIOD:
		if ((rc = need_period(a, s, x)) < 0)
			return rc;
		b->len = 0;
		if (dts__buf_grow(b, 16) < 0)
			return nomem();
		if (dts_period_key(b->p, b->cap, &x->period,
				   (dts_period_level)d->level) < 0)
			return why_last(a);
		x->keys[i] = b->p;
		return 0;
	case K_CATEGORY:
		x->keys[i] = x->category;
		return 0;
	case K_BASE:
		x->keys[i] = x->base;
		return 0;
	case K_COLUMN:   /* the column as it is, however long */
		x->keys[i] = (size_t)s->dim_col[i] < x->row->ncols ?
			     x->row->cols[s->dim_col[i]] : "";
		return 0;
	default:
		break;
	}
	if (!(k = field(b, s, x->row, f)))
		return nomem();
	if (d->kind == K_FLOW && strcmp(k, "X") && strcmp(k, "M"))
		return why(a, "unknown flow \"%s\"", k);
	x->keys[i] = d->kind == K_ZONE ? zone_of(a, k) : k;
	return 0;
}

/* Checks then classification (dts_source_classify, the shared policy),
 * or for a classified input the checks and its dts_category. */
static int classify(dts_agg *a, const bound *s, rowctx *x)
{
	const dts_source_row *row = x->row;
	dts_value vals[DTS_F_COUNT];
	dts_result res;
	int rc;

	if (s->cat_col < 0) {
		rc = dts_source_classify(&res, a->scanner, s->binding, row->cols,
					 row->lens, row->ncols);
		if (rc == DTS_EINPUT)
			return why_last(a);
		if (rc < 0)
			return rc;
		a->classified++;
		x->category = res.category;
		x->base = res.base == DTS_BASE_UNKNOWN ? "unknown" :
			  dts_base_name(res.base);
		return 0;
	}
	if (dts_record_check(vals, dts_binding_values(vals, s->binding, row->cols,
						       row->lens, row->ncols)) < 0)
		return why_last(a);
	x->category = (size_t)s->cat_col < row->ncols ? row->cols[s->cat_col] : "";
	x->base = s->base_col >= 0 && (size_t)s->base_col < row->ncols &&
		  row->cols[s->base_col][0] ? row->cols[s->base_col] : "unknown";
	if (!x->category[0])
		return why(a, "%s", "empty dts_category");
	return 0;
}

static int convert(dts_agg *a, const bound *s, rowctx *x, dts_money *value,
		   dts_rate *rate)
{
	const dts_source_row *row = x->row;
	char cur[4], stated[DTS_CURRENCY_SIZE];
	int c = s->col[DTS_F_VALUE], rc;
	const char *f;

	if (c < 0 || (size_t)c >= row->ncols)
		return why(a, "value: %s", "missing");
	/* "$89.98", "RMB 1,000": what dts_record_check accepts (money.h) */
	if (dts_money_parse_currency(value, stated, row->cols[c],
				     row->lens[c]) < 0)
		return why(a, "value: %s", dts_error_last()->message);
	*rate = DTS_RATE_ONE;
	if (!(f = field(&a->scratch, s, row, DTS_F_CURRENCY)))
		return nomem();
	if (!f[0] && !stated[0])
		return 0;    /* no currency: the reporting currency */
	if (f[0] && dts_currency_normalize(cur, f, a->scratch.len) < 0)
		return why_last(a);
	if (stated[0] &&
	    dts_money_currency_resolve(cur, stated, f, a->scratch.len) < 0)
		return why_last(a);
	if (!strcmp(cur, a->currency))
		return 0;
	if ((rc = need_period(a, s, x)) < 0)
		return rc;
	if (!a->rates)
		return why(a, "currency %s needs a rates file (--rates)", cur);
	if (dts_rates_lookup(rate, a->rates, &x->period, cur) < 0)
		return why_last(a);
	return 0;
}

static int reject(dts_agg *a, const bound *s, const dts_source_row *row,
		  const char *reason, dts_agg_reject_cb cb, void *payload)
{
	dts_agg_reject r = {s->name, row->line, reason, row->raw, row->raw_len};

	a->rejects++;
	return cb ? cb(&r, payload) : 0;
}

/* One row: 0 counted or rejected; < 0 stops the input. */
static int do_row(dts_agg *a, const bound *s, const dts_source_row *row,
		  dts_agg_reject_cb cb, void *payload)
{
	rowctx x = {row, NULL, NULL, {0}, 0, {0}};
	const char *e;
	dts_money value;
	dts_rate rate;
	int rc;

	rc = classify(a, s, &x);
	for (size_t i = 0; rc == 0 && i < a->ndims; i++)
		rc = make_key(a, s, &x, i);
	if (rc == 0)
		rc = convert(a, s, &x, &value, &rate);
	if (rc == DTS_EINPUT && a->why.oom)
		return nomem(); /* not the record's fault: never counted as a reject */
	if (rc == DTS_EINPUT)
		return reject(a, s, row, a->why.p, cb, payload);
	if (rc < 0)
		return rc;
	/* The keys never point into scratch: it can hold the enterprise. */
	if (!(e = field(&a->scratch, s, row, DTS_F_ENTERPRISE_ID)))
		return nomem();
	rc = dts_cube_add(a->cube, x.keys, value, rate, e);
	if (rc == DTS_EINPUT)   /* a key no output can carry: this record */
		return reject(a, s, row, dts_error_last()->message, cb, payload);
	if (rc == DTS_EOVERFLOW) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
		return dts__error(DTS_EOVERFLOW, s->name, (unsigned)row->line, 0,
				  "%s", msg);
	}
	if (rc < 0)
		return rc;
	a->records++;
	return 0;
}

/* ---- sources ------------------------------------------------------------------ */

static int bind(dts_agg *a, bound *s, const dts_source *src)
{
	const char *const *hdr;
	size_t n = dts_source_header(src, &hdr);
	int rc;

	memset(s, 0, sizeof(*s));
	s->name = dts_source_name(src);
	s->binding = dts_source_binding(src);
	for (int f = 0; f < DTS_F_COUNT; f++)
		s->col[f] = dts_binding_column(s->binding, f);
	s->cat_col = col_index(hdr, n, "dts_category");
	s->base_col = col_index(hdr, n, "dts_base");
	for (size_t i = 0; i < a->ndims; i++) {
		if (a->dims[i].kind != K_COLUMN)
			continue;
		s->dim_col[i] = col_index(hdr, n, a->dims[i].name);
		if (s->dim_col[i] < 0)
			return dts__error(DTS_EINPUT, s->name, 1, 0,
					  "no column \"%s\" (named in --by)",
					  a->dims[i].name);
	}
	if (s->cat_col >= 0 || a->scanner)
		return 0;
	if (a->rules_cb) {
		const dts_rules *rules = NULL;
		dts_agg_rules_cb cb = a->rules_cb;

		a->rules_cb = NULL;   /* asked once */
		if ((rc = cb(&rules, a->rules_payload)) != 0)
			return rc;
		if ((rc = dts_agg_set_rules(a, rules)) < 0)
			return rc;
	}
	if (!a->scanner)
		return dts__error(DTS_EINVAL, s->name, 0, 0,
				  "records to classify, but no classifier "
				  "was given (dts_agg_set_rules)");
	return 0;
}

int dts_agg_add_source(dts_agg *a, dts_source *src, dts_agg_reject_cb cb,
		       void *payload)
{
	dts_source_row row;
	bound s;
	int rc;

	if ((rc = bind(a, &s, src)) != 0)
		return rc;
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc == DTS_EINPUT)
			rc = reject(a, &s, &row, row.error, cb, payload);
		else if (rc > 0)
			rc = do_row(a, &s, &row, cb, payload);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int dts_agg_add_file(dts_agg *a, const char *path,
		     const dts_source_options *opts, dts_agg_reject_cb cb,
		     void *payload)
{
	dts_format fmt = DTS_FORMAT_UNKNOWN;
	dts_source *src;
	dts_cube *part;
	int rc;

	if (!path)
		path = "-";
	if ((rc = dts_source_sniff_file(&fmt, path)) < 0)
		return rc;
	if (fmt == DTS_FORMAT_PARTIAL) {
		if ((rc = dts_cube_load_partial(&part, path)) < 0)
			return rc;
		rc = dts_agg_merge(a, part);
		dts_cube_free(part);
		return rc;
	}
	if ((rc = dts_source_open(&src, path, opts)) < 0)
		return rc;
	rc = dts_agg_add_source(a, src, cb, payload);
	dts_source_free(src);
	return rc;
}

/* ---- results ------------------------------------------------------------------ */

int dts_agg_unit_parse(const char *u)
{
	if (u && (!strcmp(u, "yuan") || !strcmp(u, "元")))
		return 0;
	if (u && (!strcmp(u, "wan") || !strcmp(u, "万元")))
		return 4;
	if (u && (!strcmp(u, "yi") || !strcmp(u, "亿元")))
		return 8;
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
			  "unknown unit \"%s\" (yuan, wan, yi)", u ? u : "");
}

typedef struct conv {
	dts_table *t;
	int unit_exp, decimals;
} conv;

static int to_row(const dts_cube_cell *cell, void *payload)
{
	conv *c = payload;
	const char *row[MAX_DIMS + 3];
	char val[64], recs[32], ents[32];

	for (size_t i = 0; i < cell->nkeys; i++)
		row[i] = cell->keys[i];
	if (dts_amount_format(val, sizeof(val), &cell->value, c->unit_exp,
			      c->decimals) < 0)
		return DTS_EINVAL;
	snprintf(recs, sizeof(recs), "%llu", (unsigned long long)cell->records);
	snprintf(ents, sizeof(ents), "%llu",
		 (unsigned long long)cell->enterprises);
	row[cell->nkeys] = val;
	row[cell->nkeys + 1] = recs;
	row[cell->nkeys + 2] = ents;
	return dts_table_add_row(c->t, row);
}

int dts_agg_table(dts_table **out, const dts_cube *cube, int unit_exp,
		  int decimals)
{
	const char *names[MAX_DIMS + 3];
	size_t nd = dts_cube_ndims(cube);
	dts_table *t;
	conv c;
	int rc;

	*out = NULL;
	if (unit_exp < 0 || unit_exp > 14 || decimals < 0 || decimals > 14)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unit exponent and decimals must be 0..14");
	for (size_t i = 0; i < nd; i++)
		names[i] = dts_cube_dim(cube, i);
	names[nd] = "value";
	names[nd + 1] = "records";
	names[nd + 2] = "enterprises";
	if ((rc = dts_table_new(&t, names, nd + 3, nd)) < 0)
		return rc;
	dts_table_set_unit_mult(t, unit_exp);
	if ((rc = dts_table_set_dataflow(t, "DTS_CUBE")) < 0 ||
	    (rc = dts_table_set_unit(t, dts_cube_currency(cube))) < 0 ||
	    (rc = dts_table_set_title(t, "Digital trade statistics cube")) < 0 ||
	    (rc = dts_table_set_chart(t, (int)nd, NULL)) < 0)
		goto fail;
	c.t = t;
	c.unit_exp = unit_exp;
	c.decimals = decimals;
	if ((rc = dts_cube_foreach(cube, to_row, &c)) < 0)
		goto fail;
	*out = t;
	return 0;
fail:
	dts_table_free(t);
	return rc == DTS_EINVAL ? dts__error(DTS_EINVAL, NULL, 0, 0,
					     "cannot format a value") : rc;
}
