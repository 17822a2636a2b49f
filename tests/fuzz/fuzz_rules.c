/*
 * fuzz_rules.c — libFuzzer target for the classifier loader and compiler:
 * arbitrary bytes as a classifier file must give a rule set or an error,
 * never a crash, a leak or a hang. Rule sets that compile are also linted
 * and used to classify one record, which exercises the prefilter built
 * from whatever the fuzzer wrote.
 */
#include <stdint.h>
#include <string.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ignore_lint(const dts_lint *f, void *payload)
{
	(void)f;
	(void)payload;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;
	dts_rules *rules = NULL;
	dts_scanner *sc = NULL;
	dts_result res;
	dts_value v[3] = {
		{DTS_F_HS_CODE, "8471300000", 10},
		{DTS_F_EBOPS_CODE, "SI22", 4},
		{DTS_F_DESCRIPTION, "云服务 cloud SaaS 网络游戏", strlen("云服务 cloud SaaS 网络游戏")},
	};

	o.match_limit = 10000;
	o.max_file_size = 1 << 20;
	if (dts_rules_compile_buffer(&rules, "fuzz.xml", NULL, (const char *)data,
				     size, &o) < 0)
		return 0;
	dts_rules_lint(rules, ignore_lint, NULL);
	if (dts_scanner_new(&sc, rules, 0) == 0)
		dts_scanner_classify(&res, sc, v, 3);
	dts_scanner_free(sc);
	dts_rules_free(rules);
	return 0;
}
