/*
 * csv_simd.c — the CSV reader's kernels (csv_simd.h).
 *
 * The structural index compares a 64-byte block with the bytes the reader
 * cares about and packs one bit a byte: AVX2 in two 32-byte compares, SSE2
 * in four 16-byte ones, and a portable version eight bytes at a time
 * (exact per-byte zero tests, the flags packed with one multiply).
 *
 * The UTF-8 check (AVX2) classifies each byte pair by three 16-entry
 * nibble tables — the high nibble of the previous byte, its low nibble,
 * the high nibble of this byte — whose AND is nonzero exactly for a
 * forbidden pair (a lead not followed by a continuation, a stray
 * continuation, an overlong form, a surrogate, a code point above
 * U+10FFFF); third and fourth bytes of longer sequences are checked by
 * comparing the bytes two and three back. This is the method of Keiser
 * and Lemire, "Validating UTF-8 in less than one instruction per byte"
 * (Software: Practice and Experience, 2021). The input is followed by a
 * block of zeros, so a sequence cut at the end fails as too short. With
 * no AVX2 the check is dts_utf8_valid (8 ASCII bytes a step).
 *
 * Debian bookworm has no packaged SIMD UTF-8 library (no libsimdutf-dev),
 * hence this file.
 */
#include <string.h>

#include "csv_simd.h"
#include "dts/field.h"

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_X86 1
#include <immintrin.h>
#endif

/* ---- portable ------------------------------------------------------------ */

#define LOW7 UINT64_C(0x7F7F7F7F7F7F7F7F)

/* 0x80 in each byte of w that is zero, exactly (no borrow between bytes). */
static inline uint64_t zero_bytes(uint64_t w)
{
	return ~(((w & LOW7) + LOW7) | w | LOW7);
}

/* The high bits of the 8 bytes of m (each 0x80 or 0) as 8 bits. */
static inline uint64_t pack8(uint64_t m)
{
	return ((m >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

static void index_scalar(dts__csv_block *out, const char *p, unsigned char sep)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t s = 0, l = 0, x = 0, h = 0, w;
	unsigned i;

	for (i = 0; i < 8; i++) {
		memcpy(&w, p + 8 * i, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		s |= pack8(zero_bytes(w ^ (ones * sep))) << (8 * i);
		l |= pack8(zero_bytes(w ^ (ones * '\n'))) << (8 * i);
		x |= pack8(zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\r')) |
			   zero_bytes(w)) << (8 * i);
		h |= pack8(w & UINT64_C(0x8080808080808080)) << (8 * i);
	}
	out->sep = s;
	out->lf = l;
	out->special = x;
	out->high = h;
}

static int utf8_scalar(const char *p, size_t n)
{
	return dts_utf8_valid(p, n, NULL);
}

/* ---- SSE2 ------------------------------------------------------------------ */

#ifdef HAVE_X86
__attribute__((target("sse2")))
static void index_sse2(dts__csv_block *out, const char *p, unsigned char sep)
{
	const __m128i vs = _mm_set1_epi8((char)sep), vl = _mm_set1_epi8('\n');
	const __m128i vq = _mm_set1_epi8('"'), vc = _mm_set1_epi8('\r');
	const __m128i vz = _mm_setzero_si128();
	uint64_t s = 0, l = 0, x = 0, h = 0;
	unsigned i;

	for (i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
		__m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vc)),
					  _mm_cmpeq_epi8(v, vz));

		s |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs)) << (16 * i);
		l |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vl)) << (16 * i);
		x |= (uint64_t)(unsigned)_mm_movemask_epi8(sp) << (16 * i);
		h |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * i);
	}
	out->sep = s;
	out->lf = l;
	out->special = x;
	out->high = h;
}

/* ---- AVX2 ------------------------------------------------------------------ */

__attribute__((target("avx2")))
static void index_avx2(dts__csv_block *out, const char *p, unsigned char sep)
{
	const __m256i vs = _mm256_set1_epi8((char)sep), vl = _mm256_set1_epi8('\n');
	const __m256i vq = _mm256_set1_epi8('"'), vc = _mm256_set1_epi8('\r');
	const __m256i vz = _mm256_setzero_si256();
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	__m256i xa = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, vq), _mm256_cmpeq_epi8(a, vc)),
				     _mm256_cmpeq_epi8(a, vz));
	__m256i xb = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(b, vq), _mm256_cmpeq_epi8(b, vc)),
				     _mm256_cmpeq_epi8(b, vz));

#define JOIN(lo, hi) ((uint64_t)(uint32_t)_mm256_movemask_epi8(lo) | \
		      (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32)
	out->sep = JOIN(_mm256_cmpeq_epi8(a, vs), _mm256_cmpeq_epi8(b, vs));
	out->lf = JOIN(_mm256_cmpeq_epi8(a, vl), _mm256_cmpeq_epi8(b, vl));
	out->special = JOIN(xa, xb);
	out->high = JOIN(a, b);
#undef JOIN
}

/* Byte-pair error classes (each bit one kind of forbidden pair). */
#define TOO_SHORT (1 << 0)   /* 11______ then 0_______ or 11______ */
#define TOO_LONG (1 << 1)    /* 0_______ then 10______ */
#define OVERLONG_3 (1 << 2)  /* 11100000 100_____ */
#define TOO_LARGE (1 << 3)   /* 11110100 1001____ and above */
#define SURROGATE (1 << 4)   /* 11101101 101_____ */
#define OVERLONG_2 (1 << 5)  /* 1100000_ 10______ */
#define TOO_LARGE_1000 (1 << 6) /* 11110101..11111111 1000____ */
#define OVERLONG_4 (1 << 6)  /* 11110000 1000____ */
#define TWO_CONTS (-128)     /* 1 << 7, as a char: 10______ 10______ */
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

#define TABLE16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

/* The block `in` shifted right by n bytes across the lanes, the last n
 * bytes of `prev` coming in first. */
#define PREV(in, prev, n) _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (n))

__attribute__((target("avx2")))
static inline __m256i utf8_errors(__m256i in, __m256i prev)
{
	const __m256i low = _mm256_set1_epi8(0x0F);
	const __m256i t1 = TABLE16(
		TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
		TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
		TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
		TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
	const __m256i t2 = TABLE16(
		CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
		CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000);
	const __m256i t3 = TABLE16(
		TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
		TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
	__m256i p1 = PREV(in, prev, 1), p2 = PREV(in, prev, 2), p3 = PREV(in, prev, 3);
	__m256i hi1 = _mm256_and_si256(_mm256_srli_epi16(p1, 4), low);
	__m256i lo1 = _mm256_and_si256(p1, low);
	__m256i hi0 = _mm256_and_si256(_mm256_srli_epi16(in, 4), low);
	__m256i pairs = _mm256_and_si256(_mm256_and_si256(_mm256_shuffle_epi8(t1, hi1),
							  _mm256_shuffle_epi8(t2, lo1)),
					 _mm256_shuffle_epi8(t3, hi0));
	/* a third or fourth byte: 0x80 where two back is >= E0 or three back >= F0 */
	__m256i third = _mm256_subs_epu8(p2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
	__m256i fourth = _mm256_subs_epu8(p3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
	__m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));

	return _mm256_xor_si256(must, pairs);
}

__attribute__((target("avx2")))
static int utf8_avx2(const char *p, size_t n)
{
	__m256i prev = _mm256_setzero_si256(), err = _mm256_setzero_si256(), in;
	char tail[32];
	size_t i = 0;
	int prev_high = 0, high;

	for (;;) {
		if (n - i >= 32) {
			in = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
			i += 32;
		} else if (i < n || prev_high) {
			/* the tail, then zeros: a sequence cut at the end is too short */
			memset(tail, 0, sizeof(tail));
			memcpy(tail, p + i, n - i);
			in = _mm256_loadu_si256((const __m256i *)(const void *)tail);
			if (i == n)
				prev_high = 2;   /* this was the block of zeros */
			i = n;
		} else {
			break;
		}
		high = _mm256_movemask_epi8(in) != 0;
		if (high || prev_high)
			err = _mm256_or_si256(err, utf8_errors(in, prev));
		if (prev_high == 2)
			break;
		prev_high = high;
		prev = in;
	}
	return _mm256_testz_si256(err, err);
}
#endif

/* ---- choice ----------------------------------------------------------------- */

int dts__kernel_best(void)
{
	static int best = -1;
	int b = __atomic_load_n(&best, __ATOMIC_RELAXED);

	if (b < 0) {
		b = DTS__KERNEL_SCALAR;
#ifdef HAVE_X86
		__builtin_cpu_init();
		if (__builtin_cpu_supports("avx2"))
			b = DTS__KERNEL_AVX2;
		else if (__builtin_cpu_supports("sse2"))
			b = DTS__KERNEL_SSE2;
#endif
		__atomic_store_n(&best, b, __ATOMIC_RELAXED);
	}
	return b;
}

dts__csv_index_fn dts__csv_index_kernel(int level)
{
	if (level > dts__kernel_best())
		level = dts__kernel_best();
#ifdef HAVE_X86
	if (level == DTS__KERNEL_AVX2)
		return index_avx2;
	if (level == DTS__KERNEL_SSE2)
		return index_sse2;
#endif
	return index_scalar;
}

dts__utf8_fn dts__utf8_kernel(int level)
{
	if (level > dts__kernel_best())
		level = dts__kernel_best();
#ifdef HAVE_X86
	if (level == DTS__KERNEL_AVX2)
		return utf8_avx2;
#endif
	return utf8_scalar;
}
