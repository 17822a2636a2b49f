/*
 * overlap.c — records present in two sources (the same order declared by
 * customs and sold on a platform), matched on key fields by the
 * reconciliation (dts_recon, dts/reconcile.h), and counted once by every
 * sum that takes both sources: the second source's record is taken out.
 * docs/statistics.md, "Sources, bases and denominators".
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "buf.h"

#define OV_KEYS 16

/* One record of either source, as the sums see it. */
typedef struct ovrec {
	int side;               /* DTS_RECON_LEFT: the first source */
	int year;
	char flow[2];           /* "X" or "M" */
	char top[8];            /* its top category code */
	char base[12];          /* goods, services, unknown */
	dts_amount value;       /* in the reporting currency */
	size_t file;            /* index into files */
	uint64_t line;
} ovrec;

/* A pair: the first source's record and the second's. */
typedef struct ovpair {
	size_t a, b;            /* indices into recs */
	const char *key;        /* owned by the recon */
} ovpair;

struct dts_overlap {
	char *first, *second;   /* source names */
	char *keys;             /* as given */
	char currency[DTS_CURRENCY_SIZE];
	const dts_rates *rates;
	dts_recon *recon;
	ovrec *recs;
	size_t nrecs, caprecs;
	ovpair *pairs;
	size_t npairs, cappairs;
	char **files;
	size_t nfiles;
	uint64_t rejected, duplicates;
	int ran;
};

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

int dts_report_overlap_new(dts_overlap **out, const char *spec,
			   const char *currency, const dts_rates *rates)
{
	const char *plus, *colon;
	dts_recon_options o = DTS_RECON_OPTIONS_INIT;
	dts_overlap *ov;
	int rc;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad arguments");
	*out = NULL;
	plus = spec ? strchr(spec, '+') : NULL;
	colon = spec ? strchr(spec, ':') : NULL;
	if (!plus || !colon || plus > colon || plus == spec ||
	    colon == plus + 1 || !colon[1])
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad overlap \"%s\" "
				  "(FIRST+SECOND:KEY[,KEY...], e.g. "
				  "customs+cbec:order_no)", spec ? spec : "");
	if (!(ov = calloc(1, sizeof(*ov))))
		return nomem();
	ov->first = strndup(spec, (size_t)(plus - spec));
	ov->second = strndup(plus + 1, (size_t)(colon - plus - 1));
	ov->keys = strdup(colon + 1);
	ov->rates = rates;
	if (!ov->first || !ov->second || !ov->keys) {
		dts_report_overlap_free(ov);
		return nomem();
	}
	if (dts_currency_normalize(ov->currency, currency ? currency : "CNY",
				   strlen(currency ? currency : "CNY")) < 0) {
		dts_report_overlap_free(ov);
		return dts__error(DTS_EINVAL, NULL, 0, 0, "unknown currency");
	}
	o.compare = 0;   /* one key in both sources is one record, whatever */
	if ((rc = dts_recon_new_list(&ov->recon, ov->keys, &o)) < 0) {
		dts_report_overlap_free(ov);
		return rc;
	}
	*out = ov;
	return 0;
}

void dts_report_overlap_free(dts_overlap *ov)
{
	if (!ov)
		return;
	dts_recon_free(ov->recon);
	for (size_t i = 0; i < ov->nfiles; i++)
		free(ov->files[i]);
	free(ov->files);
	free(ov->recs);
	free(ov->pairs);
	free(ov->first);
	free(ov->second);
	free(ov->keys);
	free(ov);
}

/* ---- reading -------------------------------------------------------------- */

typedef struct reading {
	dts_overlap *ov;
	dts_source *src;
	const dts_binding *binding;
	dts_scanner *scanner;
	int keycol[OV_KEYS], cat_col, base_col;
	size_t nkeys;
	char norm[256];
} reading;

static int col_named(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

/* The columns: each key by its header name, else the canonical field. */
static int bind_columns(reading *x, const char *path)
{
	const char *const *hdr;
	size_t n = dts_source_header(x->src, &hdr);

	x->nkeys = dts_recon_key_count(x->ov->recon);
	for (size_t k = 0; k < x->nkeys; k++) {
		const char *name = dts_recon_key(x->ov->recon, k);
		int c = col_named(hdr, n, name), f;

		if (c < 0 && (f = dts_field_lookup(name)) >= 0)
			c = dts_binding_column(x->binding, f);
		if (c < 0)
			return dts__error(DTS_ENOTFOUND, path, 1, 0, "key field "
					  "\"%s\" is not in the header", name);
		x->keycol[k] = c;
	}
	x->cat_col = col_named(hdr, n, "dts_category");
	x->base_col = col_named(hdr, n, "dts_base");
	return 0;
}

/* Field f of the row, normalised, into x->norm ("" when unbound). */
static const char *field_of(reading *x, const dts_source_row *row, int f)
{
	int c = dts_binding_column(x->binding, f);
	size_t len = 0;

	x->norm[0] = '\0';
	if (c >= 0 && (size_t)c < row->ncols)
		dts_field_normalize(x->norm, sizeof(x->norm), &len, f,
				    row->cols[c], row->lens[c]);
	return x->norm;
}

static ovrec *new_rec(dts_overlap *ov)
{
	if (ov->nrecs == ov->caprecs) {
		size_t cap = ov->caprecs ? ov->caprecs * 2 : 64;
		ovrec *v = realloc(ov->recs, cap * sizeof(*v));

		if (!v)
			return NULL;
		ov->recs = v;
		ov->caprecs = cap;
	}
	memset(&ov->recs[ov->nrecs], 0, sizeof(ov->recs[0]));
	return &ov->recs[ov->nrecs];
}

/* Category, base, period, flow and value of one row of either source;
   DTS_EINPUT when the row cannot be counted (as the cube would reject it). */
static int describe_row(reading *x, ovrec *e, const dts_source_row *row)
{
	dts_value vals[DTS_F_COUNT];
	size_t n = dts_binding_values(vals, x->binding, row->cols, row->lens,
				      row->ncols);
	const char *cat, *base;
	char cur[DTS_CURRENCY_SIZE];
	dts_result res;
	dts_period p;
	dts_money m;
	dts_rate rate = DTS_RATE_ONE;
	int t;

	if (x->cat_col >= 0) {
		if (dts_record_check(vals, n) < 0)
			return DTS_EINPUT;
		cat = (size_t)x->cat_col < row->ncols ? row->cols[x->cat_col] : "";
		base = x->base_col >= 0 && (size_t)x->base_col < row->ncols &&
		       row->cols[x->base_col][0] ? row->cols[x->base_col] : "unknown";
	} else {
		int rc = dts_source_classify(&res, x->scanner, x->binding,
					     row->cols, row->lens, row->ncols);

		if (rc < 0)
			return rc;
		cat = res.category;
		base = res.base == DTS_BASE_UNKNOWN ? "unknown" :
		       dts_base_name(res.base);
	}
	if ((t = dts_category_top_index(cat)) < 0)
		return DTS_EINPUT;
	snprintf(e->top, sizeof(e->top), "%s", dts_category_top((size_t)t));
	snprintf(e->base, sizeof(e->base), "%s", base);
	field_of(x, row, DTS_F_FLOW);
	if (strcmp(x->norm, "X") && strcmp(x->norm, "M"))
		return DTS_EINPUT;
	e->flow[0] = x->norm[0];
	e->flow[1] = '\0';
	field_of(x, row, DTS_F_PERIOD);
	if (dts_period_parse(&p, x->norm, strlen(x->norm)) < 0)
		return DTS_EINPUT;
	e->year = p.year;
	if (dts_record_value(&m, cur, vals, n) < 0)
		return DTS_EINPUT;
	if (cur[0] && strcmp(cur, x->ov->currency) &&
	    (!x->ov->rates || dts_rates_lookup(&rate, x->ov->rates, &p, cur) < 0))
		return DTS_EINPUT;   /* the cube rejects it too: no rate */
	return dts_amount_add_money(&e->value, m, rate);
}

static int read_row(reading *x, const dts_source_row *row)
{
	dts_overlap *ov = x->ov;
	const char *keys[OV_KEYS];
	size_t lens[OV_KEYS];
	dts_recon_record rr;
	ovrec *e;
	int side, rc;

	field_of(x, row, DTS_F_SOURCE);
	side = !strcmp(x->norm, ov->first) ? DTS_RECON_LEFT :
	       !strcmp(x->norm, ov->second) ? DTS_RECON_RIGHT : -1;
	if (side < 0)
		return 0;   /* neither source */
	if (!(e = new_rec(ov)))
		return nomem();
	if ((rc = describe_row(x, e, row)) == DTS_EINPUT) {
		ov->rejected++;
		return 0;
	}
	if (rc < 0)
		return rc;
	e->side = side;
	e->file = ov->nfiles - 1;
	e->line = row->line;
	for (size_t k = 0; k < x->nkeys; k++) {
		keys[k] = (size_t)x->keycol[k] < row->ncols ? row->cols[x->keycol[k]] : "";
		lens[k] = strlen(keys[k]);
	}
	memset(&rr, 0, sizeof(rr));
	rr.line = ov->nrecs + 1;   /* our index, to find the record again */
	rr.keys = keys;
	rr.key_lens = lens;
	rr.value = "0";
	rr.value_len = 1;
	rr.category = e->top;
	rr.category_len = strlen(e->top);
	rc = dts_recon_add(ov->recon, side, &rr);
	if (rc == DTS_EINPUT) {   /* an empty key: not matched */
		ov->rejected++;
		return 0;
	}
	if (rc < 0)
		return rc;
	ov->nrecs++;
	return 0;
}

int dts_report_overlap_add_file(dts_overlap *ov, const char *path,
				const dts_source_options *opts,
				const dts_rules *rules)
{
	reading x;
	dts_source_row row;
	dts_format fmt = DTS_FORMAT_UNKNOWN;
	char **files;
	int rc;

	if (!ov || !path || ov->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad overlap arguments");
	if (strcmp(path, "-") && dts_source_sniff_file(&fmt, path) == 0 &&
	    fmt == DTS_FORMAT_PARTIAL)
		return dts__error(DTS_EINVAL, path, 0, 0, "an overlap check reads "
				  "records, not a partial");
	memset(&x, 0, sizeof(x));
	x.ov = ov;
	if (!(files = realloc(ov->files, (ov->nfiles + 1) * sizeof(*files))))
		return nomem();
	ov->files = files;
	if (!(ov->files[ov->nfiles] = strdup(path)))
		return nomem();
	ov->nfiles++;
	if ((rc = dts_source_open(&x.src, path, opts)) < 0)
		return rc;
	x.binding = dts_source_binding(x.src);
	if ((rc = bind_columns(&x, path)) < 0)
		goto done;
	if (x.cat_col < 0) {
		if (!rules) {
			rc = dts__error(DTS_EINVAL, path, 0, 0, "records to classify, "
					"but no classifier was given");
			goto done;
		}
		if ((rc = dts_scanner_new(&x.scanner, rules, DTS_SCAN_VALID_UTF8)) < 0)
			goto done;
	}
	while ((rc = dts_source_next(&row, x.src)) != 0) {
		if (rc == DTS_EINPUT) {
			ov->rejected++;
			continue;
		}
		if (rc < 0 || (rc = read_row(&x, &row)) < 0)
			break;
	}
done:
	dts_scanner_free(x.scanner);
	dts_source_free(x.src);
	return rc < 0 ? rc : 0;
}

/* ---- matching ----------------------------------------------------------- */

static int pair_item(const dts_recon_item *it, void *payload)
{
	dts_overlap *ov = payload;

	if (it->bucket == DTS_RECON_DUPLICATE) {
		ov->duplicates++;
		return 0;
	}
	if ((int)it->bucket >= DTS_RECON_NPAIR || !it->left.present ||
	    !it->right.present)
		return 0;
	if (ov->npairs == ov->cappairs) {
		size_t cap = ov->cappairs ? ov->cappairs * 2 : 16;
		ovpair *v = realloc(ov->pairs, cap * sizeof(*v));

		if (!v)
			return nomem();
		ov->pairs = v;
		ov->cappairs = cap;
	}
	ov->pairs[ov->npairs].a = (size_t)it->left.line - 1;
	ov->pairs[ov->npairs].b = (size_t)it->right.line - 1;
	ov->pairs[ov->npairs].key = it->key;
	ov->npairs++;
	return 0;
}

int dts_report_overlap_run(dts_overlap *ov)
{
	int rc;

	if (!ov || ov->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "overlap run twice");
	ov->ran = 1;
	rc = dts_recon_run(ov->recon, pair_item, ov);
	return rc < 0 ? rc : 0;
}

uint64_t dts_report_overlap_count(const dts_overlap *ov)
{
	return ov ? ov->npairs : 0;
}

int dts_report_set_overlap(dts_report *r, const dts_overlap *ov)
{
	if (!r || (ov && !ov->ran))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "run the overlap check "
				  "first (dts_report_overlap_run)");
	r->overlap = ov;
	return 0;
}

/* ---- counting once ------------------------------------------------------- */

/* The keys of a record as the report's cube would have them. */
static void rec_keys(const char *keys[5], char ys[16], const ovrec *e,
		     const char *source)
{
	snprintf(ys, 16, "%d", e->year);
	keys[0] = ys;
	keys[1] = e->flow;
	keys[2] = e->top;
	keys[3] = e->base;
	keys[4] = source;
}

int dts__report_overlap_apply(dts_report *r)
{
	const dts_overlap *ov = r->overlap;
	const rpt_dims dm = {0, 1, 2, 3, 4, DTS_GRAIN_YEAR};

	for (size_t k = 0; ov && k < ov->npairs; k++) {
		const ovrec *a = &ov->recs[ov->pairs[k].a];
		const ovrec *b = &ov->recs[ov->pairs[k].b];
		const char *kb[5];
		char yb[16];
		int y = dts__report_year_index(r, b->year);

		if (y < 0)
			continue;
		rec_keys(kb, yb, b, ov->second);
		for (size_t i = 0; i < r->n; i++) {
			const rpt_ind *d = &r->ind[i];
			rpt_cell *c = &r->cells[i * r->nyears + (size_t)y];

			/* the pair is the first source's record, everywhere: the
			   second's is taken out of every sum that counts it, so
			   a part (CBX) stays a part of its whole (GDX) even when
			   the two records' categories differ */
			if (d->pub.kind != DTS_INDICATOR_SUM ||
			    c->origin == DTS_ORIGIN_SUPPLIED || a->year != b->year ||
			    !dts__report_counts(d, kb, &dm))
				continue;
			if (dts_amount_sub(&c->v.a, &b->value) < 0 ||
			    dts_amount_add(&c->overlap_value, &b->value) < 0)
				return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
						  "indicator %s: overlap overflows",
						  d->pub.id);
			c->overlap_records++;
			dts_amount_format(c->v.text, sizeof(c->v.text), &c->v.a,
					  d->pub.unit_exp, r->decimals);
		}
	}
	return 0;
}


/* ---- the list ----------------------------------------------------------- */

int dts_report_overlap_table(dts_table **out, const dts_overlap *ov)
{
	static const char *const names[] = {"key", "first", "second", "year",
		"flow", "category", "value", "counted"};
	dts_table *t = NULL;
	int rc;

	if (!out || !ov || !ov->ran)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no overlap run");
	*out = NULL;
	if ((rc = dts_table_new(&t, names, 8, 1)) < 0)
		return rc;
	for (size_t k = 1; rc == 0 && k < 8; k++)
		if (k != 6)
			rc = dts_table_set_numeric(t, k, 0);
	if (rc == 0) {
		char title[256];

		snprintf(title, sizeof(title), "Records in two sources (%s and %s, "
			 "matched on %s): counted once, as the %s record (values "
			 "in 元 of %s)", ov->first, ov->second, ov->keys, ov->first,
			 ov->currency);
		rc = dts_table_set_title(t, title);
	}
	for (size_t k = 0; rc == 0 && k < ov->npairs; k++) {
		const ovrec *a = &ov->recs[ov->pairs[k].a];
		const ovrec *b = &ov->recs[ov->pairs[k].b];
		char fa[512], fb[512], ys[16], vs[64];
		const char *row[8] = {ov->pairs[k].key, fa, fb, ys, b->flow, b->top,
				      vs, a->year == b->year ? "once" :
				      "twice: different years"};

		snprintf(fa, sizeof(fa), "%s %s:%llu", ov->first, ov->files[a->file],
			 (unsigned long long)a->line);
		snprintf(fb, sizeof(fb), "%s %s:%llu", ov->second, ov->files[b->file],
			 (unsigned long long)b->line);
		snprintf(ys, sizeof(ys), "%d", b->year);
		dts_amount_format(vs, sizeof(vs), &b->value, 0, 2);
		rc = dts_table_add_row(t, row);
	}
	if (rc < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
