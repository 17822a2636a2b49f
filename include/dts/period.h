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
 * Parse a record period. Accepted forms:
 *   - ISO and compact: "2025-03-14", "20250314", "2025-03", "202503",
 *     "2025-Q1" (also "2025Q1", caseless q), "2025"; '/' and '.' may
 *     stand for '-' ("2025/03", "2025.03.14"); with '/' the month and day
 *     may have one digit ("2025/1/7", "2025/3");
 *   - a date with a time, a day: "2025-01-03 10:21:33",
 *     "2025-01-03T10:21:33Z", "2025/01/07 08:15", "2025/1/7 8:15",
 *     optional seconds, fraction (".123") and offset ("Z", "+08:00",
 *     "+0800"). The time is checked (hour 0..23, minute 0..59, second
 *     0..60) and dropped: the period is the calendar date as written, an
 *     offset does not move it;
 *   - Chinese: "2025年" and "2025年度" (year), "2025年3月" / "2025年03月"
 *     (month), "2025年3月5日" (day, "号" for "日" too), "2025年第一季度",
 *     "2025年第1季度", "2025年一季度", "2025年1季度", "2025年Q1"
 *     (quarter), "2025年全年" and "2025年1-12月" (the year), "2025年1-3月"
 *     .. "2025年10-12月" (a quarter: a span of exactly one quarter, the
 *     cumulative "1-3月" included), "2025年3-3月" (the month). The range
 *     dash may be '-', '~', '－', '～', '—', '–' or '至', with an optional
 *     月 after the first month ("2025年1月-3月").
 * Full-width digits and punctuation fold; surrounding blanks are ignored.
 * Days are checked against the month (leap years included).
 * Half years ("2025年上半年", "2025年1-6月", "2025-H1", "2025-S1") and
 * other spans of months ("2025年1-5月") are not a year, quarter, month or
 * day: they are DTS_EINPUT with a message that names the span in its
 * SDMX form and says dts_period_parse_span() reads it; the cube
 * aggregates records by dts_period and cannot place such a period.
 * Anything else is DTS_EINPUT, "invalid period \"...\": ..." quoting the
 * input. Thread-safe.
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

/**
 * A period as a span of whole months of one year, for the periods of
 * surveys and cumulative statistics that are not a dts_period: half years
 * and year-to-date spans ("2025年1-5月"). A dts_period is a span too: a
 * year is months 1..12, a quarter 3 months, a month one, and a day one
 * month with `day` set.
 */
typedef struct dts_period_span {
	int year;         /**< 1000..9999 */
	int first_month;  /**< 1..12 */
	int last_month;   /**< first_month..12 */
	int day;          /**< 1..31 for a single day (first_month ==
			       last_month), else 0 */
} dts_period_span;

/**
 * Parse every form dts_period_parse() accepts, and spans of months:
 *   - half years: "2025年上半年", "2025年下半年", "2025年1-6月",
 *     "2025年7-12月", "2025-H1", "2025H2", "2025-S1" (SDMX), caseless;
 *   - any span of months of one year: "2025年1-5月", "2025年1—5月",
 *     "2025年1～5月", "2025年3-5月" (dashes as for dts_period_parse);
 *     the first month may not come after the last;
 *   - SDMX time ranges of whole months starting on the 1st, as
 *     dts_period_span_key() writes them: "2025-01-01/P5M".
 * Returns 0, or DTS_EINPUT "invalid period \"...\": ..." quoting the
 * input. Thread-safe.
 */
DTS_API int dts_period_parse_span(dts_period_span *out, const char *s,
				  size_t len);

/**
 * Write the SDMX 2.1 TIME_PERIOD of a span (SDMXCommon.xsd,
 * ObservationalTimePeriodType): the year "2025", a semester "2025-S1" /
 * "2025-S2" (ReportingSemesterType), a quarter "2025-Q1", a month
 * "2025-03", a day "2025-03-14", and any other span as a time range,
 * start date / duration (TimeRangeType): "2025-01-01/P5M" for January to
 * May. Returns the length written; DTS_EINPUT for a span that is not one
 * (months out of order or range, a day on a span of months), DTS_EINVAL
 * when buf is too small (DTS_PERIOD_SPAN_KEY_SIZE bytes always suffice).
 */
DTS_API int dts_period_span_key(char *buf, size_t size,
				const dts_period_span *span);

/** Bytes that always hold dts_period_span_key()'s key and its NUL. */
#define DTS_PERIOD_SPAN_KEY_SIZE 20

/**
 * The dts_period of a span that is a year, a quarter, a month or a day;
 * DTS_EINPUT for a half year or another span ("2025-S1 is not a year,
 * quarter, month or day"), with *out untouched. Thread-safe.
 */
DTS_API int dts_period_from_span(dts_period *out, const dts_period_span *span);


/* ---- cells of a period dimension ------------------------------------------ */

/**
 * The precision of a period dimension of the cube (dts/aggregate.h,
 * period:year, period:half, period:quarter, period:month), coarse to fine.
 * Apart from dts_period_level, whose values are the released ones and
 * have no half year.
 */
typedef enum dts_period_grain {
	DTS_GRAIN_YEAR = 1,
	DTS_GRAIN_HALF = 2,
	DTS_GRAIN_QUARTER = 3,
	DTS_GRAIN_MONTH = 4
} dts_period_grain;

/**
 * Parse a grain name: "year", "half", "quarter", "month". Returns the
 * dts_period_grain, or DTS_ENOTFOUND. Thread-safe.
 */
DTS_API int dts_period_grain_parse(const char *name);

/**
 * What follows "YYYY-" in the key of a year's not-allocated cell,
 * "2025-NA": the records of 2025 whose period is coarser than the
 * dimension's cells (an annual or half-year survey figure in a month or
 * quarter dimension, a quarterly BOP figure in a month dimension).
 */
#define DTS_PERIOD_NA "NA"

/**
 * Write the key of the cell of a `grain` dimension that holds a record of
 * period `span`: the year "2025", the half "2025-S1", the quarter
 * "2025-Q1" or the month "2025-03" that contains it (a day is in its
 * month), or, when the span is not inside one cell (a year, a half year or
 * 2025年1-5月 in a month dimension; a year in a half-year dimension), the
 * year's not-allocated cell "2025-NA". So every record of a year lands in
 * exactly one cell of that year, and the year's total is the sum of its
 * cells, the not-allocated one included. Returns the length written;
 * DTS_EINPUT for an invalid span, DTS_EINVAL for a bad grain or when buf
 * is too small (DTS_PERIOD_SPAN_KEY_SIZE bytes always suffice).
 * Thread-safe.
 */
DTS_API int dts_period_cell_key(char *buf, size_t size,
				const dts_period_span *span,
				dts_period_grain grain);

/**
 * Read a key dts_period_cell_key() writes (`len` bytes, no blanks): sets
 * *out to its span (months 1..12 for a year and for "2025-NA") and
 * returns its grain (DTS_GRAIN_*), or 0 for a not-allocated cell.
 * DTS_EINPUT for anything else, quoting it. Thread-safe.
 */
DTS_API int dts_period_cell_parse(dts_period_span *out, const char *key,
				  size_t len);

#ifdef __cplusplus
}
#endif
#endif
