/*
 * test_gen.c — dts/gen.h: the synthetic record generator is deterministic,
 * gives the sizes asked for, and its FILE* and callback forms agree.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

typedef struct sink {
	char *p;
	size_t len, cap;
	int calls, stop_at;
	size_t last;  /* length of the last piece */
} sink;

static int collect(const void *data, size_t len, void *payload)
{
	sink *s = payload;

	if (++s->calls == s->stop_at)
		return DTS_EUSER - 1;
	if (s->len + len + 1 > s->cap) {
		s->cap = (s->len + len + 1) * 2;
		s->p = realloc(s->p, s->cap);
		ck_assert_ptr_nonnull(s->p);
	}
	memcpy(s->p + s->len, data, len);
	s->len += len;
	s->p[s->len] = '\0';
	s->last = len;
	return 0;
}

static sink run(uint64_t seed, uint64_t records, dts_gen_kind kind)
{
	dts_gen_options o = DTS_GEN_OPTIONS_INIT;
	sink s = {0};

	o.seed = seed;
	o.records = records;
	o.kind = kind;
	ck_assert_int_eq(dts_gen_write_cb(collect, &s, &o), 0);
	return s;
}

static size_t lines(const sink *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->len; i++)
		n += s->p[i] == '\n';
	return n;
}

START_TEST(test_deterministic)
{
	sink a = run(42, 500, DTS_GEN_MIXED), b = run(42, 500, DTS_GEN_MIXED);
	sink c = run(43, 500, DTS_GEN_MIXED), longer = run(42, 600, DTS_GEN_MIXED);

	ck_assert_uint_eq(a.len, b.len);
	ck_assert(memcmp(a.p, b.p, a.len) == 0);
	ck_assert(a.len != c.len || memcmp(a.p, c.p, a.len) != 0);
	ck_assert(longer.len > a.len && memcmp(a.p, longer.p, a.len) == 0);
	ck_assert_uint_eq(lines(&a), 501);
	ck_assert_int_eq(a.calls, 501);   /* the header, then one piece a record */
	ck_assert(strncmp(a.p, "id,source,flow,period,hs_code,", 30) == 0);
	free(a.p);
	free(b.p);
	free(c.p);
	free(longer.p);
}
END_TEST

/* The stream is pinned by the tool case too: seed 3, 4 records. */
START_TEST(test_pinned)
{
	FILE *f = fopen(DTS_SRCDIR "/tests/cases/gen-deterministic/expected/stdout", "rb");
	sink s = run(3, 4, DTS_GEN_MIXED);
	char want[8192];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(want, 1, sizeof(want), f);
	fclose(f);
	ck_assert_uint_ge(n, s.len);
	ck_assert(memcmp(want + n - s.len, s.p, s.len) == 0);
	free(s.p);
}
END_TEST

START_TEST(test_bytes)
{
	dts_gen_options o = DTS_GEN_OPTIONS_INIT;
	sink s = {0}, none = {0};

	o.seed = 9;
	o.bytes = 65536;
	ck_assert_int_eq(dts_gen_write_cb(collect, &s, &o), 0);
	ck_assert_uint_ge(s.len, 65536);
	ck_assert_uint_lt(s.len - s.last, 65536);
	o.bytes = 0;
	o.records = 0;
	ck_assert_int_eq(dts_gen_write_cb(collect, &none, &o), 0);
	ck_assert_uint_eq(lines(&none), 1);
	free(s.p);
	free(none.p);
}
END_TEST

START_TEST(test_kinds)
{
	static const char *const want[] = {NULL, ",customs,", ",bop,", ",survey,"};
	dts_gen_kind k;
	int i;

	for (i = DTS_GEN_MIXED; i <= DTS_GEN_SURVEY; i++) {
		sink s = run(1, 50, (dts_gen_kind)i);

		ck_assert_int_eq(dts_gen_kind_parse(&k, dts_gen_kind_name((dts_gen_kind)i)), 0);
		ck_assert_int_eq(k, i);
		if (want[i])
			ck_assert_ptr_nonnull(strstr(s.p, want[i]));
		free(s.p);
	}
	ck_assert_int_eq(dts_gen_kind_parse(&k, "nope"), DTS_ENOTFOUND);
	ck_assert_int_eq(dts_gen_kind_parse(NULL, "bop"), DTS_EINVAL);
	ck_assert_ptr_null(dts_gen_kind_name((dts_gen_kind)99));
}
END_TEST

START_TEST(test_file_equals_callback)
{
	dts_gen_options o = DTS_GEN_OPTIONS_INIT;
	sink s = run(7, 300, DTS_GEN_MIXED);
	FILE *f = tmpfile();
	char *buf = malloc(s.len + 1);

	ck_assert_ptr_nonnull(f);
	o.seed = 7;
	o.records = 300;
	ck_assert_int_eq(dts_gen_write(f, &o), 0);
	ck_assert_int_eq(ftell(f), (long)s.len);
	rewind(f);
	ck_assert_uint_eq(fread(buf, 1, s.len + 1, f), s.len);
	ck_assert(memcmp(buf, s.p, s.len) == 0);
	fclose(f);
	free(buf);
	free(s.p);
}
END_TEST

START_TEST(test_errors)
{
	dts_gen_options o = DTS_GEN_OPTIONS_INIT;
	sink s = {0};
	FILE *ro = fopen("/dev/null", "r");

	s.stop_at = 3;
	ck_assert_int_eq(dts_gen_write_cb(collect, &s, NULL), DTS_EUSER - 1);
	ck_assert_int_eq(s.calls, 3);
	ck_assert_int_eq(dts_gen_write_cb(NULL, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_gen_write(NULL, NULL), DTS_EINVAL);
	o.version = 99;
	ck_assert_int_eq(dts_gen_write_cb(collect, &s, &o), DTS_EINVAL);
	o.version = DTS_GEN_OPTIONS_VERSION;
	o.kind = (dts_gen_kind)7;
	ck_assert_int_eq(dts_gen_write_cb(collect, &s, &o), DTS_EINVAL);
	ck_assert_ptr_nonnull(ro);   /* a stream open for reading cannot be written */
	setvbuf(ro, NULL, _IONBF, 0);
	ck_assert_int_eq(dts_gen_write(ro, NULL), DTS_EIO);
	fclose(ro);
	free(s.p);
}
END_TEST

static Suite *gen_suite(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_pinned);
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_file_equals_callback);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(gen_suite());
}
