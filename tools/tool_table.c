/* tool_table.c — writing a dts_table or dts_book to an output path (tool.h):
 * temporary file and rename, $SOURCE_DATE_EPOCH, messages. */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* SDMX-ML's Prepared time: $SOURCE_DATE_EPOCH when set (reproducible). */
static void prepared_from_env(dts_table *t)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (sde && *sde)
		dts_table_set_prepared(t, (int64_t)strtoll(sde, NULL, 10));
}

int tool_table_check_text(const dts_table *t, const char *format)
{
	if (dts_table_check_text(t) < 0) {
		tool_warn("%s output: %s", format, dts_error_last()->message);
		return -1;
	}
	return 0;
}

/* A libxlsxwriter error names the temporary file: name the output. */
static int xlsx_failed(const char *path)
{
	const dts_error *e = dts_error_last();

	tool_warn("%s: %s", path, e ? e->message : "xlsx output failed");
	return -1;
}

int tool_write_xlsx(const dts_table *t, const dts_book *b, const char *path)
{
	tool_out o;
	int rc;

	if (t && tool_table_check_text(t, "xlsx") < 0)
		return -1;
	if (tool_out_open_path(&o, path) < 0)
		return -1;
	rc = t ? dts_table_write_xlsx(t, o.tmp ? o.tmp : path) :
	     dts_book_write_xlsx(b, o.tmp ? o.tmp : path);
	if (rc < 0) {
		if (rc == DTS_EINPUT)   /* a book's table XML cannot carry */
			tool_warn("xlsx output: %s", dts_error_last()->message);
		else
			xlsx_failed(path);
		tool_out_abort(&o);
		return -1;
	}
	return tool_out_commit(&o);
}

int tool_write_table(dts_table *t, const char *format, const char *path)
{
	int fmt = dts_table_format_parse(format);
	tool_out o;

	if (fmt < 0)
		return -1;
	if (fmt == DTS_TABLE_XLSX) {
		if (!path || !strcmp(path, "-")) {
			tool_warn("xlsx output needs a file: use -o FILE.xlsx");
			return -1;
		}
		return tool_write_xlsx(t, NULL, path);
	}
	if (fmt == DTS_TABLE_SDMX_ML && tool_table_check_text(t, format) < 0)
		return -1;
	prepared_from_env(t);
	if (tool_out_open(&o, path) < 0)
		return -1;
	if (dts_table_write(t, fmt, o.f) < 0) {
		tool_warn("%s: write error", path ? path : "stdout");
		tool_out_abort(&o);
		return -1;
	}
	return tool_out_commit(&o);
}
