/*
 * test_cube.c — the statistics cube: exact sums against an independent
 * computation, aggregates, overflow, distinct enterprises, partials and
 * merges that are byte-identical to one run.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dts.h"
#include "dts/cube.h"

__extension__ typedef __int128 i128;

static const char *const cats[] = {"CBEC.B2C", "CBEC.B2B", "TECH.CLOUD",
				   "SERV.FINANCE", "PROD.GAME", "DATA.PRODUCT",
				   "NONE"};
#define NCATS 7
static const char *const dims3[] = {"period:year", "flow", "category:top"};

/* A small deterministic generator (no libc rand: same data everywhere). */
static uint64_t rng = 88172645463325252u;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

typedef struct rec {
	char year[5];
	const char *flow;
	int cat;
	dts_money value;
	dts_rate rate;
	char ent[8];
} rec;

static rec *gen(size_t n)
{
	rec *r = calloc(n, sizeof(*r));

	rng = 88172645463325252u;
	for (size_t i = 0; i < n; i++) {
		snprintf(r[i].year, sizeof(r[i].year), "%d", 2023 + (int)(next() % 3));
		r[i].flow = next() % 2 ? "X" : "M";
		r[i].cat = (int)(next() % NCATS);
		r[i].value = (dts_money)(next() % 100000000000u) - 20000000000;
		r[i].rate = next() % 4 ? DTS_RATE_ONE :
			    (dts_rate)(71000000000 + next() % 1000000000);
		snprintf(r[i].ent, sizeof(r[i].ent), "E%03d", (int)(next() % 300));
	}
	return r;
}

static dts_cube *build(const rec *r, size_t from, size_t to)
{
	dts_cube *c;

	ck_assert_int_eq(dts_cube_new(&c, dims3, 3, "CNY"), 0);
	for (size_t i = from; i < to; i++) {
		const char *keys[3] = {r[i].year, r[i].flow, cats[r[i].cat]};

		ck_assert_int_eq(dts_cube_add(c, keys, r[i].value, r[i].rate,
					      r[i].ent), 0);
	}
	return c;
}

static char *partial_of(const dts_cube *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_cube_write_partial(c, f), 0);
	fclose(f);
	return buf;
}

/* x and y write the same partial, byte for byte */
static void same_partial(const dts_cube *x, const dts_cube *y)
{
	size_t la, lb;
	char *a = partial_of(x, &la), *b = partial_of(y, &lb);

	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	free(a);
	free(b);
}


static int in_group(int cat, const char *key)
{
	const char *top = cat == 6 ? "NONE" : cat < 2 ? "CBEC" :
			  cat == 2 ? "TECH" : cat == 3 ? "SERV" :
			  cat == 4 ? "PROD" : "DATA";

	if (!strcmp(key, top))
		return 1;
	if (!strcmp(key, "DT"))
		return cat != 6;
	if (!strcmp(key, "DO"))
		return cat < 2;
	if (!strcmp(key, "DD"))
		return cat >= 2 && cat <= 5;
	return 0;
}

/* Sums by brute force over the records, compared with every cell. */
START_TEST(sums_match_independent_computation)
{
	const size_t n = 20000;
	static const char *const keys9[] = {"DT", "DO", "CBEC", "DD", "TECH",
					    "SERV", "PROD", "DATA", "NONE"};
	rec *r = gen(n);
	dts_cube *c = build(r, 0, n);
	size_t cells = 0;

	for (int y = 2023; y <= 2025; y++)
		for (int fl = 0; fl < 2; fl++)
			for (int k = 0; k < 9; k++) {
				char year[8], want[64], got[64];
				const char *keys[3] = {year, fl ? "X" : "M", keys9[k]};
				i128 sum = 0;
				uint64_t recs = 0;
				char seen[300] = {0};
				uint64_t ents = 0;
				dts_cube_cell cell;

				snprintf(year, sizeof(year), "%d", y);
				for (size_t i = 0; i < n; i++) {
					if (strcmp(r[i].year, year) ||
					    strcmp(r[i].flow, keys[1]) ||
					    !in_group(r[i].cat, keys9[k]))
						continue;
					sum += (i128)r[i].value * r[i].rate;
					recs++;
					if (!seen[(int)strtol(r[i].ent + 1, NULL, 10)]++)
						ents++;
				}
				if (!recs)
					continue;
				cells++;
				ck_assert_int_eq(dts_cube_lookup(&cell, c, keys), 0);
				ck_assert_uint_eq(cell.records, recs);
				ck_assert_uint_eq(cell.enterprises, ents);
				ck_assert((i128)cell.value.hi * ((i128)1 << 64) +
					  (i128)cell.value.lo == sum);
				/* formatted: sum rounded once at 2 decimals */
				{
					i128 a = sum < 0 ? -sum : sum;
					i128 q = a / (i128)1000000000000LL;
					i128 rem = a % (i128)1000000000000LL;

					if (rem * 2 >= (i128)1000000000000LL)
						q++;
					snprintf(want, sizeof(want), "%s%lld.%02lld",
						 sum < 0 && q ? "-" : "",
						 (long long)(q / 100), (long long)(q % 100));
				}
				dts_amount_format(got, sizeof(got), &cell.value, 0, 2);
				ck_assert_str_eq(got, want);
			}
	ck_assert_uint_eq(cells, dts_cube_count(c));
	dts_cube_free(c);
	free(r);
}
END_TEST

/* DT = DO + DD exactly, and = the five top codes; NONE apart. */
START_TEST(aggregates_add_up)
{
	rec *r = gen(5000);
	dts_cube *c = build(r, 0, 5000);
	const char *years[] = {"2023", "2024", "2025"};

	for (int y = 0; y < 3; y++)
		for (int fl = 0; fl < 2; fl++) {
			const char *k[3] = {years[y], fl ? "X" : "M", "DT"};
			dts_cube_cell dt, dd, dc;
			dts_amount sum = DTS_AMOUNT_ZERO;

			ck_assert_int_eq(dts_cube_lookup(&dt, c, k), 0);
			k[2] = "DO";
			ck_assert_int_eq(dts_cube_lookup(&dc, c, k), 0);
			k[2] = "DD";
			ck_assert_int_eq(dts_cube_lookup(&dd, c, k), 0);
			ck_assert_int_eq(dts_amount_add(&sum, &dc.value), 0);
			ck_assert_int_eq(dts_amount_add(&sum, &dd.value), 0);
			ck_assert_int_eq(dts_amount_cmp(&sum, &dt.value), 0);
			ck_assert_uint_eq(dc.records + dd.records, dt.records);
			/* distinct counts are not sums */
			ck_assert_uint_le(dt.enterprises,
					  dc.enterprises + dd.enterprises);
		}
	dts_cube_free(c);
	free(r);
}
END_TEST

START_TEST(leaf_dimension_has_tops_and_aggregates)
{
	static const char *const dims[] = {"category:leaf"};
	dts_cube *c;
	const char *k[1];
	dts_cube_cell cell;
	static const char *const order[] = {"DT", "DO", "CBEC", "CBEC.B2C",
					    "DD", "TECH", "TECH.CLOUD",
					    "NONE", "ZZZ"};
	char *got;
	size_t len;

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	k[0] = "TECH.CLOUD";
	ck_assert_int_eq(dts_cube_add(c, k, 100, DTS_RATE_ONE, "A"), 0);
	k[0] = "CBEC.B2C";
	ck_assert_int_eq(dts_cube_add(c, k, 50, DTS_RATE_ONE, "A"), 0);
	k[0] = "NONE";
	ck_assert_int_eq(dts_cube_add(c, k, 7, DTS_RATE_ONE, ""), 0);
	k[0] = "ZZZ";
	ck_assert_int_eq(dts_cube_add(c, k, 1, DTS_RATE_ONE, NULL), 0);
	ck_assert_uint_eq(dts_cube_count(c), 9);
	k[0] = "DT";
	ck_assert_int_eq(dts_cube_lookup(&cell, c, k), 0);
	ck_assert_uint_eq(cell.records, 2);
	ck_assert_uint_eq(cell.enterprises, 1);
	k[0] = "NONE";
	ck_assert_int_eq(dts_cube_lookup(&cell, c, k), 0);
	ck_assert_uint_eq(cell.enterprises, 0);
	k[0] = "TECH.SOFTWARE";
	ck_assert_int_eq(dts_cube_lookup(&cell, c, k), DTS_ENOTFOUND);
	/* canonical order */
	got = partial_of(c, &len);
	{
		const char *p = got;

		for (int i = 0; i < 9; i++) {
			char want[32];

			snprintf(want, sizeof(want), "\ncell\t%s\t", order[i]);
			p = strstr(p, want);
			ck_assert_msg(p != NULL, "%s out of order", order[i]);
		}
	}
	free(got);
	dts_cube_free(c);
}
END_TEST

/*
 * Enterprise sets switch from a hash set to a bitmap once that is smaller
 * (cube.c). A dense cell (every enterprise) and a sparse one (ten) must
 * count exactly in both forms, through a partial and through a merge.
 */
START_TEST(enterprise_sets_sparse_and_dense)
{
	static const char *const dims[] = {"flow"};
	const char *dense[] = {"X"}, *sparse[] = {"M"};
	dts_cube *c, *back, *twice;
	dts_cube_cell cell;
	char id[32], *text;
	size_t len;
	int i, pass;

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	for (pass = 0; pass < 2; pass++) /* every id twice: still distinct once */
		for (i = 0; i < 10000; i++) {
			snprintf(id, sizeof(id), "E%05d", (i * 7919) % 10000);
			ck_assert_int_eq(dts_cube_add(c, dense, 1, DTS_RATE_ONE, id), 0);
			if (i % 1000 == 0)
				ck_assert_int_eq(dts_cube_add(c, sparse, 1, DTS_RATE_ONE, id), 0);
		}
	ck_assert_int_eq(dts_cube_lookup(&cell, c, dense), 0);
	ck_assert_uint_eq(cell.enterprises, 10000);
	ck_assert_uint_eq(cell.records, 20000);
	ck_assert_int_eq(dts_cube_lookup(&cell, c, sparse), 0);
	ck_assert_uint_eq(cell.enterprises, 10);
	text = partial_of(c, &len);
	ck_assert_int_eq(dts_cube_read_partial(&back, "p", text, len), 0);
	ck_assert_int_eq(dts_cube_lookup(&cell, back, dense), 0);
	ck_assert_uint_eq(cell.enterprises, 10000);
	ck_assert_int_eq(dts_cube_read_partial(&twice, "p", text, len), 0);
	ck_assert_int_eq(dts_cube_merge(twice, back), 0); /* same ids: a union */
	ck_assert_int_eq(dts_cube_lookup(&cell, twice, dense), 0);
	ck_assert_uint_eq(cell.enterprises, 10000);
	ck_assert_uint_eq(cell.records, 40000);
	ck_assert_int_eq(dts_cube_lookup(&cell, twice, sparse), 0);
	ck_assert_uint_eq(cell.enterprises, 10);
	free(text);
	dts_cube_free(twice);
	dts_cube_free(back);
	dts_cube_free(c);
}
END_TEST

START_TEST(overflow_is_an_error)
{
	static const char *const dims[] = {"flow"};
	const char *k[1] = {"X"};
	dts_cube *c;
	dts_cube_cell cell;
	dts_amount before;
	int rc = 0, i;

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	for (i = 0; i < 100 && rc == 0; i++)
		rc = dts_cube_add(c, k, INT64_MAX, INT64_MAX, "E");
	ck_assert_int_eq(rc, DTS_EOVERFLOW);
	ck_assert_int_gt(i, 1);
	ck_assert_int_eq(dts_cube_lookup(&cell, c, k), 0);
	ck_assert_uint_eq(cell.records, (uint64_t)(i - 1));
	before = cell.value;
	ck_assert_int_gt(before.hi, 0);      /* not wrapped */
	ck_assert_int_eq(dts_cube_add(c, k, INT64_MAX, INT64_MAX, "E"),
			 DTS_EOVERFLOW);
	ck_assert_int_eq(dts_cube_lookup(&cell, c, k), 0);
	ck_assert_int_eq(dts_amount_cmp(&cell.value, &before), 0);
	/* negative side too */
	ck_assert_int_eq(dts_amount_add(&before, &before), DTS_EOVERFLOW);
	dts_cube_free(c);
}
END_TEST

/* The cube's accumulation, for tools that sum money: exact past int64,
 * the same sum as the cube's cell, overflow only past 128 bits. */
START_TEST(money_sums_are_exact_past_int64)
{
	static const char *const dims[] = {"flow"};
	const char *k[1] = {"X"};
	dts_amount a = DTS_AMOUNT_ZERO, big = DTS_AMOUNT_ZERO, before;
	dts_cube *c;
	dts_cube_cell cell;
	char buf[64];

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(dts_amount_add_money(&a, INT64_MAX, DTS_RATE_ONE), 0);
		ck_assert_int_eq(dts_cube_add(c, k, INT64_MAX, DTS_RATE_ONE, ""), 0);
	}
	ck_assert_int_eq(dts_amount_add_money(&a, INT64_MIN, DTS_RATE_ONE), 0);
	ck_assert_int_eq(dts_cube_add(c, k, INT64_MIN, DTS_RATE_ONE, ""), 0);
	ck_assert_int_eq(dts_cube_lookup(&cell, c, k), 0);
	ck_assert_int_eq(dts_amount_cmp(&a, &cell.value), 0);
	dts_amount_format(buf, sizeof(buf), &a, 0, 4);
	ck_assert_str_eq(buf, "1844674407370955.1613");   /* 2 * (2^63 - 1) - 1 */
	while (dts_amount_add_money(&big, INT64_MAX, INT64_MAX) == 0)
		;
	before = big;
	ck_assert_int_eq(dts_amount_add_money(&big, INT64_MAX, INT64_MAX),
			 DTS_EOVERFLOW);
	ck_assert_int_eq(dts_amount_cmp(&big, &before), 0);
	dts_cube_free(c);
}
END_TEST

START_TEST(merge_of_shards_is_byte_identical)
{
	const size_t n = 12000;
	rec *r = gen(n);
	dts_cube *one = build(r, 0, n), *merged = NULL, *back = NULL;
	char *a, *b, *parts[4], *c2;
	size_t la, lb, lp[4], lc;

	a = partial_of(one, &la);
	/* four shards of unequal size, merged in a scrambled order */
	{
		size_t cut[5] = {0, 100, 5000, 5001, n};
		int order[4] = {2, 0, 3, 1};

		for (int s = 0; s < 4; s++) {
			dts_cube *sh = build(r, cut[s], cut[s + 1]);

			parts[s] = partial_of(sh, &lp[s]);
			dts_cube_free(sh);
		}
		for (int s = 0; s < 4; s++) {
			dts_cube *sh;

			ck_assert_int_eq(dts_cube_read_partial(&sh, "shard",
					 parts[order[s]], lp[order[s]]), 0);
			if (!merged)
				merged = sh;
			else {
				ck_assert_int_eq(dts_cube_merge(merged, sh), 0);
				dts_cube_free(sh);
			}
		}
	}
	b = partial_of(merged, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	/* read back and write again: the same bytes */
	ck_assert_int_eq(dts_cube_read_partial(&back, "a", a, la), 0);
	c2 = partial_of(back, &lc);
	ck_assert_uint_eq(lc, la);
	ck_assert(memcmp(a, c2, la) == 0);
	ck_assert(dts_cube_is_partial(a, la));
	for (int s = 0; s < 4; s++)
		free(parts[s]);
	free(a);
	free(b);
	free(c2);
	dts_cube_free(one);
	dts_cube_free(merged);
	dts_cube_free(back);
	free(r);
}
END_TEST

/* dts_cube_add finds a record's cells through a memo of key tuples
 * (cells_of): with more tuples than memo slots, keys too long to keep and
 * records counting in more cells than kept, adding record by record gives
 * the bytes of merging one-record cubes (each a first add, no memo). */
START_TEST(add_memo_same_as_fresh_adds)
{
	static const char *const dimsets[2][3] = {
		{"period", "category", "shop"}, {"category", "category:top", "flow"}};
	char longkey[100];

	memset(longkey, 'k', 80);
	for (int d = 0; d < 2; d++) {
		dts_cube *all, *merged;

		rng = 12345u + (uint64_t)d;
		ck_assert_int_eq(dts_cube_new(&all, dimsets[d], 3, "CNY"), 0);
		ck_assert_int_eq(dts_cube_new(&merged, dimsets[d], 3, "CNY"), 0);
		for (int i = 0; i < 6000; i++) {
			char per[16], shop[128], ent[16];
			const char *keys[3];
			dts_money v = (dts_money)(next() % 1000000);
			dts_cube *one;

			snprintf(per, sizeof(per), "%d-%02d", 2020 + (int)(next() % 5),
				 1 + (int)(next() % 12));
			snprintf(longkey + 80, 20, "%d", (int)(next() % 7));
			snprintf(shop, sizeof(shop), "%s", next() % 9 ? "" : longkey);
			snprintf(shop + strlen(shop), 16, "s%d", (int)(next() % 40));
			snprintf(ent, sizeof(ent), "E%d", (int)(next() % 500));
			keys[0] = d ? cats[next() % NCATS] : per;
			keys[1] = cats[next() % NCATS];
			keys[2] = d ? (next() % 2 ? "X" : "M") : shop;
			ck_assert_int_eq(dts_cube_add(all, keys, v, DTS_RATE_ONE, ent), 0);
			ck_assert_int_eq(dts_cube_new(&one, dimsets[d], 3, "CNY"), 0);
			ck_assert_int_eq(dts_cube_add(one, keys, v, DTS_RATE_ONE, ent), 0);
			ck_assert_int_eq(dts_cube_merge(merged, one), 0);
			dts_cube_free(one);
		}
		ck_assert_uint_gt(dts_cube_count(all), d ? 50 : 2000);
		same_partial(all, merged);
		dts_cube_free(all);
		dts_cube_free(merged);
	}
}
END_TEST

/* The partial trailer, computed here independently of the library: the
 * FNV-1a 64-bit hash (docs/statistics.md) of every byte before it. */
static uint64_t fnv1a64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* body: a partial up to and including "end\tN\t"; n bytes (NULs allowed).
 * Returns body + its hash + "\n" in buf (static), length in *len. */
static const char *signed_n(const char *body, size_t n, size_t *len)
{
	static char buf[4096];

	ck_assert_uint_lt(n + 18, sizeof(buf));
	memcpy(buf, body, n);
	snprintf(buf + n, sizeof(buf) - n, "%016llx\n",
		 (unsigned long long)fnv1a64(body, n));
	*len = n + 17;
	return buf;
}

static int read_text(dts_cube **out, const char *body)
{
	size_t len;
	const char *text = signed_n(body, strlen(body), &len);

	return dts_cube_read_partial(out, "p", text, len);
}

static int read_v1(dts_cube **out)
{
	const char *v1 = "dts-cube-partial 1\ncurrency\tCNY\ndims\tflow\nend\t0\n";

	return dts_cube_read_partial(out, "p", v1, strlen(v1));
}

/* The reader takes exactly what the writer writes: the four escapes, no
 * NUL, an intact checksum. Each rejection names the line. */
START_TEST(partial_reader_is_strict)
{
	static const char nul[] = "dts-cube-partial 2\ncurrency\tCNY\ndims\tflow\n"
		"cell\tX\t1\t1.5\t1\nent\tE1\0tail\nend\t1\t";
	const char *good = "dts-cube-partial 2\ncurrency\tCNY\ndims\tflow\n"
		"cell\tX\t1\t1.5\t1\nent\tE1\nend\t1\t";
	dts_cube *d = NULL;
	char edited[4096];
	size_t len;

	ck_assert_int_eq(read_text(&d, good), 0);
	dts_cube_free(d);
	ck_assert_int_eq(read_text(&d, "dts-cube-partial 2\ncurrency\tCNY\n"
				   "dims\tflow\ncell\tX\\q\t1\t1.5\t0\nend\t1\t"),
			 DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 4);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "escape"));
	ck_assert_int_eq(read_text(&d, "dts-cube-partial 2\ncurrency\tCNY\n"
				   "dims\tflow\ncell\tX\\\t1\t1.5\t0\nend\t1\t"),
			 DTS_EINPUT);   /* a backslash before a real tab */
	ck_assert_uint_eq(dts_error_last()->line, 4);
	signed_n(nul, sizeof(nul) - 1, &len);
	ck_assert_int_eq(dts_cube_read_partial(&d, "p", signed_n(nul,
			 sizeof(nul) - 1, &len), len), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 5);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "NUL"));
	/* hand-edited: one digit of the value changed, checksum kept */
	snprintf(edited, sizeof(edited), "%s", signed_n(good, strlen(good), &len));
	*strstr(edited, "1.5") = '9';
	ck_assert_int_eq(dts_cube_read_partial(&d, "shard.partial", edited, len),
			 DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "shard.partial");
	ck_assert_uint_eq(dts_error_last()->line, 6);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "checksum"));
	/* the trailer missing, or the old format without one */
	ck_assert_int_eq(dts_cube_read_partial(&d, "p", good, strlen(good) - 1),
			 DTS_EINPUT);
	ck_assert_int_eq(read_v1(&d), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "format 1"));
	ck_assert(dts_cube_is_partial("dts-cube-partial 1\n", 19));
	ck_assert_ptr_null(d);
}
END_TEST

START_TEST(partial_escapes_and_rejects)
{
	static const char *const dims[] = {"region", "description"};
	const char *k[2] = {"33\t01", "a\\b\nc"};
	dts_cube *c, *d;
	dts_cube_cell cell;
	char *p;
	size_t len;

	ck_assert_int_eq(dts_cube_new(&c, dims, 2, "CNY"), 0);
	ck_assert_int_eq(dts_cube_add(c, k, 12345, DTS_RATE_ONE, "E\t1"), 0);
	p = partial_of(c, &len);
	ck_assert_ptr_nonnull(strstr(p, "cell\t33\\t01\ta\\\\b\\nc\t1\t1.23450000000000\t1\nent\tE\\t1\n"));
	ck_assert_int_eq(dts_cube_read_partial(&d, "p", p, len), 0);
	ck_assert_int_eq(dts_cube_lookup(&cell, d, k), 0);
	ck_assert_uint_eq(cell.enterprises, 1);
	dts_cube_free(d);
	/* truncated, bad counts, wrong dims */
	ck_assert_int_eq(dts_cube_read_partial(&d, "p", p, len - 7), DTS_EINPUT);
	ck_assert_int_eq(read_text(&d, "dts-cube-partial 2\n"
			 "currency\tCNY\ndims\tflow\ncell\tX\t1\t1.5\t0\nend\t2\t"),
			 DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 5);
	ck_assert_int_eq(read_text(&d, "dts-cube-partial 2\n"
			 "currency\tCNY\ndims\tflow\ncell\tX\t1\t1.5x\t0\nend\t1\t"),
			 DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 4);
	ck_assert_int_eq(read_text(&d, "dts-cube-partial 2\n"
			 "currency\tCNY\ndims\tflow\ncell\tX\t1\t1.5\t1\nend\t1\t"),
			 DTS_EINPUT);
	ck_assert_int_eq(read_text(&d, "dts-cube-partial 2\n"
			 "currency\tCNY\ndims\tflow\ncell\tX\t1\t1.5\t0\n"
			 "cell\tX\t1\t1.5\t0\nend\t1\t"), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "duplicate"));
	ck_assert_uint_eq(dts_error_last()->line, 5);
	ck_assert_int_eq(dts_cube_read_partial(&d, "p", "nope\n", 5), DTS_EINPUT);
	free(p);
	{
		static const char *const other[] = {"region", "flow"};

		ck_assert_int_eq(dts_cube_new(&d, other, 2, "CNY"), 0);
		ck_assert_int_eq(dts_cube_merge(c, d), DTS_EINVAL);
		dts_cube_free(d);
		ck_assert_int_eq(dts_cube_new(&d, dims, 2, "USD"), 0);
		ck_assert_int_eq(dts_cube_merge(c, d), DTS_EINVAL);
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
					     "currencies: CNY and USD"));
		ck_assert_int_eq(dts_cube_check_currency(d, c), DTS_EINVAL);
		ck_assert_int_eq(dts_cube_check_currency(c, c), 0);
		dts_cube_free(d);
	}
	dts_cube_free(c);
}
END_TEST

/* Keys XML cannot carry are refused at the cube, naming the dimension;
 * everything XML 1.0 allows is kept as it is. */
START_TEST(keys_must_be_xml_text)
{
	static const char *const ok[] = {"ab", "tab\there", "a\nb\rc",
		"\xE4\xB8\xAD", "\xEF\xBF\xBD", "\xF0\x9F\x98\x80", "\x7F", ""};
	static const char *const bad[] = {"a\x01" "b", "\x1F", "x\xEF\xBF\xBE",
		"\xEF\xBF\xBF", "\xC0\x80", "\xED\xA0\x80", "\xFF", "\xE4\xB8"};
	static const char *const dims[] = {"shop"};
	dts_cube *c, *d;
	const char *k[1];
	char body[256];

	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++)
		ck_assert_int_eq(dts_text_check(ok[i], strlen(ok[i])), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_int_eq(dts_text_check(bad[i], strlen(bad[i])), DTS_EINPUT);
	ck_assert_int_eq(dts_text_check("a\x01" "b", 3), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "U+0001 at byte 2"));
	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	k[0] = "a\x01" "b";
	ck_assert_int_eq(dts_cube_add(c, k, 1, DTS_RATE_ONE, ""), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "dimension shop"));
	ck_assert_uint_eq(dts_cube_count(c), 0);
	k[0] = "ab";
	ck_assert_int_eq(dts_cube_add(c, k, 1, DTS_RATE_ONE, ""), 0);
	ck_assert_uint_eq(dts_cube_count(c), 1);
	dts_cube_free(c);
	/* nor can a partial bring one in */
	snprintf(body, sizeof(body), "dts-cube-partial 2\ncurrency\tCNY\n"
		 "dims\tshop\ncell\tx\xEF\xBF\xBE\t1\t1.5\t0\nend\t1\t");
	ck_assert_int_eq(read_text(&d, body), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 4);
}
END_TEST

START_TEST(amount_format_rounds_once)
{
	dts_amount a, b;
	char buf[64];

	dts_amount_convert(&a, 12345, DTS_RATE_ONE / 2);  /* 0.61725 */
	dts_amount_format(buf, sizeof(buf), &a, 0, 4);
	ck_assert_str_eq(buf, "0.6173");
	dts_amount_format(buf, sizeof(buf), &a, 0, 2);
	ck_assert_str_eq(buf, "0.62");
	dts_amount_convert(&a, -5000, DTS_RATE_ONE);      /* -0.5 */
	dts_amount_format(buf, sizeof(buf), &a, 0, 0);
	ck_assert_str_eq(buf, "-1");
	dts_amount_convert(&a, -4999, DTS_RATE_ONE);
	dts_amount_format(buf, sizeof(buf), &a, 0, 0);
	ck_assert_str_eq(buf, "0");
	dts_amount_convert(&a, 123456789012345678, DTS_RATE_ONE);
	dts_amount_format(buf, sizeof(buf), &a, 8, 2);     /* 亿元 */
	ck_assert_str_eq(buf, "123456.79");
	dts_amount_format(buf, sizeof(buf), &a, 4, 0);     /* 万元 */
	ck_assert_str_eq(buf, "1234567890");
	ck_assert_int_eq(dts_amount_format(buf, 4, &a, 0, 2), DTS_EINVAL);
	ck_assert_int_eq(dts_amount_parse(&b, "12345678901234.56789012345678", 29), 0);
	dts_amount_format(buf, sizeof(buf), &b, 0, 14);
	ck_assert_str_eq(buf, "12345678901234.56789012345678");
	ck_assert_int_eq(dts_amount_parse(&b, "1.000000000000001", 17), DTS_EINPUT);
	ck_assert_int_eq(dts_amount_parse(&b, "99999999999999999999999999", 26),
			 DTS_EOVERFLOW);
	ck_assert_int_eq(dts_amount_parse(&b, "-", 1), DTS_EINPUT);
}
END_TEST

/*
 * dts_cube_load_partial reads with the library's one whole-file reader:
 * a regular file, and a pipe a user gives (a FIFO, "<(...)", "-"), read to
 * its end; a directory or a missing file is DTS_EIO naming the path.
 */
START_TEST(load_partial_files_and_pipes)
{
	rec *r = gen(50);
	dts_cube *c = build(r, 0, 50), *back = NULL;
	char dir[] = "/tmp/dts-cube-XXXXXX", path[64], fifo[64], *a, *b;
	size_t la, lb;
	FILE *f;
	pid_t pid;
	int st;

	a = partial_of(c, &la);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.partial", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(a, 1, la, f), la);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(dts_cube_load_partial(&back, path), 0);
	b = partial_of(back, &lb);
	ck_assert(lb == la && memcmp(a, b, la) == 0);
	free(b);
	dts_cube_free(back);
	/* a FIFO whose writer comes later */
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	if ((pid = fork()) == 0) {
		FILE *w = fopen(fifo, "wb");

		_exit(!w || fwrite(a, 1, la, w) != la || fclose(w) != 0);
	}
	ck_assert_int_eq(dts_cube_load_partial(&back, fifo), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(dts_cube_count(back), dts_cube_count(c));
	dts_cube_free(back);
	ck_assert_int_eq(dts_cube_load_partial(&back, dir), DTS_EIO);
	ck_assert_ptr_null(back);
	ck_assert_str_eq(dts_error_last()->file, dir);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "directory"));
	unlink(path);
	unlink(fifo);
	ck_assert_int_eq(dts_cube_load_partial(&back, path), DTS_EIO);
	ck_assert_str_eq(dts_error_last()->file, path);
	rmdir(dir);
	free(a);
	free(r);
	dts_cube_free(c);
}
END_TEST

START_TEST(bad_dims)
{
	static const char *const dup[] = {"flow", "flow"};
	static const char *const tab[] = {"fl\tow"};
	dts_cube *c = NULL;

	ck_assert_int_eq(dts_cube_new(&c, dup, 2, "CNY"), DTS_EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(dts_cube_new(&c, tab, 1, "CNY"), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_new(&c, dup, 0, "CNY"), DTS_EINVAL);
}
END_TEST

/* The vintage: classifier, status, cut-off and inputs, written to a
 * format 3 partial and read back; a format 2 partial reads as unknown. */
/* The exact value of an amount (10^-14 units) as an i128. */
static i128 amt(const dts_amount *a)
{
	return (i128)a->hi * ((i128)1 << 64) + (i128)a->lo;
}

#define Y14(x) ((i128)(x) * 100000000000000)   /* yuan at 10^-14 */

static i128 contribution(const dts_cube *c, const char *const *keys,
			 const char *ent)
{
	dts_amount a;

	ck_assert_int_eq(dts_cube_contribution(&a, c, keys, ent), 0);
	return amt(&a);
}

/* Contributions: per (cell, enterprise) net values through the category
 * tree, the top-n, the setting before the first record, the partial's
 * contributions line and ent values read back byte for byte, and a
 * partial without them unchanged. */
START_TEST(contributions_cells_and_partials)
{
	const char *dims[2] = {"flow", "category:leaf"};
	const char *k[2] = {"X", "TECH.CLOUD"}, *top[2] = {"X", "TECH"},
		   *dt[2] = {"X", "DT"}, *none[2] = {"M", "DT"};
	dts_amount t[4];
	size_t n, len, len2;
	dts_cube *c, *back;
	char *p, *p2;

	ck_assert_int_eq(dts_cube_new(&c, dims, 2, "CNY"), 0);
	ck_assert_int_eq(dts_cube_contributions(c), 0);
	ck_assert_int_eq(dts_cube_top_contributions(t, &n, c, k, 2), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_contributions(c, 1), 0);
	ck_assert_int_eq(dts_cube_contributions(c), 1);
	ck_assert_int_eq(dts_cube_add(c, k, 100 * DTS_MONEY_SCALE, DTS_RATE_ONE, "A"), 0);
	ck_assert_int_eq(dts_cube_add(c, k, -30 * DTS_MONEY_SCALE, DTS_RATE_ONE, "A"), 0);
	ck_assert_int_eq(dts_cube_add(c, k, 50 * DTS_MONEY_SCALE, DTS_RATE_ONE, "B"), 0);
	/* a refund above sales: net negative */
	ck_assert_int_eq(dts_cube_add(c, top, -5 * DTS_MONEY_SCALE, DTS_RATE_ONE, "C"), 0);
	ck_assert_int_eq(dts_cube_add(c, k, 7 * DTS_MONEY_SCALE, DTS_RATE_ONE, NULL), 0);
	ck_assert_int_eq(dts_cube_set_contributions(c, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_contributions(c, 1), 0); /* unchanged: fine */
	ck_assert(contribution(c, k, "A") == Y14(70));
	ck_assert(contribution(c, top, "A") == Y14(70));
	ck_assert(contribution(c, dt, "C") == Y14(-5));
	ck_assert_int_eq(dts_cube_contribution(t, c, k, "C"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_cube_contribution(t, c, k, "Z"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_cube_contribution(t, c, none, "A"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_cube_top_contributions(t, &n, c, dt, 2), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(amt(&t[0]) == Y14(70) && amt(&t[1]) == Y14(50));
	ck_assert_int_eq(dts_cube_top_contributions(t, &n, c, dt, 4), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(amt(&t[2]) == Y14(-5));
	ck_assert_int_eq(dts_cube_top_contributions(t, &n, c, none, 2), DTS_ENOTFOUND);
	ck_assert_uint_eq(n, 0);
	p = partial_of(c, &len);
	ck_assert_ptr_nonnull(strstr(p, "\ncontributions\tenterprise\n"));
	ck_assert_ptr_nonnull(strstr(p, "\nent\tA\t70.00000000000000\nent\tB\t50."));
	ck_assert_ptr_nonnull(strstr(p, "\nent\tC\t-5.00000000000000\n"));
	ck_assert_int_eq(dts_cube_read_partial(&back, "p", p, len), 0);
	ck_assert_int_eq(dts_cube_contributions(back), 1);
	ck_assert(contribution(back, dt, "A") == Y14(70));
	p2 = partial_of(back, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert(memcmp(p, p2, len) == 0);
	free(p);
	free(p2);
	dts_cube_free(back);
	dts_cube_free(c);
	/* without contributions: no contributions line, ent lines as before */
	ck_assert_int_eq(dts_cube_new(&c, dims, 2, "CNY"), 0);
	ck_assert_int_eq(dts_cube_add(c, k, 100 * DTS_MONEY_SCALE, DTS_RATE_ONE, "A"), 0);
	p = partial_of(c, &len);
	ck_assert_ptr_null(strstr(p, "contributions"));
	ck_assert_ptr_nonnull(strstr(p, "\nent\tA\n"));
	free(p);
	ck_assert_int_eq(dts_cube_contribution(t, c, k, "A"), DTS_EINVAL);
	dts_cube_free(c);
}
END_TEST

/* The reader: a contributions partial needs a value on every ent line,
 * one without may have none; a bad value or a second contributions line
 * is refused. */
START_TEST(contributions_reader_is_strict)
{
	static const char *const head = "dts-cube-partial 3\ncurrency\tCNY\n"
		"dims\tflow\nclassifier\t\nstatus\tprovisional\nvintage\t\n";
	static const struct { const char *rest; int rc; } cases[] = {
		{"contributions\tenterprise\ncell\tX\t1\t1.5\t1\nent\tE1\t1.5\nend\t1\t", 0},
		{"contributions\tenterprise\ncell\tX\t1\t1.5\t1\nent\tE1\nend\t1\t", DTS_EINPUT},
		{"contributions\tenterprise\ncell\tX\t1\t1.5\t1\nent\tE1\tx\nend\t1\t", DTS_EINPUT},
		{"cell\tX\t1\t1.5\t1\nent\tE1\t1.5\nend\t1\t", DTS_EINPUT},
		{"contributions\tvalue\ncell\tX\t1\t1.5\t1\nent\tE1\t1.5\nend\t1\t", DTS_EINPUT},
		{"contributions\tenterprise\ncontributions\tenterprise\nend\t0\t", DTS_EINPUT},
		{"contributions\tenterprise\ncell\tX\t2\t1.5\t2\nent\tE1\t1\nent\tE1\t0.5\nend\t1\t",
		 DTS_EINPUT},
	};
	char body[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dts_cube *c = NULL;

		snprintf(body, sizeof(body), "%s%s", head, cases[i].rest);
		ck_assert_msg(read_text(&c, body) == cases[i].rc, "case %zu", i);
		if (c) {
			const char *k[1] = {"X"};

			ck_assert(contribution(c, k, "E1") == Y14(3) / 2);
		}
		dts_cube_free(c);
	}
}
END_TEST

static dts_cube *build_con(const rec *r, size_t from, size_t to)
{
	dts_cube *c;

	ck_assert_int_eq(dts_cube_new(&c, dims3, 3, "CNY"), 0);
	ck_assert_int_eq(dts_cube_set_contributions(c, 1), 0);
	for (size_t i = from; i < to; i++) {
		const char *keys[3] = {r[i].year, r[i].flow, cats[r[i].cat]};

		ck_assert_int_eq(dts_cube_add(c, keys, r[i].value, r[i].rate,
					      r[i].ent), 0);
	}
	return c;
}

/*
 * dts_cube_merge maps the other cube's enterprise numbers to its own once
 * per enterprise, and the partial reader takes simple ent lines in place:
 * two cubes that interned their ids in different orders (one forward, one
 * backward) and share only some of them, merged directly and through
 * their partials (ids with escapes included, dense cells in bitmap form),
 * give the distinct counts, contributions and partial bytes of one cube
 * built from every record.
 */
struct one_and_merged {
	const dts_cube *merged;
	size_t cells;
};

static int same_cell(const dts_cube_cell *cell, void *payload)
{
	struct one_and_merged *m = payload;
	dts_cube_cell got;

	ck_assert_int_eq(dts_cube_lookup(&got, m->merged, cell->keys), 0);
	ck_assert_uint_eq(got.enterprises, cell->enterprises);
	ck_assert_uint_eq(got.records, cell->records);
	ck_assert_int_eq(dts_amount_cmp(&got.value, &cell->value), 0);
	m->cells++;
	return 0;
}

START_TEST(merge_remaps_enterprise_ids)
{
	const size_t n = 9000;
	static const char *const odd[] = {"E\tTAB", "E\\BS", "E\nLF", "E\rCR"};
	rec *r = gen(n);
	char (*ent)[16] = calloc(n, sizeof(*ent));
	int *side = calloc(n, sizeof(*side));

	for (size_t i = 0; i < n; i++) {
		/* ids 0..2999: A holds 0..1999, B 1000..2999 (shared: 1000..1999,
		 * each record of those in one cube or the other) */
		unsigned e = (unsigned)((i * 7919) % 3000);

		if (i % 97 == 0)
			snprintf(ent[i], sizeof(ent[i]), "%s", odd[i / 97 % 4]);
		else
			snprintf(ent[i], sizeof(ent[i]), "E%04u", e);
		side[i] = e < 1000 ? 0 : e >= 2000 ? 1 : (int)(i % 2);
	}
	for (int con = 0; con < 2; con++) {
		dts_cube *one, *part[2], *back[2], *merged, *empty;
		struct one_and_merged m = {NULL, 0};
		char *want, *got, *text[2];
		size_t lw, lg, lt[2];

		ck_assert_int_eq(dts_cube_new(&one, dims3, 3, "CNY"), 0);
		ck_assert_int_eq(dts_cube_set_contributions(one, con), 0);
		for (int s = 0; s < 2; s++) {
			ck_assert_int_eq(dts_cube_new(&part[s], dims3, 3, "CNY"), 0);
			ck_assert_int_eq(dts_cube_set_contributions(part[s], con), 0);
		}
		for (size_t k = 0; k < n; k++) {
			/* A adds forward, B backward: different interning orders;
			 * every 5th record in one dense cell of every enterprise */
			size_t i = k, j = n - 1 - k;
			const char *ki[3] = {r[i].year, r[i].flow, cats[r[i].cat]};
			const char *kj[3] = {r[j].year, r[j].flow, cats[r[j].cat]};
			const char *dense[3] = {"2024", "X", "TECH.CLOUD"};

			if (i % 5 == 0)
				memcpy(ki, dense, sizeof(ki));
			if (j % 5 == 0)
				memcpy(kj, dense, sizeof(kj));
			ck_assert_int_eq(dts_cube_add(one, ki, r[i].value, r[i].rate,
						      ent[i]), 0);
			if (side[i] == 0)
				ck_assert_int_eq(dts_cube_add(part[0], ki, r[i].value,
							      r[i].rate, ent[i]), 0);
			if (side[j] == 1)
				ck_assert_int_eq(dts_cube_add(part[1], kj, r[j].value,
							      r[j].rate, ent[j]), 0);
		}
		want = partial_of(one, &lw);
		for (int s = 0; s < 2; s++) {
			text[s] = partial_of(part[s], &lt[s]);
			ck_assert_int_eq(dts_cube_read_partial(&back[s], "p", text[s],
							       lt[s]), 0);
		}
		/* B into A, directly; then the partials, A into B */
		ck_assert_int_eq(dts_cube_merge(part[0], part[1]), 0);
		ck_assert_int_eq(dts_cube_merge(back[1], back[0]), 0);
		/* into an empty cube, then a cube into itself adds nothing new */
		ck_assert_int_eq(dts_cube_new(&empty, dims3, 3, "CNY"), 0);
		ck_assert_int_eq(dts_cube_set_contributions(empty, con), 0);
		ck_assert_int_eq(dts_cube_merge(empty, back[1]), 0);
		merged = empty;
		for (int v = 0; v < 3; v++) {
			const dts_cube *c = v == 0 ? part[0] : v == 1 ? back[1] : merged;

			m.merged = c;
			m.cells = 0;
			ck_assert_int_eq(dts_cube_foreach(one, same_cell, &m), 0);
			ck_assert_uint_eq(m.cells, dts_cube_count(one));
			ck_assert_uint_eq(dts_cube_count(c), dts_cube_count(one));
			got = partial_of(c, &lg);
			ck_assert_uint_eq(lg, lw);
			ck_assert(memcmp(got, want, lw) == 0);
			free(got);
		}
		{
			const char *dense[3] = {"2024", "X", "DT"};
			dts_cube_cell cell, all;

			ck_assert_int_eq(dts_cube_lookup(&cell, merged, dense), 0);
			ck_assert_int_eq(dts_cube_lookup(&all, one, dense), 0);
			ck_assert_uint_eq(cell.enterprises, all.enterprises);
			ck_assert_uint_gt(cell.enterprises, 1000); /* a bitmap */
			if (con)
				ck_assert(contribution(merged, dense, "E\\BS") ==
					  contribution(one, dense, "E\\BS"));
		}
		for (int s = 0; s < 2; s++) {
			free(text[s]);
			dts_cube_free(part[s]);
			dts_cube_free(back[s]);
		}
		free(want);
		dts_cube_free(merged);
		dts_cube_free(one);
	}
	free(side);
	free(ent);
	free(r);
}
END_TEST

/* Shards merged give the bytes of one run, contributions included; an
 * enterprise third in each shard is first overall; a cube with
 * contributions and one without do not merge; a roll-up sums them. */
START_TEST(contributions_merge_and_rollup)
{
	const size_t n = 6000;
	rec *r = gen(n);
	dts_cube *one = build_con(r, 0, n), *merged = build_con(r, 0, 0), *plain;
	const char *dims[1] = {"shop"}, *k[1] = {"s"};
	const char *kept[1] = {"category:top"}, *dt[1] = {"DT"};
	dts_cube *sh[2], *roll;
	dts_amount t[2];
	size_t cnt;
	i128 want = 0;

	for (size_t s = 0; s < 3; s++) {
		dts_cube *part = build_con(r, s * n / 3, (s + 1) * n / 3);

		ck_assert_int_eq(dts_cube_merge(merged, part), 0);
		dts_cube_free(part);
	}
	same_partial(one, merged);
	/* roll-up onto the category: E007's contribution to DT is its sum over
	 * the years and flows of every record outside NONE */
	ck_assert_int_eq(dts_cube_rollup(&roll, one, kept, 1), 0);
	ck_assert_int_eq(dts_cube_contributions(roll), 1);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].ent, "E007") && r[i].cat != 6)
			want += (i128)r[i].value * r[i].rate;
	ck_assert(contribution(roll, dt, "E007") == want);
	dts_cube_free(roll);
	/* third in each shard, first overall */
	for (int s = 0; s < 2; s++) {
		ck_assert_int_eq(dts_cube_new(&sh[s], dims, 1, "CNY"), 0);
		ck_assert_int_eq(dts_cube_set_contributions(sh[s], 1), 0);
		ck_assert_int_eq(dts_cube_add(sh[s], k, 30 * DTS_MONEY_SCALE,
					      DTS_RATE_ONE, "third"), 0);
		ck_assert_int_eq(dts_cube_add(sh[s], k, 50 * DTS_MONEY_SCALE,
					      DTS_RATE_ONE, s ? "b" : "a"), 0);
		ck_assert_int_eq(dts_cube_add(sh[s], k, 40 * DTS_MONEY_SCALE,
					      DTS_RATE_ONE, s ? "d" : "c"), 0);
	}
	ck_assert_int_eq(dts_cube_merge(sh[0], sh[1]), 0);
	ck_assert_int_eq(dts_cube_top_contributions(t, &cnt, sh[0], k, 2), 0);
	ck_assert(cnt == 2 && amt(&t[0]) == Y14(60) && amt(&t[1]) == Y14(50));
	ck_assert_int_eq(dts_cube_new(&plain, dims, 1, "CNY"), 0);
	ck_assert_int_eq(dts_cube_merge(sh[0], plain), DTS_EINVAL);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "contributions"));
	ck_assert_int_eq(dts_cube_merge(plain, sh[1]), DTS_EINVAL);
	dts_cube_free(plain);
	dts_cube_free(sh[0]);
	dts_cube_free(sh[1]);
	dts_cube_free(one);
	dts_cube_free(merged);
	free(r);
}
END_TEST

START_TEST(vintage_round_trip)
{
	static const char *const dims[] = {"flow"};
	static const char *const x[] = {"X"};
	const char *n, *d;
	dts_cube *c, *r;
	char *buf;
	size_t len;

	ck_assert_int_eq(dts_status_parse("final"), DTS_STATUS_FINAL);
	ck_assert_int_eq(dts_status_parse("revised"), DTS_STATUS_REVISED);
	ck_assert_int_eq(dts_status_parse("draft"), DTS_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "provisional"));
	ck_assert_str_eq(dts_status_name(DTS_STATUS_PROVISIONAL), "provisional");
	ck_assert_ptr_null(dts_status_name(9));
	ck_assert_str_eq(dts_status_obs(DTS_STATUS_PROVISIONAL), "P");
	ck_assert_str_eq(dts_status_obs(DTS_STATUS_FINAL), "A");
	ck_assert_str_eq(dts_status_obs(DTS_STATUS_REVISED), "A");
	ck_assert_ptr_null(dts_status_obs(0));

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	ck_assert_ptr_null(dts_cube_classifier(c));
	ck_assert_ptr_null(dts_cube_vintage(c));
	ck_assert_int_eq(dts_cube_status(c), DTS_STATUS_PROVISIONAL);
	ck_assert_int_eq(dts_cube_set_classifier(c, "cn-digital-trade@2025.1"), 0);
	ck_assert_int_eq(dts_cube_set_classifier(c, "a\tb"), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_classifier(c, "a\nb"), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_classifier(c, "cn-digital-trade@2025.1"), 0);
	ck_assert_int_eq(dts_cube_set_status(c, DTS_STATUS_FINAL), 0);
	ck_assert_int_eq(dts_cube_set_status(c, 7), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_vintage(c, "2025-02-29"), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_vintage(c, "2025-13-01"), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_set_vintage(c, "2024-02-29"), 0);
	ck_assert_int_eq(dts_cube_add_input(c, "a.csv", "sha256:00ff"), 0);
	ck_assert_int_eq(dts_cube_add_input(c, "a.csv", "sha256:00ff"), 0);
	ck_assert_int_eq(dts_cube_add_input(c, "-", NULL), 0);
	ck_assert_int_eq(dts_cube_add_input(c, "", NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_add_input(c, "t\tab", NULL), DTS_EINVAL);
	ck_assert_uint_eq(dts_cube_ninputs(c), 2);
	ck_assert_int_eq(dts_cube_input(&n, &d, c, 1), 0);
	ck_assert_str_eq(n, "-");
	ck_assert_str_eq(d, "");
	ck_assert_int_eq(dts_cube_input(&n, &d, c, 2), DTS_EINVAL);
	ck_assert_int_eq(dts_cube_add(c, x, 100, DTS_RATE_ONE, "E"), 0);

	buf = partial_of(c, &len);
	ck_assert_ptr_nonnull(strstr(buf, "dts-cube-partial 3\ncurrency\tCNY\n"
				     "dims\tflow\nclassifier\tcn-digital-trade@2025.1\n"
				     "status\tfinal\nvintage\t2024-02-29\n"
				     "input\tsha256:00ff\ta.csv\ninput\t\t-\ncell\t"));
	ck_assert_int_eq(dts_cube_read_partial(&r, "p", buf, len), 0);
	ck_assert_str_eq(dts_cube_classifier(r), "cn-digital-trade@2025.1");
	ck_assert_int_eq(dts_cube_status(r), DTS_STATUS_FINAL);
	ck_assert_str_eq(dts_cube_vintage(r), "2024-02-29");
	ck_assert_uint_eq(dts_cube_ninputs(r), 2);
	dts_cube_free(r);
	free(buf);
	/* a rollup keeps the vintage */
	ck_assert_int_eq(dts_cube_rollup(&r, c, dims, 1), 0);
	ck_assert_str_eq(dts_cube_classifier(r), "cn-digital-trade@2025.1");
	ck_assert_uint_eq(dts_cube_ninputs(r), 2);
	dts_cube_free(r);
	dts_cube_free(c);
	/* format 2: no vintage lines, read as unknown and provisional */
	ck_assert_int_eq(read_text(&r, "dts-cube-partial 2\ncurrency\tCNY\n"
				   "dims\tflow\nend\t0\t"), 0);
	ck_assert_ptr_null(dts_cube_classifier(r));
	ck_assert_int_eq(dts_cube_status(r), DTS_STATUS_PROVISIONAL);
	ck_assert_uint_eq(dts_cube_ninputs(r), 0);
	dts_cube_free(r);
	/* format 3 is strict about its vintage lines */
	ck_assert_int_eq(read_text(&r, "dts-cube-partial 3\ncurrency\tCNY\n"
				   "dims\tflow\nstatus\tfinal\nend\t0\t"),
			 DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "classifier"));
	ck_assert_int_eq(read_text(&r, "dts-cube-partial 3\ncurrency\tCNY\n"
				   "dims\tflow\nclassifier\t\nstatus\tdraft\n"
				   "vintage\t\nend\t0\t"), DTS_EINPUT);
	ck_assert_uint_eq(dts_error_last()->line, 5);
	ck_assert_int_eq(read_text(&r, "dts-cube-partial 3\ncurrency\tCNY\n"
				   "dims\tflow\nclassifier\t\nstatus\tfinal\n"
				   "vintage\t2025-1-1\nend\t0\t"), DTS_EINPUT);
	ck_assert_int_eq(read_text(&r, "dts-cube-partial 3\ncurrency\tCNY\n"
				   "dims\tflow\nclassifier\t\nstatus\tfinal\n"
				   "vintage\t\ninput\tx\nend\t0\t"), DTS_EINPUT);
	ck_assert_int_eq(read_text(&r, "dts-cube-partial 4\ncurrency\tCNY\n"
				   "dims\tflow\nend\t0\t"), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "partial 3"));
}
END_TEST

/* ---- the binary partial ---- */

static char *binary_of(const dts_cube *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_cube_write_binary(c, f), 0);
	fclose(f);
	return buf;
}

/* text -> binary -> text: the same bytes; and binary -> text -> binary. */
static void text_binary_text(const dts_cube *c)
{
	size_t lt, lb, lt2, lb2;
	char *t = partial_of(c, &lt), *b = binary_of(c, &lb), *t2, *b2;
	dts_cube *fromt, *fromb;

	ck_assert(dts_cube_is_binary(b, lb));
	ck_assert(!dts_cube_is_binary(t, lt));
	ck_assert_int_eq(dts_cube_read_partial(&fromt, "t", t, lt), 0);
	ck_assert_int_eq(dts_cube_read_partial(&fromb, "b", b, lb), 0);
	t2 = partial_of(fromb, &lt2);
	b2 = binary_of(fromt, &lb2);
	ck_assert_uint_eq(lt2, lt);
	ck_assert(memcmp(t, t2, lt) == 0);
	ck_assert_uint_eq(lb2, lb);
	ck_assert(memcmp(b, b2, lb) == 0);
	free(t);
	free(b);
	free(t2);
	free(b2);
	dts_cube_free(fromt);
	dts_cube_free(fromb);
}

START_TEST(binary_partial_round_trip)
{
	const size_t n = 6000;
	rec *r = gen(n);
	dts_cube *c = build(r, 0, n), *con = build_con(r, 0, n), *e, *odd, *rev;
	const char *dims[2] = {"flow", "shop"};
	const char *k1[2] = {"tab\there", "back\\slash"}, *k2[2] = {"nl\nx", "é"};
	char *a, *b;
	size_t la, lb;

	text_binary_text(c);
	text_binary_text(con);
	/* a vintage, keyed ids, escapes, an input without digest */
	ck_assert_int_eq(dts_cube_new(&odd, dims, 2, "USD"), 0);
	ck_assert_int_eq(dts_cube_set_classifier(odd, "cn-digital-trade@2025.1"), 0);
	ck_assert_int_eq(dts_cube_set_status(odd, DTS_STATUS_REVISED), 0);
	ck_assert_int_eq(dts_cube_set_vintage(odd, "2025-03-31"), 0);
	ck_assert_int_eq(dts_cube_set_ids(odd, "hmac-sha256:0123456789abcdef"), 0);
	ck_assert_int_eq(dts_cube_add_input(odd, "a.csv", "sha256:"
		"0000000000000000000000000000000000000000000000000000000000000000"), 0);
	ck_assert_int_eq(dts_cube_add_input(odd, "-", NULL), 0);
	ck_assert_int_eq(dts_cube_add(odd, k1, -5, DTS_RATE_ONE, "id\twith tab"), 0);
	ck_assert_int_eq(dts_cube_add(odd, k2, INT64_MAX, INT64_MAX, "z"), 0);
	ck_assert_int_eq(dts_cube_add(odd, k2, INT64_MAX, INT64_MAX, ""), 0);
	text_binary_text(odd);
	ck_assert_int_eq(dts_cube_new(&e, dims, 2, "CNY"), 0);
	text_binary_text(e);
	/* canonical: the records in reverse order give the same bytes */
	ck_assert_int_eq(dts_cube_new(&rev, dims3, 3, "CNY"), 0);
	for (size_t i = n; i-- > 0;) {
		const char *keys[3] = {r[i].year, r[i].flow, cats[r[i].cat]};

		ck_assert_int_eq(dts_cube_add(rev, keys, r[i].value, r[i].rate, r[i].ent), 0);
	}
	a = binary_of(c, &la);
	b = binary_of(rev, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	free(a);
	free(b);
	dts_cube_free(rev);
	dts_cube_free(e);
	dts_cube_free(odd);
	dts_cube_free(con);
	dts_cube_free(c);
	free(r);
}
END_TEST

/* Binary shards merged (the first into an empty cube: the copy) give the
 * whole input's text partial. */
START_TEST(binary_shards_merge_byte_identical)
{
	const size_t n = 9000;
	rec *r = gen(n);
	dts_cube *one = build(r, 0, n), *merged;

	ck_assert_int_eq(dts_cube_new(&merged, dims3, 3, "CNY"), 0);
	for (int s = 2; s >= 0; s--) {
		dts_cube *sh = build(r, (size_t)s * n / 3, (size_t)(s + 1) * n / 3), *back;
		size_t lp;
		char *p = binary_of(sh, &lp);

		ck_assert_int_eq(dts_cube_read_partial(&back, "shard", p, lp), 0);
		ck_assert_int_eq(dts_cube_merge(merged, back), 0);
		dts_cube_free(back);
		dts_cube_free(sh);
		free(p);
	}
	same_partial(one, merged);
	dts_cube_free(merged);
	dts_cube_free(one);
	free(r);
}
END_TEST

/* FNV-1a 64 as the format states it, to forge a valid checksum. */
static void fix_checksum(unsigned char *p, size_t len)
{
	uint64_t h = 14695981039346656037u;

	for (size_t i = 0; i < len - 8; i++)
		h = (h ^ p[i]) * 1099511628211u;
	for (int i = 0; i < 8; i++)
		p[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

START_TEST(binary_reader_is_strict)
{
	const size_t n = 500;
	rec *r = gen(n);
	dts_cube *c = build(r, 0, n), *back = (dts_cube *)1;
	size_t len;
	unsigned char *b = (unsigned char *)binary_of(c, &len);

	ck_assert_uint_eq(memcmp(b, DTS_CUBE_BINARY_MAGIC, DTS_CUBE_BINARY_MAGIC_LEN), 0);
	/* every truncation is refused */
	for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 97) {
		ck_assert_int_eq(dts_cube_read_partial(&back, "p", (char *)b, cut), DTS_EINPUT);
		ck_assert_ptr_null(back);
	}
	/* a changed byte: the checksum */
	b[len / 2] ^= 1;
	ck_assert_int_eq(dts_cube_read_partial(&back, "p", (char *)b, len), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "checksum"));
	b[len / 2] ^= 1;
	/* another version, with its checksum right */
	b[DTS_CUBE_BINARY_MAGIC_LEN] = 2;
	fix_checksum(b, len);
	ck_assert_int_eq(dts_cube_read_partial(&back, "p", (char *)b, len), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "version"));
	b[DTS_CUBE_BINARY_MAGIC_LEN] = 1;
	/* an unknown flag */
	b[DTS_CUBE_BINARY_MAGIC_LEN + 1] = 2;
	fix_checksum(b, len);
	ck_assert_int_eq(dts_cube_read_partial(&back, "p", (char *)b, len), DTS_EINPUT);
	b[DTS_CUBE_BINARY_MAGIC_LEN + 1] = 0;
	fix_checksum(b, len);
	ck_assert_int_eq(dts_cube_read_partial(&back, "p", (char *)b, len), 0);
	dts_cube_free(back);
	free(b);
	dts_cube_free(c);
	free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cube");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sums_match_independent_computation);
	tcase_add_test(tc, aggregates_add_up);
	tcase_add_test(tc, leaf_dimension_has_tops_and_aggregates);
	tcase_add_test(tc, overflow_is_an_error);
	tcase_add_test(tc, money_sums_are_exact_past_int64);
	tcase_add_test(tc, enterprise_sets_sparse_and_dense);
	tcase_add_test(tc, merge_of_shards_is_byte_identical);
	tcase_add_test(tc, add_memo_same_as_fresh_adds);
	tcase_add_test(tc, partial_escapes_and_rejects);
	tcase_add_test(tc, partial_reader_is_strict);
	tcase_add_test(tc, keys_must_be_xml_text);
	tcase_add_test(tc, amount_format_rounds_once);
	tcase_add_test(tc, bad_dims);
	tcase_add_test(tc, load_partial_files_and_pipes);
	tcase_add_test(tc, vintage_round_trip);
	tcase_add_test(tc, contributions_cells_and_partials);
	tcase_add_test(tc, contributions_reader_is_strict);
	tcase_add_test(tc, contributions_merge_and_rollup);
	tcase_add_test(tc, merge_remaps_enterprise_ids);
	tcase_add_test(tc, binary_partial_round_trip);
	tcase_add_test(tc, binary_shards_merge_byte_identical);
	tcase_add_test(tc, binary_reader_is_strict);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
