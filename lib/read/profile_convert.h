/*
 * profile_convert.h — the value conversions a profile asks for, each a
 * call into the library's one implementation of that conversion (amounts
 * and units: dts/money.h, dts/unit.h; periods: dts/period.h; code lists:
 * dts/codes.h): a profile never parses values itself. Each appends the
 * canonical text to b and returns NULL, or returns the reason the value
 * cannot be read (written into why[cap]).
 */
#ifndef DTS_PROFILE_CONVERT_H
#define DTS_PROFILE_CONVERT_H

#include "buf.h"
#include "internal.h"

/* An amount as written (thousands separators, a currency mark) in units
 * of 10^exp -> the shortest exact decimal ("12345678", "89.98", "-99");
 * stated[] gets the currency the text states ("", an ISO code or
 * DTS_CURRENCY_YEN). */
const char *dts__convert_amount(dts__buf *b, char stated[DTS_CURRENCY_SIZE], const char *v,
				size_t len, int exp, char *why, size_t cap);
/* The record's currency from the amount's stated one and the currency
 * field as written (or, when that is empty, `hint`: the unit's or the
 * profile's currency; may be NULL) -> an ISO code, or "" when nothing
 * says one. */
const char *dts__convert_currency(dts__buf *b, const char *stated, const char *field,
				  size_t flen, const char *hint, char *why, size_t cap);
/* A period as written (2025年3月, 2025年1-6月, 2025/01/07 08:15, 202501)
 * -> its SDMX key (2025-03, 2025-S1, 2025-01-07, 2025-01). */
const char *dts__convert_period(dts__buf *b, const char *v, size_t len, char *why, size_t cap);
/* A code field in a scheme (DTS__SCH_*) -> the canonical code. */
const char *dts__convert_code(dts__buf *b, int field, int scheme, const char *v, size_t len,
			      char *why, size_t cap);
/* The one code of a trade mode, partner (in `scheme`) or region as
 * written: the code lists' lookup both readings share (a profile's
 * columns here, the canonical reading's harmonisation in source.c). 0 and
 * *out, or the lookup's error (unknown, ambiguous). */
int dts__code_lookup(const char **out, int field, dts_code_scheme scheme, const char *v,
		     size_t len);
/* A national BOP transaction code -> its EBOPS 2010 code ("" if none). */
const char *dts__convert_ebops(dts__buf *b, const char *v, size_t len, char *why, size_t cap);

#endif
