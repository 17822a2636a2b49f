/*
 * dts/page.h — the monitoring page: the report of one year as one
 * self-contained HTML file (inline CSS and SVG, no script, no font, no
 * request: a Content-Security-Policy of default-src 'none' says so to the
 * browser), as a commerce bureau would publish it and print it as the
 * blue book's chapter (A4 print CSS).
 *
 * Sections, each chart drawn here from the cube with its figures in a
 * table next to it and a source line under it: the annex table (value,
 * target, attainment as a bar, 同比, ratio goals met / not met); over a
 * cube with period:month too, the monthly and 1-N月 cumulative trends of
 * DT, CBEC and DD (the annex's I1, I3, I2) of the year as lines, the
 * previous year's same months dashed, with 同比 and 累计同比 from
 * dts_report_period_table() (like for like) and the not-allocated cells
 * (YYYY-NA) in a note so that the months add up to the year; the five
 * categories and DO / DD by year, stacked; the boundary table (goods /
 * services x digital / not digital); districts and zones (dts/geo.h) as
 * a ranked bar chart with suppressed cells shown as suppressed; notes:
 * vintage, status, classifier id@version, sources with their SHA-256, the
 * definitions. Chinese with English labels, or English (DTS_PAGE_EN).
 * Money in 亿元 as the annex, charts in 万元 when the largest bar is below
 * 1 亿元. Charts use zero baselines and say their unit on the axis.
 *
 * The page depends only on its inputs: the same report, cube and options
 * give the same bytes (the golden test holds it). Nothing is read from
 * the clock or the environment.
 */
#ifndef DTS_PAGE_H
#define DTS_PAGE_H

#include <stdio.h>

#include "common.h"
#include "cube.h"
#include "geo.h"
#include "report.h"
#include "suppress.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Languages of the page. */
enum {
	DTS_PAGE_ZH = 0,   /**< Chinese, with English labels (default) */
	DTS_PAGE_EN = 1    /**< English */
};

#define DTS_PAGE_OPTIONS_VERSION 1

/** Options for dts_page_write(); start from DTS_PAGE_OPTIONS_INIT. */
typedef struct dts_page_options {
	unsigned version;          /**< DTS_PAGE_OPTIONS_VERSION */
	int year;                  /**< the report year; 0: the latest */
	int lang;                  /**< DTS_PAGE_ZH or DTS_PAGE_EN */
	const dts_geo *geo;        /**< the layout for the district section
				        (the cube needs region:district);
				        NULL: no district section */
	const dts_suppress_options *suppress; /**< protect the district
				        table (dts_geo_table); NULL: none */
} dts_page_options;

#define DTS_PAGE_OPTIONS_INIT { DTS_PAGE_OPTIONS_VERSION, 0, DTS_PAGE_ZH, NULL, NULL }

/**
 * Write the page of `report` (computed over `cube` by
 * dts_report_compute()) to f, or hand its bytes to cb. Errors: DTS_EINVAL
 * (report not computed, an unknown options version or language),
 * DTS_ENOTFOUND ("no data for YEAR") when the year is not a data year,
 * those of dts_geo_table() and dts_report_boundary_table(), DTS_EIO (f),
 * DTS_ENOMEM, or cb's non-zero return unchanged. Only reads its
 * arguments: thread-safe on a report no thread changes.
 */
DTS_API int dts_page_write(const dts_report *report, const dts_cube *cube,
			   const dts_page_options *opts, FILE *f);
DTS_API int dts_page_write_cb(const dts_report *report, const dts_cube *cube,
			      const dts_page_options *opts, dts_write_cb cb,
			      void *payload);

#ifdef __cplusplus
}
#endif
#endif
