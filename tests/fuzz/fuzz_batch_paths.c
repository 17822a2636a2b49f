/*
 * fuzz_batch_paths.c — libFuzzer target: dts-classify's output fast path
 * against its reference path (issue 16).
 *
 * The fast path copies a row that needs no quoting as it lies in the
 * batch block and keeps the formatted result columns per result; the
 * reference path (DTS_BATCH_REFERENCE) formats every row on the record
 * writers' general path. The input is read as CSV and classified with the
 * shipped classifier by one batch of each kind; the classified rows
 * (CSV or JSON lines, with or without the review column) and the rejected
 * rows must be the same bytes. The first byte picks the options:
 * separator, output format, review column, BOM, threads (1 or 2) and
 * rows per block (1, 3 or the default), so blocks and memo entries are
 * reused across rows of different shapes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"
#include "dts/batch.h"
#include "dts/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct sink {
	char *p;
	size_t len, cap;
} sink;

static int put(const void *data, size_t len, void *payload)
{
	sink *s = payload;

	if (s->len + len > s->cap) {
		size_t cap = (s->len + len) * 2 + 256;
		char *p = realloc(s->p, cap);

		if (!p)
			abort();
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, len);
	s->len += len;
	return 0;
}

static const dts_rules *shipped(void)
{
	static dts_rules *rules;
	const char *path = DTS_FUZZ_CLASSIFIER;

	if (!rules && dts_rules_compile(&rules, &path, 1, NULL) < 0)
		abort();
	return rules;
}

/* Classify `in` with a batch of `flags` and write what it gives into out
 * (classified rows) and rej (rejected rows). 0: the source did not open. */
static int run(sink *out, sink *rej, const char *in, size_t len, unsigned c,
	       unsigned flags)
{
	static const char seps[] = { ',', ';', '\t', '|' };
	static const size_t blocks[] = { 0, 1, 3, 0 };
	dts_source_options so = DTS_SOURCE_OPTIONS_INIT;
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_records_format fmt = (c >> 2) & 1 ? DTS_RECORDS_JSONL : DTS_RECORDS_CSV;
	unsigned wflags = ((c >> 3) & 1 ? DTS_RECORDS_REVIEW : 0) |
			  ((c >> 4) & 1 ? DTS_RECORDS_BOM : 0);
	dts_source *src = NULL;
	dts_batch *b = NULL;
	dts_records *w = NULL, *r = NULL;
	const char *const *names;
	size_t ncols;

	so.format = DTS_FORMAT_CSV;
	so.separator = seps[c & 3];
	if (dts_source_open_buffer(&src, in, len, "fuzz", &so) < 0)
		return 0;
	ncols = dts_source_header(src, &names);
	bo.threads = (c >> 5) & 1 ? 2 : 1;
	bo.block_rows = blocks[(c >> 6) & 3];
	bo.flags = flags;
	if (dts_batch_new(&b, shipped(), &bo) < 0 ||
	    dts_records_new_cb(&w, fmt, wflags, names, ncols, put, out) < 0 ||
	    dts_records_set_rules(w, shipped()) < 0 ||
	    dts_records_new_cb(&r, DTS_RECORDS_REJECTS, 0, NULL, 0, put, rej) < 0)
		abort();
	if (dts_records_write_header(w) < 0 || dts_records_write_header(r) < 0)
		abort();
	(void)dts_batch_run(b, src, w, r, NULL, NULL);
	dts_records_free(w);
	dts_records_free(r);
	dts_batch_free(b);
	dts_source_free(src);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sink fast = {0}, fast_rej = {0}, ref = {0}, ref_rej = {0};
	const char *in = (const char *)data + 1;
	int opened;

	if (size < 1)
		return 0;
	opened = run(&ref, &ref_rej, in, size - 1, data[0], DTS_BATCH_REFERENCE);
	if (run(&fast, &fast_rej, in, size - 1, data[0], 0) != opened)
		abort();
	if (fast.len != ref.len || (ref.len && memcmp(fast.p, ref.p, ref.len)) ||
	    fast_rej.len != ref_rej.len ||
	    (ref_rej.len && memcmp(fast_rej.p, ref_rej.p, ref_rej.len)))
		abort();   /* the two output paths wrote different bytes */
	free(fast.p);
	free(fast_rej.p);
	free(ref.p);
	free(ref_rej.p);
	return 0;
}
