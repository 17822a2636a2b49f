/*
 * test_homophone.c — the build-time pinyin table (lib/scan/pinyin_gen.c)
 * against ICU's "Han-Latin; Latin-ASCII" transliterator itself, character
 * by character over U+4E00..U+9FFF, and dts__homophone on pairs.
 */
#include "check_main.h"
#include <check.h>
#include <string.h>

#include <unicode/utrans.h>

#include "../../lib/scan/homophone.h"

/* ICU's reading of c, lowercase ASCII, or "" when it leaves c as Han. */
static void icu_reading(UTransliterator *tr, unsigned c, char *r, size_t cap)
{
	UChar buf[32] = { (UChar)c };
	int32_t len = 1, limit = 1;
	UErrorCode e = U_ZERO_ERROR;

	r[0] = '\0';
	utrans_transUChars(tr, buf, &len, 32, 0, &limit, &e);
	if (U_FAILURE(e) || len < 1 || (size_t)len >= cap)
		return;
	for (int32_t i = 0; i < len; i++) {
		if (buf[i] < 'a' || buf[i] > 'z') {
			r[0] = '\0';
			return;
		}
		r[i] = (char)buf[i];
	}
	r[len] = '\0';
}

START_TEST(table_matches_icu)
{
	static const UChar id[] = u"Han-Latin; Latin-ASCII";
	UErrorCode e = U_ZERO_ERROR;
	UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	unsigned with = 0;
	char want[16];

	ck_assert_msg(U_SUCCESS(e), "ICU: %s", u_errorName(e));
	for (unsigned c = 0; c < DTS_HP_COUNT; c++) {
		unsigned k = dts__pinyin_of[c];
		const char *got = k ? dts__pinyin_syllables[k - 1] : "";

		icu_reading(tr, DTS_HP_FIRST + c, want, sizeof(want));
		dts_loop_assert(k <= dts__pinyin_nsyllables && strcmp(got, want) == 0,
				"U+%04X: table '%s', ICU '%s'", DTS_HP_FIRST + c, got, want);
		with += k != 0;
	}
	utrans_close(tr);
	/* ICU reads nearly all of the block; about 410 syllables */
	ck_assert_uint_gt(with, 20000);
	ck_assert_uint_ge(dts__pinyin_nsyllables, 380);
	ck_assert_uint_le(dts__pinyin_nsyllables, 450);
	for (unsigned i = 1; i < dts__pinyin_nsyllables; i++)
		ck_assert_int_lt(strcmp(dts__pinyin_syllables[i - 1], dts__pinyin_syllables[i]), 0);
}
END_TEST

START_TEST(pairs)
{
	ck_assert_int_eq(dts__homophone("运", "云"), 1);   /* yun */
	ck_assert_int_eq(dts__homophone("宜", "译"), 1);   /* yi */
	ck_assert_int_eq(dts__homophone("看", "译"), 0);   /* kan, yi */
	ck_assert_int_eq(dts__homophone("云", "云"), 0);   /* the same character */
	ck_assert_int_eq(dts__homophone("a\x80\x80", "云"), 0); /* not CJK */
	ck_assert_int_eq(dts__homophone("㐀", "云"), 0);  /* U+3400, outside the table */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("homophone");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, table_matches_icu);
	tcase_add_test(tc, pairs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(suite());
}
