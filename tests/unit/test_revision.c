/*
 * test_revision.c — what a revision changed (lib/report/revision.c): the
 * annex of two vintages and the cube's cells of two vintages, revisions
 * exact from the figures as shown, notes for new, dropped and unchanged
 * figures, the vintages named in the titles.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

#define HDR "id,no,kind,categories,flows,base,of,target,unit,name_zh,name_en\n"

static const char *const rdims[] = {"period:year", "flow", "category:top", "base"};

static dts_cube *new_cube(const char *classifier, int status, const char *cutoff)
{
	dts_cube *c = NULL;

	ck_assert_int_eq(dts_cube_new(&c, rdims, 4, "CNY"), 0);
	ck_assert_int_eq(dts_cube_set_classifier(c, classifier), 0);
	ck_assert_int_eq(dts_cube_set_status(c, status), 0);
	ck_assert_int_eq(dts_cube_set_vintage(c, cutoff), 0);
	return c;
}

/* value in yuan (integer), rate one */
static void add(dts_cube *c, const char *year, const char *flow, const char *cat,
		const char *base, int64_t yuan)
{
	const char *k[4] = {year, flow, cat, base};

	ck_assert_int_eq(dts_cube_add(c, k, yuan * DTS_MONEY_SCALE, DTS_RATE_ONE, ""), 0);
}

static dts_report *computed(const dts_cube *c)
{
	static const char defs[] = HDR
		"DT,1,sum,DT,X+M,,,,亿元,数字贸易,Digital trade\n"
		"CB,2,sum,CBEC,X,,,,万元,跨境电商出口,CBEC exports\n"
		"S,,share,,,,CB/DT,,%,占比,share\n";
	dts_report *r = NULL;

	ck_assert_int_eq(dts_report_parse(&r, "defs.csv", defs, strlen(defs)), 0);
	ck_assert_int_eq(dts_report_compute(r, c, 2), 0);
	return r;
}

/* The row of `id` in `year`: its cells from column 2 on, joined by '|'. */
static const char *row_text(const dts_table *t, const char *id, const char *year)
{
	static char buf[512];

	for (size_t i = 0; i < dts_table_nrows(t); i++) {
		if (strcmp(dts_table_cell(t, i, 0), id) || strcmp(dts_table_cell(t, i, 1), year))
			continue;
		buf[0] = '\0';
		for (size_t j = 2; j < 7; j++) {
			strcat(buf, dts_table_cell(t, i, j));
			strcat(buf, j < 6 ? "|" : "");
		}
		return buf;
	}
	return "(no row)";
}

START_TEST(annex_revisions_are_exact_from_the_shown_figures)
{
	dts_cube *o = new_cube("cls@1", DTS_STATUS_PROVISIONAL, "2026-01-31");
	dts_cube *n = new_cube("cls@2", DTS_STATUS_FINAL, "2026-03-31");
	dts_report *ro, *rn;
	dts_table *t = NULL;

	add(o, "2024", "X", "CBEC", "goods", 100000000);   /* 1 亿 = 10000 万 */
	add(o, "2025", "X", "CBEC", "goods", 100000000);
	add(n, "2024", "X", "CBEC", "goods", 100000000);
	add(n, "2025", "X", "CBEC", "goods", 112345678);   /* late records */
	add(n, "2025", "M", "TECH", "services", 50000000);
	add(n, "2026", "X", "CBEC", "goods", 1000000);     /* a year only new has */
	ro = computed(o);
	rn = computed(n);
	ck_assert_int_eq(dts_report_revision_table(&t, ro, o, rn, n, 0), 0);
	ck_assert_str_eq(dts_table_title(t), "Revision of the annex: old (cls@1, provisional, "
			 "cut-off 2026-01-31) -> new (cls@2, final, cut-off 2026-03-31)");
	ck_assert_uint_eq(dts_table_nrows(t), 9);          /* 3 indicators x 3 years */
	ck_assert_str_eq(row_text(t, "DT", "2024"), "1.00|1.00|0.00|0.00|unchanged");
	/* 1.00 -> 1.62 (1.62345678 shown as 1.62): +0.62, 62.00 % */
	ck_assert_str_eq(row_text(t, "DT", "2025"), "1.00|1.62|0.62|62.00|revised");
	ck_assert_str_eq(row_text(t, "CB", "2025"), "10000.00|11234.57|1234.57|12.35|revised");
	/* a percentage is revised in points, never in percent of itself */
	ck_assert_str_eq(row_text(t, "S", "2025"), "100.00|69.20|-30.80||revised");
	ck_assert_str_eq(row_text(t, "DT", "2026"), "|0.01|||new");
	dts_table_free(t);
	/* one year only */
	ck_assert_int_eq(dts_report_revision_table(&t, ro, o, rn, n, 2025), 0);
	ck_assert_uint_eq(dts_table_nrows(t), 3);
	dts_table_free(t);
	/* new -> old: the 2026 figure is now missing */
	ck_assert_int_eq(dts_report_revision_table(&t, rn, n, ro, o, 2026), 0);
	ck_assert_str_eq(row_text(t, "DT", "2026"), "0.01||||now missing");
	dts_table_free(t);
	dts_report_free(ro);
	dts_report_free(rn);
	dts_cube_free(o);
	dts_cube_free(n);
}
END_TEST

/* Cell `k` of the cells table, by its first three keys. */
static const char *cell_text(const dts_table *t, const char *y, const char *f, const char *c)
{
	static char buf[512];
	size_t nd = dts_table_ndims(t);

	for (size_t i = 0; i < dts_table_nrows(t); i++) {
		if (strcmp(dts_table_cell(t, i, 0), y) || strcmp(dts_table_cell(t, i, 1), f) ||
		    strcmp(dts_table_cell(t, i, 2), c))
			continue;
		buf[0] = '\0';
		for (size_t j = nd; j < dts_table_ncols(t); j++) {
			strcat(buf, dts_table_cell(t, i, j));
			strcat(buf, j + 1 < dts_table_ncols(t) ? "|" : "");
		}
		return buf;
	}
	return "(no row)";
}

START_TEST(cells_revisions_name_new_dropped_and_revised_cells)
{
	dts_cube *o = new_cube("cls@1", DTS_STATUS_PROVISIONAL, "2026-01-31");
	dts_cube *n = new_cube("cls@1", DTS_STATUS_REVISED, "2026-06-30");
	dts_table *t = NULL;

	add(o, "2025", "X", "CBEC", "goods", 300);
	add(o, "2025", "X", "NONE", "goods", 7);
	add(o, "2025", "M", "PROD", "services", 5);
	add(n, "2025", "X", "CBEC", "goods", 300);
	add(n, "2025", "X", "CBEC", "goods", 33);
	add(n, "2025", "M", "PROD", "services", 5);
	add(n, "2025", "M", "DATA", "services", 2);
	ck_assert_int_eq(dts_report_cells_revision_table(&t, o, n, 2), 0);
	ck_assert_uint_eq(dts_table_ndims(t), 4);
	ck_assert_str_eq(cell_text(t, "2025", "X", "CBEC"), "1|300.00|2|333.00|33.00|11.00|revised");
	ck_assert_str_eq(cell_text(t, "2025", "X", "NONE"), "1|7.00|||-7.00|-100.00|dropped");
	ck_assert_str_eq(cell_text(t, "2025", "M", "DATA"), "||1|2.00|2.00||new");
	ck_assert_str_eq(cell_text(t, "2025", "M", "PROD"), "1|5.00|1|5.00|0.00|0.00|unchanged");
	ck_assert_ptr_nonnull(strstr(dts_table_title(t), "new (cls@1, revised, cut-off 2026-06-30)"));
	dts_table_free(t);
	ck_assert_int_eq(dts_report_cells_revision_table(&t, o, n, 15), DTS_EINVAL);
	ck_assert_ptr_null(t);
	dts_cube_free(o);
	dts_cube_free(n);
}
END_TEST

START_TEST(revision_errors)
{
	dts_cube *c = new_cube("cls@1", DTS_STATUS_FINAL, "2026-01-31"), *u = NULL;
	const char *k[1] = {"X"}, *d[1] = {"flow"};
	dts_report *r = computed(c), *raw = NULL;
	dts_table *t = (dts_table *)1;
	static const char defs[] = HDR "DT,1,sum,DT,X+M,,,,亿元,d,d\n";

	ck_assert_int_eq(dts_report_revision_table(&t, r, c, NULL, c, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_report_parse(&raw, "d.csv", defs, strlen(defs)), 0);
	ck_assert_int_eq(dts_report_revision_table(&t, r, c, raw, c, 0), DTS_EINVAL);
	/* cubes in two currencies do not compare */
	ck_assert_int_eq(dts_cube_new(&u, d, 1, "USD"), 0);
	ck_assert_int_eq(dts_cube_add(u, k, DTS_MONEY_SCALE, DTS_RATE_ONE, ""), 0);
	ck_assert_int_lt(dts_report_cells_revision_table(&t, c, u, 2), 0);
	dts_report_free(raw);
	dts_report_free(r);
	dts_cube_free(u);
	dts_cube_free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("revision");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, annex_revisions_are_exact_from_the_shown_figures);
	tcase_add_test(tc, cells_revisions_name_new_dropped_and_revised_cells);
	tcase_add_test(tc, revision_errors);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
