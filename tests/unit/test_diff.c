/*
 * test_diff.c — dts/diff.h: two classifier versions over the same records.
 * The records and classifiers are tests/cases/rules-diff's, so the library
 * and `dts-rules diff` are checked against the same figures.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "dts.h"

#define CASE DTS_SRCDIR "/tests/cases/rules-diff/"

static dts_rules *rules_at(const char *path)
{
	dts_rules *r = NULL;
	const char *paths[1] = {path};

	ck_assert_int_eq(dts_rules_compile(&r, paths, 1, NULL), 0);
	return r;
}

typedef struct seen {
	int moved, rejected, stop_at, calls;
	char log[1024];
} seen;

static void log_move(seen *s, const char *a, const char *b,
		     unsigned long long n, const dts_amount *v)
{
	char money[64];
	size_t len = strlen(s->log);

	ck_assert_int_ge(dts_amount_format(money, sizeof(money), v, 0, 2), 0);
	snprintf(s->log + len, sizeof(s->log) - len, "%s->%s %llu %s\n", a, b,
		 n, money);
}

static int on_record(const dts_diff_record *r, void *payload)
{
	seen *s = payload;
	char line[256];
	size_t len = strlen(s->log);

	s->calls++;
	if (r->event == DTS_DIFF_MOVED) {
		s->moved++;
		ck_assert_ptr_nonnull(r->old_result);
		snprintf(line, sizeof(line), "%s:%llu %s->%s %.*s\n", r->input,
			 (unsigned long long)r->line, r->old_result->category,
			 r->new_result->category, (int)r->value_len, r->value);
	} else {
		ck_assert_int_eq(r->event, DTS_DIFF_REJECTED);
		ck_assert_ptr_nonnull(r->error);
		s->rejected++;
		snprintf(line, sizeof(line), "rejected line %llu\n",
			 (unsigned long long)r->line);
	}
	snprintf(s->log + len, sizeof(s->log) - len, "%s", line);
	return s->calls == s->stop_at ? DTS_EUSER - 7 : 0;
}

static int on_move(const dts_diff_cell *c, void *payload)
{
	log_move(payload, c->old_category, c->new_category,
		 (unsigned long long)c->records, &c->value);
	return 0;
}

static int on_total(const dts_diff_total *t, void *payload)
{
	char line[256], a[64], b[64];
	seen *s = payload;
	size_t len = strlen(s->log);

	dts_amount_format(a, sizeof(a), &t->old_value, 0, 2);
	dts_amount_format(b, sizeof(b), &t->new_value, 0, 2);
	snprintf(line, sizeof(line), "%s %llu %llu %s %s\n", t->category,
		 (unsigned long long)t->old_records,
		 (unsigned long long)t->new_records, a, b);
	snprintf(s->log + len, sizeof(s->log) - len, "%s", line);
	return 0;
}

static int stop(const dts_diff_total *t, void *payload)
{
	(void)t;
	(void)payload;
	return DTS_EUSER;
}

static dts_diff *diff_case(dts_rules **old_r, dts_rules **new_r)
{
	dts_diff *d = NULL;

	*old_r = rules_at(CASE "old.xml");
	*new_r = rules_at(CASE "new.xml");
	ck_assert_int_eq(dts_diff_new(&d, *old_r, *new_r, DTS_SCAN_VALID_UTF8), 0);
	return d;
}

START_TEST(test_source_figures)
{
	dts_rules *o, *n;
	dts_diff *d = diff_case(&o, &n);
	dts_source *src = NULL;
	dts_diff_stats st;
	seen s = {0};
	char v[64];

	ck_assert_int_eq(dts_source_open(&src, CASE "in.csv", NULL), 0);
	ck_assert_int_eq(dts_diff_source(d, src, on_record, &s), 0);
	ck_assert_str_eq(s.log, CASE "in.csv:3 TECH.CLOUD->TECH.SOFTWARE 250.50\n"
			 CASE "in.csv:4 NONE->TECH.SOFTWARE 40\n"
			 "rejected line 6\n");
	dts_diff_stats_get(&st, d);
	ck_assert_uint_eq(st.records, 5);
	ck_assert_uint_eq(st.rejected, 1);
	ck_assert_uint_eq(st.moved, 2);
	dts_amount_format(v, sizeof(v), &st.moved_value, 0, 2);
	ck_assert_str_eq(v, "290.50");

	s.log[0] = '\0';
	ck_assert_int_eq(dts_diff_moves(d, on_move, &s), 0);
	ck_assert_str_eq(s.log, "NONE->TECH.SOFTWARE 1 40.00\n"
			 "TECH.CLOUD->TECH.SOFTWARE 1 250.50\n");
	s.log[0] = '\0';
	ck_assert_int_eq(dts_diff_totals(d, on_total, &s), 0);
	ck_assert_str_eq(s.log, "NONE 2 1 50.00 10.00\n"
			 "TECH.CLOUD 1 0 250.50 0.00\n"
			 "TECH.SOFTWARE 1 3 100.00 390.50\n");
	ck_assert_int_eq(dts_diff_totals(d, stop, NULL), DTS_EUSER);
	dts_source_free(src);
	dts_diff_free(d);
	dts_rules_free(o);
	dts_rules_free(n);
}
END_TEST

/* A callback's own code stops the read and comes back unchanged; the
 * record it was called for stays counted, and reading can go on. */
START_TEST(test_callback_stops)
{
	dts_rules *o, *n;
	dts_diff *d = diff_case(&o, &n);
	dts_source *src = NULL;
	dts_diff_stats st;
	seen s = {0};

	s.stop_at = 1;
	ck_assert_int_eq(dts_source_open(&src, CASE "in.csv", NULL), 0);
	ck_assert_int_eq(dts_diff_source(d, src, on_record, &s), DTS_EUSER - 7);
	dts_diff_stats_get(&st, d);
	ck_assert_uint_eq(st.records, 2);
	ck_assert_uint_eq(st.moved, 1);
	ck_assert_int_eq(dts_diff_source(d, src, on_record, &s), 0);
	dts_diff_stats_get(&st, d);
	ck_assert_uint_eq(st.records, 5);
	ck_assert_uint_eq(st.moved, 2);
	ck_assert_int_eq(s.calls, 3);
	dts_source_free(src);
	dts_diff_free(d);
	dts_rules_free(o);
	dts_rules_free(n);
}
END_TEST

/* Rows from anywhere: a binding and columns, no source; no callback. */
START_TEST(test_row)
{
	static const char *const header[] = {"ebops_code", "description", "value"};
	const char *row[] = {"SI22", "cloud hosting", "1,000.25"};
	const size_t lens[] = {4, 13, 8};
	const char *bad[] = {"SI22", "cloud", "x"};
	const size_t bad_lens[] = {4, 5, 1};
	dts_rules *o, *n;
	dts_diff *d = diff_case(&o, &n);
	dts_binding *b = NULL;
	dts_diff_stats st;
	char v[64];

	ck_assert_int_eq(dts_binding_new(&b, header, 3, NULL, 0), 0);
	ck_assert_int_eq(dts_diff_row(d, b, row, lens, 3, NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(dts_diff_row(d, b, row, lens, 3, "x", 2, NULL, NULL), 0);
	ck_assert_int_eq(dts_diff_row(d, b, bad, bad_lens, 3, "x", 3, NULL, NULL), 0);
	dts_diff_stats_get(&st, d);
	ck_assert_uint_eq(st.records, 3);
	ck_assert_uint_eq(st.rejected, 1);
	ck_assert_uint_eq(st.moved, 2);
	dts_amount_format(v, sizeof(v), &st.moved_value, 0, 2);
	ck_assert_str_eq(v, "2000.50");
	ck_assert_int_eq(dts_diff_row(NULL, b, row, lens, 3, NULL, 0, NULL, NULL),
			 DTS_EINVAL);
	dts_binding_free(b);
	dts_diff_free(d);
	dts_rules_free(o);
	dts_rules_free(n);
}
END_TEST

typedef struct text {
	char p[4096];
	size_t len;
} text;

static int append(const void *data, size_t len, void *payload)
{
	text *t = payload;

	ck_assert_uint_lt(t->len + len, sizeof(t->p));
	memcpy(t->p + t->len, data, len);
	t->len += len;
	t->p[t->len] = '\0';
	return 0;
}

static int details(const dts_diff_record *r, void *payload)
{
	return dts_diff_write_record_cb(append, payload, r);
}

static size_t slurp(char *buf, size_t size, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

/* The details CSV is the tool's --details file, byte for byte. */
START_TEST(test_details)
{
	dts_rules *o, *n;
	dts_diff *d = diff_case(&o, &n);
	dts_source *src = NULL;
	char in[1024], want[1024];
	size_t len = slurp(in, sizeof(in), CASE "in.csv");
	text got = {{0}, 0};
	dts_diff_record r;
	dts_result a, b;
	FILE *f;

	slurp(want, sizeof(want), CASE "expected/moved.csv");
	append(DTS_DIFF_DETAILS_HEADER, strlen(DTS_DIFF_DETAILS_HEADER), &got);
	ck_assert_int_eq(dts_source_open_buffer(&src, in, len, "in.csv", NULL), 0);
	ck_assert_int_eq(dts_diff_source(d, src, details, &got), 0);
	ck_assert_str_eq(got.p, want);

	/* quoting, and the FILE* form */
	memset(&r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	a.category = "NONE";
	a.rule = "";
	b.category = "TECH.CLOUD";
	b.rule = "r,1";
	r.event = DTS_DIFF_MOVED;
	r.input = "a \"b\".csv";
	r.line = 7;
	r.old_result = &a;
	r.new_result = &b;
	r.value = "1,000";
	r.value_len = 5;
	f = tmpfile();
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_diff_write_record(f, &r), 0);
	r.event = DTS_DIFF_REJECTED;
	ck_assert_int_eq(dts_diff_write_record(f, &r), 0); /* nothing */
	rewind(f);
	len = fread(in, 1, sizeof(in) - 1, f);
	in[len] = '\0';
	fclose(f);
	ck_assert_str_eq(in, "\"a \"\"b\"\".csv\",7,NONE,,TECH.CLOUD,\"r,1\",\"1,000\"\n");
	ck_assert_int_eq(dts_diff_write_record(NULL, &r), DTS_EINVAL);
	ck_assert_int_eq(dts_diff_write_record_cb(append, &got, NULL), DTS_EINVAL);
	dts_source_free(src);
	dts_diff_free(d);
	dts_rules_free(o);
	dts_rules_free(n);
}
END_TEST

static int stop_write(const void *data, size_t len, void *payload)
{
	(void)data;
	(void)len;
	++*(int *)payload;
	return DTS_EUSER - 1;
}

/* The text report is `dts-rules diff`'s standard output, byte for byte. */
START_TEST(test_write_text)
{
	dts_rules *o, *n;
	dts_diff *d = diff_case(&o, &n);
	dts_source *src = NULL;
	text got = {{0}, 0};
	char want[4096], *end, file[4096];
	FILE *f = tmpfile();
	int calls = 0;

	ck_assert_int_eq(dts_source_open(&src, CASE "in.csv", NULL), 0);
	ck_assert_int_eq(dts_diff_source(d, src, NULL, NULL), 0);
	slurp(want, sizeof(want), CASE "expected/stdout");
	end = strstr(want, "exit 1\n");
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	ck_assert_int_eq(dts_diff_write_text_cb(d, "dts-rules", append, &got), 0);
	ck_assert_str_eq(got.p, want);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_diff_write_text(d, "dts-rules", f), 0);
	rewind(f);
	file[fread(file, 1, sizeof(file) - 1, f)] = '\0';
	fclose(f);
	ck_assert_str_eq(file, want);
	/* No label: the first line starts with the count. */
	got.len = 0;
	ck_assert_int_eq(dts_diff_write_text_cb(d, NULL, append, &got), 0);
	ck_assert_str_eq(got.p, want + strlen("dts-rules: "));
	/* The callback's code stops the report at the first line. */
	ck_assert_int_eq(dts_diff_write_text_cb(d, NULL, stop_write, &calls), DTS_EUSER - 1);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(dts_diff_write_text(d, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_diff_write_text_cb(NULL, NULL, append, &got), DTS_EINVAL);
	ck_assert_int_eq(dts_diff_write_text_cb(d, NULL, NULL, NULL), DTS_EINVAL);
	dts_source_free(src);
	dts_diff_free(d);
	dts_rules_free(o);
	dts_rules_free(n);
}
END_TEST

START_TEST(test_arguments)
{
	dts_rules *o = rules_at(CASE "old.xml");
	dts_diff *d = (dts_diff *)&d;

	ck_assert_int_eq(dts_diff_new(&d, o, NULL, 0), DTS_EINVAL);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(dts_diff_new(NULL, o, o, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_diff_new(&d, o, o, 0), 0);
	ck_assert_int_eq(dts_diff_moves(d, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_diff_totals(NULL, stop, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_diff_source(d, NULL, NULL, NULL), DTS_EINVAL);
	dts_diff_free(d);
	dts_diff_free(NULL);
	dts_rules_free(o);
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_source_figures);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_row);
	tcase_add_test(tc, test_details);
	tcase_add_test(tc, test_write_text);
	tcase_add_test(tc, test_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(diff_suite());
}
