/*
 * dts/amount.h — exact amounts in the reporting currency and exchange
 * rates: a money value (dts/money.h) times a rate, kept without rounding.
 * The cube sums them (dts/cube.h); rate tables give the rates (dts/rates.h).
 *
 * Every function here is thread-safe (each works only on its arguments)
 * and allocates nothing.
 */
#ifndef DTS_AMOUNT_H
#define DTS_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An exact amount in the reporting currency: a signed 128-bit count of
 * 10^-DTS_AMOUNT_DECIMALS units, stored as two 64-bit halves so the
 * header stays ISO C. It holds a money value (10^-4) times a rate
 * (10^-DTS_RATE_DECIMALS) without rounding, and sums of such products up
 * to about ±1.7 * 10^24 units. Rounding happens only when formatted.
 */
typedef struct dts_amount {
	uint64_t lo; /**< low 64 bits (two's complement) */
	int64_t hi;  /**< high 64 bits, carries the sign */
} dts_amount;

#define DTS_RATE_DECIMALS 10
#define DTS_AMOUNT_DECIMALS 14 /* DTS_MONEY_DECIMALS + DTS_RATE_DECIMALS */

/** A rate: units of the reporting currency per unit, times 10^DTS_RATE_DECIMALS. */
typedef int64_t dts_rate;
#define DTS_RATE_ONE ((dts_rate)10000000000)

/** Zero. */
#define DTS_AMOUNT_ZERO { 0, 0 }

/** *out = value * rate, exact (cannot overflow). */
DTS_API void dts_amount_convert(dts_amount *out, dts_money value, dts_rate rate);

/** *acc += v, or DTS_EOVERFLOW with *acc unchanged. */
DTS_API int dts_amount_add(dts_amount *acc, const dts_amount *v);

/**
 * *acc += value * rate, exact, or DTS_EOVERFLOW with *acc unchanged: the
 * cube's own accumulation. Anything that sums money (reconciliation, rule
 * diffs) uses it with DTS_RATE_ONE, so a sum past the int64 range of
 * dts_money stays exact (about ±1.7 * 10^10 times more headroom) instead
 * of failing where the cube would not.
 */
DTS_API int dts_amount_add_money(dts_amount *acc, dts_money value, dts_rate rate);

/** *acc -= v, or DTS_EOVERFLOW with *acc unchanged. */
DTS_API int dts_amount_sub(dts_amount *acc, const dts_amount *v);

/** -1, 0 or 1 as a <, ==, > b. */
DTS_API int dts_amount_cmp(const dts_amount *a, const dts_amount *b);

/**
 * Format `a` in units of 10^unit_exp (0 yuan, 4 wan yuan, 8 yi yuan) with
 * `decimals` (0..14) digits after the point, rounding half away from zero
 * once. Returns the length written, or DTS_EINVAL (bad arguments or buf
 * too small; 64 bytes always suffice).
 */
DTS_API int dts_amount_format(char *buf, size_t size, const dts_amount *a,
			      int unit_exp, int decimals);

/**
 * Parse an exact amount written as a decimal with at most
 * DTS_AMOUNT_DECIMALS digits after the point (the partial format's form).
 * DTS_EINPUT when malformed, DTS_EOVERFLOW when out of range.
 */
DTS_API int dts_amount_parse(dts_amount *out, const char *s, size_t len);

/** The amount as a double, for ratios and charts only (never for sums). */
DTS_API double dts_amount_to_double(const dts_amount *a);

/**
 * The percentage 100 * num / den, exact, written with `decimals` (0..14)
 * digits after the point and rounded half away from zero once, from the
 * exact quotient (never through double): 1 of 8 at 2 decimals is
 * "12.50", 1 of 3 "33.33", -1 of 8 at 1 decimal "-12.5", -1 of 30000 at 2
 * "0.00" (no negative zero). Both amounts must be in the same units (any
 * scale: the ratio is what counts). The one percentage routine of libdts:
 * shares, growth rates (num = x(t) - x(t-1), den = x(t-1)), attainment
 * and reconciliation gaps all use it.
 *
 * Returns the length written. Errors: DTS_EINVAL when den is zero
 * ("percent of zero": show the figure as missing), when decimals is out of
 * range or buf too small (64 bytes always suffice); DTS_EOVERFLOW when
 * the percentage is beyond about 1.7 * 10^24. buf is unchanged on error.
 * Thread-safe.
 */
DTS_API int dts_amount_percent(char *buf, size_t size, const dts_amount *num,
			       const dts_amount *den, int decimals);

#ifdef __cplusplus
}
#endif
#endif
