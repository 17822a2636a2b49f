/*
 * csv.c — RFC 4180 CSV and SDMX-CSV 2.0 (see dts/table.h). Fields go
 * through dts__buf_csv, the library's one CSV field writer.
 */
#include <string.h>

#include "internal.h"
#include "write_int.h"
#include "dts/cube.h"

static void field(dts__buf *b, const char *s)
{
	dts__buf_csv(b, s, strlen(s), ',');
}

int dts_table_write_csv_cb(const dts_table *t, dts_write_cb cb, void *payload)
{
	dts__sink o;

	dts__sink_init(&o, cb, payload);
	if (t->bom)
		dts__buf_str(&o.b, "\xEF\xBB\xBF");
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			dts__buf_ch(&o.b, ',');
		field(&o.b, t->cols[c].name);
	}
	dts__buf_ch(&o.b, '\n');
	for (size_t r = 0; r < t->nrows && dts__sink_maybe_flush(&o) == 0; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				dts__buf_ch(&o.b, ',');
			field(&o.b, dts__cell(t, r, c));
		}
		dts__buf_ch(&o.b, '\n');
	}
	return dts__sink_done(&o);
}

int dts_table_write_csv(const dts_table *t, FILE *f)
{
	return dts_table_write_csv_cb(t, dts__write_file, f);
}

/* The header of a dimension column in SDMX: TIME_PERIOD for the time. */
static const char *dim_id(const dts_table *t, size_t c)
{
	return (int)c == t->time_col ? "TIME_PERIOD" : t->cols[c].id;
}

static void sdmx_row(dts__buf *b, const dts_table *t, size_t r,
		     const dts__buf *lead)
{
	const char *os = dts__sdmx_obs_status(t, r);
	const char *unit = dts__row_unit_of(t, r);
	char code[256], mult[16];

	dts__buf_add(b, lead->p, lead->len);
	if (t->time_col >= 0) {
		dts__buf_ch(b, ',');
		field(b, dts__sdmx_freq(dts__cell(t, r, (size_t)t->time_col)));
	}
	for (size_t c = 0; c < t->ncols; c++) {
		dts__buf_ch(b, ',');
		field(b, c < t->ndims && (int)c != t->time_col ?
		      dts__sdmx_code(t, c, dts__cell(t, r, c), code,
				     sizeof(code)) :
		      (int)c == t->time_col ?
		      dts__sdmx_time(dts__cell(t, r, c), code, sizeof(code)) :
		      dts__cell(t, r, c));
	}
	dts__buf_ch(b, ',');
	field(b, os ? os : "");
	dts__buf_ch(b, ',');
	field(b, unit ? unit : "");
	snprintf(mult, sizeof(mult), ",%d\n", dts__row_mult_of(t, r));
	dts__buf_str(b, mult);
}

int dts_table_write_sdmx_csv_cb(const dts_table *t, dts_write_cb cb,
				void *payload)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";
	dts__buf lead = {0}, ref = {0};
	dts__sink o;
	int rc;

	/* What every row starts with, escaped once. */
	dts__buf_str(&lead, "dataflow,");
	dts__buf_str(&ref, "LIBDTS:");
	dts__buf_str(&ref, flow);
	dts__buf_str(&ref, "(1.0)");
	dts__buf_csv(&lead, ref.p ? ref.p : "", ref.len, ',');
	dts__buf_str(&lead, t->status == DTS_STATUS_REVISED ? ",R" : ",I");
	lead.oom |= ref.oom;
	dts__buf_free(&ref);
	if (lead.oom) {
		dts__buf_free(&lead);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	dts__sink_init(&o, cb, payload);
	if (t->bom)
		dts__buf_str(&o.b, "\xEF\xBB\xBF");
	dts__buf_str(&o.b, "STRUCTURE,STRUCTURE_ID,ACTION");
	if (t->time_col >= 0)
		dts__buf_str(&o.b, ",FREQ");
	for (size_t c = 0; c < t->ncols; c++) {
		dts__buf_ch(&o.b, ',');
		field(&o.b, c == t->ndims ? "OBS_VALUE" :
		      c < t->ndims ? dim_id(t, c) : t->cols[c].id);
	}
	dts__buf_str(&o.b, ",OBS_STATUS,UNIT_MEASURE,UNIT_MULT\n");
	for (size_t r = 0; r < t->nrows && dts__sink_maybe_flush(&o) == 0; r++)
		sdmx_row(&o.b, t, r, &lead);
	rc = dts__sink_done(&o);
	dts__buf_free(&lead);
	return rc;
}

int dts_table_write_sdmx_csv(const dts_table *t, FILE *f)
{
	return dts_table_write_sdmx_csv_cb(t, dts__write_file, f);
}
