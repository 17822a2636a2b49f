/*
 * dts/gen.h — deterministic synthetic trade records, for tests and
 * benchmarks.
 *
 * Writes CSV with the header
 *   id,source,flow,period,hs_code,ebops_code,trade_mode,description,
 *   counterpart,region,enterprise_id,channel,delivery,value,currency
 * and about 150 bytes a record: customs declaration lines (HS codes,
 * supervision modes, cross-border e-commerce about 13% of them), BOP
 * services records (EBOPS 2010 codes) and survey replies (free text in
 * Chinese and English), or a mix (70/20/10). The same options give the
 * same bytes on every machine: the stream is a fixed splitmix64 sequence
 * and nothing depends on the locale, the clock or the libc. A run is a
 * prefix of any longer run with the same seed and kind.
 *
 * No generated field holds a comma, a quote or a line end, so the output
 * can also be read by `awk -F,`. The code lists and their sources are
 * described in lib/gen/generate.c.
 *
 *   dts_gen_options o = DTS_GEN_OPTIONS_INIT;
 *   o.seed = 42;  o.records = 100000;
 *   if (dts_gen_write(stdout, &o) < 0) ...
 */
#ifndef DTS_GEN_H
#define DTS_GEN_H

#include <stdio.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What to generate. */
typedef enum dts_gen_kind {
	DTS_GEN_MIXED = 0, /**< 70% customs, 20% BOP, 10% survey, interleaved */
	DTS_GEN_CUSTOMS,   /**< customs declaration lines (goods) */
	DTS_GEN_BOP,       /**< balance-of-payments services records */
	DTS_GEN_SURVEY     /**< enterprise survey replies */
} dts_gen_kind;

#define DTS_GEN_OPTIONS_VERSION 1

/** Generator options. Start from DTS_GEN_OPTIONS_INIT. */
typedef struct dts_gen_options {
	unsigned int version; /**< DTS_GEN_OPTIONS_VERSION */
	uint64_t seed;        /**< the stream; default 1 */
	uint64_t records;     /**< number of records (default 1000), when bytes is 0 */
	uint64_t bytes;       /**< when not 0: records until the output, header
				   included, reaches this many bytes (the last
				   record crosses it) */
	dts_gen_kind kind;    /**< default DTS_GEN_MIXED */
} dts_gen_options;

#define DTS_GEN_OPTIONS_INIT { DTS_GEN_OPTIONS_VERSION, 1, 1000, 0, DTS_GEN_MIXED }

/**
 * The kind named `name` ("mixed", "customs", "bop", "survey") into *out.
 * Returns 0, or DTS_ENOTFOUND for another name (*out untouched),
 * DTS_EINVAL for NULL. Thread-safe.
 */
DTS_API int dts_gen_kind_parse(dts_gen_kind *out, const char *name);

/**
 * The name of `kind` ("mixed" ...), static storage, or NULL for a value not
 * in the enum. Thread-safe.
 */
DTS_API const char *dts_gen_kind_name(dts_gen_kind kind);

/**
 * Write the header and the records `opts` asks for (NULL: the defaults)
 * to `f`, in pieces of one record. The stream is not flushed or closed;
 * buffer it generously (setvbuf) for speed. Errors: DTS_EIO when a write
 * fails (the message is the system's reason; what was written stays),
 * DTS_EINVAL (f NULL, a kind not in the enum, an unknown options
 * version). Thread-safe: the generator keeps its state on the stack.
 */
DTS_API int dts_gen_write(FILE *f, const dts_gen_options *opts);

/**
 * Like dts_gen_write(), handing each piece (the header, then one record
 * with its line end) to `cb`, which must not keep the pointer. A non-zero
 * return from cb stops the generator and is returned unchanged.
 */
DTS_API int dts_gen_write_cb(dts_write_cb cb, void *payload,
			     const dts_gen_options *opts);

#ifdef __cplusplus
}
#endif
#endif
