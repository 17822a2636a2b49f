/* rules_diff.h — the `dts-rules diff` command's layout (rules_diff.c). */
#ifndef DTS_RULES_DIFF_H
#define DTS_RULES_DIFF_H

#include "tool.h"

/*
 * args: OLD.xml NEW.xml INPUT... (n of them). Prints the records and value
 * that move between categories (dts/diff.h) and each category's totals
 * under both; `details` (may be NULL) gets one CSV row per moved record.
 * Returns the exit code: 0 nothing moved, 1 records moved, 2 usage, 3 a
 * file could not be used.
 */
int rules_diff(char *const *args, int n, const char *details);

#endif
