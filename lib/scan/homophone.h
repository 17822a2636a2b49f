/*
 * homophone.h — toneless pinyin of CJK characters, for the typo fallback
 * (scanner.c fuzzy()): input-method typos replace a character by another
 * of the same reading (运计算 for 云计算).
 */
#ifndef DTS_HOMOPHONE_H
#define DTS_HOMOPHONE_H

/*
 * 1 when the CJK unified ideographs at a and b (3 bytes of UTF-8 each,
 * U+4E00..U+9FFF) differ and have the same toneless pinyin, else 0 (also
 * when either has no reading or ICU cannot be opened). Thread-safe.
 */
int dts__homophone(const char *a, const char *b);

#endif
