/* agg.c — records into a cube (see agg.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "dts/csv.h"
#include "input.h"
#include "tool.h"

const char *agg_data_file(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/indicators/%s", DTS_DATADIR, name);
	if (access(buf, R_OK) == 0)
		return buf;
	snprintf(buf, sizeof(buf), "%s/indicators/%s", DTS_SRCDIR, name);
	return buf;
}

static int parse_dim(agg_dim *d, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : NULL;
	int lvl;

	memset(d, 0, sizeof(*d));
	if (n == 6 && !strncmp(spec, "period", 6)) {
		d->kind = AGG_PERIOD;
		lvl = dts_period_level_parse(arg ? arg : "month");
		if (lvl < 0 || lvl == DTS_PERIOD_DAY)
			return -1;
		d->level = lvl;
	} else if (n == 8 && !strncmp(spec, "category", 8)) {
		d->kind = AGG_CATEGORY;
		if (arg && strcmp(arg, "top") && strcmp(arg, "leaf"))
			return -1;
		d->level = !arg || !strcmp(arg, "leaf");
	} else if (n == 6 && !strncmp(spec, "region", 6)) {
		if (arg && strcmp(arg, "zone"))
			return -1;
		d->kind = arg ? AGG_ZONE : AGG_REGION;
	} else if (!arg && !strcmp(spec, "flow")) {
		d->kind = AGG_FLOW;
	} else if (!arg && !strcmp(spec, "base")) {
		d->kind = AGG_BASE;
	} else if (!arg && !strcmp(spec, "counterpart")) {
		d->kind = AGG_COUNTERPART;
	} else if (!arg && *spec) {
		d->kind = AGG_COLUMN;
		d->column = spec;
	} else {
		return -1;
	}
	return 0;
}

int agg_init(agg *a, const char *by, const char *currency)
{
	char *copy = strdup(by), *save = NULL, *tok;
	const char *names[16];
	static char store[16][128];
	int rc = -1;

	memset(a, 0, sizeof(*a));
	a->max_reject_msgs = 20;
	if (!copy || dts_currency_normalize(a->currency, currency,
					    strlen(currency)) < 0) {
		tool_warn("unknown reporting currency \"%s\"", currency);
		goto done;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (a->ndims == 16 || strlen(tok) >= sizeof(store[0])) {
			tool_warn("too many or too long dimensions in --by");
			goto done;
		}
		snprintf(store[a->ndims], sizeof(store[0]), "%s", tok);
		if (parse_dim(&a->dims[a->ndims], store[a->ndims]) < 0) {
			tool_warn("unknown dimension \"%s\" (known: period:"
				  "month|quarter|year, flow, category:top|leaf, "
				  "base, region, region:zone, counterpart, or a "
				  "column name)", tok);
			goto done;
		}
		names[a->ndims] = store[a->ndims];
		a->ndims++;
	}
	if (a->ndims == 0) {
		tool_warn("--by needs at least one dimension");
		goto done;
	}
	if (dts_cube_new(&a->cube, names, a->ndims, a->currency) < 0) {
		tool_lib_error("--by");
		goto done;
	}
	rc = 0;
done:
	free(copy);
	return rc;
}

void agg_free(agg *a)
{
	dts_cube_free(a->cube);
	dts_rates_free(a->rates);
	dts_scanner_free(a->scanner);
	dts_rules_free(a->rules);
	for (size_t i = 0; i < a->nzones; i++) {
		free(a->zones[i].code);
		free(a->zones[i].zone);
	}
	free(a->zones);
	for (size_t i = 0; i < 16; i++)
		free(a->keybuf[i]);
}

int agg_load_rates(agg *a, const char *path)
{
	if (dts_rates_load(&a->rates, path) < 0 ||
	    dts_rates_check_reporting(a->rates, a->currency) < 0) {
		tool_lib_error(NULL);
		return -1;
	}
	return 0;
}

static int col_index(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

static int zone_cmp(const void *pa, const void *pb)
{
	const agg_zone *x = pa, *y = pb;
	int c = strcmp(x->code, y->code);

	return c ? c : x->row < y->row ? -1 : x->row > y->row;
}

int agg_load_zones(agg *a, const char *path)
{
	dts_csv *r;
	dts_csv_row row;
	const char *const *hdr;
	size_t n, cap = 0;
	int code, zone, rc;

	if (dts_csv_open_file(&r, path, NULL) < 0)
		return tool_lib_error(NULL), -1;
	n = dts_csv_header(r, &hdr);
	code = col_index(hdr, n, "code");
	zone = col_index(hdr, n, "zone");
	if (code < 0 || zone < 0) {
		tool_warn("%s:1: the zone file needs columns code and zone", path);
		dts_csv_free(r);
		return -1;
	}
	while ((rc = dts_csv_next(&row, r)) != 0) {
		if (rc < 0) {
			tool_lib_error(path);
			dts_csv_free(r);
			return -1;
		}
		if (a->nzones == cap) {   /* doubling, not one realloc per row */
			agg_zone *z = realloc(a->zones, (cap ? cap * 2 : 64) * sizeof(*z));

			if (!z)
				break;
			a->zones = z;
			cap = cap ? cap * 2 : 64;
		}
		a->zones[a->nzones].row = a->nzones;
		a->zones[a->nzones].code = strdup(row.fields[code]);
		a->zones[a->nzones].zone = strdup(row.fields[zone]);
		if (!a->zones[a->nzones++].code || !a->zones[a->nzones - 1].zone)
			break;   /* counted, so agg_free frees what was copied */
	}
	dts_csv_free(r);
	if (rc != 0) {
		tool_warn("%s: out of memory", path);
		return -1;
	}
	/* Sorted for bsearch: a linear search cost records x zones. Stable on
	 * the row number, so the first row of a duplicated code wins, as it
	 * did with the linear search. */
	if (a->nzones > 1)
		qsort(a->zones, a->nzones, sizeof(*a->zones), zone_cmp);
	return 0;
}

/* ---- one CSV input ------------------------------------------------------- */

typedef struct src {
	const char *path;
	const dts_binding *binding; /* the input's */
	int col[DTS_F_COUNT];
	int cat_col, base_col;
	int dim_col[16];
} src;

static void reject(agg *a, const char *path, uint64_t line, const char *why)
{
	a->rejects++;
	if (a->rejects <= a->max_reject_msgs)
		tool_warn("%s:%llu: %s", path, (unsigned long long)line, why);
	else if (a->rejects == a->max_reject_msgs + 1)
		tool_warn("more rejected records follow; not shown");
}

/* Normalised value of a field into buf ("" when the column is absent). */
static const char *field(char *buf, size_t cap, const src *s,
			 const input_row *row, int f)
{
	size_t len = 0;
	int c = s->col[f];

	buf[0] = '\0';
	if (c < 0 || (size_t)c >= row->ncols || row->lens[c] >= cap)
		return buf;
	dts_field_normalize(buf, cap, &len, f, row->cols[c], row->lens[c]);
	return buf;
}

/* Room for dimension i's key: at least `need` bytes. A key is never cut
 * short (two values that differ late must stay two cells). */
static char *key_space(agg *a, size_t i, size_t need, size_t *cap)
{
	if (need < 64)
		need = 64;
	if (a->keycap[i] < need) {
		char *p = realloc(a->keybuf[i], need);

		if (!p)
			return NULL;
		a->keybuf[i] = p;
		a->keycap[i] = need;
	}
	*cap = a->keycap[i];
	return a->keybuf[i];
}

/* The bytes a key of field f can take: normalising never lengthens. */
static size_t field_need(const src *s, const input_row *row, int f)
{
	int c = s->col[f];

	return c < 0 || (size_t)c >= row->ncols ? 1 : row->lens[c] + 1;
}

/* The first row of `code` in the sorted zones, or "OTHER". */
static const char *zone_of(const agg *a, const char *code)
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

typedef struct rowctx {
	const char *category, *base;
	dts_period period;
	int have_period;
	const char *keys[16];
} rowctx;

static int need_period(agg *a, const src *s, const input_row *row,
		       rowctx *x, char *why, size_t wn)
{
	char buf[64];

	if (x->have_period)
		return 0;
	field(buf, sizeof(buf), s, row, DTS_F_PERIOD);
	if (dts_period_parse(&x->period, buf, strlen(buf)) < 0) {
		snprintf(why, wn, "%s", dts_error_last()->message);
		return -1;
	}
	x->have_period = 1;
	return 0;
}

static int make_keys(agg *a, const src *s, const input_row *row, rowctx *x,
		     char *why, size_t wn)
{
	for (size_t i = 0; i < a->ndims; i++) {
		const agg_dim *d = &a->dims[i];
		int f = d->kind == AGG_FLOW ? DTS_F_FLOW :
			d->kind == AGG_COUNTERPART ? DTS_F_COUNTERPART : DTS_F_REGION;
		size_t cap;
		char *k = key_space(a, i, field_need(s, row, f), &cap);

		if (!k) {
			snprintf(why, wn, "out of memory");
			return -1;
		}
		x->keys[i] = k;
		k[0] = '\0';
		switch (d->kind) {
		case AGG_PERIOD:
			if (need_period(a, s, row, x, why, wn) < 0)
				return -1;
			if (dts_period_key(k, cap, &x->period,
					   (dts_period_level)d->level) < 0) {
				snprintf(why, wn, "%s", dts_error_last()->message);
				return -1;
			}
			break;
		case AGG_FLOW:
			field(k, cap, s, row, DTS_F_FLOW);
			if (strcmp(k, "X") && strcmp(k, "M")) {
				snprintf(why, wn, "unknown flow \"%s\"", k);
				return -1;
			}
			break;
		case AGG_CATEGORY:
			x->keys[i] = x->category;
			break;
		case AGG_BASE:
			x->keys[i] = x->base;
			break;
		case AGG_REGION:
			field(k, cap, s, row, DTS_F_REGION);
			break;
		case AGG_ZONE:
			field(k, cap, s, row, DTS_F_REGION);
			x->keys[i] = zone_of(a, k);
			break;
		case AGG_COUNTERPART:
			field(k, cap, s, row, DTS_F_COUNTERPART);
			break;
		case AGG_COLUMN: /* the column as it is, however long */
			if ((size_t)s->dim_col[i] < row->ncols)
				x->keys[i] = row->cols[s->dim_col[i]];
			break;
		}
	}
	return 0;
}

/* The same checks dts-classify applies (dts_record_check), so a record
 * one tool rejects is rejected by the other with the same reason. */
static int check(const src *s, const input_row *row, char *why, size_t wn)
{
	dts_value vals[DTS_F_COUNT];
	size_t n = dts_binding_values(vals, s->binding, row->cols, row->lens,
				      row->ncols);

	if (dts_record_check(vals, n) < 0) {
		snprintf(why, wn, "%s", dts_error_last()->message);
		return -1;
	}
	return 0;
}

static int classify(agg *a, const src *s, const input_row *row, rowctx *x,
		    char *why, size_t wn)
{
	dts_result res;

	if (s->cat_col >= 0) {
		x->category = (size_t)s->cat_col < row->ncols ?
			      row->cols[s->cat_col] : "";
		x->base = s->base_col >= 0 && (size_t)s->base_col < row->ncols &&
			  row->cols[s->base_col][0] ? row->cols[s->base_col] :
			  "unknown";
		if (!x->category[0]) {
			snprintf(why, wn, "empty dts_category");
			return -1;
		}
		return 0;
	}
	/* Any error rejects the record, as in dts-classify: a regex stopped by
	 * its match limit (DTS_ELIMIT) must not count the record as NONE. */
	if (dts_scanner_classify_row(&res, a->scanner, s->binding,
				     row->cols, row->lens, row->ncols) < 0) {
		snprintf(why, wn, "%s", dts_error_last()->message);
		return -1;
	}
	a->classified++;
	x->category = res.category;
	x->base = res.base == DTS_BASE_UNKNOWN ? "unknown" :
		  dts_base_name(res.base);
	return 0;
}

static int convert(agg *a, const src *s, const input_row *row, rowctx *x,
		   dts_money *value, dts_rate *rate, char *why, size_t wn)
{
	char buf[128], cur[4];
	int c = s->col[DTS_F_VALUE];

	if (c < 0 || (size_t)c >= row->ncols ||
	    dts_money_parse(value, row->cols[c], row->lens[c]) < 0) {
		snprintf(why, wn, "value: %s", c < 0 || (size_t)c >= row->ncols ?
			 "missing" : dts_error_last()->message);
		return -1;
	}
	*rate = DTS_RATE_ONE;
	field(buf, sizeof(buf), s, row, DTS_F_CURRENCY);
	if (!buf[0])
		return 0;    /* no currency: the reporting currency */
	if (dts_currency_normalize(cur, buf, strlen(buf)) < 0) {
		snprintf(why, wn, "%s", dts_error_last()->message);
		return -1;
	}
	if (!strcmp(cur, a->currency))
		return 0;
	if (need_period(a, s, row, x, why, wn) < 0)
		return -1;
	if (!a->rates) {
		snprintf(why, wn, "currency %s needs a rates file (--rates)", cur);
		return -1;
	}
	if (dts_rates_lookup(rate, a->rates, &x->period, cur) < 0) {
		snprintf(why, wn, "%s", dts_error_last()->message);
		return -1;
	}
	return 0;
}

static int do_row(agg *a, const src *s, const input_row *row)
{
	rowctx x;
	char why[1200], ent[64];
	dts_money value;
	dts_rate rate;
	int rc;

	x.have_period = 0; /* the key buffers are written before they are read */
	if (check(s, row, why, sizeof(why)) < 0 ||
	    classify(a, s, row, &x, why, sizeof(why)) < 0 ||
	    make_keys(a, s, row, &x, why, sizeof(why)) < 0 ||
	    convert(a, s, row, &x, &value, &rate, why, sizeof(why)) < 0) {
		reject(a, s->path, row->line, why);
		return 0;
	}
	field(ent, sizeof(ent), s, row, DTS_F_ENTERPRISE_ID);
	rc = dts_cube_add(a->cube, x.keys, value, rate, ent);
	if (rc == DTS_EINPUT) {   /* a key no output can carry: this record */
		reject(a, s->path, row->line, dts_error_last()->message);
		return 0;
	}
	if (rc == DTS_EOVERFLOW) {
		tool_warn("%s:%llu: %s", s->path, (unsigned long long)row->line,
			  dts_error_last()->message);
		return -1;
	}
	if (rc < 0)
		return tool_lib_error(s->path), -1;
	a->records++;
	return 0;
}

static int need_scanner(agg *a)
{
	if (a->scanner)
		return 0;
	if (!(a->rules = tool_load_rules(a->rule_paths, a->nrule_paths)))
		return -1;
	/* dts_csv has validated every field's UTF-8 */
	if (dts_scanner_new(&a->scanner, a->rules, DTS_SCAN_VALID_UTF8) < 0)
		return tool_lib_error(NULL), -1;
	return 0;
}

static int bind(agg *a, src *s, const input *in)
{
	const char *const *hdr;
	size_t n = input_header(in, &hdr);

	s->binding = input_binding(in);
	for (int f = 0; f < DTS_F_COUNT; f++)
		s->col[f] = dts_binding_column(s->binding, f);
	s->cat_col = col_index(hdr, n, "dts_category");
	s->base_col = col_index(hdr, n, "dts_base");
	for (size_t i = 0; i < a->ndims; i++) {
		if (a->dims[i].kind != AGG_COLUMN)
			continue;
		s->dim_col[i] = col_index(hdr, n, a->dims[i].column);
		if (s->dim_col[i] < 0) {
			tool_warn("%s:1: no column \"%s\" (named in --by)",
				  s->path, a->dims[i].column);
			return -1;
		}
	}
	if (s->cat_col < 0 && need_scanner(a) < 0)
		return -1;
	return 0;
}

/* Records from a CSV or customs XML file (tools/input.c: the same reader,
 * column binding and reject reasons as dts-classify). */
static int records_input(agg *a, const char *path)
{
	input_options io = {0};
	input *in = NULL;
	input_row row;
	src s;
	int rc, err = -1;

	memset(&s, 0, sizeof(s));
	s.path = path;
	io.map = a->map;
	io.nmap = a->nmap;
	io.encoding = a->encoding;
	io.separator = a->separator;
	if ((rc = input_open(&in, path, &io)) < 0)
		return rc; /* -2: a usage error (an unknown --encoding, a bad --map) */
	if (bind(a, &s, in) < 0)
		goto done;
	while ((rc = input_next(in, &row)) != 0) {
		if (rc == DTS_EINPUT) {
			reject(a, path, row.line, row.error);
			continue;
		}
		if (rc < 0)
			goto done; /* input_next printed it */
		if (do_row(a, &s, &row) < 0)
			goto done;
	}
	err = 0;
done:
	input_free(in);
	return err;
}

/* Is the file a cube partial? Peeks at its first bytes. */
static int is_partial_file(const char *path)
{
	char head[32];
	size_t n;
	FILE *f;

	if (!strcmp(path, "-") || !(f = fopen(path, "rb")))
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return dts_cube_is_partial(head, n);
}

int agg_input(agg *a, const char *path)
{
	dts_cube *part;
	int rc;

	if (!is_partial_file(path))
		return records_input(a, path);
	if (dts_cube_load_partial(&part, path) < 0)
		return tool_lib_error(NULL), -1;
	rc = dts_cube_merge(a->cube, part);
	dts_cube_free(part);
	if (rc < 0)
		return tool_lib_error(path), -1;
	return 0;
}

int agg_reading_option(agg_reading *r, int c, const char *arg)
{
	switch (c) {
	case 'r':
	case 'm':
		if (c == 'r' ? r->nrules >= 64 : r->nmap >= 256) {
			tool_warn("too many -%c options", c);
			return -1;
		}
		if (c == 'r')
			r->rules[r->nrules++] = arg;
		else
			r->map[r->nmap++] = arg;
		return 1;
	case 'd':
		if (tool_parse_separator(&r->separator, arg) < 0) {
			tool_warn("-d wants ',', tab, ';' or '|', not '%s'", arg);
			return -1;
		}
		return 1;
	case 'E':
		r->encoding = arg;
		return 1;
	default:
		return 0;
	}
}

void agg_set_reading(agg *a, const agg_reading *r)
{
	a->rule_paths = r->rules;
	a->nrule_paths = r->nrules;
	a->map = r->map;
	a->nmap = r->nmap;
	a->encoding = r->encoding;
	a->separator = r->separator;
}
