/*
 * test_aho.c — the Aho-Corasick automaton against a naive search, in both
 * representations (full DFA table and goto/fail fallback).
 */
#include "check_main.h"
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int dts__aho_build_limit(dts_aho **out, const char *const *pats,
			 const size_t *lens, const uint32_t *ids, size_t n,
			 size_t table_bytes);

#define MAXID 20000

typedef struct counts {
	long n[MAXID];
	long total;
} counts;

static void on_hit(uint32_t id, void *payload)
{
	counts *c = payload;

	ck_assert_uint_lt(id, MAXID);
	c->n[id]++;
	c->total++;
}

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* Occurrences of pattern k ending exactly at text[end - 1]. */
static long naive_at(const char *pat, size_t plen, const char *text, size_t end)
{
	return plen && plen <= end && !memcmp(text + end - plen, pat, plen);
}

static dts_aho *build(const char *const *pats, const size_t *lens,
		      const uint32_t *ids, size_t n, bool table)
{
	dts_aho *a = NULL;
	int rc = dts__aho_build_limit(&a, pats, lens, ids, n,
				      table ? (size_t)64 << 20 : 0);

	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(a);
	return a;
}

/*
 * Check every (id, end position): the hits of text[0..end) minus those of
 * text[0..end-1) are exactly the occurrences ending at end - 1.
 */
static void check_positions(const dts_aho *a, const char *const *pats,
			    const size_t *lens, const uint32_t *ids, size_t n,
			    const char *text, size_t len)
{
	static counts prev, cur;
	size_t end, k;

	memset(&prev, 0, sizeof(prev));
	for (end = 1; end <= len; end++) {
		memset(&cur, 0, sizeof(cur));
		dts__aho_scan(a, text, end, on_hit, &cur);
		for (k = 0; k < n; k++) {
			long want = 0;
			size_t j;

			if (k && ids[k] == ids[k - 1])
				continue; /* counted with the first of its id */
			for (j = k; j < n && ids[j] == ids[k]; j++)
				want += naive_at(pats[j], lens[j], text, end);
			dts_loop_assert(cur.n[ids[k]] - prev.n[ids[k]] == want,
				      "id %u at end %zu: got %ld want %ld",
				      ids[k], end, cur.n[ids[k]] - prev.n[ids[k]],
				      want);
		}
		prev = cur;
	}
}

START_TEST(test_classic)
{
	const char *pats[] = {"he", "she", "his", "hers"};
	const size_t lens[] = {2, 3, 3, 4};
	const uint32_t ids[] = {0, 1, 2, 3};
	static counts c;
	dts_aho *a = build(pats, lens, ids, 4, _i);

	memset(&c, 0, sizeof(c));
	dts__aho_scan(a, "ushers", 6, on_hit, &c);
	ck_assert_int_eq(c.n[0], 1);
	ck_assert_int_eq(c.n[1], 1);
	ck_assert_int_eq(c.n[2], 0);
	ck_assert_int_eq(c.n[3], 1);
	check_positions(a, pats, lens, ids, 4, "ushershishehe", 13);

	memset(&c, 0, sizeof(c));
	dts__aho_scan(a, "", 0, on_hit, &c);
	dts__aho_scan(a, NULL, 0, on_hit, &c);
	dts__aho_scan(a, "h", 1, on_hit, &c); /* patterns longer than text */
	ck_assert_int_eq(c.total, 0);
	dts__aho_free(a);
}
END_TEST

START_TEST(test_bytes_and_duplicates)
{
	const char *pats[] = {"\0\xff", "\xff", "\xff\xff", "ab", "ab", "ab", ""};
	const size_t lens[] = {2, 1, 2, 2, 2, 2, 0};
	const uint32_t ids[] = {0, 1, 2, 3, 4, 4, 5};
	const char text[] = "\0\xff\xff" "ab\0";
	static counts c;
	dts_aho *a = build(pats, lens, ids, 7, _i);

	memset(&c, 0, sizeof(c));
	dts__aho_scan(a, text, sizeof(text) - 1, on_hit, &c);
	ck_assert_int_eq(c.n[0], 1);
	ck_assert_int_eq(c.n[1], 2);
	ck_assert_int_eq(c.n[2], 1);
	ck_assert_int_eq(c.n[3], 1);
	ck_assert_int_eq(c.n[4], 2); /* same pattern twice under one id */
	ck_assert_int_eq(c.n[5], 0); /* the empty pattern is ignored */
	dts__aho_free(a);
}
END_TEST

START_TEST(test_empty_set)
{
	static counts c;
	dts_aho *a = build(NULL, NULL, NULL, 0, _i);

	memset(&c, 0, sizeof(c));
	dts__aho_scan(a, "anything", 8, on_hit, &c);
	ck_assert_int_eq(c.total, 0);
	dts__aho_free(a);
	dts__aho_free(NULL);
}
END_TEST

START_TEST(test_random)
{
	static const char alpha[] = {'a', 'b', 'c', '\0', (char)0xff};
	static char store[64][8], text[80];
	const char *pats[64];
	size_t lens[64], n, k, j, len;
	uint32_t ids[64];
	int round;

	rng_state = 0x2545F4914F6CDD1Dull + (uint64_t)_i;
	for (round = 0; round < 600; round++) {
		dts_aho *a;

		n = 1 + rnd(40);
		for (k = 0; k < n; k++) {
			lens[k] = 1 + rnd(6);
			for (j = 0; j < lens[k]; j++)
				store[k][j] = alpha[rnd(5)];
			pats[k] = store[k];
			/* ids ascending, some shared: duplicates must report */
			ids[k] = k && rnd(5) == 0 ? ids[k - 1] : (uint32_t)k;
		}
		len = rnd(72);
		for (j = 0; j < len; j++)
			text[j] = alpha[rnd(rnd(2) ? 2 : 5)];
		a = build(pats, lens, ids, n, _i);
		check_positions(a, pats, lens, ids, n, text, len);
		dts__aho_free(a);
	}
}
END_TEST

static long naive_count(const char *pat, size_t plen, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *hit;
	long c = 0;

	while ((hit = memmem(p, (size_t)(end - p), pat, plen))) {
		c++;
		p = hit + 1;
	}
	return c;
}

START_TEST(test_large)
{
	enum { NP = 10000, TEXT = 40000 };
	static char store[NP][16], text[TEXT];
	static counts got_default, got_fallback, got_table;
	static const char *pats[NP];
	static size_t lens[NP];
	static uint32_t ids[NP];
	size_t k, j, used = 0;
	dts_aho *a;

	rng_state = 0xD1B54A32D192ED03ull;
	for (k = 0; k < NP; k++) {
		lens[k] = 8 + rnd(8);
		for (j = 0; j < lens[k]; j++)
			store[k][j] = (char)('a' + rnd(k % 4 ? 26 : 4));
		pats[k] = store[k];
		ids[k] = (uint32_t)k;
	}
	while (used < TEXT) {
		k = rnd(NP);
		if (rnd(2) && used + lens[k] <= TEXT) {
			memcpy(text + used, pats[k], lens[k]);
			used += lens[k];
		} else {
			text[used++] = (char)('a' + rnd(4));
		}
	}
	memset(&got_default, 0, sizeof(got_default));
	memset(&got_fallback, 0, sizeof(got_fallback));
	memset(&got_table, 0, sizeof(got_table));

	/* ~ 90,000 states: over the default table budget */
	ck_assert_int_eq(dts__aho_build(&a, pats, lens, ids, NP), 0);
	dts__aho_scan(a, text, TEXT, on_hit, &got_default);
	dts__aho_free(a);
	a = build(pats, lens, ids, NP, false);
	dts__aho_scan(a, text, TEXT, on_hit, &got_fallback);
	dts__aho_free(a);
	ck_assert_int_eq(dts__aho_build_limit(&a, pats, lens, ids, NP,
					      (size_t)256 << 20), 0);
	dts__aho_scan(a, text, TEXT, on_hit, &got_table);
	dts__aho_free(a);

	ck_assert_int_gt(got_default.total, 2000);
	for (k = 0; k < NP; k++) {
		long want = naive_count(pats[k], lens[k], text, TEXT);

		dts_loop_assert(got_default.n[k] == want && got_fallback.n[k] == want &&
				got_table.n[k] == want,
				"pattern %zu: %ld / %ld / %ld hits, want %ld", k,
				got_default.n[k], got_fallback.n[k], got_table.n[k], want);
	}
}
END_TEST

typedef struct seq {
	uint32_t id[4096];
	size_t n;
} seq;

static void on_seq(uint32_t id, void *payload)
{
	seq *q = payload;

	ck_assert_uint_lt(q->n, 4096);
	q->id[q->n++] = id;
}

/*
 * The table's scan reports what the failure-link scan reports, in the same
 * order (the scanner adds candidate streams in that order), also when more
 * than the table scan's 32 buffered states emit in one text; and each byte
 * value, occurring in a pattern or not, on every class.
 */
START_TEST(test_order_and_classes)
{
	static const char alpha[] = {'a', 'b', (char)0xe5, (char)0x80, '\0', (char)0xff, 'z'};
	static char store[48][8], text[1500];
	static seq x, y;
	const char *pats[48];
	size_t lens[48], n, k, j, len;
	uint32_t ids[48];

	rng_state = 0x9E3779B97F4A7C15ull;
	for (int round = 0; round < 300; round++) {
		dts_aho *t, *f;

		n = 1 + rnd(48);
		for (k = 0; k < n; k++) {
			lens[k] = 1 + rnd(4);
			for (j = 0; j < lens[k]; j++)
				store[k][j] = alpha[rnd(round % 2 ? 7 : 3)];
			pats[k] = store[k];
			ids[k] = (uint32_t)k;
		}
		len = rnd(sizeof(text));
		for (j = 0; j < len; j++) /* any byte, mostly the patterns' */
			text[j] = rnd(8) ? alpha[rnd(7)] : (char)rnd(256);
		t = build(pats, lens, ids, n, true);
		f = build(pats, lens, ids, n, false);
		x.n = y.n = 0;
		dts__aho_scan(t, text, len, on_seq, &x);
		dts__aho_scan(f, text, len, on_seq, &y);
		ck_assert_uint_eq(x.n, y.n);
		ck_assert(!memcmp(x.id, y.id, x.n * sizeof(x.id[0])));
		dts__aho_free(t);
		dts__aho_free(f);
	}
}
END_TEST

/* The kept patterns: every non-empty one, bytewise sorted, with its id. */
START_TEST(test_patterns_kept)
{
	const char *pats[] = {"he", "", "she", "hers", "a"};
	const size_t lens[] = {2, 0, 3, 4, 1};
	const uint32_t ids[] = {7, 8, 9, 10, 11};
	const char *want[] = {"a", "he", "hers", "she"};
	const uint32_t want_id[] = {11, 7, 10, 9};
	dts_aho *a = build(pats, lens, ids, 5, _i);

	ck_assert_uint_eq(dts__aho_npatterns(a), 4);
	for (size_t k = 0; k < 4; k++) {
		const char *s;
		size_t len;
		uint32_t id;

		dts__aho_pattern(&s, &len, &id, a, k);
		ck_assert_uint_eq(len, strlen(want[k]));
		ck_assert(!memcmp(s, want[k], len));
		ck_assert_uint_eq(id, want_id[k]);
	}
	ck_assert_uint_ge(dts__aho_states(a), 9);
	dts__aho_free(a);
}
END_TEST

static Suite *aho_suite(void)
{
	Suite *s = suite_create("aho");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	/* loop index: 0 = goto/fail fallback, 1 = full table */
	tcase_add_loop_test(tc, test_classic, 0, 2);
	tcase_add_loop_test(tc, test_bytes_and_duplicates, 0, 2);
	tcase_add_loop_test(tc, test_empty_set, 0, 2);
	tcase_add_loop_test(tc, test_random, 0, 2);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_order_and_classes);
	tcase_add_loop_test(tc, test_patterns_kept, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(aho_suite());
}
