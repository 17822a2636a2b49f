/*
 * test_source.c — dts_source: the format is sniffed from the first bytes
 * (files, buffers and pipes alike), CSV in every encoding, customs XML,
 * COLUMN=FIELD overrides, and the one reject policy (dts_source_classify),
 * which rejects a record whose regex hit the match limit.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"

static dts_format sniffed(const char *s, size_t n)
{
	dts_format f = (dts_format)-1;

	ck_assert_int_eq(dts_source_sniff(&f, s, n), 0);
	return f;
}
#define SNIFF(lit) sniffed(lit, sizeof(lit) - 1)

START_TEST(sniff_each_format)
{
	ck_assert_int_eq(SNIFF("id,flow\n1,X\n"), DTS_FORMAT_CSV);
	ck_assert_int_eq(SNIFF("<?xml version=\"1.0\"?><CEB621Message/>"), DTS_FORMAT_CEB_XML);
	ck_assert_int_eq(SNIFF(" \r\n\t<CEB621Message/>"), DTS_FORMAT_CEB_XML);
	ck_assert_int_eq(SNIFF("\xEF\xBB\xBF<x/>"), DTS_FORMAT_CEB_XML);
	ck_assert_int_eq(SNIFF("\xEF\xBB\xBFid,flow\n"), DTS_FORMAT_CSV);
	ck_assert_int_eq(SNIFF("\xFF\xFE<\0x\0"), DTS_FORMAT_CEB_XML);   /* UTF-16LE, marked */
	ck_assert_int_eq(SNIFF("\xFE\xFF\0<\0x"), DTS_FORMAT_CEB_XML);   /* UTF-16BE, marked */
	ck_assert_int_eq(SNIFF("<\0?\0x\0"), DTS_FORMAT_CEB_XML);         /* UTF-16LE, unmarked */
	ck_assert_int_eq(SNIFF("i\0d\0,\0"), DTS_FORMAT_CSV);             /* UTF-16 CSV: the reader names it */
	ck_assert_int_eq(SNIFF("dts-cube-partial 2\ncurrency\tCNY\n"), DTS_FORMAT_PARTIAL);
	ck_assert_int_eq(SNIFF("dts-cube-partial 1\n"), DTS_FORMAT_PARTIAL);
	/* Not decided yet: blanks only, nothing, or the start of the magic. */
	ck_assert_int_eq(SNIFF(" \n\t"), DTS_FORMAT_UNKNOWN);
	ck_assert_int_eq(sniffed("", 0), DTS_FORMAT_UNKNOWN);
	ck_assert_int_eq(SNIFF("dts-cu"), DTS_FORMAT_UNKNOWN);
	ck_assert_int_eq(SNIFF("dts-x"), DTS_FORMAT_CSV);
	ck_assert_int_eq(dts_source_sniff(NULL, "x", 1), DTS_EINVAL);
	ck_assert_int_eq(dts_source_sniff((dts_format[1]){0}, NULL, 1), DTS_EINVAL);
}
END_TEST

static char *write_temp(const char *data, size_t n)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_source.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

START_TEST(sniff_a_file)
{
	static const char part[] = "dts-cube-partial 2\ncurrency\tCNY\n";
	dts_format f;
	char *p = write_temp(part, sizeof(part) - 1);

	ck_assert_int_eq(dts_source_sniff_file(&f, p), 0);
	ck_assert_int_eq(f, DTS_FORMAT_PARTIAL);
	unlink(p);
	p = write_temp("<CEB621Message/>", 16);
	ck_assert_int_eq(dts_source_sniff_file(&f, p), 0);
	ck_assert_int_eq(f, DTS_FORMAT_CEB_XML);
	unlink(p);
	ck_assert_int_eq(dts_source_sniff_file(&f, "-"), 0);
	ck_assert_int_eq(f, DTS_FORMAT_UNKNOWN);
	/* A FIFO is not read (its bytes would be lost), even with a writer. */
	{
		char fifo[] = "/tmp/test_source_fifo.XXXXXX";
		int w;

		ck_assert_int_ge(w = mkstemp(fifo), 0);
		close(w);
		unlink(fifo);
		ck_assert_int_eq(mkfifo(fifo, 0600), 0);
		ck_assert_int_ge(w = open(fifo, O_RDWR), 0);
		ck_assert_int_eq(write(w, "<x/>", 4), 4);
		ck_assert_int_eq(dts_source_sniff_file(&f, fifo), 0);
		ck_assert_int_eq(f, DTS_FORMAT_UNKNOWN);
		close(w);
		unlink(fifo);
	}
	ck_assert_int_eq(dts_source_sniff_file(&f, "/nonexistent/x.csv"), DTS_EIO);
	ck_assert_str_eq(dts_error_last()->file, "/nonexistent/x.csv");
}
END_TEST

/* Open `len` bytes as a source read from a pipe (they fit its buffer). */
static int open_pipe(dts_source **out, const char *data, size_t len,
		     const dts_source_options *o, int *rfd)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	*rfd = p[0];
	return dts_source_open_fd(out, p[0], "pipe", o);
}

static char *slurp(const char *rel, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf = malloc(1 << 20);

	snprintf(path, sizeof(path), "%s/%s", DTS_SRCDIR, rel);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

START_TEST(xml_from_a_pipe)
{
	dts_source *s;
	dts_source_row row;
	const char *const *names;
	size_t len, n, rows = 0;
	char *xml = slurp("examples/ceb621-sample.xml", &len);
	int fd, rc;

	ck_assert_int_eq(open_pipe(&s, xml, len, NULL, &fd), 0);
	ck_assert_int_eq(dts_source_format(s), DTS_FORMAT_CEB_XML);
	n = dts_source_header(s, &names);
	ck_assert_uint_eq(n, 19);
	ck_assert_str_eq(names[0], "id");
	ck_assert_str_eq(names[11], "orderNo");
	ck_assert_int_eq(dts_binding_column(dts_source_binding(s), DTS_F_HS_CODE), 5);
	ck_assert_int_eq(dts_source_size(s), -1);
	while ((rc = dts_source_next(&row, s)) == 1) {
		ck_assert_uint_eq(row.ncols, 19);
		ck_assert_str_eq(row.cols[1], "cbec");
		ck_assert_ptr_nonnull(dts_source_ceb_record(s));
		rows++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(rows, 0);
	dts_source_free(s);
	close(fd);
	free(xml);
}
END_TEST

START_TEST(csv_from_a_pipe_and_a_file)
{
	static const char csv[] = "id,flow,description\n1,X,cloud\n2,M,\"a,b\"\n";
	dts_source *s;
	dts_source_row row;
	int fd;
	char *p;

	ck_assert_int_eq(open_pipe(&s, csv, sizeof(csv) - 1, NULL, &fd), 0);
	ck_assert_int_eq(dts_source_format(s), DTS_FORMAT_CSV);
	ck_assert_str_eq(dts_source_name(s), "pipe");
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_str_eq(row.cols[2], "cloud");
	ck_assert_uint_eq(row.line, 2);
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_str_eq(row.cols[2], "a,b");
	ck_assert_int_eq(dts_source_next(&row, s), 0);
	ck_assert_ptr_null(dts_source_ceb_record(s));
	dts_source_free(s);
	close(fd);

	p = write_temp(csv, sizeof(csv) - 1);
	ck_assert_int_eq(dts_source_open(&s, p, NULL), 0);
	ck_assert_int_eq(dts_source_size(s), (int64_t)sizeof(csv) - 1);
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_uint_gt(row.offset, 0);
	dts_source_free(s);
	unlink(p);
	ck_assert_int_eq(dts_source_open(&s, "/nonexistent/x.csv", NULL), DTS_EIO);
	ck_assert_ptr_null(s);
	dts_source_free(NULL);
}
END_TEST

START_TEST(encodings_and_separators)
{
	/* "云" is D4 C6 in GBK/GB18030, E4 BA 91 in UTF-8. */
	static const char gb[] = "id;description\n1;\xD4\xC6\n";
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	const char *const *names;
	dts_source *s;
	dts_source_row row;

	o.encoding = "gb18030";
	o.separator = ';';
	ck_assert_int_eq(dts_source_open_buffer(&s, gb, sizeof(gb) - 1, "gb.csv", &o), 0);
	ck_assert_int_eq(dts_source_separator(s), ';');
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_str_eq(row.cols[1], "\xE4\xBA\x91");
	dts_source_free(s);
	o.encoding = "gbk";
	ck_assert_int_eq(dts_source_open_buffer(&s, gb, sizeof(gb) - 1, "gb.csv", &o), 0);
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_str_eq(row.cols[1], "\xE4\xBA\x91");
	dts_source_free(s);
	/* Detected: GB18030, the same rows. */
	o.encoding = NULL;
	ck_assert_int_eq(dts_source_open_buffer(&s, gb, sizeof(gb) - 1, "gb.csv", &o), 0);
	ck_assert_str_eq(dts_source_encoding(s), "GB18030");
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_str_eq(row.cols[1], "\xE4\xBA\x91");
	dts_source_free(s);
	/* Read as UTF-8 the same bytes are a rejected row, with its line. */
	o.encoding = "utf-8";
	ck_assert_int_eq(dts_source_open_buffer(&s, gb, sizeof(gb) - 1, "gb.csv", &o), 0);
	ck_assert_int_eq(dts_source_next(&row, s), DTS_EINPUT);
	ck_assert_uint_eq(row.line, 2);
	ck_assert_ptr_nonnull(strstr(row.error, "invalid UTF-8"));
	ck_assert_uint_eq(row.raw_len, 4);
	dts_source_free(s);
	o.encoding = "latin9";
	ck_assert_int_eq(dts_source_open_buffer(&s, gb, sizeof(gb) - 1, "gb.csv", &o), DTS_EINVAL);
	/* UTF-16 CSV with a byte-order mark: read. */
	ck_assert_int_eq(dts_source_open_buffer(&s, "\xFF\xFEi\0d\0\n\0", 8, "u16.csv", NULL), 0);
	ck_assert_str_eq(dts_source_encoding(s), "UTF-16LE");
	ck_assert_uint_eq(dts_source_header(s, &names), 1);
	ck_assert_str_eq(names[0], "id");
	dts_source_free(s);
	/* Forced to UTF-8: refused, naming it. */
	o.encoding = "utf-8";
	o.separator = 0;
	ck_assert_int_eq(dts_source_open_buffer(&s, "\xFF\xFEi\0d\0\n\0", 8, "u16.csv", &o),
			 DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "UTF-16"));
}
END_TEST

START_TEST(map_overrides)
{
	static const char csv[] = "ref,desc,flow\nA1,cloud,X\n";
	const char *map[] = {"ref=id", "desc=description", "flow=-"};
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *s;
	const dts_binding *b;

	o.map = map;
	o.nmap = 3;
	ck_assert_int_eq(dts_source_open_buffer(&s, csv, sizeof(csv) - 1, "m.csv", &o), 0);
	b = dts_source_binding(s);
	ck_assert_int_eq(dts_binding_column(b, DTS_F_ID), 0);
	ck_assert_int_eq(dts_binding_column(b, DTS_F_DESCRIPTION), 1);
	ck_assert_int_eq(dts_binding_column(b, DTS_F_FLOW), -1);
	dts_source_free(s);
	map[0] = "ref=nosuch";
	ck_assert_int_eq(dts_source_open_buffer(&s, csv, sizeof(csv) - 1, "m.csv", &o), DTS_EINVAL);
	ck_assert_str_eq(dts_error_last()->file, "m.csv");
	map[0] = "nocolumn=id";
	ck_assert_int_eq(dts_source_open_buffer(&s, csv, sizeof(csv) - 1, "m.csv", &o), DTS_EINVAL);
	map[0] = "no equals sign";
	ck_assert_int_eq(dts_source_open_buffer(&s, csv, sizeof(csv) - 1, "m.csv", &o), DTS_EINVAL);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(what_is_not_records)
{
	static const char part[] = "dts-cube-partial 2\ncurrency\tCNY\n";
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *s;

	ck_assert_int_eq(dts_source_open_buffer(&s, "", 0, "empty.csv", NULL), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "empty input"));
	ck_assert_int_eq(dts_source_open_buffer(&s, part, sizeof(part) - 1, "p", NULL), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "cube partial"));
	o.format = DTS_FORMAT_PARTIAL;
	ck_assert_int_eq(dts_source_open_buffer(&s, part, sizeof(part) - 1, "p", &o), DTS_EINVAL);
	o.format = DTS_FORMAT_CEB_XML; /* forced: a CSV file read as XML is a rejected document */
	ck_assert_int_eq(dts_source_open_buffer(&s, "id\n1\n", 5, "x", &o), 0);
	ck_assert_int_eq(dts_source_format(s), DTS_FORMAT_CEB_XML);
	dts_source_free(s);
	o.version = 99;
	ck_assert_int_eq(dts_source_open_buffer(&s, "id\n1\n", 5, "x", &o), DTS_EINVAL);
}
END_TEST

/* Bind header h (comma-separated) and run the policy on one row. */
static int policy(dts_scanner *sc, const char *csv)
{
	dts_source *s;
	dts_source_row row;
	dts_result r;
	int rc;

	ck_assert_int_eq(dts_source_open_buffer(&s, csv, strlen(csv), "p.csv", NULL), 0);
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	rc = dts_source_classify(&r, sc, dts_source_binding(s), row.cols, row.lens, row.ncols);
	if (rc == 0)
		ck_assert_str_eq(r.category, "TECH.CLOUD");
	dts_source_free(s);
	return rc;
}

START_TEST(reject_policy)
{
	dts_rules_options ro = DTS_RULES_OPTIONS_INIT;
	dts_rules *R = NULL;
	dts_scanner *S = NULL;
	char *xml = wrap_classifier(
		"<rule id=\"slow\" category=\"TECH.CLOUD\"><regex field=\"description\">x(a+)+[bc]|cloud</regex></rule>");
	char csv[256];

	ro.match_limit = 1000;
	ck_assert_int_eq(dts_rules_compile_buffer(&R, "slow.xml", NULL, xml, strlen(xml), &ro), 0);
	free(xml);
	ck_assert_int_eq(dts_scanner_new(&S, R, 0), 0);
	ck_assert_int_eq(policy(S, "description,value\ncloud,12.50\n"), 0);
	/* A malformed value: rejected with the field named. */
	ck_assert_int_eq(policy(S, "description,value\ncloud,12.5.0\n"), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "value"));
	/* The regex stops at its match limit: rejected too (dts-aggregate's
	 * old copy of the policy counted such a record as NONE). */
	snprintf(csv, sizeof(csv), "description,value\nx%s,1\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ck_assert_int_eq(policy(S, csv), DTS_EINPUT);
	ck_assert_int_eq(dts_error_last()->code, DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "slow"));
	dts_scanner_free(S);
	dts_rules_free(R);
}
END_TEST

/* Same column names in the same order, or not. */
START_TEST(same_columns)
{
	static const char a[] = "id,value\n1,2\n", b[] = "id,value\n3,4\n";
	static const char c[] = "value,id\n1,2\n", d[] = "id,value,x\n1,2,3\n";
	dts_source *sa, *sb, *sc, *sd;

	ck_assert_int_eq(dts_source_open_buffer(&sa, a, sizeof(a) - 1, "a", NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&sb, b, sizeof(b) - 1, "b", NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&sc, c, sizeof(c) - 1, "c", NULL), 0);
	ck_assert_int_eq(dts_source_open_buffer(&sd, d, sizeof(d) - 1, "d", NULL), 0);
	ck_assert_int_eq(dts_source_same_columns(sa, sb), 1);
	ck_assert_int_eq(dts_source_same_columns(sa, sa), 1);
	ck_assert_int_eq(dts_source_same_columns(sa, sc), 0);
	ck_assert_int_eq(dts_source_same_columns(sa, sd), 0);
	ck_assert_int_eq(dts_source_same_columns(sd, sa), 0);
	ck_assert_int_eq(dts_source_same_columns(sa, NULL), 0);
	dts_source_free(sa);
	dts_source_free(sb);
	dts_source_free(sc);
	dts_source_free(sd);
}
END_TEST

/* What the code lists give for a canonical column's value, or the value as
 * written: the reference the source's memoised harmonisation must equal. */
static const char *expected_code(int col, const char *v)
{
	const char *out = NULL;
	int rc = col == 2 ? dts_code_trade_mode(&out, v, strlen(v)) :
		 col == 3 ? dts_code_country(&out, DTS_SCHEME_ANY, v, strlen(v)) :
		 dts_code_region(&out, NULL, v, strlen(v));

	return rc == 0 ? out : v;
}

/* Row i's value of column c (2 trade_mode, 3 counterpart, 4 region):
 * repeated values, unique ones past the memo's size, values longer than
 * a memo key, and short ones (a memo key of one word up to 8 bytes) that
 * differ only in a middle byte, a first or last one, or their length. */
static const char *value_of(char *buf, size_t n, int i, int c)
{
	static const char *const modes[] = {"一般贸易", "0110", "9610", "bogus", "1210"};
	static const char *const partners[] = {"美国", "USA", "502", "中国香港", "840"};
	static const char *const regions[] = {"下城", "330103", "33019", "310101", "滨江区"};
	static const char *const shorts[] = {"840", "850", "804", "8", "84", "48", "US", "UA",
					     "USA", "UKR", "U", "USS", "8400", "8401", "0840",
					     "美", "美国", "中国", "12345678", "12345778",
					     "1234567", "1235567", "123456789"};
	static const char *const short_regions[] = {"330103", "330183", "330106", "3301", "3302",
						    "33", "310101", "310110", "330102", "330112"};
	const size_t ns = sizeof(shorts) / sizeof(shorts[0]);
	const size_t nr = sizeof(short_regions) / sizeof(short_regions[0]);

	if (c == 2)
		snprintf(buf, n, "%s", modes[i % 5]);
	else if (c == 3 && i % 3 == 2)
		snprintf(buf, n, "X%d", i);
	else if (c == 3 && i % 3 == 1)
		snprintf(buf, n, "%s", shorts[(size_t)i / 3 % ns]);
	else if (c == 3)
		snprintf(buf, n, "%s", partners[i % 5]);
	else if (i % 7 == 6)
		snprintf(buf, n, "%s", "浙江省杭州市滨江区长河街道江南大道一个很长的地址");
	else if (i % 7 == 5)
		snprintf(buf, n, "%s", short_regions[(size_t)i / 7 % nr]);
	else
		snprintf(buf, n, "%s", regions[i % 5]);
	return buf;
}

/* Differential: the memo (lib/read/harmonise.c) gives what a lookup gives. */
START_TEST(harmonised_codes_equal_the_lookups)
{
	enum { N = 1200 };
	static char csv[N * 160];
	size_t len = 0;
	dts_source *s;
	dts_source_row row;
	char v[96];
	int i = 0;

	len += (size_t)snprintf(csv, sizeof(csv), "id,flow,trade_mode,counterpart,region\n");
	for (int r = 0; r < N; r++) {
		char a[96], b[96], c[96];

		len += (size_t)snprintf(csv + len, sizeof(csv) - len, "%d,X,%s,%s,%s\n", r,
					value_of(a, sizeof(a), r, 2), value_of(b, sizeof(b), r, 3),
					value_of(c, sizeof(c), r, 4));
	}
	ck_assert_uint_lt(len, sizeof(csv));
	ck_assert_int_eq(dts_source_open_buffer(&s, csv, len, "codes.csv", NULL), 0);
	for (; dts_source_next(&row, s) == 1; i++)
		for (int c = 2; c < 5; c++) {
			const char *want = expected_code(c, value_of(v, sizeof(v), i, c));

			ck_assert_uint_eq(row.lens[c], strlen(want));
			ck_assert_msg(!memcmp(row.cols[c], want, row.lens[c]),
				      "row %d column %d: %.*s, want %s", i, c, (int)row.lens[c],
				      row.cols[c], want);
		}
	ck_assert_int_eq(i, N);
	dts_source_free(s);
}
END_TEST

static Suite *source_suite(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("source");

	tcase_add_test(tc, sniff_each_format);
	tcase_add_test(tc, sniff_a_file);
	tcase_add_test(tc, xml_from_a_pipe);
	tcase_add_test(tc, csv_from_a_pipe_and_a_file);
	tcase_add_test(tc, encodings_and_separators);
	tcase_add_test(tc, map_overrides);
	tcase_add_test(tc, what_is_not_records);
	tcase_add_test(tc, reject_policy);
	tcase_add_test(tc, same_columns);
	tcase_add_test(tc, harmonised_codes_equal_the_lookups);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(source_suite());
}
