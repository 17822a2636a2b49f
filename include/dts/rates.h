/*
 * dts/rates.h — exchange rates to the reporting currency, and currency codes.
 *
 * A rates file is CSV with the columns `period,currency,rate` (a header
 * line starting with "period" is skipped, as are blank lines and lines
 * starting with '#'): the rate is an exact decimal with at most
 * DTS_RATE_DECIMALS digits after the point, in reporting-currency units
 * per one unit of `currency` for that period, e.g. the monthly average
 * CNY per USD:
 *
 *     period,currency,rate
 *     2025-01,USD,7.1879
 *     2025-Q1,EUR,7.5321
 *     2025,JPY,0.0478
 *
 * The file is read with the library's CSV reader, in the dialect of
 * dts/csv.h: a field may be quoted ("2025-01"), and then its closing
 * quote must be followed by the comma or the line end; spaces around a
 * field are ignored; a UTF-8 BOM and CRLF line ends are fine. A comment
 * line is skipped even when it is not valid CSV.
 *
 * Periods are months, quarters or years (dts_period_parse forms). A record
 * is converted with the rate of its month, else of its quarter, else of
 * its year; a record dated only by year uses the year's rate.
 */
#ifndef DTS_RATES_H
#define DTS_RATES_H

#include "common.h"
#include "amount.h" /* dts_rate */
#include "period.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_rates dts_rates;

/**
 * Normalise a currency to its ISO 4217 code in out (4 bytes): three ASCII
 * letters (any case, spaces trimmed), a customs currency code (142 CNY,
 * 502 USD, 300 EUR, 303 GBP, 110 HKD, 116 JPY, 133 KRW, 132 SGD, 501 CAD,
 * 601 AUD, 331 CHF, 121 MOP, 143 TWD, 344 RUB, 609 NZD, 330 SEK), or a
 * common Chinese name (人民币, 美元, 欧元, 英镑, 港币, 日元). "RMB" is CNY.
 * DTS_EINPUT for anything else. Thread-safe.
 */
DTS_API int dts_currency_normalize(char out[4], const char *s, size_t len);

/**
 * Parse a rates file held in memory; `name` is used in errors, which give
 * name:line. `buf` is only read during the call. Errors: DTS_EINPUT (a
 * row the CSV reader refuses, with its reason and column; wrong number
 * of columns; bad period, currency or rate; a rate <= 0; a daily period;
 * a duplicate period+currency), DTS_ENOMEM. On success *out owns the
 * rates (dts_rates_free). Thread-safe.
 */
DTS_API int dts_rates_parse(dts_rates **out, const char *name,
			    const char *buf, size_t len);

/**
 * Check the rates against the reporting currency they convert to: a rate
 * given for `currency` itself is never used (records in the reporting
 * currency are not converted), so it is a mistake in the file, not data.
 * 0, or DTS_EINPUT with name:line of the first such rate. Tools call it
 * right after loading.
 */
DTS_API int dts_rates_check_reporting(const dts_rates *rates,
				      const char *currency);

/** Read and parse a rates file. Adds DTS_EIO to dts_rates_parse()'s errors. */
DTS_API int dts_rates_load(dts_rates **out, const char *path);

/** Free rates. NULL is a no-op. */
DTS_API void dts_rates_free(dts_rates *rates);

/** Number of (period, currency) rates. */
DTS_API size_t dts_rates_count(const dts_rates *rates);

/**
 * The rate for `currency` (ISO code as given by dts_currency_normalize)
 * at period p: the month's, else the quarter's, else the year's.
 * DTS_ENOTFOUND with a message naming the period and the currency when
 * none applies. Thread-safe (rates are immutable after parsing).
 */
DTS_API int dts_rates_lookup(dts_rate *out, const dts_rates *rates,
			     const dts_period *p, const char *currency);

/**
 * Parse an exact rate (a positive decimal, at most DTS_RATE_DECIMALS
 * decimals) into *out. DTS_EINPUT or DTS_EOVERFLOW.
 */
DTS_API int dts_rate_parse(dts_rate *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
