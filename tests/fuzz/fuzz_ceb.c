/*
 * fuzz_ceb.c — libFuzzer target for the customs XML reader.
 *
 * The first byte picks the read block size; the input must give the same
 * records whatever the block, and every record must be well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "dts/ceb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t digest(const char *in, size_t len, size_t block)
{
	dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
	uint64_t h = 1469598103934665603ULL;
	dts_ceb *r;
	dts_ceb_record rec;
	size_t i;
	int rc;

	o.block_size = block;
	o.max_message = 4096;
	if (dts_ceb_open_buffer(&r, in, len, "fuzz", &o) < 0)
		abort();
	while ((rc = dts_ceb_next(&rec, r)) != 0) {
		h = (h ^ (uint64_t)rc ^ (rec.line << 8)) * 1099511628211ULL;
		if (rc < 0) {
			if (rc != DTS_EINPUT || !rec.error || strlen(rec.raw) != rec.raw_len)
				abort();
			continue;
		}
		for (i = 0; i < rec.npairs; i++)
			if (strlen(rec.pairs[i].value) != rec.pairs[i].len)
				abort();
		for (i = 0; i < rec.nfields; i++)
			h = (h ^ rec.fields[i].len ^ ((uint64_t)rec.fields[i].field << 32)) *
			    1099511628211ULL;
	}
	dts_ceb_free(r);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (digest((const char *)data + 1, size - 1, 1 + data[0] % 13) !=
	    digest((const char *)data + 1, size - 1, 0))
		abort();
	return 0;
}
