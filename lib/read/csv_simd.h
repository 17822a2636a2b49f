/*
 * csv_simd.h — the CSV reader's kernels (csv_simd.c): a structural index
 * of 64-byte blocks and a UTF-8 check, each in an AVX2, an SSE2 and a
 * portable version, the best one the CPU has chosen at run time.
 *
 * Internal to the library (the dts__ prefix); the reader (csv.c) calls
 * them on its buffer. Every function is thread-safe and allocates nothing.
 */
#ifndef DTS_CSV_SIMD_H
#define DTS_CSV_SIMD_H

#include <stddef.h>
#include <stdint.h>

/** Kernel levels, best last. */
enum { DTS__KERNEL_SCALAR = 0, DTS__KERNEL_SSE2 = 1, DTS__KERNEL_AVX2 = 2 };

/** The bytes of one 64-byte block that matter to the reader: bit i of
 *  each mask is byte i of the block. */
typedef struct dts__csv_block {
	uint64_t sep;      /* the separator */
	uint64_t lf;       /* '\n' */
	uint64_t special;  /* '"', '\r' or NUL: the record takes the careful path */
	uint64_t high;     /* bytes >= 0x80: the record's UTF-8 is checked */
} dts__csv_block;

typedef void (*dts__csv_index_fn)(dts__csv_block *out, const char *p, unsigned char sep);
typedef int (*dts__utf8_fn)(const char *p, size_t n);

/** The best level this CPU runs (__builtin_cpu_supports), computed once. */
int dts__kernel_best(void);

/**
 * The index kernel of `level` (capped at dts__kernel_best()): it reads
 * exactly 64 bytes at p (the caller pads its buffer).
 */
dts__csv_index_fn dts__csv_index_kernel(int level);

/**
 * The UTF-8 check of `level` (capped at dts__kernel_best()): 1 when the
 * n bytes at p are valid UTF-8 (the rules of dts_utf8_valid: no overlong
 * forms, no surrogates, nothing above U+10FFFF, no cut sequence at the
 * end), else 0. It says only whether; dts_utf8_valid says where.
 */
dts__utf8_fn dts__utf8_kernel(int level);

#endif
