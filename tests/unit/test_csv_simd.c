/*
 * test_csv_simd.c — the CSV reader's kernels (lib/read/csv_simd.c) at each
 * level this machine runs (AVX2, SSE2, portable), forced one by one:
 * the structural index against a byte loop, the UTF-8 check against
 * dts_utf8_valid on every 1- and 2-byte sequence, 3- and 4-byte ones with
 * each class of third byte and on
 * random text cut at every offset around the 32-byte blocks; and the
 * reader with each kernel flag, copying its fields or handing them on in
 * place (dts__csv_in_place), against DTS_CSV_REFERENCE.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "dts/csv.h"
#include "../../lib/read/csv_int.h"
#include "../../lib/read/csv_simd.h"

static unsigned long long seed = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

START_TEST(best_level)
{
	int best = dts__kernel_best();

	ck_assert_int_ge(best, DTS__KERNEL_SCALAR);
	ck_assert_int_le(best, DTS__KERNEL_AVX2);
#if defined(__x86_64__)
	/* every x86-64 has SSE2; this project's machines have AVX2 */
	ck_assert_int_ge(best, DTS__KERNEL_SSE2);
	if (__builtin_cpu_supports("avx2"))
		ck_assert_int_eq(best, DTS__KERNEL_AVX2);
#endif
}
END_TEST

START_TEST(index_matches_bytes)
{
	static const char alphabet[] = "ab,;\t\n\r\"\0\x80\xE4\xFF";
	char block[64];
	int level = _i;
	dts__csv_index_fn f = dts__csv_index_kernel(level);

	for (int iter = 0; iter < 20000; iter++) {
		unsigned char sep = iter % 3 == 0 ? ',' : iter % 3 == 1 ? ';' : '\t';
		dts__csv_block got, want = {0, 0, 0, 0};

		for (int i = 0; i < 64; i++)
			block[i] = alphabet[rnd(sizeof(alphabet) - 1)];
		for (int i = 0; i < 64; i++) {
			unsigned char c = (unsigned char)block[i];
			uint64_t bit = UINT64_C(1) << i;

			want.sep |= c == sep ? bit : 0;
			want.lf |= c == '\n' ? bit : 0;
			want.special |= c == '"' || c == '\r' || c == 0 ? bit : 0;
			want.high |= c >= 0x80 ? bit : 0;
		}
		f(&got, block, sep);
		dts_loop_assert(got.sep == want.sep && got.lf == want.lf &&
				got.special == want.special && got.high == want.high,
				"iteration %d: sep %llx/%llx lf %llx/%llx special %llx/%llx "
				"high %llx/%llx", iter,
				(unsigned long long)got.sep, (unsigned long long)want.sep,
				(unsigned long long)got.lf, (unsigned long long)want.lf,
				(unsigned long long)got.special, (unsigned long long)want.special,
				(unsigned long long)got.high, (unsigned long long)want.high);
	}
}
END_TEST

/* The kernel and dts_utf8_valid agree on s[0..n), placed at every offset
 * around the 32-byte block edges after ASCII, and followed
 * by nothing or by ASCII. */
static void agree(dts__utf8_fn f, const unsigned char *s, size_t n)
{
	static const size_t ats[] = {0, 29, 30, 31, 32, 61, 1, 62, 63};
	char buf[128];

	for (size_t k = 0; k < (n > 2 ? 3u : 9u); k++) {
		for (size_t after = 0; after <= 3; after += 3) {
			size_t at = ats[k], len = at + n + after;

			memset(buf, 'a', sizeof(buf));
			memcpy(buf + at, s, n);
			dts_loop_assert(f(buf, len) == dts_utf8_valid(buf, len, NULL),
				      "%02X %02X %02X %02X (n %zu) at %zu + %zu",
				      s[0], n > 1 ? s[1] : 0, n > 2 ? s[2] : 0, n > 3 ? s[3] : 0,
				      n, at, after);
		}
	}
}

START_TEST(utf8_matches_reference)
{
	int level = _i;
	dts__utf8_fn f = dts__utf8_kernel(level);
	unsigned char s[8];

	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		agree(f, s, 1);
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			agree(f, s, 2);
			if (a < 0xE0 || a > 0xF4)
				continue;
			/* the third byte: each nibble class's edges */
			static const unsigned char thirds[] = {0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
							       0xA0, 0xAF, 0xB0, 0xBF, 0xC0, 0xE0};
			for (size_t c = 0; c < sizeof(thirds); c++) {
				s[2] = thirds[c];
				agree(f, s, 3);
				if (a >= 0xF0) {
					s[3] = (unsigned char)(0x80 + rnd(0x40));
					agree(f, s, 4);
					s[3] = (unsigned char)rnd(256);
					agree(f, s, 4);
				}
			}
		}
	}
}
END_TEST

START_TEST(utf8_random_text)
{
	static const char *const pieces[] = {"a", "中", "é", "😀", "\xC3", "\xE4\xB8", "\x80",
					     "\xF0\x9F\x98", "\xED\xA0\x80", "\xC0\xAF", ",", "z"};
	int level = _i;
	dts__utf8_fn f = dts__utf8_kernel(level);
	char buf[400];

	for (int iter = 0; iter < 10000; iter++) {
		size_t n = 0;
		int bad = iter % 4 == 0;

		while (n < 300) {
			const char *p = pieces[rnd(bad ? 12 : 4)];
			memcpy(buf + n, p, strlen(p));
			n += strlen(p);
		}
		for (size_t cut = n - 40; cut <= n; cut++)
			dts_loop_assert(f(buf, cut) == dts_utf8_valid(buf, cut, NULL),
					"iteration %d, cut at %zu", iter, cut);
	}
}
END_TEST

/* The reader with each kernel level: the rows of the reference path. */
START_TEST(reader_levels)
{
	static const char *const cells[] = {"plain", "\"q,uoted\"", "中文", "\"a\"\"b\"", "x\ry",
					    "bad\xC3(", "", "5\" disk", "\xEF\xBC\x91"};
	static const unsigned flags[] = {0, DTS_CSV_KERNEL_SSE2, DTS_CSV_KERNEL_SCALAR};
	size_t cap = 1 << 20, n = 0;
	char *in = malloc(cap);

	ck_assert_ptr_nonnull(in);
	n += (size_t)sprintf(in, "a,b,c\n");
	for (int i = 0; n < cap - 200; i++) {
		int nf = rnd(10) == 0 ? 2 : 3;
		for (int k = 0; k < nf; k++)
			n += (size_t)sprintf(in + n, "%s%s", k ? "," : "", cells[rnd(rnd(4) ? 3 : 9)]);
		n += (size_t)sprintf(in + n, "%s", rnd(20) == 0 ? "\r\n" : "\n");
	}
	for (size_t lv = 0; lv < 3; lv++) {
		dts_csv_options fo = DTS_CSV_OPTIONS_INIT, ro = DTS_CSV_OPTIONS_INIT;
		dts_csv *f, *r;
		dts_csv_row a, b;
		int ka, kb, rows = 0;

		fo.flags = flags[lv];
		fo.verify_every = 3;
		ro.flags = DTS_CSV_REFERENCE;
		fo.encoding = ro.encoding = "utf-8";
		ck_assert_int_eq(dts_csv_open_buffer(&f, in, n, "x", &fo), 0);
		ck_assert_int_eq(dts_csv_open_buffer(&r, in, n, "x", &ro), 0);
		do {
			ka = dts_csv_next(&a, f);
			kb = dts_csv_next(&b, r);
			ck_assert_int_eq(ka, kb);
			ck_assert_uint_eq(a.line, b.line);
			ck_assert_uint_eq(a.nfields, b.nfields);
			ck_assert_uint_eq(a.raw_len, b.raw_len);
			if (ka == DTS_EINPUT)
				ck_assert_str_eq(a.error, b.error);
			for (size_t i = 0; ka == 1 && i < a.nfields; i++) {
				ck_assert_uint_eq(a.lens[i], b.lens[i]);
				ck_assert_str_eq(a.fields[i], b.fields[i]);
			}
			rows++;
		} while (ka != 0 && (ka == 1 || ka == DTS_EINPUT));
		ck_assert_int_eq(ka, 0);
		ck_assert_int_gt(rows, 10000);
		dts_csv_free(f);
		dts_csv_free(r);
	}
	free(in);
}
END_TEST

/* Random CSV: plain cells (some over a 64-byte block), cells that send a
 * record to the reference path after separators of earlier blocks were
 * made NULs (quotes, a CR inside, a NUL, bad UTF-8), ragged rows, CRLF and
 * LF, a BOM or not, a last line with or without its line end. */
static size_t random_csv(char *in, size_t cap, char sep)
{
	static const char *const cells[] = {
		"plain", "中文 描述", "", "0123456789abcdef0123456789abcdef0123456789abcdef01234567",
		"\"q,uoted\"", "\"a\"\"b\"", "x\ry", "bad\xC3(", "5\" disk", "\xEF\xBC\x91",
		"nul\0x", "\"line\nbreak\"", "\"unterminated",
	};
	size_t n = 0;

	if (rnd(4) == 0)
		n += (size_t)sprintf(in, "\xEF\xBB\xBF");
	n += (size_t)sprintf(in + n, "a%cb%cc%cd\n", sep, sep, sep);
	for (int i = 0; n < cap - 800; i++) {
		int nf = rnd(12) == 0 ? 3 : rnd(40) == 0 ? 5 : 4;

		for (int k = 0; k < nf; k++) {
			const char *c = cells[rnd(rnd(5) ? 4 : sizeof(cells) / sizeof(cells[0]))];
			size_t cl = strncmp(c, "nul", 3) == 0 ? 5 : strlen(c);

			if (k)
				in[n++] = sep;
			for (int rep = rnd(8) == 0 ? 1 + rnd(6) : 1; rep > 0 && c[0] != '"'; rep--) {
				memcpy(in + n, c, cl);   /* long plain cells: records over blocks */
				n += cl;
			}
			if (c[0] == '"') {
				memcpy(in + n, c, cl);
				n += cl;
			}
		}
		n += (size_t)sprintf(in + n, "%s", rnd(15) == 0 ? "\r\n" : "\n");
	}
	if (rnd(2))
		n += (size_t)sprintf(in + n, "end%c%c%clast", sep, sep, sep);
	return n;
}

/* One reader's rows against the reference reader's: the same results,
 * lines, reasons, rejected raw bytes and NUL-terminated fields; raw of an
 * accepted row too unless in place (its separators are NULs there). */
static void same_rows(const char *in, size_t n, dts_csv_options fo, int in_place)
{
	dts_csv_options ro = fo;
	dts_csv *f, *r;
	dts_csv_row a, b;
	int ka, kb;

	ro.flags = DTS_CSV_REFERENCE | (fo.flags & DTS_CSV_RAGGED);
	ro.verify_every = 0;
	ck_assert_int_eq(dts_csv_open_buffer(&f, in, n, "x", &fo), 0);
	ck_assert_int_eq(dts_csv_open_buffer(&r, in, n, "x", &ro), 0);
	if (in_place)
		dts__csv_in_place(f);
	do {
		ka = dts_csv_next(&a, f);
		kb = dts_csv_next(&b, r);
		ck_assert_int_eq(ka, kb);
		ck_assert_uint_eq(a.line, b.line);
		ck_assert_uint_eq(a.record, b.record);
		ck_assert_uint_eq(a.nfields, b.nfields);
		ck_assert_uint_eq(a.raw_len, b.raw_len);
		if (ka == DTS_EINPUT) {
			ck_assert_str_eq(a.error, b.error);
			ck_assert_uint_eq(a.column, b.column);
		}
		if (ka == DTS_EINPUT || (ka == 1 && !in_place))
			ck_assert_int_eq(memcmp(a.raw, b.raw, a.raw_len), 0);
		for (size_t i = 0; ka == 1 && i < a.nfields; i++) {
			ck_assert_uint_eq(a.lens[i], b.lens[i]);
			ck_assert_int_eq(memcmp(a.fields[i], b.fields[i], a.lens[i]), 0);
			ck_assert_int_eq(a.fields[i][a.lens[i]], '\0');
		}
	} while (ka == 1 || ka == DTS_EINPUT);
	ck_assert_int_eq(ka, 0);
	dts_csv_free(f);
	dts_csv_free(r);
}

/* The fast path's fields in place and copied against the reference
 * path: read blocks of 1 byte to 1 MiB (records cut by refills), each
 * kernel level, the verify mode on every record, every 3rd, or off. */
START_TEST(in_place_same_as_reference)
{
	static const unsigned flags[] = {0, DTS_CSV_KERNEL_SSE2, DTS_CSV_KERNEL_SCALAR};
	static const size_t blocks[] = {0, 1, 7, 64, 65, 200, 4096};
	size_t cap = 64 << 10;
	char *in = malloc(cap);

	ck_assert_ptr_nonnull(in);
	for (int iter = 0; iter < 60; iter++) {
		char sep = iter % 3 == 2 ? ';' : ',';
		size_t n = random_csv(in, cap, sep);
		dts_csv_options o = DTS_CSV_OPTIONS_INIT;

		o.separator = sep;
		o.encoding = "utf-8";   /* bad bytes would fail the detection */
		o.flags = flags[iter % 3] | (iter % 4 == 3 ? DTS_CSV_RAGGED : 0);
		o.block_size = blocks[rnd(sizeof(blocks) / sizeof(blocks[0]))];
		o.verify_every = iter % 5 == 0 ? 1 : iter % 5 == 1 ? 3 : 0;
		same_rows(in, n, o, 1);
		same_rows(in, n, o, 0);
	}
	free(in);
}
END_TEST

/* Limits at the edge: a record of exactly max_record bytes with its line
 * end, max_field == max_record, CRLF and LF: the same rows both paths. */
START_TEST(limits_at_the_edge)
{
	static const char in[] = "a\n12345678\n1234567\n123456\r\n1234567\r\n12\r\r\n1\r";
	dts_csv_options fo = DTS_CSV_OPTIONS_INIT, ro = DTS_CSV_OPTIONS_INIT;
	dts_csv *f, *r;
	dts_csv_row a, b;
	int ka, kb;

	fo.max_field = ro.max_field = fo.max_record = ro.max_record = 8;
	ro.flags = DTS_CSV_REFERENCE;
	ck_assert_int_eq(dts_csv_open_buffer(&f, in, sizeof(in) - 1, "x", &fo), 0);
	ck_assert_int_eq(dts_csv_open_buffer(&r, in, sizeof(in) - 1, "x", &ro), 0);
	do {
		ka = dts_csv_next(&a, f);
		kb = dts_csv_next(&b, r);
		ck_assert_int_eq(ka, kb);
		ck_assert_uint_eq(a.line, b.line);
		ck_assert_uint_eq(a.raw_len, b.raw_len);
		if (ka == DTS_EINPUT)
			ck_assert_str_eq(a.error, b.error);
		if (ka == 1)
			ck_assert_str_eq(a.fields[0], b.fields[0]);
	} while (ka != 0);
	dts_csv_free(f);
	dts_csv_free(r);
}
END_TEST

/* Options of versions 1 and 2 (no verify_every) are still taken. */
START_TEST(old_options)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	dts_csv *r;
	dts_csv_row row;

	o.version = 2;
	o.verify_every = 1;   /* not read: a version 2 struct has no such field */
	ck_assert_int_eq(dts_csv_open_buffer(&r, "a\n1\n", 4, NULL, &o), 0);
	ck_assert_int_eq(dts_csv_next(&row, r), 1);
	ck_assert_str_eq(row.fields[0], "1");
	dts_csv_free(r);
	o.version = 4;
	ck_assert_int_eq(dts_csv_open_buffer(&r, "a\n", 2, NULL, &o), DTS_EINVAL);
}
END_TEST

static Suite *simd_suite(void)
{
	Suite *s = suite_create("csv_simd");
	TCase *t = tcase_create("kernels");

	tcase_set_timeout(t, 300);
	tcase_add_test(t, best_level);
	tcase_add_loop_test(t, index_matches_bytes, DTS__KERNEL_SCALAR, DTS__KERNEL_AVX2 + 1);
	tcase_add_loop_test(t, utf8_matches_reference, DTS__KERNEL_SCALAR, DTS__KERNEL_AVX2 + 1);
	tcase_add_loop_test(t, utf8_random_text, DTS__KERNEL_SCALAR, DTS__KERNEL_AVX2 + 1);
	tcase_add_test(t, reader_levels);
	tcase_add_test(t, in_place_same_as_reference);
	tcase_add_test(t, limits_at_the_edge);
	tcase_add_test(t, old_options);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return dts_test_run(simd_suite());
}
