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
};

/* The currency the plan's targets are in: under another reporting
 * currency no target is compared (dts_report_compute). */
#define RPT_TARGET_CURRENCY "CNY"

/* The unit shown for indicator d: a money sum in another currency is in
 * that currency ("亿元" becomes "亿美元", "亿 GBP"); buf of n bytes. */
const char *dts__report_unit(const char *currency, const dts_indicator *d,
			     char *buf, size_t n);

/* The cube's dimensions a report reads. */
typedef struct rpt_dims {
	int year, flow, cat, base;
} rpt_dims;

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
