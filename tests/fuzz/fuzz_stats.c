/*
 * fuzz_stats.c — libFuzzer target for the statistics inputs that are
 * parsed from text: cube partials (dts_cube_read_partial), rates files
 * (dts_rates_parse), periods, amounts and field values. The first byte
 * picks the parser. Whatever parses must survive its round trip: a partial
 * read back from its own output must write the same bytes, and an amount
 * must format and parse to the same number.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_partial(const dts_cube *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (dts_cube_write_partial(c, f) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static void partial(const char *in, size_t len)
{
	dts_cube *c = NULL, *d = NULL;
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;

	if (dts_cube_read_partial(&c, "fuzz", in, len) < 0)
		return;
	if ((a = write_partial(c, &la)) &&
	    dts_cube_read_partial(&d, "again", a, la) == 0 &&
	    (b = write_partial(d, &lb)) && (la != lb || memcmp(a, b, la)))
		abort(); /* a partial must read back to itself */
	if (d)
		dts_cube_merge(d, c); /* exercise merging what was read */
	free(a);
	free(b);
	dts_cube_free(c);
	dts_cube_free(d);
}

static void values(const char *in, size_t len)
{
	dts_money m, back;
	dts_period p;
	char buf[64], key[32];
	char *norm = malloc(len + 1);

	if (dts_money_parse(&m, in, len) == 0 &&
	    dts_money_format(buf, sizeof(buf), m, 4) > 0 &&
	    (dts_money_parse(&back, buf, strlen(buf)) < 0 || back != m))
		abort(); /* an amount must survive format + parse */
	if (dts_period_parse(&p, in, len) == 0)
		dts_period_key(key, sizeof(key), &p, DTS_PERIOD_YEAR);
	for (int f = 0; norm && f < DTS_F_COUNT; f++) {
		size_t n;

		if (dts_field_normalize(norm, len + 1, &n, f, in, len) < 0 || n > len)
			abort();
	}
	free(norm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dts_rates *r = NULL;
	const char *in = (const char *)data + 1;
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	switch (data[0] % 3) {
	case 0:
		partial(in, len);
		break;
	case 1:
		if (dts_rates_parse(&r, "fuzz", in, len) == 0)
			dts_rates_free(r);
		break;
	default:
		values(in, len);
		break;
	}
	return 0;
}
