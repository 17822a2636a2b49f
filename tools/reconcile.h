/*
 * reconcile.h — internals of dts-reconcile, split by concern:
 *   rec_input.c    one input (CSV or customs XML, via tools/input.c) as
 *                  rows of named values
 *   reconcile.c    record by record: hash the smaller side, stream the
 *                  larger, put every record in exactly one bucket
 *   rec_totals.c   cube against cube (dts-aggregate partials or CSV)
 *   cbec_check.c   the order / payment / waybill / inventory check
 * These stay in tools/: they are report logic over the library's readers,
 * money and cube, and no other tool needs them (see README "dts-reconcile").
 */
#ifndef DTS_RECONCILE_H
#define DTS_RECONCILE_H

#include <stdint.h>
#include <stdio.h>

#include "dts.h"

/* ---- inputs -------------------------------------------------------------- */

typedef struct rec_input rec_input;

/* Open a CSV file or a customs XML file (sniffed: first non-blank byte '<').
 * Prints the problem and returns -1 when it cannot be opened. */
int rec_input_open(rec_input **out, const char *path, const char *const *map,
		   size_t nmap);
void rec_input_free(rec_input *in);
const char *rec_input_path(const rec_input *in);
int rec_input_is_xml(const rec_input *in);
/* Size in bytes when known, else -1. */
int64_t rec_input_size(const rec_input *in);

/* A column: a header name, else a canonical field (name or alias).
 * Returns a handle >= 0, or -1 when a CSV header has no such column
 * (XML inputs accept every name: a leaf absent from a record is empty). */
int rec_input_column(rec_input *in, const char *name);

/* Next row: 1, 0 at the end, DTS_EINPUT for a rejected row (*line and
 * *why set), < 0 on a read error (message printed). */
int rec_input_next(rec_input *in, uint64_t *line, const char **why);

/* Value of column handle `col` in the current row ("" when absent). */
const char *rec_input_get(const rec_input *in, int col, size_t *len);

/* Classify the current row. 0, or DTS_EINPUT with the reason in why. */
int rec_input_classify(rec_input *in, dts_scanner *sc, dts_result *res,
		       char *why, size_t wn);

/* ---- tolerance ----------------------------------------------------------- */

typedef struct rec_tol {
	int percent;       /* 1: amount is a percentage of the left value */
	dts_money amount;  /* absolute money, or percent * DTS_MONEY_SCALE */
} rec_tol;

/* "0.50" (absolute) or "5%" (of the left value). -1 when malformed. */
int rec_tol_parse(rec_tol *out, const char *s);
/* 1 when |right - left| is within the tolerance; integer arithmetic only. */
int rec_tol_within(const rec_tol *t, dts_money left, dts_money right);

/* Format money with 2 to 4 decimals (trailing zeros past the second cut). */
void rec_money_str(char *buf, size_t n, dts_money v);
/* The same for an exact sum (dts_amount_add_money, never an int64 that
 * could overflow); n >= 64. */
void rec_amount_str(char *buf, size_t n, const dts_amount *v);

/* ---- joined keys --------------------------------------------------------- */

/*
 * A key of several parts (key columns, cube dimensions) as one byte string
 * that is injective: parts are joined with '|', and a '|' or '\' inside a
 * part is written "\|" or "\\", so two different part lists never give
 * the same key (a bare separator byte let ("A<sep>B", "C") match ("A",
 * "B<sep>C")). The key is also what the details files show.
 */
typedef struct rec_key {
	char *p;        /* NUL-terminated; NULL before the first part */
	size_t len, cap;
	size_t nparts;
} rec_key;

void rec_key_reset(rec_key *k);
/* Append one part. 0, or -1 on out of memory. */
int rec_key_part(rec_key *k, const char *s, size_t len);
void rec_key_free(rec_key *k);

/* ---- record reconciliation ----------------------------------------------- */

#define REC_CMP_VALUE 0x1u
#define REC_CMP_CATEGORY 0x2u
#define REC_CMP_PERIOD 0x4u
#define REC_CMP_FLOW 0x8u

typedef struct rec_opts {
	const char *left, *right;
	const char *keys;            /* "id" or "orderNo,ebpCode" */
	rec_tol tol;
	unsigned compare;            /* REC_CMP_* */
	const char *const *rules;    /* classifier files (0 = default) */
	size_t nrules;
	const char *const *map;      /* COLUMN=FIELD */
	size_t nmap;
	const char *format;          /* text csv xlsx */
	const char *output;          /* NULL = stdout */
	const char *details;         /* NULL = none */
	const char *matrix;          /* NULL = in the text output only */
} rec_opts;

/* Run it. Returns an EXIT_* code (1 when anything is not a clean match). */
int rec_reconcile(const rec_opts *o);

/* ---- totals and the three-document check --------------------------------- */

typedef struct tot_opts {
	const char *left, *right, *format, *output;
	int decimals;
} tot_opts;

int rec_totals(const tot_opts *o);

typedef struct cbec_opts {
	const char *orders, *payments, *waybills, *inventory;
	rec_tol tol;                 /* goods + freight + tax - discount vs paid */
	dts_money single_limit;      /* 5,000 yuan */
	dts_money annual_limit;      /* 26,000 yuan */
	const char *format, *output, *details;
} cbec_opts;

int rec_cbec(const cbec_opts *o);

#endif
