/*
 * xlsx_int.h — what the workbook reader (read/xlsx.c), its unit test and
 * the record source (read/source.c) share. Never installed.
 */
#ifndef DTS_XLSX_INT_H
#define DTS_XLSX_INT_H

#include "dts.h"
#include "dts/xlsx.h"

/* What a cell's number format makes of its numbers. */
enum { DTS__XK_NUMBER = 0, DTS__XK_DATE, DTS__XK_DATETIME, DTS__XK_TIME };

/* The kind of a built-in numFmtId, and of a format code ("yyyy-mm-dd"). */
int dts__xlsx_builtin_kind(unsigned id);
int dts__xlsx_format_kind(const char *code);

/* Excel serial v[0..n) (a decimal as written) of kind DTS__XK_* as
 * "YYYY-MM-DD[ HH:MM:SS]" or "HH:MM:SS" into out: the length, or -1 when
 * v is not a serial the calendar has (then keep v as written). */
int dts__xlsx_serial(char *out, size_t size, const char *v, size_t n, int kind,
		     int date1904);

/* Like dts_xlsx_open_fd, after `head` already read from fd (a sniffed
 * pipe): the whole input is read into memory within the size limit. */
int dts__xlsx_open_fd_head(dts_xlsx **out, int fd, const void *head, size_t nhead,
			   const char *name, const dts_xlsx_options *opts);

#endif
