/*
 * check.c — the checks a record must pass before it is counted
 * (dts/record.h): amounts that are numbers, periods that are dates, flows
 * that are imports or exports, codes of the right shape. Tools reject a
 * record that fails, with the reason, instead of counting it wrongly
 * (DESIGN §6).
 */
#include <string.h>

#include "internal.h"

/* Normalise a short code into buf; 0 when too long to be a code. */
static size_t code_of(char *buf, size_t cap, int field, const char *s,
		      size_t len)
{
	size_t n = 0;

	if (len >= cap || dts_field_normalize(buf, cap, &n, field, s, len) < 0)
		return 0;
	return n;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int bad(const dts_value *v, const char *what)
{
	return dts__error(DTS_EINPUT, NULL, 0, 0, "%s '%.*s' %s",
			  dts_field_name(v->field),
			  (int)(v->len > 64 ? 64 : v->len), v->data, what);
}

/* EBOPS 2010: S, a group letter A..N, then up to four digits or letters. */
static int ebops_shape(const char *c, size_t n)
{
	size_t i;

	if (n < 2 || n > 6 || c[0] != 'S' || c[1] < 'A' || c[1] > 'N')
		return 0;
	for (i = 2; i < n; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
			return 0;
	return 1;
}

static int check_one(const dts_value *v)
{
	char buf[64];
	size_t n;
	dts_money m;
	dts_period p;

	if (v->len == 0)
		return 0; /* an empty field is absent, not wrong */
	switch (v->field) {
	case DTS_F_VALUE:
		if (dts_money_parse(&m, v->data, v->len) < 0)   /* say which */
			return bad(v, dts_error_last()->code == DTS_EOVERFLOW ?
				   "is out of range (at most 922337203685477.5807)" :
				   "is not an amount");
		return 0;
	case DTS_F_PERIOD:
		if (dts_period_parse(&p, v->data, v->len) < 0)
			return bad(v, "is not a date, month, quarter or year");
		return 0;
	case DTS_F_FLOW:
		if (!dts_flow_parse(v->data, v->len))
			return bad(v, "is neither import nor export");
		return 0;
	case DTS_F_HS_CODE:
		n = code_of(buf, sizeof(buf), v->field, v->data, v->len);
		if (n < 2 || n > 10 || !all_digits(buf, n))
			return bad(v, "is not an HS code (2 to 10 digits)");
		return 0;
	case DTS_F_TRADE_MODE:
		n = code_of(buf, sizeof(buf), v->field, v->data, v->len);
		if (n != 4 || !all_digits(buf, n))
			return bad(v, "is not a customs supervision mode (4 digits)");
		return 0;
	case DTS_F_EBOPS_CODE:
		n = code_of(buf, sizeof(buf), v->field, v->data, v->len);
		if (!ebops_shape(buf, n))
			return bad(v, "is not an EBOPS 2010 code (SA..SN)");
		return 0;
	default:
		return 0;
	}
}

int dts_record_check(const dts_value *values, size_t n)
{
	size_t i;
	int error;

	if (!values && n)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_record_check: NULL values");
	for (i = 0; i < n; i++)
		if ((error = check_one(&values[i])) < 0)
			return error;
	return 0;
}

int dts_record_value(dts_money *out, char currency[DTS_CURRENCY_SIZE],
		     const dts_value *values, size_t n)
{
	(void)out; (void)currency; (void)values; (void)n;
	return dts__error(DTS_ERROR, NULL, 0, 0, "not yet");
}
