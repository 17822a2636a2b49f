/*
 * dts/unit.h — the unit a table states for its amounts: 万元, 千美元,
 * "USD thousand", found in a header ("出口额（万元）") or a unit row
 * ("单位：万元"), applied exactly with dts_money_parse_scaled() or
 * dts_money_scale() (dts/money.h).
 *
 * Every function here is thread-safe and allocates nothing.
 */
#ifndef DTS_UNIT_H
#define DTS_UNIT_H

#include <stddef.h>

#include "common.h"
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A unit of amounts: 10^exp of a currency. */
typedef struct dts_unit {
	int exp;                          /**< 0 元, 3 千元, 4 万元, 8 亿元 (0..12) */
	char currency[DTS_CURRENCY_SIZE]; /**< ISO code the unit names ("CNY" for
					       元, "USD" for 美元), or "" */
} dts_unit;

/**
 * Parse a unit name. Chinese: a multiplier 十 百 千 万 十万 百万 千万 亿
 * 十亿 百亿 千亿 万亿 (10^1 .. 10^12), or none, then a currency 元 (CNY),
 * 人民币 / 人民币元 (CNY), 美元 (USD), 港元 / 港币 (HKD), 欧元 (EUR),
 * 英镑 (GBP), 日元 (JPY), or none ("万" alone); "万元人民币" and
 * "人民币万元" are CNY 10^4. English, caseless, blanks between words: a
 * currency (an ISO code, "US dollar(s)", "dollar(s)" = USD, "yuan" or
 * "RMB" = CNY, "euro(s)") and a multiplier ("thousand(s)", "'000",
 * "1,000", "million(s)", "mn", "1,000,000", "billion(s)", "bn", "hundred
 * million(s)", "ten thousand(s)"; "in" and "of" are skipped) in
 * either order: "USD thousand", "thousand US dollars", "USD '000",
 * "CNY million", "thousand". A bare currency ("元", "USD") is 10^0.
 * Full-width forms fold; surrounding blanks are ignored.
 * Returns 0, or DTS_EINPUT "unknown unit: '...'" with *out untouched.
 */
DTS_API int dts_unit_parse(dts_unit *out, const char *s, size_t len);

/**
 * Find the unit a header or a unit row states:
 *   - a header with the unit in brackets at its end, ASCII or full-width
 *     ( ) [ ] or 【 】: "出口额（万元）", "金额(千美元)", "Value (USD
 *     thousand)"; *name_len gets the length of the name before the
 *     bracket, blanks trimmed ("出口额"), so the caller binds that;
 *   - a unit row cell "单位：万元", "金额单位：千美元", "单位: 万美元",
 *     "Unit: USD thousand" (ASCII or full-width colon; caseless "unit" /
 *     "units"); *name_len gets 0;
 *   - a cell that is a unit and nothing else ("万元"); *name_len gets 0.
 * Returns 0 with *out set; DTS_ENOTFOUND when the text states no unit
 * ("出口额", or a bracket holding something else, "商品名称(中文)",
 * "重量(千克)"), without setting an error; DTS_EINPUT when a unit row
 * names a unit that is not one ("unknown unit '千克' in '单位：千克'").
 * name_len may be NULL. Thread-safe.
 */
DTS_API int dts_unit_find(dts_unit *out, size_t *name_len, const char *text,
			  size_t len);

#ifdef __cplusplus
}
#endif
#endif
