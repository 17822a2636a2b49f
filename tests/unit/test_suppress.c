/*
 * test_suppress.c — dts/suppress.h on small hand-built cubes with known
 * answers: the threshold rule, a 2x2 table with margins where one primary
 * cell forces three complements, a category hierarchy over three levels,
 * ties broken by the canonical order, the LP audit's intervals (and an
 * only-primary pattern it must find exposed), the CONF_STATUS table.
 */
#include "check_main.h"
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

#define YUAN(x) ((dts_money)(x) * DTS_MONEY_SCALE)

/* Add `value` yuan to the cell `keys` from `n` enterprises (ids tag.1,
 * tag.2 ...), the value split evenly (value must divide by n). */
static void put(dts_cube *c, const char *const *keys, long value, int n,
		const char *tag)
{
	char id[64];

	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%s.%d", tag, i + 1);
		ck_assert_int_eq(dts_cube_add(c, keys, YUAN(value / n), DTS_RATE_ONE,
					      id), 0);
	}
}

static dts_cube *cube2(const char *d0, const char *d1)
{
	const char *dims[2] = {d0, d1};
	dts_cube *c;

	ck_assert_int_eq(dts_cube_new(&c, dims, 2, "CNY"), 0);
	return c;
}

/* The status of the cell with these keys ("_T" for a total). */
static int conf_of(const dts_suppress *s, const char *k0, const char *k1)
{
	dts_suppress_cell cell;

	for (size_t i = 0; i < dts_suppress_count(s); i++) {
		ck_assert_int_eq(dts_suppress_cell_at(&cell, s, i), 0);
		if (!strcmp(cell.keys[0], k0) &&
		    (cell.nkeys < 2 || !strcmp(cell.keys[1], k1)))
			return cell.conf;
	}
	ck_abort_msg("no cell %s %s", k0, k1);
	return 0;
}

static const dts_suppress_interval *interval_of(const dts_suppress *s,
						 const dts_suppress_interval *iv,
						 size_t n, const char *k0,
						 const char *k1)
{
	dts_suppress_cell cell;

	for (size_t k = 0; k < n; k++) {
		ck_assert_int_eq(dts_suppress_cell_at(&cell, s, iv[k].cell), 0);
		if (!strcmp(cell.keys[0], k0) &&
		    (cell.nkeys < 2 || !strcmp(cell.keys[1], k1)))
			return &iv[k];
	}
	ck_abort_msg("no interval for %s %s", k0, k1);
	return NULL;
}

typedef struct sink {
	char *p;
	size_t len;
} sink;

static int collect(const void *data, size_t len, void *payload)
{
	sink *s = payload;

	s->p = realloc(s->p, s->len + len + 1);
	ck_assert_ptr_nonnull(s->p);
	memcpy(s->p + s->len, data, len);
	s->len += len;
	s->p[s->len] = '\0';
	return 0;
}

/*
 *        c1   c2 | _T
 *   r1  100   50 | 150     (r1,c1): one enterprise
 *   r2   60   70 | 130
 *   _T  160  120
 */
static dts_cube *two_by_two(void)
{
	dts_cube *c = cube2("row", "col");
	const char *a[2] = {"r1", "c1"}, *b[2] = {"r1", "c2"},
		   *cc[2] = {"r2", "c1"}, *d[2] = {"r2", "c2"};

	put(c, a, 100, 1, "a");
	put(c, b, 50, 5, "b");
	put(c, cc, 60, 3, "c");
	put(c, d, 70, 7, "d");
	return c;
}

START_TEST(test_two_by_two)
{
	dts_cube *c = two_by_two();
	dts_suppress *s;
	dts_suppress_audit_result res;
	dts_suppress_interval *iv;
	const dts_suppress_interval *x;

	ck_assert_int_eq(dts_suppress_new(&s, c, NULL), 0);
	/* 4 cells, 2 column totals, 2 row totals (no grand total: a table
	 * without a category dimension has none); 4 relations */
	ck_assert_uint_eq(dts_suppress_count(s), 8);
	ck_assert_uint_eq(dts_suppress_nrelations(s), 4);
	ck_assert_int_eq(conf_of(s, "r1", "c1"), DTS_CONF_PRIMARY);
	ck_assert_int_eq(conf_of(s, "r1", "c2"), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s, "r2", "c1"), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s, "r2", "c2"), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s, "_T", "c1"), DTS_CONF_FREE);
	ck_assert_int_eq(conf_of(s, "r1", "_T"), DTS_CONF_FREE);
	ck_assert_uint_eq(dts_suppress_count_conf(s, DTS_CONF_PRIMARY), 1);
	ck_assert_uint_eq(dts_suppress_count_conf(s, DTS_CONF_SECONDARY), 3);
	/* a moves with the rectangle: a + t, b - t, c - t, d + t, all >= 0:
	 * t in [-min(a, d), min(b, c)] = [-70, 50] */
	ck_assert_int_eq(dts_suppress_audit(&res, &iv, s), 0);
	ck_assert_uint_eq(res.cells, 4);
	ck_assert_uint_eq(res.exposed, 0);
	x = interval_of(s, iv, res.cells, "r1", "c1");
	ck_assert_double_eq_tol(x->value, 100, 1e-9);
	ck_assert_double_eq_tol(x->lower, 30, 1e-6);
	ck_assert_double_eq_tol(x->upper, 150, 1e-6);
	ck_assert_double_eq_tol(x->required, 10, 1e-9);
	ck_assert_int_eq(x->exposed, 0);
	ck_assert_double_eq_tol(res.min_width, 120, 1e-6);
	ck_assert_double_eq_tol(res.min_ratio, 7.0, 1e-6);
	x = interval_of(s, iv, res.cells, "r2", "c2");
	ck_assert_double_eq_tol(x->lower, 0, 1e-6);    /* d - min(a, d) */
	ck_assert_double_eq_tol(x->upper, 120, 1e-6);  /* d + min(b, c) */
	ck_assert_double_eq(x->required, 0);
	free(iv);
	dts_suppress_free(s);
	dts_cube_free(c);
}
END_TEST

/* A net negative cell (refunds above sales) has no lower bound in the
 * audit: d = -20 lets t in a + t, b - t, c - t, d + t go down to -a. */
START_TEST(test_negative_cell)
{
	dts_cube *c = cube2("row", "col");
	const char *a[2] = {"r1", "c1"}, *b[2] = {"r1", "c2"},
		   *cc[2] = {"r2", "c1"}, *d[2] = {"r2", "c2"};
	dts_suppress_audit_result res;
	dts_suppress_interval *iv;
	const dts_suppress_interval *x;
	dts_suppress *s;

	put(c, a, 100, 1, "a");
	put(c, b, 50, 5, "b");
	put(c, cc, 60, 3, "c");
	put(c, d, -21, 3, "d");
	ck_assert_int_eq(dts_cube_add(c, d, YUAN(1), DTS_RATE_ONE, "d.1"), 0);
	ck_assert_int_eq(dts_suppress_new(&s, c, NULL), 0);
	ck_assert_int_eq(conf_of(s, "r2", "c2"), DTS_CONF_SECONDARY);
	ck_assert_int_eq(dts_suppress_audit(&res, &iv, s), 0);
	ck_assert_uint_eq(res.exposed, 0);
	x = interval_of(s, iv, res.cells, "r1", "c1");
	ck_assert_double_eq_tol(x->lower, 0, 1e-6);
	ck_assert_double_eq_tol(x->upper, 150, 1e-6);
	x = interval_of(s, iv, res.cells, "r2", "c2");
	ck_assert_double_eq_tol(x->value, -20, 1e-9);
	ck_assert_double_eq_tol(x->lower, -120, 1e-6);
	ck_assert_double_eq_tol(x->upper, 30, 1e-6);
	free(iv);
	dts_suppress_free(s);
	dts_cube_free(c);
}
END_TEST

/* Only primary suppression: a = row total - b, exactly. The audit must
 * say so, and a hand-made pattern can be audited. */
START_TEST(test_bad_pattern_exposed)
{
	dts_cube *c = two_by_two();
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	dts_suppress *s;
	dts_suppress_audit_result res;
	dts_suppress_interval *iv;

	o.secondary = 0;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_uint_eq(dts_suppress_count_conf(s, DTS_CONF_SECONDARY), 0);
	ck_assert_int_eq(dts_suppress_audit(&res, &iv, s), 0);
	ck_assert_uint_eq(res.cells, 1);
	ck_assert_uint_eq(res.exposed, 1);
	ck_assert_double_eq_tol(iv[0].lower, 100, 1e-6);
	ck_assert_double_eq_tol(iv[0].upper, 100, 1e-6);
	ck_assert_double_eq_tol(res.min_width, 0, 1e-6);
	free(iv);
	/* two complements in one row are not enough: the column gives a */
	for (size_t i = 0; i < dts_suppress_count(s); i++) {
		dts_suppress_cell cell;

		ck_assert_int_eq(dts_suppress_cell_at(&cell, s, i), 0);
		if (!strcmp(cell.keys[0], "r1") && !strcmp(cell.keys[1], "c2"))
			ck_assert_int_eq(dts_suppress_set_conf(s, i,
					 DTS_CONF_SECONDARY), 0);
	}
	ck_assert_int_eq(dts_suppress_audit(&res, NULL, s), 0);
	ck_assert_uint_eq(res.cells, 2);
	ck_assert_uint_eq(res.exposed, 1);
	ck_assert_int_eq(dts_suppress_set_conf(s, 99, DTS_CONF_FREE), DTS_EINVAL);
	ck_assert_int_eq(dts_suppress_set_conf(s, 0, 0), DTS_EINVAL);
	dts_suppress_free(s);
	dts_cube_free(c);
}
END_TEST

/*
 * A category tree over three levels below DT: DT = DD (no CBEC), DD =
 * TECH + SERV, TECH = TECH.CLOUD (its only leaf), SERV = SERV.X + SERV.Y.
 * TECH.CLOUD (one enterprise) is primary, and so is TECH (the same one
 * enterprise, the same value: primary by its own count); DD = TECH +
 * SERV needs one more: SERV (350 < DD 450); SERV = X + Y then needs Y (the
 * smallest at least the 10 the cell needs).
 */
START_TEST(test_hierarchy)
{
	const char *dims[1] = {"category:leaf"};
	const char *cloud[1] = {"TECH.CLOUD"}, *x[1] = {"SERV.X"},
		   *y[1] = {"SERV.Y"};
	dts_suppress_audit_result res;
	dts_suppress_interval *iv;
	dts_suppress *s;
	dts_cube *c;

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	put(c, cloud, 100, 1, "t");
	put(c, x, 300, 3, "x");
	put(c, y, 50, 5, "y");
	ck_assert_int_eq(dts_suppress_new(&s, c, NULL), 0);
	/* DT DD TECH TECH.CLOUD SERV SERV.X SERV.Y; no margins */
	ck_assert_uint_eq(dts_suppress_count(s), 7);
	ck_assert_uint_eq(dts_suppress_nrelations(s), 4);
	ck_assert_int_eq(conf_of(s, "TECH.CLOUD", NULL), DTS_CONF_PRIMARY);
	ck_assert_int_eq(conf_of(s, "TECH", NULL), DTS_CONF_PRIMARY);
	ck_assert_int_eq(conf_of(s, "SERV", NULL), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s, "SERV.Y", NULL), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s, "SERV.X", NULL), DTS_CONF_FREE);
	ck_assert_int_eq(conf_of(s, "DD", NULL), DTS_CONF_FREE);
	ck_assert_int_eq(conf_of(s, "DT", NULL), DTS_CONF_FREE);
	/* CLOUD + Y = DD - X = 150 */
	ck_assert_int_eq(dts_suppress_audit(&res, &iv, s), 0);
	ck_assert_uint_eq(res.exposed, 0);
	ck_assert_double_eq_tol(interval_of(s, iv, res.cells, "TECH.CLOUD",
					    NULL)->lower, 0, 1e-6);
	ck_assert_double_eq_tol(interval_of(s, iv, res.cells, "TECH.CLOUD",
					    NULL)->upper, 150, 1e-6);
	free(iv);
	dts_suppress_free(s);
	dts_cube_free(c);
}
END_TEST

/*
 * Ties: region r1 (one enterprise, 100) and r2, r3 of 50 each. The region
 * total needs one complement: r2 and r3 tie, the earlier (r2) wins, in
 * whatever order the records came. Each region's flow total equals its
 * one flow (r,_T) = (r,X): r1's is primary itself (one enterprise), r2's
 * is suppressed with r2.
 */
static dts_suppress *ties(int reverse, dts_cube **cube)
{
	const char *k1[2] = {"r1", "X"}, *k2[2] = {"r2", "X"},
		   *k3[2] = {"r3", "X"};
	dts_cube *c = cube2("region", "flow");
	dts_suppress *s;

	if (reverse) {
		put(c, k3, 50, 5, "c");
		put(c, k2, 50, 5, "b");
		put(c, k1, 100, 1, "a");
	} else {
		put(c, k1, 100, 1, "a");
		put(c, k2, 50, 5, "b");
		put(c, k3, 50, 5, "c");
	}
	ck_assert_int_eq(dts_suppress_new(&s, c, NULL), 0);
	*cube = c;
	return s;
}

START_TEST(test_ties)
{
	dts_cube *c1, *c2;
	dts_suppress *s1 = ties(0, &c1), *s2 = ties(1, &c2);
	dts_table *t1, *t2;
	sink o1 = {0}, o2 = {0};

	ck_assert_int_eq(conf_of(s1, "r1", "X"), DTS_CONF_PRIMARY);
	ck_assert_int_eq(conf_of(s1, "r2", "X"), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s1, "r3", "X"), DTS_CONF_FREE);
	ck_assert_int_eq(conf_of(s1, "r1", "_T"), DTS_CONF_PRIMARY);
	ck_assert_int_eq(conf_of(s1, "r2", "_T"), DTS_CONF_SECONDARY);
	ck_assert_int_eq(conf_of(s1, "r3", "_T"), DTS_CONF_FREE);
	ck_assert_int_eq(conf_of(s1, "_T", "X"), DTS_CONF_FREE);
	ck_assert_int_eq(dts_suppress_table(&t1, s1, 0, 2), 0);
	ck_assert_int_eq(dts_suppress_table(&t2, s2, 0, 2), 0);
	ck_assert_int_eq(dts_table_write_csv_cb(t1, collect, &o1), 0);
	ck_assert_int_eq(dts_table_write_csv_cb(t2, collect, &o2), 0);
	ck_assert_str_eq(o1.p, o2.p);
	ck_assert_str_eq(o1.p,
		"region,flow,value,records,enterprises,CONF_STATUS\n"
		"r1,X,x,x,x,A\n"
		"r2,X,x,x,x,D\n"
		"r3,X,50.00,5,5,F\n"
		"_T,X,200.00,11,11,F\n"
		"r1,_T,x,x,x,A\n"
		"r2,_T,x,x,x,D\n"
		"r3,_T,50.00,5,5,F\n");
	free(o1.p);
	free(o2.p);
	dts_table_free(t1);
	dts_table_free(t2);
	dts_suppress_free(s1);
	dts_suppress_free(s2);
	dts_cube_free(c1);
	dts_cube_free(c2);
}
END_TEST

/* The threshold: 0 < enterprises < N. No enterprise ids: not primary;
 * threshold 1 or 0: nothing is. The text table shows x. */
START_TEST(test_threshold_and_table)
{
	const char *dims[1] = {"shop"};
	const char *k1[1] = {"a"}, *k2[1] = {"b"}, *k3[1] = {"c"};
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	dts_suppress *s;
	dts_cube *c;
	dts_table *t;
	sink out = {0};

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	put(c, k1, 30, 3, "a");
	put(c, k2, 20, 2, "b");
	ck_assert_int_eq(dts_cube_add(c, k3, YUAN(7), DTS_RATE_ONE, NULL), 0);
	o.margins = 0;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_int_eq(conf_of(s, "a", NULL), DTS_CONF_FREE);
	ck_assert_int_eq(conf_of(s, "b", NULL), DTS_CONF_PRIMARY);
	ck_assert_int_eq(conf_of(s, "c", NULL), DTS_CONF_FREE);
	ck_assert_int_eq(dts_suppress_table(&t, s, 0, 0), 0);
	ck_assert_int_eq(dts_table_write_text_cb(t, collect, &out), 0);
	ck_assert_ptr_nonnull(strstr(out.p, "(suppressed)"));
	ck_assert_ptr_nonnull(strstr(out.p, "\nb "));
	ck_assert_ptr_nonnull(strstr(out.p, " x  A\n"));
	free(out.p);
	dts_table_free(t);
	ck_assert_int_eq(dts_suppress_table(&t, s, 15, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_suppress_table(&t, s, 0, -2), DTS_EINVAL);
	/* -1: exact, no trailing zeros */
	ck_assert_int_eq(dts_suppress_table(&t, s, 4, -1), 0);
	ck_assert_str_eq(dts_table_cell(t, 0, 1), "0.003");
	ck_assert_str_eq(dts_table_cell(t, 2, 1), "0.0007");
	dts_table_free(t);
	dts_suppress_free(s);
	o.threshold = 4;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_int_eq(conf_of(s, "a", NULL), DTS_CONF_PRIMARY);
	dts_suppress_free(s);
	o.threshold = 1;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_uint_eq(dts_suppress_count_conf(s, DTS_CONF_FREE), 3);
	dts_suppress_free(s);
	dts_cube_free(c);
}
END_TEST

/* Add `value` money units (10^-4 yuan) to the cell `keys` from `ent`. */
static void put1(dts_cube *c, const char *const *keys, dts_money value,
		 const char *ent)
{
	ck_assert_int_eq(dts_cube_add(c, keys, value, DTS_RATE_ONE, ent), 0);
}

/* A one-dimension cube with contributions, no margins, no secondary. */
static dts_cube *shops(void)
{
	const char *dims[1] = {"shop"};
	dts_cube *c;

	ck_assert_int_eq(dts_cube_new(&c, dims, 1, "CNY"), 0);
	ck_assert_int_eq(dts_cube_set_contributions(c, 1), 0);
	return c;
}

static int conf1(const dts_cube *c, dts_suppress_options *o, const char *k)
{
	dts_suppress *s;
	int conf;

	o->margins = 0;
	o->secondary = 0;
	ck_assert_int_eq(dts_suppress_new(&s, c, o), 0);
	conf = conf_of(s, k, NULL);
	dts_suppress_free(s);
	return conf;
}

/*
 * The p% rule at its boundary, exactly: x1 = 80, x2 = 12, four others of
 * 2 (v = 100, remainder 8). 100 * 8 < p * 80 holds from p = 11, not at
 * p = 10 (800 < 800); one money unit (0.0001 yuan) more for x1 tips
 * p = 10 over, a difference no rounding to fen would see.
 */
START_TEST(test_p_rule_boundary)
{
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	const char *a[1] = {"a"}, *b[1] = {"b"};
	dts_cube *c = shops();
	char id[16];

	put1(c, a, YUAN(80), "x1");
	put1(c, a, YUAN(12), "x2");
	put1(c, b, YUAN(80), "x1");
	put1(c, b, 1, "x1");
	put1(c, b, YUAN(12), "x2");
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "o%d", i);
		put1(c, a, YUAN(2), id);
		put1(c, b, YUAN(2), id);
	}
	ck_assert_int_eq(conf1(c, &o, "a"), DTS_CONF_FREE); /* no rule */
	o.p_rule = 10;
	ck_assert_int_eq(conf1(c, &o, "a"), DTS_CONF_FREE);
	ck_assert_int_eq(conf1(c, &o, "b"), DTS_CONF_DOMINANCE);
	o.p_rule = 11;
	ck_assert_int_eq(conf1(c, &o, "a"), DTS_CONF_DOMINANCE);
	/* a record with no enterprise id is part of the remainder */
	put1(c, a, 1, NULL);
	ck_assert_int_eq(conf1(c, &o, "a"), DTS_CONF_DOMINANCE);
	put1(c, a, YUAN(1), NULL);   /* remainder 9.0001: 900.01 >= 880 */
	ck_assert_int_eq(conf1(c, &o, "a"), DTS_CONF_FREE);
	dts_cube_free(c);
}
END_TEST

/*
 * Net negative enterprises are never dominant and stay in v: x1 = 90,
 * a refund of -20, three of 10: v = 100, top two positive 90 and 10,
 * remainder 0 -> sensitive at any p. The (n,k) rule at its boundary:
 * 30 30 20 10 10 (v = 100): 2 enterprises hold 60%, so (2,60) is not
 * (6000 > 6000 fails) and (2,59) is. Two enterprises: the threshold rule
 * wins (A). No contributions: a dominance rule is the caller's error.
 */
START_TEST(test_negative_and_nk)
{
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	const char *neg[1] = {"neg"}, *nk[1] = {"nk"}, *two[1] = {"two"};
	dts_cube *c = shops(), *plain;
	dts_suppress *s = NULL;

	put1(c, neg, YUAN(90), "big");
	put1(c, neg, YUAN(30), "refund");
	put1(c, neg, -YUAN(50), "refund");
	put1(c, neg, YUAN(10), "e1");
	put1(c, neg, YUAN(10), "e2");
	put1(c, neg, YUAN(10), "e3");
	put1(c, nk, YUAN(30), "n1");
	put1(c, nk, YUAN(30), "n2");
	put1(c, nk, YUAN(20), "n3");
	put1(c, nk, YUAN(10), "n4");
	put1(c, nk, YUAN(10), "n5");
	put1(c, two, YUAN(90), "t1");
	put1(c, two, YUAN(10), "t2");
	o.p_rule = 1;
	ck_assert_int_eq(conf1(c, &o, "neg"), DTS_CONF_DOMINANCE);
	ck_assert_int_eq(conf1(c, &o, "nk"), DTS_CONF_FREE);
	ck_assert_int_eq(conf1(c, &o, "two"), DTS_CONF_PRIMARY);
	o.p_rule = 0;
	o.nk_n = 2;
	o.nk_k = 60;
	ck_assert_int_eq(conf1(c, &o, "nk"), DTS_CONF_FREE);
	o.nk_k = 59;
	ck_assert_int_eq(conf1(c, &o, "nk"), DTS_CONF_DOMINANCE);
	o.nk_n = 1;
	o.nk_k = 30;   /* 3000 > 3000 fails */
	ck_assert_int_eq(conf1(c, &o, "nk"), DTS_CONF_FREE);
	o.threshold = 1;  /* no threshold rule: dominance by one */
	ck_assert_int_eq(conf1(c, &o, "two"), DTS_CONF_DOMINANCE);
	/* options checked; a version 1 struct has no dominance fields */
	o = (dts_suppress_options)DTS_SUPPRESS_OPTIONS_INIT;
	o.p_rule = 101;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), DTS_EINVAL);
	o.p_rule = 0;
	o.nk_n = 3;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), DTS_EINVAL);
	o.version = 1;
	o.p_rule = 500;   /* not read */
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_uint_eq(dts_suppress_count_conf(s, DTS_CONF_DOMINANCE), 0);
	dts_suppress_free(s);
	plain = cube2("row", "col");
	o = (dts_suppress_options)DTS_SUPPRESS_OPTIONS_INIT;
	o.p_rule = 10;
	ck_assert_int_eq(dts_suppress_new(&s, plain, &o), DTS_EINVAL);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "contribution"));
	dts_cube_free(plain);
	dts_cube_free(c);
}
END_TEST

/*
 * Margins are tested on the contributions summed per enterprise: r1 =
 * {A 60, B 20, C 20}, r2 = {A 60, D 20, E 20}. Each cell: 100 * 20 <
 * p * 60 from p = 34; the total (A 120, B 20, remainder 60): 6000 <
 * p * 120 from p = 51 (r3, ten enterprises in column d, stays
 * free). With secondary suppression the pattern passes the
 * LP audit, the O cells audited as primary ones.
 */
START_TEST(test_dominance_margins_audited)
{
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	const char *r1[2] = {"r1", "c"}, *r2[2] = {"r2", "c"}, *r3[2] = {"r3", "d"};
	dts_cube *c = cube2("row", "col");
	dts_suppress_audit_result res;
	dts_suppress *s;
	char id[16];

	ck_assert_int_eq(dts_cube_set_contributions(c, 1), 0);
	put1(c, r1, YUAN(60), "A");
	put1(c, r1, YUAN(20), "B");
	put1(c, r1, YUAN(20), "C");
	put1(c, r2, YUAN(60), "A");
	put1(c, r2, YUAN(20), "D");
	put1(c, r2, YUAN(20), "E");
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "F%d", i);
		put1(c, r3, YUAN(30), id);
	}
	o.secondary = 0;
	o.threshold = 1;
	o.p_rule = 40;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_int_eq(conf_of(s, "r1", "c"), DTS_CONF_DOMINANCE);
	ck_assert_int_eq(conf_of(s, "r2", "c"), DTS_CONF_DOMINANCE);
	ck_assert_int_eq(conf_of(s, "_T", "c"), DTS_CONF_FREE);
	dts_suppress_free(s);
	o.p_rule = 60;
	o.secondary = 1;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), 0);
	ck_assert_int_eq(conf_of(s, "r1", "c"), DTS_CONF_DOMINANCE);
	ck_assert_int_eq(conf_of(s, "_T", "c"), DTS_CONF_DOMINANCE);
	ck_assert_int_eq(conf_of(s, "r1", "_T"), DTS_CONF_DOMINANCE);
	ck_assert_int_eq(conf_of(s, "r3", "d"), DTS_CONF_FREE);
	ck_assert_int_eq(dts_suppress_audit(&res, NULL, s), 0);
	ck_assert_uint_eq(res.exposed, 0);
	ck_assert_uint_eq(res.cells, dts_suppress_count(s) -
			  dts_suppress_count_conf(s, DTS_CONF_FREE));
	dts_suppress_free(s);
	dts_cube_free(c);
}
END_TEST

START_TEST(test_errors)
{
	dts_cube *c = two_by_two();
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	dts_suppress *s = (dts_suppress *)1;
	dts_suppress_cell cell;
	dts_table *t;

	o.protection = 101;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), DTS_EINVAL);
	ck_assert_ptr_null(s);
	o.protection = NAN;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), DTS_EINVAL);
	o = (dts_suppress_options)DTS_SUPPRESS_OPTIONS_INIT;
	o.version = 99;
	ck_assert_int_eq(dts_suppress_new(&s, c, &o), DTS_EINVAL);
	ck_assert_int_eq(dts_suppress_new(&s, c, NULL), 0);
	ck_assert_int_eq(dts_suppress_cell_at(&cell, s, 8), DTS_EINVAL);
	{
		const char *k[2] = {"r1", "_T"}, *none[2] = {"r9", "c1"};

		ck_assert_int_eq(dts_suppress_lookup(&cell, s, k), 0);
		ck_assert_int_eq(cell.margin, 1);
		ck_assert_uint_eq(cell.enterprises, 6);
		ck_assert_int_eq(cell.conf, DTS_CONF_FREE);
		ck_assert_int_eq(dts_suppress_lookup(&cell, s, none), DTS_ENOTFOUND);
	}
	dts_suppress_free(s);
	dts_suppress_free(NULL);
	ck_assert_str_eq(dts_conf_code(DTS_CONF_FREE), "F");
	ck_assert_str_eq(dts_conf_code(DTS_CONF_PRIMARY), "A");
	ck_assert_str_eq(dts_conf_code(DTS_CONF_SECONDARY), "D");
	ck_assert_str_eq(dts_conf_code(DTS_CONF_DOMINANCE), "O");
	ck_assert_ptr_null(dts_conf_code(0));
	ck_assert_int_eq(dts_suppress_cube_table(&t, c, NULL, 0, 2), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 8);
	ck_assert_str_eq(dts_table_col_name(t, 5), "CONF_STATUS");
	ck_assert_int_eq(dts_table_col_numeric(t, 5), 0);
	dts_table_free(t);
	dts_cube_free(c);
}
END_TEST

static Suite *suppress_suite(void)
{
	Suite *s = suite_create("suppress");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_two_by_two);
	tcase_add_test(tc, test_bad_pattern_exposed);
	tcase_add_test(tc, test_negative_cell);
	tcase_add_test(tc, test_hierarchy);
	tcase_add_test(tc, test_ties);
	tcase_add_test(tc, test_threshold_and_table);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_p_rule_boundary);
	tcase_add_test(tc, test_negative_and_nk);
	tcase_add_test(tc, test_dominance_margins_audited);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(suppress_suite());
}
