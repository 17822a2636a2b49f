/*
 * check_main.h — what every Check test program's main() does: run the
 * suite, print Check's report, exit non-zero when a test failed.
 */
#ifndef DTS_CHECK_MAIN_H
#define DTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/*
 * An assertion for a hot loop. Check's ck_assert* record a mark point for
 * every assertion that passes (in fork mode a message to the parent each
 * time): a loop of a million of them spends its time there, several times
 * more under the sanitizers. This one calls Check only when it fails, with
 * the same message and the loop's file and line.
 */
#define dts_loop_assert(expr, ...)                                            \
	do {                                                                  \
		if (!(expr))                                                  \
			ck_abort_msg("Assertion '" #expr "' failed: " __VA_ARGS__); \
	} while (0)

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
