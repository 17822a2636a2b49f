/*
 * homophone.c — toneless pinyin by ICU's "Han-Latin; Latin-ASCII"
 * transliterator, one reading per character (ICU's; a character with
 * several readings, 行 xing/hang, compares by that one only, so a typo
 * through its other reading is missed rather than a wrong one read).
 *
 * Opening the transliterator costs about 170 ms, so it happens once per
 * process, the first time the typo fallback asks; each character's reading
 * is then computed once (about 12 us) and kept in a process-wide table of
 * packed ASCII (0: not yet asked). Building the whole table up front was
 * measured at 250 ms more and refused: a run asks for a few hundred.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "homophone.h"

#define HP_FIRST 0x4E00
#define HP_COUNT (0x9FFF - HP_FIRST + 1)
#define HP_NONE 1 /* asked: no reading */

static _Atomic uint64_t hp_tab[HP_COUNT];
static UTransliterator *hp_tr;
static pthread_once_t hp_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t hp_lock = PTHREAD_MUTEX_INITIALIZER; /* hp_tr */

static void hp_open(void)
{
	static const UChar id[] = u"Han-Latin; Latin-ASCII";
	UErrorCode e = U_ZERO_ERROR;

	hp_tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	if (U_FAILURE(e))
		hp_tr = NULL;
}

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
	return c >= HP_FIRST && c < HP_FIRST + HP_COUNT ? c : 0;
}

/* The reading of c, lowercase ASCII letters packed (at most 8). */
static uint64_t hp_read(uint32_t c)
{
	UChar buf[32] = { (UChar)c };
	int32_t len = 1, limit = 1, i;
	UErrorCode e = U_ZERO_ERROR;
	uint64_t k = 0;

	pthread_mutex_lock(&hp_lock);
	utrans_transUChars(hp_tr, buf, &len, 32, 0, &limit, &e);
	pthread_mutex_unlock(&hp_lock);
	if (U_FAILURE(e) || len < 1 || len > 8)
		return HP_NONE;
	for (i = 0; i < len; i++) {
		if (buf[i] < 'a' || buf[i] > 'z')
			return HP_NONE; /* untransliterated: still Han */
		k = k << 8 | buf[i];
	}
	return k;
}

static uint64_t hp_get(uint32_t c)
{
	_Atomic uint64_t *slot = &hp_tab[c - HP_FIRST];
	uint64_t k = atomic_load_explicit(slot, memory_order_relaxed);

	if (!k) { /* two threads may both compute it: same value */
		k = hp_read(c);
		atomic_store_explicit(slot, k, memory_order_relaxed);
	}
	return k;
}

int dts__homophone(const char *a, const char *b)
{
	uint32_t x = hp_code(a), y = hp_code(b);
	uint64_t k;

	if (!x || !y || x == y)
		return 0;
	pthread_once(&hp_once, hp_open);
	if (!hp_tr)
		return 0;
	k = hp_get(x);
	return k != HP_NONE && k == hp_get(y);
}
