/*
 * fuzz_ceb.c — libFuzzer target for the customs XML reader.
 *
 * The first byte picks the read block size and the message size limit;
 * the rest is the input. It is read three ways that must agree, record
 * for record and reason for reason: from memory in small blocks, from
 * memory in one block, and from a descriptor after a peeked head (the
 * way the tools read a pipe). Every record must be well formed, and
 * record numbers must count up by one (no record lost or repeated).
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
#include "dts/ceb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIX(h, p, n) \
	for (size_t k_ = 0; k_ < (n); k_++) \
		(h) = ((h) ^ (unsigned char)(p)[k_]) * 1099511628211ULL

static uint64_t digest(dts_ceb *r)
{
	uint64_t h = 1469598103934665603ULL, n = 0;
	dts_ceb_record rec;
	size_t i;
	int rc;

	while ((rc = dts_ceb_next(&rec, r)) != 0) {
		h = (h ^ (uint64_t)rc ^ (rec.line << 8)) * 1099511628211ULL;
		if (rc < 0 && rc != DTS_EINPUT)
			abort(); /* no I/O, and inputs are too small for ENOMEM */
		if (rec.record != ++n)
			abort();
		if (rc < 0) {
			if (!rec.error || strlen(rec.raw) != rec.raw_len)
				abort();
			MIX(h, rec.error, strlen(rec.error));
			continue;
		}
		for (i = 0; i < rec.npairs; i++)
			if (strlen(rec.pairs[i].value) != rec.pairs[i].len)
				abort();
		for (i = 0; i < rec.nfields; i++) {
			h = (h ^ ((uint64_t)rec.fields[i].field << 32)) * 1099511628211ULL;
			MIX(h, rec.fields[i].data, rec.fields[i].len);
		}
	}
	dts_ceb_free(r);
	return h;
}

static uint64_t from_memory(const char *in, size_t len, dts_ceb_options *o)
{
	dts_ceb *r;

	if (dts_ceb_open_buffer(&r, in, len, "fuzz", o) < 0)
		abort();
	return digest(r);
}

/* A memfd holding the input, its first `head` bytes handed over as peeked. */
static uint64_t from_fd(const char *in, size_t len, size_t head, dts_ceb_options *o)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	uint64_t h;
	dts_ceb *r;

	if (fd < 0 || (size_t)write(fd, in, len) != len || lseek(fd, (off_t)head, SEEK_SET) < 0)
		abort();
	if (dts_ceb_open_fd_head(&r, fd, in, head, "fuzz", o) < 0)
		abort();
	h = digest(r);
	close(fd);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
	const char *in = (const char *)data + 1;
	size_t len, head;
	uint64_t a;

	if (size < 1)
		return 0;
	len = size - 1;
	o.max_message = 64 + (size_t)(data[0] >> 4) * 300;
	o.block_size = 1 + data[0] % 13;
	a = from_memory(in, len, &o);
	o.block_size = 0;
	if (from_memory(in, len, &o) != a)
		abort();
	head = len ? (data[0] * 7u) % (len + 1) : 0;
	o.block_size = 1 + data[0] % 5;
	if (from_fd(in, len, head, &o) != a)
		abort();
	return 0;
}
