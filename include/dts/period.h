/*
 * dts/period.h — record periods: dates, months, quarters and years, and
 * the keys the cube and the rate tables use for them ("2025-03", "2025-Q1").
 *
 * Every function here is thread-safe and allocates nothing.
 */
#ifndef DTS_PERIOD_H
#define DTS_PERIOD_H

#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Precision of a period, coarse to fine. */
typedef enum dts_period_level {
	DTS_PERIOD_YEAR = 1,
	DTS_PERIOD_QUARTER = 2,
	DTS_PERIOD_MONTH = 3,
	DTS_PERIOD_DAY = 4
} dts_period_level;

/** A parsed period. Fields finer than `level` are 0 (quarter is derived from the month). */
typedef struct dts_period {
	int year;                /**< 1000..9999 */
	int quarter;             /**< 1..4, or 0 for a year */
	int month;               /**< 1..12, or 0 */
	int day;                 /**< 1..31, or 0 */
	dts_period_level level;  /**< how precise the input was */
} dts_period;

/**
 * Parse a record period: "2025-03-14", "20250314", "2025-03", "202503",
 * "2025-Q1" (also "2025Q1", caseless q), "2025". Surrounding spaces are
 * ignored; "2025/03" and "2025.03" are accepted like "2025-03". Days are
 * checked against the month (leap years included). Anything else is
 * DTS_EINPUT with a message quoting the input. Thread-safe.
 */
DTS_API int dts_period_parse(dts_period *out, const char *s, size_t len);

/**
 * Write the key of `p` at `level` into buf: "2025", "2025-Q1", "2025-03"
 * or "2025-03-14". Returns the length written; DTS_EINPUT when p is less
 * precise than level (a year has no month), DTS_EINVAL when buf is too
 * small (12 bytes always suffice).
 */
DTS_API int dts_period_key(char *buf, size_t size, const dts_period *p,
			   dts_period_level level);

/**
 * Parse a level name: "year", "quarter", "month", "day". Returns the
 * dts_period_level, or DTS_ENOTFOUND.
 */
DTS_API int dts_period_level_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif
