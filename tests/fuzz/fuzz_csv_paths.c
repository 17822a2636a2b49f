/*
 * fuzz_csv_paths.c — libFuzzer target: the CSV reader's fast path against
 * its reference path (issue 16).
 *
 * The first byte picks the options (separator, header, ragged, encoding,
 * limits); the rest is the input. It is read on the reference path
 * (DTS_CSV_REFERENCE), then on the fast path at each kernel level (AVX2,
 * SSE2, portable, as far as the CPU has them) with the default block and
 * with a small one, and with verify_every 1 (every fast record re-read on
 * the reference path, a difference being DTS_ERROR); every row must be the
 * same: result, line, record number, reason, column, raw bytes, fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "dts/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A running hash of everything a reader returns (0: the open failed). */
static uint64_t digest(const char *in, size_t len, const dts_csv_options *o)
{
	uint64_t h = 1469598103934665603ULL;
	dts_csv *r = NULL;
	dts_csv_row row;
	size_t i, k;
	int rc;

#define MIX(p, n) for (k = 0; k < (n); k++) h = (h ^ (unsigned char)(p)[k]) * 1099511628211ULL
#define MIXN(v) h = (h ^ (uint64_t)(v)) * 1099511628211ULL
	if (dts_csv_open_buffer(&r, in, len, "fuzz", o) < 0)
		return 0;
	while ((rc = dts_csv_next(&row, r)) != 0) {
		if (rc < 0 && rc != DTS_EINPUT)
			abort();   /* DTS_ERROR: verify_every found a difference */
		MIXN(rc);
		MIXN(row.line);
		MIXN(row.record);
		MIXN(row.column);
		MIX(row.raw, row.raw_len);
		if (rc < 0) {
			MIX(row.error, strlen(row.error));
			continue;
		}
		for (i = 0; i < row.nfields; i++) {
			if (row.fields[i][row.lens[i]] != '\0')
				abort();
			MIX(row.fields[i], row.lens[i]);
			MIXN(0x100 + row.lens[i]);
		}
	}
	dts_csv_free(r);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = { ',', ';', '\t', '|' };
	static const unsigned kernels[] = { 0, DTS_CSV_KERNEL_SSE2, DTS_CSV_KERNEL_SCALAR };
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	const char *in = (const char *)data + 1;
	uint64_t ref;
	unsigned c, base;

	if (size < 1)
		return 0;
	c = data[0];
	o.separator = seps[c & 3];
	o.header = (c >> 2) & 1;
	base = (c >> 3) & 1 ? DTS_CSV_RAGGED : 0;
	o.encoding = (c >> 4) & 3 ? ((c >> 4) & 3) == 1 ? "gb18030" : "utf-8" : NULL;
	o.max_field = (c >> 6) & 1 ? 16 : 0;
	o.max_record = o.max_field ? 64 : 0;
	o.max_fields = (c >> 7) & 1 ? 3 : 0;
	o.flags = base | DTS_CSV_REFERENCE;
	ref = digest(in, size - 1, &o);
	for (size_t k = 0; k < 3; k++) {
		o.flags = base | kernels[k];
		o.block_size = 0;
		o.verify_every = 0;
		if (digest(in, size - 1, &o) != ref)
			abort();
		o.block_size = 1 + c % 37;
		o.verify_every = 1;
		if (digest(in, size - 1, &o) != ref)
			abort();
	}
	return 0;
}
