/*
 * dts/report.h — the monitoring report: indicators defined in a file,
 * computed from a cube, with targets, attainment, growth and shares, and
 * the boundary table between digital and ordinary goods / services trade.
 *
 * A definition file (the shipped indicators/hangzhou-annex.csv; format in
 * docs/statistics.md) is CSV with the header
 * id,no,kind,categories,flows,base,of,target,unit,name_zh,name_en. Each
 * row is an indicator:
 *   sum       the cube's value over `categories` ("+"-separated among DT DO
 *             DD CBEC TECH SERV PROD DATA NONE, or ALL = the five and
 *             NONE), `flows` (X, M, X+M) and `base` (goods, services, or
 *             empty for both);
 *   share     of=NUM/DEN: 100 * NUM / DEN, two indicators defined above;
 *   growth    of=ID: 100 * (ID(t) - ID(t-1)) / ID(t-1), the previous year
 *             in the data;
 *   reported  a value read from a reported file (dts_report_load_reported).
 * `target` is the indicator's own goal: empty, a number (a target for
 * every year), or a comparison >N, >=N, <N, <=N (met / not met); N may end
 * in '%'. `unit` 亿元, 万元 or 元 scales money sums (a sum is shown in its
 * unit); any other unit is shown as is.
 *
 *   dts_report *r;
 *   dts_report_row row;
 *   const int *years;
 *   if (dts_report_load(&r, "indicators/hangzhou-annex.csv") < 0 ||
 *       dts_report_load_targets(r, "indicators/hangzhou-targets.csv") < 0 ||
 *       dts_report_compute(r, cube, 2) < 0) ...   // cube: DTS_REPORT_DIMS
 *   for (size_t y = 0; y < dts_report_years(r, &years); y++)
 *           for (size_t i = 0; i < dts_report_count(r); i++) {
 *                   dts_report_row_get(&row, r, i, y);
 *                   printf("%s %d %s\n", row.indicator->id, row.year,
 *                          row.missing ? "missing" : row.value);
 *           }
 *   dts_report_free(r);
 *
 * Every figure is exact: sums are the cube's exact amounts, rounded once
 * when shown; shares, growth rates and attainment are exact percentages
 * (dts_amount_percent), rounded half away from zero once, never through
 * double. Money indicators are compared in the reporting currency, so a
 * share of a 万元 indicator in a 亿元 one is the true share. A share or
 * growth computed from another share or growth uses that percentage to
 * DTS_AMOUNT_DECIMALS decimals.
 *
 * The cube is any cube with the dimensions of DTS_REPORT_DIMS: built with
 * dts_cube_add(), or read from partials (dts_cube_load_partial() of each,
 * dts_cube_merge() into one) as dts-aggregate --partial writes them.
 *
 * Errors in any of the files name file:line (dts_error_last()). Nothing is
 * overwritten silently: a duplicate indicator id is an error, and a second
 * targets row for one indicator or a second reported value for one
 * indicator and year is an error naming both lines.
 *
 * Thread-safety: a dts_report is changed (load, parse, compute, book) by
 * one thread at a time; a computed report no thread changes may be read
 * (rows, years, annex table) by many. The functions taking only a const
 * cube (dts_report_sum, dts_report_boundary, dts_report_boundary_table)
 * are thread-safe.
 */
#ifndef DTS_REPORT_H
#define DTS_REPORT_H

#include "common.h"
#include "aggregate.h"
#include "cube.h"
#include "table.h"
#include "rates.h"
#include "rules.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The dimensions a report's cube needs, in the order dts-aggregate
 * --partial writes them for dts-report. A cube may have further
 * dimensions (they are summed over) and these in any order; the category
 * dimension may also be named "category" (top codes only).
 */
#define DTS_REPORT_DIMS "period:year,flow,category:top,base"

/**
 * The dimensions dts-report aggregates records by: DTS_REPORT_DIMS with
 * the period by month, so the report knows how far each year's data
 * reach (a part year) and can give the tables by period. Any period grain
 * will do in place of period:year (period:month, :quarter, :half); a
 * cube by year gives no coverage and its years are taken as complete.
 * A cube with period:year and a finer period (dts-report -f html: the
 * year for the districts' suppression, the month for the trends) is
 * taken by the finer one.
 */
#define DTS_REPORT_DIMS_MONTHLY "period:month,flow,category:top,base"

/**
 * DTS_REPORT_DIMS_MONTHLY and the records' source (the canonical field
 * `source`, "unknown" when a record has none): the cube dts-report builds
 * from records, and the --by for partials whose report should check which
 * sources each sum takes (the definition's `sources` column). A cube
 * without a source dimension sums every source and says its scope was
 * not checked.
 */
#define DTS_REPORT_SOURCE_DIMS DTS_REPORT_DIMS_MONTHLY ",source"

typedef struct dts_report dts_report;

/** What an indicator is computed from. */
typedef enum dts_indicator_kind {
	DTS_INDICATOR_SUM = 1,
	DTS_INDICATOR_SHARE = 2,
	DTS_INDICATOR_GROWTH = 3,
	DTS_INDICATOR_REPORTED = 4
} dts_indicator_kind;

/** One indicator of a definition file. Strings are owned by the report. */
typedef struct dts_indicator {
	const char *id;         /**< unique id, used by `of` and reported files */
	const char *no;         /**< annex number (targets match it), or "" */
	dts_indicator_kind kind;
	const char *unit;       /**< 亿元, 万元, 元, %, 家 ... */
	int unit_exp;           /**< 8 for 亿元, 4 for 万元, else 0 */
	const char *goal;       /**< the definition's target column, or "" */
	const char *name_zh;
	const char *name_en;
	uint64_t line;          /**< line of its definition */
} dts_indicator;

/**
 * Read a definition file held in `len` bytes of `buf` (which need not
 * stay valid after the call); `name` (may be NULL) names it in errors.
 * Errors, all DTS_EINPUT naming name:line: a missing column ("missing
 * column \"of\""), a malformed CSV record, an empty or duplicate id, an
 * unknown kind, an unknown category ("unknown category ... \"XYZ\""), a
 * sum without categories or flows, a bad base, a share or growth naming
 * an indicator not defined above it, a malformed target; DTS_ENOMEM. On
 * success *out owns a new report (no data yet: dts_report_compute).
 * Thread-safe.
 */
DTS_API int dts_report_parse(dts_report **out, const char *name,
			     const char *buf, size_t len);

/** Read a definition file (or stdin for "-"). Adds DTS_EIO naming the path. */
DTS_API int dts_report_load(dts_report **out, const char *path);

/** Free a report and everything it owns. NULL is a no-op. */
DTS_API void dts_report_free(dts_report *report);

/** Number of indicators, in definition order. */
DTS_API size_t dts_report_count(const dts_report *report);

/** Indicator i (0-based), owned by the report; NULL when out of range. */
DTS_API const dts_indicator *dts_report_indicator(const dts_report *report,
						  size_t i);

/**
 * Index of the first indicator whose id, or else whose non-empty annex
 * number, is `id_or_no` (as the targets and reported files match them),
 * or DTS_ENOTFOUND.
 */
DTS_API int dts_report_find(const dts_report *report, const char *id_or_no);

/**
 * Read the yearly targets: CSV with a column `no` (matched with
 * dts_report_find) and year columns y2024, y2025 ...; other columns are
 * ignored, as are rows for indicators the report does not define. An
 * empty cell is no target. Errors (DTS_EINPUT, name:line): no `no` or no
 * year column, a malformed CSV record, a value that is not an amount, a
 * negative target, a second row for one indicator (naming both lines).
 * The targets read replace those of an earlier call only when the call
 * succeeds. Call before dts_report_compute().
 */
DTS_API int dts_report_parse_targets(dts_report *report, const char *name,
				     const char *buf, size_t len);

/** Read a targets file (or stdin for "-"). Adds DTS_EIO naming the path. */
DTS_API int dts_report_load_targets(dts_report *report, const char *path);

/**
 * Read reported values: CSV with columns `id` (or `no`), `year` and
 * `value`; other columns are ignored, lines starting with '#' after the
 * header are comments. An empty value is missing (never zero). Errors
 * (DTS_EINPUT, name:line): a missing column, too few or too many fields
 * (an unquoted "1,234" is three fields, never the value 1), an indicator
 * that is not of kind reported, a bad year, a value that is not an
 * amount, a second value for one indicator and year (naming both lines).
 * The values read replace those of an earlier call, all or nothing: on
 * error the report keeps its earlier values. Call before
 * dts_report_compute().
 */
DTS_API int dts_report_parse_reported(dts_report *report, const char *name,
				      const char *buf, size_t len);

/** Read a reported file (or stdin for "-"). Adds DTS_EIO naming the path. */
DTS_API int dts_report_load_reported(dts_report *report, const char *path);

/**
 * Compute every indicator for every year of `cube`'s period dimension
 * (period:year, or a finer one, DTS_REPORT_DIMS_MONTHLY: the years of its
 * cells, the not-allocated "2025-NA" included; ascending), showing money
 * sums with `decimals` (0..14) digits in their unit; shares and growth
 * rates have 2 decimals, attainment 1. A sum over no records is 0 (the
 * data were read); a share or growth whose denominator is missing or
 * zero is missing; a growth needs the previous calendar year in the data,
 * covering the same months (like for like: with a finer cube a year's
 * coverage is its last month with data; a cube by year counts every year
 * as complete): otherwise a sum's growth is "not comparable: 1-3月 vs
 * 1-12月" and a growth indicator is missing. On a part year the targets
 * and goals of sums, shares and growth rates read "year not complete";
 * reported values keep their attainment.
 * Targets and goals are compared only when the cube's currency is CNY,
 * the plan's (dts_report_targets_compared()); in another currency every
 * row's target and attainment are "". The cube's status is kept for the
 * SDMX tables. The cube is only read during the call. May be called again (with another
 * cube); rows from an earlier call are then invalid.
 * Errors: DTS_EINVAL (decimals out of range; the cube lacks a dimension
 * of DTS_REPORT_DIMS, named), DTS_EOVERFLOW (naming the indicator),
 * DTS_ENOMEM.
 */
DTS_API int dts_report_compute(dts_report *report, const dts_cube *cube,
			       int decimals);

/**
 * The data years of the last dts_report_compute(), ascending: *years
 * (when years is not NULL) points to an array owned by the report, valid
 * until the next compute or free. Returns their number: 0 before compute
 * and after a compute that failed (no rows from a half-computed report).
 */
DTS_API size_t dts_report_years(const dts_report *report, const int **years);

/**
 * One indicator in one year, as the annex table shows it. Strings are
 * owned by the report and valid until the next compute or free; none is
 * NULL.
 */
typedef struct dts_report_row {
	const dts_indicator *indicator;
	int year;
	int missing;            /**< 1: no value (value is "") */
	const char *value;      /**< sums in the unit with the decimals asked,
				     reported values as written, percentages
				     with 2 decimals */
	dts_amount exact;       /**< the value, exact, at 10^-14: money in the
				     reporting currency's unit (not scaled to
				     亿元), reported values in their unit,
				     percentages truncated (0 when missing) */
	const char *target;     /**< the year's target, else the goal, or "" */
	int yearly_target;      /**< 1: target is the year's (targets file) */
	const char *attainment; /**< value / target in percent ("101.6"),
				     "met" / "not met" for a goal, or "" */
	const char *growth;     /**< sums and reported values: growth on the
				     previous year in percent ("11.57"), or "" */
} dts_report_row;

/**
 * Fill *out with indicator i in data year index y (0 .. count-1 of
 * dts_report_years()). DTS_EINVAL when either is out of range or before
 * dts_report_compute(). Thread-safe on a report no thread changes.
 */
DTS_API int dts_report_row_get(dts_report_row *out, const dts_report *report,
			       size_t i, size_t y);

/**
 * The sum a `sum` indicator computes, for one spec and year: *out gets
 * the exact value over the cells of `year` whose category is among
 * `categories` ("DT", "CBEC+TECH", "ALL"), whose flow is among `flows`
 * ("X", "M", "X+M") and, unless `base` is NULL or "", whose base is
 * `base` ("goods", "services"). Errors: DTS_EINPUT (a bad spec, as in a
 * definition file), DTS_EINVAL (the cube lacks a dimension of
 * DTS_REPORT_DIMS), DTS_EOVERFLOW. Thread-safe.
 */
DTS_API int dts_report_sum(dts_amount *out, const dts_cube *cube, int year,
			   const char *categories, const char *flows,
			   const char *base);

/** Rows, columns and measures of the boundary table. */
enum {
	DTS_BOUNDARY_GOODS = 0,     /**< base: goods */
	DTS_BOUNDARY_SERVICES = 1,  /**< base: services */
	DTS_BOUNDARY_UNKNOWN = 2,   /**< base: neither (records without one) */
	DTS_BOUNDARY_BASES = 3,     /**< base: all of them */
	DTS_BOUNDARY_DIGITAL = 0,   /**< category DT */
	DTS_BOUNDARY_ORDINARY = 1,  /**< category NONE: not digital trade */
	DTS_BOUNDARY_BOTH = 2,      /**< digital and not */
	DTS_BOUNDARY_EXPORT = 0,    /**< flow X */
	DTS_BOUNDARY_IMPORT = 1,    /**< flow M (any other flow counts here too) */
	DTS_BOUNDARY_FLOWS = 2      /**< export and import */
};

/**
 * The boundary table of one year: value[base][digital][flow], exact, in
 * the cube's currency, with totals on every side (index
 * DTS_BOUNDARY_BASES, _BOTH, _FLOWS), so every row, column and block adds
 * up to the last digit.
 */
typedef struct dts_boundary {
	int year;
	dts_amount value[4][3][3];
} dts_boundary;

/**
 * Fill *out with the boundary table of `year` (goods / services x DT /
 * NONE x export / import). Errors: DTS_EINVAL (the cube lacks a dimension
 * of DTS_REPORT_DIMS), DTS_EOVERFLOW. Thread-safe.
 */
DTS_API int dts_report_boundary(dts_boundary *out, const dts_cube *cube,
				int year);

/* ---- bases: computed or supplied, coverage, sources ----------------------- */

/** Where a figure comes from (dts_report_origin()). */
typedef enum dts_report_origin_kind {
	DTS_ORIGIN_COMPUTED = 0,   /**< from the cube (sums, shares, growth) */
	DTS_ORIGIN_SUPPLIED = 1,   /**< a sum's value given in the reported file */
	DTS_ORIGIN_REPORTED = 2    /**< an indicator of kind reported */
} dts_report_origin_kind;

/**
 * The origin (DTS_ORIGIN_*) of indicator i in data year index y after
 * dts_report_compute(): a sum is computed unless the reported file
 * supplies its value for that year (an official total such as all
 * services exports, which then replaces the sum and is what shares and
 * growth rates use). DTS_EINVAL out of range or before compute.
 */
DTS_API int dts_report_origin(const dts_report *report, size_t i, size_t y);

/**
 * What indicator i in data year index y is based on, as the annex's
 * basis column shows it, owned by the report (valid until the next
 * compute or free); NULL out of range or before compute. A sum:
 * "computed" or "supplied", then "; covers only cbec of customs+cbec:
 * not comparable" when sources its definition names have no records,
 * "; sources not checked (the cube has no source dimension)" (or "(the
 * records do not say their source)"), "; 12 records of unknown source
 * counted" (they count in every sum, never dropped), "; 3
 * records of unknown base (0.12 亿元) not in it" when a sum of one base
 * leaves records that have none, "; growth on base 2024 supplied". A
 * share: "DDX computed / SVX supplied" (with a partial part's coverage);
 * a growth: "DTX computed; base 2024 supplied". Reported: "reported".
 */
DTS_API const char *dts_report_basis(const dts_report *report, size_t i,
				     size_t y);

/**
 * 1 when indicator i in data year index y may be compared with its
 * target: no sum it is computed from misses a source its definition
 * names (a supplied value is complete). 0 otherwise: its attainment is
 * "not comparable", never "met"; also 0 out of range or before compute.
 */
DTS_API int dts_report_comparable(const dts_report *report, size_t i,
				  size_t y);

/**
 * Each source's contribution to each sum indicator in `year` (0: every
 * data year): columns id, year, source (dimensions), records, value (in
 * the indicator's unit, the decimals of the last compute), counted
 * ("yes", "no: not among its sources"; text), indicator_en. After each
 * sum's sources a row "(unknown base)" when records of neither base were
 * left out of a goods or services sum, and a row "(total)": the sum as
 * computed from the cube. A cube without a source dimension gives one
 * row "(all)" per sum. *out is a new table the caller frees. Errors:
 * DTS_EINVAL (before compute, the cube lacks a dimension of
 * DTS_REPORT_DIMS), DTS_EOVERFLOW, DTS_ENOMEM. `cube` must be the one
 * computed.
 */
DTS_API int dts_report_sources_table(dts_table **out,
				     const dts_report *report,
				     const dts_cube *cube, int year);

/**
 * The --by a report over `path` aggregates with, into `out` (size
 * bytes; 256 suffice for the report's own): a partial's own dimensions,
 * so that it merges (a partial written with DTS_REPORT_DIMS has no
 * source dimension, and its report says sources were not checked);
 * DTS_REPORT_DIMS for "-" (standard input is read once); else
 * DTS_REPORT_SOURCE_DIMS. Errors: DTS_EINVAL (NULL, too small), those of
 * dts_source_sniff_file() and dts_cube_load_partial(). Thread-safe.
 */
DTS_API int dts_report_dims_for(char *out, size_t size, const char *path);

/* ---- overlap: records in two sources, counted once ------------------------ */

typedef struct dts_overlap dts_overlap;

/**
 * A new overlap check from `spec` "FIRST+SECOND:KEY[,KEY...]" (e.g.
 * "customs+cbec:order_no"): records whose source field is FIRST or
 * SECOND and whose key fields (a header name, else the canonical field
 * it names; the key syntax of dts-reconcile) agree are one transaction
 * reported by two sources, matched by the reconciliation (dts_recon,
 * dts/reconcile.h; values, categories and periods are not compared).
 * Values are converted to `currency` (NULL: CNY) with `rates` (may be
 * NULL when every record is in that currency; not copied: keep them
 * until the check is freed). Errors: DTS_EINVAL (a malformed spec, an
 * unknown currency), those of dts_recon_new_list(), DTS_ENOMEM.
 */
DTS_API int dts_report_overlap_new(dts_overlap **out, const char *spec,
				   const char *currency,
				   const dts_rates *rates);

/** Free an overlap check. NULL is a no-op. */
DTS_API void dts_report_overlap_free(dts_overlap *overlap);

/**
 * Read the records of `path` (a record source, opened with `opts`, may be
 * NULL) of the two sources: classified with `rules` unless the input has
 * a dts_category column (then `rules` may be NULL). Records of other
 * sources are skipped; one that cannot be counted (a malformed value, no
 * flow, no rate, an empty key) is counted as rejected, as the cube
 * rejects it. Errors: those of dts_source_open(); DTS_ENOTFOUND (a key
 * field not in the header, naming it); DTS_EINVAL (after the run, no
 * rules when the records need them); DTS_EIO, DTS_ENOMEM.
 */
DTS_API int dts_report_overlap_add_file(dts_overlap *overlap, const char *path,
					const dts_source_options *opts,
					const dts_rules *rules);

/**
 * Match the records read (once). Every key present once in each source
 * is a pair; a key present more than once in a source is not matched.
 * Errors: DTS_EINVAL (run twice), DTS_EOVERFLOW, DTS_ENOMEM.
 */
DTS_API int dts_report_overlap_run(dts_overlap *overlap);

/** The number of pairs found by dts_report_overlap_run() (0 for NULL). */
DTS_API uint64_t dts_report_overlap_count(const dts_overlap *overlap);

/**
 * Count the pairs of `overlap` (run, kept by the report until the next
 * call or free; NULL: none) once at the next dts_report_compute(): a pair
 * is the FIRST source's record (name first the source whose record is
 * the one to keep: customs declarations, the legal record), so the
 * second source's record is taken out of every sum that counts it (a
 * supplied value excepted) and a part stays a part of its whole (CBX of
 * GDX) even when the two records' categories differ; the sum's basis
 * says how many and how much ("2 records in two sources counted once
 * (0.01 亿元 taken out)"); the sources table shows a row "(in two
 * sources)". A pair whose records lie in different years is listed, not
 * taken out. DTS_EINVAL when the check has not run.
 */
DTS_API int dts_report_set_overlap(dts_report *report,
				   const dts_overlap *overlap);

/**
 * The pairs as a table: key (dimension), first and second ("customs
 * FILE:LINE"), year, flow, category (the second record's), value (the
 * second record's, 元 of the reporting currency) and counted ("once", or
 * "twice: different years"). *out is a new table the caller frees.
 * Errors: DTS_EINVAL (before the run), DTS_ENOMEM.
 */
DTS_API int dts_report_overlap_table(dts_table **out,
				     const dts_overlap *overlap);

/* ---- the report as tables (dts/table.h) ---------------------------------- */

/**
 * The annex table of the last dts_report_compute(): one row per data
 * year (only `year` unless it is 0) and indicator, in definition order;
 * columns id, year (the two dimensions), value (the primary measure), no,
 * indicator, unit, target (text), attainment_pct, growth_pct,
 * indicator_en (text): the fields of dts_report_row, the unit as shown
 * (a money sum in another currency than CNY: 亿美元, 亿 GBP ...). Title
 * "Hangzhou digital trade action plan: annex indicators" (in another
 * currency followed by "(values in USD; the plan's targets are in CNY and
 * are not compared)"), SDMX dataflow DTS_ANNEX, the year as the SDMX time,
 * indicator ids as codes, each row's own UNIT_MEASURE and UNIT_MULT (亿元:
 * the currency and 8; %: PC and 0; 家 ENT, 个 件 项 NUM, 万吨 T and 4),
 * the cube's status, a missing value shown as "missing" in text, an xlsx
 * chart of the value column. *out is a new table the caller frees (dts_table_free).
 * Errors: DTS_EINVAL (before compute), DTS_ENOMEM. A year with no data
 * gives a table without rows.
 */
DTS_API int dts_report_annex_table(dts_table **out, const dts_report *report,
				   int year);

/**
 * The boundary table of `year` (dts_report_boundary()) as a table: columns
 * year, base, digital (dimensions), export (primary measure), import,
 * total, in 亿元 with `decimals` (0..14) digits; rows goods, services,
 * unknown (only when some records have no base) and total, each with
 * digital, not digital and total. Dataflow DTS_BOUNDARY, unit the cube's
 * currency (named in the title: 亿元, 亿美元 ...), UNIT_MULT 8, the year
 * as the SDMX time, the cube's status, an xlsx chart of the total column. *out is a new
 * table the caller frees. Errors: DTS_EINVAL (decimals out of range, the
 * cube lacks a dimension of DTS_REPORT_DIMS), DTS_EOVERFLOW, DTS_ENOMEM.
 * Thread-safe.
 */
DTS_API int dts_report_boundary_table(dts_table **out, const dts_cube *cube,
				      int year, int decimals);

/**
 * 1 when the last dts_report_compute() compared values with targets: its
 * cube's currency is the targets' (CNY, the plan's). In another reporting
 * currency no target and no attainment is given (the plan's targets are
 * in CNY terms; converting them would compare exchange-rate movements),
 * and the annex title says so. 0 otherwise, and before compute.
 */
DTS_API int dts_report_targets_compared(const dts_report *report);

/**
 * The notes-and-sources table of the report (the workbook's "notes"
 * sheet): dts_agg_notes_table() of `cube` in 亿元 (sources with their
 * SHA-256, classifier id@version, status, vintage, currency, unit,
 * definitions, rounding, suppression), then the periods (how far each
 * year's data reach, complete or a part year, and the not-allocated
 * cell), the targets (compared or
 * not, and why), the annex definitions and the two scopes of
 * 数字服务贸易 (the annex's broad DD and the narrow SERV). Columns item,
 * note (text). *out is a new table the caller frees. Errors: DTS_EINVAL
 * (before compute), DTS_ENOMEM.
 */
DTS_API int dts_report_notes_table(dts_table **out, const dts_report *report,
				   const dts_cube *cube);

/**
 * The workbook of report year `year` (docs/statistics.md): sheet annex
 * (one row per indicator: the value of each data year up to `year`, "missing"
 * when there is none, then the year's target, attainment and growth),
 * the chart sheet "charts" (one chart per sum indicator with an annex
 * number and yearly targets, the value as columns and the target as a
 * dashed frame; then the five categories stacked by year), sheets
 * categories (imports + exports of CBEC TECH SERV PROD DATA and DT by
 * year, 亿元), boundary (of `year`), targets (each year's target, rows
 * as in the annex sheet) and notes (dts_report_notes_table()). Money with the decimals of the last compute;
 * `cube` must be the one computed. Write it with dts_book_write_xlsx().
 *
 * *out is owned by the report, valid until the next dts_report_book(),
 * dts_report_compute() or dts_report_free(). Errors: DTS_EINVAL (before
 * compute), DTS_ENOTFOUND ("no data for YEAR: no workbook written" when
 * `year` is not a data year), DTS_EOVERFLOW, DTS_ENOMEM.
 */
DTS_API int dts_report_book(const dts_book **out, dts_report *report,
			    const dts_cube *cube, int year);

/* ---- the report by period ------------------------------------------------ */

/** The periods of dts_report_period_table(). */
typedef enum dts_report_by {
	DTS_REPORT_BY_MONTH = 1,    /**< each month: "2025-03" */
	DTS_REPORT_BY_QUARTER = 2,  /**< each complete quarter: "2025-Q1" */
	DTS_REPORT_BY_HALF = 3,     /**< each complete half year: "2025-S1" */
	DTS_REPORT_BY_YTD = 4       /**< 1-N月 cumulative: "2025-01-01/P3M" */
} dts_report_by;

/**
 * Parse "month", "quarter", "half" or "ytd" (dts-report --by): the
 * dts_report_by, or DTS_ENOTFOUND. Thread-safe.
 */
DTS_API int dts_report_by_parse(const char *name);

/**
 * The annex indicators by period, from `cube` (the one computed, with a
 * period dimension finer than the year: period:month for every table,
 * period:quarter for quarters, halves and 1-N月 by quarter, period:half
 * for halves) and the definitions, currency, decimals and status of the
 * last dts_report_compute(). For each data year (only `year` unless it
 * is 0): one column per month, complete quarter or half year up to the
 * year's last month with data (a month without records inside that
 * coverage is a true zero), or per cumulative 1-N月 (N = each month, or
 * each quarter's or half's end in a coarser cube, to the last one with
 * data); then the year's not-allocated cell "2025-NA" (records coarser
 * than the cube's cells, dts_period_cell_key) when there is one. So a
 * year's columns plus its not-allocated cell add up to its annual annex
 * value exactly, and 1-N月 is the sum of months 1..N. Sums as the annex
 * computes them, shares within the period; reported values are annual
 * and are missing here; growth indicators and the growth_pct column are
 * year on year against the same months of the previous year (Q1 2025 on
 * Q1 2024, 1-3月 on 1-3月), only when the previous year's data reach them,
 * else "not comparable" with the reason in growth_basis ("no data for
 * 2024", "2024 has data to month 9 only"); the not-allocated cell is not
 * compared. Columns id, period (dimensions), value, no, indicator, unit,
 * growth_pct, growth_basis (the period compared with, or the reason),
 * indicator_en. Title the annex's with "by month" ...; SDMX dataflow
 * DTS_ANNEX_M, _Q, _S or _YTD, the period as TIME_PERIOD (a cumulative
 * as the time range "2025-01-01/P3M" with FREQ M; "2025-NA" as
 * "2025-01-01/P1Y", FREQ A), units per row as in the annex table.
 * *out is a new table the caller frees. Errors: DTS_EINVAL (before
 * compute, an unknown `by`, a cube by year or coarser than the table),
 * DTS_EOVERFLOW, DTS_ENOMEM. Thread-safe on a report no thread changes.
 */
DTS_API int dts_report_period_table(dts_table **out, const dts_report *report,
				    const dts_cube *cube, int by, int year);
/**
 * What a revision changed in the annex: `old` and `new` are the same
 * definitions computed (dts_report_compute) over two vintages of the data,
 * `old_cube` and `new_cube` the cubes they were computed from (their
 * classifier id@version, status and cut-off name the two sides in the
 * title: "Revision of the annex: old (cn-digital-trade@2025.1,
 * provisional, cut-off 2026-01-31) -> new (...)"). One row per indicator
 * of `new` and year of either report (only `year` unless 0): columns id,
 * year (dimensions), old, new (the values as the annex shows them),
 * revision (new - old, exact, with the values' decimals; "" when a side is
 * missing), revision_pct (of old, 2 decimals; "" for a percentage
 * indicator, whose revision is in points, and for an old 0), note
 * ("revised", "unchanged", "new", "now missing", "missing in both"), no,
 * indicator, unit. *out is a new table the caller frees. Errors:
 * DTS_EINVAL (a report not computed, a NULL argument), DTS_EOVERFLOW,
 * DTS_ENOMEM. Thread-safe on reports and cubes no thread changes.
 */
DTS_API int dts_report_revision_table(dts_table **out, const dts_report *old,
				      const dts_cube *old_cube,
				      const dts_report *new,
				      const dts_cube *new_cube, int year);

/**
 * What a revision changed, cell by cell: every cell of either cube on
 * their common dimensions (as dts_recon_totals_run() matches them, so a
 * dimension only one cube has is summed out), with columns the dimensions,
 * old_records, old_value, new_records, new_value (values in the reporting
 * currency with `decimals` 0..14 digits, rounded half away from zero once;
 * "" for a side without the cell), revision (new - old), revision_pct (of
 * old, 2 decimals; "" when old is 0 or absent) and note ("revised",
 * "unchanged", "new", "dropped"). The title names the two vintages as
 * dts_report_revision_table() does. *out is a new table the caller frees.
 * Errors: DTS_EINVAL (bad arguments; cubes of two reporting currencies),
 * DTS_ENOTFOUND (no common dimension), DTS_EOVERFLOW, DTS_ENOMEM.
 * Thread-safe.
 */
DTS_API int dts_report_cells_revision_table(dts_table **out,
					    const dts_cube *old,
					    const dts_cube *new, int decimals);

/**
 * A descriptive column of indicator i's definition row: "definition_zh",
 * "definition_en", "frequency" (monthly, cumulative, annual),
 * "data_sources" (customs, BOP, platforms, surveys, reported) or
 * "responsible" (the plan's item and the units it names). "" when the
 * file has no such column (older files still read); NULL for another
 * column name, a NULL argument or i out of range. Owned by the report.
 * Thread-safe.
 */
DTS_API const char *dts_report_indicator_text(const dts_report *report,
					      size_t i, const char *column);

/**
 * Write the indicator system (docs/indicators.md): per indicator its
 * annex number, names, definition, formula in terms of categories and
 * the Handbook flags their records carry, unit, goal, the sources each
 * sum takes, data sources, frequency, responsible units and the targets
 * by year (dts_report_load_targets(); none loaded: no target columns).
 * `format` is DTS_STANDARD_MD (one section per indicator),
 * DTS_STANDARD_HTML or DTS_STANDARD_CSV (one row per indicator,
 * columns id no name_zh name_en definition_zh definition_en formula unit
 * goal sources data_sources frequency responsible yYYYY...), as
 * dts/standard.h defines them. Deterministic. Errors: DTS_EINVAL (NULL
 * argument, another format), DTS_ENOMEM, or the callback's non-zero
 * return. Thread-safe (reads the report only).
 */
DTS_API int dts_report_write_definitions_cb(const dts_report *report,
					    int format, dts_write_cb cb,
					    void *payload);

#ifdef __cplusplus
}
#endif
#endif
