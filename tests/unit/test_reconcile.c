/*
 * test_reconcile.c — dts/reconcile.h: record matching (buckets, duplicates
 * on both sides, injective keys, rejects, callback stop, summary and
 * matrix tables, details lines, records from a source), total matching
 * (currency check, summing out, CSV cubes) and the 三单对碰 verdicts.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dts.h"

#define M(x) ((dts_money)(x) * DTS_MONEY_SCALE)

/* ---- helpers ----------------------------------------------------------------- */

typedef struct seen {
	int n;
	int bucket[64];
	char key[64][64];
	char reason[64][128];
	uint64_t lline[64], rline[64];
	int stop_at;            /* return DTS_EUSER at this item (1-based), 0 never */
} seen;

static int collect(const dts_recon_item *it, void *payload)
{
	seen *s = payload;

	if (s->n < 64) {
		s->bucket[s->n] = it->bucket;
		snprintf(s->key[s->n], 64, "%.*s", (int)it->key_len, it->key);
		snprintf(s->reason[s->n], 128, "%s", it->reason);
		s->lline[s->n] = it->left.present ? it->left.line : 0;
		s->rline[s->n] = it->right.present ? it->right.line : 0;
	}
	s->n++;
	return s->stop_at && s->n == s->stop_at ? DTS_EUSER : 0;
}

static int add(dts_recon *r, int side, uint64_t line, const char *key,
	       const char *value, const char *cat)
{
	dts_recon_record x;
	size_t kl = strlen(key);

	memset(&x, 0, sizeof(x));
	x.line = line;
	x.keys = &key;
	x.key_lens = &kl;
	x.value = value;
	x.value_len = strlen(value);
	x.category = cat;
	x.category_len = cat ? strlen(cat) : 0;
	return dts_recon_add(r, side, &x);
}

static dts_recon *new1(unsigned compare, const char *tol)
{
	const char *key = "id";
	dts_recon_options o = DTS_RECON_OPTIONS_INIT;
	dts_recon *r = NULL;

	o.compare = compare;
	if (tol)
		ck_assert_int_eq(dts_recon_tolerance_parse(&o.tolerance, tol, strlen(tol)), 0);
	ck_assert_int_eq(dts_recon_new(&r, &key, 1, &o), 0);
	return r;
}

/* ---- tolerance, formats, names -------------------------------------------------- */

START_TEST(tolerance_is_exact)
{
	dts_recon_tolerance t;

	ck_assert_int_eq(dts_recon_tolerance_parse(&t, "0.50", 4), 0);
	ck_assert_int_eq(t.percent, 0);
	ck_assert(dts_recon_tolerance_within(&t, M(100), M(100) + 5000));
	ck_assert(!dts_recon_tolerance_within(&t, M(100), M(100) + 5001));
	ck_assert(dts_recon_tolerance_within(&t, M(100), M(100) - 5000));
	ck_assert_int_eq(dts_recon_tolerance_parse(&t, "5%", 2), 0);
	ck_assert_int_eq(t.percent, 1);
	ck_assert(dts_recon_tolerance_within(&t, M(100), M(105)));
	ck_assert(!dts_recon_tolerance_within(&t, M(100), M(105) + 1));
	ck_assert(dts_recon_tolerance_within(&t, M(-200), M(-210)));
	/* extremes do not overflow */
	ck_assert(!dts_recon_tolerance_within(&t, INT64_MIN, INT64_MAX));
	ck_assert(dts_recon_tolerance_within(NULL, 7, 7));
	ck_assert(!dts_recon_tolerance_within(NULL, 7, 8));
	ck_assert_int_eq(dts_recon_tolerance_parse(&t, "-1", 2), DTS_EINPUT);
	ck_assert_int_eq(dts_recon_tolerance_parse(&t, "x%", 2), DTS_EINPUT);
	ck_assert_int_eq(dts_recon_tolerance_parse(&t, "", 0), DTS_EINPUT);
}
END_TEST

START_TEST(formats_and_names)
{
	char b[64];
	dts_amount a = DTS_AMOUNT_ZERO;
	unsigned c;

	ck_assert_int_eq(dts_recon_money_format(b, sizeof(b), 125000), 5);
	ck_assert_str_eq(b, "12.50");
	dts_recon_money_format(b, sizeof(b), 123450);
	ck_assert_str_eq(b, "12.345");
	dts_recon_money_format(b, sizeof(b), -1);
	ck_assert_str_eq(b, "-0.0001");
	dts_amount_add_money(&a, INT64_MAX, DTS_RATE_ONE);
	dts_amount_add_money(&a, INT64_MAX, DTS_RATE_ONE);
	dts_recon_amount_format(b, sizeof(b), &a);
	ck_assert_str_eq(b, "1844674407370955.1614");
	ck_assert_int_eq(dts_recon_amount_format(b, 0, &a), DTS_EINVAL);
	ck_assert_str_eq(dts_recon_bucket_name(DTS_RECON_MATCHED), "matched");
	ck_assert_str_eq(dts_recon_bucket_name(DTS_RECON_RIGHT_ONLY), "right_only");
	ck_assert_str_eq(dts_recon_bucket_name(DTS_RECON_REJECTED), "rejected");
	ck_assert_ptr_null(dts_recon_bucket_name(DTS_RECON_NBUCKETS));
	ck_assert_ptr_null(dts_recon_bucket_name(-1));
	ck_assert_uint_eq(dts_recon_bucket_compare(DTS_RECON_PERIOD_DIFF), DTS_RECON_CMP_PERIOD);
	ck_assert_uint_eq(dts_recon_bucket_compare(DTS_RECON_DUPLICATE), 0);
	ck_assert_int_eq(dts_recon_compare_parse(&c, "flow,value"), 0);
	ck_assert_uint_eq(c, DTS_RECON_CMP_FLOW | DTS_RECON_CMP_VALUE);
	ck_assert_int_eq(dts_recon_compare_parse(&c, "value,size"), DTS_EINPUT);
	ck_assert(strstr(dts_error_last()->message, "\"size\""));
	ck_assert_str_eq(dts_recon_cbec_check_name(DTS_RECON_CBEC_ANNUAL_LIMIT), "annual_limit");
	ck_assert_ptr_null(dts_recon_cbec_check_name(DTS_RECON_CBEC_NCHECKS));
}
END_TEST

START_TEST(bad_arguments)
{
	const char *keys[17] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
				"j", "k", "l", "m", "n", "o", "p", "q"};
	const char *empty = "";
	dts_recon_options o = DTS_RECON_OPTIONS_INIT;
	dts_recon *r = NULL;

	ck_assert_int_eq(dts_recon_new(&r, keys, 0, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_new(&r, keys, 17, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_new(&r, &empty, 1, NULL), DTS_EINVAL);
	o.version = 99;
	ck_assert_int_eq(dts_recon_new(&r, keys, 1, &o), DTS_EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(dts_recon_new(&r, keys, 16, NULL), 0);
	ck_assert_int_eq(add(r, 2, 1, "x", "1", "NONE"), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_run(r, NULL, NULL), 0);
	ck_assert_int_eq(dts_recon_run(r, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_reject(r, 0, 1, NULL), DTS_EINVAL);
	dts_recon_free(r);
	dts_recon_free(NULL);
	dts_recon_totals_free(NULL);
	dts_recon_cbec_free(NULL);
}
END_TEST

/* dts_recon_new_list: the --key syntax, its two messages. */
START_TEST(key_lists)
{
	dts_recon *r = NULL;

	ck_assert_int_eq(dts_recon_new_list(&r, "order_id, line,", NULL), 0);
	ck_assert_uint_eq(dts_recon_key_count(r), 2);
	ck_assert_str_eq(dts_recon_key(r, 0), "order_id");
	ck_assert_str_eq(dts_recon_key(r, 1), " line");
	dts_recon_free(r);
	ck_assert_int_eq(dts_recon_new_list(&r, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p", NULL), 0);
	ck_assert_uint_eq(dts_recon_key_count(r), 16);
	dts_recon_free(r);
	ck_assert_int_eq(dts_recon_new_list(&r, "", NULL), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message, "no field given");
	ck_assert_ptr_null(r);
	ck_assert_int_eq(dts_recon_new_list(&r, "a,,b", NULL), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message, "bad field list \"a,,b\"");
	ck_assert_int_eq(dts_recon_new_list(&r, ",a", NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_new_list(&r, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", NULL),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_recon_new_list(&r, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_new_list(NULL, "a", NULL), DTS_EINVAL);
	ck_assert_ptr_null(r);
}
END_TEST

/* ---- record matching ------------------------------------------------------------ */

START_TEST(duplicates_on_both_sides)
{
	dts_recon *r = new1(DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY, NULL);
	dts_recon_counts t, c;
	seen s = {0};
	const char *code;

	/* A: 2 left, 1 right; B: 0 left, 2 right; C: a clean pair */
	ck_assert_int_eq(add(r, 0, 2, "A", "1", "TECH.CLOUD"), 0);
	ck_assert_int_eq(add(r, 0, 3, "A", "2", "SERV.FINANCE"), 0);
	ck_assert_int_eq(add(r, 0, 4, "C", "5", "TECH.AI"), 0);
	ck_assert_int_eq(add(r, 1, 2, "A", "1", "TECH.CLOUD"), 0);
	ck_assert_int_eq(add(r, 1, 3, "B", "7", "DATA.PRODUCT"), 0);
	ck_assert_int_eq(add(r, 1, 4, "B", "8", "DATA.PRODUCT"), 0);
	ck_assert_int_eq(add(r, 1, 5, "C", "5", "TECH.AI"), 0);
	ck_assert_int_eq(dts_recon_run(r, collect, &s), 0);
	ck_assert_int_eq(s.n, 6);
	/* A: first left, first right, then the further left one */
	ck_assert_int_eq(s.bucket[0], DTS_RECON_DUPLICATE);
	ck_assert_int_eq((int)s.lline[0], 2);
	ck_assert_int_eq((int)s.rline[1], 2);
	ck_assert_int_eq((int)s.lline[2], 3);
	ck_assert_str_eq(s.reason[0], "key on left 2 times, on right 1 times");
	ck_assert_int_eq(s.bucket[3], DTS_RECON_MATCHED);
	ck_assert_str_eq(s.key[3], "C");
	ck_assert_int_eq(s.bucket[4], DTS_RECON_DUPLICATE);
	ck_assert_str_eq(s.reason[4], "key on left 0 times, on right 2 times");
	ck_assert_int_eq(dts_recon_summary(&t, r), 0);
	ck_assert_uint_eq(t.duplicate[0], 2);
	ck_assert_uint_eq(t.duplicate[1], 3);
	ck_assert_uint_eq(t.pairs[DTS_RECON_MATCHED], 1);
	ck_assert_uint_eq(t.read[0], 3);
	ck_assert_uint_eq(t.read[1], 4);
	/* every record in exactly one bucket */
	ck_assert_uint_eq(t.pairs[0] + t.duplicate[0] + t.only[0] + t.rejected[0], t.read[0]);
	ck_assert_uint_eq(t.pairs[0] + t.duplicate[1] + t.only[1] + t.rejected[1], t.read[1]);
	/* tops in canonical order: TECH SERV DATA */
	ck_assert_uint_eq(dts_recon_category_count(r), 3);
	ck_assert_int_eq(dts_recon_category(&code, &c, r, 0), 0);
	ck_assert_str_eq(code, "TECH");
	ck_assert_uint_eq(c.duplicate[0], 1);
	ck_assert_uint_eq(c.records[0], 2);
	ck_assert_int_eq(dts_recon_category(&code, &c, r, 2), 0);
	ck_assert_str_eq(code, "DATA");
	ck_assert_int_eq(dts_recon_category(&code, &c, r, 3), DTS_EINVAL);
	dts_recon_free(r);
}
END_TEST

START_TEST(keys_are_injective)
{
	const char *names[] = {"a", "b"};
	const char *l1[] = {"A|B", "C"}, *r1[] = {"A", "B|C"};
	const char *l2[] = {"x\\", "|y"}, *r2[] = {"x\\|", "y"};
	const char *l3[] = {" k ", "\tv"}, *r3[] = {"k", "v"};
	const char *const *sides[6] = {l1, r1, l2, r2, l3, r3};
	dts_recon *r = NULL;
	seen s = {0};

	ck_assert_int_eq(dts_recon_new(&r, names, 2, NULL), 0);
	for (int i = 0; i < 6; i++) {
		dts_recon_record x;

		memset(&x, 0, sizeof(x));
		x.line = (uint64_t)i + 2;
		x.keys = sides[i];   /* key_lens NULL: NUL-terminated */
		x.value = "1";
		x.value_len = 1;
		x.category = "NONE";
		x.category_len = 4;
		ck_assert_int_eq(dts_recon_add(r, i % 2, &x), 0);
	}
	ck_assert_int_eq(dts_recon_run(r, collect, &s), 0);
	/* the first two pairs never meet; the blanks are trimmed, so the third does */
	ck_assert_int_eq(s.n, 5);
	ck_assert_int_eq(s.bucket[0], DTS_RECON_LEFT_ONLY);
	ck_assert_str_eq(s.key[0], "A\\|B|C");
	ck_assert_int_eq(s.bucket[1], DTS_RECON_RIGHT_ONLY);
	ck_assert_str_eq(s.key[1], "A|B\\|C");
	ck_assert_str_eq(s.key[2], "x\\\\|\\|y");
	ck_assert_str_eq(s.key[3], "x\\\\\\||y");
	ck_assert_int_eq(s.bucket[4], DTS_RECON_MATCHED);
	ck_assert_str_eq(s.key[4], "k|v");
	dts_recon_free(r);
}
END_TEST

START_TEST(rejects_and_pair_buckets)
{
	dts_recon *r = new1(DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY |
			    DTS_RECON_CMP_PERIOD | DTS_RECON_CMP_FLOW, "5%");
	const char *key = "P";
	size_t kl = 1;
	dts_recon_record x;
	dts_recon_counts t;
	dts_table *sum = NULL, *mx = NULL;
	seen s = {0};

	ck_assert_int_eq(add(r, 0, 2, "  ", "1", "NONE"), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "empty key field \"id\"");
	ck_assert_int_eq(add(r, 0, 3, "V", "abc", "NONE"), DTS_EINPUT);
	ck_assert(!strncmp(dts_error_last()->message, "value: ", 7));
	ck_assert_int_eq(add(r, 0, 4, "E", "1", " "), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->message, "empty dts_category");
	ck_assert_int_eq(dts_recon_reject(r, 1, 9, "broken quoting"), 0);
	/* a classifier's refusal, and a bad period */
	memset(&x, 0, sizeof(x));
	x.keys = &key;
	x.key_lens = &kl;
	x.value = "10";
	x.value_len = 2;
	x.line = 5;
	x.category_error = "regex match limit";
	ck_assert_int_eq(dts_recon_add(r, 1, &x), DTS_EINPUT);
	x.category = "TECH.CLOUD";
	x.category_len = 10;
	x.period = "2025-13";
	x.period_len = 7;
	ck_assert_int_eq(dts_recon_add(r, 1, &x), DTS_EINPUT);
	ck_assert(!strncmp(dts_error_last()->message, "period: ", 8));
	/* pairs: period 2025-03 agrees with 2025-03-02 at the coarser level */
	x.period = "2025-03";
	x.period_len = 7;
	x.flow = "出口";
	x.flow_len = strlen(x.flow);
	ck_assert_int_eq(dts_recon_add(r, 0, &x), 0);
	x.period = "2025-03-02";
	x.period_len = 10;
	x.flow = "X";
	x.flow_len = 1;
	x.value = "10.5";
	x.value_len = 4;
	ck_assert_int_eq(dts_recon_add(r, 1, &x), 0);
	key = "Q";     /* flow differs, and value just over 5% */
	x.value = "10.51";
	x.value_len = 5;
	x.flow = "M";
	ck_assert_int_eq(dts_recon_add(r, 1, &x), 0);
	x.value = "10";
	x.value_len = 2;
	x.flow = "X";
	ck_assert_int_eq(dts_recon_add(r, 0, &x), 0);
	key = "R";     /* category differs */
	ck_assert_int_eq(dts_recon_add(r, 0, &x), 0);
	x.category = "TECH.AI";
	x.category_len = 7;
	ck_assert_int_eq(dts_recon_add(r, 1, &x), 0);
	ck_assert_int_eq(dts_recon_run(r, collect, &s), 0);
	ck_assert_int_eq(s.n, 9);
	ck_assert_int_eq(s.bucket[0], DTS_RECON_REJECTED);
	ck_assert_str_eq(s.key[0], "");       /* the key was not known */
	ck_assert_str_eq(s.key[1], "V");      /* it was */
	ck_assert_int_eq(s.bucket[3], DTS_RECON_REJECTED);
	ck_assert_str_eq(s.reason[3], "broken quoting");
	ck_assert_int_eq((int)s.rline[3], 9);
	ck_assert_str_eq(s.reason[4], "regex match limit");
	ck_assert_int_eq(s.bucket[6], DTS_RECON_MATCHED);
	ck_assert_int_eq(s.bucket[7], DTS_RECON_VALUE_DIFF);
	ck_assert_str_eq(s.reason[7], "value_diff; flow_diff");
	ck_assert_int_eq(s.bucket[8], DTS_RECON_CATEGORY_DIFF);
	ck_assert_int_eq(dts_recon_summary(&t, r), 0);
	ck_assert_uint_eq(t.rejected[0], 3);
	ck_assert_uint_eq(t.rejected[1], 3);
	ck_assert_uint_eq(t.pairs[DTS_RECON_VALUE_DIFF], 1);
	ck_assert_int_eq(dts_recon_summary_table(&sum, r), 0);
	ck_assert_uint_eq(dts_table_nrows(sum), 2);    /* TECH, TOTAL */
	ck_assert_uint_eq(dts_table_ncols(sum), 17);   /* all four compared */
	ck_assert_str_eq(dts_table_col_name(sum, 8), "value_diff_sum");
	ck_assert_str_eq(dts_table_cell(sum, 1, 0), "TOTAL");
	ck_assert_str_eq(dts_table_cell(sum, 1, 8), "0.51");
	ck_assert_str_eq(dts_table_cell(sum, 0, 15), "0");  /* rejects: TOTAL only */
	ck_assert_str_eq(dts_table_cell(sum, 1, 15), "3");
	ck_assert_int_eq(dts_recon_matrix_table(&mx, r), 0);
	ck_assert_uint_eq(dts_table_nrows(mx), 1);
	ck_assert_str_eq(dts_table_cell(mx, 0, 0), "TECH.CLOUD");
	ck_assert_str_eq(dts_table_cell(mx, 0, 1), "TECH.AI");
	ck_assert_int_eq(add(r, 0, 1, "late", "1", "NONE"), DTS_EINVAL);
	dts_table_free(sum);
	dts_table_free(mx);
	dts_recon_free(r);
}
END_TEST

START_TEST(callback_stops_the_run)
{
	dts_recon *r = new1(DTS_RECON_CMP_VALUE, NULL);
	seen s = {0};
	char k[8];

	for (int i = 0; i < 10; i++) {
		snprintf(k, sizeof(k), "%d", i);
		ck_assert_int_eq(add(r, 0, (uint64_t)i + 2, k, "1", "NONE"), 0);
	}
	s.stop_at = 3;
	ck_assert_int_eq(dts_recon_run(r, collect, &s), DTS_EUSER);
	ck_assert_int_eq(s.n, 3);
	dts_recon_free(r);
}
END_TEST

static int to_mem(const void *d, size_t n, void *payload)
{
	return fwrite(d, 1, n, payload) == n ? 0 : -1;
}

typedef struct lines {
	FILE *f;
} lines;

static int write_cb_item(const dts_recon_item *it, void *payload)
{
	return dts_recon_write_item_cb(it, to_mem, ((lines *)payload)->f);
}

START_TEST(details_lines)
{
	dts_recon *r = new1(DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY, NULL);
	char *buf = NULL;
	size_t len = 0;
	lines l;

	l.f = open_memstream(&buf, &len);
	ck_assert_int_eq(add(r, 0, 2, "a,b", "1.5", "TECH.CLOUD"), 0);
	ck_assert_int_eq(add(r, 1, 3, "a,b", "1", "TECH.CLOUD"), 0);
	ck_assert_int_eq(add(r, 0, 4, "same", "1", "NONE"), 0);
	ck_assert_int_eq(add(r, 1, 5, "same", "1", "NONE"), 0);
	ck_assert_int_eq(add(r, 1, 6, "q\"", "x", "NONE"), DTS_EINPUT);
	ck_assert_int_eq(dts_recon_run(r, write_cb_item, &l), 0);
	fclose(l.f);
	ck_assert_str_eq(buf,
		"rejected,\"q\"\"\",,,6,,,,,value: not a number: 'x'\n"
		"value_diff,\"a,b\",2,1.50,3,1.00,-0.50,TECH.CLOUD,TECH.CLOUD,value_diff\n");
	free(buf);
	ck_assert_int_eq(strncmp(DTS_RECON_DETAILS_HEADER, "bucket,key,", 11), 0);
	ck_assert_int_eq(dts_recon_write_item(NULL, stdout), DTS_EINVAL);
	dts_recon_free(r);
}
END_TEST

static int refuse(const void *d, size_t n, void *payload)
{
	(void)d;
	(void)n;
	(void)payload;
	return DTS_EUSER;
}

START_TEST(text_report)
{
	const char *keys[] = {"no", "ebp"};
	const char *k1[] = {"1", "E"}, *k2[] = {"2", "E"};
	dts_recon *r = NULL;
	dts_recon_record x;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(dts_recon_new(&r, keys, 2, NULL), 0);
	ck_assert_uint_eq(dts_recon_key_count(r), 2);
	ck_assert_str_eq(dts_recon_key(r, 1), "ebp");
	ck_assert_ptr_null(dts_recon_key(r, 2));
	ck_assert_uint_eq(dts_recon_compare(r), DTS_RECON_CMP_VALUE | DTS_RECON_CMP_CATEGORY);
	memset(&x, 0, sizeof(x));
	x.value = "3";
	x.value_len = 1;
	x.category = "TECH.CLOUD";
	x.category_len = 10;
	x.keys = k1;
	ck_assert_int_eq(dts_recon_add(r, 0, &x), 0);
	ck_assert_int_eq(dts_recon_add(r, 1, &x), 0);
	x.keys = k2;
	ck_assert_int_eq(dts_recon_add(r, 0, &x), 0);
	x.category = "PROD.GAME";
	x.category_len = 9;
	ck_assert_int_eq(dts_recon_add(r, 1, &x), 0);
	ck_assert_int_eq(dts_recon_run(r, NULL, NULL), 0);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(dts_recon_write_text(r, "l.csv", "r.csv", f), 0);
	fclose(f);
	ck_assert(!strncmp(buf, "left:  l.csv\nright: r.csv\nkey: no,ebp\n\ncategory ", 48));
	ck_assert(strstr(buf, "\ncategory disagreements (left -> right):\n"));
	ck_assert(strstr(buf, "left  2 read = 1 matched + 1 category_diff + 0 value_diff + "
			 "0 duplicate + 0 left_only + 0 rejected\n"));
	ck_assert(strstr(buf, "\nevery record is in exactly one bucket\n"));
	free(buf);
	ck_assert_int_eq(dts_recon_write_text_cb(r, NULL, NULL, refuse, NULL), DTS_EUSER);
	ck_assert_int_eq(dts_recon_write_text(r, NULL, NULL, NULL), DTS_EINVAL);
	dts_recon_free(r);
}
END_TEST

START_TEST(records_from_a_source)
{
	static const char left[] = "id,金额,dts_category\n1,10,TECH.CLOUD\n2,5,NONE\n\"bad,3\n";
	static const char right[] = "id,value\n1,10\n";
	static const char nokey[] = "code,value\n1,10\n";
	const char *key = "id";
	dts_source *l = NULL, *rr = NULL, *n = NULL;
	dts_recon *r = NULL;
	dts_recon_counts t;
	int classify = -1;

	ck_assert_int_eq(dts_recon_new(&r, &key, 1, NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&l, left, sizeof(left) - 1, "left.csv", NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&rr, right, sizeof(right) - 1, "right.csv", NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&n, nokey, sizeof(nokey) - 1, "nokey.csv", NULL), 0);
	ck_assert_int_eq(dts_recon_bind_source(&classify, r, 0, n), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->file, "nokey.csv");
	ck_assert_str_eq(dts_error_last()->message, "key field \"id\" is not in the header");
	ck_assert_int_eq(dts_recon_bind_source(&classify, r, 0, l), 0);
	ck_assert_int_eq(classify, 0);   /* a dts_category column; 金额 is value */
	ck_assert_int_eq(dts_recon_bind_source(&classify, r, 1, rr), 0);
	ck_assert_int_eq(classify, 1);
	ck_assert_int_eq(dts_recon_add_source(r, 0, l, NULL), 0);
	ck_assert_int_eq(dts_recon_add_source(r, 1, rr, NULL), DTS_EINVAL); /* needs a scanner */
	ck_assert_int_eq(dts_recon_add_source(r, 1, n, NULL), DTS_EINVAL);  /* not bound */
	ck_assert_int_eq(dts_recon_add_sources(r, l, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_run(r, NULL, NULL), 0);
	ck_assert_int_eq(dts_recon_summary(&t, r), 0);
	ck_assert_uint_eq(t.read[0], 3);
	ck_assert_uint_eq(t.rejected[0], 1);   /* the broken row */
	ck_assert_uint_eq(t.only[0], 2);
	dts_source_free(l);
	dts_source_free(rr);
	dts_source_free(n);
	dts_recon_free(r);
}
END_TEST

static int no_rules(const dts_rules **out, void *payload)
{
	(void)out;
	++*(int *)payload;
	return DTS_EUSER;
}

/* dts_recon_add_files: both paths opened, bound and added (the
 * reconcile-records case's inputs, categorised: no classifier asked). */
START_TEST(records_from_files)
{
	static const char raw[] = "id,value,ebops_code\n1,10,SI21\n";
	char path[] = "/tmp/test_reconcile.XXXXXX";
	dts_recon *r = NULL;
	dts_recon_counts t;
	int calls = 0, fd;

	ck_assert_int_eq(dts_recon_new_list(&r, "id", NULL), 0);
	ck_assert_int_eq(dts_recon_add_files(r, DTS_SRCDIR "/tests/cases/reconcile-records/left.csv",
					     DTS_SRCDIR "/tests/cases/reconcile-records/right.csv",
					     NULL, no_rules, &calls), 0);
	ck_assert_int_eq(calls, 0);
	ck_assert_int_eq(dts_recon_run(r, NULL, NULL), 0);
	ck_assert_int_eq(dts_recon_summary(&t, r), 0);
	ck_assert_uint_eq(t.read[0], 11);
	ck_assert_uint_eq(t.read[1], 10);
	dts_recon_free(r);

	/* Raw records: the callback is asked, and its code comes back. */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, raw, sizeof(raw) - 1), (ssize_t)(sizeof(raw) - 1));
	close(fd);
	ck_assert_int_eq(dts_recon_new_list(&r, "id", NULL), 0);
	ck_assert_int_eq(dts_recon_add_files(r, path, path, NULL, no_rules, &calls), DTS_EUSER);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(dts_recon_add_files(r, path, path, NULL, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_add_files(r, "/nonexistent.csv", path, NULL, NULL, NULL),
			 DTS_EIO);
	ck_assert_str_eq(dts_error_last()->file, "/nonexistent.csv");
	ck_assert_int_eq(dts_recon_add_files(NULL, path, path, NULL, NULL, NULL), DTS_EINVAL);
	dts_recon_free(r);
	unlink(path);
}
END_TEST

START_TEST(records_from_customs_xml)
{
	const char *path = "classifiers/cn-digital-trade.xml";
	const char *keys[] = {"invtNo", "gnum"}, *order = "orderNo";
	dts_rules *rules = NULL;
	dts_scanner *sc = NULL;
	dts_recon_counts t;

	ck_assert_int_eq(dts_rules_compile(&rules, &path, 1, NULL), 0);
	ck_assert_int_eq(dts_scanner_new(&sc, rules, 0), 0);
	for (int pass = 0; pass < 2; pass++) {
		dts_source *src[2] = {NULL, NULL};
		dts_recon *r = NULL;
		int classify = 0;

		/* message leaves as keys: one row per goods item */
		ck_assert_int_eq(dts_recon_new(&r, pass ? &order : keys, pass ? 1 : 2, NULL), 0);
		for (int s = 0; s < 2; s++) {
			ck_assert_int_eq(dts_source_open(&src[s], "examples/ceb621-sample.xml", NULL), 0);
			ck_assert_int_eq(dts_recon_bind_source(&classify, r, s, src[s]), 0);
			ck_assert_int_eq(classify, 1);   /* XML is always classified */
		}
		ck_assert_int_eq(dts_recon_add_sources(r, src[0], src[1], sc), 0);
		ck_assert_int_eq(dts_recon_run(r, NULL, NULL), 0);
		ck_assert_int_eq(dts_recon_summary(&t, r), 0);
		ck_assert_uint_eq(t.read[0], 3);
		ck_assert_uint_eq(t.rejected[0], 0);
		if (!pass) {
			ck_assert_uint_eq(t.pairs[DTS_RECON_MATCHED], 3);
		} else {   /* orderNo: the inventory of two items is a duplicate */
			ck_assert_uint_eq(t.pairs[DTS_RECON_MATCHED], 1);
			ck_assert_uint_eq(t.duplicate[0], 2);
			ck_assert_uint_eq(t.duplicate[1], 2);
		}
		dts_source_free(src[0]);
		dts_source_free(src[1]);
		dts_recon_free(r);
	}
	dts_scanner_free(sc);
	dts_rules_free(rules);
}
END_TEST

/* ---- total matching --------------------------------------------------------------- */

static dts_cube *cube(const char *currency, dts_money v)
{
	static const char *const dims[] = {"period:month", "category:top"};
	const char *k1[] = {"2025-01", "TECH"}, *k2[] = {"2025-02", "SERV"};
	dts_cube *c = NULL;

	ck_assert_int_eq(dts_cube_new(&c, dims, 2, currency), 0);
	ck_assert_int_eq(dts_cube_add(c, k1, v, DTS_RATE_ONE, NULL), 0);
	ck_assert_int_eq(dts_cube_add(c, k2, M(50), DTS_RATE_ONE, NULL), 0);
	return c;
}

typedef struct gaps {
	int n;
	char first[64];
	int differs;
} gaps;

static int gap_cb(const dts_recon_gap *g, void *payload)
{
	gaps *s = payload;

	if (!s->n)
		snprintf(s->first, sizeof(s->first), "%s", g->keys[0]);
	s->n++;
	s->differs += g->differs;
	return 0;
}

START_TEST(totals_currency_mismatch)
{
	dts_cube *usd = cube("USD", M(100)), *cny = cube("CNY", M(100));
	dts_recon_totals *t = NULL;

	ck_assert_int_eq(dts_recon_totals_new(&t), 0);
	ck_assert_int_eq(dts_recon_totals_add_cube(t, 0, usd), 0);
	ck_assert_int_eq(dts_recon_totals_add_cube(t, 0, usd), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_totals_add_cube(t, 1, cny), 0);
	ck_assert_int_eq(dts_recon_totals_run(t, NULL, NULL), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->message,
			 "left and right: different reporting currencies: USD and CNY");
	dts_recon_totals_free(t);
	dts_cube_free(usd);
	dts_cube_free(cny);
}
END_TEST

START_TEST(totals_gaps)
{
	/* right: a CSV cube by month only, values in the partial's form */
	static const char csv[] = "period:month,value,records\n2025-01,300.5,1\n2025-03,1,1\n";
	static const char bad[] = "period:month,records\n2025-01,1\n";
	dts_cube *left = cube("CNY", M(100));
	dts_recon_totals *t = NULL;
	dts_table *tab = NULL;
	dts_csv *r = NULL;
	gaps s = {0};
	size_t ncells, ndiff;
	const char *const *dims;

	ck_assert_int_eq(dts_recon_totals_new(&t), 0);
	ck_assert_int_eq(dts_csv_open_buffer(&r, bad, sizeof(bad) - 1, "bad.csv", NULL), 0);
	ck_assert_int_eq(dts_recon_totals_add_csv(t, 1, r, "bad.csv"), DTS_EINPUT);
	dts_csv_free(r);
	dts_recon_totals_free(t);
	ck_assert_int_eq(dts_recon_totals_new(&t), 0);
	ck_assert_int_eq(dts_recon_totals_run(t, NULL, NULL), DTS_EINVAL);  /* no sides */
	dts_recon_totals_free(t);

	ck_assert_int_eq(dts_recon_totals_new(&t), 0);
	ck_assert_int_eq(dts_recon_totals_add_cube(t, 0, left), 0);
	ck_assert_int_eq(dts_csv_open_buffer(&r, csv, sizeof(csv) - 1, "right.csv", NULL), 0);
	ck_assert_int_eq(dts_recon_totals_add_csv(t, 1, r, "right.csv"), 0);
	dts_csv_free(r);
	ck_assert_int_eq(dts_recon_totals_run(t, gap_cb, &s), 0);
	/* category:top summed out on the left: its DT and DD rows are not counted twice */
	ck_assert_uint_eq(dts_recon_totals_dims(&dims, &ncells, &ndiff, t), 1);
	ck_assert_str_eq(dims[0], "period:month");
	ck_assert_uint_eq(ncells, 3);
	ck_assert_uint_eq(ndiff, 3);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.first, "2025-01");
	ck_assert_int_eq(dts_recon_totals_table(&tab, t, 2), 0);
	ck_assert_str_eq(dts_table_cell(tab, 0, 2), "100.00");   /* left_value */
	ck_assert_str_eq(dts_table_cell(tab, 0, 5), "200.50");   /* gap */
	ck_assert_str_eq(dts_table_cell(tab, 0, 6), "200.50");   /* percent */
	ck_assert_str_eq(dts_table_cell(tab, 1, 7), "left only");
	ck_assert_str_eq(dts_table_cell(tab, 2, 6), "");          /* of zero */
	ck_assert_str_eq(dts_table_cell(tab, 2, 7), "right only");
	ck_assert_int_eq(dts_table_col_numeric(tab, 7), 0);
	dts_table_free(tab);
	ck_assert_int_eq(dts_recon_totals_table(&tab, t, 15), DTS_EINVAL);
	s.n = 0;
	ck_assert_int_eq(dts_recon_totals_foreach(t, gap_cb, &s), 0);
	ck_assert_int_eq(s.n, 3);
	dts_recon_totals_free(t);
	dts_cube_free(left);
}
END_TEST

START_TEST(totals_no_common_dimension)
{
	static const char *const d1[] = {"flow"}, *const d2[] = {"region"};
	dts_cube *a = NULL, *b = NULL;
	dts_recon_totals *t = NULL;

	ck_assert_int_eq(dts_cube_new(&a, d1, 1, "CNY"), 0);
	ck_assert_int_eq(dts_cube_new(&b, d2, 1, "CNY"), 0);
	ck_assert_int_eq(dts_recon_totals_new(&t), 0);
	ck_assert_int_eq(dts_recon_totals_add_cube(t, 0, a), 0);
	ck_assert_int_eq(dts_recon_totals_add_cube(t, 1, b), 0);
	ck_assert_int_eq(dts_recon_totals_run(t, NULL, NULL), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->message, "left and right share no dimension");
	ck_assert_int_eq(dts_recon_totals_load(t, 0, "/nonexistent/cube"), DTS_EINVAL); /* given */
	dts_recon_totals_free(t);
	ck_assert_int_eq(dts_recon_totals_new(&t), 0);
	ck_assert_int_eq(dts_recon_totals_load(t, 0, "/nonexistent/cube"), DTS_EIO);
	ck_assert_int_eq(dts_recon_totals_load(t, 1, "tests/cases/reconcile-key-parts/lcube.csv"), 0);
	dts_recon_totals_free(t);
	dts_cube_free(a);
	dts_cube_free(b);
}
END_TEST

/* ---- 三单对碰 ------------------------------------------------------------------ */

static void order(dts_recon_cbec *c, const char *no, const char *goods,
		  const char *paid, const char *buyer, const char *tx)
{
	const char *v[10] = {no, "EBP", goods, "0", "0", "0", paid, buyer, "", tx};

	ck_assert_int_eq(dts_recon_cbec_add(c, DTS_RECON_CBEC_ORDER, 1, v, NULL), 0);
}

static void payment(dts_recon_cbec *c, const char *tx, const char *no,
		    const char *payer, const char *amount)
{
	const char *v[6] = {tx, no, "EBP", payer, "", amount};

	ck_assert_int_eq(dts_recon_cbec_add(c, DTS_RECON_CBEC_PAYMENT, 1, v, NULL), 0);
}

static void inventory(dts_recon_cbec *c, uint64_t line, const char *invt,
		      const char *no, const char *log, const char *mode,
		      const char *price)
{
	const char *v[9] = {no, "EBP", log, invt, "I", mode, "2025-03-01", price, ""};

	ck_assert_int_eq(dts_recon_cbec_add(c, DTS_RECON_CBEC_INVENTORY, line, v, NULL), 0);
}

typedef struct fails {
	int n;
	unsigned checks[32];
	char inv[32][16];
	char why[32][256];
	int stop_at;
} fails;

static int fail_cb(const dts_recon_cbec_failure *f, void *payload)
{
	fails *s = payload;

	s->checks[s->n] = f->checks;
	snprintf(s->inv[s->n], 16, "%s", f->inventory);
	snprintf(s->why[s->n], 256, "%s", f->reasons);
	s->n++;
	return s->stop_at && s->n == s->stop_at ? DTS_EUSER - 1 : 0;
}

static dts_recon_cbec *cbec_case(void)
{
	dts_recon_cbec *c = NULL;
	const char *w[1];

	ck_assert_int_eq(dts_recon_cbec_new(&c, NULL), 0);
	order(c, "O1", "100", "100", "B1", "T1");
	payment(c, "T1", "O1", "B1", "100");
	order(c, "O3", "100", "100", "B3", "");           /* no payment */
	order(c, "O5", "50", "50", "B5", "T5");
	payment(c, "T5", "O5", "B5", "51");              /* paid_mismatch */
	order(c, "O6", "100", "90", "B6", "T6");          /* order_sum */
	payment(c, "T6", "O6", "B6", "90");
	order(c, "O7", "10", "10", "B7", "T7");
	payment(c, "T7", "O7", "B77", "10");             /* buyer_not_payer */
	order(c, "O8", "5000.01", "5000.01", "B8", "T8"); /* single_limit */
	payment(c, "T8", "O8", "B8", "5000.01");
	for (int i = 0; i < 7; i++) {                     /* annual: 6 x 4000 + 2001 + 1 */
		char no[8], tx[8];

		snprintf(no, sizeof(no), "O9%c", 'a' + i);
		snprintf(tx, sizeof(tx), "T9%c", 'a' + i);
		order(c, no, i < 6 ? "4000" : "2001", i < 6 ? "4000" : "2001", "B9", tx);
		payment(c, tx, no, "B9", i < 6 ? "4000" : "2001");
	}
	order(c, "O10", "12x", "12", "B10", "T10");        /* malformed */
	payment(c, "T10", "O10", "B10", "12");
	w[0] = "L";
	ck_assert_int_eq(dts_recon_cbec_add(c, DTS_RECON_CBEC_WAYBILL, 1, w, NULL), 0);
	inventory(c, 2, "I1", "O1", "L", "9610", "100");
	inventory(c, 3, "I2", "O2", "L", "9610", "1");    /* no order, no payment */
	inventory(c, 4, "I3", "O3", "L", "9610", "100");
	inventory(c, 5, "I4", "O1", "L404", "9610", "100"); /* no waybill */
	inventory(c, 6, "I5", "O5", "L", "9610", "50");
	inventory(c, 7, "I6", "O6", "L", "9610", "100");
	inventory(c, 8, "I7", "O7", "L", "9610", "10");
	inventory(c, 9, "I8", "O8", "L", "9610", "5000.01");
	for (int i = 0; i < 7; i++) {
		char no[8], inv[8];

		snprintf(no, sizeof(no), "O9%c", 'a' + i);
		snprintf(inv, sizeof(inv), "I9%c", 'a' + i);
		inventory(c, 10 + (uint64_t)i, inv, no, "L", "9610", "1");
	}
	inventory(c, 17, "I10", "O10", "L", "9610", "12");
	/* two List items of one inventory: one check */
	inventory(c, 18, "I11", "O1", "L", "0110", "60");
	inventory(c, 19, "I11", "O1", "L", "0110", "40");
	return c;
}

START_TEST(cbec_verdicts)
{
	dts_recon_cbec *c = cbec_case();
	dts_recon_cbec_summary s;
	dts_table *sum = NULL, *ft = NULL;
	fails f = {0};

	ck_assert_int_eq(dts_recon_cbec_run(c, fail_cb, &f), 0);
	ck_assert_int_eq(dts_recon_cbec_summary_get(&s, c), 0);
	ck_assert_uint_eq(s.inventories, 17);
	ck_assert_uint_eq(s.failed, 9);
	ck_assert_int_eq(f.n, 9);
	ck_assert_str_eq(f.inv[0], "I2");
	ck_assert_uint_eq(f.checks[0], 1u << DTS_RECON_CBEC_ORDER_MISSING |
			  1u << DTS_RECON_CBEC_PAYMENT_MISSING);
	ck_assert_str_eq(f.why[0], "order_missing; payment_missing");
	ck_assert_uint_eq(f.checks[1], 1u << DTS_RECON_CBEC_PAYMENT_MISSING);
	ck_assert_uint_eq(f.checks[2], 1u << DTS_RECON_CBEC_WAYBILL_MISSING);
	ck_assert_uint_eq(f.checks[3], 1u << DTS_RECON_CBEC_PAID_MISMATCH);
	ck_assert_str_eq(f.why[3], "paid_mismatch: order 50.00, payment 51.00");
	ck_assert_uint_eq(f.checks[4], 1u << DTS_RECON_CBEC_ORDER_SUM);
	ck_assert_str_eq(f.why[4], "order_sum: goods+freight+tax-discount 100.00, paid 90.00");
	ck_assert_uint_eq(f.checks[5], 1u << DTS_RECON_CBEC_BUYER_NOT_PAYER);
	ck_assert_uint_eq(f.checks[6], 1u << DTS_RECON_CBEC_SINGLE_LIMIT);
	ck_assert_str_eq(f.inv[7], "I9g");   /* 24,000 + 2,001 > 26,000 */
	ck_assert_uint_eq(f.checks[7], 1u << DTS_RECON_CBEC_ANNUAL_LIMIT);
	ck_assert_str_eq(f.why[7], "annual_limit: buyer's year total would be 26001.00");
	ck_assert_uint_eq(f.checks[8], 1u << DTS_RECON_CBEC_MALFORMED);
	ck_assert_uint_eq(s.check_failed[DTS_RECON_CBEC_PAYMENT_MISSING], 2);
	ck_assert_int_eq(dts_recon_cbec_summary_table(&sum, c), 0);
	ck_assert_uint_eq(dts_table_nrows(sum), DTS_RECON_CBEC_NCHECKS);
	ck_assert_str_eq(dts_table_cell(sum, DTS_RECON_CBEC_SINGLE_LIMIT, 2), "5000.01");
	ck_assert_int_eq(dts_recon_cbec_run(c, NULL, NULL), DTS_EINVAL);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&buf, &len);

		ck_assert_int_eq(dts_recon_cbec_write_text(c, NULL, mf), 0);
		fclose(mf);
		ck_assert(!strncmp(buf, "inventories: 17 checked, 8 passed, 9 failed\n\ncheck ", 51));
		ck_assert(!strstr(buf, "failing inventories"));
		free(buf);
		ck_assert_int_eq(dts_recon_cbec_write_text_cb(c, NULL, refuse, NULL), DTS_EUSER);
	}
	dts_table_free(sum);
	dts_recon_cbec_free(c);

	/* the table callback, and a callback that stops */
	c = cbec_case();
	ck_assert_int_eq(dts_recon_cbec_failures_new(&ft), 0);
	ck_assert_int_eq(dts_recon_cbec_run(c, dts_recon_cbec_failure_row, ft), 0);
	ck_assert_uint_eq(dts_table_nrows(ft), 9);
	ck_assert_str_eq(dts_table_cell(ft, 0, 2), "3");
	ck_assert_str_eq(dts_table_cell(ft, 0, 3), "1.00");
	dts_table_free(ft);
	dts_recon_cbec_free(c);
	c = cbec_case();
	memset(&f, 0, sizeof(f));
	f.stop_at = 2;
	ck_assert_int_eq(dts_recon_cbec_run(c, fail_cb, &f), DTS_EUSER - 1);
	ck_assert_int_eq(f.n, 2);
	dts_recon_cbec_free(c);
}
END_TEST

START_TEST(cbec_limits_and_tolerance)
{
	dts_recon_cbec_options o = DTS_RECON_CBEC_OPTIONS_INIT;
	dts_recon_cbec *c = NULL;
	dts_recon_cbec_summary s;
	fails f = {0};
	const char *w[1] = {"L"};

	ck_assert(o.single_limit == M(5000) && o.annual_limit == M(26000));
	o.single_limit = -1;
	ck_assert_int_eq(dts_recon_cbec_new(&c, &o), DTS_EINVAL);
	o.single_limit = M(100);
	ck_assert_int_eq(dts_recon_tolerance_parse(&o.tolerance, "10", 2), 0);
	ck_assert_int_eq(dts_recon_cbec_new(&c, &o), 0);
	order(c, "O1", "100", "90", "B", "T1");   /* within 10: no order_sum */
	payment(c, "T1", "O1", "B", "90");
	order(c, "O2", "100", "100.01", "", "");   /* over the 100 limit */
	payment(c, "T2", "O2", "", "100.01");
	ck_assert_int_eq(dts_recon_cbec_add(c, DTS_RECON_CBEC_WAYBILL, 1, w, NULL), 0);
	inventory(c, 2, "I1", "O1", "L", "1210", "90");
	inventory(c, 3, "I2", "O2", "L", "1239", "100.01");
	ck_assert_int_eq(dts_recon_cbec_add(c, 9, 1, w, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_recon_cbec_run(c, fail_cb, &f), 0);
	ck_assert_int_eq(dts_recon_cbec_summary_get(&s, c), 0);
	ck_assert_uint_eq(s.failed, 1);
	ck_assert_uint_eq(f.checks[0], 1u << DTS_RECON_CBEC_SINGLE_LIMIT);
	dts_recon_cbec_free(c);
}
END_TEST

START_TEST(cbec_documents_from_sources)
{
	static const char orders[] = "orderNo,ebpCode,acturalPaid,goodsValue\nO1,E,10,10\n";
	static const char broken[] = "orderNo,ebpCode\n\"O1,E\n";
	static const char noorder[] = "ebpCode\nE\n";
	const char *const *names;
	dts_recon_cbec *c = NULL;
	dts_source *src = NULL;

	ck_assert_uint_eq(dts_recon_cbec_columns(&names, DTS_RECON_CBEC_INVENTORY), 9);
	ck_assert_str_eq(names[0], "orderNo");
	ck_assert_uint_eq(dts_recon_cbec_columns(&names, 4), 0);
	ck_assert_int_eq(dts_recon_cbec_new(&c, NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&src, orders, sizeof(orders) - 1, "o.csv", NULL), 0);
	ck_assert_int_eq(dts_recon_cbec_add_source(c, DTS_RECON_CBEC_ORDER, src), 0);
	dts_source_free(src);
	ck_assert_int_eq(dts_source_open_buffer(&src, noorder, sizeof(noorder) - 1, "n.csv", NULL), 0);
	ck_assert_int_eq(dts_recon_cbec_add_source(c, DTS_RECON_CBEC_ORDER, src), DTS_ENOTFOUND);
	ck_assert_str_eq(dts_error_last()->message, "no orderNo column");
	dts_source_free(src);
	ck_assert_int_eq(dts_source_open_buffer(&src, broken, sizeof(broken) - 1, "b.csv", NULL), 0);
	ck_assert_int_eq(dts_recon_cbec_add_source(c, DTS_RECON_CBEC_ORDER, src), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "b.csv");
	ck_assert_uint_eq(dts_error_last()->line, 2);
	dts_source_free(src);
	ck_assert_int_eq(dts_recon_cbec_load(c, DTS_RECON_CBEC_ORDER, "examples/cbec-orders.csv"), 0);
	ck_assert_int_eq(dts_recon_cbec_load(c, DTS_RECON_CBEC_ORDER, "/nonexistent.csv"), DTS_EIO);
	dts_recon_cbec_free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, tolerance_is_exact);
	tcase_add_test(tc, formats_and_names);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, key_lists);
	tcase_add_test(tc, duplicates_on_both_sides);
	tcase_add_test(tc, keys_are_injective);
	tcase_add_test(tc, rejects_and_pair_buckets);
	tcase_add_test(tc, callback_stops_the_run);
	tcase_add_test(tc, details_lines);
	tcase_add_test(tc, text_report);
	tcase_add_test(tc, records_from_a_source);
	tcase_add_test(tc, records_from_customs_xml);
	tcase_add_test(tc, records_from_files);
	tcase_add_test(tc, totals_currency_mismatch);
	tcase_add_test(tc, totals_gaps);
	tcase_add_test(tc, totals_no_common_dimension);
	tcase_add_test(tc, cbec_verdicts);
	tcase_add_test(tc, cbec_limits_and_tolerance);
	tcase_add_test(tc, cbec_documents_from_sources);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
