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

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check the values a statistics run depends on (DESIGN §6): a non-empty
 * value is an exact amount (dts_money_parse), period a date, month,
 * quarter or year (dts_period_parse), flow an import or export alias,
 * hs_code 2 to 10 digits, trade_mode 4 digits, ebops_code an EBOPS 2010
 * code (S, a group letter A..N, up to four more characters) — each after
 * normalisation. Empty values pass: an empty field is absent.
 * Returns 0, or DTS_EINPUT with a message naming the field, the value and
 * what is wrong. Thread-safe.
 */
DTS_API int dts_record_check(const dts_value *values, size_t n);

#ifdef __cplusplus
}
#endif
#endif
