/*
 * hash.h — the library's one string hash: FNV-1a, 64 bits
 * (http://www.isthe.com/chongo/tech/comp/fnv/). Hash tables (the cube's
 * cells and enterprise ids, the rule set's keys and categories) and the
 * partial format's checksum (docs/statistics.md) all use it. Internal,
 * never installed; tools built with the static library may include it.
 */
#ifndef DTS_HASH_H
#define DTS_HASH_H

#include <stddef.h>
#include <stdint.h>

#define DTS__FNV_OFFSET 14695981039346656037u /* the 64-bit offset basis */
#define DTS__FNV_PRIME 1099511628211u         /* the 64-bit FNV prime */

/* One byte more into h. */
static inline uint64_t dts__fnv_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * DTS__FNV_PRIME;
}

/* len bytes at s more into h: a hash continued across pieces. */
static inline uint64_t dts__fnv_more(uint64_t h, const void *s, size_t len)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < len; i++)
		h = dts__fnv_step(h, p[i]);
	return h;
}

/* FNV-1a 64 of len bytes at s. */
static inline uint64_t dts__fnv(const void *s, size_t len)
{
	return dts__fnv_more(DTS__FNV_OFFSET, s, len);
}

#endif
