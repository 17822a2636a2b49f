/*
 * homophone.h — toneless pinyin of CJK characters, for the typo fallback
 * (scanner.c fuzzy()): input-method typos replace a character by another
 * of the same reading (运计算 for 云计算).
 */
#ifndef DTS_HOMOPHONE_H
#define DTS_HOMOPHONE_H

#include <stdint.h>

#define DTS_HP_FIRST 0x4E00
#define DTS_HP_COUNT (0x9FFF - DTS_HP_FIRST + 1)

/*
 * The table pinyin_gen.c writes at build time from ICU: the distinct
 * readings (lowercase ASCII, sorted) and, per character U+4E00..U+9FFF,
 * the index of its reading + 1 (0: none).
 */
extern const unsigned dts__pinyin_nsyllables;
extern const char dts__pinyin_syllables[][8];
extern const uint16_t dts__pinyin_of[DTS_HP_COUNT];

/*
 * 1 when the CJK unified ideographs at a and b (3 bytes of UTF-8 each,
 * U+4E00..U+9FFF) differ and have the same toneless pinyin, else 0 (also
 * when either has no reading). Thread-safe (read-only tables).
 */
int dts__homophone(const char *a, const char *b);

#endif
