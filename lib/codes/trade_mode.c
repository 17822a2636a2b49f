/*
 * trade_mode.c — customs supervision modes (监管方式, 4 digits) and the
 * statistical trade modes of customs statistics (贸易方式, 2 digits).
 *
 * The statistical mode of a supervision mode is its last two digits (the
 * code table's structure: the first two classify for customs control, the
 * last two are the statistics code), so 0110, 1210, 9610, 9710 and 9810
 * are all counted as 10 一般贸易: e-commerce is not separable once a file
 * carries only the 2-digit scheme (docs/codes.md).
 */
#include <string.h>

#include "internal.h"
#include "codes_int.h"

static int mode_row(const char *in, size_t len, char *key)
{
	size_t n;
	int rc, row;

	if ((rc = dts__code_key_of(key, &n, "trade mode", in, len)) < 0)
		return rc;
	/* 110 is 0110 whose leading zero a spreadsheet dropped: no mode has
	 * three digits */
	if (n == 3 && dts__code_digits(key, n)) {
		memmove(key + 1, key, 4);
		key[0] = '0';
	}
	row = dts__code_find(dts__codes_trade_mode_keys,
			     dts__codes_trade_mode_keys_n, key);
	return row < 0 ? dts__code_notfound("trade mode", key) : row;
}

int dts_code_trade_mode(const char **out, const char *in, size_t len)
{
	char key[DTS__CODE_MAX];
	int row;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "trade mode: no out");
	if ((row = mode_row(in, len, key)) < 0)
		return row;
	*out = dts__codes_trade_mode[row].code;
	return 0;
}

int dts_code_trade_mode_stat_of(const char **out, const char *in, size_t len)
{
	char key[DTS__CODE_MAX];
	const dts__code_row *m;
	int row;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "trade mode: no out");
	if ((row = mode_row(in, len, key)) < 0)
		return row;
	m = &dts__codes_trade_mode[row];
	if (m->aux < 0) /* 1300, 0654 ...: not in the trade-mode breakdown */
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
				  "trade mode: %s %s is in no statistical trade "
				  "mode (%s is not one)", m->code, m->name,
				  m->code + 2);
	*out = dts__codes_stat[m->aux].code;
	return 0;
}

int dts_code_trade_mode_stat(const char **out, const char *in, size_t len)
{
	char key[DTS__CODE_MAX];
	size_t n;
	int rc, row;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "statistical trade mode: no out");
	if ((rc = dts__code_key_of(key, &n, "statistical trade mode", in,
				   len)) < 0)
		return rc;
	row = dts__code_find(dts__codes_stat_keys, dts__codes_stat_keys_n, key);
	if (row < 0)
		return dts__code_notfound("statistical trade mode", key);
	*out = dts__codes_stat[row].code;
	return 0;
}

int dts_code_trade_mode_stat_cbec(const char *code)
{
	int row = code ? dts__code_row_of(dts__codes_stat, dts__codes_stat_n,
					  code) : -1;

	if (row < 0)
		return dts__code_notfound("statistical trade mode",
					  code ? code : "");
	return dts__codes_stat[row].aux;
}
