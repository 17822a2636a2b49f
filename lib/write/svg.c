/*
 * svg.c — the charts of the monitoring page as inline SVG: stacked bars,
 * vertical (years) or horizontal (a ranking), with a zero baseline, ticks
 * at 1, 2 or 5 times a power of ten, the unit on the value axis and a
 * legend. Values are doubles for the drawing only: the figures a reader
 * reads are the exact ones in the table next to the chart. Coordinates
 * are printed with one decimal, so the output is deterministic.
 */
#include <stdio.h>
#include <string.h>

#include "svg_int.h"

/* A tick step of 1, 2 or 5 x 10^k with at most 5 steps up to max. */
static double tick_step(double max, int *decimals)
{
	double p = 1, raw = max / 5;
	int d = 0;

	if (!(raw > 0))
		raw = 0.2;
	while (p > raw)
		p /= 10, d++;
	while (p * 10 <= raw)
		p *= 10, d = d > 0 ? d - 1 : 0;
	*decimals = d;
	if (p >= raw)
		return p;
	if (2 * p >= raw)
		return 2 * p;
	if (5 * p >= raw)
		return 5 * p;
	*decimals = d > 0 ? d - 1 : 0;
	return 10 * p;
}

void dts__svg_esc(dts__buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': dts__buf_str(b, "&amp;"); break;
		case '<': dts__buf_str(b, "&lt;"); break;
		case '>': dts__buf_str(b, "&gt;"); break;
		case '"': dts__buf_str(b, "&quot;"); break;
		case '\'': dts__buf_str(b, "&#39;"); break;
		default: dts__buf_ch(b, *s);
		}
}

static double total_of(const dts__bars *c, size_t i)
{
	double t = 0;

	for (size_t k = 0; k < c->nser; k++)
		t += c->v[i * c->nser + k] > 0 ? c->v[i * c->nser + k] : 0;
	return t;
}

/* Width of a label at 11px: a wide (CJK, 3-byte UTF-8) character 11px,
 * anything else 6px. */
static double text_width(const char *s)
{
	double w = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch & 0xC0) == 0x80)
			continue;
		w += ch >= 0xE0 ? 11 : 6;
	}
	return w;
}

/* The legend from (x0, y), wrapping at xmax; with draw 0 it only counts
 * its rows. Returns the rows. */
static int legend(dts__buf *b, const dts__bars *c, double x0, double y,
		  double xmax, int draw)
{
	double x = x0;
	int rows = 1;

	for (size_t k = 0; k < c->nser; k++) {
		double w = 14 + text_width(c->ser[k]) + 14;

		if (x > x0 && x + w > xmax) {
			x = x0;
			y += 16;
			rows++;
		}
		if (draw) {
			dts__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" "
					"height=\"10\" fill=\"%s\"/><text x=\"%.1f\" "
					"y=\"%.1f\" class=\"lg\">", x, y - 9, c->color[k],
					x + 14, y);
			dts__svg_esc(b, c->ser[k]);
			dts__buf_str(b, "</text>");
		}
		x += w;
	}
	return rows;
}

static void open_svg(dts__buf *b, const dts__bars *c, double w, double h)
{
	dts__buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			"viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
			"role=\"img\" aria-label=\"", w, h, w, h);
	dts__svg_esc(b, c->title);
	dts__buf_str(b, "\"><title>");
	dts__svg_esc(b, c->title);
	dts__buf_str(b, "</title><defs><pattern id=\"hatch\" width=\"6\" "
		     "height=\"6\" patternUnits=\"userSpaceOnUse\" "
		     "patternTransform=\"rotate(45)\"><rect width=\"6\" "
		     "height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" "
		     "y2=\"6\" stroke=\"#999\" stroke-width=\"2\"/></pattern></defs>");
}

/* The value axis: grid lines and ticks from 0 to top, and the unit. */
static void value_axis(dts__buf *b, const char *unit, double L, double x2,
		       double T, double ph, double top, double step, int dec)
{
	for (double v = 0; v <= top + step / 2; v += step) {
		double y = T + ph - v / top * ph;

		dts__buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" class=\"%s\"/><text x=\"%.1f\" "
				"y=\"%.1f\" class=\"tk\" text-anchor=\"end\">%.*f"
				"</text>", L, y, x2, y, v == 0 ? "base" : "grid",
				L - 6, y + 4, dec, v);
	}
	dts__buf_printf(b, "<text x=\"12\" y=\"%.1f\" class=\"ax\" "
			"transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">",
			T + ph / 2, T + ph / 2);
	dts__svg_esc(b, unit);
	dts__buf_str(b, "</text>");
}

static void vertical(dts__buf *b, const dts__bars *c)
{
	const double W = 520, L = 64, R = 16, B = 40;
	double T = 18 + 16.0 * legend(b, c, 8, 14, W - 8, 0), H = 266 + T;
	double max = 0, step, top, pw = W - L - R, ph = H - T - B, slot, bw;
	int dec;

	for (size_t i = 0; i < c->ncat; i++)
		if (total_of(c, i) > max)
			max = total_of(c, i);
	step = tick_step(max, &dec);
	top = step;
	while (top < max)
		top += step;
	open_svg(b, c, W, H);
	legend(b, c, 8, 14, W - 8, 1);
	value_axis(b, c->unit, L, W - R, T, ph, top, step, dec);
	slot = pw / (double)(c->ncat ? c->ncat : 1);
	bw = slot * 0.5 < 90 ? slot * 0.5 : 90;
	for (size_t i = 0; i < c->ncat; i++) {
		double x = L + slot * (double)i + (slot - bw) / 2, y = T + ph;

		for (size_t k = 0; k < c->nser; k++) {
			double v = c->v[i * c->nser + k], h = v > 0 ? v / top * ph : 0;

			if (!(v > 0))
				continue;   /* a part of nothing */
			y -= h;
			dts__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
					"height=\"%.1f\" fill=\"%s\"/>", x, y, bw, h,
					c->color[k]);
		}
		if (c->label && c->label[i]) {
			dts__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"vl\" "
					"text-anchor=\"middle\">", x + bw / 2, y - 5);
			dts__svg_esc(b, c->label[i]);
			dts__buf_str(b, "</text>");
		}
		dts__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"ct\" "
				"text-anchor=\"middle\">", x + bw / 2, T + ph + 18);
		dts__svg_esc(b, c->cat[i]);
		dts__buf_str(b, "</text>");
	}
	dts__buf_str(b, "</svg>");
}

static void horizontal(dts__buf *b, const dts__bars *c)
{
	const double W = 520, L = 170, R = 70, RH = 22, B = 34;
	double T = 18 + 16.0 * legend(b, c, 8, 14, W - 8, 0);
	double max = 0, step, top, pw = W - L - R;
	double ph = RH * (double)c->ncat, H = T + ph + B;
	int dec;

	for (size_t i = 0; i < c->ncat; i++)
		if ((!c->hidden || !c->hidden[i]) && total_of(c, i) > max)
			max = total_of(c, i);
	step = tick_step(max, &dec);
	top = step;
	while (top < max)
		top += step;
	open_svg(b, c, W, H);
	legend(b, c, 8, 14, W - 8, 1);
	for (double v = 0; v <= top + step / 2; v += step) {
		double x = L + v / top * pw;

		dts__buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" class=\"%s\"/><text x=\"%.1f\" "
				"y=\"%.1f\" class=\"tk\" text-anchor=\"middle\">%.*f"
				"</text>", x, T - 4, x, T + ph, v == 0 ? "base" : "grid",
				x, T + ph + 14, dec, v);
	}
	dts__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" "
			"text-anchor=\"middle\">", L + pw / 2, T + ph + 30);
	dts__svg_esc(b, c->unit);
	dts__buf_str(b, "</text>");
	for (size_t i = 0; i < c->ncat; i++) {
		double y = T + RH * (double)i + 4, x = L, h = RH - 8;

		dts__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"ct\" "
				"text-anchor=\"end\">", L - 6, y + h - 2);
		dts__svg_esc(b, c->cat[i]);
		dts__buf_str(b, "</text>");
		if (c->hidden && c->hidden[i]) {
			dts__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"40\" "
					"height=\"%.1f\" fill=\"url(#hatch)\" "
					"stroke=\"#999\"/>", x, y, h);
			x += 40;
		} else {
			for (size_t k = 0; k < c->nser; k++) {
				double v = c->v[i * c->nser + k];
				double w = v > 0 ? v / top * pw : 0;

				if (!(v > 0))
					continue;   /* a part of nothing */
				dts__buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
						"width=\"%.1f\" height=\"%.1f\" "
						"fill=\"%s\"/>", x, y, w, h,
						c->color[k]);
				x += w;
			}
		}
		if (c->label && c->label[i]) {
			dts__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"vl\">",
					x + 4, y + h - 2);
			dts__svg_esc(b, c->label[i]);
			dts__buf_str(b, "</text>");
		}
	}
	dts__buf_str(b, "</svg>");
}

void dts__svg_bars(dts__buf *b, const dts__bars *c)
{
	if (c->horizontal)
		horizontal(b, c);
	else
		vertical(b, c);
}

void dts__svg_meter(dts__buf *b, double pct, int met)
{
	const double W = 110, H = 12;
	double w = pct > 0 ? (pct > 150 ? 150 : pct) / 150 * W : 0;

	dts__buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			"class=\"meter\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
			"height=\"%.0f\" aria-hidden=\"true\"><rect width=\"%.0f\" "
			"height=\"%.0f\" fill=\"#eef0f3\"/><rect width=\"%.1f\" "
			"height=\"%.0f\" fill=\"%s\"/><line x1=\"%.1f\" y1=\"0\" "
			"x2=\"%.1f\" y2=\"%.0f\" stroke=\"#333\" stroke-width=\"1\"/>"
			"</svg>", W, H, W, H, W, H, w, H, met ? "#2f7d4f" : "#c0503a",
			W * 100 / 150, W * 100 / 150, H);
}

/* Lines: a zero baseline (negative values are drawn at 0), ticks as the
 * bars', a point for each value, a gap where a series has none. */
void dts__svg_lines(dts__buf *b, const dts__lines *c)
{
	const double W = 520, L = 64, R = 16, B = 40;
	double x = 8, y0 = 14, T, H, max = 0, step, top, pw, ph, dx;
	int rows = 1, dec;
	dts__bars head = {0};

	for (size_t k = 0; k < c->nser; k++) {   /* the legend's rows */
		double w = 26 + text_width(c->ser[k]) + 14;

		if (x > 8 && x + w > W - 8)
			x = 8, rows++;
		x += w;
	}
	T = 18 + 16.0 * rows;
	H = 266 + T;
	pw = W - L - R;
	ph = H - T - B;
	for (size_t i = 0; i < c->nser * c->ncat; i++)
		if (c->have[i] && c->v[i] > max)
			max = c->v[i];
	step = tick_step(max, &dec);
	top = step;
	while (top < max)
		top += step;
	head.title = c->title;
	open_svg(b, &head, W, H);
	x = 8;
	for (size_t k = 0; k < c->nser; k++) {
		double w = 26 + text_width(c->ser[k]) + 14;

		if (x > 8 && x + w > W - 8)
			x = 8, y0 += 16;
		dts__buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>"
				"<text x=\"%.1f\" y=\"%.1f\" class=\"lg\">", x,
				y0 - 4, x + 22, y0 - 4, c->color[k], c->dashed[k] ?
				" stroke-dasharray=\"5 3\"" : "", x + 26, y0);
		dts__svg_esc(b, c->ser[k]);
		dts__buf_str(b, "</text>");
		x += w;
	}
	value_axis(b, c->unit, L, W - R, T, ph, top, step, dec);
	dx = pw / (double)(c->ncat ? c->ncat : 1);
	for (size_t i = 0; i < c->ncat; i++) {
		dts__buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"ct\" "
				"text-anchor=\"middle\">", L + dx * ((double)i + 0.5),
				T + ph + 18);
		dts__svg_esc(b, c->cat[i]);
		dts__buf_str(b, "</text>");
	}
	for (size_t k = 0; k < c->nser; k++) {
		int open = 0;

		for (size_t i = 0; i < c->ncat; i++) {
			double v = c->v[k * c->ncat + i];
			double px = L + dx * ((double)i + 0.5);
			double py = T + ph - (v > 0 ? v : 0) / top * ph;

			if (!c->have[k * c->ncat + i]) {
				if (open)
					dts__buf_str(b, "\"/>");
				open = 0;
				continue;
			}
			if (!open)
				dts__buf_printf(b, "<polyline fill=\"none\" "
						"stroke=\"%s\" stroke-width=\"2\"%s "
						"points=\"", c->color[k], c->dashed[k] ?
						" stroke-dasharray=\"5 3\"" : "");
			dts__buf_printf(b, "%s%.1f,%.1f", open ? " " : "", px, py);
			open = 1;
		}
		if (open)
			dts__buf_str(b, "\"/>");
		for (size_t i = 0; i < c->ncat; i++)
			if (c->have[k * c->ncat + i])
				dts__buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" "
						"r=\"2.5\" fill=\"%s\" stroke=\"%s\"/>",
						L + dx * ((double)i + 0.5),
						T + ph - (c->v[k * c->ncat + i] > 0 ?
							  c->v[k * c->ncat + i] : 0) / top * ph,
						c->dashed[k] ? "#fff" : c->color[k],
						c->color[k]);
	}
	dts__buf_str(b, "</svg>");
}
