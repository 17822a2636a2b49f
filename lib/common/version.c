/* version.c — the running library's version (dts/version.h has the headers'). */
#include "internal.h"

const char *dts_version(void)
{
	return DTS_VERSION_STRING;
}

int dts_version_number(void)
{
	return DTS_VERSION_NUMBER;
}
