/*
 * fuzz_model.c — libFuzzer target for the model-file parser: arbitrary
 * bytes must give a model or a file:line error, never a crash, a leak or
 * a hang. A model that loads is used to predict one record, which
 * exercises the weights and the feature table built from what the fuzzer
 * wrote.
 */
#include <stdint.h>
#include <string.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dts_model *m = NULL;
	dts_model_prediction p;
	dts_value v[3] = {
		{DTS_F_EBOPS_CODE, "SI22", 4},
		{DTS_F_FLOW, "X", 1},
		{DTS_F_DESCRIPTION, "云服务 cloud SaaS 网络游戏", strlen("云服务 cloud SaaS 网络游戏")},
	};

	if (dts_model_load_buffer(&m, "fuzz.model", (const char *)data, size) < 0)
		return 0;
	dts_model_predict(&p, m, v, 3);
	dts_model_free(m);
	return 0;
}
