/*
 * profile_convert.h — the value conversions a profile asks for, each a
 * call into the one implementation of that conversion (amounts and
 * units, periods, code lists): a profile never parses values itself.
 * Each appends the canonical text to b and returns NULL, or returns the
 * reason the value cannot be read (written into why[cap]).
 */
#ifndef DTS_PROFILE_CONVERT_H
#define DTS_PROFILE_CONVERT_H

#include "buf.h"
#include "internal.h"

/* An amount as written (thousands separators, a currency symbol) in
 * `unit` ("", 元, 万元, 千美元 ...) -> canonical decimal in that
 * currency; `currency` is the column's stated currency or NULL. */
const char *dts__convert_amount(dts__buf *b, const char *v, size_t len, const char *unit,
				const char *currency, char *why, size_t cap);
/* A period as written (2025年3月, 2025年1-6月, 2025/01/07 08:15) ->
 * canonical period text. */
const char *dts__convert_period(dts__buf *b, const char *v, size_t len, char *why, size_t cap);
/* A code field in a scheme (DTS__SCH_*) -> the canonical code. */
const char *dts__convert_code(dts__buf *b, int field, int scheme, const char *v, size_t len,
			      char *why, size_t cap);
/* A national BOP transaction code -> its EBOPS 2010 code ("" if none). */
const char *dts__convert_ebops(dts__buf *b, const char *v, size_t len, char *why, size_t cap);

#endif
