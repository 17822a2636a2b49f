/*
 * csv.c — RFC 4180 CSV and SDMX-CSV 2.0 (see dts/table.h). Fields go
 * through dts__buf_csv, the library's one CSV field writer.
 */
#include <string.h>

#include "internal.h"
#include "write_int.h"

static void field(dts__buf *b, const char *s)
{
	dts__buf_csv(b, s, strlen(s), ',');
}

int dts_table_write_csv_cb(const dts_table *t, dts_write_cb cb, void *payload)
{
	dts__sink o;

	dts__sink_init(&o, cb, payload);
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

int dts_table_write_sdmx_csv_cb(const dts_table *t, dts_write_cb cb,
				void *payload)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";
	dts__buf lead = {0}, tail = {0};
	dts__sink o;
	char mult[16];
	int rc;

	/* What every row starts and ends with, escaped once. */
	dts__buf_str(&lead, "dataflow,");
	dts__buf_str(&tail, "LIBDTS:");
	dts__buf_str(&tail, flow);
	dts__buf_str(&tail, "(1.0)");
	dts__buf_csv(&lead, tail.p ? tail.p : "", tail.len, ',');
	dts__buf_str(&lead, ",I");
	tail.len = 0;
	dts__buf_ch(&tail, ',');
	field(&tail, t->unit ? t->unit : "");
	snprintf(mult, sizeof(mult), ",%d\n", t->unit_mult);
	dts__buf_str(&tail, mult);

	if (lead.oom || tail.oom) {
		dts__buf_free(&lead);
		dts__buf_free(&tail);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	dts__sink_init(&o, cb, payload);
	dts__buf_str(&o.b, "STRUCTURE,STRUCTURE_ID,ACTION");
	for (size_t c = 0; c < t->ncols; c++) {
		dts__buf_ch(&o.b, ',');
		field(&o.b, c == t->ndims ? "OBS_VALUE" : t->cols[c].id);
	}
	dts__buf_str(&o.b, ",UNIT_MEASURE,UNIT_MULT\n");
	for (size_t r = 0; r < t->nrows && dts__sink_maybe_flush(&o) == 0; r++) {
		dts__buf_add(&o.b, lead.p, lead.len);
		for (size_t c = 0; c < t->ncols; c++) {
			dts__buf_ch(&o.b, ',');
			field(&o.b, dts__cell(t, r, c));
		}
		dts__buf_add(&o.b, tail.p, tail.len);
	}
	rc = dts__sink_done(&o);
	dts__buf_free(&lead);
	dts__buf_free(&tail);
	return rc;
}

int dts_table_write_sdmx_csv(const dts_table *t, FILE *f)
{
	return dts_table_write_sdmx_csv_cb(t, dts__write_file, f);
}
