/*
 * harmonise.h — the canonical reading's code harmonisation (harmonise.c),
 * for source.c. Internal, never installed.
 */
#ifndef DTS_HARMONISE_H
#define DTS_HARMONISE_H

#include "internal.h"

#define DTS__HARM_NFIELDS 3     /* trade_mode, counterpart, region */

typedef struct dts__harm dts__harm;

/* Harmonise the bound trade mode, partner and region columns of `row`
 * (partners read as customs codes when `customs`): a column whose value
 * the code lists know under another spelling points at the one code, in
 * a copy of the row's column arrays that *hp owns (created on first use).
 * Returns 1 (the row, as dts_source_next returns it) or DTS_ENOMEM. */
int dts__harmonise(dts__harm **hp, const dts_binding *b, int customs, dts_source_row *row);
void dts__harm_free(dts__harm *h);

#endif
