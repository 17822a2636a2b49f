/*
 * aggregate.c — records into a cube (see dts/aggregate.h): dimension
 * specs, per-dimension keys in growable buffers (never cut short),
 * currency conversion, the zone map, partials, and the cube as a table.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/hmac.h>
#include <nettle/sha2.h>

#include "buf.h"
#include "internal.h"
#include "../record/check_int.h"
#include "../scan/batch_int.h"
#include "dts/aggregate.h"
#include "dts/codes.h"
#include "dts/csv.h"

#define MAX_DIMS 16

enum kind {
	K_PERIOD, K_FLOW, K_CATEGORY, K_BASE, K_REVIEW, K_REGION, K_ZONE,
	K_COUNTERPART, K_COLUMN, K_DISTRICT, K_SOURCE
};

typedef struct dim {
	enum kind kind;
	int level;          /* K_PERIOD: dts_period_grain; K_CATEGORY: 1 leaf */
	char *name;         /* as written in --by; K_COLUMN: the header name */
} dim;

typedef struct zone {
	char *code, *zone;
	size_t row;         /* order in the file: the first row of a code wins */
} zone;

/* A code -> name map read from CSV, sorted for bsearch: the zone map
 * (region code -> zone) and the area list (enterprise id -> area). */
typedef struct zmap {
	zone *v;
	size_t n;
} zmap;

/* A rate looked up before (convert): most records share a few currencies
 * and months, and dts_rates_lookup builds a key and searches per call.
 * Direct-mapped; a lookup that fails is never kept (its error is the
 * record's reason). */
#define RATE_MEMO 512

typedef struct rate_memo {
	int used;
	char cur[4];
	int year, quarter, month;
	dts_period_level level;
	dts_rate rate;
} rate_memo;

/* A currency field's bytes as bound and the currency they say (or none:
 * the field normalises to nothing), found before (row_currency): a file
 * names a few currencies. Direct-mapped on the bytes, which decide it. */
#define CUR_MEMO 16
#define CUR_RAW 8

typedef struct cur_memo {
	unsigned char len;      /* the field's length + 1; 0: unused */
	char raw[CUR_RAW];
	int found;              /* 0: the field is blank */
	char cur[4];
} cur_memo;

/* A period cell key written before (period_key): most records share a
 * few months. Direct-mapped on the span and grain, which decide the key. */
#define PKEY_MEMO 256

typedef struct pkey_memo {
	uint32_t tag;       /* 1 + the packed span and grain; 0 empty */
	char key[16];       /* "2025-03", "2025-NA": 7 bytes and a NUL */
} pkey_memo;

struct dts_agg {
	dim dims[MAX_DIMS];
	size_t ndims;
	dts_cube *cube;
	char currency[4];
	const dts_rates *rates;
	dts_rates *own_rates;   /* loaded by dts_agg_load_rates */
	zmap zones, areas;
	const dts_rules *rules;
	dts_scanner *scanner;
	dts_agg_rules_cb rules_cb;
	void *rules_payload;
	uint64_t records, rejects, classified;
	/* The vintage: whether the caller set status and cut-off (a merge
	 * then keeps them), and what gave the cube its classifier (named in
	 * a refusal). */
	int status_set, vintage_set, partials;
	int cls_known;          /* 1: a partial or the rules gave the cube's
				   classifier (NULL there: unknown) */
	char *cls_from;         /* ... and this input gave it */
	/* Enterprise ids: keyed hashes when id_key_len > 0. The cube's
	 * scheme (dts_cube_ids) is decided by the key or the first input
	 * that carries ids; ids_from names that input in a refusal. */
	uint8_t id_key[DTS_AGG_ID_KEY_MAX];
	size_t id_key_len;
	int ids_known, raw_ids_checked;
	char *ids_from;
	char id_hex[33];
	dts__buf key[MAX_DIMS];   /* per dimension, grown to the longest value */
	dts__buf why;             /* the reason of the current reject */
	dts__buf scratch;         /* period, currency, enterprise fields */
	/* Contributions (dts_agg_set_contributions): set by the caller, or
	 * by the first partial merged (con_from names it in a refusal). */
	int con_set;
	char *con_from;
	/* Threads (dts_agg_set_threads): the batch's blocks and workers, and
	 * per source one shard per thread, counting into its own cube. A
	 * shard borrows its parent's dimension names, zones and areas. */
	int threads;
	dts_batch *batch;
	const dts_agg *parent;
	int want_review;           /* a dimension is the review reason */
	/* Inputs with a digest (dts_agg_add_input and the like): their
	 * sizes, so that an input no counted one can equal is digested
	 * alongside its records (digest_begin); unsized: a merged partial
	 * listed some, of sizes unknown. pending: that digest, checked
	 * before the shards' cubes are merged (add_threaded). */
	uint64_t *sizes;
	size_t nsizes;
	int unsized;
	struct digest_job *pending;
	rate_memo memo[RATE_MEMO];  /* emptied when the rates change */
	pkey_memo pkeys[PKEY_MEMO];
	cur_memo curs[CUR_MEMO];
};

/* The columns of one source. */
typedef struct bound {
	const char *name;
	const dts_binding *binding;
	int col[DTS_F_COUNT];
	int cat_col, base_col, review_col;
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
		lvl = dts_period_grain_parse(arg ? arg : "month");
		if (lvl < 0)
			return -1;
		d->level = lvl;
	} else if (n == 8 && !strncmp(spec, "category", 8)) {
		d->kind = K_CATEGORY;
		if (arg && strcmp(arg, "top") && strcmp(arg, "leaf"))
			return -1;
		d->level = !arg || !strcmp(arg, "leaf");
	} else if (n == 6 && !strncmp(spec, "region", 6)) {
		if (arg && strcmp(arg, "zone") && strcmp(arg, "district"))
			return -1;
		d->kind = !arg ? K_REGION : !strcmp(arg, "zone") ? K_ZONE :
			  K_DISTRICT;
	} else if (!arg && !strcmp(spec, "flow")) {
		d->kind = K_FLOW;
	} else if (!arg && !strcmp(spec, "base")) {
		d->kind = K_BASE;
	} else if (!arg && !strcmp(spec, "review")) {
		d->kind = K_REVIEW;   /* the review reason, "confident" when none */
	} else if (!arg && !strcmp(spec, "counterpart")) {
		d->kind = K_COUNTERPART;
	} else if (!arg && !strcmp(spec, "source")) {
		d->kind = K_SOURCE;   /* the canonical field, whatever the binding */
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
					"month|quarter|half|year, flow, category:top|leaf, "
					"base, review, region, region:zone|district, "
					"counterpart, source, or a column name)", d->name);
			if (d->kind == K_REVIEW)
				a->want_review = 1;
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

static void free_zones(zmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].code);
		free(m->v[i].zone);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

void dts_agg_free(dts_agg *a)
{
	if (!a)
		return;
	dts_cube_free(a->cube);
	dts_rates_free(a->own_rates);
	dts_scanner_free(a->scanner);
	dts_batch_free(a->batch);
	if (!a->parent) {
		free_zones(&a->zones);
		free_zones(&a->areas);
	}
	for (size_t i = 0; i < MAX_DIMS; i++) {
		if (!a->parent)
			free(a->dims[i].name);
		dts__buf_free(&a->key[i]);
	}
	dts__buf_free(&a->why);
	dts__buf_free(&a->scratch);
	free(a->cls_from);
	free(a->ids_from);
	free(a->con_from);
	free(a->sizes);
	memset(a->id_key, 0, sizeof(a->id_key));
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
	memset(a->memo, 0, sizeof(a->memo));
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

static int merge_named(dts_agg *a, const dts_cube *part, const char *name);

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
	if (rc == 0 && (rc = merge_named(*out, part, path && strcmp(path, "-") ?
					 path : "standard input")) < 0) {
		dts_agg_free(*out);
		*out = NULL;
	}
	dts__buf_free(&by);
	dts_cube_free(part);
	return rc;
}

/* ---- the vintage ------------------------------------------------------------ */

int dts_agg_set_status(dts_agg *a, int status)
{
	int rc = dts_cube_set_status(a->cube, status);

	a->status_set |= rc == 0;
	return rc;
}

int dts_agg_set_vintage(dts_agg *a, const char *date)
{
	int rc = dts_cube_set_vintage(a->cube, date);

	a->vintage_set |= rc == 0 && date && *date;
	return rc;
}

static int streq(const char *x, const char *y)
{
	return x && y ? !strcmp(x, y) : x == y;
}

/* ---- enterprise ids ----------------------------------------------------------- */

static void hex(char *out, const uint8_t *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void hmac(uint8_t out[SHA256_DIGEST_SIZE], const dts_agg *a, const char *msg,
		 size_t len)
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_set_key(&ctx, a->id_key_len, a->id_key);
	hmac_sha256_update(&ctx, len, (const uint8_t *)msg);
	hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

int dts_agg_set_id_key(dts_agg *a, const void *key, size_t len)
{
	static const char check[] = "libdts enterprise-id key";
	uint8_t d[SHA256_DIGEST_SIZE];
	char scheme[sizeof("hmac-sha256:") + 16];
	int rc;

	if (!key || len < DTS_AGG_ID_KEY_MIN || len > DTS_AGG_ID_KEY_MAX)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "an enterprise-id key has %d to "
				  "%d bytes (got %zu)", DTS_AGG_ID_KEY_MIN,
				  DTS_AGG_ID_KEY_MAX, key ? len : 0);
	if (a->records || a->rejects || a->partials || a->ids_known)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "the enterprise-id key is "
				  "set before any input is added");
	memcpy(a->id_key, key, len);
	a->id_key_len = len;
	hmac(d, a, check, sizeof(check) - 1);
	memcpy(scheme, "hmac-sha256:", 12);
	hex(scheme + 12, d, 8);
	if ((rc = dts_cube_set_ids(a->cube, scheme)) < 0) {
		a->id_key_len = 0;
		return rc;
	}
	a->ids_known = 1;
	return 0;
}

int dts_agg_load_id_key(dts_agg *a, const char *path)
{
	char *buf;
	size_t len;
	int rc;

	if ((rc = dts__read_file(&buf, &len, NULL, path, 0, 4096, NULL, 0, 0)) < 0)
		return rc;
	if (len && buf[len - 1] == '\n')
		len--;
	if (len && buf[len - 1] == '\r')
		len--;
	rc = dts_agg_set_id_key(a, buf, len);
	if (rc == DTS_EINVAL) {
		char msg[sizeof(dts_error_last()->message)];

		snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
		rc = dts__error(DTS_EINVAL, path, 0, 0, "%s", msg);
	}
	memset(buf, 0, len);
	free(buf);
	return rc;
}

/* The ids scheme `ids` of input `name` against the aggregation's: the key,
 * or else the first input carrying ids, decides; a different one is
 * refused, as one enterprise would be counted once per scheme. */
static int check_ids(dts_agg *a, const char *ids, const char *name)
{
	const char *mine = dts_cube_ids(a->cube);

	if (!a->ids_known) {
		int rc = dts_cube_set_ids(a->cube, ids);

		if (rc < 0)
			return rc;
		if (!(a->ids_from = strdup(name ? name : "the input")))
			return nomem();
		a->ids_known = 1;
		return 0;
	}
	if (streq(mine, ids))
		return 0;
	return dts__error(DTS_EINPUT, NULL, 0, 0, "enterprise ids %s differ from %s of %s: "
			  "one enterprise would be counted twice (give the same --id-key)",
			  ids ? ids : "in clear", mine ? mine : "in clear",
			  a->ids_from ? a->ids_from : "the key given");
}

/* A record's enterprise id as the cube keeps it: its keyed hash when a key
 * is set (a->id_hex), else as read. */
static const char *enterprise_id(dts_agg *a, const char *e)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	if (!a->id_key_len || !*e)
		return e;
	hmac(d, a, e, strlen(e));
	hex(a->id_hex, d, 16);
	return a->id_hex;
}

/* "period:year,flow" */
static void join_dims(char *buf, size_t n, const dts_cube *c)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < dts_cube_ndims(c) && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? "," : "",
				      dts_cube_dim(c, i));
}

/* The classifier `cls` of input `name` against the one the aggregation
 * has: the first one given is taken, a different one is refused. */
static int check_classifier(dts_agg *a, const char *cls, const char *name)
{
	const char *mine = dts_cube_classifier(a->cube);
	char *from;
	int rc;

	if (a->cls_known) {
		if (streq(mine, cls))
			return 0;
		return dts__error(DTS_EINPUT, NULL, 0, 0, "classifier %s differs "
				  "from %s of %s: figures of two classifiers do "
				  "not add up", cls ? cls : "unknown (a format 2 "
				  "partial?)", mine ? mine : "unknown",
				  a->cls_from ? a->cls_from : "the input before");
	}
	if (!(from = strdup(name ? name : "the input")))
		return nomem();
	if ((rc = dts_cube_set_classifier(a->cube, cls)) < 0) {
		free(from);
		return rc;
	}
	a->cls_known = 1;
	a->cls_from = from;
	return 0;
}

/* Status of a merge nobody set: the least final of the two (a total with
 * a provisional part is provisional). */
static int merged_status(int x, int y)
{
	if (x == DTS_STATUS_PROVISIONAL || y == DTS_STATUS_PROVISIONAL)
		return DTS_STATUS_PROVISIONAL;
	return x == DTS_STATUS_REVISED || y == DTS_STATUS_REVISED ?
	       DTS_STATUS_REVISED : DTS_STATUS_FINAL;
}

static int merge_vintage(dts_agg *a, const dts_cube *part, int first)
{
	const char *pv = dts_cube_vintage(part), *mv = dts_cube_vintage(a->cube);
	int rc = 0;

	if (!a->status_set)
		dts_cube_set_status(a->cube, first ? dts_cube_status(part) :
				    merged_status(dts_cube_status(a->cube),
						  dts_cube_status(part)));
	/* ISO dates compare as strings: the latest cut-off. */
	if (!a->vintage_set && pv && (first || !mv || strcmp(pv, mv) > 0))
		rc = dts_cube_set_vintage(a->cube, pv);
	for (size_t i = 0; rc == 0 && i < dts_cube_ninputs(part); i++) {
		const char *n, *d;

		dts_cube_input(&n, &d, part, i);
		a->unsized |= *d != '\0';
		rc = dts_cube_add_input(a->cube, n, d);
	}
	return rc;
}

/* An input with a known digest that the aggregation counted already:
 * merging it again would count its records twice. */
static int counted(const dts_agg *a, const char *name, const char *digest)
{
	for (size_t i = 0; *digest && i < dts_cube_ninputs(a->cube); i++) {
		const char *n, *d;

		dts_cube_input(&n, &d, a->cube, i);
		if (!strcmp(d, digest))
			return dts__error(DTS_EINPUT, NULL, 0, 0, "input %s (%s) is "
					  "counted already (as %s): adding it again "
					  "would count its records twice", name,
					  digest, n);
	}
	return 0;
}

static int check_inputs(const dts_agg *a, const dts_cube *part)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < dts_cube_ninputs(part); i++) {
		const char *n, *d;

		dts_cube_input(&n, &d, part, i);
		rc = counted(a, n, d);
	}
	return rc;
}

int dts_agg_set_contributions(dts_agg *a, int on)
{
	int rc;

	if (a->records || a->rejects || a->partials)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "contributions are set "
				  "before any input is added");
	if ((rc = dts_cube_set_contributions(a->cube, on)) < 0)
		return rc;
	a->con_set = 1;
	return 0;
}

/* Contributions of partial `part` (from `name`) against the aggregation's:
 * the caller, or else the first partial, decides; a shard without them
 * would leave every cell's dominance rule a part of its enterprises. */
static int check_contributions(dts_agg *a, const dts_cube *part,
			       const char *name, int first)
{
	int mine = dts_cube_contributions(a->cube), theirs = dts_cube_contributions(part);
	const char *other = a->con_from ? a->con_from : a->con_set ?
			    "the aggregation (contributions set)" : "the records added";

	if (first && !a->con_set) {
		free(a->con_from);
		if (!(a->con_from = strdup(name ? name : "the first partial")))
			return nomem();
		return dts_cube_set_contributions(a->cube, theirs);
	}
	if (mine == theirs)
		return 0;
	return dts__error(DTS_EINPUT, name, 0, 0, "%s%s per-enterprise contributions "
			  "and %s %s: merged, the dominance rules would see only part "
			  "of each cell (make every partial with --contributions, or "
			  "none)", name ? "" : "the partial ", theirs ? "keeps" : "has no",
			  other, mine ? "keeps them" : "has none");
}

/* Merge partial `part` read from `name` (may be NULL). */
static int merge_named(dts_agg *a, const dts_cube *part, const char *name)
{
	char mine[512], theirs[512], msg[sizeof(dts_error_last()->message)];
	int first = a->partials == 0 && a->records == 0 && a->rejects == 0;
	const char *other = a->cls_from ? a->cls_from : "the aggregation";
	int rc;

	join_dims(mine, sizeof(mine), a->cube);
	join_dims(theirs, sizeof(theirs), part);
	if (strcmp(mine, theirs))
		return dts__error(DTS_EINPUT, NULL, 0, 0, "dimensions %s differ "
				  "from %s of %s", theirs, mine, other);
	if (strcmp(dts_cube_currency(part), dts_cube_currency(a->cube)))
		return dts__error(DTS_EINPUT, NULL, 0, 0, "currency %s differs "
				  "from %s of %s", dts_cube_currency(part),
				  dts_cube_currency(a->cube), other);
	if ((rc = check_classifier(a, dts_cube_classifier(part), name)) < 0 ||
	    (rc = check_ids(a, dts_cube_ids(part), name)) < 0 ||
	    (rc = check_contributions(a, part, name, first)) < 0 ||
	    (rc = check_inputs(a, part)) < 0)
		return rc;
	if ((rc = dts_cube_merge(a->cube, part)) == DTS_EINVAL) {
		/* The partial's dimensions or currency: the data's, not the
		 * caller's. */
		snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
		return dts__error(DTS_EINPUT, NULL, 0, 0, "%s", msg);
	}
	if (rc < 0 || (rc = merge_vintage(a, part, first)) < 0)
		return rc;
	a->partials++;
	return 0;
}

int dts_agg_merge(dts_agg *a, const dts_cube *part)
{
	return merge_named(a, part, NULL);
}

int dts_agg_merge_file(dts_agg *a, const char *path)
{
	dts_cube *part;
	int rc;

	if ((rc = dts_cube_load_partial(&part, path)) < 0)
		return rc;
	rc = merge_named(a, part, path && strcmp(path, "-") ? path :
			 "standard input");
	dts_cube_free(part);
	return rc;
}

/* ---- input digests ------------------------------------------------------------ */

/* The SHA-256 of one input, maybe on its own thread (digest_begin). */
typedef struct digest_job {
	const char *path;
	FILE *f;              /* the regular file, open; NULL: no digest */
	uint64_t size;
	pthread_t th;
	int started;          /* th runs digest_main */
	int failed;           /* a read error */
	char out[72];         /* "sha256:<hex>", "" for none */
} digest_job;

/* Open the file at path for its digest: a regular file only, not standard
 * input or a pipe (reading it twice would consume it). */
static int digest_open(digest_job *j, const char *path)
{
	struct stat st;

	memset(j, 0, sizeof(*j));
	j->path = path;
	if (!strcmp(path, "-") || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (!(j->f = fopen(path, "rb")))
		return dts__error(DTS_EIO, path, 0, 0, "cannot read: %s",
				  strerror(errno));
	j->size = (uint64_t)st.st_size;
	return 0;
}

/* "sha256:<hex>" of the open file into j->out, closing it; j->failed on a
 * read error. SHA-256 is nettle's (Debian's nettle-dev, the small library
 * GnuTLS is built on): a cryptographic digest, so a changed input cannot
 * keep its digest, which the project's FNV-1a cannot promise. Runs on the
 * digest's thread: no dts__error here. */
static void digest_read(digest_job *j)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char buf[65536];
	size_t n;

	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), j->f)) > 0)
		sha256_update(&ctx, n, (const uint8_t *)buf);
	j->failed = ferror(j->f) != 0;
	fclose(j->f);
	j->f = NULL;
	if (j->failed)
		return;
	sha256_digest(&ctx, sizeof(d), d);
	memcpy(j->out, "sha256:", 7);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(j->out + 7 + 2 * i, 3, "%02x", d[i]);
}

static void *digest_main(void *arg)
{
	digest_read(arg);
	return NULL;
}

/* Whether no input with a digest counted already can have the digest of
 * a file of `size` bytes: equal digests are equal bytes, so equal sizes
 * (those of a merged partial's inputs are unknown). */
static int cannot_be_counted(const dts_agg *a, uint64_t size)
{
	if (a->unsized)
		return 0;
	for (size_t i = 0; i < a->nsizes; i++)
		if (a->sizes[i] == size)
			return 0;
	return 1;
}

/* The digest's read error, or the refusal of an input counted already. */
static int digest_check(const dts_agg *a, const digest_job *j)
{
	if (j->failed)
		return dts__error(DTS_EIO, j->path, 0, 0, "read error");
	return counted(a, j->path, j->out);
}

/* The digest of the input at path, checked (counted()) before its records
 * are read, as one thread does; on threads > 1 when the check cannot
 * refuse it (cannot_be_counted), it is computed on its own thread while
 * the records are aggregated, then checked before the shards are merged
 * (digest_end): the file is read twice anyway, and hashing it first was
 * a tenth of a -j 2 run, all on one thread. */
static int digest_begin(dts_agg *a, digest_job *j, const char *path)
{
	int rc;

	if ((rc = digest_open(j, path)) < 0 || !j->f)
		return rc;
	if (a->threads > 1 && cannot_be_counted(a, j->size) &&
	    dts__thread_start(&j->th, digest_main, j) == 0) {
		j->started = 1;
		return 0;
	}
	digest_read(j);
	return digest_check(a, j);
}

/* The digest begun on its own thread, joined and checked; 0 otherwise
 * (checked by digest_begin). */
static int digest_end(const dts_agg *a, digest_job *j)
{
	if (!j->started)
		return 0;
	pthread_join(j->th, NULL);
	j->started = 0;
	return digest_check(a, j);
}

/* The input, listed in the cube with its digest (and its size kept). */
static int input_add(dts_agg *a, const digest_job *j)
{
	uint64_t *s;
	int rc;

	if ((rc = dts_cube_add_input(a->cube, j->path, j->out)) < 0 || !j->out[0])
		return rc;
	if (!(s = realloc(a->sizes, (a->nsizes + 1) * sizeof(*s))))
		return nomem();
	a->sizes = s;
	a->sizes[a->nsizes++] = j->size;
	return 0;
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

static int zone_push(zmap *m, size_t *cap, const char *code, const char *z)
{
	zone *slot;

	if (m->n == *cap) {   /* doubling, not one realloc per row */
		size_t ncap = *cap ? *cap * 2 : 64;
		zone *n = realloc(m->v, ncap * sizeof(*n));

		if (!n)
			return nomem();
		m->v = n;
		*cap = ncap;
	}
	slot = &m->v[m->n];
	slot->row = m->n;
	slot->code = strdup(code);
	slot->zone = strdup(z);
	m->n++;   /* counted, so free_zones frees what was copied */
	return slot->code && slot->zone ? 0 : nomem();
}

/* Read columns `kc` (the code) and `vc` (its name) of the CSV at path
 * into m, replacing what it held. */
static int zmap_load(zmap *m, const char *path, const char *kc, const char *vc,
		     const char *what)
{
	const char *const *hdr;
	dts_csv_row row;
	dts_csv *r;
	size_t n, cap = 0;
	int code, z, rc;

	if ((rc = dts_csv_open_file(&r, path, NULL)) < 0)
		return rc;
	free_zones(m);
	n = dts_csv_header(r, &hdr);
	code = col_index(hdr, n, kc);
	z = col_index(hdr, n, vc);
	if (code < 0 || z < 0) {
		dts_csv_free(r);
		return dts__error(DTS_EINPUT, path, 1, 0,
				  "the %s file needs columns %s and %s", what, kc, vc);
	}
	while ((rc = dts_csv_next(&row, r)) > 0)
		if ((rc = zone_push(m, &cap, row.fields[code], row.fields[z])) < 0)
			break;
	dts_csv_free(r);
	if (rc < 0) {
		free_zones(m);
		return rc;
	}
	/* Sorted for bsearch: a linear search cost records x zones. Stable on
	 * the row number, so the first row of a duplicated code wins. */
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), zone_cmp);
	return 0;
}

int dts_agg_load_zones(dts_agg *a, const char *path)
{
	return zmap_load(&a->zones, path, "code", "zone", "zone");
}

int dts_agg_load_areas(dts_agg *a, const char *path)
{
	return zmap_load(&a->areas, path, "enterprise_id", "area", "area");
}

/* The first row of `code` in the sorted map, or NULL. */
static const char *zmap_find(const zmap *m, const char *code)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {   /* lower bound: the first row among equal codes */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->v[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && !strcmp(m->v[lo].code, code) ? m->v[lo].zone : NULL;
}

/* The zone of a region code, or "OTHER". */
static const char *zone_of(const dts_agg *a, const char *code)
{
	const char *z = zmap_find(&a->zones, code);

	return z ? z : "OTHER";
}

/* ---- one row --------------------------------------------------------------- */

/* What a row did besides being counted or rejected (count_row). */
enum { W_CLASSIFIED = 1u,   /* classified by the rules */
       W_HAS_ID = 2u };     /* reached the cube with an enterprise id */

typedef struct rowctx {
	const dts_source_row *row;
	const char *category, *base;
	const char *review;     /* the review reason, or "confident" */
	dts_period period;      /* for the rates: a span's year when it is
				   not a dts_period (a half year) */
	dts_period_span span;   /* what the record covers: its cell */
	int have_period;
	dts__checked chk;       /* what the record checks parsed */
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
	if (dts__field_normalised(f, row->cols[c], row->lens[c])) {
		memcpy(b->p, row->cols[c], row->lens[c]);
		b->p[row->lens[c]] = '\0';
		b->len = row->lens[c];
		return b->p;
	}
	dts_field_normalize(b->p, b->cap, &len, f, row->cols[c], row->lens[c]);
	b->len = len;
	return b->p;
}

/* The period the checks parsed (x->chk.span, from the field as read),
 * when the normalised field is the same bytes: then it is what
 * dts_period_parse and dts_period_parse_span of that field give, and
 * nothing is parsed again. 0: take the general path. */
static int period_as_checked(const bound *s, rowctx *x)
{
	int c = s->col[DTS_F_PERIOD];

	if (x->chk.period_iso) {   /* digits and '-': nothing to normalise */
		x->span = x->chk.span;
		x->period = x->chk.period;
		x->have_period = 1;
		return 1;
	}
	if (c < 0 || (size_t)c >= x->row->ncols ||
	    !dts__field_normalised(DTS_F_PERIOD, x->row->cols[c],
				   x->row->lens[c]))
		return 0;
	x->span = x->chk.span;
	if (dts_period_from_span(&x->period, &x->span) < 0) {
		/* a half year or another span of months (need_period) */
		memset(&x->period, 0, sizeof(x->period));
		x->period.year = x->span.year;
		x->period.level = DTS_PERIOD_YEAR;
	}
	x->have_period = 1;
	return 1;
}

static int need_period(dts_agg *a, const bound *s, rowctx *x)
{
	const char *p;

	if (x->have_period)
		return 0;
	if (x->chk.have_period && period_as_checked(s, x))
		return 0;
	if (!(p = field(&a->scratch, s, x->row, DTS_F_PERIOD)))
		return nomem();
	if (dts_period_parse(&x->period, p, a->scratch.len) == 0) {
		const dts_period *q = &x->period;

		x->span.year = q->year;
		x->span.day = q->day;
		x->span.first_month = q->month ? q->month :
				      q->quarter ? 3 * q->quarter - 2 : 1;
		x->span.last_month = q->month ? q->month :
				     q->quarter ? 3 * q->quarter : 12;
	} else {
		/* A half year or another span of months: its cell is
		 * the not-allocated one of a finer dimension, its rate
		 * the year's (docs/statistics.md). */
		if (dts_period_parse_span(&x->span, p, a->scratch.len) < 0)
			return why_last(a);
		memset(&x->period, 0, sizeof(x->period));
		x->period.year = x->span.year;
		x->period.level = DTS_PERIOD_YEAR;
	}
	x->have_period = 1;
	return 0;
}

/* K_DISTRICT: the canonical Hangzhou region of the record (dts_code_region:
 * a district code, 3301 for Hangzhou with the district unknown, OUTSIDE),
 * 3301 for a record with no region (it is in the city's data), UNKNOWN
 * for a region that cannot be placed; then ".AREA" when the record's
 * enterprise is in the area list and the record is in a district (the
 * airport economy zone inside 萧山区: 330109.AIRPORT). Into b. */
static int district_key(dts_agg *a, const bound *s, rowctx *x, dts__buf *b,
			const char *region)
{
	const char *canon = "3301", *e, *area = NULL;
	dts_region_kind kind = DTS_REGION_HANGZHOU;
	size_t i = (size_t)(b - a->key);

	if (!strcmp(region, "OUTSIDE")) {   /* the canonical form itself */
		canon = "OUTSIDE";
		kind = DTS_REGION_OUTSIDE;
	} else if (*region && dts_code_region(&canon, &kind, region, b->len) < 0) {
		canon = "UNKNOWN";
		kind = DTS_REGION_OUTSIDE;
	}
	if (kind == DTS_REGION_DISTRICT && a->areas.n) {
		/* scratch holds nothing a key points to (do_row) */
		if (!(e = field(&a->scratch, s, x->row, DTS_F_ENTERPRISE_ID)))
			return nomem();
		area = *e ? zmap_find(&a->areas, e) : NULL;
	}
	b->len = 0;
	dts__buf_str(b, canon);
	if (area && *area) {
		dts__buf_str(b, ".");
		dts__buf_str(b, area);
	}
	if (b->oom)
		return nomem();
	x->keys[i] = b->p;
	return 0;
}

/* The packed span and grain + 1 (a pkey_memo tag), or 0 for a span out
 * of the ranges packed (never kept: dts_period_cell_key refuses it). A
 * valid day is packed as its month: its cell is the month's in every
 * grain (dts/period.h; test_period.c, day_cell_is_its_month), and that
 * is what lets most records of daily dates share an entry. */
static uint32_t pkey_tag(const dts_period_span *q, int grain)
{
	if (q->year < 0 || q->year > 9999 || q->first_month < 1 || q->first_month > 12 ||
	    q->last_month < q->first_month || q->last_month > 12 || q->day < 0 ||
	    q->day > 28 || (q->day && q->first_month != q->last_month) ||
	    grain < 0 || grain > 7)
		return 0;   /* day 29..31: valid or not by month and year */
	return 1 + ((((uint32_t)q->year * 13u + (uint32_t)q->first_month) * 13u +
		     (uint32_t)q->last_month) * 8u + (uint32_t)grain);
}

/* dts_period_cell_key of the record's span into b, through a->pkeys. */
static int period_key(dts_agg *a, dts__buf *b, const dts_period_span *sp, int grain)
{
	uint32_t tag = pkey_tag(sp, grain);
	pkey_memo *m = &a->pkeys[((tag * 0x9e3779b1u) >> 16) % PKEY_MEMO];
	size_t n;

	b->len = 0;
	if (dts__buf_grow(b, sizeof(m->key)) < 0)
		return nomem();
	if (tag && m->tag == tag) {
		memcpy(b->p, m->key, sizeof(m->key));
		return 0;
	}
	if (dts_period_cell_key(b->p, b->cap, sp, (dts_period_grain)grain) < 0)
		return why_last(a);
	if (tag && (n = strlen(b->p)) < sizeof(m->key)) {
		m->tag = tag;
		memcpy(m->key, b->p, n + 1);
	}
	return 0;
}

static int make_key(dts_agg *a, const bound *s, rowctx *x, size_t i)
{
	const dim *d = &a->dims[i];
	dts__buf *b = &a->key[i];
	const char *k;
	int f = d->kind == K_FLOW ? DTS_F_FLOW :
		d->kind == K_COUNTERPART ? DTS_F_COUNTERPART :
		d->kind == K_SOURCE ? DTS_F_SOURCE : DTS_F_REGION;
	int rc;

	switch (d->kind) {
	case K_PERIOD:
		if ((rc = need_period(a, s, x)) < 0)
			return rc;
		if ((rc = period_key(a, b, &x->span, d->level)) < 0)
			return rc;
		x->keys[i] = b->p;
		return 0;
	case K_CATEGORY:
		x->keys[i] = x->category;
		return 0;
	case K_BASE:
		x->keys[i] = x->base;
		return 0;
	case K_REVIEW:
		x->keys[i] = x->review;
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
	if (d->kind == K_SOURCE && !*k)
		k = "unknown";   /* a record that does not say its source */
	if (d->kind == K_DISTRICT)
		return district_key(a, s, x, b, k);
	x->keys[i] = d->kind == K_ZONE ? zone_of(a, k) : k;
	return 0;
}


/* The review reason of the record the scanner just classified, as
 * dts-classify's dts_review column says it ("confident" for none): only
 * when a dimension shows it, as the evidence is a copy. */
static const char *review_of(const dts_agg *a)
{
	dts_evidence ev = {.version = DTS_EVIDENCE_VERSION};

	if (!a->want_review || dts_scanner_evidence(&ev, a->scanner) < 0 || !ev.review)
		return "confident";
	return ev.review;
}

/* Checks then classification (dts_source_classify, the shared policy),
 * or for a classified input the checks and its dts_category. */
static int classify(dts_agg *a, const bound *s, rowctx *x, unsigned *flags)
{
	const dts_source_row *row = x->row;
	dts_value vals[DTS_F_COUNT];
	dts_result res;
	size_t n;
	int rc;

	n = dts_binding_values(vals, s->binding, row->cols, row->lens, row->ncols);
	if (s->cat_col < 0) {
		/* dts_source_classify's policy, keeping what the checks parsed */
		rc = dts__classify_values(&res, &x->chk, a->scanner, vals, n);
		if (rc == DTS_EINPUT)
			return why_last(a);
		if (rc < 0)
			return rc;
		*flags |= W_CLASSIFIED;
		x->category = res.category;
		x->base = res.base == DTS_BASE_UNKNOWN ? "unknown" :
			  dts_base_name(res.base);
		x->review = review_of(a);
		return 0;
	}
	if (dts__record_check_keep(vals, n, &x->chk) < 0)
		return why_last(a);
	x->category = (size_t)s->cat_col < row->ncols ? row->cols[s->cat_col] : "";
	x->base = s->base_col >= 0 && (size_t)s->base_col < row->ncols &&
		  row->cols[s->base_col][0] ? row->cols[s->base_col] : "unknown";
	/* dts-classify --review-column writes "" for a confident result */
	x->review = s->review_col >= 0 && (size_t)s->review_col < row->ncols &&
		    row->cols[s->review_col][0] ? row->cols[s->review_col] : "confident";
	if (!x->category[0])
		return why(a, "%s", "empty dts_category");
	return 0;
}

/* dts_rates_lookup through the memo: the same rate for the same currency
 * and period fields that the lookup reads (year, quarter, month, level). */
static int lookup_rate(dts_agg *a, dts_rate *rate, const dts_period *p, const char *cur)
{
	uint32_t k = ((uint32_t)p->year * 13u + (uint32_t)p->month) * 5u + (uint32_t)p->quarter;
	uint32_t c = (uint32_t)(unsigned char)cur[0] << 16 | (uint32_t)(unsigned char)cur[1] << 8 |
		     (unsigned char)cur[2];
	size_t h = (size_t)(((k * 8u + (uint32_t)p->level) ^ c * 0x9e3779b1u) * 0x85ebca6bu >> 23) %
		   RATE_MEMO;
	rate_memo *m = &a->memo[h];

	if (m->used && m->year == p->year && m->month == p->month &&
	    m->quarter == p->quarter && m->level == p->level && !memcmp(m->cur, cur, 4)) {
		*rate = m->rate;
		return 0;
	}
	if (dts_rates_lookup(rate, a->rates, p, cur) < 0)
		return why_last(a);
	m->used = 1;
	memcpy(m->cur, cur, 4);
	m->year = p->year;
	m->quarter = p->quarter;
	m->month = p->month;
	m->level = p->level;
	m->rate = *rate;
	return 0;
}

/* The currency the record's currency field says (dts_currency_normalize
 * of the normalised field) into cur: 1; 0 when the field is absent or
 * blank; < 0 when it is no currency (the reason in a->why) or memory
 * ran out. Both steps are functions of the bytes as bound, so a->curs
 * keeps what short fields gave; a failure is never kept. */
static int row_currency(dts_agg *a, const bound *s, const dts_source_row *row,
			char cur[4])
{
	int c = s->col[DTS_F_CURRENCY], found = 0;
	const char *raw, *f;
	size_t len;
	cur_memo *m = NULL;

	if (c < 0 || (size_t)c >= row->ncols || !row->lens[c])
		return 0;
	raw = row->cols[c];
	len = row->lens[c];
	if (len <= CUR_RAW) {
		m = &a->curs[(len * 7u + (unsigned char)raw[0] * 3u +
			      (unsigned char)raw[len - 1]) % CUR_MEMO];
		if (m->len == len + 1 && !memcmp(m->raw, raw, len)) {
			memcpy(cur, m->cur, 4);
			return m->found;
		}
	}
	if (!(f = field(&a->scratch, s, row, DTS_F_CURRENCY)))
		return nomem();
	if (f[0] && dts_currency_normalize(cur, f, a->scratch.len) < 0)
		return why_last(a);
	found = f[0] != '\0';
	if (m) {
		m->len = (unsigned char)(len + 1);
		memcpy(m->raw, raw, len);
		m->found = found;
		memcpy(m->cur, found ? cur : "", found ? 4 : 1);
	}
	return found;
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
	/* "$89.98", "RMB 1,000": what dts_record_check accepts (money.h),
	 * parsed there from the same bytes */
	if (x->chk.have_value) {
		*value = x->chk.value;
		memcpy(stated, x->chk.stated, sizeof(stated));
	} else if (dts_money_parse_currency(value, stated, row->cols[c],
					    row->lens[c]) < 0) {
		return why(a, "value: %s", dts_error_last()->message);
	}
	*rate = DTS_RATE_ONE;
	if (!stated[0]) {   /* most values: the currency field says it */
		if ((rc = row_currency(a, s, row, cur)) <= 0)
			return rc;   /* 0: no currency, the reporting one */
	} else {
		if (!(f = field(&a->scratch, s, row, DTS_F_CURRENCY)))
			return nomem();
		if (f[0] && dts_currency_normalize(cur, f, a->scratch.len) < 0)
			return why_last(a);
		if (dts_money_currency_resolve(cur, stated, f, a->scratch.len) < 0)
			return why_last(a);
	}
	if (!strcmp(cur, a->currency))
		return 0;
	if ((rc = need_period(a, s, x)) < 0)
		return rc;
	if (!a->rates)
		return why(a, "currency %s needs a rates file (--rates)", cur);
	return lookup_rate(a, rate, &x->period, cur);
}

static int reject(dts_agg *a, const bound *s, const dts_source_row *row,
		  const char *reason, dts_agg_reject_cb cb, void *payload)
{
	dts_agg_reject r = {s->name, row->line, reason, row->raw, row->raw_len};

	a->rejects++;
	return cb ? cb(&r, payload) : 0;
}

/*
 * One row into a's cube: 0 counted; DTS_EINPUT rejected with the reason in
 * a->why; any other negative value stops the input. *flags as above. The
 * aggregation itself (not a shard) checks the ids scheme at the first
 * enterprise id here; a shard leaves it to the delivery (W_HAS_ID).
 */
static int count_row(dts_agg *a, const bound *s, const dts_source_row *row,
		     unsigned *flags)
{
	rowctx x = {row, NULL, NULL, "confident", {0}, {0}, 0, {0}, {0}};
	const char *e;
	dts_money value;
	dts_rate rate;
	int rc;

	rc = classify(a, s, &x, flags);
	for (size_t i = 0; rc == 0 && i < a->ndims; i++)
		rc = make_key(a, s, &x, i);
	if (rc == 0)
		rc = convert(a, s, &x, &value, &rate);
	if (rc == DTS_EINPUT && a->why.oom)
		return nomem(); /* not the record's fault: never counted as a reject */
	if (rc < 0)
		return rc;
	/* The keys never point into scratch: it can hold the enterprise. */
	if (!(e = field(&a->scratch, s, row, DTS_F_ENTERPRISE_ID)))
		return nomem();
	if (*e)
		*flags |= W_HAS_ID;
	if (*e && !a->parent && !a->raw_ids_checked) {
		if ((rc = check_ids(a, dts_cube_ids(a->cube) && a->id_key_len ?
				    dts_cube_ids(a->cube) : NULL, s->name)) < 0)
			return rc;
		a->raw_ids_checked = 1;
	}
	e = enterprise_id(a, e);
	rc = dts_cube_add(a->cube, x.keys, value, rate, e);
	if (rc == DTS_EINPUT)   /* a key no output can carry: this record */
		return why(a, "%s", dts_error_last()->message);
	if (rc == DTS_EOVERFLOW) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
		return dts__error(DTS_EOVERFLOW, s->name, (unsigned)row->line, 0,
				  "%s", msg);
	}
	return rc < 0 ? rc : 0;
}

/* One row: 0 counted or rejected; < 0 stops the input. */
static int do_row(dts_agg *a, const bound *s, const dts_source_row *row,
		  dts_agg_reject_cb cb, void *payload)
{
	unsigned flags = 0;
	int rc = count_row(a, s, row, &flags);

	if (flags & W_CLASSIFIED)
		a->classified++;
	if (rc == DTS_EINPUT)
		return reject(a, s, row, a->why.p, cb, payload);
	if (rc < 0)
		return rc;
	a->records++;
	return 0;
}

/* ---- threads ------------------------------------------------------------------ */

int dts_agg_set_threads(dts_agg *a, int threads)
{
	if (threads < 1 || threads > DTS_BATCH_MAX_THREADS)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "%d threads: 1 to %d", threads,
				  DTS_BATCH_MAX_THREADS);
	if (a->batch && dts__batch_threads(a->batch) != threads) {
		dts_batch_free(a->batch);
		a->batch = NULL;
	}
	a->threads = threads;
	return 0;
}

/* A shard of `a` for one thread: its dimensions, currency, rates, zones,
 * areas, id key and contributions, an empty cube and its own scanner. */
static int shard_new(dts_agg **out, const dts_agg *a)
{
	const char *names[MAX_DIMS];
	dts_agg *sh;
	int rc;

	*out = NULL;
	if (!(sh = calloc(1, sizeof(*sh))))
		return nomem();
	sh->parent = a;
	memcpy(sh->dims, a->dims, sizeof(a->dims));
	sh->ndims = a->ndims;
	sh->want_review = a->want_review;
	memcpy(sh->currency, a->currency, sizeof(a->currency));
	sh->rates = a->rates;
	sh->zones = a->zones;
	sh->areas = a->areas;
	memcpy(sh->id_key, a->id_key, sizeof(a->id_key));
	sh->id_key_len = a->id_key_len;
	sh->rules = a->rules;
	for (size_t i = 0; i < a->ndims; i++)
		names[i] = a->dims[i].name;
	if ((rc = dts_cube_new(&sh->cube, names, a->ndims, a->currency)) < 0 ||
	    (rc = dts_cube_set_contributions(sh->cube, dts_cube_contributions(a->cube))) < 0 ||
	    (a->rules && (rc = dts_scanner_new(&sh->scanner, a->rules, DTS_SCAN_VALID_UTF8)) < 0)) {
		dts_agg_free(sh);
		return rc;
	}
	*out = sh;
	return 0;
}

typedef struct shard_ctx {
	dts_agg *sh;
	const bound *s;
} shard_ctx;

typedef struct deliver_ctx {
	dts_agg *a;
	const bound *s;
	dts_agg_reject_cb cb;
	void *payload;
} deliver_ctx;

/* In a worker thread: the row into the thread's shard. */
static int shard_row(void *ctx, const dts_source_row *row, dts__buf *why, unsigned *flags)
{
	shard_ctx *c = ctx;
	int rc = count_row(c->sh, c->s, row, flags);

	if (rc == DTS_EINPUT) {
		dts__buf_add(why, c->sh->why.p, c->sh->why.len);
		dts__buf_ch(why, '\0');
		if (why->oom)
			return nomem();
	}
	return rc;
}

/* In the caller's thread, in input order: counts, the ids check of the
 * first enterprise id (where one thread checks it), the rejects. */
static int shard_deliver(const dts_batch_item *it, unsigned flags, void *payload)
{
	deliver_ctx *d = payload;
	dts_agg *a = d->a;
	int rc;

	if (flags & W_CLASSIFIED)
		a->classified++;
	if ((flags & W_HAS_ID) && !a->raw_ids_checked) {
		if ((rc = check_ids(a, dts_cube_ids(a->cube) && a->id_key_len ?
				    dts_cube_ids(a->cube) : NULL, d->s->name)) < 0)
			return rc;
		a->raw_ids_checked = 1;
	}
	if (it->reason) {
		dts_source_row row = {0};

		row.line = it->line;
		row.raw = it->raw;
		row.raw_len = it->raw_len;
		return reject(a, d->s, &row, it->reason, d->cb, d->payload);
	}
	a->records++;
	return 0;
}

/* dts_agg_add_source() on a->threads threads: shards counted apart, then
 * merged exactly (the cube's order is canonical, not the order added). */
static int add_threaded(dts_agg *a, const bound *s, dts_source *src,
			dts_agg_reject_cb cb, void *payload)
{
	int n = a->threads, rc = 0, i;
	dts_agg **sh = calloc((size_t)n, sizeof(*sh));
	shard_ctx *ctx = calloc((size_t)n, sizeof(*ctx));
	void **ctxp = calloc((size_t)n, sizeof(*ctxp));
	deliver_ctx d = {a, s, cb, payload};
	dts__batch_work w = {shard_row, NULL, shard_deliver};

	if (!sh || !ctx || !ctxp)
		rc = nomem();
	if (rc == 0 && !a->batch)
		rc = dts__batch_new_work(&a->batch, n, 0);
	for (i = 0; rc == 0 && i < n; i++) {
		if ((rc = shard_new(&sh[i], a)) < 0)
			break;
		ctx[i].sh = sh[i];
		ctx[i].s = s;
		ctxp[i] = &ctx[i];
	}
	w.ctx = ctxp;
	if (rc == 0)
		rc = dts__batch_run_work(a->batch, src, &w, &d);
	/* The input's digest, computed meanwhile: refused, nothing is merged. */
	if (rc == 0 && a->pending)
		rc = digest_end(a, a->pending);
	/* Only a source read to its end is merged: after a stop the shards
	 * may hold rows past it. */
	for (i = 0; rc == 0 && i < n; i++)
		if ((rc = dts_cube_merge(a->cube, sh[i]->cube)) == DTS_EOVERFLOW) {
			char msg[1024];

			snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
			rc = dts__error(DTS_EOVERFLOW, s->name, 0, 0, "%s", msg);
		}
	for (i = 0; sh && i < n; i++)
		dts_agg_free(sh[i]);
	free(sh);
	free(ctx);
	free(ctxp);
	return rc;
}

/* ---- sources ------------------------------------------------------------------ */

/* Raw records of input `name` are classified by the rules: their
 * id@version is the cube's classifier, or differs from it. */
static int rules_classifier(dts_agg *a, const char *name)
{
	char cls[512];

	snprintf(cls, sizeof(cls), "%s@%s", dts_rules_id(a->rules),
		 dts_rules_version(a->rules));
	if (a->cls_known && streq(dts_cube_classifier(a->cube), cls))
		return 0;
	return check_classifier(a, cls, name);
}

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
	s->review_col = col_index(hdr, n, "dts_review");
	for (size_t i = 0; i < a->ndims; i++)
		if (a->dims[i].kind == K_REVIEW && s->cat_col >= 0 && s->review_col < 0)
			return dts__error(DTS_EINPUT, s->name, 1, 0,
					  "no column \"dts_review\" for --by review: "
					  "classify with dts-classify --review-column, "
					  "or give the raw records");
	for (size_t i = 0; i < a->ndims; i++) {
		if (a->dims[i].kind != K_COLUMN)
			continue;
		s->dim_col[i] = col_index(hdr, n, a->dims[i].name);
		if (s->dim_col[i] < 0)
			return dts__error(DTS_EINPUT, s->name, 1, 0,
					  "no column \"%s\" (named in --by)",
					  a->dims[i].name);
	}
	if (s->cat_col >= 0)
		return 0;   /* classified elsewhere: the classifier is unknown */
	if (a->scanner)
		return rules_classifier(a, s->name);
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
	return rules_classifier(a, s->name);
}

int dts_agg_add_source(dts_agg *a, dts_source *src, dts_agg_reject_cb cb,
		       void *payload)
{
	dts_source_row row;
	bound s;
	int rc;

	if ((rc = bind(a, &s, src)) != 0)
		return rc;
	if (a->threads > 1)
		return add_threaded(a, &s, src, cb, payload);
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

/* The records of src, read from the file of digest j (digest_begin),
 * then the input listed: once its records are in. */
static int add_digested(dts_agg *a, digest_job *j, dts_source *src,
			dts_agg_reject_cb cb, void *payload)
{
	int rc, drc;

	a->pending = j->started ? j : NULL;
	rc = dts_agg_add_source(a, src, cb, payload);
	a->pending = NULL;
	drc = digest_end(a, j);   /* joined whatever happened */
	if (rc < 0)
		return rc;
	return drc < 0 ? drc : input_add(a, j);
}

int dts_agg_add_file(dts_agg *a, const char *path,
		     const dts_source_options *opts, dts_agg_reject_cb cb,
		     void *payload)
{
	dts_format fmt = DTS_FORMAT_UNKNOWN;
	dts_source *src;
	digest_job j;
	int rc;

	if (!path)
		path = "-";
	if ((rc = dts_source_sniff_file(&fmt, path)) < 0)
		return rc;
	if (fmt == DTS_FORMAT_PARTIAL)
		return dts_agg_merge_file(a, path);
	if ((rc = digest_begin(a, &j, path)) < 0)
		return rc;
	if ((rc = dts_source_open(&src, path, opts)) < 0) {
		(void)digest_end(a, &j);
		return rc;
	}
	rc = add_digested(a, &j, src, cb, payload);
	dts_source_free(src);
	return rc;
}

int dts_agg_add_records(dts_agg *a, const char *path, dts_source *src,
			dts_agg_reject_cb cb, void *payload)
{
	digest_job j;
	int rc;

	if (!path)
		path = "-";
	if ((rc = digest_begin(a, &j, path)) < 0)
		return rc;
	return add_digested(a, &j, src, cb, payload);
}

int dts_agg_add_input(dts_agg *a, const char *path)
{
	digest_job j;
	int rc;

	if (!path)
		path = "-";
	if ((rc = digest_open(&j, path)) < 0)
		return rc;
	if (j.f && (digest_read(&j), (rc = digest_check(a, &j)) < 0))
		return rc;
	return input_add(a, &j);
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

/* The exact amount in units of 10^unit_exp, no trailing zeros: its exact
 * form in base units (14 decimals) with the point moved unit_exp places
 * left, so nothing is rounded (an amount is exact at 10^-14 base units,
 * which in 亿元 needs 22 decimals: more than dts_amount_format gives). */
static int exact(char *buf, size_t size, const dts_amount *a, int unit_exp)
{
	char base[64], dig[96];
	size_t n, lead, o = 0, neg, point;
	int len = dts_amount_format(base, sizeof(base), a, 0, DTS_AMOUNT_DECIMALS);

	if (len < 0)
		return len;
	neg = base[0] == '-';
	/* the digits without sign and point, and where the point was */
	n = 0;
	for (const char *p = base + neg; *p; p++)
		if (*p != '.')
			dig[n++] = *p;
	dig[n] = '\0';
	point = n - DTS_AMOUNT_DECIMALS;   /* integer digits */
	lead = point > (size_t)unit_exp ? point - (size_t)unit_exp : 0;
	if (size < n + (size_t)unit_exp + 4)
		return DTS_EINVAL;
	if (neg)
		buf[o++] = '-';
	if (lead == 0) {
		buf[o++] = '0';
		buf[o++] = '.';
		for (size_t z = point; z < (size_t)unit_exp; z++)
			buf[o++] = '0';
		memcpy(buf + o, dig, n);
		o += n;
	} else {
		memcpy(buf + o, dig, lead);
		o += lead;
		buf[o++] = '.';
		memcpy(buf + o, dig + lead, n - lead);
		o += n - lead;
	}
	while (buf[o - 1] == '0')
		o--;
	if (buf[o - 1] == '.')
		o--;
	buf[o] = '\0';
	if (!strcmp(buf, "-0")) {
		buf[0] = '0';
		buf[1] = '\0';
		o = 1;
	}
	return (int)o;
}

/* Names and codes of the dimensions libdts knows, for the SDMX structure
 * message; the period dimension is the SDMX time. */
static int describe(dts_table *t, const dts_cube *cube)
{
	static const struct { const char *name, *zh, *en; } known[] = {
		{"period", "月份", "Month"}, {"period:month", "月份", "Month"},
		{"period:quarter", "季度", "Quarter"},
		{"period:half", "半年", "Half year"},
		{"period:year", "年份", "Year"},
		{"flow", "进出口", "Trade flow"},
		{"category", "数字贸易类别", "Digital trade category"},
		{"category:top", "数字贸易类别", "Digital trade category"},
		{"category:leaf", "数字贸易细类", "Digital trade sub-category"},
		{"base", "统计口径（货物/服务）", "Base (goods or services)"},
		{"review", "复核原因", "Review reason (confident: none)"},
		{"region", "地区", "Region"}, {"region:zone", "功能区", "Zone"},
		{"region:district", "区县（功能区）", "District (zone)"},
		{"counterpart", "贸易伙伴国家（地区）", "Counterpart country"},
		{"source", "数据来源", "Data source"}};
	size_t nd = dts_cube_ndims(cube);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < nd; i++) {
		const char *d = dts_cube_dim(cube, i);

		for (size_t k = 0; k < sizeof(known) / sizeof(*known); k++)
			if (!strcmp(d, known[k].name))
				rc = dts_table_set_concept(t, i, known[k].zh,
							   known[k].en);
		if (rc == 0 && !strncmp(d, "period", 6) && (rc = dts_table_set_time(t, (int)i)) == 0)
			continue;
		if (rc == 0 && !strcmp(d, "flow") &&
		    ((rc = dts_table_add_code(t, i, "X", "出口", "Exports")) < 0 ||
		     (rc = dts_table_add_code(t, i, "M", "进口", "Imports")) < 0))
			break;
		if (rc == 0 && !strcmp(d, "base") &&
		    ((rc = dts_table_add_code(t, i, "goods", "货物贸易", "Goods")) < 0 ||
		     (rc = dts_table_add_code(t, i, "services", "服务贸易",
					      "Services")) < 0))
			break;
		if (rc == 0 && !strncmp(d, "category", 8))
			for (size_t k = 0; rc == 0 && dts_category_fixed(k); k++) {
				const char *code = dts_category_fixed(k);

				/* the annex's 数字服务贸易 is DD; SERV is narrower */
				rc = !strcmp(code, "SERV") ?
				     dts_table_add_code(t, i, code, "数字服务贸易（窄口径；"
							"附件的数字服务贸易指DD）",
							"Digital services trade (narrow "
							"category; the annex's 数字服务"
							"贸易 is DD)") :
				     !strcmp(code, "DD") ?
				     dts_table_add_code(t, i, code, "数字交付贸易（即附件"
							"“数字服务贸易”口径）",
							"Digitally delivered trade (the "
							"annex's 数字服务贸易 scope)") :
				     dts_table_add_code(t, i, code,
							dts_category_name_zh(code),
							dts_category_name_en(code));
			}
	}
	if (rc == 0)
		rc = dts_table_set_concept(t, nd, "金额", "Value");
	if (rc == 0)
		rc = dts_table_set_concept(t, nd + 1, "记录数", "Records");
	if (rc == 0)
		rc = dts_table_set_concept(t, nd + 2, "企业数（去重）",
					   "Distinct enterprises");
	dts_table_set_status(t, dts_cube_status(cube));
	return rc;
}

static int to_row(const dts_cube_cell *cell, void *payload)
{
	conv *c = payload;
	const char *row[MAX_DIMS + 3];
	char val[64], recs[32], ents[32];

	for (size_t i = 0; i < cell->nkeys; i++)
		row[i] = cell->keys[i];
	if ((c->decimals == DTS_AGG_EXACT ?
	     exact(val, sizeof(val), &cell->value, c->unit_exp) :
	     dts_amount_format(val, sizeof(val), &cell->value, c->unit_exp,
			       c->decimals)) < 0)
		return DTS_EINVAL;
	snprintf(recs, sizeof(recs), "%llu", (unsigned long long)cell->records);
	snprintf(ents, sizeof(ents), "%llu",
		 (unsigned long long)cell->enterprises);
	row[cell->nkeys] = val;
	row[cell->nkeys + 1] = recs;
	row[cell->nkeys + 2] = ents;
	/* A leaf of the classifier: named after its top category. */
	for (size_t i = 0; i < cell->nkeys; i++) {
		const char *k = cell->keys[i], *top;
		char zh[256], en[256], tc[16];
		int ti, rc;

		if (strncmp(dts_table_col_name(c->t, i), "category", 8) ||
		    !strchr(k, '.') || (ti = dts_category_top_index(k)) < 0)
			continue;
		top = dts_category_top((size_t)ti);
		snprintf(tc, sizeof(tc), "%s", top);
		snprintf(zh, sizeof(zh), "%s：%s", dts_category_name_zh(tc), k);
		snprintf(en, sizeof(en), "%s: %s", dts_category_name_en(tc), k);
		if ((rc = dts_table_add_code(c->t, i, k, zh, en)) < 0)
			return rc;
	}
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
	if (unit_exp < 0 || unit_exp > 14 ||
	    (decimals != DTS_AGG_EXACT && (decimals < 0 || decimals > 14)))
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
	    (rc = dts_table_set_chart(t, (int)nd, NULL)) < 0 ||
	    (rc = describe(t, cube)) < 0)
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

/* ---- notes and sources ------------------------------------------------------- */

static int note(dts_table *t, const char *item, const char *text)
{
	const char *row[2] = {item, text};

	return dts_table_add_row(t, row);
}

/* The cube's inputs: one row each ("name  sha256:..."). */
static int note_inputs(dts_table *t, const dts_cube *cube)
{
	char line[1024];
	int rc = 0;

	if (!dts_cube_ninputs(cube))
		return note(t, "来源 Sources", "none recorded");
	for (size_t i = 0; rc == 0 && i < dts_cube_ninputs(cube); i++) {
		const char *n, *d;

		dts_cube_input(&n, &d, cube, i);
		snprintf(line, sizeof(line), "%s  %s", n,
			 *d ? d : "(standard input or a pipe: no digest)");
		rc = note(t, i ? "" : "来源 Sources (SHA-256)", line);
	}
	return rc;
}

int dts_agg_notes_table(dts_table **out, const dts_cube *cube, int unit_exp)
{
	static const char *const names[] = {"item", "note"};
	static const char *const st_zh[] = {"", "初步", "最终", "修订"};
	const char *cls = dts_cube_classifier(cube), *vin = dts_cube_vintage(cube);
	int st = dts_cube_status(cube);
	char buf[3][512];
	dts_table *t;
	int rc;

	*out = NULL;
	if ((rc = dts_table_new(&t, names, 2, 1)) < 0)
		return rc;
	snprintf(buf[0], sizeof(buf[0]), "%s %s (SDMX OBS_STATUS %s)",
		 dts_status_name(st), st_zh[st], dts_status_obs(st));
	snprintf(buf[1], sizeof(buf[1]), "%s; values converted exactly at the "
		 "rates given (--rates) for each record's period",
		 dts_cube_currency(cube));
	snprintf(buf[2], sizeof(buf[2]), "10^%d %s (%s; SDMX UNIT_MULT %d)",
		 unit_exp, dts_cube_currency(cube), unit_exp == 8 ? "亿" :
		 unit_exp == 4 ? "万" : unit_exp == 0 ? "元" : "-", unit_exp);
	if ((rc = dts_table_set_numeric(t, 1, 0)) < 0 ||
	    (rc = dts_table_set_title(t, "Notes and sources 说明与来源")) < 0 ||
	    (rc = dts_table_set_dataflow(t, "DTS_NOTES")) < 0 ||
	    (rc = note_inputs(t, cube)) < 0 ||
	    (rc = note(t, "分类器 Classifier", cls ? cls : "unknown (records "
		       "classified elsewhere, or a format 2 partial)")) < 0 ||
	    (rc = note(t, "状态 Status", buf[0])) < 0 ||
	    (rc = note(t, "数据截止 Vintage (data cut-off)", vin ? vin :
		       "not given (--vintage)")) < 0 ||
	    (rc = note(t, "货币 Currency", buf[1])) < 0 ||
	    (rc = note(t, "单位 Unit", buf[2])) < 0 ||
	    (rc = note(t, "定义 Definitions", "DT 数字贸易 = DO + DD; DO 数字订购"
		       "贸易 = CBEC 跨境电商; DD 数字交付贸易 = TECH 数字技术 + SERV "
		       "数字服务 + PROD 数字产品 + DATA 数据贸易; NONE 非数字贸易. "
		       "Enterprises are counted distinct, never summed")) < 0 ||
	    (rc = note(t, "舍入 Rounding", "sums are exact; each figure is "
		       "rounded once, half away from zero, to the decimals shown, "
		       "so rounded parts may differ from a rounded total in the "
		       "last digit; SDMX output carries the exact values")) < 0 ||
	    (rc = note(t, "保密 Suppression", "none applied: every cell is "
		       "shown whatever its number of enterprises (no "
		       "confidentiality rule yet); check cells with fewer than 3 "
		       "enterprises before publishing")) < 0) {
		dts_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
