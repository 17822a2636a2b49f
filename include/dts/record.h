/*
 * dts/record.h — the checks a record must pass before it is counted.
 *
 * A statistics run counts a record only when the values it depends on are
 * well formed; a record that fails is rejected with the reason (DESIGN §6).
 */
#ifndef DTS_RECORD_H
#define DTS_RECORD_H

#include <stddef.h>

#include "common.h"
#include "field.h"
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check the values a statistics run depends on (DESIGN §6): a non-empty
 * value is an exact amount (dts_money_parse_currency: "5,432,100",
 * "$89.98", "(12.00)", "RMB 1,000" ...) whose stated currency agrees with
 * the record's currency field ("$89.98" with currency CNY is wrong,
 * "¥12,800" needs a currency field of CNY or JPY; a value with no mark
 * agrees with any currency field, and a mark other than ¥ with an empty
 * one; the currency field is checked only against a value that states
 * a currency);
 * period a date, date-time, month, quarter, year, half year or span of
 * months (dts_period_parse_span: "2025-01-03 10:21:33", "2025年3月",
 * "2025年1-6月"); flow an import or export alias, hs_code 2 to 10
 * digits, trade_mode 4 digits, ebops_code an EBOPS 2010 code (S, a group
 * letter A..N, up to four more characters) — each after normalisation.
 * Empty values pass: an empty field is absent.
 * Returns 0, or DTS_EINPUT with a message naming the field, the value and
 * what is wrong. Thread-safe.
 */
DTS_API int dts_record_check(const dts_value *values, size_t n);

/**
 * The amount of a record and its currency: the value field read with
 * dts_money_parse_currency() and its currency resolved against the
 * currency field with dts_money_currency_resolve() ("" when neither
 * states one: the caller's reporting currency applies). currency may be
 * NULL. Returns 0; DTS_ENOTFOUND when the record has no value (absent or
 * empty), with *out untouched and no error set; DTS_EINPUT /
 * DTS_EOVERFLOW as those functions, the message naming the value field.
 * Thread-safe.
 */
DTS_API int dts_record_value(dts_money *out, char currency[DTS_CURRENCY_SIZE],
			     const dts_value *values, size_t n);

#ifdef __cplusplus
}
#endif
#endif
