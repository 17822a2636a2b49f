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

/*
 * ---- amounts as bureaus write them: currency marks, units -----------------
 *
 * Platform exports and statistical tables write amounts with their
 * currency ("$89.98", "¥12,800", "RMB 1,000", "12.00 USD") and in units
 * of 10^k (万元). The functions below read those exactly (no double), on
 * top of dts_money_parse's number syntax.
 */

/** Bytes of a currency buffer: an ISO 4217 code and its NUL. */
#define DTS_CURRENCY_SIZE 4

/**
 * The currency a text states with "¥" or "￥" (U+00A5, U+FFE5): the
 * renminbi and the yen share the sign, so the amount alone does not say
 * which. Compare with strcmp(); it is not an ISO code and never one of
 * dts_currency_normalize()'s results. dts_money_currency_resolve() turns
 * it into CNY or JPY from the record's currency field, or refuses.
 */
#define DTS_CURRENCY_YEN "\xc2\xa5"

/** The largest power of ten dts_money_parse_scaled() and dts_money_scale() take. */
#define DTS_MONEY_EXP_MAX 18

/**
 * Parse an amount with the currency it is written in. The number is
 * dts_money_parse()'s syntax (thousands separators, full-width forms, at
 * most 4 decimals); around it may stand, in this order:
 *   - a sign '+', '-', U+2212 '−' or full-width '－', before or after a
 *     leading mark ("-$12.00" and "$-12.00"), or parentheses around the
 *     whole amount, the accounting negative ("(12.00)", "($12.00)");
 *   - ONE currency mark, before or after the number, blanks allowed
 *     between: a sign "$" (USD), "US$" (USD), "HK$" (HKD), "C$" / "CA$"
 *     (CAD), "A$" / "AU$" (AUD), "S$" (SGD), "NT$" (TWD), "NZ$" (NZD),
 *     "MOP$" (MOP), "£" (GBP), "€" (EUR), "₩" (KRW), "₹" (INR), "₽" (RUB),
 *     "円" (JPY), "元" (CNY), "¥" / "￥" (DTS_CURRENCY_YEN); or a code or
 *     name dts_currency_normalize() knows ("USD 12.00", "12.00 USD",
 *     "CNY1000", "RMB 1,000", "1,000 人民币", "100 美元").
 * *currency gets the ISO code the text states, DTS_CURRENCY_YEN for the
 * yen sign, or "" when it states none (a bare "12.00"). Every string
 * dts_money_parse() accepts gives the same value here with currency "".
 * Reads exactly `len` bytes; *out and currency are untouched on failure.
 * Errors (DTS_EINPUT unless said) quote the input like dts_money_parse's:
 * "not a number: 'abc'", "two currency marks: 'US$12 USD'", "two signs:
 * '(-12.00)'", "unbalanced parenthesis: '(12.00'", "not a currency
 * mark: '#12'"; DTS_EOVERFLOW "amount out of range: '...'". Three
 * upper-case ASCII letters before or after the number are taken as an ISO
 * 4217 code, any three ("RMB" is CNY), as dts_currency_normalize() does;
 * lower case is not a code here, so "12abc" and "usd 12" are refused.
 * Messages quote the amount folded and trimmed, as dts_money_parse's do.
 * NULL out or currency is DTS_EINVAL. Thread-safe.
 */
DTS_API int dts_money_parse_currency(dts_money *out,
				     char currency[DTS_CURRENCY_SIZE],
				     const char *s, size_t len);

/**
 * Parse an amount written in units of 10^exp (0 <= exp <=
 * DTS_MONEY_EXP_MAX; 4 for 万元) and give it in units: "1.23456" at exp 4
 * is 12345.6. The text may carry up to 4 + exp decimals, since all of
 * them survive the scaling; a nonzero digit past that is DTS_EINPUT
 * ("more than 8 decimal places for a unit of 10^4: '...'"); a result
 * beyond the dts_money range is DTS_EOVERFLOW. With currency NULL the
 * syntax is exactly dts_money_parse()'s (no marks); with a buffer it is
 * dts_money_parse_currency()'s and *currency is set the same way. At
 * exp 0 both are those functions. exp out of range is DTS_EINVAL.
 * Thread-safe.
 */
DTS_API int dts_money_parse_scaled(dts_money *out,
				   char currency[DTS_CURRENCY_SIZE],
				   const char *s, size_t len, int exp);

/**
 * *out = v * 10^exp (0 <= exp <= DTS_MONEY_EXP_MAX), exactly, or
 * DTS_EOVERFLOW ("amount out of range: ... times 10^k") with *out
 * unchanged. exp out of range or NULL out is DTS_EINVAL. Thread-safe.
 */
DTS_API int dts_money_scale(dts_money *out, dts_money v, int exp);

/**
 * The currency of a record from what its amount states (`stated`, as set
 * by dts_money_parse_currency: "", an ISO code or DTS_CURRENCY_YEN) and
 * its currency field as written (`field`, field_len bytes, any form
 * dts_currency_normalize() reads; empty or blank = absent). *out gets:
 *   - the field's code when the amount states none or the yen sign and
 *     the field says CNY or JPY, or the same code;
 *   - the stated code when the field is absent;
 *   - "" when neither says anything (the caller's default applies).
 * Errors, DTS_EINPUT: the field is not a currency; the amount says one
 * currency and the field another ("the amount is in USD but the currency
 * field says CNY"); the yen sign with no field ("'¥' is CNY or JPY and
 * the record has no currency to say which") or with a field that is
 * neither CNY nor JPY. NULL out or stated is DTS_EINVAL. Thread-safe.
 */
DTS_API int dts_money_currency_resolve(char out[DTS_CURRENCY_SIZE],
				       const char *stated, const char *field,
				       size_t field_len);

#ifdef __cplusplus
}
#endif
#endif
