/*
 * test_aggregate.c — dts_agg (dts/aggregate.h): --by specs, keys longer
 * than 255 bytes, currency conversion (exact), zones, the reject policy
 * (a regex at its match limit rejects), rejects through a callback that
 * can stop, lazy rules, partials, the cube as a table; and cube.h's
 * roll-up and partials through callbacks.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "dts.h"
#include "dts/aggregate.h"

#define HDR "id,flow,period,region,enterprise_id,value,currency,dts_category,shop\n"

typedef struct seen {
	size_t n;
	uint64_t lines[16];
	char reasons[16][256];
	int stop_at;   /* return DTS_EUSER at this reject (1-based), 0: never */
} seen;

static int on_reject(const dts_agg_reject *r, void *payload)
{
	seen *s = payload;

	if (s->n < 16) {
		s->lines[s->n] = r->line;
		snprintf(s->reasons[s->n], sizeof(s->reasons[0]), "%s", r->reason);
	}
	s->n++;
	return s->stop_at && (int)s->n == s->stop_at ? DTS_EUSER : 0;
}

static int add_csv(dts_agg *a, const char *csv, seen *s)
{
	dts_source *src;
	int rc;

	ck_assert_int_eq(dts_source_open_buffer(&src, csv, strlen(csv), "t.csv",
						NULL), 0);
	rc = dts_agg_add_source(a, src, on_reject, s);
	dts_source_free(src);
	return rc;
}

/* The value of the cell with these keys, formatted at 2 decimals. */
static const char *value_of(const dts_agg *a, const char *const *keys,
			    char *buf, size_t n, uint64_t *records)
{
	dts_cube_cell c;

	if (dts_cube_lookup(&c, dts_agg_cube(a), keys) < 0)
		return NULL;
	dts_amount_format(buf, n, &c.value, 0, 2);
	if (records)
		*records = c.records;
	return buf;
}

START_TEST(by_specs)
{
	dts_agg *a;

	ck_assert_int_eq(dts_agg_new(&a, "period:year,flow,category:top,base,"
				     "region,region:zone,counterpart,shop", "usd"), 0);
	ck_assert_uint_eq(dts_cube_ndims(dts_agg_cube(a)), 8);
	ck_assert_str_eq(dts_cube_dim(dts_agg_cube(a), 7), "shop");
	ck_assert_str_eq(dts_cube_currency(dts_agg_cube(a)), "USD");
	dts_agg_free(a);
	dts_agg_free(NULL);
	ck_assert_int_eq(dts_agg_new(&a, "period:week", NULL), DTS_EINVAL);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "unknown dimension \"period:week\""));
	ck_assert_int_eq(dts_agg_new(&a, "period:day", NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_new(&a, "category:mid", NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_new(&a, "flow:x", NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_new(&a, ",,", NULL), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message, "--by needs at least one dimension");
	ck_assert_int_eq(dts_agg_new(&a, "flow,flow", NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_new(&a, "flow", "XX1"), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message, "unknown reporting currency \"XX1\"");
	ck_assert_int_eq(dts_agg_new(&a, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", NULL),
			 DTS_EINVAL);
	/* A dimension name longer than the old 128-byte store. */
	{
		char by[400];

		memset(by, 'c', sizeof(by) - 1);
		by[sizeof(by) - 1] = '\0';
		ck_assert_int_eq(dts_agg_new(&a, by, NULL), 0);
		ck_assert_str_eq(dts_cube_dim(dts_agg_cube(a), 0), by);
		dts_agg_free(a);
	}
	ck_assert_int_eq(dts_agg_unit_parse("yuan"), 0);
	ck_assert_int_eq(dts_agg_unit_parse("万元"), 4);
	ck_assert_int_eq(dts_agg_unit_parse("yi"), 8);
	ck_assert_int_eq(dts_agg_unit_parse("kilo"), DTS_ENOTFOUND);
}
END_TEST

/* Two values that differ only after byte 255 (and after 8 KiB of a
 * column dimension) are two cells, in every kind of key. */
START_TEST(long_keys_stay_distinct)
{
	size_t n = 300;
	char *r1 = malloc(n + 1), *r2 = malloc(n + 1), *csv = malloc(4 * n + 512);
	const char *k1[2], *k2[2];
	char buf[64];
	uint64_t recs;
	dts_agg *a;
	seen s = {0};

	memset(r1, '7', n);
	memcpy(r2, r1, n);
	r1[n] = r2[n] = '\0';
	r2[n - 1] = '8';
	snprintf(csv, 4 * n + 512, HDR
		 "1,X,2025-01,%s,E1,10.00,CNY,TECH,%s\n"
		 "2,X,2025-01,%s,E2,20.00,CNY,TECH,%s\n", r1, r1, r2, r2);
	ck_assert_int_eq(dts_agg_new(&a, "region,shop", NULL), 0);
	ck_assert_int_eq(add_csv(a, csv, &s), 0);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_uint_eq(dts_agg_records(a), 2);
	ck_assert_uint_eq(dts_cube_count(dts_agg_cube(a)), 2);
	k1[0] = r1, k1[1] = r1;
	k2[0] = r2, k2[1] = r2;
	ck_assert_str_eq(value_of(a, k1, buf, sizeof(buf), &recs), "10.00");
	ck_assert_uint_eq(recs, 1);
	ck_assert_str_eq(value_of(a, k2, buf, sizeof(buf), &recs), "20.00");
	dts_agg_free(a);
	/* Enterprise ids longer than 63 bytes are counted, and distinct. */
	snprintf(csv, 4 * n + 512, HDR
		 "1,X,2025-01,1,%s,10.00,CNY,TECH,s\n"
		 "2,X,2025-01,1,%s,20.00,CNY,TECH,s\n", r1, r2);
	ck_assert_int_eq(dts_agg_new(&a, "flow", NULL), 0);
	ck_assert_int_eq(add_csv(a, csv, &s), 0);
	{
		const char *kx[] = {"X"};
		dts_cube_cell c;

		ck_assert_int_eq(dts_cube_lookup(&c, dts_agg_cube(a), kx), 0);
		ck_assert_uint_eq(c.enterprises, 2);
	}
	dts_agg_free(a);
	free(r1);
	free(r2);
	free(csv);
}
END_TEST

static const char rates_csv[] =
	"period,currency,rate\n"
	"2025,USD,7.1234567891\n"
	"2025-03,USD,7.2\n";

START_TEST(currency_conversion_is_exact)
{
	const char csv[] = HDR
		"1,X,2025-01,330108,E1,100.00,USD,TECH,s\n"   /* the year's rate */
		"2,X,2025-03,330108,E1,10.00,502,TECH,s\n"    /* customs code, the month's */
		"3,X,2025-03,330108,E2,5.00,,TECH,s\n"        /* no currency: CNY */
		"4,X,2025-03,330108,E2,5.00,人民币,TECH,s\n"
		"5,X,2024-03,330108,E2,5.00,USD,TECH,s\n"     /* no rate for 2024 */
		"6,X,2025-03,330108,E2,5.00,EUR,TECH,s\n"     /* no rate for EUR */
		"7,X,2025-03,330108,E2,5.00,ZZZZ,TECH,s\n";
	const char *keys[] = {"2025"};
	char buf[64];
	dts_amount v;
	dts_cube_cell c;
	dts_rates *rates, *bad;
	dts_agg *a;
	seen s = {0};

	ck_assert_int_eq(dts_rates_parse(&rates, "rates.csv", rates_csv,
					 strlen(rates_csv)), 0);
	ck_assert_int_eq(dts_agg_new(&a, "period:year", "CNY"), 0);
	/* Without rates a foreign currency is rejected naming --rates. */
	ck_assert_int_eq(add_csv(a, HDR "1,X,2025-01,1,E1,1.00,USD,TECH,s\n", &s), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_ptr_nonnull(strstr(s.reasons[0], "needs a rates file"));
	memset(&s, 0, sizeof(s));
	dts_cube_free((dts_cube *)NULL);
	dts_agg_free(a);

	ck_assert_int_eq(dts_agg_new(&a, "period:year", "CNY"), 0);
	ck_assert_int_eq(dts_agg_set_rates(a, rates), 0);
	ck_assert_int_eq(add_csv(a, csv, &s), 0);
	ck_assert_uint_eq(dts_agg_records(a), 4);
	ck_assert_uint_eq(dts_agg_rejects(a), 3);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(s.lines[0], 6);
	ck_assert_uint_eq(s.lines[1], 7);
	ck_assert_uint_eq(s.lines[2], 8);
	/* 100 x 7.1234567891 + 10 x 7.2 + 5 + 5, exact at 10^-14. */
	ck_assert_int_eq(dts_cube_lookup(&c, dts_agg_cube(a), keys), 0);
	dts_amount_format(buf, sizeof(buf), &c.value, 0, 14);
	ck_assert_str_eq(buf, "794.34567891000000");
	ck_assert_int_eq(dts_amount_parse(&v, "794.34567891", 12), 0);
	ck_assert_int_eq(dts_amount_cmp(&v, &c.value), 0);
	ck_assert_uint_eq(c.enterprises, 2);
	dts_agg_free(a);

	/* A rate for the reporting currency itself is a mistake in the file. */
	ck_assert_int_eq(dts_rates_parse(&bad, "bad.csv", "period,currency,rate\n2025,CNY,1\n",
					 32), 0);
	ck_assert_int_eq(dts_agg_new(&a, "flow", "CNY"), 0);
	ck_assert_int_eq(dts_agg_set_rates(a, bad), DTS_EINPUT);
	ck_assert_int_eq(dts_agg_set_rates(a, NULL), 0);
	dts_agg_free(a);
	dts_rates_free(bad);
	dts_rates_free(rates);
	/* dts_agg_load_rates: loaded, owned, checked like dts_agg_set_rates. */
	{
		char path[] = "/tmp/dts-rates-XXXXXX";
		int fd = mkstemp(path);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, rates_csv, strlen(rates_csv)), (ssize_t)strlen(rates_csv));
		close(fd);
		ck_assert_int_eq(dts_agg_new(&a, "period:year", "CNY"), 0);
		ck_assert_int_eq(dts_agg_load_rates(a, "/nonexistent/rates.csv"), DTS_EIO);
		ck_assert_int_eq(dts_agg_load_rates(a, path), 0);
		ck_assert_int_eq(dts_agg_load_rates(a, path), 0);   /* replaces */
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(add_csv(a, csv, &s), 0);
		ck_assert_uint_eq(dts_agg_records(a), 4);
		dts_agg_free(a);
		fd = open(path, O_WRONLY | O_TRUNC);
		ck_assert_int_eq(write(fd, "period,currency,rate\n2025,CNY,1\n", 32), 32);
		close(fd);
		ck_assert_int_eq(dts_agg_new(&a, "flow", "CNY"), 0);
		ck_assert_int_eq(dts_agg_load_rates(a, path), DTS_EINPUT);
		dts_agg_free(a);
		unlink(path);
	}
}
END_TEST

START_TEST(zones_and_rejects)
{
	char path[] = "/tmp/dts-zones-XXXXXX";
	int fd = mkstemp(path);
	const char zones[] = "code,zone\n330108,FTZ\n330108,LATER\n330102,CORE\n";
	const char csv[] = HDR
		"1,X,2025-01,330108,E1,1.00,CNY,TECH,s\n"
		"2,M,2025-01,999999,E1,2.00,CNY,TECH,s\n"
		"3,Q,2025-01,330102,E1,4.00,CNY,TECH,s\n"       /* flow */
		"4,X,2025-01,330102,E1,4.00,CNY,,s\n"           /* empty category */
		"5,X,2025-13,330102,E1,4.00,CNY,TECH,s\n"       /* period */
		"6,X,2025-01,330102,E1,abc,CNY,TECH,s\n"        /* value */
		"7,X,2025-01,330102,E1,8.00,CNY,TECH,s\n";
	const char *k1[] = {"FTZ", "X"}, *k2[] = {"OTHER", "M"}, *k3[] = {"CORE", "X"};
	char buf[64];
	dts_agg *a;
	seen s = {0};

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, zones, sizeof(zones) - 1), (ssize_t)sizeof(zones) - 1);
	close(fd);
	ck_assert_int_eq(dts_agg_new(&a, "region:zone,flow", NULL), 0);
	ck_assert_int_eq(dts_agg_load_zones(a, path), 0);
	ck_assert_int_eq(add_csv(a, csv, &s), 0);
	ck_assert_str_eq(value_of(a, k1, buf, sizeof(buf), NULL), "1.00");
	ck_assert_str_eq(value_of(a, k2, buf, sizeof(buf), NULL), "2.00");
	ck_assert_str_eq(value_of(a, k3, buf, sizeof(buf), NULL), "8.00");
	ck_assert_uint_eq(s.n, 4);
	ck_assert_ptr_nonnull(strstr(s.reasons[0], "flow"));
	ck_assert_str_eq(s.reasons[1], "empty dts_category");
	ck_assert_uint_eq(s.lines[2], 6);
	ck_assert_ptr_nonnull(strstr(s.reasons[3], "value"));
	/* A callback that returns DTS_EUSER stops the input; DTS_EUSER comes
	 * back, and nothing after that row is counted. */
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	ck_assert_int_eq(add_csv(a, csv, &s), DTS_EUSER);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(value_of(a, k3, buf, sizeof(buf), NULL), "8.00");
	/* A zone file without the columns. */
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_eq(write(fd, "a,b\n1,2\n", 8), 8);
	close(fd);
	ck_assert_int_eq(dts_agg_load_zones(a, path), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "code and zone"));
	ck_assert_int_eq(dts_agg_load_zones(a, "/nonexistent/zones.csv"), DTS_EIO);
	unlink(path);
	/* A column dimension the input lacks: before any row. */
	dts_agg_free(a);
	ck_assert_int_eq(dts_agg_new(&a, "colour", NULL), 0);
	ck_assert_int_eq(add_csv(a, csv, NULL), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "t.csv");
	ck_assert_uint_eq(dts_error_last()->line, 1);
	ck_assert_uint_eq(dts_agg_rejects(a), 0);
	dts_agg_free(a);
}
END_TEST

static const char lim_xml[] =
	"<classifier xmlns=\"urn:libdts:classifier:1\" id=\"lim\" version=\"1\">"
	"<category code=\"TECH.AI\" zh=\"x\" en=\"AI\"/>"
	"<category code=\"NONE.GOODS\" zh=\"y\" en=\"Other\"/>"
	"<rule id=\"ai\" category=\"TECH.AI\" priority=\"900\">"
	"<regex field=\"description\">^(a|a)+$</regex></rule>"
	"<rule id=\"none\" category=\"NONE.GOODS\" priority=\"1\">"
	"<present field=\"description\"/></rule></classifier>";

typedef struct lazy {
	const dts_rules *rules;
	int calls;
} lazy;

static int give_rules(const dts_rules **out, void *payload)
{
	lazy *l = payload;

	l->calls++;
	*out = l->rules;
	return l->rules ? 0 : DTS_EUSER;
}

/* Raw records: classified with the rules, supplied lazily; a regex at its
 * PCRE2 match limit rejects the record (it is not counted as NONE). */
START_TEST(raw_records_and_match_limit)
{
	char path[] = "/tmp/dts-lim-XXXXXX";
	int fd = mkstemp(path);
	char *csv = malloc(4096), *p;
	const char *top[] = {"NONE"};
	char buf[64];
	dts_rules *rules;
	dts_agg *a;
	lazy l = {NULL, 0};
	seen s = {0};

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, lim_xml, sizeof(lim_xml) - 1), (ssize_t)sizeof(lim_xml) - 1);
	close(fd);
	p = csv + snprintf(csv, 4096, "id,flow,period,description,value\nr1,X,2025-01,");
	memset(p, 'a', 200);
	p += 200;
	p += snprintf(p, 64, "b,100.00\nr2,X,2025-01,plain,50.00\n");
	{
		const char *paths[] = {path};

		ck_assert_int_eq(dts_rules_compile(&rules, paths, 1, NULL), 0);
	}
	ck_assert_int_eq(dts_agg_new(&a, "category:top", NULL), 0);
	/* No rules and no callback: refused before any row. */
	ck_assert_int_eq(add_csv(a, csv, &s), DTS_EINVAL);
	dts_agg_set_rules_cb(a, give_rules, &l);
	ck_assert_int_eq(add_csv(a, csv, &s), DTS_EUSER);   /* the callback's */
	ck_assert_int_eq(l.calls, 1);
	l.rules = rules;
	dts_agg_set_rules_cb(a, give_rules, &l);
	ck_assert_int_eq(add_csv(a, csv, &s), 0);
	ck_assert_int_eq(l.calls, 2);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.lines[0], 2);
	ck_assert_ptr_nonnull(strstr(s.reasons[0], "match limit"));
	ck_assert_uint_eq(dts_agg_records(a), 1);
	ck_assert_uint_eq(dts_agg_classified(a), 1);
	ck_assert_str_eq(value_of(a, top, buf, sizeof(buf), NULL), "50.00");
	/* Asked once: a second raw input uses the scanner made then. */
	ck_assert_int_eq(add_csv(a, csv, &s), 0);
	ck_assert_int_eq(l.calls, 2);
	dts_agg_free(a);
	dts_rules_free(rules);
	unlink(path);
	free(csv);
}
END_TEST

typedef struct bytes {
	char *p;
	size_t len, pos, calls, stop_at;
} bytes;

static int put(const void *data, size_t len, void *payload)
{
	bytes *b = payload;

	if (b->stop_at && ++b->calls >= b->stop_at)
		return DTS_EUSER - 1;
	b->p = realloc(b->p, b->len + len + 1);
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

static int get(void *dst, size_t size, size_t *got, void *payload)
{
	bytes *b = payload;
	size_t n = b->len - b->pos < size ? b->len - b->pos : size;

	if (n > 7)
		n = 7;   /* small pieces */
	if (b->stop_at && ++b->calls >= b->stop_at)
		return DTS_EUSER;
	memcpy(dst, b->p + b->pos, n);
	b->pos += n;
	*got = n;
	return 0;
}

START_TEST(partials_tables_rollup)
{
	const char csv[] = HDR
		"1,X,2025-01,330108,E1,1.00,CNY,CBEC.B2C,s\n"
		"2,M,2025-02,330108,E2,2.00,CNY,TECH.CLOUD,t\n"
		"3,X,2025-04,330102,E1,4.00,CNY,NONE,s\n";
	const char *dims[] = {"category:leaf"}, *two[] = {"period:quarter", "flow"};
	const char *kdt[] = {"DT"}, *knone[] = {"NONE"};
	dts_cube *back, *r;
	dts_cube_cell c;
	dts_table *t;
	bytes b = {0}, f = {0};
	dts_agg *a;
	FILE *tmp;
	char *path = NULL;

	ck_assert_int_eq(dts_agg_new(&a, "period:quarter,flow,category:leaf,shop", NULL), 0);
	ck_assert_int_eq(add_csv(a, csv, NULL), 0);
	/* The callback form writes what the FILE form writes. */
	ck_assert_int_eq(dts_cube_write_partial_cb(dts_agg_cube(a), put, &b), 0);
	tmp = tmpfile();
	ck_assert_int_eq(dts_cube_write_partial(dts_agg_cube(a), tmp), 0);
	ck_assert_uint_eq((size_t)ftell(tmp), b.len);
	rewind(tmp);
	ck_assert_int_eq(dts_cube_read_partial_file(&back, tmp, "tmp"), 0);
	fclose(tmp);
	ck_assert_uint_eq(dts_cube_count(back), dts_cube_count(dts_agg_cube(a)));
	dts_cube_free(back);
	ck_assert_int_eq(dts_cube_read_partial_cb(&back, "cb", get, &b), 0);
	ck_assert_uint_eq(dts_cube_count(back), dts_cube_count(dts_agg_cube(a)));
	/* Merging the partial back doubles every count. */
	ck_assert_int_eq(dts_agg_merge(a, back), 0);
	dts_cube_free(back);
	/* Callbacks that stop: their code comes back unchanged. */
	f.stop_at = 1;
	ck_assert_int_eq(dts_cube_write_partial_cb(dts_agg_cube(a), put, &f), DTS_EUSER - 1);
	b.pos = 0;
	b.stop_at = 2;
	b.calls = 0;
	ck_assert_int_eq(dts_cube_read_partial_cb(&back, "cb", get, &b), DTS_EUSER);
	ck_assert_ptr_null(back);

	/* Roll-up onto the category: summed-out period and flow. */
	ck_assert_int_eq(dts_cube_rollup(&r, dts_agg_cube(a), dims, 1), 0);
	ck_assert_int_eq(dts_cube_lookup(&c, r, kdt), 0);
	ck_assert_uint_eq(c.records, 4);           /* 2 digital records x 2 */
	ck_assert_uint_eq(c.enterprises, 2);
	ck_assert_int_eq(dts_cube_lookup(&c, r, knone), 0);
	ck_assert_uint_eq(c.records, 2);
	dts_cube_free(r);
	/* Summing out the category counts each record once (tops and NONE). */
	ck_assert_int_eq(dts_cube_rollup(&r, dts_agg_cube(a), two, 2), 0);
	{
		const char *k[] = {"2025-Q1", "X"};

		ck_assert_int_eq(dts_cube_lookup(&c, r, k), 0);
		ck_assert_uint_eq(c.records, 2);
	}
	dts_cube_free(r);
	ck_assert_int_eq(dts_cube_rollup(&r, dts_agg_cube(a), dims, 0), DTS_EINVAL);
	{
		const char *no[] = {"colour"}, *dup[] = {"flow", "flow"};

		ck_assert_int_eq(dts_cube_rollup(&r, dts_agg_cube(a), no, 1), DTS_ENOTFOUND);
		ck_assert_int_eq(dts_cube_rollup(&r, dts_agg_cube(a), dup, 2), DTS_EINVAL);
	}

	/* The cube as a table. */
	ck_assert_int_eq(dts_agg_table(&t, dts_agg_cube(a), 4, 6), 0);
	ck_assert_uint_eq(dts_table_ncols(t), 7);
	ck_assert_uint_eq(dts_table_ndims(t), 4);
	ck_assert_uint_eq(dts_table_nrows(t), dts_cube_count(dts_agg_cube(a)));
	ck_assert_str_eq(dts_table_col_name(t, 4), "value");
	ck_assert_str_eq(dts_table_col_id(t, 0), "PERIOD_QUARTER");
	ck_assert_str_eq(dts_table_unit(t), "CNY");
	ck_assert_int_eq(dts_table_unit_mult(t), 4);
	ck_assert_str_eq(dts_table_dataflow(t), "DTS_CUBE");
	ck_assert_str_eq(dts_table_cell(t, 0, 4), "0.000400");   /* 2.00 yuan, merged twice, in wan */
	dts_table_free(t);
	ck_assert_int_eq(dts_agg_table(&t, dts_agg_cube(a), 0, 15), DTS_EINVAL);
	dts_agg_free(a);
	free(b.p);
	free(f.p);
	free(path);
}
END_TEST

/* Enterprise ids as keyed hashes: none in clear in the partial, the same
 * distinct counts, and inputs of another key or in clear refused. */
static char *keyed_partial(const char *rec, const char *key, size_t cube_ents[2])
{
	static int n;
	char *path = malloc(64);
	const char *kx[] = {"X"};
	dts_cube_cell c;
	dts_agg *a;
	FILE *f;

	snprintf(path, 64, "/tmp/dts-kpart-%d-%d", (int)getpid(), n++);
	ck_assert_int_eq(dts_agg_new(&a, "flow", NULL), 0);
	if (key)
		ck_assert_int_eq(dts_agg_set_id_key(a, key, strlen(key)), 0);
	ck_assert_int_eq(dts_agg_add_file(a, rec, NULL, NULL, NULL), 0);
	ck_assert_int_eq(dts_cube_lookup(&c, dts_agg_cube(a), kx), 0);
	cube_ents[0] = c.enterprises;
	cube_ents[1] = c.records;
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(dts_cube_write_partial(dts_agg_cube(a), f), 0);
	fclose(f);
	dts_agg_free(a);
	return path;
}

START_TEST(keyed_enterprise_ids)
{
	char rec[] = "/tmp/dts-krec-XXXXXX", rec2[] = "/tmp/dts-krec2-XXXXXX";
	const char csv[] = "id,flow,period,value,enterprise_id,dts_category\n"
			   "r1,X,2025-01,1,91330100MA0000001X,TECH.CLOUD\n"
			   "r2,X,2025-01,1,91330100MA0000002X,TECH.CLOUD\n"
			   "r3,X,2025-01,1,91330100MA0000001X,TECH.CLOUD\n";
	const char csv2[] = "id,flow,period,value,enterprise_id,dts_category\n"
			    "s1,X,2025-02,1,91330100MA0000001X,TECH.CLOUD\n"
			    "s2,X,2025-02,1,91330100MA0000003X,TECH.CLOUD\n";
	const char *key = "bureau-key-0123456789", *key2 = "another-key-0123456789";
	size_t clear[2], keyed[2], e[2];
	int fr = mkstemp(rec), fr2 = mkstemp(rec2);
	char *pc, *pk, *pk2, *pk3, *text;
	const char *kx[] = {"X"};
	dts_cube_cell c;
	dts_agg *m;
	FILE *f;
	long len;

	ck_assert_int_eq(write(fr, csv, sizeof(csv) - 1), (ssize_t)sizeof(csv) - 1);
	ck_assert_int_eq(write(fr2, csv2, sizeof(csv2) - 1), (ssize_t)sizeof(csv2) - 1);
	close(fr);
	close(fr2);
	pc = keyed_partial(rec, NULL, clear);
	pk = keyed_partial(rec, key, keyed);
	pk2 = keyed_partial(rec2, key, e);
	pk3 = keyed_partial(rec2, key2, e);
	ck_assert_uint_eq(clear[0], 2);
	ck_assert_uint_eq(keyed[0], clear[0]);
	ck_assert_uint_eq(keyed[1], 3);
	/* the partial holds the key's fingerprint and no id in clear */
	ck_assert_ptr_nonnull(f = fopen(pk, "r"));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_int_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	ck_assert_ptr_null(strstr(text, "91330100MA"));
	ck_assert_ptr_nonnull(strstr(text, "\nids\thmac-sha256:"));
	free(text);
	/* shards of one key merge to exact distinct counts (3 enterprises) */
	ck_assert_int_eq(dts_agg_new(&m, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, pk), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, pk2), 0);
	ck_assert_int_eq(dts_cube_lookup(&c, dts_agg_cube(m), kx), 0);
	ck_assert_uint_eq(c.enterprises, 3);
	ck_assert_int_eq(strncmp(dts_cube_ids(dts_agg_cube(m)), "hmac-sha256:", 12), 0);
	/* another key, ids in clear, raw records in clear: refused */
	ck_assert_int_eq(dts_agg_merge_file(m, pk3), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "counted twice"));
	ck_assert_int_eq(dts_agg_merge_file(m, pc), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "in clear"));
	ck_assert_int_eq(dts_agg_add_file(m, rec2, NULL, NULL, NULL), DTS_EINPUT);
	/* the key is set first, with 16 to 64 bytes */
	ck_assert_int_eq(dts_agg_set_id_key(m, key, strlen(key)), DTS_EINVAL);
	dts_agg_free(m);
	ck_assert_int_eq(dts_agg_new(&m, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_set_id_key(m, "short", 5), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_load_id_key(m, "/nonexistent/key"), DTS_EIO);
	ck_assert_ptr_null(dts_cube_ids(dts_agg_cube(m)));
	ck_assert_int_eq(dts_cube_set_ids((dts_cube *)dts_agg_cube(m), "clear"), DTS_EINVAL);
	dts_agg_free(m);
	unlink(rec);
	unlink(rec2);
	unlink(pc);
	unlink(pk);
	unlink(pk2);
	unlink(pk3);
	free(pc);
	free(pk);
	free(pk2);
	free(pk3);
}
END_TEST

/* A partial of the records in `rec` by flow, keyed, with or without
 * contributions. */
static char *con_partial(const char *rec, int contributions)
{
	static int n;
	char *path = malloc(64);
	dts_agg *a;
	FILE *f;

	snprintf(path, 64, "/tmp/dts-cpart-%d-%d", (int)getpid(), n++);
	ck_assert_int_eq(dts_agg_new(&a, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_set_id_key(a, "bureau-key-0123456789", 21), 0);
	ck_assert_int_eq(dts_agg_set_contributions(a, contributions), 0);
	ck_assert_int_eq(dts_agg_add_file(a, rec, NULL, NULL, NULL), 0);
	ck_assert_int_eq(dts_cube_contributions(dts_agg_cube(a)), contributions);
	ck_assert_int_eq(dts_agg_set_contributions(a, 1), DTS_EINVAL); /* too late */
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(dts_cube_write_partial(dts_agg_cube(a), f), 0);
	fclose(f);
	dts_agg_free(a);
	return path;
}

/* Contributions through the aggregation: set before any input, kept in
 * partials of keyed ids, summed by merges (the first partial decides
 * when nobody set them); a partial with and one without are refused,
 * naming both. */
START_TEST(contributions_across_partials)
{
	char rec[] = "/tmp/dts-crec-XXXXXX";
	const char csv[] = "id,flow,period,value,enterprise_id,dts_category\n"
			   "r1,X,2025-01,10,91330100MA0000001X,TECH.CLOUD\n"
			   "r2,X,2025-01,5,91330100MA0000002X,TECH.CLOUD\n"
			   "r3,X,2025-01,-2,91330100MA0000001X,TECH.CLOUD\n";
	const char *kx[] = {"X"};
	int fr = mkstemp(rec);
	char *p1, *p2, *plain;
	dts_amount top[2];
	size_t n;
	dts_agg *m;

	ck_assert_int_eq(write(fr, csv, sizeof(csv) - 1), (ssize_t)sizeof(csv) - 1);
	close(fr);
	p1 = con_partial(rec, 1);
	p2 = con_partial(rec, 1);
	plain = con_partial(rec, 0);
	/* nobody set them: the first partial decides */
	ck_assert_int_eq(dts_agg_new(&m, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, p1), 0);
	ck_assert_int_eq(dts_cube_contributions(dts_agg_cube(m)), 1);
	ck_assert_int_eq(dts_agg_set_contributions(m, 0), DTS_EINVAL);
	/* the same records twice have the same digest: merge the cube */
	{
		dts_cube *c2;

		ck_assert_int_eq(dts_cube_load_partial(&c2, p2), 0);
		ck_assert_int_eq(dts_cube_merge((dts_cube *)dts_agg_cube(m), c2), 0);
		dts_cube_free(c2);
	}
	ck_assert_int_eq(dts_cube_top_contributions(top, &n, dts_agg_cube(m), kx, 2), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(top[0].hi, 0);
	ck_assert_uint_eq(top[0].lo, 16 * (uint64_t)100000000000000); /* 2 x (10 - 2) */
	ck_assert_uint_eq(top[1].lo, 10 * (uint64_t)100000000000000);
	ck_assert_int_eq(dts_agg_merge_file(m, plain), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "has no per-enterprise"));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, p1));
	ck_assert_str_eq(dts_error_last()->file, plain);
	dts_agg_free(m);
	/* set off by the caller: a partial with contributions is refused */
	ck_assert_int_eq(dts_agg_new(&m, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_set_contributions(m, 0), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, p1), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "keeps per-enterprise"));
	dts_agg_free(m);
	/* the first partial without: one with is refused */
	ck_assert_int_eq(dts_agg_new_partial(&m, plain), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, p1), DTS_EINPUT);
	dts_agg_free(m);
	unlink(rec);
	unlink(p1);
	unlink(p2);
	unlink(plain);
	free(p1);
	free(p2);
	free(plain);
}
END_TEST

START_TEST(add_file_sniffs_partials)
{
	char rec[] = "/tmp/dts-rec-XXXXXX", part[] = "/tmp/dts-part-XXXXXX";
	int fr = mkstemp(rec), fp = mkstemp(part);
	const char csv[] = HDR "1,X,2025-01,330108,E1,1.00,CNY,TECH,s\n";
	const char *kx[] = {"X"};
	char buf[64];
	dts_agg *a;
	FILE *f;

	ck_assert_int_ge(fr, 0);
	ck_assert_int_ge(fp, 0);
	ck_assert_int_eq(write(fr, csv, sizeof(csv) - 1), (ssize_t)sizeof(csv) - 1);
	close(fr);
	close(fp);
	ck_assert_int_eq(dts_agg_new(&a, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_add_file(a, rec, NULL, NULL, NULL), 0);
	f = fopen(part, "w");
	ck_assert_int_eq(dts_cube_write_partial(dts_agg_cube(a), f), 0);
	fclose(f);
	/* dts_agg_new_partial: the partial's dimensions and currency, merged. */
	{
		dts_agg *b = (dts_agg *)1;

		ck_assert_int_eq(dts_agg_new_partial(&b, "/nonexistent.part"), DTS_EIO);
		ck_assert_ptr_null(b);
		ck_assert_int_eq(dts_agg_new_partial(&b, part), 0);
		ck_assert_uint_eq(dts_cube_ndims(dts_agg_cube(b)), 1);
		ck_assert_str_eq(dts_cube_dim(dts_agg_cube(b), 0), "flow");
		ck_assert_str_eq(value_of(b, kx, buf, sizeof(buf), NULL), "1.00");
		dts_agg_free(b);
	}
	/* its own partial: the same input again, refused (it would count
	 * twice); merged into another aggregation it adds up */
	ck_assert_int_eq(dts_agg_add_file(a, part, NULL, NULL, NULL), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "counted already"));
	ck_assert_str_eq(value_of(a, kx, buf, sizeof(buf), NULL), "1.00");
	ck_assert_int_eq(dts_agg_add_file(a, "/nonexistent.csv", NULL, NULL, NULL), DTS_EIO);
	dts_agg_free(a);
	ck_assert_int_eq(dts_agg_new(&a, "period:year", NULL), 0);
	/* A partial that does not fit is the input's fault, not the caller's. */
	ck_assert_int_eq(dts_agg_add_file(a, part, NULL, NULL, NULL), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "dimensions flow differ from period:year"));
	/* The caller's options are DTS_EINVAL: an encoding, a --map column. */
	{
		dts_source_options so = DTS_SOURCE_OPTIONS_INIT;
		const char *map[] = {"nosuch=id"};

		so.encoding = "klingon";
		ck_assert_int_eq(dts_agg_add_file(a, rec, &so, NULL, NULL), DTS_EINVAL);
		so.encoding = NULL;
		so.map = map;
		so.nmap = 1;
		ck_assert_int_eq(dts_agg_add_file(a, rec, &so, NULL, NULL), DTS_EINVAL);
	}
	dts_agg_free(a);
	unlink(rec);
	unlink(part);
}
END_TEST

/* A partial of the raw records at `rec` classified by `rules`, with
 * status st and cut-off `vintage`, written to a new temporary file. */
static char *vintage_partial(const dts_rules *rules, const char *rec, int st,
			     const char *vintage)
{
	char *path = strdup("/tmp/dts-vin-XXXXXX");
	int fd = mkstemp(path);
	dts_agg *a;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(dts_agg_new(&a, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_set_rules(a, rules), 0);
	ck_assert_int_eq(dts_agg_set_status(a, st), 0);
	ck_assert_int_eq(dts_agg_set_vintage(a, vintage), 0);
	ck_assert_int_eq(dts_agg_add_file(a, rec, NULL, NULL, NULL), 0);
	f = fopen(path, "w");
	ck_assert_int_eq(dts_cube_write_partial(dts_agg_cube(a), f), 0);
	fclose(f);
	dts_agg_free(a);
	return path;
}

/* Vintages: raw records give the cube the classifier's id@version and the
 * input's SHA-256; merging partials of two classifiers is refused, naming
 * both; status and cut-off combine unless set; the notes say all that. */
START_TEST(vintages_merge_and_notes)
{
	char rec[] = "/tmp/dts-vrec-XXXXXX", xml[] = "/tmp/dts-vxml-XXXXXX";
	const char csv[] = "id,flow,period,description,value\nr1,X,2025-01,plain,100.00\n";
	int fr = mkstemp(rec), fx = mkstemp(xml);
	const char *paths[] = {xml}, *n, *d, *kx[] = {"X"};
	char *v2 = strdup(lim_xml), *pa, *pb, *pc, buf[64];
	dts_rules *r1, *r2;
	dts_table *t;
	dts_agg *m;

	ck_assert_int_eq(write(fr, csv, sizeof(csv) - 1), (ssize_t)sizeof(csv) - 1);
	close(fr);
	ck_assert_int_eq(write(fx, lim_xml, sizeof(lim_xml) - 1), (ssize_t)sizeof(lim_xml) - 1);
	close(fx);
	ck_assert_int_eq(dts_rules_compile(&r1, paths, 1, NULL), 0);
	*strstr(v2, "version=\"1\"") = '\0';
	{
		char x2[2048];
		FILE *f = fopen(xml, "w");

		snprintf(x2, sizeof(x2), "%sversion=\"2\"%s", v2,
			 strstr(lim_xml, "version=\"1\"") + 11);
		fputs(x2, f);
		fclose(f);
	}
	ck_assert_int_eq(dts_rules_compile(&r2, paths, 1, NULL), 0);
	pa = vintage_partial(r1, rec, DTS_STATUS_FINAL, "2025-01-31");
	pb = vintage_partial(r2, rec, DTS_STATUS_FINAL, NULL);
	pc = vintage_partial(r1, rec, DTS_STATUS_PROVISIONAL, "2025-03-31");

	ck_assert_int_eq(dts_agg_new(&m, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, pa), 0);
	ck_assert_str_eq(dts_cube_classifier(dts_agg_cube(m)), "lim@1");
	ck_assert_int_eq(dts_cube_status(dts_agg_cube(m)), DTS_STATUS_FINAL);
	ck_assert_uint_eq(dts_cube_ninputs(dts_agg_cube(m)), 1);
	ck_assert_int_eq(dts_cube_input(&n, &d, dts_agg_cube(m), 0), 0);
	ck_assert_str_eq(n, rec);
	ck_assert_uint_eq(strlen(d), 71);
	ck_assert_int_eq(strncmp(d, "sha256:", 7), 0);
	/* another classifier: refused, naming both */
	ck_assert_int_eq(dts_agg_merge_file(m, pb), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "classifier lim@2 differs from lim@1 of"));
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, pa));
	/* same classifier, provisional and later: the total is provisional,
	 * the cut-off the latest */
	unlink(rec);   /* another file of that name: another digest */
	fr = open(rec, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(write(fr, csv, sizeof(csv) - 1), (ssize_t)sizeof(csv) - 1);
	ck_assert_int_eq(write(fr, "r2,M,2025-01,plain,1.00\n", 24), 24);
	close(fr);
	unlink(pc);
	free(pc);
	pc = vintage_partial(r1, rec, DTS_STATUS_PROVISIONAL, "2025-03-31");
	ck_assert_int_eq(dts_agg_merge_file(m, pc), 0);
	/* the same input again: refused, it would count twice */
	ck_assert_int_eq(dts_agg_merge_file(m, pc), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "counted already"));
	ck_assert_int_eq(dts_agg_add_file(m, rec, NULL, NULL, NULL), DTS_EINPUT);
	ck_assert_int_eq(dts_agg_add_input(m, rec), DTS_EINPUT);
	ck_assert_int_eq(dts_agg_add_input(m, "/nonexistent"), 0);   /* no digest */
	ck_assert_int_eq(dts_cube_input(&n, &d, dts_agg_cube(m), 2), 0);
	ck_assert_str_eq(n, "/nonexistent");
	ck_assert_str_eq(d, "");
	ck_assert_int_eq(dts_cube_status(dts_agg_cube(m)), DTS_STATUS_PROVISIONAL);
	ck_assert_str_eq(dts_cube_vintage(dts_agg_cube(m)), "2025-03-31");
	ck_assert_uint_eq(dts_cube_ninputs(dts_agg_cube(m)), 3);
	ck_assert_str_eq(value_of(m, kx, buf, sizeof(buf), NULL), "200.00");
	/* set by the caller: kept through merges */
	ck_assert_int_eq(dts_agg_set_status(m, DTS_STATUS_REVISED), 0);
	ck_assert_int_eq(dts_agg_set_status(m, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_set_vintage(m, "2025-12-31"), 0);
	ck_assert_int_eq(dts_agg_set_vintage(m, "31.12.2025"), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_status(dts_agg_cube(m)), DTS_STATUS_REVISED);
	ck_assert_str_eq(dts_cube_vintage(dts_agg_cube(m)), "2025-12-31");
	/* the notes */
	ck_assert_int_eq(dts_agg_notes_table(&t, dts_agg_cube(m), 8), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 11);   /* three inputs */
	ck_assert_str_eq(dts_table_cell(t, 3, 0), "分类器 Classifier");
	ck_assert_str_eq(dts_table_cell(t, 3, 1), "lim@1");
	ck_assert_ptr_nonnull(strstr(dts_table_cell(t, 0, 1), "sha256:"));
	ck_assert_ptr_nonnull(strstr(dts_table_cell(t, 4, 1), "revised"));
	ck_assert_str_eq(dts_table_cell(t, 5, 1), "2025-12-31");
	dts_table_free(t);
	/* exact values in any unit: 200 yuan in 亿元 */
	ck_assert_int_eq(dts_agg_table(&t, dts_agg_cube(m), 8, DTS_AGG_EXACT), 0);
	ck_assert_str_eq(dts_table_cell(t, 0, 1), "0.00000001");   /* M: 1 yuan */
	ck_assert_str_eq(dts_table_cell(t, 1, 1), "0.000002");
	ck_assert_int_eq(dts_table_status(t), DTS_STATUS_REVISED);
	dts_table_free(t);
	ck_assert_int_eq(dts_agg_table(&t, dts_agg_cube(m), 0, DTS_AGG_EXACT), 0);
	ck_assert_str_eq(dts_table_cell(t, 1, 1), "200");
	dts_table_free(t);
	dts_agg_free(m);
	/* raw records of another classifier than the partial's: refused */
	ck_assert_int_eq(dts_agg_new(&m, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_merge_file(m, pb), 0);
	ck_assert_int_eq(dts_agg_set_rules(m, r1), 0);
	ck_assert_int_eq(dts_agg_add_file(m, rec, NULL, NULL, NULL), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "classifier lim@1 differs from lim@2"));
	dts_agg_free(m);
	unlink(pa);
	unlink(pb);
	unlink(pc);
	unlink(rec);
	unlink(xml);
	free(pa);
	free(pb);
	free(pc);
	free(v2);
	dts_rules_free(r1);
	dts_rules_free(r2);
}
END_TEST

/* ---- threads ------------------------------------------------------------- */

/* dts-gen records (seed) with a ragged row, a bad date and an unknown
 * flow after every 97th record. */
static int gen_put(const void *data, size_t len, void *payload)
{
	bytes *b = payload;
	static const char bad[] =
		"short,row\n"
		"B,customs,X,2024-13-01,8540.79,,0110,牙刷,BR,330109,913301099MYD68CR4T,"
		",physical,1.00,USD\n"
		"F,customs,Q,2024-03-01,8540.79,,0110,牙刷,BR,330109,913301099MYD68CR4T,"
		",physical,1.00,USD\n";

	b->p = realloc(b->p, b->len + len + sizeof(bad));
	ck_assert_ptr_nonnull(b->p);
	memcpy(b->p + b->len, data, len);
	b->len += len;
	if (++b->calls % 97 == 0) {
		memcpy(b->p + b->len, bad, sizeof(bad) - 1);
		b->len += sizeof(bad) - 1;
	}
	b->p[b->len] = '\0';
	return 0;
}

typedef struct run_out {
	bytes partial;     /* the cube as a partial */
	bytes rejects;     /* "line reason raw|-" of every reject, in order */
	size_t stop_at, seen;  /* the callback stops at reject stop_at (0: never) */
	uint64_t records, rejected, classified;
	int rc;
} run_out;

static int log_reject(const dts_agg_reject *r, void *payload)
{
	run_out *o = payload;
	char line[1400];
	int n = snprintf(line, sizeof(line), "%llu %s %s\n", (unsigned long long)r->line,
			 r->reason, r->raw ? "raw" : "-");

	put(line, (size_t)n, &o->rejects);
	return o->stop_at && ++o->seen == o->stop_at ? DTS_EUSER : 0;
}

/* Aggregate `csv` on `threads` threads with `by`, as the tool does. */
static void agg_run(run_out *o, const bytes *csv, const char *by, int threads,
		    const dts_rules *rules, int contributions, size_t stop_at)
{
	dts_source *src;
	dts_agg *a;
	static const char key[] = "0123456789abcdef-bureau";

	memset(o, 0, sizeof(*o));
	o->stop_at = stop_at;
	ck_assert_int_eq(dts_agg_new(&a, by, NULL), 0);
	ck_assert_int_eq(dts_agg_set_threads(a, threads), 0);
	ck_assert_int_eq(dts_agg_set_rules(a, rules), 0);
	ck_assert_int_eq(dts_agg_load_rates(a, DTS_SRCDIR "/bench/rates.csv"), 0);
	if (contributions) {
		ck_assert_int_eq(dts_agg_set_contributions(a, 1), 0);
		ck_assert_int_eq(dts_agg_set_id_key(a, key, sizeof(key) - 1), 0);
	}
	ck_assert_int_eq(dts_source_open_buffer(&src, csv->p, csv->len, "g.csv", NULL), 0);
	o->rc = dts_agg_add_source(a, src, log_reject, o);
	dts_source_free(src);
	o->records = dts_agg_records(a);
	o->rejected = dts_agg_rejects(a);
	o->classified = dts_agg_classified(a);
	if (o->rc == 0)
		ck_assert_int_eq(dts_cube_write_partial_cb(dts_agg_cube(a), put, &o->partial), 0);
	dts_agg_free(a);
}

static void run_free(run_out *o)
{
	free(o->partial.p);
	free(o->rejects.p);
}

START_TEST(threads_give_the_same_cube)
{
	const char *path = DTS_SRCDIR "/classifiers/cn-digital-trade.xml";
	static const char *const bys[] = {
		"period:month,category:top,flow",
		"period:quarter,category:leaf,region:district,counterpart,base"};
	dts_rules *rules;
	dts_agg *a;

	ck_assert_int_eq(dts_rules_compile(&rules, &path, 1, NULL), 0);
	ck_assert_int_eq(dts_agg_new(&a, "flow", NULL), 0);
	ck_assert_int_eq(dts_agg_set_threads(a, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_set_threads(a, DTS_BATCH_MAX_THREADS + 1), DTS_EINVAL);
	ck_assert_int_eq(dts_agg_set_threads(a, 4), 0);
	ck_assert_int_eq(dts_agg_set_threads(a, 1), 0);
	dts_agg_free(a);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		dts_gen_options g = DTS_GEN_OPTIONS_INIT;
		bytes csv = {0};

		g.seed = seed;
		g.records = 9000;   /* nine blocks of 1024 rows and more */
		ck_assert_int_eq(dts_gen_write_cb(gen_put, &csv, &g), 0);
		for (size_t k = 0; k < 2; k++) {
			run_out one, n;

			agg_run(&one, &csv, bys[k], 1, rules, (int)k, 0);
			ck_assert_int_eq(one.rc, 0);
			ck_assert_uint_eq(one.records, 9000);
			ck_assert_uint_eq(one.rejected, 3 * (9000 / 97));
			ck_assert_uint_eq(one.classified, 9000); /* the rejects fail the checks */
			for (int t = 2; t <= 3; t++) {
				agg_run(&n, &csv, bys[k], t, rules, (int)k, 0);
				ck_assert_int_eq(n.rc, 0);
				ck_assert_uint_eq(n.records, one.records);
				ck_assert_uint_eq(n.rejected, one.rejected);
				ck_assert_uint_eq(n.classified, one.classified);
				ck_assert_uint_eq(n.partial.len, one.partial.len);
				ck_assert(!memcmp(n.partial.p, one.partial.p, one.partial.len));
				ck_assert_uint_eq(n.rejects.len, one.rejects.len);
				ck_assert(!memcmp(n.rejects.p, one.rejects.p, one.rejects.len));
				run_free(&n);
			}
			/* the 5th reject stops the source: the same rejects
			 * seen and the callback's code, for any N */
			run_free(&one);
			if (seed > 1)
				continue;
			agg_run(&one, &csv, bys[k], 1, rules, (int)k, 5);
			ck_assert_int_eq(one.rc, DTS_EUSER);
			agg_run(&n, &csv, bys[k], 3, rules, (int)k, 5);
			ck_assert_int_eq(n.rc, DTS_EUSER);
			ck_assert_uint_eq(n.rejected, 5);
			ck_assert_uint_eq(n.rejects.len, one.rejects.len);
			ck_assert(!memcmp(n.rejects.p, one.rejects.p, one.rejects.len));
			run_free(&n);
			run_free(&one);
		}
		free(csv.p);
	}
	dts_rules_free(rules);
}
END_TEST

/* Write b to a fresh temporary file (path: a "/tmp/dts-aggXXXXXX" buffer). */
static void write_temp(char *path, const void *p, size_t len)
{
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, p, len), (ssize_t)len);
	close(fd);
}

/* dts_agg_add_records on `threads` threads: the input's records (rc), then
 * a copy of it and the file again (refused), then a file of the same size
 * (other bytes: digested first, as a copy could be). */
static void add_records_run(run_out *o, const char *const files[3], int threads,
			    const dts_rules *rules, int old_way)
{
	dts_source *src;
	dts_agg *a;
	uint64_t records, rejected;
	size_t rej_len;

	memset(o, 0, sizeof(*o));
	ck_assert_int_eq(dts_agg_new(&a, "period:month,category:top,flow", NULL), 0);
	ck_assert_int_eq(dts_agg_set_threads(a, threads), 0);
	ck_assert_int_eq(dts_agg_set_rules(a, rules), 0);
	ck_assert_int_eq(dts_agg_load_rates(a, DTS_SRCDIR "/bench/rates.csv"), 0);
	ck_assert_int_eq(dts_source_open(&src, files[0], NULL), 0);
	if (old_way) {   /* the input, then its records */
		ck_assert_int_eq(dts_agg_add_input(a, files[0]), 0);
		o->rc = dts_agg_add_source(a, src, log_reject, o);
	} else {
		o->rc = dts_agg_add_records(a, files[0], src, log_reject, o);
	}
	dts_source_free(src);
	ck_assert_int_eq(o->rc, 0);
	records = dts_agg_records(a);
	rejected = dts_agg_rejects(a);
	rej_len = o->rejects.len;
	/* counted already: refused before a record is read, for any N */
	for (int k = 0; k < 2; k++) {
		const char *dup = k ? files[0] : files[1];

		ck_assert_int_eq(dts_source_open(&src, dup, NULL), 0);
		ck_assert_int_eq(dts_agg_add_records(a, dup, src, log_reject, o), DTS_EINPUT);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "counted already"));
		dts_source_free(src);
		ck_assert_int_eq(dts_agg_add_file(a, dup, NULL, log_reject, o), DTS_EINPUT);
		ck_assert_uint_eq(dts_agg_records(a), records);
		ck_assert_uint_eq(dts_agg_rejects(a), rejected);
		ck_assert_uint_eq(o->rejects.len, rej_len);
	}
	ck_assert_uint_eq(dts_cube_ninputs(dts_agg_cube(a)), 1);
	ck_assert_int_eq(dts_agg_add_file(a, files[2], NULL, log_reject, o), 0);
	ck_assert_uint_eq(dts_cube_ninputs(dts_agg_cube(a)), 2);
	o->records = dts_agg_records(a);
	o->rejected = dts_agg_rejects(a);
	ck_assert_int_eq(dts_cube_write_partial_cb(dts_agg_cube(a), put, &o->partial), 0);
	dts_agg_free(a);
}

START_TEST(digest_alongside_records)
{
	const char *path = DTS_SRCDIR "/classifiers/cn-digital-trade.xml";
	dts_gen_options g = DTS_GEN_OPTIONS_INIT;
	char f1[] = "/tmp/dts-aggXXXXXX", f2[] = "/tmp/dts-aggXXXXXX",
	     f3[] = "/tmp/dts-aggXXXXXX";
	const char *const files[3] = {f1, f2, f3};
	dts_rules *rules;
	bytes csv = {0};
	run_out one, n;
	char *x;

	ck_assert_int_eq(dts_rules_compile(&rules, &path, 1, NULL), 0);
	g.seed = 4;
	g.records = 9000;
	ck_assert_int_eq(dts_gen_write_cb(gen_put, &csv, &g), 0);
	write_temp(f1, csv.p, csv.len);
	write_temp(f2, csv.p, csv.len);
	ck_assert_ptr_nonnull(x = strstr(csv.p, ",X,"));
	x[1] = 'M';   /* the same size, another digest */
	write_temp(f3, csv.p, csv.len);
	add_records_run(&one, files, 1, rules, 1);
	ck_assert_uint_eq(one.records, 2 * 9000);
	for (int t = 1; t <= 3; t++) {
		add_records_run(&n, files, t, rules, 0);
		ck_assert_uint_eq(n.records, one.records);
		ck_assert_uint_eq(n.rejected, one.rejected);
		ck_assert_uint_eq(n.partial.len, one.partial.len);   /* the digests too */
		ck_assert(!memcmp(n.partial.p, one.partial.p, one.partial.len));
		ck_assert_uint_eq(n.rejects.len, one.rejects.len);
		ck_assert(!memcmp(n.rejects.p, one.rejects.p, one.rejects.len));
		run_free(&n);
	}
	run_free(&one);
	unlink(f1);
	unlink(f2);
	unlink(f3);
	free(csv.p);
	dts_rules_free(rules);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("aggregate");
	TCase *tc = tcase_create("aggregate");

	tcase_add_test(tc, by_specs);
	tcase_add_test(tc, long_keys_stay_distinct);
	tcase_add_test(tc, currency_conversion_is_exact);
	tcase_add_test(tc, zones_and_rejects);
	tcase_add_test(tc, raw_records_and_match_limit);
	tcase_add_test(tc, partials_tables_rollup);
	tcase_add_test(tc, vintages_merge_and_notes);
	tcase_add_test(tc, add_file_sniffs_partials);
	tcase_add_test(tc, keyed_enterprise_ids);
	tcase_add_test(tc, contributions_across_partials);
	tcase_add_test(tc, threads_give_the_same_cube);
	tcase_add_test(tc, digest_alongside_records);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
