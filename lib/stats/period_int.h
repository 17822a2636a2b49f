/*
 * period_int.h — inside the library: the period parse that also says
 * when its direct ISO reading took the field (period.c), for the record
 * checks, which keep it for the aggregate (check_int.h).
 */
#ifndef DTS_PERIOD_INT_H
#define DTS_PERIOD_INT_H

#include "dts/period.h"

/*
 * dts_period_parse_span(out, s, len), returning 1 instead of 0 when s
 * was one of the plain forms "2025-03-14", "20250314", "2025-03" or
 * "202503" (ASCII digits and '-' only, nothing around them), with *iso
 * (NULL: nowhere) then what dts_period_parse gives for s, which is also
 * dts_period_from_span of *out. 0 for any other form it reads, < 0 as
 * dts_period_parse_span. Thread-safe.
 */
int dts__period_parse_span_iso(dts_period_span *out, dts_period *iso,
			       const char *s, size_t len);

#endif
