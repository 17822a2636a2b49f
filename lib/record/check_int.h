/*
 * check_int.h — inside the library: the record checks keeping the values
 * they parsed (check.c), so that a caller which needs them (the aggregate)
 * does not parse the same bytes again.
 */
#ifndef DTS_CHECK_INT_H
#define DTS_CHECK_INT_H

#include "dts/money.h"
#include "dts/period.h"
#include "dts/record.h"
#include "dts/scanner.h"

/*
 * What dts__record_check_keep parsed: the value field as
 * dts_money_parse_currency read it (money, stated currency) and the
 * period field as dts_period_parse_span read it, both from the bytes as
 * bound (not normalised). have_value / have_period are 0 when the field
 * was absent or empty. Owned by the caller, usually on its stack.
 */
typedef struct dts__checked {
	int have_value, have_period;
	int period_iso;         /* the period was a plain ISO form, so
				   normalising leaves it as it is and
				   `period` is its dts_period
				   (dts__period_parse_span_iso) */
	dts_money value;
	char stated[DTS_CURRENCY_SIZE];
	dts_period_span span;
	dts_period period;      /* when period_iso */
} dts__checked;

/* dts_record_check(values, n), and what it parsed into *kept (NULL: kept
 * nowhere). On a failed check *kept is undefined. Thread-safe. */
int dts__record_check_keep(const dts_value *values, size_t n,
			   dts__checked *kept);

/* 1 when dts_field_normalize(field) leaves the n bytes at p as they are
 * (most fields of most records): a value kept from the bytes as bound is
 * then the normalised field's too, and normalising can be skipped. 0 says
 * nothing. Thread-safe. */
int dts__field_normalised(int field, const char *p, size_t n);

/* dts_source_classify's policy on values already bound (source.c): the
 * record checks, keeping what they parsed into *kept (NULL: nowhere), then
 * the classifier; a regex stopped by its match limit rejects the record
 * (DTS_EINPUT with the limit's message) instead of counting it in the
 * wrong category. The one place that policy is written: the aggregate
 * calls it too. Thread-safety: dts_scanner_classify's. */
int dts__classify_values(dts_result *out, dts__checked *kept, dts_scanner *sc,
			 const dts_value *vals, size_t n);

#endif
