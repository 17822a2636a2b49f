/*
 * fuzz_cube_bin.c — libFuzzer target for the binary cube partial
 * (dts_cube_write_binary_cb; read by dts_cube_read_partial). An input
 * that starts with the binary magic gets its checksum recomputed (so the
 * parser behind it is reached, not only the checksum test); any other
 * input is read as a text partial. Whatever reads must survive both
 * round trips: binary -> cube -> binary gives the same bytes, and text ->
 * binary -> text gives the text the cube writes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*writer)(const dts_cube *, FILE *);

static char *write_with(writer w, const dts_cube *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (w(c, f) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* FNV-1a 64 of all but the last 8 bytes, into them (little-endian). */
static void fix_checksum(unsigned char *p, size_t len)
{
	uint64_t h = 14695981039346656037u;

	if (len < 8)
		return;
	for (size_t i = 0; i < len - 8; i++)
		h = (h ^ p[i]) * 1099511628211u;
	for (int i = 0; i < 8; i++)
		p[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

/* c's binary partial reads back to a cube with the same binary and the
 * same text partial as c. */
static void round_trips(const dts_cube *c)
{
	size_t lb = 0, lb2 = 0, lt = 0, lt2 = 0;
	char *b = write_with(dts_cube_write_binary, c, &lb), *b2 = NULL;
	char *t = write_with(dts_cube_write_partial, c, &lt), *t2 = NULL;
	dts_cube *d = NULL;

	if (!b || !t) /* out of memory only */
		goto done;
	if (dts_cube_read_partial(&d, "again", b, lb) < 0)
		abort(); /* a binary partial the writer made must read */
	if (!(b2 = write_with(dts_cube_write_binary, d, &lb2)) ||
	    !(t2 = write_with(dts_cube_write_partial, d, &lt2)))
		goto done;
	if (lb != lb2 || memcmp(b, b2, lb) || lt != lt2 || memcmp(t, t2, lt))
		abort();
	dts_cube_merge(d, c); /* exercise merging what was read */
done:
	free(b);
	free(b2);
	free(t);
	free(t2);
	dts_cube_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *in = malloc(size + 1);
	dts_cube *c = NULL;

	if (!in)
		return 0;
	memcpy(in, data, size);
	if (dts_cube_is_binary((const char *)in, size))
		fix_checksum(in, size);
	if (dts_cube_read_partial(&c, "fuzz", (const char *)in, size) == 0)
		round_trips(c);
	dts_cube_free(c);
	free(in);
	return 0;
}
