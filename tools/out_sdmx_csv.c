/*
 * out_sdmx_csv.c — SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, then the
 * dimension columns by their ids, OBS_VALUE (the primary measure), then
 * the further measures and attributes by their ids, and UNIT_MEASURE,
 * UNIT_MULT. STRUCTURE is "dataflow", STRUCTURE_ID "LIBDTS:<id>(1.0)",
 * ACTION "I" (information).
 */
#include "table.h"

int out_sdmx_csv(const tbl *t, FILE *f)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";

	if (fputs("STRUCTURE,STRUCTURE_ID,ACTION", f) < 0)
		return -1;
	for (size_t c = 0; c < t->ncols; c++)
		if (fprintf(f, ",%s", c == t->ndims ? "OBS_VALUE" :
			    t->cols[c].id) < 0)
			return -1;
	if (fputs(",UNIT_MEASURE,UNIT_MULT\n", f) < 0)
		return -1;
	for (size_t r = 0; r < t->nrows; r++) {
		if (fprintf(f, "dataflow,LIBDTS:%s(1.0),I", flow) < 0)
			return -1;
		for (size_t c = 0; c < t->ncols; c++)
			if (putc(',', f) == EOF ||
			    out_csv_field(f, tbl_cell(t, r, c)) < 0)
				return -1;
		if (fprintf(f, ",%s,%d\n", t->unit ? t->unit : "",
			    t->unit_mult) < 0)
			return -1;
	}
	return 0;
}
