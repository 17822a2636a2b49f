/*
 * report_int.h — the report's own structures, shared by define.c (which
 * reads the definition, targets and reported files) and compute.c (which
 * evaluates them over a cube). Never installed.
 */
#ifndef DTS_REPORT_INT_H
#define DTS_REPORT_INT_H

#include "internal.h"
#include "dts/report.h"

/* How a goal compares: the definition's target column. */
typedef enum rpt_goal {
	GOAL_NONE = 0, GOAL_TARGET, GOAL_GT, GOAL_GE, GOAL_LT, GOAL_LE
} rpt_goal;

/* One condition of a goal: OP (value or REF + value), bases.c. */
typedef struct rpt_cond {
	rpt_goal op;
	dts_money value;        /* in the indicator's unit */
	int ref;                /* an indicator supplying the reference, or -1 */
} rpt_cond;

#define RPT_MAX_COND 4

typedef struct rpt_ind {
	dts_indicator pub;      /* strings point into the report's arena */
	unsigned cats;          /* sum: bits 1 << dts_category_rank */
	int flows;              /* sum: bit 1 X, bit 2 M */
	const char *base;       /* sum: "" any */
	int of[2];              /* share: num, den; growth: of */
	rpt_goal goal;
	dts_money goal_value;   /* in the indicator's unit */
	uint64_t target_line;   /* the targets row, while reading */
	rpt_cond cond[RPT_MAX_COND];   /* the goal's conditions, all must hold */
	int ncond;              /* 0: the goal is GOAL_TARGET or GOAL_NONE */
	const char *sources;    /* the definition's sources column, or "" */
	const char *scope[DTS_CATEGORY_TOPS];   /* per top code: "a+b" the
						   sources summed, NULL all */
	int scoped;             /* sources is not empty */
	const char *text[5];    /* the descriptive columns (RPT_TEXT_COLUMNS),
				   "" when the file has none */
} rpt_ind;

/* The definition file's optional descriptive columns, in the order of
   rpt_ind.text (dts_report_indicator_text, definitions.c). */
#define RPT_TEXT_COLUMNS { "definition_zh", "definition_en", "frequency", \
			   "data_sources", "responsible" }
#define RPT_NTEXT 5

/* A target or a reported value of one indicator in one year. */
typedef struct rpt_entry {
	int ind, year;
	int have;               /* reported: 0 for an empty value */
	int role;               /* reported: RPT_VALUE or RPT_BASE */
	uint64_t line;
	dts_money money;        /* in the indicator's unit */
	const char *text;       /* as written, in the arena */
} rpt_entry;

/* A reported row gives the year's value, or only the base its growth
   in the next year is computed on (the role column). */
enum { RPT_VALUE = 0, RPT_BASE = 1 };

typedef struct rpt_list {
	rpt_entry *v;
	size_t n, cap;
} rpt_list;

/* A computed figure. */
typedef struct rpt_val {
	int have;
	int rest;               /* percentages: exact value is below (-1),
				   at (0) or above (+1) `a` */
	dts_amount a;           /* base units at 10^-14, or a percentage */
	char text[64];
} rpt_val;

typedef struct rpt_cell {
	rpt_val v;
	char growth[64];
	char attain[32];
	const char *shown;      /* a reported value as written (arena), or NULL */
	const char *target;
	int yearly;             /* target is the year's, not the goal */
	int origin;             /* DTS_ORIGIN_*: computed, supplied, reported */
	const rpt_entry *base;  /* a published base for the growth, or NULL */
	int partial;            /* a sum missing some of its sources */
	int comparable;         /* 0: attainment "not comparable" */
	uint64_t unknown_records;   /* excluded: records of unknown base */
	dts_amount unknown_value;
	const char *cover;      /* why a sum is partial or unchecked, or NULL */
	uint64_t nosource_records;  /* counted, of no known source */
	uint64_t overlap_records;   /* taken out: in two sources (overlap.c) */
	dts_amount overlap_value;
	const char *basis;      /* the basis column (arena), or NULL */
} rpt_cell;

struct dts_report {
	dts_arena arena;        /* strings of definitions, targets, values */
	rpt_ind *ind;
	size_t n, cap;
	rpt_list targets, reported;
	int *years;
	size_t nyears;
	rpt_cell *cells;        /* n * nyears, row i at i * nyears */
	int decimals;           /* money digits of the last compute */
	dts_book *book;         /* the last dts_report_book() and its sheets */
	dts_table *sheets[5];
	char currency[16];      /* the cube's, at the last compute */
	int status;             /* the cube's dts_status */
	const dts_overlap *overlap;   /* dts_report_set_overlap(), not owned */
	int oom;                /* an allocation of this compute failed */
	int *covered;           /* per data year: the last month with data,
				   12 for a complete year (periods.c) */
};

/* The currency the plan's targets are in: under another reporting
 * currency no target is compared (dts_report_compute). */
#define RPT_TARGET_CURRENCY "CNY"

/* The unit shown for indicator d: a money sum in another currency is in
 * that currency ("亿元" becomes "亿美元", "亿 GBP"); buf of n bytes. */
const char *dts__report_unit(const char *currency, const dts_indicator *d,
			     char *buf, size_t n);

/* The cube's dimensions a report reads; source is -1 when the cube has
   no source dimension (then every source counts, coverage unknown). */
/* `year` is the period dimension, of grain `grain` (dts_period_grain). */
typedef struct rpt_dims {
	int year, flow, cat, base, source;
	int grain;
} rpt_dims;

/* ---- periods.c: coverage, part years, the period tables ---- */

/* The cube's period dimension other than period:year (period:month,
   :quarter, :half, or "period"), its grain in *grain; -1 when none. */
int dts__report_period_dim(const dts_cube *cube, int *grain);
/* r->covered for r's data years: the last month with data (12 for a
   cube by year, and for a year whose records are all coarser than its
   cells). DTS_ENOMEM. */
int dts__report_coverage(dts_report *r, const dts_cube *cube,
			 const rpt_dims *dm);
/* A part year (r->covered[y] < 12): the growth of a sum is not
   comparable unless the previous year covers the same months, and the
   goals and targets of sums, shares and growth rates are not judged
   ("year not complete"); reported values are the bureau's own annual
   figures and are left alone. */
void dts__report_part_year(const dts_report *r, size_t y, const rpt_ind *d,
			   rpt_cell *c);
/* The notes table's row on periods: how far each year's data reach. */
int dts__report_notes_periods(dts_table *t, const dts_report *r);
/* compute.c's own logic, for periods.c. */
int dts__report_cell_matches(const char *const *keys, const rpt_dims *dm,
			     const rpt_ind *d);
int dts__report_percent(rpt_val *out, const rpt_val *num,
			const dts_amount *den);
int dts__report_growth(rpt_val *out, const rpt_val *a, const rpt_val *b);
/* tables.c's, for periods.c: the annex title (in buf of n), its SDMX
   codes and time, an indicator's UNIT_MEASURE and UNIT_MULT. */
const char *dts__report_annex_title(const dts_report *r, char *buf, size_t n);
int dts__report_annex_sdmx(dts_table *t, const dts_report *r);
void dts__report_sdmx_unit(const dts_report *r, const dts_indicator *d,
			   const char **unit, int *mult);

int dts__report_dims(rpt_dims *out, const dts_cube *cube);
/* "DT+CBEC" / "ALL" -> bits; "X+M" -> bits; DTS_EINPUT naming name:line
   (name NULL: no file). */
int dts__report_parse_sum(unsigned *cats, int *flows, const char *categories,
			  const char *flow, const char *base, const char *name,
			  uint64_t line);
/* Rank of a fixed category code (dts_category_fixed), -1 for any other. */
int dts__report_code(const char *key);
/* Free the workbook of dts_report_book() (tables.c). */
void dts__report_free_book(dts_report *r);
/* 10^e times value's exact form: a money amount at 10^-14 base units. */
void dts__report_scale(dts_amount *out, dts_money v, int unit_exp);

/* Numeric year keys only ("2025"), else -1; the index of a data year,
   else -1 (compute.c). */
int dts__report_key_year(const char *s);
int dts__report_year_index(const dts_report *r, int year);

/* ---- bases.c: supplied values, bases, coverage, goals ------------------ */

/* Parse a definition's target column into d (goal, goal_value, cond). */
int dts__report_parse_goal(dts_report *r, rpt_ind *d, const char *s,
			   const char *name, uint64_t line);
/* Supplied values and published bases into the cells (after the sums). */
void dts__report_supply(dts_report *r);
/* Source coverage and unknown-base counts of every sum (a cube walk). */
int dts__report_scope_coverage(dts_report *r, const dts_cube *cube,
			       const rpt_dims *dm);
/* has_prev (compute.c): the previous year, like for like. */
int dts__report_has_prev(const dts_report *r, size_t y);
/* c's attainment for a goal with conditions (d->ncond > 0). */
void dts__report_goal(dts_report *r, rpt_cell *c, const rpt_ind *d, size_t y);
/* The base of indicator i's growth in year index y: a published base,
   else the previous data year's value when it is the previous calendar
   year; NULL when there is none. *tmp holds a published base. */
const rpt_val *dts__report_base(const dts_report *r, size_t i, size_t y,
				rpt_val *tmp);
/* The basis column of every cell (after attainment). */
int dts__report_bases(dts_report *r);
/* Percentage out = 100 * num / den (compute.c). */
int dts__report_percent(rpt_val *out, const rpt_val *num, const dts_amount *den);
/* x against t exactly (compute.c). */
int dts__report_cmp(const rpt_val *x, const dts_amount *t);

/* ---- scope.c: sources ---------------------------------------------------- */

/* The source key of a record that does not say its source (dts-aggregate's
   source dimension): counted by every sum, never dropped; its basis says so. */
#define RPT_NO_SOURCE "unknown"

/* Parse the sources column into d->scope; DTS_EINPUT naming name:line. */
int dts__report_parse_sources(dts_report *r, rpt_ind *d, const char *s,
			      const char *name, uint64_t line);
/* Does a cell count in sum d? (categories, flows, base, sources) */
int dts__report_match(const rpt_ind *d, const char *const *keys,
		      const rpt_dims *dm);
/* As dts__report_match, the base and sources ignored when asked. */
int dts__report_match_ex(const rpt_ind *d, const char *const *keys,
			 const rpt_dims *dm, int any_base, int any_source);
/* Would a record of top code keys[cat] count in sum d? (scoped or not) */
int dts__report_counts(const rpt_ind *d, const char *const *keys,
		       const rpt_dims *dm);
/* Take the second source's record of each overlap pair out of the sums. */
int dts__report_overlap_apply(dts_report *r);
/* Is source key src among d's sources for this cell's category? */
int dts__report_in_scope(const rpt_ind *d, const char *cat, const char *src);

#endif
