/*
 * dts/money.h — exact money: decimal strings as fixed-point integers.
 *
 * An amount is an int64_t count of 1/10,000 of the currency unit
 * (DTS_MONEY_SCALE), so 12345.67 is 123456700. Parsing never goes through
 * double; sums detect overflow instead of wrapping. The range is about
 * ±922 trillion units, above any national annual total.
 */
#ifndef DTS_MONEY_H
#define DTS_MONEY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t dts_money;

#define DTS_MONEY_SCALE 10000
#define DTS_MONEY_DECIMALS 4

/**
 * Parse a decimal amount: optional '+' or '-', digits with optional ','
 * (or full-width '，') thousands separators in groups of three
 * ("1,234,567.89"; "12,34" is rejected), optional '.' (or '．') and at most
 * 4 decimals ("5." and ".5" are accepted; zeros past the fourth decimal
 * lose nothing and are accepted: "1.50000"); full-width digits and signs
 * fold; surrounding blanks (and U+3000) are ignored. Reads exactly `len`
 * bytes. "", "-", "1e5", "12.34567", "abc" are DTS_EINPUT; a value beyond
 * the range DTS_EOVERFLOW; *out is untouched on failure. The error message
 * says what is wrong ("not a number: 'abc'", "more than 4 decimal places:
 * '1.23456'", "misplaced thousands separator: '12,34'", "amount out of
 * range: ..."). Thread-safe.
 */
DTS_API int dts_money_parse(dts_money *out, const char *s, size_t len);

/** *acc += v, or DTS_EOVERFLOW with *acc unchanged. */
DTS_API int dts_money_add(dts_money *acc, dts_money v);

/**
 * Format v with `decimals` (0..4) digits after the point, rounding half
 * away from zero, into buf (size bytes). Returns the length written, or
 * DTS_EINVAL when buf is too small or decimals is out of range. No
 * thousands separators; no negative zero ("-0.0001" at 2 is "0.00").
 * 22 bytes always suffice. Thread-safe.
 */
DTS_API int dts_money_format(char *buf, size_t size, dts_money v,
			     int decimals);

#ifdef __cplusplus
}
#endif
#endif
