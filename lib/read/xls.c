/*
 * xls.c — Excel 97-2003 (.xls, BIFF8) workbooks through libfreexl, as the
 * same rows as an .xlsx sheet (dts/xlsx.h).
 *
 * Measured on workbooks written by xlwt (tests/data/xlsx/make.py):
 * libfreexl 1.0.6 returns shared and inline strings as UTF-8, the sheet
 * names, the date mode, and for cells with a date or time format text it
 * formats itself ("2025-01-03", "2025-01-03 10:21:33", "08:15:00"),
 * Excel's 1900-02-29 (serial 60) and the 1904 system included; numbers as
 * an int (RK integers) or the stored IEEE double; booleans as the int 1
 * or 0. BIFF keeps no text form of a number, so a double is written as
 * the shortest decimal that reads back as the same double ("0.1", not
 * 0.10000000000000001), positional below 10^17, else as Excel writes
 * it in xlsx ("1.2345678901234567E+19").
 *
 * libfreexl opens only a path: the bytes go into a memfd opened through
 * /proc/self/fd, so a buffer, a pipe and a file are read the same way.
 */
#include <errno.h>
#include <freexl.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "internal.h"
#include "xlsx_int.h"

struct dts__xls {
	const void *h;
	char **sheets;
	unsigned nsheets, cur;
	unsigned rows, r;
	unsigned short cols;
	dts__buf row;
	size_t *off, *len;
	const char **ptr;
	char err[200];
};

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int cannot(const char *name, int code)
{
	return dts__error(DTS_EINPUT, name, 0, 0,
			  "is an Excel 97-2003 .xls workbook libfreexl cannot read "
			  "(error %d): save it as .xlsx or CSV", code);
}

/* The shortest decimal that reads back as d. */
static size_t fmt_double(char *buf, size_t size, double d)
{
	const char *dp = localeconv()->decimal_point;
	int p, e = 0;
	char *q;

	for (p = 1; p < 17; p++) {
		snprintf(buf, size, "%.*e", p - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	snprintf(buf, size, "%.*e", p - 1, d);
	if ((q = strchr(buf, 'e')))
		e = (int)strtol(q + 1, NULL, 10);
	if (e >= -5 && e < 17)
		snprintf(buf, size, "%.*f", p - 1 - e > 0 ? p - 1 - e : 0, d);
	else
		snprintf(buf, size, "%.*E", p - 1, d);
	/* a caller's locale may write the point as a comma */
	if (dp && dp[0] && strcmp(dp, ".") != 0 && (q = strstr(buf, dp))) {
		*q = '.';
		memmove(q + 1, q + strlen(dp), strlen(q + strlen(dp)) + 1);
	}
	return strlen(buf);
}

static int open_memfd(const void **h, const void *data, size_t len, const char *name)
{
	char path[64];
	int fd = memfd_create("dts-xls", MFD_CLOEXEC), rc;
	size_t done = 0;

	if (fd < 0)
		return dts__error(DTS_EIO, name, 0, 0, "memfd_create: %s", strerror(errno));
	while (done < len) {
		ssize_t k = write(fd, (const char *)data + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = dts__error(DTS_EIO, name, 0, 0, "memfd: %s", strerror(errno));
			close(fd);
			return rc;
		}
		done += (size_t)k;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = freexl_open(path, h);
	close(fd);
	if (rc != FREEXL_OK) {
		*h = NULL;
		return rc == FREEXL_INSUFFICIENT_MEMORY ? oom() : cannot(name, rc);
	}
	return 0;
}

int dts__xls_open(dts__xls **out, const void *data, size_t len, const char *name,
		  const char *sheet, const dts_xlsx_options *o)
{
	dts__xls *x = calloc(1, sizeof(*x));
	unsigned info = 0, rows = 0, i;
	unsigned short cols = 0;
	int rc;

	*out = x;
	if (!x)
		return oom();
	if ((rc = open_memfd(&x->h, data, len, name)) < 0)
		return rc;
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_OBFUSCATED)
		return dts__error(DTS_EINPUT, name, 0, 0,
				  "password-protected workbook: remove the password in "
				  "Excel and save it again");
	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &x->nsheets) != FREEXL_OK ||
	    x->nsheets == 0)
		return dts__error(DTS_EINPUT, name, 0, 0, "the .xls workbook has no worksheet");
	if (!(x->sheets = calloc(x->nsheets, sizeof(*x->sheets))))
		return oom();
	for (i = 0; i < x->nsheets; i++) {
		const char *s = NULL;

		freexl_get_worksheet_name(x->h, (unsigned short)i, &s);
		if (!(x->sheets[i] = strdup(s ? s : "")))
			return oom();
	}
	if (sheet) {
		dts__buf b = {0};

		for (i = 0; i < x->nsheets && strcmp(x->sheets[i], sheet) != 0; i++)
			;
		if (i == x->nsheets) {
			for (i = 0; i < x->nsheets; i++) {
				dts__buf_str(&b, i ? ", '" : "'");
				dts__buf_str(&b, x->sheets[i]);
				dts__buf_ch(&b, '\'');
			}
			rc = b.oom ? oom()
				   : dts__error(DTS_EINVAL, name, 0, 0,
						"no sheet named '%s': the workbook has %s", sheet, b.p);
			dts__buf_free(&b);
			return rc;
		}
		x->cur = i;
	}
	if (freexl_select_active_worksheet(x->h, (unsigned short)x->cur) != FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &rows, &cols) != FREEXL_OK)
		return cannot(name, -1);
	if (rows > o->max_rows || cols > o->max_cols)
		return dts__error(DTS_ELIMIT, name, 0, 0,
				  "sheet '%s': %u rows and %u columns, more than the %u and %u "
				  "allowed", x->sheets[x->cur], rows, (unsigned)cols, o->max_rows,
				  o->max_cols);
	x->rows = rows;
	x->cols = cols;
	if (cols && (!(x->off = calloc(cols, sizeof(*x->off))) ||
		     !(x->len = calloc(cols, sizeof(*x->len))) ||
		     !(x->ptr = calloc(cols, sizeof(*x->ptr)))))
		return oom();
	return 0;
}

int dts__xls_next(dts_xlsx_row *row, dts__xls *x, const char *name,
		  const dts_xlsx_options *o)
{
	while (x->r < x->rows) {
		unsigned r = x->r++;
		size_t n = 0;

		x->row.len = 0;
		for (unsigned short c = 0; c < x->cols; c++) {
			FreeXL_CellValue v;
			char num[40];
			const char *s = "";
			size_t k = 0;

			if (freexl_get_cell_value(x->h, r, c, &v) != FREEXL_OK)
				v.type = FREEXL_CELL_NULL;
			switch (v.type) {
			case FREEXL_CELL_INT:
				k = (size_t)snprintf(num, sizeof(num), "%d", v.value.int_value);
				s = num;
				break;
			case FREEXL_CELL_DOUBLE:
				k = fmt_double(num, sizeof(num), v.value.double_value);
				s = num;
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				s = v.value.text_value ? v.value.text_value : "";
				k = strlen(s);
				break;
			default:
				break;
			}
			if (k > o->max_field) {
				row->line = r + 1u;
				snprintf(x->err, sizeof(x->err), "cell in column %u longer than %zu bytes",
					 c + 1u, o->max_field);
				row->error = x->err;
				return dts__error(DTS_EINPUT, name, r + 1u, 0, "%s", x->err);
			}
			x->off[c] = x->row.len;
			x->len[c] = k;
			dts__buf_add(&x->row, s, k);
			dts__buf_ch(&x->row, '\0');
			if (k)
				n = c + 1u;
		}
		if (x->row.oom)
			return oom();
		if (n == 0)
			continue;
		for (size_t c = 0; c < n; c++)
			x->ptr[c] = x->row.p + x->off[c];
		row->cols = x->ptr;
		row->lens = x->len;
		row->ncols = n;
		row->line = r + 1u;
		return 1;
	}
	return 0;
}

size_t dts__xls_sheets(const dts__xls *x, const char *const **names)
{
	*names = (const char *const *)x->sheets;
	return x->nsheets;
}

const char *dts__xls_sheet(const dts__xls *x)
{
	return x->sheets[x->cur];
}

void dts__xls_free(dts__xls *x)
{
	if (!x)
		return;
	if (x->h)
		freexl_close(x->h);
	for (unsigned i = 0; x->sheets && i < x->nsheets; i++)
		free(x->sheets[i]);
	free(x->sheets);
	dts__buf_free(&x->row);
	free(x->off);
	free(x->len);
	free(x->ptr);
	free(x);
}
