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

typedef struct rpt_ind {
	dts_indicator pub;      /* strings point into the report's arena */
	unsigned cats;          /* sum: bits 1 << dts_category_rank */
	int flows;              /* sum: bit 1 X, bit 2 M */
	const char *base;       /* sum: "" any */
	int of[2];              /* share: num, den; growth: of */
	rpt_goal goal;
	dts_money goal_value;   /* in the indicator's unit */
	uint64_t target_line;   /* the targets row, while reading */
} rpt_ind;

/* A target or a reported value of one indicator in one year. */
typedef struct rpt_entry {
	int ind, year;
	int have;               /* reported: 0 for an empty value */
	uint64_t line;
	dts_money money;        /* in the indicator's unit */
	const char *text;       /* as written, in the arena */
} rpt_entry;

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

/* The cube's dimensions a report reads; `year` is the period dimension,
 * of grain `grain` (dts_period_grain). */
typedef struct rpt_dims {
	int year, flow, cat, base;
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

#endif
