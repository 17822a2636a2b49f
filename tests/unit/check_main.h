/*
 * check_main.h — what every Check test program's main() does: run the
 * suite, print Check's report, exit non-zero when a test failed.
 */
#ifndef DTS_CHECK_MAIN_H
#define DTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int dts_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
