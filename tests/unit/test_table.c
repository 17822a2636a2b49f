/*
 * test_table.c — the table writers (dts/table.h): text, CSV, SDMX-CSV,
 * SDMX-ML and xlsx; escaping of quotes, commas, line breaks, XML special
 * characters and non-ASCII text; the callback forms, a callback that stops
 * a writer, and the FILE forms' write errors.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dts.h"
#include "dts/table.h"

/* Output gathered by the callback form. */
typedef struct grab {
	char *p;
	size_t len;
	size_t calls;
	size_t stop_after; /* return DTS_EUSER on this call (0: never) */
} grab;

static int grab_cb(const void *data, size_t len, void *payload)
{
	grab *g = payload;

	if (g->stop_after && ++g->calls >= g->stop_after)
		return DTS_EUSER;
	g->p = realloc(g->p, g->len + len + 1);
	memcpy(g->p + g->len, data, len);
	g->len += len;
	g->p[g->len] = '\0';
	return 0;
}

static const char *const names[] = {"period:year", "region", "value",
				    "records"};

/* A 2-dimension table: year, region | value, records. */
static dts_table *sample(void)
{
	dts_table *t;
	const char *r1[] = {"2025", "杭州", "12.50", "3"};
	const char *r2[] = {"2025", "a,b \"q\"\nline", "", "1"};
	const char *r3[] = {"2024", " lead", "<&>'\"\t", "2"};

	ck_assert_int_eq(dts_table_new(&t, names, 4, 2), 0);
	ck_assert_int_eq(dts_table_add_row(t, r1), 0);
	ck_assert_int_eq(dts_table_add_row(t, r2), 0);
	ck_assert_int_eq(dts_table_add_row(t, r3), 0);
	return t;
}

/* The FILE form's output, read back. */
static char *via_file(const dts_table *t, int format)
{
	FILE *f = tmpfile();
	long n;
	char *s;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_table_write(t, format, f), 0);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

/* Callback and FILE forms agree; returns the output (free it). */
static char *both(const dts_table *t, int format)
{
	grab g = {0};
	char *s = via_file(t, format);

	ck_assert_int_eq(dts_table_write_cb(t, format, grab_cb, &g), 0);
	ck_assert_str_eq(g.p, s);
	free(g.p);
	return s;
}

START_TEST(build_and_read)
{
	dts_table *t = sample();
	char *id;

	ck_assert_uint_eq(dts_table_nrows(t), 3);
	ck_assert_uint_eq(dts_table_ncols(t), 4);
	ck_assert_uint_eq(dts_table_ndims(t), 2);
	ck_assert_str_eq(dts_table_cell(t, 0, 1), "杭州");
	ck_assert_ptr_null(dts_table_cell(t, 3, 0));
	ck_assert_ptr_null(dts_table_cell(t, 0, 4));
	ck_assert_str_eq(dts_table_col_name(t, 0), "period:year");
	ck_assert_str_eq(dts_table_col_id(t, 0), "PERIOD_YEAR");
	ck_assert_ptr_null(dts_table_col_id(t, 9));
	ck_assert_int_eq(dts_table_col_numeric(t, 1), 0);
	ck_assert_int_eq(dts_table_col_numeric(t, 2), 1);
	ck_assert_int_eq(dts_table_set_numeric(t, 3, 0), 0);
	ck_assert_int_eq(dts_table_col_numeric(t, 3), 0);
	ck_assert_int_eq(dts_table_set_numeric(t, 4, 0), DTS_EINVAL);
	ck_assert_ptr_null(dts_table_title(t));
	ck_assert_int_eq(dts_table_set_title(t, "T"), 0);
	ck_assert_str_eq(dts_table_title(t), "T");
	ck_assert_int_eq(dts_table_set_title(t, NULL), 0);
	ck_assert_ptr_null(dts_table_title(t));
	ck_assert_int_eq(dts_table_set_dataflow(t, "F"), 0);
	ck_assert_str_eq(dts_table_dataflow(t), "F");
	ck_assert_int_eq(dts_table_set_unit(t, "CNY"), 0);
	ck_assert_str_eq(dts_table_unit(t), "CNY");
	dts_table_set_unit_mult(t, 4);
	ck_assert_int_eq(dts_table_unit_mult(t), 4);
	ck_assert_int_eq(dts_table_set_chart(t, 9, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_table_set_chart(t, 2, "c"), 0);
	ck_assert_int_eq(dts_table_set_chart(t, -1, NULL), 0);
	ck_assert_int_eq(dts_table_sdmx_id(&id, "2x-y"), 0);
	ck_assert_str_eq(id, "X2X_Y");
	free(id);
	dts_table_free(t);
	dts_table_free(NULL);
	ck_assert_int_eq(dts_table_new(&t, names, 0, 0), DTS_EINVAL);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(dts_table_new(&t, names, 2, 3), DTS_EINVAL);
	ck_assert_int_eq(dts_table_format_parse("sdmx-ml"), DTS_TABLE_SDMX_ML);
	ck_assert_int_eq(dts_table_format_parse("xlsx"), DTS_TABLE_XLSX);
	ck_assert_int_eq(dts_table_format_parse("json"), DTS_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "sdmx-csv"));
}
END_TEST

START_TEST(csv_quotes_what_needs_it)
{
	dts_table *t = sample();
	char *s = both(t, DTS_TABLE_CSV);

	ck_assert_str_eq(s,
		"period:year,region,value,records\n"
		"2025,杭州,12.50,3\n"
		"2025,\"a,b \"\"q\"\"\nline\",,1\n"
		"2024,\" lead\",\"<&>'\"\"\t\",2\n");
	free(s);
	dts_table_free(t);
}
END_TEST

START_TEST(sdmx_csv_layout)
{
	dts_table *t = sample();
	char *s;

	ck_assert_int_eq(dts_table_set_unit(t, "CNY"), 0);
	dts_table_set_unit_mult(t, 4);
	s = both(t, DTS_TABLE_SDMX_CSV);
	ck_assert_str_eq(s,
		"STRUCTURE,STRUCTURE_ID,ACTION,PERIOD_YEAR,REGION,OBS_VALUE,RECORDS,OBS_STATUS,UNIT_MEASURE,UNIT_MULT\n"
		"dataflow,LIBDTS:DTS_CUBE(1.0),I,2025,杭州,12.50,3,,CNY,4\n"
		"dataflow,LIBDTS:DTS_CUBE(1.0),I,2025,\"a,b \"\"q\"\"\nline\",,1,M,CNY,4\n"
		"dataflow,LIBDTS:DTS_CUBE(1.0),I,2024,\" lead\",\"<&>'\"\"\t\",2,,CNY,4\n");
	free(s);
	/* A dataflow id that needs quoting is quoted once, as one field. */
	ck_assert_int_eq(dts_table_set_dataflow(t, "A,B"), 0);
	s = both(t, DTS_TABLE_SDMX_CSV);
	ck_assert_ptr_nonnull(strstr(s, "\ndataflow,\"LIBDTS:A,B(1.0)\",I,2025,"));
	free(s);
	dts_table_free(t);
}
END_TEST

START_TEST(text_aligns_and_escapes)
{
	dts_table *t = sample();
	char *s;

	ck_assert_int_eq(dts_table_set_title(t, "Title"), 0);
	s = both(t, DTS_TABLE_TEXT);
	/* 杭州 is four columns wide; the line break, tab and quote escaped or
	 * kept so every row is one line; the empty value shown as "-". */
	ck_assert_str_eq(s,
		"Title\n\n"
		"period:year  region           value  records\n"
		"2025         杭州             12.50        3\n"
		"2025         a,b \"q\"\\nline        -        1\n"
		"2024          lead          <&>'\"\\t        2\n");
	free(s);
	ck_assert_int_eq(dts_table_set_missing(t, "missing"), 0);
	s = both(t, DTS_TABLE_TEXT);
	ck_assert_ptr_nonnull(strstr(s, "  missing        1\n"));
	free(s);
	dts_table_free(t);
}
END_TEST

START_TEST(sdmx_ml_escapes_with_the_writer)
{
	dts_table *t = sample();
	char *s;

	dts_table_set_prepared(t, 1735689600);   /* 2025-01-01T00:00:00Z */
	ck_assert_int_eq(dts_table_set_unit(t, "CNY"), 0);
	s = both(t, DTS_TABLE_SDMX_ML);
	ck_assert_ptr_nonnull(strstr(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					"<message:GenericData "));
	ck_assert_ptr_nonnull(strstr(s, "<message:Prepared>2025-01-01T00:00:00Z</message:Prepared>\n"));
	/* Non-ASCII stays UTF-8 (not character references). */
	ck_assert_ptr_nonnull(strstr(s, "<generic:Value id=\"REGION\" value=\"杭州\"/>"));
	/* Quotes, commas and the line break of an attribute value. */
	ck_assert_ptr_nonnull(strstr(s, "value=\"a,b &quot;q&quot;&#10;line\"/>"));
	/* & < > " and tab; the apostrophe needs no escape in "..." */
	ck_assert_ptr_nonnull(strstr(s, "<generic:ObsValue value=\"&lt;&amp;&gt;'&quot;&#9;\"/>\n"));
	/* The empty primary measure: no ObsValue, OBS_STATUS M. */
	ck_assert_ptr_nonnull(strstr(s, "<generic:Value id=\"OBS_STATUS\" value=\"M\"/>"
					"<generic:Value id=\"UNIT_MEASURE\" value=\"CNY\"/>"
					"<generic:Value id=\"UNIT_MULT\" value=\"0\"/>"));
	ck_assert_ptr_nonnull(strstr(s, "</message:DataSet>\n</message:GenericData>\n"));
	ck_assert_uint_eq(strlen(s) - (size_t)(strstr(s, "</message:GenericData>\n") - s),
			  strlen("</message:GenericData>\n"));
	free(s);
	dts_table_free(t);
	/* Dimensions only: no measure column, every observation missing. */
	ck_assert_int_eq(dts_table_new(&t, names, 2, 2), 0);
	{
		const char *row[] = {"2025", "x"};

		ck_assert_int_eq(dts_table_add_row(t, row), 0);
	}
	s = both(t, DTS_TABLE_SDMX_ML);
	ck_assert_ptr_nonnull(strstr(s, "<generic:Value id=\"OBS_STATUS\" value=\"M\"/>"));
	ck_assert_ptr_null(strstr(s, "ObsValue"));
	free(s);
	s = both(t, DTS_TABLE_SDMX_CSV);
	ck_assert_str_eq(s, "STRUCTURE,STRUCTURE_ID,ACTION,PERIOD_YEAR,REGION,OBS_STATUS,UNIT_MEASURE,UNIT_MULT\n"
			    "dataflow,LIBDTS:DTS_CUBE(1.0),I,2025,x,M,,0\n");
	free(s);
	dts_table_free(t);
}
END_TEST

START_TEST(xml_writers_refuse_what_xml_cannot_carry)
{
	dts_table *t;
	const char *row[] = {"a\001b", "1"};
	const char *const n2[] = {"shop", "value"};
	grab g = {0};
	char *s;

	ck_assert_int_eq(dts_table_new(&t, n2, 2, 1), 0);
	ck_assert_int_eq(dts_table_add_row(t, row), 0);
	ck_assert_int_eq(dts_table_check_text(t), DTS_EINPUT);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message,
				     "row 1, column shop: U+0001 at byte 2"));
	ck_assert_int_eq(dts_table_write_sdmx_ml_cb(t, grab_cb, &g), DTS_EINPUT);
	ck_assert_uint_eq(g.len, 0);   /* nothing written */
	ck_assert_int_eq(dts_table_write_xlsx(t, "never.xlsx"), DTS_EINPUT);
	ck_assert_int_eq(access("never.xlsx", F_OK), -1);
	/* CSV carries it as it is. */
	s = both(t, DTS_TABLE_CSV);
	ck_assert_str_eq(s, "shop,value\na\001b,1\n");
	free(s);
	dts_table_free(t);
}
END_TEST

/* A callback returning DTS_EUSER stops every writer, and DTS_EUSER comes
 * back unchanged; nothing is sent after it. */
START_TEST(callback_stops_a_writer)
{
	const int formats[] = {DTS_TABLE_TEXT, DTS_TABLE_CSV, DTS_TABLE_SDMX_CSV,
			       DTS_TABLE_SDMX_ML};
	dts_table *t;
	const char *const n2[] = {"k", "v"};
	char key[32];

	ck_assert_int_eq(dts_table_new(&t, n2, 2, 1), 0);
	for (int i = 0; i < 20000; i++) {   /* several 64 KiB pieces */
		const char *row[] = {key, "1.00"};

		snprintf(key, sizeof(key), "key-%06d", i);
		ck_assert_int_eq(dts_table_add_row(t, row), 0);
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
		grab g = {0};

		ck_assert_int_eq(dts_table_write_cb(t, formats[i], grab_cb, &g), 0);
		ck_assert_uint_gt(g.len, 65536);
		free(g.p);
		for (size_t stop = 1; stop <= 2; stop++) {
			grab h = {0};

			h.stop_after = stop;
			ck_assert_int_eq(dts_table_write_cb(t, formats[i], grab_cb, &h),
					 DTS_EUSER);
			ck_assert_uint_eq(h.calls, stop);
			free(h.p);
		}
	}
	dts_table_free(t);
}
END_TEST

/* SDMX metadata: the time as TIME_PERIOD with FREQ, codes as SDMX ids,
 * the status as OBS_STATUS and action, rows' own units; the structure
 * message declares all of it; a BOM starts the CSV outputs. */
START_TEST(sdmx_metadata_and_structure)
{
	static const char *const nm[] = {"period:quarter", "category", "value",
					 "records"};
	const char *r1[] = {"2025-Q1", "TECH.CLOUD", "1.5", "2"};
	const char *r2[] = {"2025", "", "", "1"};
	dts_table *t;
	char *s;

	ck_assert_int_eq(dts_table_format_parse("sdmx-structure"),
			 DTS_TABLE_SDMX_STRUCTURE);
	ck_assert_int_eq(dts_table_new(&t, nm, 4, 2), 0);
	ck_assert_int_eq(dts_table_add_row(t, r1), 0);
	ck_assert_int_eq(dts_table_add_row(t, r2), 0);
	ck_assert_int_eq(dts_table_set_time(t, 2), DTS_EINVAL);   /* a measure */
	ck_assert_int_eq(dts_table_set_time(t, -2), DTS_EINVAL);
	ck_assert_int_eq(dts_table_set_time(t, 0), 0);
	ck_assert_int_eq(dts_table_status(t), 0);
	dts_table_set_status(t, DTS_STATUS_REVISED);
	ck_assert_int_eq(dts_table_status(t), DTS_STATUS_REVISED);
	ck_assert_int_eq(dts_table_add_code(t, 2, "X", NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_table_add_code(t, 1, NULL, NULL, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_table_add_code(t, 1, "TECH.CLOUD", "云", "Cloud"), 0);
	ck_assert_int_eq(dts_table_add_code(t, 1, "TECH.CLOUD", "x", "x"), 0);
	ck_assert_int_eq(dts_table_set_concept(t, 1, "类别", "Category"), 0);
	ck_assert_int_eq(dts_table_set_concept(t, 4, "x", "x"), DTS_EINVAL);
	ck_assert_int_eq(dts_table_set_row_unit(t, 2, "PC", 0), DTS_EINVAL);
	ck_assert_int_eq(dts_table_set_row_unit(t, 1, "PC", 0), 0);
	ck_assert_int_eq(dts_table_set_unit(t, "CNY"), 0);
	dts_table_set_unit_mult(t, 8);
	dts_table_set_prepared(t, 0);
	s = both(t, DTS_TABLE_SDMX_CSV);
	ck_assert_str_eq(s,
		"STRUCTURE,STRUCTURE_ID,ACTION,FREQ,TIME_PERIOD,CATEGORY,OBS_VALUE,RECORDS,OBS_STATUS,UNIT_MEASURE,UNIT_MULT\n"
		"dataflow,LIBDTS:DTS_CUBE(1.0),R,Q,2025-Q1,TECH_CLOUD,1.5,2,A,CNY,8\n"
		"dataflow,LIBDTS:DTS_CUBE(1.0),R,A,2025,_Z,,1,M,PC,0\n");
	free(s);
	s = both(t, DTS_TABLE_SDMX_ML);
	ck_assert_ptr_nonnull(strstr(s, "<message:DataSet action=\"Replace\" structureRef=\"DTS_CUBE\">"));
	ck_assert_ptr_nonnull(strstr(s, "<generic:ObsKey><generic:Value id=\"FREQ\" value=\"Q\"/>"
				     "<generic:Value id=\"TIME_PERIOD\" value=\"2025-Q1\"/>"
				     "<generic:Value id=\"CATEGORY\" value=\"TECH_CLOUD\"/></generic:ObsKey>"));
	ck_assert_ptr_nonnull(strstr(s, "<generic:Value id=\"OBS_STATUS\" value=\"A\"/>"
				     "<generic:Value id=\"UNIT_MEASURE\" value=\"CNY\"/>"
				     "<generic:Value id=\"UNIT_MULT\" value=\"8\"/>"));
	ck_assert_ptr_nonnull(strstr(s, "<generic:Value id=\"OBS_STATUS\" value=\"M\"/>"
				     "<generic:Value id=\"UNIT_MEASURE\" value=\"PC\"/>"
				     "<generic:Value id=\"UNIT_MULT\" value=\"0\"/>"));
	free(s);
	s = both(t, DTS_TABLE_SDMX_STRUCTURE);
	ck_assert_ptr_nonnull(strstr(s, "<message:Structure "));
	ck_assert_ptr_nonnull(strstr(s, "<structure:Codelist id=\"CL_CATEGORY\" agencyID=\"LIBDTS\" version=\"1.0\">\n"
				     "<common:Name xml:lang=\"en\">Category</common:Name><common:Name xml:lang=\"zh\">类别</common:Name>\n"
				     "<structure:Code id=\"TECH_CLOUD\"><common:Name xml:lang=\"en\">Cloud</common:Name>"
				     "<common:Name xml:lang=\"zh\">云</common:Name></structure:Code>\n"
				     "<structure:Code id=\"_Z\"><common:Name xml:lang=\"en\">Not applicable</common:Name></structure:Code>"));
	ck_assert_ptr_nonnull(strstr(s, "<structure:Code id=\"PC\"><common:Name xml:lang=\"en\">Percent</common:Name>"));
	ck_assert_ptr_nonnull(strstr(s, "<structure:Code id=\"8\"><common:Name xml:lang=\"en\">Hundreds of millions</common:Name>"));
	ck_assert_ptr_nonnull(strstr(s, "<structure:DataStructure id=\"DTS_CUBE\" agencyID=\"LIBDTS\" version=\"1.0\">"));
	ck_assert_ptr_nonnull(strstr(s, "<structure:TimeDimension id=\"TIME_PERIOD\" position=\"3\">"));
	ck_assert_ptr_nonnull(strstr(s, "<structure:Attribute id=\"CONF_STATUS\" assignmentStatus=\"Conditional\">"));
	ck_assert_ptr_nonnull(strstr(s, "<structure:PrimaryMeasure id=\"OBS_VALUE\">"));
	free(s);
	{
		FILE *f = tmpfile();

		ck_assert_int_eq(dts_table_write_sdmx_structure(t, f), 0);
		ck_assert_int_gt(ftell(f), 1000);
		fclose(f);
	}
	dts_table_set_bom(t, 1);
	s = both(t, DTS_TABLE_CSV);
	ck_assert_int_eq(strncmp(s, "\xEF\xBB\xBFperiod:quarter,category", 26), 0);
	free(s);
	s = both(t, DTS_TABLE_SDMX_CSV);
	ck_assert_int_eq(strncmp(s, "\xEF\xBB\xBFSTRUCTURE,", 13), 0);
	free(s);
	s = both(t, DTS_TABLE_TEXT);   /* only the CSV writers */
	ck_assert_int_eq(strncmp(s, "period", 6), 0);
	free(s);
	dts_table_free(t);
}
END_TEST

START_TEST(each_named_writer)
{
	dts_table *t = sample();
	grab g[4] = {{0}};
	char *s;

	ck_assert_int_eq(dts_table_write_text_cb(t, grab_cb, &g[0]), 0);
	ck_assert_int_eq(dts_table_write_csv_cb(t, grab_cb, &g[1]), 0);
	ck_assert_int_eq(dts_table_write_sdmx_csv_cb(t, grab_cb, &g[2]), 0);
	dts_table_set_prepared(t, 0);
	ck_assert_int_eq(dts_table_write_sdmx_ml_cb(t, grab_cb, &g[3]), 0);
	s = via_file(t, DTS_TABLE_TEXT);
	ck_assert_str_eq(s, g[0].p);
	free(s);
	s = via_file(t, DTS_TABLE_CSV);
	ck_assert_str_eq(s, g[1].p);
	free(s);
	s = via_file(t, DTS_TABLE_SDMX_CSV);
	ck_assert_str_eq(s, g[2].p);
	free(s);
	s = via_file(t, DTS_TABLE_SDMX_ML);
	ck_assert_str_eq(s, g[3].p);
	free(s);
	for (int i = 0; i < 4; i++)
		free(g[i].p);
	ck_assert_int_eq(dts_table_write_cb(t, DTS_TABLE_XLSX, grab_cb, &g[0]),
			 DTS_EINVAL);
	ck_assert_int_eq(dts_table_write_cb(t, 99, grab_cb, &g[0]), DTS_EINVAL);
	dts_table_free(t);
}
END_TEST

/* The FILE forms report a failed write as DTS_EIO. */
START_TEST(file_write_error_is_eio)
{
	dts_table *t = sample();
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		dts_table_free(t);
		return;
	}
	setvbuf(f, NULL, _IONBF, 0);
	ck_assert_int_eq(dts_table_write_csv(t, f), DTS_EIO);
	ck_assert_int_eq(dts_table_write_text(t, f), DTS_EIO);
	ck_assert_int_eq(dts_table_write_sdmx_csv(t, f), DTS_EIO);
	ck_assert_int_eq(dts_table_write_sdmx_ml(t, f), DTS_EIO);
	fclose(f);
	dts_table_free(t);
}
END_TEST

START_TEST(xlsx_table_and_book)
{
	dts_table *t = sample();
	dts_book *b;
	dts_range cats = {0, 1, 1, 3, 1}, vals = {0, 1, 2, 3, 2},
		  bad = {5, 1, 2, 3, 2};
	char path[] = "/tmp/dts-table-XXXXXX";
	int fd = mkstemp(path), rc;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(dts_table_set_chart(t, 3, "records"), 0);
	rc = dts_table_write_xlsx(t, path);
#ifdef HAVE_XLSXWRITER
	ck_assert_int_eq(rc, 0);
#else
	if (rc == DTS_ERROR)   /* this build has no xlsx */
		ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "no xlsx support"));
	else
		ck_assert_int_eq(rc, 0);
#endif
	ck_assert_int_eq(dts_book_new(&b), 0);
	ck_assert_int_eq(dts_book_add_series(b, "s", &vals, 0), DTS_EINVAL);
	ck_assert_int_eq(dts_book_add_sheet(b, "one", t), 0);
	ck_assert_int_eq(dts_book_add_sheet(b, "two", t), 0);
	ck_assert_int_eq(dts_book_set_chart_sheet(b, "graphs"), 0);
	ck_assert_int_eq(dts_book_add_chart(b, "chart", "y", 0, &cats), 0);
	ck_assert_int_eq(dts_book_add_series(b, "value", &vals, 0), 0);
	ck_assert_int_eq(dts_book_add_series(b, "target", &vals, 1), 0);
	rc = dts_book_write_xlsx(b, path);
	ck_assert(rc == 0 || rc == DTS_ERROR);
	ck_assert_int_eq(dts_book_add_chart(b, "bad", NULL, 1, &cats), 0);
	ck_assert_int_eq(dts_book_add_series(b, "v", &bad, 0), 0);
	ck_assert_int_eq(dts_book_write_xlsx(b, path), DTS_EINVAL);
	dts_book_free(b);
	dts_book_free(NULL);
	unlink(path);
	dts_table_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, build_and_read);
	tcase_add_test(tc, csv_quotes_what_needs_it);
	tcase_add_test(tc, sdmx_csv_layout);
	tcase_add_test(tc, text_aligns_and_escapes);
	tcase_add_test(tc, sdmx_ml_escapes_with_the_writer);
	tcase_add_test(tc, xml_writers_refuse_what_xml_cannot_carry);
	tcase_add_test(tc, callback_stops_a_writer);
	tcase_add_test(tc, sdmx_metadata_and_structure);
	tcase_add_test(tc, each_named_writer);
	tcase_add_test(tc, file_write_error_is_eio);
	tcase_add_test(tc, xlsx_table_and_book);
	suite_add_tcase(s, tc);
	return dts_test_run(s);
}
