/* unit.c — units of amounts (万元, 千美元, USD thousand) in headers and unit rows. */
#include "internal.h"
#include "dts/unit.h"

int dts_unit_parse(dts_unit *out, const char *s, size_t len)
{
	(void)out; (void)s; (void)len;
	return dts__error(DTS_ERROR, NULL, 0, 0, "dts_unit_parse: not yet");
}

int dts_unit_find(dts_unit *out, size_t *name_len, const char *text, size_t len)
{
	(void)out; (void)name_len; (void)text; (void)len;
	return dts__error(DTS_ERROR, NULL, 0, 0, "dts_unit_find: not yet");
}
