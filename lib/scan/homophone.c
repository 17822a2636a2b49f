/*
 * homophone.c — toneless pinyin of CJK characters, from the table
 * pinyin_gen.c writes at build time with ICU's "Han-Latin; Latin-ASCII"
 * transliterator: one reading per character (ICU's; a character with
 * several readings, 行 xing/hang, compares by that one only, so a typo
 * through its other reading is missed rather than a wrong one read).
 *
 * Until session 8 the transliterator was opened at run time, lazily; its
 * opening cost about 990 M instructions (0.2-0.3 s) in every process that
 * reached the fallback. The table is 42 KB of read-only data, and
 * test_scanner's pinyin_table_matches_icu holds it against ICU itself.
 */
#include "homophone.h"

/* The code point of 3 bytes of UTF-8, or 0 outside U+4E00..U+9FFF. */
static uint32_t hp_code(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;

	if (p[0] < 0xE4 || p[0] > 0xE9 || (p[1] & 0xC0) != 0x80 ||
	    (p[2] & 0xC0) != 0x80)
		return 0;
	c = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
	    (p[2] & 0x3F);
	return c >= DTS_HP_FIRST && c < DTS_HP_FIRST + DTS_HP_COUNT ? c : 0;
}

int dts__homophone(const char *a, const char *b)
{
	uint32_t x = hp_code(a), y = hp_code(b);
	unsigned k;

	if (!x || !y || x == y)
		return 0;
	k = dts__pinyin_of[x - DTS_HP_FIRST];
	return k && k == dts__pinyin_of[y - DTS_HP_FIRST];
}
