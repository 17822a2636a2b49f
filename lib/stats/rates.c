/* rates.c — exchange-rate tables (period, currency -> exact rate). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "dts/rates.h"

/* Re-raise the last error with a file and line (copy: the message is the source). */
static int at_line(int code, const char *file, unsigned line)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s",
		 dts_error_last() ? dts_error_last()->message : "error");
	return dts__error(code, file, line, 0, "%s", msg);
}

struct entry {
	char key[24];    /* "USD 2025-03", "USD 2025-Q1", "USD 2025" */
	dts_rate rate;
	unsigned line;
};

struct dts_rates {
	struct entry *items;
	size_t len, cap;
	char name[512];  /* the file, for errors found after parsing */
};

static const struct {
	const char *code, *iso;
} currency_aliases[] = {
	{"142", "CNY"}, {"502", "USD"}, {"300", "EUR"}, {"303", "GBP"},
	{"110", "HKD"}, {"116", "JPY"}, {"133", "KRW"}, {"132", "SGD"},
	{"501", "CAD"}, {"601", "AUD"}, {"331", "CHF"}, {"121", "MOP"},
	{"143", "TWD"}, {"344", "RUB"}, {"609", "NZD"}, {"330", "SEK"},
	{"人民币", "CNY"}, {"美元", "USD"}, {"欧元", "EUR"},
	{"英镑", "GBP"}, {"港币", "HKD"}, {"港元", "HKD"}, {"日元", "JPY"},
};

static void trim(const char **s, size_t *len)
{
	while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			(*s)[*len - 1] == '\r'))
		(*len)--;
}

/* Three ASCII letters, upper-cased into out; 0 when s is not that. */
static int iso_letters(char out[4], const char *s, size_t len)
{
	if (len != 3)
		return 0;
	for (size_t i = 0; i < 3; i++) {
		char ch = s[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			return 0;
		out[i] = ch;
	}
	out[3] = '\0';
	return 1;
}

int dts_currency_normalize(char out[4], const char *s, size_t len)
{
	trim(&s, &len);
	/* ISO letters first: the usual case, checked once per record. RMB is
	 * the one letter alias. */
	if (iso_letters(out, s, len)) {
		if (!strcmp(out, "RMB"))
			memcpy(out, "CNY", 4);
		return 0;
	}
	for (size_t i = 0; i < sizeof(currency_aliases) / sizeof(*currency_aliases);
	     i++) {
		const char *c = currency_aliases[i].code;

		if (strlen(c) == len && !memcmp(c, s, len)) {
			memcpy(out, currency_aliases[i].iso, 4);
			return 0;
		}
	}
	return dts__error(DTS_EINPUT, NULL, 0, 0, "unknown currency \"%.*s\"",
			  (int)(len > 32 ? 32 : len), s);
}

int dts_rate_parse(dts_rate *out, const char *s, size_t len)
{
	int64_t v = 0;
	int frac = -1, nd = 0;

	trim(&s, &len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || frac >= DTS_RATE_DECIMALS)
			goto bad;
		if (v > (INT64_MAX - 9) / 10)
			goto big;
		v = v * 10 + (s[i] - '0');
		nd++;
		if (frac >= 0)
			frac++;
	}
	if (nd == 0)
		goto bad;
	for (frac = frac < 0 ? 0 : frac; frac < DTS_RATE_DECIMALS; frac++) {
		if (v > INT64_MAX / 10)
			goto big;
		v *= 10;
	}
	if (v == 0)
		goto bad;
	*out = v;
	return 0;
big:
	return dts__error(DTS_EOVERFLOW, NULL, 0, 0, "rate \"%.*s\" too large",
			  (int)(len > 32 ? 32 : len), s);
bad:
	return dts__error(DTS_EINPUT, NULL, 0, 0,
			  "bad rate \"%.*s\": expected a positive decimal with "
			  "at most %d decimals", (int)(len > 32 ? 32 : len), s,
			  DTS_RATE_DECIMALS);
}

static int make_key(char *key, size_t size, const char *cur,
		    const dts_period *p, dts_period_level level)
{
	char pk[16];
	size_t cl = strlen(cur), pl;

	if (dts_period_key(pk, sizeof(pk), p, level) < 0)
		return -1;
	pl = strlen(pk);
	if (cl + 1 + pl + 1 > size)
		return -1;
	memcpy(key, cur, cl); /* "USD 2025-03", without snprintf: per record */
	key[cl] = ' ';
	memcpy(key + cl + 1, pk, pl + 1);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
		      ((const struct entry *)b)->key);
}

/* One record of the file: period, currency, rate (each trimmed). */
static int add_line(dts_rates *r, const char *name, unsigned line,
		    const dts_csv_row *row)
{
	const char *f[3];
	size_t fl[3];
	char cur[4];
	dts_period p;
	struct entry *e;
	int error;

	if (row->nfields != 3)
		return dts__error(DTS_EINPUT, name, line, 0,
				  "expected 3 columns: period,currency,rate");
	for (size_t i = 0; i < 3; i++) {
		f[i] = row->fields[i];
		fl[i] = row->lens[i];
		trim(&f[i], &fl[i]);
	}
	if ((error = dts_period_parse(&p, f[0], fl[0])) < 0 ||
	    (error = dts_currency_normalize(cur, f[1], fl[1])) < 0)
		return at_line(error, name, line);
	if (p.level == DTS_PERIOD_DAY)
		return dts__error(DTS_EINPUT, name, line, 0,
				  "daily rates are not supported; give a month, "
				  "quarter or year");
	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct entry *items = realloc(r->items, cap * sizeof(*items));

		if (!items)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		r->items = items;
		r->cap = cap;
	}
	e = &r->items[r->len];
	if ((error = dts_rate_parse(&e->rate, f[2], fl[2])) < 0)
		return at_line(error, name, line);
	make_key(e->key, sizeof(e->key), cur, &p, p.level);
	e->line = line;
	r->len++;
	return 0;
}

static int check_dups(const dts_rates *r, const char *name)
{
	for (size_t i = 1; i < r->len; i++)
		if (!strcmp(r->items[i].key, r->items[i - 1].key))
			return dts__error(DTS_EINPUT, name,
					  r->items[i].line > r->items[i - 1].line ?
					  r->items[i].line : r->items[i - 1].line,
					  0, "duplicate rate for %s",
					  r->items[i].key);
	return 0;
}

/* A line to skip: blank, a '#' comment, or line 1 naming the columns. */
static int skip_line(const char *s, size_t len, uint64_t line)
{
	trim(&s, &len);
	return len == 0 || s[0] == '#' ||
	       (line == 1 && len >= 6 && !strncasecmp(s, "period", 6));
}

/*
 * The file is read by the library's CSV reader (dts/csv.h) without a
 * header, rows of any length (the column count is checked here, with the
 * message the format's documentation gives). A row the reader refuses is
 * an error naming the file and line, unless it is a comment.
 */
int dts_rates_parse(dts_rates **out, const char *name, const char *buf,
		    size_t len)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	dts_rates *r = calloc(1, sizeof(*r));
	dts_csv *csv = NULL;
	dts_csv_row row;
	int error = 0, rc;

	*out = NULL;
	if (!r)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "");
	o.header = 0;
	o.flags = DTS_CSV_RAGGED;
	if ((error = dts_csv_open_buffer(&csv, buf, len, name, &o)) < 0)
		goto done;
	while ((rc = dts_csv_next(&row, csv)) != 0) {
		unsigned line = row.line > UINT_MAX ? UINT_MAX : (unsigned)row.line;

		if (rc < 0 && rc != DTS_EINPUT) {
			error = rc;
			goto done;
		}
		/* A comment is skipped even if it is bad CSV; a rejection
		 * without text (UTF-16 input) is not a blank line. */
		if ((rc == 1 || row.raw_len > 0) &&
		    skip_line(row.raw, row.raw_len, row.line))
			continue;
		if (rc == DTS_EINPUT) {
			error = dts__error(DTS_EINPUT, name, line,
					   (unsigned)row.column, "%s", row.error);
			goto done;
		}
		if ((error = add_line(r, name, line, &row)) < 0)
			goto done;
	}
	if (r->len) /* an empty file has no array: qsort wants one */
		qsort(r->items, r->len, sizeof(*r->items), cmp_entry);
	if ((error = check_dups(r, name)) < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	dts_csv_free(csv);
	dts_rates_free(r);
	return error;
}

int dts_rates_load(dts_rates **out, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	/* The library's one whole-file reader (file.c): a FIFO or device
	 * is refused instead of blocking; no size limit of its own here. */
	error = dts__read_file(&buf, &len, NULL, path, 0, SIZE_MAX / 4, NULL,
			       0, 0);
	if (error == 0)
		error = dts_rates_parse(out, path, buf, len);
	free(buf);
	return error;
}

int dts_rates_check_reporting(const dts_rates *rates, const char *currency)
{
	size_t cl = strlen(currency);
	const struct entry *first = NULL;

	for (size_t i = 0; rates && i < rates->len; i++) {
		const struct entry *e = &rates->items[i];

		if (!strncmp(e->key, currency, cl) && e->key[cl] == ' ' &&
		    (!first || e->line < first->line))
			first = e;
	}
	if (!first)
		return 0;
	return dts__error(DTS_EINPUT, rates->name[0] ? rates->name : NULL,
			  first->line, 0, "a rate for %s, the reporting currency, "
			  "would never be used (records in %s are not converted)",
			  currency, currency);
}

void dts_rates_free(dts_rates *rates)
{
	if (!rates)
		return;
	free(rates->items);
	free(rates);
}

size_t dts_rates_count(const dts_rates *rates)
{
	return rates ? rates->len : 0;
}

int dts_rates_lookup(dts_rate *out, const dts_rates *rates,
		     const dts_period *p, const char *currency)
{
	static const dts_period_level levels[] = {
		DTS_PERIOD_MONTH, DTS_PERIOD_QUARTER, DTS_PERIOD_YEAR};
	char pk[16];

	for (int i = 0; rates && i < 3; i++) {
		struct entry key, *e;

		if (p->level < levels[i])
			continue;
		make_key(key.key, sizeof(key.key), currency, p, levels[i]);
		e = bsearch(&key, rates->items, rates->len, sizeof(key),
			    cmp_entry);
		if (e) {
			*out = e->rate;
			return 0;
		}
	}
	dts_period_key(pk, sizeof(pk), p,
		       p->level > DTS_PERIOD_MONTH ? DTS_PERIOD_MONTH : p->level);
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
			  "no rate for currency %s in period %s (nor its "
			  "quarter or year)", currency, pk);
}
