/*
 * fuzz_csv.c — libFuzzer target for the CSV reader.
 *
 * The first byte picks the options (separator, header, ragged, encoding,
 * block size, limits); the rest is the input. Every input is read twice,
 * with the word-at-a-time parser and with the byte-at-a-time reference,
 * at different block sizes, and the two must return the same rows; and
 * a third time from a descriptor after a peeked head (the way the tools
 * read a pipe), which must agree too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dts.h"
#include "dts/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A running hash of everything a reader returns (0: the open failed). */
static uint64_t digest_reader(dts_csv *r, int open_rc)
{
	uint64_t h = 1469598103934665603ULL;
	dts_csv_row row;
	size_t i, k;
	int rc;

#define MIX(p, n) for (k = 0; k < (n); k++) h = (h ^ (unsigned char)(p)[k]) * 1099511628211ULL
	if (open_rc < 0)
		return 0;
	while ((rc = dts_csv_next(&row, r)) != 0) {
		h = (h ^ (uint64_t)rc ^ (row.line << 8)) * 1099511628211ULL;
		if (rc < 0) {
			if (rc != DTS_EINPUT || !row.error)
				abort();
			MIX(row.error, strlen(row.error));
			MIX(row.raw, row.raw_len);
			continue;
		}
		for (i = 0; i < row.nfields; i++) {
			if (row.fields[i][row.lens[i]] != '\0')
				abort();
			MIX(row.fields[i], row.lens[i]);
			h = (h ^ 0xFF) * 1099511628211ULL;
		}
	}
	dts_csv_free(r);
	return h;
}

static uint64_t digest(const char *in, size_t len, const dts_csv_options *o)
{
	dts_csv *r = NULL;
	int rc = dts_csv_open_buffer(&r, in, len, "fuzz", o);

	return digest_reader(r, rc);
}

/* A memfd holding the input, its first `head` bytes handed over as peeked. */
static uint64_t digest_fd(const char *in, size_t len, size_t head, const dts_csv_options *o)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC), rc;
	dts_csv *r = NULL;
	uint64_t h;

	if (fd < 0 || (size_t)write(fd, in, len) != len || lseek(fd, (off_t)head, SEEK_SET) < 0)
		abort();
	rc = dts_csv_open_fd_head(&r, fd, in, head, "fuzz", o);
	h = digest_reader(r, rc);
	close(fd);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = { ',', ';', '\t', '|' };
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	unsigned c;

	if (size < 1)
		return 0;
	c = data[0];
	o.separator = seps[c & 3];
	o.header = (c >> 2) & 1;
	o.flags = (c >> 3) & 1 ? DTS_CSV_RAGGED : 0;
	o.encoding = (c >> 4) & 1 ? "gb18030" : NULL;
	o.max_field = (c >> 5) & 1 ? 16 : 0;
	o.max_record = o.max_field ? 64 : 0;
	o.block_size = 1 + ((c >> 6) & 3) * 5;
	{
		uint64_t a = digest((const char *)data + 1, size - 1, &o);
		o.flags |= DTS_CSV_SIMPLE;
		o.block_size = 0;
		if (digest((const char *)data + 1, size - 1, &o) != a)
			abort();
		o.flags &= ~DTS_CSV_SIMPLE;
		o.block_size = 1 + c % 7;
		if (digest_fd((const char *)data + 1, size - 1,
			      (c * 5u) % size, &o) != a)
			abort();
	}
	return 0;
}
