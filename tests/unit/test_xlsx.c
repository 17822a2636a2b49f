/*
 * test_xlsx.c — dts_xlsx: Excel workbooks as rows. The fixtures are made by
 * tests/data/xlsx/make.py (hand-written XML, so each case is exact), one
 * workbook is written here by libxlsxwriter (real software's layout:
 * shared strings, a styles part with its own date format) and read back,
 * and two .xls files written by xlwt are refused.
 */
#include <fcntl.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"
#include "xlsx_int.h"
#ifdef HAVE_XLSXWRITER
#include <xlsxwriter.h>
#endif

#define DIR DTS_SRCDIR "/tests/data/xlsx/"

/* The rows of a reader as "line: a|b|c" lines, rejects as "line! error". */
static char *dump(dts_xlsx *x, int *last_rc)
{
	static char out[8192];
	size_t n = 0;
	dts_xlsx_row r;
	int rc;

	out[0] = '\0';
	while ((rc = dts_xlsx_next(&r, x)) != 0) {
		if (rc < 0) {
			ck_assert_ptr_nonnull(r.error);
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%u! %s\n",
					      (unsigned)r.line, r.error);
			if (rc != DTS_EINPUT)
				break;
			continue;
		}
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%u:", (unsigned)r.line);
		for (size_t i = 0; i < r.ncols; i++) {
			ck_assert_uint_eq(strlen(r.cols[i]), r.lens[i]);
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", i ? "|" : " ",
					      r.cols[i]);
		}
		n += (size_t)snprintf(out + n, sizeof(out) - n, "\n");
		ck_assert_uint_lt(n, sizeof(out));
	}
	if (last_rc)
		*last_rc = rc;
	return out;
}

static dts_xlsx *must_open(const char *file, const dts_xlsx_options *o)
{
	dts_xlsx *x = NULL;
	int rc = dts_xlsx_open_file(&x, file, o);

	ck_assert_msg(rc == 0, "%s: %s", file, dts_error_last() ? dts_error_last()->message : "");
	return x;
}

static const char basic_rows[] =
	"1: id|name|value|when\n"
	"2: 1|跨境电商 |1.5E-3|2025-01-01\n"
	"3: 2|inline 文本|12345678901234567890|2025-01-01 10:21:13\n"
	"6: 3||-0.25|12:00:00\n"
	"7: 4|rich|1234567.891|2025-01-01 23:59:59\n"
	"8: TRUE|FALSE|#N/A|idx|2025-01-03 10:21:33\n"
	"9: 1900-02-28|1900-02-29|1900-03-01|45658|1900-01-01 00:00:00\n"
	"11: a & b <c>|||||6\n"
	"12: line 1\r\nline 2 _x0041_ \xC3\xA9 \xE4\xB8\xAD _xZZ_|tab\tend\n";

START_TEST(shared_inline_numbers_dates_gaps)
{
	dts_xlsx *x = must_open(DIR "basic.xlsx", NULL);
	const char *const *names;
	int rc;

	/* the first visible sheet; the hidden one is listed all the same */
	ck_assert_str_eq(dts_xlsx_sheet(x), "Data");
	ck_assert_uint_eq(dts_xlsx_sheets(x, &names), 3);
	ck_assert_str_eq(names[0], "Hidden");
	ck_assert_str_eq(names[2], "第二页");
	ck_assert_str_eq(dump(x, &rc), basic_rows);
	ck_assert_int_eq(rc, 0);
	/* at the end it stays at the end */
	{
		dts_xlsx_row r;

		ck_assert_int_eq(dts_xlsx_next(&r, x), 0);
	}
	dts_xlsx_free(x);
	dts_xlsx_free(NULL);
}
END_TEST

START_TEST(named_sheet_and_bad_sheet)
{
	dts_xlsx_options o = DTS_XLSX_OPTIONS_INIT;
	dts_xlsx *x = NULL;

	o.sheet = "第二页";
	x = must_open(DIR "basic.xlsx", &o);
	ck_assert_str_eq(dump(x, NULL), "3: |第二页\n");
	dts_xlsx_free(x);
	o.sheet = "Hidden";
	x = must_open(DIR "basic.xlsx", &o);
	ck_assert_str_eq(dump(x, NULL), "1: hidden\n");
	dts_xlsx_free(x);
	o.sheet = "nope";
	ck_assert_int_eq(dts_xlsx_open_file(&x, DIR "basic.xlsx", &o), DTS_EINVAL);
	ck_assert_ptr_null(x);
	ck_assert_str_eq(dts_error_last()->message,
			 "no sheet named 'nope': the workbook has 'Hidden', 'Data', '第二页'");
	ck_assert_str_eq(dts_error_last()->file, DIR "basic.xlsx");
}
END_TEST

START_TEST(date_systems)
{
	dts_xlsx *x = must_open(DIR "date1904.xlsx", NULL);

	ck_assert_str_eq(dump(x, NULL), "1: 1904-01-01|2025-01-01|2025-01-01 12:00:00|1904-01-02\n");
	dts_xlsx_free(x);
	x = must_open(DIR "stored.xlsx", NULL); /* the same, not deflated */
	ck_assert_str_eq(dump(x, NULL), "1: 1904-01-01|2025-01-01|2025-01-01 12:00:00|1904-01-02\n");
	dts_xlsx_free(x);
}
END_TEST

static const char *serial(const char *v, int kind, int d1904)
{
	static char out[40];
	int n = dts__xlsx_serial(out, sizeof(out), v, strlen(v), kind, d1904);

	return n < 0 ? "-" : out;
}

START_TEST(serials_exactly)
{
	/* 1900: Excel's 1900-02-29 is serial 60; 1 is 1900-01-01 */
	ck_assert_str_eq(serial("1", DTS__XK_DATE, 0), "1900-01-01");
	ck_assert_str_eq(serial("59", DTS__XK_DATE, 0), "1900-02-28");
	ck_assert_str_eq(serial("60", DTS__XK_DATE, 0), "1900-02-29");
	ck_assert_str_eq(serial("61", DTS__XK_DATE, 0), "1900-03-01");
	ck_assert_str_eq(serial("25569", DTS__XK_DATE, 0), "1970-01-01");
	ck_assert_str_eq(serial("45658", DTS__XK_DATE, 0), "2025-01-01");
	ck_assert_str_eq(serial("2958465", DTS__XK_DATE, 0), "9999-12-31");
	ck_assert_str_eq(serial("2958466", DTS__XK_DATE, 0), "-");
	ck_assert_str_eq(serial("0", DTS__XK_DATE, 0), "-");
	ck_assert_str_eq(serial("-1", DTS__XK_DATE, 0), "-");
	ck_assert_str_eq(serial("abc", DTS__XK_DATE, 0), "-");
	ck_assert_str_eq(serial("45658", DTS__XK_NUMBER, 0), "-");
	/* exponents shift the digits, no double */
	ck_assert_str_eq(serial("4.5658E4", DTS__XK_DATE, 0), "2025-01-01");
	ck_assert_str_eq(serial("4565875E-2", DTS__XK_DATETIME, 0), "2025-01-01 18:00:00");
	/* times round to the nearest second; 23:59:59.5 carries into the next day */
	ck_assert_str_eq(serial("45658.5", DTS__XK_DATE, 0), "2025-01-01 12:00:00");
	ck_assert_str_eq(serial("45658", DTS__XK_DATETIME, 0), "2025-01-01 00:00:00");
	ck_assert_str_eq(serial("45658.99999421296", DTS__XK_DATETIME, 0), "2025-01-01 23:59:59");
	ck_assert_str_eq(serial("45658.9999942130", DTS__XK_DATETIME, 0), "2025-01-02 00:00:00");
	ck_assert_str_eq(serial("59.99999999", DTS__XK_DATE, 0), "1900-02-29");
	ck_assert_str_eq(serial("0.75", DTS__XK_TIME, 0), "18:00:00");
	ck_assert_str_eq(serial(".25", DTS__XK_TIME, 1), "06:00:00");
	ck_assert_str_eq(serial("1.25", DTS__XK_TIME, 0), "1900-01-01 06:00:00");
	/* 1904: serial 0 is 1904-01-01, 1462 days after the 1900 system */
	ck_assert_str_eq(serial("0", DTS__XK_DATE, 1), "1904-01-01");
	ck_assert_str_eq(serial("44196", DTS__XK_DATE, 1), "2025-01-01");
	ck_assert_str_eq(serial("59", DTS__XK_DATE, 1), "1904-02-29");
	ck_assert_str_eq(serial("2957003", DTS__XK_DATE, 1), "9999-12-31");
	ck_assert_str_eq(serial("2957004", DTS__XK_DATE, 1), "-");
}
END_TEST

START_TEST(format_kinds)
{
	ck_assert_int_eq(dts__xlsx_format_kind("yyyy-mm-dd"), DTS__XK_DATE);
	ck_assert_int_eq(dts__xlsx_format_kind("m/d/yy h:mm"), DTS__XK_DATETIME);
	ck_assert_int_eq(dts__xlsx_format_kind("mm:ss"), DTS__XK_TIME);
	ck_assert_int_eq(dts__xlsx_format_kind("[h]:mm"), DTS__XK_TIME);
	ck_assert_int_eq(dts__xlsx_format_kind("mmm"), DTS__XK_DATE);
	ck_assert_int_eq(dts__xlsx_format_kind("yyyy\"年\"m\"月\"d\"日\""), DTS__XK_DATE);
	ck_assert_int_eq(dts__xlsx_format_kind("[$-F800]dddd, mmmm dd, yyyy"), DTS__XK_DATE);
	ck_assert_int_eq(dts__xlsx_format_kind("General"), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_format_kind("0.00E+00"), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_format_kind("[Red]#,##0.00"), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_format_kind("0\" days\""), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_format_kind("\\d0"), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_format_kind("0;\"d\"0"), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_builtin_kind(14), DTS__XK_DATE);
	ck_assert_int_eq(dts__xlsx_builtin_kind(22), DTS__XK_DATETIME);
	ck_assert_int_eq(dts__xlsx_builtin_kind(20), DTS__XK_TIME);
	ck_assert_int_eq(dts__xlsx_builtin_kind(4), DTS__XK_NUMBER);
	ck_assert_int_eq(dts__xlsx_builtin_kind(31), DTS__XK_DATE);
}
END_TEST

static void refused(const char *file, const dts_xlsx_options *o, int code, const char *msg)
{
	dts_xlsx *x = (dts_xlsx *)1;

	ck_assert_int_eq(dts_xlsx_open_file(&x, file, o), code);
	ck_assert_ptr_null(x);
	ck_assert_msg(strstr(dts_error_last()->message, msg), "%s: %s", file,
		      dts_error_last()->message);
	ck_assert_str_eq(dts_error_last()->file, file);
}

START_TEST(refusals)
{
	dts_xlsx_options o = DTS_XLSX_OPTIONS_INIT;

	refused(DIR "bomb.xlsx", NULL, DTS_ELIMIT, "xl/worksheets/sheet1.xml: zip bomb");
	refused(DIR "truncated.xlsx", NULL, DTS_EINPUT, "truncated or damaged zip");
	refused(DIR "not-a-zip.xlsx", NULL, DTS_EINPUT, "not an Excel workbook");
	refused(DIR "encrypted.xlsx", NULL, DTS_EINPUT, "password-protected workbook");
	refused(DIR "does-not-exist.xlsx", NULL, DTS_EIO, "No such file");
	o.max_size = 1000; /* the file itself is larger */
	refused(DIR "basic.xlsx", &o, DTS_ELIMIT, "over the limit of 1000");
	o.max_size = 4000; /* the file fits; its parts inflated do not */
	refused(DIR "basic.xlsx", &o, DTS_ELIMIT, "more than the 4000");
	o.max_size = 0;
	o.max_parts = 3;
	refused(DIR "basic.xlsx", &o, DTS_ELIMIT, "the zip has 9 parts, more than the 3 allowed");
	o.max_parts = 0;
	o.version = 99;
	refused(DIR "basic.xlsx", &o, DTS_EINVAL, "version 99");
}
END_TEST

START_TEST(malformed_sheets)
{
	dts_xlsx *x = must_open(DIR "malformed.xlsx", NULL);
	int rc;

	ck_assert_str_eq(dump(x, &rc),
			 "0! xl/worksheets/sheet1.xml: malformed XML: line 2: Opening and "
			 "ending tag mismatch: c line 2 and row\n");
	ck_assert_int_eq(rc, DTS_EIO); /* the rest cannot be read: not a bad row */
	ck_assert_int_eq(dts_xlsx_next((dts_xlsx_row[1]){0}, x), 0);
	dts_xlsx_free(x);
	/* after rows were returned (and an empty row skipped): the error, then the end */
	x = must_open(DIR "malformed-late.xlsx", NULL);
	{
		dts_xlsx_row r;
		unsigned n = 0;

		while ((rc = dts_xlsx_next(&r, x)) == 1)
			ck_assert_uint_eq(r.line, 2 + n++);
		ck_assert_int_eq(rc, DTS_EIO);
		ck_assert_uint_eq(r.line, 0);
		ck_assert_ptr_nonnull(strstr(r.error, "malformed XML: line 2: Opening and ending tag mismatch"));
		ck_assert_uint_gt(n, 100);
		ck_assert_int_eq(dts_xlsx_next(&r, x), 0);
	}
	dts_xlsx_free(x);
	x = must_open(DIR "dtd.xlsx", NULL);
	ck_assert_str_eq(dump(x, NULL), "0! xl/worksheets/sheet1.xml: DTD not allowed\n");
	dts_xlsx_free(x);
}
END_TEST

START_TEST(row_limits)
{
	dts_xlsx_options o = DTS_XLSX_OPTIONS_INIT;
	dts_xlsx *x;
	int rc;

	o.max_field = 5; /* rejected rows; reading goes on */
	x = must_open(DIR "basic.xlsx", &o);
	ck_assert_str_eq(dump(x, NULL),
			 "1: id|name|value|when\n"
			 "2! cell B2 longer than 5 bytes\n"
			 "3! cell B3 longer than 5 bytes\n"
			 "6! cell D6 longer than 5 bytes\n"
			 "7! cell C7 longer than 5 bytes\n"
			 "8! cell E8 longer than 5 bytes\n"
			 "9! cell A9 longer than 5 bytes\n"
			 "11! cell A11 longer than 5 bytes\n"
			 "12! cell A12 longer than 5 bytes\n");
	dts_xlsx_free(x);
	o.max_field = 0;
	o.max_cols = 4;
	x = must_open(DIR "basic.xlsx", &o);
	ck_assert_str_eq(dump(x, NULL),
			 "1: id|name|value|when\n"
			 "2: 1|跨境电商 |1.5E-3|2025-01-01\n"
			 "3: 2|inline 文本|12345678901234567890|2025-01-01 10:21:13\n"
			 "6: 3||-0.25|12:00:00\n"
			 "7: 4|rich|1234567.891|2025-01-01 23:59:59\n"
			 "8! cell E8 is past column 4\n"
			 "9! cell E9 is past column 4\n"
			 "11! cell F11 is past column 4\n"
			 "12: line 1\r\nline 2 _x0041_ \xC3\xA9 \xE4\xB8\xAD _xZZ_|tab\tend\n");
	dts_xlsx_free(x);
	o.max_cols = 0;
	o.max_rows = 6;
	x = must_open(DIR "basic.xlsx", &o);
	ck_assert_str_eq(dump(x, &rc),
			 "1: id|name|value|when\n"
			 "2: 1|跨境电商 |1.5E-3|2025-01-01\n"
			 "3: 2|inline 文本|12345678901234567890|2025-01-01 10:21:13\n"
			 "6: 3||-0.25|12:00:00\n"
			 "0! xl/worksheets/sheet2.xml: row 7 is past the limit of 6 rows\n");
	ck_assert_int_eq(rc, DTS_ELIMIT);
	dts_xlsx_free(x);
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	close(fd);
	*len = (size_t)n;
	return buf;
}

START_TEST(buffer_fd_and_pipe)
{
	dts_xlsx *x = NULL;
	size_t len;
	char *data = slurp(DIR "basic.xlsx", &len);
	int p[2], fd;

	ck_assert_int_eq(dts_xlsx_open_buffer(&x, data, len, "mem.xlsx", NULL), 0);
	ck_assert_str_eq(dump(x, NULL), basic_rows);
	dts_xlsx_free(x);
	fd = open(DIR "basic.xlsx", O_RDONLY);
	ck_assert_int_eq(dts_xlsx_open_fd(&x, fd, NULL, NULL), 0);
	ck_assert_str_eq(dump(x, NULL), basic_rows);
	dts_xlsx_free(x);
	close(fd);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	ck_assert_int_eq(dts_xlsx_open_fd(&x, p[0], "pipe", NULL), 0);
	ck_assert_str_eq(dump(x, NULL), basic_rows);
	dts_xlsx_free(x);
	close(p[0]);
	/* a pipe over the size limit is refused while read */
	{
		dts_xlsx_options o = DTS_XLSX_OPTIONS_INIT;

		o.max_size = 100;
		ck_assert_int_eq(pipe(p), 0);
		ck_assert_int_eq(write(p[1], data, len), (ssize_t)len);
		close(p[1]);
		ck_assert_int_eq(dts_xlsx_open_fd(&x, p[0], "pipe", &o), DTS_ELIMIT);
		close(p[0]);
	}
	ck_assert_int_eq(dts_xlsx_open_buffer(&x, NULL, 1, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_xlsx_open_buffer(&x, NULL, 0, NULL, NULL), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "(buffer)");
	ck_assert_int_eq(dts_xlsx_open_buffer(NULL, data, len, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_xlsx_next(NULL, NULL), DTS_EINVAL);
}
END_TEST

/* Excel 97-2003 files (written by xlwt), in both date systems: refused
 * with what to do, from a file and from memory. */
START_TEST(xls_refused)
{
	dts_xlsx *x = NULL;
	size_t len;
	char *data;

	refused(DIR "xlwt.xls", NULL, DTS_EINPUT,
		"is an Excel 97-2003 .xls workbook: save it as .xlsx or CSV");
	refused(DIR "xlwt-1904.xls", NULL, DTS_EINPUT, "is an Excel 97-2003 .xls workbook");
	data = slurp(DIR "xlwt.xls", &len);
	ck_assert_int_eq(dts_xlsx_open_buffer(&x, data, len, "old.xls", NULL), DTS_EINPUT);
	ck_assert_str_eq(dts_error_last()->file, "old.xls");
}
END_TEST

#ifdef HAVE_XLSXWRITER
/* A workbook as libxlsxwriter writes it (shared strings, styles with a
 * custom number format id 164, numbers with %.16G), read back. */
START_TEST(libxlsxwriter_round_trip)
{
	char path[] = "/tmp/test_xlsx_XXXXXX";
	int fd = mkstemp(path);
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date, *dt;
	lxw_datetime d1 = {2025, 3, 31, 0, 0, 0}, d2 = {2024, 12, 31, 23, 59, 59};
	dts_xlsx *x;

	ck_assert_int_ge(fd, 0);
	close(fd);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "贸易");
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	dt = workbook_add_format(wb);
	format_set_num_format(dt, "yyyy/m/d h:mm:ss");
	worksheet_write_string(ws, 0, 0, "id", NULL);
	worksheet_write_string(ws, 0, 1, "value", NULL);
	worksheet_write_string(ws, 0, 2, "period", NULL);
	worksheet_write_string(ws, 0, 3, "at", NULL);
	worksheet_write_string(ws, 1, 0, "A1", NULL);
	worksheet_write_number(ws, 1, 1, 4607073.5, NULL);
	worksheet_write_datetime(ws, 1, 2, &d1, date);
	worksheet_write_datetime(ws, 1, 3, &d2, dt);
	worksheet_write_string(ws, 3, 0, "A3", NULL);
	worksheet_write_boolean(ws, 3, 1, 1, NULL);
	worksheet_write_number(ws, 3, 3, 0.001, NULL);
	ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);
	x = must_open(path, NULL);
	ck_assert_str_eq(dts_xlsx_sheet(x), "贸易");
	ck_assert_str_eq(dump(x, NULL),
			 "1: id|value|period|at\n"
			 "2: A1|4607073.5|2025-03-31|2024-12-31 23:59:59\n"
			 "4: A3|TRUE||0.001\n");
	dts_xlsx_free(x);
	unlink(path);
}
END_TEST
#endif

/* The record source reads workbooks like CSV: sniffed, header, padding. */
START_TEST(source_reads_workbooks)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_format f;
	dts_source *s;
	dts_source_row row;
	const char *const *names;

	ck_assert_int_eq(dts_source_sniff(&f, "PK\x03\x04\x14\0", 6), 0);
	ck_assert_int_eq(f, DTS_FORMAT_XLSX);
	ck_assert_int_eq(dts_source_sniff(&f, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), 0);
	ck_assert_int_eq(f, DTS_FORMAT_XLS);
	ck_assert_int_eq(dts_source_sniff(&f, "PK", 2), 0);
	ck_assert_int_eq(f, DTS_FORMAT_UNKNOWN);
	ck_assert_int_eq(dts_source_sniff(&f, "\xD0\xCF\x11", 3), 0);
	ck_assert_int_eq(f, DTS_FORMAT_UNKNOWN);
	ck_assert_int_eq(dts_source_sniff(&f, "PKx", 3), 0);
	ck_assert_int_eq(f, DTS_FORMAT_CSV);
	ck_assert_int_eq(dts_source_sniff_file(&f, DIR "basic.xlsx"), 0);
	ck_assert_int_eq(f, DTS_FORMAT_XLSX);

	ck_assert_int_eq(dts_source_open(&s, DIR "basic.xlsx", &o), 0);
	ck_assert_int_eq(dts_source_format(s), DTS_FORMAT_XLSX);
	ck_assert_uint_eq(dts_source_header(s, &names), 4);
	ck_assert_str_eq(names[3], "when");
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_uint_eq(row.line, 2);
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_int_eq(dts_source_next(&row, s), 1); /* row 6: B6 empty */
	ck_assert_uint_eq(row.line, 6);
	ck_assert_uint_eq(row.ncols, 4);
	ck_assert_str_eq(row.cols[1], "");
	ck_assert_int_eq(dts_source_next(&row, s), 1);
	ck_assert_int_eq(dts_source_next(&row, s), DTS_EINPUT); /* row 8: 5 cells */
	ck_assert_uint_eq(row.line, 8);
	ck_assert_str_eq(row.error, "wrong number of fields (got 5, header has 4)");
	ck_assert_str_eq(row.raw, "TRUE,FALSE,#N/A,idx,2025-01-03 10:21:33");
	dts_source_free(s);

	o.sheet = "第二页";
	ck_assert_int_eq(dts_source_open(&s, DIR "basic.xlsx", &o), 0);
	ck_assert_uint_eq(dts_source_header(s, &names), 2);
	ck_assert_str_eq(names[1], "第二页");
	ck_assert_int_eq(dts_source_next(&row, s), 0);
	dts_source_free(s);
	o.sheet = "x";
	ck_assert_int_eq(dts_source_open(&s, DIR "basic.xlsx", &o), DTS_EINVAL);
	/* a version-1 caller (no sheet field) still opens: the first sheet */
	o.version = 1;
	ck_assert_int_eq(dts_source_open(&s, DIR "basic.xlsx", &o), 0);
	ck_assert_uint_eq(dts_source_header(s, &names), 4);
	dts_source_free(s);
	ck_assert_int_eq(dts_source_sniff_file(&f, DIR "xlwt.xls"), 0);
	ck_assert_int_eq(f, DTS_FORMAT_XLS);
	ck_assert_int_eq(dts_source_open(&s, DIR "xlwt.xls", &o), DTS_EINPUT);
	o.version = DTS_SOURCE_OPTIONS_VERSION;
	o.sheet = NULL;
	ck_assert_int_eq(dts_source_open(&s, DIR "bomb.xlsx", &o), DTS_ELIMIT);
	ck_assert_int_eq(dts_source_open(&s, DIR "encrypted.xlsx", &o), DTS_EINPUT);
	/* forced: a CSV read as a workbook is refused */
	o.format = DTS_FORMAT_XLSX;
	ck_assert_int_eq(dts_source_open(&s, DIR "not-a-zip.xlsx", &o), DTS_EINPUT);
	/* standard input, a pipe: read whole, then opened from memory */
	{
		size_t len;
		char *data = slurp(DIR "same-as-csv.xlsx", &len);
		int p[2], saved = dup(0);

		o.format = DTS_FORMAT_UNKNOWN;
		ck_assert_int_eq(pipe(p), 0);
		ck_assert_int_eq(write(p[1], data, len), (ssize_t)len);
		close(p[1]);
		dup2(p[0], 0);
		close(p[0]);
		ck_assert_int_eq(dts_source_open(&s, "-", &o), 0);
		dup2(saved, 0);
		close(saved);
		ck_assert_uint_eq(dts_source_header(s, &names), 15);
		ck_assert_int_eq(dts_source_next(&row, s), 1);
		ck_assert_str_eq(row.cols[0], "BOP2024000001");
		ck_assert_str_eq(row.cols[13], "4607073.00");
		ck_assert_int_eq(dts_source_size(s), -1);
		dts_source_free(s);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("xlsx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, shared_inline_numbers_dates_gaps);
	tcase_add_test(tc, named_sheet_and_bad_sheet);
	tcase_add_test(tc, date_systems);
	tcase_add_test(tc, serials_exactly);
	tcase_add_test(tc, format_kinds);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, malformed_sheets);
	tcase_add_test(tc, row_limits);
	tcase_add_test(tc, buffer_fd_and_pipe);
	tcase_add_test(tc, xls_refused);
#ifdef HAVE_XLSXWRITER
	tcase_add_test(tc, libxlsxwriter_round_trip);
#endif
	tcase_add_test(tc, source_reads_workbooks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(suite());
}
