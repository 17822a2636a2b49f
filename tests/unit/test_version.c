/*
 * test_version.c — the generated dts/version.h, dts_version(),
 * dts_version_number() and meson.project_version() (passed in as
 * DTS_MESON_VERSION) all say the same version.
 */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "dts.h"

START_TEST(test_header_is_meson)
{
	char s[64];

	ck_assert_str_eq(DTS_VERSION_STRING, DTS_MESON_VERSION);
	snprintf(s, sizeof(s), "%d.%d.%d", DTS_VERSION_MAJOR, DTS_VERSION_MINOR,
		 DTS_VERSION_PATCH);
	ck_assert_str_eq(s, DTS_MESON_VERSION);
}
END_TEST

START_TEST(test_runtime_is_header)
{
	ck_assert_str_eq(dts_version(), DTS_VERSION_STRING);
	ck_assert_int_eq(dts_version_number(), DTS_VERSION_NUMBER);
	ck_assert_int_eq(DTS_VERSION_NUMBER, DTS_VERSION_MAJOR << 16 |
			 DTS_VERSION_MINOR << 8 | DTS_VERSION_PATCH);
}
END_TEST

START_TEST(test_check_macro)
{
	ck_assert(DTS_VERSION_CHECK(0, 0, 0));
	ck_assert(DTS_VERSION_CHECK(DTS_VERSION_MAJOR, DTS_VERSION_MINOR,
				    DTS_VERSION_PATCH));
	ck_assert(!DTS_VERSION_CHECK(DTS_VERSION_MAJOR, DTS_VERSION_MINOR,
				     DTS_VERSION_PATCH + 1));
	ck_assert(!DTS_VERSION_CHECK(DTS_VERSION_MAJOR, DTS_VERSION_MINOR + 1, 0));
	ck_assert(!DTS_VERSION_CHECK(DTS_VERSION_MAJOR + 1, 0, 0));
#if !DTS_VERSION_CHECK(0, 1, 0)
	ck_abort_msg("DTS_VERSION_CHECK must work in #if");
#endif
}
END_TEST

static Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_header_is_meson);
	tcase_add_test(tc, test_runtime_is_header);
	tcase_add_test(tc, test_check_macro);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(version_suite());
}
