/*
 * svg_int.h — the chart primitives of the monitoring page (svg.c), used
 * by page.c. Never installed.
 */
#ifndef DTS_SVG_INT_H
#define DTS_SVG_INT_H

#include <stddef.h>

#include "buf.h"

/* A bar chart: ncat bars of nser stacked parts. */
typedef struct dts__bars {
	const char *title;          /* the SVG's title and aria-label */
	const char *unit;           /* the value axis' label: "万元" */
	size_t ncat, nser;
	const char *const *cat;     /* bar labels */
	const char *const *ser;     /* legend names */
	const char *const *color;   /* nser fill colours */
	const double *v;            /* ncat x nser values, >= 0 */
	const char *const *label;   /* ncat texts at the bar's end, or NULL */
	const int *hidden;          /* ncat: 1 = suppressed (a hatched stub) */
	int horizontal;             /* 1: bars left to right (a ranking) */
} dts__bars;

/* A line chart: nser lines over ncat points (months), dashed or not. */
typedef struct dts__lines {
	const char *title;          /* the SVG's title and aria-label */
	const char *unit;           /* the value axis' label */
	size_t ncat, nser;
	const char *const *cat;     /* point labels (the x axis) */
	const char *const *ser;     /* legend names */
	const char *const *color;   /* nser stroke colours */
	const int *dashed;          /* nser: 1 = dashed (last year) */
	const double *v;            /* nser x ncat values */
	const int *have;            /* nser x ncat: 0 = no point */
} dts__lines;

/* HTML/XML text: & < > " ' escaped. */
void dts__svg_esc(dts__buf *b, const char *s);
/* The chart as an <svg> element. */
void dts__svg_bars(dts__buf *b, const dts__bars *c);
/* The line chart as an <svg> element (zero baseline). */
void dts__svg_lines(dts__buf *b, const dts__lines *c);
/* A small attainment meter: pct of 150 with a mark at 100. */
void dts__svg_meter(dts__buf *b, double pct, int met);

#endif
