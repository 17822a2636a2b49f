/*
 * profile_convert.c — the conversions profiles ask for (profile_convert.h),
 * as calls into the library's one implementation of each.
 */
#include <stdio.h>

#include "profile_convert.h"
#include "profile_int.h"

/* The message of the error the call just set, as the reason. */
static const char *reason(char *why, size_t cap)
{
	const dts_error *e = dts_error_last();

	snprintf(why, cap, "%s", e && e->message[0] ? e->message : "cannot be read");
	return why;
}

static int blank(const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] != ' ' && v[i] != '\t')
			return 0;
	return 1;
}

const char *dts__convert_amount(dts__buf *b, char stated[DTS_CURRENCY_SIZE], const char *v,
				size_t len, int exp, char *why, size_t cap)
{
	char out[32];
	dts_money m;
	int n;

	stated[0] = '\0';
	if (blank(v, len))
		return NULL;
	if (dts_money_parse_scaled(&m, stated, v, len, exp) < 0)
		return reason(why, cap);
	if ((n = dts_money_format(out, sizeof(out), m, DTS_MONEY_DECIMALS)) < 0)
		return reason(why, cap);
	/* the shortest exact decimal: 12.5000 -> 12.5, 100.0000 -> 100 */
	while (n > 0 && out[n - 1] == '0')
		n--;
	if (n > 0 && out[n - 1] == '.')
		n--;
	dts__buf_add(b, out, (size_t)n);
	return NULL;
}

const char *dts__convert_currency(dts__buf *b, const char *stated, const char *field,
				  size_t flen, const char *hint, char *why, size_t cap)
{
	char out[DTS_CURRENCY_SIZE];

	if (blank(field, flen) && hint) {
		field = hint;
		flen = strlen(hint);
	}
	if (dts_money_currency_resolve(out, stated, field, flen) < 0)
		return reason(why, cap);
	dts__buf_str(b, out);
	return NULL;
}

const char *dts__convert_period(dts__buf *b, const char *v, size_t len, char *why, size_t cap)
{
	dts_period_span sp;
	char key[DTS_PERIOD_SPAN_KEY_SIZE];
	int n;

	if (blank(v, len))
		return NULL;
	if (dts_period_parse_span(&sp, v, len) < 0 ||
	    (n = dts_period_span_key(key, sizeof(key), &sp)) < 0)
		return reason(why, cap);
	dts__buf_add(b, key, (size_t)n);
	return NULL;
}

/* A statistical trade mode (2 digits) -> the supervision mode it stands
 * for, or "" when it aggregates several or may hold cross-border
 * e-commerce (10 一般贸易 holds 0110 and 9610/9710/9810): the rules read
 * the supervision mode, and guessing it would misclassify. */
static const char *stat_mode(dts__buf *b, const char *v, size_t len, char *why, size_t cap)
{
	const char *stat, *name, *mode, *back;

	if (dts_code_trade_mode_stat(&stat, v, len) < 0)
		return reason(why, cap);
	if (dts_code_trade_mode_stat_cbec(stat) == 0 &&
	    (name = dts_code_name(DTS_CODES_TRADE_MODE_STAT, stat)) != NULL &&
	    dts_code_trade_mode(&mode, name, strlen(name)) == 0 &&
	    dts_code_trade_mode_stat_of(&back, mode, strlen(mode)) == 0 && strcmp(back, stat) == 0)
		dts__buf_str(b, mode);
	return NULL;
}

static int digits(const char *v, size_t len, size_t *n)
{
	size_t k = 0, i = 0;

	while (i < len && v[i] == ' ')
		i++;
	while (len > i && v[len - 1] == ' ')
		len--;
	for (; i < len; i++, k++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	*n = k;
	return k > 0;
}

static const char *trade_mode(dts__buf *b, int scheme, const char *v, size_t len, char *why,
			      size_t cap)
{
	const char *out;
	size_t n = 0;

	if (scheme == DTS__SCH_AUTO)
		scheme = digits(v, len, &n) && n <= 2 ? DTS__SCH_STAT : DTS__SCH_NAME;
	if (scheme == DTS__SCH_STAT)
		return stat_mode(b, v, len, why, cap);
	/* code and name: dts_code_trade_mode reads both */
	if (dts__code_lookup(&out, DTS_F_TRADE_MODE, DTS_SCHEME_ANY, v, len) < 0)
		return reason(why, cap);
	dts__buf_str(b, out);
	return NULL;
}

const char *dts__convert_code(dts__buf *b, int field, int scheme, const char *v, size_t len,
			      char *why, size_t cap)
{
	const char *out;

	if (scheme == DTS__SCH_AS_IS || blank(v, len)) {
		dts__buf_add(b, v, len);
		return NULL;
	}
	if (field == DTS_F_TRADE_MODE)
		return trade_mode(b, scheme, v, len, why, cap);
	if (field != DTS_F_COUNTERPART && field != DTS_F_REGION) {
		dts__buf_add(b, v, len);
		return NULL;
	}
	if (dts__code_lookup(&out, field, scheme == DTS__SCH_CUSTOMS ? DTS_SCHEME_CUSTOMS :
			     scheme == DTS__SCH_ISO ? DTS_SCHEME_ISO : DTS_SCHEME_ANY, v, len) < 0)
		return reason(why, cap);
	dts__buf_str(b, out);
	return NULL;
}

int dts__code_lookup(const char **out, int field, dts_code_scheme scheme, const char *v,
		     size_t len)
{
	switch (field) {
	case DTS_F_TRADE_MODE:
		return dts_code_trade_mode(out, v, len);
	case DTS_F_COUNTERPART:
		return dts_code_country(out, scheme, v, len);
	case DTS_F_REGION:
		/* county codes, customs area codes and names: one lookup reads all */
		return dts_code_region(out, NULL, v, len);
	}
	return dts__error(DTS_EINVAL, NULL, 0, 0, "field %d has no code list", field);
}

const char *dts__convert_ebops(dts__buf *b, const char *v, size_t len, char *why, size_t cap)
{
	const char *out;

	(void)why, (void)cap;
	/* no EBOPS item for the code: the record keeps its bop_code only */
	if (!blank(v, len) && dts_code_bop_ebops(&out, v, len) == 0)
		dts__buf_str(b, out);
	return NULL;
}
