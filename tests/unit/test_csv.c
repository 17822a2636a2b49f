/* test_csv.c — the CSV reader: RFC 4180, bad rows, blocks, encodings. */
#include "check_main.h"
#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dts.h"
#include "dts/csv.h"

/* ---- a readable dump of everything a reader returns ------------------------ */

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/*
 * One line per record: "LINE:[f1][f2]" or "LINE!reason{raw}"; the header
 * first as "H:[a][b]". Open failures: "OPEN!message".
 */
static char *dump(const char *in, size_t len, const dts_csv_options *o)
{
	sbuf b = { 0 };
	dts_csv *r;
	dts_csv_row row;
	const char *const *names;
	char tmp[600];
	size_t i, nh;
	int rc;

	puts_(&b, "");
	if (dts_csv_open_buffer(&r, in, len, "t.csv", o) < 0) {
		puts_(&b, "OPEN!");
		puts_(&b, dts_error_last()->message);
		return b.p;
	}
	nh = dts_csv_header(r, &names);
	if (o && o->header) {
		puts_(&b, "H:");
		for (i = 0; i < nh; i++) {
			puts_(&b, "[");
			puts_(&b, names[i]);
			puts_(&b, "]");
		}
		puts_(&b, "\n");
	}
	while ((rc = dts_csv_next(&row, r)) != 0) {
		snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)row.line);
		puts_(&b, tmp);
		if (rc == DTS_EINPUT) {
			ck_assert_ptr_nonnull(row.error);
			ck_assert_int_eq(dts_error_last()->code, DTS_EINPUT);
			ck_assert_uint_eq(dts_error_last()->line, row.line);
			puts_(&b, "!");
			puts_(&b, row.error);
			puts_(&b, "{");
			put(&b, row.raw, row.raw_len);
			puts_(&b, "}\n");
			continue;
		}
		ck_assert_int_eq(rc, 1);
		ck_assert_ptr_null(row.error);
		puts_(&b, ":");
		for (i = 0; i < row.nfields; i++) {
			ck_assert_uint_eq(strlen(row.fields[i]), row.lens[i]);
			puts_(&b, "[");
			put(&b, row.fields[i], row.lens[i]);
			puts_(&b, "]");
		}
		puts_(&b, "\n");
	}
	dts_csv_free(r);
	return b.p;
}

/* Dump with every block size from 1 to 9 and 4096, both parsers; all equal. */
static char *dump_all(const char *in, size_t len, dts_csv_options o)
{
	static const size_t blocks[] = { 0, 1, 2, 3, 4, 5, 7, 9, 4096 };
	char *first = NULL, *d;
	size_t i;
	int simple;

	for (simple = 0; simple < 2; simple++) {
		for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
			o.block_size = blocks[i];
			o.flags = (o.flags & ~DTS_CSV_SIMPLE) |
				  (simple ? DTS_CSV_SIMPLE : 0);
			d = dump(in, len, &o);
			if (!first) {
				first = d;
				continue;
			}
			if (strcmp(first, d) != 0)
				ck_abort_msg("block %zu simple %d:\n%s\nvs\n%s",
					     blocks[i], simple, d, first);
			free(d);
		}
	}
	return first;
}

static void expect(const char *in, const char *want)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	char *got = dump_all(in, strlen(in), o);

	ck_assert_str_eq(got, want);
	free(got);
}

static void expect_o(const char *in, size_t len, dts_csv_options o,
		     const char *want)
{
	char *got = dump_all(in, len == (size_t)-1 ? strlen(in) : len, o);

	ck_assert_str_eq(got, want);
	free(got);
}

/* ---- RFC 4180 ------------------------------------------------------------------ */

START_TEST(basic)
{
	expect("a,b\n1,2\n3,4\n", "H:[a][b]\n2:[1][2]\n3:[3][4]\n");
	expect("a,b\n1,2", "H:[a][b]\n2:[1][2]\n");          /* no final LF */
	expect("a,b\r\n1,2\r\n", "H:[a][b]\n2:[1][2]\n");    /* CRLF */
	expect("a,b\r\n1,2\r", "H:[a][b]\n2:[1][2]\n");      /* CR at EOF */
	expect("", "H:\n");
	expect("a,b\n", "H:[a][b]\n");
	expect("a,b,c\n,,\n", "H:[a][b][c]\n2:[][][]\n");
	expect("a,b\n1,\n", "H:[a][b]\n2:[1][]\n");
}
END_TEST

START_TEST(quoted)
{
	expect("a,b\n\"x,y\",2\n", "H:[a][b]\n2:[x,y][2]\n");
	expect("a,b\n\"say \"\"hi\"\"\",2\n", "H:[a][b]\n2:[say \"hi\"][2]\n");
	expect("a,b\n\"\",\"\"\"\"\n", "H:[a][b]\n2:[][\"]\n");
	expect("a,b\n1,\"two\nlines\"\n3,4\n",
	       "H:[a][b]\n2:[1][two\nlines]\n4:[3][4]\n");
	expect("a,b\r\n1,\"x\r\ny\"\r\n3,4\r\n",
	       "H:[a][b]\n2:[1][x\r\ny]\n4:[3][4]\n");
	expect("\"a\",\"b\"\n\"1\",\"2\"", "H:[a][b]\n2:[1][2]\n");
	expect("a,b\n\"1\",\"2\"\r", "H:[a][b]\n2:[1][2]\n");
	expect("a,b\n\"\n\n\",x\n5,6\n", "H:[a][b]\n2:[\n\n][x]\n5:[5][6]\n");
	/* a quote inside an unquoted field is data */
	expect("a,b\n5\" disk,x\"y\"\n", "H:[a][b]\n2:[5\" disk][x\"y\"]\n");
	/* a lone CR inside a field is data */
	expect("a,b\nx\ry,z\n", "H:[a][b]\n2:[x\ry][z]\n");
}
END_TEST

START_TEST(blank_lines_and_bom)
{
	expect("\xEF\xBB\xBF" "a,b\n1,2\n", "H:[a][b]\n2:[1][2]\n");
	expect("\xEF\xBB\xBF", "H:\n");
	expect("a,b\n\n1,2\n\r\n\n3,4\n\n", "H:[a][b]\n3:[1][2]\n6:[3][4]\n");
	expect("\n\na,b\n1,2\n", "H:[a][b]\n4:[1][2]\n");
	/* a BOM only counts at the very start */
	expect("a,b\n\xEF\xBB\xBF" "1,2\n", "H:[a][b]\n2:[\xEF\xBB\xBF" "1][2]\n");
}
END_TEST

START_TEST(separators_and_modes)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;

	o.separator = '\t';
	expect_o("a\tb\n1,5\t\"x\ty\"\n", (size_t)-1, o, "H:[a][b]\n2:[1,5][x\ty]\n");
	o.separator = ';';
	expect_o("a;b\n1,5;2\n", (size_t)-1, o, "H:[a][b]\n2:[1,5][2]\n");
	o.separator = '|';
	expect_o("a|b\n1|2\n", (size_t)-1, o, "H:[a][b]\n2:[1][2]\n");
	o.separator = ',';
	o.header = 0;
	expect_o("1,2\n3,4\n5\n", (size_t)-1, o,
		 "1:[1][2]\n2:[3][4]\n3!wrong number of fields (got 1, first record has 2){5}\n");
	o.flags = DTS_CSV_RAGGED;
	expect_o("1,2\n3\n4,5,6\n", (size_t)-1, o, "1:[1][2]\n2:[3]\n3:[4][5][6]\n");
	o.flags = 0;
	o.separator = '"';
	expect_o("a\n", (size_t)-1, o, "OPEN!invalid CSV separator");
	o.separator = ',';
	o.encoding = "latin-9";
	expect_o("a\n", (size_t)-1, o, "OPEN!unknown encoding \"latin-9\" (auto, utf-8, utf-16le, utf-16be, gb18030 or gbk)");
	o.encoding = "UTF8";
	expect_o("a\n", (size_t)-1, o, "1:[a]\n");
}
END_TEST

/* ---- bad rows: each kind, its line, and the next record read ---------------- */

START_TEST(bad_unterminated)
{
	expect("a,b\n1,\"x\n2,3\n",
	       "H:[a][b]\n2!unterminated quote{1,\"x}\n3:[2][3]\n");
	expect("a,b\n1,2\n3,\"", "H:[a][b]\n2:[1][2]\n3!unterminated quote{3,\"}\n");
	expect("a,b\r\n\"x\r\n", "H:[a][b]\n2!unterminated quote{\"x}\n");
}
END_TEST

START_TEST(bad_after_quote)
{
	expect("a,b\n\"x\"y,2\n3,4\n",
	       "H:[a][b]\n2!unexpected character after closing quote in column 1{\"x\"y,2}\n3:[3][4]\n");
	expect("a,b\n1,\"x\"\"\" z\n3,4\n",
	       "H:[a][b]\n2!unexpected character after closing quote in column 2{1,\"x\"\"\" z}\n3:[3][4]\n");
	expect("a,b\n1,\"x\"\ry\r\n3,4\n",
	       "H:[a][b]\n2!unexpected character after closing quote in column 2{1,\"x\"\ry}\n3:[3][4]\n");
}
END_TEST

START_TEST(bad_field_count)
{
	expect("a,b\n1\n1,2,3\n\"x\ny\",2\n4,5\n",
	       "H:[a][b]\n2!wrong number of fields (got 1, header has 2){1}\n"
	       "3!wrong number of fields (got 3, header has 2){1,2,3}\n"
	       "4:[x\ny][2]\n6:[4][5]\n");
}
END_TEST

START_TEST(bad_nul)
{
	static const char in[] = "a,b\n1,x\0y\n\"\0\",2\n3,4\n";
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	char *got = dump_all(in, sizeof(in) - 1, o);

	ck_assert_str_eq(got, "H:[a][b]\n2!NUL byte in column 2{1,x");
	free(got);
	/* the dump stops at the NUL in raw; check the rest with lines only */
	{
		dts_csv *r;
		dts_csv_row row;

		ck_assert_int_eq(dts_csv_open_buffer(&r, in, sizeof(in) - 1, NULL, &o), 0);
		ck_assert_int_eq(dts_csv_next(&row, r), DTS_EINPUT);
		ck_assert_uint_eq(row.line, 2);
		ck_assert_uint_eq(row.column, 2);
		ck_assert_uint_eq(row.raw_len, 5);
		ck_assert_int_eq(memcmp(row.raw, "1,x\0y", 5), 0);
		ck_assert_int_eq(dts_csv_next(&row, r), DTS_EINPUT);
		ck_assert_uint_eq(row.line, 3);
		ck_assert_str_eq(row.error, "NUL byte in column 1");
		ck_assert_int_eq(dts_csv_next(&row, r), 1);
		ck_assert_uint_eq(row.line, 4);
		ck_assert_uint_eq(row.record, 3);
		ck_assert_int_eq(dts_csv_next(&row, r), 0);
		ck_assert_int_eq(dts_csv_next(&row, r), 0);
		dts_csv_free(r);
	}
}
END_TEST

START_TEST(bad_limits)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;

	o.max_field = 3;
	expect_o("a,b\n123,4567\n\"1\"\"2\",x\n1,2\n", (size_t)-1, o,
		 "H:[a][b]\n2!field in column 2 longer than 3 bytes{123,4567}\n"
		 "3!field in column 1 longer than 3 bytes{\"1\"\"2\",x}\n4:[1][2]\n");
	o.max_field = 0;
	o.max_fields = 2;
	expect_o("a,b\n1,2,3\n1,2\n", (size_t)-1, o,
		 "H:[a][b]\n2!more than 2 fields{1,2,3}\n3:[1][2]\n");
	o.max_fields = 0;
	o.max_field = 4;
	o.max_record = 8;
	expect_o("a,b\n1,2345\n12,45678\n1,2\n", (size_t)-1, o,
		 "H:[a][b]\n2:[1][2345]\n3!record longer than 8 bytes{12,45678}\n4:[1][2]\n");
	/* a stray quote swallows lines until the record limit, then resumes */
	expect_o("a,b\n1,\"2\n3,4\n5,6\n7,8\n", (size_t)-1, o,
		 "H:[a][b]\n2!record longer than 8 bytes{1,\"2}\n3:[3][4]\n4:[5][6]\n5:[7][8]\n");
	/* a line with no end longer than the limit is skipped to its LF */
	expect_o("a,b\n123456789012345678901234567890\n1,2\n", (size_t)-1, o,
		 "H:[a][b]\n2!record longer than 8 bytes{12345678}\n3:[1][2]\n");
}
END_TEST

/* UTF-8 named: the rows that are not UTF-8 are rejected (detected, the
 * input is refused: neither UTF-8 nor GB18030, see encodings_detected). */
START_TEST(bad_utf8)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;

	o.encoding = "UTF-8";
	expect_o("a,b\n1,ab\xC3\n\xE4\xB8\xAD,\xF0\x9F\x98\x80\n\xFF,x\n3,\xED\xA0\x80\n", (size_t)-1, o,
	       "H:[a][b]\n2!invalid UTF-8 at byte 3 in column 2{1,ab\xC3}\n"
	       "3:[\xE4\xB8\xAD][\xF0\x9F\x98\x80]\n"
	       "4!invalid UTF-8 at byte 1 in column 1{\xFF,x}\n"
	       "5!invalid UTF-8 at byte 1 in column 2{3,\xED\xA0\x80}\n");
	/* A program built against 0.1.0 (options version 1) meant UTF-8 by
	 * NULL and still gets it: the same rows rejected, nothing detected. */
	o.version = 1;
	o.encoding = NULL;
	expect_o("a,b\n1,ab\xC3\n3,4\n", (size_t)-1, o,
		 "H:[a][b]\n2!invalid UTF-8 at byte 3 in column 2{1,ab\xC3}\n3:[3][4]\n");
}
END_TEST

START_TEST(bad_header)
{
	expect("a,\"b\n", "OPEN!header: unterminated quote");
	expect("a,\xC3\n1,2\n", "OPEN!input is neither UTF-8 nor GB18030: byte 0xC3 at line 1,"
	       " byte 3; name its encoding (--encoding)");
	{
		dts_csv_options o = DTS_CSV_OPTIONS_INIT;

		o.encoding = "utf8";
		expect_o("a,\xC3\n1,2\n", (size_t)-1, o,
			 "OPEN!header: invalid UTF-8 at byte 1 in column 2");
	}
}
END_TEST

/* ---- encodings ---------------------------------------------------------------------- */

static char *to_enc(const char *enc, const char *utf8, size_t *outlen)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	size_t il = strlen(utf8), ol = il * 4 + 8;
	char *out = malloc(ol), *ip = (char *)utf8, *op = out;

	ck_assert(cd != (iconv_t)-1);
	ck_assert_uint_ne(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

static const char zh_csv[] =
	"商品编码,商品名称,金额,贸易国别\n"
	"8523491000,\"软件,光盘\",12.5,美国\n"
	"8471300000,\"笔记本\n电脑\",3000,日本\n"
	"0000000000,𠀀汉字扩展B,1,香港\n";

START_TEST(gb18030_same_as_utf8)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	size_t len;
	char *gb = to_enc("GB18030", zh_csv, &len);
	char *want = dump(zh_csv, strlen(zh_csv), &o);

	ck_assert_uint_ne(len, strlen(zh_csv));
	o.encoding = "gb18030";
	expect_o(gb, len, o, want);
	free(gb);
	free(want);
}
END_TEST

START_TEST(gbk_same_as_utf8)
{
	static const char in[] = "商品编码,币制\n8523,人民币\n\"多行\n文本\",美元\n";
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	size_t len;
	char *gb = to_enc("GBK", in, &len);
	char *want = dump(in, strlen(in), &o);

	o.encoding = "GBK";
	expect_o(gb, len, o, want);
	free(gb);
	free(want);
}
END_TEST

START_TEST(gb18030_bad_bytes)
{
	/* 0x81 0x20 is not GB18030; a truncated 0x81 at the end neither */
	static const char in[] = "a,b\n1,\x81\x20x\n\xD6\xD0,2\n3,\x81";
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;

	o.encoding = "gb18030";
	expect_o(in, sizeof(in) - 1, o,
		 "H:[a][b]\n2!invalid GB18030 byte sequence in column 2{1,\xFF x}\n"
		 "3:[\xE4\xB8\xAD][2]\n4!invalid GB18030 byte sequence in column 2{3,\xFF}\n");
	/* BOM in GB18030 (U+FEFF) is dropped too */
	expect_o("\x84\x31\x95\x33" "a\n1\n", (size_t)-1, o, "H:[a]\n2:[1]\n");
}
END_TEST

/* ---- files, offsets, sizes ---------------------------------------------------------- */

START_TEST(files)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	int fd = mkstemp(path);
	dts_csv *r;
	dts_csv_row row;
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	uint64_t last = 0;
	int rc, n = 0;
	const char *const *names;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "h1,h2\nx,1\ny,2\n", 14), 14);
	close(fd);
	o.block_size = 4;
	ck_assert_int_eq(dts_csv_open_file(&r, path, &o), 0);
	ck_assert_int_eq(dts_csv_input_size(r), 14);
	ck_assert_uint_eq(dts_csv_header(r, &names), 2);
	ck_assert_str_eq(names[1], "h2");
	while ((rc = dts_csv_next(&row, r)) == 1) {
		ck_assert_uint_ge(row.offset, last);
		last = row.offset;
		n++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(last, 14);
	dts_csv_free(r);
	unlink(path);

	ck_assert_int_eq(dts_csv_open_file(&r, "/nonexistent/x.csv", NULL), DTS_EIO);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "/nonexistent/x.csv"));
	dts_csv_free(NULL);
}
END_TEST

/* Everything a file reader returns for `in`, dumped like dump() does. */
static char *dump_file(const char *in, size_t len, const dts_csv_options *o)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	int fd = mkstemp(path);
	sbuf b = { 0 };
	dts_csv *r;
	dts_csv_row row;
	char tmp[64];
	int rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, in, len), (ssize_t)len);
	close(fd);
	ck_assert_int_eq(dts_csv_open_file(&r, path, o), 0);
	puts_(&b, "");
	while ((rc = dts_csv_next(&row, r)) != 0) {
		snprintf(tmp, sizeof(tmp), "%llu%s", (unsigned long long)row.line,
			 rc == DTS_EINPUT ? "!" : ":");
		puts_(&b, tmp);
		if (rc == DTS_EINPUT)
			puts_(&b, row.error);
		for (size_t i = 0; i < row.nfields; i++) {
			puts_(&b, "[");
			put(&b, row.fields[i], row.lens[i]);
			puts_(&b, "]");
		}
		puts_(&b, "\n");
	}
	dts_csv_free(r);
	unlink(path);
	return b.p;
}

/*
 * The in-memory reader (dts_csv_open_buffer) is the file reader: the same
 * rows, rejections and lines for the same bytes, the name in errors, the
 * buffer read where it is (not copied at open). List files and rates
 * files are read through it, headerless and ragged like this.
 */
START_TEST(buffer_reads_like_a_file)
{
	static const char in[] = "p,c,r\n2025-01,\"U,SD\",7\n\"x\"y,1\n\n"
				 "a\r\n\"multi\nline\",2,3,4\nbad\xC3,1\n";
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	char buf[sizeof(in)], *from_file, *from_mem;
	sbuf b = { 0 };
	dts_csv *r = (dts_csv *)1;
	dts_csv_row row;
	int rc;

	o.header = 0;
	o.flags = DTS_CSV_RAGGED;
	o.block_size = 5;
	o.encoding = "utf-8";   /* detected, "bad\xC3" would refuse the input */
	from_file = dump_file(in, sizeof(in) - 1, &o);
	ck_assert_str_eq(from_file,
			 "1:[p][c][r]\n2:[2025-01][U,SD][7]\n"
			 "3!unexpected character after closing quote in column 1\n"
			 "5:[a]\n6:[multi\nline][2][3][4]\n"
			 "8!invalid UTF-8 at byte 4 in column 1\n");
	/* the same dump from memory */
	memcpy(buf, in, sizeof(in));
	ck_assert_int_eq(dts_csv_open_buffer(&r, buf, sizeof(in) - 1, "mem.csv", &o), 0);
	ck_assert_int_eq(dts_csv_input_size(r), (int64_t)(sizeof(in) - 1));
	buf[0] = 'P'; /* borrowed: read where it is, after the open */
	puts_(&b, "");
	while ((rc = dts_csv_next(&row, r)) != 0) {
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "%llu%s", (unsigned long long)row.line,
			 rc == DTS_EINPUT ? "!" : ":");
		puts_(&b, tmp);
		if (rc == DTS_EINPUT) {
			puts_(&b, row.error);
			ck_assert_str_eq(dts_error_last()->file, "mem.csv");
			ck_assert_uint_eq(dts_error_last()->line, row.line);
		}
		for (size_t i = 0; i < row.nfields; i++) {
			puts_(&b, "[");
			put(&b, row.fields[i], row.lens[i]);
			puts_(&b, "]");
		}
		puts_(&b, "\n");
	}
	dts_csv_free(r);
	from_mem = b.p;
	ck_assert_int_eq(from_mem[3], 'P');
	from_mem[3] = 'p';
	ck_assert_str_eq(from_mem, from_file);
	free(from_file);
	free(from_mem);
	/* empty and NULL inputs; the default name */
	ck_assert_int_eq(dts_csv_open_buffer(&r, NULL, 0, NULL, NULL), 0);
	ck_assert_uint_eq(dts_csv_header(r, NULL), 0);
	ck_assert_int_eq(dts_csv_next(&row, r), 0);
	dts_csv_free(r);
	ck_assert_int_eq(dts_csv_open_buffer(&r, NULL, 1, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_csv_open_buffer(NULL, "a", 1, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_csv_open_buffer(&r, "\"a\"b\n", 5, NULL, NULL), DTS_EINPUT);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(dts_error_last()->file, "(buffer)");
	ck_assert_uint_eq(dts_error_last()->line, 1);
}
END_TEST

/* ---- line ends, UTF-16, inputs that change (issue 11, defects 5 and 24) ----------- */

START_TEST(cr_line_ends)
{
	/* old Mac / Excel: a lone CR ends lines, for line numbers too */
	expect("a,b\r1,2\r3,4\r", "H:[a][b]\n2:[1][2]\n3:[3][4]\n");
	expect("a,b\r1,2\r3,4", "H:[a][b]\n2:[1][2]\n3:[3][4]\n");
	/* CR inside a quoted field stays data (and counts as a line) */
	expect("a,b\r1,\"x\ry\"\r3,4\r", "H:[a][b]\n2:[1][x\ry]\n4:[3][4]\n");
	/* blank lines; CRLF and LF later in the file are one line end each */
	expect("a,b\r\r1,2\r\n3,4\n\n5,6\r", "H:[a][b]\n3:[1][2]\n4:[3][4]\n6:[5][6]\n");
	/* an unterminated quote resumes at the record's second line */
	expect("a,b\r1,\"x\r3,4\r", "H:[a][b]\n2!unterminated quote{1,\"x}\n3:[3][4]\n");
	expect("a,b\r1,\"x\"y\r3,4\r",
	       "H:[a][b]\n2!unexpected character after closing quote in column 2{1,\"x\"y}\n"
	       "3:[3][4]\n");
	/* mixed CRLF and LF files read as before */
	expect("a,b\r\n1,2\n3,\"x\ry\"\r\n5,6\n", "H:[a][b]\n2:[1][2]\n3:[3][x\ry]\n4:[5][6]\n");
	/* the first line end decides: LF files keep a lone CR as data */
	expect("a,b\n1,x\ry\r\n3,4\r", "H:[a][b]\n2:[1][x\ry]\n3:[3][4]\n");
}
END_TEST

START_TEST(utf16_refused)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	static const char le[] = "\xFF\xFE" "a\0,\0b\0\n\0" "1\0,\0" "2\0\n\0";
	static const char be[] = "\0a\0,\0b\0\n";
	static const char bare[] = "a\0,\0b\0\n\0";

	/* marked: read (encodings_detected); refused only when UTF-8 is forced */
	o.encoding = "utf-8";
	expect_o(le, sizeof(le) - 1, o,
		 "OPEN!header: input is UTF-16 (byte-order mark FF FE), not UTF-8: read it as"
		 " UTF-16 (--encoding auto) or convert it with iconv -f UTF-16 -t UTF-8");
	o.header = 0;
	expect_o(le, sizeof(le) - 1, o,
		 "1!input is UTF-16 (byte-order mark FF FE), not UTF-8: read it as UTF-16"
		 " (--encoding auto) or convert it with iconv -f UTF-16 -t UTF-8{}\n");
	o.encoding = NULL;
	expect_o(be, sizeof(be) - 1, o,
		 "1!input is UTF-16 (NUL before every other byte: big-endian) without a"
		 " byte-order mark: name it (--encoding utf-16be) or convert it with"
		 " iconv -f UTF-16BE -t UTF-8{}\n");
	expect_o(bare, sizeof(bare) - 1, o,
		 "1!input is UTF-16 (NUL after every other byte: little-endian) without a"
		 " byte-order mark: name it (--encoding utf-16le) or convert it with"
		 " iconv -f UTF-16LE -t UTF-8{}\n");
}
END_TEST

/* A file cut short by another process while read is an error, not an end. */
START_TEST(file_shrinks)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	int fd = mkstemp(path), rc;
	dts_csv *r;
	dts_csv_row row;
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "h\n1\n2\n3\n4\n5\n", 12), 12);
	o.block_size = 4;
	ck_assert_int_eq(dts_csv_open_file(&r, path, &o), 0);
	ck_assert_int_eq(dts_csv_next(&row, r), 1);
	ck_assert_int_eq(ftruncate(fd, 6), 0);
	while ((rc = dts_csv_next(&row, r)) == 1)
		;
	ck_assert_int_eq(rc, DTS_EIO);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "file shrank while being read (12 bytes at open, ends at 6)"));
	dts_csv_free(r);
	close(fd);
	unlink(path);
}
END_TEST

/* Bytes read before (to sniff a pipe) and the rest of the stream: one input. */
START_TEST(fd_with_head)
{
	int p[2];
	dts_csv *r;
	dts_csv_row row;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "2\n3,4\n", 6), 6);
	close(p[1]);
	ck_assert_int_eq(dts_csv_open_fd_head(&r, p[0], "a,b\n1,", 6, "pipe", NULL), 0);
	ck_assert_int_eq(dts_csv_next(&row, r), 1);
	ck_assert_str_eq(row.fields[1], "2");
	ck_assert_int_eq(dts_csv_next(&row, r), 1);
	ck_assert_str_eq(row.fields[0], "3");
	ck_assert_int_eq(dts_csv_next(&row, r), 0);
	dts_csv_free(r);
	close(p[0]);
}
END_TEST

/* ---- encodings detected (no encoding given) ------------------------------------------ */

enum { AS_BUFFER, AS_FILE, AS_PIPE };

/*
 * Read `in` as a buffer, a regular file or a pipe (a child writes it) with
 * options o: "ENC|" then what dump_file() gives; "OPEN!message" when the
 * open fails. A file and a pipe get their first `head` bytes through
 * dts_csv_open_fd_head, the way dts_source hands over what it sniffed.
 */
static char *read_as(int how, const char *in, size_t len, size_t head,
		     const dts_csv_options *o)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	sbuf b = { 0 };
	dts_csv *r;
	dts_csv_row row;
	char tmp[64];
	pid_t pid = -1;
	int fd = -1, p[2], rc;

	if (how == AS_BUFFER) {
		rc = dts_csv_open_buffer(&r, in, len, "t.csv", o);
	} else {
		if (how == AS_FILE) {
			ck_assert_int_ge(fd = mkstemp(path), 0);
			ck_assert_int_eq(write(fd, in, len), (ssize_t)len);
			ck_assert_int_eq(lseek(fd, (off_t)head, SEEK_SET), (off_t)head);
		} else {
			ck_assert_int_eq(pipe(p), 0);
			ck_assert_int_ge(pid = fork(), 0);
			if (pid == 0) {
				close(p[0]);
				_exit(write(p[1], in + head, len - head) == (ssize_t)(len - head) ? 0 : 1);
			}
			close(p[1]);
			fd = p[0];
		}
		rc = dts_csv_open_fd_head(&r, fd, in, head, "t.csv", o);
	}
	puts_(&b, "");
	if (rc < 0) {
		puts_(&b, "OPEN!");
		puts_(&b, dts_error_format(tmp, sizeof(tmp)) ? dts_error_last()->message : "");
	} else {
		puts_(&b, dts_csv_encoding(r));
		puts_(&b, "|");
		while ((rc = dts_csv_next(&row, r)) != 0) {
			snprintf(tmp, sizeof(tmp), "%llu%s", (unsigned long long)row.line,
				 rc == DTS_EINPUT ? "!" : ":");
			puts_(&b, tmp);
			if (rc == DTS_EINPUT)
				puts_(&b, row.error);
			for (size_t i = 0; i < row.nfields && row.lens[i] < 64; i++) {
				puts_(&b, "[");
				put(&b, row.fields[i], row.lens[i]);
				puts_(&b, "]");
			}
			puts_(&b, "\n");
		}
		ck_assert_int_eq(rc, 0);
		dts_csv_free(r);
	}
	if (fd >= 0)
		close(fd);
	if (how == AS_FILE)
		unlink(path);
	if (pid > 0) {
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	}
	return b.p;
}

/* The same dump for buffer, file and pipe, with every head split. */
static void expect_enc(const char *in, size_t len, dts_csv_options o, const char *want)
{
	static const size_t blocks[] = { 0, 1, 3, 7 };
	char *got;

	if (len == (size_t)-1)
		len = strlen(in);
	for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++) {
		o.block_size = blocks[k];
		for (int how = AS_BUFFER; how <= AS_PIPE; how++) {
			for (size_t head = 0; head <= (how == AS_BUFFER ? 0 : len < 5 ? len : 5); head++) {
				got = read_as(how, in, len, head, &o);
				if (strcmp(got, want) != 0)
					ck_abort_msg("block %zu how %d head %zu:\n%s\nwant\n%s",
						     blocks[k], how, head, got, want);
				free(got);
			}
		}
	}
}

START_TEST(encodings_detected)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	size_t n16, ngb;
	char *u16, *gb, *want, *got;

	/* empty, BOM only, a UTF-16 mark only */
	expect_enc("", 0, o, "UTF-8|");
	expect_enc("\xEF\xBB\xBF", 3, o, "UTF-8 (BOM)|");
	expect_enc("\xFF\xFE", 2, o, "UTF-16LE|");
	expect_enc("\xFE\xFF", 2, o, "UTF-16BE|");
	expect_enc("\xEF\xBB\xBF" "a,b\n1,2\n", (size_t)-1, o, "UTF-8 (BOM)|2:[1][2]\n");
	expect_enc("a,b\n\xE4\xB8\xAD,2\n", (size_t)-1, o, "UTF-8|2:[\xE4\xB8\xAD][2]\n");
	/* GB18030: a 2-byte and a 4-byte character, split at every head and block */
	gb = to_enc("GB18030", "a,b\n云,𠀀x\n", &ngb);
	expect_enc(gb, ngb, o, "GB18030|2:[云][𠀀x]\n");
	free(gb);
	/* the Chinese table, in UTF-16 (both orders, with the mark) and GB18030 */
	o.header = 0;
	want = read_as(AS_BUFFER, zh_csv, strlen(zh_csv), 0, &o);
	ck_assert_ptr_nonnull(strstr(want, "UTF-8|"));
	u16 = to_enc("UTF-16", zh_csv, &n16);   /* glibc writes a mark */
	ck_assert(((unsigned char)u16[0] == 0xFF && (unsigned char)u16[1] == 0xFE) ||
		  ((unsigned char)u16[0] == 0xFE && (unsigned char)u16[1] == 0xFF));
	got = read_as(AS_PIPE, u16, n16, 3, &o);
	ck_assert_str_eq(strchr(got, '|'), strchr(want, '|'));
	ck_assert(!strncmp(got, "UTF-16LE|", 9) || !strncmp(got, "UTF-16BE|", 9));
	free(got);
	free(u16);
	gb = to_enc("GB18030", zh_csv, &ngb);
	got = read_as(AS_FILE, gb, ngb, 4, &o);
	ck_assert_str_eq(strchr(got, '|'), strchr(want, '|'));
	ck_assert(!strncmp(got, "GB18030|", 8));
	free(got);
	free(gb);
	free(want);
	/* neither UTF-8 nor GB18030: refused, naming the line and the byte */
	o.header = 1;
	expect_enc("a,b\n1,2\n3,\xFF\n", (size_t)-1, o,
		   "OPEN!input is neither UTF-8 nor GB18030: byte 0xFF at line 3, byte 3; name"
		   " its encoding (--encoding)");
	expect_enc("a,b\n\xE4\xB8\xAD\n\xC3\x28\n", (size_t)-1, o,
		   "OPEN!input is neither UTF-8 nor GB18030: byte 0xAD at line 2, byte 3; the"
		   " first byte that is not UTF-8: line 3, byte 1 (0xC3); name its encoding (--encoding)");
	/* forced: no detection */
	o.encoding = "utf-16be";
	expect_enc("\0a\0,\0b\0\n\0x\0,\0y\0\n", 16, o, "UTF-16BE|2:[x][y]\n");
	ck_assert_ptr_null(dts_csv_encoding(NULL));
}
END_TEST

/* The first byte that is not UTF-8 past the first 1 MiB: a file and a pipe
 * are decided on their first DTS_CSV_DETECT bytes (memory stays bounded),
 * a buffer is checked whole. */
START_TEST(encodings_past_the_window)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	size_t n = 0, cap = DTS_CSV_DETECT + 4096;
	char *in = malloc(cap), *got, want[128];
	unsigned line = 2;   /* of the last record */
	const char *tail;
#define HEAD_OF(g) "%.200s ... %.300s", g, strlen(g) > 300 ? g + strlen(g) - 300 : g

	ck_assert_ptr_nonnull(in);
	memcpy(in, "id,d\n", 5);
	n = 5;
	while (n < DTS_CSV_DETECT + 10)
		memcpy(in + n, "1,abcdefghijklmnopqrstuvwxyz0123456789\n", 39), n += 39, line++;
	/* GBK 云 (D4 C6) after 1 MiB of ASCII */
	memcpy(in + n, "2,\xD4\xC6\n", 5);
	got = read_as(AS_FILE, in, n + 5, 0, &o);
	ck_assert_msg(!strncmp(got, "UTF-8|", 6), HEAD_OF(got));
	tail = strstr(got, "!");
	ck_assert_msg(tail != NULL, HEAD_OF(got));
	ck_assert_str_eq(tail, "!invalid UTF-8 at byte 1 in column 2 (UTF-8 assumed from the"
			 " first 1 MiB of the input: name its encoding with --encoding)\n");
	free(got);
	got = read_as(AS_BUFFER, in, n + 5, 0, &o);
	ck_assert_msg(!strncmp(got, "GB18030|", 8), HEAD_OF(got));
	tail = strrchr(got, '[');
	ck_assert_msg(tail != NULL, HEAD_OF(got));
	ck_assert_str_eq(tail, "[云]\n");
	free(got);
	got = read_as(AS_PIPE, in, n + 5, 100, &o);
	ck_assert_msg(!strncmp(got, "UTF-8|", 6), HEAD_OF(got));
	tail = strstr(got, "!");
	ck_assert_msg(tail != NULL, HEAD_OF(got));
	ck_assert_str_eq(tail, "!invalid UTF-8 at byte 1 in column 2 (UTF-8 assumed from the"
			 " first 1 MiB of the input: name its encoding with --encoding)\n");
	free(got);
	/* neither: the buffer is refused (line and byte), the pipe rejects the row */
	memcpy(in + n, "2,\xFF\n", 4);
	got = read_as(AS_BUFFER, in, n + 4, 0, &o);
	snprintf(want, sizeof(want), "OPEN!input is neither UTF-8 nor GB18030: byte 0xFF at line"
		 " %u, byte 3;", line);
	ck_assert_msg(strstr(got, want), HEAD_OF(got));
	free(got);
	got = read_as(AS_PIPE, in, n + 4, 0, &o);
	ck_assert_msg(strstr(got, "!invalid UTF-8 at byte 1 in column 2 (UTF-8 assumed"), HEAD_OF(got));
	free(got);
	/* a pipe decided GB18030 whose later bytes are not GB18030 */
	memcpy(in + 5, "0,\xD4\xC6\n", 5);
	memcpy(in + n, "2,\xFF\n", 4);
	got = read_as(AS_PIPE, in, n + 4, 0, &o);
	ck_assert_msg(!strncmp(got, "GB18030|", 8), HEAD_OF(got));
	ck_assert_msg(strstr(got, "!invalid GB18030 byte sequence in column 2 (GB18030"
				      " assumed from the first 1 MiB"), HEAD_OF(got));
	free(got);
	free(in);
#undef HEAD_OF
}
END_TEST

/* ---- differential: word-at-a-time vs byte-at-a-time on random input -------------- */

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

START_TEST(differential)
{
	static const char *const atoms[] = {
		"a", "bc", "defghijklm", ",", ",", "\"", "\"\"", "\n", "\r\n",
		"\r", "\xC3\xA9", "\xE4\xB8\xAD", "\xC3", ";", "\t", " ", "0123456789abcdef"
	};
	char in[512];
	int i;

	for (i = 0; i < 20000; i++) {
		dts_csv_options o = DTS_CSV_OPTIONS_INIT;
		size_t len = 0, n = rnd(40);
		char *a, *b;

		while (n-- > 0) {
			const char *t = atoms[rnd(sizeof(atoms) / sizeof(atoms[0]))];
			size_t tl = strlen(t);
			if (len + tl >= sizeof(in))
				break;
			memcpy(in + len, t, tl);
			len += tl;
		}
		if (rnd(50) == 0 && len > 0)
			in[rnd((unsigned)len)] = '\0';
		o.header = (int)rnd(2);
		o.flags = rnd(3) == 0 ? DTS_CSV_RAGGED : 0;
		o.separator = rnd(4) == 0 ? ';' : ',';
		o.max_field = rnd(3) == 0 ? 1 + rnd(8) : 0;
		o.max_record = o.max_field ? o.max_field + rnd(30) : 0;
		o.block_size = 1 + rnd(16);
		a = dump(in, len, &o);
		o.flags |= DTS_CSV_SIMPLE;
		o.block_size = rnd(2) ? 1 + rnd(16) : 0;
		b = dump(in, len, &o);
		if (strcmp(a, b) != 0)
			ck_abort_msg("input %d differs:\n%s\nvs\n%s", i, a, b);
		free(a);
		free(b);
	}
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *t = tcase_create("csv");

	tcase_set_timeout(t, 120);
	tcase_add_test(t, basic);
	tcase_add_test(t, quoted);
	tcase_add_test(t, blank_lines_and_bom);
	tcase_add_test(t, separators_and_modes);
	tcase_add_test(t, bad_unterminated);
	tcase_add_test(t, bad_after_quote);
	tcase_add_test(t, bad_field_count);
	tcase_add_test(t, bad_nul);
	tcase_add_test(t, bad_limits);
	tcase_add_test(t, bad_utf8);
	tcase_add_test(t, encodings_detected);
	tcase_add_test(t, encodings_past_the_window);
	tcase_add_test(t, bad_header);
	tcase_add_test(t, gb18030_same_as_utf8);
	tcase_add_test(t, gbk_same_as_utf8);
	tcase_add_test(t, gb18030_bad_bytes);
	tcase_add_test(t, files);
	tcase_add_test(t, differential);
	tcase_add_test(t, cr_line_ends);
	tcase_add_test(t, utf16_refused);
	tcase_add_test(t, file_shrinks);
	tcase_add_test(t, fd_with_head);
	tcase_add_test(t, buffer_reads_like_a_file);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return dts_test_run(csv_suite());
}
