/* rules_diff.h — the `dts-rules diff` command (rules_diff.c). */
#ifndef DTS_RULES_DIFF_H
#define DTS_RULES_DIFF_H

#include "tool.h"

/*
 * Classify every record of the inputs with OLD and with NEW; print how
 * many records and how much value move from each category to another,
 * and each category's totals under both. `details` (may be NULL) gets one
 * CSV row per moved record. Returns the exit code: 0 nothing moved,
 * 1 records moved, 2 usage, 3 a file could not be used.
 */
int rules_diff(const char *old_path, const char *new_path,
	       char *const *inputs, int ninputs, const char *details);

#endif
