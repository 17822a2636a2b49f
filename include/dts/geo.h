/*
 * dts/geo.h — the geography of the report: Hangzhou's districts and
 * zones in the plan's "4+4+1+5" layout (4 free-trade-zone lead districts,
 * 4 coordinated innovation districts, 1 airport economy zone inside
 * 萧山区, 5 whole-area linked districts), then "杭州市，区县不详" (Hangzhou,
 * district unknown) apart from "杭州市外" (outside Hangzhou).
 *
 * The cube needs a region:district dimension (dts/aggregate.h): its keys
 * are district codes, "330109.AIRPORT" for records of enterprises in the
 * area list (dts_agg_load_areas), 3301, OUTSIDE and UNKNOWN. A district's
 * row sums its own key and its areas' keys, so 萧山区 includes the airport
 * zone and the zone is its own row as well; the Hangzhou total counts each
 * record once.
 *
 *   dts_geo *g;
 *   dts_table *t;
 *   if (dts_geo_load(&g, "indicators/hangzhou-zones.csv",
 *                    "indicators/hangzhou-districts.csv") < 0 ||
 *       dts_geo_table(&t, g, cube, 2025, "DT", 4, 2, NULL) < 0) ...
 *
 * Threads: a loaded dts_geo is read-only; any number of threads may use it.
 */
#ifndef DTS_GEO_H
#define DTS_GEO_H

#include "common.h"
#include "cube.h"
#include "suppress.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_geo dts_geo;

/**
 * Read the layout: `districts` (columns code, parent, name_zh, name_en:
 * indicators/hangzhou-districts.csv) lists the rows in the layout's
 * order; `zones` (columns code, zone, zone_zh, zone_en: the shipped
 * indicators/hangzhou-zones.csv) gives each district its zone. A row with
 * a parent is an area inside that district and its own zone (the "1");
 * a row neither in `zones` nor with a parent (3301, OUTSIDE, UNKNOWN) is
 * outside the layout and shown only when it holds records. Errors: DTS_EIO, DTS_EINPUT naming file:line (a missing column,
 * a district of `zones` not named in `districts`, a parent that is not a
 * district), DTS_ENOMEM. Free with dts_geo_free().
 */
DTS_API int dts_geo_load(dts_geo **out, const char *zones,
			 const char *districts);

/** Free a layout. NULL is a no-op. */
DTS_API void dts_geo_free(dts_geo *g);

/**
 * The districts-and-zones table of `year` for the category `category`
 * ("DT", "DO", "CBEC" ...: the cube's category:top key) over both flows:
 * one row per layout row (zones in order, their districts, the areas),
 * then 3301, OUTSIDE and UNKNOWN when they hold records, then the
 * Hangzhou total (key "HANGZHOU": districts and 3301) and the total of all
 * records (DTS_SUPPRESS_TOTAL). Columns code (dimension), value (10^unit_exp,
 * `decimals` digits), name_zh, name_en, zone, zone_zh, zone_en,
 * enterprises, CONF_STATUS.
 *
 * With `sup` (NULL: none) the cube rolled up onto period:year,
 * region:district and the category is protected (dts_suppress_new(), its
 * margins included) and a suppressed cell shows "x" as value and
 * enterprises with CONF_STATUS A or D; a district whose own cell or an
 * area's is suppressed is shown "x" too (its sum would reveal it), with
 * the stronger status. Without `sup` CONF_STATUS is empty.
 *
 * Errors: DTS_EINVAL (the cube has no period:year, region:district or
 * category:top/category dimension; unit_exp or decimals out of range),
 * those of dts_suppress_new(), DTS_EOVERFLOW, DTS_ENOMEM. Title "Digital
 * trade by district and zone", dataflow DTS_DISTRICT, unit the cube's
 * currency, UNIT_MULT unit_exp. The caller frees *out. Only reads the
 * cube: thread-safe with other readers.
 */
DTS_API int dts_geo_table(dts_table **out, const dts_geo *g,
			  const dts_cube *cube, int year, const char *category,
			  int unit_exp, int decimals,
			  const dts_suppress_options *sup);

#ifdef __cplusplus
}
#endif
#endif
